//! The attributes of call spans: what the request, the response and a
//! failure say, as the official SDKs record them.

use serde_json::Value;
use tracing::Span;

use super::call::Origin;
use super::callsite::AttrValue;
use super::names::Named;
use crate::core::error::{Error, ProtocolKind};

/// The attributes a call span starts with.
pub(crate) fn start_attributes(
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
pub(crate) fn message_attributes(span: &Span, message: &Value, complete: bool) {
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
