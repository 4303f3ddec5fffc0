//! The API's checks of the request's parameters: no unknown top-level
//! fields, sampling values in range, a thinking budget that fits, a known
//! model and a `max_tokens` within its limit.
//!
//! The messages are the API's own where they are on record (recorded
//! error bodies quoted in public bug reports): "Extra inputs are not
//! permitted", the thinking budget messages, `model: <id>` and the
//! `max_tokens` limit message. The API validates with pydantic, so range
//! messages follow pydantic's wording ("Input should be less than or equal
//! to 1"); those for `temperature`, `top_p` and `top_k` are written that way
//! without a recorded example.

use claude_rs_types::models::ModelInfo;
use serde_json::{Map, Value};

use super::Problem;
use crate::catalog;

/// The top-level fields of a Messages request (the beta superset; the
/// sampling parameters that older models take included).
const MESSAGE_FIELDS: [&str; 29] = [
    "model",
    "messages",
    "max_tokens",
    "system",
    "metadata",
    "stop_sequences",
    "stream",
    "temperature",
    "top_p",
    "top_k",
    "tools",
    "tool_choice",
    "thinking",
    "service_tier",
    "container",
    "mcp_servers",
    "context_management",
    "output_config",
    "output_format",
    "inference_geo",
    "cache_control",
    "speed",
    "diagnostics",
    "compaction",
    "billing_policy",
    "fallbacks",
    "fallback_credit_token",
    "thread",
    "user_profile_id",
];

/// The top-level fields of a `count_tokens` request.
const COUNT_FIELDS: [&str; 15] = [
    "model",
    "messages",
    "system",
    "tools",
    "tool_choice",
    "thinking",
    "mcp_servers",
    "context_management",
    "output_config",
    "output_format",
    "cache_control",
    "speed",
    "compaction",
    "billing_policy",
    "user_profile_id",
];

/// The smallest thinking budget the API accepts.
const MIN_BUDGET: i64 = 1024;

/// The sampling parameters that API version 2026-10-21 removed.
const SAMPLING: [&str; 3] = ["temperature", "top_p", "top_k"];

/// The first unknown top-level field; with `sampling_removed` (API version
/// 2026-10-21 and later) the sampling parameters are unknown too.
pub(super) fn extra_field(
    object: &Map<String, Value>,
    messages_route: bool,
    sampling_removed: bool,
) -> Option<Problem> {
    let known: &[&str] = if messages_route {
        &MESSAGE_FIELDS
    } else {
        &COUNT_FIELDS
    };
    object
        .keys()
        .find(|key| {
            !known.contains(&key.as_str()) || (sampling_removed && SAMPLING.contains(&key.as_str()))
        })
        .map(|key| Problem::invalid(format!("{key}: Extra inputs are not permitted")))
}

/// `temperature` and `top_p` in `0..=1`, `top_k` not negative.
pub(super) fn sampling(object: &Map<String, Value>) -> Option<Problem> {
    for key in ["temperature", "top_p"] {
        let Some(value) = object.get(key) else {
            continue;
        };
        let problem = match value.as_f64() {
            None => "Input should be a valid number",
            Some(v) if v < 0.0 => "Input should be greater than or equal to 0",
            Some(v) if v > 1.0 => "Input should be less than or equal to 1",
            Some(_) => continue,
        };
        return Some(Problem::invalid(format!("{key}: {problem}")));
    }
    match object.get("top_k") {
        Some(value) if value.as_i64().is_none() => Some(Problem::invalid(
            "top_k: Input should be a valid integer".to_owned(),
        )),
        Some(value) if value.as_i64().is_some_and(|k| k < 0) => Some(Problem::invalid(
            "top_k: Input should be greater than or equal to 0".to_owned(),
        )),
        _ => None,
    }
}

/// A manual thinking budget (`{"type": "enabled", "budget_tokens": N}`) of
/// at least 1024 and below `max_tokens`.
pub(super) fn thinking(object: &Map<String, Value>, max_tokens: Option<i64>) -> Option<Problem> {
    let thinking = object.get("thinking")?;
    if thinking.get("type").and_then(Value::as_str) != Some("enabled") {
        return None;
    }
    let budget = match thinking.get("budget_tokens") {
        None => {
            return Some(Problem::invalid(
                "thinking.enabled.budget_tokens: Field required".to_owned(),
            ));
        }
        Some(value) => match value.as_i64() {
            Some(budget) => budget,
            None => {
                return Some(Problem::invalid(
                    "thinking.enabled.budget_tokens: Input should be a valid integer".to_owned(),
                ));
            }
        },
    };
    if budget < MIN_BUDGET {
        return Some(Problem::invalid(format!(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to {MIN_BUDGET}"
        )));
    }
    if max_tokens.is_some_and(|max| budget >= max) {
        return Some(Problem::invalid(
            "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our \
             documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"
                .to_owned(),
        ));
    }
    None
}

/// Tool names are unique; a clash is the API's `tool_name_conflict` (its
/// message is not on record: the mock's names the tool and both places).
pub(super) fn tool_names(object: &Map<String, Value>) -> Option<Problem> {
    let tools = object.get("tools")?.as_array()?;
    for (i, tool) in tools.iter().enumerate() {
        let Some(name) = tool.get("name").and_then(Value::as_str) else {
            continue;
        };
        let earlier = tools[..i]
            .iter()
            .position(|t| t.get("name").and_then(Value::as_str) == Some(name));
        if let Some(first) = earlier {
            let mut problem = Problem::invalid(format!(
                "tools.{i}.name: the tool name {name:?} is already taken by tools.{first}"
            ));
            problem.error_code = Some("tool_name_conflict");
            return Some(problem);
        }
    }
    None
}

/// The model must exist (404 `not_found_error` otherwise) and allow the
/// requested `max_tokens`.
pub(super) fn model(models: &[ModelInfo], id: &str, max_tokens: Option<i64>) -> Option<Problem> {
    // A retired model is refused as the API refuses it: `model: <id>`.
    let Some(model) = catalog::find(models, id).filter(|m| !catalog::is_retired(m)) else {
        return Some(Problem::not_found(format!("model: {id}")));
    };
    let limit = model.max_tokens?;
    let requested = max_tokens?;
    (u64::try_from(requested).unwrap_or(0) > limit).then(|| {
        Problem::invalid(format!(
            "max_tokens: {requested} > {limit}, which is the maximum allowed number of output \
             tokens for {}",
            model.id
        ))
    })
}
