//! The Managed Agents families the store serves generically: create,
//! retrieve, update, list (every page), archive and delete, nested
//! collections scoped to their parent, and the API's errors.

use claude_rs_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{all_cursor, fails, ok};

/// What one family is asked to do.
struct Family<'a> {
    collection: &'a str,
    kind: &'a str,
    prefix: &'a str,
    create: Value,
    /// The update's body, when the family has an update endpoint.
    update: Option<Value>,
    archive: bool,
    delete: Option<&'a str>,
}

/// Creates three objects, reads, updates, lists them (pages of two),
/// archives and deletes as the family allows; returns the first object's id.
async fn exercise(server: &MockServer, family: &Family<'_>) -> String {
    let c = family.collection;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let created = ok(server, "POST", c, Some(&family.create)).await;
        assert_eq!(created["type"], family.kind, "{created}");
        let id = created["id"].as_str().expect("an id").to_owned();
        assert!(id.starts_with(family.prefix), "{id}");
        for (name, value) in family.create.as_object().expect("a body") {
            if value.is_string() && created[name].is_string() {
                assert_eq!(&created[name], value, "{name} kept from the body");
            }
        }
        assert!(
            created["created_at"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z'))
        );
        ids.push(id);
    }
    let id = ids[0].clone();
    let object = format!("{c}/{id}");
    let read = ok(server, "GET", &object, None).await;
    assert_eq!(read["id"], id.as_str());

    if let Some(update) = &family.update {
        let updated = ok(server, "POST", &object, Some(update)).await;
        for (name, value) in update.as_object().expect("a body") {
            assert_eq!(&updated[name], value, "{name} updated");
        }
        assert_eq!(ok(server, "GET", &object, None).await, updated);
    }

    let listed = all_cursor(server, c, 2).await;
    let listed_ids: Vec<&str> = listed.iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(
        listed_ids,
        [&ids[2], &ids[1], &ids[0]],
        "newest first, every page"
    );

    if family.archive {
        let archived = ok(server, "POST", &format!("{object}/archive"), None).await;
        assert!(archived["archived_at"].is_string(), "{archived}");
        let listed = all_cursor(server, c, 10).await;
        assert_eq!(listed.len(), 2, "archived objects leave the list");
        let sep = if c.contains('?') { '&' } else { '?' };
        let all = all_cursor(server, &format!("{c}{sep}include_archived=true"), 10).await;
        assert_eq!(all.len(), 3);
    }
    if let Some(deleted_kind) = family.delete {
        let gone = ids[1].clone();
        let deleted = ok(server, "DELETE", &format!("{c}/{gone}"), None).await;
        assert_eq!(deleted, json!({"id": gone, "type": deleted_kind}));
        let (status, kind) = fails(server, "GET", &format!("{c}/{gone}"), None).await;
        assert_eq!((status, kind.as_str()), (404, "not_found_error"));
        let (status, _) = fails(server, "DELETE", &format!("{c}/{gone}"), None).await;
        assert_eq!(status, 404);
    }
    let (status, kind) = fails(server, "GET", &format!("{c}/nope_1"), None).await;
    assert_eq!((status, kind.as_str()), (404, "not_found_error"));
    id
}

#[tokio::test]
async fn memory_stores_memories_and_versions() {
    let server = MockServer::start().await;
    let store = exercise(
        &server,
        &Family {
            collection: "/v1/memory_stores",
            kind: "memory_store",
            prefix: "memstore_",
            create: json!({"name": "notes", "description": "what the agent learnt"}),
            update: Some(json!({"name": "renamed", "metadata": {"team": "a"}})),
            archive: true,
            delete: Some("memory_store_deleted"),
        },
    )
    .await;
    let memories = format!("/v1/memory_stores/{store}/memories");
    let memory = exercise(
        &server,
        &Family {
            collection: &memories,
            kind: "memory",
            prefix: "mem_",
            create: json!({"path": "/notes/a.md", "content": "hello"}),
            update: Some(json!({"content": "hello again"})),
            archive: false,
            delete: Some("memory_deleted"),
        },
    )
    .await;
    let read = ok(&server, "GET", &format!("{memories}/{memory}"), None).await;
    assert_eq!(
        read["memory_store_id"],
        store.as_str(),
        "scoped to its store"
    );

    // Each write left a version: three created, one modified, one deleted
    // (newest first), and the memory points at its latest.
    let versions = format!("/v1/memory_stores/{store}/memory_versions");
    let listed = all_cursor(&server, &versions, 2).await;
    let operations: Vec<&str> = listed
        .iter()
        .filter_map(|v| v["operation"].as_str())
        .collect();
    assert_eq!(
        operations,
        ["deleted", "modified", "created", "created", "created"]
    );
    let modified = &listed[1];
    assert_eq!(modified["memory_id"], memory.as_str());
    assert_eq!(modified["memory_store_id"], store.as_str());
    assert_eq!(modified["content"], "hello again");
    assert_eq!(modified["content_size_bytes"], 11);
    let read = ok(&server, "GET", &format!("{memories}/{memory}"), None).await;
    assert_eq!(read["memory_version_id"], modified["id"]);
    assert_eq!(read["content_sha256"], modified["content_sha256"]);
    let version = modified["id"].as_str().expect("id").to_owned();
    let read = ok(&server, "GET", &format!("{versions}/{version}"), None).await;
    assert_eq!(&read, modified);
    let redacted = ok(
        &server,
        "POST",
        &format!("{versions}/{version}/redact"),
        None,
    )
    .await;
    assert_eq!(redacted["id"], version.as_str());
    assert!(redacted["redacted_at"].is_string(), "{redacted}");

    // Another store's memories are not these, and a missing store is a 404.
    let missing = "/v1/memory_stores/memstore_missing/memories";
    let (status, kind) = fails(&server, "GET", missing, None).await;
    assert_eq!((status, kind.as_str()), (404, "not_found_error"));
    let body = json!({"path": "/x", "content": "y"});
    assert_eq!(fails(&server, "POST", missing, Some(&body)).await.0, 404);

    // Deleting a store deletes its memories.
    ok(
        &server,
        "DELETE",
        &format!("/v1/memory_stores/{store}"),
        None,
    )
    .await;
    assert_eq!(
        fails(&server, "GET", &format!("{memories}/{memory}"), None)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn vaults_and_credentials() {
    let server = MockServer::start().await;
    let vault = exercise(
        &server,
        &Family {
            collection: "/v1/vaults",
            kind: "vault",
            prefix: "vlt_",
            create: json!({"display_name": "prod secrets"}),
            update: Some(json!({"display_name": "production secrets"})),
            archive: true,
            delete: Some("vault_deleted"),
        },
    )
    .await;
    let credentials = format!("/v1/vaults/{vault}/credentials");
    let auth = json!({"type": "static_bearer", "token": "secret", "mcp_server_url": "https://mcp.example.com"});
    let credential = exercise(
        &server,
        &Family {
            collection: &credentials,
            kind: "vault_credential",
            prefix: "vcrd_",
            create: json!({"auth": auth, "display_name": "github"}),
            update: Some(json!({"display_name": "github (rotated)"})),
            archive: true,
            delete: Some("vault_credential_deleted"),
        },
    )
    .await;
    let validation = ok(
        &server,
        "POST",
        &format!("{credentials}/{credential}/mcp_oauth_validate"),
        None,
    )
    .await;
    assert_eq!(validation["type"], "vault_credential_validation");
    // A required field missing is named.
    let raw = crate::support::call(&server, "POST", &credentials, Some(&json!({}))).await;
    assert_eq!(raw.status, 400);
    assert_eq!(raw.json()["error"]["type"], "invalid_request_error");
    assert!(
        raw.text().contains("auth: Field required"),
        "{}",
        raw.text()
    );
}

#[tokio::test]
async fn deployments_and_their_runs() {
    let server = MockServer::start().await;
    let create = json!({
        "name": "nightly", "agent": "agent_1", "environment_id": "env_1", "initial_events": [],
    });
    let deployment = exercise(
        &server,
        &Family {
            collection: "/v1/deployments",
            kind: "deployment",
            prefix: "depl_",
            create,
            update: Some(json!({"name": "nightly build"})),
            archive: true,
            delete: None,
        },
    )
    .await;
    let d = format!("/v1/deployments/{deployment}");
    let paused = ok(&server, "POST", &format!("{d}/pause"), None).await;
    assert_eq!(paused["id"], deployment.as_str());
    let run = ok(&server, "POST", &format!("{d}/run"), None).await;
    assert_eq!(run["type"], "deployment_run");
    assert_eq!(run["deployment_id"], deployment.as_str());
    let run_id = run["id"].as_str().expect("id");
    let runs = all_cursor(&server, "/v1/deployment_runs", 1).await;
    assert!(runs.iter().any(|r| r["id"] == run_id), "the run is listed");
    let read = ok(
        &server,
        "GET",
        &format!("/v1/deployment_runs/{run_id}"),
        None,
    )
    .await;
    assert_eq!(read, run);
}

#[tokio::test]
async fn dreams() {
    let server = MockServer::start().await;
    let dream = exercise(
        &server,
        &Family {
            collection: "/v1/dreams",
            kind: "dream",
            prefix: "drm_",
            create: json!({"model": "claude-opus-4-5", "inputs": []}),
            update: None,
            archive: true,
            delete: None,
        },
    )
    .await;
    let canceled = ok(&server, "POST", &format!("/v1/dreams/{dream}/cancel"), None).await;
    assert_eq!(canceled["id"], dream.as_str());
    // Dreams are archived, not deleted: there is no such endpoint.
    assert_eq!(
        crate::support::call(&server, "DELETE", &format!("/v1/dreams/{dream}"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn tunnels_and_certificates() {
    let server = MockServer::start().await;
    let tunnel = exercise(
        &server,
        &Family {
            collection: "/v1/tunnels",
            kind: "tunnel",
            prefix: "tnl_",
            create: json!({"display_name": "office"}),
            update: None,
            archive: true,
            delete: None,
        },
    )
    .await;
    let t = format!("/v1/tunnels/{tunnel}");
    let certificates = format!("{t}/certificates");
    exercise(
        &server,
        &Family {
            collection: &certificates,
            kind: "tunnel_certificate",
            prefix: "tcrt_",
            create: json!({"ca_certificate_pem": "-----BEGIN CERTIFICATE-----"}),
            update: None,
            archive: true,
            delete: None,
        },
    )
    .await;
    let token = ok(
        &server,
        "POST",
        &format!("{t}/rotate_token"),
        Some(&json!({})),
    )
    .await;
    assert_eq!(token["type"], "tunnel_token");
    let token = ok(&server, "POST", &format!("{t}/reveal_token"), None).await;
    assert_eq!(token["type"], "tunnel_token");
}

#[tokio::test]
async fn user_profiles() {
    let server = MockServer::start().await;
    let profile = exercise(
        &server,
        &Family {
            collection: "/v1/user_profiles",
            kind: "user_profile",
            prefix: "uprof_",
            create: json!({"name": "Ada"}),
            update: Some(json!({"name": "Ada L."})),
            archive: false,
            delete: Some("user_profile_deleted"),
        },
    )
    .await;
    let p = format!("/v1/user_profiles/{profile}");
    let url = ok(
        &server,
        "POST",
        &format!("{p}/action_urls"),
        Some(&json!({"action": "enroll"})),
    )
    .await;
    assert_eq!(url["type"], "user_profile_action_url");
    let url = ok(&server, "POST", &format!("{p}/enrollment_url"), None).await;
    assert_eq!(url["type"], "enrollment_url");
    let controls = format!("{p}/providers/google/data_controls");
    let read = ok(&server, "GET", &controls, None).await;
    assert_eq!(read["type"], "google_managed_data_controls");
    let written = ok(&server, "POST", &controls, Some(&json!({}))).await;
    assert_eq!(written["type"], read["type"]);
}

#[tokio::test]
async fn compliance_review() {
    let server = MockServer::start().await;
    let cases = all_cursor(&server, "/v1/compliance/review/cases", 1).await;
    assert_eq!(cases.len(), 2, "two cases to review");
    let case = cases[0]["id"].as_str().expect("id");
    assert_eq!(cases[0]["type"], "compliance_review_case");
    let c = format!("/v1/compliance/review/cases/{case}");
    assert_eq!(ok(&server, "GET", &c, None).await, cases[0]);
    let (status, kind) = fails(&server, "POST", &format!("{c}/respond"), Some(&json!({}))).await;
    assert_eq!((status, kind.as_str()), (400, "invalid_request_error"));
    let determination = json!({"determination": "no_violation"});
    let answered = ok(
        &server,
        "POST",
        &format!("{c}/respond"),
        Some(&determination),
    )
    .await;
    assert_eq!(answered["id"], case);
    let item = ok(&server, "GET", "/v1/compliance/review/items/rvi_1", None).await;
    assert_eq!(item["type"], "compliance_review_item");
    let notices = all_cursor(&server, "/v1/compliance/review/notices", 5).await;
    assert!(
        notices
            .iter()
            .all(|n| n["type"] == "compliance_review_notice")
    );
    assert_eq!(fails(&server, "GET", &format!("{c}x"), None).await.0, 404);
}
