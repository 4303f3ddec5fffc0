//! Vertex AI: its `rawPredict` / `streamRawPredict` paths and body rules
//! (replies and errors keep the first-party shapes; streams are SSE).

use claude_rs_types::error::ErrorType;
use http::Method;
use serde_json::Value;

use super::{Call, Platform, first_party_model, take_version};
use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};
use crate::route::Route;

/// The body version Vertex requires (`anthropic_version`, see
/// <https://platform.claude.com/docs/en/build-with-claude/claude-on-vertex-ai>).
pub(crate) const VERTEX_VERSION: &str = "vertex-2023-10-16";

/// `POST /v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict`
/// (or `:streamRawPredict`); `models/count-tokens:rawPredict` counts tokens.
pub(super) fn resolve(method: &Method, path: &str) -> Option<Call> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let [
        "v1",
        "projects",
        project,
        "locations",
        region,
        "publishers",
        "anthropic",
        "models",
        last,
    ] = segments[..]
    else {
        return None;
    };
    let (model, verb) = last.rsplit_once(':')?;
    if method != Method::POST || project.is_empty() || region.is_empty() || model.is_empty() {
        return None;
    }
    let model = crate::query::percent_decode(model);
    let route = match (model.as_str(), verb) {
        ("count-tokens", "rawPredict") => Route::CountTokens,
        (_, "rawPredict" | "streamRawPredict") => Route::Messages,
        _ => return None,
    };
    Some(Call {
        platform: Platform::Vertex,
        route: Some(route),
        param: None,
        model: (route == Route::Messages).then_some(model),
        stream: None,
    })
}

/// Takes `anthropic_version` out and puts the path's model in (count
/// tokens keeps the body's own model); `stream` stays as sent.
pub(super) fn adapt(call: &Call, request: &mut RecordedRequest) -> Option<MockResponse> {
    let invalid = |message: String| Some(error(ErrorType::InvalidRequest, message));
    let Some(Value::Object(body)) = request.json.as_mut() else {
        return None; // The first-party checks name the problem.
    };
    if let Err(problem) = take_version(body, VERTEX_VERSION, &mut request.headers) {
        return invalid(match problem.as_str() {
            "missing" => "anthropic_version: Field required".to_owned(),
            other => format!("anthropic_version: {other}; use {VERTEX_VERSION}"),
        });
    }
    if let Some(model) = &call.model {
        if body.contains_key("model") {
            return invalid("model: Extra inputs are not permitted".to_owned());
        }
        body.insert(
            "model".to_owned(),
            Value::String(first_party_model(Platform::Vertex, model)),
        );
    } else if let Some(Value::String(model)) = body.get_mut("model") {
        *model = first_party_model(Platform::Vertex, model);
    }
    request.body = bytes::Bytes::from(serde_json::to_vec(&request.json).unwrap_or_default());
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_model_and_the_verb() {
        let base = "/v1/projects/p/locations/us-east5/publishers/anthropic/models";
        let call = resolve(
            &Method::POST,
            &format!("{base}/claude-sonnet-4-5@20250929:streamRawPredict"),
        )
        .unwrap();
        assert_eq!(call.model.as_deref(), Some("claude-sonnet-4-5@20250929"));
        assert_eq!(call.route, Some(Route::Messages));
        let count = resolve(&Method::POST, &format!("{base}/count-tokens:rawPredict")).unwrap();
        assert_eq!((count.route, count.model), (Some(Route::CountTokens), None));
        assert!(resolve(&Method::POST, &format!("{base}/m:predict")).is_none());
        assert!(resolve(&Method::POST, &format!("{base}/m")).is_none());
        assert!(resolve(&Method::GET, &format!("{base}/m:rawPredict")).is_none());
    }
}
