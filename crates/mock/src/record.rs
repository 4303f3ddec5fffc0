//! [`RecordedRequest`]: what the mock received, kept for assertions.

use bytes::Bytes;
use claude_rs_types::request::CreateMessageRequest;
use http::{HeaderMap, Method};
use serde_json::Value;

use crate::route::Route;
use crate::vocab::Platform;

/// One request as the mock received it, before any validation.
///
/// Every request is recorded, including those answered with an error or a
/// fault, so a test can check exactly what its code sent: how many attempts
/// a retry made, which headers went out, what the body was.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query (`/v1/messages`).
    pub path: String,
    /// The raw query string without `?`, if there was one.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The raw body bytes.
    pub body: Bytes,
    /// The body parsed as JSON, when it was JSON.
    pub json: Option<Value>,
    /// The API route the path matched, `None` for unknown paths.
    pub route: Option<Route>,
    /// The wire shape it came in: the first-party API's or a cloud
    /// platform's (the path, as received, is in [`path`](Self::path)).
    pub platform: Platform,
    /// 1-based position of this request among the requests of its route
    /// (or among unknown-path requests), counted from the server's start.
    pub route_index: usize,
}

impl RecordedRequest {
    /// The value of a header, when present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first value of a query parameter (percent-decoding is not done;
    /// the API's parameters are plain ids and numbers).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        query_param(self.query.as_deref(), name)
    }

    /// Whether the body asks for a stream (`"stream": true`).
    pub fn is_stream(&self) -> bool {
        self.json
            .as_ref()
            .and_then(|json| json.get("stream"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The body decoded as a Messages request, `None` if it is not one.
    pub fn message_request(&self) -> Option<CreateMessageRequest> {
        self.json
            .as_ref()
            .and_then(|json| serde_json::from_value(json.clone()).ok())
    }

    /// The body as UTF-8 text (lossy), for messages in failed assertions.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The first value of `name` in a raw query string.
pub(crate) fn query_param<'q>(query: Option<&'q str>, name: &str) -> Option<&'q str> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })
}

/// The headers whose values are credentials: never shown by the control
/// API, never written to a cassette.
pub(crate) const SECRET_HEADERS: [&str; 5] = [
    "x-api-key",
    "authorization",
    "proxy-authorization",
    // Foundry's key, and an AWS session token.
    "api-key",
    "x-amz-security-token",
];

/// The value shown for a credential header.
pub(crate) const REDACTED: &str = "[redacted]";

/// Headers as a JSON object (lower-case names, repeated values joined by
/// `, `), credentials replaced by [`REDACTED`].
pub(crate) fn headers_json(headers: &HeaderMap) -> Value {
    let mut out = serde_json::Map::new();
    for name in headers.keys() {
        let value = if SECRET_HEADERS.contains(&name.as_str()) {
            REDACTED.to_owned()
        } else {
            headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.insert(name.as_str().to_owned(), Value::String(value));
    }
    Value::Object(out)
}

impl RecordedRequest {
    /// The request as the control API lists it: the body as JSON when it
    /// is JSON, else as text.
    pub(crate) fn to_json(&self) -> Value {
        serde_json::json!({
            "method": self.method.as_str(),
            "path": self.path,
            "query": self.query,
            "headers": headers_json(&self.headers),
            "body": self.json.clone().unwrap_or_else(|| Value::String(self.body_text())),
            "route": self.route.map(Route::name),
            "platform": self.platform.name(),
            "route_index": self.route_index,
        })
    }
}
