//! The models the mock knows by default: the catalogue of
//! `claude_rs_types::model::Model` (one table, with the `Model` constants), served
//! as the Models API's list and used by the Messages route's limits (an
//! unknown or retired model is a 404, a `max_tokens` above the model's limit
//! a 400).
//!
//! A retired model is refused as the API refuses it: a `404 not_found_error`
//! whose message is `model: <id>`, and it is no longer listed or retrievable.
//! The `capabilities` tree has the API's shape; its values are the mock's
//! approximation (newer models think adaptively, older ones with a manual
//! budget).

use claude_rs_types::model::Model;
use claude_rs_types::model::{KnownLifecycle, KnownModel};
use claude_rs_types::models::ModelInfo;
use serde_json::{Value, json};

fn supported(on: bool) -> Value {
    json!({ "supported": on })
}

fn capabilities(entry: &KnownModel) -> Value {
    let adaptive = entry.adaptive_thinking;
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

/// The default catalogue as the Models API returns it, newest first: the
/// models still served.
pub(crate) fn default_models() -> Vec<ModelInfo> {
    Model::catalog()
        .iter()
        .filter(|entry| entry.is_served())
        .filter_map(|entry| {
            let (lifecycle, retires_at) = match entry.lifecycle {
                KnownLifecycle::Deprecated { end_of_life } => ("deprecated", Some(end_of_life)),
                _ => ("active", None),
            };
            serde_json::from_value(json!({
                "type": "model",
                "id": entry.id,
                "display_name": entry.display_name,
                "created_at": format!("{}T00:00:00Z", entry.released),
                "lifecycle": lifecycle,
                "line": entry.line.as_str(),
                "deprecated_at": None::<String>,
                "retires_at": retires_at.map(|d| format!("{d}T00:00:00Z")),
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
    fn every_served_model_is_listed_and_a_retired_one_is_not() {
        let models = default_models();
        for entry in Model::catalog() {
            let ids = std::iter::once(entry.id).chain(entry.alias);
            for id in ids {
                let found = find(&models, id).map(|m| m.id.as_str());
                match entry.is_served() {
                    true => assert_eq!(found, Some(entry.id), "{id}"),
                    false => assert_eq!(found, None, "{id} is retired"),
                }
            }
        }
        let opus = find(&models, "claude-opus-4-5").map(|m| (m.id.clone(), m.max_tokens));
        assert_eq!(
            opus,
            Some(("claude-opus-4-5-20251101".to_owned(), Some(64_000)))
        );
        assert!(find(&models, "claude-nonexistent").is_none());
    }
}
