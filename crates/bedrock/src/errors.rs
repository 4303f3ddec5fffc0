//! Bedrock's own error shapes: exception names and their statuses, and the
//! `{"message": ...}` bodies typed by the `x-amzn-errortype` header.

use claude_rs_types::error::ErrorType;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

/// The HTTP status Bedrock gives a modeled stream exception (its
/// `:exception-type`, camelCase) or error code (either case).
pub(crate) fn exception_status(kind: &str) -> Option<StatusCode> {
    let status = match kind.to_ascii_lowercase().as_str() {
        "validationexception" => 400,
        "accessdeniedexception" => 403,
        "resourcenotfoundexception" => 404,
        "modeltimeoutexception" => 408,
        "modelstreamerrorexception" => 424,
        "throttlingexception" => 429,
        "internalserverexception" => 500,
        "serviceunavailableexception" => 503,
        _ => return None,
    };
    StatusCode::from_u16(status).ok()
}

/// Bedrock's retryable exceptions, whatever status carried them (an
/// exception frame inside a stream, say): throttling, a model not ready yet,
/// and the service's transient failures, as the AWS SDKs retry them.
pub(crate) fn is_retryable(kind: &str) -> Option<bool> {
    let retryable = matches!(
        kind.to_ascii_lowercase().as_str(),
        "throttlingexception"
            | "modelnotreadyexception"
            | "serviceunavailableexception"
            | "internalserverexception"
    );
    retryable.then_some(true)
}

/// An HTTP error body.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(alias = "Message")]
    message: String,
}

/// The request id of a Bedrock answer: the API's `request-id` when it
/// has one (Mantle), else AWS's `x-amzn-requestid`.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    ["request-id", "x-amzn-requestid"]
        .into_iter()
        .find_map(|name| headers.get(name))
        .and_then(|value| value.to_str().ok())
}

/// The error type (from `x-amzn-errortype`, cut at `:` and after the last
/// `#`) and message of a Bedrock error answer, if it has Bedrock's shape.
pub(crate) fn error_details(
    headers: &HeaderMap,
    body: &[u8],
) -> Option<(Option<ErrorType>, String)> {
    let body: ErrorBody = serde_json::from_slice(body).ok()?;
    let code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            let v = v.split(':').next().unwrap_or(v);
            v.rsplit('#').next().unwrap_or(v)
        })
        .filter(|v| !v.is_empty());
    Some((code.map(ErrorType::from), body.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_type_header_is_cut_like_botocore() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amzn-errortype",
            "aws.protocols#ValidationException:http://internal.amazon.com/coral/"
                .parse()
                .unwrap(),
        );
        let (kind, message) = error_details(&headers, br#"{"message":"bad input"}"#).unwrap();
        assert_eq!(kind, Some(ErrorType::from("ValidationException")));
        assert_eq!(message, "bad input");
        assert_eq!(error_details(&HeaderMap::new(), b"<html>"), None);
        let (kind, _) = error_details(&HeaderMap::new(), br#"{"Message":"x"}"#).unwrap();
        assert_eq!(kind, None);
    }

    #[test]
    fn modeled_exceptions_have_their_statuses() {
        for (kind, status) in [
            ("throttlingException", 429),
            ("ThrottlingException", 429),
            ("modelStreamErrorException", 424),
            ("validationException", 400),
            ("internalServerException", 500),
            ("serviceUnavailableException", 503),
            ("modelTimeoutException", 408),
        ] {
            assert_eq!(
                exception_status(kind).map(|s| s.as_u16()),
                Some(status),
                "{kind}"
            );
        }
        assert_eq!(exception_status("InternalFailure"), None);
    }

    #[test]
    fn retryable_exceptions() {
        for kind in ["ModelNotReadyException", "throttlingException"] {
            assert_eq!(is_retryable(kind), Some(true), "{kind}");
        }
        for kind in ["validationException", "modelStreamErrorException"] {
            assert_eq!(is_retryable(kind), None, "{kind}");
        }
    }
}
