//! The API grows without notice: unknown union members, enum strings and
//! fields must survive a round trip, while malformed *known* members must
//! fail with an error that says where.

use claude_rs_types::batch::{BatchResult, ProcessingStatus};
use claude_rs_types::citation::Citation;
use claude_rs_types::common::{CacheControlType, CacheTtl, Role};
use claude_rs_types::config::{BillTo, SkillKind};
use claude_rs_types::config::{Effort, OutputFormat, ThinkingConfig, ThinkingDisplay};
use claude_rs_types::content::OversizedImage;
use claude_rs_types::content::{AdvisorToolResultContent, BrowserStateChange};
use claude_rs_types::content::{
    BashCodeExecutionToolResultContent, Caller, CodeExecutionToolResultContent, ContentBlock,
    DocumentSource, ImageSource, ServerToolErrorCode, TextEditorCodeExecutionToolResultContent,
    ToolSearchToolResultContent, WebFetchToolResultContent, WebSearchResult,
    WebSearchToolResultError,
};
use claude_rs_types::content::{FallbackTrigger, RefusalCategory, ToolChange, ToolChangeTool};
use claude_rs_types::context_management::{
    AppliedEdit, BindingMismatch, CacheMissReason, InputTransformation,
};
use claude_rs_types::context_management::{ContextEdit, ThresholdUnit};
use claude_rs_types::error::ErrorType;
use claude_rs_types::error_code::ErrorCode;
use claude_rs_types::fallback::FallbackCreditMode;
use claude_rs_types::message::{Message, StopReason};
use claude_rs_types::models::{ModelLifecycle, ModelLine};
use claude_rs_types::request::ServiceTier;
use claude_rs_types::stream::{ContentBlockDelta, MessageStreamEvent};
use claude_rs_types::tool::{Tool, ToolChoice};
use claude_rs_types::usage::UsageServiceTier;
use claude_rs_types::usage::{FallbackCreditReason, FallbackCreditStatus, IterationUsage, Speed};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn unknown_object() -> Value {
    json!({"type": "added_in_2031", "payload": {"nested": [1, 2, {"x": null}]}, "flag": true})
}

/// Decodes the unknown object as `T`, checks `is_unknown` and the round trip.
fn check_union<T: DeserializeOwned + Serialize>(name: &str, is_unknown: fn(&T) -> bool) {
    let value = unknown_object();
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{name}: unknown member rejected: {e}"));
    assert!(
        is_unknown(&decoded),
        "{name}: unknown member not kept as Unknown"
    );
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        value,
        "{name}: changed on the way back"
    );
}

macro_rules! unions {
    ($($ty:ty),* $(,)?) => {{
        $( check_union::<$ty>(stringify!($ty), |v| v.is_unknown()); )*
    }};
}

#[test]
fn every_tagged_union_keeps_unknown_members() {
    unions!(
        Citation,
        ContentBlock,
        ImageSource,
        DocumentSource,
        Caller,
        WebSearchToolResultError,
        WebSearchResult,
        WebFetchToolResultContent,
        CodeExecutionToolResultContent,
        BashCodeExecutionToolResultContent,
        TextEditorCodeExecutionToolResultContent,
        ToolSearchToolResultContent,
        ThinkingConfig,
        OutputFormat,
        ToolChoice,
        MessageStreamEvent,
        ContentBlockDelta,
        BatchResult,
        ToolChange,
        ToolChangeTool,
        FallbackTrigger,
        AppliedEdit,
        InputTransformation,
        CacheMissReason,
        IterationUsage,
        FallbackCreditStatus,
        AdvisorToolResultContent,
        BrowserStateChange,
        ContextEdit,
    );
    check_union::<Tool>("Tool", |tool| matches!(tool, Tool::Unknown(_)));
}

fn check_string_enum<T: DeserializeOwned + Serialize + std::fmt::Display>(
    name: &str,
    known: &str,
    is_unknown: fn(&T) -> bool,
) {
    let decoded: T = serde_json::from_value(json!("value_from_the_future")).unwrap();
    assert!(is_unknown(&decoded), "{name}: unknown string not kept");
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!("value_from_the_future")
    );
    let known_value: T = serde_json::from_value(json!(known)).unwrap();
    assert!(
        !is_unknown(&known_value),
        "{name}: known value {known} not recognised"
    );
    assert_eq!(known_value.to_string(), known);
}

macro_rules! string_enums {
    ($($ty:ty => $known:literal),* $(,)?) => {{
        $( check_string_enum::<$ty>(stringify!($ty), $known, |v| v.is_unknown()); )*
    }};
}

#[test]
fn every_string_enum_keeps_unknown_strings() {
    string_enums!(
        Role => "assistant",
        CacheControlType => "ephemeral",
        CacheTtl => "1h",
        StopReason => "model_context_window_exceeded",
        UsageServiceTier => "batch",
        ServiceTier => "standard_only",
        ServerToolErrorCode => "max_uses_exceeded",
        ThinkingDisplay => "omitted",
        Effort => "xhigh",
        ErrorType => "overloaded_error",
        ProcessingStatus => "canceling",
        RefusalCategory => "reasoning_extraction",
        BindingMismatch => "end_user_binding_mismatch",
        FallbackCreditReason => "wrong_workspace",
        Speed => "fast",
        OversizedImage => "downsize",
        ModelLifecycle => "deprecated",
        ModelLine => "mythos",
        ErrorCode => "compaction_signature_invalid",
        SkillKind => "custom",
        BillTo => "self",
        ThresholdUnit => "thinking_turns",
        FallbackCreditMode => "best_effort",
    );
}

#[test]
fn known_objects_keep_unknown_fields() {
    let message = json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x",
        "content": [
            {"type": "text", "text": "hi", "added_field": {"a": 1}},
            {"type": "tool_use", "id": "t", "name": "n", "input": {}, "caller": {"type": "direct", "new": 1}}
        ],
        "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 1, "output_tokens": 2, "brand_new_counter": 7},
        "top_level_addition": [1, 2, 3]
    });
    let decoded: Message = serde_json::from_value(message.clone()).unwrap();
    assert_eq!(decoded.extra["top_level_addition"], json!([1, 2, 3]));
    assert_eq!(decoded.usage.extra["brand_new_counter"], json!(7));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), message);
    // And the next turn's assistant message carries them too.
    let param = serde_json::to_value(decoded.to_param()).unwrap();
    assert_eq!(param["content"], message["content"]);
}

#[test]
fn typed_value_wins_over_a_received_null() {
    let mut decoded: Message = serde_json::from_value(json!({
        "id": "m", "type": "message", "role": "assistant", "model": "x", "content": [],
        "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 0, "output_tokens": 0}
    }))
    .unwrap();
    decoded.stop_reason = Some(StopReason::EndTurn);
    let again = serde_json::to_value(&decoded).unwrap();
    assert_eq!(again["stop_reason"], "end_turn");
    assert_eq!(again["stop_sequence"], Value::Null);
    let text = serde_json::to_string(&decoded).unwrap();
    assert_eq!(
        text.matches("stop_reason").count(),
        1,
        "duplicate key in {text}"
    );
}

#[test]
fn new_dated_tool_versions_need_no_release() {
    let tool: Tool = serde_json::from_value(json!({
        "type": "web_search_20991231", "name": "web_search", "max_uses": 3, "new_option": "x"
    }))
    .unwrap();
    match &tool {
        Tool::WebSearch(search) => {
            assert_eq!(search.kind, "web_search_20991231");
            assert_eq!(search.max_uses, Some(3));
        }
        other => panic!("not recognised as web search: {other:?}"),
    }
    assert_eq!(serde_json::to_value(&tool).unwrap()["new_option"], "x");

    let custom: Tool =
        serde_json::from_value(json!({"name": "f", "input_schema": {"type": "object"}})).unwrap();
    assert!(matches!(custom, Tool::Custom(_)));
    assert!(serde_json::to_value(&custom).unwrap().get("type").is_none());
}

fn decode_error<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    serde_json::from_value::<T>(value)
        .expect_err("must fail")
        .to_string()
}

#[test]
fn malformed_known_members_fail_with_a_path() {
    let err = decode_error::<ContentBlock>(json!({"type": "tool_use", "id": "x", "name": "n"}));
    assert!(
        err.contains("tool_use") && err.contains("missing field \"input\""),
        "{err}"
    );

    let err = decode_error::<Message>(json!({
        "id": "m", "type": "message", "role": "assistant", "model": "x",
        "content": [{"type": "text", "text": "ok"}, {"type": "text", "text": 5}],
        "usage": {"input_tokens": 0, "output_tokens": 0}
    }));
    assert!(
        err.contains("field \"content\"")
            && err.contains("\"text\"")
            && err.contains("invalid type"),
        "{err}"
    );

    let err = decode_error::<MessageStreamEvent>(json!({
        "type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}
    }));
    assert!(
        err.contains("content_block_delta")
            && err.contains("field \"delta\"")
            && err.contains("text_delta")
            && err.contains("\"text\""),
        "{err}"
    );

    let err = decode_error::<ContentBlock>(json!({"text": "no type"}));
    assert!(err.contains("missing field \"type\""), "{err}");

    let err = decode_error::<ContentBlock>(json!("just a string"));
    assert!(err.contains("expected a JSON object"), "{err}");

    let err = decode_error::<Tool>(json!({"type": "bash_20250124"}));
    assert!(
        err.contains("bash_20250124") && err.contains("name"),
        "{err}"
    );
}

#[cfg(feature = "schemars")]
#[test]
fn tool_input_schema_from_a_rust_type() {
    /// Weather lookup input.
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct GetWeather {
        /// City and country.
        location: String,
        /// Days ahead.
        days: Option<u8>,
    }
    let tool = claude_rs_types::tool::CustomTool::for_input::<GetWeather>("get_weather")
        .expect("a plain struct has an inline schema");
    let schema = &tool.input_schema;
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["properties"]["location"]["description"],
        "City and country."
    );
    assert_eq!(schema["required"], json!(["location"]));
    assert!(schema.get("$schema").is_none() && schema.get("title").is_none());
}

#[test]
fn tag_position_does_not_matter() {
    // The API writes "type" first (the fast path); any other order is
    // buffered and must decode to the same value.
    let first = r#"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"hi","x":null}}"#;
    let later = r#"{"index":2,"delta":{"x":null,"text":"hi","type":"text_delta"},"type":"content_block_delta"}"#;
    let a: MessageStreamEvent = serde_json::from_str(first).unwrap();
    let b: MessageStreamEvent = serde_json::from_str(later).unwrap();
    assert_eq!(a, b);
    assert!(matches!(a, MessageStreamEvent::ContentBlockDelta(_)));
    let unknown_later: ContentBlock =
        serde_json::from_str(r#"{"a":1,"type":"new_block"}"#).unwrap();
    assert_eq!(
        serde_json::to_value(&unknown_later).unwrap(),
        json!({"a": 1, "type": "new_block"})
    );
}

#[test]
fn escaped_keys_and_tags_decode_like_plain_ones() {
    // Escapes force owned keys instead of borrowed ones.
    let escaped = r#"{"\u0074ype":"text","t\u0065xt":"caf\u00e9"}"#;
    let block: ContentBlock = serde_json::from_str(escaped).unwrap();
    assert_eq!(block.as_text(), Some("café"));
    let from_reader: ContentBlock = serde_json::from_reader(escaped.as_bytes()).unwrap();
    assert_eq!(from_reader, block);
}
