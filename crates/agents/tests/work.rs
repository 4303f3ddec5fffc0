//! The work queue of a self-hosted environment against the mock: poll,
//! ack, heartbeats, the 412 of a stale heartbeat, stop, reclaim, and the
//! secrets never shown.

use std::time::Duration;

use claude_rs_agents::environments::SelfHostedWorkState;
use claude_rs_agents::work::{LeaseState, WorkError, WorkPoller};
use claude_rs_client::Client;
use claude_rs_mock::MockServer;
use claude_rs_types::Secret;
use futures_util::StreamExt as _;
use serde_json::{Value, json};

const BETA: &str = "managed-agents-2026-04-01";

fn api_client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-ant-test")
        .base_url(server.base_url())
        .build()
        .unwrap()
}

async fn post(client: &Client, path: &str, body: Value) -> Value {
    client.post(path).beta(BETA).json(&body).await.unwrap()
}

/// A self-hosted environment, its key, and `sessions` sessions queued on it.
async fn setup(server: &MockServer, sessions: usize) -> (String, Secret, Vec<String>) {
    let client = api_client(server);
    let env = post(
        &client,
        "/v1/environments",
        json!({"name": "e", "config": {"type": "self_hosted"}}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agent = post(
        &client,
        "/v1/agents",
        json!({"name": "a", "model": "claude-sonnet-4-6", "tools": []}),
    )
    .await;
    let mut ids = Vec::new();
    for _ in 0..sessions {
        let body = json!({"agent": agent["id"], "environment_id": env});
        let session = post(&client, "/v1/sessions", body).await;
        ids.push(session["id"].as_str().unwrap().to_owned());
    }
    let key = Secret::new(server.environment_key(&env).unwrap());
    (env, key, ids)
}

fn poller(
    server: &MockServer,
    env: &str,
    key: &Secret,
) -> claude_rs_agents::work::WorkPollerBuilder {
    WorkPoller::builder(env, key.clone()).client({
        let url = server.base_url().to_owned();
        move || Client::builder().base_url(&url).max_retries(0)
    })
}

/// Asserts that no secret shows in `text`.
fn no_secret(text: &str, key: &Secret) {
    assert!(!text.contains(key.expose()), "the key shows: {text}");
    assert!(!text.contains("sesstok"), "a sessions token shows: {text}");
}

#[tokio::test]
async fn poll_ack_heartbeat_and_stop() {
    let server = MockServer::start().await;
    let (env, key, sessions) = setup(&server, 1).await;
    let poller = poller(&server, &env, &key)
        .worker_id("worker-1")
        .heartbeats(false)
        .build()
        .unwrap();
    let item = poller.next().await.unwrap().expect("an item");
    assert_eq!(item.session_id(), sessions[0]);
    assert_eq!(item.work().state, SelfHostedWorkState::Starting);
    assert!(item.work().secret.is_none());
    let token = item.sessions_token().unwrap().expect("a sessions token");
    assert_eq!(token.expose(), format!("sesstok_mock_{}", sessions[0]));
    // Worker calls carry the environment key, and no API key.
    let poll = &server.received(&format!("/v1/environments/{env}/work/poll"))[0];
    assert_eq!(
        poll.header("authorization"),
        Some(format!("Bearer {}", key.expose()).as_str())
    );
    assert_eq!(poll.header("x-api-key"), None);
    assert_eq!(poll.header("anthropic-worker-id"), Some("worker-1"));

    assert_eq!(item.lease().state(), LeaseState::Claimed);
    let first = item.lease().heartbeat().await.unwrap();
    assert!(first.lease_extended);
    assert_eq!(item.lease().state(), LeaseState::Held);
    assert_eq!(
        item.lease().last_heartbeat().as_deref(),
        Some(first.last_heartbeat.as_str())
    );
    let second = item.lease().heartbeat().await.unwrap();
    assert!(second.lease_extended);
    let beats = server.received(&format!(
        "/v1/environments/{env}/work/{}/heartbeat",
        item.id()
    ));
    assert_eq!(beats.len(), 2);
    assert_eq!(
        beats[0].query_param("expected_last_heartbeat"),
        Some("NO_HEARTBEAT")
    );
    assert_eq!(
        beats[1].query_param("expected_last_heartbeat"),
        Some(first.last_heartbeat.replace(':', "%3A").as_str())
    );
    // The item's own calls carry its sessions token, as the official
    // worker's do, not the environment key.
    let bearer_token = format!("Bearer {}", token.expose());
    for beat in &beats {
        assert_eq!(beat.header("authorization"), Some(bearer_token.as_str()));
        assert_eq!(beat.header("x-api-key"), None);
    }

    for shown in [
        format!("{item:?}"),
        format!("{poller:?}"),
        format!("{:?}", item.lease()),
    ] {
        no_secret(&shown, &key);
    }
    let lease = item.lease().clone();
    let work_id = item.id().to_owned();
    let stopped = item.finish().await.unwrap();
    assert_eq!(stopped.state, SelfHostedWorkState::Stopped);
    let stop = &server.received(&format!("/v1/environments/{env}/work/{work_id}/stop"))[0];
    assert_eq!(stop.header("authorization"), Some(bearer_token.as_str()));
    assert_eq!(lease.state(), LeaseState::Stopped);
    assert_eq!(lease.ended().await, LeaseState::Stopped);
}

#[tokio::test]
async fn an_empty_poll_answers_none_after_block_ms_and_a_draining_stream_ends() {
    let server = MockServer::start().await;
    let (env, key, _) = setup(&server, 0).await;
    let poller = poller(&server, &env, &key)
        .block_ms(Some(50))
        .build()
        .unwrap();
    assert!(poller.next().await.unwrap().is_none());
    let poll = &server.received(&format!("/v1/environments/{env}/work/poll"))[0];
    assert_eq!(poll.query_param("block_ms"), Some("50"));

    let drained = poller_drain(&server, &env, &key).await;
    assert_eq!(drained, 0);
}

async fn poller_drain(server: &MockServer, env: &str, key: &Secret) -> usize {
    let poller = poller(server, env, key)
        .block_ms(None)
        .drain(true)
        .build()
        .unwrap();
    poller.stream().collect::<Vec<_>>().await.len()
}

#[tokio::test]
async fn a_stale_heartbeat_is_the_typed_412_and_loses_the_lease() {
    let server = MockServer::start().await;
    let (env, key, _) = setup(&server, 1).await;
    let poller = poller(&server, &env, &key)
        .heartbeats(false)
        .build()
        .unwrap();
    let item = poller.next().await.unwrap().unwrap();
    let beat = item.lease().heartbeat().await.unwrap();
    // Another worker heartbeats in between: our view is stale.
    let other = poller.client();
    let path = format!("/v1/environments/{env}/work/{}/heartbeat", item.id());
    let _: Value = other
        .post(&path)
        .beta(BETA)
        .query("expected_last_heartbeat", &beat.last_heartbeat)
        .await
        .unwrap();
    let error = item.lease().heartbeat().await.unwrap_err();
    match &error {
        WorkError::HeartbeatPreconditionFailed {
            work_id,
            expected,
            current_state,
            current_last_heartbeat,
            ..
        } => {
            assert_eq!(work_id, item.id());
            assert_eq!(expected, &beat.last_heartbeat);
            assert_eq!(current_state.as_deref(), Some("active"));
            assert!(current_last_heartbeat.is_some());
        }
        other => panic!("not the 412: {other:?}"),
    }
    assert_eq!(error.source_status(), Some(412));
    assert!(!error.is_transient());
    assert_eq!(item.lease().state(), LeaseState::Lost);
    no_secret(&format!("{error} {error:?}"), &key);
}

trait SourceStatus {
    fn source_status(&self) -> Option<u16>;
}

impl SourceStatus for WorkError {
    fn source_status(&self) -> Option<u16> {
        let source = std::error::Error::source(self)?;
        let client = source.downcast_ref::<claude_rs_client::Error>()?;
        client.status().map(|s| s.as_u16())
    }
}

#[tokio::test]
async fn background_heartbeats_hold_the_lease_until_stopped() {
    let server = MockServer::start().await;
    let (env, key, _) = setup(&server, 1).await;
    let poller = poller(&server, &env, &key)
        .heartbeat_interval(Duration::from_millis(20))
        .build()
        .unwrap();
    let mut work = std::pin::pin!(poller.stream());
    let item = work.next().await.unwrap().unwrap();
    let path = format!("/v1/environments/{env}/work/{}/heartbeat", item.id());
    while server.received(&path).len() < 3 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(item.lease().state(), LeaseState::Held);
    let lease = item.lease().clone();
    lease.stop(false).await.unwrap();
    let after = server.received(&path).len();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        server.received(&path).len(),
        after,
        "heartbeats after the stop"
    );
    drop(item);
}

#[tokio::test]
async fn a_heartbeat_after_a_stop_request_asks_for_shutdown() {
    let server = MockServer::start().await;
    let (env, key, _) = setup(&server, 1).await;
    let poller = poller(&server, &env, &key)
        .heartbeats(false)
        .build()
        .unwrap();
    let item = poller.next().await.unwrap().unwrap();
    item.lease().heartbeat().await.unwrap();
    // Someone asks the item to stop, not forced: it is `stopping`.
    let stop = format!("/v1/environments/{env}/work/{}/stop", item.id());
    let stopping: Value = poller
        .client()
        .post(&stop)
        .beta(BETA)
        .json(&json!({}))
        .await
        .unwrap();
    assert_eq!(stopping["state"], "stopping");
    let beat = item.lease().heartbeat().await.unwrap();
    assert!(!beat.lease_extended);
    assert_eq!(item.lease().state(), LeaseState::ShutdownRequested);
    assert_eq!(item.lease().ended().await, LeaseState::ShutdownRequested);
}

#[tokio::test]
async fn unacknowledged_work_is_reclaimed() {
    let server = MockServer::start().await;
    let (env, key, sessions) = setup(&server, 1).await;
    // A worker that polled and died before acknowledging.
    let dead = poller(&server, &env, &key).build().unwrap();
    let path = format!("/v1/environments/{env}/work/poll");
    let handed: Value = dead.client().get(&path).beta(BETA).await.unwrap();
    assert_eq!(handed["data"]["id"], sessions[0]);
    // Not handed out again under the default reclaim age ...
    let live = poller(&server, &env, &key).block_ms(None).heartbeats(false);
    assert!(live.build().unwrap().next().await.unwrap().is_none());
    // ... but at once with a reclaim age of zero.
    let reclaiming = poller(&server, &env, &key)
        .block_ms(None)
        .heartbeats(false)
        .reclaim_older_than(Some(Duration::ZERO))
        .build()
        .unwrap();
    let item = reclaiming
        .next()
        .await
        .unwrap()
        .expect("the reclaimed item");
    assert_eq!(item.session_id(), sessions[0]);
    let last = server.received(&path).pop().unwrap();
    assert_eq!(last.query_param("reclaim_older_than_ms"), Some("0"));
}

#[tokio::test]
async fn a_wrong_key_is_an_error_that_does_not_show_it() {
    let server = MockServer::start().await;
    let (env, _, _) = setup(&server, 1).await;
    let wrong = Secret::new("envkey_wrong_and_secret");
    let poller = poller(&server, &env, &wrong).build().unwrap();
    let error = poller.next().await.unwrap_err();
    assert!(
        matches!(
            &error,
            WorkError::Call {
                operation: "poll",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_transient());
    no_secret(&format!("{error} {error:?}"), &wrong);
    // The stream yields it and ends.
    let all: Vec<_> = poller.stream().collect().await;
    assert_eq!(all.len(), 1);
    assert!(all[0].is_err());
}

/// A work item's sessions token holds that item's lease only: the mock
/// refuses it on another item's heartbeat and stop, as it refuses it on
/// another session.
#[tokio::test]
async fn a_sessions_token_holds_its_own_items_lease_only() {
    // With an API key set, the mock takes no other credential elsewhere.
    let server = MockServer::builder().api_key("sk-ant-test").start().await;
    let (env, key, _) = setup(&server, 2).await;
    let poller = poller(&server, &env, &key)
        .heartbeats(false)
        .build()
        .unwrap();
    let mine = poller.next().await.unwrap().expect("an item");
    let theirs = poller.next().await.unwrap().expect("a second item");
    let token = mine.sessions_token().unwrap().expect("a sessions token");
    let with_my_token = Client::builder()
        .auth_token(token.expose())
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let beat = |id: &str| {
        with_my_token
            .post(&format!("/v1/environments/{env}/work/{id}/heartbeat"))
            .beta(BETA)
            .query("expected_last_heartbeat", "NO_HEARTBEAT")
    };
    let _: Value = beat(mine.id()).await.expect("its own heartbeat");
    let refused = beat(theirs.id()).await.map(|_: Value| ()).unwrap_err();
    assert!(refused.is_authentication(), "{refused:?}");
    let stop = with_my_token
        .post(&format!("/v1/environments/{env}/work/{}/stop", theirs.id()))
        .beta(BETA)
        .json(&json!({"force": true}))
        .await
        .map(|_: Value| ());
    assert!(stop.unwrap_err().is_authentication());
    // The other item's own lease still works, with its own token.
    assert!(theirs.lease().heartbeat().await.unwrap().lease_extended);
    theirs.finish().await.unwrap();
    mine.finish().await.unwrap();
}
