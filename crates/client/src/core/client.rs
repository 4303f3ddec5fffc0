//! [`Client`] and the path every call takes.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use claude_rs_transport::{Body, DEFAULT_BODY_LIMIT, RequestBody};
use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue, Request, Response};
use serde::de::DeserializeOwned;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

use crate::batches::Batches;
use crate::core::admin;
use crate::core::backend::{Backend, Framing};
use crate::core::call::{Call, ResponseMode};
use crate::core::config::{Config, user_agent};
use crate::core::error::{Error, InvalidRequestKind, TimeoutKind};
use crate::core::options::AttemptPolicy;
use crate::core::response::{self, check_encoding, collect};
use crate::core::retry::{Failure, RetryLoop};
use crate::files::Files;
use crate::messages::Messages;
use crate::models::Models;
use crate::skills::Skills;
use crate::telemetry::{CallSpan, Origin};

/// The service stack every request goes through.
pub type Stack = BoxCloneSyncService<Request<RequestBody>, Response<Body>, Error>;

/// A Claude API client: cheap to clone (one `Arc`), `Send + Sync`, and
/// meant to be shared by every task of a program (it pools connections).
///
/// Each API has a handle: [`messages`](Self::messages),
/// [`batches`](Self::batches), [`models`](Self::models),
/// [`files`](Self::files), [`skills`](Self::skills).
///
/// ```
/// use claude_rs_client::Client;
/// use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # server.enqueue(claude_rs_mock::MockResponse::text("Hi! What can I do for you?"));
/// let client = Client::builder()
///     .api_key("sk-ant-...")
/// #   .base_url(server.base_url())
///     .build()?;
///
/// // A clone is the same client (same pool): give one to each task.
/// let task = tokio::spawn({
///     let client = client.clone();
///     async move {
///         let request = CreateMessageRequest::new("claude-sonnet-5", 256, vec![MessageParam::user("Hi")]);
///         client.messages().create(request).await
///     }
/// });
/// let reply = task.await.expect("the task ran")?;
/// assert_eq!(reply.text(), "Hi! What can I do for you?");
/// assert!(reply.id.starts_with("msg_"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    backend: Arc<dyn Backend>,
    service: Stack,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("Client")
            .field("backend", &self.inner.backend)
            .field("api_version", &config.api_version)
            .field("betas", &config.betas)
            .field("max_retries", &config.max_retries)
            .field("timeout", &config.timeout)
            .finish_non_exhaustive()
    }
}

/// A stream of events opened inside the retry loop ([`Client::open_stream`]),
/// whatever the backend's framing: Messages streams today, and any other
/// event stream the same way.
pub(crate) trait OpenStream: Sized + Send {
    /// Starts reading `framing`; `headers` are the response's.
    fn open(framing: Framing, headers: HeaderMap) -> Self;

    /// Reads ahead to the first event (kept to be yielded as usual). An
    /// error here fails the attempt.
    fn first_event(&mut self) -> impl Future<Output = Result<(), Error>> + Send;
}

impl Client {
    pub(crate) fn from_parts(config: Config, backend: Arc<dyn Backend>, service: Stack) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                backend,
                service,
            }),
        }
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

    /// The Files API: upload once, reference by id in messages.
    pub fn files(&self) -> Files<'_> {
        Files::new(self)
    }

    /// The Skills API: folders of instructions and code loaded into the
    /// code-execution container.
    pub fn skills(&self) -> Skills<'_> {
        Skills::new(self)
    }

    /// `POST /v1/complete`: the legacy Text Completions API, for old
    /// integrations only. The body and answer are raw JSON
    /// (`{"model", "prompt": "\n\nHuman: ...\n\nAssistant:", "max_tokens_to_sample"}`).
    #[deprecated(note = "the Text Completions API is legacy; use messages().create")]
    pub fn complete(&self, body: &serde_json::Value) -> crate::ApiCall<'_, serde_json::Value> {
        self.post("/v1/complete").json(body).describe("completion")
    }

    /// The API version the client speaks; see [`ApiVersion`](crate::ApiVersion).
    pub fn api_version(&self) -> &crate::ApiVersion {
        &self.inner.config.version
    }

    /// The address requests go to (the backend's base URL).
    pub fn base_url(&self) -> &str {
        self.inner.backend.base_url()
    }

    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// What the spans of the client's calls need to know of it.
    #[cfg(feature = "tracing")]
    pub(crate) fn origin(&self) -> Origin<'_> {
        Origin {
            telemetry: &self.inner.config.telemetry,
            base_url: self.inner.backend.base_url(),
            backend: self.inner.backend.name(),
        }
    }

    /// Without the `tracing` feature, nothing.
    #[cfg(not(feature = "tracing"))]
    pub(crate) fn origin(&self) -> Origin {
        Origin
    }

    /// The retry and timeout settings of a call.
    fn policy(&self, options: &crate::RequestOptions) -> AttemptPolicy {
        AttemptPolicy {
            timeout: options.timeout.unwrap_or(self.inner.config.timeout),
            max_retries: options.max_retries.unwrap_or(self.inner.config.max_retries),
        }
    }

    /// Sends a call and decodes its JSON answer. The body is read inside
    /// each attempt, within its deadline, so a body cut short fails the
    /// attempt and is retried as in the official SDKs.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
        what: &str,
    ) -> Result<(T, Response<()>), Error> {
        debug_assert_eq!(call.mode, ResponseMode::Json);
        let operation = call.operation;
        let span = CallSpan::start(self.origin(), &call);
        let decoded = async {
            let (parts, bytes) = self
                .execute(call, &span, |response| async move {
                    let (parts, body) = response.into_parts();
                    // Already in memory: the attempt read it.
                    Ok((parts, collect(body).await?))
                })
                .await?;
            let bytes = self.inner.backend.response_json(operation, bytes)?;
            let value = serde_json::from_slice(&bytes).map_err(|error| {
                response::unexpected_content(&parts.headers, "application/json", &bytes)
                    .unwrap_or_else(|| Error::decode(what, &bytes, error))
            })?;
            span.succeeded_json(&bytes);
            Ok((value, Response::from_parts(parts, ())))
        };
        let decoded = decoded.await;
        if let Err(error) = &decoded {
            span.failed(error);
        }
        decoded
    }

    /// Sends a call whose body is read as it arrives (raw responses, file
    /// downloads, batch results): retried like any call, then guarded by
    /// the stream idle timeout (or the call's own timeout, when shorter)
    /// instead of a total deadline.
    ///
    /// The call's span ends when the answer's head is in.
    pub(crate) async fn send_streamed(&self, call: Call<'_>) -> Result<Response<Body>, Error> {
        let explicit = call.options.timeout;
        let span = CallSpan::start(self.origin(), &call);
        let sent = self
            .execute(call, &span, |response| async move {
                let (parts, body) = response.into_parts();
                Ok(Response::from_parts(parts, self.idle_guard(body, explicit)))
            })
            .await;
        match &sent {
            Ok(_) => span.ok(),
            Err(error) => span.failed(error),
        }
        sent
    }

    /// Opens a stream of events inside the retry loop: the backend frames
    /// the body, `S` reads it, and each attempt reads up to the first event,
    /// so an error before it (an `overloaded_error` event, a body cut before
    /// any event) is retried within the call's budget, and nothing after it.
    /// `span` is the call's; the caller ends it.
    pub(crate) async fn open_stream<S: OpenStream>(
        &self,
        call: Call<'_>,
        span: &CallSpan,
    ) -> Result<S, Error> {
        let explicit = call.options.timeout;
        self.execute(call, span, |response| async move {
            let (parts, body) = response.into_parts();
            let body = self.idle_guard(body, explicit);
            let framing = match self.inner.backend.stream_framing(&parts.headers, body) {
                Framing::Sse(body) => Framing::Sse(
                    response::expect_content_type(&parts.headers, "text/event-stream", body)
                        .await?,
                ),
                other => other,
            };
            let mut stream = S::open(framing, parts.headers);
            stream.first_event().await?;
            Ok(stream)
        })
        .await
    }

    /// Bounds the silence between a streamed body's chunks: by the call's
    /// own timeout when it has one (as the official SDKs' read timeout),
    /// else by the client's timeout when one was set and it is shorter
    /// than the stream idle timeout, else by the stream idle timeout.
    fn idle_guard(&self, body: Body, call_timeout: Option<std::time::Duration>) -> Body {
        let config = &self.inner.config;
        let client_timeout = config.timeout_is_explicit.then_some(config.timeout);
        let idle = match (call_timeout, client_timeout, config.stream_idle_timeout) {
            (Some(call), _, _) => Some(call),
            (None, Some(client), Some(idle)) => Some(client.min(idle)),
            (None, client, idle) => idle.or(client),
        };
        match idle {
            Some(idle) => body.with_idle_timeout(idle),
            None => body.without_idle_timeout(),
        }
    }

    /// Routes a call through the backend, then runs it in the retry loop:
    /// each attempt goes through the stack (your layers, credentials, the
    /// transport) within the call's deadline, and `read` turns its answer
    /// into the call's value. A status >= 400 becomes [`Error::Api`]; an
    /// answer in an encoding that was not asked for, [`Error::Protocol`].
    ///
    /// `span` is the call's: current while the attempts run, given each
    /// attempt's status and the number of attempts, and its trace context
    /// is written into the request after the backend prepared it.
    async fn execute<T, R, RF>(&self, call: Call<'_>, span: &CallSpan, read: R) -> Result<T, Error>
    where
        R: Fn(Response<Body>) -> RF,
        RF: Future<Output = Result<T, Error>>,
    {
        let policy = self.policy(call.options);
        let operation = call.operation;
        let buffered = call.mode.is_buffered();
        let mut request = self.build_request(call)?;
        self.inner.backend.prepare(operation, &mut request)?;
        span.sending(&mut request);
        let (head, body) = request.into_parts();
        let template = Request::from_parts(head, ());
        // A one-shot body (an upload stream) is sent once, whatever the budget.
        let replayable = body.try_clone().is_some();
        let mut body = Some(body);
        let backend = self.inner.backend.as_ref();
        let attempts = RetryLoop::new(policy.max_retries, backend, replayable).run(|| {
            let attempt_body = match body.as_ref().and_then(RequestBody::try_clone) {
                Some(copy) => copy,
                None => body.take().unwrap_or_else(RequestBody::empty),
            };
            let request = rebuild(&template, attempt_body);
            let service = self.inner.service.clone();
            let (read, template) = (&read, &template);
            async move {
                let deadline = policy.timeout;
                let response =
                    attempt(service, request, deadline, buffered, backend, template).await?;
                span.answered(response.status(), response.headers());
                // The response's own say on retries outlives its body.
                let head = response
                    .headers()
                    .contains_key("x-should-retry")
                    .then(|| response.headers().clone());
                read(response).await.map_err(|error| Failure {
                    error,
                    headers: head,
                })
            }
        });
        let (outcome, attempts) = span.instrument(attempts).await;
        span.resent(attempts);
        outcome
    }

    /// The request as the API itself would take it: a path-only URI, the
    /// client's and the call's headers, and the body. The backend routes it.
    fn build_request(&self, call: Call<'_>) -> Result<Request<RequestBody>, Error> {
        let config = &self.inner.config;
        let mut target = call.path.to_owned();
        if let Some(query) = &call.query {
            target.push('?');
            target.push_str(query);
        }
        let (body, content_type) = match call.body {
            Some((body, content_type)) => (body, Some(content_type)),
            None => (RequestBody::empty(), None),
        };
        let mut request = Request::builder()
            .method(call.method)
            .uri(&target)
            .body(body)
            .map_err(|e| Error::InvalidRequest {
                kind: InvalidRequestKind::Header,
                message: format!("cannot build a request for {target}"),
                source: Some(Box::new(e)),
            })?;

        let headers = request.headers_mut();
        headers.extend(config.default_headers.clone());
        headers.insert("anthropic-version", config.api_version.clone());
        headers.insert(USER_AGENT, user_agent());
        headers.insert(ACCEPT, HeaderValue::from_static(call.mode.accept()));
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, header_value("content type", content_type)?);
        }
        let betas = merge_betas(&config.betas, &call.options.betas);
        if !betas.is_empty() {
            headers.insert(
                "anthropic-beta",
                header_value("anthropic-beta", &betas.join(","))?,
            );
        }
        for (name, value) in &call.options.headers {
            headers.insert(name.clone(), value.clone());
        }
        admin::apply(call.credential, config.admin_key.as_ref(), headers)?;
        Ok(request)
    }
}

/// One attempt: the request through the stack within the deadline. The
/// deadline covers the response head, and the whole body of an error answer
/// and of a buffered ([`ResponseMode::Json`]) answer, which are read here; a
/// streamed body is handed on as it arrives and guarded by the idle timeout
/// instead, since a total deadline would cut long, healthy streams.
async fn attempt(
    service: Stack,
    request: Request<RequestBody>,
    after: Duration,
    buffered: bool,
    backend: &dyn Backend,
    template: &Request<()>,
) -> Result<Response<Body>, Failure> {
    let whole = async move {
        let response = service.oneshot(request).await?;
        if !buffered && response.status().is_success() {
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        match body.collect_limited(DEFAULT_BODY_LIMIT).await {
            Ok(bytes) => Ok(Response::from_parts(parts, Body::from(bytes))),
            Err(error) => Err(Failure {
                error: Error::from_transport(error),
                headers: Some(parts.headers),
            }),
        }
    };
    let response = match tokio::time::timeout(after, whole).await {
        Ok(result) => result?,
        Err(_) => {
            let kind = TimeoutKind::Request;
            return Err(Error::Timeout { kind, after }.into());
        }
    };
    if !response.status().is_success() {
        return Err(response::api_error(response, backend, template)
            .await
            .into());
    }
    Ok(check_encoding(response).await?)
}

/// The request of one attempt: the template's head with `body`.
fn rebuild(template: &Request<()>, body: RequestBody) -> Request<RequestBody> {
    let mut request = Request::new(body);
    *request.method_mut() = template.method().clone();
    *request.uri_mut() = template.uri().clone();
    *request.version_mut() = template.version();
    *request.headers_mut() = template.headers().clone();
    request
}

/// A header value, or an error naming the header.
fn header_value(what: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::try_from(value).map_err(|_| {
        Error::invalid_request(
            InvalidRequestKind::Header,
            format!("invalid {what} value {value:?}"),
        )
    })
}

/// Joins the client's and the call's beta flags, dropping duplicates and
/// keeping first-seen order.
fn merge_betas<'a>(client: &'a [String], call: &'a [String]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    let all = client.iter().chain(call).map(String::as_str);
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
