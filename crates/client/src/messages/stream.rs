//! [`MessageStream`]: a streamed reply, as typed events and as a message.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use claude_rs_types::message::Message;
use claude_rs_types::stream::{ContentBlockDelta, ContentBlockDeltaEvent, MessageStreamEvent};
use futures_core::Stream;
use http::HeaderMap;

use super::accumulate::MessageAccumulator;
use crate::core::backend::Framing;
use crate::core::call::request_id;
use crate::core::client::OpenStream;
use crate::core::error::{Error, ProtocolKind};
use crate::core::events::{RawEvents, stream_api_error};
use crate::core::rate_limits::RateLimits;
use crate::telemetry::StreamTrace;

/// A streamed reply of `POST /v1/messages`.
///
/// It is a [`Stream`] of typed events (also readable with
/// [`next`](Self::next) without any extra crate), and it accumulates them,
/// so the message so far is always at hand ([`snapshot`](Self::snapshot))
/// and the whole reply is one call away ([`final_message`](Self::final_message)).
///
/// Unknown events are yielded as [`MessageStreamEvent::Unknown`] and never
/// end the stream. If the stream fails midway, the error is
/// [`Error::Stream`] carrying the message accumulated up to that point.
///
/// ```
/// use claude_rs_mock::Fault;
/// use claude_rs_types::stream::MessageStreamEvent;
/// use claude_rs_types::{error::ErrorType, message::StopReason};
/// # use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # server.enqueue(claude_rs_mock::MockResponse::text("The sky is blue because of Rayleigh scattering."));
/// # server.enqueue(claude_rs_mock::MockResponse::text("The sky is blue because of Rayleigh scattering."));
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// # let request = CreateMessageRequest::new("claude-sonnet-5", 256, vec![MessageParam::user("Why is the sky blue?")]);
/// let answer = "The sky is blue because of Rayleigh scattering.";
/// let mut stream = client.messages().stream(request.clone()).await?;
/// while let Some(event) = stream.next().await {
///     if let MessageStreamEvent::ContentBlockDelta(_) = event? {
///         // The message so far is always at hand.
///         let so_far = stream.snapshot().expect("started").text();
///         assert!(answer.starts_with(&so_far));
///     }
/// }
/// let message = stream.final_message().await?;
/// assert_eq!(message.text(), answer);
/// assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
///
/// // A stream that fails midway keeps what had arrived.
/// server.fail_next(Fault::sse_error_at(4, ErrorType::Overloaded));
/// let error = client.messages().stream(request).await?.final_message().await.unwrap_err();
/// assert!(error.is_overloaded());
/// let partial = error.partial_message().expect("the message so far").text();
/// assert!(!partial.is_empty() && answer.starts_with(&partial));
/// # Ok(())
/// # }
/// ```
pub struct MessageStream {
    events: RawEvents,
    accumulator: MessageAccumulator,
    headers: HeaderMap,
    /// An event read ahead (to check the first one) and not yet yielded.
    pending: Option<MessageStreamEvent>,
    finished: bool,
    /// The call's span, ended with the stream.
    trace: StreamTrace,
}

impl std::fmt::Debug for MessageStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageStream")
            .field("request_id", &self.request_id())
            .field("snapshot", &self.accumulator.snapshot())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl OpenStream for MessageStream {
    fn open(framing: Framing, headers: HeaderMap) -> Self {
        Self::new(framing, headers)
    }

    async fn first_event(&mut self) -> Result<(), Error> {
        self.peek_first().await.map(|_| ())
    }
}

impl MessageStream {
    pub(crate) fn new(framing: Framing, headers: HeaderMap) -> Self {
        let events = RawEvents::new(framing);
        Self {
            events,
            accumulator: MessageAccumulator::new(),
            headers,
            pending: None,
            finished: false,
            trace: StreamTrace::new(Default::default()),
        }
    }

    /// The stream with the span of its call, which records the events as
    /// they are read and ends with the stream.
    pub(crate) fn traced(mut self, trace: StreamTrace) -> Self {
        self.trace = trace;
        self
    }

    /// Reads the first event ahead, so the retry loop can retry a stream
    /// that fails before it. The event is yielded later as usual.
    pub(crate) async fn peek_first(&mut self) -> Result<&MessageStreamEvent, Error> {
        if self.pending.is_none() {
            let event = std::future::poll_fn(|cx| self.poll_event(cx)).await;
            match event {
                Some(Ok(event)) => self.pending = Some(event),
                Some(Err(error)) => return Err(error),
                None => {
                    return Err(Error::protocol(
                        ProtocolKind::EndedEarly,
                        "the stream ended before any event",
                    ));
                }
            }
        }
        match &self.pending {
            Some(event) => Ok(event),
            None => Err(Error::protocol(ProtocolKind::EndedEarly, "no event")),
        }
    }

    /// The next event; `None` once the stream is over.
    pub async fn next(&mut self) -> Option<Result<MessageStreamEvent, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The message as accumulated so far (`None` before `message_start`).
    pub fn snapshot(&self) -> Option<&Message> {
        self.accumulator.snapshot()
    }

    /// The raw tool-input JSON of a block that has not stopped yet.
    pub fn partial_json(&self, index: usize) -> Option<&str> {
        self.accumulator.partial_json(index)
    }

    /// Parses tool inputs as they arrive, for [`partial_input`](Self::partial_input)
    /// (see [`MessageAccumulator::live_input`]).
    pub fn live_input(mut self) -> Self {
        self.accumulator.set_live_input(true);
        self
    }

    /// The input parsed so far of the tool call at `index` while it streams
    /// (with [`live_input`](Self::live_input) on).
    ///
    /// ```
    /// # use claude_rs_types::request::{CreateMessageRequest, MessageParam};
    /// # use claude_rs_types::stream::MessageStreamEvent;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), claude_rs_client::Error> {
    /// # let server = claude_rs_mock::MockServer::start().await;
    /// # server.enqueue(claude_rs_mock::MockResponse::tool_use("get_weather", serde_json::json!({"city": "Paris"})));
    /// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
    /// # let request = CreateMessageRequest::new("claude-sonnet-5", 256, vec![MessageParam::user("Weather?")]);
    /// let mut stream = client.messages().stream(request).await?.live_input();
    /// while let Some(event) = stream.next().await {
    ///     if let MessageStreamEvent::ContentBlockDelta(delta) = event? {
    ///         if let Some(input) = stream.partial_input(delta.index) {
    ///             println!("so far: {input}"); // {"city": "Pa"}, then {"city": "Paris"}
    ///         }
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn partial_input(&self, index: usize) -> Option<&serde_json::Value> {
        self.accumulator.partial_input(index)
    }

    /// The tool calls whose input was cut short by `max_tokens` (see
    /// [`MessageAccumulator::incomplete_inputs`]).
    pub fn incomplete_inputs(&self) -> &[usize] {
        self.accumulator.incomplete_inputs()
    }

    /// The deltas that could not be folded into the message, in arrival
    /// order (see [`MessageAccumulator::unapplied_deltas`]).
    pub fn unapplied_deltas(&self) -> &[ContentBlockDeltaEvent] {
        self.accumulator.unapplied_deltas()
    }

    /// The response headers (rate-limit headers and the like).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate limits the answer reports (`anthropic-ratelimit-*`).
    pub fn rate_limits(&self) -> RateLimits {
        RateLimits::from_headers(&self.headers)
    }

    /// The request id, for support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// Reads the rest of the stream and returns the whole message.
    pub async fn final_message(mut self) -> Result<Message, Error> {
        if let Some(event) = self.pending.take() {
            self.trace.event(&event, self.accumulator.snapshot());
        }
        // As `next` until the end, but each event is dropped where it was
        // decoded instead of being handed up through the stream.
        std::future::poll_fn(|cx| {
            loop {
                match ready!(self.poll_step(cx, drop)) {
                    Some(Ok(())) => {}
                    Some(Err(error)) => return Poll::Ready(Err(error)),
                    None => return Poll::Ready(Ok(())),
                }
            }
        })
        .await?;
        self.accumulator.into_message().ok_or_else(|| {
            Error::protocol(ProtocolKind::EndedEarly, "the stream had no message_start")
        })
    }

    /// Reads the rest of the stream and returns the text of the message.
    pub async fn final_text(self) -> Result<String, Error> {
        self.final_message().await.map(|message| message.text())
    }

    /// The text as it arrives: a stream of the `text_delta` pieces.
    pub fn text_stream(self) -> TextStream {
        TextStream { inner: self }
    }

    /// Wraps a failure with the message accumulated so far (and ends the
    /// call's span with it).
    fn fail(&mut self, source: Error) -> Error {
        self.finished = true;
        let error = Error::Stream {
            partial: self.accumulator.snapshot().cloned().map(Box::new),
            source: Box::new(source),
        };
        self.trace.end(Some(&error), self.accumulator.snapshot());
        error
    }

    /// Reads, decodes and accumulates the next event.
    fn poll_event(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<MessageStreamEvent, Error>>> {
        self.poll_step(cx, |event| event)
    }

    /// Reads, decodes and accumulates the next event, and hands it to
    /// `consume` (inlined, so an event that is dropped is never moved).
    #[inline(always)]
    fn poll_step<R>(
        &mut self,
        cx: &mut Context<'_>,
        consume: impl FnOnce(MessageStreamEvent) -> R,
    ) -> Poll<Option<Result<R, Error>>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let raw = match ready!(self.events.poll_next(cx)) {
            Some(Ok(raw)) => raw,
            Some(Err(error)) => return Poll::Ready(Some(Err(self.fail(error)))),
            None if self.accumulator.is_complete() => {
                self.finished = true;
                self.trace.end(None, self.accumulator.snapshot());
                return Poll::Ready(None);
            }
            None => {
                let why = "the stream ended before message_stop";
                let error = Error::protocol(ProtocolKind::EndedEarly, why);
                return Poll::Ready(Some(Err(self.fail(error))));
            }
        };
        let event: MessageStreamEvent = match raw.decode() {
            Ok(event) => event,
            Err(error) => return Poll::Ready(Some(Err(self.fail(error)))),
        };
        if let MessageStreamEvent::Error(body) = &event {
            let error = stream_api_error(body, raw.data(), &self.headers);
            return Poll::Ready(Some(Err(self.fail(error))));
        }
        if let Err(error) = self.accumulator.apply(&event) {
            return Poll::Ready(Some(Err(self.fail(error))));
        }
        self.trace.event(&event, self.accumulator.snapshot());
        Poll::Ready(Some(Ok(consume(event))))
    }
}

impl Stream for MessageStream {
    type Item = Result<MessageStreamEvent, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(event) = this.pending.take() {
            // Read ahead before the span was attached: seen now.
            this.trace.event(&event, this.accumulator.snapshot());
            return Poll::Ready(Some(Ok(event)));
        }
        this.poll_event(cx)
    }
}

/// The text pieces of a [`MessageStream`], from [`MessageStream::text_stream`].
///
/// The underlying stream keeps accumulating, so [`TextStream::into_inner`]
/// gives back a stream whose snapshot holds everything read.
///
/// ```
/// # use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # server.enqueue(claude_rs_mock::MockResponse::text("Once upon a time, a crab learned Rust."));
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// # let request = CreateMessageRequest::new("claude-sonnet-5", 256, vec![MessageParam::user("A story, please")]);
/// let mut text = client.messages().stream(request).await?.text_stream();
/// let mut pieces = Vec::new();
/// while let Some(piece) = text.next().await {
///     pieces.push(piece?); // print!("{piece}") as it arrives
/// }
/// assert!(pieces.len() > 1);
/// assert_eq!(pieces.concat(), "Once upon a time, a crab learned Rust.");
///
/// // The message stream behind it has the rest: stop reason, usage, ids.
/// let message = text.into_inner().final_message().await?;
/// assert_eq!(message.text(), pieces.concat());
/// assert!(message.usage.output_tokens > 0);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct TextStream {
    inner: MessageStream,
}

impl TextStream {
    /// The next piece of text; `None` once the stream is over.
    pub async fn next(&mut self) -> Option<Result<String, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The message stream behind this text stream.
    pub fn into_inner(self) -> MessageStream {
        self.inner
    }
}

impl Stream for TextStream {
    type Item = Result<String, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let inner = &mut self.get_mut().inner;
        loop {
            match ready!(Pin::new(&mut *inner).poll_next(cx)) {
                Some(Ok(MessageStreamEvent::ContentBlockDelta(delta))) => {
                    if let ContentBlockDelta::Text(text) = delta.delta {
                        return Poll::Ready(Some(Ok(text.text)));
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}
