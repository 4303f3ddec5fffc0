//! The API's checks of a Messages (or count_tokens) request body.
//!
//! Only mistakes a client can really make are checked, with messages in
//! the API's style (`max_tokens: Field required`). Consecutive turns of the
//! same role, or a first turn by the assistant, are accepted, as the API
//! accepts them (it merges consecutive turns).

mod content;
mod params;

use claude_rs_types::request::CountTokensRequest;
use claude_rs_types::{error::ErrorType, request::CreateMessageRequest};
use serde_json::Value;

use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};
use crate::route::Route;
use crate::state::State;

/// The request header naming the API version.
pub(crate) const VERSION_HEADER: &str = "anthropic-version";

/// The API versions, oldest first (the API documentation's version
/// history).
const KNOWN_VERSIONS: [&str; 3] = ["2023-01-01", "2023-06-01", "2026-10-21"];

/// The newest version: what a request without the header is checked as
/// when validation of the header is off.
const LATEST_VERSION: &str = "2026-10-21";

/// The version that removed `temperature`, `top_p` and `top_k`, document
/// blocks in assistant turns and citations in user text.
const SAMPLING_REMOVED_IN: &str = "2026-10-21";

/// The problem of a missing or unknown `anthropic-version` header. The
/// missing-header message is the mock's long-standing one; the API's
/// wording for an unknown version is not on record, so the mock's names
/// the header, the value and the known versions.
pub(crate) fn version_problem(version: Option<&str>) -> Option<Problem> {
    match version {
        None => Some(Problem::invalid(format!(
            "{VERSION_HEADER}: header is required"
        ))),
        Some(v) if KNOWN_VERSIONS.contains(&v) => None,
        Some(v) => Some(Problem::invalid(format!(
            "{VERSION_HEADER}: {v:?} is not a valid version; use one of {}",
            KNOWN_VERSIONS.join(", ")
        ))),
    }
}

/// What is wrong with a request, as the API's error type and message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) error_type: ErrorType,
    pub(crate) message: String,
    /// `error.details.error_code`, where the API sends one.
    pub(crate) error_code: Option<&'static str>,
}

impl Problem {
    fn invalid(message: String) -> Self {
        Problem {
            error_type: ErrorType::InvalidRequest,
            message,
            error_code: None,
        }
    }

    fn not_found(message: String) -> Self {
        Problem {
            error_type: ErrorType::NotFound,
            message,
            error_code: None,
        }
    }
}

/// The error reply for an invalid request of `route`, `None` if it is fine
/// (or the route's body is not checked here).
pub(crate) fn check(
    state: &State,
    route: Route,
    request: &RecordedRequest,
) -> Option<MockResponse> {
    let needs_max_tokens = match route {
        Route::Messages => true,
        Route::CountTokens => false,
        _ => return None,
    };
    let version = request.header(VERSION_HEADER).unwrap_or(LATEST_VERSION);
    let problem = match &request.json {
        None => Some(Problem::invalid(parse_problem(&request.body))),
        Some(body) => message_problem(state, body, needs_max_tokens, version),
    };
    problem.map(|p| {
        let reply = error(p.error_type, p.message);
        match p.error_code {
            Some(code) => reply.with_error_code(code),
            None => reply,
        }
    })
}

/// The first problem of a request body: its shape and parameters, then its
/// model, then the files it references.
pub(crate) fn message_problem(
    state: &State,
    body: &Value,
    needs_max_tokens: bool,
    version: &str,
) -> Option<Problem> {
    if let Some(problem) = shape_problem(body, needs_max_tokens, version) {
        return Some(problem);
    }
    let model = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let max_tokens = body.get("max_tokens").and_then(Value::as_i64);
    if let Some(problem) = params::model(&state.config.models, model, max_tokens) {
        return Some(problem);
    }
    let messages = body.get("messages").and_then(Value::as_array)?;
    let referenced = content::file_ids(messages);
    let inner = state.lock();
    referenced
        .iter()
        .find(|(_, id)| !inner.files.iter().any(|f| &f.id == id))
        .map(|(at, id)| content::unknown_file(at, id))
}

fn parse_problem(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Err(err) => format!("There was an error parsing the body of the request: {err}"),
        Ok(_) => "There was an error parsing the body of the request".to_owned(),
    }
}

/// The first problem of a body that needs no server state to see.
fn shape_problem(body: &Value, needs_max_tokens: bool, version: &str) -> Option<Problem> {
    let Some(object) = body.as_object() else {
        return Some(Problem::invalid(
            "Input should be a valid dictionary or object".to_owned(),
        ));
    };
    if let Some(problem) = shape_of_fields(body, needs_max_tokens) {
        return Some(Problem::invalid(problem));
    }
    let max_tokens = object.get("max_tokens").and_then(Value::as_i64);
    let messages = object.get("messages").and_then(Value::as_array)?;
    let sampling_removed = version >= SAMPLING_REMOVED_IN;
    params::extra_field(object, needs_max_tokens, sampling_removed)
        .or_else(|| params::sampling(object))
        .or_else(|| params::thinking(object, max_tokens))
        .or_else(|| params::tool_names(object))
        .or_else(|| content::tool_pairing(messages))
        .or_else(|| content::images(messages))
        .or_else(|| {
            sampling_removed
                .then(|| content::removed_in_2026(messages, version))
                .flatten()
        })
        .or_else(|| decode_problem(body, needs_max_tokens).map(Problem::invalid))
}

/// The required fields and their types, as the API would name a problem.
fn shape_of_fields(body: &Value, needs_max_tokens: bool) -> Option<String> {
    let object = body.as_object()?;
    match object.get("model") {
        None => return Some("model: Field required".to_owned()),
        Some(Value::String(_)) => {}
        Some(_) => return Some("model: Input should be a valid string".to_owned()),
    }
    if needs_max_tokens {
        match object.get("max_tokens") {
            None => return Some("max_tokens: Field required".to_owned()),
            Some(value) => match value.as_i64() {
                None => return Some("max_tokens: Input should be a valid integer".to_owned()),
                Some(n) if n < 1 => {
                    return Some(
                        "max_tokens: Input should be greater than or equal to 1".to_owned(),
                    );
                }
                Some(_) => {}
            },
        }
    }
    let messages = match object.get("messages") {
        None => return Some("messages: Field required".to_owned()),
        Some(Value::Array(messages)) => messages,
        Some(_) => return Some("messages: Input should be a valid list".to_owned()),
    };
    if messages.is_empty() {
        return Some("messages: at least one message is required".to_owned());
    }
    let last = messages.len() - 1;
    for (i, turn) in messages.iter().enumerate() {
        let Some(turn) = turn.as_object() else {
            return Some(format!(
                "messages.{i}: Input should be a valid dictionary or object"
            ));
        };
        let role = turn.get("role").and_then(Value::as_str);
        match role {
            None if !turn.contains_key("role") => {
                return Some(format!("messages.{i}.role: Field required"));
            }
            Some("user" | "assistant" | "system") => {}
            _ => {
                return Some(format!(
                    "messages.{i}.role: Input should be 'user', 'assistant' or 'system'"
                ));
            }
        }
        if role != Some("system") && turn.contains_key("clear_at") {
            return Some(format!(
                "messages.{i}.clear_at: only permitted on `role: \"system\"` messages"
            ));
        }
        let empty = match turn.get("content") {
            // A system turn may carry only per-turn `output_config`.
            None if role == Some("system") && turn.contains_key("output_config") => continue,
            None if role == Some("system") => {
                return Some(format!(
                    "messages.{i}: a system message needs `content` or `output_config`"
                ));
            }
            None => return Some(format!("messages.{i}.content: Field required")),
            Some(Value::String(text)) => text.is_empty(),
            Some(Value::Array(blocks)) => blocks.is_empty(),
            Some(_) => {
                return Some(format!(
                    "messages.{i}.content: Input should be a valid string or list"
                ));
            }
        };
        if empty && !(i == last && role == Some("assistant")) {
            return Some(format!(
                "messages.{i}: all messages must have non-empty content except for the optional final assistant message"
            ));
        }
    }
    if object
        .get("stream")
        .is_some_and(|stream| !stream.is_boolean())
    {
        return Some("stream: Input should be a valid boolean".to_owned());
    }
    None
}

/// Anything else the data model rejects (a malformed block, say).
fn decode_problem(body: &Value, needs_max_tokens: bool) -> Option<String> {
    let decoded = if needs_max_tokens {
        serde_json::from_value::<CreateMessageRequest>(body.clone()).err()
    } else {
        serde_json::from_value::<CountTokensRequest>(body.clone()).err()
    };
    decoded.map(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_problem() {
        let ok =
            json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]});
        assert_eq!(shape_problem(&ok, true, LATEST_VERSION), None);
        let cases = [
            (
                json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}),
                "max_tokens: Field required",
            ),
            (
                json!({"model": "m", "max_tokens": 0, "messages": [{"role": "user", "content": "hi"}]}),
                "max_tokens: Input should be greater than or equal to 1",
            ),
            (
                json!({"model": "m", "max_tokens": 5, "messages": []}),
                "messages: at least one message is required",
            ),
            (
                json!({"model": "m", "max_tokens": 5, "messages": [{"role": "developer", "content": "x"}]}),
                "messages.0.role: Input should be 'user', 'assistant' or 'system'",
            ),
            (
                json!({"model": "m", "max_tokens": 5, "messages": [
                    {"role": "user", "content": "x"}, {"role": "system"}]}),
                "messages.1: a system message needs `content` or `output_config`",
            ),
            (
                json!({"model": "m", "max_tokens": 5, "messages": [
                    {"role": "user", "content": "x", "clear_at": "never"}]}),
                "messages.0.clear_at: only permitted on `role: \"system\"` messages",
            ),
            (
                json!({"max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}),
                "model: Field required",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(
                shape_problem(&body, true, LATEST_VERSION)
                    .map(|p| p.message)
                    .as_deref(),
                Some(expected)
            );
        }
        // A final empty assistant turn (prefill) and same-role turns are fine.
        let fine = json!({"model": "m", "max_tokens": 5, "messages": [
            {"role": "user", "content": "a"}, {"role": "user", "content": "b"},
            {"role": "assistant", "content": ""}]});
        assert_eq!(shape_problem(&fine, true, LATEST_VERSION), None);
        // System turns among the messages, with content or only output_config.
        let system = json!({"model": "m", "max_tokens": 5, "messages": [
            {"role": "system", "content": "Be brief.", "clear_at": "next_user_message"},
            {"role": "user", "content": "a"},
            {"role": "system", "output_config": {"effort": "low"}}]});
        assert_eq!(shape_problem(&system, true, LATEST_VERSION), None);
        assert_eq!(decode_problem(&system, true), None);
    }
}
