//! Deliveries signed by the Standard Webhooks reference library
//! (`tests/fixtures/signed.json`, made by `tests/fixtures/generate.py`),
//! and every way a delivery is refused.

use std::time::{Duration, UNIX_EPOCH};

use claude_rs_types::Secret;
use claude_rs_webhooks::{Webhook, WebhookError};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Fixture {
    key: String,
    other_key: String,
    cases: Vec<Case>,
}

#[derive(Deserialize, Clone)]
struct Case {
    name: String,
    #[serde(rename = "webhook-id")]
    id: String,
    #[serde(rename = "webhook-timestamp")]
    timestamp: String,
    body: String,
    signature: String,
    other_key_signature: String,
}

impl Case {
    fn seconds(&self) -> u64 {
        self.timestamp.parse().unwrap()
    }

    fn at(&self, offset: i64) -> std::time::SystemTime {
        let at = self.seconds().checked_add_signed(offset).unwrap();
        UNIX_EPOCH + Duration::from_secs(at)
    }

    fn headers(&self, signature: &str) -> Vec<(&'static str, String)> {
        vec![
            ("webhook-id", self.id.clone()),
            ("webhook-timestamp", self.timestamp.clone()),
            ("webhook-signature", signature.to_owned()),
        ]
    }
}

fn fixture() -> Fixture {
    let text = include_str!("fixtures/signed.json");
    serde_json::from_str(text).unwrap()
}

fn webhook(fixture: &Fixture) -> Webhook {
    Webhook::new(&Secret::new(fixture.key.clone())).unwrap()
}

fn first(fixture: &Fixture) -> Case {
    fixture.cases[0].clone()
}

/// Every way `error` is printed shows none of `secrets`.
fn shows_none(error: &WebhookError, secrets: &[&str]) {
    let shown = format!("{error} {error:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[test]
fn deliveries_signed_by_the_reference_library_verify_and_sign_the_same() {
    let fixture = fixture();
    let webhook = webhook(&fixture);
    for case in &fixture.cases {
        let headers = case.headers(&case.signature);
        webhook
            .verify(&headers, case.body.as_bytes(), case.at(0))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(
            webhook.sign(&case.id, case.seconds(), case.body.as_bytes()),
            case.signature,
            "{}",
            case.name
        );
    }
    let case = first(&fixture);
    let event: Value = webhook
        .unwrap(
            &case.headers(&case.signature),
            case.body.as_bytes(),
            case.at(1),
        )
        .unwrap();
    assert_eq!(event["data"]["type"], "session.created");
}

#[test]
fn any_matching_signature_passes_and_other_versions_are_ignored() {
    let fixture = fixture();
    let webhook = webhook(&fixture);
    let case = first(&fixture);
    let body = case.body.as_bytes();
    for header in [
        format!("{} {}", case.other_key_signature, case.signature),
        format!("{} {}", case.signature, case.other_key_signature),
        format!("v2,AAAA {}", case.signature),
        format!("v1a,{} {}", &case.signature[3..], case.signature),
        format!("  {}  ", case.signature),
    ] {
        webhook
            .verify(&case.headers(&header), body, case.at(0))
            .unwrap_or_else(|e| panic!("{header}: {e}"));
    }
    // The signature of another key alone, or under another version, fails.
    let other = webhook
        .verify(&case.headers(&case.other_key_signature), body, case.at(0))
        .unwrap_err();
    assert!(
        matches!(other, WebhookError::SignatureMismatch),
        "{other:?}"
    );
    let key_b = Webhook::new(&Secret::new(fixture.other_key.clone())).unwrap();
    key_b
        .verify(&case.headers(&case.other_key_signature), body, case.at(0))
        .unwrap();
    let renamed = format!("v2,{}", &case.signature[3..]);
    let error = webhook
        .verify(&case.headers(&renamed), body, case.at(0))
        .unwrap_err();
    assert!(
        matches!(
            error,
            WebhookError::InvalidHeader {
                name: "webhook-signature",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn an_altered_body_id_or_timestamp_fails() {
    let fixture = fixture();
    let webhook = webhook(&fixture);
    let case = first(&fixture);
    let mut headers = case.headers(&case.signature);
    let altered_body = case.body.replace("sesn_", "sesx_");
    let error = webhook
        .verify(&headers, altered_body.as_bytes(), case.at(0))
        .unwrap_err();
    assert!(matches!(error, WebhookError::SignatureMismatch));
    shows_none(
        &error,
        &[&case.signature[3..], &fixture.key[6..], &case.body],
    );

    headers[0].1 = "msg_other".to_owned();
    let error = webhook
        .verify(&headers, case.body.as_bytes(), case.at(0))
        .unwrap_err();
    assert!(matches!(error, WebhookError::SignatureMismatch));

    let mut headers = case.headers(&case.signature);
    headers[1].1 = (case.seconds() + 1).to_string();
    let error = webhook
        .verify(&headers, case.body.as_bytes(), case.at(0))
        .unwrap_err();
    assert!(matches!(error, WebhookError::SignatureMismatch));
}

#[test]
fn the_tolerance_is_five_minutes_either_way_and_inclusive() {
    let fixture = fixture();
    let webhook = webhook(&fixture);
    let case = first(&fixture);
    let headers = case.headers(&case.signature);
    let body = case.body.as_bytes();
    webhook.verify(&headers, body, case.at(300)).unwrap();
    webhook.verify(&headers, body, case.at(-300)).unwrap();
    match webhook.verify(&headers, body, case.at(301)).unwrap_err() {
        WebhookError::TimestampTooOld { age, tolerance } => {
            assert_eq!((age.as_secs(), tolerance.as_secs()), (301, 300));
        }
        other => panic!("{other:?}"),
    }
    match webhook.verify(&headers, body, case.at(-301)).unwrap_err() {
        WebhookError::TimestampInFuture { ahead, tolerance } => {
            assert_eq!((ahead.as_secs(), tolerance.as_secs()), (301, 300));
        }
        other => panic!("{other:?}"),
    }
    let error = webhook.verify(&headers, body, case.at(3600)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the webhook delivery's timestamp is 3600s old, more than the 300s tolerance"
    );
    // An old delivery fails even with a valid signature; a wider tolerance
    // accepts it.
    let patient = Webhook::new(&Secret::new(fixture.key.clone()))
        .unwrap()
        .tolerance(Duration::from_secs(3600));
    patient.verify(&headers, body, case.at(3600)).unwrap();
}

#[test]
fn missing_and_malformed_headers_are_named() {
    let fixture = fixture();
    let webhook = webhook(&fixture);
    let case = first(&fixture);
    let body = case.body.as_bytes();
    for (index, name) in ["webhook-id", "webhook-timestamp", "webhook-signature"]
        .into_iter()
        .enumerate()
    {
        let mut headers = case.headers(&case.signature);
        headers.remove(index);
        let error = webhook.verify(&headers, body, case.at(0)).unwrap_err();
        assert!(
            matches!(error, WebhookError::MissingHeader { name: n } if n == name),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("the webhook delivery has no {name} header")
        );
        let mut headers = case.headers(&case.signature);
        headers[index].1 = " ".to_owned();
        let error = webhook.verify(&headers, body, case.at(0)).unwrap_err();
        assert!(
            matches!(error, WebhookError::MissingHeader { .. }),
            "{error:?}"
        );
    }
    for timestamp in [
        "abc",
        "-5",
        "1.5",
        "+1765123200",
        "1e9",
        "99999999999999999999999",
    ] {
        let mut headers = case.headers(&case.signature);
        headers[1].1 = timestamp.to_owned();
        let error = webhook.verify(&headers, body, case.at(0)).unwrap_err();
        assert!(
            matches!(
                error,
                WebhookError::InvalidHeader {
                    name: "webhook-timestamp",
                    ..
                }
            ),
            "{timestamp}: {error:?}"
        );
    }
    for signature in [
        "garbage",
        "v1",
        "v1,",
        "v1,!!!not-base64",
        "v2,AAAA v3,BBBB",
    ] {
        let error = webhook
            .verify(&case.headers(signature), body, case.at(0))
            .unwrap_err();
        assert!(
            matches!(
                error,
                WebhookError::InvalidHeader {
                    name: "webhook-signature",
                    ..
                }
            ),
            "{signature}: {error:?}"
        );
        shows_none(&error, &["!!!not-base64", "AAAA"]);
    }
}

#[test]
fn headers_from_an_http_header_map_are_read() {
    let fixture = fixture();
    let webhook = webhook(&fixture);
    let case = first(&fixture);
    let mut headers = http::HeaderMap::new();
    for (name, value) in case.headers(&case.signature) {
        headers.insert(name, value.parse().unwrap());
    }
    webhook
        .verify(&headers, case.body.as_bytes(), case.at(0))
        .unwrap();
}

#[test]
fn a_body_that_is_not_the_event_type_is_a_decode_error_after_verifying() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Strict {
        missing_field: u32,
    }
    let fixture = fixture();
    let webhook = webhook(&fixture);
    let case = first(&fixture);
    let error = webhook
        .unwrap::<Strict, _>(
            &case.headers(&case.signature),
            case.body.as_bytes(),
            case.at(0),
        )
        .unwrap_err();
    assert!(matches!(error, WebhookError::Decode(_)), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());
    // A bad signature is reported before any parsing.
    let error = webhook
        .unwrap::<Value, _>(
            &case.headers(&case.other_key_signature),
            b"not json",
            case.at(0),
        )
        .unwrap_err();
    assert!(matches!(error, WebhookError::SignatureMismatch));
}

#[test]
fn the_key_comes_from_the_variable_and_is_never_shown() {
    let fixture = fixture();
    let case = first(&fixture);
    let key = fixture.key.clone();
    let from_env = Webhook::from_env_lookup(|name| {
        (name == "ANTHROPIC_WEBHOOK_SIGNING_KEY").then(|| key.clone())
    })
    .unwrap();
    from_env
        .verify(
            &case.headers(&case.signature),
            case.body.as_bytes(),
            case.at(0),
        )
        .unwrap();
    assert!(!format!("{from_env:?}").contains(&fixture.key[6..]));

    for unset in [None, Some(String::new())] {
        let error = Webhook::from_env_lookup(|_| unset.clone()).unwrap_err();
        assert!(matches!(error, WebhookError::MissingKey));
        assert!(error.to_string().contains("ANTHROPIC_WEBHOOK_SIGNING_KEY"));
    }
    let error = Webhook::from_env_lookup(|_| Some("whsec_%%SECRET%%".to_owned())).unwrap_err();
    assert!(matches!(error, WebhookError::InvalidKey { .. }));
    shows_none(&error, &["SECRET"]);
}
