//! A reply streamed and the same reply non-streamed accumulate to identical
//! JSON: every recorded non-streamed reply, and replies of a newer API
//! (fields, usage fields and top-level fields no version models), are turned
//! into the event stream the API sends for them and accumulated back.

use std::fs;

use serde_json::{Map, Value, json};

use super::{accumulate_datas, files};

/// Top-level fields that the API sends in `message_delta`, not `message_start`.
const DELTA_TOP_LEVEL: [&str; 1] = ["context_management"];

/// The events of `message` (a non-streamed reply) as the API streams it.
/// Fields named in `late` (top-level fields no version models) are left out
/// of `message_start` and sent in the final `message_delta`: those starting
/// with `delta.` in its `delta`, the others at its top level; every usage
/// field but `input_tokens` comes in the delta's `usage` only.
fn stream_of(message: &Value, late: &[&str]) -> Vec<String> {
    let mut start = message.as_object().unwrap().clone();
    let content = start.remove("content").unwrap();
    start.insert("content".into(), json!([]));
    let mut delta = Map::new();
    for key in ["stop_reason", "stop_sequence", "stop_details", "container"] {
        if let Some(value) = start.remove(key) {
            delta.insert(key.into(), value);
        }
    }
    start.insert("stop_reason".into(), Value::Null);
    start.insert("stop_sequence".into(), Value::Null);
    let mut top = Map::new();
    for key in DELTA_TOP_LEVEL.iter().chain(late) {
        let (target, name) = match key.strip_prefix("delta.") {
            Some(name) => (&mut delta, name),
            None => (&mut top, *key),
        };
        if let Some(value) = start.remove(name) {
            target.insert(name.into(), value);
        }
    }
    let usage = start.remove("usage").unwrap();
    start.insert(
        "usage".into(),
        json!({"input_tokens": usage["input_tokens"], "output_tokens": 1}),
    );

    let mut events = vec![json!({"type": "message_start", "message": start})];
    for (index, block) in content.as_array().unwrap().iter().enumerate() {
        let (initial, deltas) = split(block);
        events
            .push(json!({"type": "content_block_start", "index": index, "content_block": initial}));
        for delta in deltas {
            events.push(json!({"type": "content_block_delta", "index": index, "delta": delta}));
        }
        events.push(json!({"type": "content_block_stop", "index": index}));
    }
    let mut message_delta = json!({"type": "message_delta", "delta": delta, "usage": usage});
    message_delta.as_object_mut().unwrap().extend(top);
    events.push(message_delta);
    events.push(json!({"type": "message_stop"}));
    events.iter().map(Value::to_string).collect()
}

/// A block's start state and the deltas that complete it.
fn split(block: &Value) -> (Value, Vec<Value>) {
    let mut initial = block.clone();
    let halves = |text: &str| {
        let cut = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        [text[..cut].to_owned(), text[cut..].to_owned()]
    };
    match block["type"].as_str().unwrap() {
        "text" => {
            initial["text"] = json!("");
            let citations = block.get("citations").and_then(Value::as_array);
            if citations.is_some() {
                initial["citations"] = json!([]);
            }
            let mut deltas: Vec<Value> = citations
                .into_iter()
                .flatten()
                .map(|c| json!({"type": "citations_delta", "citation": c}))
                .collect();
            for half in halves(block["text"].as_str().unwrap()) {
                deltas.push(json!({"type": "text_delta", "text": half}));
            }
            (initial, deltas)
        }
        "thinking" => {
            initial["thinking"] = json!("");
            initial["signature"] = json!("");
            let mut deltas: Vec<Value> = halves(block["thinking"].as_str().unwrap())
                .into_iter()
                .map(|half| json!({"type": "thinking_delta", "thinking": half}))
                .collect();
            deltas.push(json!({"type": "signature_delta", "signature": block["signature"]}));
            (initial, deltas)
        }
        "tool_use" | "server_tool_use" | "mcp_tool_use" => {
            initial["input"] = json!({});
            let input = block["input"].to_string();
            let deltas = halves(&input)
                .into_iter()
                .map(|half| json!({"type": "input_json_delta", "partial_json": half}))
                .collect();
            (initial, deltas)
        }
        "compaction" => {
            initial["content"] = Value::Null;
            initial["encrypted_content"] = Value::Null;
            let delta = json!({
                "type": "compaction_delta",
                "content": block["content"],
                "encrypted_content": block["encrypted_content"],
            });
            (initial, vec![delta])
        }
        _ => (initial, Vec::new()),
    }
}

fn round_trip(message: &Value, late: &[&str]) -> Value {
    let accumulator = accumulate_datas(&stream_of(message, late)).unwrap();
    assert!(accumulator.unapplied_deltas().is_empty());
    serde_json::to_value(accumulator.into_message().unwrap()).unwrap()
}

#[test]
fn every_recorded_reply_streams_back_to_itself() {
    let mut checked = 0;
    for path in files("recorded", "json") {
        let name = path.file_name().unwrap().to_str().unwrap();
        if !name.starts_with("msg_") {
            continue;
        }
        let message: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(round_trip(&message, &[]), message, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 11);
}

/// A reply of a newer API: today's beta fields, and fields, usage fields and
/// a block type that no version of this crate knows.
fn newer_reply() -> Value {
    json!({
        "id": "msg_01Newer", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [
            {"type": "compaction", "content": "The user asked about tides.", "encrypted_content": "Ep0x"},
            {"type": "fallback", "from": {"model": "claude-opus-4-7"}, "to": {"model": "claude-sonnet-4-5"},
             "trigger": {"type": "refusal", "category": null}},
            {"type": "thinking", "thinking": "Moon, then sun.", "signature": "sig=="},
            {"type": "text", "text": "Tides follow the moon.", "tone": "calm"},
            {"type": "hologram", "frames": [1, 2, 3]},
            {"type": "tool_use", "id": "toolu_1", "name": "chart", "input": {"days": [1, 2]},
             "caller": {"type": "code_execution_20260120", "tool_id": "srvtoolu_1"}},
        ],
        "stop_reason": "tool_use", "stop_sequence": null, "stop_details": null,
        "container": {"id": "container_1", "expires_at": "2026-12-01T00:00:00Z"},
        "context_management": {"applied_edits": [
            {"type": "clear_thinking_20251015", "cleared_input_tokens": 900, "cleared_thinking_turns": 2}
        ]},
        "input_transformations": [],
        "diagnostics": {"cache_miss_reason": {"type": "tools_changed", "cache_missed_input_tokens": 40}},
        "verdict": {"kind": "ok"},
        "trace_id": "tr_1",
        "usage": {
            "input_tokens": 40, "output_tokens": 90,
            "cache_creation_input_tokens": 0, "cache_read_input_tokens": 12,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
            "service_tier": "standard", "speed": "fast", "inference_geo": "us",
            "iterations": [
                {"type": "compaction", "input_tokens": 5000, "output_tokens": 300,
                 "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
                {"type": "fallback_message", "model": "claude-sonnet-4-5", "input_tokens": 40,
                 "output_tokens": 90, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 12},
            ],
            "fallback_credit": {"status": {"type": "not_applied", "reason": "expired"}},
            "future_tokens": 7,
            "future_breakdown": {"a": 1},
        },
    })
}

#[test]
fn a_newer_apis_reply_streams_back_to_itself() {
    let message = newer_reply();
    // Unknown fields sent in the delta, at its top level, and at both.
    for late in [
        &["delta.verdict", "trace_id"][..],
        &[
            "verdict",
            "delta.trace_id",
            "input_transformations",
            "diagnostics",
        ][..],
        &[][..],
    ] {
        assert_eq!(round_trip(&message, late), message, "late fields {late:?}");
    }
}

#[test]
fn a_null_never_erases_and_is_never_lost() {
    let message = newer_reply();
    let mut datas = stream_of(&message, &["verdict"]);
    let last_delta = datas.len() - 2;
    let mut delta: Value = serde_json::from_str(&datas[last_delta]).unwrap();
    // A `null` for fields the message has from `message_start` (kept), and
    // for fields it lacks (written).
    delta["usage"]["input_tokens"] = Value::Null;
    delta["delta"]["trace_id"] = Value::Null;
    delta["diagnostics"] = Value::Null;
    delta["delta"]["new_null"] = Value::Null;
    delta["usage"]["new_usage_null"] = Value::Null;
    datas[last_delta] = delta.to_string();
    let out = serde_json::to_value(accumulate_datas(&datas).unwrap().into_message()).unwrap();
    let mut expected = message;
    expected["new_null"] = Value::Null;
    expected["usage"]["new_usage_null"] = Value::Null;
    assert_eq!(out, expected);
}

#[test]
fn unknown_and_misfit_deltas_are_kept_in_order() {
    let message = newer_reply();
    let mut datas = stream_of(&message, &[]);
    // After the hologram's start (block 4): its own delta type, then a
    // text_delta sent to the tool call (block 5) once that has started.
    let hologram_start = datas
        .iter()
        .position(|d| d.contains("\"hologram\""))
        .unwrap();
    datas.insert(
        hologram_start + 1,
        json!({"type": "content_block_delta", "index": 4,
               "delta": {"type": "hologram_delta", "frames": [4]}})
        .to_string(),
    );
    let tool_start = datas
        .iter()
        .position(|d| d.contains("\"toolu_1\""))
        .unwrap();
    datas.insert(
        tool_start + 1,
        json!({"type": "content_block_delta", "index": 5,
               "delta": {"type": "text_delta", "text": "stray"}})
        .to_string(),
    );
    let accumulator = accumulate_datas(&datas).unwrap();
    let kept: Vec<(usize, &str)> = accumulator
        .unapplied_deltas()
        .iter()
        .map(|d| (d.index, d.delta.type_str()))
        .collect();
    assert_eq!(kept, [(4, "hologram_delta"), (5, "text_delta")]);
    let hologram = serde_json::to_value(&accumulator.unapplied_deltas()[0].delta).unwrap();
    assert_eq!(hologram["frames"], json!([4]));
    // The message itself is the non-streamed one: nothing was folded wrongly.
    let out = serde_json::to_value(accumulator.into_message().unwrap()).unwrap();
    assert_eq!(out, message);
}
