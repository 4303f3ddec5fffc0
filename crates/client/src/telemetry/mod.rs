//! OpenTelemetry GenAI spans through `tracing` (feature `tracing`).
//!
//! The client records the spans the official SDKs record, with the same
//! names and attributes (the
//! [OpenTelemetry semantic conventions for generative AI](https://opentelemetry.io/docs/specs/semconv/gen-ai/)
//! plus `anthropic.*` ones), as `tracing` spans. This crate has no
//! OpenTelemetry dependency: add
//! [`tracing-opentelemetry`](https://docs.rs/tracing-opentelemetry) to your
//! subscriber and they are exported as OpenTelemetry spans. Its `otel.name`,
//! `otel.kind` and `otel.status_code` fields give each span its name, kind
//! and status; the other fields are the attributes, keys verbatim.
//!
//! # Spans
//!
//! * One `CLIENT` span per API call, named `anthropic.<resource>.<method>`
//!   (`anthropic.messages.create` for `create` and `stream`,
//!   `anthropic.messages.count_tokens`, `anthropic.messages.batches.cancel`,
//!   `anthropic.models.list`, `anthropic.files.upload`,
//!   `anthropic.skills.versions.retrieve`, ...). Its `tracing` name is
//!   `anthropic.api_call`. It covers every retry (`http.request.resend_count`,
//!   the final attempt's `http.response.status_code`), and for a stream the
//!   reading of the stream: `gen_ai.response.time_to_first_chunk` (seconds
//!   from the start of the call to the first content delta read), usage and
//!   stop reason are recorded as the events are read, and the span ends
//!   when the stream ends, fails or is dropped. It is the current span
//!   while the request runs, so the spans of your tower layers nest in it.
//! * With the tool runner, one `INTERNAL` span `anthropic.messages.tool_runner`
//!   per run, parent of each turn's call span and of one `INTERNAL` span
//!   `anthropic.custom_tool_use <tool>` per tool execution.
//!
//! Status is `OK` on success, `ERROR` with `error.type` (the API error's
//! type such as `overloaded_error`, else the HTTP status,
//! `client_timeout_error`, `connection_error`, `client_error`) on failure,
//! and unset when a stream is dropped before its end.
//!
//! # What is recorded, and what never is
//!
//! By default, metadata only: model, token counts, ids, statuses, the
//! route. With [`ContentMode::Content`], Messages call spans add
//! `gen_ai.system_instructions`, `gen_ai.input.messages`,
//! `gen_ai.output.messages` and `gen_ai.request.stop_sequences`, and tool
//! spans `gen_ai.tool.call.arguments` and `anthropic.tool_result.content`,
//! as compact JSON; `encrypted_*` fields, image, document and file data
//! are left out, and a span's content stays within
//! [`Telemetry::max_content_bytes`] (oldest parts go first;
//! `anthropic.content.truncated = true` says something went). No header
//! other than `anthropic-beta`, and never a key, token or credential, is
//! recorded.
//!
//! Where `tracing` has no array values, string arrays (`anthropic.beta`,
//! `gen_ai.request.stop_sequences`) are recorded as the JSON text of the
//! array. JSON objects inside content (tool arguments, result blocks)
//! have their keys in sorted order.
//!
//! # Cost
//!
//! With no subscriber, or one that does not want these spans, a call costs
//! one check of the callsite's cached interest: no attribute is computed.
//!
//! # Trace context propagation
//!
//! With [`Telemetry::propagator`] set, each call's HTTP requests carry the
//! trace context of the call's span (usually a W3C `traceparent`), written
//! by the function you give, since only your application links
//! OpenTelemetry; see [`Telemetry::propagator`] and the `otel` example.

#[cfg(feature = "tracing")]
mod attributes;
#[cfg(feature = "tracing")]
mod call;
#[cfg(feature = "tracing")]
mod callsite;
#[cfg(feature = "tracing")]
mod content;
#[cfg(feature = "tracing")]
mod names;
#[cfg(not(feature = "tracing"))]
mod noop;
#[cfg(feature = "tracing")]
mod options;
#[cfg(feature = "tracing")]
mod stream;
#[cfg(feature = "tracing")]
mod tools;

#[cfg(feature = "tracing")]
pub(crate) use call::{CallSpan, Origin};
#[cfg(not(feature = "tracing"))]
pub(crate) use noop::{CallSpan, Origin, RunnerTrace, StreamTrace};
#[cfg(feature = "tracing")]
pub use options::{ContentMode, DEFAULT_MAX_CONTENT_BYTES, Propagator, Telemetry};
#[cfg(feature = "tracing")]
pub(crate) use stream::StreamTrace;
#[cfg(feature = "tracing")]
pub(crate) use tools::RunnerTrace;
