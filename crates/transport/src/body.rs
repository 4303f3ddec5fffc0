//! The streaming response body, with an idle-read timeout and a bounded
//! collector.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};

use crate::error::{BoxError, Error};
use crate::sync_box::SyncBoxBody;

/// The default limit for [`Body::collect_limited`]: 64 MiB.
///
/// Generous enough for the largest non-streaming API response (a long
/// completion, a batch results page, a file's metadata), yet a bound on the
/// memory a misbehaving or malicious peer can make us allocate.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// A response body that yields frames as they arrive from the network.
///
/// Nothing is buffered unless asked for with [`collect_limited`](Self::collect_limited);
/// server-sent event streams can be consumed frame by frame through
/// [`http_body::Body`] (e.g. `http_body_util::BodyExt::frame`).
///
/// # Idle-read timeout
///
/// A total deadline is the wrong tool for streaming responses, which may
/// legitimately last many minutes. Instead a body can carry an *idle*
/// timeout: if the consumer is waiting for the next frame and none arrives
/// within the timeout, the body yields [`Error::IdleTimeout`]. The timer
/// restarts whenever a frame arrives, and only runs while the body is being
/// polled, so a consumer that is slow to read is never blamed on the server.
/// The transport applies its configured default
/// ([`Builder::read_idle_timeout`](crate::Builder::read_idle_timeout));
/// [`with_idle_timeout`](Self::with_idle_timeout) overrides it per body.
///
/// After yielding an error the body is finished and yields `None`.
pub struct Body {
    kind: Kind,
    idle: Option<Idle>,
}

enum Kind {
    Incoming(Incoming),
    Full(Option<Bytes>),
    Boxed(SyncBoxBody),
    /// Terminal state after an error.
    Done,
}

struct Idle {
    timeout: Duration,
    sleep: Pin<Box<Sleep>>,
    /// Whether `sleep` was reset since the last frame arrived.
    armed: bool,
}

impl Idle {
    fn new(timeout: Duration) -> Idle {
        Idle {
            timeout,
            sleep: Box::pin(tokio::time::sleep(timeout)),
            armed: false,
        }
    }
}

impl Body {
    /// A body with no bytes.
    pub fn empty() -> Body {
        Body::from_kind(Kind::Full(None))
    }

    /// Wraps any body; its errors become [`Error::Body`]. Useful to build
    /// responses in tests and mock services without a network.
    pub fn wrap<B>(body: B) -> Body
    where
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Body::from_kind(Kind::Boxed(SyncBoxBody::new(body)))
    }

    pub(crate) fn incoming(incoming: Incoming, idle_timeout: Option<Duration>) -> Body {
        Body::from_kind(Kind::Incoming(incoming)).with_optional_idle_timeout(idle_timeout)
    }

    fn from_kind(kind: Kind) -> Body {
        Body { kind, idle: None }
    }

    /// Sets the idle-read timeout of this body, replacing the transport's
    /// default. See [the type docs](Self#idle-read-timeout).
    pub fn with_idle_timeout(self, timeout: Duration) -> Body {
        self.with_optional_idle_timeout(Some(timeout))
    }

    /// Removes any idle-read timeout from this body.
    pub fn without_idle_timeout(self) -> Body {
        self.with_optional_idle_timeout(None)
    }

    fn with_optional_idle_timeout(mut self, timeout: Option<Duration>) -> Body {
        self.idle = timeout.map(Idle::new);
        self
    }

    /// The idle-read timeout in force for this body, if any.
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.idle.as_ref().map(|idle| idle.timeout)
    }

    /// Reads the whole body into memory, failing with
    /// [`Error::BodyTooLarge`] as soon as more than `limit` bytes arrive (the
    /// excess is never buffered). A `content-length` hint above the limit
    /// fails before reading anything. Trailers are discarded.
    pub fn collect_limited(self, limit: usize) -> CollectLimited {
        CollectLimited {
            body: self,
            buf: BytesMut::new(),
            first: None,
            limit,
        }
    }

    fn poll_inner(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        match &mut self.kind {
            Kind::Incoming(incoming) => Pin::new(incoming).poll_frame(cx).map(|frame| {
                frame.map(|r| {
                    r.map_err(|e| Error::Body {
                        source: Box::new(e),
                    })
                })
            }),
            Kind::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Kind::Boxed(body) => body
                .poll_frame(cx)
                .map(|frame| frame.map(|r| r.map_err(|source| Error::Body { source }))),
            Kind::Done => Poll::Ready(None),
        }
    }
}

impl HttpBody for Body {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let this = self.get_mut();
        match this.poll_inner(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(idle) = &mut this.idle {
                    idle.armed = false;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(err))) => {
                this.kind = Kind::Done;
                Poll::Ready(Some(Err(err)))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let Some(idle) = &mut this.idle else {
                    return Poll::Pending;
                };
                if !idle.armed {
                    idle.sleep.as_mut().reset(Instant::now() + idle.timeout);
                    idle.armed = true;
                }
                match idle.sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        this.kind = Kind::Done;
                        Poll::Ready(Some(Err(Error::IdleTimeout {
                            timeout: idle.timeout,
                        })))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Incoming(incoming) => incoming.is_end_stream(),
            Kind::Full(bytes) => bytes.is_none(),
            Kind::Boxed(body) => body.is_end_stream(),
            Kind::Done => true,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Incoming(incoming) => incoming.size_hint(),
            Kind::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::Boxed(body) => body.size_hint(),
            Kind::Done => SizeHint::with_exact(0),
        }
    }
}

impl Default for Body {
    fn default() -> Body {
        Body::empty()
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Body {
        Body::from_kind(Kind::Full((!bytes.is_empty()).then_some(bytes)))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Bytes::from(text).into()
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Bytes::from(bytes).into()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Body {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            Kind::Incoming(_) => "streaming",
            Kind::Full(_) => "in-memory",
            Kind::Boxed(_) => "wrapped",
            Kind::Done => "finished",
        };
        f.debug_struct("Body")
            .field("kind", &kind)
            .field("idle_timeout", &self.idle_timeout())
            .finish()
    }
}

/// The future returned by [`Body::collect_limited`].
#[must_use = "futures do nothing unless awaited"]
pub struct CollectLimited {
    body: Body,
    buf: BytesMut,
    /// The first chunk is kept as-is, so a single-chunk body is never copied.
    first: Option<Bytes>,
    limit: usize,
}

impl fmt::Debug for CollectLimited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CollectLimited")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl CollectLimited {
    fn len(&self) -> usize {
        self.first.as_ref().map_or(0, Bytes::len) + self.buf.len()
    }

    fn push(&mut self, chunk: Bytes) -> Result<(), Error> {
        if chunk.len() > self.limit - self.len() {
            return Err(Error::BodyTooLarge { limit: self.limit });
        }
        match self.first.take() {
            None if self.buf.is_empty() => self.first = Some(chunk),
            first => {
                if let Some(first) = first {
                    self.buf.extend_from_slice(&first);
                }
                self.buf.extend_from_slice(&chunk);
            }
        }
        Ok(())
    }
}

impl Future for CollectLimited {
    type Output = Result<Bytes, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.len() == 0 && this.body.size_hint().lower() > this.limit as u64 {
            return Poll::Ready(Err(Error::BodyTooLarge { limit: this.limit }));
        }
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        this.push(data)?;
                    }
                }
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Err(err)),
                Poll::Ready(None) => {
                    let bytes = match this.first.take() {
                        Some(first) => first,
                        None => std::mem::take(&mut this.buf).freeze(),
                    };
                    return Poll::Ready(Ok(bytes));
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
#[path = "body_tests.rs"]
mod tests;
