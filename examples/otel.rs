//! The client's OpenTelemetry GenAI spans, exported through
//! `tracing-opentelemetry`: one `create` and one streamed call, each span
//! printed as one JSON line when it ends.
//!
//! ```sh
//! cargo run --example otel              # metadata only (the default)
//! cargo run --example otel -- --content # with the messages' content
//! ```
//!
//! Uses the real API when `ANTHROPIC_API_KEY` is set (at
//! `ANTHROPIC_BASE_URL` if given), else the embedded mock. In an
//! application, replace the in-memory exporter with an OTLP one; the rest
//! stays as it is.

#![allow(clippy::print_stdout)]

mod common;

use std::collections::HashMap;

use claude_rs_client::http::{HeaderMap, HeaderName, HeaderValue};
use claude_rs_client::telemetry::{ContentMode, Telemetry};
use claude_rs_mock::MockResponse;
use claude_rs_types::{model::Model, request::CreateMessageRequest, request::MessageParam};
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::{SpanKind, Status, TracerProvider as _};
use opentelemetry::{Array, Value};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{Map, json};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let content = std::env::args().skip(1).any(|arg| arg == "--content");

    // OpenTelemetry: spans go to an in-memory exporter, printed below.
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    let layer = tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("claude-rs-example"))
        // Only the client's attributes: no source location, thread or timing.
        .with_location(false)
        .with_threads(false)
        .with_tracked_inactivity(false)
        .with_target(false);
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))?;

    // The client: content only when asked for; each request carries the
    // W3C `traceparent` of its call's span.
    let mode = if content {
        ContentMode::Content
    } else {
        ContentMode::MetadataOnly
    };
    let telemetry = Telemetry::new()
        .content_mode(mode)
        .propagator(inject_trace_context);
    let target = common::connect_with(|builder| builder.telemetry(telemetry)).await?;
    target.script(|| vec![MockResponse::text("Hello."), MockResponse::text("Hello.")]);

    let request =
        CreateMessageRequest::new(Model::CLAUDE_SONNET_5, 64, vec![MessageParam::user("hi")])
            .with_system("be brief");
    let reply = target.client.messages().create(request.clone()).await?;
    eprintln!("create: {}", reply.text());
    let streamed = target.client.messages().stream(request).await?;
    eprintln!("stream: {}", streamed.final_text().await?);
    if let Some(mock) = target.mock() {
        let sent = mock.requests();
        let with_context = sent.iter().filter(|r| r.header("traceparent").is_some());
        eprintln!(
            "{} of {} requests carried a traceparent",
            with_context.count(),
            sent.len()
        );
    }

    provider.force_flush()?;
    for span in exporter.get_finished_spans()? {
        println!("{}", span_json(&span));
    }
    provider.shutdown()?;
    Ok(())
}

/// Writes the W3C trace context of `span` (the call's span) into `headers`.
fn inject_trace_context(span: &tracing::Span, headers: &mut HeaderMap) {
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&span.context(), &mut carrier);
    for (name, value) in carrier {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            headers.insert(name, value);
        }
    }
}

/// One finished span as `{"name","kind","trace_id","span_id","parent_span_id","status","attributes"}`.
fn span_json(span: &SpanData) -> serde_json::Value {
    let kind = match span.span_kind {
        SpanKind::Client => "client",
        SpanKind::Server => "server",
        SpanKind::Producer => "producer",
        SpanKind::Consumer => "consumer",
        SpanKind::Internal => "internal",
    };
    let status = match &span.status {
        Status::Unset => "unset",
        Status::Ok => "ok",
        Status::Error { .. } => "error",
    };
    let parent = (span.parent_span_id != opentelemetry::trace::SpanId::INVALID)
        .then(|| span.parent_span_id.to_string());
    let attributes: Map<String, serde_json::Value> = span
        .attributes
        .iter()
        .map(|kv| (kv.key.to_string(), value_json(&kv.value)))
        .collect();
    json!({
        "name": span.name,
        "kind": kind,
        "trace_id": span.span_context.trace_id().to_string(),
        "span_id": span.span_context.span_id().to_string(),
        "parent_span_id": parent,
        "status": status,
        "attributes": attributes,
    })
}

fn value_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Bool(b) => json!(b),
        Value::I64(n) => json!(n),
        Value::F64(x) => json!(x),
        Value::String(s) => json!(s.as_str()),
        Value::Array(Array::Bool(items)) => json!(items),
        Value::Array(Array::I64(items)) => json!(items),
        Value::Array(Array::F64(items)) => json!(items),
        Value::Array(Array::String(items)) => {
            json!(items.iter().map(|s| s.as_str()).collect::<Vec<_>>())
        }
        other => json!(other.to_string()),
    }
}
