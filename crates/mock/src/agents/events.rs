//! A session's events: `POST .../events` (the user's, each persisted with
//! an id and `processed_at`, then answered by the scripted agent),
//! the history `GET .../events` (and a thread's), and the streams. How one
//! event is persisted is [`super::history`]'s job.

use http::Method;
use serde_json::{Value, json};

use super::history::persist;
use super::page::Cursor;
use super::{Call, invalid, listed, missing, ok, stream, turn};
use crate::agent_store::Store;
use crate::response::MockResponse;

/// The events a client may send.
const USER_EVENTS: [&str; 7] = [
    "user.message",
    "user.interrupt",
    "user.tool_confirmation",
    "user.custom_tool_result",
    "user.define_outcome",
    "user.tool_result",
    "system.message",
];

/// Routes `segments` (after `sessions`) of the events endpoints.
pub(super) fn handle(call: &Call<'_>, method: &Method, segments: &[&str]) -> Option<MockResponse> {
    Some(match (method, segments) {
        (&Method::POST, [id, "events"]) => send(call, id),
        (&Method::GET, [id, "events"]) => history(call, id, None),
        (&Method::GET, [id, "threads", t, "events"]) => history(call, id, Some(t)),
        _ => return None,
    })
}

/// Routes `segments` (after `sessions`) of the stream endpoints.
pub(super) fn stream(call: &Call<'_>, method: &Method, segments: &[&str]) -> Option<MockResponse> {
    let (id, thread) = match (method, segments) {
        (&Method::GET, [id, "events", "stream"]) => (*id, None),
        (&Method::GET, [id, "threads", t, "stream"]) => (*id, Some(*t)),
        _ => return None,
    };
    let deltas = call.query.all("event_deltas").contains(&"agent.message");
    if let Some(thread) = thread {
        let known = call.with(|store| store.session_mut(id).map(|s| s.thread["id"] == thread));
        if known == Some(false) {
            return Some(missing("Session thread", thread));
        }
    }
    Some(stream::open(call.state, id, deltas).unwrap_or_else(|| missing("Session", id)))
}

fn send(call: &Call<'_>, id: &str) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    let Some(events) = body.get("events") else {
        return invalid("events: Field required");
    };
    call.with(|store| {
        let Some(index) = store.sessions.iter().position(|s| s.json["id"] == id) else {
            return missing("Session", id);
        };
        if store.sessions[index].json["archived_at"].is_string() {
            return invalid(format!("Session {id} is archived: it takes no more events"));
        }
        match accept(store, index, events) {
            Ok(persisted) => ok(&json!({"data": persisted})),
            Err(failure) => *failure,
        }
    })
}

/// Persists the user's `events` (all checked first: nothing is kept if
/// one is wrong) and lets the scripted agent answer each; returns them
/// as persisted.
pub(super) fn accept(
    store: &mut Store,
    index: usize,
    events: &Value,
) -> Result<Vec<Value>, Box<MockResponse>> {
    let Some(events) = events.as_array().filter(|e| !e.is_empty()) else {
        return Err(Box::new(invalid(
            "events: Input should be a non-empty list",
        )));
    };
    let mut checked = Vec::new();
    for (at, event) in events.iter().enumerate() {
        let Some(map) = event.as_object() else {
            return Err(Box::new(invalid(format!(
                "events.{at}: Input should be an object"
            ))));
        };
        let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
        if !USER_EVENTS.contains(&kind) {
            return Err(Box::new(invalid(format!(
                "events.{at}.type: {kind:?} is not one of {}",
                USER_EVENTS.join(", ")
            ))));
        }
        turn::check(&store.sessions[index], map)
            .map_err(|m| Box::new(invalid(format!("events.{at}: {m}"))))?;
        checked.push(map.clone());
    }
    let mut persisted = Vec::new();
    for event in checked {
        let kept = persist(store, index, event);
        persisted.push(kept.clone());
        turn::react(store, index, &kept);
    }
    Ok(persisted)
}

/// The history of a session (or of its thread): `order` (`asc` by
/// default), `types[]`, `created_at[...]` (on `processed_at`), pages.
fn history(call: &Call<'_>, id: &str, thread: Option<&str>) -> MockResponse {
    let query = call.query;
    let range = match query.created_at() {
        Ok(range) => range,
        Err(problem) => return invalid(problem),
    };
    let descending = match query.get("order") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => return invalid(format!("order: {other:?} is not 'asc' or 'desc'")),
    };
    let types = query.all("types");
    let items = call.with(|store| {
        let session = store.session_mut(id)?;
        if thread.is_some_and(|t| session.thread["id"] != t) {
            return Some(Err(Box::new(missing(
                "Session thread",
                thread.unwrap_or_default(),
            ))));
        }
        let mut items: Vec<(String, Value)> = session
            .events
            .iter()
            .filter(|e| types.is_empty() || types.iter().any(|t| e["type"] == *t))
            .filter(|e| range.contains(e["processed_at"].as_str().unwrap_or_default()))
            .map(|e| (e["id"].as_str().unwrap_or_default().to_owned(), e.clone()))
            .collect();
        if descending {
            items.reverse();
        }
        Some(Ok(items))
    });
    match items {
        None => missing("Session", id),
        Some(Err(failure)) => *failure,
        Some(Ok(items)) => listed(items, query, Cursor::Forward),
    }
}
