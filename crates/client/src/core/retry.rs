//! The one retry loop, in the shape of the smithy-rs orchestrator: the
//! loop ([`RetryLoop`]) owns the attempt counter, the retry budget and the
//! delays; a classifier ([`classify`]) says what an attempt's outcome is;
//! a strategy ([`server_delay`], [`Backoff::RETRY`]) says when to try again.
//!
//! Every call goes through it: JSON calls, downloads and streams, on every
//! backend. A stream is opened inside an attempt, up to its first event, so
//! an error before the first event is an outcome like any other and is
//! retried within the same budget; once the first event has arrived the
//! attempt has succeeded and nothing is retried (a later failure is
//! [`Error::Stream`] with what had arrived).
//!
//! The rules are the official SDKs':
//!
//! * An `x-should-retry: true|false` response header decides first, also
//!   when the body of that response breaks while it is read.
//! * Otherwise the backend's own retryable classes (a platform's throttling
//!   exception, say), then 408, 409, 429 and every status >= 500, connection
//!   failures and timeouts, and an `overloaded_error` event that opens a
//!   stream.
//! * The delay is the server's `retry-after-ms`, else `retry-after` (seconds
//!   or an HTTP date), when it is between 0 and 60 s; otherwise
//!   `min(0.5 s * 2^n, 8 s) * (1 - 0.25 * random)` for the n-th retry.

use std::future::Future;
use std::time::{Duration, SystemTime};

use claude_rs_types::error::ErrorType;
use http::{HeaderMap, StatusCode};

use crate::core::backend::Backend;
use crate::core::backoff::Backoff;
use crate::core::error::Error;

const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);

/// What the policy says of one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Do not try again.
    Stop,
    /// Try again after the server's delay, or after the backoff if `None`.
    Retry(Option<Duration>),
}

/// A failed attempt: the error, and the head of the response it came with
/// when one had arrived (its `x-should-retry` and `retry-after` still count
/// when the body broke while it was read).
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) headers: Option<HeaderMap>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            error,
            headers: None,
        }
    }
}

/// The classifier: what a failed attempt means. `headers` is the head of
/// the response the failure came with, if any; `backend` adds its own
/// retryable classes.
pub(crate) fn classify(
    error: &Error,
    headers: Option<&HeaderMap>,
    backend: Option<&dyn Backend>,
) -> Decision {
    let now = SystemTime::now();
    if let Some(decision) = headers.and_then(|headers| should_retry_header(headers, now)) {
        return decision;
    }
    match error.cause() {
        Error::Api(api) => {
            if let Some(decision) = should_retry_header(&api.headers, now) {
                return decision;
            }
            let delay = || Decision::Retry(server_delay(&api.headers, now));
            match backend.and_then(|backend| backend.is_retryable(api)) {
                Some(true) => delay(),
                Some(false) => Decision::Stop,
                // An answer of the API over HTTP: the status rule.
                None if !api.status.is_success() => match status_is_retryable(api.status) {
                    true => delay(),
                    false => Decision::Stop,
                },
                // An `error` event inside a stream (status 200).
                None if api.error_type == Some(ErrorType::Overloaded) => Decision::Retry(None),
                None => Decision::Stop,
            }
        }
        Error::Connection(error) if error.is_retryable() => Decision::Retry(None),
        Error::Timeout { .. }
        | Error::Credentials {
            transient: true, ..
        } => Decision::Retry(None),
        Error::Other(source) if source.is::<tower::timeout::error::Elapsed>() => {
            Decision::Retry(None)
        }
        _ => Decision::Stop,
    }
}

/// What `x-should-retry` says, when it is `true` or `false`.
fn should_retry_header(headers: &HeaderMap, now: SystemTime) -> Option<Decision> {
    match headers.get("x-should-retry").map(|v| v.as_bytes()) {
        Some(b"true") => Some(Decision::Retry(server_delay(headers, now))),
        Some(b"false") => Some(Decision::Stop),
        _ => None,
    }
}

impl Error {
    /// Whether the retry policy would try the same request again: the
    /// official SDKs' rules (`x-should-retry` first, then statuses 408, 409,
    /// 429, >= 500; connection errors; timeouts; an overloaded stream).
    pub fn is_retryable(&self) -> bool {
        classify(self, None, None) != Decision::Stop
    }
}

/// 408, 409, 429 and every status >= 500.
fn status_is_retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500..)
}

/// The delay the server asked for, when it is within (0, 60 s].
pub(crate) fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
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
            Err(_) => crate::core::http_date::parse(value).map(|at| match at.duration_since(now) {
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

/// The retries one logical call may still make.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    max_retries: u32,
    used: u32,
}

impl RetryBudget {
    pub(crate) fn new(max_retries: u32) -> Self {
        Self {
            max_retries,
            used: 0,
        }
    }

    /// Attempts made so far, counting the one under way.
    pub(crate) fn attempts(&self) -> u32 {
        self.used + 1
    }

    /// Spends one retry on `decision` and returns how long to wait first, or
    /// `None` when the decision is to stop or no retry is left.
    pub(crate) fn take(&mut self, decision: Decision) -> Option<Duration> {
        let Decision::Retry(server) = decision else {
            return None;
        };
        if self.used >= self.max_retries {
            return None;
        }
        let retry = self.used;
        self.used += 1;
        Some(server.unwrap_or_else(|| Backoff::RETRY.delay(retry)))
    }
}

/// The retry loop of one logical call.
pub(crate) struct RetryLoop<'b> {
    budget: RetryBudget,
    backend: &'b dyn Backend,
    /// Whether the request can be sent again (a streaming upload cannot).
    replayable: bool,
}

impl<'b> RetryLoop<'b> {
    pub(crate) fn new(max_retries: u32, backend: &'b dyn Backend, replayable: bool) -> Self {
        Self {
            budget: RetryBudget::new(max_retries),
            backend,
            replayable,
        }
    }

    /// Runs `attempt` until it succeeds, the classifier says stop, or the
    /// budget is spent; returns the last outcome and the attempts it took.
    pub(crate) async fn run<T, F, Fut>(mut self, mut attempt: F) -> (Result<T, Error>, u32)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        loop {
            let failure = match attempt().await {
                Ok(value) => return (Ok(value), self.budget.attempts()),
                Err(failure) => failure,
            };
            let decision = match self.replayable {
                true => classify(&failure.error, failure.headers.as_ref(), Some(self.backend)),
                false => Decision::Stop,
            };
            let Some(delay) = self.budget.take(decision) else {
                return (Err(failure.error), self.budget.attempts());
            };
            trace_retry(&failure.error, self.budget.attempts() - 1, delay);
            drop(failure);
            tokio::time::sleep(delay).await;
        }
    }
}

#[cfg(feature = "tracing")]
fn trace_retry(error: &Error, retry: u32, delay: Duration) {
    tracing::debug!(%error, retry, ?delay, "retrying");
}

#[cfg(not(feature = "tracing"))]
fn trace_retry(_: &Error, _: u32, _: Duration) {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ApiError;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    /// An error answer of this status and these headers, as the loop sees it.
    fn answer(code: StatusCode, headers: &HeaderMap) -> Error {
        let body = bytes::Bytes::new();
        let error = ApiError::new(code, None, String::new(), None, body, headers.clone());
        Error::Api(Box::new(error))
    }

    fn decide(code: StatusCode, headers: &HeaderMap) -> Decision {
        classify(&answer(code, headers), None, None)
    }

    fn should_retry(code: StatusCode, headers: &HeaderMap) -> bool {
        decide(code, headers) != Decision::Stop
    }

    #[test]
    fn statuses_retried_without_a_header() {
        for code in [408, 409, 429, 500, 502, 503, 504, 529] {
            let code = StatusCode::from_u16(code).unwrap();
            assert!(should_retry(code, &HeaderMap::new()), "{code}");
        }
        for code in [200, 400, 401, 403, 404, 413, 422] {
            let code = StatusCode::from_u16(code).unwrap();
            assert!(!should_retry(code, &HeaderMap::new()), "{code}");
        }
    }

    #[test]
    fn x_should_retry_decides_first() {
        let yes = headers(&[("x-should-retry", "true")]);
        let no = headers(&[("x-should-retry", "false")]);
        assert!(should_retry(StatusCode::BAD_REQUEST, &yes));
        assert!(!should_retry(StatusCode::SERVICE_UNAVAILABLE, &no));
        assert!(!should_retry(StatusCode::TOO_MANY_REQUESTS, &no));
        // Anything else is ignored.
        let maybe = headers(&[("x-should-retry", "maybe")]);
        assert!(should_retry(StatusCode::TOO_MANY_REQUESTS, &maybe));
        assert!(!should_retry(StatusCode::BAD_REQUEST, &maybe));
    }

    #[test]
    fn server_delay_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let delay = |pairs: &[(&'static str, &str)]| server_delay(&headers(pairs), now);
        assert_eq!(
            delay(&[("retry-after-ms", "1500")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            delay(&[("retry-after-ms", "250"), ("retry-after", "9")]),
            Some(Duration::from_millis(250))
        );
        assert_eq!(delay(&[("retry-after", "3")]), Some(Duration::from_secs(3)));
        assert_eq!(
            delay(&[("retry-after", "1.5")]),
            Some(Duration::from_millis(1500))
        );
        // 1_700_000_000 + 20 s as an HTTP date.
        assert_eq!(
            delay(&[("retry-after", "Tue, 14 Nov 2023 22:13:40 GMT")]),
            Some(Duration::from_secs(20))
        );
        // Outside (0, 60 s]: ignored.
        assert_eq!(delay(&[("retry-after", "0")]), None);
        assert_eq!(delay(&[("retry-after", "-1")]), None);
        assert_eq!(delay(&[("retry-after", "61")]), None);
        assert_eq!(delay(&[("retry-after-ms", "60001")]), None);
        assert_eq!(
            delay(&[("retry-after", "Tue, 14 Nov 2023 22:13:00 GMT")]),
            None,
            "a date in the past"
        );
        assert_eq!(delay(&[("retry-after", "soon")]), None);
        assert_eq!(delay(&[]), None);
    }

    #[test]
    fn a_server_delay_wins_over_backoff() {
        let server = headers(&[("retry-after", "2")]);
        let decision = decide(StatusCode::SERVICE_UNAVAILABLE, &server);
        let mut budget = RetryBudget::new(6);
        for _ in 0..5 {
            budget.take(Decision::Retry(None));
        }
        assert_eq!(budget.take(decision), Some(Duration::from_secs(2)));
    }

    #[test]
    fn the_budget_is_never_exceeded() {
        let mut budget = RetryBudget::new(2);
        let server = Decision::Retry(Some(Duration::from_secs(1)));
        assert_eq!(budget.take(server), Some(Duration::from_secs(1)));
        assert_eq!(budget.take(Decision::Stop), None, "a stop spends nothing");
        let delay = budget.take(Decision::Retry(None)).unwrap();
        assert!(delay > Duration::from_millis(750) && delay <= Duration::from_secs(1));
        assert_eq!(budget.attempts(), 3);
        assert_eq!(budget.take(Decision::Retry(None)), None, "two retries only");
        assert_eq!(budget.attempts(), 3);
    }
}
