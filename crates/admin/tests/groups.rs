//! Every endpoint group of the Admin API against the mock server: each
//! creates, lists and retrieves what its group offers, and checks the
//! shapes that come back (the mock answers instances of the SDK's types);
//! the list filters are checked where the groups have them.

use claude_rs_admin::Admin;
use claude_rs_client::{Client, Error};
use claude_rs_mock::MockServer;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

async fn start() -> (MockServer, Admin) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .admin_key("sk-ant-admin01-test")
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .expect("a client");
    (server, Admin::new(client))
}

/// A request body from JSON (the shape the API documents).
fn params<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the params decode")
}

/// An answer as JSON, to check its shape.
fn shape<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("the answer encodes")
}

fn status(error: &Error) -> Option<u16> {
    error.status().map(|s| s.as_u16())
}

/// A date-time from its RFC 3339 text.
fn at(text: &str) -> claude_rs_types::datetime::Timestamp {
    text.parse().expect("an RFC 3339 date-time")
}

/// The ids of a list of objects (as JSON).
fn ids<T: Serialize>(items: &[T]) -> Vec<String> {
    items
        .iter()
        .map(|i| shape(i)["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn users_list_filter_retrieve_and_update() {
    let (_server, admin) = start().await;
    let all = admin
        .users()
        .list(&Default::default())
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(shape(&all[0])["type"], "user");

    let mut by_email = claude_rs_admin::users::UsersListQuery::default();
    by_email.email = Some("user2@example.com".into());
    let found = admin.users().list(&by_email).await.unwrap();
    assert_eq!(ids(&found.data), ["user_mock_000002"]);

    let mut by_role = claude_rs_admin::users::UsersListQuery::default();
    by_role.roles = vec!["developer".into()];
    let developers = admin
        .users()
        .list(&by_role)
        .limit(1)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&developers), ["user_mock_000002", "user_mock_000005"]);
    by_role.roles = vec!["astronaut".into()];
    let refused = admin.users().list(&by_role).await.unwrap_err();
    assert_eq!(status(&refused), Some(400), "{refused}");
    assert!(refused.to_string().contains("roles"), "{refused}");

    let user = admin.users().retrieve("user_mock_000003").await.unwrap();
    assert_eq!(shape(&user)["email"], "user3@example.com");
    let updated = admin
        .users()
        .update("user_mock_000003", &params(json!({"role": "developer"})))
        .await
        .unwrap();
    assert_eq!(shape(&updated)["role"], "developer");
    let removed = admin.users().remove("user_mock_000003").await.unwrap();
    assert_eq!(shape(&removed)["id"], "user_mock_000003");
    let gone = admin
        .users()
        .retrieve("user_mock_000003")
        .await
        .unwrap_err();
    assert_eq!(status(&gone), Some(404));
}

#[tokio::test]
async fn invites_create_list_by_status_and_delete() {
    let (_server, admin) = start().await;
    let invite = admin
        .invites()
        .create(&params(
            json!({"email": "ada@example.com", "role": "developer"}),
        ))
        .await
        .unwrap();
    assert_eq!(shape(&invite)["email"], "ada@example.com");
    assert_eq!(
        admin.invites().retrieve(&invite.id).await.unwrap().id,
        invite.id
    );

    let mut query = claude_rs_admin::invites::InvitesListQuery::default();
    query.email = Some("contractor@example.com".into());
    let found = admin.invites().list(&query).await.unwrap();
    assert_eq!(found.data.len(), 1);
    assert_eq!(shape(&found.data[0])["status"], "pending");
    query.email = None;
    query.statuses = vec!["bogus".into()];
    let refused = admin.invites().list(&query).await.unwrap_err();
    assert_eq!(status(&refused), Some(400), "{refused}");

    let deleted = admin.invites().delete(&invite.id).await.unwrap();
    assert_eq!(shape(&deleted)["id"], json!(invite.id));
}

#[tokio::test]
async fn workspaces_members_service_accounts_and_rate_limits() {
    let (_server, admin) = start().await;
    let listed = admin.workspaces().list(&Default::default()).await.unwrap();
    assert_eq!(listed.data.len(), 2, "the archived workspace is left out");
    let mut query = claude_rs_admin::workspaces::WorkspacesListQuery::default();
    query.include_archived = Some(true);
    let every = admin.workspaces().list(&query).await.unwrap();
    assert_eq!(every.data.len(), 3);
    assert!(every.data.iter().any(|w| w.archived_at.is_some()));

    let created = admin
        .workspaces()
        .create(&params(json!({"name": "Research"})))
        .await
        .unwrap();
    assert_eq!(created.name, "Research");
    assert_eq!(shape(&created)["type"], "workspace");
    let id = created.id.clone();
    let renamed = admin
        .workspaces()
        .update(&id, &params(json!({"name": "Research 2"})))
        .await
        .unwrap();
    assert_eq!(renamed.name, "Research 2");

    let production = listed
        .data
        .iter()
        .find(|w| w.name == "Production")
        .expect("the seeded workspace");
    let members = admin
        .workspaces()
        .members()
        .list(&production.id)
        .await
        .unwrap();
    assert_eq!(members.data.len(), 3);
    assert!(
        members
            .data
            .iter()
            .all(|m| shape(m)["workspace_id"] == json!(production.id))
    );
    let member = admin
        .workspaces()
        .members()
        .add(
            &id,
            &params(json!({"user_id": "user_mock_000004", "workspace_role": "workspace_user"})),
        )
        .await
        .unwrap();
    assert_eq!(shape(&member)["workspace_id"], json!(id));
    let read = admin
        .workspaces()
        .members()
        .retrieve(&id, "user_mock_000004")
        .await
        .unwrap();
    assert_eq!(shape(&read)["user_id"], "user_mock_000004");

    let account = admin
        .service_accounts()
        .create(&params(json!({"name": "deployer"})))
        .await
        .unwrap();
    let added = admin
        .workspaces()
        .service_accounts()
        .add(
            &id,
            &params(
                json!({"service_account_id": account.id, "workspace_role": "workspace_developer"}),
            ),
        )
        .await
        .unwrap();
    assert_eq!(shape(&added)["workspace_id"], json!(id));
    let accounts = admin
        .workspaces()
        .service_accounts()
        .list(&id)
        .await
        .unwrap();
    assert_eq!(accounts.data.len(), 1);

    let limits = admin
        .workspaces()
        .rate_limits()
        .list(&id, &Default::default())
        .await
        .unwrap();
    for limit in &limits.data {
        assert!(shape(limit).get("type").is_some());
    }

    let archived = admin.workspaces().archive(&id).await.unwrap();
    assert!(archived.archived_at.is_some());
    let after = admin.workspaces().list(&Default::default()).await.unwrap();
    assert!(!ids(&after.data).contains(&id));
}

#[tokio::test]
async fn api_keys_by_status_and_workspace() {
    let (_server, admin) = start().await;
    let keys = admin.api_keys().list(&Default::default()).await.unwrap();
    assert_eq!(keys.data.len(), 3);
    let key = &keys.data[0];
    assert_eq!(shape(key)["type"], "api_key");
    let workspace = shape(key)["workspace_id"]
        .as_str()
        .expect("a workspace")
        .to_owned();

    let mut query = claude_rs_admin::api_keys::ApiKeysListQuery::default();
    query.workspace_id = Some(workspace.clone());
    let in_workspace = admin.api_keys().list(&query).await.unwrap();
    assert_eq!(in_workspace.data.len(), 2);
    assert!(
        in_workspace
            .data
            .iter()
            .all(|k| shape(k)["workspace_id"] == json!(workspace))
    );

    let mut query = claude_rs_admin::api_keys::ApiKeysListQuery::default();
    query.status = Some("archived".into());
    assert!(admin.api_keys().list(&query).await.unwrap().data.is_empty());
    query.status = Some("active".into());
    assert_eq!(admin.api_keys().list(&query).await.unwrap().data.len(), 3);
    query.status = Some("sleeping".into());
    let refused = admin.api_keys().list(&query).await.unwrap_err();
    assert_eq!(status(&refused), Some(400), "{refused}");

    let renamed = admin
        .api_keys()
        .update(&key.id, &params(json!({"name": "renamed"})))
        .await
        .unwrap();
    assert_eq!(renamed.name, "renamed");
    assert_eq!(
        admin.api_keys().retrieve(&key.id).await.unwrap().name,
        "renamed"
    );
}

#[tokio::test]
async fn service_accounts_and_their_workspaces() {
    let (_server, admin) = start().await;
    let account = admin
        .service_accounts()
        .create(&params(json!({"name": "ci"})))
        .await
        .unwrap();
    assert_eq!(shape(&account)["name"], "ci");
    let read = admin
        .service_accounts()
        .retrieve(&account.id)
        .await
        .unwrap();
    assert_eq!(read.id, account.id);
    let workspace = admin
        .workspaces()
        .list(&Default::default())
        .await
        .unwrap()
        .data[0]
        .id
        .clone();
    let added = admin
        .service_accounts()
        .workspaces()
        .add(
            &account.id,
            &params(json!({"workspace_id": workspace, "workspace_role": "workspace_user"})),
        )
        .await
        .unwrap();
    assert_eq!(shape(&added)["workspace_id"], json!(workspace));
    let listed = admin
        .service_accounts()
        .workspaces()
        .list(&account.id)
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);

    admin.service_accounts().archive(&account.id).await.unwrap();
    let active = admin
        .service_accounts()
        .list(&Default::default())
        .await
        .unwrap();
    assert!(!ids(&active.data).contains(&account.id));
    let mut query = claude_rs_admin::service_accounts::ServiceAccountsListQuery::default();
    query.include_archived = Some(true);
    let every = admin.service_accounts().list(&query).await.unwrap();
    assert!(ids(&every.data).contains(&account.id));
}

#[tokio::test]
async fn rate_limits_spend_limits_and_increase_requests() {
    let (_server, admin) = start().await;
    let limits = admin.rate_limits().list(&Default::default()).await.unwrap();
    assert!(!limits.data.is_empty());
    assert!(shape(&limits.data[0]).get("type").is_some());

    let set = admin
        .spend_limits()
        .set(&params(
            json!({"amount": "250.00", "scope": {"type": "organization"}}),
        ))
        .await
        .unwrap();
    assert_eq!(shape(&set)["amount"], "250.00");
    let id = shape(&set)["id"].as_str().expect("an id").to_owned();
    let read = admin.spend_limits().retrieve(&id).await.unwrap();
    assert_eq!(shape(&read)["id"], json!(id));
    let listed = admin
        .spend_limits()
        .list(&Default::default())
        .await
        .unwrap();
    assert!(ids(&listed.data).contains(&id));
    let effective = admin
        .spend_limits()
        .effective()
        .list(&Default::default())
        .await
        .unwrap();
    for summary in &effective.data {
        assert!(shape(summary).is_object());
    }
    let requests = admin
        .spend_limits()
        .increase_requests()
        .list(&Default::default())
        .await
        .unwrap();
    let request = requests.data.first().expect("seeded requests");
    let request_id = shape(request)["id"].as_str().expect("an id").to_owned();
    let read = admin
        .spend_limits()
        .increase_requests()
        .retrieve(&request_id)
        .await
        .unwrap();
    assert_eq!(shape(&read)["id"], json!(request_id));
    let deleted = admin.spend_limits().delete(&id).await.unwrap();
    assert!(shape(&deleted).is_object());
}

#[tokio::test]
async fn usage_and_cost_reports_in_buckets() {
    let (_server, admin) = start().await;
    let mut query = claude_rs_admin::analytics::AnalyticsUsageReportListQuery::default();
    query.starting_at = Some(at("2026-03-01T00:00:00Z"));
    query.ending_at = Some(at("2026-03-02T00:00:00Z"));
    query.bucket_width = Some("1h".into());
    let buckets = admin
        .analytics()
        .usage_report()
        .list(&query)
        .limit(10)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(buckets.len(), 24);
    let first = shape(&buckets[0]);
    assert_eq!(first["starting_at"], "2026-03-01T00:00:00.000000Z");
    assert!(first["results"].is_array());

    let mut query = claude_rs_admin::analytics::AnalyticsUserCostReportListQuery::default();
    query.starting_at = Some(at("2026-03-01T00:00:00Z"));
    query.ending_at = Some(at("2026-03-03T00:00:00Z"));
    let page = admin
        .analytics()
        .user_cost_report()
        .list(&query)
        .await
        .unwrap();
    assert_eq!(page.data.len(), 2);

    let mut query = claude_rs_admin::analytics::AnalyticsUsageReportListQuery::default();
    query.bucket_width = Some("1w".into());
    let refused = admin
        .analytics()
        .usage_report()
        .list(&query)
        .await
        .unwrap_err();
    assert_eq!(status(&refused), Some(400), "{refused}");
}

#[tokio::test]
async fn webhooks_create_list_and_rotate_their_secret() {
    let (_server, admin) = start().await;
    let created = admin
        .webhooks()
        .create(&params(json!({
            "url": "https://example.com/hooks",
            "enabled_events": ["session.status_idle"]
        })))
        .await
        .unwrap();
    let created = shape(&created);
    assert_eq!(created["url"], "https://example.com/hooks");
    let id = created["id"].as_str().expect("an id").to_owned();
    let listed = admin.webhooks().list(&Default::default()).await.unwrap();
    assert!(ids(&listed.data).contains(&id));
    let read = admin.webhooks().retrieve(&id).await.unwrap();
    assert_eq!(shape(&read)["id"], json!(id));
    let secret = admin
        .webhooks()
        .regenerate_signing_secret(&id)
        .await
        .unwrap();
    assert!(shape(&secret).is_object());
    admin.webhooks().delete(&id).await.unwrap();
    let gone = admin.webhooks().retrieve(&id).await.unwrap_err();
    assert_eq!(status(&gone), Some(404));
}

#[tokio::test]
async fn federation_issuers_and_rules() {
    let (_server, admin) = start().await;
    let issuer = admin
        .federation()
        .issuers()
        .create(&params(json!({
            "name": "GitHub Actions",
            "issuer_url": "https://token.actions.githubusercontent.com"
        })))
        .await
        .unwrap();
    assert_eq!(shape(&issuer)["name"], "GitHub Actions");
    let issuers = admin
        .federation()
        .issuers()
        .list(&Default::default())
        .await
        .unwrap();
    assert!(ids(&issuers.data).contains(&issuer.id));

    let account = admin
        .service_accounts()
        .create(&params(json!({"name": "deployer"})))
        .await
        .unwrap();
    let rule = admin
        .federation()
        .rules()
        .create(&params(json!({
            "name": "main branch",
            "issuer_id": issuer.id,
            "match": {"subject_prefix": "repo:acme/app:ref:refs/heads/main"},
            "oauth_scope": "workspace:developer",
            "target": {"type": "service_account", "service_account_id": account.id}
        })))
        .await
        .unwrap();
    assert_eq!(shape(&rule)["issuer_id"], json!(issuer.id));
    let read = admin.federation().rules().retrieve(&rule.id).await.unwrap();
    assert_eq!(read.id, rule.id);
    let workspace = admin
        .workspaces()
        .list(&Default::default())
        .await
        .unwrap()
        .data[0]
        .id
        .clone();
    admin
        .federation()
        .rules()
        .workspaces()
        .add(&rule.id, &params(json!({"workspace_id": workspace})))
        .await
        .unwrap();
    let listed = admin
        .federation()
        .rules()
        .workspaces()
        .list(&rule.id)
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);

    let mut query = claude_rs_admin::federation_rules::FederationRulesListQuery::default();
    query.issuer_id = Some("fdis_none".into());
    let none = admin.federation().rules().list(&query).await.unwrap();
    assert!(none.data.is_empty(), "filtered by issuer");
    query.issuer_id = Some(issuer.id.clone());
    let mine = admin.federation().rules().list(&query).await.unwrap();
    assert_eq!(ids(&mine.data), [rule.id.as_str()]);
}

#[tokio::test]
async fn rbac_groups_members_and_roles() {
    let (_server, admin) = start().await;
    let group = admin
        .rbac_groups()
        .create(&params(json!({"name": "Platform team"})))
        .await
        .unwrap();
    assert_eq!(shape(&group)["name"], "Platform team");
    let listed = admin.rbac_groups().list().await.unwrap();
    assert!(ids(&listed.data).contains(&group.id));
    let member = admin
        .rbac_groups()
        .members()
        .add(&group.id, &params(json!({"user_id": "user_mock_000002"})))
        .await
        .unwrap();
    assert_eq!(shape(&member)["user_id"], "user_mock_000002");
    let members = admin.rbac_groups().members().list(&group.id).await.unwrap();
    assert_eq!(members.data.len(), 1);

    let roles = admin.rbac_roles().list().await.unwrap();
    let role = roles.data.first().expect("seeded roles");
    let read = admin.rbac_roles().retrieve(&role.id).await.unwrap();
    assert_eq!(read.id, role.id);
    let permissions = admin
        .rbac_roles()
        .permissions()
        .list(&role.id)
        .await
        .unwrap();
    for permission in &permissions.data {
        assert!(shape(permission).is_object());
    }
}

#[tokio::test]
async fn claude_code_managed_settings() {
    let (_server, admin) = start().await;
    let settings = admin.claude_code().managed_settings();
    let configuration = settings.configuration().retrieve().await.unwrap();
    assert!(shape(&configuration).is_object());
    let group = admin
        .rbac_groups()
        .create(&params(json!({"name": "Claude Code users"})))
        .await
        .unwrap();
    let set = settings
        .rbac_groups()
        .set(
            &group.id,
            &params(json!({"settings": {"permissions": {"deny": ["WebFetch"]}}})),
        )
        .await
        .unwrap();
    assert_eq!(
        shape(&set)["settings"]["permissions"]["deny"],
        json!(["WebFetch"])
    );
    let read = settings.rbac_groups().retrieve(&group.id).await.unwrap();
    assert_eq!(shape(&read)["settings"], shape(&set)["settings"]);
    let listed = settings.rbac_groups().list().await.unwrap();
    assert!(!listed.data.is_empty());
    let default = settings.rbac_group_default().retrieve().await.unwrap();
    assert!(shape(&default).is_object());
}

#[tokio::test]
async fn plugins_and_marketplaces_by_date_range() {
    let (_server, admin) = start().await;
    let upload = claude_rs_client::files::FileUpload::from_bytes(
        ".claude-plugin/plugin.json",
        "application/json",
        r#"{"name": "lint"}"#,
    );
    let plugin = admin
        .plugins()
        .create(claude_rs_admin::plugins::PluginsCreateParams::new(vec![
            upload,
        ]))
        .await
        .unwrap();
    let created_at = shape(&plugin)["created_at"]
        .as_str()
        .expect("a creation time")
        .to_owned();

    let mut query = claude_rs_admin::plugins::PluginsListQuery::default();
    query.created_at_gte = Some(at(&created_at));
    let listed = admin.plugins().list(&query).await.unwrap();
    assert_eq!(ids(&listed.data), [plugin.id.as_str()]);
    query.created_at_gte = None;
    query.created_at_lt = Some(at(&created_at));
    let before = admin.plugins().list(&query).await.unwrap();
    assert!(!ids(&before.data).contains(&plugin.id));
    // The typed query cannot carry a bad date; the raw verb can, and the
    // mock refuses it as the API does.
    let refused = admin
        .client()
        .get("/v1/organizations/plugins")
        .query("created_at[lt]", "last tuesday")
        .await
        .unwrap_err();
    assert_eq!(status(&refused), Some(400), "{refused}");

    let versions = admin
        .plugins()
        .versions()
        .list(&plugin.id, &Default::default())
        .await
        .unwrap();
    for version in &versions.data {
        assert_eq!(shape(version)["type"], "plugin_version");
    }
    let marketplaces = admin
        .plugin_marketplaces()
        .list(&Default::default())
        .await
        .unwrap();
    let marketplace = marketplaces.data.first().expect("seeded marketplaces");
    let read = admin
        .plugin_marketplaces()
        .retrieve(&marketplace.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(read.id, marketplace.id);
}

#[tokio::test]
async fn telemetry_destinations_and_their_workspaces() {
    let (_server, admin) = start().await;
    let destination = admin
        .telemetry_destinations()
        .create(&params(json!({
            "endpoint_url": "https://otel.example.com/v1/traces",
            "workspaces": {"type": "all"}
        })))
        .await
        .unwrap();
    assert_eq!(
        shape(&destination)["endpoint_url"],
        "https://otel.example.com/v1/traces"
    );
    let listed = admin
        .telemetry_destinations()
        .list(&Default::default())
        .await
        .unwrap();
    assert!(ids(&listed.data).contains(&destination.id));
    let read = admin
        .telemetry_destinations()
        .retrieve(&destination.id)
        .await
        .unwrap();
    assert_eq!(read.id, destination.id);
    let tested = admin
        .telemetry_destinations()
        .test(&destination.id)
        .await
        .unwrap();
    assert!(shape(&tested).is_object());
    let workspace = admin
        .workspaces()
        .list(&Default::default())
        .await
        .unwrap()
        .data[0]
        .id
        .clone();
    admin
        .telemetry_destinations()
        .workspaces()
        .add(&destination.id, &workspace)
        .await
        .unwrap();
    let workspaces = admin
        .telemetry_destinations()
        .workspaces()
        .list(&destination.id)
        .await
        .unwrap();
    assert!(
        workspaces
            .data
            .iter()
            .any(|w| shape(w).to_string().contains(&workspace)),
        "the added workspace is listed"
    );
}

#[tokio::test]
async fn the_organization_and_its_settings() {
    let (_server, admin) = start().await;
    let me = admin.me().retrieve().await.unwrap();
    assert_eq!(shape(&me)["type"], "organization");
    let compliance = admin.compliance_settings().retrieve().await.unwrap();
    assert!(shape(&compliance).is_object());
    let keys = admin.external_keys().list().await.unwrap();
    for key in &keys.data {
        assert!(shape(key)["id"].is_string());
    }
    let storage = admin
        .external_storage()
        .list(&Default::default())
        .await
        .unwrap();
    for item in &storage.data {
        assert!(shape(item)["id"].is_string());
    }
    let bundles = admin.claude_tag().bundles().list().await.unwrap();
    let bundle = bundles.data.first().expect("seeded bundles");
    let read = admin
        .claude_tag()
        .bundles()
        .retrieve(&bundle.id)
        .await
        .unwrap();
    assert_eq!(read.id, bundle.id);
    let controls = admin
        .providers()
        .google()
        .projects()
        .data_controls()
        .retrieve("123456789")
        .await
        .unwrap();
    assert!(shape(&controls).is_object());
}
