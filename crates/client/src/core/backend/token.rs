//! [`TokenProvider`]: bearer tokens that are fetched and refreshed.

use std::fmt;

use claude_rs_types::Secret;
use futures_util::future::BoxFuture;

use crate::core::error::Error;

/// A source of bearer tokens, asked on every attempt (so a token that
/// expired between a failure and its retry is replaced).
///
/// Implementations cache: the call is on the request path. An error that
/// may heal (a token endpoint that is down) should be
/// [`Error::Credentials`] with `transient: true`, which is retried like a
/// connection failure.
///
/// ```
/// use claude_rs_client::backend::TokenProvider;
/// use claude_rs_client::Error;
/// use claude_rs_types::Secret;
/// use futures_util::future::BoxFuture;
///
/// #[derive(Debug)]
/// struct Fixed;
///
/// impl TokenProvider for Fixed {
///     fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
///         Box::pin(async { Ok(Secret::new("token-from-a-vault")) })
///     }
/// }
/// ```
pub trait TokenProvider: fmt::Debug + Send + Sync + 'static {
    /// The token to send now.
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>>;

    /// The API refused `token` (HTTP 401). A provider that can get a new
    /// one drops it (unless it holds a newer one already) and returns
    /// `true`: the attempt is then sent once more, with a fresh token. The
    /// default returns `false`.
    fn rejected(&self, token: &Secret) -> bool {
        let _ = token;
        false
    }
}
