//! Every recorded stream, fed through the SSE parser and the accumulator,
//! gives the message that an independent JSON-level reference builds from
//! the same events.

use std::fs;
use std::path::Path;

use claude_rs_client::messages::MessageAccumulator;
use claude_rs_types::message::StopReason;
use claude_rs_types::stream::MessageStreamEvent;
use serde_json::{Value, json};

use super::{files, fixture};

fn streams() -> Vec<std::path::PathBuf> {
    files("recorded", "sse")
}

fn events(path: &Path) -> Vec<String> {
    super::sse_datas(&fs::read(path).unwrap())
}

/// A deliberately naive accumulator over raw JSON values.
fn reference(datas: &[String]) -> Option<Value> {
    let mut message: Option<Value> = None;
    let mut json_parts: Vec<(u64, String)> = Vec::new();
    for data in datas {
        let event: Value = serde_json::from_str(data).unwrap();
        match event["type"].as_str().unwrap() {
            "message_start" => message = Some(event["message"].clone()),
            "content_block_start" => {
                message.as_mut()?["content"]
                    .as_array_mut()?
                    .push(event["content_block"].clone());
            }
            "content_block_delta" => {
                let index = event["index"].as_u64()?;
                let block = &mut message.as_mut()?["content"][index as usize];
                let delta = &event["delta"];
                match delta["type"].as_str()? {
                    "text_delta" => {
                        let text =
                            format!("{}{}", block["text"].as_str()?, delta["text"].as_str()?);
                        block["text"] = json!(text);
                    }
                    "thinking_delta" => {
                        let text = format!(
                            "{}{}",
                            block["thinking"].as_str()?,
                            delta["thinking"].as_str()?
                        );
                        block["thinking"] = json!(text);
                    }
                    "signature_delta" => block["signature"] = delta["signature"].clone(),
                    "citations_delta" => {
                        if !block["citations"].is_array() {
                            block["citations"] = json!([]);
                        }
                        block["citations"]
                            .as_array_mut()?
                            .push(delta["citation"].clone());
                    }
                    "input_json_delta" => match json_parts.iter_mut().find(|(i, _)| *i == index) {
                        Some((_, s)) => s.push_str(delta["partial_json"].as_str()?),
                        None => {
                            json_parts.push((index, delta["partial_json"].as_str()?.to_owned()))
                        }
                    },
                    other => panic!("unexpected delta {other}"),
                }
            }
            "content_block_stop" => {
                let index = event["index"].as_u64()?;
                if let Some(pos) = json_parts.iter().position(|(i, _)| *i == index) {
                    let text = json_parts.remove(pos).1;
                    if !text.is_empty() {
                        message.as_mut()?["content"][index as usize]["input"] =
                            serde_json::from_str(&text).unwrap();
                    }
                }
            }
            "message_delta" => {
                let m = message.as_mut()?.as_object_mut()?;
                let delta = event["delta"].as_object()?;
                // The official rule: the stop fields follow the delta, absent
                // ones included (a `null` of `message_start` stays written).
                for key in ["stop_reason", "stop_sequence", "stop_details"] {
                    match delta.get(key) {
                        Some(value) => {
                            m.insert(key.to_owned(), value.clone());
                        }
                        None if m.get(key).is_some_and(|v| !v.is_null()) => {
                            m.remove(key);
                        }
                        None => {}
                    }
                }
                // Everything else by name; a `null` only fills a gap.
                let top = event
                    .as_object()?
                    .iter()
                    .filter(|(key, _)| !["type", "delta", "usage"].contains(&key.as_str()));
                for (key, value) in delta.iter().chain(top) {
                    merge_reference(m, key, value);
                }
                let usage = m.get_mut("usage")?.as_object_mut()?;
                for (key, value) in event["usage"].as_object()? {
                    merge_reference(usage, key, value);
                }
                // A call cut by `max_tokens` keeps the input that arrived.
                if m["stop_reason"] == "max_tokens" {
                    for (index, text) in &json_parts {
                        if let Some(input) = closed_prefix(text) {
                            m["content"][*index as usize]["input"] = input;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    message
}

/// The longest prefix of a JSON text that parses once its open string and
/// containers are closed (a trailing comma dropped).
fn closed_prefix(text: &str) -> Option<Value> {
    (0..=text.len())
        .rev()
        .filter(|end| text.is_char_boundary(*end))
        .find_map(|end| {
            let cut = &text[..end];
            let (mut closers, mut in_string, mut escaped) = (String::new(), false, false);
            for c in cut.chars() {
                match (in_string, escaped, c) {
                    (true, true, _) => escaped = false,
                    (true, false, '\\') => escaped = true,
                    (true, false, '"') => in_string = false,
                    (false, _, '"') => in_string = true,
                    (false, _, '{') => closers.insert(0, '}'),
                    (false, _, '[') => closers.insert(0, ']'),
                    (false, _, '}' | ']') => drop(closers.remove(0)),
                    _ => {}
                }
            }
            let body = if in_string {
                format!("{cut}\"")
            } else {
                cut.trim_end().trim_end_matches(',').to_owned()
            };
            serde_json::from_str(&format!("{body}{closers}")).ok()
        })
}

fn merge_reference(target: &mut serde_json::Map<String, Value>, key: &str, value: &Value) {
    if !value.is_null() || !target.contains_key(key) {
        target.insert(key.to_owned(), value.clone());
    }
}

#[test]
fn every_recorded_stream_accumulates_like_the_reference() {
    let mut checked = 0;
    for path in streams() {
        let datas = events(&path);
        let mut accumulator = MessageAccumulator::new();
        let mut saw_error = false;
        for data in &datas {
            let event: MessageStreamEvent = serde_json::from_str(data).unwrap();
            saw_error |= matches!(event, MessageStreamEvent::Error(_));
            accumulator
                .apply(&event)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let ours = accumulator
            .snapshot()
            .map(|m| serde_json::to_value(m).unwrap());
        let expected = reference(&datas);
        assert_eq!(ours, expected, "{}", path.display());
        if !saw_error {
            assert!(ours.is_some(), "{}: no message", path.display());
            checked += 1;
        }
    }
    // Every stream but the one made of a single error event.
    assert_eq!(checked, streams().len() - 1);
}

fn accumulate(name: &str) -> MessageAccumulator {
    let mut accumulator = MessageAccumulator::new();
    for data in events(&fixture("recorded", name)) {
        accumulator
            .apply(&serde_json::from_str(&data).unwrap())
            .unwrap();
    }
    accumulator
}

#[test]
fn hand_checked_streams() {
    let text = accumulate("sse_text_basic.sse");
    let message = text.snapshot().unwrap();
    assert!(text.is_complete());
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
    assert!(!message.text().is_empty());
    assert!(message.usage.output_tokens > 0);

    let tool = accumulate("sse_tool_use_list_input_21_deltas.sse");
    let block = tool
        .snapshot()
        .unwrap()
        .tool_uses()
        .next()
        .expect("a tool_use block");
    assert!(
        block.input.is_object()
            && block
                .input
                .as_object()
                .unwrap()
                .values()
                .any(Value::is_array),
        "{}",
        block.input
    );

    let thinking = accumulate("sse_thinking_signature.sse");
    match &thinking.snapshot().unwrap().content[0] {
        claude_rs_types::content::ContentBlock::Thinking(block) => {
            assert!(!block.thinking.is_empty());
            assert!(
                block.signature.len() > 20,
                "signature set by signature_delta"
            );
        }
        other => panic!("expected thinking first, got {}", other.type_str()),
    }

    // Cut off by max_tokens inside a tool call: the block never stops, the
    // input stays as started and the partial JSON stays readable.
    let cut = accumulate("sse_max_tokens_partial_tool_json.sse");
    let message = cut.snapshot().unwrap();
    assert_eq!(message.stop_reason, Some(StopReason::MaxTokens));
    let index = message
        .content
        .iter()
        .position(|b| b.as_tool_use().is_some())
        .unwrap();
    let partial = cut.partial_json(index).expect("partial json kept");
    assert!(
        serde_json::from_str::<Value>(partial).is_err(),
        "it is incomplete: {partial}"
    );

    let citations = accumulate("sse_citations_document_char_location.sse");
    let cited = citations
        .snapshot()
        .unwrap()
        .content
        .iter()
        .any(|b| match b {
            claude_rs_types::content::ContentBlock::Text(t) => {
                t.citations.as_ref().is_some_and(|c| !c.is_empty())
            }
            _ => false,
        });
    assert!(cited, "citations_delta appended");
}

#[test]
fn streamed_and_non_streamed_refusals_agree() {
    let streamed = accumulate("sse_refusal_handwritten.sse");
    let streamed = streamed.snapshot().unwrap();
    let body: claude_rs_types::message::Message = serde_json::from_str(
        &fs::read_to_string(fixture("recorded", "msg_refusal_handwritten.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(streamed.stop_reason, body.stop_reason);
    assert_eq!(streamed.stop_reason, Some(StopReason::Refusal));
    assert_eq!(
        streamed.stop_details.as_ref().map(|d| &d.kind),
        body.stop_details.as_ref().map(|d| &d.kind)
    );
}
