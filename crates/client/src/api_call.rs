//! [`ApiCall`]: the pending form of every call that answers with one JSON
//! object (retrieve, create, cancel, delete, count tokens, upload).

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use claude_transport::RequestBody;
use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::client::{Call, Client};
use crate::messages::BoxFuture;
use crate::options::{RequestOptions, request_option_methods};
use crate::response::ApiResponse;

pub(crate) const JSON: &str = "application/json";

/// A pending call that answers with one JSON object of type `T`.
///
/// Await it for the value, call [`with_response`](Self::with_response) for
/// the status and headers too, or set per-call options first
/// (`.timeout(..)`, `.max_retries(..)`, `.beta(..)`, `.header(..)`).
/// Nothing is sent until it is awaited.
#[must_use = "a request does nothing until awaited"]
pub struct ApiCall<'a, T> {
    client: &'a Client,
    method: Method,
    path: String,
    body: Result<Option<(RequestBody, String)>, Error>,
    betas: &'static [&'static str],
    what: &'static str,
    options: RequestOptions,
    output: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ApiCall<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiCall")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body", &self.body)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T: DeserializeOwned> ApiCall<'a, T> {
    /// A call without a body (`GET`, `DELETE`, `POST .../cancel`). A path
    /// that could not be built is reported when the call is awaited.
    pub(crate) fn new(
        client: &'a Client,
        method: Method,
        path: Result<String, Error>,
        what: &'static str,
    ) -> Self {
        let (path, body) = match path {
            Ok(path) => (path, Ok(None)),
            Err(error) => (String::new(), Err(error)),
        };
        Self {
            client,
            method,
            path,
            body,
            betas: &[],
            what,
            options: RequestOptions::default(),
            output: PhantomData,
        }
    }

    /// Sends `value` as the JSON body. A value that cannot be serialized
    /// is reported when the call is awaited.
    pub(crate) fn json_body(mut self, value: &impl Serialize) -> Self {
        if self.body.is_err() {
            return self;
        }
        self.body =
            encode_json(value).map(|bytes| Some((RequestBody::from(bytes), JSON.to_owned())));
        self
    }

    /// Sends a prepared body (a multipart upload) or a preparation error.
    pub(crate) fn raw_body(mut self, body: Result<(RequestBody, String), Error>) -> Self {
        if self.body.is_ok() {
            self.body = body.map(Some);
        }
        self
    }

    /// `anthropic-beta` values the endpoint needs.
    pub(crate) fn endpoint_betas(mut self, betas: &'static [&'static str]) -> Self {
        self.betas = betas;
        self
    }

    request_option_methods!();

    /// Sends the call and returns the value with its status and headers
    /// (request id, rate-limit headers).
    pub async fn with_response(self) -> Result<ApiResponse<T>, Error> {
        let (body, content_type) = match self.body? {
            Some((body, content_type)) => (Some(body), content_type),
            None => (None, String::new()),
        };
        let call = Call {
            method: self.method,
            path: &self.path,
            query: None,
            body: body.map(|body| (body, content_type.as_str())),
            accept: JSON,
            betas: self.betas,
            options: &self.options,
        };
        let (value, response) = self.client.json::<T>(call, self.what).await?;
        Ok(ApiResponse::from_parts(value, response))
    }
}

impl<'a, T: DeserializeOwned + Send + 'a> IntoFuture for ApiCall<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'a, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.with_response().await.map(ApiResponse::into_inner) })
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
        return Err(Error::InvalidRequest(format!(
            "an empty id was given for {prefix}/{{id}}{suffix}"
        )));
    }
    Ok(format!("{prefix}/{}{suffix}", encode_component(id)))
}

/// Serializes a request body once, into `Bytes` that every retry reuses.
pub(crate) fn encode_json(value: &impl Serialize) -> Result<bytes::Bytes, Error> {
    serde_json::to_vec(value)
        .map(bytes::Bytes::from)
        .map_err(|e| Error::InvalidRequest(format!("the request cannot be serialized: {e}")))
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
