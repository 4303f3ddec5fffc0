//! Errors as a user reads them: each level of the chain says what failed
//! there (a cause is printed once), answers of the wrong shape are named
//! with their start, and base URLs that cannot work are refused at build.

use claude_rs_client::backend::TokenProvider;
use claude_rs_client::{ApiError, Client, ClientBuilder, ConfigKind, Error, ProtocolKind};
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use claude_rs_types::Secret;
use futures_util::future::BoxFuture;

use crate::support::{builder, client, request, stream_to_end};

/// The error and its causes, one line each.
fn chain(error: &Error) -> Vec<String> {
    let mut out = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(next) = cause {
        out.push(next.to_string());
        cause = next.source();
    }
    out
}

/// No level repeats what a deeper level says.
fn assert_each_cause_once(error: &Error) {
    let levels = chain(error);
    for (i, level) in levels.iter().enumerate() {
        for deeper in &levels[i + 1..] {
            assert!(
                !level.contains(deeper.as_str()),
                "{level:?} repeats {deeper:?} (chain {levels:#?})"
            );
        }
    }
}

/// The message of a protocol error of `kind`; any other error fails.
fn protocol_message(error: &Error, kind: ProtocolKind) -> &str {
    match error {
        Error::Protocol {
            kind: found,
            message,
        } if *found == kind => message,
        other => panic!("expected a {kind:?} protocol error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_reset_prints_its_root_cause_once() {
    let server = MockServer::start().await;
    server.inject(FaultRule::always(Fault::reset_after(40)).on(Route::Messages));
    let client = builder(&server).max_retries(0).build().unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    assert!(error.is_connection(), "{error:?}");
    let levels = chain(&error);
    assert_eq!(levels[0], "connection to the API failed");
    assert_eq!(levels[1], "reading the response body failed");
    assert!(
        levels.len() >= 3,
        "the root cause is in the chain: {levels:?}"
    );
    assert_each_cause_once(&error);

    // The same reset inside a stream, wrapped with the partial message.
    let error = client
        .messages()
        .stream(request("hi"))
        .await
        .map(|_| ())
        .unwrap_err();
    assert_each_cause_once(&error);
}

#[tokio::test]
async fn decode_and_stream_errors_keep_their_cause_out_of_the_text() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("x").with_fault(Fault::malformed_json()));
    let client = builder(&server).max_retries(0).build().unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_each_cause_once(&error);

    server.enqueue(MockResponse::text("cut").with_fault(Fault::truncated_sse(3)));
    let error = stream_to_end(&client, "hi").await.unwrap_err();
    assert!(
        error.to_string().starts_with("stream failed after"),
        "{error}"
    );
    assert_each_cause_once(&error);
}

#[tokio::test]
async fn api_errors_are_std_errors() {
    let server = MockServer::start().await;
    server.inject(FaultRule::once(Fault::rate_limited()));
    let client = builder(&server).max_retries(0).build().unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    let api: &ApiError = error.api().expect("an API error");
    let as_std: &dyn std::error::Error = api;
    assert!(as_std.to_string().starts_with("API error 429"), "{as_std}");
    assert!(as_std.source().is_none());
}

#[tokio::test]
async fn an_api_error_names_its_code_request_and_host_but_no_secret() {
    // As the official SDKs 2.17.0 write it: the error code and request id
    // after the message; here also the method, host and path of the call.
    let server = MockServer::start().await;
    server.enqueue(
        MockResponse::error(
            http::StatusCode::BAD_REQUEST,
            claude_rs_types::error::ErrorType::InvalidRequest,
            "image too large",
        )
        .with_error_code("image_dimensions_too_large"),
    );
    let client = builder(&server).max_retries(0).build().unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    let host = server.base_url().trim_start_matches("http://").to_owned();
    let shown = error.to_string();
    assert!(
        shown.starts_with("API error 400 (invalid_request_error): image too large ("),
        "{shown}"
    );
    assert!(
        shown.contains("error_code: image_dimensions_too_large"),
        "{shown}"
    );
    assert!(shown.contains("request_id: req_"), "{shown}");
    assert!(
        shown.ends_with(&format!("POST {host}/v1/messages)")),
        "{shown}"
    );

    // The query is never shown (a base URL with a user name or password is
    // refused when the client is built, and the host never includes one).
    server.inject(FaultRule::once(Fault::internal_error()));
    let error = client
        .models()
        .list()
        .after_id("token-secret")
        .await
        .unwrap_err();
    let shown = error.to_string();
    assert!(shown.contains(&format!("GET {host}/v1/models")), "{shown}");
    for secret in ["token-secret", "after_id", "?"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[tokio::test]
async fn an_unrequested_content_encoding_is_named_with_the_start_of_the_body() {
    let server = MockServer::start().await;
    let gzip = [0x1f_u8, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00];
    for stream in [false, true] {
        server.enqueue(
            MockResponse::raw("application/json", gzip.to_vec())
                .with_header("content-encoding", "gzip"),
        );
        let client = client(&server);
        let error = if stream {
            client
                .messages()
                .stream(request("hi"))
                .await
                .map(|_| ())
                .unwrap_err()
        } else {
            client
                .messages()
                .create(request("hi"))
                .await
                .map(|_| ())
                .unwrap_err()
        };
        let message = protocol_message(&error, ProtocolKind::UnexpectedEncoding);
        assert!(message.contains("\"gzip\""), "stream {stream}: {message}");
        assert!(message.contains("\\u{1f}"), "the start is shown: {message}");
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn a_json_answer_to_a_stream_request_says_what_arrived() {
    let server = MockServer::start().await;
    let body = r#"{"id":"msg_01","type":"message","role":"assistant","content":[]}"#;
    server.enqueue(MockResponse::raw("application/json", body));
    let error = client(&server)
        .messages()
        .stream(request("hi"))
        .await
        .map(|_| ())
        .unwrap_err();
    let message = protocol_message(&error, ProtocolKind::UnexpectedContentType);
    assert!(message.contains("expected text/event-stream"), "{message}");
    assert!(message.contains("application/json"), "{message}");
    assert!(message.contains("msg_01"), "the start is shown: {message}");
}

#[tokio::test]
async fn an_html_page_instead_of_json_says_what_arrived() {
    let server = MockServer::start().await;
    let page = "<html><body>502 Bad Gateway from the corporate proxy</body></html>";
    server.enqueue(MockResponse::raw("text/html; charset=utf-8", page));
    let error = client(&server)
        .messages()
        .create(request("hi"))
        .await
        .unwrap_err();
    let message = protocol_message(&error, ProtocolKind::UnexpectedContentType);
    assert!(message.contains("text/html"), "{message}");
    assert!(message.contains("corporate proxy"), "{message}");
}

#[test]
fn base_urls_with_fragments_or_user_info_are_refused_and_never_printed() {
    for url in [
        "http://127.0.0.1:9/proxy#frag",
        "http://user:hunter2@127.0.0.1:9",
        "https://hunter2@api.example.com/v1",
    ] {
        let builder = ClientBuilder::from_env_lookup(|_| None)
            .api_key("sk-ant-x")
            .base_url(url);
        let debug = format!("{builder:?}");
        let error = builder.build().unwrap_err();
        assert!(
            matches!(
                error,
                Error::Config {
                    kind: ConfigKind::InvalidBaseUrl,
                    ..
                }
            ),
            "{url}: {error:?}"
        );
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}

/// A token provider that fails (transiently) a given number of times.
#[derive(Debug)]
struct Flaky {
    failures: std::sync::atomic::AtomicU32,
}

impl TokenProvider for Flaky {
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(async move {
            let left = self.failures.load(std::sync::atomic::Ordering::Relaxed);
            if left > 0 {
                self.failures
                    .store(left - 1, std::sync::atomic::Ordering::Relaxed);
                return Err(Error::Credentials {
                    message: "the token endpoint is down".to_owned(),
                    transient: true,
                    source: None,
                });
            }
            Ok(Secret::new("fresh-token"))
        })
    }
}

#[tokio::test]
async fn a_transient_token_failure_is_retried_and_the_token_sent() {
    let server = MockServer::start().await;
    let backend = claude_rs_client::backend::FirstParty::new(server.base_url())
        .unwrap()
        .token_provider(Flaky { failures: 2.into() });
    let client = Client::builder().backend(backend).build().unwrap();
    let message = client.messages().create(request("hi")).await.unwrap();
    assert!(!message.text().is_empty());
    let received = server.received_on(Route::Messages);
    assert_eq!(received.len(), 1, "the failed attempts sent nothing");
    let auth = received[0].headers.get("authorization").unwrap();
    assert_eq!(auth, "Bearer fresh-token");
    assert!(!format!("{client:?}").contains("fresh-token"));

    // Beyond the budget the credentials error comes back as it was.
    let backend = claude_rs_client::backend::FirstParty::new(server.base_url())
        .unwrap()
        .token_provider(Flaky { failures: 5.into() });
    let client = Client::builder().backend(backend).build().unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
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

#[tokio::test]
async fn each_api_error_type_has_its_predicate() {
    use claude_rs_types::error::ErrorType;
    use http::StatusCode;
    type Predicate = fn(&Error) -> bool;
    let cases: [(u16, ErrorType, Predicate); 9] = [
        (400, ErrorType::InvalidRequest, Error::is_invalid_request),
        (401, ErrorType::Authentication, Error::is_authentication),
        (402, ErrorType::Billing, Error::is_billing),
        (403, ErrorType::Permission, Error::is_permission),
        (404, ErrorType::NotFound, Error::is_not_found),
        (413, ErrorType::RequestTooLarge, Error::is_request_too_large),
        (500, ErrorType::Api, Error::is_internal),
        (504, ErrorType::Timeout, Error::is_api_timeout),
        (529, ErrorType::Overloaded, Error::is_overloaded),
    ];
    let server = MockServer::start().await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let mut errors = Vec::new();
    for (status, kind, _) in &cases {
        let status = StatusCode::from_u16(*status).unwrap();
        server.enqueue(MockResponse::error(status, kind.clone(), "no"));
        errors.push(client.messages().create(request("hi")).await.unwrap_err());
    }
    for (i, (status, _, predicate)) in cases.iter().enumerate() {
        for (j, error) in errors.iter().enumerate() {
            assert_eq!(
                predicate(error),
                i == j,
                "predicate of {status} on error {j}"
            );
        }
    }
}
