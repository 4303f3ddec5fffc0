//! The Skills API: create from a multipart upload with a `SKILL.md`, list
//! with `page`/`next_page` cursors, retrieve, delete.

mod common;

use claude_rs_mock::MockServer;
use common::{Raw, VERSION, get, request};

const BOUNDARY: &str = "----claude-rs-mock-skill-boundary";

/// A form with one `files` part per `(path, content)` and a display name.
fn form(files: &[(&str, &str)], display_name: Option<&str>) -> Vec<u8> {
    let mut body = String::new();
    for (path, content) in files {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{path}\"\r\n\
             Content-Type: text/markdown\r\n\r\n{content}\r\n"
        ));
    }
    if let Some(name) = display_name {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\n{name}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body.into_bytes()
}

async fn create(server: &MockServer, files: &[(&str, &str)], display_name: Option<&str>) -> Raw {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [VERSION, ("content-type", content_type.as_str())];
    request(
        server,
        "POST",
        "/v1/skills",
        &headers,
        &form(files, display_name),
    )
    .await
}

#[tokio::test]
async fn create_list_get_delete() {
    let server = MockServer::start().await;
    let manifest = "---\nname: pdf-tools\ndescription: Fill PDF forms\n---\nSteps.";
    let made = create(
        &server,
        &[("pdf/SKILL.md", manifest), ("pdf/fill.py", "print()")],
        None,
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.text());
    let skill = made.json();
    assert_eq!(skill["type"], "skill");
    assert_eq!(skill["display_name"], "pdf-tools", "from the front matter");
    assert_eq!(
        skill["source"],
        serde_json::json!({"type": "custom"}),
        "the 2.14.0 form"
    );
    assert!(skill["latest_version_id"].is_string());
    let id = skill["id"].as_str().unwrap_or_default().to_owned();

    let named = create(&server, &[("x/SKILL.md", manifest)], Some("Given name"))
        .await
        .json();
    assert_eq!(named["display_name"], "Given name");

    assert_eq!(
        get(&server, &format!("/v1/skills/{id}")).await.json(),
        skill
    );
    let deleted = request(
        &server,
        "DELETE",
        &format!("/v1/skills/{id}"),
        &[VERSION],
        b"",
    )
    .await;
    assert_eq!(
        deleted.json(),
        serde_json::json!({"id": id, "type": "skill_deleted"})
    );
    assert_eq!(get(&server, &format!("/v1/skills/{id}")).await.status, 404);
}

#[tokio::test]
async fn uploads_without_a_root_skill_md_are_refused() {
    let server = MockServer::start().await;
    for files in [
        &[("pdf/README.md", "x")][..],
        &[("a/SKILL.md", "x"), ("b/other.md", "y")][..],
        &[("SKILL.md", "no directory")][..],
    ] {
        let raw = create(&server, files, None).await;
        assert_eq!(raw.status, 400, "{files:?}: {}", raw.text());
        assert_eq!(raw.json()["error"]["type"], "invalid_request_error");
    }
}

#[tokio::test]
async fn next_page_walks_25_skills() {
    let server = MockServer::start().await;
    for i in 0..25 {
        let path = format!("s{i}/SKILL.md");
        let raw = create(
            &server,
            &[(path.as_str(), "x")],
            Some(&format!("skill {i}")),
        )
        .await;
        assert_eq!(raw.status, 200);
    }
    let mut names = Vec::new();
    let mut query = String::new();
    loop {
        let page = get(&server, &format!("/v1/skills{query}")).await.json();
        let data = page["data"].as_array().cloned().unwrap_or_default();
        names.extend(
            data.iter()
                .map(|s| s["display_name"].as_str().unwrap_or("").to_owned()),
        );
        match page["next_page"].as_str() {
            Some(next) => query = format!("?page={next}"),
            None => break,
        }
    }
    let expected: Vec<String> = (0..25).rev().map(|i| format!("skill {i}")).collect();
    assert_eq!(names, expected);
    let anthropic = get(&server, "/v1/skills?source=anthropic").await.json();
    assert_eq!(anthropic["data"], serde_json::json!([]));
}
