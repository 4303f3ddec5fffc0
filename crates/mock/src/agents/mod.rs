//! Managed Agents, with behaviour where its semantics matter: agents and
//! their versions, environments, sessions with a scripted agent, event
//! history and live streams (with cuts on demand), and the work queue of
//! self-hosted environments.
//!
//! One file per job: [`agent`], [`environments`], [`sessions`],
//! [`resources`], [`threads`], [`events`] (send, history), [`history`] (persisting one event),
//! [`turn`] (what the scripted agent does), [`stream`] (the SSE streams),
//! [`work`] (the queue and its lease), [`page`] and [`query`] (lists).

mod agent;
pub(crate) mod control;
mod environments;
mod events;
mod history;
mod page;
mod query;
mod resources;
mod sessions;
mod stream;
mod threads;
mod turn;
pub(crate) mod work;

use std::sync::Arc;

use claude_rs_types::error::ErrorType;
use http::StatusCode;
use serde_json::{Map, Value, json};

use crate::agent_store::{Store, now};
use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};
use crate::route::Route;
use crate::state::State;

/// Answers a Managed Agents call; `path` is the path after `/v1/`.
pub(crate) fn handle(
    state: &Arc<State>,
    route: Route,
    path: &str,
    request: &RecordedRequest,
) -> MockResponse {
    if let Some(refused) = crate::beta::refusal(request, path.split('/').next().unwrap_or_default())
    {
        return refused;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let query = crate::query::Query::parse(request.query.as_deref());
    let call = Call {
        state,
        request,
        query: &query,
    };
    let method = &request.method;
    let answer = match route {
        Route::Agents => agent::handle(&call, method, &segments[1..]),
        Route::Environments => environments::handle(&call, method, &segments[1..]),
        Route::EnvironmentWork => work::handle(&call, method, &segments[1..]),
        Route::Sessions => sessions::handle(&call, method, &segments[1..]),
        Route::SessionEvents => events::handle(&call, method, &segments[1..]),
        Route::SessionStream => events::stream(&call, method, &segments[1..]),
        _ => None,
    };
    answer.unwrap_or_else(|| not_found(format!("claude-rs-mock serves no {method} /v1/{path}")))
}

/// One call: the server's state, the request and its query.
pub(crate) struct Call<'a> {
    pub(crate) state: &'a Arc<State>,
    pub(crate) request: &'a RecordedRequest,
    pub(crate) query: &'a crate::query::Query,
}

impl Call<'_> {
    /// The JSON object body (an empty one when there is no body).
    pub(crate) fn body(&self) -> Result<Map<String, Value>, Box<MockResponse>> {
        match &self.request.json {
            Some(Value::Object(map)) => Ok(map.clone()),
            None if self.request.body.is_empty() => Ok(Map::new()),
            _ => Err(Box::new(invalid("The request body must be a JSON object"))),
        }
    }

    /// The store, locked.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        f(&mut self.state.lock().agents)
    }
}

/// A JSON reply.
pub(crate) fn ok(value: &Value) -> MockResponse {
    MockResponse::raw("application/json", crate::wire::to_vec(value))
}

/// A 400 `invalid_request_error`.
pub(crate) fn invalid(message: impl Into<String>) -> MockResponse {
    error(ErrorType::InvalidRequest, message)
}

/// A 404 `not_found_error`.
pub(crate) fn not_found(message: impl Into<String>) -> MockResponse {
    error(ErrorType::NotFound, message)
}

/// A list reply, or the 400 its query deserves.
pub(crate) fn listed(
    items: Vec<(String, Value)>,
    query: &crate::query::Query,
    cursor: page::Cursor,
) -> MockResponse {
    match page::page(items, query, cursor) {
        Ok(page) => ok(&page),
        Err(problem) => invalid(problem),
    }
}

/// A 404 for a missing resource.
pub(crate) fn missing(kind: &str, id: &str) -> MockResponse {
    not_found(format!("{kind} not found: {id}"))
}

/// A 409 `conflict_error`.
pub(crate) fn conflict(message: impl Into<String>) -> MockResponse {
    MockResponse::error(StatusCode::CONFLICT, ErrorType::Conflict, message)
}

/// `current` updated by `body` as the API's `POST /{id}` updates do:
/// `metadata` merged, each of `fields` the body sets copied, `updated_at`
/// now. On a refused body nothing changes.
pub(crate) fn updated(
    current: &Value,
    body: &Map<String, Value>,
    fields: &[&str],
) -> Result<Value, Box<MockResponse>> {
    let mut next = current.clone();
    merge_metadata(&mut next["metadata"], body.get("metadata"))?;
    for &name in fields {
        if let Some(value) = body.get(name) {
            next[name] = value.clone();
        }
    }
    next["updated_at"] = json!(now());
    Ok(next)
}

/// Archives `object` (sets `archived_at`) unless it already is.
pub(crate) fn archive_once(object: &mut Value) {
    if object["archived_at"].is_null() {
        object["archived_at"] = json!(now());
    }
}

/// `metadata` merged into `target`: a key set to `null` or `""` is removed.
pub(crate) fn merge_metadata(
    target: &mut Value,
    patch: Option<&Value>,
) -> Result<(), Box<MockResponse>> {
    let Some(patch) = patch else { return Ok(()) };
    let Some(patch) = patch.as_object() else {
        return Err(Box::new(invalid(
            "metadata: Input should be an object of strings",
        )));
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Some(map) = target.as_object_mut() else {
        return Ok(());
    };
    for (key, value) in patch {
        match value {
            Value::Null => {
                map.remove(key);
            }
            Value::String(s) if s.is_empty() => {
                map.remove(key);
            }
            Value::String(_) => {
                map.insert(key.clone(), value.clone());
            }
            _ => {
                return Err(Box::new(invalid(format!(
                    "metadata.{key}: Input should be a string"
                ))));
            }
        }
    }
    Ok(())
}

/// A required string field of a body.
pub(crate) fn required_str<'b>(
    body: &'b Map<String, Value>,
    name: &str,
) -> Result<&'b str, Box<MockResponse>> {
    match body.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(Box::new(invalid(format!(
            "{name}: Input should be a non-empty string"
        )))),
        None => Err(Box::new(invalid(format!("{name}: Field required")))),
    }
}
