//! The retry policy of the official SDKs, as a tower layer.
//!
//! * An `x-should-retry: true|false` response header decides first.
//! * Otherwise 408, 409, 429 and every status >= 500 are retried, and so are
//!   connection failures and timeouts.
//! * The delay is the server's `retry-after-ms`, else `retry-after` (seconds
//!   or an HTTP date), when it is between 0 and 60 s; otherwise
//!   `min(0.5 s * 2^n, 8 s) * (1 - 0.25 * random)` for the n-th retry.
//!
//! No attempt-count header is sent: the official SDKs send one for their
//! own telemetry, and the API does not need it to behave correctly.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use claude_transport::{Body, RequestBody};
use http::{HeaderMap, Request, Response, StatusCode};
use tower::{Layer, Service, ServiceExt};

use crate::Error;
use crate::layers::{Attempts, BufferBody};
use crate::options::AttemptPolicy;

const INITIAL_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(8);
const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);

/// Whether a status is retryable when no `x-should-retry` header says otherwise.
pub fn status_is_retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500..)
}

/// Whether a response should be retried, `x-should-retry` first.
pub fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").map(|v| v.as_bytes()) {
        Some(b"true") => true,
        Some(b"false") => false,
        _ => status_is_retryable(status),
    }
}

/// The delay the server asked for, when it is within (0, 60 s].
pub fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let delay = if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Some(ms / 1000.0)
    } else if let Some(value) = text("retry-after") {
        match value.parse::<f64>() {
            Ok(seconds) => Some(seconds),
            Err(_) => crate::http_date::parse(value).map(|at| match at.duration_since(now) {
                Ok(ahead) => ahead.as_secs_f64(),
                Err(_) => 0.0,
            }),
        }
    } else {
        None
    }?;
    (delay.is_finite() && delay > 0.0 && delay <= MAX_SERVER_DELAY.as_secs_f64())
        .then(|| Duration::from_secs_f64(delay))
}

/// The delay before retry number `retry` (0 for the first retry): the
/// server's, else exponential backoff with jitter. `random` is in `[0, 1)`.
pub fn retry_delay(retry: u32, headers: Option<&HeaderMap>, random: f64) -> Duration {
    if let Some(delay) = headers.and_then(|h| server_delay(h, SystemTime::now())) {
        return delay;
    }
    let backoff = INITIAL_DELAY.as_secs_f64() * 2f64.powi(retry.min(1000) as i32);
    let capped = backoff.min(MAX_DELAY.as_secs_f64());
    Duration::from_secs_f64(capped * (1.0 - 0.25 * random.clamp(0.0, 1.0)))
}

/// A uniform number in `[0, 1)` from the standard library's random hasher keys.
pub(crate) fn jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x9E37_79B9_7F4A_7C15);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Retries failed attempts by the official SDKs' policy.
///
/// The number of retries is the request's [`AttemptPolicy`] extension, else
/// the layer's default. A request whose body cannot be replayed (a streaming
/// upload) is sent once.
#[derive(Debug, Clone, Copy)]
pub struct RetryLayer {
    default_max_retries: u32,
}

impl RetryLayer {
    /// A layer with a default number of retries.
    pub fn new(default_max_retries: u32) -> Self {
        Self {
            default_max_retries,
        }
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = RetryService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RetryService {
            inner,
            default_max_retries: self.default_max_retries,
        }
    }
}

/// The service made by [`RetryLayer`].
#[derive(Debug, Clone)]
pub struct RetryService<S> {
    inner: S,
    default_max_retries: u32,
}

impl<S> Service<Request<RequestBody>> for RetryService<S>
where
    S: Service<Request<RequestBody>, Response = Response<Body>, Error = Error>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<RequestBody>) -> Self::Future {
        // Take the service that was driven to readiness; keep a clone for
        // the next caller (the usual tower pattern).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let max_retries = request
            .extensions()
            .get::<AttemptPolicy>()
            .map_or(self.default_max_retries, |policy| policy.max_retries);
        Box::pin(run(inner, request, max_retries))
    }
}

async fn run<S>(
    mut inner: S,
    request: Request<RequestBody>,
    max_retries: u32,
) -> Result<Response<Body>, Error>
where
    S: Service<Request<RequestBody>, Response = Response<Body>, Error = Error> + Clone,
{
    let template = Template::new(&request);
    let (_, body) = request.into_parts();
    let replayable = body.try_clone().is_some();
    let max_retries = if replayable { max_retries } else { 0 };
    let mut body = Some(body);
    let mut retry = 0;
    loop {
        let attempt_body = match (
            body.as_ref().and_then(RequestBody::try_clone),
            retry == max_retries,
        ) {
            (Some(copy), false) => copy,
            // Last attempt (or a one-shot body): hand over the original.
            _ => body.take().unwrap_or_else(RequestBody::empty),
        };
        let attempt = template.build(attempt_body);
        let outcome = inner.ready().await?.call(attempt).await;
        let retry_after = match &outcome {
            Ok(response) if response.status().is_success() => None,
            Ok(response) if should_retry(response.status(), response.headers()) => {
                Some(Some(response.headers().clone()))
            }
            Ok(_) => None,
            Err(error) if error.is_retryable() => Some(None),
            Err(_) => None,
        };
        match retry_after {
            Some(headers) if retry < max_retries => {
                let delay = retry_delay(retry, headers.as_ref(), jitter());
                trace_retry(&template, retry + 1, &outcome, delay);
                drop(outcome);
                tokio::time::sleep(delay).await;
                retry += 1;
            }
            _ => {
                return outcome.map(|mut response| {
                    response.extensions_mut().insert(Attempts(retry + 1));
                    response
                });
            }
        }
    }
}

/// What is needed to rebuild the request for each attempt.
struct Template {
    method: http::Method,
    uri: http::Uri,
    version: http::Version,
    headers: HeaderMap,
    policy: Option<AttemptPolicy>,
    buffer: Option<BufferBody>,
}

impl Template {
    fn new(request: &Request<RequestBody>) -> Self {
        Self {
            method: request.method().clone(),
            uri: request.uri().clone(),
            version: request.version(),
            headers: request.headers().clone(),
            policy: request.extensions().get::<AttemptPolicy>().copied(),
            buffer: request.extensions().get::<BufferBody>().copied(),
        }
    }

    fn build(&self, body: RequestBody) -> Request<RequestBody> {
        let mut request = Request::new(body);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.version_mut() = self.version;
        *request.headers_mut() = self.headers.clone();
        if let Some(policy) = self.policy {
            request.extensions_mut().insert(policy);
        }
        if let Some(buffer) = self.buffer {
            request.extensions_mut().insert(buffer);
        }
        request
    }
}

#[cfg(feature = "tracing")]
fn trace_retry(
    template: &Template,
    retry: u32,
    outcome: &Result<Response<Body>, Error>,
    delay: Duration,
) {
    match outcome {
        Ok(response) => tracing::debug!(
            path = template.uri.path(),
            status = response.status().as_u16(),
            retry,
            ?delay,
            "retrying after an error status"
        ),
        Err(error) => tracing::debug!(
            path = template.uri.path(), %error, retry, ?delay, "retrying after a failure"
        ),
    }
}

#[cfg(not(feature = "tracing"))]
fn trace_retry(_: &Template, _: u32, _: &Result<Response<Body>, Error>, _: Duration) {}
