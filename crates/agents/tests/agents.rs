//! The handlers against a local server: the request each one builds
//! (method, path, query encoding, beta and workspace headers, body), the
//! decoding of responses shaped like the SDK's types (synthetic values,
//! shapes after `anthropic` 2.17.0), pagination and the event stream; and
//! round trips of unknown fields, values and members.

mod support;

use claude_rs_agents::ManagedAgentsExt as _;
use claude_rs_agents::sessions::{
    AgentEvaluatedPermission, AgentMessageEventContent, Session, SessionCreateParamsAgent,
    SessionEvent, SessionsCreateParams, SessionsEventsStreamQuery, SessionsListQuery,
    StreamSessionEvents,
};
use claude_rs_client::http::HeaderValue;
use serde_json::{Value, json};
use support::{Reply, serve};

fn session(id: &str) -> Value {
    json!({
        "id": id,
        "type": "session",
        "agent": {
            "id": "agent_01", "type": "agent", "version": 1, "name": "helper",
            "model": {"id": "claude-sonnet-5"},
            "execution_identity": {"type": "aws_role", "role_arn": "arn:aws:iam::1:role/r"},
            "mcp_servers": [], "skills": [],
            "tools": [{
                "type": "agent_toolset_20260401",
                "configs": [{"type": "bash", "name": "bash", "enabled": true,
                             "permission_policy": {"type": "always_allow"}}],
                "default_config": {"enabled": true, "permission_policy": {"type": "always_ask"}}
            }]
        },
        "created_at": "2026-05-01T12:00:00Z",
        "updated_at": "2026-05-01T12:00:05Z",
        "environment_id": "env_01",
        "metadata": {"team": "docs"},
        "outcome_evaluations": [],
        "resources": [],
        "stats": {},
        "status": "idle",
        "usage": {},
        "vault_ids": [],
        "archived_at": null
    })
}

#[tokio::test]
async fn list_sends_brackets_ranges_beta_and_workspace_then_follows_next_page() {
    let (base, mut received) = serve(vec![
        Reply::json(json!({"data": [session("sesn_1")], "next_page": "tok_2", "prev_page": null})),
        Reply::json(json!({"data": [session("sesn_2")], "next_page": null, "prev_page": "tok_1"})),
    ])
    .await;
    let client = support::client(&base);
    let mut query = SessionsListQuery::default();
    query.agent_id = Some("agent_01".into());
    query.created_at_gte = Some("2026-05-01T00:00:00Z".parse().unwrap());
    query.statuses = vec!["running".into(), "idle".into()];
    let sessions: Vec<Session> = client
        .sessions()
        .list(&query)
        .limit(1)
        .workspace_id(HeaderValue::from_static("wrkspc_01"))
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[1].id, "sesn_2");
    assert_eq!(sessions[0].metadata["team"], "docs");

    let first = received.recv().await.unwrap();
    assert_eq!(first.method, "GET");
    assert_eq!(
        first.target,
        "/v1/sessions?beta=true&agent_id=agent_01&created_at%5Bgte%5D=2026-05-01T00%3A00%3A00Z\
         &statuses%5B%5D=running&statuses%5B%5D=idle&limit=1"
    );
    assert!(
        first
            .header("anthropic-beta")
            .unwrap()
            .contains("managed-agents-2026-04-01")
    );
    assert_eq!(first.header("anthropic-workspace-id"), Some("wrkspc_01"));
    let second = received.recv().await.unwrap();
    assert!(
        second.target.ends_with("&limit=1&page=tok_2"),
        "{}",
        second.target
    );
}

#[tokio::test]
async fn create_posts_the_params_as_json() {
    let (base, mut received) = serve(vec![Reply::json(session("sesn_new"))]).await;
    let client = support::client(&base);
    let mut params = SessionsCreateParams::new(
        SessionCreateParamsAgent::String("agent_01".into()),
        "env_01".into(),
    );
    params.title = Some("a test".into());
    let created = client.sessions().create(&params).await.unwrap();
    assert_eq!(created.id, "sesn_new");
    let request = received.recv().await.unwrap();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v1/sessions?beta=true")
    );
    assert_eq!(
        request.json(),
        json!({"agent": "agent_01", "environment_id": "env_01", "title": "a test"})
    );
}

#[tokio::test]
async fn the_event_stream_decodes_known_and_unknown_events() {
    let stream = "event: agent.message\n\
        data: {\"type\":\"agent.message\",\"id\":\"sevt_1\",\"processed_at\":\"2026-05-01T12:00:01Z\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}\n\n\
        event: agent.hologram\n\
        data: {\"type\":\"agent.hologram\",\"id\":\"sevt_2\",\"frames\":3}\n\n";
    let (base, mut received) = serve(vec![Reply::sse(stream)]).await;
    let client = support::client(&base);
    let mut query = SessionsEventsStreamQuery::default();
    query.event_deltas = vec!["agent.message".into()];
    let mut events = client
        .sessions()
        .events()
        .stream("sesn_1", &query)
        .await
        .unwrap();
    let Some(Ok(StreamSessionEvents::AgentMessage(message))) = events.next().await else {
        panic!("an agent.message first")
    };
    assert!(
        matches!(&message.content[0], AgentMessageEventContent::Text(text) if text.text == "Hi")
    );
    let Some(Ok(unknown)) = events.next().await else {
        panic!("a second event")
    };
    assert!(unknown.is_unknown());
    assert_eq!(serde_json::to_value(&unknown).unwrap()["frames"], 3);
    assert!(events.next().await.is_none());
    let request = received.recv().await.unwrap();
    assert_eq!(
        request.target,
        "/v1/sessions/sesn_1/events/stream?beta=true&event_deltas%5B%5D=agent.message"
    );
}

#[test]
fn unknown_fields_values_and_members_round_trip() {
    // An unknown field, an unknown value in an enum, an unknown tool type
    // in a union: all kept and written back as received.
    let mut value = session("sesn_1");
    value["hologram"] = json!({"frames": 3});
    value["agent"]["tools"][0]["configs"][0]["permission_policy"] = json!({"type": "ask_twice"});
    value["agent"]["tools"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "teleporter_2030", "range": 9}));
    let decoded: Session = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(decoded.extra["hologram"]["frames"], 3);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);

    let event: SessionEvent = serde_json::from_value(json!({
        "type": "user.message", "id": "sevt_1", "processed_at": null,
        "content": [{"type": "text", "text": "hi"}], "mood": "curious"
    }))
    .unwrap();
    let SessionEvent::UserMessage(message) = &event else {
        panic!("a user.message")
    };
    assert_eq!(message.extra["mood"], "curious");
    let unknown: SessionEvent =
        serde_json::from_value(json!({"type": "span.teleport", "at": 1})).unwrap();
    assert!(unknown.is_unknown());
    assert_eq!(unknown.type_str(), "span.teleport");

    let value: AgentEvaluatedPermission = serde_json::from_value(json!("maybe")).unwrap();
    assert_eq!(value, AgentEvaluatedPermission::Unknown("maybe".into()));
    assert_eq!(serde_json::to_value(&value).unwrap(), "maybe");
    let known: AgentEvaluatedPermission = serde_json::from_value(json!("ask")).unwrap();
    assert_eq!(known, AgentEvaluatedPermission::Ask);
}
