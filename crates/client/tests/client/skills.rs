//! The Skills API against the mock: multipart uploads checked byte for byte,
//! a folder read from disk, three pages by token, versions, and download.

use claude_rs_client::files::FileUpload;
use claude_rs_client::skills::SkillUpload;
use claude_rs_client::{Error, InvalidRequestKind};
use claude_rs_mock::{MockServer, Route};
use claude_rs_types::skills::SkillSourceKind;

use crate::support::client;

const MANIFEST: &str =
    "---\nname: report-writer\ndescription: Writes reports.\n---\nWrite a report.";

fn upload() -> SkillUpload {
    SkillUpload::new()
        .file(FileUpload::from_bytes(
            "report-writer/SKILL.md",
            "text/markdown",
            MANIFEST,
        ))
        .file(FileUpload::from_bytes(
            "report-writer/lib/style.py",
            "text/x-python",
            "WIDTH = 80\n",
        ))
}

#[tokio::test]
async fn create_sends_display_name_and_files_parts_as_the_sdks_do() {
    let server = MockServer::start().await;
    let client = client(&server);
    let skill = client
        .skills()
        .create(upload().display_name("Report writer"))
        .await
        .unwrap();
    assert_eq!(skill.display_name, "Report writer");
    assert_eq!(skill.source.kind(), &SkillSourceKind::Custom);

    let request = &server.received_on(Route::CreateSkill)[0];
    assert_eq!(request.path, "/v1/skills");
    assert!(request.header("anthropic-beta").is_none(), "Skills is GA");
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\nReport writer\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"report-writer/SKILL.md\"\r\n\
         Content-Type: text/markdown\r\n\r\n{MANIFEST}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"report-writer/lib/style.py\"\r\n\
         Content-Type: text/x-python\r\n\r\nWIDTH = 80\n\r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8(request.body.to_vec()).unwrap(), expected);
}

#[tokio::test]
async fn a_folder_is_read_with_names_under_its_top_directory() {
    let dir = std::env::temp_dir().join(format!("claude-rs-skill-{}", std::process::id()));
    let root = dir.join("report-writer");
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join("SKILL.md"), MANIFEST).unwrap();
    std::fs::write(root.join("lib").join("style.py"), "WIDTH = 80\n").unwrap();
    std::fs::write(root.join(".git").join("HEAD"), "ref").unwrap();
    let upload = SkillUpload::from_dir(&root).await.unwrap();
    let names: Vec<&str> = upload.filenames().collect();
    assert_eq!(
        names,
        ["report-writer/SKILL.md", "report-writer/lib/style.py"]
    );

    let server = MockServer::start().await;
    let skill = client(&server).skills().create(upload).await.unwrap();
    assert_eq!(skill.display_name, "report-writer", "from SKILL.md");

    std::fs::remove_file(root.join("SKILL.md")).unwrap();
    let error = SkillUpload::from_dir(&root).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidRequest {
                kind: InvalidRequestKind::Body,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("SKILL.md"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_list_walks_three_pages_by_token() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(client.skills().create(upload()).await.unwrap().id);
    }
    let listed: Vec<String> = client
        .skills()
        .list()
        .limit(2)
        .into_stream()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|skill| skill.id)
        .collect();
    created.reverse();
    assert_eq!(listed, created, "newest first, every one once");
    let queries: Vec<Option<String>> = server
        .received_on(Route::ListSkills)
        .into_iter()
        .map(|r| r.query)
        .collect();
    assert_eq!(queries.len(), 3);
    assert_eq!(queries[0].as_deref(), Some("limit=2"));
    assert!(
        queries[1]
            .as_deref()
            .unwrap()
            .starts_with("limit=2&page=page_")
    );

    let custom = client.skills().list_from("custom").await.unwrap();
    assert_eq!(custom.data.len(), 5);
    let last = server.received_on(Route::ListSkills).pop().unwrap();
    assert_eq!(last.query.as_deref(), Some("source=custom"));
}

#[tokio::test]
async fn retrieve_and_delete() {
    let server = MockServer::start().await;
    let client = client(&server);
    let skill = client.skills().create(upload()).await.unwrap();
    assert_eq!(client.skills().retrieve(&skill.id).await.unwrap(), skill);
    let deleted = client.skills().delete(&skill.id).await.unwrap();
    assert_eq!(deleted.id, skill.id);
    let gone = client.skills().retrieve(&skill.id).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
    let empty = client.skills().retrieve("").await.unwrap_err();
    assert!(matches!(
        empty,
        Error::InvalidRequest {
            kind: InvalidRequestKind::EmptyId,
            ..
        }
    ));
}

#[tokio::test]
async fn versions_create_list_retrieve_download_and_delete() {
    let server = MockServer::start().await;
    let client = client(&server);
    let skill = client.skills().create(upload()).await.unwrap();
    let versions = client.skills().versions(&skill.id);
    let second = versions
        .create(upload().display_name("not sent"))
        .await
        .unwrap();
    assert_eq!(second.skill_id, skill.id);
    assert_eq!(second.name, "report-writer");
    assert_eq!(second.description, "Writes reports.");
    let sent = &server.received_on(Route::CreateSkillVersion)[0];
    assert_eq!(sent.path, format!("/v1/skills/{}/versions", skill.id));
    assert!(!String::from_utf8_lossy(&sent.body).contains("display_name"));

    let page = versions.list().await.unwrap();
    let ids: Vec<&str> = page.data.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, [second.id.as_str(), skill.latest_version_id.as_str()]);
    assert_eq!(versions.retrieve(&second.id).await.unwrap(), second);
    let latest = versions.retrieve("latest").await.unwrap();
    assert_eq!(latest.id, second.id);

    let download = versions.download(&second.id).await.unwrap();
    let fetched = &server.received_on(Route::SkillVersionContent)[0];
    assert_eq!(fetched.query.as_deref(), Some("beta=true"));
    assert_eq!(fetched.header("accept"), Some("application/binary"));
    let bytes = download.collect(1 << 20).await.unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("report-writer/SKILL.md\n---\nname: report-writer"),
        "{text}"
    );

    let deleted = versions.delete(&second.id).await.unwrap();
    assert_eq!(deleted.id, second.id);
    assert_eq!(versions.list().await.unwrap().data.len(), 1);
}
