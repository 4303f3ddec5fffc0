//! One `tracing` span per call, around the retry loop (feature `tracing`).

use claude_rs_transport::Body;
use http::{Request, Response};

use crate::core::call::request_id;

/// A `claude.request` span for a call: method and path now; the status and
/// request id of each attempt's answer ([`record_response`], the last one
/// stays) and the attempts it took once the call is over.
pub(crate) fn call_span(request: &Request<()>) -> tracing::Span {
    tracing::info_span!(
        "claude.request",
        method = %request.method(),
        path = request.uri().path(),
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        request_id = tracing::field::Empty,
    )
}

/// Records an attempt's answer on its call's span.
pub(crate) fn record_response(span: &tracing::Span, response: &Response<Body>) {
    span.record("status", response.status().as_u16());
    if let Some(id) = request_id(response.headers()) {
        span.record("request_id", id);
    }
}
