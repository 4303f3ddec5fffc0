//! Tests of the content attributes.

use super::*;
use serde_json::json;

#[test]
fn the_official_example_serializes_byte_for_byte() {
    let body = json!({"model": "m", "max_tokens": 64, "system": "be brief",
        "messages": [{"role": "user", "content": "hi"}]});
    let output = json!([{"type": "text", "text": "Hello.", "citations": null}]);
    let attrs = message_content(&body, Some(&output), 750_000);
    assert_eq!(
        attrs.system_instructions.as_deref(),
        Some(r#"[{"type":"text","content":"be brief"}]"#)
    );
    assert_eq!(
        attrs.input_messages.as_deref(),
        Some(r#"[{"role":"user","parts":[{"type":"text","content":"hi"}]}]"#)
    );
    assert_eq!(
        attrs.output_messages.as_deref(),
        Some(r#"[{"role":"assistant","parts":[{"type":"text","content":"Hello."}]}]"#)
    );
    assert_eq!(attrs.stop_sequences, None);
    assert!(!attrs.truncated);
}

#[test]
fn blocks_become_parts_without_secret_or_binary_data() {
    let body = json!({"messages": [{"role": "assistant", "content": [
        {"type": "thinking", "thinking": "hmm", "signature": "sig"},
        {"type": "redacted_thinking", "data": "opaque"},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
    ]}, {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": [
            {"type": "text", "text": "18 °C"},
            {"type": "image", "source": {"type": "base64", "data": "AAAA"}},
        ]},
        {"type": "image", "source": {"type": "base64", "data": "AAAA"}},
    ]}]});
    let attrs = message_content(&body, None, 750_000);
    assert_eq!(
        attrs.input_messages.as_deref(),
        Some(concat!(
            r#"[{"role":"assistant","parts":[{"type":"reasoning","content":"hmm"},"#,
            r#"{"type":"anthropic_redacted_thinking"},"#,
            r#"{"type":"tool_call","id":"toolu_1","name":"get_weather","arguments":{"city":"Paris"}}]},"#,
            r#"{"role":"user","parts":[{"type":"tool_call_response","id":"toolu_1","response":"#,
            r#"[{"text":"18 °C","type":"text"},{"type":"image"}]},{"type":"anthropic_image"}]}]"#
        ))
    );
    assert_eq!(attrs.system_instructions, None);
    assert_eq!(attrs.output_messages, None);
    let secret =
        json!({"type": "x", "encrypted_content": "E", "inner": [{"encrypted_index": 1, "a": 2}]});
    assert_eq!(
        without_data(&secret),
        json!({"type": "x", "inner": [{"a": 2}]})
    );
}

#[test]
fn truncation_drops_oldest_parts_and_cuts_the_last_text() {
    let body = json!({"system": "be brief", "stop_sequences": ["STOP"],
        "messages": [{"role": "user", "content": "a long question about everything"}]});
    let output = json!([{"type": "text", "text": "Héllo there, this is the answer."}]);
    let full = message_content(&body, Some(&output), 750_000);
    assert!(!full.truncated);
    let size = |a: &ContentAttributes| {
        [
            &a.system_instructions,
            &a.input_messages,
            &a.output_messages,
        ]
        .iter()
        .map(|v| v.as_ref().map_or(0, String::len))
        .sum::<usize>()
            + 4
    };
    // Room for the skeletons and part of the output only.
    let limit = size(&full) - 70;
    let cut = message_content(&body, Some(&output), limit);
    assert!(cut.truncated);
    assert!(size(&cut) <= limit, "{} > {limit}", size(&cut));
    assert_eq!(cut.system_instructions.as_deref(), Some("[]"));
    assert_eq!(
        cut.input_messages.as_deref(),
        Some(r#"[{"role":"user","parts":[]}]"#)
    );
    let output = cut.output_messages.unwrap();
    assert!(output.starts_with(r#"[{"role":"assistant","parts":[{"type":"text","content":"Héllo"#));
    assert_eq!(cut.stop_sequences.as_deref(), Some(r#"["STOP"]"#));
    // Stop sequences over the limit by themselves go first.
    let tiny = message_content(&body, None, 3);
    assert!(tiny.truncated && tiny.stop_sequences.is_none());
}

#[test]
fn text_is_cut_on_a_character_boundary() {
    assert_eq!(cut_text("héllo", 2), "h");
    assert_eq!(cut_text("héllo", 3), "hé");
    assert_eq!(cut_text("a\"b", 2), "a");
    assert_eq!(cut_text("a\"b", 3), "a\"");
}
