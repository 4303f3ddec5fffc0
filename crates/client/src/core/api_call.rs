//! [`ApiCall`]: the pending form of every call that answers with one JSON
//! object (retrieve, create, cancel, delete, count tokens, upload).

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use claude_rs_transport::RequestBody;
use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use futures_util::future::BoxFuture;

use crate::core::call::{Call, JSON, encode_json};
use crate::core::client::Client;
use crate::core::error::Error;
use crate::core::operation::Operation;
use crate::core::options::{RequestOptions, request_option_methods};
use crate::core::response::ApiResponse;

/// A pending call that answers with one JSON object of type `T`.
///
/// Await it for the value, call [`with_response`](Self::with_response) for
/// the status and headers too, or set per-call options first
/// (`.timeout(..)`, `.max_retries(..)`, `.beta(..)`, `.header(..)`).
/// Nothing is sent until it is awaited.
#[must_use = "a request does nothing until awaited"]
pub struct ApiCall<'a, T> {
    client: &'a Client,
    operation: Operation,
    method: Method,
    path: String,
    body: Result<Option<(RequestBody, String)>, Error>,
    what: &'static str,
    options: RequestOptions,
    output: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ApiCall<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiCall")
            .field("operation", &self.operation)
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
        operation: Operation,
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
            operation,
            method,
            path,
            body,
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

    request_option_methods!();

    /// Sends the call and returns the value with its status and headers
    /// (request id, rate-limit headers).
    pub async fn with_response(self) -> Result<ApiResponse<T>, Error> {
        let (body, content_type) = match self.body? {
            Some((body, content_type)) => (Some(body), content_type),
            None => (None, String::new()),
        };
        let call = Call {
            body: body.map(|body| (body, content_type.as_str())),
            ..Call::new(self.operation, self.method, &self.path, &self.options)
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
