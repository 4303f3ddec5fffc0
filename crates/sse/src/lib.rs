//! A spec-exact, incremental, zero-copy parser for `text/event-stream`
//! (Server-Sent Events).
//!
//! ```
//! use bytes::Bytes;
//! use claude_rs_sse::Parser;
//!
//! let mut parser = Parser::new();
//! // Chunks may split lines, line endings and characters anywhere.
//! parser.feed(Bytes::from_static(b"event: ping\ndata: {\"n\":1}\n"));
//! parser.feed(Bytes::from_static(b"\nid: 7\ndata: first\r\ndata: se"));
//! parser.feed(Bytes::from_static(b"cond\r\n\r\n: a comment\n"));
//! parser.finish();
//!
//! let ping = parser.next_event().unwrap()?;
//! assert_eq!(ping.event_type(), "ping");
//! assert_eq!(ping.data(), r#"{"n":1}"#);
//! assert_eq!(ping.id(), "");
//!
//! let message = parser.next_event().unwrap()?;
//! assert_eq!(message.event_type(), "message"); // The default type.
//! assert_eq!(message.data(), "first\nsecond");
//! assert_eq!(message.id(), "7");
//!
//! assert!(parser.next_event().is_none());
//! assert_eq!(parser.last_event_id(), "7"); // Send as `Last-Event-ID` to resume.
//! # Ok::<(), claude_rs_sse::Error>(())
//! ```
//!
//! # What it implements
//!
//! The "interpreting an event stream" section of the WHATWG HTML standard,
//! exactly: CRLF, LF and CR line endings (also split between chunks); one
//! leading BOM stripped; comments; `field: value` with one leading space
//! removed; a line without a colon as a field with an empty value; unknown
//! fields ignored and names case-sensitive; `data` lines joined with `\n`; no
//! event for a block without `data`; event type `message` by default and reset
//! after each block; the last event id persisting across events, an `id`
//! containing NUL ignored; `retry` accepted only as ASCII digits; an event
//! without its closing blank line at the end of the stream discarded; invalid
//! UTF-8 replaced with U+FFFD.
//!
//! One addition: a [maximum event size](Parser::with_max_event_size), because
//! a parser in a client must not let a server make it buffer without bound.
//!
//! # Design
//!
//! - [`Parser`] is a push parser: it owns no I/O, so it serves any runtime,
//!   blocking code, tests and fuzzers alike. [`EventStream`] wraps it as a
//!   `futures_core::Stream` over a chunk stream or an [`http_body::Body`].
//! - Lines are found with `memchr` and values are kept as ranges of the
//!   input chunk: an event inside one chunk costs no copy and no allocation.
//!   [`Parser::next_event_ref`] (and [`EventStream::poll_next_ref`]) lend it
//!   as an [`EventRef`] of `&str`s (validated once), with no reference-count
//!   update either; [`Parser::next_event`] hands out an owned [`Event`]
//!   whose text is a slice of the input `Bytes`. Only an event that
//!   straddles two chunks, or has several `data` lines, is copied.
//! - [`EventStream`] joins small chunks that arrive together before parsing
//!   them, since a line split between chunks costs more than a copy.
//! - UTF-8 is decoded per completed field, never per chunk, so a character
//!   split between two chunks is never damaged.
//! - Parsing is lazy, one event per [`Parser::next_event`] call: memory stays
//!   bounded by the input handed in plus one event.
//!
//! # Features
//!
//! None: the crate is always the whole parser. It depends on `bytes`,
//! `bytestring` (validated UTF-8 over `Bytes`), `memchr`, `futures-core`,
//! `http-body` and `pin-project-lite`; no runtime, no I/O.

mod block;
mod body;
mod error;
mod event;
mod gather;
mod line;
mod parser;
mod stream;
mod utf8;

pub use body::BodyChunks;
pub use error::Error;
pub use event::{Event, EventRef};
pub use parser::{DEFAULT_MAX_EVENT_SIZE, Parser};
pub use stream::{EventStream, EventStreamError};
