//! [`EventStream`]: a pending call to a streaming endpoint (the session and
//! thread event streams), opened by awaiting it.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use claude_rs_client::http::HeaderValue;
use claude_rs_client::{ApiCall, Error, Events, RequestOptions};
use serde::de::DeserializeOwned;

/// A call to a streaming endpoint; awaiting it opens the stream, an
/// [`Events`] of `E` (each Server-Sent Event decoded as `E`).
#[must_use = "a request does nothing until awaited"]
pub struct EventStream<'a, E> {
    call: ApiCall<'a>,
    events: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for EventStream<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("call", &self.call)
            .finish()
    }
}

impl<'a, E> EventStream<'a, E> {
    pub(crate) fn new<T>(call: ApiCall<'a, T>) -> Self {
        Self {
            call: call.output(),
            events: PhantomData,
        }
    }

    /// Applies per-call options (timeout, retries, more betas, headers).
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.call = self.call.options(options);
        self
    }

    /// Sends `anthropic-workspace-id`.
    pub fn workspace_id(mut self, id: HeaderValue) -> Self {
        self.call = self.call.workspace_id(id);
        self
    }

    /// The underlying call, to read the raw response instead.
    pub fn into_call(self) -> ApiCall<'a> {
        self.call
    }
}

impl<'a, E: DeserializeOwned + Send + 'a> IntoFuture for EventStream<'a, E> {
    type Output = Result<Events<E>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.call.events())
    }
}
