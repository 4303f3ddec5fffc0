//! The models the mock knows by default: the Models API's list, and the
//! limits the Messages route enforces (an unknown model is a 404, a
//! `max_tokens` above the model's limit a 400).
//!
//! Ids, release dates, context windows and output limits are the ones the
//! model overview pages of the API documentation give; deprecations and
//! retirement dates those of the official SDKs' deprecation table (Opus 4
//! and Sonnet 4, which newer docs call deprecated and the SDKs no longer
//! list, are marked retired). The `capabilities`
//! tree has the API's shape; its values are the mock's approximation (newer
//! models think adaptively, older ones with a manual budget).

use claude_rs_types::models::ModelInfo;
use serde_json::{Value, json};

/// One model of the default catalogue.
struct Entry {
    id: &'static str,
    display_name: &'static str,
    created_at: &'static str,
    lifecycle: &'static str,
    /// When a deprecated model retires (it may be past: retirement overdue).
    retires_at: Option<&'static str>,
    line: &'static str,
    max_input_tokens: u64,
    max_tokens: u64,
    /// Adaptive thinking (`{"type": "adaptive"}`) rather than a manual budget.
    adaptive: bool,
}

/// Newest first, as the API lists them.
#[rustfmt::skip]
const ENTRIES: [Entry; 11] = [
    entry("claude-haiku-5-5", "Claude Haiku 5.5", "2026-10-07", "haiku", 1_000_000, 128_000, true),
    entry("claude-opus-5", "Claude Opus 5", "2026-07-24", "opus", 1_000_000, 128_000, true),
    entry("claude-sonnet-5", "Claude Sonnet 5", "2026-06-30", "sonnet", 1_000_000, 128_000, true),
    entry("claude-opus-4-8", "Claude Opus 4.8", "2026-05-28", "opus", 1_000_000, 128_000, true),
    entry("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17", "sonnet", 1_000_000, 128_000, true),
    entry("claude-opus-4-6", "Claude Opus 4.6", "2026-02-05", "opus", 1_000_000, 128_000, true),
    deprecated(entry("claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24", "opus", 200_000, 64_000, false), "2027-01-22"),
    entry("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15", "haiku", 200_000, 64_000, false),
    deprecated(entry("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29", "sonnet", 200_000, 64_000, false), "2026-11-30"),
    retired(entry("claude-opus-4-20250514", "Claude Opus 4", "2025-05-22", "opus", 200_000, 32_000, false)),
    retired(entry("claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22", "sonnet", 200_000, 64_000, false)),
];

#[allow(clippy::too_many_arguments)] // A table row, read as one.
const fn entry(
    id: &'static str,
    display_name: &'static str,
    created: &'static str,
    line: &'static str,
    max_input_tokens: u64,
    max_tokens: u64,
    adaptive: bool,
) -> Entry {
    Entry {
        id,
        display_name,
        created_at: created,
        lifecycle: "active",
        retires_at: None,
        line,
        max_input_tokens,
        max_tokens,
        adaptive,
    }
}

/// A model headed for retirement on `retires_at`.
const fn deprecated(mut entry: Entry, retires_at: &'static str) -> Entry {
    entry.lifecycle = "deprecated";
    entry.retires_at = Some(retires_at);
    entry
}

/// A model no longer served: listed, but requests naming it fail.
const fn retired(mut entry: Entry) -> Entry {
    entry.lifecycle = "retired";
    entry
}

fn supported(on: bool) -> Value {
    json!({ "supported": on })
}

fn capabilities(entry: &Entry) -> Value {
    let adaptive = entry.adaptive;
    json!({
        "batch": supported(true),
        "citations": supported(true),
        "code_execution": supported(true),
        "context_management": {
            "supported": true,
            "clear_thinking_20251015": supported(true),
            "clear_tool_uses_20250919": supported(true),
            "compact_20260112": supported(adaptive),
        },
        "effort": {
            "supported": adaptive,
            "low": supported(adaptive),
            "medium": supported(adaptive),
            "high": supported(adaptive),
            "max": supported(adaptive),
        },
        "image_input": supported(true),
        "pdf_input": supported(true),
        "server_tools": {
            "supported": true,
            "code_execution": supported(true),
            "web_search": supported(true),
        },
        "structured_outputs": supported(true),
        "thinking": {
            "supported": true,
            "types": {
                "adaptive": supported(adaptive),
                "between_tools": supported(adaptive),
                "disabled": supported(true),
                "enabled": supported(!adaptive),
            },
        },
    })
}

/// The default catalogue as the Models API returns it, newest first.
pub(crate) fn default_models() -> Vec<ModelInfo> {
    ENTRIES
        .iter()
        .filter_map(|entry| {
            serde_json::from_value(json!({
                "type": "model",
                "id": entry.id,
                "display_name": entry.display_name,
                "created_at": format!("{}T00:00:00Z", entry.created_at),
                "lifecycle": entry.lifecycle,
                "line": entry.line,
                "deprecated_at": None::<String>,
                "retires_at": entry.retires_at.map(|d| format!("{d}T00:00:00Z")),
                "max_input_tokens": entry.max_input_tokens,
                "max_tokens": entry.max_tokens,
                "capabilities": capabilities(entry),
            }))
            .ok()
        })
        .collect()
}

/// A model id without its `-YYYYMMDD` snapshot suffix (its alias).
pub(crate) fn alias_of(id: &str) -> &str {
    match id.rsplit_once('-') {
        Some((alias, date)) if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) => alias,
        _ => id,
    }
}

/// Whether a model still serves requests.
pub(crate) fn is_retired(model: &ModelInfo) -> bool {
    model.lifecycle == Some(claude_rs_types::models::ModelLifecycle::Retired)
}

/// The model `id` names, by id or by alias, as the API resolves it.
pub(crate) fn find<'m>(models: &'m [ModelInfo], id: &str) -> Option<&'m ModelInfo> {
    models
        .iter()
        .find(|m| m.id == id)
        .or_else(|| models.iter().find(|m| alias_of(&m.id) == id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_parses_with_its_limits() {
        let models = default_models();
        assert_eq!(models.len(), ENTRIES.len());
        let opus = find(&models, "claude-opus-4-5").map(|m| (m.id.clone(), m.max_tokens));
        assert_eq!(
            opus,
            Some(("claude-opus-4-5-20251101".to_owned(), Some(64_000)))
        );
        assert!(find(&models, "claude-opus-4").is_some());
        assert!(find(&models, "claude-nonexistent").is_none());
    }
}
