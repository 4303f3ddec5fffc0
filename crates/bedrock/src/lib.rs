//! Claude on Amazon Bedrock: a [`Backend`](claude_rs_client::backend::Backend)
//! for [`claude_rs_client`], so that every call, stream helper, retry, timeout
//! and tool runner of the client works on Bedrock unchanged.
//!
//! ```no_run
//! use claude_rs_bedrock::Bedrock;
//! use claude_rs_client::Client;
//! use claude_rs_types::request::{CreateMessageRequest, MessageParam};
//!
//! # async fn run() -> Result<(), claude_rs_client::Error> {
//! // Region and credentials from AWS_REGION, AWS_ACCESS_KEY_ID, ... or the
//! // shared files; or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK.
//! let client = Client::builder().backend(Bedrock::from_env()?).build()?;
//! let request = CreateMessageRequest::new(
//!     "anthropic.claude-3-5-sonnet-20241022-v2:0",
//!     1024,
//!     vec![MessageParam::user("Hello, Claude")],
//! );
//! let message = client.messages().create(request).await?;
//! # Ok(()) }
//! ```
//!
//! # What is sent
//!
//! * `POST /v1/messages` goes to `/model/{model}/invoke`, or
//!   `/model/{model}/invoke-with-response-stream` when streamed; the model
//!   id is percent-encoded as the official Python SDK does (an
//!   inference-profile ARN's `/` becomes `%2F`).
//! * The body loses `model` and `stream` and gains `anthropic_version`
//!   ([`BEDROCK_API_VERSION`] for a client on
//!   [`ApiVersion::V2023_06_01`](claude_rs_client::ApiVersion), the client's
//!   version otherwise: `2026-10-21` by default, as the official SDKs write
//!   it), `anthropic_beta` from the `anthropic-beta` header,
//!   and `user_profile_id` from `anthropic-user-profile-id`. No
//!   `anthropic-version` header is sent.
//! * Token counting uses Bedrock's own `POST /model/{model}/count-tokens`
//!   (the body wrapped as `{"input":{"invokeModel":{"body":"<base64>"}}}`,
//!   the answer read back as the API's `input_tokens`).
//! * The Managed Agents calls that Bedrock's control plane serves (agents,
//!   sessions with their events, threads and streams, memory stores: the
//!   `claude_rs_agents::bedrock` module, feature `bedrock` of
//!   `claude-rs-agents`) go unchanged to
//!   `https://bedrock.{region}.amazonaws.com/anthropic/v1/...`
//!   ([`BedrockBuilder::control_plane_url`]), with the `anthropic-version`
//!   and `anthropic-beta` headers, signed for the same service; their
//!   streams are server-sent events.
//! * Batches, Models, Files, Text Completions and the other Managed Agents
//!   resources (environments, vaults, deployments, ...) are refused with
//!   [`Error::Unsupported`](claude_rs_client::Error::Unsupported) before
//!   anything is sent.
//! * Auth is a Bedrock API key (`Authorization: Bearer`) or SigV4 (service
//!   `bedrock`), signed on every attempt after every other header change
//!   ([`sigv4::sign`]); see [`BedrockBuilder`] for where credentials and the
//!   region come from.
//! * Streams arrive as `application/vnd.amazon.eventstream` frames
//!   ([`eventstream`]; both CRCs checked, lengths bounded). Each `chunk`
//!   frame's base64 `bytes` is one event of the Messages stream. Exception
//!   and error frames end the stream with an
//!   [`Error::Api`](claude_rs_client::Error::Api) whose status is the one
//!   Bedrock gives that exception (`throttlingException` is 429, so one that
//!   opens a stream is retried like a 429), with the partial message kept.
//! * Error answers (`{"message": ...}` typed by `x-amzn-errortype`) become
//!   [`Error::Api`](claude_rs_client::Error::Api) with that type.
//!
//! # Features
//!
//! * `aws-config` (off by default): `AwsConfigCredentials`, the full AWS
//!   credential chain (SSO, assume-role, web identity, ECS, IMDS,
//!   `credential_process`) through `aws-config`, built with the ring rustls
//!   client (no aws-lc).
//!
//! And the client's own:
//!
//! | Feature | Default | Gives |
//! |---|---|---|
//! | `webpki-roots` | on | the client's `webpki-roots`: TLS trusts the Mozilla roots compiled in |
//! | `native-roots` | off | the client's `native-roots`: TLS trusts the operating system's store |
//! | `tracing` | off | the client's `tracing`: a span per call |
//! | `schemars` | off | the client's `schemars`: typed tools and structured outputs from Rust types |
//!
//! They pass through to `claude-rs-client`, which this crate depends on
//! without its default features: with `default-features = false` here and
//! in your own `claude-rs-client` dependency, nothing you did not ask for
//! is built (give the client a TLS roots feature, or roots of your own).
//!
//! [`Bedrock::mantle_builder`] targets Mantle, Bedrock's endpoint of the
//! first-party API: the same credentials, service `bedrock-mantle`, no
//! rewrites.

#[cfg(feature = "aws-config")]
mod aws_chain;
mod backend;
mod base64_decode;
mod builder;
mod control_plane;
mod crc32;
mod credentials;
mod errors;
pub mod eventstream;
mod metrics;
mod profile;
pub mod sigv4;
mod stream;

#[cfg(feature = "aws-config")]
pub use aws_chain::AwsConfigCredentials;
pub use backend::{BEDROCK_API_VERSION, Bedrock, encode_model};
pub use builder::BedrockBuilder;
pub use credentials::{Credentials, CredentialsProvider};
pub use metrics::{BedrockMetrics, BedrockMetricsExt};
pub use stream::ChunkDecoder;
