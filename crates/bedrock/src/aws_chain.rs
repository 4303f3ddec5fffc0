//! [`AwsConfigCredentials`]: the full AWS credential chain of `aws-config`
//! (feature `aws-config`).

use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use claude_rs_client::{ConfigKind, Error};
use futures_util::future::BoxFuture;

use crate::credentials::{Credentials, CredentialsProvider};

/// Temporary credentials are fetched again this long before they expire.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// Credentials from `aws-config`'s default chain, as the AWS SDKs find
/// them: environment, profiles (static keys, assume-role, SSO, web
/// identity, `credential_process`), web identity (IRSA), ECS/EKS container
/// credentials and EC2 instance metadata. Its HTTP calls use rustls with
/// ring (no aws-lc). Credentials are cached and fetched again 5 minutes
/// before they expire; callers that arrive during a fetch wait for it.
///
/// ```no_run
/// # async fn run() -> Result<(), claude_rs_client::Error> {
/// use claude_rs_bedrock::{AwsConfigCredentials, Bedrock};
///
/// let chain = AwsConfigCredentials::load().await?;
/// let region = chain.region().unwrap_or("us-east-1").to_owned();
/// let bedrock = Bedrock::builder().region(region).credentials_provider(chain).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct AwsConfigCredentials {
    provider: SharedCredentialsProvider,
    region: Option<String>,
    cached: tokio::sync::Mutex<Option<(Credentials, Option<SystemTime>)>>,
}

impl AwsConfigCredentials {
    /// Loads the default chain (and the region it resolves).
    pub async fn load() -> Result<Self, Error> {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let config = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .load()
            .await;
        let provider = config.credentials_provider().ok_or_else(|| Error::Config {
            kind: ConfigKind::MissingCredentials,
            message: "aws-config's default chain has no credentials provider".to_owned(),
            source: None,
        })?;
        Ok(Self::from_provider(
            provider,
            config.region().map(|r| r.as_ref().to_owned()),
        ))
    }

    /// Any `aws-credential-types` provider (one from an `SdkConfig` you
    /// already have, say), with the same caching.
    pub fn from_provider(
        provider: impl ProvideCredentials + 'static,
        region: Option<String>,
    ) -> Self {
        Self {
            provider: SharedCredentialsProvider::new(provider),
            region,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// The region the chain resolved (`AWS_REGION`, the profile, IMDS).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    async fn current(&self) -> Result<Credentials, Error> {
        let mut cached = self.cached.lock().await;
        if let Some((credentials, expiry)) = cached.as_ref() {
            let fresh = expiry.is_none_or(|at| SystemTime::now() + REFRESH_MARGIN < at);
            if fresh {
                return Ok(credentials.clone());
            }
        }
        let found =
            self.provider
                .provide_credentials()
                .await
                .map_err(|error| Error::Credentials {
                    message: "the AWS credential chain gave no credentials".to_owned(),
                    transient: matches!(
                        error,
                        CredentialsError::ProviderTimedOut(_) | CredentialsError::ProviderError(_)
                    ),
                    source: Some(Box::new(error)),
                })?;
        let credentials = Credentials::new(
            found.access_key_id(),
            found.secret_access_key(),
            found.session_token().map(str::to_owned),
        );
        *cached = Some((credentials.clone(), found.expiry()));
        Ok(credentials)
    }
}

impl CredentialsProvider for AwsConfigCredentials {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.current())
    }
}
