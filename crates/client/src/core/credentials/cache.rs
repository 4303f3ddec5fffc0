//! The token cache shared by every clone of a client: one exchange at a
//! time, a refresh before expiry.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use claude_rs_types::Secret;
use futures_util::future::BoxFuture;
use http::StatusCode;

use super::error::{CredentialStep, CredentialsError};
use super::exchange::AccessToken;
use super::source::Source;
use crate::core::backend::TokenProvider;
use crate::core::client::Stack;
use crate::core::error::Error;

/// Less than this left: try a refresh, keep serving the old token if it
/// fails.
const ADVISORY: Duration = Duration::from_secs(120);
/// Less than this left: the token must be replaced before it is sent.
const MANDATORY: Duration = Duration::from_secs(30);
/// After a failed advisory refresh, how long before the next try.
const ADVISORY_BACKOFF: Duration = Duration::from_secs(5);

/// How much life a token has left.
enum Window {
    Fresh(Secret),
    Advisory(Secret),
    Mandatory,
}

#[derive(Default)]
struct State {
    token: Option<AccessToken>,
    advisory_failed: Option<Instant>,
    /// The API refused the last token: the next fetch is forced.
    force: bool,
}

/// Tokens from a [`Source`], cached until shortly before they expire.
pub(crate) struct TokenCache {
    source: Source,
    transport: Stack,
    state: Mutex<State>,
    /// Held by the one caller running the source; the others wait on it
    /// (or, with time left, go on with the old token).
    refreshing: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    pub(crate) fn new(source: Source, transport: Stack) -> Self {
        Self {
            source,
            transport,
            state: Mutex::default(),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn window(&self) -> Window {
        let state = self.state();
        let Some(token) = &state.token else {
            return Window::Mandatory;
        };
        let Some(expires_at) = token.expires_at else {
            return Window::Fresh(token.token.clone());
        };
        let left = expires_at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        if left > ADVISORY {
            Window::Fresh(token.token.clone())
        } else if left > MANDATORY {
            Window::Advisory(token.token.clone())
        } else {
            Window::Mandatory
        }
    }

    /// The source's token; a refusal with 401 is asked again once, forced.
    async fn fetch(&self) -> Result<AccessToken, CredentialsError> {
        let force = std::mem::take(&mut self.state().force);
        match self.source.fetch(&self.transport, force).await {
            Err(error)
                if error.step == CredentialStep::TokenRefused
                    && error.status == Some(StatusCode::UNAUTHORIZED) =>
            {
                self.source.fetch(&self.transport, true).await
            }
            other => other,
        }
    }

    fn store(&self, token: &AccessToken) -> Secret {
        let mut state = self.state();
        state.token = Some(token.clone());
        state.advisory_failed = None;
        token.token.clone()
    }

    /// The token to send now.
    pub(crate) async fn token(&self) -> Result<Secret, CredentialsError> {
        match self.window() {
            Window::Fresh(token) => Ok(token),
            Window::Advisory(old) => {
                let backing_off = self
                    .state()
                    .advisory_failed
                    .is_some_and(|at| at.elapsed() < ADVISORY_BACKOFF);
                // Someone is refreshing already, or just failed: the old
                // token still has time.
                let Ok(_guard) = self.refreshing.try_lock() else {
                    return Ok(old);
                };
                if backing_off {
                    return Ok(old);
                }
                if let Window::Fresh(token) = self.window() {
                    return Ok(token);
                }
                match self.fetch().await {
                    Ok(token) => Ok(self.store(&token)),
                    Err(_error) => {
                        #[cfg(feature = "tracing")]
                        tracing::warn!(error = %_error, "refreshing the access token failed; the current one is still valid");
                        self.state().advisory_failed = Some(Instant::now());
                        Ok(old)
                    }
                }
            }
            Window::Mandatory => {
                let _guard = self.refreshing.lock().await;
                // The caller before us may have refreshed it.
                match self.window() {
                    Window::Fresh(token) | Window::Advisory(token) => return Ok(token),
                    Window::Mandatory => {}
                }
                let token = self.fetch().await?;
                Ok(self.store(&token))
            }
        }
    }
}

impl TokenProvider for TokenCache {
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(async move { TokenCache::token(self).await.map_err(Error::from) })
    }

    /// Drops `token` unless a newer one is cached; the next fetch is
    /// forced (a profile's cached or stored token is not served again).
    fn rejected(&self, token: &Secret) -> bool {
        let mut state = self.state();
        if state.token.as_ref().is_some_and(|t| t.token == *token) {
            state.token = None;
            state.force = true;
        }
        true
    }
}
