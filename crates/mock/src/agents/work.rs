//! The work queue of a self-hosted environment: each session created on
//! it queues a work item. Workers present the environment's key as
//! `Authorization: Bearer` on list, poll, ack and heartbeat (a Claude API
//! key is refused there).
//!
//! * `poll` hands out a `queued` item not handed out in the last
//!   `reclaim_older_than_ms` (5000 by default), with its `secret`; with
//!   `block_ms` (1 to 999) it waits that long for one, else answers `null`.
//! * `ack` moves it to `starting`; the first `heartbeat` (with
//!   `expected_last_heartbeat: "NO_HEARTBEAT"`) to `active`; each heartbeat
//!   must echo the previous `last_heartbeat`, or gets 412
//!   `heartbeat_precondition_failed` with the lease as the mock holds it.
//! * `stop` moves it to `stopping`, or with `force` to `stopped`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use claude_rs_types::error::ErrorType;
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::page::Cursor;
use super::{Call, invalid, listed, merge_metadata, missing, ok};
use crate::agent_store::{Store, Work, now};
use crate::body::{LiveChunk, LiveSource};
use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};
use crate::state::State;

/// How long a lease lasts without heartbeats, unless a heartbeat asks.
const DEFAULT_TTL: u64 = 300;
/// How old an unacknowledged hand-out must be to be handed out again.
const DEFAULT_RECLAIM: u64 = 5000;
/// The `expected_last_heartbeat` of a first heartbeat.
const NO_HEARTBEAT: &str = "NO_HEARTBEAT";

/// Queues the work of session `session_id` on environment `environment_id`.
pub(crate) fn enqueue(store: &mut Store, environment_id: &str, session_id: &str) {
    let json = json!({
        "id": store.id("work"),
        "acknowledged_at": null,
        "created_at": now(),
        "data": {"id": session_id, "type": "session"},
        "environment_id": environment_id,
        "latest_heartbeat_at": null,
        "metadata": {},
        "secret": null,
        "started_at": null,
        "state": "queued",
        "stop_requested_at": null,
        "stopped_at": null,
        "type": "work",
    });
    store.work.push(Work {
        json,
        polled_at: None,
    });
}

/// Whether the request's bearer token is the key of a known environment
/// (such requests are checked here, not against the API key).
pub(crate) fn bears_environment_key(state: &State, request: &RecordedRequest) -> bool {
    let Some(token) = bearer(request) else {
        return false;
    };
    state
        .lock()
        .agents
        .environments
        .iter()
        .any(|e| e.key == token)
}

/// The sessions token of the work secrets of session `session`.
fn sessions_token(session: &str) -> String {
    format!("sesstok_mock_{session}")
}

/// Whether the request's bearer token is the sessions token of the session
/// its path addresses: a worker's calls for one work item, checked here, not
/// against the API key. That is the session's own calls
/// (`/v1/sessions/{id}` and below) and the heartbeats and stop of the work
/// item that runs it (`/v1/environments/{env}/work/{work}/heartbeat|stop`).
/// The token of one session opens no other session, and no other path.
pub(crate) fn bears_sessions_token(state: &State, request: &RecordedRequest) -> bool {
    let Some(token) = bearer(request) else {
        return false;
    };
    session_of(state, &request.path).is_some_and(|session| token == sessions_token(&session))
}

/// The session a sessions token must be for to call `path`, if any.
fn session_of(state: &State, path: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix("/v1/sessions/") {
        let session = rest.split('/').next().unwrap_or_default();
        return (!session.is_empty()).then(|| session.to_owned());
    }
    let segments: Vec<&str> = path.strip_prefix("/v1/environments/")?.split('/').collect();
    let [env, "work", work, "heartbeat" | "stop"] = segments[..] else {
        return None;
    };
    let inner = state.lock();
    let item = inner
        .agents
        .work
        .iter()
        .find(|w| w.json["id"] == work && w.json["environment_id"] == env)?;
    item.json["data"]["id"].as_str().map(str::to_owned)
}

fn bearer(request: &RecordedRequest) -> Option<&str> {
    request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// Routes `segments` (after `environments`).
pub(super) fn handle(call: &Call<'_>, method: &Method, segments: &[&str]) -> Option<MockResponse> {
    let [env, "work", rest @ ..] = segments else {
        return None;
    };
    let keyed = matches!(
        (method, rest),
        (&Method::GET, [] | ["poll"]) | (&Method::POST, [_, "ack" | "heartbeat"])
    );
    let known = call.with(|store| store.environment_mut(env).map(|e| e.key.clone()));
    let Some(key) = known else {
        return Some(missing("Environment", env));
    };
    // Of the keyed endpoints, a sessions token opens only its item's
    // heartbeat (`bears_sessions_token` knows the paths it opens).
    let own_token = || bears_sessions_token(call.state, call.request);
    if keyed
        && (bearer(call.request) != Some(key.as_str()) && !own_token()
            || call.request.header("x-api-key").is_some())
    {
        return Some(error(
            ErrorType::Authentication,
            "This endpoint takes the environment's key (or, for a work item's heartbeat, its sessions token) as `Authorization: Bearer`, and no API key",
        ));
    }
    Some(match (method, rest) {
        (&Method::GET, []) => list(call, env),
        (&Method::GET, ["poll"]) => poll(call, env),
        (&Method::GET, ["stats"]) => stats(call, env),
        (&Method::GET, [w]) => with_item(call, env, w, |_, item| Ok(item.json.clone())),
        (&Method::POST, [w]) => update(call, env, w),
        (&Method::POST, [w, "ack"]) => ack(call, env, w),
        (&Method::POST, [w, "heartbeat"]) => heartbeat(call, env, w),
        (&Method::POST, [w, "stop"]) => stop(call, env, w),
        _ => return None,
    })
}

/// Runs `f` on work item `id` of `env` and answers what it returns.
fn with_item(
    call: &Call<'_>,
    env: &str,
    id: &str,
    f: impl FnOnce(&Call<'_>, &mut Work) -> Result<Value, Box<MockResponse>>,
) -> MockResponse {
    let mut inner = call.state.lock();
    let found = inner
        .agents
        .work
        .iter_mut()
        .find(|w| w.json["id"] == id && w.json["environment_id"] == env);
    match found {
        None => missing("Work item", id),
        Some(item) => match f(call, item) {
            Ok(value) => ok(&value),
            Err(failure) => *failure,
        },
    }
}

fn list(call: &Call<'_>, env: &str) -> MockResponse {
    let items = call.with(|store| {
        store
            .work
            .iter()
            .rev()
            .filter(|w| w.json["environment_id"] == env)
            .map(|w| {
                (
                    w.json["id"].as_str().unwrap_or_default().to_owned(),
                    w.json.clone(),
                )
            })
            .collect()
    });
    listed(items, call.query, Cursor::Forward)
}

/// Hands out the next item of `env`, marking it handed out.
fn claim(store: &mut Store, env: &str, reclaim: Duration) -> Option<Value> {
    let item = store.work.iter_mut().find(|w| {
        w.json["environment_id"] == env
            && w.state() == "queued"
            && w.polled_at.is_none_or(|at| at.elapsed() >= reclaim)
    })?;
    item.polled_at = Some(Instant::now());
    let session = item.json["data"]["id"].as_str().unwrap_or_default();
    let secret = json!({"sessions_token": sessions_token(session)}).to_string();
    let mut handed = item.json.clone();
    let encoded = crate::base64::encode(secret.as_bytes());
    let url_safe: String = encoded
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    handed["secret"] = json!(url_safe);
    Some(handed)
}

fn poll(call: &Call<'_>, env: &str) -> MockResponse {
    let number = |name: &str| call.query.get(name).map(str::parse::<u64>);
    let block = match number("block_ms") {
        None => None,
        Some(Ok(ms)) if (1..=999).contains(&ms) => Some(Duration::from_millis(ms)),
        Some(_) => return invalid("block_ms: Input should be an integer from 1 to 999"),
    };
    let reclaim = match number("reclaim_older_than_ms") {
        None => Duration::from_millis(DEFAULT_RECLAIM),
        Some(Ok(ms)) => Duration::from_millis(ms),
        Some(Err(_)) => return invalid("reclaim_older_than_ms: Input should be a valid integer"),
    };
    let now_claimed = call.with(|store| {
        if let Some(worker) = call.request.header("anthropic-worker-id") {
            store
                .pollers
                .insert((env.to_owned(), worker.to_owned()), Instant::now());
        }
        claim(store, env, reclaim)
    });
    match (now_claimed, block) {
        (Some(item), _) => ok(&item),
        (None, None) => ok(&Value::Null),
        (None, Some(block)) => wait(Arc::clone(call.state), env.to_owned(), reclaim, block),
    }
}

/// A long poll: the answer is written when an item comes or `block` ends.
fn wait(state: Arc<State>, env: String, reclaim: Duration, block: Duration) -> MockResponse {
    let (tx, source) = LiveSource::channel();
    tokio::spawn(async move {
        let deadline = tokio::time::Instant::now() + block;
        let found = loop {
            if let Some(item) = claim(&mut state.lock().agents, &env, reclaim) {
                break item;
            }
            if tokio::time::Instant::now() >= deadline || tx.is_closed() {
                break Value::Null;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        let _ = tx.send(LiveChunk::Data(Bytes::from(found.to_string())));
    });
    MockResponse::live("application/json", source)
}

fn ack(call: &Call<'_>, env: &str, id: &str) -> MockResponse {
    with_item(call, env, id, |_, item| {
        if item.state() != "queued" {
            return Err(Box::new(invalid(format!(
                "Work item {id} is {}, not queued",
                item.state()
            ))));
        }
        item.json["state"] = json!("starting");
        item.json["acknowledged_at"] = json!(now());
        Ok(item.json.clone())
    })
}

fn heartbeat(call: &Call<'_>, env: &str, id: &str) -> MockResponse {
    // Both are query parameters.
    let ttl = match call.query.get("desired_ttl_seconds").map(str::parse::<u64>) {
        None => DEFAULT_TTL,
        Some(Ok(ttl)) => ttl,
        Some(Err(_)) => return invalid("desired_ttl_seconds: Input should be a valid integer"),
    };
    let expected = call.query.get("expected_last_heartbeat").map(str::to_owned);
    with_item(call, env, id, |_, item| {
        let last = item.json["latest_heartbeat_at"].as_str().map(str::to_owned);
        let state = item.state().to_owned();
        if matches!(state.as_str(), "stopping" | "stopped") {
            return Ok(json!({
                "last_heartbeat": last.unwrap_or_default(),
                "lease_extended": false,
                "state": state,
                "ttl_seconds": ttl,
                "type": "work_heartbeat",
            }));
        }
        let stored = last.as_deref().unwrap_or(NO_HEARTBEAT);
        if let Some(expected) = expected.filter(|e| e != stored) {
            return Err(Box::new(precondition_failed(
                &expected,
                last.as_deref(),
                &state,
                ttl,
            )));
        }
        let at = now();
        item.json["latest_heartbeat_at"] = json!(at);
        if matches!(state.as_str(), "queued" | "starting") {
            item.json["state"] = json!("active");
            item.json["started_at"] = json!(at);
        }
        Ok(json!({
            "last_heartbeat": at,
            "lease_extended": true,
            "state": item.state(),
            "ttl_seconds": ttl,
            "type": "work_heartbeat",
        }))
    })
}

/// The 412 of a heartbeat whose `expected_last_heartbeat` is stale.
fn precondition_failed(expected: &str, last: Option<&str>, state: &str, ttl: u64) -> MockResponse {
    let body = json!({
        "type": "error",
        "error": {
            "type": "invalid_request_error",
            "message": format!(
                "expected_last_heartbeat {expected:?} does not match the stored heartbeat: another worker may hold the lease"
            ),
            "details": {
                "error_code": "heartbeat_precondition_failed",
                "current_state": {
                    "last_heartbeat": last,
                    "lease_extended": false,
                    "state": state,
                    "ttl_seconds": ttl,
                },
            },
        },
    });
    MockResponse::json(body).with_status(StatusCode::PRECONDITION_FAILED)
}

fn stop(call: &Call<'_>, env: &str, id: &str) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    let force = body.get("force").and_then(Value::as_bool).unwrap_or(false);
    with_item(call, env, id, |_, item| {
        let at = now();
        if item.json["stop_requested_at"].is_null() {
            item.json["stop_requested_at"] = json!(at);
        }
        if force || item.state() == "queued" {
            item.json["state"] = json!("stopped");
            item.json["stopped_at"] = json!(at);
        } else if item.state() != "stopped" {
            item.json["state"] = json!("stopping");
        }
        Ok(item.json.clone())
    })
}

fn update(call: &Call<'_>, env: &str, id: &str) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    with_item(call, env, id, |_, item| {
        merge_metadata(&mut item.json["metadata"], body.get("metadata"))?;
        Ok(item.json.clone())
    })
}

fn stats(call: &Call<'_>, env: &str) -> MockResponse {
    let reclaim = Duration::from_millis(DEFAULT_RECLAIM);
    let stats = call.with(|store| {
        let queued: Vec<&Work> = store
            .work
            .iter()
            .filter(|w| w.json["environment_id"] == env && w.state() == "queued")
            .collect();
        let pending = queued
            .iter()
            .filter(|w| w.polled_at.is_some_and(|at| at.elapsed() < reclaim))
            .count();
        let recent = Duration::from_secs(30);
        let workers = store
            .pollers
            .iter()
            .filter(|((e, _), at)| e == env && at.elapsed() < recent)
            .count();
        json!({
            "depth": queued.len() - pending,
            "oldest_queued_at": queued.first().map(|w| w.json["created_at"].clone()),
            "pending": pending,
            "type": "work_queue_stats",
            "workers_polling": workers,
        })
    });
    ok(&stats)
}
