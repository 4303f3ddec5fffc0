//! [`Events`]: a server-sent event stream of any call, each event decoded
//! as the caller's type.

use std::fmt;
use std::future::poll_fn;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use claude_rs_sse::{BodyChunks, EventStream, EventStreamError};
use claude_rs_transport::Body;
use claude_rs_types::error::ErrorResponse;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::core::backend::{EventSource, Framing};
use crate::core::call::request_id;
use crate::core::client::OpenStream;
use crate::core::error::{ApiError, Error, ProtocolKind};

/// Where a stream's events come from, before decoding: parsed here from
/// server-sent events, or event JSON from the backend's own framing. Every
/// reader of a stream (this module's [`Events`], the Messages stream) reads
/// through it, so a framing failure means the same error everywhere.
pub(crate) enum RawEvents {
    /// Server-sent events, parsed here.
    Sse(Pin<Box<EventStream<BodyChunks<Body>>>>),
    /// Event JSON from the backend's own framing, and the last event read
    /// (lent out until the next one).
    Backend(EventSource, Option<Bytes>),
}

/// One event before decoding, borrowed from its source: a server-sent
/// event points into the body's chunk (no copy, no reference count), a
/// backend-framed event is its JSON.
pub(crate) enum RawEvent<'a> {
    /// A server-sent event (its type and data).
    Sse(claude_rs_sse::EventRef<'a>),
    /// An event's JSON from the backend's framing.
    Backend(&'a Bytes),
}

impl RawEvent<'_> {
    /// The SSE event type; empty for backend-framed events.
    pub(crate) fn event_type(&self) -> &str {
        match self {
            Self::Sse(event) => event.event_type(),
            Self::Backend(_) => "",
        }
    }

    /// The event's JSON, as it arrived.
    pub(crate) fn data(&self) -> &[u8] {
        match self {
            Self::Sse(event) => event.data().as_bytes(),
            Self::Backend(json) => json,
        }
    }

    /// The event's JSON decoded as `T`, parsed once. SSE data was UTF-8
    /// checked by the parser, so `from_str` does not check it again as
    /// `from_slice` would (measured: 4% of the decoding time); backend JSON
    /// is checked once as a whole, cheaper than `from_slice`'s check of each
    /// string, and invalid UTF-8 gets `from_slice`'s error.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let decoded = match self {
            Self::Sse(event) => serde_json::from_str(event.data()),
            Self::Backend(json) => match std::str::from_utf8(json) {
                Ok(text) => serde_json::from_str(text),
                Err(_) => serde_json::from_slice(json),
            },
        };
        decoded.map_err(|source| {
            let what = match self.event_type() {
                "" => "stream event".to_owned(),
                kind => format!("`{kind}` event"),
            };
            Error::decode(what, self.data(), source)
        })
    }
}

impl RawEvents {
    /// Reads the events of `framing`.
    pub(crate) fn new(framing: Framing) -> Self {
        match framing {
            Framing::Sse(body) => Self::Sse(Box::pin(EventStream::from_body(body))),
            Framing::Events(events) => Self::Backend(events, None),
        }
    }

    /// The next event, borrowed until the next call, or the error that ends
    /// the stream.
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<RawEvent<'_>, Error>>> {
        let item = match self {
            Self::Sse(events) => match ready!(events.as_mut().poll_next_ref(cx)) {
                Some(Ok(event)) => Ok(RawEvent::Sse(event)),
                Some(Err(EventStreamError::Source(error))) => Err(Error::from_transport(error)),
                Some(Err(EventStreamError::Parse(error))) => Err(Error::EventStream(error)),
                Some(Err(_)) => Err(Error::protocol(
                    ProtocolKind::EndedEarly,
                    "the event stream failed",
                )),
                None => return Poll::Ready(None),
            },
            Self::Backend(events, current) => match ready!(events.as_mut().poll_next(cx)) {
                Some(Ok(json)) => Ok(RawEvent::Backend(current.insert(json))),
                Some(Err(error)) => Err(error),
                None => return Poll::Ready(None),
            },
        };
        Poll::Ready(Some(item))
    }
}

/// The events of a streamed answer
/// ([`ApiCall::events`](crate::ApiCall::events)), each event's JSON decoded
/// as `E`: a type of yours (a tagged enum with a catch-all keeps unknown
/// events), or `serde_json::Value`.
///
/// `ping` events are skipped. An `error` event ends the stream with
/// [`Error::Api`]; an event that does not decode as `E` with
/// [`Error::Decode`]. After an error the stream ends.
///
/// ```
/// use claude_rs_client::Client;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # server.enqueue(claude_rs_mock::MockResponse::text("Hi there"));
/// # let client = Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// let mut events = client
///     .post("/v1/messages")
///     .json(&serde_json::json!({
///         "model": "claude-sonnet-5", "max_tokens": 64, "stream": true,
///         "messages": [{"role": "user", "content": "Hi"}],
///     }))
///     .events::<serde_json::Value>()
///     .await?;
/// let mut kinds = Vec::new();
/// while let Some(event) = events.next().await {
///     kinds.push(event?["type"].as_str().unwrap_or_default().to_owned());
/// }
/// assert_eq!(kinds.first().map(String::as_str), Some("message_start"));
/// assert_eq!(kinds.last().map(String::as_str), Some("message_stop"));
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Events<E> {
    source: RawEvents,
    headers: HeaderMap,
    done: bool,
    output: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for Events<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events")
            .field("request_id", &request_id(&self.headers))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<E: DeserializeOwned> Events<E> {
    pub(crate) fn new(framing: Framing, headers: HeaderMap) -> Self {
        let source = RawEvents::new(framing);
        Self {
            source,
            headers,
            done: false,
            output: PhantomData,
        }
    }

    /// The next event, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<E, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id, for support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

// Nothing is pinned in place: the sources are boxed.
impl<E> Unpin for Events<E> {}

impl<E: DeserializeOwned> Stream for Events<E> {
    type Item = Result<E, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            let raw = match ready!(this.source.poll_next(cx)) {
                Some(Ok(raw)) => raw,
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => {
                    this.done = true;
                    return Poll::Ready(None);
                }
            };
            if raw.event_type() == "ping" {
                continue;
            }
            let error = (raw.event_type() == "error")
                .then(|| raw.decode::<ErrorResponse>().ok())
                .flatten();
            let item = match error {
                Some(body) => Err(stream_api_error(&body, raw.data(), &this.headers)),
                None => raw.decode(),
            };
            this.done = item.is_err();
            return Poll::Ready(Some(item));
        }
    }
}

/// An `error` event in a stream that had opened with `200 OK`, as the
/// [`Error::Api`] the predicates and the retry policy read.
pub(crate) fn stream_api_error(body: &ErrorResponse, raw: &[u8], headers: &HeaderMap) -> Error {
    Error::Api(Box::new(ApiError::new(
        StatusCode::OK,
        Some(body.error.kind.clone()),
        body.error.message.clone(),
        body.request_id.clone(),
        Bytes::copy_from_slice(raw),
        headers.clone(),
    )))
}

/// A generic event stream is opened without reading ahead: an error status
/// or a failed connection is retried by the loop, but its events, whatever
/// they are, belong to the caller as they arrive.
impl<E: DeserializeOwned + Send> OpenStream for Events<E> {
    fn open(framing: Framing, headers: HeaderMap) -> Self {
        Self::new(framing, headers)
    }

    async fn first_event(&mut self) -> Result<(), Error> {
        Ok(())
    }
}
