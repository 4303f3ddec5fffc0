//! Where exchanged tokens come from: workload identity federation (from
//! the environment or a profile) and user OAuth profiles.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use claude_rs_types::Secret;
use serde_json::{Value, json};

use super::env::Env;
use super::error::{CredentialStep, CredentialsError};
use super::exchange::{self, AccessToken, FederationFields, MAX_ASSERTION};
use super::profile::{self, Profile, ProfileAuth};
use crate::core::client::Stack;

/// The identity token of a federation: a file read again at each exchange,
/// or `ANTHROPIC_IDENTITY_TOKEN`.
#[derive(Debug, Clone)]
pub(crate) enum Identity {
    File(PathBuf),
    Env(Env),
}

impl Identity {
    /// The identity token now.
    async fn read(&self) -> Result<Secret, CredentialsError> {
        let (text, path) = match self {
            Identity::File(path) => {
                let fail = |why: String| {
                    CredentialsError::new(CredentialStep::IdentityToken, why).at(path)
                };
                let text = tokio::fs::read_to_string(path)
                    .await
                    .map_err(|e| fail(format!("cannot read the identity token file: {e}")))?;
                (text, Some(path))
            }
            Identity::Env(env) => {
                let text = env.identity_token_now().ok_or_else(|| {
                    CredentialsError::new(
                        CredentialStep::IdentityToken,
                        "ANTHROPIC_IDENTITY_TOKEN is no longer set",
                    )
                })?;
                (text, None)
            }
        };
        let token = text.trim();
        let fail = |why: &str| {
            let error = CredentialsError::new(CredentialStep::IdentityToken, why);
            match path {
                Some(path) => error.at(path),
                None => error,
            }
        };
        if token.is_empty() {
            return Err(fail("the identity token is empty"));
        }
        if token.len() > MAX_ASSERTION {
            return Err(fail("the identity token is longer than 16 KiB"));
        }
        Ok(Secret::new(token))
    }
}

/// What the cache asks for a token.
#[derive(Debug)]
pub(crate) enum Source {
    /// Federation from the environment: no disk cache.
    Federation {
        base: String,
        fields: FederationFields,
        identity: Identity,
    },
    /// A profile (federation or user OAuth).
    Profile { base: String, profile: Profile },
}

/// Seconds since the Unix epoch.
fn unix(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn from_unix(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds.max(0).unsigned_abs())
}

impl Source {
    /// A token, exchanged or read; `force` after the endpoint or the API
    /// refused the last one.
    pub(crate) async fn fetch(
        &self,
        transport: &Stack,
        force: bool,
    ) -> Result<AccessToken, CredentialsError> {
        match self {
            Source::Federation {
                base,
                fields,
                identity,
            } => {
                let assertion = identity.read().await?;
                exchange::jwt_bearer(transport, base, fields, &assertion).await
            }
            Source::Profile { base, profile } => match &profile.auth {
                ProfileAuth::Federation { .. } => {
                    federation_profile(transport, base, profile, force).await
                }
                ProfileAuth::UserOAuth { client_id } => {
                    user_oauth(transport, base, profile, client_id.as_deref(), force).await
                }
                ProfileAuth::Unknown(kind) => Err(CredentialsError::new(
                    CredentialStep::Settings,
                    format!(
                        "Unknown authentication.type {kind:?} in profile {:?}",
                        profile.name
                    ),
                )),
            },
        }
    }
}

/// A federation profile: the credentials file is a cache across processes.
async fn federation_profile(
    transport: &Stack,
    base: &str,
    profile: &Profile,
    force: bool,
) -> Result<AccessToken, CredentialsError> {
    let ProfileAuth::Federation {
        rule_id,
        service_account_id,
        identity_file,
    } = &profile.auth
    else {
        unreachable!("called for federation profiles only")
    };
    let missing = |what: &str| {
        CredentialsError::new(
            CredentialStep::MissingSetting,
            format!("profile {:?} has no {what}", profile.name),
        )
    };
    let fields = FederationFields {
        rule_id: rule_id
            .clone()
            .ok_or_else(|| missing("authentication.federation_rule_id"))?,
        organization_id: profile
            .organization_id
            .clone()
            .ok_or_else(|| missing("organization_id"))?,
        service_account_id: service_account_id.clone(),
        workspace_id: profile.workspace_id.clone(),
    };
    let stored = profile::read_token(&profile.credentials_path).ok();
    if !force
        && let Some(stored) = &stored
        && let (Some(token), Some(expires_at)) = (&stored.access_token, stored.expires_at)
        && unix(SystemTime::now()) < expires_at - 30
    {
        return Ok(AccessToken {
            token: token.clone(),
            expires_at: Some(from_unix(expires_at)),
        });
    }
    let path = identity_file
        .clone()
        .map_err(|why| CredentialsError::new(CredentialStep::IdentityToken, why))?;
    let assertion = Identity::File(path).read().await?;
    let token = exchange::jwt_bearer(transport, base, &fields, &assertion).await?;
    let mut members = stored.map(|s| s.members).unwrap_or_default();
    members.insert("version".into(), json!("1.0"));
    members.insert("type".into(), json!("oauth_token"));
    members.insert("access_token".into(), json!(token.token.expose()));
    members.insert("expires_at".into(), json!(token.expires_at.map(unix)));
    // A cache that cannot be written costs an exchange next time, no more.
    let _ = profile::write_token(&profile.credentials_path, &members);
    Ok(token)
}

/// A user OAuth profile: the stored token, refreshed with the refresh
/// token when the profile has a `client_id`.
async fn user_oauth(
    transport: &Stack,
    base: &str,
    profile: &Profile,
    client_id: Option<&str>,
    force: bool,
) -> Result<AccessToken, CredentialsError> {
    let stored = profile::read_token(&profile.credentials_path)?;
    let Some(client_id) = client_id else {
        // Someone else rotates the file: serve what it holds.
        let token = stored.access_token.ok_or_else(|| {
            CredentialsError::new(CredentialStep::CredentialsFile, "no access_token")
                .at(&profile.credentials_path)
        })?;
        return Ok(AccessToken {
            token,
            expires_at: stored.expires_at.map(from_unix),
        });
    };
    if !force
        && let (Some(token), Some(expires_at)) = (&stored.access_token, stored.expires_at)
        && unix(SystemTime::now()) < expires_at
    {
        return Ok(AccessToken {
            token: token.clone(),
            expires_at: Some(from_unix(expires_at)),
        });
    }
    let refresh_token = stored.refresh_token.clone().ok_or_else(|| {
        CredentialsError::new(
            CredentialStep::MissingSetting,
            "the credentials file has no refresh_token",
        )
        .at(&profile.credentials_path)
    })?;
    let refreshed = exchange::refresh(transport, base, client_id, &refresh_token).await?;
    let mut members = stored.members;
    members.insert("version".into(), json!("1.0"));
    members.insert("type".into(), json!("oauth_token"));
    members.insert("access_token".into(), json!(refreshed.token.token.expose()));
    members.insert(
        "expires_at".into(),
        Value::from(unix(SystemTime::now()) + refreshed.expires_in),
    );
    let refresh_token = refreshed.refresh_token.unwrap_or(refresh_token);
    members.insert("refresh_token".into(), json!(refresh_token.expose()));
    profile::write_token(&profile.credentials_path, &members)?;
    Ok(refreshed.token)
}
