//! The plugin uploads (`multipart/form-data`) and the reports' last page,
//! against the mock server.

use claude_rs_admin::Admin;
use claude_rs_admin::analytics::AnalyticsCostReportListQuery;
use claude_rs_admin::plugin_marketplaces::PluginMarketplacesValidateArchiveParams;
use claude_rs_admin::plugins::{PluginsCreateParams, PluginsVersionsCreateParams};
use claude_rs_client::files::FileUpload;
use claude_rs_client::{Client, Error};
use claude_rs_mock::MockServer;

fn admin(server: &MockServer) -> Admin {
    let client = Client::builder()
        .admin_key("sk-ant-admin01-test")
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .expect("a client");
    Admin::new(client)
}

fn manifest() -> FileUpload {
    FileUpload::from_bytes(
        ".claude-plugin/plugin.json",
        "application/json",
        r#"{"name": "review-tools"}"#,
    )
}

/// The parts of a recorded form: (name, filename) in order.
fn parts(body: &[u8], content_type: &str) -> Vec<(String, Option<String>)> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary")
        .to_owned();
    let text = String::from_utf8_lossy(body).into_owned();
    text.split(&format!("--{boundary}"))
        .filter_map(|part| {
            let head = part.split("\r\n\r\n").next()?;
            let disposition = head
                .lines()
                .find(|l| l.starts_with("Content-Disposition"))?;
            let field = |key: &str| {
                disposition
                    .split(&format!("{key}=\""))
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .map(str::to_owned)
            };
            Some((field(" name")?, field("filename")))
        })
        .collect()
}

#[tokio::test]
async fn a_plugin_and_its_next_version_are_uploaded_as_forms() {
    let server = MockServer::start().await;
    let admin = admin(&server);

    let mut params = PluginsCreateParams::new(vec![
        manifest(),
        FileUpload::from_bytes("skills/review-pr/SKILL.md", "text/markdown", "# Review"),
    ]);
    params.release_notes = Some("First cut".into());
    let plugin = admin.plugins().create(params).await.unwrap();
    assert!(!plugin.id.is_empty());
    assert_eq!(plugin.r#type, "plugin");

    let sent = server.received("/v1/organizations/plugins");
    let sent = sent.last().expect("the upload");
    assert_eq!(sent.query.as_deref(), Some("beta=true"));
    assert_eq!(sent.header("anthropic-beta"), Some("ce-plugins-2026-09-01"));
    let content_type = sent.header("content-type").expect("a content type");
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    assert_eq!(
        parts(&sent.body, content_type),
        [
            (
                "files[]".to_owned(),
                Some(".claude-plugin/plugin.json".to_owned())
            ),
            (
                "files[]".to_owned(),
                Some("skills/review-pr/SKILL.md".to_owned())
            ),
            ("release_notes".to_owned(), None),
        ]
    );

    // The new plugin is stored: it can be read back and given a version.
    let read = admin
        .plugins()
        .retrieve(&plugin.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(read.id, plugin.id);
    let mut next = PluginsVersionsCreateParams::new(vec![manifest()]);
    next.release_notes = Some("Second cut".into());
    let version = admin
        .plugins()
        .versions()
        .create(&plugin.id, next)
        .await
        .unwrap();
    assert_eq!(version.plugin_id, plugin.id);
    assert_eq!(version.release_notes.as_deref(), Some("Second cut"));

    // A version of a plugin that does not exist is a 404.
    let missing = admin
        .plugins()
        .versions()
        .create(
            "plugin_missing",
            PluginsVersionsCreateParams::new(vec![manifest()]),
        )
        .await
        .unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404), "{missing}");
}

#[tokio::test]
async fn an_upload_without_its_files_is_refused() {
    let server = MockServer::start().await;
    let admin = admin(&server);
    let error = admin
        .plugins()
        .create(PluginsCreateParams::new(Vec::new()))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400), "{error}");
    assert!(error.to_string().contains("files"), "{error}");

    // A bad media type fails before anything is sent.
    let before = server.received("/v1/organizations/plugins").len();
    let bad = FileUpload::from_bytes("a.json", "text/plain\r\nX: y", "{}");
    let error = admin
        .plugins()
        .create(PluginsCreateParams::new(vec![bad]))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error}");
    assert_eq!(server.received("/v1/organizations/plugins").len(), before);
}

#[tokio::test]
async fn a_marketplace_archive_is_validated() {
    let server = MockServer::start().await;
    let admin = admin(&server);
    let archive = FileUpload::from_bytes("marketplace.zip", "application/zip", vec![0x50, 0x4b]);
    let report = admin
        .plugin_marketplaces()
        .validate_archive(PluginMarketplacesValidateArchiveParams::new(archive))
        .await
        .unwrap();
    assert_eq!(report.r#type, "plugin_marketplace_validation_report");
    let sent = server.received("/v1/organizations/plugin_marketplaces/validate_archive");
    let sent = sent.last().expect("the upload");
    let content_type = sent.header("content-type").expect("a content type");
    assert_eq!(
        parts(&sent.body, content_type),
        [("archive".to_owned(), Some("marketplace.zip".to_owned()))]
    );
}

#[tokio::test]
async fn a_report_ends_on_has_more_false_even_with_a_next_page() {
    // Three days: one page of the default seven. The mock's last page says
    // `has_more: false` and still carries a `next_page`, as the API may.
    let server = MockServer::start().await;
    let admin = admin(&server);
    let mut query = AnalyticsCostReportListQuery::default();
    query.starting_at = Some(
        "2026-03-01T00:00:00Z"
            .parse()
            .expect("an RFC 3339 date-time"),
    );
    query.ending_at = Some(
        "2026-03-04T00:00:00Z"
            .parse()
            .expect("an RFC 3339 date-time"),
    );
    let path = "/v1/organizations/analytics/cost_report";
    let first = admin.analytics().cost_report().list(&query).await.unwrap();
    assert!(!first.has_more);
    assert!(first.next_page.is_some(), "the mock answers the edge case");
    let buckets = admin
        .analytics()
        .cost_report()
        .list(&query)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(buckets.len(), 3);
    assert_eq!(server.received(path).len(), 2, "one request per listing");
}
