//! Structured outputs as Rust types: [`Messages::parse`] asks for JSON
//! matching `T`'s schema and returns the reply with the value decoded.

use std::future::IntoFuture;
use std::marker::PhantomData;

use claude_rs_types::config::OutputConfig;
use claude_rs_types::tool_schema::output_format_for;
use claude_rs_types::{message::Message, request::CreateMessageRequest};
use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;

use super::stream::MessageStream;
use super::{CreateMessage, Messages, StreamMessage};
use crate::core::error::{Error, InvalidRequestKind};
use crate::core::options::{RequestOptions, request_option_methods};
use crate::core::response::ApiResponse;

/// A reply together with its text decoded as `T`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ParsedMessage<T> {
    /// The reply as the API sent it.
    pub message: Message,
    /// Its text, decoded.
    pub parsed_output: T,
}

impl<T: DeserializeOwned> ParsedMessage<T> {
    /// Decodes the text of `message`; a text that is not a `T` is
    /// [`Error::StructuredOutput`], which keeps it.
    pub fn from_message(message: Message) -> Result<Self, Error> {
        let text = message.text();
        match serde_json::from_str(&text) {
            Ok(parsed_output) => Ok(Self {
                message,
                parsed_output,
            }),
            Err(source) => Err(Error::StructuredOutput { text, source }),
        }
    }
}

/// Sets `output_config.format` to `T`'s strict schema, keeping the rest of
/// the request's output settings.
fn with_output_type<T: schemars::JsonSchema>(
    mut request: CreateMessageRequest,
) -> Result<CreateMessageRequest, Error> {
    let format = output_format_for::<T>().map_err(|e| Error::InvalidRequest {
        kind: InvalidRequestKind::Body,
        message: format!(
            "no output schema can be made of {}",
            std::any::type_name::<T>()
        ),
        source: Some(Box::new(e)),
    })?;
    request
        .output_config
        .get_or_insert_with(OutputConfig::default)
        .format = Some(format);
    Ok(request)
}

impl<'a> Messages<'a> {
    /// `POST /v1/messages` asking for a reply that is JSON of type `T`
    /// (`output_config.format` set from `T`'s strict schema), decoded.
    ///
    /// ```
    /// use claude_rs_types::request::{CreateMessageRequest, MessageParam};
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct Capital {
    ///     /// The city.
    ///     city: String,
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), claude_rs_client::Error> {
    /// # let server = claude_rs_mock::MockServer::start().await;
    /// # server.enqueue(claude_rs_mock::MockResponse::text(r#"{"city": "Paris"}"#));
    /// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
    /// let request = CreateMessageRequest::new(
    ///     "claude-sonnet-5",
    ///     256,
    ///     vec![MessageParam::user("What is the capital of France?")],
    /// );
    /// let reply = client.messages().parse::<Capital>(request).await?;
    /// assert_eq!(reply.parsed_output.city, "Paris");
    /// # Ok(())
    /// # }
    /// ```
    pub fn parse<T>(&self, request: CreateMessageRequest) -> ParseMessage<'a, T>
    where
        T: schemars::JsonSchema + DeserializeOwned,
    {
        ParseMessage {
            create: with_output_type::<T>(request).map(|request| self.create(request)),
            options: RequestOptions::default(),
            output: PhantomData,
        }
    }

    /// Like [`stream`](Self::stream), asking for JSON of type `T`; read the
    /// decoded value at the end with [`MessageStream::final_parsed`].
    pub fn stream_parse<T>(&self, request: CreateMessageRequest) -> Result<StreamMessage<'a>, Error>
    where
        T: schemars::JsonSchema,
    {
        with_output_type::<T>(request).map(|request| self.stream(request))
    }
}

/// A pending [`Messages::parse`] call; await it for a [`ParsedMessage`].
#[derive(Debug)]
#[must_use = "a request does nothing until awaited"]
pub struct ParseMessage<'a, T> {
    create: Result<CreateMessage<'a>, Error>,
    options: RequestOptions,
    output: PhantomData<fn() -> T>,
}

impl<'a, T: DeserializeOwned> ParseMessage<'a, T> {
    request_option_methods!();

    /// Sends the request; the reply with its status and headers.
    pub async fn with_response(self) -> Result<ApiResponse<ParsedMessage<T>>, Error> {
        let response = self.create?.options(self.options).with_response().await?;
        let parsed = ParsedMessage::from_message(response.value)?;
        Ok(ApiResponse {
            value: parsed,
            status: response.status,
            headers: response.headers,
        })
    }
}

impl<'a, T: DeserializeOwned + Send + 'a> IntoFuture for ParseMessage<'a, T> {
    type Output = Result<ParsedMessage<T>, Error>;
    type IntoFuture = BoxFuture<'a, Result<ParsedMessage<T>, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.with_response().await.map(ApiResponse::into_inner) })
    }
}

impl MessageStream {
    /// Reads the rest of the stream and decodes its text as `T` (a stream
    /// opened with [`Messages::stream_parse`]).
    pub async fn final_parsed<T: DeserializeOwned>(self) -> Result<ParsedMessage<T>, Error> {
        ParsedMessage::from_message(self.final_message().await?)
    }
}
