//! Bedrock's control plane: the Managed Agents resources it serves, and
//! where their calls go.

use claude_rs_client::Error;
use claude_rs_client::backend::set_url;
use claude_rs_transport::RequestBody;
use http::Request;

/// The Managed Agents resources Bedrock serves, by their path segment under
/// `/v1/`; the others (environments, vaults, deployments, ...) are refused.
pub(crate) const RESOURCES: &[&str] = &["agents", "sessions", "memory_stores"];

/// The control plane's address in `region`: the API's paths
/// (`/v1/agents`) follow it.
pub(crate) fn default_url(region: &str) -> String {
    format!("https://bedrock.{region}.amazonaws.com/anthropic")
}

/// Points a control-plane call at `base_url`. Nothing else changes: the
/// body, `anthropic-version` and `anthropic-beta` go as for the first-party
/// API, and the answer (JSON, or server-sent events for the streams) is
/// the API's own.
pub(crate) fn prepare(base_url: &str, request: &mut Request<RequestBody>) -> Result<(), Error> {
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    set_url(request, base_url, &path)
}

#[cfg(test)]
mod tests {
    use claude_rs_client::backend::{Backend, Operation};
    use http::HeaderValue;

    use super::*;
    use crate::{Bedrock, Credentials};

    fn bedrock() -> crate::BedrockBuilder {
        Bedrock::builder()
            .region("eu-west-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .env_lookup(|_| None)
    }

    fn request(path: &str) -> Request<RequestBody> {
        let mut request = Request::new(RequestBody::from(bytes::Bytes::from_static(
            b"{\"name\":\"a\"}",
        )));
        *request.uri_mut() = path.parse().unwrap();
        request
            .headers_mut()
            .insert("anthropic-version", HeaderValue::from_static("2026-10-21"));
        request
    }

    #[test]
    fn agents_sessions_and_memory_stores_go_to_the_control_plane_unchanged() {
        let bedrock = bedrock().build().unwrap();
        assert_eq!(
            bedrock.control_plane_url(),
            "https://bedrock.eu-west-1.amazonaws.com/anthropic"
        );
        for (resource, path) in [
            ("agents", "/v1/agents?beta=true"),
            ("sessions", "/v1/sessions/s_1/events/stream?beta=true"),
            ("memory_stores", "/v1/memory_stores/m_1/memories"),
        ] {
            let mut request = request(path);
            bedrock
                .prepare(Operation::ManagedAgents { resource }, &mut request)
                .unwrap();
            assert_eq!(
                request.uri().to_string(),
                format!("https://bedrock.eu-west-1.amazonaws.com/anthropic{path}")
            );
            assert_eq!(request.headers()["anthropic-version"], "2026-10-21");
            assert_eq!(
                request.body().as_bytes().unwrap().as_ref(),
                b"{\"name\":\"a\"}"
            );
        }
    }

    #[test]
    fn the_other_managed_agents_resources_are_refused_naming_them() {
        let bedrock = bedrock().build().unwrap();
        for resource in ["environments", "vaults", "deployments"] {
            let operation = Operation::ManagedAgents { resource };
            let mut request = request(&format!("/v1/{resource}"));
            let error = bedrock.prepare(operation, &mut request).unwrap_err();
            assert!(
                matches!(error, Error::Unsupported { operation: o, .. } if o == operation),
                "{error:?}"
            );
            let text = error.to_string();
            assert!(text.contains(&format!("/v1/{resource}")), "{text}");
            assert!(text.contains("Bedrock"), "{text}");
        }
    }

    #[test]
    fn the_base_url_or_its_own_setting_moves_the_control_plane() {
        let moved = bedrock().base_url("http://127.0.0.1:9").build().unwrap();
        assert_eq!(moved.control_plane_url(), "http://127.0.0.1:9");
        let own = bedrock()
            .base_url("http://127.0.0.1:9")
            .control_plane_url("http://127.0.0.1:8/anthropic")
            .build()
            .unwrap();
        assert_eq!(own.control_plane_url(), "http://127.0.0.1:8/anthropic");
        assert_eq!(own.base_url(), "http://127.0.0.1:9");
        assert!(bedrock().control_plane_url("not a url").build().is_err());
    }
}
