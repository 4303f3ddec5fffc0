//! `claude-client`: work in progress.

mod builder;
mod client;
mod config;
mod error;
mod http_date;
pub mod layers;
pub mod messages;
mod options;
mod response;

pub use builder::ClientBuilder;
pub use client::{Client, Stack};
pub use config::{
    Auth, DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES,
    DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use error::{ApiError, Error, TimeoutKind};
pub use options::{AttemptPolicy, RequestOptions};
pub use response::ApiResponse;

pub use claude_types as types;
