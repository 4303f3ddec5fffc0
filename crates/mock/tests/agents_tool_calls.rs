//! The scripted agent making several custom tool calls in one turn, queued
//! from Rust or over the control route: every call at once (each on its
//! thread), one `requires_action` naming them all, and the turn going on
//! only once each has its result.

#[path = "common/agents.rs"]
mod agents;
mod common;

use agents::{call, ok, session, user_message, word_count};
use claude_rs_mock::MockServer;
use serde_json::{Value, json};

fn result(id: &Value, text: &str) -> Value {
    json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": id,
        "content": [{"type": "text", "text": text}]}]})
}

async fn history(server: &MockServer, id: &str) -> Vec<Value> {
    let page = ok(
        server,
        "GET",
        &format!("/v1/sessions/{id}/events?limit=100"),
        None,
    )
    .await;
    page["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn several_calls_in_one_turn_wait_for_every_result() {
    let server = MockServer::start().await;
    let id = session(&server, word_count()).await;
    server.enqueue_agent_tool_calls([("word_count", None), ("word_count", Some("sthr_b"))]);
    let events_path = format!("/v1/sessions/{id}/events");
    ok(&server, "POST", &events_path, Some(user_message("a b c"))).await;

    let events = history(&server, &id).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "user.message",
            "session.status_running",
            "agent.custom_tool_use",
            "agent.custom_tool_use",
            "session.status_idle",
        ]
    );
    let (first, second) = (&events[2], &events[3]);
    assert_eq!(first["input"], json!({"text": "a b c"}));
    assert!(first.get("session_thread_id").is_none(), "{first}");
    assert_eq!(second["session_thread_id"], "sthr_b");
    assert_eq!(
        events[4]["stop_reason"],
        json!({"type": "requires_action", "event_ids": [first["id"], second["id"]]})
    );

    // The second first: the agent still waits for the other.
    ok(
        &server,
        "POST",
        &events_path,
        Some(result(&second["id"], "2")),
    )
    .await;
    assert_eq!(history(&server, &id).await.len(), events.len() + 1);
    // A call answered already is no longer awaited.
    let again = call(
        &server,
        "POST",
        &events_path,
        Some(result(&second["id"], "2")),
    )
    .await;
    assert_eq!(again.status, 400, "{}", again.text());
    ok(
        &server,
        "POST",
        &events_path,
        Some(result(&first["id"], "3")),
    )
    .await;
    let events = history(&server, &id).await;
    let reply = events.iter().rev().find(|e| e["type"] == "agent.message");
    assert_eq!(
        reply.unwrap()["content"][0]["text"],
        "The word_count tool returned: 2\nThe word_count tool returned: 3"
    );
    let last = events.last().unwrap();
    assert_eq!(last["stop_reason"]["type"], "end_turn");

    // The next turn is the usual one call of the first custom tool.
    ok(&server, "POST", &events_path, Some(user_message("d"))).await;
    let later = history(&server, &id).await;
    let calls = later[events.len()..]
        .iter()
        .filter(|e| e["type"] == "agent.custom_tool_use")
        .count();
    assert_eq!(calls, 1);
}

#[tokio::test]
async fn calls_queued_over_the_control_route() {
    let server = MockServer::start().await;
    let id = session(&server, json!([])).await;
    let body =
        json!({"calls": [{"name": "lookup"}, {"name": "fetch", "session_thread_id": "sthr_x"}]});
    let queued = common::post(&server, "/_mock/agent_tool_calls", &body).await;
    assert_eq!(queued.status, 200, "{}", queued.text());
    assert_eq!(queued.json()["queued_turns"], 1);
    for bad in [
        json!({}),
        json!({"calls": []}),
        json!({"calls": [{"session_thread_id": "sthr_x"}]}),
        json!({"calls": [{"name": "x", "session_thread_id": 4}]}),
    ] {
        let refused = common::post(&server, "/_mock/agent_tool_calls", &bad).await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text());
    }
    let events_path = format!("/v1/sessions/{id}/events");
    ok(&server, "POST", &events_path, Some(user_message("hi"))).await;
    let events = history(&server, &id).await;
    let used: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "agent.custom_tool_use")
        .collect();
    assert_eq!(used.len(), 2);
    // Tools the agent does not have get an empty input.
    assert_eq!(used[0]["name"], "lookup");
    assert_eq!(used[0]["input"], json!({}));
    assert_eq!(used[1]["name"], "fetch");
    assert_eq!(used[1]["session_thread_id"], "sthr_x");
}
