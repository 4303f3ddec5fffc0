//! One HTTP call as a handler describes it, and the rules every call
//! shares: how an id goes into a path, how a body is encoded, where the
//! request id is.

use bytes::Bytes;
use claude_rs_transport::RequestBody;
use http::{HeaderMap, Method};
use serde::Serialize;

use crate::core::error::{Error, InvalidRequestKind};
use crate::core::operation::Operation;
use crate::core::options::RequestOptions;

/// The media type of JSON bodies.
pub(crate) const JSON: &str = "application/json";

/// How the answer of a call is read: a [`ResponseMode::Json`] body is read
/// whole inside the attempt's deadline, so a body cut short fails the
/// attempt and is retried as in the official SDKs; a streamed body is handed
/// on as it arrives and guarded by the idle timeout instead, since a total
/// deadline would cut long, healthy streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseMode {
    /// One JSON object (`accept: application/json`), read whole.
    Json,
    /// An event stream (`accept: text/event-stream`).
    EventStream,
    /// Raw bytes read as they arrive (`accept: application/binary`, as the
    /// official SDKs ask for file downloads and batch results).
    Binary,
}

impl ResponseMode {
    /// The `accept` header of the mode.
    pub(crate) fn accept(self) -> &'static str {
        match self {
            ResponseMode::Json => JSON,
            ResponseMode::EventStream => "text/event-stream",
            ResponseMode::Binary => "application/binary",
        }
    }

    /// Whether the body is read whole within the attempt.
    pub(crate) fn is_buffered(self) -> bool {
        self == ResponseMode::Json
    }
}

/// One HTTP call as a resource describes it.
pub(crate) struct Call<'a> {
    /// Which call of the API this is (for the backend's routing).
    pub(crate) operation: Operation,
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<String>,
    /// The body and its content type. In-memory bodies are replayed on
    /// retries; a streaming body (an upload) is sent once.
    pub(crate) body: Option<(RequestBody, &'a str)>,
    pub(crate) mode: ResponseMode,
    pub(crate) options: &'a RequestOptions,
}

impl<'a> Call<'a> {
    /// A call without a body, answered with JSON.
    pub(crate) fn new(
        operation: Operation,
        method: Method,
        path: &'a str,
        options: &'a RequestOptions,
    ) -> Self {
        Self {
            operation,
            method,
            path,
            query: None,
            body: None,
            mode: ResponseMode::Json,
            options,
        }
    }

    /// Sends `bytes` as a JSON body.
    pub(crate) fn json(mut self, bytes: Bytes) -> Self {
        self.body = Some((bytes.into(), JSON));
        self
    }
}

/// Percent-encodes `value` for a URL path segment or query value: every
/// byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`) is escaped, so an
/// id can never change the path or add parameters.
pub(crate) fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `prefix/{id}suffix` with the id encoded; an empty id is refused (it
/// would address the collection instead of one item).
pub(crate) fn item_path(prefix: &str, id: &str, suffix: &str) -> Result<String, Error> {
    if id.is_empty() {
        return Err(Error::invalid_request(
            InvalidRequestKind::EmptyId,
            format!("an empty id was given for {prefix}/{{id}}{suffix}"),
        ));
    }
    Ok(format!("{prefix}/{}{suffix}", encode_component(id)))
}

/// Serializes a request body once, into `Bytes` that every retry reuses.
pub(crate) fn encode_json(value: &impl Serialize) -> Result<Bytes, Error> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| Error::InvalidRequest {
            kind: InvalidRequestKind::Body,
            message: "the request cannot be serialized".to_owned(),
            source: Some(Box::new(e)),
        })
}

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
    fn components_are_escaped() {
        assert_eq!(encode_component("msgbatch_01-AZ.z~"), "msgbatch_01-AZ.z~");
        assert_eq!(encode_component("a/b?c=d&e f"), "a%2Fb%3Fc%3Dd%26e%20f");
        assert_eq!(encode_component("é"), "%C3%A9");
    }

    #[test]
    fn empty_ids_are_refused() {
        assert!(item_path("/v1/models", "", "").is_err());
        assert_eq!(
            item_path("/v1/files", "file_1", "/content").unwrap(),
            "/v1/files/file_1/content"
        );
    }
}
