//! `count_tokens` (the Messages reply itself is the echo of [`crate::echo`]).

use serde_json::{Value, json};

use crate::echo;
use crate::record::RecordedRequest;
use crate::response::MockResponse;

/// `{"input_tokens": N}`, with the same count the Messages reply reports
/// in `usage.input_tokens` for the same conversation.
pub(crate) fn count_tokens(request: &RecordedRequest) -> MockResponse {
    let body = request.json.as_ref().unwrap_or(&Value::Null);
    MockResponse::json(json!({"input_tokens": echo::input_tokens(body)}))
}
