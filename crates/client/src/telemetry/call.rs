//! [`CallSpan`]: the span of one API call, from its start to its answer
//! (or, for a stream, to the stream's end).

use std::time::Instant;

use claude_rs_transport::RequestBody;
use http::{HeaderMap, Request, StatusCode};
use serde_json::Value;
use tracing::Span;

use super::callsite::{AttrValue, enabled, new_span};
use super::content::message_content;
use super::names::{self, Named};
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
use crate::core::error::{Error, ProtocolKind};

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

/// The attributes a call span starts with.
fn start_attributes(
    origin: Origin<'_>,
    method: &http::Method,
    named: &Named,
    body: Option<&Value>,
    stream: bool,
) -> Vec<(&'static str, AttrValue)> {
    let text = |s: &str| AttrValue::Str(s.to_owned());
    let mut attrs = vec![
        ("otel.name", text(named.name)),
        ("otel.kind", text("client")),
    ];
    let telemetry = origin.telemetry;
    let (host, port) = server(origin.base_url);
    if let Some(host) = host {
        attrs.push(("server.address", AttrValue::Str(host)));
    }
    attrs.push(("server.port", AttrValue::I64(port)));
    attrs.push(("gen_ai.provider.name", text(provider_name(origin.backend))));
    attrs.push(("http.request.method", text(method.as_str())));
    attrs.push(("http.route", text(named.route)));
    if let Some(id) = &telemetry.conversation_id {
        attrs.push(("gen_ai.conversation.id", text(id)));
    }
    for (attribute, id) in &named.ids {
        attrs.push((attribute, text(id)));
    }
    let str_at = |path: &[&str]| -> Option<String> {
        let mut value = body?;
        for key in path {
            value = value.get(key)?;
        }
        value.as_str().map(str::to_owned)
    };
    let int_at = |path: &[&str]| -> Option<i64> {
        let mut value = body?;
        for key in path {
            value = value.get(key)?;
        }
        value.as_i64()
    };
    match named.name {
        "anthropic.messages.create" => {
            attrs.push(("gen_ai.operation.name", text("chat")));
            let strings = [
                ("gen_ai.request.model", &["model"][..]),
                (
                    "gen_ai.request.reasoning.level",
                    &["output_config", "effort"],
                ),
                ("anthropic.request.service_tier", &["service_tier"]),
                ("anthropic.thinking.type", &["thinking", "type"]),
            ];
            for (attribute, path) in strings {
                if let Some(value) = str_at(path) {
                    attrs.push((attribute, AttrValue::Str(value)));
                }
            }
            for (attribute, path) in [
                ("gen_ai.request.max_tokens", &["max_tokens"][..]),
                (
                    "anthropic.thinking.budget_tokens",
                    &["thinking", "budget_tokens"],
                ),
            ] {
                if let Some(value) = int_at(path) {
                    attrs.push((attribute, AttrValue::I64(value)));
                }
            }
            if stream {
                attrs.push(("gen_ai.request.stream", AttrValue::Bool(true)));
            }
            let format = str_at(&["output_config", "format", "type"])
                .or_else(|| str_at(&["output_format", "type"]));
            if format.as_deref() == Some("json_schema") {
                attrs.push(("gen_ai.output.type", text("json")));
            }
        }
        "anthropic.messages.count_tokens" => {
            if let Some(model) = str_at(&["model"]) {
                attrs.push(("gen_ai.request.model", AttrValue::Str(model)));
            }
        }
        "anthropic.messages.batches.create" => {
            if let Some(Value::Array(requests)) = body.and_then(|b| b.get("requests")) {
                attrs.push((
                    "anthropic.message.batch.request_count",
                    AttrValue::I64(requests.len() as i64),
                ));
            }
        }
        _ => {}
    }
    attrs
}

/// The response attributes of a message.
fn message_attributes(span: &Span, message: &Value, complete: bool) {
    let str_at = |path: &[&str]| {
        let mut value = message;
        for key in path {
            value = value.get(key)?;
        }
        value.as_str()
    };
    let int_at = |path: &[&str]| {
        let mut value = message;
        for key in path {
            value = value.get(key)?;
        }
        value.as_i64()
    };
    for (attribute, path) in [
        ("gen_ai.response.id", &["id"][..]),
        ("gen_ai.response.model", &["model"]),
        (
            "anthropic.response.service_tier",
            &["usage", "service_tier"],
        ),
    ] {
        if let Some(value) = str_at(path) {
            span.record(attribute, value);
        }
    }
    let ints = [
        (
            "gen_ai.usage.cache_read.input_tokens",
            &["usage", "cache_read_input_tokens"][..],
        ),
        (
            "gen_ai.usage.cache_write.input_tokens",
            &["usage", "cache_creation_input_tokens"],
        ),
        (
            "anthropic.usage.cache_creation.ephemeral_5m_input_tokens",
            &["usage", "cache_creation", "ephemeral_5m_input_tokens"],
        ),
        (
            "anthropic.usage.cache_creation.ephemeral_1h_input_tokens",
            &["usage", "cache_creation", "ephemeral_1h_input_tokens"],
        ),
    ];
    for (attribute, path) in ints {
        if let Some(value) = int_at(path) {
            span.record(attribute, value);
        }
    }
    if let Some(input) = int_at(&["usage", "input_tokens"]) {
        let read = int_at(&["usage", "cache_read_input_tokens"]).unwrap_or(0);
        let write = int_at(&["usage", "cache_creation_input_tokens"]).unwrap_or(0);
        span.record("gen_ai.usage.input_tokens", input + read + write);
    }
    if complete {
        if let Some(value) = str_at(&["stop_reason"]) {
            span.record("anthropic.message.stop_reason", value);
        }
        if let Some(value) = int_at(&["usage", "output_tokens"]) {
            span.record("gen_ai.usage.output_tokens", value);
        }
        if let Some(value) = int_at(&["usage", "output_tokens_details", "thinking_tokens"]) {
            span.record("gen_ai.usage.reasoning.output_tokens", value);
        }
    }
}

/// Error status and `error.type`. `in_stream`: the error ended a stream
/// that had opened.
pub(crate) fn record_error(span: &Span, error: &Error, in_stream: bool) {
    span.record("otel.status_code", "ERROR");
    span.record("error.type", error_type(error, in_stream).as_str());
}

/// The `error.type` of a failure, as the official SDKs name it.
pub(crate) fn error_type(error: &Error, in_stream: bool) -> String {
    match error.cause() {
        Error::Api(api) => match &api.error_type {
            Some(kind) => kind.as_str().to_owned(),
            _ if api.status.as_u16() >= 400 => api.status.as_u16().to_string(),
            _ => "api_error".to_owned(),
        },
        Error::Timeout { .. } => "client_timeout_error".to_owned(),
        Error::Other(source) if source.is::<tower::timeout::error::Elapsed>() => {
            "client_timeout_error".to_owned()
        }
        Error::Connection(_) => "connection_error".to_owned(),
        Error::Protocol {
            kind: ProtocolKind::EndedEarly,
            ..
        } if in_stream => "api_error".to_owned(),
        _ => "client_error".to_owned(),
    }
}

/// The host of a base URL and its port (explicit, else 80 for `http`, 443
/// otherwise).
fn server(base_url: &str) -> (Option<String>, i64) {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", base_url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default = if scheme.eq_ignore_ascii_case("http") {
        80
    } else {
        443
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, port.parse().unwrap_or(default))
        }
        _ => (authority, default),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    ((!host.is_empty()).then(|| host.to_owned()), port)
}

/// `gen_ai.provider.name` of the client's backend.
pub(crate) fn provider_name(backend: &str) -> &'static str {
    if backend.contains("Bedrock") {
        "aws.bedrock"
    } else if backend.contains("Vertex") {
        "gcp.vertex_ai"
    } else {
        "anthropic"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_address_and_port() {
        assert_eq!(
            server("https://api.anthropic.com"),
            (Some("api.anthropic.com".into()), 443)
        );
        assert_eq!(
            server("http://127.0.0.1:4010/v"),
            (Some("127.0.0.1".into()), 4010)
        );
        assert_eq!(server("http://user:pw@[::1]/"), (Some("::1".into()), 80));
    }
}
