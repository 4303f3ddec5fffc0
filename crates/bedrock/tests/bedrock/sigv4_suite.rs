//! The AWS SigV4 signing test suite (the cases that apply to how Bedrock
//! requests are signed: signed headers, a session token, double-encoded
//! and normalized paths, sorted queries), each run through
//! `sigv4::sign` and compared byte for byte with the suite's signed
//! request. Cases and provenance: `fixtures/aws-sig-v4-test-suite/`,
//! `fixtures/SOURCES.md`.

use std::path::Path;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use claude_rs_bedrock::{Credentials, sigv4};
use claude_rs_transport::RequestBody;
use http::Request;

/// `double-url-encode` comes from the suite's old format, without a
/// `context.json`: its credentials are the suite's usual ones and its
/// clock, region and service are the ones its signed request shows.
const DOUBLE_URL_ENCODE_CONTEXT: &str = r#"{
    "credentials": {
        "access_key_id": "AKIDEXAMPLE",
        "secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    },
    "region": "us-east-2",
    "service": "lambda",
    "timestamp": "2021-05-11T15:40:45Z"
}"#;

/// Headers as (name, value), in order.
type Headers = Vec<(String, String)>;

fn suite() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws-sig-v4-test-suite")
}

/// A request file: the request line, `Name:value` header lines, a blank
/// line, the body. Returns (method, target, headers in order, body).
fn parse(text: &str) -> (String, String, Headers, Bytes) {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    // The signed-request files of the old format have no ` HTTP/1.1`.
    let target = rest.strip_suffix(" HTTP/1.1").unwrap_or(rest);
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_owned(), value.to_owned())
        })
        .collect();
    (
        method.to_owned(),
        target.to_owned(),
        headers,
        Bytes::from(body.to_owned()),
    )
}

/// Seconds since the epoch of an RFC 3339 UTC timestamp
/// (`2015-08-30T12:36:00Z`).
fn timestamp(text: &str) -> SystemTime {
    let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    // Days from the civil date (proleptic Gregorian).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let secs = days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19);
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
}

/// Signs one case and returns the headers the signer set, as
/// (name, value) in the suite's spelling, next to the suite's.
fn run(case: &str) -> (Headers, Headers) {
    let dir = suite().join(case);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let context: serde_json::Value = serde_json::from_str(
        &read("context.json").unwrap_or_else(|| DOUBLE_URL_ENCODE_CONTEXT.to_owned()),
    )
    .unwrap();
    let (method, target, headers, body) = parse(&read("request.txt").unwrap());
    let host = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.clone())
        .unwrap();
    // As the client sends a request: the host in the URI (the transport
    // writes the `Host` header from it), every other header as it is.
    let mut request = Request::builder()
        .method(method.as_str())
        .uri(format!("https://{host}{target}"));
    for (name, value) in &headers {
        if !name.eq_ignore_ascii_case("host") {
            request = request.header(name.as_str(), value.as_str());
        }
    }
    let mut request = request.body(RequestBody::from(body)).unwrap();
    let sent: Vec<http::HeaderName> = request.headers().keys().cloned().collect();

    let keys = &context["credentials"];
    let credentials = Credentials::new(
        keys["access_key_id"].as_str().unwrap(),
        keys["secret_access_key"].as_str().unwrap(),
        keys["token"].as_str().map(str::to_owned),
    );
    sigv4::sign(
        &mut request,
        &credentials,
        context["region"].as_str().unwrap(),
        context["service"].as_str().unwrap(),
        timestamp(context["timestamp"].as_str().unwrap()),
    )
    .unwrap_or_else(|e| panic!("{case}: {e}"));

    // What the signer added, compared with what the suite's signed
    // request has beyond the request: names case-insensitively, values
    // byte for byte (the suite writes `Authorization: ...` with a space in
    // the old format).
    let mut added: Headers = request
        .headers()
        .iter()
        .filter(|(name, _)| !sent.contains(name))
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
        .collect();
    added.sort();
    let (_, _, signed, _) = parse(&read("header-signed-request.txt").unwrap());
    let mut expected: Headers = signed
        .into_iter()
        .filter(|(name, _)| {
            !headers
                .iter()
                .any(|(sent, _)| sent.eq_ignore_ascii_case(name))
        })
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim_start().to_owned()))
        .collect();
    expected.sort();
    (added, expected)
}

#[test]
fn every_applicable_suite_case_signs_byte_for_byte() {
    let mut cases: Vec<String> = std::fs::read_dir(suite())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 27, "the cases copied (fixtures/SOURCES.md)");
    let mut failed = Vec::new();
    for case in &cases {
        let (added, expected) = run(case);
        assert!(
            expected.iter().any(|(name, _)| name == "authorization"),
            "{case}: the suite's signed request has a signature"
        );
        if added != expected {
            failed.push(format!(
                "{case}:\n  signed:   {added:?}\n  expected: {expected:?}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn the_session_token_is_signed_and_sent() {
    let (added, _) = run("post-sts-header-before");
    let names: Vec<&str> = added.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["authorization", "x-amz-date", "x-amz-security-token"]
    );
    assert!(
        added[0]
            .1
            .contains("SignedHeaders=host;x-amz-date;x-amz-security-token,")
    );
}
