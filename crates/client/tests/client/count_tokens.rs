//! `messages().count_tokens` against the mock.

use claude_rs_mock::{MockResponse, MockServer, Route};
use claude_rs_types::request::CountTokensRequest;
use serde_json::json;

#[tokio::test]
async fn counts_the_request_without_max_tokens() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let mut request = crate::support::request("How many tokens is this?");
    request.system = Some("Be brief.".into());
    let count = client.messages().count_tokens(&request).await.unwrap();

    let recorded = server.received_on(Route::CountTokens);
    assert_eq!(recorded.len(), 1);
    let recorded = &recorded[0];
    assert_eq!(recorded.method, http::Method::POST);
    assert_eq!(recorded.path, "/v1/messages/count_tokens");
    assert_eq!(recorded.header("content-type"), Some("application/json"));
    assert_eq!(recorded.header("anthropic-beta"), None);
    let body = recorded.json.as_ref().unwrap();
    assert_eq!(body["model"], "claude-sonnet-4-6");
    assert_eq!(body["system"], "Be brief.");
    assert_eq!(body["messages"][0]["content"], "How many tokens is this?");
    assert!(body.get("max_tokens").is_none(), "{body}");
    assert!(body.get("stream").is_none(), "{body}");

    // The mock counts the same way it reports usage for the message itself.
    let message = client.messages().create(request).await.unwrap();
    assert_eq!(count.input_tokens, message.usage.input_tokens);
}

#[tokio::test]
async fn takes_a_count_request_and_returns_the_api_value() {
    let server = MockServer::start().await;
    server.enqueue_on(
        Route::CountTokens,
        MockResponse::json(json!({"input_tokens": 1234, "context_management": {"original_input_tokens": 2000}, "x": 1})),
    );
    let client = crate::support::client(&server);
    let request = CountTokensRequest::from(&crate::support::request("hi"));
    let response = client
        .messages()
        .count_tokens(request)
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.input_tokens, 1234);
    let managed = response.value.context_management.as_ref().expect("typed");
    assert_eq!(managed.original_input_tokens, 2000);
    assert_eq!(response.value.extra["x"], json!(1));
}

#[tokio::test]
async fn api_errors_come_back_typed() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let mut request = crate::support::request("hi");
    request.messages.clear();
    let error = client.messages().count_tokens(&request).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::BAD_REQUEST));
}

#[tokio::test]
#[allow(deprecated)]
async fn legacy_complete_posts_raw_json() {
    // The mock does not serve /v1/complete: it answers 404, which is enough
    // to check what was sent and that the error comes back typed.
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let body = json!({
        "model": "claude-2.1",
        "prompt": "\n\nHuman: Hi\n\nAssistant:",
        "max_tokens_to_sample": 16,
    });
    let error = client.complete(&body).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    let sent = server.last_request().unwrap();
    assert_eq!(sent.method, http::Method::POST);
    assert_eq!(sent.path, "/v1/complete");
    assert_eq!(sent.json.as_ref(), Some(&body));
}
