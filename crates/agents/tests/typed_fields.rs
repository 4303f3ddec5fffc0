//! The generated types' date-times and literal choices: decoded into
//! `Timestamp` and named string enums, an unknown status kept, and the
//! object written back as it came (the server's timestamp texts unchanged).

use claude_rs_agents::sessions::{Session, SessionStatus, SessionsListQuery};
use claude_rs_types::datetime::Timestamp;
use serde_json::{Value, json};

/// A session shaped as the API returns it (synthetic values, `anthropic`
/// 2.17.0 field order), with a status this version does not know and
/// timestamps in three precisions and two offsets.
fn recorded() -> Value {
    json!({
        "id": "sesn_01",
        "type": "session",
        "agent": {
            "id": "agent_01", "type": "agent", "version": 1, "name": "helper",
            "model": {"id": "claude-sonnet-5"},
            "execution_identity": {"type": "aws_role", "role_arn": "arn:aws:iam::1:role/r"},
            "mcp_servers": [], "skills": [], "tools": []
        },
        "created_at": "2026-05-01T12:00:00.123456Z",
        "updated_at": "2026-05-01T14:00:05.5+02:00",
        "archived_at": "2026-05-02T00:00:00.000000001-04:30",
        "environment_id": "env_01",
        "metadata": {},
        "outcome_evaluations": [],
        "resources": [],
        "stats": {},
        "status": "hibernating",
        "usage": {},
        "vault_ids": []
    })
}

#[test]
fn a_session_exposes_typed_values_and_writes_back_what_it_received() {
    let text = serde_json::to_string(&recorded()).unwrap();
    let session: Session = serde_json::from_str(&text).unwrap();

    assert_eq!(session.status, SessionStatus::Unknown("hibernating".into()));
    assert!(session.status.is_unknown());
    assert_eq!(session.created_at.unix_seconds(), 1_777_636_800);
    assert_eq!(session.created_at.subsec_nanos(), 123_456_000);
    // 14:00:05.5 at +02:00 is 12:00:05.5 UTC.
    assert_eq!(session.updated_at.unix_seconds(), 1_777_636_805);
    assert_eq!(session.updated_at.subsec_nanos(), 500_000_000);
    assert_eq!(session.updated_at.offset_minutes(), 120);
    let archived = session.archived_at.as_ref().unwrap();
    assert_eq!(archived.offset_minutes(), -270);
    assert_eq!(archived.subsec_nanos(), 1);
    assert!(session.created_at < session.updated_at && session.updated_at < *archived);
    assert_eq!(
        session.updated_at,
        Timestamp::parse("2026-05-01T12:00:05.500Z").unwrap()
    );

    // Back to JSON: the same value, each timestamp's text byte for byte.
    let again = serde_json::to_string(&session).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), recorded());
    for stamp in [
        r#""created_at":"2026-05-01T12:00:00.123456Z""#,
        r#""updated_at":"2026-05-01T14:00:05.5+02:00""#,
        r#""archived_at":"2026-05-02T00:00:00.000000001-04:30""#,
        r#""status":"hibernating""#,
    ] {
        assert!(again.contains(stamp), "{stamp} not in {again}");
    }
    // And that text, read again, is written back byte-identically.
    let reread: Session = serde_json::from_str(&again).unwrap();
    assert_eq!(serde_json::to_string(&reread).unwrap(), again);
    assert_eq!(reread, session);

    // A known status is its variant.
    let mut idle = recorded();
    idle["status"] = json!("idle");
    let session: Session = serde_json::from_value(idle).unwrap();
    assert_eq!(session.status, SessionStatus::Idle);
}

#[test]
fn a_malformed_timestamp_is_an_error_naming_the_field_and_the_position() {
    let mut bad = recorded();
    bad["created_at"] = json!("2026-05-01 12:00");
    let error = serde_json::from_value::<Session>(bad)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("created_at")
            && error.contains(r#"expected RFC 3339 date-time, got "2026-05-01 12:00": expected ':' at position 16"#),
        "{error}"
    );
}

#[test]
fn a_date_time_query_parameter_takes_a_timestamp() {
    let mut query = SessionsListQuery::default();
    query.created_at_gte = Some(Timestamp::from_unix(1_777_636_800, 0).unwrap());
    assert_eq!(
        query.created_at_gte.as_ref().map(Timestamp::as_str),
        Some("2026-05-01T12:00:00Z")
    );
}
