//! [`CallSpan`]: the span of one API call, from its start to its answer
//! (or, for a stream, to the stream's end).

use std::time::Instant;

use claude_rs_transport::RequestBody;
use http::{HeaderMap, Request, StatusCode};
use serde_json::Value;
use tracing::Span;

use super::attributes::{message_attributes, record_error, start_attributes};
use super::callsite::{enabled, new_span};
use super::content::message_content;
use super::names;
use super::options::{Propagator, Telemetry};

/// What a span needs to know of the client that makes the call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin<'a> {
    pub(crate) telemetry: &'a Telemetry,
    pub(crate) base_url: &'a str,
    /// The backend's name (which platform calls go to).
    pub(crate) backend: &'static str,
}
use crate::core::call::Call;
use crate::core::error::Error;

/// The trace headers a propagator writes; removed from a request before
/// the propagator writes its own.
const TRACE_HEADERS: [&str; 3] = ["traceparent", "tracestate", "baggage"];

/// The response headers recorded, by attribute.
const RESPONSE_HEADERS: [(&str, &str); 3] = [
    ("anthropic.request.id", "request-id"),
    ("anthropic.organization.id", "anthropic-organization-id"),
    ("anthropic.workspace.id", "anthropic-workspace-id"),
];

/// The span of one API call; a no-op when no subscriber wants it, when
/// telemetry is disabled, or for a request no SDK method makes.
#[derive(Default)]
pub(crate) struct CallSpan(Option<Box<Active>>);

struct Active {
    span: Span,
    started: Instant,
    name: &'static str,
    created: Option<&'static str>,
    /// The request body, kept for content attributes (content mode only).
    request: Option<Value>,
    max_content_bytes: usize,
    propagator: Option<Propagator>,
}

impl std::fmt::Debug for CallSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CallSpan")
            .field(&self.0.as_ref().map(|a| a.name))
            .finish()
    }
}

impl CallSpan {
    /// Starts the span of `call` (a child of the current span) with every
    /// attribute known before anything is sent.
    pub(crate) fn start(origin: Origin<'_>, call: &Call<'_>) -> Self {
        let telemetry = origin.telemetry;
        if !telemetry.enabled || !enabled() {
            return Self(None);
        }
        let Some(named) = names::name(&call.method, call.path) else {
            return Self(None);
        };
        let body = call
            .body
            .as_ref()
            .and_then(|(body, _)| body.as_bytes())
            .and_then(|bytes| serde_json::from_slice::<Value>(bytes).ok());
        let stream = call.mode == crate::core::call::ResponseMode::EventStream;
        let attrs = start_attributes(origin, &call.method, &named, body.as_ref(), stream);
        let span = new_span(&attrs);
        let records = telemetry.records_content() && named.name == "anthropic.messages.create";
        Self(Some(Box::new(Active {
            span,
            started: Instant::now(),
            name: named.name,
            created: named.created,
            request: if records { body } else { None },
            max_content_bytes: telemetry.max_content_bytes,
            propagator: telemetry
                .propagation
                .then(|| telemetry.propagator.clone())
                .flatten(),
        })))
    }

    /// The `tracing` span, or a disabled one.
    pub(crate) fn span(&self) -> Span {
        self.0.as_ref().map_or_else(Span::none, |a| a.span.clone())
    }

    /// Runs `future` with the span current.
    pub(crate) fn instrument<F: std::future::Future>(
        &self,
        future: F,
    ) -> impl std::future::Future<Output = F::Output> {
        tracing::Instrument::instrument(future, self.span())
    }

    /// Whether the span records anything.
    #[inline]
    pub(crate) fn is_active(&self) -> bool {
        self.0.is_some()
    }

    /// When the call started.
    pub(crate) fn started(&self) -> Option<Instant> {
        self.0.as_ref().map(|a| a.started)
    }

    /// Records what the prepared request says (URL, betas) and writes the
    /// span's trace context into it.
    pub(crate) fn sending(&self, request: &mut Request<RequestBody>) {
        let Some(active) = &self.0 else { return };
        let span = &active.span;
        let uri = request.uri();
        if let Some(scheme) = uri.scheme_str() {
            span.record("url.scheme", scheme);
        }
        span.record("url.path", uri.path());
        if let Some(query) = uri.query() {
            span.record("url.query", query);
        }
        if let Some(authority) = uri.authority() {
            let scheme = uri.scheme_str().unwrap_or("https");
            let mut full = format!("{scheme}://{authority}{}", uri.path());
            if let Some(query) = uri.query() {
                full.push('?');
                full.push_str(query);
            }
            span.record("url.full", full.as_str());
        }
        if let Some(betas) = request
            .headers()
            .get("anthropic-beta")
            .and_then(|v| v.to_str().ok())
        {
            let list: Vec<&str> = betas.split(',').map(str::trim).collect();
            span.record("anthropic.beta", Value::from(list).to_string().as_str());
        }
        if let Some(propagator) = &active.propagator {
            let headers = request.headers_mut();
            for name in TRACE_HEADERS {
                headers.remove(name);
            }
            propagator(span, headers);
        }
    }

    /// Records the final attempt's status and id headers, and the retries.
    pub(crate) fn answered(&self, status: StatusCode, headers: &HeaderMap) {
        let Some(active) = &self.0 else { return };
        let span = &active.span;
        span.record("http.response.status_code", i64::from(status.as_u16()));
        for (attribute, header) in RESPONSE_HEADERS {
            if let Some(value) = headers.get(header).and_then(|v| v.to_str().ok()) {
                span.record(attribute, value);
            }
        }
    }

    /// Records how many times the request was sent again (only when > 0).
    pub(crate) fn resent(&self, attempts: u32) {
        let Some(active) = &self.0 else { return };
        if attempts > 1 {
            active
                .span
                .record("http.request.resend_count", i64::from(attempts - 1));
        }
    }

    /// Ends a failed call: error status and type (and, in content mode,
    /// the request's content).
    pub(crate) fn failed(&self, error: &Error) {
        let Some(active) = &self.0 else { return };
        if let Some(status) = error.status() {
            active
                .span
                .record("http.response.status_code", i64::from(status.as_u16()));
        }
        record_error(&active.span, error, false);
        self.content(None);
    }

    /// Ends a call answered with a JSON body: response attributes and `OK`.
    pub(crate) fn succeeded_json(&self, body: &[u8]) {
        let Some(active) = &self.0 else { return };
        let needs_body = active.created.is_some()
            || matches!(
                active.name,
                "anthropic.messages.create" | "anthropic.messages.count_tokens"
            );
        if needs_body && let Ok(value) = serde_json::from_slice::<Value>(body) {
            self.response(&value, true);
            if active.name == "anthropic.messages.create" {
                self.content(value.get("content"));
            }
        }
        self.ok();
    }

    /// Status `OK`.
    pub(crate) fn ok(&self) {
        if let Some(active) = &self.0 {
            active.span.record("otel.status_code", "OK");
        }
    }

    /// Records the attributes of a response object (a whole message, or
    /// one accumulated from a stream: `complete` is false before its
    /// `message_delta`).
    pub(crate) fn response(&self, value: &Value, complete: bool) {
        let Some(active) = &self.0 else { return };
        let span = &active.span;
        if let Some(attribute) = active.created
            && let Some(id) = value.get("id").and_then(Value::as_str)
        {
            span.record(attribute, id);
        }
        match active.name {
            "anthropic.messages.count_tokens" => {
                if let Some(n) = value.get("input_tokens").and_then(Value::as_i64) {
                    span.record("anthropic.message.count_tokens.input_tokens", n);
                }
            }
            "anthropic.messages.create" => message_attributes(span, value, complete),
            _ => {}
        }
    }

    /// Records the content attributes (content mode), with the reply's
    /// `output` content when there is one.
    pub(crate) fn content(&self, output: Option<&Value>) {
        let Some(active) = &self.0 else { return };
        let Some(request) = &active.request else {
            return;
        };
        let attrs = message_content(request, output, active.max_content_bytes);
        let span = &active.span;
        for (field, value) in [
            ("gen_ai.system_instructions", &attrs.system_instructions),
            ("gen_ai.input.messages", &attrs.input_messages),
            ("gen_ai.output.messages", &attrs.output_messages),
            ("gen_ai.request.stop_sequences", &attrs.stop_sequences),
        ] {
            if let Some(value) = value {
                span.record(field, value.as_str());
            }
        }
        if attrs.truncated {
            span.record("anthropic.content.truncated", true);
        }
    }
}
