//! Rate limits: the `anthropic-ratelimit-*` headers of every Messages
//! reply, counting down within a window and resetting after it, and a 429
//! when a limit is exhausted if the limits are enforced.

use std::time::{Duration, Instant, SystemTime};

use http::{HeaderName, HeaderValue};

use crate::fault::try_header;
use crate::time::rfc3339;

/// The limits the mock announces (and, if [`enforced`](RateLimits::enforced),
/// applies) to `POST /v1/messages`: requests, input tokens and output
/// tokens per window (a minute by default, as in the API).
///
/// Every Messages reply carries the API's headers for them:
/// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
/// the remaining counts going down with each request and back up when the
/// window ends. Enforced, a request past a limit gets 429
/// `rate_limit_error` with `retry-after` (seconds until the window ends).
///
/// ```
/// use std::time::Duration;
/// use claude_rs_mock::{MockServer, RateLimits};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let limits = RateLimits::per_window(3, 10_000, 2_000)
///     .window(Duration::from_secs(2))
///     .enforced();
/// let server = MockServer::builder().rate_limits(limits).start().await;
/// # let _ = server;
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimits {
    /// Requests per window.
    pub requests: u64,
    /// Input tokens per window.
    pub input_tokens: u64,
    /// Output tokens per window.
    pub output_tokens: u64,
    /// How long a window lasts.
    pub window: Duration,
    /// Whether exhausted limits are answered with 429.
    pub enforce: bool,
}

impl Default for RateLimits {
    /// Generous announced limits, not enforced: the headers are there for
    /// code that reads them, and nothing is refused.
    fn default() -> Self {
        RateLimits::per_window(4_000, 2_000_000, 400_000)
    }
}

impl RateLimits {
    /// These limits per minute, announced but not enforced.
    pub fn per_window(requests: u64, input_tokens: u64, output_tokens: u64) -> Self {
        RateLimits {
            requests,
            input_tokens,
            output_tokens,
            window: Duration::from_secs(60),
            enforce: false,
        }
    }

    /// Sets the window length (a short one makes reset testable).
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window.max(Duration::from_millis(1));
        self
    }

    /// Answers requests past a limit with 429 `rate_limit_error`.
    pub fn enforced(mut self) -> Self {
        self.enforce = true;
        self
    }
}

/// What has been used in the current window.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    started: Option<(Instant, SystemTime)>,
    requests: u64,
    input_tokens: u64,
    output_tokens: u64,
}

/// The outcome of admitting a request.
pub(crate) enum Admission {
    /// Go ahead.
    Admitted,
    /// A limit is exhausted: retry after this many seconds.
    Refused { retry_after: u64 },
}

impl Usage {
    /// Starts a new window when the current one is over.
    fn roll(&mut self, limits: &RateLimits) {
        let now = Instant::now();
        let expired = self
            .started
            .is_none_or(|(start, _)| now.duration_since(start) >= limits.window);
        if expired {
            *self = Usage {
                started: Some((now, SystemTime::now())),
                ..Usage::default()
            };
        }
    }

    fn remaining_window(&self, limits: &RateLimits) -> Duration {
        self.started.map_or(limits.window, |(start, _)| {
            limits.window.saturating_sub(start.elapsed())
        })
    }

    /// Counts a request with `input_tokens`, unless enforced limits refuse it.
    pub(crate) fn admit(&mut self, limits: &RateLimits, input_tokens: u64) -> Admission {
        self.roll(limits);
        let exhausted = self.requests >= limits.requests
            || self.input_tokens + input_tokens > limits.input_tokens
            || self.output_tokens >= limits.output_tokens;
        if limits.enforce && exhausted {
            let seconds = self.remaining_window(limits).as_secs_f64().ceil();
            return Admission::Refused {
                retry_after: (seconds as u64).max(1),
            };
        }
        self.requests += 1;
        self.input_tokens += input_tokens;
        Admission::Admitted
    }

    /// Counts the output tokens of a reply.
    pub(crate) fn spend_output(&mut self, output_tokens: u64) {
        self.output_tokens += output_tokens;
    }

    /// The `anthropic-ratelimit-*` headers for the current window.
    pub(crate) fn headers(&self, limits: &RateLimits) -> Vec<(HeaderName, HeaderValue)> {
        let reset = self
            .started
            .map_or_else(SystemTime::now, |(_, wall)| wall + limits.window);
        let reset = rfc3339(reset, "Z");
        let left = |limit: u64, used: u64| limit.saturating_sub(used);
        let rows = [
            (
                "requests",
                limits.requests,
                left(limits.requests, self.requests),
            ),
            (
                "tokens",
                limits.input_tokens + limits.output_tokens,
                left(limits.input_tokens, self.input_tokens)
                    + left(limits.output_tokens, self.output_tokens),
            ),
            (
                "input-tokens",
                limits.input_tokens,
                left(limits.input_tokens, self.input_tokens),
            ),
            (
                "output-tokens",
                limits.output_tokens,
                left(limits.output_tokens, self.output_tokens),
            ),
        ];
        let mut out = Vec::new();
        for (name, limit, remaining) in rows {
            let prefix = format!("anthropic-ratelimit-{name}");
            out.extend(try_header(&format!("{prefix}-limit"), &limit.to_string()));
            out.extend(try_header(
                &format!("{prefix}-remaining"),
                &remaining.to_string(),
            ));
            out.extend(try_header(&format!("{prefix}-reset"), &reset));
        }
        out
    }
}
