//! The dispatched [`Event`].

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use bytestring::ByteString;

/// One dispatched server-sent event.
///
/// All text is stored as reference-counted slices: when an event's `data` was a
/// single line wholly inside one input chunk, [`data`](Self::data) borrows
/// straight from that chunk (no copy at all). Cloning an `Event` is cheap.
///
/// Holding an `Event` keeps the input chunk it points into alive; call
/// [`Bytes::copy_from_slice`] on [`data_bytes`](Self::data_bytes) if you need to
/// keep a small piece of a large chunk for a long time.
#[derive(Clone, PartialEq, Eq)]
pub struct Event {
    pub(crate) event_type: ByteString,
    pub(crate) data: ByteString,
    pub(crate) id: ByteString,
    pub(crate) retry: Option<Duration>,
}

impl Event {
    /// The event type: the value of the event's last `event` field, or
    /// `"message"` when it had none (or an empty one), as the spec says.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The event's data: the values of its `data` fields joined with `\n`.
    ///
    /// Always valid UTF-8: invalid input bytes were replaced with U+FFFD.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The same data as [`data`](Self::data), as `Bytes` (still valid UTF-8).
    ///
    /// Handy for `serde_json::from_slice` or to keep the data without a copy.
    pub fn data_bytes(&self) -> &Bytes {
        self.data.as_bytes()
    }

    /// The last event id as of this event (the spec's `lastEventId`).
    ///
    /// This is the most recent `id` field seen in this event *or any earlier
    /// one* (ids persist until changed), and `""` if there was none or it was
    /// reset by an empty `id` field.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The reconnection time set by a valid `retry` field *inside this event's
    /// block*, if any.
    ///
    /// A `retry` field is a setting of the connection rather than part of an
    /// event, and the spec applies it even in blocks that dispatch nothing; the
    /// current setting is therefore [`Parser::retry`](crate::Parser::retry).
    /// This accessor only tells whether this particular event carried one.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("event_type", &self.event_type())
            .field("data", &self.data())
            .field("id", &self.id())
            .field("retry", &self.retry)
            .finish()
    }
}

/// One dispatched event, borrowed from the parser: what
/// [`Parser::next_event_ref`](crate::Parser::next_event_ref) and
/// [`EventStream::poll_next_ref`](crate::EventStream::poll_next_ref) hand
/// out.
///
/// Its text points into the input chunk the event was in, or, for an event
/// that straddled two chunks or had several `data` lines, into the parser's
/// reusable buffer: reading an event this way costs no copy, no allocation
/// and no reference-count update. The borrow ends before the parser reads
/// on; [`to_event`](Self::to_event) makes an owned copy.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct EventRef<'a> {
    pub(crate) event_type: &'a str,
    pub(crate) data: &'a str,
    pub(crate) id: &'a str,
    pub(crate) retry: Option<Duration>,
}

impl<'a> EventRef<'a> {
    /// The event type (see [`Event::event_type`]).
    pub fn event_type(&self) -> &'a str {
        self.event_type
    }

    /// The event's data (see [`Event::data`]); always valid UTF-8.
    pub fn data(&self) -> &'a str {
        self.data
    }

    /// The last event id as of this event (see [`Event::id`]).
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// The reconnection time set inside this event's block (see
    /// [`Event::retry`]).
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// An owned copy of the event.
    pub fn to_event(&self) -> Event {
        Event {
            event_type: ByteString::from(self.event_type),
            data: ByteString::from(self.data),
            id: ByteString::from(self.id),
            retry: self.retry,
        }
    }
}

impl fmt::Debug for EventRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventRef")
            .field("event_type", &self.event_type)
            .field("data", &self.data)
            .field("id", &self.id)
            .field("retry", &self.retry)
            .finish()
    }
}
