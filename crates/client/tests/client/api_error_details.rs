//! `ApiError::details` and `error_code` read `error.details` of the body,
//! as it comes back from the server.

use claude_rs_client::ApiError;
use claude_rs_mock::{MockResponse, MockServer};
use claude_rs_types::error_code::ErrorCode;
use http::StatusCode;

use crate::support::{builder, fixture, request};

/// The `ApiError` a client makes of a 400 answer with this body.
async fn api_error(body: &str) -> ApiError {
    let server = MockServer::start().await;
    let reply =
        MockResponse::raw("application/json", body.to_owned()).with_status(StatusCode::BAD_REQUEST);
    server.enqueue(reply);
    let client = builder(&server).max_retries(0).build().unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    error.api().expect("an API error").clone()
}

#[tokio::test]
async fn error_code_and_its_fields() {
    let error = api_error(
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"m",
            "details":{"error_code":"image_dimensions_too_large","max_pixels":8000}},"request_id":"req_1"}"#,
    )
    .await;
    assert_eq!(error.error_code(), Some(ErrorCode::ImageDimensionsTooLarge));
    assert_eq!(error.details().unwrap().extra["max_pixels"], 8000);

    let future = api_error(
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"m","details":{"error_code":"from_2031"}}}"#,
    )
    .await;
    assert_eq!(
        future.error_code(),
        Some(ErrorCode::Unknown("from_2031".to_owned()))
    );
}

#[tokio::test]
async fn no_details_is_none() {
    // The recorded stream error frame sends `"details": null`.
    let recorded = std::fs::read_to_string(fixture("sse_error_overloaded_frame.sse")).unwrap();
    let data = recorded
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    assert!(api_error(data).await.details().is_none());
    assert!(api_error("not json").await.error_code().is_none());
}
