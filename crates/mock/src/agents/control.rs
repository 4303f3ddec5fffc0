//! Managed Agents in the mock's own API: for tests in Rust (the
//! `MockServer` methods call these functions) and in any language (control
//! routes under `/_mock`):
//!
//! | Request | Does |
//! |---|---|
//! | `POST /_mock/streams/cut` | cuts the next session or thread stream connection: `{"after_events": N, "mid_frame": bool}` |
//! | `GET /_mock/environments/{id}/key` | the key a self-hosted environment's workers present: `{"key": ..}` |
//! | `POST /_mock/agent_replies` | queues the scripted agent's next reply: `{"text": ..}` |
//! | `POST /_mock/agent_tool_calls` | queues the custom tool calls of the scripted agent's next turn, made at once: `{"calls": [{"name": .., "session_thread_id": ..}]}` (the thread optional) |

use http::Method;
use serde_json::{Value, json};

use super::{invalid, not_found};
use crate::agent_store::{StreamCut, ToolCall};
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::state::State;

/// Answers a control request of Managed Agents; `None` for the others.
pub(crate) fn handle(
    state: &State,
    segments: &[&str],
    request: &RecordedRequest,
) -> Option<MockResponse> {
    let body = request.json.as_ref();
    Some(match (&request.method, segments) {
        (&Method::POST, ["streams", "cut"]) => {
            let after = body
                .and_then(|b| b.get("after_events"))
                .and_then(Value::as_u64);
            let Some(after_events) = after.and_then(|n| usize::try_from(n).ok()) else {
                return Some(invalid(
                    "claude-rs-mock streams/cut: give \"after_events\" (a number) and optionally \"mid_frame\" (a boolean)",
                ));
            };
            let mid_frame = body
                .and_then(|b| b.get("mid_frame"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let cut = StreamCut {
                after_events,
                mid_frame,
            };
            let mut inner = state.lock();
            inner.agents.cuts.push_back(cut);
            MockResponse::json(json!({"queued_cuts": inner.agents.cuts.len()}))
        }
        (&Method::GET, ["environments", id, "key"]) => match environment_key(state, id) {
            Some(key) => MockResponse::json(json!({"key": key})),
            None => not_found(format!("Environment not found: {id}")),
        },
        (&Method::POST, ["agent_replies"]) => {
            let Some(text) = body.and_then(|b| b.get("text")).and_then(Value::as_str) else {
                return Some(invalid("claude-rs-mock agent_replies: give \"text\""));
            };
            let queued = enqueue_reply(state, text.to_owned());
            MockResponse::json(json!({"queued_replies": queued}))
        }
        (&Method::POST, ["agent_tool_calls"]) => {
            let calls = body
                .and_then(|b| b.get("calls"))
                .and_then(Value::as_array)
                .map(|calls| calls.iter().map(tool_call).collect::<Option<Vec<_>>>());
            let Some(Some(calls)) = calls.filter(|c| c.as_ref().is_some_and(|c| !c.is_empty()))
            else {
                return Some(invalid(
                    "claude-rs-mock agent_tool_calls: give \"calls\", a non-empty list of {\"name\": .., \"session_thread_id\": ..} (the thread optional)",
                ));
            };
            let queued = enqueue_tool_calls(state, calls);
            MockResponse::json(json!({"queued_turns": queued}))
        }
        _ => return None,
    })
}

/// One call of `POST /_mock/agent_tool_calls`; `None` when malformed.
fn tool_call(call: &Value) -> Option<ToolCall> {
    let name = call.get("name")?.as_str()?.to_owned();
    let thread = match call.get("session_thread_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(thread)) => Some(thread.clone()),
        Some(_) => return None,
    };
    Some(ToolCall { name, thread })
}

/// Queues the custom tool calls of one coming turn of the scripted agent.
pub(crate) fn enqueue_tool_calls(state: &State, calls: Vec<ToolCall>) -> usize {
    let mut inner = state.lock();
    inner.agents.tool_calls.push_back(calls);
    inner.agents.tool_calls.len()
}

pub(crate) fn environment_key(state: &State, id: &str) -> Option<String> {
    let mut inner = state.lock();
    inner.agents.environment_mut(id).map(|e| e.key.clone())
}

/// Queues a cut for the next stream connection.
pub(crate) fn cut_next_stream(state: &State, cut: StreamCut) -> usize {
    let mut inner = state.lock();
    inner.agents.cuts.push_back(cut);
    inner.agents.cuts.len()
}

/// Queues the scripted agent's next plain reply.
pub(crate) fn enqueue_reply(state: &State, text: String) -> usize {
    let mut inner = state.lock();
    inner.agents.replies.push_back(text);
    inner.agents.replies.len()
}
