//! Persisting an event: every event of a session, the user's and the
//! agent's, gets the next id `sevt_mock_<n>` (so ids increase in the
//! order of the history) and its `processed_at`, is appended to the
//! history, moves the session's (and its thread's) status when it is a
//! `session.status_*` event, and goes to the streams open at that moment.

use serde_json::{Map, Value, json};

use super::stream;
use crate::agent_store::{Store, now};

/// Gives `event` its id and `processed_at`, appends it to the session's
/// history, follows a status change, and delivers it to the open streams.
pub(super) fn persist(store: &mut Store, index: usize, mut event: Map<String, Value>) -> Value {
    let id = store.id("sevt");
    event.insert("id".into(), json!(id));
    event.insert("processed_at".into(), json!(now()));
    let event = Value::Object(event);
    let session = &mut store.sessions[index];
    if let Some(status) = event["type"]
        .as_str()
        .and_then(|t| t.strip_prefix("session.status_"))
    {
        let status = if status == "rescheduled" {
            "rescheduling"
        } else {
            status
        };
        session.json["status"] = json!(status);
        session.json["updated_at"] = event["processed_at"].clone();
        session.thread["status"] = json!(status);
        session.thread["updated_at"] = event["processed_at"].clone();
    }
    session.events.push(event.clone());
    stream::deliver(&mut session.subscribers, &event);
    event
}
