//! `/v1/sessions`: create (with resources and initial events), retrieve,
//! update, list (both ways, by status, agent, time), archive, delete; the
//! routes of a session's [`resources`] and [`threads`].

use http::Method;
use serde_json::{Map, Value, json};

use super::page::Cursor;
use super::resources::new_resource;
use super::{
    Call, archive_once, events, invalid, listed, merge_metadata, missing, ok, required_str,
    resources, threads, updated, work,
};
use crate::agent_store::{Session, Store, Waiting, now};
use crate::response::MockResponse;

/// The fields of an agent its session keeps (a snapshot at creation).
const SNAPSHOT: [&str; 11] = [
    "id",
    "description",
    "execution_identity",
    "mcp_servers",
    "model",
    "multiagent",
    "name",
    "skills",
    "system",
    "tools",
    "type",
];

/// Routes `segments` (after `sessions`).
pub(super) fn handle(call: &Call<'_>, method: &Method, segments: &[&str]) -> Option<MockResponse> {
    Some(match (method, segments) {
        (&Method::POST, []) => create(call),
        (&Method::GET, []) => list(call),
        (&Method::GET, [id]) => retrieve(call, id),
        (&Method::POST, [id]) => update(call, id),
        (&Method::DELETE, [id]) => delete(call, id),
        (&Method::POST, [id, "archive"]) => archive(call, id),
        (&Method::POST, [id, "resources"]) => resources::add_resource(call, id),
        (&Method::GET, [id, "resources"]) => resources::list_resources(call, id),
        (&Method::GET, [id, "resources", r]) => resources::resource(call, id, r, None),
        (&Method::POST, [id, "resources", r]) => {
            resources::resource(call, id, r, Some(Method::POST))
        }
        (&Method::DELETE, [id, "resources", r]) => {
            resources::resource(call, id, r, Some(Method::DELETE))
        }
        (&Method::GET, [id, "threads"]) => threads::list_threads(call, id),
        (&Method::GET, [id, "threads", t]) => threads::thread(call, id, t, false),
        (&Method::POST, [id, "threads", t, "archive"]) => threads::thread(call, id, t, true),
        _ => return None,
    })
}

/// The agent a session names (`"agent_..."` or `{"id", "version"}`), as
/// the session's snapshot of it.
fn snapshot(store: &mut Store, reference: &Value) -> Result<Value, Box<MockResponse>> {
    let (id, version) = match reference {
        Value::String(id) => (id.as_str(), None),
        Value::Object(map) => match map.get("id").and_then(Value::as_str) {
            Some(id) => (id, map.get("version").and_then(Value::as_u64)),
            None => return Err(Box::new(invalid("agent.id: Field required"))),
        },
        _ => {
            return Err(Box::new(invalid(
                "agent: Input should be an agent id or {\"id\", \"version\"}",
            )));
        }
    };
    let Some(agent) = store.agent_mut(id) else {
        return Err(Box::new(invalid(format!("agent: no agent with id {id}"))));
    };
    let chosen = match version {
        None => agent.current(),
        Some(v) => match usize::try_from(v)
            .ok()
            .and_then(|v| v.checked_sub(1))
            .and_then(|i| agent.versions.get(i))
        {
            Some(found) => found,
            None => {
                return Err(Box::new(invalid(format!(
                    "agent.version: agent {id} has no version {v}"
                ))));
            }
        },
    };
    let mut snapshot = Map::new();
    for field in SNAPSHOT.iter().chain(&["version"]) {
        snapshot.insert((*field).into(), chosen[*field].clone());
    }
    Ok(Value::Object(snapshot))
}
fn create(call: &Call<'_>) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    let environment_id = match required_str(&body, "environment_id") {
        Ok(id) => id.to_owned(),
        Err(failure) => return *failure,
    };
    let Some(reference) = body.get("agent") else {
        return invalid("agent: Field required");
    };
    let mut metadata = json!({});
    if let Err(failure) = merge_metadata(&mut metadata, body.get("metadata")) {
        return *failure;
    }
    let bedrock = call.request.platform == crate::vocab::Platform::BedrockControlPlane;
    call.with(|store| {
        let agent = match snapshot(store, reference) {
            Ok(agent) => agent,
            Err(failure) => return *failure,
        };
        let self_hosted = match store.environment_mut(&environment_id) {
            Some(env) => env.json["config"]["type"] == "self_hosted",
            None => {
                return invalid(format!(
                    "environment_id: no environment with id {environment_id}"
                ));
            }
        };
        let given = body
            .get("resources")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut resources = Vec::new();
        for resource in &given {
            match new_resource(store, resource) {
                Ok(resource) => resources.push(resource),
                Err(failure) => return *failure,
            }
        }
        let id = store.id("sesn");
        let at = now();
        let mut session = json!({
            "id": id,
            "agent": agent,
            "archived_at": null,
            "budget": body.get("budget").cloned().unwrap_or(Value::Null),
            "created_at": at,
            "environment_id": environment_id,
            "metadata": metadata,
            "outcome_evaluations": [],
            "resources": resources,
            "stats": {"active_seconds": 0.0, "duration_seconds": 0.0},
            "status": "idle",
            "title": body.get("title").cloned().unwrap_or(Value::Null),
            "type": "session",
            "updated_at": at,
            "usage": {"input_tokens": 0, "output_tokens": 0, "cache_read_input_tokens": 0},
            "vault_ids": body.get("vault_ids").cloned().unwrap_or(json!([])),
            "deployment_id": null,
        });
        if bedrock {
            // Bedrock's sessions run in a working directory, as an AWS
            // execution identity when one is given.
            let directory = body.get("working_directory").cloned();
            session["working_directory"] = directory.unwrap_or(json!("/workspace"));
            if let Some(identity) = body.get("execution_identity") {
                session["execution_identity"] = identity.clone();
            }
        }
        let thread = json!({
            "id": store.id("sthr"),
            "agent": agent,
            "archived_at": null,
            "created_at": at,
            "parent_thread_id": null,
            "session_id": id,
            "stats": null,
            "status": "idle",
            "type": "session_thread",
            "updated_at": at,
            "usage": null,
            "workflow_run_id": null,
        });
        store.sessions.push(Session {
            json: session,
            thread,
            events: Vec::new(),
            waiting: Waiting::Nothing,
            subscribers: Vec::new(),
        });
        if self_hosted {
            work::enqueue(store, &environment_id, &id);
        }
        if let Some(initial) = body.get("initial_events") {
            let index = store.sessions.len() - 1;
            if let Err(failure) = events::accept(store, index, initial) {
                store.sessions.pop();
                return *failure;
            }
        }
        ok(&store.sessions[store.sessions.len() - 1].json)
    })
}

fn retrieve(call: &Call<'_>, id: &str) -> MockResponse {
    call.with(|store| match store.session_mut(id) {
        Some(session) => ok(&session.json),
        None => missing("Session", id),
    })
}

fn update(call: &Call<'_>, id: &str) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    call.with(|store| {
        let agent = match body.get("agent").map(|a| snapshot(store, a)).transpose() {
            Ok(agent) => agent,
            Err(failure) => return *failure,
        };
        let Some(session) = store.session_mut(id) else {
            return missing("Session", id);
        };
        let mut next = match updated(&session.json, &body, &["title", "budget", "vault_ids"]) {
            Ok(next) => next,
            Err(failure) => return *failure,
        };
        if let Some(agent) = agent {
            next["agent"] = agent;
        }
        session.json = next;
        ok(&session.json)
    })
}

fn archive(call: &Call<'_>, id: &str) -> MockResponse {
    call.with(|store| {
        let Some(session) = store.session_mut(id) else {
            return missing("Session", id);
        };
        archive_once(&mut session.json);
        ok(&session.json)
    })
}

fn delete(call: &Call<'_>, id: &str) -> MockResponse {
    call.with(|store| {
        let before = store.sessions.len();
        // Dropping the session ends its open streams.
        store.sessions.retain(|s| s.json["id"] != id);
        if store.sessions.len() == before {
            return missing("Session", id);
        }
        ok(&json!({"id": id, "type": "session_deleted"}))
    })
}

fn list(call: &Call<'_>) -> MockResponse {
    let range = match call.query.created_at() {
        Ok(range) => range,
        Err(problem) => return invalid(problem),
    };
    let query = call.query;
    let statuses = query.all("statuses");
    let archived = query.flag("include_archived");
    let ascending = match query.get("order") {
        None | Some("desc") => false,
        Some("asc") => true,
        Some(other) => return invalid(format!("order: {other:?} is not 'asc' or 'desc'")),
    };
    let mut items: Vec<(String, Value)> = call.with(|store| {
        store
            .sessions
            .iter()
            .map(|s| &s.json)
            .filter(|s| archived || s["archived_at"].is_null())
            .filter(|s| statuses.is_empty() || statuses.iter().any(|st| s["status"] == *st))
            .filter(|s| query.get("agent_id").is_none_or(|a| s["agent"]["id"] == a))
            .filter(|s| {
                query
                    .get("agent_version")
                    .is_none_or(|v| v.parse::<u64>().ok() == s["agent"]["version"].as_u64())
            })
            .filter(|s| {
                query
                    .get("deployment_id")
                    .is_none_or(|d| s["deployment_id"] == d)
            })
            .filter(|s| {
                query.get("memory_store_id").is_none_or(|m| {
                    let mut resources = s["resources"].as_array().into_iter().flatten();
                    resources.any(|r| r["memory_store_id"] == m)
                })
            })
            .filter(|s| range.contains(s["created_at"].as_str().unwrap_or_default()))
            .map(|s| (s["id"].as_str().unwrap_or_default().to_owned(), s.clone()))
            .collect()
    });
    if !ascending {
        items.reverse();
    }
    listed(items, query, Cursor::Bidirectional)
}
