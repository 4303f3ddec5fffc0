//! The Admin handlers against a local server: the requests they build and
//! the three pagination styles they follow (`after_id` pages, the reports'
//! cursor), responses shaped like the SDK's types (synthetic values, shapes
//! after `anthropic` 2.17.0).

#[path = "../../agents/tests/support/mod.rs"]
mod support;

use claude_rs_admin::Admin;
use claude_rs_admin::analytics::{AnalyticsCostReportListQuery, AnalyticsCostReportTimeBucket};
use claude_rs_admin::invites::OrganizationRole;
use claude_rs_admin::users::{OrganizationUser, UsersListQuery};
use serde_json::{Value, json};
use support::{Reply, serve};

/// A client with an admin key only: Admin calls need nothing else.
fn admin_client(base: &str) -> claude_rs_client::Client {
    claude_rs_client::ClientBuilder::from_env_lookup(|_| None)
        .admin_key("sk-ant-admin01-test")
        .base_url(base)
        .max_retries(0)
        .build()
        .expect("a client")
}

fn user(id: &str, role: &str) -> Value {
    json!({
        "id": id, "type": "user", "email": format!("{id}@example.com"), "name": "Ada",
        "role": role, "added_at": "2026-01-02T03:04:05Z"
    })
}

#[tokio::test]
async fn users_pages_follow_after_id_and_keep_unknown_roles() {
    let (base, mut received) = serve(vec![
        Reply::json(
            json!({"data": [user("user_1", "developer")], "has_more": true,
                           "first_id": "user_1", "last_id": "user_1"}),
        ),
        Reply::json(
            json!({"data": [user("user_2", "astronaut")], "has_more": false,
                           "first_id": "user_2", "last_id": "user_2"}),
        ),
    ])
    .await;
    let admin = Admin::new(admin_client(&base));
    let mut query = UsersListQuery::default();
    query.email = Some("ada@example.com".into());
    query.roles = vec!["developer".into(), "admin".into()];
    let users: Vec<OrganizationUser> = admin
        .users()
        .list(&query)
        .limit(1)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].role, OrganizationRole::Developer);
    assert_eq!(users[1].role, OrganizationRole::Unknown("astronaut".into()));
    assert_eq!(
        serde_json::to_value(&users[1]).unwrap(),
        user("user_2", "astronaut")
    );

    let first = received.recv().await.unwrap();
    assert_eq!(
        first.target,
        "/v1/organizations/users?email=ada%40example.com&roles%5B%5D=developer&roles%5B%5D=admin&limit=1"
    );
    // A GA endpoint: no beta header of its own.
    assert_eq!(first.header("anthropic-beta"), None);
    let second = received.recv().await.unwrap();
    assert!(
        second.target.ends_with("&limit=1&after_id=user_1"),
        "{}",
        second.target
    );
}

#[tokio::test]
async fn a_report_follows_its_cursor_and_keeps_data_refreshed_at() {
    let bucket = |amount: &str| {
        json!({"starting_at": "2026-05-01T00:00:00Z", "ending_at": "2026-05-02T00:00:00Z",
               "results": [{"amount": amount, "currency": "USD", "list_amount": amount,
                            "model": "claude-sonnet-5", "speed": "standard"}]})
    };
    let (base, mut received) = serve(vec![
        Reply::json(
            json!({"data": [bucket("1.50")], "has_more": true, "next_page": "cur_2",
                           "data_refreshed_at": "2026-05-02T01:00:00Z"}),
        ),
        Reply::json(
            json!({"data": [bucket("2.25")], "has_more": false, "next_page": null,
                           "data_refreshed_at": "2026-05-02T01:00:00Z"}),
        ),
    ])
    .await;
    let admin = Admin::new(admin_client(&base));
    let mut query = AnalyticsCostReportListQuery::default();
    query.bucket_width = Some("1d".into());
    query.group_by = vec!["model".into()];
    let list = admin.analytics().cost_report().list(&query);
    let first_page = list.await.unwrap();
    assert_eq!(
        first_page.extra["data_refreshed_at"],
        "2026-05-02T01:00:00Z"
    );
    let first = received.recv().await.unwrap();
    assert_eq!(
        first.target,
        "/v1/organizations/analytics/cost_report?beta=true&bucket_width=1d&group_by%5B%5D=model"
    );

    let (base, mut received) = serve(vec![
        Reply::json(json!({"data": [bucket("1.50")], "has_more": true, "next_page": "cur_2"})),
        Reply::json(json!({"data": [bucket("2.25")], "has_more": false, "next_page": null})),
    ])
    .await;
    let admin = Admin::new(admin_client(&base));
    let buckets: Vec<AnalyticsCostReportTimeBucket> = admin
        .analytics()
        .cost_report()
        .list(&query)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(buckets.len(), 2);
    assert_eq!(buckets[1].results[0].amount, "2.25");
    let _ = received.recv().await.unwrap();
    let second = received.recv().await.unwrap();
    assert!(second.target.ends_with("&page=cur_2"), "{}", second.target);
}
