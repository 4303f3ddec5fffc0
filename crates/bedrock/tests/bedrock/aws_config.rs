//! `AwsConfigCredentials` (feature `aws-config`): credentials of an AWS
//! provider, cached until 5 minutes before they expire, failures typed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, future};
use claude_rs_bedrock::{AwsConfigCredentials, CredentialsProvider};
use claude_rs_client::Error;

#[derive(Debug)]
struct Counting {
    calls: Arc<AtomicU32>,
    lifetime: Option<Duration>,
    fail: bool,
}

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.fail {
            return future::ProvideCredentials::ready(Err(CredentialsError::provider_timed_out(
                Duration::from_secs(1),
            )));
        }
        let expiry = self.lifetime.map(|d| SystemTime::now() + d);
        future::ProvideCredentials::ready(Ok(aws_credential_types::Credentials::new(
            format!("AKID{n}"),
            "CHAIN-SECRET",
            Some("CHAIN-TOKEN".into()),
            expiry,
            "test",
        )))
    }
}

fn chain(lifetime: Option<Duration>, fail: bool) -> (AwsConfigCredentials, Arc<AtomicU32>) {
    let calls = Arc::new(AtomicU32::new(0));
    let provider = Counting {
        calls: calls.clone(),
        lifetime,
        fail,
    };
    (
        AwsConfigCredentials::from_provider(provider, Some("eu-west-1".into())),
        calls,
    )
}

#[tokio::test]
async fn cached_until_the_margin_before_expiry() {
    let (long, calls) = chain(Some(Duration::from_secs(3600)), false);
    assert_eq!(long.region(), Some("eu-west-1"));
    for _ in 0..3 {
        let keys = long.credentials().await.unwrap();
        assert_eq!(keys.access_key_id(), "AKID0");
        assert_eq!(keys.session_token().unwrap().expose(), "CHAIN-TOKEN");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Expiring within 5 minutes: fetched again each time.
    let (short, calls) = chain(Some(Duration::from_secs(120)), false);
    assert_eq!(short.credentials().await.unwrap().access_key_id(), "AKID0");
    assert_eq!(short.credentials().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let shown = format!("{short:?}");
    assert!(
        !shown.contains("CHAIN-SECRET") && !shown.contains("CHAIN-TOKEN"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_timed_out_provider_is_a_transient_credentials_error() {
    let (failing, _) = chain(None, true);
    let error = failing.credentials().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Credentials {
                transient: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
}
