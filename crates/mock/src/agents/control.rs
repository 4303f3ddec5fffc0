//! Managed Agents in the mock's own API: for tests in Rust
//! ([`MockServer`] methods) and in any language (control routes under
//! `/_mock`):
//!
//! | Request | Does |
//! |---|---|
//! | `POST /_mock/streams/cut` | cuts the next session or thread stream connection: `{"after_events": N, "mid_frame": bool}` |
//! | `GET /_mock/environments/{id}/key` | the key a self-hosted environment's workers present: `{"key": ..}` |
//! | `POST /_mock/agent_replies` | queues the scripted agent's next reply: `{"text": ..}` |

use http::Method;
use serde_json::{Value, json};

use super::StreamCut;
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::routes::{invalid, not_found};
use crate::server::MockServer;
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
            let mut inner = state.lock();
            inner.agents.replies.push_back(text.to_owned());
            MockResponse::json(json!({"queued_replies": inner.agents.replies.len()}))
        }
        _ => return None,
    })
}

fn environment_key(state: &State, id: &str) -> Option<String> {
    let mut inner = state.lock();
    inner.agents.environment_mut(id).map(|e| e.key.clone())
}

impl MockServer {
    /// Cuts the next connection to a session's (or a thread's) event
    /// stream after `after_events` events: the connection closes there,
    /// after half of the next event's frame when `mid_frame`. That next
    /// event is persisted all the same, so it shows in the history
    /// (`GET /v1/sessions/{id}/events`) but this connection never delivers
    /// it. Cuts queue up, one per coming connection.
    pub fn cut_next_stream(&self, after_events: usize, mid_frame: bool) {
        let cut = StreamCut {
            after_events,
            mid_frame,
        };
        self.state().lock().agents.cuts.push_back(cut);
    }

    /// The key the workers of self-hosted environment `environment_id`
    /// present as `Authorization: Bearer` to its work queue; `None` for an
    /// unknown environment.
    pub fn environment_key(&self, environment_id: &str) -> Option<String> {
        environment_key(self.state(), environment_id)
    }

    /// Queues the text of the scripted agent's next plain reply (an
    /// `agent.message` answering a `user.message` when the agent calls no
    /// tool), instead of its default `You said: <text>`.
    pub fn enqueue_agent_reply(&self, text: impl Into<String>) {
        self.state().lock().agents.replies.push_back(text.into());
    }
}
