//! The Files API: multipart upload, metadata, listing, download, delete.

mod common;

use claude_rs_mock::MockServer;
use claude_rs_types::files::FileMetadata;
use claude_rs_types::page::Page;
use common::{Raw, VERSION, get, request};

const BOUNDARY: &str = "----claude-rs-mock-test-7MA4YWxkTrZu0gW";

/// A multipart body with a `purpose` field and the `file` part.
fn multipart(filename: &str, content_type: &str, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nuser_data\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(server: &MockServer, filename: &str, content_type: &str, data: &[u8]) -> Raw {
    let content = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [
        VERSION,
        ("anthropic-beta", "files-api-2025-04-14"),
        ("content-type", content.as_str()),
    ];
    request(
        server,
        "POST",
        "/v1/files",
        &headers,
        &multipart(filename, content_type, data),
    )
    .await
}

fn metadata(raw: &Raw) -> FileMetadata {
    assert_eq!(raw.status, 200, "{}", raw.text());
    serde_json::from_slice(&raw.body).expect("FileMetadata")
}

#[tokio::test]
async fn upload_then_download_the_same_bytes() {
    let server = MockServer::start().await;
    // Binary data, including CR LF and a fake boundary prefix.
    let data: Vec<u8> = (0..=255u8).chain(*b"\r\n--not-the-boundary\r\n").collect();
    let file = metadata(&upload(&server, "blob.bin", "application/octet-stream", &data).await);
    assert!(file.id.starts_with("file_mock_"));
    assert_eq!(file.kind, "file");
    assert_eq!(file.filename, "blob.bin");
    assert_eq!(file.mime_type, "application/octet-stream");
    assert_eq!(file.size_bytes, data.len() as u64);
    assert!(file.created_at.ends_with('Z'));

    assert_eq!(file.downloadable, Some(false));

    let again = metadata(&get(&server, &format!("/v1/files/{}", file.id)).await);
    assert_eq!(again, file);
    // As in the API, an uploaded file's content cannot be downloaded.
    let refused = get(&server, &format!("/v1/files/{}/content", file.id)).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["error"]["type"], "invalid_request_error");
    assert_eq!(
        refused.json()["error"]["details"]["error_code"],
        "file_not_downloadable"
    );

    // A file a tool made can be, byte for byte.
    let made = server.add_generated_file("blob.bin", "application/octet-stream", data.clone());
    assert_eq!(made.downloadable, Some(true));
    let listed = metadata(&get(&server, &format!("/v1/files/{}", made.id)).await);
    assert_eq!(listed, made);
    let content = get(&server, &format!("/v1/files/{}/content", made.id)).await;
    assert_eq!(content.status, 200);
    assert_eq!(
        content.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(content.body, data);

    let deleted = request(
        &server,
        "DELETE",
        &format!("/v1/files/{}", file.id),
        &[VERSION],
        b"",
    )
    .await;
    assert_eq!(
        deleted.json(),
        serde_json::json!({"id": file.id, "type": "file_deleted"})
    );
    for path in [
        format!("/v1/files/{}", file.id),
        format!("/v1/files/{}/content", file.id),
    ] {
        assert_eq!(get(&server, &path).await.status, 404);
    }
}

#[tokio::test]
async fn list_files_newest_first_across_pages() {
    let server = MockServer::start().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let raw = upload(
            &server,
            &format!("f{i}.txt"),
            "text/plain",
            format!("file {i}").as_bytes(),
        )
        .await;
        ids.push(metadata(&raw).id);
    }
    ids.reverse();
    let list = |query: String| {
        let server = &server;
        async move {
            let raw = get(server, &format!("/v1/files{query}")).await;
            let page: Page<FileMetadata> = serde_json::from_slice(&raw.body).expect("Page");
            (
                page.data.iter().map(|f| f.id.clone()).collect::<Vec<_>>(),
                page,
            )
        }
    };
    let (first, page) = list("?limit=2".to_owned()).await;
    assert_eq!(first, ids[..2]);
    assert!(page.has_more);
    let (second, page) = list(format!("?limit=2&after_id={}", ids[1])).await;
    assert_eq!(second, ids[2..4]);
    assert!(page.has_more);
    let (third, page) = list(format!("?limit=2&after_id={}", ids[3])).await;
    assert_eq!(third, ids[4..]);
    assert!(!page.has_more);
    let (back, page) = list(format!("?limit=2&before_id={}", ids[4])).await;
    assert_eq!(back, ids[2..4]);
    assert!(page.has_more);
}

#[tokio::test]
async fn next_page_cursors_walk_the_whole_list() {
    let server = MockServer::start().await;
    for i in 0..25 {
        let raw = upload(&server, &format!("f{i}.txt"), "text/plain", b"x").await;
        metadata(&raw);
    }
    let mut seen = Vec::new();
    let mut query = String::new();
    let mut pages = 0;
    loop {
        let page = get(&server, &format!("/v1/files{query}")).await.json();
        pages += 1;
        let data = page["data"].as_array().cloned().unwrap_or_default();
        seen.extend(
            data.iter()
                .map(|f| f["filename"].as_str().unwrap_or("").to_owned()),
        );
        match page["next_page"].as_str() {
            Some(next) => {
                assert!(next.starts_with("page_"), "{next}");
                assert_eq!(page["has_more"], true);
                query = format!("?page={next}");
            }
            None => {
                assert!(page["next_page"].is_null(), "the last page says null");
                break;
            }
        }
    }
    assert_eq!(pages, 2, "20 by default, then 5");
    let expected: Vec<String> = (0..25).rev().map(|i| format!("f{i}.txt")).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn bad_uploads_are_rejected() {
    let server = MockServer::start().await;
    let no_boundary = request(
        &server,
        "POST",
        "/v1/files",
        &[VERSION, ("content-type", "multipart/form-data")],
        b"x",
    )
    .await;
    assert_eq!(no_boundary.status, 400);
    let content = format!("multipart/form-data; boundary={BOUNDARY}");
    let no_file = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nx\r\n--{BOUNDARY}--\r\n"
    );
    let raw = request(
        &server,
        "POST",
        "/v1/files",
        &[VERSION, ("content-type", &content)],
        no_file.as_bytes(),
    )
    .await;
    assert_eq!(raw.status, 400);
    assert_eq!(raw.json()["error"]["message"], "file: Field required");
}
