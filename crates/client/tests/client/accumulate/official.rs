//! The official Python SDK's own stream fixtures (`tests/fixtures/official`)
//! accumulate to the message that SDK (2.14.0) builds from them
//! (`expected.json`, made by running its beta accumulator).

use std::fs;

use claude_rs_types::content::ContentBlock;
use claude_rs_types::usage::{FallbackCreditStatus, IterationUsage};
use serde_json::Value;

use super::{accumulate_datas, files, fixture, sse_datas};

fn expected() -> serde_json::Map<String, Value> {
    let text = fs::read_to_string(fixture("official", "expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The value without its `null` members, recursively. The official SDK's
/// snapshot writes `null` for every field its accumulator assigns (a
/// `stop_details` the stream never sent, say), this crate writes what was
/// sent; the two agree on every value.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn ours(name: &str) -> Result<Value, String> {
    let mut body = fs::read(fixture("official", &format!("{name}.sse"))).unwrap();
    // Some end without the blank line that dispatches the last event, which
    // a spec-exact parser then discards (`message_stop`): the API's streams
    // always have it.
    if !body.ends_with(b"\n\n") {
        body.push(b'\n');
    }
    let accumulator = accumulate_datas(&sse_datas(&body))?;
    assert!(accumulator.is_complete(), "{name}: no message_stop");
    assert!(accumulator.unapplied_deltas().is_empty(), "{name}");
    Ok(serde_json::to_value(accumulator.snapshot().unwrap()).unwrap())
}

#[test]
fn every_official_fixture_gives_the_official_final_message() {
    let expected = expected();
    let names: Vec<String> = files("official", "sse")
        .iter()
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), expected.len(), "one expectation per fixture");
    let mut compared = 0;
    for name in &names {
        let official = &expected[name.as_str()];
        match (ours(name), official.get("error")) {
            (Ok(mut message), None) => {
                if name == "extra_fields" {
                    // Beyond the official rule: the event's top-level
                    // `private_field` replaces the message's, which the
                    // official SDK leaves as `message_start` had it.
                    assert_eq!(
                        message["private_field"]["nested"]["values"],
                        serde_json::json!([6])
                    );
                    message["private_field"] = official["private_field"].clone();
                }
                assert_eq!(without_nulls(&message), without_nulls(official), "{name}");
                compared += 1;
            }
            // A `message_start` without `usage`: the official 2.14.0
            // accumulator fails too (on `None.output_tokens`); here it is a
            // typed decoding error that names the missing field.
            (Err(error), Some(_)) => {
                assert!(error.contains("missing field \"usage\""), "{name}: {error}");
            }
            (ours, official) => panic!("{name}: ours {ours:?}, official {official:?}"),
        }
    }
    assert_eq!(compared, 13);
}

#[test]
fn compaction_delta_fills_the_block_that_goes_back() {
    let message = ours("compaction").unwrap();
    let message: claude_rs_types::message::Message = serde_json::from_value(message).unwrap();
    let ContentBlock::Compaction(block) = &message.content[0] else {
        panic!("{:?}", message.content[0]);
    };
    assert_eq!(
        block.content.as_deref(),
        Some("Earlier conversation summarized.")
    );
    assert!(
        block
            .encrypted_content
            .as_deref()
            .unwrap()
            .starts_with("Epw")
    );
    // Sent back as the next turn, the summary goes with it.
    let next = serde_json::to_value(message.to_param()).unwrap();
    assert_eq!(
        next["content"][0]["content"],
        "Earlier conversation summarized."
    );

    // Several deltas: each replaces the last (the official rule).
    let multi = ours("compaction_multi_delta").unwrap();
    assert_eq!(multi["content"][0]["content"], "summarized in full.");
}

#[test]
fn fallback_block_names_the_serving_model() {
    let message = ours("fallback").unwrap();
    assert_eq!(message["model"], "claude-sonnet-4-5");
    assert_eq!(message["content"][0]["from"]["model"], "claude-opus-4-7");
}

#[test]
fn usage_iterations_and_fallback_credit_are_typed() {
    let message: claude_rs_types::message::Message =
        serde_json::from_value(ours("fallback_credit").unwrap()).unwrap();
    let credit = message.usage.fallback_credit.expect("fallback_credit");
    assert!(matches!(credit.status, FallbackCreditStatus::Redeemed(_)));

    // The same message_delta usage, with `iterations`, on a start that has usage.
    let body = fs::read_to_string(fixture(
        "official",
        "beta_usage_omitted_with_optional_fields.sse",
    ))
    .unwrap()
    .replace(
        r#""stop_sequence":null}}"#,
        r#""stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}"#,
    );
    let accumulator = accumulate_datas(&sse_datas(body.as_bytes())).unwrap();
    let usage = &accumulator.snapshot().unwrap().usage;
    let iterations = usage.iterations.as_ref().expect("iterations");
    match &iterations[..] {
        [IterationUsage::Message(iteration)] => {
            assert_eq!(iteration.input_tokens, 12);
            assert_eq!(iteration.model.as_ref().unwrap().as_str(), "claude-test");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(usage.input_tokens, 12);
    assert_eq!(usage.cache_read_input_tokens, Some(3));
}

#[test]
fn input_transformations_follow_the_official_rule() {
    // Replaced by the delta's (even an empty list); kept when the delta has none.
    let replaced = ours("input_transformations_delta").unwrap();
    assert_eq!(
        replaced["input_transformations"][0]["path"],
        "messages.0.content.0"
    );
    let emptied = ours("input_transformations_empty_delta").unwrap();
    assert_eq!(emptied["input_transformations"], serde_json::json!([]));
    let kept = ours("input_transformations_start_only").unwrap();
    assert_eq!(
        kept["input_transformations"][0]["reason"],
        "model_binding_mismatch"
    );
}

#[test]
fn final_delta_clears_start_stop_details() {
    let message = ours("stop_details").unwrap();
    assert_eq!(message["stop_details"], Value::Null);
    assert_eq!(message["stop_reason"], "end_turn");
}
