//! [`Telemetry`]: what the client's spans record, set once on the builder.

use std::fmt;
use std::sync::Arc;

use http::HeaderMap;

/// The default [`Telemetry::max_content_bytes`]: 750,000 bytes, as in the
/// official SDKs.
pub const DEFAULT_MAX_CONTENT_BYTES: usize = 750_000;

/// Whether spans carry message content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ContentMode {
    /// Metadata only (the default): model, token counts, ids, statuses;
    /// never a prompt, a reply, tool arguments or results.
    #[default]
    MetadataOnly,
    /// Metadata and content: system instructions, input and output
    /// messages, stop sequences, tool arguments and results, as JSON in the
    /// OpenTelemetry GenAI conventions' shape, within
    /// [`Telemetry::max_content_bytes`].
    Content,
}

/// Writes the trace context of a call's span into the headers of each of
/// its HTTP requests (see [`Telemetry::propagator`]).
pub type Propagator = Arc<dyn Fn(&tracing::Span, &mut HeaderMap) + Send + Sync>;

/// What the client's spans record; see the [module docs](crate::telemetry).
///
/// The default (also what [`ClientBuilder`](crate::ClientBuilder) uses when
/// it is not given one) reads the `ANTHROPIC_OPEN_TELEMETRY*` variables;
/// a `Telemetry` given to the builder ignores them.
///
/// ```
/// use claude_rs_client::telemetry::{ContentMode, Telemetry};
///
/// let telemetry = Telemetry::new()
///     .content_mode(ContentMode::Content)
///     .max_content_bytes(64 * 1024)
///     .conversation_id("support-ticket-4711");
/// let client = claude_rs_client::Client::builder()
///     .api_key("sk-ant-...")
///     .telemetry(telemetry)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), claude_rs_client::Error>(())
/// ```
#[derive(Clone)]
pub struct Telemetry {
    pub(crate) enabled: bool,
    pub(crate) content_mode: ContentMode,
    pub(crate) max_content_bytes: usize,
    pub(crate) conversation_id: Option<String>,
    pub(crate) propagation: bool,
    pub(crate) propagator: Option<Propagator>,
}

impl fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Telemetry")
            .field("enabled", &self.enabled)
            .field("content_mode", &self.content_mode)
            .field("max_content_bytes", &self.max_content_bytes)
            .field("conversation_id", &self.conversation_id)
            .field("propagation", &self.propagation)
            .field("propagator", &self.propagator.is_some())
            .finish()
    }
}

impl Default for Telemetry {
    fn default() -> Self {
        Self::new()
    }
}

impl Telemetry {
    /// Spans on, metadata only, no conversation id, propagation on (with no
    /// [`propagator`](Self::propagator), nothing is injected).
    pub fn new() -> Self {
        Self {
            enabled: true,
            content_mode: ContentMode::MetadataOnly,
            max_content_bytes: DEFAULT_MAX_CONTENT_BYTES,
            conversation_id: None,
            propagation: true,
            propagator: None,
        }
    }

    /// No spans at all (and no trace context is propagated).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::new()
        }
    }

    /// The settings the official SDKs read from the environment, through
    /// `lookup`: `ANTHROPIC_OPEN_TELEMETRY=false` switches spans off,
    /// `ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE=content` records
    /// content, `ANTHROPIC_OPEN_TELEMETRY_TRACES_MAX_CONTENT_BYTES=<digits>`
    /// (at least 1) sets the content budget, and
    /// `ANTHROPIC_OPEN_TELEMETRY_PROPAGATION=false` switches propagation
    /// off. Other values are ignored.
    pub fn from_env_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let is = |name: &str, value: &str| {
            lookup(name).is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
        };
        let mut telemetry = Self::new();
        telemetry.enabled = !is("ANTHROPIC_OPEN_TELEMETRY", "false");
        if is("ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE", "content") {
            telemetry.content_mode = ContentMode::Content;
        }
        if let Some(bytes) = lookup("ANTHROPIC_OPEN_TELEMETRY_TRACES_MAX_CONTENT_BYTES")
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&bytes| bytes >= 1)
        {
            telemetry.max_content_bytes = bytes;
        }
        telemetry.propagation = !is("ANTHROPIC_OPEN_TELEMETRY_PROPAGATION", "false");
        telemetry
    }

    /// Whether spans carry content (default [`ContentMode::MetadataOnly`]).
    pub fn content_mode(mut self, mode: ContentMode) -> Self {
        self.content_mode = mode;
        self
    }

    /// The most content one span may carry, in UTF-8 bytes of its JSON
    /// (default [`DEFAULT_MAX_CONTENT_BYTES`]; `0` means the default). What
    /// does not fit is left out, oldest first, and the span gets
    /// `anthropic.content.truncated = true`.
    pub fn max_content_bytes(mut self, bytes: usize) -> Self {
        self.max_content_bytes = if bytes == 0 {
            DEFAULT_MAX_CONTENT_BYTES
        } else {
            bytes
        };
        self
    }

    /// Recorded as `gen_ai.conversation.id` on every span of the client;
    /// never sent to the API.
    pub fn conversation_id(mut self, id: impl Into<String>) -> Self {
        self.conversation_id = Some(id.into());
        self
    }

    /// Whether each HTTP request of a call carries the trace context of
    /// the call's span (default `true`; it takes a
    /// [`propagator`](Self::propagator) to write it).
    pub fn propagation(mut self, on: bool) -> Self {
        self.propagation = on;
        self
    }

    /// Writes the trace context of a call's span (the `tracing` span given)
    /// into the headers of each HTTP request of the call, usually a W3C
    /// `traceparent`. This crate has no OpenTelemetry dependency, so the
    /// application, which has one, supplies the writer; with
    /// `tracing-opentelemetry`:
    ///
    /// ```text
    /// use opentelemetry::propagation::TextMapPropagator;
    /// use opentelemetry_sdk::propagation::TraceContextPropagator;
    /// use tracing_opentelemetry::OpenTelemetrySpanExt;
    ///
    /// Telemetry::new().propagator(|span, headers| {
    ///     let context = span.context();
    ///     let mut carrier = std::collections::HashMap::new();
    ///     TraceContextPropagator::new().inject_context(&context, &mut carrier);
    ///     for (name, value) in carrier { /* headers.insert(name, value) */ }
    /// })
    /// ```
    ///
    /// `traceparent`, `tracestate` and `baggage` headers already on a
    /// request are removed first, so the propagator's are the only ones.
    /// The headers are written once per call, before the first attempt;
    /// retries carry the same ones.
    pub fn propagator(
        mut self,
        propagator: impl Fn(&tracing::Span, &mut HeaderMap) + Send + Sync + 'static,
    ) -> Self {
        self.propagator = Some(Arc::new(propagator));
        self
    }

    /// Whether a call's span records content.
    pub(crate) fn records_content(&self) -> bool {
        self.content_mode == ContentMode::Content
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> Telemetry {
        Telemetry::from_env_lookup(|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_environment_is_read_as_the_official_sdks_read_it() {
        let default = env(&[]);
        assert!(default.enabled && default.propagation && !default.records_content());
        assert_eq!(default.max_content_bytes, DEFAULT_MAX_CONTENT_BYTES);
        let set = env(&[
            ("ANTHROPIC_OPEN_TELEMETRY", "FALSE"),
            ("ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE", "content"),
            (
                "ANTHROPIC_OPEN_TELEMETRY_TRACES_MAX_CONTENT_BYTES",
                " 1024 ",
            ),
            ("ANTHROPIC_OPEN_TELEMETRY_PROPAGATION", "false"),
        ]);
        assert!(!set.enabled && !set.propagation && set.records_content());
        assert_eq!(set.max_content_bytes, 1024);
        for bad in ["0", "-5", "1e3", "12 kB", "", "１２"] {
            let pairs: &'static [(&'static str, &'static str)] = Box::leak(Box::new([(
                "ANTHROPIC_OPEN_TELEMETRY_TRACES_MAX_CONTENT_BYTES",
                bad,
            )]));
            assert_eq!(
                env(pairs).max_content_bytes,
                DEFAULT_MAX_CONTENT_BYTES,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn zero_bytes_is_the_default() {
        assert_eq!(
            Telemetry::new().max_content_bytes(0).max_content_bytes,
            DEFAULT_MAX_CONTENT_BYTES
        );
    }
}
