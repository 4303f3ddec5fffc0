//! [`StreamTrace`]: a streamed call's span while the application reads
//! the stream: time to first chunk, the accumulated message's attributes,
//! and the end (read to the end, failed, or dropped).

use claude_rs_types::message::Message;
use claude_rs_types::stream::MessageStreamEvent;
use serde_json::Value;

use super::attributes::record_error;
use super::call::CallSpan;
use crate::core::error::Error;

/// Owns the span of a streamed call until the stream ends or is dropped.
#[derive(Debug, Default)]
pub(crate) struct StreamTrace {
    call: CallSpan,
    first_chunk: bool,
    ended: bool,
}

impl StreamTrace {
    pub(crate) fn new(call: CallSpan) -> Self {
        Self {
            call,
            first_chunk: false,
            ended: false,
        }
    }

    /// An event the application reads; `snapshot` is the message with it
    /// applied. Without a span, one branch.
    #[inline]
    pub(crate) fn event(&mut self, event: &MessageStreamEvent, snapshot: Option<&Message>) {
        if self.call.is_active() {
            self.observe(event, snapshot);
        }
    }

    #[inline(never)]
    fn observe(&mut self, event: &MessageStreamEvent, snapshot: Option<&Message>) {
        match event {
            MessageStreamEvent::ContentBlockDelta(_) if !self.first_chunk => {
                self.first_chunk = true;
                if let Some(started) = self.call.started() {
                    self.call.span().record(
                        "gen_ai.response.time_to_first_chunk",
                        started.elapsed().as_secs_f64(),
                    );
                }
            }
            MessageStreamEvent::MessageStart(_) => self.message(snapshot, false),
            MessageStreamEvent::MessageDelta(_) => self.message(snapshot, true),
            _ => {}
        }
    }

    fn message(&self, snapshot: Option<&Message>, complete: bool) {
        if let Some(value) = snapshot.and_then(|m| serde_json::to_value(m).ok()) {
            self.call.response(&value, complete);
        }
    }

    /// The stream ended: read to its end (`error` is `None`) or failed.
    #[inline]
    pub(crate) fn end(&mut self, error: Option<&Error>, snapshot: Option<&Message>) {
        if !self.ended && self.call.is_active() {
            self.finish(error, snapshot);
        }
        self.ended = true;
    }

    #[inline(never)]
    fn finish(&mut self, error: Option<&Error>, snapshot: Option<&Message>) {
        match error {
            None => self.call.ok(),
            Some(error) => record_error(&self.call.span(), error, true),
        }
        let content = snapshot
            .and_then(|m| serde_json::to_value(m).ok())
            .and_then(|mut m| m.get_mut("content").map(Value::take));
        self.call.content(content.as_ref());
    }
}

impl Drop for StreamTrace {
    fn drop(&mut self) {
        // Dropped before its end: the status stays unset; the content the
        // request had is still recorded.
        if !self.ended && self.call.is_active() {
            self.call.content(None);
        }
    }
}
