//! The control API under `/_mock/`, driven over HTTP as a test in another
//! language would drive it: scripts, every fault kind, recorded requests,
//! reset, batch ending.

mod common;

use claude_rs_mock::{BatchCompletion, MockServer, Route};
use claude_rs_types::{message::Message, stream::MessageStreamEvent};
use common::{Raw, VERSION, get, post, read_all, request, say, say_streaming, send_only};
use serde_json::{Value, json};

async fn script(server: &MockServer, document: Value) -> Raw {
    post(server, "/_mock/script", &document).await
}

async fn faulted(server: &MockServer, fault: Value, body: &Value) -> Raw {
    let loaded = script(server, json!({"faults": [{"fault": fault}]})).await;
    assert_eq!(loaded.status, 200, "{}", loaded.text());
    post(server, "/v1/messages", body).await
}

#[tokio::test]
async fn scripted_replies_are_served_in_order_per_route() {
    let server = MockServer::start().await;
    let loaded = script(
        &server,
        json!({"replies": {
            "messages": [{"text": "first"}, {"tool_use": {"name": "f", "input": {"a": 1}}}],
            "count_tokens": {"json": {"input_tokens": 42}},
        }}),
    )
    .await;
    assert_eq!(loaded.status, 200);
    assert_eq!(loaded.json()["queued"]["messages"], 2);
    assert_eq!(server.queued(Route::CountTokens), 1);

    let first: Message =
        serde_json::from_slice(&post(&server, "/v1/messages", &say("x")).await.body)
            .expect("message");
    assert_eq!(first.text(), "first");
    let second = post(&server, "/v1/messages", &say_streaming("x")).await;
    assert_eq!(second.header("content-type"), Some("text/event-stream"));
    assert!(second.text().contains(r#""name":"f""#), "{}", second.text());
    let count =
        json!({"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": "x"}]});
    let counted = post(&server, "/v1/messages/count_tokens", &count).await;
    assert_eq!(counted.json(), json!({"input_tokens": 42}));
    // Queues are empty: back to the echo.
    let echo: Message =
        serde_json::from_slice(&post(&server, "/v1/messages", &say("echo")).await.body)
            .expect("message");
    assert_eq!(echo.text(), "echo");
}

#[tokio::test]
async fn a_529_then_ok_retry_sequence() {
    let server = MockServer::start().await;
    let rule = json!({"faults": {"fault": {"kind": "overloaded", "should_retry": true,
        "retry_after_ms": 10}, "times": 1, "route": "messages"}});
    assert_eq!(script(&server, rule).await.status, 200);
    let first = post(&server, "/v1/messages", &say("x")).await;
    assert_eq!(first.status, 529);
    assert_eq!(first.json()["error"]["type"], "overloaded_error");
    assert_eq!(first.header("x-should-retry"), Some("true"));
    assert_eq!(first.header("retry-after-ms"), Some("10"));
    assert_eq!(post(&server, "/v1/messages", &say("x")).await.status, 200);
}

#[tokio::test]
async fn every_fault_kind_has_a_json_form() {
    let server = MockServer::start().await;
    let status = faulted(
        &server,
        json!({"kind": "status", "status": 503, "error_type": "api_error", "message": "down"}),
        &say("x"),
    )
    .await;
    assert_eq!(status.status, 503);
    assert_eq!(status.json()["error"]["message"], "down");
    for (kind, code) in [
        ("rate_limited", 429),
        ("internal_error", 500),
        ("request_timeout", 408),
    ] {
        let raw = faulted(&server, json!({"kind": kind}), &say("x")).await;
        assert_eq!(raw.status, code, "{kind}");
    }

    let reset = faulted(
        &server,
        json!({"kind": "reset_after", "bytes": 10}),
        &say("x"),
    )
    .await;
    assert!(!reset.complete);
    assert_eq!(reset.body.len(), 10);

    let loaded = script(
        &server,
        json!({"faults": {"fault": {"kind": "reset_before_headers"}}}),
    )
    .await;
    assert_eq!(loaded.status, 200);
    let body = serde_json::to_vec(&say("x")).expect("json");
    let mut socket = send_only(server.address(), "POST", "/v1/messages", &[VERSION], &body).await;
    assert!(
        read_all(&mut socket).await.is_empty(),
        "not one byte of response"
    );

    for fault in [
        json!({"kind": "stall_before_headers", "ms": 1}),
        json!({"kind": "stall_after", "bytes": 5, "ms": 1}),
        json!({"kind": "drip_bytes", "chunk": 7, "interval_ms": 0}),
        json!({"kind": "drip_events", "interval_ms": 0}),
    ] {
        let raw = faulted(&server, fault.clone(), &say_streaming("slow but whole")).await;
        assert!(raw.complete, "{fault}");
        assert_eq!(
            raw.events().last().map(|e| e.0.as_str()),
            Some("message_stop")
        );
    }

    let sse_error = faulted(
        &server,
        json!({"kind": "sse_error_at", "index": 2}),
        &say_streaming("x"),
    )
    .await;
    let events = sse_error.events();
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].0, "error");
    assert!(events[2].1.contains("overloaded_error"));

    let malformed = faulted(&server, json!({"kind": "malformed_json"}), &say("x")).await;
    assert!(serde_json::from_slice::<Value>(&malformed.body).is_err());

    let truncated = faulted(
        &server,
        json!({"kind": "truncated_sse", "events": 2}),
        &say_streaming("x"),
    )
    .await;
    assert!(truncated.complete);
    assert_eq!(truncated.events().len(), 2);
    for (_, data) in truncated.events() {
        serde_json::from_str::<MessageStreamEvent>(&data).expect("complete events parse");
    }
}

#[tokio::test]
async fn rules_by_schedule_and_combined_faults() {
    let server = MockServer::start().await;
    let rules = json!({"faults": [
        {"fault": {"kind": "internal_error"}, "nth": 2, "route": "messages"},
        {"fault": [{"kind": "overloaded"}, {"kind": "retry_after"}], "times": 1},
    ]});
    let rejected = script(&server, rules).await;
    assert_eq!(rejected.status, 400);
    let message = rejected.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("faults[1].fault[1].kind"), "{message}");
    // Nothing of a rejected script is loaded.
    assert_eq!(get(&server, "/_mock").await.json()["fault_rules"], 0);

    let rules = json!({"faults": [
        {"fault": {"kind": "internal_error"}, "nth": 2, "route": "messages"},
        {"fault": {"kind": "overloaded", "retry_after": 3}, "always": true, "route": "count_tokens"},
    ]});
    assert_eq!(script(&server, rules).await.status, 200);
    let statuses = [
        post(&server, "/v1/messages", &say("x")).await.status,
        post(&server, "/v1/messages", &say("x")).await.status,
        post(&server, "/v1/messages", &say("x")).await.status,
    ];
    assert_eq!(statuses, [200, 500, 200]);
    let counted = post(&server, "/v1/messages/count_tokens", &say("x")).await;
    assert_eq!(
        (counted.status, counted.header("retry-after")),
        (529, Some("3"))
    );
}

#[tokio::test]
async fn recorded_requests_hide_credentials_and_reset_forgets() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&say("hello")).expect("json");
    let headers = [
        ("anthropic-version", "2023-06-01"),
        ("x-api-key", "sk-ant-secret"),
        ("content-type", "application/json"),
    ];
    request(&server, "POST", "/v1/messages", &headers, &body).await;
    get(&server, "/v1/models").await;

    let all = get(&server, "/_mock/requests").await.json();
    let data = all["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data.len(), 2, "control requests are not recorded");
    assert_eq!(data[0]["route"], "messages");
    assert_eq!(data[0]["body"]["messages"][0]["content"], "hello");
    assert_eq!(data[0]["headers"]["x-api-key"], "[redacted]");
    assert!(!all.to_string().contains("sk-ant-secret"));
    let models = get(&server, "/_mock/requests?route=list_models")
        .await
        .json();
    assert_eq!(models["data"].as_array().map(Vec::len), Some(1));

    script(
        &server,
        json!({"replies": {"messages": {"text": "left over"}}}),
    )
    .await;
    let reset = post(&server, "/_mock/reset", &json!({})).await.json();
    assert_eq!(
        (reset["requests"].clone(), reset["queued"].clone()),
        (json!(0), json!({}))
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn batches_end_on_request_and_unknown_control_paths_are_404() {
    let server = MockServer::builder()
        .batch_completion(BatchCompletion::Manual)
        .start()
        .await;
    let created = post(
        &server,
        "/v1/messages/batches",
        &json!({"requests": [{"custom_id": "a", "params": say("x")}]}),
    )
    .await
    .json();
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    let ended = post(&server, &format!("/_mock/batches/{id}/end"), &json!({})).await;
    assert_eq!(ended.status, 200);
    let batch = get(&server, &format!("/v1/messages/batches/{id}"))
        .await
        .json();
    assert_eq!(batch["processing_status"], "ended");
    assert_eq!(
        post(&server, "/_mock/batches/nope/end", &json!({}))
            .await
            .status,
        404
    );
    let unknown = get(&server, "/_mock/nothing").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"]["type"], "not_found_error");
}
