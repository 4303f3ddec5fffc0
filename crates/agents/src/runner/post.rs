//! Posting a result exactly once.
//!
//! A POST whose answer is lost (a dropped connection, a timeout, a 5xx) may
//! or may not have been persisted. Before trying again, the runner reads
//! the session's results: if one answers the call, the POST landed (or
//! someone else answered) and nothing is sent again. The client's own
//! retries are turned off for these POSTs for the same reason.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use claude_rs_client::{Backoff, Client, Error, InvalidRequestKind};
use claude_rs_types::content::ToolResultContent;
use serde_json::{Value, json};

use super::call::CallKind;
use crate::ManagedAgentsExt;
use crate::sessions::{
    SessionEventType, SessionsEventsListQuery, SessionsEventsSendParams, StreamSessionEvents,
};

/// The ids of the calls known to be answered, shared by the reader and the
/// running calls.
#[derive(Debug, Clone, Default)]
pub(super) struct Answered(Arc<Mutex<HashSet<String>>>);

impl Answered {
    /// Remembers every id of `ids`.
    pub(super) fn extend(&self, ids: HashSet<String>) {
        self.lock().extend(ids);
    }

    pub(super) fn insert(&self, id: &str) {
        self.lock().insert(id.to_owned());
    }

    pub(super) fn contains(&self, id: &str) -> bool {
        self.lock().contains(id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What posting did.
pub(super) enum Posted {
    /// Our result is in the session.
    Ours,
    /// A result was already there.
    Elsewhere,
}

/// The event answering call `id` of `kind`, or, when the result's blocks
/// do not fit that event (a block type or shape it does not take), an
/// [`Error::InvalidRequest`] of kind [`InvalidRequestKind::Body`] saying so:
/// a result is posted as the tool gave it, or not at all.
pub(super) fn result_event(
    kind: CallKind,
    id: &str,
    content: Option<&ToolResultContent>,
    is_error: bool,
) -> Result<SessionsEventsSendParams, Error> {
    let (event_type, id_field) = match kind {
        CallKind::Custom => ("user.custom_tool_result", "custom_tool_use_id"),
        CallKind::Agent => ("user.tool_result", "tool_use_id"),
    };
    let refused = |message: String, source: serde_json::Error| Error::InvalidRequest {
        kind: InvalidRequestKind::Body,
        message,
        source: Some(Box::new(source)),
    };
    let blocks = match content {
        None => Value::Array(Vec::new()),
        Some(ToolResultContent::Text(text)) => json!([{"type": "text", "text": text}]),
        Some(blocks) => serde_json::to_value(blocks).map_err(|source| {
            refused(
                format!("the result of tool call {id} could not be serialized"),
                source,
            )
        })?,
    };
    let event = json!({"type": event_type, id_field: id, "content": blocks, "is_error": is_error});
    serde_json::from_value::<SessionsEventsSendParams>(json!({"events": [event]})).map_err(
        |source| {
            refused(
                format!(
                    "the result of tool call {id} does not fit a `{event_type}` event \
                     (it takes text, image, document and search_result blocks): {source}"
                ),
                source,
            )
        },
    )
}

/// Posts `event`, answering call `id`, at most once.
pub(super) async fn post_once(
    client: &Client,
    session_id: &str,
    id: &str,
    body: SessionsEventsSendParams,
    answered: &Answered,
    attempts: u32,
) -> Result<Posted, Error> {
    let mut attempt = 0;
    loop {
        if answered.contains(id) {
            return Ok(Posted::Elsewhere);
        }
        let sent = client
            .sessions()
            .events()
            .send(session_id, &body)
            .max_retries(0)
            .await;
        match sent {
            Ok(_) => {
                answered.insert(id);
                return Ok(Posted::Ours);
            }
            Err(error) if error.is_retryable() && attempt + 1 < attempts.max(1) => {
                tokio::time::sleep(Backoff::RETRY.delay(attempt)).await;
                attempt += 1;
                // The POST may have landed: then it must not be sent again.
                if answered_in_history(client, session_id).await?.contains(id) {
                    answered.insert(id);
                    return Ok(Posted::Ours);
                }
            }
            Err(error) => return Err(error),
        }
    }
}

/// The ids of the calls the session's history holds a result for.
pub(super) async fn answered_in_history(
    client: &Client,
    session_id: &str,
) -> Result<HashSet<String>, Error> {
    let query = SessionsEventsListQuery {
        types: vec![
            SessionEventType::UserCustomToolResult,
            SessionEventType::UserToolResult,
        ],
        ..SessionsEventsListQuery::default()
    };
    let mut events = client
        .sessions()
        .events()
        .list(session_id, &query)
        .output::<StreamSessionEvents>()
        .into_stream();
    let mut answered = HashSet::new();
    while let Some(event) = events.next().await {
        match event? {
            StreamSessionEvents::UserCustomToolResult(e) => answered.insert(e.custom_tool_use_id),
            StreamSessionEvents::UserToolResult(e) => answered.insert(e.tool_use_id),
            _ => false,
        };
    }
    Ok(answered)
}
