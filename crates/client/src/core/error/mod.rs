//! The client's error type.

mod api;
mod kinds;

use std::fmt;
use std::time::Duration;

use claude_rs_transport::BoxError;
use claude_rs_types::{error::ErrorType, message::Message};
use http::StatusCode;

use crate::core::operation::Operation;

pub use api::ApiError;
pub(crate) use api::{body_start, request_id};
pub use kinds::{ConfigKind, InvalidRequestKind, ProtocolKind, TimeoutKind};

/// Everything that can go wrong in a call.
///
/// Match on the variant, or use the predicates ([`Error::is_retryable`],
/// [`Error::is_rate_limit`], ...), which look through [`Error::Stream`] to the
/// cause. `Display` says what failed at this level; the cause, when there is
/// one, is [`source()`](std::error::Error::source), so a report that walks
/// the chain prints each cause once.
///
/// Here the mock answers the first call with a 429 (a
/// `claude_rs_mock::Fault`) and the second with a scripted 400 that carries
/// an error code:
///
/// ```
/// use std::time::Duration;
/// use claude_rs_client::{Client, Error};
/// use claude_rs_mock::{Fault, MockResponse, MockServer};
/// use claude_rs_types::error_code::ErrorCode;
/// use claude_rs_types::{request::CreateMessageRequest, error::ErrorType, request::MessageParam};
/// use claude_rs_client::http::StatusCode;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let server = MockServer::start().await;
/// server.fail_next(Fault::rate_limited().retry_after(7));
/// server.enqueue(
///     MockResponse::error(StatusCode::BAD_REQUEST, ErrorType::InvalidRequest, "image too large")
///         .with_error_code("image_dimensions_too_large"),
/// );
/// let client = Client::builder()
///     .api_key("sk-ant-...")
///     .base_url(server.base_url())
///     .max_retries(0)
///     .build()?;
/// let ask = || {
///     let request = CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")]);
///     client.messages().create(request)
/// };
///
/// // By kind, with the predicates.
/// let error = ask().await.unwrap_err();
/// assert!(error.is_rate_limit() && !error.is_overloaded());
/// assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
/// assert!(error.request_id().is_some_and(|id| id.starts_with("req_")));
/// assert_eq!(error.api().unwrap().rate_limits().retry_after, Some(Duration::from_secs(7)));
///
/// // Or with a `match` on the variants.
/// let what = match ask().await {
///     Ok(message) => message.text(),
///     Err(Error::Api(api)) if api.error_code() == Some(ErrorCode::ImageDimensionsTooLarge) => {
///         format!("{} error: {}", api.status.as_u16(), api.message)
///     }
///     Err(error @ (Error::Timeout { .. } | Error::Connection(_))) => format!("retry later: {error}"),
///     Err(other) => return Err(other),
/// };
/// assert_eq!(what, "400 error: image too large");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error (an HTTP status >= 400, or an `error`
    /// event in a stream).
    Api(Box<ApiError>),
    /// The connection failed: refused, reset, TLS, proxy, or a broken body.
    Connection(claude_rs_transport::Error),
    /// No answer in time: the request deadline passed, or a stream went
    /// silent for longer than the idle timeout.
    Timeout {
        /// Which limit was hit.
        kind: TimeoutKind,
        /// The limit.
        after: Duration,
    },
    /// A response or stream event could not be decoded.
    Decode {
        /// What was being decoded (e.g. `message_delta event`, `Message body`).
        what: String,
        /// The offending payload, cut to 2 KiB.
        payload: String,
        /// The decoder's error.
        source: serde_json::Error,
    },
    /// A stream failed after it started; `partial` is everything that had
    /// arrived, accumulated, so nothing is lost.
    Stream {
        /// The message as accumulated before the failure (`None` if the
        /// failure came before `message_start`).
        partial: Option<Box<Message>>,
        /// Why the stream failed.
        source: Box<Error>,
    },
    /// The answer broke the protocol: a stream that ended before
    /// `message_stop`, an event for a block that does not exist, a body of
    /// the wrong content type.
    Protocol {
        /// What kind of breach it was.
        kind: ProtocolKind,
        /// What arrived, in words (with the start of the body where it helps).
        message: String,
    },
    /// The event stream could not be parsed (an event over the size limit).
    EventStream(claude_rs_sse::Error),
    /// The request was refused before sending (a client-side check).
    InvalidRequest {
        /// Why it was refused.
        kind: InvalidRequestKind,
        /// What was wrong, in words.
        message: String,
        /// The underlying failure (a serializer or file error), if any.
        source: Option<BoxError>,
    },
    /// The client is misconfigured (for example, no API key).
    Config {
        /// What is wrong.
        kind: ConfigKind,
        /// What is wrong, in words (naming the setting or variable).
        message: String,
        /// The underlying failure, if any.
        source: Option<BoxError>,
    },
    /// The client's backend (a cloud platform) does not offer this call.
    /// Nothing was sent.
    Unsupported {
        /// The call.
        operation: Operation,
        /// The backend's name (`Amazon Bedrock`, ...).
        platform: &'static str,
    },
    /// A structured-output reply ([`Messages::parse`](crate::messages::Messages::parse))
    /// is not the type asked for. Nothing is lost: `text` is the whole reply.
    StructuredOutput {
        /// The reply's text, whole.
        text: String,
        /// Why it does not decode.
        source: serde_json::Error,
    },
    /// Credentials or a token could not be obtained for a request.
    Credentials {
        /// What could not be obtained, in words.
        message: String,
        /// Whether trying again may help (a token endpoint that was down).
        transient: bool,
        /// The provider's error, if any.
        source: Option<BoxError>,
    },
    /// A tower layer added with [`ClientBuilder::layer`](crate::ClientBuilder::layer)
    /// failed with an error of its own (`tower::timeout::error::Elapsed`,
    /// a load-shed refusal, ...).
    Other(BoxError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => error.fmt(f),
            Error::Connection(claude_rs_transport::Error::BodyTooLarge { limit }) => {
                write!(
                    f,
                    "the response body is larger than the limit of {limit} bytes"
                )
            }
            Error::Connection(_) => f.write_str("connection to the API failed"),
            Error::Timeout { kind, after } => match kind {
                TimeoutKind::Request => write!(f, "request timed out after {after:?}"),
                TimeoutKind::StreamIdle => write!(f, "stream idle: no data for {after:?}"),
                TimeoutKind::Connect => write!(f, "connect timed out after {after:?}"),
            },
            Error::Decode { what, .. } => write!(f, "could not decode the {what}"),
            Error::Stream { partial, .. } => {
                let blocks = partial.as_ref().map_or(0, |m| m.content.len());
                write!(f, "stream failed after {blocks} content block(s) arrived")
            }
            Error::Protocol { message, .. } => write!(f, "protocol error: {message}"),
            Error::EventStream(_) => f.write_str("could not parse the event stream"),
            Error::InvalidRequest { message, .. } => write!(f, "invalid request: {message}"),
            Error::Config { message, .. } => write!(f, "client configuration: {message}"),
            Error::Unsupported {
                operation,
                platform,
            } => write!(f, "{operation} is not supported on {platform}"),
            Error::StructuredOutput { text, .. } => write!(
                f,
                "the reply is not the requested output type ({} bytes of text)",
                text.len()
            ),
            Error::Credentials { message, .. } => {
                write!(f, "could not get credentials: {message}")
            }
            Error::Other(_) => f.write_str("a client layer failed"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection(error) => Some(error),
            Error::Decode { source, .. } | Error::StructuredOutput { source, .. } => Some(source),
            Error::EventStream(error) => Some(error),
            Error::Stream { source, .. } => Some(source.as_ref()),
            Error::InvalidRequest { source, .. }
            | Error::Config { source, .. }
            | Error::Credentials { source, .. } => source.as_deref().map(|s| s as _),
            Error::Other(source) => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// A stock tower middleware's error: this crate's own errors come back
/// unchanged; anything else is kept as [`Error::Other`].
impl From<BoxError> for Error {
    fn from(error: BoxError) -> Self {
        match error.downcast::<Error>() {
            Ok(error) => *error,
            Err(other) => Error::Other(other),
        }
    }
}

impl Error {
    /// The error behind a [`Error::Stream`] wrapper, or `self`.
    pub fn cause(&self) -> &Error {
        match self {
            Error::Stream { source, .. } => source.cause(),
            other => other,
        }
    }

    /// The API error, if the API answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self.cause() {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<StatusCode> {
        self.api().map(|e| e.status)
    }

    /// The request id of an API error.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(|e| e.request_id.as_deref())
    }

    /// The message accumulated before a stream failed.
    pub fn partial_message(&self) -> Option<&Message> {
        match self {
            Error::Stream { partial, .. } => partial.as_deref(),
            _ => None,
        }
    }

    /// An API error of this status, or of this type (which is what an
    /// `error` event inside a stream, with status 200, carries).
    fn is_api_error(&self, status: u16, kind: ErrorType) -> bool {
        self.api()
            .is_some_and(|e| e.status.as_u16() == status || e.error_type.as_ref() == Some(&kind))
    }

    /// 400, or an `invalid_request_error`: the request itself is wrong.
    pub fn is_invalid_request(&self) -> bool {
        self.is_api_error(400, ErrorType::InvalidRequest)
    }

    /// 401, or an `authentication_error`: the key is missing or wrong.
    pub fn is_authentication(&self) -> bool {
        self.is_api_error(401, ErrorType::Authentication)
    }

    /// 402, or a `billing_error`.
    pub fn is_billing(&self) -> bool {
        self.is_api_error(402, ErrorType::Billing)
    }

    /// 403, or a `permission_error`: the key may not use this resource.
    pub fn is_permission(&self) -> bool {
        self.is_api_error(403, ErrorType::Permission)
    }

    /// 404, or a `not_found_error`.
    pub fn is_not_found(&self) -> bool {
        self.is_api_error(404, ErrorType::NotFound)
    }

    /// 413, or a `request_too_large` error.
    pub fn is_request_too_large(&self) -> bool {
        self.is_api_error(413, ErrorType::RequestTooLarge)
    }

    /// 429, or a `rate_limit_error`.
    pub fn is_rate_limit(&self) -> bool {
        self.is_api_error(429, ErrorType::RateLimit)
    }

    /// 500, or an `api_error`: something failed inside the API.
    pub fn is_internal(&self) -> bool {
        self.is_api_error(500, ErrorType::Api)
    }

    /// 504, or a `timeout_error`: the request timed out inside the API
    /// (see [`is_timeout`](Self::is_timeout) for the client's own limits).
    pub fn is_api_timeout(&self) -> bool {
        self.is_api_error(504, ErrorType::Timeout)
    }

    /// 529, or an `overloaded_error` (also inside a stream).
    pub fn is_overloaded(&self) -> bool {
        self.is_api_error(529, ErrorType::Overloaded)
    }

    /// 401 or 403.
    pub fn is_auth(&self) -> bool {
        self.status()
            .is_some_and(|s| s == StatusCode::UNAUTHORIZED || s == StatusCode::FORBIDDEN)
    }

    /// A timeout of any kind, including a stock tower timeout layer's.
    pub fn is_timeout(&self) -> bool {
        match self.cause() {
            Error::Timeout { .. } => true,
            Error::Other(source) => source.is::<tower::timeout::error::Elapsed>(),
            _ => false,
        }
    }

    /// A connection failure.
    pub fn is_connection(&self) -> bool {
        matches!(self.cause(), Error::Connection(_))
    }

    pub(crate) fn decode(
        what: impl Into<String>,
        payload: &[u8],
        source: serde_json::Error,
    ) -> Self {
        Error::Decode {
            what: what.into(),
            payload: body_start(payload, 2048),
            source,
        }
    }

    pub(crate) fn protocol(kind: ProtocolKind, message: impl Into<String>) -> Self {
        Error::Protocol {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn invalid_request(kind: InvalidRequestKind, message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            kind,
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn config(kind: ConfigKind, message: impl Into<String>) -> Self {
        Error::Config {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Converts a transport error, separating timeouts from connection failures.
    pub(crate) fn from_transport(error: claude_rs_transport::Error) -> Self {
        match &error {
            claude_rs_transport::Error::ConnectTimeout { timeout, .. } => Error::Timeout {
                kind: TimeoutKind::Connect,
                after: *timeout,
            },
            claude_rs_transport::Error::IdleTimeout { timeout } => Error::Timeout {
                kind: TimeoutKind::StreamIdle,
                after: *timeout,
            },
            _ => Error::Connection(error),
        }
    }
}
