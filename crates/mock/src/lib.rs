//! `claude-mock`: an embedded, loopback mock of the Claude API, for testing
//! code that calls Claude without the network and without paying.
//!
//! ```
//! use claude_mock::{MockResponse, MockServer};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = MockServer::start().await;
//! server.enqueue(MockResponse::text("Hello from the mock"));
//!
//! // Any HTTP client works; here, HTTP/1.1 by hand.
//! let body = r#"{"model":"claude-opus-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#;
//! let mut socket = tokio::net::TcpStream::connect(server.address()).await?;
//! let request = format!(
//!     "POST /v1/messages HTTP/1.1\r\nhost: mock\r\nanthropic-version: 2023-06-01\r\n\
//!      content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
//!     body.len()
//! );
//! socket.write_all(request.as_bytes()).await?;
//! let mut response = String::new();
//! socket.read_to_string(&mut response).await?;
//!
//! assert!(response.starts_with("HTTP/1.1 200 OK"));
//! let json = response.split("\r\n\r\n").nth(1).unwrap_or_default();
//! let message: claude_types::Message = serde_json::from_str(json)?;
//! assert_eq!(message.text(), "Hello from the mock");
//! assert_eq!(message.model.as_str(), "claude-opus-4-5");
//!
//! // Every request is recorded for assertions.
//! assert_eq!(server.requests().len(), 1);
//! assert_eq!(server.requests()[0].header("anthropic-version"), Some("2023-06-01"));
//! # Ok(())
//! # }
//! ```
//!
//! # What it does
//!
//! * **Routes**: Messages (JSON, or SSE when the body says `"stream": true`),
//!   `count_tokens`, Message Batches (with JSONL results), Models and Files
//!   (multipart upload, download), with the API's list pagination
//!   (`limit`, `after_id`, `before_id`). Unknown paths get 404
//!   `not_found_error`.
//! * **Default replies**: a deterministic echo of the last user turn, with
//!   ids `msg_mock_...`, plausible usage, and the stop reason the API would
//!   give (`end_turn`, `max_tokens` when `max_tokens` is small,
//!   `stop_sequence` when a stop sequence occurs in the echo).
//! * **Scripts**: a FIFO queue of [`MockResponse`]s per [`Route`], or a
//!   handler closure; message replies are served as JSON or SSE to match the
//!   request, so one script tests both paths of a client. Recorded responses
//!   can be replayed byte for byte.
//! * **Faults** ([`Fault`], scheduled with [`FaultRule`]): error statuses
//!   with `retry-after`/`x-should-retry`, an SSE `error` event at event N, a
//!   connection closed before the headers or after N bytes, stalls, slow
//!   drips, malformed JSON, truncated streams.
//! * **Recording**: [`MockServer::requests`] returns every request
//!   ([`RecordedRequest`]: method, path, query, headers, raw and parsed body).
//!   [`MockServer::connections`] and [`MockServer::open_connections`] count
//!   TCP connections, to check a client's connection reuse and cleanup.
//! * **Validation** like the API's: missing `anthropic-version`, bad or
//!   missing API key (when one is configured), missing `model` or
//!   `max_tokens`, empty `messages`, bad roles, invalid JSON, each answered
//!   with the API's error body and status.
//!
//! # Why it looks exactly like the API
//!
//! A mock that is merely plausible lets bugs through: a client that works
//! against it must work against the real service. So bodies are built from
//! the typed [`claude_types`] model, SSE uses the API's framing
//! (`event: <type>\ndata: <json>\n\n`) and event order, errors use the API's
//! body shape and statuses, and every response carries a `request-id`.
//!
//! The server binds `127.0.0.1` on a free port by default and speaks HTTP/1.1
//! and cleartext HTTP/2. The `claude-mock` binary runs it standalone:
//! `cargo run -p claude-mock -- --port 8080`.

mod base64;
mod body;
mod cassette;
mod catalog;
mod config;
mod control;
mod echo;
mod fault;
mod generate;
mod io;
mod multipart;
mod ratelimit;
mod record;
mod render;
mod response;
mod route;
mod routes;
mod script;
mod server;
mod service;
mod sse;
mod state;
mod store;
mod time;
mod validate;
mod wire;

pub use config::BatchCompletion;
pub use fault::{Fault, FaultRule};
pub use ratelimit::RateLimits;
pub use record::RecordedRequest;
pub use response::MockResponse;
pub use route::Route;
pub use script::ScriptError;
pub use server::{MockServer, MockServerBuilder};
pub use sse::{encode_event, message_events};
