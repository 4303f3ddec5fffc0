//! List pagination against the mock: pages one at a time, and the
//! auto-paginating stream in both directions.

use claude_client::{Error, ProtocolKind};
use claude_mock::{MockResponse, MockServer, Route};
use claude_types::models::ModelInfo;
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
