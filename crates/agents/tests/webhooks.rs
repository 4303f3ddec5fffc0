//! A webhook delivery verified by `claude-rs-webhooks` and decoded into the
//! generated event union: a known event type is typed, an unknown one is
//! kept whole in the catch-all, and a tampered body is refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use claude_rs_agents::shared::{WebhookEvent, WebhookEventData};
use claude_rs_types::Secret;
use claude_rs_webhooks::{Webhook, WebhookError};

const KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn deliver(webhook: &Webhook, body: &str, at: u64) -> Vec<(&'static str, String)> {
    vec![
        ("webhook-id", "msg_1".to_owned()),
        ("webhook-timestamp", at.to_string()),
        (
            "webhook-signature",
            webhook.sign("msg_1", at, body.as_bytes()),
        ),
    ]
}

#[test]
fn a_signed_delivery_decodes_into_the_event_union() {
    let webhook = Webhook::new(&Secret::new(KEY)).unwrap();
    let now = SystemTime::now();
    let at = now.duration_since(UNIX_EPOCH).unwrap().as_secs();

    let body = r#"{"id":"wevt_1","type":"event","created_at":"2026-12-07T18:00:00Z","data":{"type":"session.created","id":"sesn_1","organization_id":"org_1","workspace_id":"wrkspc_1","new_field":1}}"#;
    let headers = deliver(&webhook, body, at);
    let event: WebhookEvent = webhook.unwrap(&headers, body.as_bytes(), now).unwrap();
    match &event.data {
        WebhookEventData::SessionCreated(data) => {
            assert_eq!(data.id, "sesn_1");
            assert_eq!(data.extra.get("new_field"), Some(&serde_json::json!(1)));
        }
        other => panic!("not typed: {other:?}"),
    }
    // Written back as received.
    let back: serde_json::Value = serde_json::to_value(&event).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(body).unwrap()
    );

    // An event type this crate does not know yet is kept whole.
    let body = r#"{"id":"wevt_2","type":"event","created_at":"2026-12-07T18:00:00Z","data":{"type":"session.teleported","id":"sesn_1"}}"#;
    let headers = deliver(&webhook, body, at);
    let event: WebhookEvent = webhook.unwrap(&headers, body.as_bytes(), now).unwrap();
    assert!(event.data.is_unknown());
    assert_eq!(event.data.type_str(), "session.teleported");

    // A body changed after signing, or an old delivery, is refused.
    let tampered = body.replace("sesn_1", "sesn_2");
    let refused = webhook.unwrap::<WebhookEvent, _>(&headers, tampered.as_bytes(), now);
    assert!(
        matches!(refused, Err(WebhookError::SignatureMismatch)),
        "{refused:?}"
    );
    let later = now + Duration::from_secs(301);
    let refused = webhook.unwrap::<WebhookEvent, _>(&headers, body.as_bytes(), later);
    assert!(
        matches!(refused, Err(WebhookError::TimestampTooOld { .. })),
        "{refused:?}"
    );
}
