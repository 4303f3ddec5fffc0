//! The control API: scripting and inspecting the mock over HTTP, under
//! [`PREFIX`], so tests in any language can use it.
//!
//! | Request | Does |
//! |---|---|
//! | `GET /_mock` | the state: queued replies per route, rules, requests |
//! | `POST /_mock/script` | loads a JSON script (replies and fault rules) |
//! | `GET /_mock/requests[?route=NAME]` | the recorded requests |
//! | `POST /_mock/reset` | forgets requests, replies, handlers and rules |
//! | `POST /_mock/batches/{id}/end` | ends a batch now |
//! | `POST /_mock/rate_limits` | sets the rate limits: `{"requests", "input_tokens", "output_tokens", "window_ms", "enforce"}` |
//! | `POST /_mock/files` | adds a downloadable file, as a tool would make it: `{"filename", "mime_type", "content"}` |
//! | `POST /_mock/streams/cut`, `GET /_mock/environments/{id}/key`, `POST /_mock/agent_replies` | Managed Agents: see `agents::control` |
//!
//! Control requests are not recorded, not authenticated and never faulted.

use http::Method;
use serde_json::{Value, json};

use crate::record::{RecordedRequest, query_param};
use crate::response::{MockResponse, error};
use crate::route::Route;
use crate::state::State;
use crate::{routes, script};
use claude_rs_types::error::ErrorType;

/// The path prefix reserved for the control API.
pub(crate) const PREFIX: &str = "/_mock";

/// Whether a path belongs to the control API.
pub(crate) fn is_control(path: &str) -> bool {
    path == PREFIX || path.starts_with("/_mock/")
}

/// Answers one control request.
pub(crate) fn handle(state: &State, request: &RecordedRequest) -> MockResponse {
    let path = request.path.trim_end_matches('/');
    let rest = path.strip_prefix(PREFIX).unwrap_or_default();
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(reply) = crate::agents::control::handle(state, &segments, request) {
        return reply;
    }
    match (&request.method, segments.as_slice()) {
        (&Method::GET, []) => status(state),
        (&Method::POST, ["script"]) => {
            let text = String::from_utf8_lossy(&request.body);
            match script::parse(&text) {
                Ok(script) => {
                    state.load(script);
                    status(state)
                }
                Err(err) => routes::invalid(format!("claude-rs-mock script: {err}")),
            }
        }
        (&Method::GET, ["requests"]) => {
            let route = query_param(request.query.as_deref(), "route");
            let inner = state.lock();
            let data: Vec<Value> = inner
                .requests
                .iter()
                .filter(|r| route.is_none_or(|name| r.route.map(Route::name) == Some(name)))
                .map(RecordedRequest::to_json)
                .collect();
            MockResponse::json(json!({ "data": data }))
        }
        (&Method::POST, ["reset"]) => {
            state.reset();
            status(state)
        }
        (&Method::POST, ["batches", id, "end"]) => {
            if routes::batches::end(state, id) {
                MockResponse::json(json!({"id": id, "ended": true}))
            } else {
                routes::not_found(format!("Message Batch not found: {id}"))
            }
        }
        (&Method::POST, ["files"]) => generated_file(state, request),
        (&Method::POST, ["rate_limits"]) => rate_limits(state, request),
        (method, _) => error(
            ErrorType::NotFound,
            format!(
                "claude-rs-mock control API has no {method} {}; see GET /_mock, POST /_mock/script, \
                 GET /_mock/requests, POST /_mock/reset, POST /_mock/batches/{{id}}/end, \
                 POST /_mock/files, POST /_mock/rate_limits, POST /_mock/streams/cut, \
                 GET /_mock/environments/{{id}}/key, POST /_mock/agent_replies",
                request.path
            ),
        ),
    }
}

/// `POST /_mock/files`: `{"filename": .., "mime_type": .., "content": "text"}`.
fn generated_file(state: &State, request: &RecordedRequest) -> MockResponse {
    let body = request.json.as_ref();
    let text = |key: &str| body.and_then(|b| b.get(key)).and_then(Value::as_str);
    let (Some(filename), Some(content)) = (text("filename"), text("content")) else {
        return routes::invalid(
            "claude-rs-mock files: give \"filename\" and \"content\" (text), and optionally \"mime_type\"",
        );
    };
    let mime_type = text("mime_type").unwrap_or("text/plain");
    let bytes = bytes::Bytes::copy_from_slice(content.as_bytes());
    routes::typed_json(&routes::files::add_made(state, filename, mime_type, bytes))
}

/// `POST /_mock/rate_limits`: numbers default to the current limits.
fn rate_limits(state: &State, request: &RecordedRequest) -> MockResponse {
    let body = request.json.as_ref();
    let number = |key: &str| body.and_then(|b| b.get(key)).and_then(Value::as_u64);
    let mut limits = state.lock().rate_limits;
    limits.requests = number("requests").unwrap_or(limits.requests);
    limits.input_tokens = number("input_tokens").unwrap_or(limits.input_tokens);
    limits.output_tokens = number("output_tokens").unwrap_or(limits.output_tokens);
    if let Some(ms) = number("window_ms") {
        limits = limits.window(std::time::Duration::from_millis(ms));
    }
    if let Some(enforce) = body.and_then(|b| b.get("enforce")).and_then(Value::as_bool) {
        limits.enforce = enforce;
    }
    state.set_rate_limits(limits);
    MockResponse::json(json!({
        "requests": limits.requests,
        "input_tokens": limits.input_tokens,
        "output_tokens": limits.output_tokens,
        "window_ms": u64::try_from(limits.window.as_millis()).unwrap_or(u64::MAX),
        "enforce": limits.enforce,
    }))
}

/// `GET /_mock`: what is queued and recorded.
fn status(state: &State) -> MockResponse {
    let inner = state.lock();
    let queued: serde_json::Map<String, Value> = inner
        .queues
        .iter()
        .filter(|(_, queue)| !queue.is_empty())
        .map(|(route, queue)| (route.name().to_owned(), json!(queue.len())))
        .collect();
    MockResponse::json(json!({
        "base_url": state.base_url,
        "queued": queued,
        "fault_rules": inner.rules.len(),
        "requests": inner.requests.len(),
    }))
}
