//! Every recorded API response in `tests/fixtures/recorded`, and every
//! event of the official SDK's stream fixtures in `tests/fixtures/official`,
//! must decode into the typed model and encode back to the same JSON value,
//! with every block and event recognised (none falling into an `Unknown` arm).

use std::fs;
use std::path::{Path, PathBuf};

use claude_rs_types::batch::{BatchResult, BatchResultLine, MessageBatch};
use claude_rs_types::error::{ErrorResponse, ErrorType};
use claude_rs_types::message::Message;
use claude_rs_types::stream::{ContentBlockDelta, MessageStreamEvent};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixtures() -> PathBuf {
    fixture_dir("recorded")
}

fn fixture_dir(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(dir)
}

fn files(prefix: &str, ext: &str) -> Vec<PathBuf> {
    files_in(&fixtures(), prefix, ext)
}

fn files_in(dir: &Path, prefix: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .expect("fixtures directory")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with(prefix) && name.ends_with(ext)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no {prefix}*{ext} fixtures");
    out
}

/// Decodes `json` as `T`, re-encodes it and checks the value is unchanged.
fn round_trip<T: DeserializeOwned + Serialize>(json: &str, origin: &str) -> T {
    let original: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{origin}: {e}"));
    let typed: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("{origin}: decode: {e}"));
    let again = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{origin}: encode: {e}"));
    assert_eq!(again, original, "{origin}: round trip changed the JSON");
    typed
}

fn assert_known_blocks(message: &Message, origin: &str) {
    for block in &message.content {
        assert!(
            !block.is_unknown(),
            "{origin}: unknown block {}",
            block.type_str()
        );
    }
}

#[test]
fn messages_round_trip() {
    for path in files("msg_", ".json") {
        let origin = path.display().to_string();
        let json = fs::read_to_string(&path).expect("read fixture");
        let message: Message = round_trip(&json, &origin);
        assert_known_blocks(&message, &origin);
        assert!(message.stop_reason.is_some(), "{origin}: stop_reason");
        assert!(!message.stop_reason.as_ref().is_some_and(|r| r.is_unknown()));
        // A reply sent back as the next turn keeps every block.
        let param = serde_json::to_value(message.to_param()).expect("encode param");
        let original: Value = serde_json::from_str(&json).expect("json");
        assert_eq!(
            param["content"], original["content"],
            "{origin}: to_param lost data"
        );
        assert_eq!(param["role"], "assistant");
    }
}

#[test]
fn error_bodies_round_trip() {
    for path in files("err_", ".json") {
        let origin = path.display().to_string();
        let json = fs::read_to_string(&path).expect("read fixture");
        let body: ErrorResponse = round_trip(&json, &origin);
        assert!(
            !body.error.kind.is_unknown(),
            "{origin}: unknown error type {}",
            body.error.kind
        );
        assert!(!body.error.message.is_empty());
        let status: u16 = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.get(4..7))
            .and_then(|s| s.parse().ok())
            .expect("status in name");
        let expected = match status {
            400 => ErrorType::InvalidRequest,
            401 => ErrorType::Authentication,
            404 => ErrorType::NotFound,
            429 => ErrorType::RateLimit,
            529 => ErrorType::Overloaded,
            other => panic!("{origin}: no expectation for status {other}"),
        };
        assert_eq!(body.error.kind, expected, "{origin}");
    }
}

#[test]
fn batch_object_and_results_round_trip() {
    let path = fixtures().join("batch_create_in_progress.json");
    let json = fs::read_to_string(&path).expect("read fixture");
    let batch: MessageBatch = round_trip(&json, "batch_create_in_progress.json");
    assert!(!batch.is_ended());
    assert!(batch.id.starts_with("msgbatch_"));

    let jsonl = fs::read_to_string(fixtures().join("batch_results_succeeded.jsonl")).expect("read");
    let mut lines = 0;
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let result: BatchResultLine = round_trip(line, "batch_results_succeeded.jsonl");
        match result.result {
            BatchResult::Succeeded(ok) => assert_known_blocks(&ok.message, "batch result"),
            other => panic!("expected a succeeded result, got {}", other.type_str()),
        }
        lines += 1;
    }
    assert_eq!(lines, 1);
}

/// The `data:` payloads of an SSE body (every recorded stream is one line per data field).
fn sse_payloads(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(|data| data.strip_prefix(' ').unwrap_or(data).to_owned())
        .collect()
}

#[test]
fn official_fixture_events_round_trip() {
    let mut total = 0;
    for path in files_in(&fixture_dir("official"), "", ".sse") {
        let origin = path.display().to_string();
        let body = fs::read_to_string(&path).expect("read fixture");
        for (n, data) in sse_payloads(&body).iter().enumerate() {
            let where_ = format!("{origin} event {n}");
            if data.contains("\"message_start\"") && !data.contains("\"usage\"") {
                // A `message_start` without `usage` (which the API always
                // sends): a typed error naming the field, not a guess.
                let error = serde_json::from_str::<MessageStreamEvent>(data).unwrap_err();
                assert!(error.to_string().contains("usage"), "{where_}: {error}");
                continue;
            }
            let event: MessageStreamEvent = round_trip(data, &where_);
            let known = match &event {
                MessageStreamEvent::ContentBlockStart(start) => !start.content_block.is_unknown(),
                MessageStreamEvent::ContentBlockDelta(delta) => !delta.delta.is_unknown(),
                other => !other.is_unknown(),
            };
            assert!(known, "{where_}: not recognised: {data}");
            total += 1;
        }
    }
    assert!(total > 100, "only {total} events decoded");
}

#[test]
fn stream_events_round_trip() {
    let mut total = 0;
    for path in files("sse_", ".sse") {
        let origin = path.display().to_string();
        let body = fs::read_to_string(&path).expect("read fixture");
        let payloads = sse_payloads(&body);
        assert!(!payloads.is_empty(), "{origin}: no events");
        for (n, data) in payloads.iter().enumerate() {
            let where_ = format!("{origin} event {n}");
            let event: MessageStreamEvent = round_trip(data, &where_);
            assert!(
                !event.is_unknown(),
                "{where_}: unknown event {}",
                event.type_str()
            );
            match &event {
                MessageStreamEvent::ContentBlockStart(start) => {
                    assert!(
                        !start.content_block.is_unknown(),
                        "{where_}: unknown block {}",
                        start.content_block.type_str()
                    );
                }
                MessageStreamEvent::ContentBlockDelta(delta) => {
                    assert!(!delta.delta.is_unknown(), "{where_}: unknown delta");
                    if let ContentBlockDelta::Text(text) = &delta.delta {
                        assert!(data.contains(&serde_json::to_string(&text.text).unwrap()[1..]));
                    }
                }
                MessageStreamEvent::MessageStart(start) => {
                    assert_eq!(start.message.role.as_str(), "assistant", "{where_}");
                }
                _ => {}
            }
            total += 1;
        }
    }
    assert!(total > 500, "only {total} events decoded");
}

#[test]
fn overloaded_error_event_is_typed() {
    let body = fs::read_to_string(fixtures().join("sse_error_overloaded_frame.sse")).expect("read");
    let payloads = sse_payloads(&body);
    assert_eq!(payloads.len(), 1);
    match serde_json::from_str::<MessageStreamEvent>(&payloads[0]).expect("decode") {
        MessageStreamEvent::Error(error) => assert_eq!(error.error.kind, ErrorType::Overloaded),
        other => panic!("expected an error event, got {}", other.type_str()),
    }
}
