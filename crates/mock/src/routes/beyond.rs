//! A minimal stand-in for `GET /v1/organizations/me` (the Admin API), so
//! that programs calling it through the client's generic verbs run on the
//! mock: a fixed organization.

use serde_json::json;

use crate::response::MockResponse;

/// `GET /v1/organizations/me`: the organization of the key (the mock does
/// not tell admin keys from others).
pub(crate) fn organization() -> MockResponse {
    MockResponse::json(json!({
        "id": "00000000-0000-4000-8000-000000000001",
        "type": "organization",
        "name": "claude-rs mock organization",
    }))
}
