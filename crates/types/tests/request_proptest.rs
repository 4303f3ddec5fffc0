//! Property tests: any request built from the typed model encodes to JSON
//! that decodes back to the same request, and the encoding is stable.

use claude_rs_types::common::{CacheControl, CacheTtl, Metadata};
use claude_rs_types::config::ThinkingConfig;
use claude_rs_types::content::{
    ContentBlock, DocumentBlock, ImageBlock, ToolResultBlock, ToolUseBlock,
};
use claude_rs_types::request::{CreateMessageRequest, MessageParam, SystemPrompt};
use claude_rs_types::tool::{Tool, ToolChoice, WebSearchTool};
use proptest::prelude::*;
use serde_json::json;

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, including quotes, escapes and control characters.
    any::<String>()
}

fn block() -> impl Strategy<Value = ContentBlock> {
    prop_oneof![
        text().prop_map(ContentBlock::text),
        (text(), text()).prop_map(|(media, data)| ImageBlock::base64(media, data).into()),
        text().prop_map(|url| ImageBlock::url(url).into()),
        (text(), proptest::option::of(text())).prop_map(|(data, title)| {
            let mut doc = DocumentBlock::text(data).with_citations();
            doc.title = title;
            doc.into()
        }),
        (text(), text(), any::<i64>()).prop_map(|(id, name, n)| {
            ToolUseBlock::new(id, name, json!({"n": n, "nested": [true, null]})).into()
        }),
        (text(), text(), any::<bool>()).prop_map(|(id, body, failed)| {
            if failed {
                ToolResultBlock::error(id, body).into()
            } else {
                ToolResultBlock::text(id, body).into()
            }
        }),
    ]
}

fn message() -> impl Strategy<Value = MessageParam> {
    prop_oneof![
        text().prop_map(MessageParam::user),
        proptest::collection::vec(block(), 0..4).prop_map(MessageParam::user),
        proptest::collection::vec(block(), 0..4).prop_map(MessageParam::assistant),
    ]
}

fn request() -> impl Strategy<Value = CreateMessageRequest> {
    (
        text(),
        any::<u32>(),
        proptest::collection::vec(message(), 1..5),
        proptest::option::of(text()),
        proptest::option::of(0u8..=4),
        proptest::option::of(proptest::collection::vec(text(), 0..3)),
        proptest::option::of(1024u32..100_000),
        any::<bool>(),
        proptest::option::of(text()),
    )
        .prop_map(
            |(model, max_tokens, messages, system, temp, stops, budget, tools, user)| {
                let mut request = CreateMessageRequest::new(model, max_tokens, messages);
                request.system = system.map(SystemPrompt::from);
                // Quarter steps are exact in binary, so the float round trip is exact.
                request.temperature = temp.map(|t| f64::from(t) / 4.0);
                request.stop_sequences = stops;
                request.thinking = budget.map(ThinkingConfig::enabled);
                request.metadata = user.map(Metadata::user);
                if tools {
                    request.tools = Some(vec![
                        Tool::custom(
                            "get_weather",
                            "Weather",
                            json!({"type": "object", "properties": {}}),
                        ),
                        WebSearchTool::default().into(),
                    ]);
                    request.tool_choice = Some(ToolChoice::tool("get_weather"));
                    request.cache_control =
                        Some(CacheControl::ephemeral().with_ttl(CacheTtl::OneHour));
                }
                request
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn create_message_request_round_trips(request in request()) {
        let encoded = serde_json::to_string(&request).unwrap();
        let decoded: CreateMessageRequest = serde_json::from_str(&encoded).unwrap();
        prop_assert_eq!(&decoded, &request);
        prop_assert_eq!(serde_json::to_string(&decoded).unwrap(), encoded);
    }

    #[test]
    fn unset_options_are_not_sent(model in text(), max_tokens in any::<u32>()) {
        let request = CreateMessageRequest::new(model, max_tokens, vec![MessageParam::user("hi")]);
        let value = serde_json::to_value(&request).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        prop_assert_eq!(keys.len(), 3, "{:?}", keys);
    }
}
