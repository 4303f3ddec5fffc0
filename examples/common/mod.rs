//! What every example needs: a client for the real API when a key is set,
//! else for the embedded mock, so each example runs anywhere.

use claude_rs_client::credentials::{self, CredentialSource};
use claude_rs_client::{Client, ClientBuilder, Error};
use claude_rs_mock::{MockResponse, MockServer};

/// A client, and the mock it talks to when there is no API key (kept alive
/// as long as the client is used).
pub(crate) struct Target {
    pub(crate) client: Client,
    _mock: Option<MockServer>,
}

impl Target {
    /// Whether the example runs against the embedded mock.
    #[allow(dead_code)]
    pub(crate) fn is_mock(&self) -> bool {
        self._mock.is_some()
    }

    /// The embedded mock, when the example runs against it, so the example
    /// can script the replies the real API would give.
    #[allow(dead_code)]
    pub(crate) fn mock(&self) -> Option<&MockServer> {
        self._mock.as_ref()
    }

    /// On the mock, queues what the real API would answer to the example's
    /// coming Messages requests (batch requests included), in order; against
    /// the real API, does nothing, so real answers are never replaced.
    #[allow(dead_code)]
    pub(crate) fn script(&self, replies: impl FnOnce() -> Vec<MockResponse>) {
        if let Some(mock) = self.mock() {
            for reply in replies() {
                mock.enqueue(reply);
            }
        }
    }
}

/// When the credential chain finds credentials (`ANTHROPIC_API_KEY`,
/// `ANTHROPIC_AUTH_TOKEN`, a profile, workload identity federation; see
/// `claude_rs_client::credentials`), a client for the real API (or
/// `ANTHROPIC_BASE_URL`); otherwise starts the mock in-process. Either way
/// it says which on stderr.
#[allow(dead_code)]
pub(crate) async fn connect() -> Result<Target, Error> {
    connect_with(|builder| builder).await
}

/// [`connect`], with more settings on the client's builder.
pub(crate) async fn connect_with(
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Target, Error> {
    if let Some(source) = credentials::detect()? {
        let client = configure(Client::builder()).build()?;
        eprintln!("using {} against {}", describe(&source), client.base_url());
        return Ok(Target {
            client,
            _mock: None,
        });
    }
    let mock = MockServer::start().await;
    eprintln!(
        "credentials (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, a profile, workload identity \
         federation) not set: running against the embedded mock at {}",
        mock.base_url()
    );
    let client = configure(
        Client::builder()
            .api_key("sk-ant-mock")
            .base_url(mock.base_url()),
    )
    .build()?;
    Ok(Target {
        client,
        _mock: Some(mock),
    })
}

/// The credential source in words.
pub(crate) fn describe(source: &CredentialSource) -> String {
    match source {
        CredentialSource::ApiKey => "an API key".to_owned(),
        CredentialSource::AuthToken => "an auth token".to_owned(),
        CredentialSource::Profile(name) => format!("the profile {name:?}"),
        CredentialSource::Federation => "workload identity federation".to_owned(),
        other => format!("{other:?}"),
    }
}
