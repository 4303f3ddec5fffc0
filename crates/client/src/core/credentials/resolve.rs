//! The chain's precedence: which source a client uses.

use std::path::{Path, PathBuf};

use claude_rs_types::Secret;
use http::{HeaderName, HeaderValue};

use super::CredentialSource;
use super::env::Env;
use super::error::{CredentialStep, CredentialsError};
use super::exchange::{FederationFields, check_exchange_base};
use super::profile::{self, Profile, ProfileAuth};
use super::source::{Identity, Source};
use crate::core::config::DEFAULT_BASE_URL;

/// A credential given to the builder.
#[derive(Debug, Clone)]
pub(crate) enum Explicit {
    ApiKey(Secret),
    AuthToken(Secret),
    Profile(String),
}

/// How requests will authenticate.
#[derive(Debug)]
pub(crate) enum ResolvedAuth {
    ApiKey(Secret),
    Bearer(Secret),
    /// Tokens exchanged and cached.
    Exchange(Source),
}

/// The chain's outcome.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) source: Option<CredentialSource>,
    pub(crate) auth: Option<ResolvedAuth>,
    /// Where API calls go: the builder's, `ANTHROPIC_BASE_URL`, the
    /// profile's, or the default.
    pub(crate) base_url: String,
    /// Headers the profile adds to every request (`anthropic-workspace-id`).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

/// Runs the chain. `base_url` is the builder's.
pub(crate) fn resolve(
    env: &Env,
    explicit: Option<Explicit>,
    base_url: Option<&str>,
) -> Result<Resolved, CredentialsError> {
    let client_base = base_url
        .or(env.get("ANTHROPIC_BASE_URL"))
        .map(|u| u.trim().trim_end_matches('/').to_owned());
    let plain = |source, auth| Resolved {
        source: Some(source),
        auth: Some(auth),
        base_url: client_base
            .clone()
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
        headers: Vec::new(),
    };
    let dir = || {
        env.config_dir().ok_or_else(|| {
            CredentialsError::new(
                CredentialStep::Settings,
                "no config directory: set ANTHROPIC_CONFIG_DIR or HOME",
            )
        })
    };
    match explicit {
        Some(Explicit::ApiKey(key)) => {
            return Ok(plain(CredentialSource::ApiKey, ResolvedAuth::ApiKey(key)));
        }
        Some(Explicit::AuthToken(token)) => {
            return Ok(plain(
                CredentialSource::AuthToken,
                ResolvedAuth::Bearer(token),
            ));
        }
        Some(Explicit::Profile(name)) => return from_profile(env, &dir()?, &name, client_base),
        None => {}
    }
    // 2. The static variables.
    #[cfg(feature = "tracing")]
    warn_shadowing(env);
    if let Some(key) = env.get("ANTHROPIC_API_KEY") {
        return Ok(plain(
            CredentialSource::ApiKey,
            ResolvedAuth::ApiKey(Secret::new(key)),
        ));
    }
    if let Some(token) = env.get("ANTHROPIC_AUTH_TOKEN") {
        return Ok(plain(
            CredentialSource::AuthToken,
            ResolvedAuth::Bearer(Secret::new(token)),
        ));
    }
    // 3. The profile the environment names.
    if let Some(name) = env.get("ANTHROPIC_PROFILE") {
        return from_profile(env, &dir()?, name, client_base);
    }
    // 4. Federation from the environment.
    if let Some(source) = env_federation(env, client_base.as_deref())? {
        let mut resolved = plain(CredentialSource::Federation, ResolvedAuth::Exchange(source));
        resolved.source = Some(CredentialSource::Federation);
        return Ok(resolved);
    }
    // 5. The active profile on disk.
    if let Some(dir) = env.config_dir() {
        let (name, pointer) = profile::active_name(&dir);
        let strict = env.get("ANTHROPIC_CONFIG_DIR").is_some() || pointer;
        let exists = profile::config_path(&dir, &name).is_ok_and(|p| p.is_file());
        if strict || exists {
            match from_profile(env, &dir, &name, client_base.clone()) {
                Ok(resolved) => return Ok(resolved),
                Err(error) if strict => return Err(error),
                Err(_) => {}
            }
        }
    }
    Ok(Resolved {
        source: None,
        auth: None,
        base_url: client_base.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
        headers: Vec::new(),
    })
}

/// Warns, once per process, when a static variable hides another source.
#[cfg(feature = "tracing")]
fn warn_shadowing(env: &Env) {
    static BOTH: std::sync::Once = std::sync::Once::new();
    static SHADOWED: std::sync::Once = std::sync::Once::new();
    let key = env.get("ANTHROPIC_API_KEY").is_some();
    let token = env.get("ANTHROPIC_AUTH_TOKEN").is_some();
    if key && token {
        BOTH.call_once(|| {
            tracing::warn!(
                "ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN are both set; using ANTHROPIC_API_KEY"
            );
        });
    }
    if !(key || token) {
        return;
    }
    let federation = env.get("ANTHROPIC_FEDERATION_RULE_ID").is_some()
        && env.get("ANTHROPIC_ORGANIZATION_ID").is_some()
        && (env.get("ANTHROPIC_IDENTITY_TOKEN_FILE").is_some()
            || env.get("ANTHROPIC_IDENTITY_TOKEN").is_some());
    let pointer = env
        .config_dir()
        .is_some_and(|dir| profile::active_name(&dir).1);
    let discoverable = env.get("ANTHROPIC_PROFILE").is_some()
        || env.get("ANTHROPIC_CONFIG_DIR").is_some()
        || pointer
        || federation;
    if discoverable {
        let variable = if key {
            "ANTHROPIC_API_KEY"
        } else {
            "ANTHROPIC_AUTH_TOKEN"
        };
        SHADOWED.call_once(|| {
            tracing::warn!(
                "{variable} is set, so the profile or workload identity federation settings \
                 in the environment are not used"
            );
        });
    }
}

/// Step 4: all of rule, organization and an identity token source, or
/// nothing.
fn env_federation(
    env: &Env,
    client_base: Option<&str>,
) -> Result<Option<Source>, CredentialsError> {
    let (Some(rule_id), Some(organization_id)) = (
        env.get("ANTHROPIC_FEDERATION_RULE_ID"),
        env.get("ANTHROPIC_ORGANIZATION_ID"),
    ) else {
        return Ok(None);
    };
    let identity = match env.get("ANTHROPIC_IDENTITY_TOKEN_FILE") {
        Some(path) => Identity::File(PathBuf::from(path)),
        None if env.get("ANTHROPIC_IDENTITY_TOKEN").is_some() => Identity::Env(env.clone()),
        None => return Ok(None),
    };
    let base = client_base.unwrap_or(DEFAULT_BASE_URL).to_owned();
    check_exchange_base(&base)?;
    Ok(Some(Source::Federation {
        base,
        fields: FederationFields {
            rule_id: rule_id.to_owned(),
            organization_id: organization_id.to_owned(),
            // Sent when the variable exists, even empty.
            service_account_id: env.raw("ANTHROPIC_SERVICE_ACCOUNT_ID").map(str::to_owned),
            workspace_id: env.get("ANTHROPIC_WORKSPACE_ID").map(str::to_owned),
        },
        identity,
    }))
}

/// Steps 1, 3 and 5: a profile, its base URL and headers.
fn from_profile(
    env: &Env,
    dir: &Path,
    name: &str,
    client_base: Option<String>,
) -> Result<Resolved, CredentialsError> {
    let profile: Profile = profile::load(env, dir, name)?;
    // The exchange goes to the profile's host; API calls to the client's
    // when it has one.
    let exchange_base = profile
        .base_url
        .clone()
        .or_else(|| client_base.clone())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    check_exchange_base(&exchange_base)?;
    let base_url = client_base
        .or_else(|| profile.base_url.clone())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let mut headers = Vec::new();
    if let (ProfileAuth::UserOAuth { .. }, Some(workspace)) = (&profile.auth, &profile.workspace_id)
    {
        let value = HeaderValue::try_from(workspace.as_str()).map_err(|_| {
            CredentialsError::new(
                CredentialStep::ConfigFile,
                "workspace_id has characters not allowed in an HTTP header",
            )
        })?;
        headers.push((HeaderName::from_static("anthropic-workspace-id"), value));
    }
    Ok(Resolved {
        source: Some(CredentialSource::Profile(name.to_owned())),
        auth: Some(ResolvedAuth::Exchange(Source::Profile {
            base: exchange_base,
            profile,
        })),
        base_url,
        headers,
    })
}
