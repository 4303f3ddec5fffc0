//! Faults a hostile sweep found: a call's timeout on a silent stream,
//! the size-limit error, header values with CR or LF.

use std::time::Duration;

use claude_rs_client::{ClientBuilder, ConfigKind, Error, TimeoutKind};
use claude_rs_mock::{Fault, MockResponse, MockServer};

use crate::support::*;

#[tokio::test]
async fn a_calls_timeout_bounds_the_silence_between_stream_chunks() {
    let server = MockServer::start().await;
    // Headers and message_start arrive, then 30 s of silence.
    let stall = || {
        MockResponse::text("stalls").with_fault(Fault::stall_after(800, Duration::from_secs(30)))
    };
    server.enqueue(stall());
    // The idle timeout is the default 10 minutes; the call's own is 300 ms.
    let client = builder(&server).max_retries(0).build().unwrap();
    let stream = client
        .messages()
        .stream(request("hi"))
        .timeout(Duration::from_millis(300));
    let error = stream.await.unwrap().final_message().await.unwrap_err();
    assert!(
        matches!(
            error.cause(),
            Error::Timeout { kind: TimeoutKind::StreamIdle, after } if *after == Duration::from_millis(300)
        ),
        "{error:?}"
    );
    assert!(
        error.partial_message().is_some(),
        "message_start had arrived"
    );

    // A client timeout shorter than the idle timeout bounds it too.
    server.enqueue(stall());
    let client = builder(&server)
        .max_retries(0)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client
        .messages()
        .stream(request("hi"))
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.cause(),
            Error::Timeout {
                kind: TimeoutKind::StreamIdle,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn the_size_limit_error_names_the_limit() {
    let error = Error::Connection(claude_rs_client::transport::Error::BodyTooLarge { limit: 1024 });
    assert_eq!(
        error.to_string(),
        "the response body is larger than the limit of 1024 bytes"
    );
}

#[test]
fn header_values_with_cr_or_lf_are_refused_by_build_naming_the_option_not_the_value() {
    let secret = "sk-ant-SECRET\r\nx-injected: 1";
    let cases: [(ClientBuilder, &str); 5] = [
        (
            ClientBuilder::from_env_lookup(|_| None).api_key(secret),
            "api_key",
        ),
        (
            ClientBuilder::from_env_lookup(|_| None).auth_token(secret),
            "auth_token",
        ),
        (
            ClientBuilder::from_env_lookup(|n| {
                (n == "ANTHROPIC_API_KEY").then(|| secret.to_owned())
            }),
            "ANTHROPIC_API_KEY",
        ),
        (
            ClientBuilder::from_env_lookup(|n| {
                (n == "ANTHROPIC_AUTH_TOKEN").then(|| secret.to_owned())
            }),
            "ANTHROPIC_AUTH_TOKEN",
        ),
        (
            ClientBuilder::from_env_lookup(|_| None)
                .api_key(KEY)
                .beta("files\nSECRET"),
            "beta",
        ),
    ];
    for (builder, option) in cases {
        let error = builder.build().unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(
            matches!(
                error,
                Error::Config {
                    kind: ConfigKind::InvalidCredentials | ConfigKind::InvalidSetting,
                    ..
                }
            ),
            "{text}"
        );
        assert!(text.contains(option), "{option}: {text}");
        assert!(!text.contains("SECRET"), "{text}");
    }
}
