//! The parser's error type.

use std::fmt;

/// An error found while parsing an event stream.
///
/// Parse errors are *recoverable*: after returning one, the [`Parser`](crate::Parser)
/// skips the rest of the offending event and carries on with the next one, so a
/// caller may log the error and keep reading. The one thing the spec never
/// produces is an error for malformed input (unknown fields, invalid UTF-8, ...):
/// those are handled by the interpretation rules themselves. The errors here are
/// the limits that this implementation adds on top of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An event grew past the configured maximum size.
    ///
    /// The size counted is what the parser would have to hold in memory for the
    /// event: its `data` so far plus the whole line being read (see
    /// [`Parser::with_max_event_size`](crate::Parser::with_max_event_size)). The rest of the event
    /// (up to its terminating blank line) is discarded and never dispatched; the
    /// `id` and `retry` fields that follow in the same event are still honoured,
    /// so the last event id stays correct for a reconnection.
    #[non_exhaustive]
    EventTooLarge {
        /// The configured limit in bytes
        /// ([`Parser::with_max_event_size`](crate::Parser::with_max_event_size)).
        max_event_size: usize,
        /// Byte offset in the stream (counting from 0, including a BOM) of the
        /// first byte of the oversized event.
        offset: u64,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EventTooLarge {
                max_event_size,
                offset,
            } => write!(
                f,
                "event exceeds the maximum size of {max_event_size} bytes \
                 (event starts at byte offset {offset} of the stream)"
            ),
        }
    }
}

impl std::error::Error for Error {}
