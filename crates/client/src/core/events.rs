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
use claude_rs_types::ErrorResponse;
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
    /// Event JSON from the backend's own framing.
    Backend(EventSource),
}

/// One event before decoding.
pub(crate) enum RawEvent {
    /// A server-sent event (its type and data).
    Sse(claude_rs_sse::Event),
    /// An event's JSON from the backend's framing.
    Backend(Bytes),
}

impl RawEvents {
    /// Reads the events of `framing`.
    pub(crate) fn new(framing: Framing) -> Self {
        match framing {
            Framing::Sse(body) => Self::Sse(Box::pin(EventStream::from_body(body))),
            Framing::Events(events) => Self::Backend(events),
        }
    }

    /// The next event, or the error that ends the stream.
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<RawEvent, Error>>> {
        let item = match self {
            Self::Sse(events) => match ready!(events.as_mut().poll_next(cx)) {
                Some(Ok(event)) => Ok(RawEvent::Sse(event)),
                Some(Err(EventStreamError::Source(error))) => Err(Error::from_transport(error)),
                Some(Err(EventStreamError::Parse(error))) => Err(Error::EventStream(error)),
                Some(Err(_)) => Err(Error::protocol(
                    ProtocolKind::EndedEarly,
                    "the event stream failed",
                )),
                None => return Poll::Ready(None),
            },
            Self::Backend(events) => match ready!(events.as_mut().poll_next(cx)) {
                Some(item) => item.map(RawEvent::Backend),
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

    /// The next event's type (empty for backend-framed events) and data.
    fn poll_raw(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(String, Bytes), Error>>> {
        loop {
            let item = match ready!(self.source.poll_next(cx)) {
                Some(Ok(RawEvent::Sse(event))) if event.event_type() == "ping" => continue,
                Some(Ok(RawEvent::Sse(event))) => {
                    Ok((event.event_type().to_owned(), event.data_bytes().clone()))
                }
                Some(Ok(RawEvent::Backend(json))) => Ok((String::new(), json)),
                Some(Err(error)) => Err(error),
                None => return Poll::Ready(None),
            };
            return Poll::Ready(Some(item));
        }
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
        let item = match ready!(this.poll_raw(cx)) {
            None => None,
            Some(Err(error)) => Some(Err(error)),
            Some(Ok((kind, data))) => {
                let error = (kind == "error")
                    .then(|| serde_json::from_slice::<ErrorResponse>(&data).ok())
                    .flatten();
                Some(match error {
                    Some(body) => Err(stream_api_error(&body, &data, &this.headers)),
                    None => serde_json::from_slice(&data).map_err(|source| {
                        let what = if kind.is_empty() {
                            "stream event".to_owned()
                        } else {
                            format!("`{kind}` event")
                        };
                        Error::decode(what, &data, source)
                    }),
                })
            }
        };
        this.done = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}

/// An `error` event in a stream that had opened with `200 OK`, as the
/// [`Error::Api`] the predicates and the retry policy read.
pub(crate) fn stream_api_error(body: &ErrorResponse, raw: &Bytes, headers: &HeaderMap) -> Error {
    Error::Api(Box::new(ApiError::new(
        StatusCode::OK,
        Some(body.error.kind.clone()),
        body.error.message.clone(),
        body.request_id.clone(),
        raw.clone(),
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
