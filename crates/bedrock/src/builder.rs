//! [`BedrockBuilder`]: settings, and their resolution from the environment.

use std::fmt;
use std::sync::Arc;

use claude_rs_client::{ConfigKind, Error};
use claude_rs_types::Secret;

use crate::backend::{Auth, Bedrock, Flavor};
use crate::credentials::{Credentials, CredentialsProvider};
use crate::profile;

type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Settings of a [`Bedrock`] backend. Anything not given is read from the
/// environment when [`build`](Self::build) runs:
///
/// * base URL: [`base_url`](Self::base_url), `ANTHROPIC_BEDROCK_BASE_URL`
///   (`ANTHROPIC_BEDROCK_MANTLE_BASE_URL` for Mantle), else
///   `https://bedrock-runtime.{region}.amazonaws.com`
///   (`https://bedrock-mantle.{region}.api.aws/anthropic`);
/// * control-plane URL (the Managed Agents calls):
///   [`control_plane_url`](Self::control_plane_url), else the base URL
///   when one is given, else `https://bedrock.{region}.amazonaws.com/anthropic`;
/// * region: [`region`](Self::region), `AWS_REGION`, `AWS_DEFAULT_REGION`,
///   then the profile's `region` (not for Mantle);
/// * auth, first found: [`api_key`](Self::api_key);
///   [`credentials`](Self::credentials) or
///   [`credentials_provider`](Self::credentials_provider);
///   [`profile`](Self::profile) (its static keys, the environment skipped);
///   `AWS_BEARER_TOKEN_BEDROCK` (a Bedrock API key); `AWS_ACCESS_KEY_ID`,
///   `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`; the static keys of the
///   profile named by `AWS_DEFAULT_PROFILE` or `AWS_PROFILE` (else
///   `default`) in `AWS_SHARED_CREDENTIALS_FILE` (`~/.aws/credentials`) or
///   `AWS_CONFIG_FILE` (`~/.aws/config`).
///
/// SSO, assume-role, web identity, container and instance credentials are
/// not read here: pass a [`CredentialsProvider`] that gets them.
///
/// ```
/// use claude_rs_bedrock::{Bedrock, Credentials};
///
/// let bedrock = Bedrock::builder()
///     .region("eu-west-1")
///     .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
///     .build()?;
/// assert_eq!(claude_rs_client::backend::Backend::base_url(&bedrock), "https://bedrock-runtime.eu-west-1.amazonaws.com");
/// # Ok::<(), claude_rs_client::Error>(())
/// ```
#[derive(Clone)]
pub struct BedrockBuilder {
    region: Option<String>,
    base_url: Option<String>,
    control_plane_url: Option<String>,
    api_key: Option<Secret>,
    provider: Option<Arc<dyn CredentialsProvider>>,
    profile: Option<String>,
    flavor: Flavor,
    env: Lookup,
}

impl fmt::Debug for BedrockBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockBuilder")
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("control_plane_url", &self.control_plane_url)
            .field("api_key", &self.api_key)
            .field("provider", &self.provider)
            .field("profile", &self.profile)
            .field("flavor", &self.flavor)
            .finish_non_exhaustive()
    }
}

impl Default for BedrockBuilder {
    fn default() -> Self {
        Self {
            region: None,
            base_url: None,
            control_plane_url: None,
            api_key: None,
            provider: None,
            profile: None,
            flavor: Flavor::InvokeModel,
            env: Arc::new(|name| std::env::var(name).ok()),
        }
    }
}

impl Bedrock {
    /// Settings for the InvokeModel API, read from the environment for
    /// anything not set.
    pub fn builder() -> BedrockBuilder {
        BedrockBuilder::default()
    }

    /// Settings for Mantle, Bedrock's endpoint of the first-party Messages
    /// API (SigV4 service `bedrock-mantle`, no body rewrites).
    pub fn mantle_builder() -> BedrockBuilder {
        BedrockBuilder {
            flavor: Flavor::Mantle,
            ..BedrockBuilder::default()
        }
    }

    /// The InvokeModel backend, everything from the environment.
    pub fn from_env() -> Result<Bedrock, Error> {
        Self::builder().build()
    }
}

impl BedrockBuilder {
    /// The AWS region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Another address (a VPC endpoint, a proxy, a test server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Another address for the Managed Agents control plane (the calls of
    /// `claude_rs_agents::bedrock`; the API's paths follow it). Unset, it
    /// is the [`base_url`](Self::base_url) when one is given (as the
    /// official Python SDK does), else
    /// `https://bedrock.{region}.amazonaws.com/anthropic`.
    pub fn control_plane_url(mut self, url: impl Into<String>) -> Self {
        self.control_plane_url = Some(url.into());
        self
    }

    /// A Bedrock API key, sent as `Authorization: Bearer` instead of SigV4.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key));
        self
    }

    /// Fixed AWS keys for SigV4.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// AWS credentials from a provider, asked on every attempt.
    pub fn credentials_provider(mut self, provider: impl CredentialsProvider) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// The static keys of this profile of the shared files.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads variables through `lookup` instead of the process environment
    /// (tests, or settings from elsewhere).
    pub fn env_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.env = Arc::new(lookup);
        self
    }

    /// Resolves every setting and builds the backend.
    pub fn build(self) -> Result<Bedrock, Error> {
        let env = |name: &str| (self.env)(name).filter(|v| !v.trim().is_empty());
        let explicit_profile = self.profile.clone();
        let profile_name = explicit_profile
            .clone()
            .unwrap_or_else(|| profile::selected(&env));
        let mut slot = None;

        let auth = if let Some(key) = &self.api_key {
            bearer(key.expose())?
        } else if let Some(provider) = self.provider.clone() {
            Auth::SigV4(provider)
        } else if let Some(name) = &explicit_profile {
            let Some(keys) = cached(&mut slot, &profile_name, &env)?.credentials.clone() else {
                return Err(missing(&format!(
                    "the AWS profile {name:?} has no static keys (aws_access_key_id and \
                     aws_secret_access_key); for SSO or roles pass a CredentialsProvider"
                )));
            };
            Auth::SigV4(Arc::new(keys))
        } else if let Some(key) = env("AWS_BEARER_TOKEN_BEDROCK") {
            bearer(&key)?
        } else if let Some(keys) = Credentials::from_env(&env) {
            Auth::SigV4(Arc::new(keys))
        } else {
            let Some(keys) = cached(&mut slot, &profile_name, &env)?.credentials.clone() else {
                return Err(missing(
                    "no AWS credentials: set AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and \
                     AWS_SECRET_ACCESS_KEY, or a profile with static keys, or pass credentials \
                     or a CredentialsProvider",
                ));
            };
            Auth::SigV4(Arc::new(keys))
        };

        let mut region = self
            .region
            .clone()
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"));
        if region.is_none() && self.flavor == Flavor::InvokeModel {
            region = cached(&mut slot, &profile_name, &env)?.region.clone();
        }
        let base_var = match self.flavor {
            Flavor::InvokeModel => "ANTHROPIC_BEDROCK_BASE_URL",
            Flavor::Mantle => "ANTHROPIC_BEDROCK_MANTLE_BASE_URL",
        };
        let base_url = self.base_url.clone().or_else(|| env(base_var));
        let control_plane_url = self.control_plane_url.clone().or_else(|| base_url.clone());
        let (base_url, region) = match (base_url, region) {
            (Some(url), region) => (url, region.unwrap_or_default()),
            (None, Some(region)) => {
                let url = match self.flavor {
                    Flavor::InvokeModel => {
                        format!("https://bedrock-runtime.{region}.amazonaws.com")
                    }
                    Flavor::Mantle => format!("https://bedrock-mantle.{region}.api.aws/anthropic"),
                };
                (url, region)
            }
            (None, None) => return Err(no_region()),
        };
        if region.is_empty() && matches!(auth, Auth::SigV4(_)) {
            return Err(no_region());
        }
        if !region.is_empty() {
            claude_rs_client::backend::check_region("the AWS region", &region)?;
        }
        let control_plane_url =
            control_plane_url.unwrap_or_else(|| crate::control_plane::default_url(&region));
        Ok(Bedrock {
            base_url: checked(&base_url)?,
            control_plane_url: checked(&control_plane_url)?,
            region,
            auth,
            flavor: self.flavor,
        })
    }
}

/// The profile, read from the files once.
fn cached<'s>(
    slot: &'s mut Option<profile::Profile>,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<&'s profile::Profile, Error> {
    match slot {
        Some(profile) => Ok(profile),
        None => Ok(slot.insert(profile::load(name, env)?)),
    }
}

/// A base URL through the first-party backend's checks, written once.
fn checked(url: &str) -> Result<String, Error> {
    Ok(claude_rs_client::backend::FirstParty::new(url)?
        .base_url()
        .to_owned())
}

fn bearer(key: &str) -> Result<Auth, Error> {
    claude_rs_client::backend::bearer_header(key).map(Auth::Bearer)
}

fn missing(message: &str) -> Error {
    Error::Config {
        kind: ConfigKind::MissingCredentials,
        message: message.to_owned(),
        source: None,
    }
}

fn no_region() -> Error {
    Error::Config {
        kind: ConfigKind::MissingSetting,
        message: "no AWS region: call BedrockBuilder::region, or set AWS_REGION or \
                  AWS_DEFAULT_REGION (or a region in the AWS profile)"
            .to_owned(),
        source: None,
    }
}
