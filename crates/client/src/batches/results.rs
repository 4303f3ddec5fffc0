//! [`BatchResults`]: the JSONL results of a batch, decoded line by line as
//! the body arrives.

use std::fmt;
use std::future::{IntoFuture, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use claude_rs_sse::BodyChunks;
use claude_rs_transport::Body;
use claude_rs_types::batch::{BatchResultLine, MessageBatch};
use futures_core::Stream;
use futures_util::future::BoxFuture;
use http::{HeaderMap, Method};

use super::Batches;
use super::lines::Lines;
use crate::core::call::ResponseMode;
use crate::core::client::Client;
use crate::core::error::{Error, InvalidRequestKind};
use crate::core::options::{RequestOptions, request_option_methods};

/// The longest result line accepted by default (64 MiB): far above any
/// single Messages reply, yet a bound on what a broken body can make the
/// client buffer.
pub const DEFAULT_MAX_LINE: usize = 64 << 20;

/// A pending `results` call; await it for a [`BatchResults`] stream.
#[derive(Debug)]
#[must_use = "a request does nothing until awaited"]
pub struct GetBatchResults<'a> {
    client: &'a Client,
    batch_id: String,
    max_line: usize,
    options: RequestOptions,
}

impl<'a> GetBatchResults<'a> {
    pub(crate) fn new(client: &'a Client, batch_id: &str) -> Self {
        Self {
            client,
            batch_id: batch_id.to_owned(),
            max_line: DEFAULT_MAX_LINE,
            options: RequestOptions::default(),
        }
    }

    request_option_methods!();

    /// The longest line accepted; a longer one ends the stream with
    /// [`Error::Protocol`] instead of growing the buffer without bound.
    pub fn max_line_length(mut self, bytes: usize) -> Self {
        self.max_line = bytes;
        self
    }

    /// Looks the batch up, then opens its results.
    ///
    /// Like the official SDKs, it first retrieves the batch: results exist
    /// only once it has ended (`results_url` set); before that this fails
    /// with [`Error::InvalidRequest`] naming the batch's status, without a
    /// second request. The results are read from the client's base URL.
    pub async fn send(self) -> Result<BatchResults, Error> {
        let batch: MessageBatch = Batches::new(self.client)
            .retrieve(&self.batch_id)
            .options(self.options.clone())
            .await?;
        if batch.results_url.is_none() {
            return Err(Error::invalid_request(
                InvalidRequestKind::NotReady,
                format!(
                    "message batch {} has no results yet: its processing_status is {}; results \
                     exist once it has ended",
                    self.batch_id, batch.processing_status
                ),
            ));
        }
        let response = Batches::new(self.client)
            .on_batch(Method::GET, &self.batch_id, "/results")
            .options(self.options)
            .response_as(ResponseMode::Binary)
            .await?;
        let (parts, body) = response.into_parts();
        let headers = parts.headers;
        Ok(BatchResults {
            chunks: BodyChunks::new(body),
            lines: Lines::new(self.max_line),
            headers,
            done: false,
        })
    }
}

impl<'a> IntoFuture for GetBatchResults<'a> {
    type Output = Result<BatchResults, Error>;
    type IntoFuture = BoxFuture<'a, Result<BatchResults, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The results of an ended batch, one [`BatchResultLine`] per request, in
/// no particular order (match them by `custom_id`).
///
/// The body is read as it arrives and each line decoded when it is
/// complete, so a batch of 100,000 results is never held in memory: the
/// stream keeps one network chunk and at most one line cut across chunks.
/// Stalls longer than the client's stream idle timeout fail with
/// [`Error::Timeout`]. After an error the stream ends.
pub struct BatchResults {
    chunks: BodyChunks<Body>,
    lines: Lines,
    headers: HeaderMap,
    done: bool,
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResults")
            .field("lines_read", &self.lines.number())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl BatchResults {
    /// The next result; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<BatchResultLine, Error>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The response headers (request id, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Bytes reserved for a line cut across network chunks: the parser's
    /// whole buffer. It grows to the longest such line and no further, so it
    /// shows that memory stays flat however many results are read.
    pub fn buffer_capacity(&self) -> usize {
        self.lines.buffer_capacity()
    }

    fn decode(line: &[u8], number: u64) -> Result<BatchResultLine, Error> {
        serde_json::from_slice(line)
            .map_err(|e| Error::decode(format!("batch result line {number}"), line, e))
    }

    /// The next non-blank line already buffered, decoded.
    fn buffered(&mut self, at_end: bool) -> Result<Option<BatchResultLine>, Error> {
        loop {
            // A returned line is always the one after the last.
            let number = self.lines.number() + 1;
            let line = if at_end {
                self.lines.finish()?
            } else {
                self.lines.next_line()?
            };
            match line {
                None => return Ok(None),
                Some(line) if line.iter().all(u8::is_ascii_whitespace) => {
                    if at_end {
                        return Ok(None);
                    }
                }
                Some(line) => return Self::decode(line, number).map(Some),
            }
        }
    }
}

impl Stream for BatchResults {
    type Item = Result<BatchResultLine, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        while !this.done {
            match this.buffered(false) {
                Ok(Some(result)) => return Poll::Ready(Some(Ok(result))),
                Ok(None) => {}
                Err(error) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
            match ready!(Pin::new(&mut this.chunks).poll_next(cx)) {
                Some(Ok(chunk)) => this.lines.feed(chunk),
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::from_transport(error))));
                }
                None => {
                    this.done = true;
                    return Poll::Ready(this.buffered(true).transpose());
                }
            }
        }
        Poll::Ready(None)
    }
}
