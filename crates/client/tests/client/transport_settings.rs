//! The built-in transport's settings on `ClientBuilder`: connect timeout,
//! proxy and extra roots reach the transport, and are refused next to a
//! custom transport they could not reach.

use std::error::Error as _;
use std::time::Duration;

use claude_rs_client::transport::HttpTransport;
use claude_rs_client::{ClientBuilder, ConfigKind, Error, TimeoutKind};
use claude_rs_mock::{MockResponse, MockServer, Route};

use crate::support::{KEY, request};

fn bare() -> ClientBuilder {
    ClientBuilder::from_env_lookup(|_| None).api_key(KEY)
}

fn config_message(result: Result<claude_rs_client::Client, Error>) -> String {
    match result {
        Err(Error::Config {
            kind: ConfigKind::Transport,
            message,
            ..
        }) => message,
        other => panic!("expected a transport configuration error, got {other:?}"),
    }
}

#[tokio::test]
async fn connect_timeout_bounds_the_tls_handshake() {
    // The kernel completes the TCP handshake for a listener that never
    // accepts, but nobody answers the TLS hello: only the connect timeout
    // can end the attempt.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = silent.local_addr().unwrap();
    let client = bare()
        .base_url(format!("https://{address}"))
        .connect_timeout(Duration::from_millis(200))
        .no_proxy()
        .max_retries(0)
        .build()
        .unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    match error {
        Error::Timeout { kind, after } => {
            assert_eq!(kind, TimeoutKind::Connect);
            assert_eq!(after, Duration::from_millis(200), "the configured timeout");
        }
        other => panic!("expected a connect timeout, got {other:?}"),
    }
    drop(silent);
}

#[tokio::test]
async fn settings_of_the_built_in_transport_are_refused_with_a_custom_one() {
    let custom = || HttpTransport::new().unwrap();
    let message = config_message(
        bare()
            .transport(custom())
            .connect_timeout(Duration::from_secs(1))
            .build(),
    );
    assert!(message.contains("`connect_timeout`"), "{message}");
    assert!(message.contains("`transport(..)`"), "{message}");

    let message = config_message(
        bare()
            .add_root_certificate(vec![1, 2, 3])
            .proxy("http://127.0.0.1:3128")
            .transport(custom())
            .build(),
    );
    assert!(
        message.contains("`add_root_certificate`, `proxy`"),
        "{message}"
    );
    // Alone, a custom transport is fine.
    bare().transport(custom()).build().unwrap();
}

#[tokio::test]
async fn an_explicit_proxy_carries_the_calls() {
    // The mock stands in for the proxy: a plain-HTTP destination is sent to
    // it in absolute form, and it answers like the API.
    let proxy = MockServer::start().await;
    proxy.enqueue(MockResponse::text("via the proxy"));
    let client = bare()
        .base_url("http://api.example.invalid")
        .proxy(proxy.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let reply = client.messages().create(request("hi")).await.unwrap();
    assert_eq!(reply.text(), "via the proxy");
    let seen = proxy.received_on(Route::Messages);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("host"), Some("api.example.invalid"));
    assert_eq!(seen[0].header("x-api-key"), Some(KEY));
}

#[test]
fn unusable_proxies_and_certificates_fail_the_build() {
    let error = bare().proxy("socks5://127.0.0.1:1080").build().unwrap_err();
    let source = error.source().expect("the transport's reason").to_string();
    assert!(matches!(
        &error,
        Error::Config {
            kind: ConfigKind::Transport,
            ..
        }
    ));
    assert!(error.to_string().contains("`proxy`"), "{error}");
    assert!(source.contains("socks5"), "{source}");

    let error = bare()
        .add_root_certificate(b"not a certificate".to_vec())
        .build()
        .unwrap_err();
    let source = error.source().expect("the transport's reason").to_string();
    assert!(source.contains("root certificate #0"), "{source}");
}
