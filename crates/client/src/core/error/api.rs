//! [`ApiError`]: an error answered by the API.

use std::fmt;

use bytes::Bytes;
use claude_rs_types::error::ErrorType;
use http::{HeaderMap, Method, StatusCode, Uri};

use crate::core::operation::Operation;
use crate::core::rate_limits::RateLimits;

/// An error answered by the API: an HTTP status >= 400, or an `error` event
/// inside a stream.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use claude_rs_client::Client;
/// use claude_rs_mock::{Fault, MockServer};
/// use claude_rs_types::{request::CreateMessageRequest, error::ErrorType, request::MessageParam};
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
/// let body: claude_rs_types::error::ErrorResponse = serde_json::from_slice(&api.body).unwrap();
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
    /// The method of the request that was answered with the error (`None`
    /// for an error a stream carried after it opened).
    pub method: Option<Method>,
    /// The host (and port, if the URL names one) the request went to; never
    /// any user name or password of the URL.
    pub host: Option<String>,
    /// The path the request went to, without its query.
    pub path: Option<String>,
}

/// Like the official SDKs: `API error 400 (invalid_request_error): message
/// (error_code: ..., request_id: ..., POST api.anthropic.com/v1/messages)`.
/// A `permission_error` also says that the key lacks permission (the admin
/// key, on an Admin API call). The query string and any credentials of the
/// URL are never shown.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.status.as_u16())?;
        if let Some(kind) = &self.error_type {
            write!(f, " ({kind})")?;
        }
        write!(f, ": {}", self.message)?;
        let mut items = Vec::new();
        if self.error_type == Some(ErrorType::Permission) {
            let admin = self
                .path
                .as_deref()
                .is_some_and(|path| Operation::of(&Method::GET, path, false) == Operation::Admin);
            let key = if admin { "the admin key" } else { "the key" };
            items.push(format!("{key} lacks permission for this call"));
        }
        if let Some(code) = self.details().and_then(|details| details.error_code) {
            items.push(format!("error_code: {code}"));
        }
        if let Some(id) = &self.request_id {
            items.push(format!("request_id: {id}"));
        }
        if let Some(method) = &self.method {
            let host = self.host.as_deref().unwrap_or("");
            let path = self.path.as_deref().unwrap_or("");
            items.push(format!("{method} {host}{path}"));
        }
        if !items.is_empty() {
            write!(f, " ({})", items.join(", "))?;
        }
        Ok(())
    }
}

impl ApiError {
    /// The one way an [`ApiError`] is made: every error answer, stream
    /// `error` event and platform error goes through here. The request id is
    /// `request_id` (from the body) else the `request-id` header.
    pub(crate) fn new(
        status: StatusCode,
        error_type: Option<ErrorType>,
        message: String,
        request_id: Option<String>,
        body: Bytes,
        headers: HeaderMap,
    ) -> Self {
        let request_id = request_id.or_else(|| self::request_id(&headers).map(str::to_owned));
        Self {
            status,
            error_type,
            message,
            request_id,
            body,
            headers,
            method: None,
            host: None,
            path: None,
        }
    }

    /// Names the request that was answered with the error: its method, its
    /// host and its path (no query, no user name or password).
    pub(crate) fn with_request(mut self, method: &Method, uri: &Uri) -> Self {
        self.method = Some(method.clone());
        self.host = uri.host().map(|host| match uri.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        });
        self.path = Some(uri.path().to_owned());
        self
    }

    /// The error's structured detail (`error.details`), decoded from the
    /// body; `None` when it has none or is not an API error object.
    pub fn details(&self) -> Option<claude_rs_types::error_code::ErrorDetails> {
        let body: claude_rs_types::error::ErrorResponse =
            serde_json::from_slice(&self.body).ok()?;
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

/// The `request-id` header.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("request-id").and_then(|v| v.to_str().ok())
}

/// The first `max` bytes of a body as text, for error messages.
pub(crate) fn body_start(body: &[u8], max: usize) -> String {
    String::from_utf8_lossy(&body[..body.len().min(max)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_request_without_userinfo_or_query() {
        let uri: Uri = "https://user:pw-secret@example.com:8443/v1/files/f1?key=q-secret"
            .parse()
            .unwrap();
        let body = Bytes::from_static(
            br#"{"type":"error","error":{"type":"not_found_error","message":"gone","details":{"error_code":"file_expired"}}}"#,
        );
        let error = ApiError::new(
            StatusCode::NOT_FOUND,
            Some(ErrorType::NotFound),
            "gone".to_owned(),
            Some("req_1".to_owned()),
            body,
            HeaderMap::new(),
        )
        .with_request(&Method::GET, &uri);
        assert_eq!(
            error.to_string(),
            "API error 404 (not_found_error): gone (error_code: file_expired, request_id: req_1, \
             GET example.com:8443/v1/files/f1)"
        );
    }

    #[test]
    fn a_permission_error_says_the_key_lacks_permission() {
        let refused = |path: &str| {
            let uri: Uri = format!("https://api.anthropic.com{path}").parse().unwrap();
            ApiError::new(
                StatusCode::FORBIDDEN,
                Some(ErrorType::Permission),
                "not allowed".to_owned(),
                Some("req_2".to_owned()),
                Bytes::new(),
                HeaderMap::new(),
            )
            .with_request(&Method::GET, &uri)
            .to_string()
        };
        assert_eq!(
            refused("/v1/organizations/users"),
            "API error 403 (permission_error): not allowed (the admin key lacks permission for \
             this call, request_id: req_2, GET api.anthropic.com/v1/organizations/users)"
        );
        assert!(refused("/v1/files").contains("(the key lacks permission for this call,"));
    }
}
