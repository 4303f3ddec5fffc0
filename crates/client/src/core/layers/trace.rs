//! One `tracing` span per call, around everything else (feature `tracing`).

use std::task::{Context, Poll};

use claude_rs_transport::{Body, RequestBody};
use futures_util::future::BoxFuture;
use http::{Request, Response};
use tower::{Layer, Service};
use tracing::Instrument;

use crate::core::call::request_id;
use crate::core::error::Error;
use crate::core::layers::Attempts;

/// Records a `claude.request` span per call: method, path, and once the
/// answer is in, its status, the attempts it took and the request id.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TraceLayer;

impl<S> Layer<S> for TraceLayer {
    type Service = TraceService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TraceService { inner }
    }
}

/// The service made by [`TraceLayer`].
#[derive(Debug, Clone)]
pub(crate) struct TraceService<S> {
    inner: S,
}

impl<S> Service<Request<RequestBody>> for TraceService<S>
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
        let span = tracing::info_span!(
            "claude.request",
            method = %request.method(),
            path = request.uri().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let sent = self.inner.call(request).instrument(span.clone());
        Box::pin(async move {
            let response = sent.await?;
            span.record("status", response.status().as_u16());
            if let Some(attempts) = response.extensions().get::<Attempts>() {
                span.record("attempts", attempts.0);
            }
            if let Some(id) = request_id(response.headers()) {
                span.record("request_id", id);
            }
            Ok(response)
        })
    }
}
