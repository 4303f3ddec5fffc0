//! The Admin API's organization: the admin key, users (100 000 of them,
//! paged), workspaces and their members, invites, API keys, and the usage
//! and cost reports' buckets.

use std::time::Instant;

use claude_rs_mock::MockServer;
use serde_json::json;

use crate::common::{VERSION, request};
use crate::support::{ADMIN, all_cursor, all_pages, fails, ok};

#[tokio::test]
async fn the_admin_api_takes_an_admin_key_and_nothing_else() {
    let server = MockServer::start().await;
    let me = "/v1/organizations/me";
    let none = request(&server, "GET", me, &[VERSION], b"").await;
    assert_eq!(none.status, 401);
    assert_eq!(none.json()["error"]["type"], "authentication_error");
    let plain = [VERSION, ("x-api-key", "sk-ant-api03-plain")];
    let refused = request(&server, "GET", me, &plain, b"").await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json()["error"]["type"], "permission_error");
    assert!(
        !refused.text().contains("sk-ant-api03-plain"),
        "the key is not echoed"
    );
    for header in [
        ("x-api-key", ADMIN.to_owned()),
        ("authorization", format!("Bearer {ADMIN}")),
    ] {
        let headers = [VERSION, (header.0, header.1.as_str())];
        let org = request(&server, "GET", me, &headers, b"").await;
        assert_eq!(org.status, 200, "{}", org.text());
        assert_eq!(org.json()["type"], "organization");
    }
    // The other families keep the mock's own rules: no key configured, none needed.
    let models = request(&server, "GET", "/v1/models", &[VERSION], b"").await;
    assert_eq!(models.status, 200);

    // A configured admin key is the only one accepted.
    let server = MockServer::builder()
        .admin_key("sk-ant-admin01-right")
        .start()
        .await;
    let wrong = [VERSION, ("x-api-key", "sk-ant-admin01-wrong")];
    let refused = request(&server, "GET", me, &wrong, b"").await;
    assert_eq!(refused.status, 401);
    let right = [VERSION, ("x-api-key", "sk-ant-admin01-right")];
    assert_eq!(request(&server, "GET", me, &right, b"").await.status, 200);
}

#[tokio::test]
async fn users_are_listed_read_updated_and_removed() {
    let server = MockServer::builder().admin_users(7).start().await;
    let users = all_pages(&server, "/v1/organizations/users", 3).await;
    assert_eq!(users.len(), 7);
    for user in &users {
        assert_eq!(user["type"], "user");
        assert!(user["email"].as_str().is_some_and(|e| e.contains('@')));
        assert!(
            user["added_at"]
                .as_str()
                .is_some_and(|t| t.starts_with("2026-"))
        );
    }
    let id = users[2]["id"].as_str().expect("id");
    let path = format!("/v1/organizations/users/{id}");
    assert_eq!(ok(&server, "GET", &path, None).await, users[2]);
    let updated = ok(&server, "POST", &path, Some(&json!({"role": "developer"}))).await;
    assert_eq!(updated["role"], "developer");
    assert_eq!(updated["email"], users[2]["email"]);
    let (status, kind) = fails(&server, "POST", &path, Some(&json!({}))).await;
    assert_eq!((status, kind.as_str()), (400, "invalid_request_error"));

    // before_id pages backwards from an id.
    let last = users[6]["id"].as_str().expect("id");
    let page = ok(
        &server,
        "GET",
        &format!("/v1/organizations/users?limit=2&before_id={last}"),
        None,
    )
    .await;
    assert_eq!(page["data"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["last_id"], users[5]["id"]);
    assert_eq!(page["has_more"], true);

    let removed = ok(&server, "DELETE", &path, None).await;
    assert_eq!(removed, json!({"id": id, "type": "user_deleted"}));
    assert_eq!(fails(&server, "GET", &path, None).await.0, 404);
    assert_eq!(
        all_pages(&server, "/v1/organizations/users", 3).await.len(),
        6
    );
    assert_eq!(
        fails(
            &server,
            "GET",
            "/v1/organizations/users/user_mock_000008",
            None
        )
        .await
        .0,
        404
    );
}

/// Resident memory of this process, in kB (Linux).
fn resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn a_hundred_thousand_users_page_in_bounded_memory() {
    let server = MockServer::builder().admin_users(100_000).start().await;
    let started = Instant::now();
    let mut after: Option<String> = None;
    let (mut count, mut pages) = (0usize, 0usize);
    let mut previous = String::new();
    let mut first_page = None;
    loop {
        let url = match &after {
            None => "/v1/organizations/users?limit=1000".to_owned(),
            Some(id) => format!("/v1/organizations/users?limit=1000&after_id={id}"),
        };
        let page = ok(&server, "GET", &url, None).await;
        let data = page["data"].as_array().expect("data");
        for user in data {
            let id = user["id"].as_str().expect("id").to_owned();
            assert!(id > previous, "in order, each once");
            previous = id;
        }
        count += data.len();
        pages += 1;
        if pages == 1 {
            first_page = resident_kb();
        }
        if page["has_more"] != true {
            break;
        }
        after = page["last_id"].as_str().map(str::to_owned);
    }
    assert_eq!((count, pages), (100_000, 100));
    assert_eq!(previous, "user_mock_100000");
    eprintln!(
        "100000 users in {pages} pages: {:?}; resident memory {first_page:?} kB after the first page, {:?} kB after the last",
        started.elapsed(),
        resident_kb()
    );
}

#[tokio::test]
async fn workspaces_and_their_members() {
    let server = MockServer::start().await;
    let seeded = all_pages(&server, "/v1/organizations/workspaces", 1).await;
    assert_eq!(seeded.len(), 2, "the archived one is not listed");
    let created = ok(
        &server,
        "POST",
        "/v1/organizations/workspaces",
        Some(&json!({"name": "Research", "display_color": "#ff0000", "tags": {"team": "ml"}})),
    )
    .await;
    assert_eq!(created["type"], "workspace");
    assert_eq!(created["name"], "Research");
    assert_eq!(created["tags"], json!({"team": "ml"}));
    let id = created["id"].as_str().expect("id");
    assert!(id.starts_with("wrkspc_"), "{id}");
    let w = format!("/v1/organizations/workspaces/{id}");
    assert_eq!(ok(&server, "GET", &w, None).await, created);
    let renamed = ok(
        &server,
        "POST",
        &w,
        Some(&json!({"name": "Research & Dev"})),
    )
    .await;
    assert_eq!(renamed["name"], "Research & Dev");
    let listed = all_pages(&server, "/v1/organizations/workspaces", 2).await;
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["id"], id, "newest first");

    // Members.
    let members = format!("{w}/members");
    assert!(all_pages(&server, &members, 5).await.is_empty());
    let body = json!({"user_id": "user_mock_000002", "workspace_role": "workspace_developer"});
    let member = ok(&server, "POST", &members, Some(&body)).await;
    assert_eq!(
        member,
        json!({"type": "workspace_member", "user_id": "user_mock_000002", "workspace_id": id,
               "workspace_role": "workspace_developer"})
    );
    let m = format!("{members}/user_mock_000002");
    assert_eq!(ok(&server, "GET", &m, None).await, member);
    let role = json!({"workspace_role": "workspace_admin"});
    assert_eq!(
        ok(&server, "POST", &m, Some(&role)).await["workspace_role"],
        "workspace_admin"
    );
    assert_eq!(all_pages(&server, &members, 5).await.len(), 1);
    let removed = ok(&server, "DELETE", &m, None).await;
    assert_eq!(removed["type"], "workspace_member_deleted");
    assert_eq!(removed["user_id"], "user_mock_000002");
    assert_eq!(removed["workspace_id"], id);
    assert_eq!(fails(&server, "GET", &m, None).await.0, 404);
    // The seeded workspace has three members.
    let first = seeded[1]["id"].as_str().expect("id");
    let seeded_members = all_pages(
        &server,
        &format!("/v1/organizations/workspaces/{first}/members"),
        2,
    )
    .await;
    assert_eq!(seeded_members.len(), 3);
    let missing = "/v1/organizations/workspaces/wrkspc_missing/members";
    assert_eq!(
        fails(&server, "GET", missing, None).await,
        (404, "not_found_error".to_owned())
    );

    // Archive.
    let archived = ok(&server, "POST", &format!("{w}/archive"), None).await;
    assert!(archived["archived_at"].is_string());
    assert_eq!(
        all_pages(&server, "/v1/organizations/workspaces", 5)
            .await
            .len(),
        2
    );
    let all = ok(
        &server,
        "GET",
        "/v1/organizations/workspaces?include_archived=true",
        None,
    )
    .await;
    assert_eq!(all["data"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn invites_and_api_keys() {
    let server = MockServer::start().await;
    let invites = all_pages(&server, "/v1/organizations/invites", 1).await;
    assert_eq!(invites.len(), 2);
    let body = json!({"email": "new@example.com", "role": "developer"});
    let invite = ok(&server, "POST", "/v1/organizations/invites", Some(&body)).await;
    assert_eq!(invite["type"], "invite");
    assert_eq!(invite["email"], "new@example.com");
    let id = invite["id"].as_str().expect("id");
    let path = format!("/v1/organizations/invites/{id}");
    assert_eq!(ok(&server, "GET", &path, None).await, invite);
    assert_eq!(
        ok(&server, "DELETE", &path, None).await,
        json!({"id": id, "type": "invite_deleted"})
    );
    let missing = json!({"role": "developer"});
    let (status, _) = fails(&server, "POST", "/v1/organizations/invites", Some(&missing)).await;
    assert_eq!(status, 400);

    let keys = all_pages(&server, "/v1/organizations/api_keys", 2).await;
    assert_eq!(keys.len(), 3);
    for key in &keys {
        assert_eq!(key["type"], "api_key");
        assert_eq!(key["status"], "active");
    }
    let id = keys[0]["id"].as_str().expect("id");
    let path = format!("/v1/organizations/api_keys/{id}");
    let updated = ok(
        &server,
        "POST",
        &path,
        Some(&json!({"name": "renamed", "status": "inactive"})),
    )
    .await;
    assert_eq!(
        (updated["name"].as_str(), updated["status"].as_str()),
        (Some("renamed"), Some("inactive"))
    );
    assert_eq!(ok(&server, "GET", &path, None).await, updated);
    // No key is created through the API.
    let raw = crate::support::call(
        &server,
        "POST",
        "/v1/organizations/api_keys",
        Some(&json!({})),
    )
    .await;
    assert_eq!(raw.status, 404);
}

#[tokio::test]
async fn reports_come_in_buckets_of_their_width() {
    let server = MockServer::start().await;
    let report = "/v1/organizations/analytics/usage_report";
    let day = ok(
        &server,
        "GET",
        &format!("{report}?starting_at=2026-03-01T00:00:00Z&ending_at=2026-03-04T00:00:00Z"),
        None,
    )
    .await;
    let buckets = day["data"].as_array().expect("data");
    assert_eq!(buckets.len(), 3);
    assert_eq!(buckets[0]["starting_at"], "2026-03-01T00:00:00.000000Z");
    assert_eq!(buckets[0]["ending_at"], "2026-03-02T00:00:00.000000Z");
    assert_eq!(buckets[2]["ending_at"], "2026-03-04T00:00:00.000000Z");
    // The last page says `has_more: false` and still carries a cursor (where
    // the report ends), as the API's reports do.
    assert_eq!(
        (day["has_more"].clone(), day["next_page"].clone()),
        (json!(false), json!(format!("page_{}", 1_772_582_400)))
    );

    // Hours, paged: 30 buckets in pages of 24 then 6.
    let query = "starting_at=2026-03-01T00:00:00Z&ending_at=2026-03-02T06:00:00Z&bucket_width=1h";
    let first = ok(&server, "GET", &format!("{report}?{query}"), None).await;
    assert_eq!(first["data"].as_array().map(Vec::len), Some(24));
    assert_eq!(first["has_more"], true);
    let next = first["next_page"].as_str().expect("next_page");
    let second = ok(
        &server,
        "GET",
        &format!("{report}?{query}&page={next}"),
        None,
    )
    .await;
    assert_eq!(second["data"].as_array().map(Vec::len), Some(6));
    assert_eq!(
        second["data"][0]["starting_at"],
        "2026-03-02T00:00:00.000000Z"
    );
    assert_eq!(second["has_more"], false);
    let all = all_cursor(&server, &format!("{report}?{query}"), 7).await;
    assert_eq!(all.len(), 30);

    // Minutes, and the cost report.
    let minutes = "starting_at=2026-03-01T00:00:00Z&ending_at=2026-03-01T00:05:00Z&bucket_width=1m";
    let cost = ok(
        &server,
        "GET",
        &format!("/v1/organizations/analytics/cost_report?{minutes}"),
        None,
    )
    .await;
    assert_eq!(cost["data"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        cost["data"][1]["starting_at"],
        "2026-03-01T00:01:00.000000Z"
    );
    assert!(cost["data"][0]["results"].is_array());

    let (status, kind) = fails(&server, "GET", &format!("{report}?bucket_width=1w"), None).await;
    assert_eq!((status, kind.as_str()), (400, "invalid_request_error"));
    let bad = format!("{report}?starting_at=yesterday");
    assert_eq!(fails(&server, "GET", &bad, None).await.0, 400);
}
