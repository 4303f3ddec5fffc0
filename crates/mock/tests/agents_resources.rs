//! Managed Agents resources on the mock: agents and their versions,
//! environments, sessions (lists both ways, filters), a session's
//! resources and threads, and the beta every call needs.

#[path = "common/agents.rs"]
mod agents;
mod common;

use agents::{agent, call, environment, ok, word_count};
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
async fn agents_are_versioned_listed_and_archived() {
    let server = MockServer::start().await;
    let empty = ok(&server, "GET", "/v1/agents", None).await;
    assert_eq!(empty, json!({"data": [], "next_page": null}));
    let body = json!({"name": "a", "model": "claude-sonnet-4-6", "tools": word_count(), "metadata": {"team": "x"},
        "mcp_servers": [{"name": "docs", "url": "https://mcp.example/sse", "type": "url"}]});
    let created = ok(&server, "POST", "/v1/agents", Some(body)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("agent_"));
    assert_eq!(created["type"], "agent");
    assert_eq!(created["version"], 1);
    assert_eq!(
        created["model"],
        json!({"id": "claude-sonnet-4-6", "speed": "standard"})
    );
    assert_eq!(
        created["execution_identity"],
        json!({"type": "service_account"})
    );
    assert_eq!(created["tools"][0]["name"], "word_count");
    assert_eq!(created["metadata"], json!({"team": "x"}));
    assert_eq!(created["archived_at"], Value::Null);

    let updated = ok(
        &server,
        "POST",
        &format!("/v1/agents/{id}"),
        Some(json!({"version": 1, "system": "Be brief.", "metadata": {"team": null}})),
    )
    .await;
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["system"], "Be brief.");
    assert_eq!(updated["metadata"], json!({}));
    // Nothing changes: no new version.
    let same = ok(
        &server,
        "POST",
        &format!("/v1/agents/{id}"),
        Some(json!({"system": "Be brief."})),
    )
    .await;
    assert_eq!(same["version"], 2);
    let stale = call(
        &server,
        "POST",
        &format!("/v1/agents/{id}"),
        Some(json!({"version": 1, "name": "b"})),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.text());
    assert_eq!(stale.json()["error"]["type"], "conflict_error");

    let v1 = ok(&server, "GET", &format!("/v1/agents/{id}?version=1"), None).await;
    assert_eq!(v1["system"], Value::Null);
    assert_eq!(
        ok(&server, "GET", &format!("/v1/agents/{id}"), None).await["version"],
        2
    );
    assert_eq!(
        call(&server, "GET", &format!("/v1/agents/{id}?version=9"), None)
            .await
            .status,
        404
    );
    let versions = ok(&server, "GET", &format!("/v1/agents/{id}/versions"), None).await;
    let numbers: Vec<&Value> = versions["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["version"])
        .collect();
    assert_eq!(numbers, [&json!(2), &json!(1)]);

    let second = agent(&server, json!([])).await;
    let first_page = ok(&server, "GET", "/v1/agents?limit=1", None).await;
    assert_eq!(ids(&first_page), [second.as_str()]);
    let next = first_page["next_page"].as_str().unwrap();
    let rest = ok(
        &server,
        "GET",
        &format!("/v1/agents?limit=1&page={next}"),
        None,
    )
    .await;
    assert_eq!(ids(&rest), [id.as_str()]);
    assert_eq!(rest["next_page"], Value::Null);

    let archived = ok(&server, "POST", &format!("/v1/agents/{id}/archive"), None).await;
    assert!(archived["archived_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        ids(&ok(&server, "GET", "/v1/agents", None).await),
        [second.as_str()]
    );
    assert_eq!(
        ids(&ok(&server, "GET", "/v1/agents?include_archived=true", None).await),
        [second, id.clone()]
    );
    let future = ok(
        &server,
        "GET",
        "/v1/agents?created_at%5Bgte%5D=2999-01-01T00:00:00Z",
        None,
    )
    .await;
    assert_eq!(future["data"], json!([]));
    let frozen = call(
        &server,
        "POST",
        &format!("/v1/agents/{id}"),
        Some(json!({"name": "c"})),
    )
    .await;
    assert_eq!(frozen.status, 400);

    for (body, needle) in [
        (json!({"name": "n"}), "model"),
        (json!({"model": "m"}), "name"),
        (
            json!({"name": "n", "model": "m", "tools": [{"type": "magic"}]}),
            "tools.type",
        ),
    ] {
        let refused = call(&server, "POST", "/v1/agents", Some(body)).await;
        assert_eq!(refused.status, 400);
        assert!(refused.text().contains(needle), "{}", refused.text());
    }
    assert_eq!(
        call(&server, "GET", "/v1/agents/agent_nope", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn every_call_needs_the_beta() {
    let server = MockServer::start().await;
    let refused = common::get(&server, "/v1/sessions").await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.text().contains("managed-agents-2026-04-01"),
        "{}",
        refused.text()
    );
    let unknown = call(&server, "POST", "/v1/sessions/sesn_1/teleport", None).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn environments_cloud_and_self_hosted() {
    let server = MockServer::start().await;
    let limited = json!({"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["example.com"]},
        "packages": {"pip": ["pandas"]}});
    let id = environment(&server, limited).await;
    assert!(id.starts_with("env_"));
    let env = ok(&server, "GET", &format!("/v1/environments/{id}"), None).await;
    assert_eq!(env["type"], "environment");
    assert_eq!(
        env["config"]["networking"],
        json!({"allow_mcp_servers": false, "allow_package_managers": false,
        "allowed_hosts": ["example.com"], "type": "limited"})
    );
    assert_eq!(env["config"]["packages"]["pip"], json!(["pandas"]));
    assert_eq!(env["config"]["packages"]["apt"], json!([]));
    let own = environment(&server, json!({"type": "self_hosted"})).await;
    assert!(server.environment_key(&own).is_some());
    let renamed = ok(
        &server,
        "POST",
        &format!("/v1/environments/{id}"),
        Some(json!({"name": "renamed", "description": "d"})),
    )
    .await;
    assert_eq!(
        (renamed["name"].as_str(), renamed["description"].as_str()),
        (Some("renamed"), Some("d"))
    );
    ok(
        &server,
        "POST",
        &format!("/v1/environments/{own}/archive"),
        None,
    )
    .await;
    assert_eq!(
        ids(&ok(&server, "GET", "/v1/environments", None).await),
        [id.as_str()]
    );
    assert_eq!(
        ids(&ok(
            &server,
            "GET",
            "/v1/environments?include_archived=true",
            None
        )
        .await),
        [own, id.clone()]
    );
    let deleted = ok(&server, "DELETE", &format!("/v1/environments/{id}"), None).await;
    assert_eq!(deleted, json!({"id": id, "type": "environment_deleted"}));
    assert_eq!(
        call(&server, "GET", &format!("/v1/environments/{id}"), None)
            .await
            .status,
        404
    );
    let bad = call(
        &server,
        "POST",
        "/v1/environments",
        Some(json!({"name": "x", "config": {"type": "moon"}})),
    )
    .await;
    assert_eq!(bad.status, 400);
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
