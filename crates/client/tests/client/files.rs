//! The Files API against the mock: multipart uploads checked byte for
//! byte, metadata, listing, download, delete, and files used in messages.

use bytes::Bytes;
use claude_rs_client::files::{FILES_API_BETA, FileUpload};
use claude_rs_mock::{MockServer, Route};
use claude_rs_types::content::{DocumentBlock, ImageBlock};
use claude_rs_types::{
    content::ContentBlock, request::CreateMessageRequest, request::MessageParam,
};

/// The boundary from a recorded `multipart/form-data` content type.
fn boundary(request: &claude_rs_mock::RecordedRequest) -> String {
    let content_type = request.header("content-type").unwrap();
    content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
        .to_owned()
}

fn expected_form(boundary: &str, filename: &str, media_type: &str, content: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: {media_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn upload_from_bytes_sends_one_file_part_and_the_beta_only_when_asked() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let content = b"%PDF-1.4 binary \x00\xff bytes";
    let upload = FileUpload::from_bytes("report.pdf", "application/pdf", &content[..]);
    client.files().upload(upload).await.unwrap();
    let ga = &server.received_on(Route::UploadFile)[0];
    assert_eq!(ga.header("anthropic-beta"), None, "the Files API is GA");

    let upload = FileUpload::from_bytes("report.pdf", "application/pdf", &content[..]);
    let file = client
        .files()
        .upload(upload)
        .beta(FILES_API_BETA)
        .await
        .unwrap();
    assert_eq!(file.filename, "report.pdf");
    assert_eq!(file.mime_type, "application/pdf");
    assert_eq!(file.size_bytes, content.len() as u64);

    let request = &server.received_on(Route::UploadFile)[1];
    assert_eq!(request.method, http::Method::POST);
    assert_eq!(request.path, "/v1/files");
    assert_eq!(request.header("anthropic-beta"), Some(FILES_API_BETA));
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let boundary = boundary(request);
    assert_eq!(
        request.body,
        expected_form(&boundary, "report.pdf", "application/pdf", content)
    );
}

#[tokio::test]
async fn upload_from_a_stream_is_sent_chunked_and_byte_exact() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let chunks: Vec<Result<Bytes, std::io::Error>> = (0..50)
        .map(|i| Ok(Bytes::from(format!("line {i}\n"))))
        .collect();
    let content: Vec<u8> = (0..50)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    let upload = FileUpload::from_stream(
        "notes.txt",
        "text/plain",
        futures_util::stream::iter(chunks),
    );
    let file = client.files().upload(upload).await.unwrap();
    assert_eq!(file.size_bytes, content.len() as u64);

    let request = &server.received_on(Route::UploadFile)[0];
    assert_eq!(
        request.header("content-length"),
        None,
        "a stream has no known length"
    );
    let boundary = boundary(request);
    assert_eq!(
        request.body,
        expected_form(&boundary, "notes.txt", "text/plain", &content)
    );
}

#[tokio::test]
async fn a_failing_stream_aborts_the_upload_without_a_retry() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"start")),
        Err(std::io::Error::other("disk gone")),
    ];
    let upload = FileUpload::from_stream("x.txt", "text/plain", futures_util::stream::iter(chunks));
    let error = client.files().upload(upload).await.unwrap_err();
    assert!(error.is_connection(), "{error:?}");
    assert!(server.received_on(Route::UploadFile).len() <= 1);
}

#[tokio::test]
async fn upload_from_a_path_names_and_types_the_file() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let path = std::env::temp_dir().join(format!("claude-rs-upload-{}.csv", std::process::id()));
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let upload = FileUpload::from_path(&path).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let file = client.files().upload(upload).await.unwrap();
    assert_eq!(file.filename, path.file_name().unwrap().to_str().unwrap());
    assert_eq!(file.mime_type, "text/csv");
    assert_eq!(file.size_bytes, 8);
}

#[tokio::test]
async fn quotes_and_newlines_in_file_names_cannot_forge_headers() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let upload = FileUpload::from_bytes("a\"b\r\nX-Evil: 1.txt", "text/plain", "x");
    let file = client.files().upload(upload).await.unwrap();
    let request = &server.received_on(Route::UploadFile)[0];
    let boundary = boundary(request);
    assert_eq!(
        request.body,
        expected_form(&boundary, "a%22b%0D%0AX-Evil: 1.txt", "text/plain", b"x")
    );
    assert_eq!(file.filename, "a%22b%0D%0AX-Evil: 1.txt");
}

#[tokio::test]
async fn metadata_list_download_and_delete() {
    let server = MockServer::start().await;
    let client = crate::support::builder(&server)
        .beta("other-beta")
        .build()
        .unwrap();
    let content = Bytes::from(vec![7u8; 100_000]);
    let upload = FileUpload::from_bytes("blob.bin", "application/octet-stream", content.clone());
    let file = client.files().upload(upload).await.unwrap();

    let metadata = client.files().retrieve_metadata(&file.id).await.unwrap();
    assert_eq!(metadata, file);
    let got = server.last_request().unwrap();
    assert_eq!(got.path, format!("/v1/files/{}", file.id));
    assert_eq!(got.header("anthropic-beta"), Some("other-beta"));

    let listed = client
        .files()
        .list()
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], file);
    let list = &server.received_on(Route::ListFiles)[0];
    assert_eq!(list.header("anthropic-beta"), Some("other-beta"));

    // Uploads are not downloadable (as in the API); a file a tool made is.
    let refused = client.files().download(&file.id).await.unwrap_err();
    assert_eq!(refused.status(), Some(http::StatusCode::BAD_REQUEST));
    let made = server.add_generated_file("blob.bin", "application/octet-stream", content.clone());
    let mut download = client.files().download(&made.id).await.unwrap();
    let fetched = &server.received_on(Route::FileContent)[1];
    assert_eq!(fetched.path, format!("/v1/files/{}/content", made.id));
    assert_eq!(fetched.header("accept"), Some("application/binary"));
    assert_eq!(fetched.header("anthropic-beta"), Some("other-beta"));
    let mut received = Vec::new();
    while let Some(chunk) = download.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(received, content);

    let too_small = client
        .files()
        .download(&made.id)
        .await
        .unwrap()
        .collect(1000)
        .await;
    assert!(too_small.is_err(), "the collect limit holds");
    let whole = client
        .files()
        .download(&made.id)
        .await
        .unwrap()
        .collect(1 << 20)
        .await;
    assert_eq!(whole.unwrap(), content);

    let deleted = client.files().delete(&file.id).await.unwrap();
    assert_eq!(deleted.id, file.id);
    assert_eq!(server.last_request().unwrap().method, http::Method::DELETE);
    let gone = client
        .files()
        .retrieve_metadata(&file.id)
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(http::StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn uploaded_files_are_referenced_from_document_and_image_blocks() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let pdf = client
        .files()
        .upload(FileUpload::from_bytes(
            "a.pdf",
            "application/pdf",
            "%PDF-1.4",
        ))
        .await
        .unwrap();
    let png = client
        .files()
        .upload(FileUpload::from_bytes("a.png", "image/png", "\u{89}PNG"))
        .await
        .unwrap();
    let request = CreateMessageRequest::new(
        "claude-sonnet-4-6",
        256,
        vec![MessageParam::user(vec![
            ContentBlock::from(DocumentBlock::file(&pdf.id)),
            ContentBlock::from(ImageBlock::file(&png.id)),
            ContentBlock::from("Describe both."),
        ])],
    );
    client
        .messages()
        .create(request)
        .beta(FILES_API_BETA)
        .await
        .unwrap();
    let sent = &server.received_on(Route::Messages)[0];
    assert_eq!(sent.header("anthropic-beta"), Some(FILES_API_BETA));
    let content = &sent.json.as_ref().unwrap()["messages"][0]["content"];
    assert_eq!(content[0]["type"], "document");
    assert_eq!(
        content[0]["source"],
        serde_json::json!({"type": "file", "file_id": pdf.id})
    );
    assert_eq!(content[1]["type"], "image");
    assert_eq!(
        content[1]["source"],
        serde_json::json!({"type": "file", "file_id": png.id})
    );
}
