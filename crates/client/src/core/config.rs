//! Client settings, and reading them from the environment.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};

use crate::core::error::{ConfigKind, Error};

/// The API's address when `ANTHROPIC_BASE_URL` is not set.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The `anthropic-version` sent by default (as today's official SDKs);
/// see [`ApiVersion`](crate::ApiVersion).
pub const DEFAULT_API_VERSION: &str = "2026-10-21";
/// Retries after the first attempt, as in the official SDKs.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Per-attempt deadline, as in the official SDKs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// Connect deadline, as in the official SDKs: the transport's.
pub(crate) use claude_rs_transport::DEFAULT_CONNECT_TIMEOUT;
/// How long a stream may go without a byte before it fails (the official
/// SDKs' read timeout is the same 10 minutes).
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// The OAuth beta flag: sent on token exchanges and with every API
/// request that carries an exchanged token.
pub(crate) const OAUTH_BETA: &str = "oauth-2025-04-20";

/// The resolved settings of a client.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) version: crate::core::version::ApiVersion,
    pub(crate) api_version: HeaderValue,
    pub(crate) default_headers: HeaderMap,
    pub(crate) betas: Vec<String>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    /// Whether the timeout was set by the user (switches off the long
    /// non-streaming request guard).
    pub(crate) timeout_is_explicit: bool,
    pub(crate) stream_idle_timeout: Option<Duration>,
    /// The admin key of Admin API calls, if the client has one.
    pub(crate) admin_key: Option<crate::core::admin::AdminKey>,
    /// What the call spans record.
    #[cfg(feature = "tracing")]
    pub(crate) telemetry: crate::telemetry::Telemetry,
}

/// The user agent: this SDK, its version and the language.
pub(crate) fn user_agent() -> HeaderValue {
    HeaderValue::from_static(concat!("claude-rs/", env!("CARGO_PKG_VERSION"), " (rust)"))
}

/// Refuses a setting that cannot be an HTTP header value (CR, LF, other
/// control bytes), naming the setting and never showing the value (it may
/// be a secret).
pub(crate) fn header_value(setting: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() || HeaderValue::try_from(value).is_err() {
        let kind = if setting.starts_with("beta") {
            ConfigKind::InvalidSetting
        } else {
            ConfigKind::InvalidCredentials
        };
        return Err(Error::config(
            kind,
            format!(
                "{setting} is empty or has characters not allowed in an HTTP header (CR, LF, control bytes)"
            ),
        ));
    }
    Ok(())
}
