//! Configuration from the environment, secrets kept out of `Debug`, and the
//! client-side checks made before anything is sent.

use std::time::Duration;

use claude_rs_client::{ApiVersion, Client, ClientBuilder, ConfigKind, Error, InvalidRequestKind};
use claude_rs_types::request::{CreateMessageRequest, MessageParam};

const KEY: &str = "sk-ant-test-SECRET-0123456789";

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

fn request(max_tokens: u32) -> CreateMessageRequest {
    CreateMessageRequest::new("claude-test", max_tokens, vec![MessageParam::user("hi")])
}

#[test]
fn base_url_from_environment_and_default() {
    let client =
        ClientBuilder::from_env_lookup(env(&[("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/")]))
            .build()
            .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
    let client = ClientBuilder::from_env_lookup(env(&[])).build().unwrap();
    assert_eq!(client.base_url(), "https://api.anthropic.com");
    let explicit =
        ClientBuilder::from_env_lookup(env(&[("ANTHROPIC_BASE_URL", "http://a.invalid")]))
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap();
    assert_eq!(explicit.base_url(), "http://127.0.0.1:1");
}

#[test]
fn bad_settings_fail_at_build() {
    for url in ["not a url", "ftp://host", "http://", "http://h/?q=1"] {
        let error = ClientBuilder::from_env_lookup(env(&[]))
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Config {
                    kind: ConfigKind::InvalidBaseUrl,
                    ..
                }
            ),
            "{url}: {error}"
        );
    }
    let error = ClientBuilder::from_env_lookup(env(&[]))
        .api_version("bad\nversion")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("API version"), "{error}");
}

#[test]
fn secrets_never_show_in_debug() {
    let builder = ClientBuilder::from_env_lookup(env(&[("ANTHROPIC_API_KEY", KEY)]));
    assert!(!format!("{builder:?}").contains("SECRET"), "{builder:?}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("SECRET") && shown.contains("redacted"),
        "{shown}"
    );
    let token = ClientBuilder::from_env_lookup(env(&[]))
        .auth_token(KEY)
        .build()
        .unwrap();
    assert!(!format!("{token:?}").contains("SECRET"));
}

#[tokio::test]
async fn missing_key_is_reported_at_first_use_naming_the_variable() {
    let client = ClientBuilder::from_env_lookup(env(&[]))
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let error = client.messages().create(request(16)).await.unwrap_err();
    match &error {
        Error::Config {
            kind: ConfigKind::MissingCredentials,
            message: why,
            ..
        } => assert!(why.contains("ANTHROPIC_API_KEY"), "{why}"),
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[tokio::test]
async fn long_non_streaming_requests_are_refused_before_sending() {
    let client = ClientBuilder::from_env_lookup(env(&[("ANTHROPIC_API_KEY", KEY)]))
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .unwrap();
    // 3600 s * 64000 / 128000 = 1800 s > 600 s.
    let error = client.messages().create(request(64_000)).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidRequest { kind: InvalidRequestKind::NeedsStreaming, message: why, .. }
                if why.contains("stream")
        ),
        "{error}"
    );
    // At the limit (21,333 tokens = 599 s) it is allowed: it gets as far as connecting.
    let error = client.messages().create(request(21_333)).await.unwrap_err();
    assert!(error.is_connection() || error.is_timeout(), "{error}");
    // An explicit timeout lifts the guard, per call or per client.
    let error = client
        .messages()
        .create(request(64_000))
        .timeout(Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(error.is_connection(), "{error}");
    let patient = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let error = patient
        .messages()
        .create(request(64_000))
        .await
        .unwrap_err();
    assert!(error.is_connection(), "{error}");
}

#[test]
fn clients_and_streams_are_shareable_across_tasks() {
    fn assert_shareable<T: Send + Sync + Clone + 'static>() {}
    fn assert_send<T: Send + 'static>() {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_shareable::<Client>();
    assert_send::<claude_rs_client::messages::MessageStream>();
    assert_send_sync::<Error>();
}

/// The suite runs twice in CI: with `CLAUDE_RS_TEST_API_VERSION` unset
/// (the default, `2026-10-21`) and set to `2023-06-01`; a builder given no
/// version takes it, also through `from_env_lookup`, and one given a
/// version keeps that one.
#[test]
fn a_test_run_chooses_the_default_version_and_an_explicit_one_wins() {
    let expected = match std::env::var("CLAUDE_RS_TEST_API_VERSION") {
        Ok(version) if !version.is_empty() => ApiVersion::from(version),
        _ => ApiVersion::V2026_10_21,
    };
    let chosen = ClientBuilder::from_env_lookup(|_| None)
        .api_key("sk-ant-test")
        .build()
        .unwrap();
    assert_eq!(chosen.api_version(), &expected);
    let pinned = ClientBuilder::from_env_lookup(|_| None)
        .api_key("sk-ant-test")
        .api_version(ApiVersion::V2026_10_21)
        .build()
        .unwrap();
    assert_eq!(pinned.api_version(), &ApiVersion::V2026_10_21);
}
