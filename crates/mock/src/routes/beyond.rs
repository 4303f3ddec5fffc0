//! Minimal stand-ins for two calls outside the Messages family, so that
//! programs calling them through the client's generic verbs run on the
//! mock: `GET /v1/agents` (Managed Agents) answers an empty list, since the
//! mock keeps no agents yet, and `GET /v1/organizations/me` (the Admin
//! API) a fixed organization. Nothing else of those families is served.

use claude_rs_types::error::ErrorType;
use serde_json::json;

use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};

/// The beta the Managed Agents endpoints need.
const MANAGED_AGENTS_BETA: &str = "managed-agents-2026-04-01";

/// `GET /v1/agents`: an empty page in the API's cursor style. Without the
/// Managed Agents beta the call is refused (the API's wording is not on
/// record; the mock's names the missing beta).
pub(crate) fn list_agents(request: &RecordedRequest) -> MockResponse {
    let has_beta = request
        .headers
        .get_all("anthropic-beta")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|beta| beta.trim() == MANAGED_AGENTS_BETA);
    if !has_beta {
        return error(
            ErrorType::InvalidRequest,
            format!("anthropic-beta: {MANAGED_AGENTS_BETA} is required for /v1/agents"),
        );
    }
    MockResponse::json(json!({"data": [], "next_page": null}))
}

/// `GET /v1/organizations/me`: the organization of the key (the mock does
/// not tell admin keys from others).
pub(crate) fn organization() -> MockResponse {
    MockResponse::json(json!({
        "id": "00000000-0000-4000-8000-000000000001",
        "type": "organization",
        "name": "claude-rs mock organization",
    }))
}
