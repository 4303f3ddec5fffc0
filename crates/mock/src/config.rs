//! The settings a [`MockServerBuilder`](crate::MockServerBuilder) fixes
//! before the server starts.

use claude_rs_types::models::ModelInfo;

use crate::ratelimit::RateLimits;

/// Fixed settings, chosen with the builder.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) api_key: Option<String>,
    /// The admin key the Admin API requires, if one was given.
    pub(crate) admin_key: Option<String>,
    /// How many users the Admin API's organization has.
    pub(crate) admin_users: usize,
    /// The cloud platforms' credentials, each checked when given.
    pub(crate) platforms: crate::vocab::PlatformAuth,
    pub(crate) validate: bool,
    pub(crate) batch_completion: BatchCompletion,
    pub(crate) models: Vec<ModelInfo>,
    pub(crate) rate_limits: RateLimits,
    /// What the token endpoint accepts.
    pub(crate) oauth: crate::oauth::OAuthConfig,
    /// Replay keeps the recorded pauses between chunks.
    pub(crate) replay_timing: bool,
    /// The interval between `ping` frames of the session event streams
    /// (zero: none).
    pub(crate) stream_ping_interval: std::time::Duration,
    /// Record mode: forward every API request there and keep a cassette.
    #[cfg(feature = "record")]
    pub(crate) upstream: Option<std::sync::Arc<crate::cassette::proxy::Upstream>>,
}

/// The default interval between the `ping` frames of the Managed Agents
/// event streams.
pub(crate) const DEFAULT_STREAM_PING: std::time::Duration = std::time::Duration::from_secs(15);

/// When a created batch ends.
///
/// Batches always start `in_progress` (that is what the create call
/// returns), so a client's polling loop is exercised in every mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BatchCompletion {
    /// Right after creation: the first retrieval shows it `ended`.
    #[default]
    Immediate,
    /// On the `n`th retrieval (`GET /v1/messages/batches/{id}`).
    AfterPolls(u32),
    /// Only when the test calls [`MockServer::end_batch`](crate::MockServer::end_batch).
    Manual,
}
