//! The Managed Agents beta: every Managed Agents call names it in
//! `anthropic-beta`, on the hand-written routes and on Bedrock's control
//! plane alike, or is refused with a 400 saying so.

use claude_rs_types::error::ErrorType;

use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};

/// The beta every Managed Agents endpoint needs.
const BETA: &str = "managed-agents-2026-04-01";

/// The 400 for a call on `/v1/{resource}` that does not name the Managed
/// Agents beta; `None` when it does.
pub(crate) fn refusal(request: &RecordedRequest, resource: &str) -> Option<MockResponse> {
    let named = request
        .headers
        .get_all("anthropic-beta")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|beta| beta.trim() == BETA);
    (!named).then(|| {
        error(
            ErrorType::InvalidRequest,
            format!("anthropic-beta: {BETA} is required for /v1/{resource}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Platform;

    fn request(beta: Option<&str>) -> RecordedRequest {
        let mut headers = http::HeaderMap::new();
        if let Some(beta) = beta {
            headers.insert("anthropic-beta", beta.parse().unwrap());
        }
        RecordedRequest {
            method: http::Method::GET,
            path: "/anthropic/v1/memory_stores".to_owned(),
            query: None,
            headers,
            body: bytes::Bytes::new(),
            json: None,
            route: None,
            platform: Platform::BedrockControlPlane,
            route_index: 0,
        }
    }

    #[test]
    fn the_beta_is_found_among_others_or_refused() {
        let named = request(Some("files-api-2025-04-14, managed-agents-2026-04-01"));
        assert!(refusal(&named, "memory_stores").is_none());
        for missing in [None, Some("files-api-2025-04-14")] {
            let refused = refusal(&request(missing), "memory_stores").expect("refused");
            assert_eq!(refused.status, Some(http::StatusCode::BAD_REQUEST));
        }
    }
}
