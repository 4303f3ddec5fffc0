//! A minimal stand-in for `GET /v1/agents` (Managed Agents), so that
//! programs calling it through the client's generic verbs run on the mock:
//! an empty list, since the mock keeps no agents yet.

use claude_rs_types::ErrorType;
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
