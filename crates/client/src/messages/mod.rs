//! The Messages API: `create`, `stream`, `count_tokens`.

mod accumulate;
#[cfg(feature = "schemars")]
mod parse;
mod partial_json;
mod stream;

use std::future::IntoFuture;

use claude_rs_transport::RequestBody;
use claude_rs_types::request::{CountTokensRequest, CountTokensResponse};
use claude_rs_types::{message::Message, request::CreateMessageRequest};
use futures_util::future::BoxFuture;

use crate::core::api_call::ApiCall;
use crate::core::call::{JSON, encode_json};
use crate::core::client::Client;
use crate::core::error::{Error, InvalidRequestKind};
use crate::core::options::{RequestOptions, request_option_methods};
use crate::core::response::ApiResponse;
use crate::telemetry::StreamTrace;

pub use accumulate::MessageAccumulator;
#[cfg(feature = "schemars")]
pub use parse::{ParseMessage, ParsedMessage};
pub use stream::{MessageStream, TextStream};

/// A pending `count_tokens` call; await it for the count.
pub type CountTokens<'a> = ApiCall<'a, CountTokensResponse>;

/// Above this expected duration a non-streaming call is refused, as in the
/// official SDKs (10 minutes).
const NON_STREAMING_LIMIT_SECS: u64 = 600;

/// The Messages API, from [`Client::messages`].
#[derive(Debug, Clone, Copy)]
pub struct Messages<'a> {
    client: &'a Client,
}

impl<'a> Messages<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// `POST /v1/messages`: the whole reply at once. Await the returned
    /// builder, or call [`CreateMessage::with_response`] for the headers too.
    pub fn create(&self, request: CreateMessageRequest) -> CreateMessage<'a> {
        CreateMessage {
            client: self.client,
            request,
            options: RequestOptions::default(),
        }
    }

    /// `POST /v1/messages` with `stream: true`: the reply as it is written.
    pub fn stream(&self, request: CreateMessageRequest) -> StreamMessage<'a> {
        StreamMessage {
            client: self.client,
            request,
            options: RequestOptions::default(),
        }
    }

    /// `POST /v1/messages/count_tokens`: how many input tokens a request
    /// would use, without running it (free, separately rate limited).
    /// Takes a [`CountTokensRequest`] or `&CreateMessageRequest`, so the
    /// request about to be sent can be measured first.
    ///
    /// ```
    /// # use claude_rs_types::request::{CreateMessageRequest, MessageParam};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), claude_rs_client::Error> {
    /// # let server = claude_rs_mock::MockServer::start().await;
    /// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
    /// let request = CreateMessageRequest::new(
    ///     "claude-sonnet-5",
    ///     1024,
    ///     vec![MessageParam::user("Hello, Claude")],
    /// );
    /// let count = client.messages().count_tokens(&request).await?;
    /// assert!(count.input_tokens > 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn count_tokens(&self, request: impl Into<CountTokensRequest>) -> CountTokens<'a> {
        let request = request.into();
        let refused = self.client.api_version().check_count(&request).err();
        self.client
            .post("/v1/messages/count_tokens")
            .json(&request)
            .fail_with(refused)
            .describe("token count")
            .output()
    }
}

/// A pending `create` call; await it, or set per-call options first.
#[derive(Debug)]
#[must_use = "a request does nothing until awaited"]
pub struct CreateMessage<'a> {
    client: &'a Client,
    request: CreateMessageRequest,
    options: RequestOptions,
}

impl<'a> CreateMessage<'a> {
    request_option_methods!();

    /// Sends the request and returns the message with its status and headers.
    pub async fn with_response(mut self) -> Result<ApiResponse<Message>, Error> {
        self.client.api_version().check_message(&self.request)?;
        self.check_duration()?;
        if self.request.stream == Some(true) {
            self.request.stream = None;
        }
        self.client
            .post("/v1/messages")
            .json(&self.request)
            .options(self.options)
            .describe("Message body")
            .output::<Message>()
            .with_response()
            .await
    }

    /// The official SDKs refuse non-streaming calls that may outlast the
    /// default deadline: `max_tokens` at 128,000 tokens an hour taking over
    /// 10 minutes. An explicit timeout (on the call or the client) lifts it.
    fn check_duration(&self) -> Result<(), Error> {
        let explicit = self.options.timeout.is_some() || self.client.config().timeout_is_explicit;
        let expected_secs = 3600 * u64::from(self.request.max_tokens) / 128_000;
        if !explicit && expected_secs > NON_STREAMING_LIMIT_SECS {
            return Err(Error::invalid_request(
                InvalidRequestKind::NeedsStreaming,
                format!(
                    "max_tokens {} may take longer than 10 minutes without streaming; use \
                     messages().stream(..) or set an explicit timeout",
                    self.request.max_tokens
                ),
            ));
        }
        Ok(())
    }
}

impl<'a> IntoFuture for CreateMessage<'a> {
    type Output = Result<Message, Error>;
    type IntoFuture = BoxFuture<'a, Result<Message, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.with_response().await.map(ApiResponse::into_inner) })
    }
}

/// A pending `stream` call; await it to get a [`MessageStream`].
#[derive(Debug)]
#[must_use = "a request does nothing until awaited"]
pub struct StreamMessage<'a> {
    client: &'a Client,
    request: CreateMessageRequest,
    options: RequestOptions,
}

impl<'a> StreamMessage<'a> {
    request_option_methods!();

    /// Opens the stream. It is opened inside the client's retry loop, up
    /// to its first event: an error status, a connection failure or an
    /// `error` event before any content (an `overloaded_error`) is retried
    /// by the same policy within one retry budget; once the first event has
    /// arrived nothing is sent again.
    pub async fn send(mut self) -> Result<MessageStream, Error> {
        self.client.api_version().check_message(&self.request)?;
        self.request.stream = Some(true);
        let body = encode_json(&self.request)?;
        // One span for every attempt and the reading of the stream, started
        // when the first attempt is prepared.
        let mut span = None;
        let opened = self
            .client
            .post("/v1/messages")
            .body(RequestBody::from(body), JSON)
            .options(self.options)
            .open_stream::<MessageStream>(&mut span)
            .await;
        let span = span.unwrap_or_default();
        match opened {
            Ok(stream) => Ok(stream.traced(StreamTrace::new(span))),
            Err(error) => {
                span.failed(&error);
                Err(error)
            }
        }
    }
}

impl<'a> IntoFuture for StreamMessage<'a> {
    type Output = Result<MessageStream, Error>;
    type IntoFuture = BoxFuture<'a, Result<MessageStream, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
