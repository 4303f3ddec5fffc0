//! The tool runner's spans: one `anthropic.messages.tool_runner` span per
//! run, and one `anthropic.custom_tool_use <tool>` span per tool execution.

use claude_rs_types::content::{ToolResultBlock, ToolUseBlock};
use claude_rs_types::request::CreateMessageRequest;
use serde_json::Value;
use tracing::Span;
use tracing::field::Empty;

use super::attributes::{provider_name, record_error};
use super::call::Origin;
use super::content::result_blocks;
use crate::core::error::Error;

/// What a tool span needs of the client's telemetry settings.
#[derive(Debug, Clone)]
struct Settings {
    provider: &'static str,
    conversation_id: Option<String>,
    content_limit: Option<usize>,
}

/// The span of one run of the tool runner (a no-op when nobody listens).
#[derive(Debug, Default)]
pub(crate) struct RunnerTrace(Option<(Span, Settings)>);

impl RunnerTrace {
    /// Starts the run's span, a child of the current span.
    pub(crate) fn start(origin: Origin<'_>, request: &CreateMessageRequest) -> Self {
        let telemetry = origin.telemetry;
        if !telemetry.enabled || !tracing::level_enabled!(tracing::Level::INFO) {
            return Self(None);
        }
        let settings = Settings {
            provider: provider_name(origin.backend),
            conversation_id: telemetry.conversation_id.clone(),
            content_limit: telemetry
                .records_content()
                .then_some(telemetry.max_content_bytes),
        };
        let structured = serde_json::to_value(&request.output_config)
            .ok()
            .and_then(|c| c.pointer("/format/type").cloned())
            == Some(Value::from("json_schema"));
        let span = tracing::info_span!(
            "anthropic.messages.tool_runner",
            "otel.name" = "anthropic.messages.tool_runner",
            "otel.kind" = "internal",
            "otel.status_code" = Empty,
            "error.type" = Empty,
            "gen_ai.operation.name" = "invoke_agent",
            "gen_ai.provider.name" = settings.provider,
            "gen_ai.request.model" = request.model.as_str(),
            "gen_ai.conversation.id" = settings.conversation_id.as_deref(),
            "gen_ai.output.type" = structured.then_some("json"),
        );
        if span.is_disabled() {
            return Self(None);
        }
        Self(Some((span, settings)))
    }

    /// Whether the run has a span.
    pub(crate) fn is_active(&self) -> bool {
        self.0.is_some()
    }

    /// Runs `future` with the run's span current.
    pub(crate) fn instrument<F: std::future::Future>(
        &self,
        future: F,
    ) -> impl std::future::Future<Output = F::Output> {
        let span = self.0.as_ref().map_or_else(Span::none, |(s, _)| s.clone());
        tracing::Instrument::instrument(future, span)
    }

    /// Ends the run: `OK`, or the error's status.
    pub(crate) fn end(&mut self, error: Option<&Error>) {
        if let Some((span, _)) = self.0.take() {
            match error {
                None => {
                    span.record("otel.status_code", "OK");
                }
                Some(error) => record_error(&span, error, false),
            }
        }
    }

    /// The span of one tool execution, a child of the run's span.
    pub(crate) fn tool(&self, call: &ToolUseBlock, description: Option<String>) -> ToolTrace {
        let Some((runner, settings)) = &self.0 else {
            return ToolTrace(None);
        };
        let name = if call.name.is_empty() {
            "anthropic.custom_tool_use".to_owned()
        } else {
            format!("anthropic.custom_tool_use {}", call.name)
        };
        let span = tracing::info_span!(
            parent: runner,
            "anthropic.custom_tool_use",
            "otel.name" = name.as_str(),
            "otel.kind" = "internal",
            "otel.status_code" = Empty,
            "error.type" = Empty,
            "gen_ai.operation.name" = "execute_tool",
            "gen_ai.provider.name" = settings.provider,
            "gen_ai.tool.name" = call.name.as_str(),
            "gen_ai.tool.call.id" = call.id.as_str(),
            "gen_ai.tool.type" = "function",
            "gen_ai.tool.description" = description.as_deref().filter(|d| !d.is_empty()),
            "anthropic.toolset.name" = call.toolset_name.as_deref(),
            "gen_ai.conversation.id" = settings.conversation_id.as_deref(),
            "gen_ai.tool.call.arguments" = Empty,
            "anthropic.tool_result.content" = Empty,
            "anthropic.content.truncated" = Empty,
        );
        let content = settings
            .content_limit
            .map(|limit| (call.input.clone(), limit));
        ToolTrace(Some((span, content)))
    }
}

/// The span of one tool execution.
#[derive(Debug)]
pub(crate) struct ToolTrace(Option<(Span, Option<(Value, usize)>)>);

impl ToolTrace {
    /// Runs `future` (the tool) with the span current.
    pub(crate) fn instrument<F: std::future::Future>(
        &self,
        future: F,
    ) -> impl std::future::Future<Output = F::Output> {
        let span = self.0.as_ref().map_or_else(Span::none, |(s, _)| s.clone());
        tracing::Instrument::instrument(future, span)
    }

    /// Ends the span with the tool's result: `OK`, or `ERROR` with
    /// `error.type = tool_error` for an error result.
    pub(crate) fn finish(self, result: &ToolResultBlock) {
        let Some((span, content)) = self.0 else {
            return;
        };
        if let Some((input, limit)) = content {
            let blocks = serde_json::to_value(&result.content)
                .ok()
                .filter(|v| !v.is_null());
            let blocks = result_blocks(blocks.as_ref(), &["text", "search_result"]);
            let (arguments, result, truncated) = fit_tool(&input, blocks, limit);
            if let Some(arguments) = arguments {
                span.record("gen_ai.tool.call.arguments", arguments.as_str());
            }
            span.record("anthropic.tool_result.content", result.as_str());
            if truncated {
                span.record("anthropic.content.truncated", true);
            }
        }
        if result.is_error == Some(true) {
            span.record("otel.status_code", "ERROR");
            span.record("error.type", "tool_error");
        } else {
            span.record("otel.status_code", "OK");
        }
    }
}

/// The arguments' JSON (left out when over `limit` by itself) and the
/// result's blocks, losing whole blocks from the end until both fit.
fn fit_tool(input: &Value, mut blocks: Vec<Value>, limit: usize) -> (Option<String>, String, bool) {
    let arguments = input.to_string();
    let (arguments, mut truncated) = if arguments.len() > limit {
        (None, true)
    } else {
        (Some(arguments), false)
    };
    let room = limit - arguments.as_ref().map_or(0, String::len);
    let mut result = Value::Array(blocks.clone()).to_string();
    while result.len() > room && !blocks.is_empty() {
        blocks.pop();
        truncated = true;
        result = Value::Array(blocks.clone()).to_string();
    }
    (arguments, result, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tool_content_fits_by_dropping_blocks_from_the_end() {
        let blocks = vec![
            json!({"type": "text", "text": "first"}),
            json!({"type": "text", "text": "second"}),
        ];
        let input = json!({"city": "Paris"});
        let (arguments, result, truncated) = fit_tool(&input, blocks.clone(), 1000);
        assert_eq!(arguments.as_deref(), Some(r#"{"city":"Paris"}"#));
        assert_eq!(
            result,
            r#"[{"text":"first","type":"text"},{"text":"second","type":"text"}]"#
        );
        assert!(!truncated);
        let (_, result, truncated) = fit_tool(&input, blocks.clone(), 60);
        assert_eq!(result, r#"[{"text":"first","type":"text"}]"#);
        assert!(truncated);
        let (arguments, _, truncated) = fit_tool(&input, blocks, 10);
        assert_eq!(arguments, None);
        assert!(truncated);
    }
}
