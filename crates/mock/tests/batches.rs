//! Message Batches: lifecycle, results as JSONL, errors, cancel, delete.

mod common;

use claude_rs_mock::{BatchCompletion, MockResponse, MockServer};
use claude_rs_types::batch::{BatchResult, BatchResultLine, MessageBatch, ProcessingStatus};
use claude_rs_types::{error::ErrorType, page::Page};
use common::{Raw, get, post, request, say};
use serde_json::json;

fn batch_of(raw: &Raw) -> MessageBatch {
    assert_eq!(raw.status, 200, "{}", raw.text());
    serde_json::from_slice(&raw.body).expect("MessageBatch")
}

fn lines_of(raw: &Raw) -> Vec<BatchResultLine> {
    assert_eq!(raw.status, 200, "{}", raw.text());
    assert!(raw.text().ends_with('\n'));
    raw.text()
        .lines()
        .map(|line| serde_json::from_str(line).expect("BatchResultLine"))
        .collect()
}

fn two_requests() -> serde_json::Value {
    json!({"requests": [
        {"custom_id": "first", "params": say("hello batch")},
        {"custom_id": "second", "params": {"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": "x"}]}},
    ]})
}

#[tokio::test]
async fn created_in_progress_then_ended_with_results() {
    let server = MockServer::start().await;
    let created = batch_of(&post(&server, "/v1/messages/batches", &two_requests()).await);
    assert!(created.id.starts_with("msgbatch_mock_"));
    assert_eq!(created.processing_status, ProcessingStatus::InProgress);
    assert_eq!(created.request_counts.processing, 2);
    assert_eq!(created.results_url, None);

    let path = format!("/v1/messages/batches/{}", created.id);
    let ended = batch_of(&get(&server, &path).await);
    assert!(ended.is_ended());
    assert_eq!(ended.request_counts.succeeded, 1);
    assert_eq!(ended.request_counts.errored, 1);
    assert_eq!(ended.request_counts.processing, 0);
    assert!(ended.ended_at.is_some());
    let url = ended.results_url.expect("results_url");
    assert_eq!(url, format!("{}{path}/results", server.base_url()));

    let lines = lines_of(&get(&server, &format!("{path}/results")).await);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].custom_id, "first");
    let BatchResult::Succeeded(ok) = &lines[0].result else {
        panic!("first did not succeed: {:?}", lines[0].result);
    };
    assert_eq!(ok.message.text(), "hello batch");
    assert_eq!(
        ok.message.usage.service_tier.as_ref().map(|t| t.as_str()),
        Some("batch")
    );
    let BatchResult::Errored(failed) = &lines[1].result else {
        panic!("second did not fail: {:?}", lines[1].result);
    };
    assert_eq!(failed.error.error.kind, ErrorType::InvalidRequest);
    assert_eq!(failed.error.error.message, "max_tokens: Field required");
}

#[tokio::test]
async fn scripted_replies_become_results() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("scripted one"));
    let body = json!({"requests": [{"custom_id": "a", "params": say("x")}, {"custom_id": "b", "params": say("echoed")}]});
    let created = batch_of(&post(&server, "/v1/messages/batches", &body).await);
    let lines = lines_of(
        &get(
            &server,
            &format!("/v1/messages/batches/{}/results", created.id),
        )
        .await,
    );
    let texts: Vec<String> = lines
        .iter()
        .map(|l| match &l.result {
            BatchResult::Succeeded(ok) => ok.message.text(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(texts, ["scripted one", "echoed"]);
}

#[tokio::test]
async fn ends_after_polls_or_on_demand() {
    let server = MockServer::builder()
        .batch_completion(BatchCompletion::AfterPolls(3))
        .start()
        .await;
    let id = batch_of(&post(&server, "/v1/messages/batches", &two_requests()).await).id;
    let path = format!("/v1/messages/batches/{id}");
    let early = get(&server, &format!("{path}/results")).await;
    assert_eq!(early.status, 400);
    assert_eq!(early.json()["error"]["type"], "invalid_request_error");
    let statuses: Vec<bool> = [
        batch_of(&get(&server, &path).await).is_ended(),
        batch_of(&get(&server, &path).await).is_ended(),
        batch_of(&get(&server, &path).await).is_ended(),
    ]
    .into();
    assert_eq!(statuses, [false, false, true]);

    let manual = MockServer::builder()
        .batch_completion(BatchCompletion::Manual)
        .start()
        .await;
    let id = batch_of(&post(&manual, "/v1/messages/batches", &two_requests()).await).id;
    let path = format!("/v1/messages/batches/{id}");
    for _ in 0..3 {
        assert!(!batch_of(&get(&manual, &path).await).is_ended());
    }
    assert!(manual.end_batch(&id));
    assert!(!manual.end_batch("msgbatch_unknown"));
    assert!(batch_of(&get(&manual, &path).await).is_ended());
}

#[tokio::test]
async fn cancel_list_delete_and_unknown_ids() {
    let server = MockServer::builder()
        .batch_completion(BatchCompletion::Manual)
        .start()
        .await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(batch_of(&post(&server, "/v1/messages/batches", &two_requests()).await).id);
    }
    let canceling = batch_of(
        &post(
            &server,
            &format!("/v1/messages/batches/{}/cancel", ids[0]),
            &json!({}),
        )
        .await,
    );
    assert_eq!(canceling.processing_status, ProcessingStatus::Canceling);
    assert!(canceling.cancel_initiated_at.is_some());
    let ended = batch_of(&get(&server, &format!("/v1/messages/batches/{}", ids[0])).await);
    assert!(ended.is_ended());
    assert_eq!(ended.request_counts.canceled, 2);
    let lines = lines_of(&get(&server, &format!("/v1/messages/batches/{}/results", ids[0])).await);
    assert!(
        lines
            .iter()
            .all(|l| matches!(l.result, BatchResult::Canceled(_)))
    );

    // Newest first, paginated.
    let raw = get(&server, "/v1/messages/batches?limit=2").await;
    let page: Page<MessageBatch> = serde_json::from_slice(&raw.body).expect("Page<MessageBatch>");
    let listed: Vec<&str> = page.data.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(listed, [ids[2].as_str(), ids[1].as_str()]);
    assert!(page.has_more);

    let in_progress = request(
        &server,
        "DELETE",
        &format!("/v1/messages/batches/{}", ids[1]),
        &[common::VERSION],
        b"",
    )
    .await;
    assert_eq!(in_progress.status, 400);
    let deleted = request(
        &server,
        "DELETE",
        &format!("/v1/messages/batches/{}", ids[0]),
        &[common::VERSION],
        b"",
    )
    .await;
    assert_eq!(
        deleted.json(),
        json!({"id": ids[0], "type": "message_batch_deleted"})
    );

    for path in [
        format!("/v1/messages/batches/{}", ids[0]),
        "/v1/messages/batches/msgbatch_nope/results".to_owned(),
    ] {
        let raw = get(&server, &path).await;
        assert_eq!(raw.status, 404, "{path}");
        assert_eq!(raw.json()["error"]["type"], "not_found_error");
    }
    let bad = post(
        &server,
        "/v1/messages/batches",
        &json!({"requests": [
        {"custom_id": "same", "params": say("a")}, {"custom_id": "same", "params": say("b")}]}),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        post(&server, "/v1/messages/batches", &json!({"requests": []}))
            .await
            .status,
        400
    );
}
