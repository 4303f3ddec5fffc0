//! The generic verbs against the mock: any path, path parameters encoded
//! as one segment (bad ones refused before sending), query arrays and
//! ranges, per-call headers and betas, typed, raw JSON, raw response and
//! event-stream answers, and the paginator of any list.

use claude_rs_client::types::models::ModelInfo;
use claude_rs_client::{ApiVersion, Error, InvalidRequestKind, VersionRefusal};
use claude_rs_mock::{MockResponse, MockServer, Route};
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use http::{HeaderValue, Method};
use serde_json::{Value, json};

use crate::support::{builder, client, request};

fn kind(error: &Error) -> InvalidRequestKind {
    match error {
        Error::InvalidRequest { kind, .. } => *kind,
        other => panic!("not an invalid request: {other:?}"),
    }
}

#[tokio::test]
async fn raw_json_with_query_arrays_ranges_headers_and_betas() {
    let server = MockServer::start().await;
    let client = client(&server);
    let page: Value = client
        .get("/v1/agents")
        .query_all("statuses[]", ["active", "idle"])
        .query("created_at[gte]", "2026-01-01T00:00:00Z")
        .query("limit", 5)
        .beta("managed-agents-2026-04-01")
        .workspace_id(HeaderValue::from_static("wrkspc_01"))
        .await
        .unwrap();
    assert_eq!(page, json!({"data": [], "next_page": null}));
    let sent = server.last_request().unwrap();
    assert_eq!(sent.path, "/v1/agents");
    assert_eq!(
        sent.query.as_deref(),
        Some(
            "statuses%5B%5D=active&statuses%5B%5D=idle&created_at%5Bgte%5D=2026-01-01T00%3A00%3A00Z&limit=5"
        )
    );
    assert_eq!(
        sent.header("anthropic-beta"),
        Some("managed-agents-2026-04-01")
    );
    assert_eq!(sent.header("anthropic-workspace-id"), Some("wrkspc_01"));
    // The client's version (2026-10-21 unless the run chose another).
    assert_eq!(
        sent.header("anthropic-version"),
        Some(client.api_version().as_str())
    );
    assert_eq!(sent.header("x-api-key"), Some(crate::support::KEY));

    // Without the beta the mock refuses, as the API does: an ApiError.
    let refused = client.get("/v1/agents").await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn path_params_are_one_encoded_segment_and_bad_ones_are_refused_unsent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let model: ModelInfo = client
        .get("/v1/models/{model_id}")
        .path_param("model_id", "claude-sonnet-5")
        .output()
        .await
        .unwrap();
    assert_eq!(model.id, "claude-sonnet-5");

    let missing = client
        .get("/v1/models/{model_id}")
        .path_param("model_id", "a/b c")
        .await
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    assert_eq!(server.last_request().unwrap().path, "/v1/models/a%2Fb%20c");
    let before = server.requests().len();

    for (value, expected) in [
        ("", InvalidRequestKind::EmptyId),
        (".", InvalidRequestKind::PathSegment),
        ("..", InvalidRequestKind::PathSegment),
        ("a\nb", InvalidRequestKind::PathSegment),
    ] {
        let error = client
            .get("/v1/models/{model_id}")
            .path_param("model_id", value)
            .await
            .unwrap_err();
        assert_eq!(kind(&error), expected, "{value:?}");
    }
    for path in [
        "v1/models",
        "/v1/models?limit=2",
        "/v1/../admin",
        "/v1/a b",
        "/v1/é",
    ] {
        let error = client.get(path).await.unwrap_err();
        assert_eq!(kind(&error), InvalidRequestKind::PathSegment, "{path}");
        assert!(error.to_string().contains("invalid path"), "{error}");
    }
    let unfilled = client.get("/v1/models/{model_id}").await.unwrap_err();
    assert!(unfilled.to_string().contains("{model_id}"), "{unfilled}");
    let unknown = client
        .get("/v1/models")
        .path_param("id", "x")
        .await
        .unwrap_err();
    assert_eq!(kind(&unknown), InvalidRequestKind::PathSegment);
    // Handlers go through the same check.
    let handler = client.models().retrieve("..").await.unwrap_err();
    assert_eq!(kind(&handler), InvalidRequestKind::PathSegment);
    assert_eq!(server.requests().len(), before, "nothing was sent");
}

#[tokio::test]
async fn every_verb_sends_its_method_and_a_typed_body() {
    let server = MockServer::start().await;
    let client = client(&server);
    for method in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        let _ = client
            .request(method.clone(), "/v1/things/{id}")
            .path_param("id", "t_1")
            .json(&json!({"name": "x"}))
            .await;
        let sent = server.last_request().unwrap();
        assert_eq!(
            (&sent.method, sent.path.as_str()),
            (&method, "/v1/things/t_1")
        );
        assert_eq!(sent.json.as_ref(), Some(&json!({"name": "x"})));
        assert_eq!(sent.header("content-type"), Some("application/json"));
    }
    let _ = client.put("/v1/a").await;
    let _ = client.patch("/v1/a").await;
    let _ = client.delete("/v1/a").await;
    let methods: Vec<Method> = server
        .requests()
        .iter()
        .rev()
        .take(3)
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(methods, [Method::DELETE, Method::PATCH, Method::PUT]);
}

#[tokio::test]
async fn raw_responses_keep_status_headers_and_body() {
    let server = MockServer::start().await;
    server.enqueue_on(
        Route::GetOrganization,
        MockResponse::json(json!({"id": "org_1", "type": "organization", "name": "Acme"}))
            .with_header("request-id", "req_raw_1"),
    );
    let client = builder(&server)
        .admin_key("sk-ant-admin-test")
        .build()
        .unwrap();
    let response = client.get("/v1/organizations/me").response().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["request-id"], "req_raw_1");
    let (_, body) = response.into_parts();
    let bytes = body.collect_limited(1 << 20).await.unwrap();
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["name"], "Acme");
    let sent = server.last_request().unwrap();
    assert_eq!(sent.header("accept"), Some("application/json"));

    // An error status is an ApiError, not a raw response.
    let error = client.get("/v1/nothing-here").response().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn event_streams_decode_each_event_as_the_callers_type() {
    #[derive(serde::Deserialize)]
    struct Event {
        #[serde(rename = "type")]
        kind: String,
    }
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hi there"));
    let client = client(&server);
    let mut body = serde_json::to_value(request("hi")).unwrap();
    body["stream"] = json!(true);
    let mut events = client
        .post("/v1/messages")
        .json(&body)
        .events::<Event>()
        .await
        .unwrap();
    let mut kinds = Vec::new();
    while let Some(event) = events.next().await {
        kinds.push(event.unwrap().kind);
    }
    assert_eq!(kinds.first().map(String::as_str), Some("message_start"));
    assert_eq!(kinds.last().map(String::as_str), Some("message_stop"));
    assert!(kinds.iter().any(|k| k == "content_block_delta"));
    assert_eq!(
        server.last_request().unwrap().header("accept"),
        Some("text/event-stream")
    );
}

#[tokio::test]
async fn any_list_pages_page_by_page_and_item_by_item() {
    let server = MockServer::start().await;
    let client = client(&server);
    let all: Vec<ModelInfo> = client
        .models()
        .list()
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert!(all.len() > 3);

    let mut pages = client
        .get("/v1/models")
        .paginate::<ModelInfo>()
        .limit(2)
        .pages();
    let mut ids = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        assert!(page.data.len() <= 2);
        count += 1;
        ids.extend(page.data.into_iter().map(|m| m.id));
    }
    assert_eq!(ids, all.iter().map(|m| m.id.clone()).collect::<Vec<_>>());
    assert_eq!(count, all.len().div_ceil(2));

    // Filters of the call are repeated on every page.
    let items = client
        .get("/v1/models")
        .query("flavor", "x")
        .paginate::<ModelInfo>()
        .limit(3)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), all.len());
    let listed = server.received_on(Route::ListModels);
    let last = listed.last().unwrap().query.clone().unwrap_or_default();
    assert!(last.starts_with("flavor=x&limit=3&after_id="), "{last}");

    // A bad call is the stream's one item.
    let mut failed = client.get("/v1/{x}").paginate::<Value>().pages();
    assert!(failed.next().await.unwrap().is_err());
    assert!(failed.next().await.is_none());
}

#[tokio::test]
async fn the_version_rules_are_refused_before_sending_and_kept_under_2023_06_01() {
    let server = MockServer::start().await;
    let sampled = || {
        CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")])
            .with_temperature(0.2)
    };
    let newest = builder(&server)
        .api_version(ApiVersion::V2026_10_21)
        .build()
        .unwrap();
    let error = newest.messages().create(sampled()).await.unwrap_err();
    assert_eq!(kind(&error), InvalidRequestKind::RefusedByVersion);
    let refusal = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<VersionRefusal>())
        .unwrap();
    assert_eq!(refusal.field(), "temperature");
    assert_eq!(refusal.version(), &ApiVersion::V2026_10_21);
    assert!(error.to_string().contains("2026-10-21"), "{error}");
    assert!(newest.messages().stream(sampled()).await.is_err());
    let batch = vec![claude_rs_types::batch::BatchRequest::new("a", sampled())];
    let batch_error = newest.batches().create(batch).await.unwrap_err();
    assert_eq!(kind(&batch_error), InvalidRequestKind::RefusedByVersion);
    assert!(server.requests().is_empty(), "nothing was sent");

    let older = builder(&server)
        .api_version(ApiVersion::V2023_06_01)
        .build()
        .unwrap();
    older.messages().create(sampled()).await.unwrap();
    let sent = server.last_request().unwrap();
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(sent.json.unwrap()["temperature"], 0.2);
}
