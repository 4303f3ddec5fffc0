//! A client for the Claude API: Messages (whole or streamed) with the
//! official SDKs' retry, timeout and error behaviour.
//!
//! ```
//! use claude_rs_client::Client;
//! use claude_rs_types::{CreateMessageRequest, MessageParam, Model};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = claude_rs_mock::MockServer::start().await;
//! # server.enqueue(claude_rs_mock::MockResponse::text("Hello! How can I help?"));
//! # server.enqueue(claude_rs_mock::MockResponse::text("Hello! How can I help?"));
//! // `Client::new()` reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL.
//! let client = Client::builder()
//!     .api_key("sk-ant-...")
//! #   .base_url(server.base_url())
//!     .build()?;
//! let request = CreateMessageRequest::new(
//!     Model::CLAUDE_SONNET_4_5,
//!     1024,
//!     vec![MessageParam::user("Hello, Claude")],
//! );
//!
//! // The whole reply at once...
//! let message = client.messages().create(request.clone()).await?;
//! assert_eq!(message.text(), "Hello! How can I help?");
//!
//! // ...or as it is written.
//! let mut text = client.messages().stream(request).await?.text_stream();
//! let mut streamed = String::new();
//! while let Some(piece) = text.next().await {
//!     streamed.push_str(&piece?);
//! }
//! assert_eq!(streamed, message.text());
//! # Ok(())
//! # }
//! ```
//!
//! # How a call travels
//!
//! The request is serialized once into `Bytes` and routed by the client's
//! [`backend`] (the first-party API unless you choose another: it sets the
//! URL and may rewrite the body), then goes through a tower stack:
//! [`layers::RetryLayer`] (the official policy: `x-should-retry`, then
//! 408/409/429/5xx and connection failures, honouring `retry-after-ms` and
//! `retry-after`, else exponential backoff with jitter), any layers you add,
//! [`layers::TimeoutLayer`] (a deadline per attempt, 10 minutes by default),
//! the backend's credentials (applied last, on every attempt) and the
//! [`claude_rs_transport`] HTTP client. Retries rebuild the request from the
//! same `Bytes`, so they copy nothing.
//!
//! Streams are guarded by an idle timeout (no byte for N seconds) instead of
//! a total deadline, which would cut long healthy streams. A stream whose
//! first event is an `overloaded_error` is retried like a 529. When a
//! stream fails midway, [`Error::Stream`] carries the message accumulated so
//! far: nothing that arrived is lost.
//!
//! # More in a few lines
//!
//! * **Structured outputs:** [`Messages::parse`](messages::Messages::parse)
//!   asks for JSON of a Rust type and decodes it:
//!   `client.messages().parse::<Order>(request).await?.parsed_output`.
//! * **Live tool input:** [`MessageStream::live_input`](messages::MessageStream::live_input)
//!   then [`partial_input(index)`](messages::MessageStream::partial_input)
//!   gives a tool call's input parsed so far while it streams.
//! * **Rate limits:** [`ApiResponse::rate_limits`], `MessageStream::rate_limits`
//!   and [`ApiError::rate_limits`] read the `anthropic-ratelimit-*` headers
//!   into [`RateLimits`].
//! * **Skills:** [`Client::skills`] uploads a folder with a `SKILL.md`
//!   ([`skills::SkillUpload::from_dir`]), lists, versions and downloads them.
//!
//! # Errors
//!
//! One [`Error`] enum. API errors ([`ApiError`]) carry the status, error
//! type, message, request id, headers and raw body; predicates such as
//! [`Error::is_rate_limit`] and [`Error::is_retryable`] answer the usual
//! questions. API keys never appear in `Debug` output, logs or errors.

pub mod batches;
mod core;
pub mod files;
pub mod messages;
pub mod models;
pub mod skills;
pub mod tools;

pub use crate::core::api_call::ApiCall;
pub use crate::core::builder::ClientBuilder;
pub use crate::core::client::{Client, Stack};
pub use crate::core::config::{
    DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES,
    DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use crate::core::error::{
    ApiError, ConfigKind, Error, InvalidRequestKind, ProtocolKind, TimeoutKind,
};
pub use crate::core::list::{List, Paginator};
pub use crate::core::options::{AttemptPolicy, RequestOptions};
pub use crate::core::rate_limits::{BedrockMetrics, RateLimit, RateLimits};
pub use crate::core::response::ApiResponse;

pub use crate::core::{backend, layers};

pub use claude_rs_transport as transport;
pub use claude_rs_types as types;
