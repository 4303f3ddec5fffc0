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

use crate::event::{Event, EventRef};
use crate::utf8::{decode, decode_buf, decode_copy};

/// The event type used when a block has no (or an empty) `event` field.
const DEFAULT_EVENT_TYPE: &str = "message";

/// A complete, non-empty line handed to [`Block::line`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Line<'a> {
    /// `chunk[start..end]` of the chunk being parsed: values are kept as
    /// ranges of it, never copied, while it is the parser's chunk.
    InChunk {
        chunk: &'a Bytes,
        start: usize,
        end: usize,
    },
    /// A line assembled from pieces in a buffer that is reused right after
    /// (it straddled two chunks): values that must be kept are copied out.
    Copied(&'a [u8]),
}

impl Line<'_> {
    fn bytes(&self) -> &[u8] {
        match *self {
            Line::InChunk { chunk, start, end } => &chunk[start..end],
            Line::Copied(bytes) => bytes,
        }
    }

    /// The text of `self.bytes()[range]`, as an owned value.
    #[inline]
    fn text(&self, range: Range<usize>) -> ByteString {
        match *self {
            Line::InChunk { chunk, start, .. } => {
                decode(chunk, start + range.start..start + range.end)
            }
            Line::Copied(bytes) => decode_copy(&bytes[range]),
        }
    }

    /// `self.bytes()[range]` as a range of the chunk, if the line is in it.
    fn chunk_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        match *self {
            Line::InChunk { start, .. } => Some(start + range.start..start + range.end),
            Line::Copied(_) => None,
        }
    }
}

/// Where a value of the current block is: a range of the parser's current
/// chunk (no copy), or the block's own buffer for it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Held {
    /// Not seen (for `data`: no `data` field; for the type: the default).
    None,
    /// `chunk[range]` of the chunk being parsed, as received (UTF-8 is
    /// checked when the event is handed out).
    Chunk(Range<usize>),
    /// In the block's buffer for this value.
    Buf,
}

/// State of the event being assembled, plus the settings that outlive events.
///
/// Values are held as ranges of the chunk being parsed for as long as it is
/// the parser's chunk; before the parser moves to the next chunk it calls
/// [`detach`](Self::detach), which copies them into the block's buffers.
/// So an event is copied only when it straddles two chunks.
#[derive(Debug)]
pub(crate) struct Block {
    data: Held,
    /// Stream bytes of data so far (joining newlines included), counted
    /// before UTF-8 replacement so the size limit does not depend on chunking.
    data_len: usize,
    /// The data when it is not a range of the chunk: joined lines, or data
    /// that straddled two chunks. Reused from event to event.
    buf: BytesMut,
    /// The event type buffer (`Held::None` stands for the empty string).
    event_type: Held,
    /// The event type when it is not a range of the chunk.
    type_buf: String,
    /// Replacement text (U+FFFD) of invalid UTF-8 handed out by reference.
    lossy_data: String,
    lossy_type: String,
    /// The last event type handed out as an owned value. Streams repeat a
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
    /// A dispatched event is held, to be read before the next line.
    ready: bool,
}

impl Block {
    pub(crate) fn new() -> Self {
        Self {
            data: Held::None,
            data_len: 0,
            buf: BytesMut::new(),
            event_type: Held::None,
            type_buf: String::new(),
            lossy_data: String::new(),
            lossy_type: String::new(),
            type_cache: ByteString::new(),
            block_retry: None,
            id_buffer: ByteString::new(),
            id_seen: false,
            last_event_id: ByteString::new(),
            retry: None,
            oversized: false,
            ready: false,
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
        self.data = Held::None;
        self.data_len = 0;
        // Do not keep an allocation as large as the limit around.
        self.buf = BytesMut::new();
    }

    pub(crate) fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    pub(crate) fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The parser is about to leave `chunk`: values held as ranges of it are
    /// copied into the block's buffers.
    pub(crate) fn detach(&mut self, chunk: &[u8]) {
        if let Held::Chunk(range) = &self.data {
            self.buf.clear();
            self.buf.extend_from_slice(&chunk[range.clone()]);
            self.data = Held::Buf;
        }
        if let Held::Chunk(range) = &self.event_type {
            self.type_buf.clear();
            self.type_buf
                .push_str(&String::from_utf8_lossy(&chunk[range.clone()]));
            self.event_type = Held::Buf;
        }
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
            b"event" => self.set_event_type(line, value),
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

    fn set_event_type(&mut self, line: Line<'_>, value: Range<usize>) {
        if value.is_empty() {
            self.event_type = Held::None;
            return;
        }
        self.event_type = match line.chunk_range(value.clone()) {
            Some(range) => Held::Chunk(range),
            None => {
                self.type_buf.clear();
                self.type_buf
                    .push_str(&String::from_utf8_lossy(&line.bytes()[value]));
                Held::Buf
            }
        };
    }

    fn push_data(&mut self, line: Line<'_>, value: Range<usize>) {
        if self.oversized {
            return;
        }
        let raw = &line.bytes()[value.clone()];
        if self.data != Held::None {
            self.data_len += 1; // The joining newline.
        }
        self.data_len += raw.len();
        match std::mem::replace(&mut self.data, Held::Buf) {
            Held::None => match line.chunk_range(value) {
                Some(range) => self.data = Held::Chunk(range),
                None => {
                    self.buf.clear();
                    self.buf.extend_from_slice(raw);
                }
            },
            Held::Chunk(first) => {
                let Line::InChunk { chunk, .. } = line else {
                    // A copied line ends a chunk's ranges: `detach` ran.
                    unreachable_chunk_range();
                    return;
                };
                self.buf.clear();
                self.buf.reserve(first.len() + 1 + raw.len());
                self.buf.extend_from_slice(&chunk[first]);
                self.buf.extend_from_slice(b"\n");
                self.buf.extend_from_slice(raw);
            }
            Held::Buf => {
                self.buf.extend_from_slice(b"\n");
                self.buf.extend_from_slice(raw);
            }
        }
    }

    /// A blank line: whether it dispatches an event. The per-event state is
    /// reset either way; a dispatched event stays readable
    /// ([`event_ref`](Self::event_ref), [`take_event`](Self::take_event))
    /// until [`clear_ready`](Self::clear_ready).
    #[inline]
    pub(crate) fn dispatch(&mut self) -> bool {
        // Spec step 1, done even when nothing is dispatched. Cloning a
        // `ByteString` only bumps a reference count (or nothing, when static).
        if std::mem::take(&mut self.id_seen) {
            self.last_event_id = self.id_buffer.clone();
        }
        self.data_len = 0;
        if std::mem::take(&mut self.oversized) || self.data == Held::None {
            self.clear_event();
            return false;
        }
        self.ready = true;
        true
    }

    /// Forgets a dispatched event that was read.
    #[inline]
    pub(crate) fn clear_ready(&mut self) {
        if std::mem::take(&mut self.ready) {
            self.clear_event();
        }
    }

    fn clear_event(&mut self) {
        self.data = Held::None;
        self.event_type = Held::None;
        self.block_retry = None;
    }

    /// The dispatched event, borrowed from `chunk` (the parser's current
    /// chunk) and the block's buffers: no copy, no reference count.
    pub(crate) fn event_ref<'a>(&'a mut self, chunk: &'a [u8]) -> EventRef<'a> {
        let Block {
            data,
            buf,
            event_type,
            type_buf,
            lossy_data,
            lossy_type,
            id_buffer,
            block_retry,
            ..
        } = self;
        let data = match data {
            Held::Chunk(range) => checked(&chunk[range.clone()], lossy_data),
            _ => checked(buf, lossy_data),
        };
        let event_type = match event_type {
            Held::None => DEFAULT_EVENT_TYPE,
            Held::Chunk(range) => checked(&chunk[range.clone()], lossy_type),
            Held::Buf => type_buf.as_str(),
        };
        EventRef {
            event_type,
            data,
            id: id_buffer,
            retry: *block_retry,
        }
    }

    /// The dispatched event as an owned [`Event`]: slices of `chunk` where
    /// its values are in it (no copy), the buffer's bytes split off otherwise.
    // Inlined so the event is written straight into the caller's return
    // slot: copying it out of a separate frame stalled on store forwarding.
    #[inline(always)]
    pub(crate) fn take_event(&mut self, chunk: &Bytes) -> Event {
        self.ready = false;
        let data = match std::mem::replace(&mut self.data, Held::None) {
            Held::Chunk(range) => decode(chunk, range),
            _ => decode_buf(self.buf.split()),
        };
        let event_type = match std::mem::replace(&mut self.event_type, Held::None) {
            Held::None => ByteString::from_static(DEFAULT_EVENT_TYPE),
            Held::Chunk(range) => decode(chunk, range),
            Held::Buf => {
                if self.type_buf != *self.type_cache {
                    self.type_cache = ByteString::from(self.type_buf.as_str());
                }
                self.type_cache.clone()
            }
        };
        Event {
            event_type,
            data,
            // Most streams have no ids: skip the (indirect) clone call then.
            id: if self.id_buffer.is_empty() {
                ByteString::new()
            } else {
                self.id_buffer.clone()
            },
            retry: self.block_retry.take(),
        }
    }

    /// End of the stream: an unfinished event is discarded, as the spec says.
    /// The last event id and the reconnection time survive, since they are what
    /// a reconnection needs.
    pub(crate) fn end_of_stream(&mut self) {
        self.clear_event();
        self.ready = false;
        self.data_len = 0;
        self.buf.clear();
        self.oversized = false;
        self.id_buffer = self.last_event_id.clone();
        self.id_seen = false;
    }
}

/// `bytes` as text: itself when valid UTF-8 (the common case), else its
/// replacement (U+FFFD for each maximal invalid subpart) written to `lossy`.
fn checked<'a>(bytes: &'a [u8], lossy: &'a mut String) -> &'a str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            *lossy = String::from_utf8_lossy(bytes).into_owned();
            lossy
        }
    }
}

/// A data range of a chunk never meets a line copied from a later chunk:
/// the parser detaches the block before it leaves a chunk.
#[cold]
fn unreachable_chunk_range() {
    debug_assert!(false, "a chunk range outlived its chunk");
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
