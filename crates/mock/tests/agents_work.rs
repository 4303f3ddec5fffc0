//! The work queue of a self-hosted environment: the environment key,
//! long polls, reclaim, ack, the heartbeat lease and its 412, stop, stats.

#[path = "common/agents.rs"]
mod agents;
mod common;

use agents::{BETA, agent, call, environment, ok};
use claude_rs_mock::MockServer;
use common::{Raw, VERSION, request};
use serde_json::{Value, json};

/// A worker's call, with the environment key as a bearer token.
async fn worker(server: &MockServer, key: &str, method: &str, path: &str) -> Raw {
    let bearer = format!("Bearer {key}");
    let headers = [
        VERSION,
        BETA,
        ("authorization", bearer.as_str()),
        ("anthropic-worker-id", "w1"),
    ];
    request(server, method, path, &headers, b"").await
}

async fn worker_ok(server: &MockServer, key: &str, method: &str, path: &str) -> Value {
    let raw = worker(server, key, method, path).await;
    assert_eq!(raw.status, 200, "{method} {path}: {}", raw.text());
    raw.json()
}

/// A self-hosted environment, its key, and a session on it.
async fn setup(server: &MockServer) -> (String, String, String) {
    let env = environment(server, json!({"type": "self_hosted"})).await;
    let key = server.environment_key(&env).expect("a key");
    let agent = agent(server, json!([])).await;
    let session = ok(
        server,
        "POST",
        "/v1/sessions",
        Some(json!({"agent": agent, "environment_id": env})),
    )
    .await;
    (env, key, session["id"].as_str().unwrap().to_owned())
}

fn decode_url_safe(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let value = alphabet
            .iter()
            .position(|&a| a == c)
            .expect("url-safe base64") as u32;
        bits = bits << 6 | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

#[tokio::test]
async fn poll_ack_heartbeat_lease_and_stop() {
    let server = MockServer::start().await;
    let (env, key, session) = setup(&server).await;
    let base = format!("/v1/environments/{env}/work");

    // Only the environment key opens the worker endpoints.
    let refused = call(&server, "GET", &format!("{base}/poll"), None).await;
    assert_eq!(refused.status, 401, "{}", refused.text());
    assert_eq!(
        worker(&server, "envkey_wrong", "GET", &format!("{base}/poll"))
            .await
            .status,
        401
    );

    let item = worker_ok(&server, &key, "GET", &format!("{base}/poll?beta=true")).await;
    assert_eq!(item["type"], "work");
    assert_eq!(item["state"], "queued");
    assert_eq!(item["data"], json!({"id": session, "type": "session"}));
    let secret = decode_url_safe(item["secret"].as_str().unwrap());
    let secret: Value = serde_json::from_slice(&secret).unwrap();
    assert_eq!(secret["sessions_token"], format!("sesstok_mock_{session}"));
    let work = item["id"].as_str().unwrap().to_owned();
    // Handed out and not acknowledged: not handed out again, until reclaimed.
    assert_eq!(
        worker_ok(&server, &key, "GET", &format!("{base}/poll")).await,
        Value::Null
    );
    let again = worker_ok(
        &server,
        &key,
        "GET",
        &format!("{base}/poll?reclaim_older_than_ms=0"),
    )
    .await;
    assert_eq!(again["id"], work.as_str());
    let stats = ok(&server, "GET", &format!("{base}/stats"), None).await;
    assert_eq!(
        stats,
        json!({"depth": 0, "oldest_queued_at": item["created_at"], "pending": 1,
        "type": "work_queue_stats", "workers_polling": 1})
    );
    // Not secret elsewhere.
    assert_eq!(
        ok(&server, "GET", &format!("{base}/{work}"), None).await["secret"],
        Value::Null
    );

    let acked = worker_ok(&server, &key, "POST", &format!("{base}/{work}/ack")).await;
    assert_eq!(acked["state"], "starting");
    assert!(acked["acknowledged_at"].is_string());
    assert_eq!(
        worker(&server, &key, "POST", &format!("{base}/{work}/ack"))
            .await
            .status,
        400
    );

    let first = worker_ok(
        &server,
        &key,
        "POST",
        &format!("{base}/{work}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT"),
    )
    .await;
    assert_eq!(first["state"], "active");
    assert_eq!(first["lease_extended"], true);
    assert_eq!(first["ttl_seconds"], 300);
    let last = first["last_heartbeat"].as_str().unwrap().to_owned();

    // Another worker's stale view: 412 with the lease as it stands.
    let stale = worker(
        &server,
        &key,
        "POST",
        &format!("{base}/{work}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT"),
    )
    .await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    let body = stale.json();
    assert_eq!(body["type"], "error");
    let details = &body["error"]["details"];
    assert_eq!(details["error_code"], "heartbeat_precondition_failed");
    assert_eq!(details["current_state"]["last_heartbeat"], last.as_str());
    assert_eq!(details["current_state"]["lease_extended"], false);
    assert_eq!(details["current_state"]["state"], "active");

    let echoed = last.replace(':', "%3A");
    let next = worker_ok(
        &server,
        &key,
        "POST",
        &format!("{base}/{work}/heartbeat?expected_last_heartbeat={echoed}&desired_ttl_seconds=60"),
    )
    .await;
    assert_eq!(next["ttl_seconds"], 60);
    assert_eq!(
        ok(&server, "GET", &format!("{base}/{work}"), None).await["latest_heartbeat_at"],
        next["last_heartbeat"]
    );

    let stopping = ok(
        &server,
        "POST",
        &format!("{base}/{work}/stop"),
        Some(json!({"force": false})),
    )
    .await;
    assert_eq!(stopping["state"], "stopping");
    assert!(stopping["stop_requested_at"].is_string());
    // While stopping, a heartbeat is not compared and extends nothing.
    let late = worker_ok(
        &server,
        &key,
        "POST",
        &format!("{base}/{work}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT"),
    )
    .await;
    assert_eq!(
        (late["state"].as_str(), late["lease_extended"].as_bool()),
        (Some("stopping"), Some(false))
    );
    let stopped = ok(
        &server,
        "POST",
        &format!("{base}/{work}/stop"),
        Some(json!({"force": true})),
    )
    .await;
    assert_eq!(stopped["state"], "stopped");
    assert!(stopped["stopped_at"].is_string());

    let tagged = ok(
        &server,
        "POST",
        &format!("{base}/{work}"),
        Some(json!({"metadata": {"host": "h1"}})),
    )
    .await;
    assert_eq!(tagged["metadata"], json!({"host": "h1"}));
    let listed = worker_ok(&server, &key, "GET", &base).await;
    assert_eq!(listed["data"][0]["id"], work.as_str());
    assert_eq!(
        call(&server, "GET", &format!("{base}/work_nope"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn long_polls_wait_for_work_or_answer_null() {
    let server = MockServer::start().await;
    let env = environment(&server, json!({"type": "self_hosted"})).await;
    let key = server.environment_key(&env).unwrap();
    let poll = format!("/v1/environments/{env}/work/poll?block_ms=20");
    assert_eq!(worker_ok(&server, &key, "GET", &poll).await, Value::Null);
    assert_eq!(
        worker(
            &server,
            &key,
            "GET",
            &format!("/v1/environments/{env}/work/poll?block_ms=1000")
        )
        .await
        .status,
        400
    );

    // Work created while a poll waits is handed to it.
    let waiting = format!("/v1/environments/{env}/work/poll?block_ms=999");
    let poller = {
        let bearer = format!("Bearer {key}");
        let headers = [VERSION, BETA, ("authorization", bearer.as_str())];
        common::send_only(server.address(), "GET", &waiting, &headers, b"").await
    };
    // Once the mock has the poll, the session's work goes to it.
    let path = format!("/v1/environments/{env}/work/poll");
    let recorded = async {
        while server.received(&path).len() < 3 {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    };
    tokio::time::timeout(common::HANG, recorded)
        .await
        .expect("the poll arrives");
    let agent = agent(&server, json!([])).await;
    let session = ok(
        &server,
        "POST",
        "/v1/sessions",
        Some(json!({"agent": agent, "environment_id": env})),
    )
    .await;
    let mut poller = poller;
    let answer = common::parse(&common::read_all(&mut poller).await);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["data"]["id"], session["id"]);
    let stats = ok(
        &server,
        "GET",
        &format!("/v1/environments/{env}/work/stats"),
        None,
    )
    .await;
    assert_eq!(
        (stats["depth"].as_u64(), stats["pending"].as_u64()),
        (Some(0), Some(1))
    );
}

#[tokio::test]
async fn with_an_api_key_required_workers_still_use_the_environment_key() {
    let server = MockServer::builder().api_key("sk-ant-mock").start().await;
    let with_key = |method: &'static str, path: String, body: Value| {
        let server = &server;
        async move {
            let bytes = serde_json::to_vec(&body).unwrap();
            let headers = [
                VERSION,
                BETA,
                ("x-api-key", "sk-ant-mock"),
                ("content-type", "application/json"),
            ];
            request(server, method, &path, &headers, &bytes).await
        }
    };
    let env = with_key(
        "POST",
        "/v1/environments".into(),
        json!({"name": "e", "config": {"type": "self_hosted"}}),
    )
    .await
    .json();
    let env = env["id"].as_str().unwrap().to_owned();
    // Over the control API, as a worker in another language would get it.
    let key = common::get(&server, &format!("/_mock/environments/{env}/key"))
        .await
        .json()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(Some(key.clone()), server.environment_key(&env));
    let poll = format!("/v1/environments/{env}/work/poll");
    assert_eq!(worker_ok(&server, &key, "GET", &poll).await, Value::Null);
    // The environment key opens nothing else; the API key does not open the worker endpoints.
    assert_eq!(worker(&server, &key, "GET", "/v1/agents").await.status, 401);
    assert_eq!(with_key("GET", poll, Value::Null).await.status, 401);
    assert_eq!(
        with_key(
            "GET",
            format!("/v1/environments/{env}/work/stats"),
            Value::Null
        )
        .await
        .status,
        200
    );
}
