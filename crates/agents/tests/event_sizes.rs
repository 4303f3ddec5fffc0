//! Session events stay small in memory: every event of a stream is moved
//! whole from the decoder to the caller, so the generator boxes the few
//! arms that hold whole resources (`session.updated` carries the agent;
//! unboxed, it made every event 896 bytes). If a new event type makes a
//! union grow past this, the generator's size estimate (`xtask`,
//! `api/gen/size.rs`) needs a look.

use claude_rs_agents::sessions::{
    SessionEvent, SessionUpdatedEvent, StreamSessionEvents, StreamSessionThreadEvents,
};
use serde_json::json;

/// Five cache lines.
const LIMIT: usize = 320;

#[test]
fn session_event_unions_stay_within_a_few_cache_lines() {
    let sizes = [
        ("StreamSessionEvents", size_of::<StreamSessionEvents>()),
        (
            "StreamSessionThreadEvents",
            size_of::<StreamSessionThreadEvents>(),
        ),
        ("SessionEvent", size_of::<SessionEvent>()),
    ];
    for (name, size) in sizes {
        assert!(size <= LIMIT, "{name} is {size} bytes, over {LIMIT}");
    }
    assert!(
        size_of::<SessionUpdatedEvent>() > LIMIT,
        "the arm this test is about is boxed because it is large"
    );
}

#[cfg(feature = "bedrock")]
#[test]
fn bedrock_session_event_unions_stay_within_a_few_cache_lines() {
    use claude_rs_agents::bedrock::sessions::{BedrockSessionEvent, StreamBedrockSessionEvents};
    let sizes = [
        (
            "StreamBedrockSessionEvents",
            size_of::<StreamBedrockSessionEvents>(),
        ),
        ("BedrockSessionEvent", size_of::<BedrockSessionEvent>()),
    ];
    for (name, size) in sizes {
        assert!(size <= LIMIT, "{name} is {size} bytes, over {LIMIT}");
    }
}

/// A boxed arm reads and writes as any other: the same JSON back, unknown
/// fields included.
#[test]
fn a_boxed_arm_round_trips() {
    let wire = json!({
        "type": "session.updated",
        "id": "sevt_1",
        "processed_at": "2026-12-07T17:00:00.123456Z",
        "title": "Renamed",
        "metadata": {"team": "infra"},
        "future_field": [1, 2]
    });
    let event: StreamSessionEvents = serde_json::from_value(wire.clone()).expect("decodes");
    let StreamSessionEvents::SessionUpdated(updated) = &event else {
        panic!("not session.updated: {event:?}");
    };
    assert_eq!(updated.title.as_deref(), Some("Renamed"));
    assert_eq!(updated.extra["future_field"], json!([1, 2]));
    assert_eq!(serde_json::to_value(&event).expect("encodes"), wire);
}
