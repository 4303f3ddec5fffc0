//! Bedrock InvokeModel: its paths and body rules, its error answers
//! (`{"message": ...}` typed by `x-amzn-errortype`) and its streams
//! (the Messages events as eventstream `chunk` frames, failures as
//! exception frames).

use bytes::Bytes;
use claude_rs_types::error::ErrorType;
use http::{HeaderName, HeaderValue, Method};
use serde_json::Value;

use super::{Call, Platform, eventstream, first_party_model, take_version};
use crate::base64;
use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};
use crate::route::Route;

/// The body version Bedrock requires (`anthropic_version`, see
/// <https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html>).
pub(crate) const BEDROCK_VERSION: &str = "bedrock-2023-05-31";

/// `POST /model/{model}/invoke`, `/invoke-with-response-stream`,
/// `/count-tokens`; the model percent-decoded (an ARN's `/` arrives as
/// `%2F`).
pub(super) fn resolve(method: &Method, path: &str) -> Option<Call> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let (route, stream) = match (method, segments.as_slice()) {
        (&Method::POST, ["model", m, "invoke"]) if !m.is_empty() => (Route::Messages, false),
        (&Method::POST, ["model", m, "invoke-with-response-stream"]) if !m.is_empty() => {
            (Route::Messages, true)
        }
        (&Method::POST, ["model", m, "count-tokens"]) if !m.is_empty() => {
            (Route::CountTokens, false)
        }
        _ => return None,
    };
    Some(Call {
        platform: Platform::Bedrock,
        route: Some(route),
        param: None,
        model: Some(crate::query::percent_decode(segments[1])),
        stream: Some(stream),
    })
}

/// Bedrock's 400 for a body it cannot take.
fn malformed(detail: &str) -> MockResponse {
    error(
        ErrorType::InvalidRequest,
        format!("Malformed input request: {detail}, please reformat your input and try again."),
    )
}

/// Rewrites a Bedrock body into the first-party request: count-tokens'
/// envelope opened, `anthropic_version` and `anthropic_beta` taken out
/// (the latter into the `anthropic-beta` header), the model and stream
/// flag of the path put in.
pub(super) fn adapt(call: &Call, request: &mut RecordedRequest) -> Option<MockResponse> {
    if call.route == Some(Route::CountTokens) {
        let inner = request
            .json
            .as_ref()
            .and_then(|j| j.pointer("/input/invokeModel/body"))
            .and_then(Value::as_str)
            .and_then(base64::decode);
        let Some(inner) = inner else {
            return Some(malformed(
                "#: input.invokeModel.body must be the base64 of an InvokeModel body",
            ));
        };
        request.json = serde_json::from_slice(&inner).ok();
        request.body = Bytes::from(inner);
    }
    let Some(Value::Object(body)) = request.json.as_mut() else {
        return Some(malformed("#: expected type: JSONObject"));
    };
    for key in ["model", "stream"] {
        if body.contains_key(key) {
            return Some(malformed(&format!(
                "#: extraneous key [{key}] is not permitted"
            )));
        }
    }
    if let Err(problem) = take_version(body, BEDROCK_VERSION, &mut request.headers) {
        return Some(malformed(&match problem.as_str() {
            "missing" => "#: required key [anthropic_version] not found".to_owned(),
            other => format!("#/anthropic_version: {other}"),
        }));
    }
    match body.remove("anthropic_beta") {
        None => {}
        Some(Value::Array(betas)) if betas.iter().all(Value::is_string) => {
            let joined: Vec<&str> = betas.iter().filter_map(Value::as_str).collect();
            if let Ok(value) = HeaderValue::try_from(joined.join(",")) {
                request.headers.insert("anthropic-beta", value);
            }
        }
        Some(_) => return Some(malformed("#/anthropic_beta: expected type: JSONArray")),
    }
    if call.route == Some(Route::CountTokens) {
        // The envelope holds an InvokeModel body, max_tokens included;
        // the first-party count_tokens takes none.
        if body.remove("max_tokens").is_none() {
            return Some(malformed("#: required key [max_tokens] not found"));
        }
    }
    let model = call.model.as_deref().unwrap_or_default();
    body.insert(
        "model".to_owned(),
        Value::String(first_party_model(Platform::Bedrock, model)),
    );
    if call.stream == Some(true) {
        body.insert("stream".to_owned(), Value::Bool(true));
    }
    request.body = Bytes::from(serde_json::to_vec(&request.json).unwrap_or_default());
    None
}

/// The Bedrock exception (PascalCase, as `x-amzn-errortype` names it)
/// answering for an API error type. A type the API does not have is taken
/// as the exception's own name, so a test can script any of them.
pub(crate) fn exception_name(error_type: &ErrorType) -> String {
    let name = match error_type {
        ErrorType::InvalidRequest | ErrorType::RequestTooLarge => "ValidationException",
        ErrorType::Authentication | ErrorType::Permission | ErrorType::Billing => {
            "AccessDeniedException"
        }
        ErrorType::NotFound => "ResourceNotFoundException",
        ErrorType::Conflict => "ConflictException",
        ErrorType::RateLimit => "ThrottlingException",
        ErrorType::Timeout => "ModelTimeoutException",
        ErrorType::Overloaded => "ServiceUnavailableException",
        ErrorType::Api => "InternalServerException",
        other if !other.as_str().ends_with("_error") => return other.as_str().to_owned(),
        _ => "InternalServerException",
    };
    name.to_owned()
}

/// An HTTP error as Bedrock sends it: `{"message": ...}` and its type in
/// `x-amzn-errortype`.
pub(crate) fn error_answer(error_type: &ErrorType, message: &str) -> (Bytes, HeaderValue) {
    let body = serde_json::json!({ "message": message }).to_string();
    let kind = HeaderValue::try_from(exception_name(error_type))
        .unwrap_or(HeaderValue::from_static("InternalServerException"));
    (Bytes::from(body), kind)
}

/// The token counts Bedrock adds to a non-streamed answer.
pub(crate) fn token_headers(
    usage: &claude_rs_types::usage::Usage,
) -> Vec<(HeaderName, HeaderValue)> {
    [
        ("x-amzn-bedrock-input-token-count", usage.input_tokens),
        ("x-amzn-bedrock-output-token-count", usage.output_tokens),
    ]
    .into_iter()
    .map(|(name, n)| (HeaderName::from_static(name), HeaderValue::from(n)))
    .collect()
}

/// The header naming a Bedrock error's type.
pub(crate) const ERROR_TYPE_HEADER: HeaderName = HeaderName::from_static("x-amzn-errortype");

/// The SSE frames of a reply as eventstream frames: each event's data in a
/// `chunk`, an `error` event as an exception frame (`throttlingException`
/// for a rate limit, `serviceUnavailableException` for an overload, ...),
/// and a frame a fault cut short (truncated stream) cut in half.
pub(crate) fn reframe(sse_frames: Vec<Bytes>) -> Vec<Bytes> {
    sse_frames
        .into_iter()
        .filter_map(|frame| {
            let text = String::from_utf8_lossy(&frame);
            let complete = text.ends_with("\n\n") || text.ends_with("\r\n\r\n");
            let mut event = "";
            let mut data = Vec::new();
            for line in text.lines() {
                if let Some(name) = line.strip_prefix("event:") {
                    event = name.trim();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value));
                }
            }
            if data.is_empty() {
                return None;
            }
            let data = data.join("\n");
            let encoded = if event == "error" {
                let json: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
                let kind = json
                    .pointer("/error/type")
                    .and_then(Value::as_str)
                    .map_or(ErrorType::Api, ErrorType::from);
                let message = json
                    .pointer("/error/message")
                    .and_then(Value::as_str)
                    .unwrap_or("Internal server error");
                eventstream::exception(&camel(&exception_name(&kind)), message)
            } else {
                eventstream::chunk(&data)
            };
            Some(if complete {
                encoded
            } else {
                encoded.slice(..encoded.len() / 2)
            })
        })
        .collect()
}

/// `ThrottlingException` as a stream's `:exception-type` spells it.
fn camel(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

/// Bedrock's count-tokens answer, `{"inputTokens": N}`, from the API's
/// `{"input_tokens": N}`.
pub(crate) fn count_answer(value: &mut Value) {
    if let Some(n) = value.as_object_mut().and_then(|o| o.remove("input_tokens")) {
        value["inputTokens"] = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_are_decoded_from_the_path() {
        let call = resolve(
            &Method::POST,
            "/model/arn:aws:bedrock:us-east-1:1:inference-profile%2Fus.anthropic.claude-opus-4-6-v1/invoke-with-response-stream",
        )
        .unwrap();
        assert_eq!(
            call.model.as_deref(),
            Some("arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-opus-4-6-v1")
        );
        assert_eq!(
            (call.route, call.stream),
            (Some(Route::Messages), Some(true))
        );
        assert!(resolve(&Method::GET, "/model/x/invoke").is_none());
        assert!(resolve(&Method::POST, "/model//invoke").is_none());
        let count = resolve(&Method::POST, "/model/x/count-tokens").unwrap();
        assert_eq!(count.route, Some(Route::CountTokens));
    }

    #[test]
    fn errors_are_named_as_bedrock_names_them() {
        assert_eq!(exception_name(&ErrorType::RateLimit), "ThrottlingException");
        assert_eq!(
            exception_name(&ErrorType::Overloaded),
            "ServiceUnavailableException"
        );
        assert_eq!(
            exception_name(&ErrorType::from("ModelErrorException")),
            "ModelErrorException"
        );
        assert_eq!(camel("ThrottlingException"), "throttlingException");
    }

    #[test]
    fn sse_error_events_become_exception_frames() {
        let frames = vec![
            crate::sse::frame("ping", r#"{"type":"ping"}"#),
            crate::sse::frame(
                "error",
                r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            ),
        ];
        let out = reframe(frames);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], eventstream::chunk(r#"{"type":"ping"}"#));
        assert_eq!(
            out[1],
            eventstream::exception("serviceUnavailableException", "Overloaded")
        );
    }
}
