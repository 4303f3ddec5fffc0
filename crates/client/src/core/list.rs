//! List calls: one [`Page`] at a time, or every item as a [`Paginator`]
//! stream that fetches the next page when the current one runs out.
//!
//! The API pages in two styles, and the paginator follows whichever the
//! answer carries:
//!
//! * **by token** (Files, Skills, Skill versions): a page's `next_page`
//!   token is sent back as `page`; the last page has none;
//! * **by id** (Models, Message Batches): `after_id` asks for the items after
//!   an id, `before_id` for those before it, and each page says whether
//!   `has_more` items exist in that direction. A listing that starts with
//!   `before_id` walks backwards (`before_id = first_id`); any other walks
//!   forwards (`after_id = last_id`), as the official SDKs do.

use std::collections::VecDeque;
use std::fmt;
use std::future::{IntoFuture, poll_fn};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use claude_rs_types::Page;
use futures_core::Stream;
use http::Method;
use serde::de::DeserializeOwned;

use futures_util::future::BoxFuture;

use crate::core::call::{Call, encode_component};
use crate::core::client::Client;
use crate::core::error::{Error, ProtocolKind};
use crate::core::operation::Operation;
use crate::core::options::{RequestOptions, request_option_methods};
use crate::core::response::ApiResponse;

/// Where a listing is and where it goes next, and the filters every page
/// repeats.
#[derive(Debug, Clone, Default)]
struct Cursor {
    limit: Option<u32>,
    after_id: Option<String>,
    before_id: Option<String>,
    page: Option<String>,
    /// Filters as `(name, value)` pairs (`ids[]`, `source`), sent as given.
    filters: Vec<(&'static str, String)>,
}

impl Cursor {
    fn query(&self) -> Option<String> {
        let mut parts = Vec::new();
        for (name, value) in &self.filters {
            parts.push(format!(
                "{}={}",
                encode_component(name),
                encode_component(value)
            ));
        }
        if let Some(limit) = self.limit {
            parts.push(format!("limit={limit}"));
        }
        if let Some(page) = &self.page {
            parts.push(format!("page={}", encode_component(page)));
        }
        if let Some(id) = &self.after_id {
            parts.push(format!("after_id={}", encode_component(id)));
        }
        if let Some(id) = &self.before_id {
            parts.push(format!("before_id={}", encode_component(id)));
        }
        (!parts.is_empty()).then(|| parts.join("&"))
    }
}

/// What a listing needs to fetch any of its pages; owned, so a
/// [`Paginator`] can outlive the resource handle that made it.
#[derive(Clone)]
struct Endpoint {
    client: Client,
    operation: Operation,
    path: String,
    what: &'static str,
    options: RequestOptions,
}

impl Endpoint {
    async fn fetch<T: DeserializeOwned>(
        &self,
        cursor: &Cursor,
    ) -> Result<ApiResponse<Page<T>>, Error> {
        let call = Call {
            query: cursor.query(),
            ..Call::new(self.operation, Method::GET, &self.path, &self.options)
        };
        let (page, response) = self.client.json::<Page<T>>(call, self.what).await?;
        Ok(ApiResponse::from_parts(page, response))
    }
}

/// A pending list call: await it for one [`Page`], or turn it into a
/// [`Paginator`] with [`into_stream`](Self::into_stream) for every item.
#[must_use = "a request does nothing until awaited"]
pub struct List<'a, T> {
    client: &'a Client,
    operation: Operation,
    /// The path, or why it could not be built (reported when sent).
    path: Result<String, Error>,
    what: &'static str,
    options: RequestOptions,
    cursor: Cursor,
    output: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("List")
            .field("path", &self.path)
            .field("cursor", &self.cursor)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T: DeserializeOwned + Send + 'static> List<'a, T> {
    pub(crate) fn new(
        client: &'a Client,
        operation: Operation,
        path: Result<String, Error>,
        what: &'static str,
    ) -> Self {
        Self {
            client,
            operation,
            path,
            what,
            options: RequestOptions::default(),
            cursor: Cursor::default(),
            output: PhantomData,
        }
    }

    fn into_parts(self) -> Result<(Endpoint, Cursor), Error> {
        let endpoint = Endpoint {
            client: self.client.clone(),
            operation: self.operation,
            path: self.path?,
            what: self.what,
            options: self.options,
        };
        Ok((endpoint, self.cursor))
    }

    /// Items per page (the API allows 1 to 1000; its default is 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.cursor.limit = Some(limit);
        self
    }

    /// Starts after this id (forwards).
    pub fn after_id(mut self, id: impl Into<String>) -> Self {
        self.cursor.after_id = Some(id.into());
        self
    }

    /// Starts before this id; the listing then walks backwards.
    pub fn before_id(mut self, id: impl Into<String>) -> Self {
        self.cursor.before_id = Some(id.into());
        self
    }

    /// Starts at the page of this token (the `next_page` of an earlier
    /// page), for the lists that page by token.
    pub fn page(mut self, token: impl Into<String>) -> Self {
        self.cursor.page = Some(token.into());
        self
    }

    /// A query filter repeated on every page (`ids[]`, `source`).
    pub(crate) fn filter(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.cursor.filters.push((name, value.into()));
        self
    }

    request_option_methods!();

    /// Fetches the first page with its status and headers.
    pub async fn with_response(self) -> Result<ApiResponse<Page<T>>, Error> {
        let (endpoint, cursor) = self.into_parts()?;
        endpoint.fetch(&cursor).await
    }

    /// Every item from the starting cursor on, fetching pages lazily. A
    /// path that could not be built (an empty id) is the stream's one item.
    pub fn into_stream(self) -> Paginator<T> {
        let (client, operation, what) = (self.client.clone(), self.operation, self.what);
        let (endpoint, cursor, failed) = match self.into_parts() {
            Ok((endpoint, cursor)) => (endpoint, Some(cursor), None),
            Err(error) => {
                let options = RequestOptions::default();
                let path = String::new();
                let endpoint = Endpoint {
                    client,
                    operation,
                    path,
                    what,
                    options,
                };
                (endpoint, None, Some(error))
            }
        };
        Paginator {
            backwards: cursor.as_ref().is_some_and(|c| c.before_id.is_some()),
            endpoint,
            cursor,
            items: VecDeque::new(),
            pending: None,
            failed,
        }
    }
}

impl<'a, T: DeserializeOwned + Send + 'static> IntoFuture for List<'a, T> {
    type Output = Result<Page<T>, Error>;
    type IntoFuture = BoxFuture<'a, Result<Page<T>, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.with_response().await.map(ApiResponse::into_inner) })
    }
}

/// The fetch of one page.
type PageFuture<T> = BoxFuture<'static, Result<ApiResponse<Page<T>>, Error>>;

/// Every item of a listing, as a `Stream`; a page is fetched only when the
/// previous one has been consumed (no prefetch).
///
/// It stops after a page without a `next_page` token and with `has_more:
/// false` (or without the cursor id needed to go on). A server that points
/// at the same page again would make it loop forever; it ends with
/// [`Error::Protocol`] instead. After an error the stream ends.
///
/// Use [`next`](Self::next) without any stream library, or any `Stream`
/// combinator.
///
/// ```
/// use claude_rs_types::batch::BatchRequest;
/// use claude_rs_types::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// // Two models a page: the next page is fetched when this one runs out.
/// let mut models = client.models().list().limit(2).into_stream();
/// let mut ids = Vec::new();
/// while let Some(model) = models.next().await {
///     ids.push(model?.id);
/// }
/// assert!(ids.len() > 2);
/// assert_eq!(server.received("/v1/models").len(), ids.len().div_ceil(2));
///
/// // Or every item at once.
/// for name in ["a", "b", "c"] {
///     let request = CreateMessageRequest::new("claude-haiku-4-5", 64, vec![MessageParam::user("Hi")]);
///     client.batches().create(vec![BatchRequest::new(name, request)]).await?;
/// }
/// let batches = client.batches().list().limit(2).into_stream().collect_all().await?;
/// assert_eq!(batches.len(), 3);
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Paginator<T> {
    endpoint: Endpoint,
    /// The cursor of the next page; `None` once the listing is over.
    cursor: Option<Cursor>,
    backwards: bool,
    items: VecDeque<T>,
    pending: Option<(Cursor, PageFuture<T>)>,
    /// An error found in a page, yielded after that page's items.
    failed: Option<Error>,
}

// Nothing is pinned in place: the page future is boxed.
impl<T> Unpin for Paginator<T> {}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("path", &self.endpoint.path)
            .field("next", &self.cursor)
            .field("buffered", &self.items.len())
            .field("fetching", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> Paginator<T> {
    /// The next item, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Collects every remaining item.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    /// Takes in a page and decides the next cursor, in the page's own
    /// style; a cursor that did not move ends the listing with an error
    /// after the page's items.
    fn accept(&mut self, asked: Cursor, page: Page<T>) {
        self.items.extend(page.data);
        let mut next = asked.clone();
        let (moved, previous) = match page.next_page {
            Some(token) if !token.is_empty() => {
                next.page = Some(token.clone());
                next.after_id = None;
                next.before_id = None;
                (token, asked.page)
            }
            _ => {
                let id = if self.backwards {
                    page.first_id
                } else {
                    page.last_id
                };
                let Some(id) = id.filter(|_| page.has_more) else {
                    self.cursor = None;
                    return;
                };
                let slot = if self.backwards {
                    &mut next.before_id
                } else {
                    &mut next.after_id
                };
                let previous = slot.replace(id.clone());
                (id, previous)
            }
        };
        if previous.as_deref() == Some(moved.as_str()) {
            self.cursor = None;
            self.failed = Some(Error::protocol(
                ProtocolKind::CursorStuck,
                format!(
                    "listing {} did not advance: the page after {moved:?} pointed at {moved:?} \
                     again",
                    self.endpoint.path
                ),
            ));
            return;
        }
        self.cursor = Some(next);
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.failed.take() {
                return Poll::Ready(Some(Err(error)));
            }
            if this.pending.is_none() {
                let Some(cursor) = this.cursor.take() else {
                    return Poll::Ready(None);
                };
                let endpoint = this.endpoint.clone();
                let asked = cursor.clone();
                let fetch = Box::pin(async move { endpoint.fetch(&asked).await });
                this.pending = Some((cursor, fetch));
            }
            let Some((_, fetch)) = this.pending.as_mut() else {
                continue;
            };
            let outcome = ready!(fetch.as_mut().poll(cx));
            let Some((asked, _)) = this.pending.take() else {
                continue;
            };
            // On error `cursor` stays `None`: the stream ends after it.
            let page = outcome?.into_inner();
            this.accept(asked, page);
        }
    }
}
