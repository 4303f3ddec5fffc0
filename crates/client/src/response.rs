//! [`ApiResponse`]: a decoded answer together with its HTTP metadata.

use http::{HeaderMap, StatusCode};

/// A decoded answer with its status and headers, for callers that need the
/// request id or rate-limit headers (`anthropic-ratelimit-*`).
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The decoded body.
    pub value: T,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
}

impl<T> ApiResponse<T> {
    /// A value with the metadata of the response it came from.
    pub(crate) fn from_parts(value: T, response: http::Response<()>) -> Self {
        let (parts, ()) = response.into_parts();
        Self {
            value,
            status: parts.status,
            headers: parts.headers,
        }
    }

    /// The request id, for support.
    pub fn request_id(&self) -> Option<&str> {
        crate::client::request_id(&self.headers)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The decoded body, dropping the metadata.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
