//! Field interpretation: the spec's per-stream buffers and the dispatch step.
//!
//! [`Block`] receives complete, non-blank lines (already split off by the
//! [`Parser`](crate::Parser)) and a dispatch call for each blank line, and
//! implements the WHATWG "interpret an event stream" rules on top of them.

use std::ops::Range;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use bytestring::ByteString;
use memchr::memchr;

use crate::event::Event;
use crate::utf8::{decode, decode_buf, decode_copy};

/// The event type used when a block has no (or an empty) `event` field.
const DEFAULT_EVENT_TYPE: ByteString = ByteString::from_static("message");

/// A complete, non-empty line handed to [`Block::line`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Line<'a> {
    /// `chunk[start..end]`: values are sliced out of the chunk, never copied.
    Shared {
        chunk: &'a Bytes,
        start: usize,
        end: usize,
    },
    /// A short line assembled from pieces in a buffer that is reused right
    /// after: values that must be kept are copied out (cheaper, for a short
    /// line, than handing out slices of the buffer).
    Borrowed(&'a [u8]),
}

impl Line<'_> {
    fn bytes(&self) -> &[u8] {
        match *self {
            Line::Shared { chunk, start, end } => &chunk[start..end],
            Line::Borrowed(bytes) => bytes,
        }
    }

    /// The text of `self.bytes()[range]`.
    #[inline]
    fn text(&self, range: Range<usize>) -> ByteString {
        match *self {
            Line::Shared { chunk, start, .. } => {
                decode(chunk, start + range.start..start + range.end)
            }
            Line::Borrowed(bytes) => decode_copy(&bytes[range]),
        }
    }
}

/// The spec's data buffer, shaped for the zero-copy fast path.
#[derive(Debug)]
enum Data {
    /// No `data` field yet: a blank line dispatches nothing.
    Empty,
    /// Exactly one `data` field: a slice of the chunk it came from (no copy),
    /// or a copy of a short value that had been split between chunks.
    One(ByteString),
    /// Several `data` fields, joined with `\n` in [`Block::joined`].
    Joined,
}

/// State of the event being assembled, plus the settings that outlive events.
#[derive(Debug)]
pub(crate) struct Block {
    data: Data,
    /// Stream bytes of data so far (joining newlines included), counted
    /// before UTF-8 replacement so the size limit does not depend on chunking.
    data_len: usize,
    /// Reusable buffer for multi-line data. After a dispatch it is split off and
    /// frozen; `BytesMut` reclaims the allocation once the event is dropped.
    joined: BytesMut,
    /// The event type buffer; `None` stands for the empty string.
    event_type: Option<ByteString>,
    /// The last event type decoded from an assembled line. Streams repeat a
    /// handful of types, so this saves allocating a copy for each event.
    type_cache: ByteString,
    /// A valid `retry` seen in this block, reported on the dispatched event.
    block_retry: Option<Duration>,
    /// The spec's "last event ID buffer": updated by every valid `id` field.
    id_buffer: ByteString,
    /// An `id` field was seen since the last blank line.
    id_seen: bool,
    /// The spec's "last event ID string": copied from the buffer at each blank
    /// line. This, not the buffer, is what a reconnection must send.
    last_event_id: ByteString,
    /// The stream's reconnection time (last valid `retry` field).
    retry: Option<Duration>,
    /// This block exceeded the size limit: its data is dropped until the
    /// blank line that ends it.
    oversized: bool,
}

impl Block {
    pub(crate) fn new() -> Self {
        Self {
            data: Data::Empty,
            data_len: 0,
            joined: BytesMut::new(),
            event_type: None,
            type_cache: ByteString::new(),
            block_retry: None,
            id_buffer: ByteString::new(),
            id_seen: false,
            last_event_id: ByteString::new(),
            retry: None,
            oversized: false,
        }
    }

    /// Bytes of data held for the current event (joining newlines included).
    pub(crate) fn data_len(&self) -> usize {
        self.data_len
    }

    pub(crate) fn is_oversized(&self) -> bool {
        self.oversized
    }

    /// Drops the current event's data and ignores further `data` fields until
    /// the end of the block. Other fields (`id`, `retry`) keep working.
    pub(crate) fn set_oversized(&mut self) {
        self.oversized = true;
        self.data = Data::Empty;
        self.data_len = 0;
        // Do not keep an allocation as large as the limit around.
        self.joined = BytesMut::new();
    }

    pub(crate) fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    pub(crate) fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Processes one complete, non-empty line.
    pub(crate) fn line(&mut self, line: Line<'_>) {
        let bytes = line.bytes();
        // `data:` lines are the bulk of most streams: skip the search for them.
        let colon = if bytes.starts_with(b"data:") {
            Some(4)
        } else {
            memchr(b':', bytes)
        };
        let (name, value) = match colon {
            Some(0) => return, // A comment.
            Some(colon) => {
                let after = colon + 1;
                let skip_space = usize::from(bytes.get(after) == Some(&b' '));
                (&bytes[..colon], after + skip_space..bytes.len())
            }
            // No colon: the whole line is the name and the value is empty.
            None => (bytes, bytes.len()..bytes.len()),
        };
        match name {
            b"data" => self.push_data(line, value),
            b"event" => self.event_type = self.event_type(line, value),
            // An id containing NUL is ignored.
            b"id" if memchr(0, &bytes[value.clone()]).is_none() => {
                self.id_buffer = line.text(value);
                self.id_seen = true;
            }
            b"retry" => {
                if let Some(retry) = parse_retry(&bytes[value]) {
                    self.retry = Some(retry);
                    self.block_retry = Some(retry);
                }
            }
            // Unknown fields (names are case-sensitive) are ignored.
            _ => {}
        }
    }

    fn event_type(&mut self, line: Line<'_>, value: Range<usize>) -> Option<ByteString> {
        if value.is_empty() {
            return None;
        }
        match line {
            // A slice of the chunk: no allocation to save.
            Line::Shared { .. } => Some(line.text(value)),
            Line::Borrowed(bytes) => {
                if bytes[value.clone()] != *self.type_cache.as_bytes() {
                    self.type_cache = line.text(value);
                }
                Some(self.type_cache.clone())
            }
        }
    }

    fn push_data(&mut self, line: Line<'_>, value: Range<usize>) {
        if self.oversized {
            return;
        }
        let raw = &line.bytes()[value.clone()];
        if !matches!(self.data, Data::Empty) {
            self.data_len += 1; // The joining newline.
        }
        self.data_len += raw.len();
        match std::mem::replace(&mut self.data, Data::Joined) {
            Data::Empty => self.data = Data::One(line.text(value)),
            Data::One(first) => {
                self.joined.clear();
                self.joined.reserve(first.len() + 1 + raw.len());
                self.joined.extend_from_slice(first.as_bytes());
                self.joined.extend_from_slice(b"\n");
                self.joined.extend_from_slice(raw);
            }
            Data::Joined => {
                self.joined.extend_from_slice(b"\n");
                self.joined.extend_from_slice(raw);
            }
        }
    }

    /// A blank line: dispatches the event if it has data, and resets the
    /// per-event buffers either way.
    // Inlined so the event is written straight into the caller's return
    // slot: copying it out of a separate frame stalled on store forwarding.
    #[inline(always)]
    pub(crate) fn dispatch(&mut self) -> Option<Event> {
        // Spec step 1, done even when nothing is dispatched. Cloning a
        // `ByteString` only bumps a reference count (or nothing, when static).
        if std::mem::take(&mut self.id_seen) {
            self.last_event_id = self.id_buffer.clone();
        }
        let event_type = self.event_type.take();
        let retry = self.block_retry.take();
        self.data_len = 0;
        if std::mem::take(&mut self.oversized) {
            self.data = Data::Empty;
            return None;
        }
        let data = match std::mem::replace(&mut self.data, Data::Empty) {
            Data::Empty => return None,
            Data::One(text) => text,
            Data::Joined => decode_buf(self.joined.split()),
        };
        Some(Event {
            event_type: event_type.unwrap_or(DEFAULT_EVENT_TYPE),
            data,
            // Most streams have no ids: skip the (indirect) clone call then.
            id: if self.id_buffer.is_empty() {
                ByteString::new()
            } else {
                self.id_buffer.clone()
            },
            retry,
        })
    }

    /// End of the stream: an unfinished event is discarded, as the spec says.
    /// The last event id and the reconnection time survive, since they are what
    /// a reconnection needs.
    pub(crate) fn end_of_stream(&mut self) {
        self.data = Data::Empty;
        self.data_len = 0;
        self.joined.clear();
        self.event_type = None;
        self.block_retry = None;
        self.oversized = false;
        self.id_buffer = self.last_event_id.clone();
        self.id_seen = false;
    }
}

/// A `retry` value counts only when it is one or more ASCII digits. (The spec's
/// wording also admits an empty value; browsers and the web-platform tests
/// ignore it, and so do we.) Values too large for a `u64` saturate.
fn parse_retry(value: &[u8]) -> Option<Duration> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let millis = value.iter().fold(0u64, |acc, digit| {
        acc.saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    });
    Some(Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_values() {
        assert_eq!(parse_retry(b"1500"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry(b"0"), Some(Duration::ZERO));
        assert_eq!(parse_retry(b""), None);
        assert_eq!(parse_retry(b"15 "), None);
        assert_eq!(parse_retry(b"-1"), None);
        assert_eq!(parse_retry(b"1.5"), None);
        assert_eq!(parse_retry("١".as_bytes()), None); // non-ASCII digit
        assert_eq!(
            parse_retry(b"99999999999999999999999"),
            Some(Duration::from_millis(u64::MAX))
        );
    }
}
