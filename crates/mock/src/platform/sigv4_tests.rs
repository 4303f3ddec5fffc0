//! The verifier against botocore 1.44.8's signatures
//! (`tests/fixtures/bedrock/sign_ref*.out`, see SOURCES.md there).

use super::*;

const HOST: &str = "bedrock-runtime.us-east-1.amazonaws.com";
const BODY: &[u8] = include_bytes!("../../tests/fixtures/bedrock/sign_body.json");
const REF: &str = include_str!("../../tests/fixtures/bedrock/sign_ref.out");
const REF_ARN: &str = include_str!("../../tests/fixtures/bedrock/sign_ref_arn.out");

fn keys(token: Option<&str>) -> AwsKeys {
    AwsKeys {
        access_key_id: "AKIDEXAMPLE".to_owned(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
        session_token: token.map(str::to_owned),
    }
}

/// botocore's fixed clock, 2024-01-02T03:04:05Z.
fn clock() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

/// The headers of `sign_ref.out`'s request as they arrive, with the given
/// authorization and token.
fn reference_headers(authorization: &str, token: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("host", HOST),
        ("content-type", "application/json"),
        ("accept", "application/json"),
        ("anthropic-beta", "a,b"),
        ("x-stainless-retry-count", "0"),
        ("user-agent", "x/1"),
        ("x-amz-date", "20240102T030405Z"),
        ("authorization", authorization),
    ] {
        headers.insert(name, value.parse().unwrap());
    }
    if let Some(token) = token {
        headers.insert("x-amz-security-token", token.parse().unwrap());
    }
    headers
}

const STREAM_PATH: &str =
    "/model/anthropic.claude-3-5-sonnet-20241022-v2:0/invoke-with-response-stream";

fn signed<'r>(path: &'r str, headers: &'r HeaderMap, body: &'r [u8]) -> Signed<'r> {
    Signed {
        method: "POST",
        path,
        query: None,
        headers,
        authority: None,
        body,
    }
}

#[test]
fn accepts_botocores_signatures_with_and_without_a_session_token() {
    let lines: Vec<serde_json::Value> = REF
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for line in lines {
        let token = line["token"].as_str();
        let headers = reference_headers(line["authorization"].as_str().unwrap(), token);
        let request = signed(STREAM_PATH, &headers, BODY);
        assert_eq!(
            verify(&request, &keys(token), "bedrock", Some(clock())),
            Ok(())
        );
        // Without the clock check too (the vectors' date is fixed).
        assert_eq!(verify(&request, &keys(token), "bedrock", None), Ok(()));
    }
}

#[test]
fn accepts_botocores_signature_of_an_inference_profile_arn() {
    let lines: Vec<&str> = REF_ARN.lines().collect();
    let url = lines[0];
    let path = &url[url.find("/model/").unwrap()..];
    assert!(
        path.contains("%2F"),
        "sent with the ARN's slash encoded once"
    );
    assert_eq!(
        encode(path, true),
        lines[1],
        "the canonical URI, double-encoded"
    );
    let mut headers = HeaderMap::new();
    headers.insert("host", HOST.parse().unwrap());
    headers.insert("content-type", "application/json".parse().unwrap());
    headers.insert("x-amz-date", "20240102T030405Z".parse().unwrap());
    headers.insert("authorization", lines[2].parse().unwrap());
    assert_eq!(
        verify(&signed(path, &headers, BODY), &keys(None), "bedrock", None),
        Ok(())
    );
}

fn first_reference() -> (String, HeaderMap) {
    let line: serde_json::Value = serde_json::from_str(REF.lines().next().unwrap()).unwrap();
    let auth = line["authorization"].as_str().unwrap().to_owned();
    let headers = reference_headers(&auth, None);
    (auth, headers)
}

#[test]
fn refuses_any_change_to_what_was_signed() {
    let (_, headers) = first_reference();
    let mismatch = |request: &Signed<'_>, keys: &AwsKeys| {
        verify(request, keys, "bedrock", None).map_err(|r| r.kind)
    };
    // The body, the path, a signed header, the secret.
    let mut body = BODY.to_vec();
    body[10] ^= 1;
    assert_eq!(
        mismatch(&signed(STREAM_PATH, &headers, &body), &keys(None)),
        Err("InvalidSignatureException")
    );
    let other_path = STREAM_PATH.replace("stream", "strean");
    assert_eq!(
        mismatch(&signed(&other_path, &headers, BODY), &keys(None)),
        Err("InvalidSignatureException")
    );
    let mut changed = headers.clone();
    changed.insert("anthropic-beta", "a,c".parse().unwrap());
    assert_eq!(
        mismatch(&signed(STREAM_PATH, &changed, BODY), &keys(None)),
        Err("InvalidSignatureException")
    );
    let mut wrong_secret = keys(None);
    wrong_secret.secret_access_key.push('x');
    let refusal = verify(
        &signed(STREAM_PATH, &headers, BODY),
        &wrong_secret,
        "bedrock",
        None,
    )
    .unwrap_err();
    assert!(
        refusal
            .message
            .starts_with("The request signature we calculated does not match")
    );
    // An unsigned header may change (user-agent is not signed).
    let mut agent = headers.clone();
    agent.insert("user-agent", "y/2".parse().unwrap());
    assert_eq!(
        mismatch(&signed(STREAM_PATH, &agent, BODY), &keys(None)),
        Ok(())
    );
}

#[test]
fn refuses_the_wrong_key_service_token_date_or_body_hash() {
    let (_, headers) = first_reference();
    let request = signed(STREAM_PATH, &headers, BODY);
    let kind = |keys: &AwsKeys, service: &str, now: Option<SystemTime>| {
        verify(&request, keys, service, now).map_err(|r| r.kind)
    };
    let mut other_key = keys(None);
    other_key.access_key_id = "AKIDOTHER".to_owned();
    assert_eq!(
        kind(&other_key, "bedrock", None),
        Err("UnrecognizedClientException")
    );
    assert_eq!(
        kind(&keys(None), "bedrock-mantle", None),
        Err("InvalidSignatureException")
    );
    // A token is required once configured.
    assert_eq!(
        kind(&keys(Some("TOKEN")), "bedrock", None),
        Err("UnrecognizedClientException")
    );
    // Sixteen minutes late.
    let late = clock() + Duration::from_secs(16 * 60);
    assert_eq!(
        kind(&keys(None), "bedrock", Some(late)),
        Err("InvalidSignatureException")
    );
    let mut hashed = headers.clone();
    hashed.insert("x-amz-content-sha256", "00".parse().unwrap());
    assert_eq!(
        verify(
            &signed(STREAM_PATH, &hashed, BODY),
            &keys(None),
            "bedrock",
            None
        )
        .map_err(|r| r.kind),
        Err("InvalidSignatureException")
    );
    let mut none = headers.clone();
    none.remove("authorization");
    assert_eq!(
        verify(
            &signed(STREAM_PATH, &none, BODY),
            &keys(None),
            "bedrock",
            None
        )
        .map_err(|r| r.kind),
        Err("MissingAuthenticationTokenException")
    );
    let mut garbled = headers.clone();
    garbled.insert(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE".parse().unwrap(),
    );
    assert_eq!(
        verify(
            &signed(STREAM_PATH, &garbled, BODY),
            &keys(None),
            "bedrock",
            None
        )
        .map_err(|r| r.kind),
        Err("IncompleteSignatureException")
    );
}

#[test]
fn dates_and_encodings() {
    assert_eq!(parse_amz_date("20240102T030405Z"), Some(clock()));
    assert_eq!(parse_amz_date("2024-01-02T03:04:05Z"), None);
    assert_eq!(parse_amz_date("20241302T030405Z"), None);
    assert_eq!(crate::query::percent_decode("a%2Fb%3a%zz"), "a/b:%zz");
    assert_eq!(canonical_query(Some("b=2&a=x%20y&a=1")), "a=1&a=x%20y&b=2");
    assert_eq!(collapse("  a   b  "), "a b");
    assert_eq!(unhex("0aff"), Some(vec![10, 255]));
    assert_eq!(unhex("0g"), None);
}
