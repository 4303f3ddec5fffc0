//! The client's error type.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use claude_types::{ErrorType, Message};
use http::{HeaderMap, StatusCode};

/// Everything that can go wrong in a call.
///
/// Match on the variant, or use the predicates ([`Error::is_retryable`],
/// [`Error::is_rate_limit`], ...), which look through [`Error::Stream`] to the
/// cause.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error (an HTTP status >= 400, or an `error`
    /// event in a stream).
    Api(Box<ApiError>),
    /// The connection failed: refused, reset, TLS, proxy, or a broken body.
    Connection(claude_transport::Error),
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
    /// The event stream broke the protocol: it ended before `message_stop`,
    /// or an event referred to a block that does not exist.
    Protocol(String),
    /// The event stream could not be parsed (an event over the size limit).
    EventStream(claude_sse::Error),
    /// The request was refused before sending (a client-side check).
    InvalidRequest(String),
    /// The client is misconfigured (for example, no API key).
    Config(String),
}

/// Which time limit a [`Error::Timeout`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The per-attempt request deadline.
    Request,
    /// No bytes arrived on a stream for the idle timeout.
    StreamIdle,
    /// Connecting took longer than the connect timeout.
    Connect,
}

/// An error answered by the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status (`200` for an `error` event inside a stream).
    pub status: StatusCode,
    /// The error type (`rate_limit_error`, ...); `None` when the body was not
    /// an API error object.
    pub error_type: Option<ErrorType>,
    /// The error message, or the body's text when it was not an error object.
    pub message: String,
    /// The request id (`request-id` header or body), for support.
    pub request_id: Option<String>,
    /// The raw error body.
    pub body: Bytes,
    /// The response headers (rate-limit headers, `retry-after`, ...).
    pub headers: HeaderMap,
}

impl ApiError {
    /// The error's structured detail (`error.details`), decoded from the
    /// body; `None` when it has none or is not an API error object.
    pub fn details(&self) -> Option<claude_types::error_code::ErrorDetails> {
        let body: claude_types::ErrorResponse = serde_json::from_slice(&self.body).ok()?;
        body.error.details
    }

    /// What caused the error (`error.details.error_code`), when the API says.
    pub fn error_code(&self) -> Option<claude_types::error_code::ErrorCode> {
        self.details()?.error_code
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.status.as_u16())?;
        if let Some(kind) = &self.error_type {
            write!(f, " ({kind})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => error.fmt(f),
            Error::Connection(error) => write!(f, "connection error: {error}"),
            Error::Timeout {
                kind: TimeoutKind::Request,
                after,
            } => {
                write!(f, "request timed out after {after:?}")
            }
            Error::Timeout {
                kind: TimeoutKind::StreamIdle,
                after,
            } => {
                write!(f, "stream idle: no data for {after:?}")
            }
            Error::Timeout {
                kind: TimeoutKind::Connect,
                after,
            } => {
                write!(f, "connect timed out after {after:?}")
            }
            Error::Decode { what, source, .. } => write!(f, "could not decode {what}: {source}"),
            Error::Stream { partial, source } => {
                let blocks = partial.as_ref().map_or(0, |m| m.content.len());
                write!(
                    f,
                    "stream failed after {blocks} content block(s) arrived: {source}"
                )
            }
            Error::Protocol(why) => write!(f, "stream protocol error: {why}"),
            Error::EventStream(error) => write!(f, "event stream: {error}"),
            Error::InvalidRequest(why) => write!(f, "invalid request: {why}"),
            Error::Config(why) => write!(f, "client configuration: {why}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection(error) => Some(error),
            Error::Decode { source, .. } => Some(source),
            Error::EventStream(error) => Some(error),
            Error::Stream { source, .. } => Some(source.as_ref()),
            _ => None,
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

    /// 429, or a `rate_limit_error`.
    pub fn is_rate_limit(&self) -> bool {
        self.api().is_some_and(|e| {
            e.status == StatusCode::TOO_MANY_REQUESTS || e.error_type == Some(ErrorType::RateLimit)
        })
    }

    /// 529, or an `overloaded_error` (also inside a stream).
    pub fn is_overloaded(&self) -> bool {
        self.api().is_some_and(|e| {
            e.status.as_u16() == 529 || e.error_type == Some(ErrorType::Overloaded)
        })
    }

    /// 401 or 403.
    pub fn is_auth(&self) -> bool {
        self.status()
            .is_some_and(|s| s == StatusCode::UNAUTHORIZED || s == StatusCode::FORBIDDEN)
    }

    /// A timeout of any kind.
    pub fn is_timeout(&self) -> bool {
        matches!(self.cause(), Error::Timeout { .. })
    }

    /// A connection failure.
    pub fn is_connection(&self) -> bool {
        matches!(self.cause(), Error::Connection(_))
    }

    /// Whether trying the same request again may succeed, by the official
    /// SDKs' rules (statuses 408, 409, 429, >= 500; connection errors;
    /// timeouts; an overloaded stream). Headers are not consulted here; the
    /// retry layer honours `x-should-retry` itself.
    pub fn is_retryable(&self) -> bool {
        match self.cause() {
            Error::Api(error) => {
                crate::layers::retry::status_is_retryable(error.status)
                    || error.error_type == Some(ErrorType::Overloaded)
            }
            Error::Connection(error) => error.is_retryable(),
            Error::Timeout { .. } => true,
            _ => false,
        }
    }

    pub(crate) fn decode(
        what: impl Into<String>,
        payload: &[u8],
        source: serde_json::Error,
    ) -> Self {
        const MAX: usize = 2048;
        let text = String::from_utf8_lossy(&payload[..payload.len().min(MAX)]).into_owned();
        Error::Decode {
            what: what.into(),
            payload: text,
            source,
        }
    }

    /// Converts a transport error, separating timeouts from connection failures.
    pub(crate) fn from_transport(error: claude_transport::Error) -> Self {
        match &error {
            claude_transport::Error::ConnectTimeout { timeout, .. } => Error::Timeout {
                kind: TimeoutKind::Connect,
                after: *timeout,
            },
            claude_transport::Error::IdleTimeout { timeout } => Error::Timeout {
                kind: TimeoutKind::StreamIdle,
                after: *timeout,
            },
            _ => Error::Connection(error),
        }
    }
}
