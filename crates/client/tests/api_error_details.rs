//! `ApiError::details` and `error_code` read `error.details` of the body.

use bytes::Bytes;
use claude_client::ApiError;
use claude_types::ErrorType;
use claude_types::error_code::ErrorCode;
use http::{HeaderMap, StatusCode};

fn api_error(body: &str) -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        error_type: Some(ErrorType::InvalidRequest),
        message: "m".to_owned(),
        request_id: None,
        body: Bytes::copy_from_slice(body.as_bytes()),
        headers: HeaderMap::new(),
    }
}

#[test]
fn error_code_and_its_fields() {
    let error = api_error(
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"m",
            "details":{"error_code":"image_dimensions_too_large","max_pixels":8000}},"request_id":"req_1"}"#,
    );
    assert_eq!(error.error_code(), Some(ErrorCode::ImageDimensionsTooLarge));
    assert_eq!(error.details().unwrap().extra["max_pixels"], 8000);

    let future = api_error(
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"m","details":{"error_code":"from_2031"}}}"#,
    );
    assert_eq!(
        future.error_code(),
        Some(ErrorCode::Unknown("from_2031".to_owned()))
    );
}

#[test]
fn no_details_is_none() {
    // The recorded stream error frame sends `"details": null`.
    let recorded = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/recorded/sse_error_overloaded_frame.sse"),
    )
    .unwrap();
    let data = recorded
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    assert!(api_error(data).details().is_none());
    assert!(api_error("not json").error_code().is_none());
}
