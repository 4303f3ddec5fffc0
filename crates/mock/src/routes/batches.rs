//! Message Batches: created `in_progress`, ended when the configured
//! [`BatchCompletion`] says, results served as JSONL.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::SystemTime;

use claude_rs_types::batch::{BatchErrored, BatchResult, BatchResultLine, BatchSucceeded};
use claude_rs_types::error::{ApiErrorObject, ErrorResponse, ErrorType};
use http::Method;
use serde_json::{Value, json};

use crate::config::BatchCompletion;
use crate::fault::FaultKind;
use crate::record::RecordedRequest;
use crate::render::{self, Resolved};
use crate::response::MockResponse;
use crate::route::Route;
use crate::routes::{invalid, not_found, paginate, typed_json};
use crate::state::State;
use crate::store::{Batch, Status};
use crate::validate::message_problem;
use crate::wire;

/// `POST /v1/messages/batches`.
pub(crate) fn create(state: &Arc<State>, request: &RecordedRequest) -> MockResponse {
    let Some(requests) = request
        .json
        .as_ref()
        .and_then(|body| body.get("requests"))
        .and_then(Value::as_array)
    else {
        return invalid("requests: Field required");
    };
    if requests.is_empty() {
        return invalid("requests: List should have at least 1 item after validation, not 0");
    }
    let mut seen = HashSet::new();
    for (i, item) in requests.iter().enumerate() {
        let custom_id = item.get("custom_id").and_then(Value::as_str).unwrap_or("");
        let well_formed = (1..=64).contains(&custom_id.len())
            && custom_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !well_formed {
            return invalid(format!(
                "requests.{i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'"
            ));
        }
        if !seen.insert(custom_id) {
            return invalid(format!("Duplicate custom_id: {custom_id}"));
        }
        if !item.get("params").is_some_and(Value::is_object) {
            return invalid(format!("requests.{i}.params: Field required"));
        }
    }
    // Results are computed now, outside the lock (scripts are user code),
    // and revealed when the batch ends.
    let version = request
        .header(crate::validate::VERSION_HEADER)
        .unwrap_or_default();
    let results = requests
        .iter()
        .map(|item| {
            let custom_id = item.get("custom_id").and_then(Value::as_str).unwrap_or("");
            let params = item.get("params").cloned().unwrap_or(Value::Null);
            (custom_id.to_owned(), result_for(state, params, version))
        })
        .collect();
    let mut inner = state.lock();
    let mut batch = Batch {
        id: inner.next_id("msgbatch"),
        status: Status::InProgress,
        polls: 0,
        created_at: SystemTime::now(),
        ended_at: None,
        cancel_initiated_at: None,
        results,
        canceled: false,
    };
    let created = typed_json(&batch.to_json(&state.base_url));
    if state.config.batch_completion == BatchCompletion::Immediate {
        batch.end();
    }
    inner.batches.push(batch);
    created
}

/// The result of one batch request, as the Messages route would answer it.
fn result_for(state: &State, params: Value, version: &str) -> BatchResult {
    if let Some(problem) =
        message_problem(state, &params, true, version).filter(|_| state.config.validate)
    {
        return errored(&problem.error_type, &problem.message);
    }
    let synthetic = RecordedRequest {
        method: Method::POST,
        path: "/v1/messages".to_owned(),
        query: None,
        headers: http::HeaderMap::new(),
        body: serde_json::to_vec(&params).unwrap_or_default().into(),
        json: Some(params),
        route: Some(Route::Messages),
        platform: Default::default(),
        route_index: 0,
    };
    let reply = state
        .scripted(Route::Messages, &synthetic)
        .unwrap_or_else(MockResponse::default_reply);
    let (resolved, envelope) = render::resolve(state, reply, &synthetic);
    for part in &envelope.fault.parts {
        if let FaultKind::Status {
            error_type,
            message,
            ..
        } = part
        {
            return errored(error_type, message);
        }
    }
    match resolved {
        Resolved::Message(mut message) => {
            message.usage.service_tier = Some("batch".into());
            BatchResult::Succeeded(BatchSucceeded {
                message: *message,
                extra: Default::default(),
            })
        }
        Resolved::Error {
            error_type,
            message,
            ..
        } => errored(&error_type, &message),
        _ => errored(
            &ErrorType::Api,
            "claude-rs-mock: scripted reply is not a message",
        ),
    }
}

fn errored(error_type: &ErrorType, message: &str) -> BatchResult {
    let error = ErrorResponse {
        error: ApiErrorObject {
            kind: error_type.clone(),
            message: message.to_owned(),
            details: None,
            extra: Default::default(),
        },
        kind: Some("error".to_owned()),
        request_id: None,
        extra: Default::default(),
    };
    BatchResult::Errored(BatchErrored {
        error,
        extra: Default::default(),
    })
}

/// `GET /v1/messages/batches`: newest first, paginated.
pub(crate) fn list(state: &State, request: &RecordedRequest) -> MockResponse {
    let inner = state.lock();
    let items = inner
        .batches
        .iter()
        .rev()
        .map(|b| (b.id.clone(), b.to_json(&state.base_url)))
        .collect();
    paginate(items, request)
}

/// Runs `f` on the batch `id`, or answers 404.
fn with_batch(state: &State, id: &str, f: impl FnOnce(&mut Batch) -> MockResponse) -> MockResponse {
    let mut inner = state.lock();
    match inner.batches.iter_mut().find(|b| b.id == id) {
        Some(batch) => f(batch),
        None => not_found(format!("Message Batch not found: {id}")),
    }
}

/// `GET /v1/messages/batches/{id}`: each call is a poll that may end it.
pub(crate) fn get(state: &State, id: &str) -> MockResponse {
    with_batch(state, id, |batch| {
        batch.polls += 1;
        let due = match state.config.batch_completion {
            BatchCompletion::AfterPolls(n) => batch.polls >= n,
            _ => false,
        };
        if batch.status == Status::Canceling || due {
            batch.end();
        }
        typed_json(&batch.to_json(&state.base_url))
    })
}

/// `POST /v1/messages/batches/{id}/cancel`: `canceling` now, ended with
/// every request canceled at the next retrieval.
pub(crate) fn cancel(state: &State, id: &str) -> MockResponse {
    with_batch(state, id, |batch| {
        if batch.status == Status::InProgress {
            batch.status = Status::Canceling;
            batch.canceled = true;
            batch.cancel_initiated_at = Some(SystemTime::now());
        }
        typed_json(&batch.to_json(&state.base_url))
    })
}

/// `DELETE /v1/messages/batches/{id}`: only once it has ended.
pub(crate) fn delete(state: &State, id: &str) -> MockResponse {
    let mut inner = state.lock();
    let Some(at) = inner.batches.iter().position(|b| b.id == id) else {
        return not_found(format!("Message Batch not found: {id}"));
    };
    if inner.batches[at].status != Status::Ended {
        return invalid(format!(
            "Message Batch {id} cannot be deleted while it is in progress; cancel it first"
        ));
    }
    inner.batches.remove(at);
    MockResponse::json(json!({"id": id, "type": "message_batch_deleted"}))
}

/// `GET /v1/messages/batches/{id}/results`: one JSON line per request.
pub(crate) fn results(state: &State, id: &str) -> MockResponse {
    with_batch(state, id, |batch| {
        if batch.status != Status::Ended {
            return invalid(format!(
                "Message Batch {id} has not yet ended; results are not available until processing ends"
            ));
        }
        let mut body = Vec::new();
        for (custom_id, result) in &batch.results {
            let line = BatchResultLine {
                custom_id: custom_id.clone(),
                result: batch.result_of(result),
                extra: Default::default(),
            };
            body.extend_from_slice(&wire::to_vec(&line));
            body.push(b'\n');
        }
        MockResponse::raw("application/x-jsonl", body)
    })
}

/// Ends a batch now (for [`BatchCompletion::Manual`]); whether it exists.
pub(crate) fn end(state: &State, id: &str) -> bool {
    let mut inner = state.lock();
    match inner.batches.iter_mut().find(|b| b.id == id) {
        Some(batch) => {
            batch.end();
            true
        }
        None => false,
    }
}
