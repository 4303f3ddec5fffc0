//! The credential chain: how a client finds its credentials, as the
//! official SDKs do.
//!
//! The first source that matches wins, once, when the client is built:
//!
//! 1. What the builder was given: [`api_key`](crate::ClientBuilder::api_key),
//!    [`auth_token`](crate::ClientBuilder::auth_token) or
//!    [`profile`](crate::ClientBuilder::profile). Then no credential
//!    variable is read at all.
//! 2. `ANTHROPIC_API_KEY`, then `ANTHROPIC_AUTH_TOKEN` (empty counts as
//!    unset).
//! 3. `ANTHROPIC_PROFILE`: that profile from the config directory; any
//!    error in it fails [`build`](crate::ClientBuilder::build).
//! 4. Workload identity federation from the environment:
//!    `ANTHROPIC_FEDERATION_RULE_ID`, `ANTHROPIC_ORGANIZATION_ID` and an
//!    identity token, `ANTHROPIC_IDENTITY_TOKEN_FILE` (read again at each
//!    exchange, so a rotated file is picked up) or `ANTHROPIC_IDENTITY_TOKEN`;
//!    optionally `ANTHROPIC_SERVICE_ACCOUNT_ID` and `ANTHROPIC_WORKSPACE_ID`.
//! 5. The active profile on disk: the one named in `<dir>/active_config`,
//!    else `default`. Errors fail the build when `ANTHROPIC_CONFIG_DIR` is
//!    set or `active_config` exists, and are skipped otherwise.
//!
//! The config directory is `ANTHROPIC_CONFIG_DIR`, else
//! `~/.config/anthropic` (`%APPDATA%\Anthropic` on Windows). A profile is
//! `configs/<name>.json` (its `authentication` is `oidc_federation` or
//! `user_oauth`; it may set `base_url`, `organization_id`, `workspace_id`)
//! and `credentials/<name>.json` (its tokens; mode 0600, never a symlink).
//!
//! Federation and profiles exchange tokens at `POST /v1/oauth/token`
//! (the jwt-bearer grant, or the refresh_token grant of a user OAuth
//! profile with a `client_id`) through the client's own transport, and
//! send `Authorization: Bearer <access token>` with the `oauth-2025-04-20`
//! beta. The token is cached once for all clones of the client, refreshed
//! when less than two minutes are left (a failure keeps the old token) and
//! always before the last 30 seconds; concurrent calls wait for one
//! exchange. A failure is an [`Error::Credentials`](crate::Error::Credentials)
//! whose source, a [`CredentialsError`], names the [`CredentialStep`]; no
//! token ever appears in it. See the API reference on
//! <https://platform.claude.com/docs/en/api/overview> for the endpoint.
//!
//! # The admin key
//!
//! The Admin API (`/v1/organizations/...`: users, workspaces, API keys,
//! usage and cost reports) takes an admin key (`sk-ant-admin...`), not an
//! API key. A client holds one apart from the chain above:
//! [`admin_key`](crate::ClientBuilder::admin_key), else
//! `ANTHROPIC_ADMIN_KEY` (empty counts as unset). Each call has a
//! [`Credential`] class. An admin call ([`Credential::Admin`], set by the
//! Admin handlers and by [`Credential::for_path`] for any call under
//! `/v1/organizations`) is sent with `x-api-key: <admin key>` and no other
//! credential; without an admin key it fails before anything is sent, with
//! [`Error::Config`](crate::Error::Config) of kind
//! [`ConfigKind::MissingAdminKey`](crate::ConfigKind::MissingAdminKey): the
//! API key is never sent in its place. Every other call is sent with the
//! chain's credentials and never the admin key. A key the API refuses for
//! lack of permission (a 403 `permission_error`) is an
//! [`Error::Api`](crate::Error::Api) for which
//! [`Error::is_permission`](crate::Error::is_permission) is true and whose
//! message says so. The admin key, like every credential, never appears in
//! `Debug`, `Display`, logs or errors.
//!
//! ```
//! use claude_rs_client::{ClientBuilder, ConfigKind, Error};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! # let server = claude_rs_mock::MockServer::start().await;
//! // `Client::builder()` reads the process environment; this reads none.
//! let client = ClientBuilder::from_env_lookup(|_| None)
//!     .api_key("sk-ant-api03-...")
//!     .admin_key("sk-ant-admin01-...")
//! #   .base_url(server.base_url())
//!     .build()?;
//! // Sent with the admin key, never the API key.
//! let _ = client.get("/v1/organizations/me").await;
//! # assert_eq!(server.last_request().unwrap().header("x-api-key"), Some("sk-ant-admin01-..."));
//!
//! // Without an admin key, an admin call fails before it is sent.
//! let client = ClientBuilder::from_env_lookup(|_| None).api_key("sk-ant-api03-...").build()?;
//! let error = client.get("/v1/organizations/me").await.unwrap_err();
//! assert!(matches!(error, Error::Config { kind: ConfigKind::MissingAdminKey, .. }));
//! # Ok(())
//! # }
//! ```

mod cache;
mod env;
mod error;
mod exchange;
mod profile;
mod resolve;
mod source;

pub use crate::core::admin::Credential;
pub use error::{CredentialStep, CredentialsError};

pub(crate) use env::Env;
pub(crate) use resolve::Explicit;

use http::HeaderMap;

use crate::core::backend::FirstParty;
use crate::core::client::Stack;
use crate::core::config::header_value;
use cache::TokenCache;
use resolve::{ResolvedAuth, resolve};

/// Which source of the chain a client's credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// An API key (the builder's, or `ANTHROPIC_API_KEY`).
    ApiKey,
    /// A static bearer token (the builder's, or `ANTHROPIC_AUTH_TOKEN`).
    AuthToken,
    /// The named profile of the config directory.
    Profile(String),
    /// Workload identity federation from the environment.
    Federation,
}

/// The source the process environment resolves to, without building a
/// client (`None`: no credentials found). Examples use it to choose
/// between the real API and a mock.
///
/// ```
/// use claude_rs_client::credentials::{self, CredentialSource};
///
/// match credentials::detect()? {
///     Some(CredentialSource::ApiKey) => println!("an API key"),
///     Some(other) => println!("{other:?}"),
///     None => println!("no credentials"),
/// }
/// # Ok::<(), claude_rs_client::Error>(())
/// ```
pub fn detect() -> Result<Option<CredentialSource>, crate::Error> {
    let env = Env::read(|name| std::env::var(name).ok(), true);
    Ok(resolve(&env, None, None)?.source)
}

/// The first-party backend with the chain resolved: its base URL, its
/// credentials (exchanged through `transport`), and the profile's headers
/// added to `headers` where they are not set already.
pub(crate) fn first_party(
    env: &Env,
    explicit: Option<Explicit>,
    base_url: Option<&str>,
    transport: &Stack,
    headers: &mut HeaderMap,
) -> Result<FirstParty, crate::Error> {
    let resolved = resolve(env, explicit, base_url)?;
    for (name, value) in resolved.headers {
        headers.entry(name).or_insert(value);
    }
    let first_party = FirstParty::new(&resolved.base_url)?;
    Ok(match resolved.auth {
        Some(ResolvedAuth::ApiKey(key)) => {
            header_value("api_key (or ANTHROPIC_API_KEY)", key.expose())?;
            first_party.api_key(key.expose())
        }
        Some(ResolvedAuth::Bearer(token)) => {
            header_value("auth_token (or ANTHROPIC_AUTH_TOKEN)", token.expose())?;
            first_party.auth_token(token.expose())
        }
        Some(ResolvedAuth::Exchange(source)) => {
            first_party.token_provider(TokenCache::new(source, transport.clone()))
        }
        None => first_party,
    })
}
