//! Claude on Google Vertex AI: a [`Backend`](claude_rs_client::backend::Backend)
//! for [`claude_rs_client`], so that every call, stream helper, retry, timeout
//! and tool runner of the client works on Vertex unchanged.
//!
//! ```no_run
//! use claude_rs_client::Client;
//! use claude_rs_types::request::{CreateMessageRequest, MessageParam};
//! use claude_rs_vertex::Vertex;
//!
//! # async fn run() -> Result<(), claude_rs_client::Error> {
//! // CLOUD_ML_REGION, ANTHROPIC_VERTEX_PROJECT_ID and Application Default
//! // Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, or the
//! // metadata server).
//! let client = Client::builder().backend(Vertex::from_env()?).build()?;
//! let request = CreateMessageRequest::new(
//!     "claude-sonnet-4-5@20250929",
//!     1024,
//!     vec![MessageParam::user("Hello, Claude")],
//! );
//! let message = client.messages().create(request).await?;
//! # Ok(()) }
//! ```
//!
//! # What is sent
//!
//! * Messages go to
//!   `/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict`,
//!   or `:streamRawPredict` when streamed (plain server-sent events); token
//!   counting to `.../models/count-tokens:rawPredict`.
//! * The body loses `model` (kept for token counting), keeps `stream`, and
//!   gains `anthropic_version` ([`VERTEX_API_VERSION`] for a client on
//!   [`ApiVersion::V2023_06_01`](claude_rs_client::ApiVersion), the client's
//!   version otherwise: `2026-10-21` by default, as the official SDKs write
//!   it); no `anthropic-version`
//!   header is sent; `anthropic-beta` stays a header.
//! * Batches, Models, Files and Text Completions are refused with
//!   [`Error::Unsupported`](claude_rs_client::Error::Unsupported) before
//!   anything is sent.
//! * `Authorization: Bearer <token>` on every attempt, from a
//!   [`TokenProvider`](claude_rs_client::backend::TokenProvider): a fixed
//!   token, your own provider, or [`GoogleCredentials`] (service account,
//!   authorized user, metadata server; cached, refreshed
//!   [`REFRESH_MARGIN`] before expiry, one refresh
//!   shared by concurrent callers, endpoint failures retried like
//!   connection failures). A caller's own `Authorization` header is left
//!   alone.
//!
//! # Features
//!
//! Google credentials (service account JWT grant with `ring`, authorized
//! user, metadata server) are always built in; the features are the
//! client's:
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

mod backend;
mod builder;
mod google;
mod jwt;
mod token_answer;

pub use backend::{VERTEX_API_VERSION, Vertex, region_base_url};
pub use builder::VertexBuilder;
pub use google::{CLOUD_PLATFORM_SCOPE, GoogleCredentials, REFRESH_MARGIN};
