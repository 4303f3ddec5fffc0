//! JSON written in the API's field order.
//!
//! `serde_json::Value` sorts object keys, so bodies the API writes in a
//! known order (error bodies, batches, pages) are serialized from structs.

use claude_rs_types::error::ErrorType;
use serde::Serialize;

/// `{"type":"error","error":{...},"request_id":...}`.
#[derive(Serialize)]
struct ErrorBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    error: ErrorObject<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
}

/// The `error` object; the stream event has `details: null` first.
#[derive(Serialize)]
struct ErrorObject<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<Details<'a>>,
    #[serde(rename = "type")]
    kind: &'a str,
    message: &'a str,
}

/// `error.details`: the machine-readable cause, when there is one.
#[derive(Serialize)]
struct Details<'a> {
    error_code: &'a str,
}

/// The body of an error response.
pub(crate) fn error_body(
    error_type: &ErrorType,
    message: &str,
    error_code: Option<&str>,
    request_id: &str,
) -> Vec<u8> {
    to_vec(&ErrorBody {
        kind: "error",
        error: ErrorObject {
            details: error_code.map(|error_code| Details { error_code }),
            kind: error_type.as_str(),
            message,
        },
        request_id: Some(request_id),
    })
}

/// The data of an SSE `error` event, as the API sends it.
pub(crate) fn error_event(error_type: &ErrorType, message: &str) -> String {
    #[derive(Serialize)]
    struct WithDetails<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        error: WithNullDetails<'a>,
    }
    #[derive(Serialize)]
    struct WithNullDetails<'a> {
        details: Option<()>,
        #[serde(rename = "type")]
        kind: &'a str,
        message: &'a str,
    }
    let body = WithDetails {
        kind: "error",
        error: WithNullDetails {
            details: None,
            kind: error_type.as_str(),
            message,
        },
    };
    String::from_utf8(to_vec(&body)).unwrap_or_default()
}

/// Serializes a value; the mock's own types always serialize.
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_in_api_order() {
        let body = error_body(&ErrorType::Overloaded, "Overloaded", None, "req_1");
        assert_eq!(
            String::from_utf8_lossy(&body),
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#
        );
        let body = error_body(
            &ErrorType::InvalidRequest,
            "m",
            Some("file_not_downloadable"),
            "r",
        );
        assert_eq!(
            String::from_utf8_lossy(&body),
            r#"{"type":"error","error":{"details":{"error_code":"file_not_downloadable"},"type":"invalid_request_error","message":"m"},"request_id":"r"}"#
        );
        assert_eq!(
            error_event(&ErrorType::Overloaded, "Overloaded"),
            r#"{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}}"#
        );
    }
}
