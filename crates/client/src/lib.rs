//! A client for the Claude API: Messages (whole or streamed) with the
//! official SDKs' retry, timeout and error behaviour.
//!
//! ```
//! use claude_rs_client::Client;
//! use claude_rs_types::{request::CreateMessageRequest, request::MessageParam, model::Model};
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
//!     Model::CLAUDE_SONNET_5,
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
//! URL and may rewrite the body), then goes through one retry loop (the
//! official policy: `x-should-retry`, then 408/409/429/5xx and connection
//! failures, honouring `retry-after-ms` and `retry-after`, else exponential
//! backoff with jitter). Each attempt has a deadline (10 minutes by default)
//! and goes through any tower layers you add, the backend's credentials
//! (applied last, on every attempt) and the [`claude_rs_transport`] HTTP
//! client. Retries rebuild the request from the same `Bytes`, so they copy
//! nothing.
//!
//! Streams are guarded by an idle timeout (no byte for N seconds) instead of
//! a total deadline, which would cut long healthy streams. A stream is
//! opened inside the retry loop up to its first event: an error before it
//! (an `overloaded_error` event, say) is retried within the same budget as
//! an error status. When a stream fails after its first event,
//! [`Error::Stream`] carries the message accumulated so far: nothing that
//! arrived is lost, and nothing is sent again.
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
//! * **Any endpoint:** [`Client::get`], [`Client::post`], [`Client::put`],
//!   [`Client::patch`], [`Client::delete`] and [`Client::request`] build an
//!   [`ApiCall`] to any path (Managed Agents, the Admin API, whatever the
//!   API adds), answered as a typed value, raw JSON, the raw response,
//!   an event stream ([`Events`]) or a listing ([`List`], [`Pages`],
//!   [`Paginator`]). Every handler of this crate is built on them, so they
//!   take the same path as everything else.
//!
//! # API versions
//!
//! The client sends `anthropic-version: 2026-10-21` by default
//! ([`ApiVersion::V2026_10_21`], as today's official SDKs); pick
//! [`ApiVersion::V2023_06_01`] with [`ClientBuilder::api_version`] for code
//! that still sets `temperature`, `top_p` or `top_k`. A request the chosen
//! version refuses fails before it is sent, naming the field and the
//! version ([`InvalidRequestKind::RefusedByVersion`]); see [`ApiVersion`].
//!
//! # Errors
//!
//! One [`Error`] enum. API errors ([`ApiError`]) carry the status, error
//! type, message, request id, headers and raw body; predicates such as
//! [`Error::is_rate_limit`] and [`Error::is_retryable`] answer the usual
//! questions. API keys never appear in `Debug` output, logs or errors.
//!
//! # Testing your code
//!
//! `claude-rs-mock` (a dev-dependency) is a local mock of the API: point
//! the client at it, script its replies and faults, and check what was sent.
//!
//! ```
//! use claude_rs_client::Client;
//! use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
//! use claude_rs_types::request::{CreateMessageRequest, MessageParam};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), claude_rs_client::Error> {
//! let server = MockServer::start().await;
//! // Two 529s, then the scripted answer: the client's two retries see it through.
//! server.inject(FaultRule::times(2, Fault::overloaded().retry_after_ms(1)).on(Route::Messages));
//! server.enqueue(MockResponse::text("Paris."));
//! let client = Client::builder().api_key("test").base_url(server.base_url()).build()?;
//!
//! let request = CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Capital of France?")]);
//! let reply = client.messages().create(request).await?;
//! assert_eq!(reply.text(), "Paris.");
//!
//! let sent = server.received_on(Route::Messages);
//! assert_eq!(sent.len(), 3);
//! assert_eq!(sent[2].json.as_ref().unwrap()["messages"][0]["content"], "Capital of France?");
//! assert_eq!(sent[2].header("x-api-key"), Some("test"));
//! # Ok(())
//! # }
//! ```
//!
//! [`Error`] shows error replies scripted the same way, and the mock's own
//! docs list every fault.
//!
//! # Features
//!
//! | Feature | Default | Pulls in | Gives |
//! |---|---|---|---|
//! | `webpki-roots` | on | `webpki-roots` (through `claude-rs-transport`) | TLS trusts the Mozilla roots compiled into the binary |
//! | `native-roots` | off | `rustls-native-certs` (through `claude-rs-transport`) | TLS trusts the operating system's store (corporate CAs); may be combined with `webpki-roots` |
//! | `tracing` | off | `tracing` | OpenTelemetry GenAI spans of every call, tool run and tool execution, through `tracing` (the `telemetry` module), and debug events |
//! | `schemars` | on | `schemars` 1.x, and `claude-rs-types/schemars` | [`tools::TypedTool::new`] and `strict`, [`Messages::parse`](messages::Messages::parse) (structured outputs as a Rust type), and the [`tools::schemars`] re-export |
//!
//! With `default-features = false` and neither roots feature, the built-in
//! transport has no trusted roots, so [`ClientBuilder::build`] fails with
//! [`ConfigKind::Transport`] unless you trust some with
//! [`ClientBuilder::add_root_certificate`] (or give a transport of your own,
//! [`ClientBuilder::transport`]).
//!
//! The crates whose types this API uses are re-exported, so you need no
//! dependency of your own and no version to match: [`http`] (header names
//! and values, status codes), [`types`], [`transport`] and, with
//! `schemars`, [`tools::schemars`].

pub mod batches;
mod core;
pub mod files;
pub mod messages;
pub mod models;
pub mod skills;
#[cfg(feature = "tracing")]
pub mod telemetry;
#[cfg(not(feature = "tracing"))]
mod telemetry;
pub mod tools;

pub use crate::core::api_call::ApiCall;
pub use crate::core::backoff::Backoff;
pub use crate::core::builder::ClientBuilder;
pub use crate::core::client::{Client, Stack};
pub use crate::core::config::{
    DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_STREAM_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
};
pub use crate::core::error::{
    ApiError, ConfigKind, Error, InvalidRequestKind, ProtocolKind, TimeoutKind,
};
pub use crate::core::list::{List, Paginator};
pub use crate::core::multipart::Form;
pub use crate::core::options::RequestOptions;
pub use crate::core::rate_limits::{RateLimit, RateLimits};
pub use crate::core::response::ApiResponse;

pub use crate::core::events::Events;
pub use crate::core::pages::Pages;
pub use crate::core::version::{ApiVersion, VersionRefusal};
pub use crate::core::{backend, credentials, encode};

/// The HTTP transport under the client (`claude-rs-transport`), for a
/// transport of your own given to [`ClientBuilder::transport`].
pub use claude_rs_transport as transport;
/// The request, response and content types (`claude-rs-types`).
pub use claude_rs_types as types;
/// The `http` crate (1.x) of this API: [`HeaderName`](http::HeaderName) and
/// [`HeaderValue`](http::HeaderValue) for [`RequestOptions::header`] and
/// [`ClientBuilder::default_header`], the [`StatusCode`](http::StatusCode)
/// of [`Error::status`], the [`HeaderMap`](http::HeaderMap) of
/// [`ApiError::headers`] and [`ApiResponse::headers`]. Name them
/// through it (`claude_rs_client::http::HeaderName`) rather than a
/// dependency of your own, so the versions always match.
///
/// ```
/// use claude_rs_client::http::{HeaderName, HeaderValue, StatusCode};
///
/// let name = HeaderName::from_static("x-trace-id");
/// let value = HeaderValue::from_static("t-42");
/// assert_eq!((name.as_str(), value.to_str().ok()), ("x-trace-id", Some("t-42")));
/// assert!(StatusCode::TOO_MANY_REQUESTS.is_client_error());
/// ```
pub use http;
