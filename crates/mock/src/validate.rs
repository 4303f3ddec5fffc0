//! The API's checks of a Messages (or count_tokens) request body.
//!
//! Only mistakes a client can really make are checked, with messages in
//! the API's style (`max_tokens: Field required`). Consecutive turns of the
//! same role, or a first turn by the assistant, are accepted, as the API
//! accepts them (it merges consecutive turns).

use claude_types::request::CountTokensRequest;
use claude_types::{CreateMessageRequest, ErrorType};
use serde_json::Value;

use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::response::error;
use crate::route::Route;

/// The error reply for an invalid request of `route`, `None` if it is fine
/// (or the route's body is not checked here).
pub(crate) fn check(route: Route, request: &RecordedRequest) -> Option<MockResponse> {
    let needs_max_tokens = match route {
        Route::Messages => true,
        Route::CountTokens => false,
        _ => return None,
    };
    let problem = match &request.json {
        None => Some(parse_problem(&request.body)),
        Some(body) => message_problem(body, needs_max_tokens),
    };
    problem.map(|message| error(ErrorType::InvalidRequest, message))
}

fn parse_problem(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Err(err) => format!("There was an error parsing the body of the request: {err}"),
        Ok(_) => "There was an error parsing the body of the request".to_owned(),
    }
}

/// The first problem of a request body, as the API would name it.
pub(crate) fn message_problem(body: &Value, needs_max_tokens: bool) -> Option<String> {
    let Some(object) = body.as_object() else {
        return Some("Input should be a valid dictionary or object".to_owned());
    };
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
            Some("user" | "assistant") => {}
            _ => {
                return Some(format!(
                    "messages.{i}.role: Input should be 'user' or 'assistant'"
                ));
            }
        }
        let empty = match turn.get("content") {
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
    // Anything else the data model rejects (a malformed block, say).
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
        assert_eq!(message_problem(&ok, true), None);
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
                json!({"model": "m", "max_tokens": 5, "messages": [{"role": "system", "content": "x"}]}),
                "messages.0.role: Input should be 'user' or 'assistant'",
            ),
            (
                json!({"max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}),
                "model: Field required",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(message_problem(&body, true).as_deref(), Some(expected));
        }
        // A final empty assistant turn (prefill) and same-role turns are fine.
        let fine = json!({"model": "m", "max_tokens": 5, "messages": [
            {"role": "user", "content": "a"}, {"role": "user", "content": "b"},
            {"role": "assistant", "content": ""}]});
        assert_eq!(message_problem(&fine, true), None);
    }
}
