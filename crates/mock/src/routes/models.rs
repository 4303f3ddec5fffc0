//! The Models API: a fixed list of models, or the one given to the builder.

use claude_types::models::ModelInfo;
use serde_json::json;

use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::routes::{not_found, paginate, typed_json};
use crate::state::State;

/// The models listed by default, newest first as the API lists them.
pub(crate) fn default_models() -> Vec<ModelInfo> {
    [
        (
            "claude-opus-4-5-20251101",
            "Claude Opus 4.5",
            "2025-11-24T00:00:00Z",
        ),
        (
            "claude-haiku-4-5-20251001",
            "Claude Haiku 4.5",
            "2025-10-15T00:00:00Z",
        ),
        (
            "claude-sonnet-4-5-20250929",
            "Claude Sonnet 4.5",
            "2025-09-29T00:00:00Z",
        ),
        (
            "claude-opus-4-1-20250805",
            "Claude Opus 4.1",
            "2025-08-05T00:00:00Z",
        ),
        (
            "claude-opus-4-20250514",
            "Claude Opus 4",
            "2025-05-22T00:00:00Z",
        ),
        (
            "claude-sonnet-4-20250514",
            "Claude Sonnet 4",
            "2025-05-22T00:00:00Z",
        ),
        (
            "claude-3-5-haiku-20241022",
            "Claude Haiku 3.5",
            "2024-10-22T00:00:00Z",
        ),
    ]
    .into_iter()
    .filter_map(|(id, name, created)| {
        serde_json::from_value(json!({
            "type": "model", "id": id, "display_name": name, "created_at": created,
        }))
        .ok()
    })
    .collect()
}

/// `GET /v1/models`.
pub(crate) fn list(state: &State, request: &RecordedRequest) -> MockResponse {
    let items = state
        .config
        .models
        .iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    paginate(items, request)
}

/// `GET /v1/models/{id}`; an alias (the id without its date) finds its
/// snapshot, as in the API.
pub(crate) fn get(state: &State, id: &str) -> MockResponse {
    let found = state
        .config
        .models
        .iter()
        .find(|m| m.id == id)
        .or_else(|| state.config.models.iter().find(|m| alias_of(&m.id) == id));
    match found {
        Some(model) => typed_json(model),
        None => not_found(format!("model: {id}")),
    }
}

/// A model id without its `-YYYYMMDD` snapshot suffix.
fn alias_of(id: &str) -> &str {
    match id.rsplit_once('-') {
        Some((alias, date)) if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) => alias,
        _ => id,
    }
}
