//! Managed Agents sessions on the mock: lists both ways and filters,
//! updates, deletion (which ends the open streams), archived sessions,
//! resources and threads.

#[path = "common/agents.rs"]
mod agents;
mod common;

use agents::{Stream, agent, call, environment, ok, session, user_message};
use claude_rs_mock::MockServer;
use serde_json::{Value, json};

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn sessions_list_both_ways_and_filter() {
    let server = MockServer::start().await;
    let agent_id = agent(&server, json!([])).await;
    let env = environment(&server, json!({"type": "cloud"})).await;
    let mut made = Vec::new();
    for n in 0..3 {
        let body = json!({"agent": {"type": "agent", "id": agent_id, "version": 1}, "environment_id": env,
            "title": format!("s{n}"), "metadata": {"n": n.to_string()}});
        let session = ok(&server, "POST", "/v1/sessions", Some(body)).await;
        assert_eq!(session["status"], "idle");
        assert_eq!(session["agent"]["version"], 1);
        assert_eq!(session["type"], "session");
        made.push(session["id"].as_str().unwrap().to_owned());
    }
    // Newest first; next, then back.
    let first = ok(&server, "GET", "/v1/sessions?limit=2", None).await;
    assert_eq!(ids(&first), [made[2].clone(), made[1].clone()]);
    assert_eq!(first["prev_page"], Value::Null);
    let next = first["next_page"].as_str().unwrap();
    let second = ok(
        &server,
        "GET",
        &format!("/v1/sessions?limit=2&page={next}"),
        None,
    )
    .await;
    assert_eq!(ids(&second), [made[0].as_str()]);
    let prev = second["prev_page"].as_str().unwrap();
    let back = ok(
        &server,
        "GET",
        &format!("/v1/sessions?limit=2&page={prev}"),
        None,
    )
    .await;
    assert_eq!(ids(&back), ids(&first));
    let asc = ok(&server, "GET", "/v1/sessions?order=asc&limit=1", None).await;
    assert_eq!(ids(&asc), [made[0].as_str()]);

    // A turn leaves a session idle; archived ones are hidden by default.
    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{}/archive", made[0]),
        None,
    )
    .await;
    assert_eq!(
        ids(&ok(&server, "GET", "/v1/sessions?statuses%5B%5D=idle", None).await).len(),
        2
    );
    assert_eq!(
        ids(&ok(&server, "GET", "/v1/sessions?statuses[]=running", None).await).len(),
        0
    );
    let all = ok(
        &server,
        "GET",
        &format!("/v1/sessions?include_archived=true&agent_id={agent_id}&agent_version=1"),
        None,
    )
    .await;
    assert_eq!(ids(&all).len(), 3);
    assert_eq!(
        ids(&ok(&server, "GET", "/v1/sessions?agent_id=agent_other", None).await).len(),
        0
    );

    let updated = ok(
        &server,
        "POST",
        &format!("/v1/sessions/{}", made[1]),
        Some(json!({"title": "new", "metadata": {"k": "v"}})),
    )
    .await;
    assert_eq!(updated["title"], "new");
    assert_eq!(updated["metadata"], json!({"n": "1", "k": "v"}));
    let deleted = ok(
        &server,
        "DELETE",
        &format!("/v1/sessions/{}", made[1]),
        None,
    )
    .await;
    assert_eq!(deleted, json!({"id": made[1], "type": "session_deleted"}));
    assert_eq!(
        call(&server, "GET", &format!("/v1/sessions/{}", made[1]), None)
            .await
            .status,
        404
    );

    for body in [
        json!({"environment_id": env}),
        json!({"agent": agent_id, "environment_id": "env_nope"}),
        json!({"agent": {"id": agent_id, "version": 7}, "environment_id": env}),
    ] {
        assert_eq!(
            call(&server, "POST", "/v1/sessions", Some(body))
                .await
                .status,
            400
        );
    }
}

#[tokio::test]
async fn session_resources_threads_and_initial_events() {
    let server = MockServer::start().await;
    let agent_id = agent(&server, json!([])).await;
    let env = environment(&server, json!({"type": "cloud"})).await;
    let body = json!({"agent": agent_id, "environment_id": env,
        "resources": [{"type": "file", "file_id": "file_1"}],
        "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": "start"}]}]});
    let session = ok(&server, "POST", "/v1/sessions", Some(body)).await;
    let id = session["id"].as_str().unwrap();
    let first = &session["resources"][0];
    assert!(first["id"].as_str().unwrap().starts_with("sesrsc_"));
    assert_eq!(first["mount_path"], "/mnt/session/uploads/file_1");
    let history = ok(&server, "GET", &format!("/v1/sessions/{id}/events"), None).await;
    assert_eq!(history["data"][2]["content"][0]["text"], "You said: start");

    let path = format!("/v1/sessions/{id}/resources");
    let added = ok(
        &server,
        "POST",
        &path,
        Some(json!({"type": "file", "file_id": "file_2", "mount_path": "/data/b.csv"})),
    )
    .await;
    let rid = added["id"].as_str().unwrap();
    assert_eq!(added["mount_path"], "/data/b.csv");
    assert_eq!(ids(&ok(&server, "GET", &path, None).await).len(), 2);
    assert_eq!(
        ok(&server, "GET", &format!("{path}/{rid}"), None).await,
        added
    );
    let touched = ok(
        &server,
        "POST",
        &format!("{path}/{rid}"),
        Some(json!({"authorization_token": "ghp_x"})),
    )
    .await;
    assert!(touched.get("authorization_token").is_none());
    let gone = ok(&server, "DELETE", &format!("{path}/{rid}"), None).await;
    assert_eq!(gone, json!({"id": rid, "type": "session_resource_deleted"}));
    assert_eq!(
        call(&server, "GET", &format!("{path}/{rid}"), None)
            .await
            .status,
        404
    );
    let repo = call(
        &server,
        "POST",
        &path,
        Some(json!({"type": "github_repository", "url": "u"})),
    )
    .await;
    assert_eq!(repo.status, 400);

    let threads = ok(&server, "GET", &format!("/v1/sessions/{id}/threads"), None).await;
    let thread = &threads["data"][0];
    assert_eq!(thread["type"], "session_thread");
    assert_eq!(thread["status"], "idle");
    assert_eq!(thread["agent"]["id"], agent_id.as_str());
    let tid = thread["id"].as_str().unwrap();
    assert_eq!(
        ok(
            &server,
            "GET",
            &format!("/v1/sessions/{id}/threads/{tid}"),
            None
        )
        .await["id"],
        tid
    );
    assert_eq!(
        ids(&ok(
            &server,
            "GET",
            &format!("/v1/sessions/{id}/threads?statuses[]=running"),
            None
        )
        .await)
        .len(),
        0
    );
    let archived = ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/threads/{tid}/archive"),
        None,
    )
    .await;
    assert!(archived["archived_at"].is_string());
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/v1/sessions/{id}/threads/sthr_x/events"),
            None
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn deleting_a_session_ends_its_streams_and_archived_ones_take_no_events() {
    let server = MockServer::start().await;
    let id = session(&server, json!([])).await;
    let mut stream = Stream::open(&server, &format!("/v1/sessions/{id}/events/stream")).await;
    ok(&server, "DELETE", &format!("/v1/sessions/{id}"), None).await;
    stream.read_to_end().await;
    assert!(stream.response().complete, "the stream ends cleanly");

    // A refused connection (no such session) uses no cut: the next one is cut.
    server.cut_next_stream(0, false);
    let gone = call(
        &server,
        "GET",
        &format!("/v1/sessions/{id}/events/stream"),
        None,
    )
    .await;
    assert_eq!(gone.status, 404);
    let other = session(&server, json!([])).await;
    let mut cut = Stream::open(&server, &format!("/v1/sessions/{other}/events/stream")).await;
    let path = format!("/v1/sessions/{other}/events");
    ok(&server, "POST", &path, Some(user_message("x"))).await;
    cut.read_to_end().await;
    assert!(cut.events().is_empty() && !cut.response().complete);

    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{other}/archive"),
        None,
    )
    .await;
    let refused = call(&server, "POST", &path, Some(user_message("hi"))).await;
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("archived"), "{}", refused.text());
    let history = ok(&server, "GET", &path, None).await;
    assert_eq!(history["data"].as_array().unwrap().len(), 4);
}
