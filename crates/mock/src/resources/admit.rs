//! Which requests the store answers, and what it refuses before acting:
//! the first-party `/v1/...` paths and those of Bedrock's control plane
//! (under its base), outside the families written by hand, each only by
//! an endpoint of its own platform; on Bedrock's control plane a call
//! without the Managed Agents beta is refused, as every Managed Agents call
//! there is; with validation, a JSON body lacking a required field.

use serde_json::Value;

use super::description::{self, Api, Endpoint};
use super::invalid;
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::vocab::Platform;

/// Path prefixes whose behaviour is written by hand (Managed Agents'
/// agents, environments and sessions): the store never answers them.
pub(crate) const HAND_WRITTEN: [&str; 3] = ["/v1/agents", "/v1/environments", "/v1/sessions"];

/// The endpoint serving `request` (at `path`, its path without a trailing
/// `/`), or the refusal it gets first; `None` when the store does not
/// answer it.
pub(super) fn endpoint<'a>(
    api: &'a Api,
    validate: bool,
    request: &RecordedRequest,
    path: &str,
) -> Option<Result<&'a Endpoint, MockResponse>> {
    if !serves(request.platform, path) {
        return None;
    }
    let (endpoint, _) = api.find(&request.method, path)?;
    if endpoint.platform != request.platform {
        return None;
    }
    if endpoint.platform == Platform::BedrockControlPlane {
        let resource = description::split(description::unbased(path)).nth(1);
        if let Some(refused) = crate::beta::refusal(request, resource.unwrap_or_default()) {
            return Some(Err(refused));
        }
    }
    if validate && let Some(problem) = body_problem(endpoint, request) {
        return Some(Err(problem));
    }
    Some(Ok(endpoint))
}

/// Whether the store answers requests on `path` (a `/v1/...` path outside
/// [`HAND_WRITTEN`], after the platform's base).
fn serves(platform: Platform, path: &str) -> bool {
    let Some(path) = path.strip_prefix(platform.base_path()) else {
        return false;
    };
    path.starts_with("/v1/")
        && !HAND_WRITTEN.iter().any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// A 400 naming the first required body field missing.
fn body_problem(endpoint: &Endpoint, request: &RecordedRequest) -> Option<MockResponse> {
    if !endpoint.json_body || endpoint.required.is_empty() {
        return None;
    }
    let Some(Value::Object(body)) = &request.json else {
        return Some(invalid("The request body must be a JSON object"));
    };
    let missing = endpoint.required.iter().find(|f| !body.contains_key(*f))?;
    Some(invalid(format!("{missing}: Field required")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_is_served_under_its_own_base_only() {
        assert!(serves(Platform::Anthropic, "/v1/memory_stores"));
        assert!(!serves(Platform::Anthropic, "/anthropic/v1/memory_stores"));
        assert!(serves(
            Platform::BedrockControlPlane,
            "/anthropic/v1/memory_stores"
        ));
        assert!(!serves(Platform::BedrockControlPlane, "/v1/memory_stores"));
        assert!(!serves(
            Platform::BedrockControlPlane,
            "/anthropic/v1/agents/a_1"
        ));
        assert!(!serves(Platform::Anthropic, "/v1/sessions"));
        assert!(serves(Platform::Anthropic, "/v1/sessionsx"));
    }
}
