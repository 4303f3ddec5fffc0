//! Record and replay: the mock as a recording proxy to an upstream (here
//! another mock, standing in for the API), then replaying the cassettes
//! byte for byte, with credentials never written.

#![cfg(feature = "record")]

mod common;

use std::path::PathBuf;

use claude_rs_mock::{MockResponse, MockServer};
use common::{Raw, request, say, say_streaming};
use serde_json::json;

const SECRET: &str = "sk-ant-api03-SECRET-never-on-disk";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("claude-rs-mock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

async fn send(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Raw {
    let headers = [
        ("anthropic-version", "2023-06-01"),
        ("x-api-key", SECRET),
        ("authorization", "Bearer also-secret"),
        ("content-type", "application/json"),
    ];
    let body = body
        .map(|b| serde_json::to_vec(b).expect("json"))
        .unwrap_or_default();
    request(server, method, path, &headers, &body).await
}

#[tokio::test]
async fn record_then_replay_byte_for_byte() {
    let dir = temp_dir("cassettes");
    let upstream = MockServer::start().await;
    upstream.enqueue(MockResponse::text("recorded answer"));
    let recorder = MockServer::builder()
        .record(upstream.base_url(), &dir)
        .start()
        .await;

    let exchanges = [
        ("POST", "/v1/messages", Some(say("first"))),
        (
            "POST",
            "/v1/messages",
            Some(say_streaming("streamed words here")),
        ),
        ("GET", "/v1/models?limit=2", None),
        (
            "POST",
            "/v1/messages",
            Some(json!({"model": "claude-nope", "max_tokens": 5,
            "messages": [{"role": "user", "content": "x"}]})),
        ),
    ];
    let mut recorded = Vec::new();
    for (method, path, body) in &exchanges {
        recorded.push(send(&recorder, method, path, body.as_ref()).await);
    }
    assert_eq!(recorded[0].json()["content"][0]["text"], "recorded answer");
    assert_eq!(
        recorded[1].header("content-type"),
        Some("text/event-stream")
    );
    assert_eq!(recorded[3].status, 404);
    // The upstream saw the client's credentials: they are passed through.
    assert_eq!(upstream.requests()[0].header("x-api-key"), Some(SECRET));

    // Readable files, and no credential in any of them.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "0001-post-v1-messages.json",
            "0002-post-v1-messages.json",
            "0002-post-v1-messages.sse",
            "0003-get-v1-models.json",
            "0004-post-v1-messages.json",
        ]
    );
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).expect("read");
        assert!(
            !text.contains("SECRET") && !text.contains("also-secret"),
            "{name}: {text}"
        );
    }
    let first: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(&names[0])).expect("read"))
            .expect("json");
    assert_eq!(first["request"]["headers"]["x-api-key"], "[redacted]");
    assert_eq!(first["request"]["body"]["messages"][0]["content"], "first");
    let sse = std::fs::read(dir.join(&names[2])).expect("sse");
    assert_eq!(sse, recorded[1].body, "the .sse file is the body as sent");

    // Replay: the same bodies, statuses and request ids, byte for byte.
    let replay = MockServer::builder().replay(&dir).start().await;
    for ((method, path, body), before) in exchanges.iter().zip(&recorded) {
        let again = send(&replay, method, path, body.as_ref()).await;
        assert_eq!(again.status, before.status, "{method} {path}");
        assert_eq!(again.body, before.body, "{method} {path}");
        assert_eq!(again.header("request-id"), before.header("request-id"));
        assert_eq!(again.header("content-type"), before.header("content-type"));
        // Recorded headers are replayed, not replaced by the mock's own.
        let reset = "anthropic-ratelimit-requests-reset";
        assert_eq!(again.header(reset), before.header(reset), "{method} {path}");
    }
    // With the recorded pauses kept, the bytes are still the same.
    let timed = MockServer::builder()
        .replay(&dir)
        .replay_timing(true)
        .start()
        .await;
    let (method, path, body) = &exchanges[1];
    let again = send(&timed, method, path, body.as_ref()).await;
    assert!(again.complete);
    assert_eq!(again.body, recorded[1].body);

    // JSON key order does not matter for matching.
    let reordered = br#"{"messages":[{"content":"first","role":"user"}],"max_tokens":1024,"model":"claude-haiku-4-5"}"#;
    let headers = [
        ("anthropic-version", "2023-06-01"),
        ("content-type", "application/json"),
    ];
    let again = request(&replay, "POST", "/v1/messages", &headers, reordered).await;
    assert_eq!(again.body, recorded[0].body);

    // A miss names the closest cassette and what differs.
    let miss = send(
        &replay,
        "POST",
        "/v1/messages",
        Some(&say("something else")),
    )
    .await;
    assert_eq!(miss.status, 404);
    let message = miss.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains(
            "the closest is 0001-post-v1-messages (the body differs at messages.0.content)"
        ),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_broken_cassette_is_reported_by_name() {
    let dir = temp_dir("broken");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("0001-post-v1-messages.json"), "{not json").expect("write");
    let err = MockServer::builder().replay(&dir).try_start().await.err();
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("0001-post-v1-messages.json") && message.contains("not JSON"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
