//! Message Batches: the lifecycle against the mock, and results streamed
//! from a large JSONL body served chunk by chunk by a loopback server.

use std::sync::Arc;
use std::time::Duration;

use claude_rs_client::{Error, InvalidRequestKind, ProtocolKind};
use claude_rs_mock::{BatchCompletion, MockServer, Route};
use claude_rs_types::batch::{BatchRequest, BatchResult, ProcessingStatus};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn three_requests() -> Vec<BatchRequest> {
    ["alpha", "beta", "gamma"]
        .iter()
        .map(|id| BatchRequest::new(*id, crate::support::request(&format!("Say {id}"))))
        .collect()
}

#[tokio::test]
async fn create_poll_and_read_results() {
    let server = MockServer::builder()
        .batch_completion(BatchCompletion::AfterPolls(3))
        .start()
        .await;
    let client = crate::support::client(&server);
    let batch = client.batches().create(three_requests()).await.unwrap();
    assert_eq!(batch.processing_status, ProcessingStatus::InProgress);

    let created = &server.received_on(Route::CreateBatch)[0];
    assert_eq!(created.method, http::Method::POST);
    assert_eq!(created.path, "/v1/messages/batches");
    assert_eq!(created.header("anthropic-beta"), None);
    let body = created.json.as_ref().unwrap();
    let requests = body["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[1]["custom_id"], "beta");
    assert_eq!(requests[1]["params"]["max_tokens"], 256);
    assert_eq!(requests[1]["params"]["messages"][0]["content"], "Say beta");

    let ended = client
        .batches()
        .wait(&batch.id)
        .interval(Duration::from_millis(1))
        .await
        .unwrap();
    assert!(ended.is_ended());
    let polls = server.received_on(Route::GetBatch);
    assert_eq!(polls.len(), 3, "polled until the third retrieval ended it");
    assert!(
        polls
            .iter()
            .all(|r| r.path == format!("/v1/messages/batches/{}", batch.id))
    );

    let mut results = client.batches().results(&batch.id).await.unwrap();
    let mut ids = Vec::new();
    while let Some(line) = results.next().await {
        let line = line.unwrap();
        match &line.result {
            BatchResult::Succeeded(ok) => assert!(!ok.message.content.is_empty()),
            other => panic!("unexpected result {other:?}"),
        }
        ids.push(line.custom_id);
    }
    ids.sort();
    assert_eq!(ids, ["alpha", "beta", "gamma"]);
    let fetched = &server.received_on(Route::BatchResults)[0];
    assert_eq!(fetched.header("accept"), Some("application/binary"));
}

#[tokio::test]
async fn list_cancel_and_delete() {
    let server = MockServer::builder()
        .batch_completion(BatchCompletion::Manual)
        .start()
        .await;
    let client = crate::support::client(&server);
    let first = client.batches().create(three_requests()).await.unwrap();
    let second = client.batches().create(three_requests()).await.unwrap();

    let listed = client
        .batches()
        .list()
        .limit(1)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let mut ids: Vec<_> = listed.iter().map(|b| b.id.clone()).collect();
    ids.sort();
    let mut expected = vec![first.id.clone(), second.id.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(server.received_on(Route::ListBatches).len(), 2);

    let canceling = client.batches().cancel(&first.id).await.unwrap();
    assert_ne!(canceling.processing_status, ProcessingStatus::InProgress);
    let cancel = &server.received_on(Route::CancelBatch)[0];
    assert_eq!(cancel.method, http::Method::POST);
    assert_eq!(
        cancel.path,
        format!("/v1/messages/batches/{}/cancel", first.id)
    );

    assert!(server.end_batch(&first.id));
    let mut results = client.batches().results(&first.id).await.unwrap();
    while let Some(line) = results.next().await {
        assert!(matches!(line.unwrap().result, BatchResult::Canceled(_)));
    }

    let deleted = client.batches().delete(&first.id).await.unwrap();
    assert_eq!(deleted.id, first.id);
    let delete = &server.received_on(Route::DeleteBatch)[0];
    assert_eq!(delete.method, http::Method::DELETE);
    let gone = client.batches().retrieve(&first.id).await.unwrap_err();
    assert_eq!(gone.status(), Some(http::StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn unknown_batches_are_404() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let error = client
        .batches()
        .retrieve("msgbatch_nope")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    let error = client.batches().results("msgbatch_nope").await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert!(server.received_on(Route::BatchResults).is_empty());
}

#[tokio::test]
async fn results_before_the_batch_ended_are_refused_by_name() {
    let server = MockServer::builder()
        .batch_completion(BatchCompletion::Manual)
        .start()
        .await;
    let client = crate::support::client(&server);
    let batch = client.batches().create(three_requests()).await.unwrap();
    let error = client.batches().results(&batch.id).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidRequest {
                kind: InvalidRequestKind::NotReady,
                ..
            }
        ),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains(&batch.id) && text.contains("in_progress"),
        "{text}"
    );
    assert!(server.received_on(Route::BatchResults).is_empty());
}

// ---- A loopback server for bodies the mock cannot shape. ----

type LineSource = Arc<dyn Fn(usize) -> Option<Vec<u8>> + Send + Sync>;

const MESSAGE: &str = r#"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}"#;

fn succeeded(i: usize) -> Vec<u8> {
    format!("{{\"custom_id\":\"req-{i}\",\"result\":{{\"type\":\"succeeded\",\"message\":{MESSAGE}}}}}\n")
        .into_bytes()
}

/// Serves `GET /v1/messages/batches/{id}` (an ended batch) and its results:
/// the lines of `source`, generated as they are sent, in chunks of `chunk`
/// bytes that ignore line boundaries.
async fn jsonl_server(source: LineSource, chunk: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let results_url = format!("{base}/v1/messages/batches/msgbatch_big/results");
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let source = source.clone();
            let results_url = results_url.clone();
            tokio::spawn(serve(socket, source, chunk, results_url));
        }
    });
    base
}

async fn serve(mut socket: TcpStream, source: LineSource, chunk: usize, results_url: String) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    if !head.starts_with("GET /v1/messages/batches/msgbatch_big/results ") {
        let body = format!(
            r#"{{"id":"msgbatch_big","type":"message_batch","processing_status":"ended","request_counts":{{"processing":0,"succeeded":0,"errored":0,"canceled":0,"expired":0}},"created_at":"2025-01-01T00:00:00Z","expires_at":"2025-01-02T00:00:00Z","results_url":"{results_url}"}}"#
        );
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(response.as_bytes()).await;
        return;
    }
    let headers = "HTTP/1.1 200 OK\r\ncontent-type: application/binary\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
    if socket.write_all(headers.as_bytes()).await.is_err() {
        return;
    }
    let mut pending = Vec::new();
    let mut i = 0;
    loop {
        let line = source(i);
        let done = line.is_none();
        pending.extend(line.unwrap_or_default());
        i += 1;
        while pending.len() >= chunk || (done && !pending.is_empty()) {
            let n = pending.len().min(chunk);
            let mut frame = format!("{n:x}\r\n").into_bytes();
            frame.extend(pending.drain(..n));
            frame.extend_from_slice(b"\r\n");
            if socket.write_all(&frame).await.is_err() {
                return;
            }
        }
        if done {
            let _ = socket.write_all(b"0\r\n\r\n").await;
            return;
        }
    }
}

async fn big_client(source: LineSource, chunk: usize) -> claude_rs_client::Client {
    let base = jsonl_server(source, chunk).await;
    claude_rs_client::ClientBuilder::from_env_lookup(|_| None)
        .api_key(crate::support::KEY)
        .base_url(base)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_hundred_thousand_results_stream_in_flat_memory() {
    const COUNT: usize = 100_000;
    let longest = succeeded(COUNT).len();
    let source: LineSource = Arc::new(|i| (i < COUNT).then(|| succeeded(i)));
    // 8191 bytes per chunk: lines are cut at every possible offset.
    let client = big_client(source, 8191).await;
    let mut results = client.batches().results("msgbatch_big").await.unwrap();
    let mut seen = 0;
    let mut peak = 0;
    while let Some(line) = results.next().await {
        let line = line.unwrap();
        assert_eq!(line.custom_id, format!("req-{seen}"));
        assert!(matches!(line.result, BatchResult::Succeeded(_)));
        seen += 1;
        peak = peak.max(results.buffer_capacity());
    }
    assert_eq!(seen, COUNT);
    // The parser's buffer never held more than about one line, while the
    // body was over 20 MB.
    assert!(peak > 0, "lines were cut across chunks");
    assert!(peak <= 2 * longest, "buffer grew to {peak} bytes");
}

#[tokio::test]
async fn a_malformed_line_is_reported_with_its_number() {
    let source: LineSource = Arc::new(|i| match i {
        0 => Some(succeeded(0)),
        1 => Some(b"{\"custom_id\":\"x\",\"result\":".to_vec()),
        _ => None,
    });
    let client = big_client(source, 5).await;
    let mut results = client.batches().results("msgbatch_big").await.unwrap();
    assert_eq!(results.next().await.unwrap().unwrap().custom_id, "req-0");
    match results.next().await.unwrap().unwrap_err() {
        Error::Decode { what, payload, .. } => {
            assert_eq!(what, "batch result line 2");
            assert!(payload.starts_with("{\"custom_id\":\"x\""), "{payload}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(results.next().await.is_none());
}

#[tokio::test]
async fn an_overlong_line_stops_the_stream_instead_of_growing_the_buffer() {
    let source: LineSource = Arc::new(|i| (i < 3).then(|| succeeded(i)));
    let client = big_client(source, 64).await;
    let mut results = client
        .batches()
        .results("msgbatch_big")
        .max_line_length(100)
        .await
        .unwrap();
    let error = results.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Protocol {
                kind: ProtocolKind::LineTooLong,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("line 1"), "{error}");
    assert!(results.buffer_capacity() <= 128);
    assert!(results.next().await.is_none());
}
