//! [`ApiCall`]: one call to any path of the API, as the generic verbs
//! ([`Client::get`], [`Client::post`], ...) build it, and the pending form
//! of every handler's call.

use std::borrow::Cow;
use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use claude_rs_transport::{Body, RequestBody};
use futures_util::future::BoxFuture;
use http::{Method, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::core::admin::Credential;
use crate::core::call::{Call, JSON, ResponseMode, encode_json};
use crate::core::client::{Client, OpenStream};
use crate::core::encode;
use crate::core::error::{Error, InvalidRequestKind};
use crate::core::events::Events;
use crate::core::multipart::Form;
use crate::core::operation::Operation;
use crate::core::options::{RequestOptions, request_option_methods};
use crate::core::response::ApiResponse;
use crate::telemetry::CallSpan;

/// One call to the API, built by a verb of the [`Client`]
/// ([`get`](Client::get), [`post`](Client::post), [`put`](Client::put),
/// [`patch`](Client::patch), [`delete`](Client::delete),
/// [`request`](Client::request)) or returned by a handler.
///
/// It takes path parameters, query parameters, per-call options (betas,
/// headers, timeout, retries) and a body, and answers as you choose:
///
/// * awaited: the JSON answer decoded as `T` (`serde_json::Value` unless
///   [`output`](Self::output) picks a type); [`with_response`](Self::with_response)
///   adds the status and headers;
/// * [`response`](Self::response): the raw HTTP response, its body read as
///   it arrives;
/// * [`events`](Self::events): a server-sent event stream, each event's
///   JSON decoded as a type of yours;
/// * [`paginate`](Self::paginate): a listing ([`List`](crate::List)), page by page or
///   item by item.
///
/// Every call goes through the client's core: credentials, API version,
/// betas, retries, timeouts and the backend. Nothing is sent until a
/// terminal method is awaited; a path that cannot be built (a bad segment,
/// a placeholder left unfilled) fails there with
/// [`Error::InvalidRequest`], before anything is sent.
///
/// ```
/// use claude_rs_client::Client;
/// use claude_rs_client::types::models::ModelInfo;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// let client = Client::builder().api_key("sk-ant-...")
/// #   .base_url(server.base_url())
///     .build()?;
///
/// // Raw JSON from any path.
/// let page: serde_json::Value = client.get("/v1/models").query("limit", 2).await?;
/// assert_eq!(page["data"].as_array().map(Vec::len), Some(2));
///
/// // A typed answer, with a path parameter encoded as one segment.
/// let id = page["data"][0]["id"].as_str().unwrap_or_default();
/// let model: ModelInfo = client
///     .get("/v1/models/{model_id}")
///     .path_param("model_id", id)
///     .output()
///     .await?;
/// assert_eq!(model.id, id);
///
/// // A bad segment fails before anything is sent.
/// let refused = client.get("/v1/models/{model_id}").path_param("model_id", "..").await;
/// assert!(refused.is_err());
/// assert_eq!(server.received("/v1/models").len(), 1);
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until awaited"]
pub struct ApiCall<'a, T = serde_json::Value> {
    client: &'a Client,
    method: Method,
    /// The path, its placeholders filled as they are given.
    path: String,
    /// The encoded query, without the `?`.
    query: String,
    body: Option<(RequestBody, Cow<'static, str>)>,
    /// The first thing found wrong while building, reported when sent.
    error: Option<Error>,
    what: &'static str,
    /// The credential class; `None`: the one of the path.
    credential: Option<Credential>,
    options: RequestOptions,
    output: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ApiCall<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiCall")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body", &self.body)
            .field("error", &self.error)
            .field("credential", &self.credential)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a> ApiCall<'a> {
    /// A call of `method` to `path` (a path of the API, `/v1/agents/{agent_id}`:
    /// placeholders are filled with [`path_param`](Self::path_param)).
    pub(crate) fn new(client: &'a Client, method: Method, path: &str) -> Self {
        Self {
            client,
            method,
            path: path.to_owned(),
            query: String::new(),
            body: None,
            error: encode::check_path(path).err(),
            what: "response body",
            credential: None,
            options: RequestOptions::default(),
            output: PhantomData,
        }
    }
}

impl<'a, T> ApiCall<'a, T> {
    /// Decodes the answer as `U` instead (any `DeserializeOwned` type).
    pub fn output<U>(self) -> ApiCall<'a, U> {
        ApiCall {
            client: self.client,
            method: self.method,
            path: self.path,
            query: self.query,
            body: self.body,
            error: self.error,
            what: self.what,
            credential: self.credential,
            options: self.options,
            output: PhantomData,
        }
    }

    /// Fills the placeholder `{name}` of the path with `value`, encoded as
    /// one path segment ([`encode::path_segment`]). An empty value, `.`,
    /// `..`, a control character or a placeholder the path does not have
    /// fails the call when it is sent, before anything goes out.
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        if self.error.is_some() {
            return self;
        }
        let placeholder = format!("{{{name}}}");
        let Some(at) = self.path.find(&placeholder) else {
            self.error = Some(Error::invalid_request(
                InvalidRequestKind::PathSegment,
                format!("the path {} has no placeholder {placeholder}", self.path),
            ));
            return self;
        };
        match encode::path_segment(value) {
            Ok(segment) => self
                .path
                .replace_range(at..at + placeholder.len(), &segment),
            Err(error) => self.error = Some(error),
        }
        self
    }

    /// Adds a query parameter; name and value are percent-encoded. Repeat
    /// it for arrays (`statuses[]`) and give ranges as their own names
    /// (`created_at[gte]`).
    pub fn query(mut self, name: &str, value: impl fmt::Display) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(&encode::component(name));
        self.query.push('=');
        self.query.push_str(&encode::component(&value.to_string()));
        self
    }

    /// Adds `name=value` for each value (an array parameter such as
    /// `statuses[]`).
    pub fn query_all<V: fmt::Display>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        for value in values {
            self = self.query(name, value);
        }
        self
    }

    /// Sends `value` as the JSON body, serialized once (retries reuse the
    /// bytes). A value that cannot be serialized fails the call when sent.
    pub fn json(mut self, value: &impl Serialize) -> Self {
        match encode_json(value) {
            Ok(bytes) => self.body = Some((RequestBody::from(bytes), Cow::Borrowed(JSON))),
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        self
    }

    /// Sends a body of your own with its content type. An in-memory body
    /// is replayed on retries; a streaming one is sent once.
    pub fn body(mut self, body: RequestBody, content_type: impl Into<Cow<'static, str>>) -> Self {
        self.body = Some((body, content_type.into()));
        self
    }

    /// Sends `form` as a `multipart/form-data` body (the boundary is
    /// chosen here). A form of in-memory parts is replayed on retries; one
    /// with a streamed file is sent once. A part found wrong while building
    /// the form fails the call when it is sent.
    pub fn multipart(self, form: Form) -> Self {
        self.raw_body(form.encode())
    }

    /// Sends a prepared body (a multipart upload) or a preparation error.
    pub(crate) fn raw_body(mut self, body: Result<(RequestBody, String), Error>) -> Self {
        match body {
            Ok((body, content_type)) => self.body = Some((body, Cow::Owned(content_type))),
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        self
    }

    /// Names what the answer is, for decoding errors (`"message batch"`).
    pub(crate) fn describe(mut self, what: &'static str) -> Self {
        self.what = what;
        self
    }

    /// Fails the call with `error` when it is sent (a check of the caller's
    /// that failed while building it).
    pub(crate) fn fail_with(mut self, error: Option<Error>) -> Self {
        if let Some(error) = error {
            self.error.get_or_insert(error);
        }
        self
    }

    /// Sends the call with the client's credential of class `credential`
    /// (handlers set it for their calls). Default is
    /// [`Credential::for_path`] of the call's path: the admin key under
    /// `/v1/organizations`, the client's usual credentials elsewhere. See
    /// [`credentials`](crate::credentials#the-admin-key).
    pub fn credential(mut self, credential: Credential) -> Self {
        self.credential = Some(credential);
        self
    }

    request_option_methods!();

    /// The client the call goes through.
    pub(crate) fn client(&self) -> &'a Client {
        self.client
    }

    /// Keeps what every page of a listing repeats (method, path, query,
    /// what the answer is) and gives the options back; or what was found
    /// wrong while building.
    pub(crate) fn into_template(self) -> (Result<Template, Error>, RequestOptions) {
        let template = match self.error {
            Some(error) => Err(error),
            None => Ok(Template {
                method: self.method,
                path: self.path,
                query: self.query,
                what: self.what,
                credential: self.credential,
            }),
        };
        (template, self.options)
    }

    /// Checks the call and takes it apart for sending.
    fn into_prepared(self) -> Result<Prepared<'a>, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if let Some(at) = self.path.find('{') {
            let end = self.path[at..]
                .find('}')
                .map_or(self.path.len(), |e| at + e + 1);
            return Err(Error::invalid_request(
                InvalidRequestKind::PathSegment,
                format!(
                    "the path parameter {} of {} was not given",
                    &self.path[at..end],
                    self.path
                ),
            ));
        }
        Ok(Prepared {
            client: self.client,
            method: self.method,
            path: self.path,
            query: (!self.query.is_empty()).then_some(self.query),
            body: self.body,
            what: self.what,
            credential: self.credential,
            options: self.options,
        })
    }

    /// Sends the call and returns the raw response once its status is a
    /// success: the headers, and the body read as it arrives (guarded by
    /// the client's stream idle timeout). An error status is
    /// [`Error::Api`], after the client's retries.
    pub async fn response(self) -> Result<Response<Body>, Error> {
        self.response_as(ResponseMode::Raw).await
    }

    /// [`response`](Self::response), asking for the answer as `mode`
    /// (downloads ask for `application/binary`, as the official SDKs do).
    pub(crate) async fn response_as(self, mode: ResponseMode) -> Result<Response<Body>, Error> {
        let mut prepared = self.into_prepared()?;
        let (body, content_type, query) = prepared.split_body();
        let call = prepared.call(mode, (body, &content_type, query));
        prepared.client.send_streamed(call).await
    }

    /// Sends the call and reads the answer as server-sent events, each
    /// event's `data` decoded as `E` (a type of yours, or
    /// `serde_json::Value`). `ping` events are skipped; an `error` event
    /// ends the stream with [`Error::Api`]. A stream whose opening fails
    /// (an error status, a connection failure) is retried like any call.
    pub async fn events<E: DeserializeOwned + Send>(self) -> Result<Events<E>, Error> {
        let mut span = None;
        let opened = self.open_stream::<Events<E>>(&mut span).await;
        // The span of a generic event stream ends when its head is in.
        let span = span.unwrap_or_default();
        match opened {
            Ok(events) => {
                span.ok();
                Ok(events)
            }
            Err(error) => {
                span.failed(&error);
                Err(error)
            }
        }
    }

    /// Opens the call's event stream inside the client's retry loop, read
    /// by `S` up to its first event. `span` is the call's: started here
    /// when the call is prepared, for the caller to end.
    pub(crate) async fn open_stream<S: OpenStream>(
        self,
        span: &mut Option<CallSpan>,
    ) -> Result<S, Error> {
        let mut prepared = self.into_prepared()?;
        let (body, content_type, query) = prepared.split_body();
        let call = prepared.call(ResponseMode::EventStream, (body, &content_type, query));
        let span = span.get_or_insert_with(|| CallSpan::start(prepared.client.origin(), &call));
        prepared.client.open_stream(call, span).await
    }
}

impl<'a, T: DeserializeOwned> ApiCall<'a, T> {
    /// Sends the call and returns the decoded value with its status and
    /// headers (request id, rate-limit headers).
    pub async fn with_response(self) -> Result<ApiResponse<T>, Error> {
        let mut prepared = self.into_prepared()?;
        let (body, content_type, query) = prepared.split_body();
        let call = prepared.call(ResponseMode::Json, (body, &content_type, query));
        let (value, response) = prepared.client.json::<T>(call, prepared.what).await?;
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

/// What every page of a listing repeats: a call without options and body.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    method: Method,
    path: String,
    /// The encoded query, without the `?`.
    query: String,
    what: &'static str,
    credential: Option<Credential>,
}

impl Template {
    /// The listing's path.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The call again, with `extra` (encoded) added to the query.
    pub(crate) fn call<'c, T>(
        &self,
        client: &'c Client,
        options: RequestOptions,
        extra: &str,
    ) -> ApiCall<'c, T> {
        let mut query = self.query.clone();
        if !query.is_empty() && !extra.is_empty() {
            query.push('&');
        }
        query.push_str(extra);
        ApiCall {
            client,
            method: self.method.clone(),
            path: self.path.clone(),
            query,
            body: None,
            error: None,
            what: self.what,
            credential: self.credential,
            options,
            output: PhantomData,
        }
    }
}

/// A checked call, taken apart for sending.
struct Prepared<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Option<String>,
    body: Option<(RequestBody, Cow<'static, str>)>,
    what: &'static str,
    credential: Option<Credential>,
    options: RequestOptions,
}

impl Prepared<'_> {
    /// Takes out what a call moves: the body and its content type, and the
    /// query.
    fn split_body(&mut self) -> (Option<RequestBody>, Cow<'static, str>, Option<String>) {
        let query = self.query.take();
        match self.body.take() {
            Some((body, content_type)) => (Some(body), content_type, query),
            None => (None, Cow::Borrowed(""), query),
        }
    }

    fn call<'c>(
        &'c self,
        mode: ResponseMode,
        (body, content_type, query): (Option<RequestBody>, &'c str, Option<String>),
    ) -> Call<'c> {
        let streamed = mode == ResponseMode::EventStream;
        Call {
            operation: Operation::of(&self.method, &self.path, streamed),
            method: self.method.clone(),
            path: &self.path,
            query,
            body: body.map(|body| (body, content_type)),
            mode,
            credential: self
                .credential
                .unwrap_or_else(|| Credential::for_path(&self.path)),
            options: &self.options,
        }
    }
}
