//! The client on the Foundry backend against the embedded mock: key
//! headers, bearer tokens per attempt, settings and refused calls.

use std::sync::atomic::{AtomicU32, Ordering};

use claude_rs_client::backend::TokenProvider;
use claude_rs_client::{Client, ConfigKind, Error};
use claude_rs_foundry::Foundry;
use claude_rs_mock::{MockResponse, MockServer, Route};
use claude_rs_types::Secret;
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use futures_util::future::BoxFuture;

const KEY: &str = "foundry-KEY-secret";

fn request() -> CreateMessageRequest {
    CreateMessageRequest::new("claude-sonnet-4-6", 32, vec![MessageParam::user("Hi")])
}

#[tokio::test]
async fn a_key_is_sent_as_x_api_key_and_api_key_with_the_version_header() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello"));
    let url = server.base_url().to_owned();
    let foundry = Foundry::builder()
        .env_lookup(move |name| match name {
            "ANTHROPIC_FOUNDRY_BASE_URL" => Some(url.clone()),
            "ANTHROPIC_FOUNDRY_API_KEY" => Some(KEY.to_owned()),
            _ => None,
        })
        .build()
        .unwrap();
    assert!(!format!("{foundry:?}").contains(KEY));
    let client = Client::builder().backend(foundry).build().unwrap();
    assert_eq!(
        client.messages().create(request()).await.unwrap().text(),
        "Hello"
    );
    let seen = &server.received_on(Route::Messages)[0];
    assert_eq!(seen.path, "/v1/messages");
    assert_eq!(seen.header("x-api-key"), Some(KEY));
    assert_eq!(seen.header("api-key"), Some(KEY));
    assert!(seen.header("anthropic-version").is_some());
    assert_eq!(seen.header("authorization"), None);
}

#[derive(Debug, Default)]
struct Entra(AtomicU32);

impl TokenProvider for Entra {
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(Secret::new(format!("entra-{n}"))) })
    }
}

#[tokio::test]
async fn a_token_provider_wins_over_a_key_and_is_asked_on_every_attempt() {
    let server = MockServer::start().await;
    server.fail_next(claude_rs_mock::Fault::rate_limited());
    server.enqueue(MockResponse::text("Hello"));
    let foundry = Foundry::builder()
        .base_url(server.base_url())
        .api_key(KEY)
        .token_provider(Entra::default())
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(foundry).build().unwrap();
    client.messages().create(request()).await.unwrap();
    let seen = server.received_on(Route::Messages);
    let auth: Vec<_> = seen
        .iter()
        .map(|s| s.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        auth,
        [
            Some("Bearer entra-0".to_owned()),
            Some("Bearer entra-1".to_owned())
        ]
    );
    assert!(
        seen.iter()
            .all(|s| s.header("x-api-key").is_none() && s.header("api-key").is_none())
    );
}

#[tokio::test]
async fn batches_models_and_the_admin_api_are_refused_before_any_request() {
    let server = MockServer::start().await;
    let foundry = Foundry::builder()
        .base_url(server.base_url())
        .api_key(KEY)
        .build()
        .unwrap();
    let client = Client::builder()
        .admin_key("sk-ant-admin01-key")
        .backend(foundry)
        .build()
        .unwrap();
    for error in [
        client.batches().list().await.unwrap_err(),
        client.models().list().await.unwrap_err(),
        client.get("/v1/organizations/me").await.unwrap_err(),
    ] {
        assert!(
            matches!(
                error,
                Error::Unsupported {
                    platform: "Microsoft Foundry",
                    ..
                }
            ),
            "{error:?}"
        );
    }
    assert!(server.requests().is_empty());
}

#[test]
fn settings_resolution() {
    let from_env = Foundry::builder()
        .api_key(KEY)
        .env_lookup(|name| (name == "ANTHROPIC_FOUNDRY_RESOURCE").then(|| "res-1".to_owned()))
        .build()
        .unwrap();
    assert_eq!(
        claude_rs_client::backend::Backend::base_url(&from_env),
        "https://res-1.services.ai.azure.com/anthropic"
    );
    let both = Foundry::builder()
        .resource("r")
        .base_url("https://x")
        .api_key(KEY)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            both,
            Error::Config {
                kind: ConfigKind::InvalidBaseUrl,
                ..
            }
        ),
        "{both:?}"
    );
    let none = Foundry::builder()
        .resource("r")
        .env_lookup(|_| None)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            none,
            Error::Config {
                kind: ConfigKind::MissingCredentials,
                ..
            }
        ),
        "{none:?}"
    );
    let nowhere = Foundry::builder()
        .api_key(KEY)
        .env_lookup(|_| None)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            nowhere,
            Error::Config {
                kind: ConfigKind::MissingSetting,
                ..
            }
        ),
        "{nowhere:?}"
    );
    let bad = Foundry::builder()
        .resource("r")
        .api_key("bad\nKEY-secret")
        .build()
        .unwrap_err();
    assert!(!format!("{bad} {bad:?}").contains("KEY-secret"));
}

/// The mock's Foundry paths (`/anthropic/v1/...`) with its key check.
mod on_the_mock_foundry_paths {
    use claude_rs_client::Client;
    use claude_rs_foundry::Foundry;
    use claude_rs_mock::{Fault, MockResponse, MockServer, Platform, Route};
    use claude_rs_types::error::ErrorType;

    use super::{Entra, KEY, request};

    async fn mock() -> MockServer {
        MockServer::builder()
            .foundry_api_key(KEY)
            .foundry_token("entra-1")
            .start()
            .await
    }

    fn with_key(server: &MockServer, key: &str) -> Client {
        let foundry = Foundry::builder()
            .base_url(server.platform_base_url(Platform::Foundry))
            .api_key(key)
            .env_lookup(|_| None)
            .build()
            .unwrap();
        Client::builder().backend(foundry).build().unwrap()
    }

    #[tokio::test]
    async fn create_stream_and_count_tokens_with_the_key_checked() {
        let server = mock().await;
        let client = with_key(&server, KEY);
        assert_eq!(
            client.messages().create(request()).await.unwrap().text(),
            "Hi"
        );
        server.enqueue(MockResponse::text("Streamed on Foundry"));
        let text = client
            .messages()
            .stream(request())
            .await
            .unwrap()
            .final_text()
            .await
            .unwrap();
        assert_eq!(text, "Streamed on Foundry");
        let count = client.messages().count_tokens(&request()).await.unwrap();
        assert!(count.input_tokens > 0);
        let seen = server.requests();
        assert!(seen.iter().all(|r| r.platform == Platform::Foundry));
        assert_eq!(seen[0].path, "/anthropic/v1/messages");
        assert_eq!(seen[2].path, "/anthropic/v1/messages/count_tokens");

        let error = with_key(&server, "wrong-key")
            .messages()
            .create(request())
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
    }

    #[tokio::test]
    async fn a_retry_asks_the_token_provider_again() {
        let server = mock().await;
        server.fail_next(Fault::overloaded().retry_after_ms(10));
        // The mock accepts entra-1 only: the first attempt (entra-1) passes
        // the check and is overloaded, the retry carries a new token.
        let entra = Entra::default();
        entra.0.store(1, std::sync::atomic::Ordering::SeqCst);
        let foundry = Foundry::builder()
            .base_url(server.platform_base_url(Platform::Foundry))
            .token_provider(entra)
            .env_lookup(|_| None)
            .build()
            .unwrap();
        let client = Client::builder().backend(foundry).build().unwrap();
        let error = client.messages().create(request()).await.unwrap_err();
        // The retry carried entra-2, which the mock does not accept.
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
        let seen = server.received_on(Route::Messages);
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].header("authorization"), Some("Bearer entra-1"));
        assert_eq!(seen[1].header("authorization"), Some("Bearer entra-2"));
    }

    #[tokio::test]
    async fn a_mid_stream_error_keeps_the_partial_message() {
        let server = mock().await;
        server.fail_next(Fault::sse_error_at(4, ErrorType::Overloaded));
        let error = with_key(&server, KEY)
            .messages()
            .stream(request())
            .await
            .unwrap()
            .final_message()
            .await
            .unwrap_err();
        assert!(error.partial_message().is_some(), "{error:?}");
    }
}
