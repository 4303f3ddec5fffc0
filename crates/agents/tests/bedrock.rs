//! `claude_rs_agents::bedrock` through the Bedrock backend against the
//! embedded mock, which verifies every SigV4 signature: the calls arrive
//! under `/anthropic` signed for the service `bedrock` in the client's
//! region, with the Managed Agents beta and Bedrock's own fields; lists
//! page; the session stream reads; the families Bedrock lacks are refused
//! before anything is sent.
#![cfg(feature = "bedrock")]

mod bedrock_support;

use claude_rs_agents::bedrock::BedrockManagedAgentsExt as _;
use claude_rs_agents::bedrock::agents::{AgentsCreateParams, AgentsListQuery, Model};
use claude_rs_agents::bedrock::sessions::{
    Agent, BedrockEventParams, BedrockSession, BedrockUserContentBlockParam,
    BedrockUserMessageEventParams, SessionsCreateParams, SessionsEventsSendParams,
    SessionsEventsStreamQuery, StreamBedrockSessionEvents,
};
use claude_rs_agents::bedrock::shared::{AWSRoleExecutionIdentityParams, TextBlockParam};
use claude_rs_agents::resume::{Persisted as _, ResumableStream, ResumeOptions};
use claude_rs_bedrock::{Bedrock, Credentials};
use claude_rs_client::backend::Operation;
use claude_rs_client::{Client, Error};
use claude_rs_mock::{MockServer, Platform};
use serde_json::{Value, json};

use bedrock_support::{ACCESS_KEY, BETA, SECRET_KEY, client, mock};

const ROLE: &str = "arn:aws:iam::123456789012:role/agents";

fn agent(name: &str) -> AgentsCreateParams {
    let identity = AWSRoleExecutionIdentityParams::new(ROLE.into(), "aws_role".into());
    let mut params = AgentsCreateParams::new(
        identity,
        Model::String("claude-sonnet-4-6".into()),
        name.into(),
    );
    params.system = Some("Be brief.".into());
    params
}

#[tokio::test]
async fn agents_are_created_under_anthropic_signed_for_bedrock_in_the_region() {
    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    let created = client.agents().create(&agent("writer")).await.unwrap();
    assert_eq!(created.name, "writer");
    assert_eq!(created.execution_identity.unwrap().role_arn, ROLE);

    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.platform, Platform::BedrockControlPlane);
    assert_eq!(request.path, "/anthropic/v1/agents");
    assert_eq!(request.query.as_deref(), Some("beta=true"));
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/eu-west-1/bedrock/aws4_request"),
        "{authorization}"
    );
    assert!(request.header("anthropic-beta").unwrap().contains(BETA));
    assert!(request.header("anthropic-version").is_some());
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body["execution_identity"],
        json!({"role_arn": ROLE, "type": "aws_role"})
    );
    assert_eq!(body["model"], "claude-sonnet-4-6");
    assert!(body.get("anthropic_version").is_none(), "{body}");
}

#[tokio::test]
async fn a_wrong_signature_is_refused_by_the_control_plane() {
    let server = mock().await;
    let bedrock = Bedrock::builder()
        .region("eu-west-1")
        .control_plane_url(server.platform_base_url(Platform::BedrockControlPlane))
        .credentials(Credentials::new(ACCESS_KEY, "not-the-secret", None))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(bedrock).build().unwrap();
    let error = client.agents().create(&agent("a")).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403), "{error:?}");
}

#[tokio::test]
async fn lists_page_through_every_agent() {
    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    for name in ["a", "b", "c"] {
        client.agents().create(&agent(name)).await.unwrap();
    }
    let all = client
        .agents()
        .list(&AgentsListQuery::default())
        .limit(2)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let mut names: Vec<&str> = all.iter().map(|a| a.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "b", "c"]);
    let lists: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .collect();
    assert_eq!(lists.len(), 2, "two pages of two");
    assert!(lists.iter().all(|r| r.path == "/anthropic/v1/agents"));
    let second = lists[1].query.as_deref().unwrap();
    assert!(second.contains("page="), "{second}");
}

/// A Bedrock session on a new agent, in `/workspace`.
async fn session(server: &MockServer, client: &Client) -> BedrockSession {
    let agent_id = client.agents().create(&agent("a")).await.unwrap().id;
    // The mock's sessions run in an environment; it is made on the mock's
    // first-party side, which Bedrock's control plane does not serve.
    let first_party = Client::builder()
        .api_key("sk-ant-api03-test")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let environment: Value = first_party
        .post("/v1/environments")
        .beta(BETA)
        .json(&json!({"name": "e"}))
        .await
        .unwrap();
    let environment_id = environment["id"].as_str().unwrap().to_owned();
    let mut params = SessionsCreateParams::new(Agent::String(agent_id), environment_id);
    params.working_directory = Some("/workspace".into());
    client.sessions().create(&params).await.unwrap()
}

async fn say(client: &Client, session_id: &str, text: &str) {
    let text = TextBlockParam::new(text.into());
    let message =
        BedrockUserMessageEventParams::new(vec![BedrockUserContentBlockParam::Text(text)]);
    let send = SessionsEventsSendParams::new(vec![BedrockEventParams::UserMessage(message)]);
    client
        .sessions()
        .events()
        .send(session_id, &send)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_streams_bedrock_events() {
    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    let session = session(&server, &client).await;

    let mut events = client
        .sessions()
        .events()
        .stream(&session.id, &SessionsEventsStreamQuery::default())
        .await
        .unwrap();
    say(&client, &session.id, "Hello").await;
    let mut reply = None;
    while let Some(event) = events.next().await {
        if let StreamBedrockSessionEvents::AgentMessage(message) = event.unwrap() {
            reply = Some(message);
            break;
        }
    }
    let reply = reply.expect("an agent.message");
    let reply = serde_json::to_value(&reply).unwrap();
    assert_eq!(reply["content"][0]["text"], "You said: Hello");

    let requests = server.requests();
    let create = requests
        .iter()
        .find(|r| r.method == "POST" && r.path == "/anthropic/v1/sessions")
        .unwrap();
    let body: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(body["working_directory"], "/workspace");
    let stream = requests
        .iter()
        .find(|r| r.path.ends_with("/events/stream"))
        .unwrap();
    assert_eq!(stream.platform, Platform::BedrockControlPlane);
    assert_eq!(
        stream.path,
        format!("/anthropic/v1/sessions/{}/events/stream", session.id)
    );
}

#[tokio::test]
async fn the_families_bedrock_lacks_are_refused_before_sending() {
    use claude_rs_agents::ManagedAgentsExt;
    use claude_rs_agents::environments::EnvironmentsListQuery;
    use claude_rs_agents::vaults::VaultsListQuery;

    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    let errors = [
        ManagedAgentsExt::environments(&client)
            .list(&EnvironmentsListQuery::default())
            .await
            .unwrap_err(),
        ManagedAgentsExt::vaults(&client)
            .list(&VaultsListQuery::default())
            .await
            .unwrap_err(),
        client.get("/v1/deployments").await.unwrap_err(),
    ];
    for (error, resource) in errors.iter().zip(["environments", "vaults", "deployments"]) {
        assert!(
            matches!(
                error,
                Error::Unsupported { operation: Operation::ManagedAgents { resource: r }, platform: "Amazon Bedrock" } if *r == resource
            ),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains(&format!("/v1/{resource}")) && text.contains("Bedrock"),
            "{text}"
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_bedrock_api_key_is_sent_as_a_bearer_token() {
    let server = MockServer::builder()
        .aws_credentials(ACCESS_KEY, SECRET_KEY)
        .bedrock_api_key("bedrock-api-key")
        .start()
        .await;
    let bedrock = Bedrock::builder()
        .region("eu-west-1")
        .control_plane_url(server.platform_base_url(Platform::BedrockControlPlane))
        .api_key("bedrock-api-key")
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(bedrock).build().unwrap();
    client.agents().create(&agent("a")).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.platform, Platform::BedrockControlPlane);
    assert_eq!(request.path, "/anthropic/v1/agents");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer bedrock-api-key")
    );
}

#[tokio::test]
async fn a_resumable_bedrock_session_loses_and_repeats_nothing_across_a_cut() {
    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    let id = session(&server, &client).await.id;
    // The first connection delivers one event, then half of the next frame.
    server.cut_next_stream(1, true);
    let mut events = ResumableStream::bedrock_session(&client, &id, ResumeOptions::default());
    // Nothing is sent until the stream is read: send once it is open.
    let send = {
        let client = client.clone();
        let id = id.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            say(&client, &id, "three little words").await;
        })
    };
    let mut delivered = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        if let Some(id) = event.event_id() {
            delivered.push(id.to_owned());
        }
        let raw = serde_json::to_value(&event).unwrap();
        if raw["type"] == "session.status_idle" && raw["stop_reason"]["type"] == "end_turn" {
            break;
        }
    }
    send.await.unwrap();
    assert_eq!(events.reconnects(), 1, "{events:?}");
    let history: Vec<String> = client
        .sessions()
        .events()
        .list(&id, &Default::default())
        .into_stream()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(delivered, history);
    assert!(
        server
            .requests()
            .iter()
            .filter(|r| r.path.contains("/events"))
            .all(|r| r.platform == Platform::BedrockControlPlane)
    );
}
