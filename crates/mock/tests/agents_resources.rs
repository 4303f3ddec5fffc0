//! Managed Agents resources on the mock: agents and their versions,
//! environments, and the beta every call needs.

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
