//! The request body type accepted by [`HttpTransport`](crate::HttpTransport).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::Full;

use crate::error::BoxError;
use crate::sync_box::SyncBoxBody;

/// The body of a request sent through [`HttpTransport`](crate::HttpTransport).
///
/// Two shapes exist because the SDK has two kinds of request:
///
/// * **In memory** (`From<Bytes>`, `From<String>`, `From<Vec<u8>>`,
///   [`empty`](Self::empty)): the serialized JSON of an API call. Building one
///   from [`Bytes`] is a reference-count bump, so a retrying client keeps the
///   `Bytes` and builds a fresh request per attempt; [`try_clone`](Self::try_clone)
///   does the same for an existing body. The exact length is known, so a
///   `content-length` header is sent.
/// * **Streaming** ([`wrap`](Self::wrap)): any [`http_body::Body`], e.g. a file
///   upload read in chunks. It is sent with chunked encoding (HTTP/1.1) and can
///   be sent only once.
///
/// The transport takes this concrete type rather than any `B: Body` so that a
/// single hyper client (and so a single connection pool) serves every request,
/// and the common in-memory case involves no boxing.
pub struct RequestBody {
    kind: Kind,
}

enum Kind {
    /// `None` once the single data frame has been yielded.
    Full(Option<Bytes>),
    Stream(SyncBoxBody),
}

impl RequestBody {
    /// A body with no bytes, for `GET` and `DELETE` requests.
    pub fn empty() -> RequestBody {
        RequestBody {
            kind: Kind::Full(None),
        }
    }

    /// Wraps a streaming body. Its errors surface as
    /// [`Error::Request`](crate::Error::Request).
    pub fn wrap<B>(body: B) -> RequestBody
    where
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        RequestBody {
            kind: Kind::Stream(SyncBoxBody::new(body)),
        }
    }

    /// The in-memory bytes, or `None` for a streaming body (or an in-memory
    /// body that has already been sent).
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.kind {
            Kind::Full(bytes) => bytes.as_ref(),
            Kind::Stream(_) => None,
        }
    }

    /// A copy of an in-memory body (cheap: it shares the bytes), or `None`
    /// for a streaming body, which can be read only once.
    pub fn try_clone(&self) -> Option<RequestBody> {
        match &self.kind {
            Kind::Full(bytes) => Some(RequestBody {
                kind: Kind::Full(bytes.clone()),
            }),
            Kind::Stream(_) => None,
        }
    }
}

impl Default for RequestBody {
    fn default() -> RequestBody {
        RequestBody::empty()
    }
}

impl fmt::Debug for RequestBody {
    // The content is deliberately not printed: it may hold user data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Full(bytes) => f
                .debug_struct("RequestBody")
                .field("len", &bytes.as_ref().map_or(0, Bytes::len))
                .finish(),
            Kind::Stream(_) => f
                .debug_struct("RequestBody")
                .field("streaming", &true)
                .finish(),
        }
    }
}

impl From<Bytes> for RequestBody {
    fn from(bytes: Bytes) -> RequestBody {
        RequestBody {
            // An empty chunk is normalised away so `is_end_stream` is exact.
            kind: Kind::Full((!bytes.is_empty()).then_some(bytes)),
        }
    }
}

impl From<Vec<u8>> for RequestBody {
    fn from(bytes: Vec<u8>) -> RequestBody {
        Bytes::from(bytes).into()
    }
}

impl From<String> for RequestBody {
    fn from(text: String) -> RequestBody {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for RequestBody {
    fn from(text: &'static str) -> RequestBody {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<&'static [u8]> for RequestBody {
    fn from(bytes: &'static [u8]) -> RequestBody {
        Bytes::from_static(bytes).into()
    }
}

impl From<Full<Bytes>> for RequestBody {
    fn from(full: Full<Bytes>) -> RequestBody {
        // `Full` yields its single frame synchronously, so polling it once
        // with a no-op waker recovers the bytes without boxing.
        let mut full = full;
        let mut cx = Context::from_waker(Waker::noop());
        match Pin::new(&mut full).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) => data.into(),
                Err(_) => RequestBody::empty(),
            },
            Poll::Ready(Some(Err(never))) => match never {},
            Poll::Ready(None) | Poll::Pending => RequestBody::empty(),
        }
    }
}

impl HttpBody for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().kind {
            Kind::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Kind::Stream(body) => body.poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Full(bytes) => bytes.is_none(),
            Kind::Stream(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::Stream(body) => body.size_hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, StreamBody};

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn is_send_and_sync() {
        assert_send_sync::<RequestBody>();
    }

    #[tokio::test]
    async fn in_memory_body_round_trips_and_clones() {
        let body = RequestBody::from(Bytes::from_static(b"{\"a\":1}"));
        assert_eq!(body.size_hint().exact(), Some(7));
        let copy = body.try_clone().expect("in-memory bodies clone");
        assert_eq!(body.collect().await.unwrap().to_bytes(), "{\"a\":1}");
        assert_eq!(copy.collect().await.unwrap().to_bytes(), "{\"a\":1}");
    }

    #[tokio::test]
    async fn full_is_unwrapped_without_boxing() {
        let body = RequestBody::from(Full::new(Bytes::from_static(b"xyz")));
        assert_eq!(body.as_bytes().map(|b| &b[..]), Some(&b"xyz"[..]));
        assert!(RequestBody::from(Full::new(Bytes::new())).is_end_stream());
    }

    #[tokio::test]
    async fn streaming_body_is_forwarded_and_not_cloneable() {
        let chunks = futures_stream(vec![b"ab".as_slice(), b"cd".as_slice()]);
        let body = RequestBody::wrap(StreamBody::new(chunks));
        assert!(body.try_clone().is_none());
        assert_eq!(body.collect().await.unwrap().to_bytes(), "abcd");
    }

    fn futures_stream(
        parts: Vec<&'static [u8]>,
    ) -> impl futures_core::Stream<Item = Result<Frame<Bytes>, std::io::Error>> + Send {
        Iter(parts.into_iter())
    }

    struct Iter(std::vec::IntoIter<&'static [u8]>);

    impl futures_core::Stream for Iter {
        type Item = Result<Frame<Bytes>, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(
                self.0
                    .next()
                    .map(|b| Ok(Frame::data(Bytes::from_static(b)))),
            )
        }
    }
}
