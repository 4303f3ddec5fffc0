//! The per-attempt deadline.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use claude_transport::{Body, DEFAULT_BODY_LIMIT, RequestBody};
use http::{Request, Response};
use tower::{Layer, Service};

use crate::Error;
use crate::error::TimeoutKind;
use crate::options::AttemptPolicy;

/// Fails an attempt whose response does not arrive in time.
///
/// The deadline is the request's [`AttemptPolicy`] extension, else the
/// layer's default. For a request marked [`BufferBody`] (non-streaming
/// calls) the deadline covers the whole body, which is read here so that a
/// connection lost mid-body fails the attempt and is retried, as in the
/// official SDKs. Otherwise it stops at the headers: a stream's body is
/// guarded by the idle timeout instead, since a total deadline would cut
/// long, healthy streams.
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

/// A request extension asking the timeout layer to read the whole
/// (successful) response body within the attempt's deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferBody;

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
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<RequestBody>) -> Self::Future {
        let after = request
            .extensions()
            .get::<AttemptPolicy>()
            .map_or(self.default, |policy| policy.timeout);
        let buffer = request.extensions().get::<BufferBody>().is_some();
        let attempt = self.inner.call(request);
        Box::pin(async move {
            let whole = async move {
                let response = attempt.await?;
                if !buffer || !response.status().is_success() {
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
