//! An Admin object with a date-time and a literal choice: typed values out,
//! the very same bytes back in.

use claude_rs_admin::api_keys::{APIKey, APIKeyCreatedByType, APIKeyStatus};

#[test]
fn an_api_key_decodes_typed_and_re_encodes_byte_identically() {
    // In the order the object writes its fields, so the bytes can match.
    let text = concat!(
        r#"{"id":"apikey_01","created_at":"2024-10-30T23:58:27.427722Z","name":"ci","#,
        r#""scope":{"type":"workspace","workspace_id":"wrkspc_01"},"status":"suspended","#,
        r#""type":"api_key","created_by":{"id":"user_01","type":"user"},"#,
        r#""expires_at":"2025-10-31T01:58:27+02:00","partial_key_hint":"sk-ant-api03-R2D...igAA"}"#
    );
    let key: APIKey = serde_json::from_str(text).unwrap();
    assert_eq!(key.status, APIKeyStatus::Unknown("suspended".into()));
    assert_eq!(
        key.created_by.as_ref().map(|c| &c.r#type),
        Some(&APIKeyCreatedByType::User)
    );
    assert_eq!(key.created_at.unix_seconds(), 1_730_332_707);
    assert_eq!(key.created_at.subsec_nanos(), 427_722_000);
    let expires = key.expires_at.as_ref().unwrap();
    assert_eq!(expires.unix_seconds(), 1_761_868_707);
    assert_eq!(expires.offset_minutes(), 120);
    assert_eq!(serde_json::to_string(&key).unwrap(), text);

    let active = text.replace(r#""status":"suspended""#, r#""status":"active""#);
    let key: APIKey = serde_json::from_str(&active).unwrap();
    assert_eq!(key.status, APIKeyStatus::Active);
    assert_eq!(serde_json::to_string(&key).unwrap(), active);
}
