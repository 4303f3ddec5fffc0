//! The 2.14.0 beta surface: each new block, field and tool decodes into its
//! type and writes back the same JSON.

use claude_rs_types::config::{BillTo, ContainerParam, SkillKind, ThinkingConfig};
use claude_rs_types::content::MessageContent;
use claude_rs_types::content::OversizedImage;
use claude_rs_types::content::{AdvisorToolResultContent, BrowserStateChange};
use claude_rs_types::content::{Caller, ServerToolErrorCode, ToolResultContent};
use claude_rs_types::content::{FallbackTrigger, RefusalCategory, ToolChange, ToolChangeTool};
use claude_rs_types::context_management::{AppliedEdit, CacheMissReason, InputTransformation};
use claude_rs_types::context_management::{ContextEdit, ThinkingKeep, ThresholdUnit};
use claude_rs_types::error::{ErrorResponse, ErrorType};
use claude_rs_types::error_code::ErrorCode;
use claude_rs_types::fallback::{FallbackCreditMode, FallbackCreditToken, Fallbacks};
use claude_rs_types::message::{Message, StopReason};
use claude_rs_types::models::{ModelInfo, ModelLifecycle, ModelLine};
use claude_rs_types::request::{CountTokensRequest, MessageParam};
use claude_rs_types::stream::{ContentBlockDelta, MessageStreamEvent};
use claude_rs_types::tool::Tool;
use claude_rs_types::usage::{FallbackCreditReason, FallbackCreditStatus, IterationUsage, Speed};
use claude_rs_types::{
    content::ContentBlock, model::Model, request::CreateMessageRequest, usage::Usage,
};
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
fn compaction_block_with_tool_changes() {
    let block: ContentBlock = round_trip(json!({
        "type": "compaction", "content": "Summary.", "encrypted_content": "Ep0", "signature": "sig",
        "tool_changes": [
            {"type": "tool_addition", "tool": {"type": "tool_reference", "name": "get_weather"}},
            {"type": "tool_removal", "tool": {"type": "mcp_toolset_reference", "server_name": "db"}},
            {"type": "tool_addition", "tool": {"type": "tool_definition",
                "definition": {"name": "f", "input_schema": {"type": "object"}}}},
        ],
    }));
    let ContentBlock::Compaction(block) = block else {
        panic!()
    };
    let changes = block.tool_changes.unwrap();
    assert!(
        matches!(&changes[0], ToolChange::Addition(a) if matches!(&a.tool, ToolChangeTool::ToolReference(t) if t.name == "get_weather"))
    );
    assert!(
        matches!(&changes[1], ToolChange::Removal(r) if matches!(&r.tool, ToolChangeTool::McpToolsetReference(_)))
    );

    // A failed compaction: `null` content, written back as `null`.
    let failed: ContentBlock =
        round_trip(json!({"type": "compaction", "content": null, "encrypted_content": null}));
    assert!(matches!(failed, ContentBlock::Compaction(ref b) if b.content.is_none()));
}

#[test]
fn fallback_block_and_refusal_stop_details() {
    let message: Message = round_trip(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [{"type": "fallback", "from": {"model": "claude-opus-4-7"}, "to": {"model": "claude-sonnet-4-5"},
                     "trigger": {"type": "refusal", "category": "cyber"}}],
        "stop_reason": "refusal", "stop_sequence": null,
        "stop_details": {"type": "refusal", "category": "frontier_llm", "explanation": null,
                         "fallback_credit_token": "fct_1", "fallback_has_prefill_claim": true,
                         "recommended_model": "claude-sonnet-4-5"},
        "usage": {"input_tokens": 3, "output_tokens": 0},
    }));
    let ContentBlock::Fallback(fallback) = &message.content[0] else {
        panic!()
    };
    assert_eq!(fallback.to.model.as_str(), "claude-sonnet-4-5");
    let FallbackTrigger::Refusal(trigger) = &fallback.trigger else {
        panic!()
    };
    assert_eq!(trigger.category, Some(RefusalCategory::Cyber));
    let details = message.stop_details.unwrap();
    assert_eq!(details.category, Some(RefusalCategory::FrontierLlm));
    assert_eq!(details.fallback_credit_token.as_deref(), Some("fct_1"));
    assert_eq!(details.fallback_has_prefill_claim, Some(true));
    assert_eq!(
        details.recommended_model.unwrap().as_str(),
        "claude-sonnet-4-5"
    );
}

#[test]
fn compaction_stop_reason_and_delta() {
    let reason: StopReason = serde_json::from_value(json!("compaction")).unwrap();
    assert_eq!(reason, StopReason::Compaction);
    let event: MessageStreamEvent = round_trip(json!({
        "type": "content_block_delta", "index": 0,
        "delta": {"type": "compaction_delta", "content": "S", "encrypted_content": "E"},
    }));
    let MessageStreamEvent::ContentBlockDelta(delta) = event else {
        panic!()
    };
    let ContentBlockDelta::Compaction(delta) = delta.delta else {
        panic!()
    };
    assert_eq!(
        (delta.content.as_deref(), delta.encrypted_content.as_deref()),
        (Some("S"), Some("E"))
    );
}

#[test]
fn usage_speed_iterations_and_fallback_credit() {
    let usage: Usage = round_trip(json!({
        "input_tokens": 10, "output_tokens": 5, "speed": "fast",
        "iterations": [
            {"type": "message", "input_tokens": 10, "output_tokens": 2, "cache_creation_input_tokens": 0,
             "cache_read_input_tokens": 0, "model": "claude-opus-4-7"},
            {"type": "compaction", "input_tokens": 900, "output_tokens": 40, "cache_creation_input_tokens": 0,
             "cache_read_input_tokens": 0, "cache_creation": {"ephemeral_5m_input_tokens": 0}},
            {"type": "advisor_message", "input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 0,
             "cache_read_input_tokens": 0, "model": "claude-opus-5"},
        ],
        "fallback_credit": {"status": {"type": "not_applied", "reason": "body_mismatch", "remove_to_redeem": ["temperature"]}},
    }));
    assert_eq!(usage.speed, Some(Speed::Fast));
    let iterations = usage.iterations.unwrap();
    assert!(
        matches!(&iterations[1], IterationUsage::Compaction(c) if c.input_tokens == 900 && c.model.is_none())
    );
    assert!(matches!(&iterations[2], IterationUsage::AdvisorMessage(_)));
    let FallbackCreditStatus::NotApplied(status) = usage.fallback_credit.unwrap().status else {
        panic!()
    };
    assert_eq!(status.reason, FallbackCreditReason::BodyMismatch);
    assert_eq!(status.remove_to_redeem.unwrap(), ["temperature"]);

    // A malformed known entry is an error naming it.
    let error = serde_json::from_value::<Usage>(json!({
        "input_tokens": 1, "output_tokens": 1, "iterations": [{"type": "message", "input_tokens": 1}],
    }))
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("iterations") && error.contains("message"),
        "{error}"
    );
}

#[test]
fn message_context_management_diagnostics_and_input_transformations() {
    let message: Message = round_trip(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x", "content": [],
        "stop_reason": "end_turn", "stop_sequence": null,
        "context_management": {"applied_edits": [
            {"type": "clear_tool_uses_20250919", "cleared_input_tokens": 1500, "cleared_tool_uses": 2},
            {"type": "clear_thinking_20251015", "cleared_input_tokens": 10, "cleared_thinking_turns": 1},
        ]},
        "diagnostics": {"cache_miss_reason": {"type": "messages_changed", "cache_missed_input_tokens": 77}},
        "input_transformations": [
            {"type": "thinking_dropped", "path": "messages.2.content.0", "reason": "prefix_binding_mismatch"},
            {"type": "thinking_mismatch_allowed", "path": "messages.4.content.1", "reason": "model_binding_mismatch"},
        ],
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }));
    let edits = message.context_management.unwrap().applied_edits;
    assert!(matches!(&edits[0], AppliedEdit::ClearToolUses20250919(e) if e.cleared_tool_uses == 2));
    let reason = message.diagnostics.unwrap().cache_miss_reason.unwrap();
    assert!(
        matches!(reason, CacheMissReason::MessagesChanged(m) if m.cache_missed_input_tokens == 77)
    );
    let transformations = message.input_transformations.unwrap();
    assert!(
        matches!(&transformations[1], InputTransformation::ThinkingMismatchAllowed(t) if t.path == "messages.4.content.1")
    );
}

#[test]
fn toolsets_advisor_and_a_type_that_only_starts_like_a_family() {
    let computer: Tool = round_trip(json!({
        "type": "computer_toolset_20260801",
        "configs": {"zoom": {"enabled": false}, "screenshot": {"defer_loading": true}},
        "cache_control": {"type": "ephemeral"},
    }));
    let Tool::ComputerToolset(computer) = computer else {
        panic!("{computer:?}")
    };
    assert_eq!(computer.configs.unwrap()["zoom"].enabled, Some(false));
    assert!(matches!(
        round_trip::<Tool>(json!({"type": "browser_toolset_20260801"})),
        Tool::BrowserToolset(_)
    ));
    let mcp: Tool = round_trip(json!({
        "type": "mcp_toolset", "mcp_server_name": "db",
        "default_config": {"enabled": false}, "configs": {"query": {"enabled": true}},
        "tools": [{"name": "query", "input_schema": {"type": "object"}}],
    }));
    assert!(matches!(mcp, Tool::McpToolset(ref t) if t.mcp_server_name == "db"));
    assert_eq!(mcp.name(), None);
    let advisor: Tool = round_trip(
        json!({"type": "advisor_20260301", "name": "advisor", "model": "claude-opus-5", "max_uses": 2}),
    );
    assert_eq!(advisor.name(), Some("advisor"));

    // Future versions route by family only when the rest is a date.
    assert!(matches!(
        round_trip::<Tool>(json!({"type": "computer_toolset_20270101"})),
        Tool::ComputerToolset(_)
    ));
    assert!(matches!(
        round_trip::<Tool>(
            json!({"type": "computer_20270101", "name": "computer", "display_width_px": 1, "display_height_px": 1})
        ),
        Tool::Computer(_)
    ));
    for kind in [
        "computer_use_preview",
        "computer_fleet_20270101",
        "bash_sandboxed_20270101",
        "web_search_",
    ] {
        let tool: Tool = round_trip(json!({"type": kind}));
        assert!(matches!(tool, Tool::Unknown(_)), "{kind}: {tool:?}");
    }
    assert!(matches!(
        round_trip::<Tool>(
            json!({"type": "tool_search_tool_regex_20251119", "name": "tool_search_tool_regex"})
        ),
        Tool::ToolSearch(_)
    ));
    // input_examples on the client tools.
    let bash: Tool = round_trip(
        json!({"type": "bash_20250124", "name": "bash", "input_examples": [{"command": "ls"}]}),
    );
    assert!(matches!(bash, Tool::Bash(ref b) if b.input_examples.as_ref().unwrap().len() == 1));
}

#[test]
fn set_field_and_contains_field_by_wire_name() {
    let mut message = Message::empty("msg_1", "claude-x");
    assert!(message.contains_field("type") && !message.contains_field("stop_reason"));
    message
        .set_field("stop_reason", json!("compaction"))
        .unwrap();
    assert_eq!(message.stop_reason, Some(StopReason::Compaction));
    message.set_field("stop_reason", Value::Null).unwrap();
    assert_eq!(message.stop_reason, None);
    assert!(message.contains_field("stop_reason"), "the null is kept");
    message.set_field("brand_new", json!([1])).unwrap();
    assert_eq!(
        serde_json::to_value(&message).unwrap()["brand_new"],
        json!([1])
    );
    // A value that does not fit leaves the message as it was.
    assert!(message.set_field("usage", json!("lots")).is_err());
    assert_eq!(message.usage, Usage::default());
}

#[test]
fn server_tool_callers_and_toolset_names() {
    let block: ContentBlock = round_trip(json!({
        "type": "tool_use", "id": "toolu_1", "name": "navigate", "input": {"url": "https://example.com"},
        "caller": {"type": "code_execution_20260120", "tool_id": "srvtoolu_1"}, "toolset_name": "browser",
    }));
    let tool_use = block.as_tool_use().unwrap();
    assert!(
        matches!(&tool_use.caller, Some(Caller::CodeExecution20260120(c)) if c.tool_id == "srvtoolu_1")
    );
    assert_eq!(tool_use.toolset_name.as_deref(), Some("browser"));
    let older: Caller =
        round_trip(json!({"type": "code_execution_20250825", "tool_id": "srvtoolu_2"}));
    assert!(matches!(older, Caller::CodeExecution20250825(_)));
    let result: ContentBlock = round_trip(json!({
        "type": "tool_result", "tool_use_id": "toolu_1", "content": "ok", "toolset_name": "browser",
    }));
    assert!(
        matches!(result, ContentBlock::ToolResult(ref r) if r.toolset_name.as_deref() == Some("browser"))
    );
}

#[test]
fn model_info_capabilities_lifecycle_line_and_fallbacks() {
    let info: ModelInfo = round_trip(json!({
        "type": "model", "id": "claude-opus-4-7", "display_name": "Claude Opus 4.7",
        "created_at": "2026-04-01T00:00:00Z", "lifecycle": "active", "line": "opus",
        "allowed_fallback_models": ["claude-sonnet-4-5"],
        "capabilities": {
            "batch": {"supported": true},
            "thinking": {"supported": true, "types": {"adaptive": {"supported": true}}},
            "effort": {"supported": true, "max": {"supported": false}},
            "teleport": {"supported": false},
        },
    }));
    assert_eq!(info.lifecycle, Some(ModelLifecycle::Active));
    assert_eq!(info.line, Some(ModelLine::Opus));
    assert_eq!(info.allowed_fallback_models.unwrap(), ["claude-sonnet-4-5"]);
    let capabilities = info.capabilities.unwrap();
    assert!(capabilities.batch.unwrap().supported);
    assert_eq!(
        capabilities.effort.unwrap().extra["max"]["supported"],
        false
    );
    assert!(capabilities.extra.contains_key("teleport"));
    let retired: ModelLifecycle = serde_json::from_value(json!("retired")).unwrap();
    assert_eq!(retired, ModelLifecycle::Retired);
}

#[test]
fn new_error_types_and_typed_details() {
    let body: ErrorResponse = round_trip(json!({
        "type": "error", "request_id": "req_1",
        "error": {"type": "memory_path_conflict_error", "message": "exists",
                  "details": {"error_code": "compaction_signature_invalid", "block_index": 3}},
    }));
    assert_eq!(body.error.kind, ErrorType::MemoryPathConflict);
    let details = body.error.details.unwrap();
    assert_eq!(
        details.error_code,
        Some(ErrorCode::CompactionSignatureInvalid)
    );
    assert_eq!(details.extra["block_index"], 3);
    for (wire, kind) in [
        ("conflict_error", ErrorType::Conflict),
        (
            "memory_precondition_failed_error",
            ErrorType::MemoryPreconditionFailed,
        ),
    ] {
        assert_eq!(ErrorType::from(wire), kind);
    }
}

#[test]
fn every_model_of_the_2_14_0_list_has_a_constant() {
    // The ids of `anthropic/types/model.py` in the 2.14.0 wheel.
    let ids = [
        "claude-fable-5-2",
        "claude-mythos-5-2",
        "claude-haiku-5-5",
        "claude-sonnet-5-5",
        "claude-fable-5-1",
        "claude-opus-5-5",
        "claude-mythos-5-1",
        "claude-sonnet-5",
        "claude-fable-5",
        "claude-mythos-5",
        "claude-opus-5",
        "claude-opus-4-8",
        "claude-opus-4-7",
        "claude-mythos-preview",
        "claude-opus-4-6",
        "claude-sonnet-4-6",
        "claude-haiku-4-5",
        "claude-haiku-4-5-20251001",
        "claude-opus-4-5",
        "claude-opus-4-5-20251101",
    ];
    let constants = [
        Model::CLAUDE_FABLE_5_2,
        Model::CLAUDE_MYTHOS_5_2,
        Model::CLAUDE_HAIKU_5_5,
        Model::CLAUDE_SONNET_5_5,
        Model::CLAUDE_FABLE_5_1,
        Model::CLAUDE_OPUS_5_5,
        Model::CLAUDE_MYTHOS_5_1,
        Model::CLAUDE_SONNET_5,
        Model::CLAUDE_FABLE_5,
        Model::CLAUDE_MYTHOS_5,
        Model::CLAUDE_OPUS_5,
        Model::CLAUDE_OPUS_4_8,
        Model::CLAUDE_OPUS_4_7,
        Model::CLAUDE_MYTHOS_PREVIEW,
        Model::CLAUDE_OPUS_4_6,
        Model::CLAUDE_SONNET_4_6,
        Model::CLAUDE_HAIKU_4_5,
        Model::CLAUDE_HAIKU_4_5_20251001,
        Model::CLAUDE_OPUS_4_5,
        Model::CLAUDE_OPUS_4_5_20251101,
    ];
    let names: Vec<&str> = constants.iter().map(Model::as_str).collect();
    assert_eq!(names, ids);
}

#[test]
fn request_params_of_the_beta_surface() {
    let request: CreateMessageRequest = round_trip(json!({
        "model": "claude-opus-4-7", "max_tokens": 1024,
        "messages": [{"role": "user", "content": "Hi"}],
        "thinking": {"type": "between_tools"},
        "container": {"id": "container_1", "skills": [{"skill_id": "pptx", "type": "anthropic", "version": "latest"}]},
        "context_management": {"edits": [
            {"type": "clear_tool_uses_20250919", "trigger": {"type": "input_tokens", "value": 30000},
             "keep": {"type": "tool_uses", "value": 3}, "clear_at_least": {"type": "input_tokens", "value": 5000},
             "clear_tool_inputs": ["bash"], "exclude_tools": ["memory"]},
            {"type": "clear_thinking_20251015", "keep": "all"},
            {"type": "clear_thinking_20251015", "keep": {"type": "thinking_turns", "value": 2}},
            {"type": "compact_20260112", "trigger": {"type": "input_tokens", "value": 150000},
             "instructions": "Keep the numbers.", "pause_after_compaction": true},
        ]},
        "output_config": {"effort": "high", "task_budget": {"type": "tokens", "total": 100000, "remaining": 40000}},
        "speed": "fast", "inference_geo": "us",
        "diagnostics": {"previous_message_id": "msg_0"},
        "fallbacks": [{"model": "claude-sonnet-4-5", "max_tokens": 2048, "speed": "standard",
                       "thinking": {"type": "adaptive"}}],
        "fallback_credit_token": {"token": "fct_1", "mode": "best_effort"},
        "billing_policy": {"type": "billing_policy", "bill_to": "user_profile"},
        "compaction": {"type": "summarize", "instructions": "Short."},
    }));
    assert!(matches!(
        request.thinking,
        Some(ThinkingConfig::BetweenTools(_))
    ));
    let ContainerParam::Object(container) = request.container.as_ref().unwrap() else {
        panic!()
    };
    assert_eq!(
        container.skills.as_ref().unwrap()[0].kind,
        SkillKind::Anthropic
    );
    let edits = request
        .context_management
        .as_ref()
        .unwrap()
        .edits
        .as_ref()
        .unwrap();
    let ContextEdit::ClearToolUses20250919(clear) = &edits[0] else {
        panic!()
    };
    assert_eq!(
        clear.trigger.as_ref().unwrap().unit,
        ThresholdUnit::InputTokens
    );
    assert!(
        matches!(&edits[1], ContextEdit::ClearThinking20251015(e) if e.keep == Some(ThinkingKeep::All))
    );
    assert!(
        matches!(&edits[3], ContextEdit::Compact20260112(e) if e.pause_after_compaction == Some(true))
    );
    let budget = request
        .output_config
        .as_ref()
        .unwrap()
        .task_budget
        .as_ref()
        .unwrap();
    assert_eq!((budget.total, budget.remaining), (100000, Some(40000)));
    assert_eq!(request.speed, Some(Speed::Fast));
    assert!(
        matches!(&request.fallbacks, Some(Fallbacks::Models(m)) if m[0].max_tokens == Some(2048))
    );
    assert!(
        matches!(&request.fallback_credit_token, Some(FallbackCreditToken::WithMode(t)) if t.mode == Some(FallbackCreditMode::BestEffort))
    );
    assert_eq!(
        request.billing_policy.as_ref().unwrap().bill_to,
        Some(BillTo::UserProfile)
    );

    // The other forms of the union-ish fields.
    let short: CreateMessageRequest = round_trip(json!({
        "model": "m", "max_tokens": 1, "messages": [],
        "fallbacks": "default", "fallback_credit_token": "fct_2", "container": "container_2",
    }));
    assert_eq!(short.fallbacks, Some(Fallbacks::Default));
    assert_eq!(
        short.fallback_credit_token,
        Some(FallbackCreditToken::Token("fct_2".into()))
    );

    // count_tokens takes what it supports, and the fields no version models.
    let mut with_extra = request.clone();
    with_extra
        .extra
        .insert("thread".into(), json!({"id": "th_1"}));
    let count = CountTokensRequest::from(&with_extra);
    assert_eq!(count.speed, Some(Speed::Fast));
    assert!(count.billing_policy.is_some() && count.compaction.is_some());
    assert_eq!(count.extra["thread"], json!({"id": "th_1"}));
    let count = serde_json::to_value(&count).unwrap();
    assert!(count.get("fallbacks").is_none() && count.get("max_tokens").is_none());
}

#[test]
fn advisor_listing_reference_browser_state_and_tool_changes_blocks() {
    let message: Message = round_trip(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x",
        "content": [
            {"type": "server_tool_use", "id": "srvtoolu_1", "name": "advisor", "input": {}},
            {"type": "advisor_tool_result", "tool_use_id": "srvtoolu_1",
             "content": {"type": "advisor_result", "text": "Check the units.", "stop_reason": "end_turn"}},
            {"type": "advisor_tool_result", "tool_use_id": "srvtoolu_2",
             "content": {"type": "advisor_tool_result_error", "error_code": "prompt_too_long"}},
            {"type": "mcp_tool_listing", "mcp_server_name": "db",
             "tools": [{"name": "query", "input_schema": {"type": "object"}, "description": "SQL"}]},
        ],
        "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }));
    let ContentBlock::AdvisorToolResult(advice) = &message.content[1] else {
        panic!()
    };
    assert!(
        matches!(&advice.content, AdvisorToolResultContent::Result(r) if r.text == "Check the units.")
    );
    let ContentBlock::AdvisorToolResult(failed) = &message.content[2] else {
        panic!()
    };
    assert!(
        matches!(&failed.content, AdvisorToolResultContent::Error(e) if e.error_code == ServerToolErrorCode::PromptTooLong)
    );
    assert!(
        matches!(&message.content[3], ContentBlock::McpToolListing(l) if l.tools[0].name == "query")
    );

    // A request turn: tool changes, and a tool result with a reference and
    // the browser's state.
    let param: MessageParam = round_trip(json!({"role": "user", "content": [
        {"type": "tool_addition", "tool": {"type": "tool_reference", "name": "search"}},
        {"type": "tool_removal", "tool": {"type": "mcp_tool_reference", "name": "drop", "server_name": "db"}},
        {"type": "tool_result", "tool_use_id": "toolu_1", "toolset_name": "browser", "content": [
            {"type": "tool_reference", "tool_name": "search"},
            {"type": "browser_state",
             "tabs": [{"tab_id": "t1", "title": "Docs", "url": "https://docs.rs", "active": true}],
             "state_changes": [{"type": "tab_opened", "tab_id": "t1"},
                               {"type": "download_completed", "download_id": "d1", "url": "https://x/y.pdf",
                                "path": "/tmp/y.pdf", "size_bytes": 1024}]},
        ]},
        {"type": "image", "source": {"type": "url", "url": "https://x/big.png"},
         "transformations": {"oversized_image": "downsize"}},
    ]}));
    let blocks = match &param.content {
        Some(MessageContent::Blocks(blocks)) => blocks,
        other => panic!("{other:?}"),
    };
    assert!(matches!(&blocks[0], ContentBlock::ToolAddition(_)));
    assert!(matches!(&blocks[1], ContentBlock::ToolRemoval(_)));
    let ContentBlock::ToolResult(result) = &blocks[2] else {
        panic!()
    };
    let Some(ToolResultContent::Blocks(inner)) = &result.content else {
        panic!()
    };
    assert!(matches!(&inner[0], ContentBlock::ToolReference(r) if r.tool_name == "search"));
    let ContentBlock::BrowserState(state) = &inner[1] else {
        panic!()
    };
    assert_eq!(state.tabs[0].active, Some(true));
    assert!(
        matches!(&state.state_changes.as_ref().unwrap()[1], BrowserStateChange::DownloadCompleted(d) if d.size_bytes == Some(1024))
    );
    let ContentBlock::Image(image) = &blocks[3] else {
        panic!()
    };
    assert_eq!(
        image.transformations.as_ref().unwrap().oversized_image,
        Some(OversizedImage::Downsize)
    );
}
