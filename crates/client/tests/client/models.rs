//! The Models API against the mock.

use claude_rs_mock::{MockServer, Route};

#[tokio::test]
async fn retrieve_gets_one_model_by_id_without_a_beta_header() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let model = client
        .models()
        .retrieve("claude-haiku-4-5-20251001")
        .await
        .unwrap();
    assert_eq!(model.id, "claude-haiku-4-5-20251001");
    assert_eq!(model.display_name, "Claude Haiku 4.5");

    let request = server.last_request().unwrap();
    assert_eq!(request.method, http::Method::GET);
    assert_eq!(request.path, "/v1/models/claude-haiku-4-5-20251001");
    assert_eq!(request.query, None);
    assert_eq!(request.header("x-api-key"), Some(crate::support::KEY));
    assert_eq!(
        request.header("anthropic-version"),
        Some(client.api_version().as_str())
    );
    assert_eq!(request.header("anthropic-beta"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn list_returns_every_model_newest_first() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let all = client
        .models()
        .list()
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    // Every model of the catalogue still served, newest first.
    let served: Vec<&str> = claude_rs_types::model::Model::catalog()
        .iter()
        .filter(|m| m.is_served())
        .map(|m| m.id)
        .collect();
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, served, "the mock's catalogue");
    assert_eq!(all[0].id, "claude-fable-5-2");
    let request = &server.received_on(Route::ListModels)[0];
    assert_eq!(request.method, http::Method::GET);
    assert_eq!(request.path, "/v1/models");
}

#[tokio::test]
async fn unknown_models_are_a_404_with_the_api_message() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let error = client.models().retrieve("no-such-model").await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert!(error.request_id().is_some());
}

#[tokio::test]
async fn ids_are_escaped_into_one_path_segment() {
    let server = MockServer::start().await;
    let client = crate::support::client(&server);
    let _ = client.models().retrieve("a/b?c").await;
    assert_eq!(server.last_request().unwrap().path, "/v1/models/a%2Fb%3Fc");
    let error = client.models().retrieve("").await.unwrap_err();
    assert!(
        matches!(
            error,
            claude_rs_client::Error::InvalidRequest {
                kind: claude_rs_client::InvalidRequestKind::EmptyId,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn with_response_exposes_headers_and_per_call_betas_merge() {
    let server = MockServer::start().await;
    let client = crate::support::builder(&server)
        .beta("client-beta")
        .build()
        .unwrap();
    let response = client
        .models()
        .retrieve("claude-opus-4-5-20251101")
        .beta("call-beta")
        .beta("client-beta")
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status, http::StatusCode::OK);
    assert!(response.request_id().is_some());
    assert_eq!(
        server.last_request().unwrap().header("anthropic-beta"),
        Some("client-beta,call-beta")
    );
}
