//! The `tracing` callsite of every API call span.
//!
//! A call span has more possible attributes than the `span!` macros allow
//! (32), so its metadata is declared here by hand, the way the macros
//! declare theirs. Only the attributes known when the call starts are given
//! at creation (samplers see them); the rest are recorded as they become
//! known.

use tracing::callsite::{DefaultCallsite, Identifier};
use tracing::field::{Field, FieldSet, Value};
use tracing::metadata::Kind;
use tracing::{Level, Metadata, Span};

/// Every attribute a call span may have, plus the `otel.*` fields that
/// `tracing-opentelemetry` reads for the span's name, kind and status.
const FIELDS: &[&str] = &[
    "otel.name",
    "otel.kind",
    "otel.status_code",
    "error.type",
    "server.address",
    "server.port",
    "gen_ai.provider.name",
    "http.request.method",
    "http.route",
    "gen_ai.conversation.id",
    "url.scheme",
    "url.path",
    "url.query",
    "url.full",
    "http.response.status_code",
    "http.request.resend_count",
    "anthropic.request.id",
    "anthropic.organization.id",
    "anthropic.workspace.id",
    "gen_ai.operation.name",
    "gen_ai.request.model",
    "gen_ai.request.max_tokens",
    "gen_ai.request.reasoning.level",
    "gen_ai.request.stream",
    "gen_ai.output.type",
    "anthropic.request.service_tier",
    "anthropic.thinking.type",
    "anthropic.thinking.budget_tokens",
    "anthropic.beta",
    "gen_ai.response.id",
    "gen_ai.response.model",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_write.input_tokens",
    "gen_ai.usage.reasoning.output_tokens",
    "anthropic.usage.cache_creation.ephemeral_5m_input_tokens",
    "anthropic.usage.cache_creation.ephemeral_1h_input_tokens",
    "anthropic.response.service_tier",
    "anthropic.message.stop_reason",
    "gen_ai.response.time_to_first_chunk",
    "gen_ai.system_instructions",
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.request.stop_sequences",
    "anthropic.content.truncated",
    "anthropic.message.count_tokens.input_tokens",
    "anthropic.message.batch.id",
    "anthropic.message.batch.request_count",
    "anthropic.model.id",
    "anthropic.file.id",
    "anthropic.skill.id",
    "anthropic.skill.version.id",
];

/// The metadata name of call spans; the OpenTelemetry name is `otel.name`
/// (`anthropic.messages.create`, ...).
pub(crate) const CALL_SPAN: &str = "anthropic.api_call";

static CALLSITE: DefaultCallsite = DefaultCallsite::new(&META);
static META: Metadata<'static> = Metadata::new(
    CALL_SPAN,
    "claude_rs_client::telemetry",
    Level::INFO,
    Some(file!()),
    Some(line!()),
    Some(module_path!()),
    FieldSet::new(FIELDS, Identifier(&CALLSITE)),
    Kind::SPAN,
);

/// An attribute value known at the start of a call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AttrValue {
    Str(String),
    I64(i64),
    Bool(bool),
}

impl AttrValue {
    fn as_value(&self) -> &dyn Value {
        match self {
            AttrValue::Str(value) => value,
            AttrValue::I64(value) => value,
            AttrValue::Bool(value) => value,
        }
    }
}

/// Whether a subscriber wants call spans. Costs one atomic load when none
/// is listening (the callsite's cached interest is "never").
pub(crate) fn enabled() -> bool {
    if !tracing::level_enabled!(Level::INFO) {
        return false;
    }
    let interest = CALLSITE.interest();
    if interest.is_never() {
        return false;
    }
    interest.is_always() || tracing::dispatcher::get_default(|d| d.enabled(&META))
}

/// A new call span (a child of the current span) with `start` recorded at
/// creation. Attributes beyond the 32 a value set holds, or of names not
/// declared, are recorded right after.
pub(crate) fn new_span(start: &[(&'static str, AttrValue)]) -> Span {
    let fields = META.fields();
    let known: Vec<(Field, &AttrValue)> = start
        .iter()
        .filter_map(|(name, value)| fields.field(name).map(|field| (field, value)))
        .collect();
    let (first, rest) = known.split_at(known.len().min(31));
    let filler = fields.field("otel.name").expect("declared");
    let values: [(&Field, Option<&dyn Value>); 32] = std::array::from_fn(|i| match first.get(i) {
        Some((field, value)) => (field, Some(value.as_value())),
        None => (&filler, None),
    });
    let span = Span::new(&META, &fields.value_set(&values));
    for (field, value) in rest {
        span.record(field.name(), value.as_value());
    }
    span
}
