//! Applies the backend's credentials to each attempt, last, and sends an
//! attempt once more when the API refused credentials the backend can
//! replace (an exchanged token that was revoked).

use std::sync::Arc;
use std::task::{Context, Poll};

use claude_rs_transport::{Body, RequestBody};
use futures_util::future::BoxFuture;
use http::header::AUTHORIZATION;
use http::{Request, Response, StatusCode};
use tower::{Layer, Service};

use crate::core::backend::Backend;
use crate::core::error::Error;

/// Calls [`Backend::authorize`] on every attempt, just before the transport.
#[derive(Debug, Clone)]
pub(crate) struct AuthorizeLayer {
    backend: Arc<dyn Backend>,
}

impl AuthorizeLayer {
    pub(crate) fn new(backend: Arc<dyn Backend>) -> Self {
        Self { backend }
    }
}

impl<S> Layer<S> for AuthorizeLayer {
    type Service = AuthorizeService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthorizeService {
            inner,
            backend: self.backend.clone(),
        }
    }
}

/// The service made by [`AuthorizeLayer`].
#[derive(Debug, Clone)]
pub(crate) struct AuthorizeService<S> {
    inner: S,
    backend: Arc<dyn Backend>,
}

impl<S> Service<Request<RequestBody>> for AuthorizeService<S>
where
    S: Service<Request<RequestBody>, Response = Response<Body>, Error = Error>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Error;
    type Future = BoxFuture<'static, Result<Response<Body>, Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<RequestBody>) -> Self::Future {
        // The usual tower pattern: use the service driven to readiness.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let backend = self.backend.clone();
        Box::pin(async move {
            // A copy without credentials, in case the API refuses the ones
            // applied and the backend has fresh ones (401, sent once more).
            let again = copy(&request);
            backend.authorize(&mut request).await?;
            let sent = again.as_ref().map(|_| request_head(&request));
            let mut inner = inner;
            let response = inner.clone().call(request).await?;
            if response.status() != StatusCode::UNAUTHORIZED {
                return Ok(response);
            }
            match (again, sent) {
                (Some(mut again), Some(sent)) if backend.credentials_rejected(&sent) => {
                    drop(response);
                    backend.authorize(&mut again).await?;
                    inner.call(again).await
                }
                _ => Ok(response),
            }
        })
    }
}

/// The request again, when its body can be replayed and it does not carry
/// credentials of its own (a per-call `Authorization` or `x-api-key`).
fn copy(request: &Request<RequestBody>) -> Option<Request<RequestBody>> {
    let headers = request.headers();
    if headers.contains_key(AUTHORIZATION) || headers.contains_key("x-api-key") {
        return None;
    }
    let body = request.body().try_clone()?;
    let mut copy = Request::new(body);
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    *copy.extensions_mut() = request.extensions().clone();
    Some(copy)
}

/// The head of a sent request, for [`Backend::credentials_rejected`].
fn request_head(request: &Request<RequestBody>) -> Request<RequestBody> {
    let mut head = Request::new(RequestBody::empty());
    *head.method_mut() = request.method().clone();
    *head.uri_mut() = request.uri().clone();
    *head.headers_mut() = request.headers().clone();
    head
}
