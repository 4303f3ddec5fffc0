//! [`RateLimits`]: what an answer's headers say about the caller's limits,
//! typed.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

use crate::core::http_date;

/// One limit of the `anthropic-ratelimit-{kind}-*` headers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimit {
    /// The most allowed in the window (`...-limit`).
    pub limit: Option<u64>,
    /// What is left in the window (`...-remaining`).
    pub remaining: Option<u64>,
    /// When the window refills, as sent (`...-reset`, RFC 3339).
    pub reset: Option<String>,
}

impl RateLimit {
    /// [`reset`](Self::reset) as a time, when it parses.
    pub fn reset_at(&self) -> Option<SystemTime> {
        self.reset.as_deref().and_then(http_date::parse_rfc3339)
    }

    fn read(headers: &HeaderMap, kind: &str) -> Option<Self> {
        let text = |what: &str| header(headers, &format!("anthropic-ratelimit-{kind}-{what}"));
        let number = |what: &str| text(what).and_then(|v| v.parse().ok());
        let limit = Self {
            limit: number("limit"),
            remaining: number("remaining"),
            reset: text("reset").map(str::to_owned),
        };
        (limit != Self::default()).then_some(limit)
    }
}

/// The rate limits an answer reports, from its `anthropic-ratelimit-*` and
/// `retry-after` headers; `None` where a header is absent (or unreadable).
///
/// ```
/// use claude_rs_client::RateLimits;
/// use claude_rs_client::http::HeaderMap;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("anthropic-ratelimit-requests-limit", "50".parse().unwrap());
/// headers.insert("anthropic-ratelimit-requests-remaining", "49".parse().unwrap());
/// headers.insert("anthropic-ratelimit-requests-reset", "2026-12-01T14:00:30Z".parse().unwrap());
/// let limits = RateLimits::from_headers(&headers);
/// let requests = limits.requests.expect("requests");
/// assert_eq!((requests.limit, requests.remaining), (Some(50), Some(49)));
/// assert!(requests.reset_at().is_some());
/// assert!(limits.tokens.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimits {
    /// Requests per minute (`anthropic-ratelimit-requests-*`).
    pub requests: Option<RateLimit>,
    /// Input and output tokens together (`anthropic-ratelimit-tokens-*`).
    pub tokens: Option<RateLimit>,
    /// Input tokens (`anthropic-ratelimit-input-tokens-*`).
    pub input_tokens: Option<RateLimit>,
    /// Output tokens (`anthropic-ratelimit-output-tokens-*`).
    pub output_tokens: Option<RateLimit>,
    /// How long to wait before trying again (`retry-after`, seconds).
    pub retry_after: Option<Duration>,
}

impl RateLimits {
    /// Reads the headers of an answer.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            requests: RateLimit::read(headers, "requests"),
            tokens: RateLimit::read(headers, "tokens"),
            input_tokens: RateLimit::read(headers, "input-tokens"),
            output_tokens: RateLimit::read(headers, "output-tokens"),
            retry_after: header(headers, "retry-after")
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64),
        }
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn every_kind_is_read_and_absent_ones_are_none() {
        let limits = RateLimits::from_headers(&headers(&[
            ("anthropic-ratelimit-tokens-limit", "80000"),
            ("anthropic-ratelimit-tokens-remaining", "79000"),
            ("anthropic-ratelimit-input-tokens-remaining", "40000"),
            (
                "anthropic-ratelimit-output-tokens-reset",
                "2026-12-01T14:00:30Z",
            ),
            ("retry-after", "7"),
        ]));
        let tokens = limits.tokens.unwrap();
        assert_eq!(
            (tokens.limit, tokens.remaining),
            (Some(80_000), Some(79_000))
        );
        assert_eq!(limits.input_tokens.unwrap().remaining, Some(40_000));
        let output = limits.output_tokens.unwrap();
        assert_eq!(
            output.reset_at(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_133_630))
        );
        assert_eq!(limits.requests, None);
        assert_eq!(limits.retry_after, Some(Duration::from_secs(7)));
    }

    #[test]
    fn unreadable_values_are_none() {
        let limits = RateLimits::from_headers(&headers(&[
            ("anthropic-ratelimit-requests-limit", "lots"),
            ("retry-after", "-3"),
        ]));
        assert_eq!(limits, RateLimits::default());
    }
}
