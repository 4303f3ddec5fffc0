//! [`Client`] and the path every call takes.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use claude_transport::{Body, DEFAULT_BODY_LIMIT, RequestBody};
use claude_types::ErrorResponse;
use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, Request, Response};
use serde::de::DeserializeOwned;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

use crate::Error;
use crate::batches::Batches;
use crate::builder::ClientBuilder;
use crate::config::{Config, user_agent};
use crate::error::{ApiError, TimeoutKind};
use crate::files::Files;
use crate::messages::Messages;
use crate::models::Models;
use crate::options::{AttemptPolicy, RequestOptions};

/// The service stack every request goes through.
pub type Stack = BoxCloneSyncService<Request<RequestBody>, Response<Body>, Error>;

/// A Claude API client: cheap to clone (one `Arc`), `Send + Sync`, and
/// meant to be shared by every task of a program (it pools connections).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) service: Stack,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("auth", &config.auth)
            .field("api_version", &config.api_version)
            .field("betas", &config.betas)
            .field("max_retries", &config.max_retries)
            .field("timeout", &config.timeout)
            .finish_non_exhaustive()
    }
}

/// One HTTP call as a resource describes it.
pub(crate) struct Call<'a> {
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<String>,
    /// The body and its content type. In-memory bodies are replayed on
    /// retries; a streaming body (an upload) is sent once.
    pub(crate) body: Option<(RequestBody, &'a str)>,
    pub(crate) accept: &'static str,
    /// `anthropic-beta` values the endpoint itself needs (the Files API).
    pub(crate) betas: &'a [&'a str],
    pub(crate) options: &'a RequestOptions,
}

impl Client {
    /// A client configured from the environment; see [`ClientBuilder`].
    pub fn new() -> Result<Self, Error> {
        ClientBuilder::new().build()
    }

    /// A builder starting from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The Messages API.
    pub fn messages(&self) -> Messages<'_> {
        Messages::new(self)
    }

    /// The Message Batches API: many requests processed asynchronously at
    /// half the price.
    pub fn batches(&self) -> Batches<'_> {
        Batches::new(self)
    }

    /// The Models API: which models exist.
    pub fn models(&self) -> Models<'_> {
        Models::new(self)
    }

    /// The Files API (beta): upload once, reference by id in messages.
    pub fn files(&self) -> Files<'_> {
        Files::new(self)
    }

    /// `POST /v1/complete`: the legacy Text Completions API, for old
    /// integrations only. The body and answer are raw JSON
    /// (`{"model", "prompt": "\n\nHuman: ...\n\nAssistant:", "max_tokens_to_sample"}`).
    #[deprecated(note = "the Text Completions API is legacy; use messages().create")]
    pub fn complete(&self, body: &serde_json::Value) -> crate::ApiCall<'_, serde_json::Value> {
        let path = Ok("/v1/complete".to_owned());
        crate::ApiCall::new(self, Method::POST, path, "completion").json_body(body)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The retry and timeout settings of a call.
    pub(crate) fn policy(&self, options: &RequestOptions) -> AttemptPolicy {
        AttemptPolicy {
            timeout: options.timeout.unwrap_or(self.inner.config.timeout),
            max_retries: options.max_retries.unwrap_or(self.inner.config.max_retries),
        }
    }

    /// Sends a call through the stack. A status >= 400 (after retries)
    /// becomes [`Error::Api`].
    pub(crate) async fn execute(
        &self,
        call: Call<'_>,
        policy: AttemptPolicy,
    ) -> Result<Response<Body>, Error> {
        self.send(call, policy, false).await
    }

    /// Opens a response whose body is read as a stream (batch results, file
    /// downloads): the request is retried as usual, then the body is guarded
    /// by the stream idle timeout instead of a total deadline.
    pub(crate) async fn open_stream(&self, call: Call<'_>) -> Result<(HeaderMap, Body), Error> {
        let policy = self.policy(call.options);
        let (parts, body) = self.execute(call, policy).await?.into_parts();
        Ok((parts.headers, self.idle_guard(body)))
    }

    /// Applies the configured stream idle timeout to a body.
    pub(crate) fn idle_guard(&self, body: Body) -> Body {
        match self.inner.config.stream_idle_timeout {
            Some(idle) => body.with_idle_timeout(idle),
            None => body.without_idle_timeout(),
        }
    }

    /// Like [`execute`](Self::execute); with `buffer`, the body is read
    /// inside each attempt (see [`crate::layers::BufferBody`]).
    async fn send(
        &self,
        call: Call<'_>,
        policy: AttemptPolicy,
        buffer: bool,
    ) -> Result<Response<Body>, Error> {
        let mut call = call;
        let mut request = self.build_request(&mut call, policy)?;
        if buffer {
            request.extensions_mut().insert(crate::layers::BufferBody);
        }
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "claude.request", method = %call.method, path = call.path,
            status = tracing::field::Empty, attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let sent = self.inner.service.clone().oneshot(request);
        #[cfg(feature = "tracing")]
        let sent = tracing::Instrument::instrument(sent, span.clone());
        let response = sent.await?;
        #[cfg(feature = "tracing")]
        {
            span.record("status", response.status().as_u16());
            if let Some(attempts) = response.extensions().get::<crate::layers::Attempts>() {
                span.record("attempts", attempts.0);
            }
            if let Some(id) = request_id(response.headers()) {
                span.record("request_id", id);
            }
        }
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(api_error(response, policy.timeout).await)
        }
    }

    fn build_request(
        &self,
        call: &mut Call<'_>,
        policy: AttemptPolicy,
    ) -> Result<Request<RequestBody>, Error> {
        let config = &self.inner.config;
        let auth = config.auth.as_ref().ok_or_else(|| {
            Error::Config(
                "no API key: set the ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) environment \
                 variable, or call ClientBuilder::api_key"
                    .to_owned(),
            )
        })?;
        let mut uri = format!("{}{}", config.base_url, call.path);
        if let Some(query) = &call.query {
            uri.push('?');
            uri.push_str(query);
        }
        let (body, content_type) = match call.body.take() {
            Some((body, content_type)) => (body, Some(content_type)),
            None => (RequestBody::empty(), None),
        };
        let mut request = Request::builder()
            .method(call.method.clone())
            .uri(&uri)
            .body(body)
            .map_err(|e| Error::InvalidRequest(format!("cannot build a request for {uri}: {e}")))?;

        let headers = request.headers_mut();
        headers.extend(config.default_headers.clone());
        let (name, value) = auth.header()?;
        headers.insert(name, value);
        headers.insert("anthropic-version", config.api_version.clone());
        headers.insert(USER_AGENT, user_agent());
        headers.insert(ACCEPT, HeaderValue::from_static(call.accept));
        if let Some(content_type) = content_type {
            let value = HeaderValue::try_from(content_type).map_err(|_| {
                Error::InvalidRequest(format!("invalid content type {content_type:?}"))
            })?;
            headers.insert(CONTENT_TYPE, value);
        }
        let betas = merge_betas(&config.betas, call.betas, &call.options.betas);
        if !betas.is_empty() {
            let value = HeaderValue::try_from(betas.join(",")).map_err(|_| {
                Error::InvalidRequest(format!("invalid anthropic-beta value {betas:?}"))
            })?;
            headers.insert("anthropic-beta", value);
        }
        for (name, value) in &call.options.headers {
            headers.insert(name.clone(), value.clone());
        }
        request.extensions_mut().insert(policy);
        Ok(request)
    }

    /// Sends a call and decodes its JSON answer. The body is read inside
    /// each attempt, so a body cut short is retried like any failed attempt.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
        what: &str,
    ) -> Result<(T, Response<()>), Error> {
        let policy = self.policy(call.options);
        let response = self.send(call, policy, true).await?;
        let (parts, body) = response.into_parts();
        // Already in memory: the timeout layer read it.
        let bytes = read_body(body, policy.timeout).await?;
        let value = serde_json::from_slice(&bytes).map_err(|e| Error::decode(what, &bytes, e))?;
        Ok((value, Response::from_parts(parts, ())))
    }
}

/// Joins beta flags, dropping duplicates and keeping first-seen order.
fn merge_betas<'a>(
    client: &'a [String],
    endpoint: &'a [&'a str],
    call: &'a [String],
) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    let all = client
        .iter()
        .map(String::as_str)
        .chain(endpoint.iter().copied())
        .chain(call.iter().map(String::as_str));
    for beta in all
        .flat_map(|b| b.split(','))
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        if !out.contains(&beta) {
            out.push(beta);
        }
    }
    out
}

/// Reads a whole body within `within`.
pub(crate) async fn read_body(body: Body, within: Duration) -> Result<Bytes, Error> {
    match tokio::time::timeout(within, body.collect_limited(DEFAULT_BODY_LIMIT)).await {
        Ok(result) => result.map_err(Error::from_transport),
        Err(_) => Err(Error::Timeout {
            kind: TimeoutKind::Request,
            after: within,
        }),
    }
}

/// The `request-id` header.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("request-id").and_then(|v| v.to_str().ok())
}

/// Turns an error response into [`Error::Api`].
async fn api_error(response: Response<Body>, timeout: Duration) -> Error {
    let (parts, body) = response.into_parts();
    let body = match read_body(body, timeout).await {
        Ok(body) => body,
        Err(error) => return error,
    };
    let decoded: Option<ErrorResponse> = serde_json::from_slice(&body).ok();
    let header_id = request_id(&parts.headers).map(str::to_owned);
    let (error_type, message, body_id) = match decoded {
        Some(decoded) => (
            Some(decoded.error.kind),
            decoded.error.message,
            decoded.request_id,
        ),
        None => {
            let text = String::from_utf8_lossy(&body[..body.len().min(2048)])
                .trim()
                .to_owned();
            let message = if text.is_empty() {
                parts
                    .status
                    .canonical_reason()
                    .unwrap_or("error")
                    .to_owned()
            } else {
                text
            };
            (None, message, None)
        }
    };
    Error::Api(Box::new(ApiError {
        status: parts.status,
        error_type,
        message,
        request_id: header_id.or(body_id),
        body,
        headers: parts.headers,
    }))
}
