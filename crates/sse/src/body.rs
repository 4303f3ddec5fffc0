//! [`BodyChunks`]: an `http_body::Body` seen as a `Stream` of `Bytes`.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes};
use futures_core::Stream;
use http_body::Body;
use pin_project_lite::pin_project;

pin_project! {
    /// The data frames of an [`http_body::Body`] as a `Stream` of `Bytes`;
    /// trailers frames are skipped. Made by
    /// [`EventStream::from_body`](crate::EventStream::from_body).
    ///
    /// Frames whose data type is `Bytes` (hyper's) are passed on without a
    /// copy; other `Buf` types are copied once.
    #[derive(Debug)]
    pub struct BodyChunks<B> {
        #[pin]
        body: B,
    }
}

impl<B> BodyChunks<B> {
    /// Wraps `body`.
    pub fn new(body: B) -> Self {
        Self { body }
    }

    /// Gives back the body.
    pub fn into_inner(self) -> B {
        self.body
    }
}

impl<B: Body> Stream for BodyChunks<B> {
    type Item = Result<Bytes, B::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut body = self.project().body;
        loop {
            let Some(frame) = ready!(body.as_mut().poll_frame(cx)) else {
                return Poll::Ready(None);
            };
            match frame.map(|frame| frame.into_data()) {
                Ok(Ok(mut data)) => {
                    // Zero-copy when `B::Data` is `Bytes`.
                    let bytes = data.copy_to_bytes(data.remaining());
                    return Poll::Ready(Some(Ok(bytes)));
                }
                Ok(Err(_trailers)) => continue,
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Unknown frame count; but a finished body yields nothing more.
        if self.body.is_end_stream() {
            (0, Some(0))
        } else {
            (0, None)
        }
    }
}
