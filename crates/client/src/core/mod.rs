//! The core every handler builds on: the [`Client`](client::Client) and its
//! generic verbs, one call's description ([`call`]), the pending-call types
//! ([`api_call`], [`list`]), options, answers, errors, the retry policy, the
//! tower layers and the backend seam.
//!
//! Handlers (messages, batches, files, models, skills) depend on this module
//! and on `claude_rs_types` only, never on each other, and call nothing but the
//! client's public verbs (`get`, `post`, ... building an [`ApiCall`](api_call::ApiCall)):
//! a rule (what is retried, how a path segment is encoded, how an error body
//! is read) lives here once.

pub(crate) mod admin;
pub(crate) mod api_call;
pub mod backend;
pub(crate) mod backoff;
pub(crate) mod builder;
pub(crate) mod call;
pub(crate) mod client;
pub(crate) mod config;
pub mod credentials;
pub(crate) mod download;
pub mod encode;
pub(crate) mod error;
pub(crate) mod events;
mod http_date;
pub(crate) mod layers;
pub(crate) mod list;
pub(crate) mod multipart;
pub(crate) mod operation;
pub(crate) mod options;
pub(crate) mod pages;
pub(crate) mod rate_limits;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod transport_settings;
pub(crate) mod upload;
pub(crate) mod verbs;
pub(crate) mod version;
