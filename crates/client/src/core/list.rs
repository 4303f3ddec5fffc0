//! List calls of any path ([`ApiCall::paginate`]): the first [`Page`],
//! every page as a [`Pages`] stream, or every item as a [`Paginator`]
//! stream that fetches the next page when the current one runs out.
//!
//! The API pages in two styles, and the paginator follows whichever the
//! answer carries:
//!
//! * **by token** (Files, Skills, Skill versions, most Managed Agents
//!   lists): a page's `next_page` token is sent back as `page`; the last
//!   page has none;
//! * **by id** (Models, Message Batches, the Admin API): `after_id` asks for the items after
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

use claude_rs_types::page::Page;
use futures_core::Stream;
use serde::de::DeserializeOwned;

use futures_util::future::BoxFuture;

use crate::core::api_call::{ApiCall, Template};
use crate::core::client::Client;
use crate::core::error::Error;
use crate::core::options::{RequestOptions, request_option_methods};
use crate::core::pages::{Cursor, Endpoint, Pages};
use crate::core::response::ApiResponse;

/// A pending list call ([`ApiCall::paginate`], or a handler's `list()`):
/// await it for the first [`Page`], or walk it with
/// [`into_stream`](Self::into_stream) (every item) or
/// [`pages`](Self::pages) (every page).
///
/// Query parameters of the call (filters such as `statuses[]`) are
/// repeated on every page; the cursor parameters (`limit`, `after_id`,
/// `before_id`, `page`) are set here.
///
/// ```
/// use claude_rs_client::types::models::ModelInfo;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// // Any list endpoint, page by page.
/// let mut pages = client.get("/v1/models").paginate::<ModelInfo>().limit(2).pages();
/// let mut seen = 0;
/// while let Some(page) = pages.next().await {
///     let page = page?;
///     assert!(page.data.len() <= 2);
///     seen += page.data.len();
/// }
/// assert!(seen > 2);
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until awaited"]
pub struct List<'a, T> {
    client: &'a Client,
    /// The call every page repeats, or why it could not be built
    /// (reported when sent).
    template: Result<Template, Error>,
    options: RequestOptions,
    cursor: Cursor,
    output: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("List")
            .field("template", &self.template)
            .field("cursor", &self.cursor)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T> ApiCall<'a, T> {
    /// A listing of `I` items from this `GET` call: await it for the first
    /// [`Page`], or walk every page or every item; see [`List`]. Query
    /// parameters given here are repeated on every page.
    pub fn paginate<I>(self) -> List<'a, I> {
        let call: ApiCall<'a, Page<I>> = self.output();
        let client = call.client();
        let (template, options) = call.into_template();
        List {
            client,
            template,
            options,
            cursor: Cursor::default(),
            output: PhantomData,
        }
    }
}

impl<'a, T> List<'a, T> {
    /// The same listing with its items decoded as `I` (a superset of `T`,
    /// say, or raw JSON).
    pub fn output<I>(self) -> List<'a, I> {
        List {
            client: self.client,
            template: self.template,
            options: self.options,
            cursor: self.cursor,
            output: PhantomData,
        }
    }
}

impl<'a, T: DeserializeOwned + Send + 'static> List<'a, T> {
    fn into_parts(self) -> Result<(Endpoint, Cursor), Error> {
        let endpoint = Endpoint::new(self.client.clone(), self.template?, self.options);
        Ok((endpoint, self.cursor))
    }

    /// Items per page (the API allows 1 to 1000 on most lists; its default
    /// is 20).
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

    request_option_methods!();

    /// Fetches the first page with its status and headers.
    pub async fn with_response(self) -> Result<ApiResponse<Page<T>>, Error> {
        let (endpoint, cursor) = self.into_parts()?;
        endpoint.fetch(&cursor).await.map(|(page, _)| page)
    }

    /// Every page from the starting cursor on, fetched one at a time. A
    /// call that could not be built is the stream's one item.
    pub fn pages(self) -> Pages<T> {
        let (endpoint, cursor, failed) = match self.into_parts() {
            Ok((endpoint, cursor)) => (Some(endpoint), Some(cursor), None),
            Err(error) => (None, None, Some(error)),
        };
        Pages::new(endpoint, cursor, failed)
    }

    /// Every item from the starting cursor on, fetching pages lazily. A
    /// call that could not be built (an empty id) is the stream's one item.
    pub fn into_stream(self) -> Paginator<T> {
        Paginator {
            pages: self.pages(),
            items: VecDeque::new(),
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

/// Every item of a listing, as a `Stream`; a page is fetched only when the
/// previous one has been consumed (no prefetch).
///
/// It stops after a page without a `next_page` token and with `has_more:
/// false` (or without the cursor id needed to go on), and after a page
/// that says `has_more: false` whatever token it carries. A server that points
/// at the same page again would make it loop forever; it ends with
/// [`Error::Protocol`] instead. After an error the stream ends.
///
/// Use [`next`](Self::next) without any stream library, or any `Stream`
/// combinator.
///
/// ```
/// use claude_rs_types::batch::BatchRequest;
/// use claude_rs_types::request::{CreateMessageRequest, MessageParam};
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
    pages: Pages<T>,
    items: VecDeque<T>,
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("pages", &self.pages)
            .field("buffered", &self.items.len())
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
}

// Nothing is pinned in place: the page future is boxed.
impl<T> Unpin for Paginator<T> {}

impl<T: DeserializeOwned + Send + 'static> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.items.extend(page.data),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}
