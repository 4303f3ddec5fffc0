//! Headers and framing as the API sends them: rate-limit headers that count
//! down and reset (and a 429 when enforced limits run out), event streams
//! sent chunked, models with their lifecycle and limits.

mod common;

use std::time::Duration;

use claude_rs_mock::{MockServer, RateLimits};
use common::{Raw, VERSION, get, post, read_all, say, say_streaming, send_only};
use serde_json::json;

fn remaining(raw: &Raw, name: &str) -> u64 {
    raw.header(&format!("anthropic-ratelimit-{name}-remaining"))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name}-remaining in {:?}", raw.headers))
}

#[tokio::test]
async fn rate_limit_headers_count_down_and_reset() {
    let limits = RateLimits::per_window(3, 10_000, 1_000);
    let server = MockServer::builder().rate_limits(limits).start().await;
    let first = post(&server, "/v1/messages", &say("one two three")).await;
    assert_eq!(
        first.header("anthropic-ratelimit-requests-limit"),
        Some("3")
    );
    assert_eq!(
        first.header("anthropic-ratelimit-input-tokens-limit"),
        Some("10000")
    );
    assert_eq!(
        first.header("anthropic-ratelimit-tokens-limit"),
        Some("11000")
    );
    assert_eq!(remaining(&first, "requests"), 2);
    let input = first.json()["usage"]["input_tokens"].as_u64().unwrap_or(0);
    let output = first.json()["usage"]["output_tokens"].as_u64().unwrap_or(0);
    assert_eq!(remaining(&first, "input-tokens"), 10_000 - input);
    assert_eq!(remaining(&first, "output-tokens"), 1_000 - output);
    let reset = first
        .header("anthropic-ratelimit-requests-reset")
        .unwrap_or("");
    assert!(reset.ends_with('Z') && reset.len() == 27, "{reset}");

    let second = post(&server, "/v1/messages", &say("one two three")).await;
    assert_eq!(remaining(&second, "requests"), 1);
    // Not enforced: past the limit still answers, showing 0 left.
    post(&server, "/v1/messages", &say("x")).await;
    let past = post(&server, "/v1/messages", &say("x")).await;
    assert_eq!(past.status, 200);
    assert_eq!(remaining(&past, "requests"), 0);
}

#[tokio::test]
async fn a_new_window_resets_the_counts() {
    // However slow the machine, a later window is a new one.
    let limits = RateLimits::per_window(3, 10_000, 1_000).window(Duration::from_millis(50));
    let server = MockServer::builder().rate_limits(limits).start().await;
    let first = post(&server, "/v1/messages", &say("x")).await;
    assert_eq!(remaining(&first, "requests"), 2);
    tokio::time::sleep(Duration::from_millis(120)).await;
    let fresh = post(&server, "/v1/messages", &say("x")).await;
    assert_eq!(remaining(&fresh, "requests"), 2, "a new window");
    assert_ne!(
        first.header("anthropic-ratelimit-requests-reset"),
        fresh.header("anthropic-ratelimit-requests-reset")
    );
}

#[tokio::test]
async fn enforced_limits_answer_429_with_retry_after() {
    let limits = RateLimits::per_window(2, 10_000, 10_000).enforced();
    let server = MockServer::builder().rate_limits(limits).start().await;
    assert_eq!(post(&server, "/v1/messages", &say("x")).await.status, 200);
    assert_eq!(post(&server, "/v1/messages", &say("x")).await.status, 200);
    let refused = post(&server, "/v1/messages", &say("x")).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.json()["error"]["type"], "rate_limit_error");
    let retry: u64 = refused
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(
        (1..=60).contains(&retry),
        "seconds until the window ends: {retry}"
    );
    assert_eq!(remaining(&refused, "requests"), 0);
    // Other routes are not limited.
    assert_eq!(get(&server, "/v1/models").await.status, 200);

    // The control API changes them at run time, starting a new window.
    let set = post(
        &server,
        "/_mock/rate_limits",
        &json!({"requests": 1, "enforce": true}),
    )
    .await;
    assert_eq!(set.json()["requests"], 1);
    assert_eq!(post(&server, "/v1/messages", &say("x")).await.status, 200);
    assert_eq!(post(&server, "/v1/messages", &say("x")).await.status, 429);
}

#[tokio::test]
async fn event_streams_are_chunked_and_json_has_a_length() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&say_streaming("hello stream")).expect("json");
    let mut socket = send_only(server.address(), "POST", "/v1/messages", &[VERSION], &body).await;
    let raw = String::from_utf8_lossy(&read_all(&mut socket).await).into_owned();
    let head = raw
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    assert!(head.contains("content-type: text/event-stream"), "{head}");

    let json = post(&server, "/v1/messages", &say("hello")).await;
    assert!(json.header("content-length").is_some());
}

#[tokio::test]
async fn models_carry_lifecycle_capabilities_and_limits() {
    let server = MockServer::start().await;
    let list = get(&server, "/v1/models?limit=100").await.json();
    let models = list["data"].as_array().cloned().unwrap_or_default();
    assert!(models.len() >= 8);
    assert_eq!(models[0]["id"], "claude-fable-5-2", "newest first");
    for model in &models {
        assert!(
            ["active", "deprecated", "retired"]
                .contains(&model["lifecycle"].as_str().unwrap_or(""))
        );
        assert!(
            model["max_tokens"].as_u64().is_some_and(|n| n > 0),
            "{model}"
        );
        assert!(
            model["max_input_tokens"].as_u64().is_some_and(|n| n > 0),
            "{model}"
        );
        assert!(model["capabilities"]["thinking"]["types"]["enabled"]["supported"].is_boolean());
    }
    let opus = get(&server, "/v1/models/claude-opus-4-5").await.json();
    assert_eq!(opus["lifecycle"], "deprecated");
    assert_eq!(opus["retires_at"], "2027-01-22T00:00:00Z");
    // Every model constant is served, by the default mock too.
    for known in claude_rs_types::model::Model::catalog()
        .iter()
        .filter(|m| m.is_served())
    {
        let answer = post(
            &server,
            "/v1/messages",
            &json!({"model": known.id, "max_tokens": 5,
                    "messages": [{"role": "user", "content": "x"}]}),
        )
        .await;
        assert_eq!(answer.status, 200, "{}", known.id);
    }
    // A retired model is refused as the API refuses it (404, `model: <id>`),
    // and is no longer listed or retrievable.
    for id in ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929"] {
        let retired = post(
            &server,
            "/v1/messages",
            &json!({"model": id, "max_tokens": 5,
                    "messages": [{"role": "user", "content": "x"}]}),
        )
        .await;
        assert_eq!(retired.status, 404);
        let error = retired.json();
        assert_eq!(error["error"]["type"], "not_found_error");
        assert_eq!(error["error"]["message"], format!("model: {id}"));
        assert_eq!(get(&server, &format!("/v1/models/{id}")).await.status, 404);
        assert!(
            !models
                .iter()
                .any(|m| m["id"].as_str().unwrap_or("").starts_with(id))
        );
    }
}
