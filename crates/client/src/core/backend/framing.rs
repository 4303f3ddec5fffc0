//! [`Framing`]: how a streamed answer's bytes become events.

use std::fmt;
use std::pin::Pin;

use bytes::Bytes;
use claude_rs_transport::Body;
use futures_core::Stream;

use crate::core::error::Error;

/// A stream of event JSON objects (`{"type": "message_start", ...}`), one
/// item per event, as a backend's own framing yields them.
pub type EventSource = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// How the body of a streamed Messages answer is read.
pub enum Framing {
    /// Server-sent events, each `data` field one event's JSON (the API's
    /// own framing, and the default).
    Sse(Body),
    /// Events decoded by the backend (for instance from Amazon's
    /// eventstream frames). An error item ends the stream with that error,
    /// with the message accumulated so far kept.
    Events(EventSource),
}

impl fmt::Debug for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Framing::Sse(_) => "Framing::Sse",
            Framing::Events(_) => "Framing::Events",
        })
    }
}
