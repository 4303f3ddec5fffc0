//! [`Pages`]: every page of a listing, fetched one at a time, in the
//! page's own style (see [`list`](super::list)).

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use claude_rs_types::common::Extra;
use claude_rs_types::page::Page;
use futures_core::Stream;
use futures_util::future::BoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::core::api_call::{ApiCall, Template};
use crate::core::client::Client;
use crate::core::encode::component;
use crate::core::error::{Error, ProtocolKind};
use crate::core::options::RequestOptions;
use crate::core::response::ApiResponse;

/// Where a listing is and where it goes next.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cursor {
    pub(crate) limit: Option<u32>,
    pub(crate) after_id: Option<String>,
    pub(crate) before_id: Option<String>,
    pub(crate) page: Option<String>,
}

impl Cursor {
    /// The cursor's part of the query, encoded.
    pub(crate) fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(limit) = self.limit {
            parts.push(format!("limit={limit}"));
        }
        if let Some(page) = &self.page {
            parts.push(format!("page={}", component(page)));
        }
        if let Some(id) = &self.after_id {
            parts.push(format!("after_id={}", component(id)));
        }
        if let Some(id) = &self.before_id {
            parts.push(format!("before_id={}", component(id)));
        }
        parts.join("&")
    }
}

/// What a listing needs to fetch any of its pages; owned, so a
/// [`Paginator`] can outlive the handle that made it.
#[derive(Clone)]
pub(crate) struct Endpoint {
    client: Client,
    pub(crate) template: Template,
    options: RequestOptions,
}

impl Endpoint {
    pub(crate) fn new(client: Client, template: Template, options: RequestOptions) -> Self {
        Self {
            client,
            template,
            options,
        }
    }

    /// One page, and whether it said `has_more: false` in so many words
    /// (which ends the listing whatever token it carries, as the usage and
    /// cost reports may send a `next_page` on their last page).
    pub(crate) async fn fetch<T: DeserializeOwned>(
        &self,
        cursor: &Cursor,
    ) -> Result<(ApiResponse<Page<T>>, bool), Error> {
        let call: ApiCall<'_, Wire<T>> =
            self.template
                .call(&self.client, self.options.clone(), &cursor.query());
        let response = call.with_response().await?;
        let last = response.value.has_more == Some(false);
        let response = ApiResponse {
            value: response.value.into_page(),
            status: response.status,
            headers: response.headers,
        };
        Ok((response, last))
    }
}

/// A page as it arrives, `has_more` read apart so that its absence (token
/// lists that never send it) differs from `false`. Its fields are
/// [`Page`]'s, named one by one: a `#[serde(flatten)]` of the whole page
/// would buffer every item into serde's intermediate form and decode it a
/// second time.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Wire<T> {
    data: Vec<T>,
    #[serde(default)]
    has_more: Option<bool>,
    #[serde(default)]
    first_id: Option<String>,
    #[serde(default)]
    last_id: Option<String>,
    #[serde(default)]
    next_page: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl<T> Wire<T> {
    /// The page, `has_more` as [`Page`] keeps it (`false` when not sent).
    fn into_page(self) -> Page<T> {
        Page {
            data: self.data,
            has_more: self.has_more.unwrap_or(false),
            first_id: self.first_id,
            last_id: self.last_id,
            next_page: self.next_page,
            extra: self.extra,
        }
    }
}

/// The fetch of one page.
type PageFuture<T> = BoxFuture<'static, Result<(ApiResponse<Page<T>>, bool), Error>>;

/// Every page of a listing, as a `Stream` ([`List::pages`](crate::List::pages)); a page is
/// fetched only when the previous one has been taken (no prefetch).
///
/// It follows the page's own style: a `next_page` token is sent back as
/// `page`; otherwise, while `has_more`, `after_id = last_id` (or
/// `before_id = first_id` for a listing that started with `before_id`).
/// A page that says `has_more: false` is the last, even with a token.
/// A server that points at the same page again would make it loop
/// forever; it ends with [`Error::Protocol`] after that page instead.
/// After an error the stream ends.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    /// `None` when the call could not be built (`failed` says why).
    endpoint: Option<Endpoint>,
    /// The cursor of the next page; `None` once the listing is over.
    cursor: Option<Cursor>,
    backwards: bool,
    pending: Option<(Cursor, PageFuture<T>)>,
    /// An error to yield before ending (after the page that caused it).
    failed: Option<Error>,
}

// Nothing is pinned in place: the page future is boxed.
impl<T> Unpin for Pages<T> {}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("path", &self.endpoint.as_ref().map(|e| e.template.path()))
            .field("next", &self.cursor)
            .field("fetching", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// The pages from `cursor` on, or the one error `failed`.
    pub(crate) fn new(
        endpoint: Option<Endpoint>,
        cursor: Option<Cursor>,
        failed: Option<Error>,
    ) -> Self {
        Self {
            backwards: cursor.as_ref().is_some_and(|c| c.before_id.is_some()),
            endpoint,
            cursor,
            pending: None,
            failed,
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    /// The next page, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Page<T>, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Decides the cursor after `page`, in the page's own style; a cursor
    /// that did not move ends the listing with an error after the page.
    fn advance(&mut self, asked: Cursor, page: &Page<T>, last: bool) {
        if last {
            self.cursor = None;
            return;
        }
        let mut next = asked.clone();
        let (moved, previous) = match &page.next_page {
            Some(token) if !token.is_empty() => {
                next.page = Some(token.clone());
                next.after_id = None;
                next.before_id = None;
                (token.clone(), asked.page)
            }
            _ => {
                let id = if self.backwards {
                    &page.first_id
                } else {
                    &page.last_id
                };
                let Some(id) = id.clone().filter(|_| page.has_more) else {
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
            let path = self.endpoint.as_ref().map_or("", |e| e.template.path());
            self.failed = Some(Error::protocol(
                ProtocolKind::CursorStuck,
                format!(
                    "listing {path} did not advance: the page after {moved:?} pointed at \
                     {moved:?} again"
                ),
            ));
            return;
        }
        self.cursor = Some(next);
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.pending.is_none() {
            let (Some(endpoint), Some(cursor)) = (&this.endpoint, this.cursor.take()) else {
                return Poll::Ready(this.failed.take().map(Err));
            };
            let endpoint = endpoint.clone();
            let asked = cursor.clone();
            let fetch = Box::pin(async move { endpoint.fetch(&asked).await });
            this.pending = Some((cursor, fetch));
        }
        let Some((_, fetch)) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let outcome = ready!(fetch.as_mut().poll(cx));
        let Some((asked, _)) = this.pending.take() else {
            return Poll::Ready(None);
        };
        // On error `cursor` stays `None`: the stream ends after it.
        let (page, last) = match outcome {
            Ok((page, last)) => (page.into_inner(), last),
            Err(error) => return Poll::Ready(Some(Err(error))),
        };
        this.advance(asked, &page, last);
        Poll::Ready(Some(Ok(page)))
    }
}
