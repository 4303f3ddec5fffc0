//! A type-erased body that is `Sync` without requiring the wrapped body to be.
//!
//! Streaming bodies built from futures and streams are routinely `Send` but
//! not `Sync`. Requiring `Sync` would reject them; dropping `Sync` would make
//! every `http::Request`/`http::Response` holding our body types `!Sync`. A
//! `Mutex` squares the circle: it is `Sync` when its content is `Send`, and
//! polling goes through `Mutex::get_mut`, which needs no locking at all
//! because `&mut self` already proves exclusive access.

use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;

use crate::error::BoxError;

/// A boxed `Send` body, made `Sync` by a never-contended mutex.
pub(crate) struct SyncBoxBody {
    inner: Mutex<UnsyncBoxBody<Bytes, BoxError>>,
}

impl SyncBoxBody {
    pub(crate) fn new<B>(body: B) -> SyncBoxBody
    where
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        SyncBoxBody {
            inner: Mutex::new(body.map_err(Into::into).boxed_unsync()),
        }
    }

    fn get_mut(&mut self) -> &mut UnsyncBoxBody<Bytes, BoxError> {
        // Poisoning is impossible in practice (nothing panics while holding
        // the lock) and harmless anyway: the body has no invariants to break.
        self.inner.get_mut().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn poll_frame(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        Pin::new(self.get_mut()).poll_frame(cx)
    }

    pub(crate) fn is_end_stream(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_end_stream()
    }

    pub(crate) fn size_hint(&self) -> SizeHint {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .size_hint()
    }
}
