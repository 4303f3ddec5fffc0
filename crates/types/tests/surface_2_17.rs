//! What anthropic 2.17.0 added to the Messages family (found by
//! `cargo xtask api check`): each decodes into its typed field and writes
//! back the same JSON.

use claude_rs_types::config::{PrefixMismatchBehavior, ThinkingConfig, ThinkingDisplay};
use claude_rs_types::stream::ContentBlockDelta;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `value` as `T` and checks that it writes back unchanged.
fn round_trip<T: DeserializeOwned + Serialize>(value: Value) -> T {
    let decoded: T =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
    decoded
}

#[test]
fn thinking_block_binding_and_updates_display() {
    let config: ThinkingConfig = round_trip(json!({
        "type": "adaptive", "display": "updates",
        "block_binding": {"prefix_mismatch_behavior": "drop_block"}
    }));
    let ThinkingConfig::Adaptive(adaptive) = config else {
        panic!("{config:?}")
    };
    assert_eq!(adaptive.display, Some(ThinkingDisplay::Updates));
    let binding = adaptive.block_binding.expect("typed");
    assert_eq!(
        binding.prefix_mismatch_behavior,
        Some(PrefixMismatchBehavior::DropBlock)
    );

    let config: ThinkingConfig = round_trip(json!({
        "type": "enabled", "budget_tokens": 2048, "block_binding": {}
    }));
    let ThinkingConfig::Enabled(enabled) = config else {
        panic!("{config:?}")
    };
    assert!(enabled.block_binding.is_some());
    assert_eq!(
        serde_json::to_value(ThinkingConfig::enabled(1024)).unwrap(),
        json!({"type": "enabled", "budget_tokens": 1024})
    );
}

#[test]
fn thinking_delta_estimated_tokens() {
    let delta: ContentBlockDelta = round_trip(json!({
        "type": "thinking_delta", "thinking": "", "estimated_tokens": 64
    }));
    let ContentBlockDelta::Thinking(delta) = delta else {
        panic!("{delta:?}")
    };
    assert_eq!(delta.estimated_tokens, Some(64));
    let _: ContentBlockDelta = round_trip(json!({
        "type": "thinking_delta", "thinking": "x", "estimated_tokens": null
    }));
}

#[test]
fn system_turns_among_the_messages() {
    use claude_rs_types::content::MessageContent;
    use claude_rs_types::request::{ClearAt, MessageParam};
    use claude_rs_types::{common::Role, config::Effort};

    let turn: MessageParam = round_trip(json!({
        "role": "system", "content": "Answer in French.", "clear_at": "next_user_message"
    }));
    assert_eq!(turn.role, Role::System);
    assert_eq!(turn.clear_at, Some(ClearAt::NextUserMessage));
    assert_eq!(
        turn.content,
        Some(MessageContent::Text("Answer in French.".into()))
    );

    let only_effort: MessageParam =
        round_trip(json!({"role": "system", "output_config": {"effort": "low"}}));
    assert_eq!(only_effort.content, None);
    assert_eq!(
        only_effort.output_config.and_then(|c| c.effort),
        Some(Effort::Low)
    );

    assert_eq!(
        serde_json::to_value(MessageParam::system("Be brief.")).unwrap(),
        json!({"role": "system", "content": "Be brief."})
    );
}

#[test]
fn thread_parameter() {
    use claude_rs_types::request::MessageThread;
    use claude_rs_types::request::{CreateMessageRequest, MessageParam};

    let thread: MessageThread =
        round_trip(json!({"type": "continue", "previous_message_id": "msg_1"}));
    assert_eq!(thread, MessageThread::resume("msg_1"));
    let request = CreateMessageRequest::new("claude-opus-5", 16, vec![MessageParam::user("hi")])
        .with_thread(MessageThread::create());
    assert_eq!(
        serde_json::to_value(&request).unwrap()["thread"],
        json!({"type": "create"})
    );
    let decoded: CreateMessageRequest =
        serde_json::from_value(serde_json::to_value(&request).unwrap()).unwrap();
    assert_eq!(decoded.thread, Some(MessageThread::create()));
}

#[test]
fn mcp_allowed_tools() {
    use claude_rs_types::config::McpServer;

    let server: McpServer = round_trip(json!({
        "type": "url", "url": "https://mcp.example", "name": "db",
        "tool_configuration": {"allowed_tools": ["query"], "enabled": true}
    }));
    let config = server.tool_configuration.expect("typed");
    assert_eq!(config.allowed_tools, Some(vec!["query".to_owned()]));
    assert_eq!(config.enabled, Some(true));
}

#[test]
fn smaller_additions_are_typed() {
    use claude_rs_types::content::ContentBlock;
    use claude_rs_types::files::FileMetadata;
    use claude_rs_types::message::Container;
    use claude_rs_types::request::CountTokensResponse;

    let file: FileMetadata = round_trip(json!({
        "id": "file_1", "type": "file", "filename": "a.txt", "mime_type": "text/plain", "size_bytes": 3,
        "created_at": "2026-12-01T00:00:00Z", "scope": {"type": "session", "id": "sesn_1"}
    }));
    assert_eq!(file.scope.expect("typed").id, "sesn_1");

    let count: CountTokensResponse = round_trip(json!({
        "input_tokens": 10, "context_management": {"original_input_tokens": 25}
    }));
    assert_eq!(
        count
            .context_management
            .expect("typed")
            .original_input_tokens,
        25
    );

    let container: Container = round_trip(json!({
        "id": "cntr_1", "expires_at": "2026-12-01T00:00:00Z",
        "skills": [{"type": "anthropic", "skill_id": "xlsx", "version": "latest"}]
    }));
    assert_eq!(container.skills.expect("typed")[0].skill_id, "xlsx");

    let block: ContentBlock = round_trip(json!({
        "type": "compaction", "content": "Summary.", "cache_control": {"type": "ephemeral"}
    }));
    let ContentBlock::Compaction(block) = block else {
        panic!("{block:?}")
    };
    assert!(block.cache_control.is_some());

    let document: ContentBlock = round_trip(json!({
        "type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "A."}]}
    }));
    assert!(matches!(document, ContentBlock::Document(_)));
}
