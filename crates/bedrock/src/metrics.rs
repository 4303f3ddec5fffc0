//! [`BedrockMetrics`]: what Amazon Bedrock reports of a call in its
//! response headers, and [`BedrockMetricsExt`], to read them from any
//! answer of the client.

use std::time::Duration;

use claude_rs_client::ApiResponse;
use claude_rs_client::http::HeaderMap;
use claude_rs_client::messages::MessageStream;

/// What Amazon Bedrock reports of a call in its headers
/// (`x-amzn-bedrock-*`); every field `None` on an answer that did not come
/// from Bedrock.
///
/// ```
/// use claude_rs_bedrock::BedrockMetrics;
/// use claude_rs_client::http::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("x-amzn-bedrock-input-token-count", HeaderValue::from_static("12"));
/// headers.insert("x-amzn-bedrock-invocation-latency", HeaderValue::from_static("1500"));
/// let metrics = BedrockMetrics::from_headers(&headers);
/// assert_eq!(metrics.input_tokens, Some(12));
/// assert_eq!(metrics.invocation_latency, Some(std::time::Duration::from_millis(1500)));
/// assert_eq!(metrics.output_tokens, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct BedrockMetrics {
    /// `x-amzn-bedrock-input-token-count`.
    pub input_tokens: Option<u64>,
    /// `x-amzn-bedrock-output-token-count`.
    pub output_tokens: Option<u64>,
    /// `x-amzn-bedrock-cache-read-input-token-count`.
    pub cache_read_input_tokens: Option<u64>,
    /// `x-amzn-bedrock-cache-write-input-token-count`.
    pub cache_write_input_tokens: Option<u64>,
    /// `x-amzn-bedrock-invocation-latency` (milliseconds).
    pub invocation_latency: Option<Duration>,
}

impl BedrockMetrics {
    /// Reads the headers of an answer; a header that is absent or not a
    /// number is `None`.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| -> Option<u64> {
            headers
                .get(format!("x-amzn-bedrock-{name}"))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok())
        };
        Self {
            input_tokens: number("input-token-count"),
            output_tokens: number("output-token-count"),
            cache_read_input_tokens: number("cache-read-input-token-count"),
            cache_write_input_tokens: number("cache-write-input-token-count"),
            invocation_latency: number("invocation-latency").map(Duration::from_millis),
        }
    }
}

/// [`BedrockMetrics`] of the client's answers: an API response
/// ([`ApiResponse`], from `with_response()`) or a Messages stream.
pub trait BedrockMetricsExt {
    /// What Amazon Bedrock reports of the call (`x-amzn-bedrock-*`).
    fn bedrock_metrics(&self) -> BedrockMetrics;
}

impl<T> BedrockMetricsExt for ApiResponse<T> {
    fn bedrock_metrics(&self) -> BedrockMetrics {
        BedrockMetrics::from_headers(&self.headers)
    }
}

impl BedrockMetricsExt for MessageStream {
    fn bedrock_metrics(&self) -> BedrockMetrics {
        BedrockMetrics::from_headers(self.headers())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_and_absent_headers_are_none() {
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-bedrock-output-token-count", "34".parse().unwrap());
        headers.insert("x-amzn-bedrock-input-token-count", "many".parse().unwrap());
        let metrics = BedrockMetrics::from_headers(&headers);
        assert_eq!(metrics.output_tokens, Some(34));
        assert_eq!(metrics.input_tokens, None);
        assert_eq!(metrics.cache_read_input_tokens, None);
        assert_eq!(metrics.invocation_latency, None);
    }
}
