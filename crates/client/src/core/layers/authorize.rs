//! Applies the backend's credentials to each attempt, last.

use std::sync::Arc;
use std::task::{Context, Poll};

use claude_rs_transport::{Body, RequestBody};
use futures_util::future::BoxFuture;
use http::{Request, Response};
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
            backend.authorize(&mut request).await?;
            let mut inner = inner;
            inner.call(request).await
        })
    }
}
