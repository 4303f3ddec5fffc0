//! The per-attempt deadline.

use std::task::{Context, Poll};
use std::time::Duration;

use claude_rs_transport::{Body, DEFAULT_BODY_LIMIT, RequestBody};
use futures_util::future::BoxFuture;
use http::{Request, Response};
use tower::{Layer, Service};

use crate::core::call::ResponseMode;
use crate::core::error::{Error, TimeoutKind};
use crate::core::options::AttemptPolicy;

/// Fails an attempt whose response does not arrive in time.
///
/// The deadline is the request's [`AttemptPolicy`] extension, else the
/// layer's default. It covers the response head, and the whole body of an
/// error answer and of a [`ResponseMode::Json`] answer (the request's
/// extension), which are read here: a connection lost mid-body then fails
/// the attempt and is retried, as in the official SDKs, and nothing reads
/// them later under a second deadline. A streamed body is handed on as it
/// arrives and guarded by the idle timeout instead, since a total deadline
/// would cut long, healthy streams.
#[derive(Debug, Clone, Copy)]
pub struct TimeoutLayer {
    default: Duration,
}

impl TimeoutLayer {
    /// A layer with a default deadline.
    pub fn new(default: Duration) -> Self {
        Self { default }
    }
}

impl<S> Layer<S> for TimeoutLayer {
    type Service = TimeoutService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TimeoutService {
            inner,
            default: self.default,
        }
    }
}

/// The service made by [`TimeoutLayer`].
#[derive(Debug, Clone)]
pub struct TimeoutService<S> {
    inner: S,
    default: Duration,
}

impl<S> Service<Request<RequestBody>> for TimeoutService<S>
where
    S: Service<Request<RequestBody>, Response = Response<Body>, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Error;
    type Future = BoxFuture<'static, Result<Response<Body>, Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<RequestBody>) -> Self::Future {
        let after = request
            .extensions()
            .get::<AttemptPolicy>()
            .map_or(self.default, |policy| policy.timeout);
        let buffered = request
            .extensions()
            .get::<ResponseMode>()
            .is_some_and(|mode| mode.is_buffered());
        let attempt = self.inner.call(request);
        Box::pin(async move {
            let whole = async move {
                let response = attempt.await?;
                if !buffered && response.status().is_success() {
                    return Ok(response);
                }
                let (parts, body) = response.into_parts();
                let bytes = body
                    .collect_limited(DEFAULT_BODY_LIMIT)
                    .await
                    .map_err(Error::from_transport)?;
                Ok(Response::from_parts(parts, Body::from(bytes)))
            };
            match tokio::time::timeout(after, whole).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout {
                    kind: TimeoutKind::Request,
                    after,
                }),
            }
        })
    }
}
