//! [`ApiError`]: an error answered by the API.

use std::fmt;

use bytes::Bytes;
use claude_rs_types::ErrorType;
use http::{HeaderMap, StatusCode};

use crate::core::rate_limits::RateLimits;

/// An error answered by the API: an HTTP status >= 400, or an `error` event
/// inside a stream.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use claude_rs_client::Client;
/// use claude_rs_mock::{Fault, MockServer};
/// use claude_rs_types::{CreateMessageRequest, ErrorType, MessageParam};
///
/// let server = MockServer::start().await;
/// server.fail_next(Fault::rate_limited());
/// let client = Client::builder()
///     .api_key("sk-ant-...")
///     .base_url(server.base_url())
///     .max_retries(0)
///     .build()
///     .unwrap();
/// let request = CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")]);
/// let error = client.messages().create(request).await.unwrap_err();
/// let api = error.api().expect("an API error");
/// assert_eq!(api.status.as_u16(), 429);
/// assert_eq!(api.error_type, Some(ErrorType::RateLimit));
/// assert!(api.request_id.as_deref().is_some_and(|id| id.starts_with("req_")));
///
/// // The raw body is kept; it decodes as the API's typed error object.
/// let body: claude_rs_types::ErrorResponse = serde_json::from_slice(&api.body).unwrap();
/// assert_eq!(body.error.kind, ErrorType::RateLimit);
/// assert_eq!(body.error.message, api.message);
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status (`200` for an `error` event inside a stream).
    pub status: StatusCode,
    /// The error type (`rate_limit_error`, ...); `None` when the body was not
    /// an API error object.
    pub error_type: Option<ErrorType>,
    /// The error message, or the start of the body when it was not an error
    /// object.
    pub message: String,
    /// The request id (`request-id` header or body), for support.
    pub request_id: Option<String>,
    /// The raw error body.
    pub body: Bytes,
    /// The response headers (rate-limit headers, `retry-after`, ...).
    pub headers: HeaderMap,
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

impl ApiError {
    /// The error's structured detail (`error.details`), decoded from the
    /// body; `None` when it has none or is not an API error object.
    pub fn details(&self) -> Option<claude_rs_types::error_code::ErrorDetails> {
        let body: claude_rs_types::ErrorResponse = serde_json::from_slice(&self.body).ok()?;
        body.error.details
    }

    /// What caused the error (`error.details.error_code`), when the API says.
    pub fn error_code(&self) -> Option<claude_rs_types::error_code::ErrorCode> {
        self.details()?.error_code
    }

    /// The rate limits the error answer reports (`anthropic-ratelimit-*`,
    /// `retry-after`): what a 429 says about when to try again.
    pub fn rate_limits(&self) -> RateLimits {
        RateLimits::from_headers(&self.headers)
    }
}

impl std::error::Error for ApiError {}
