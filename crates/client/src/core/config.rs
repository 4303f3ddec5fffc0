//! Client settings, and reading them from the environment.

use std::time::Duration;

use claude_rs_types::config::Secret;
use http::{HeaderMap, HeaderValue};

/// The API's address when `ANTHROPIC_BASE_URL` is not set.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The `anthropic-version` sent by default.
pub const DEFAULT_API_VERSION: &str = "2023-06-01";
/// Retries after the first attempt, as in the official SDKs.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Per-attempt deadline, as in the official SDKs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Connect deadline, as in the official SDKs: the transport's.
pub(crate) use claude_rs_transport::DEFAULT_CONNECT_TIMEOUT;
/// How long a stream may go without a byte before it fails (the official
/// SDKs' read timeout is the same 10 minutes).
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// The resolved settings of a client.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) api_version: HeaderValue,
    pub(crate) default_headers: HeaderMap,
    pub(crate) betas: Vec<String>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    /// Whether the timeout was set by the user (switches off the long
    /// non-streaming request guard).
    pub(crate) timeout_is_explicit: bool,
    pub(crate) stream_idle_timeout: Option<Duration>,
}

/// A credential read from the environment.
#[derive(Debug)]
pub(crate) enum EnvAuth {
    /// `ANTHROPIC_API_KEY`.
    ApiKey(Secret),
    /// `ANTHROPIC_AUTH_TOKEN`.
    Bearer(Secret),
}

/// Settings read from the environment, through a lookup function so that
/// tests need not touch the process environment.
#[derive(Debug, Default)]
pub(crate) struct EnvSettings {
    pub(crate) auth: Option<EnvAuth>,
    pub(crate) base_url: Option<String>,
}

impl EnvSettings {
    pub(crate) fn read(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let auth = non_empty("ANTHROPIC_API_KEY")
            .map(|key| EnvAuth::ApiKey(Secret::new(key)))
            .or_else(|| non_empty("ANTHROPIC_AUTH_TOKEN").map(|t| EnvAuth::Bearer(Secret::new(t))));
        EnvSettings {
            auth,
            base_url: non_empty("ANTHROPIC_BASE_URL"),
        }
    }
}

/// The user agent: this SDK, its version and the language.
pub(crate) fn user_agent() -> HeaderValue {
    HeaderValue::from_static(concat!("claude-rs/", env!("CARGO_PKG_VERSION"), " (rust)"))
}
