//! [`EventStream`]: the parser as an async `Stream` over a body.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use pin_project_lite::pin_project;

use crate::body::BodyChunks;
use crate::error::Error;
use crate::event::{Event, EventRef};
use crate::gather::{Gather, SMALL};
use crate::parser::Parser;

pin_project! {
    /// A `Stream` of [`Event`]s parsed from a `Stream` of byte chunks.
    ///
    /// ```no_run
    /// use claude_rs_sse::{EventStream, EventStreamError};
    /// use futures_util::StreamExt;
    ///
    /// async fn print_deltas<B>(body: B) -> Result<(), Box<dyn std::error::Error>>
    /// where
    ///     B: http_body::Body<Data = bytes::Bytes>,
    ///     B::Error: std::error::Error + 'static,
    /// {
    ///     let mut events = std::pin::pin!(EventStream::from_body(body));
    ///     while let Some(item) = events.next().await {
    ///         match item {
    ///             Ok(event) if event.event_type() == "content_block_delta" => {
    ///                 // `data_bytes` is a slice of the body: no copy.
    ///                 let delta: serde_json::Value = serde_json::from_slice(event.data_bytes())?;
    ///                 println!("{}", delta["delta"]["text"]);
    ///             }
    ///             Ok(_) => {}
    ///             // An oversized event was skipped; the stream goes on.
    ///             Err(EventStreamError::Parse(error)) => eprintln!("{error}"),
    ///             Err(error) => return Err(error.into()),
    ///         }
    ///     }
    ///     Ok(())
    /// }
    /// ```
    ///
    /// Build it from a chunk stream with [`new`](Self::new) (or
    /// [`with_parser`](Self::with_parser) to set a size limit), or from an
    /// [`http_body::Body`] with [`from_body`](EventStream::from_body).
    ///
    /// # Small chunks
    ///
    /// Chunks shorter than 512 bytes that the source has ready one after the
    /// other are joined into one block (of up to about 8 KiB) before they are
    /// parsed. Gathering stops at the first `Pending`, so an event is never
    /// held back waiting for input. With chunks of a few dozen bytes nearly
    /// every line is split between two of them, and a split line must be
    /// assembled and its value copied out; copying each small chunk once is
    /// cheaper, and events then point into the block. Larger chunks are parsed
    /// where they are, without a copy, and so is a small chunk that comes
    /// alone (the source is not ready after it).
    ///
    /// # Errors and lost data
    ///
    /// Every event that was complete in the input received so far is yielded
    /// *before* an error from the source, so on a source error nothing that
    /// had arrived whole is lost; the unfinished event is discarded as at the
    /// end of the stream, and [`last_event_id`](Self::last_event_id) tells
    /// where to resume. A source error ends the stream (it yields `None`
    /// afterwards). A parse error ([`EventStreamError::Parse`]) does not: the
    /// oversized event is skipped and the stream goes on.
    pub struct EventStream<S>
    where
        S: Stream,
    {
        #[pin]
        source: S,
        parser: Parser,
        gather: Gather,
        // A source error, held back until the events before it are out.
        error: Option<S::Item>,
        source_done: bool,
    }
}

impl<S: Stream> EventStream<S> {
    /// Parses the chunks of `source` with a default [`Parser`].
    pub fn new(source: S) -> Self {
        Self::with_parser(source, Parser::new())
    }

    /// Parses the chunks of `source` with the given parser, e.g. one made with
    /// [`Parser::with_max_event_size`], or one that has parsed a previous
    /// connection (see [`into_parser`](Self::into_parser)).
    pub fn with_parser(source: S, parser: Parser) -> Self {
        Self {
            source,
            parser,
            gather: Gather::default(),
            error: None,
            source_done: false,
        }
    }

    /// The last event id so far: what to send as `Last-Event-ID` to resume.
    pub fn last_event_id(&self) -> &str {
        self.parser.last_event_id()
    }

    /// The reconnection time set by the server, if any.
    pub fn retry(&self) -> Option<Duration> {
        self.parser.retry()
    }

    /// Gives back the parser, e.g. to reuse it (with its last event id and
    /// reconnection time) for the next connection.
    pub fn into_parser(self) -> Parser {
        self.parser
    }
}

impl<B> EventStream<BodyChunks<B>>
where
    B: http_body::Body,
{
    /// Parses the data frames of an HTTP body (trailers are skipped).
    pub fn from_body(body: B) -> Self {
        Self::new(BodyChunks::new(body))
    }
}

impl<S, E> EventStream<S>
where
    S: Stream<Item = Result<Bytes, E>>,
{
    /// Like [`poll_next`](Stream::poll_next), but the event is borrowed
    /// (see [`Parser::next_event_ref`]): reading it costs no copy, no
    /// allocation and no reference count. The borrow ends with the next
    /// call on the stream.
    pub fn poll_next_ref<'a>(
        mut self: Pin<&'a mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<EventRef<'a>, EventStreamError<E>>>>
    where
        E: 'a,
    {
        match ready!(self.as_mut().poll_advance(cx)) {
            Some(Ok(())) => Poll::Ready(Some(Ok(self.project().parser.event_ref()))),
            Some(Err(error)) => Poll::Ready(Some(Err(error))),
            None => Poll::Ready(None),
        }
    }

    /// Reads input up to the next event, which the parser then holds.
    fn poll_advance(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<(), EventStreamError<E>>>> {
        let mut this = self.project();
        loop {
            if let Some(item) = this.parser.advance() {
                return Poll::Ready(Some(item.map_err(EventStreamError::Parse)));
            }
            if let Some(Err(error)) = this.error.take() {
                return Poll::Ready(Some(Err(EventStreamError::Source(error))));
            }
            if *this.source_done {
                return Poll::Ready(None);
            }
            // Every complete event is out: read more input.
            match this.source.as_mut().poll_next(cx) {
                // Joined with the small chunks the source has ready after it.
                Poll::Ready(Some(Ok(chunk))) if chunk.len() < SMALL => {
                    if this.gather.push(chunk) {
                        this.parser.feed(this.gather.take());
                    }
                }
                Poll::Ready(Some(Ok(chunk))) => {
                    this.parser.feed(this.gather.take());
                    this.parser.feed(chunk);
                }
                Poll::Pending if this.gather.is_empty() => return Poll::Pending,
                Poll::Pending => this.parser.feed(this.gather.take()),
                // The end of the body, or an error: what was gathered is
                // parsed, the unfinished event dropped, and an error reported
                // after the events before it.
                Poll::Ready(end) => {
                    this.parser.feed(this.gather.take());
                    this.parser.finish();
                    *this.source_done = true;
                    *this.error = end;
                }
            }
        }
    }
}

impl<S, E> Stream for EventStream<S>
where
    S: Stream<Item = Result<Bytes, E>>,
{
    type Item = Result<Event, EventStreamError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match ready!(self.as_mut().poll_advance(cx)) {
            Some(Ok(())) => Poll::Ready(Some(Ok(self.project().parser.take_event()))),
            Some(Err(error)) => Poll::Ready(Some(Err(error))),
            None => Poll::Ready(None),
        }
    }
}

impl<S: Stream + fmt::Debug> fmt::Debug for EventStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("source", &self.source)
            .field("parser", &self.parser)
            .field("source_done", &self.source_done)
            .finish()
    }
}

/// An error from an [`EventStream`]: either the source failed or the data
/// could not be parsed. The two are kept apart because only the first one
/// ends the stream (and usually calls for a reconnection).
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<E> {
    /// The underlying body or chunk stream failed; the stream ends here.
    Source(E),
    /// The parser rejected an event; the stream goes on after it.
    Parse(Error),
}

impl<E> fmt::Display for EventStreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The cause is reported through `source()`, not repeated here.
            Self::Source(_) => f.write_str("failed to read the event stream"),
            Self::Parse(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl<E: StdError + 'static> StdError for EventStreamError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Source(error) => Some(error),
            Self::Parse(error) => error.source(),
        }
    }
}
