//! `claude-rs-mock`: an embedded, loopback mock of the Claude API, for testing
//! code that calls Claude without the network and without paying.
//!
//! ```
//! use claude_rs_mock::{MockResponse, MockServer};
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
//! let message: claude_rs_types::message::Message = serde_json::from_str(json)?;
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
//! * **Routes**: Messages (JSON, or SSE sent chunked when the body says
//!   `"stream": true`), `count_tokens`, Message Batches (with JSONL
//!   results), Models, Files (multipart upload; only files a tool made are
//!   downloadable, see [`MockServer::add_generated_file`]) and Skills
//!   (multipart upload with a `SKILL.md`), with the API's list pagination
//!   (`limit`, `after_id`, `before_id`, and the `page`/`next_page` cursor
//!   of Files and Skills). Unknown paths get 404 `not_found_error`.
//! * **Managed Agents** (beta `managed-agents-2026-04-01`): agents with
//!   their versions (`update` with a stale `version` is a 409),
//!   environments (cloud or self-hosted), sessions (lists paged both ways,
//!   by status, agent, time), their resources and thread, with the API's
//!   id prefixes (`agent_`, `env_`, `sesn_`, `sevt_`, `sthr_`, `sesrsc_`).
//!   A **scripted agent** answers the events sent to a session: a
//!   `user.message` gets `session.status_running`, then a call of the
//!   agent's first custom tool (input made from its schema: strings get the
//!   message's text) and `session.status_idle` with `requires_action`, or
//!   for an agent without one an `agent.message` (`You said: <text>`, or a
//!   reply queued with [`MockServer::enqueue_agent_reply`]) and `end_turn`;
//!   a `user.custom_tool_result` gets an `agent.message` quoting the result;
//!   [`MockServer::enqueue_agent_tool_calls`] makes the next turn call
//!   several custom tools at once (on the threads named);
//!   a toolset with `always_ask` waits for `user.tool_confirmation`. Every
//!   event is persisted in order (ids increasing) in the history,
//!   `GET /v1/sessions/{id}/events`; the **event stream**
//!   (`.../events/stream`, and each thread's `.../stream`) sends the events
//!   persisted while it is open, `ping`s at
//!   [`MockServerBuilder::stream_ping_interval`], and `event_start` /
//!   `event_delta` previews on request. [`MockServer::cut_next_stream`]
//!   cuts the next stream after N events, mid-frame if asked: the next
//!   event is persisted but not delivered, as when a connection drops. The
//!   **work queue** of a self-hosted environment hands each session's work
//!   to workers presenting the environment's key
//!   ([`MockServer::environment_key`]): long polls, reclaim, ack, the
//!   heartbeat lease (a stale `expected_last_heartbeat` is a 412
//!   `heartbeat_precondition_failed`), stop, stats; each item's work
//!   secret carries a sessions token (`sesstok_mock_<session id>`) that
//!   authenticates, as `Authorization: Bearer`, the calls of that session
//!   (`/v1/sessions/{id}/...`) and of no other, even when an API key is
//!   required.
//! * **Everything else of the API description**: every Managed Agents and
//!   Admin endpoint that no hand-written route serves (memory stores,
//!   vaults, deployments, dreams, tunnels, user profiles, compliance, and
//!   the whole `/v1/organizations/...` tree) is answered by a resource
//!   store driven by the API description compiled into the crate: create,
//!   retrieve, update (`POST /{id}`), list in the endpoint's own pagination
//!   style, archive, delete, nested collections scoped to their parent (a
//!   404 when it is missing), a 400 naming a missing required field, and a
//!   valid instance of the response type for every other call. The
//!   agents, environments and sessions families are left to routes of
//!   their own. Bedrock's control plane gets its memory stores (with their
//!   memories and memory versions) from the same store, in Bedrock's own
//!   types, apart from the first-party ones, with the Managed Agents beta
//!   required.
//! * **The Admin API**: an organization in memory with users, workspaces
//!   and their members, invites, API keys, and usage and cost reports in
//!   `1m`/`1h`/`1d` buckets with their cursor. It takes an admin key
//!   (`sk-ant-admin...`, in `x-api-key` or `Authorization: Bearer`): 401
//!   `authentication_error` without one, 403 `permission_error` with a
//!   plain API key ([`MockServerBuilder::admin_key`] requires one key).
//!   Users are generated from their index, so
//!   [`MockServerBuilder::admin_users`]`(100_000)` costs no memory until
//!   one is changed.
//! * **The token endpoint**, `POST /v1/oauth/token`: the jwt-bearer grant
//!   of workload identity federation and the refresh_token grant of user
//!   OAuth, with the API's beta flags, OAuth-style refusals
//!   (`{"error": "invalid_grant", ...}`) and tokens that expire
//!   ([`MockServerBuilder::federation_rule`],
//!   [`oauth_client`](MockServerBuilder::oauth_client),
//!   [`token_lifetime`](MockServerBuilder::token_lifetime)); the other
//!   routes accept the tokens it issued as `Authorization: Bearer` until
//!   they expire.
//! * **Default replies**: a deterministic echo of the last user turn, with
//!   ids `msg_mock_...`, plausible usage, and the stop reason the API would
//!   give (`end_turn`, `max_tokens` when `max_tokens` is small,
//!   `stop_sequence` when a stop sequence occurs in the echo). A forced
//!   `tool_choice` gets a call of that tool with an input generated from its
//!   schema; thinking gets a signed thinking block first; an assistant
//!   prefill is continued.
//! * **Models**: a current catalogue with `lifecycle`, `capabilities`,
//!   `max_input_tokens` and `max_tokens`; requests name a known, unretired
//!   model within its `max_tokens`.
//! * **Scripts**: a FIFO queue of [`MockResponse`]s per [`Route`], or a
//!   handler closure; message replies are served as JSON or SSE to match the
//!   request, so one script tests both paths of a client. The same scripts
//!   in JSON ([`MockServer::load_script`]) for the control API and the
//!   binary.
//! * **Faults** ([`Fault`], scheduled with [`FaultRule`]): error statuses
//!   with `retry-after`/`x-should-retry`, an SSE `error` event at event N, a
//!   connection closed before the headers or after N bytes, stalls, slow
//!   drips, malformed JSON, truncated streams.
//! * **Rate limits** ([`RateLimits`]): `anthropic-ratelimit-*` headers that
//!   count down and reset, and a 429 when enforced limits run out.
//! * **Recording**: [`MockServer::requests`] returns every request
//!   ([`RecordedRequest`]: method, path, query, headers, raw and parsed body).
//!   [`MockServer::connections`] and [`MockServer::open_connections`] count
//!   TCP connections, to check a client's connection reuse and cleanup.
//! * **Cloud platforms** ([`Platform`]): Amazon Bedrock InvokeModel
//!   (`/model/{model}/invoke`, `/invoke-with-response-stream` as
//!   eventstream `chunk` frames with exception frames for mid-stream
//!   errors, `/count-tokens`; errors as `{"message"}` with
//!   `x-amzn-errortype`), Bedrock Mantle and Microsoft Foundry (the
//!   first-party paths under `/anthropic`), Google Vertex AI
//!   (`/v1/projects/.../models/{model}:rawPredict` and
//!   `:streamRawPredict`, `count-tokens:rawPredict`), each with its body
//!   rules; scripts, faults and validation apply to all of them. Given test
//!   credentials, the mock checks SigV4 signatures for real
//!   ([`MockServerBuilder::aws_credentials`]), Bedrock API keys, Vertex
//!   tokens and Foundry keys or tokens;
//!   [`MockServer::platform_base_url`] is the base URL for each client.
//! * **Record and replay**: [`MockServerBuilder::record`] proxies to the
//!   real API and writes each exchange as a cassette (readable JSON, event
//!   streams as `.sse` files, credentials redacted);
//!   [`MockServerBuilder::replay`] serves them, and a request that matches
//!   none gets a 404 naming the closest cassette.
//! * **Validation** like the API's, each answered with the API's error body,
//!   status and (where the API's own is on record) message: the
//!   `anthropic-version` header, the API key (when one is configured),
//!   required fields, unknown top-level fields, sampling ranges, thinking
//!   budgets, unknown models, `tool_use`/`tool_result` pairing, base64
//!   images, unknown `file_id`s, invalid JSON.
//!
//! # With `claude-rs-client`
//!
//! Give the client the mock's [`base_url`](MockServer::base_url). The
//! examples that drive the mock with the client (faults seen as errors by
//! kind, retries, streams cut midway, tool runs, batches, files) are in the
//! client's docs, its "Testing your code" section first: this crate does
//! not depend on the client, even for its own tests, because the client's
//! tests depend on this crate and a cycle would stop the two from being
//! packaged and published in order.
//!
//! # Features
//!
//! | Feature | Default | Pulls in | Gives |
//! |---|---|---|---|
//! | `record` | on | `claude-rs-transport` with `webpki-roots` (hyper's client, rustls with ring, the Mozilla roots) | [`MockServerBuilder::record`] and `claude-rs-mock record`: the mock as a recording proxy to the real API over HTTPS |
//!
//! Without it the mock only serves (its own routes, scripts, faults and
//! [`MockServerBuilder::replay`] of cassettes) and builds no HTTP client.
//!
//! # From any language
//!
//! Run the binary (`cargo run -p claude-rs-mock`, or `claude-rs-mock --help`): it
//! prints its base URL on the first line. Point the SDK at it, and script it
//! over HTTP under `/_mock/` on the same port:
//!
//! | Request | Does |
//! |---|---|
//! | `POST /_mock/script` | queues replies per route and schedules faults (a JSON script) |
//! | `GET /_mock/requests[?route=NAME]` | the recorded requests (with their `platform`), credentials redacted |
//! | `POST /_mock/reset` | forgets requests, queued replies and fault rules |
//! | `POST /_mock/rate_limits` | sets the rate limits (`requests`, `input_tokens`, `output_tokens`, `window_ms`, `enforce`) |
//! | `POST /_mock/files` | adds a downloadable file (`filename`, `mime_type`, `content`) |
//! | `POST /_mock/batches/{id}/end` | ends a batch now |
//! | `POST /_mock/streams/cut` | cuts the next Managed Agents event stream: `{"after_events": N, "mid_frame": true}` |
//! | `GET /_mock/environments/{id}/key` | a self-hosted environment's key, for its workers: `{"key": ..}` |
//! | `POST /_mock/agent_replies` | queues the scripted agent's next reply: `{"text": ..}` |
//! | `GET /_mock` | what is queued and recorded |
//!
//! A script is `{"replies": {"<route>": [reply, ...]}, "faults": [rule, ...]}`.
//! Routes are [`Route::name`]s (`messages`, `count_tokens`, `list_files`,
//! ...). A reply has one body, `{"text": ..}`, `{"tool_use": {"name", "input"}}`,
//! `{"content": [blocks]}`, `{"message": {..}}`, `{"events": [..]}`,
//! `{"sse": "raw stream"}`, `{"json": ..}`, `{"raw": .., "content_type": ..}`
//! or `{"error": {"type", "message", "error_code"}}`, and optionally
//! `status`, `headers`, `fault`, `stop_reason`, `model`, `usage`. A fault is
//! `{"kind": ..}` named like [`Fault`]'s constructors (`overloaded`,
//! `rate_limited`, `status` with `status` and `error_type`, `reset_after`
//! with `bytes`, `reset_before_headers`, `stall_before_headers` with `ms`,
//! `stall_after`, `drip_bytes`, `drip_events`, `sse_error_at` with
//! `index`, `malformed_json`, `truncated_sse` with `events`), with
//! `retry_after`, `retry_after_ms`, `should_retry`, `headers`, `message`; an
//! array of faults strikes together. A rule is `{"fault": .., "route": ..}`
//! with `"times": N`, `"nth": N` or `"always": true` (once by default).
//!
//! Python, with the official SDK (a 529, retried, then a scripted reply):
//!
//! ```python
//! import json, urllib.request
//! import anthropic
//!
//! url = "http://127.0.0.1:8080"  # the first line claude-rs-mock printed
//! def mock(path, body):
//!     request = urllib.request.Request(url + path, json.dumps(body).encode(), method="POST")
//!     return json.load(urllib.request.urlopen(request))
//!
//! mock("/_mock/script", {
//!     "replies": {"messages": [{"text": "Hello from the script"}]},
//!     "faults": [{"fault": {"kind": "overloaded", "retry_after_ms": 10}, "route": "messages"}],
//! })
//! client = anthropic.Anthropic(base_url=url, api_key="test")
//! reply = client.messages.create(model="claude-haiku-5-5", max_tokens=64,
//!                                messages=[{"role": "user", "content": "Hi"}])
//! assert reply.content[0].text == "Hello from the script"
//! ```
//!
//! TypeScript, with the official SDK (a stream that fails at its third event):
//!
//! ```typescript
//! import Anthropic from '@anthropic-ai/sdk';
//!
//! const url = 'http://127.0.0.1:8080'; // the first line claude-rs-mock printed
//! await fetch(`${url}/_mock/script`, {
//!   method: 'POST',
//!   body: JSON.stringify({ faults: [{ fault: { kind: 'sse_error_at', index: 3 } }] }),
//! });
//! const client = new Anthropic({ baseURL: url, apiKey: 'test' });
//! const stream = client.messages.stream({
//!   model: 'claude-haiku-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }],
//! });
//! await stream.finalMessage().catch((err) => console.log('failed as scripted:', err.message));
//! ```
//!
//! Both are run in CI by `crates/mock/tests/sdk/run.sh`, with
//! `anthropic==2.17.0` and `@anthropic-ai/sdk@1.17.0`.
//!
//! # Why it looks exactly like the API
//!
//! A mock that is merely plausible lets bugs through: a client that works
//! against it must work against the real service. So bodies are built from
//! the typed [`claude_rs_types`] model, SSE uses the API's framing
//! (`event: <type>\ndata: <json>\n\n`) and event order, errors use the API's
//! body shape and statuses, and every response carries a `request-id`.
//!
//! The server binds `127.0.0.1` on a free port by default and speaks HTTP/1.1
//! and cleartext HTTP/2. The `claude-rs-mock` binary runs it standalone:
//! `cargo run -p claude-rs-mock -- --port 8080`; `claude-rs-mock record --upstream
//! https://api.anthropic.com --dir cassettes` records, `claude-rs-mock replay
//! cassettes` replays.

mod agent_store;
mod agents;
mod base64;
mod beta;
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
mod oauth;
mod platform;
mod platform_keys;
mod query;
mod ratelimit;
mod record;
mod render;
mod resources;
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
mod vocab;
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
pub use vocab::Platform;
