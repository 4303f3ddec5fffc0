//! [`DownloadFile`] and [`FileDownload`]: a file's content (a File, a Skill
//! version), streamed.

use std::fmt;
use std::future::{IntoFuture, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use claude_rs_sse::BodyChunks;
use claude_rs_transport::Body;
use futures_core::Stream;
use futures_util::future::BoxFuture;
use http::HeaderMap;

use crate::core::api_call::ApiCall;
use crate::core::call::ResponseMode;
use crate::core::error::Error;
use crate::core::options::{RequestOptions, request_option_methods};

/// A pending `download` call; await it for a [`FileDownload`].
#[derive(Debug)]
#[must_use = "a request does nothing until awaited"]
pub struct DownloadFile<'a> {
    call: ApiCall<'a>,
    options: RequestOptions,
}

impl<'a> DownloadFile<'a> {
    /// The download of what `call` (a `GET`) answers.
    pub(crate) fn new(call: ApiCall<'a>) -> Self {
        Self {
            call,
            options: RequestOptions::default(),
        }
    }

    request_option_methods!();

    /// Sends the request; the body is not read yet.
    pub async fn send(self) -> Result<FileDownload, Error> {
        let response = self
            .call
            .options(self.options)
            .response_as(ResponseMode::Binary)
            .await?;
        let (parts, body) = response.into_parts();
        Ok(FileDownload {
            chunks: BodyChunks::new(body),
            headers: parts.headers,
        })
    }
}

impl<'a> IntoFuture for DownloadFile<'a> {
    type Output = Result<FileDownload, Error>;
    type IntoFuture = BoxFuture<'a, Result<FileDownload, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A file's content as a stream of chunks, read as they arrive (so a large
/// file can go to disk without being held in memory). Stalls longer than
/// the client's stream idle timeout fail with [`Error::Timeout`].
pub struct FileDownload {
    chunks: BodyChunks<Body>,
    headers: HeaderMap,
}

impl fmt::Debug for FileDownload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileDownload")
            .field("content_type", &self.content_type())
            .finish_non_exhaustive()
    }
}

impl FileDownload {
    /// The next chunk; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `content-type` of the file, as the API sent it.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// Reads the rest into memory, failing (instead of growing without
    /// bound) when it is longer than `limit` bytes.
    pub async fn collect(self, limit: usize) -> Result<Bytes, Error> {
        self.chunks
            .into_inner()
            .collect_limited(limit)
            .await
            .map_err(Error::from_transport)
    }

    /// The raw body, for use with any `http_body` tool.
    pub fn into_body(self) -> Body {
        self.chunks.into_inner()
    }
}

impl Stream for FileDownload {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.get_mut().chunks)
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Error::from_transport)))
    }
}
