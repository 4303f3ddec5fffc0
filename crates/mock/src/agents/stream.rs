//! The live event streams of a session (`GET .../events/stream`, and each
//! thread's `GET .../threads/{id}/stream`): events persisted after the
//! connection opened, one SSE frame each (`event: <type>` then
//! `data: <json>`), `ping` frames at an interval, optional `event_start` /
//! `event_delta` previews of `agent.message`, and the cuts tests schedule.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::agent_store::Subscriber;
use crate::body::{LiveChunk, LiveSource};
use crate::response::MockResponse;
use crate::state::State;

/// The SSE frame of an event.
fn frame(event_type: &str, data: &Value) -> Bytes {
    crate::sse::frame(event_type, &data.to_string())
}

/// Opens a stream on session `session_id` (its events, or one thread's:
/// the mock's sessions have one thread, which carries all of them).
pub(crate) fn open(state: &Arc<State>, session_id: &str, deltas: bool) -> Option<MockResponse> {
    let (tx, source) = LiveSource::channel();
    let weak = tx.downgrade();
    {
        let mut inner = state.lock();
        let store = &mut inner.agents;
        // A connection refused (no such session) uses no cut.
        store.session_mut(session_id)?;
        let cut = store.cuts.pop_front();
        let session = store.session_mut(session_id)?;
        session.subscribers.push(Subscriber {
            tx,
            delivered: 0,
            cut,
            deltas,
        });
    }
    let interval = state.config.stream_ping_interval;
    if !interval.is_zero() {
        tokio::spawn(async move {
            let ping = frame("ping", &json!({"type": "ping"}));
            loop {
                tokio::time::sleep(interval).await;
                let Some(tx) = weak.upgrade() else { break };
                if tx.send(LiveChunk::Data(ping.clone())).is_err() {
                    break;
                }
            }
        });
    }
    Some(MockResponse::live(
        "text/event-stream; charset=utf-8",
        source,
    ))
}

/// Delivers a just persisted event to every open stream, applying their
/// cuts; streams whose client went away are forgotten.
pub(crate) fn deliver(subscribers: &mut Vec<Subscriber>, event: &Value) {
    let event_type = event["type"].as_str().unwrap_or("event");
    let full = frame(event_type, event);
    subscribers.retain_mut(|sub| {
        if let Some(cut) = sub.cut.filter(|cut| sub.delivered >= cut.after_events) {
            if cut.mid_frame {
                let _ = sub.tx.send(LiveChunk::Data(full.slice(..full.len() / 2)));
            }
            let _ = sub.tx.send(LiveChunk::Abort);
            return false;
        }
        if sub.deltas && event_type == "agent.message" {
            for preview in previews(event) {
                let kind = preview["type"].as_str().unwrap_or_default().to_owned();
                if sub
                    .tx
                    .send(LiveChunk::Data(frame(&kind, &preview)))
                    .is_err()
                {
                    return false;
                }
            }
        }
        sub.delivered += 1;
        sub.tx.send(LiveChunk::Data(full.clone())).is_ok()
    });
}

/// `event_start`, then one `event_delta` per piece of each text block.
fn previews(event: &Value) -> Vec<Value> {
    let id = &event["id"];
    let mut out =
        vec![json!({"type": "event_start", "event": {"id": id, "type": "agent.message"}})];
    let blocks = event["content"].as_array().cloned().unwrap_or_default();
    for (index, block) in blocks.iter().enumerate() {
        let text = block["text"].as_str().unwrap_or_default();
        let cut = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(at, _)| at);
        for piece in [&text[..cut], &text[cut..]]
            .into_iter()
            .filter(|p| !p.is_empty())
        {
            out.push(json!({
                "type": "event_delta",
                "event_id": id,
                "delta": {"type": "content_delta", "index": index, "content": {"type": "text", "text": piece}},
            }));
        }
    }
    out
}
