//! A session's threads: the mock's sessions have one, the primary thread,
//! which carries every event and follows the session's status.

use serde_json::json;

use super::page::Cursor;
use super::{Call, listed, missing, ok};
use crate::agent_store::now;
use crate::response::MockResponse;

pub(super) fn list_threads(call: &Call<'_>, id: &str) -> MockResponse {
    let statuses = call.query.all("statuses");
    let items = call.with(|store| {
        store.session_mut(id).map(|s| {
            let thread = &s.thread;
            let keep = statuses.is_empty() || statuses.iter().any(|st| thread["status"] == *st);
            keep.then(|| {
                (
                    thread["id"].as_str().unwrap_or_default().to_owned(),
                    thread.clone(),
                )
            })
            .into_iter()
            .collect::<Vec<_>>()
        })
    });
    match items {
        Some(items) => listed(items, call.query, Cursor::Forward),
        None => missing("Session", id),
    }
}

/// Retrieve, or archive, the thread `thread_id`.
pub(super) fn thread(call: &Call<'_>, id: &str, thread_id: &str, archive: bool) -> MockResponse {
    call.with(|store| {
        let Some(session) = store.session_mut(id) else {
            return missing("Session", id);
        };
        if session.thread["id"] != thread_id {
            return missing("Session thread", thread_id);
        }
        if archive && session.thread["archived_at"].is_null() {
            session.thread["archived_at"] = json!(now());
        }
        ok(&session.thread)
    })
}
