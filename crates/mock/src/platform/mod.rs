//! The cloud platforms' wire shapes of the same API: Amazon Bedrock
//! (InvokeModel and Mantle), Google Vertex AI and Microsoft Foundry.
//!
//! A platform request is resolved to the mock's own [`Route`] and adapted
//! into the first-party request it stands for (the model from the path,
//! the platform's `anthropic_version` taken out of the body), so scripts,
//! handlers, faults, validation and default replies work unchanged on
//! every platform; only authentication and the answer's framing differ.

pub(crate) mod auth;
pub(crate) mod bedrock;
pub(crate) mod eventstream;
pub(crate) mod sigv4;
mod vertex;

use http::{HeaderMap, Method};
use serde_json::Value;

use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::route::Route;
use crate::validate::VERSION_HEADER;
pub(crate) use crate::vocab::Platform;

impl Platform {
    /// The platform's name in the control API's recorded requests
    /// (`anthropic`, `bedrock`, `bedrock-mantle`, `vertex`, `foundry`).
    pub fn name(self) -> &'static str {
        match self {
            Platform::Anthropic => "anthropic",
            Platform::Bedrock => "bedrock",
            Platform::BedrockMantle => "bedrock-mantle",
            Platform::BedrockControlPlane => "bedrock-control-plane",
            Platform::Vertex => "vertex",
            Platform::Foundry => "foundry",
        }
    }

    /// The path the platform's base URL adds to the mock's address: the
    /// base URL to give that platform's client is the mock's
    /// [`base_url`](crate::MockServer::base_url) followed by this.
    pub fn base_path(self) -> &'static str {
        match self {
            Platform::Anthropic | Platform::Bedrock => "",
            Platform::BedrockMantle | Platform::BedrockControlPlane | Platform::Foundry => {
                FIRST_PARTY_PREFIX
            }
            Platform::Vertex => "/v1",
        }
    }
}

/// Where Mantle, Bedrock's control plane and Foundry serve the first-party
/// paths.
const FIRST_PARTY_PREFIX: &str = "/anthropic";

/// The Managed Agents resources Bedrock's control plane serves.
const CONTROL_PLANE: &[&str] = &["/v1/agents", "/v1/sessions", "/v1/memory_stores"];

/// A request resolved: its platform, route and what its path says.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) platform: Platform,
    /// The hand-written route; `None` on Bedrock's control plane for a
    /// resource the description's store serves (memory stores).
    pub(crate) route: Option<Route>,
    pub(crate) param: Option<String>,
    /// The model named by the path (Bedrock, Vertex Messages), decoded.
    pub(crate) model: Option<String>,
    /// Whether the path asks for a stream (Bedrock).
    pub(crate) stream: Option<bool>,
}

/// The platform and route of a request; `None` for a path no platform
/// serves.
/// A request under `/anthropic` signed with SigV4 or bearing the Bedrock
/// API key the mock was given is Bedrock's: its control plane's for the
/// Managed Agents resources it serves (with no route for those the
/// resource store answers), Mantle's otherwise; any other is Foundry's.
pub(crate) fn resolve(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    keys: &auth::PlatformAuth,
) -> Option<Call> {
    let first_party = |platform, path: &str| {
        Route::resolve(method, path).map(|(route, param)| Call {
            platform,
            route: Some(route),
            param,
            model: None,
            stream: None,
        })
    };
    if let Some(rest) = path.strip_prefix(FIRST_PARTY_PREFIX) {
        let control_plane = CONTROL_PLANE.iter().any(|prefix| {
            rest.strip_prefix(prefix)
                .is_some_and(|tail| tail.is_empty() || tail.starts_with('/'))
        });
        let platform = if !(auth::is_sigv4(headers) || keys.is_bedrock_key(headers)) {
            Platform::Foundry
        } else if control_plane {
            Platform::BedrockControlPlane
        } else {
            Platform::BedrockMantle
        };
        let routeless = (platform == Platform::BedrockControlPlane).then_some(Call {
            platform,
            route: None,
            param: None,
            model: None,
            stream: None,
        });
        return first_party(platform, rest).or(routeless);
    }
    if path.starts_with("/model/") {
        return bedrock::resolve(method, path);
    }
    if path.starts_with("/v1/projects/") {
        return vertex::resolve(method, path);
    }
    first_party(Platform::Anthropic, path)
}

/// The first-party request a platform request stands for, and the
/// platform's objection to its body if any. First-party shapes (the API,
/// Mantle, Foundry) are used as they are.
pub(crate) fn adapt(
    call: &Call,
    request: &RecordedRequest,
) -> (RecordedRequest, Option<MockResponse>) {
    let mut adapted = request.clone();
    let problem = match call.platform {
        Platform::Bedrock => bedrock::adapt(call, &mut adapted),
        Platform::Vertex => vertex::adapt(call, &mut adapted),
        _ => None,
    };
    (adapted, problem)
}

/// Takes the platform's `anthropic_version` out of a body and sets the
/// header the first-party checks read: the platform's own version string
/// stands for `2023-06-01`, an API version for itself. The problem when
/// it is missing or unknown.
fn take_version(
    body: &mut serde_json::Map<String, Value>,
    platform_version: &str,
    headers: &mut HeaderMap,
) -> Result<(), String> {
    let version = match body.remove("anthropic_version") {
        None => return Err("missing".to_owned()),
        Some(Value::String(v)) if v == platform_version => "2023-06-01".to_owned(),
        Some(Value::String(v)) if crate::validate::version_problem(Some(&v)).is_none() => v,
        Some(other) => return Err(format!("{other} is not a valid version")),
    };
    if let Ok(value) = http::HeaderValue::try_from(version) {
        headers.insert(VERSION_HEADER, value);
    }
    Ok(())
}

/// The first-party model id behind a platform's model id, for the
/// catalogue's checks and the reply's `model`: Bedrock's
/// `us.anthropic.claude-sonnet-4-5-20250929-v1:0` (or an inference-profile
/// ARN ending in it) and Vertex's `claude-sonnet-4-5@20250929` are both
/// `claude-sonnet-4-5-20250929`.
pub(crate) fn first_party_model(platform: Platform, id: &str) -> String {
    match platform {
        Platform::Bedrock => {
            let id = id.rsplit('/').next().unwrap_or(id);
            let id = id.split_once("anthropic.").map_or(id, |(_, rest)| rest);
            strip_bedrock_version(id).to_owned()
        }
        Platform::Vertex => id.replacen('@', "-", 1),
        _ => id.to_owned(),
    }
}

/// `claude-...-v2:0` without its `-v2:0`.
fn strip_bedrock_version(id: &str) -> &str {
    let Some((head, tail)) = id.rsplit_once("-v") else {
        return id;
    };
    let (major, minor) = tail.split_once(':').unwrap_or((tail, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(major) && digits(minor) {
        head
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_model_ids_map_to_first_party_ones() {
        for (platform, id, expected) in [
            (
                Platform::Bedrock,
                "anthropic.claude-sonnet-4-5-20250929-v1:0",
                "claude-sonnet-4-5-20250929",
            ),
            (
                Platform::Bedrock,
                "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                "claude-haiku-4-5-20251001",
            ),
            (
                Platform::Bedrock,
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-opus-4-6-v1",
                "claude-opus-4-6",
            ),
            (Platform::Bedrock, "claude-sonnet-5", "claude-sonnet-5"),
            (
                Platform::Vertex,
                "claude-sonnet-4-5@20250929",
                "claude-sonnet-4-5-20250929",
            ),
            (Platform::Vertex, "claude-opus-5", "claude-opus-5"),
        ] {
            assert_eq!(first_party_model(platform, id), expected, "{id}");
        }
    }

    #[test]
    fn paths_resolve_to_platforms() {
        let none = HeaderMap::new();
        let keys = auth::PlatformAuth::default();
        let call =
            |path: &str| resolve(&Method::POST, path, &none, &keys).map(|c| (c.platform, c.route));
        assert_eq!(
            call("/v1/messages"),
            Some((Platform::Anthropic, Some(Route::Messages)))
        );
        assert_eq!(
            call("/anthropic/v1/messages"),
            Some((Platform::Foundry, Some(Route::Messages)))
        );
        assert_eq!(
            call("/anthropic/v1/messages/count_tokens"),
            Some((Platform::Foundry, Some(Route::CountTokens)))
        );
        // Unsigned (Foundry's): no route, and no control plane.
        assert!(call("/anthropic/v1/memory_stores").is_none());
        let mut signed = HeaderMap::new();
        signed.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=x".parse().unwrap(),
        );
        let mantle = resolve(&Method::POST, "/anthropic/v1/messages", &signed, &keys).unwrap();
        assert_eq!(mantle.platform, Platform::BedrockMantle);
        for path in [
            "/anthropic/v1/agents",
            "/anthropic/v1/sessions/s_1/events/stream",
        ] {
            let control = resolve(&Method::GET, path, &signed, &keys).unwrap();
            assert_eq!(control.platform, Platform::BedrockControlPlane, "{path}");
        }
        for path in [
            "/anthropic/v1/memory_stores",
            "/anthropic/v1/memory_stores/memstore_1/memories",
        ] {
            let store = resolve(&Method::GET, path, &signed, &keys).unwrap();
            assert_eq!(
                (store.platform, store.route),
                (Platform::BedrockControlPlane, None),
                "{path}"
            );
        }
        let unsigned = resolve(&Method::GET, "/anthropic/v1/agents", &none, &keys).unwrap();
        assert_eq!(unsigned.platform, Platform::Foundry);
        let other = resolve(&Method::GET, "/anthropic/v1/agentsx", &signed, &keys);
        assert!(other.is_none_or(|c| c.platform == Platform::BedrockMantle));
        assert_eq!(call("/anthropic/nope"), None);
    }
}
