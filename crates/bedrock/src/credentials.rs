//! AWS credentials for SigV4: explicit keys, the environment, the shared
//! files' profiles, or a [`CredentialsProvider`] of your own.

use std::fmt;

use claude_rs_client::Error;
use claude_rs_types::Secret;
use futures_util::future::BoxFuture;

/// An AWS access key, its secret and an optional session token. `Debug`
/// shows the access key id only.
///
/// ```
/// use claude_rs_bedrock::Credentials;
///
/// let keys = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", Some("TOKEN".into()));
/// assert_eq!(keys.access_key_id(), "AKIDEXAMPLE");
/// let shown = format!("{keys:?}");
/// assert!(!shown.contains("wJalr") && !shown.contains("TOKEN"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
}

impl Credentials {
    /// Keys as given (`session_token` for temporary credentials).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: session_token.map(Secret::new),
        }
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`,
    /// when the first two are set and not empty.
    pub(crate) fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Option<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        Some(Self::new(
            var("AWS_ACCESS_KEY_ID")?,
            var("AWS_SECRET_ACCESS_KEY")?,
            var("AWS_SESSION_TOKEN"),
        ))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A source of AWS credentials, asked on every attempt (each attempt is
/// signed anew), for credentials this crate does not find itself (SSO,
/// assume-role, instance roles, a vault).
///
/// Implementations cache: the call is on the request path. A failure that
/// may heal should be [`Error::Credentials`] with `transient: true`, which
/// the client retries like a connection failure.
///
/// ```
/// use claude_rs_bedrock::{Credentials, CredentialsProvider};
/// use claude_rs_client::Error;
/// use futures_util::future::BoxFuture;
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl CredentialsProvider for FromVault {
///     fn credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
///         Box::pin(async { Ok(Credentials::new("AKID", "secret", None)) })
///     }
/// }
/// ```
pub trait CredentialsProvider: fmt::Debug + Send + Sync + 'static {
    /// The credentials to sign the next attempt with.
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>>;
}

impl CredentialsProvider for Credentials {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}
