//! The client's generic verbs against the mock's Managed Agents: a custom
//! tool turn read from the live event stream, a stream cut mid-frame (an
//! error, and the lost event found in the history), cursor pages.

use claude_rs_client::Client;
use claude_rs_mock::MockServer;
use serde_json::{Value, json};

use crate::support::client;

const BETA: &str = "managed-agents-2026-04-01";

async fn post(client: &Client, path: &str, body: Value) -> Value {
    client.post(path).beta(BETA).json(&body).await.unwrap()
}

/// A session on an agent with the `word_count` custom tool.
async fn session(client: &Client) -> String {
    let tool = json!({"type": "custom", "name": "word_count", "description": "Counts words",
        "input_schema": {"type": "object", "properties": {"text": {"type": "string"}}}});
    let agent = post(
        client,
        "/v1/agents",
        json!({"name": "a", "model": "claude-sonnet-4-6", "tools": [tool]}),
    )
    .await;
    let env = post(client, "/v1/environments", json!({"name": "e"})).await;
    let body = json!({"agent": agent["id"], "environment_id": env["id"]});
    post(client, "/v1/sessions", body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn say(text: &str) -> Value {
    json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": text}]}]})
}

#[tokio::test]
async fn a_custom_tool_turn_read_from_the_stream() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = session(&client).await;
    let mut events = client
        .get("/v1/sessions/{session_id}/events/stream")
        .path_param("session_id", &id)
        .beta(BETA)
        .events::<Value>()
        .await
        .unwrap();
    let events_path = format!("/v1/sessions/{id}/events");
    post(&client, &events_path, say("three little words")).await;
    let mut kinds = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        kinds.push(event["type"].as_str().unwrap().to_owned());
        match event["type"].as_str() {
            Some("agent.custom_tool_use") => {
                assert_eq!(event["input"], json!({"text": "three little words"}));
                let result = json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": event["id"],
                    "content": [{"type": "text", "text": "3"}]}]});
                post(&client, &events_path, result).await;
            }
            Some("agent.message") => assert_eq!(
                event["content"][0]["text"],
                "The word_count tool returned: 3"
            ),
            Some("session.status_idle") if event["stop_reason"]["type"] == "end_turn" => break,
            _ => {}
        }
    }
    assert_eq!(kinds.len(), 8, "{kinds:?}");

    // The history, a page of 3 at a time, holds the same events.
    let history: Vec<Value> = client
        .get(&events_path)
        .beta(BETA)
        .paginate::<Value>()
        .limit(3)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let listed: Vec<&str> = history
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(listed, kinds);
}

#[tokio::test]
async fn a_stream_cut_mid_frame_is_an_error_and_the_history_keeps_the_event() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = session(&client).await;
    server.cut_next_stream(1, true);
    let mut events = client
        .get("/v1/sessions/{session_id}/events/stream")
        .path_param("session_id", &id)
        .beta(BETA)
        .events::<Value>()
        .await
        .unwrap();
    post(&client, &format!("/v1/sessions/{id}/events"), say("hi")).await;
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first["type"], "user.message");
    let cut = events.next().await;
    assert!(
        matches!(cut, Some(Err(_))),
        "the cut must be an error, not a clean end: {cut:?}"
    );
    let history: Value = client
        .get(&format!("/v1/sessions/{id}/events"))
        .beta(BETA)
        .await
        .unwrap();
    assert_eq!(history["data"][1]["type"], "session.status_running");
}
