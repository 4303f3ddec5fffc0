//! List pagination against the mock: pages one at a time, and the
//! auto-paginating stream in both directions.

use claude_rs_client::{Error, ProtocolKind};
use claude_rs_mock::{MockResponse, MockServer, Route};
use claude_rs_types::models::ModelInfo;
use serde_json::json;

fn model(n: usize) -> ModelInfo {
    serde_json::from_value(json!({
        "type": "model",
        "id": format!("model-{n}"),
        "display_name": format!("Model {n}"),
        "created_at": "2025-01-01T00:00:00Z",
    }))
    .expect("model")
}

async fn server_with(count: usize) -> MockServer {
    MockServer::builder()
        .models((1..=count).map(model).collect())
        .start()
        .await
}

fn queries(server: &MockServer) -> Vec<Option<String>> {
    server
        .received_on(Route::ListModels)
        .into_iter()
        .map(|r| r.query)
        .collect()
}

#[tokio::test]
async fn one_page_carries_its_cursors() {
    let server = server_with(7).await;
    let client = crate::support::client(&server);
    let page = client.models().list().limit(3).await.unwrap();
    let ids: Vec<_> = page.data.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["model-1", "model-2", "model-3"]);
    assert!(page.has_more);
    assert_eq!(page.first_id.as_deref(), Some("model-1"));
    assert_eq!(page.last_id.as_deref(), Some("model-3"));
    assert_eq!(queries(&server), [Some("limit=3".to_owned())]);
}

#[tokio::test]
async fn the_stream_walks_forwards_across_three_pages() {
    let server = server_with(7).await;
    let client = crate::support::client(&server);
    let mut models = client.models().list().limit(3).into_stream();
    // Lazy: nothing is fetched until the first item is asked for, and the
    // second page only once the first is used up.
    assert!(server.received_on(Route::ListModels).is_empty());
    let first = models.next().await.unwrap().unwrap();
    assert_eq!(first.id, "model-1");
    assert_eq!(server.received_on(Route::ListModels).len(), 1);

    let mut ids = vec![first.id];
    while let Some(model) = models.next().await {
        ids.push(model.unwrap().id);
    }
    let expected: Vec<String> = (1..=7).map(|n| format!("model-{n}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(
        queries(&server),
        [
            Some("limit=3".to_owned()),
            Some("limit=3&after_id=model-3".to_owned()),
            Some("limit=3&after_id=model-6".to_owned()),
        ]
    );
    assert!(models.next().await.is_none(), "the stream stays ended");
}

#[tokio::test]
async fn a_listing_started_with_before_id_walks_backwards() {
    let server = server_with(10).await;
    let client = crate::support::client(&server);
    let ids: Vec<String> = client
        .models()
        .list()
        .limit(3)
        .before_id("model-10")
        .into_stream()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        ids,
        [
            "model-7", "model-8", "model-9", "model-4", "model-5", "model-6", "model-1", "model-2",
            "model-3"
        ]
    );
    let recorded = server.received_on(Route::ListModels);
    let before: Vec<_> = recorded
        .iter()
        .map(|r| r.query_param("before_id"))
        .collect();
    assert_eq!(before, [Some("model-10"), Some("model-7"), Some("model-4")]);
    assert!(recorded.iter().all(|r| r.query_param("after_id").is_none()));
}

#[tokio::test]
async fn after_id_starts_the_stream_later() {
    let server = server_with(7).await;
    let client = crate::support::client(&server);
    let page = client.models().list().after_id("model-5").await.unwrap();
    let ids: Vec<_> = page.data.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["model-6", "model-7"]);
    assert!(!page.has_more);
}

#[tokio::test]
async fn a_cursor_that_does_not_move_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let stuck = json!({
        "data": [{"type": "model", "id": "m", "display_name": "M", "created_at": "2025-01-01T00:00:00Z"}],
        "has_more": true, "first_id": "m", "last_id": "m"
    });
    for _ in 0..3 {
        server.enqueue_on(Route::ListModels, MockResponse::json(stuck.clone()));
    }
    let client = crate::support::client(&server);
    let mut models = client.models().list().into_stream();
    assert_eq!(models.next().await.unwrap().unwrap().id, "m");
    assert_eq!(models.next().await.unwrap().unwrap().id, "m");
    let error = models.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Protocol {
                kind: ProtocolKind::CursorStuck,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("did not advance"), "{error}");
    assert!(models.next().await.is_none());
    assert_eq!(server.received_on(Route::ListModels).len(), 2);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_the_api_error() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let mut models = client.models().list().limit(0).into_stream();
    let error = models.next().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(models.next().await.is_none());
}

/// A Files list page in the token style.
fn file_page(ids: &[&str], next_page: Option<&str>) -> MockResponse {
    let data: Vec<_> = ids
        .iter()
        .map(|id| {
            json!({
                "type": "file", "id": id, "filename": format!("{id}.txt"),
                "mime_type": "text/plain", "size_bytes": 1,
                "created_at": "2026-11-01T00:00:00Z"
            })
        })
        .collect();
    MockResponse::json(json!({"data": data, "next_page": next_page}))
}

fn file_queries(server: &MockServer) -> Vec<Option<String>> {
    server
        .received_on(Route::ListFiles)
        .into_iter()
        .map(|r| r.query)
        .collect()
}

#[tokio::test]
async fn the_stream_follows_next_page_tokens_across_three_pages() {
    let server = MockServer::start().await;
    server.enqueue_on(
        Route::ListFiles,
        file_page(&["file_1", "file_2"], Some("page_b")),
    );
    server.enqueue_on(
        Route::ListFiles,
        file_page(&["file_3", "file_4"], Some("page_c/+")),
    );
    server.enqueue_on(Route::ListFiles, file_page(&["file_5"], None));
    let client = crate::support::client(&server);
    let ids: Vec<String> = client
        .files()
        .list()
        .limit(2)
        .into_stream()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|file| file.id)
        .collect();
    assert_eq!(ids, ["file_1", "file_2", "file_3", "file_4", "file_5"]);
    // The token goes back as `page`, encoded; the limit is kept; no id cursor.
    assert_eq!(
        file_queries(&server),
        [
            Some("limit=2".to_owned()),
            Some("limit=2&page=page_b".to_owned()),
            Some("limit=2&page=page_c%2F%2B".to_owned()),
        ]
    );
    let request = &server.received_on(Route::ListFiles)[0];
    assert!(request.header("anthropic-beta").is_none(), "Files is GA");
}

#[tokio::test]
async fn a_token_that_points_at_the_same_page_again_is_an_error() {
    let server = MockServer::start().await;
    server.enqueue_on(Route::ListFiles, file_page(&["file_1"], Some("page_x")));
    server.enqueue_on(Route::ListFiles, file_page(&["file_2"], Some("page_x")));
    let client = crate::support::client(&server);
    let mut files = client.files().list().into_stream();
    assert_eq!(files.next().await.unwrap().unwrap().id, "file_1");
    assert_eq!(files.next().await.unwrap().unwrap().id, "file_2");
    let error = files.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Protocol {
                kind: ProtocolKind::CursorStuck,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(files.next().await.is_none());
    assert_eq!(server.received_on(Route::ListFiles).len(), 2);
}

#[tokio::test]
async fn a_page_token_can_start_a_listing() {
    let server = MockServer::start().await;
    server.enqueue_on(Route::ListFiles, file_page(&["file_9"], None));
    let client = crate::support::client(&server);
    let page = client.files().list().page("page_9").await.unwrap();
    assert_eq!(page.data[0].id, "file_9");
    assert_eq!(page.next_page, None);
    assert_eq!(file_queries(&server), [Some("page=page_9".to_owned())]);
}

#[tokio::test]
async fn the_ids_filter_is_sent_as_the_sdks_send_it() {
    let server = MockServer::start().await;
    server.enqueue_on(Route::ListFiles, file_page(&["file_1", "file_3"], None));
    let client = crate::support::client(&server);
    let page = client.files().list_ids(["file_1", "file_3"]).await.unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(
        file_queries(&server),
        [Some("ids%5B%5D=file_1&ids%5B%5D=file_3".to_owned())]
    );
}
