//! A work item's session client against the mock: the session's calls
//! authenticated by the item's sessions token (as the official SDKs'
//! worker does), never by the API key, and never shown.

use claude_rs_agents::ManagedAgentsExt as _;
use claude_rs_agents::work::WorkPoller;
use claude_rs_client::Client;
use claude_rs_mock::MockServer;
use serde_json::{Value, json};

const BETA: &str = "managed-agents-2026-04-01";
const API_KEY: &str = "sk-ant-api03-only-for-the-admin-side";

async fn post(client: &Client, path: &str, body: Value) -> Value {
    client.post(path).beta(BETA).json(&body).await.unwrap()
}

#[tokio::test]
async fn the_session_client_carries_the_sessions_token() {
    // The mock requires the API key, except for a sessions token on its
    // own session's calls.
    let server = MockServer::builder().api_key(API_KEY).start().await;
    let api = Client::builder()
        .api_key(API_KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let env = post(
        &api,
        "/v1/environments",
        json!({"name": "e", "config": {"type": "self_hosted"}}),
    )
    .await;
    let env = env["id"].as_str().unwrap();
    let agent = post(
        &api,
        "/v1/agents",
        json!({"name": "a", "model": "claude-sonnet-4-6", "tools": []}),
    )
    .await;
    let mut sessions = Vec::new();
    for _ in 0..2 {
        let body = json!({"agent": agent["id"], "environment_id": env});
        sessions.push(post(&api, "/v1/sessions", body).await["id"].clone());
    }
    let key = claude_rs_types::Secret::new(server.environment_key(env).unwrap());
    let url = server.base_url().to_owned();
    let poller = WorkPoller::builder(env, key)
        .client(move || {
            Client::builder()
                .api_key("sk-ant-never-sent")
                .base_url(&url)
                .max_retries(0)
        })
        .heartbeats(false)
        .build()
        .unwrap();
    let item = poller.next().await.unwrap().expect("an item");
    let session_id = item.session_id().to_owned();
    let token = item.sessions_token().unwrap().expect("a sessions token");

    let client = item.session_client().unwrap();
    let session = client.sessions().retrieve(&session_id).await.unwrap();
    assert_eq!(session.id, session_id);
    let say =
        json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]});
    let _: Value = client
        .post(&format!("/v1/sessions/{session_id}/events"))
        .beta(BETA)
        .json(&say)
        .await
        .unwrap();
    let calls = server.received(&format!("/v1/sessions/{session_id}"));
    let sent = server.received(&format!("/v1/sessions/{session_id}/events"));
    for request in calls.iter().chain(&sent) {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {}", token.expose()).as_str())
        );
        assert_eq!(request.header("x-api-key"), None);
    }
    assert_eq!(calls.len() + sent.len(), 2);

    // The token opens its own session only.
    let other = sessions
        .iter()
        .map(|id| id.as_str().unwrap())
        .find(|id| *id != session_id)
        .unwrap();
    let refused = client.sessions().retrieve(other).await.unwrap_err();
    assert!(refused.is_authentication(), "{refused:?}");
    let agents = client.get("/v1/agents").beta(BETA).await.map(|_: Value| ());
    assert!(agents.unwrap_err().is_authentication());

    // One client per item, and the token never shows.
    let again = item.session_client().unwrap();
    for shown in [
        format!("{client:?}"),
        format!("{again:?}"),
        format!("{item:?}"),
        format!("{poller:?}"),
        format!("{refused} {refused:?}"),
    ] {
        assert!(!shown.contains("sesstok"), "the token shows: {shown}");
    }
}
