//! SigV4 byte for byte against botocore 1.44.8 (`fixtures/sign_ref*.out`),
//! and the rules around it.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use claude_rs_bedrock::{Credentials, sigv4};
use claude_rs_transport::RequestBody;
use http::Request;

use crate::support::{ACCESS_KEY, SECRET_KEY, fixture};

/// 2024-01-02T03:04:05Z, botocore's fixed clock.
fn clock() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

fn reference_request() -> Request<RequestBody> {
    Request::post(
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/\
         anthropic.claude-3-5-sonnet-20241022-v2:0/invoke-with-response-stream",
    )
    .header("content-type", "application/json")
    .header("accept", "application/json")
    .header("anthropic-beta", "a,b")
    .header("x-stainless-retry-count", "0")
    .header("user-agent", "x/1")
    .body(RequestBody::from(Bytes::from(fixture("sign_body.json"))))
    .unwrap()
}

#[test]
fn matches_botocore_with_and_without_a_session_token() {
    let text = String::from_utf8(fixture("sign_ref.out")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for expected in lines {
        let token = expected["token"].as_str().map(str::to_owned);
        let mut request = reference_request();
        let keys = Credentials::new(ACCESS_KEY, SECRET_KEY, token.clone());
        sigv4::sign(&mut request, &keys, "us-east-1", "bedrock", clock()).unwrap();
        let header = |name: &str| request.headers().get(name).map(|v| v.to_str().unwrap());
        assert_eq!(header("authorization"), expected["authorization"].as_str());
        assert_eq!(header("x-amz-date"), expected["x-amz-date"].as_str());
        assert_eq!(
            header("x-amz-security-token"),
            expected["x-amz-security-token"].as_str()
        );
        assert_eq!(header("x-amz-content-sha256"), None, "botocore sends none");
        assert_eq!(header("user-agent"), Some("x/1"), "sent, not signed");
        assert!(request.headers()["authorization"].is_sensitive());
    }
}

#[test]
fn matches_botocore_for_an_inference_profile_arn() {
    let text = String::from_utf8(fixture("sign_ref_arn.out")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (url, expected) = (lines[0], lines[2]);
    // The URL as the backend builds it for that model.
    let model = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/\
                 us.anthropic.claude-sonnet-4-20250514-v1:0";
    assert_eq!(
        url,
        format!(
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/{}/invoke",
            claude_rs_bedrock::encode_model(model).unwrap()
        )
    );
    let mut request = Request::post(url)
        .header("content-type", "application/json")
        .body(RequestBody::from(Bytes::from(fixture("sign_body.json"))))
        .unwrap();
    let keys = Credentials::new(ACCESS_KEY, SECRET_KEY, None);
    sigv4::sign(&mut request, &keys, "us-east-1", "bedrock", clock()).unwrap();
    assert_eq!(request.headers()["authorization"], expected);
}

#[test]
fn hop_by_hop_and_tracing_headers_are_not_signed_and_resigning_replaces() {
    let mut request = reference_request();
    for (name, value) in [
        ("connection", "keep-alive"),
        ("traceparent", "00-abc-def-01"),
        ("x-amzn-trace-id", "Root=1"),
        ("proxy-authorization", "Basic x"),
        ("expect", "100-continue"),
    ] {
        request.headers_mut().insert(name, value.parse().unwrap());
    }
    let keys = Credentials::new(ACCESS_KEY, SECRET_KEY, None);
    sigv4::sign(&mut request, &keys, "us-east-1", "bedrock", clock()).unwrap();
    let first = request.headers()["authorization"].clone();
    // The same signature as without those headers (the botocore reference).
    let text = String::from_utf8(fixture("sign_ref.out")).unwrap();
    let reference: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first, reference["authorization"].as_str().unwrap());
    // Signing again later replaces the date and signature, adding nothing.
    let later = clock() + Duration::from_secs(1);
    sigv4::sign(&mut request, &keys, "us-east-1", "bedrock", later).unwrap();
    assert_eq!(request.headers()["x-amz-date"], "20240102T030406Z");
    assert_ne!(request.headers()["authorization"], first);
    assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
}

#[test]
fn a_session_token_that_cannot_be_a_header_is_a_typed_error_without_the_token() {
    let mut request = reference_request();
    let keys = Credentials::new(ACCESS_KEY, SECRET_KEY, Some("tok\nen-SECRET".into()));
    let error = sigv4::sign(&mut request, &keys, "us-east-1", "bedrock", clock()).unwrap_err();
    assert!(
        matches!(error, claude_rs_client::Error::Config { .. }),
        "{error:?}"
    );
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains("SECRET") && !shown.contains(SECRET_KEY),
        "{shown}"
    );
}

// No secret in a TRACE line while signing: tests/secrets_in_traces.rs at the
// workspace root captures every crate's TRACE events over whole calls on each
// platform, SigV4 with a session token included.
