//! Resumable session streams against the mock: a connection cut in the
//! middle of a frame, with the next event persisted but never delivered on
//! it, still hands every event over once and in order.

use std::collections::HashSet;

use claude_rs_agents::resume::{Persisted, ResumableStream, ResumeOptions};
use claude_rs_agents::sessions::StreamSessionEvents;
use claude_rs_client::Client;
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use serde_json::{Value, json};

const BETA: &str = "managed-agents-2026-04-01";

async fn post(client: &Client, path: &str, body: Value) -> Value {
    client.post(path).beta(BETA).json(&body).await.unwrap()
}

/// A session on an agent, with the `word_count` custom tool or without.
async fn session(client: &Client, tool: bool) -> String {
    let tools = if tool {
        json!([{"type": "custom", "name": "word_count", "description": "Counts words",
            "input_schema": {"type": "object", "properties": {"text": {"type": "string"}}}}])
    } else {
        json!([])
    };
    let agent = post(
        client,
        "/v1/agents",
        json!({"name": "a", "model": "claude-sonnet-4-6", "tools": tools}),
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

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-ant-api03-test")
        .base_url(server.base_url())
        .build()
        .unwrap()
}

/// Reads until the session goes idle with `end_turn`, answering `word_count`.
async fn read_turn(
    client: &Client,
    id: &str,
    events: &mut ResumableStream<StreamSessionEvents>,
) -> Vec<StreamSessionEvents> {
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        let raw = serde_json::to_value(&event).unwrap();
        seen.push(event);
        match raw["type"].as_str() {
            Some("agent.custom_tool_use") => {
                let words = raw["input"]["text"]
                    .as_str()
                    .unwrap()
                    .split_whitespace()
                    .count();
                let result = json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": raw["id"],
                    "content": [{"type": "text", "text": words.to_string()}]}]});
                post(client, &format!("/v1/sessions/{id}/events"), result).await;
            }
            Some("session.status_idle") if raw["stop_reason"]["type"] == "end_turn" => break,
            _ => {}
        }
    }
    seen
}

async fn history_ids(client: &Client, id: &str) -> Vec<String> {
    let history: Vec<Value> = client
        .get(&format!("/v1/sessions/{id}/events"))
        .beta(BETA)
        .paginate::<Value>()
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    history
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(events: &[StreamSessionEvents]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| e.event_id().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_cut_mid_frame_loses_and_repeats_nothing() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = session(&client, true).await;
    // The first connection delivers one event, then half of the next frame.
    server.cut_next_stream(1, true);
    let mut events = ResumableStream::session(&client, &id, ResumeOptions::default());
    // Nothing is sent until the stream is read: send once it is open.
    let send = {
        let client = client.clone();
        let id = id.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            post(
                &client,
                &format!("/v1/sessions/{id}/events"),
                say("three little words"),
            )
            .await;
        })
    };
    let seen = read_turn(&client, &id, &mut events).await;
    send.await.unwrap();
    assert_eq!(events.reconnects(), 1, "{events:?}");
    let delivered = ids(&seen);
    let unique: HashSet<&String> = delivered.iter().collect();
    assert_eq!(
        unique.len(),
        delivered.len(),
        "an event was handed over twice: {delivered:?}"
    );
    assert_eq!(delivered, history_ids(&client, &id).await);
    let kinds: Vec<&str> = seen.iter().map(StreamSessionEvents::type_str).collect();
    assert_eq!(kinds.first(), Some(&"user.message"));
    assert!(
        kinds.contains(&"agent.custom_tool_use") && kinds.contains(&"agent.message"),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn history_first_then_live() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = session(&client, false).await;
    // A whole turn before the stream is opened: it is in the history only.
    post(&client, &format!("/v1/sessions/{id}/events"), say("before")).await;
    let mut events = ResumableStream::session(&client, &id, ResumeOptions::default());
    let first = read_turn(&client, &id, &mut events).await;
    assert_eq!(ids(&first), history_ids(&client, &id).await);
    // Then a live turn on the same stream.
    post(&client, &format!("/v1/sessions/{id}/events"), say("after")).await;
    let second = read_turn(&client, &id, &mut events).await;
    let mut all = ids(&first);
    all.extend(ids(&second));
    assert_eq!(all, history_ids(&client, &id).await);
    assert_eq!(events.reconnects(), 0);
}

#[tokio::test]
async fn from_now_skips_the_history() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = session(&client, false).await;
    post(&client, &format!("/v1/sessions/{id}/events"), say("before")).await;
    let before = history_ids(&client, &id).await;
    let mut events =
        ResumableStream::session(&client, &id, ResumeOptions::default().history(false));
    let send = {
        let client = client.clone();
        let id = id.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            post(&client, &format!("/v1/sessions/{id}/events"), say("after")).await;
        })
    };
    let seen = read_turn(&client, &id, &mut events).await;
    send.await.unwrap();
    let all = history_ids(&client, &id).await;
    assert_eq!(ids(&seen), all[before.len()..]);
}

/// A client whose own retries are off, so that the stream's reconnects are
/// what mends a failed read.
fn client_without_retries(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-ant-api03-test")
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap()
}

/// Quick reconnects for tests.
fn quick() -> ResumeOptions {
    let delay = std::time::Duration::from_millis(5);
    ResumeOptions::default().backoff(claude_rs_client::Backoff::new(delay, delay))
}

/// A history read cut before its first body byte (`fault` on the first
/// `GET .../events`): the stream reconnects and hands the whole history
/// over, never ending it early.
async fn first_history_read_cut(cut: impl FnOnce(&MockServer)) {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let id = session(&client, false).await;
    post(&client, &format!("/v1/sessions/{id}/events"), say("before")).await;
    let before = history_ids(&client, &id).await;
    cut(&server);
    let mut events = ResumableStream::session(&client, &id, quick());
    let seen = read_turn(&client, &id, &mut events).await;
    assert_eq!(ids(&seen), before);
    assert_eq!(events.reconnects(), 1, "{events:?}");
}

#[tokio::test]
async fn a_history_page_closed_before_its_body_reconnects() {
    first_history_read_cut(|server| {
        let cut = Fault::reset_after(0);
        server.inject(FaultRule::once(cut).on(Route::SessionEvents));
    })
    .await;
}

#[tokio::test]
async fn an_empty_history_page_body_reconnects() {
    first_history_read_cut(|server| {
        let empty = MockResponse::raw("application/json", Vec::<u8>::new());
        server.enqueue_on(Route::SessionEvents, empty);
    })
    .await;
}

/// The catch-up after a cut connection (the history newest first) comes
/// back as a 200 with an empty body: the stream reconnects once more and
/// still hands every event over once.
#[tokio::test]
async fn an_empty_catch_up_page_reconnects_and_catches_up() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let id = session(&client, false).await;
    let emptied = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    {
        let emptied = std::sync::Arc::clone(&emptied);
        server.respond_on(Route::SessionEvents, move |request| {
            let catch_up = request.method == claude_rs_client::http::Method::GET
                && request.query_param("order") == Some("desc");
            if catch_up && emptied.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                MockResponse::raw("application/json", Vec::<u8>::new())
            } else {
                MockResponse::default_reply()
            }
        });
    }
    // The first connection delivers one event, then half of the next frame.
    server.cut_next_stream(1, true);
    let mut events = ResumableStream::session(&client, &id, quick());
    let send = {
        let client = client.clone();
        let id = id.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            post(&client, &format!("/v1/sessions/{id}/events"), say("hello")).await;
        })
    };
    let seen = read_turn(&client, &id, &mut events).await;
    send.await.unwrap();
    assert!(emptied.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    assert_eq!(ids(&seen), history_ids(&client, &id).await);
    assert_eq!(events.reconnects(), 2, "{events:?}");
}
