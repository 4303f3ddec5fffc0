//! The retry layer: repeats an attempt when the retry policy
//! ([`crate::core::retry`]) says so, within the call's retry budget.
//!
//! No attempt-count header is sent: the official SDKs send one for their
//! own telemetry, and the API does not need it to behave correctly.

use std::task::{Context, Poll};
use std::time::Duration;

use claude_rs_transport::{Body, RequestBody};
use futures_util::future::BoxFuture;
use http::{Request, Response};
use tower::{Layer, Service, ServiceExt};

use crate::core::call::ResponseMode;
use crate::core::error::Error;
use crate::core::layers::Attempts;
use crate::core::options::AttemptPolicy;
use crate::core::retry::{Outcome, RetryBudget, decide};

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
    type Future = BoxFuture<'static, Result<Response<Body>, Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<RequestBody>) -> Self::Future {
        // Take the service that was driven to readiness; keep a clone for
        // the next caller (the usual tower pattern).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        // A budget shared with the caller (the stream opener) wins; else one
        // of the call's own.
        let budget = match request.extensions().get::<RetryBudget>() {
            Some(budget) => budget.clone(),
            None => RetryBudget::new(
                request
                    .extensions()
                    .get::<AttemptPolicy>()
                    .map_or(self.default_max_retries, |policy| policy.max_retries),
            ),
        };
        Box::pin(run(inner, request, budget))
    }
}

async fn run<S>(
    mut inner: S,
    request: Request<RequestBody>,
    budget: RetryBudget,
) -> Result<Response<Body>, Error>
where
    S: Service<Request<RequestBody>, Response = Response<Body>, Error = Error> + Clone,
{
    let (parts, body) = request.into_parts();
    let template = Request::from_parts(parts, ());
    // A one-shot body (an upload stream) is sent once, whatever the budget.
    let replayable = body.try_clone().is_some();
    let mut body = Some(body);
    loop {
        let attempt_body = match body.as_ref().and_then(RequestBody::try_clone) {
            Some(copy) => copy,
            None => body.take().unwrap_or_else(RequestBody::empty),
        };
        let attempt = rebuild(&template, attempt_body);
        let outcome = inner.ready().await?.call(attempt).await;
        let decision = match &outcome {
            Ok(response) => decide(Outcome::Response(response.status(), response.headers())),
            Err(error) => decide(Outcome::Failed(error)),
        };
        let delay = if replayable {
            budget.take(decision)
        } else {
            None
        };
        let Some(delay) = delay else {
            return outcome.map(|mut response| {
                response
                    .extensions_mut()
                    .insert(Attempts(budget.attempts()));
                response
            });
        };
        trace_retry(&template, budget.attempts() - 1, &outcome, delay);
        drop(outcome);
        tokio::time::sleep(delay).await;
    }
}

/// The request of one attempt: the template's head with `body`, and the
/// extensions the layers below read (copied one by one: cloning the whole
/// map costs an allocation per entry on every attempt).
fn rebuild(template: &Request<()>, body: RequestBody) -> Request<RequestBody> {
    let mut request = Request::new(body);
    *request.method_mut() = template.method().clone();
    *request.uri_mut() = template.uri().clone();
    *request.version_mut() = template.version();
    *request.headers_mut() = template.headers().clone();
    let (from, to) = (template.extensions(), request.extensions_mut());
    if let Some(policy) = from.get::<AttemptPolicy>() {
        to.insert(*policy);
    }
    if let Some(mode) = from.get::<ResponseMode>() {
        to.insert(*mode);
    }
    request
}

#[cfg(feature = "tracing")]
fn trace_retry(
    template: &Request<()>,
    retry: u32,
    outcome: &Result<Response<Body>, Error>,
    delay: Duration,
) {
    let path = template.uri().path();
    match outcome {
        Ok(response) => tracing::debug!(
            path,
            status = response.status().as_u16(),
            retry,
            ?delay,
            "retrying after an error status"
        ),
        Err(error) => tracing::debug!(path, %error, retry, ?delay, "retrying after a failure"),
    }
}

#[cfg(not(feature = "tracing"))]
fn trace_retry(_: &Request<()>, _: u32, _: &Result<Response<Body>, Error>, _: Duration) {}
