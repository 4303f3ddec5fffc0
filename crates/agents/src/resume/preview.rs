//! [`MessagePreview`]: the `agent.message` being written, folded from the
//! `event_start` / `event_delta` previews a stream sends when asked
//! ([`ResumeOptions::event_deltas`](super::ResumeOptions::event_deltas)).

use std::fmt;

use claude_rs_types::datetime::Timestamp;

use crate::sessions::{
    AgentMessageEvent, AgentMessageEventContent, DeltaEvent, StartEvent, StartEventPreview,
    StreamSessionEvents, StreamSessionThreadEvents,
};

/// The `processed_at` of a preview until the final event brings the
/// server's: the Unix epoch (`1970-01-01T00:00:00Z`).
pub const UNPROCESSED: Timestamp = Timestamp::UNIX_EPOCH;

/// The message being written, as far as its previews go.
///
/// `event_start` of an `agent.message` opens a snapshot with no content
/// (its `processed_at` is [`UNPROCESSED`]); each `event_delta` for it
/// appends its text to the block at its `index` (a new index opens a
/// block); the final `agent.message` replaces the snapshot with itself.
/// Previews are best effort: the final event is what counts. Other events
/// leave the snapshot as it is.
///
/// ```
/// use claude_rs_agents::resume::MessagePreview;
/// use claude_rs_agents::sessions::StreamSessionEvents;
///
/// let event = |json: serde_json::Value| serde_json::from_value::<StreamSessionEvents>(json).unwrap();
/// let mut preview = MessagePreview::default();
/// preview.apply(&event(serde_json::json!(
///     {"type": "event_start", "event": {"type": "agent.message", "id": "sevt_1"}}
/// )))?;
/// for text in ["Hel", "lo"] {
///     preview.apply(&event(serde_json::json!({"type": "event_delta", "event_id": "sevt_1",
///         "delta": {"type": "content_delta", "index": 0, "content": {"type": "text", "text": text}}})))?;
/// }
/// assert_eq!(preview.text(), "Hello");
/// # Ok::<(), claude_rs_agents::resume::PreviewError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessagePreview {
    current: Option<AgentMessageEvent>,
}

/// A preview that does not fit the message it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PreviewError {
    /// An `event_delta` came before any `event_start`.
    DeltaBeforeStart {
        /// The event the delta is for.
        event_id: String,
    },
    /// An `event_delta` skips a block: its index is past the end.
    IndexGap {
        /// The event the delta is for.
        event_id: String,
        /// The delta's index.
        index: i64,
        /// How many blocks the snapshot has.
        blocks: usize,
    },
}

impl fmt::Display for PreviewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PreviewError::DeltaBeforeStart { event_id } => {
                write!(
                    f,
                    "event_delta for {event_id} arrived before its event_start"
                )
            }
            PreviewError::IndexGap {
                event_id,
                index,
                blocks,
            } => write!(
                f,
                "event_delta for {event_id} has index {index}, past the end of its {blocks} block(s)"
            ),
        }
    }
}

impl std::error::Error for PreviewError {}

impl MessagePreview {
    /// Folds one session event in; returns the snapshot, if there is one.
    pub fn apply(
        &mut self,
        event: &StreamSessionEvents,
    ) -> Result<Option<&AgentMessageEvent>, PreviewError> {
        match event {
            StreamSessionEvents::EventStart(start) => self.start(start),
            StreamSessionEvents::EventDelta(delta) => self.delta(delta)?,
            StreamSessionEvents::AgentMessage(message) => self.current = Some(message.clone()),
            _ => {}
        }
        Ok(self.current.as_ref())
    }

    /// Folds one thread event in; returns the snapshot, if there is one.
    pub fn apply_thread(
        &mut self,
        event: &StreamSessionThreadEvents,
    ) -> Result<Option<&AgentMessageEvent>, PreviewError> {
        match event {
            StreamSessionThreadEvents::EventStart(start) => self.start(start),
            StreamSessionThreadEvents::EventDelta(delta) => self.delta(delta)?,
            StreamSessionThreadEvents::AgentMessage(message) => {
                self.current = Some(message.clone())
            }
            _ => {}
        }
        Ok(self.current.as_ref())
    }

    /// The snapshot, if a message has started.
    pub fn message(&self) -> Option<&AgentMessageEvent> {
        self.current.as_ref()
    }

    /// The snapshot's text blocks, joined.
    pub fn text(&self) -> String {
        let Some(message) = &self.current else {
            return String::new();
        };
        message
            .content
            .iter()
            .filter_map(|block| match block {
                AgentMessageEventContent::Text(text) => Some(text.text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn start(&mut self, start: &StartEvent) {
        // Only messages have deltas; a thinking preview starts and ends.
        if let StartEventPreview::AgentMessage(preview) = &start.event {
            self.current = Some(AgentMessageEvent::from_required(
                preview.id.clone(),
                Vec::new(),
                UNPROCESSED,
            ));
        }
    }

    fn delta(&mut self, delta: &DeltaEvent) -> Result<(), PreviewError> {
        let Some(message) = &mut self.current else {
            return Err(PreviewError::DeltaBeforeStart {
                event_id: delta.event_id.clone(),
            });
        };
        // A delta of another event (a thinking preview) is not this message's.
        if message.id != delta.event_id {
            return Ok(());
        }
        let index = delta.delta.index.unwrap_or(0);
        let blocks = message.content.len();
        let fragment = &delta.delta.content;
        match usize::try_from(index) {
            Ok(i) if i == blocks => message
                .content
                .push(AgentMessageEventContent::Text(fragment.clone())),
            Ok(i) if i < blocks => {
                if let AgentMessageEventContent::Text(text) = &mut message.content[i] {
                    text.text.push_str(&fragment.text);
                }
            }
            _ => {
                return Err(PreviewError::IndexGap {
                    event_id: delta.event_id.clone(),
                    index,
                    blocks,
                });
            }
        }
        Ok(())
    }
}
