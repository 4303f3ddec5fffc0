//! The client on the Vertex backend against a loopback Vertex: paths,
//! rewritten bodies, bearer tokens, SSE streams and refused calls.

use claude_rs_client::{ApiVersion, Client, Error};
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use claude_rs_vertex::Vertex;
use serde_json::json;

use crate::support::*;

const MODEL: &str = "claude-sonnet-4-5@20250929";
const TOKEN: &str = "ya29.test-ACCESS-TOKEN";

fn vertex(server: &Server) -> Vertex {
    Vertex::builder()
        .region("us-east5")
        .project("my-project")
        .base_url(&server.url)
        .access_token(TOKEN)
        .env_lookup(|_| None)
        .build()
        .unwrap()
}

fn request() -> CreateMessageRequest {
    CreateMessageRequest::new(MODEL, 64, vec![MessageParam::user("Hi")])
}

fn message_json() -> serde_json::Value {
    json!({
        "id": "msg_vrtx_01", "type": "message", "role": "assistant", "model": MODEL,
        "content": [{"type": "text", "text": "Hello"}],
        "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 8, "output_tokens": 2}
    })
}

#[tokio::test]
async fn create_goes_to_raw_predict_with_the_body_rewritten() {
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let client = Client::builder()
        .backend(vertex(&server))
        .api_version(claude_rs_client::ApiVersion::V2023_06_01)
        .beta("b1")
        .build()
        .unwrap();
    let message = client.messages().create(request()).await.unwrap();
    assert_eq!(message.text(), "Hello");
    let seen = &server.seen()[0];
    assert_eq!(
        seen.path,
        "/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"
    );
    assert_eq!(
        seen.header("authorization"),
        Some("Bearer ya29.test-ACCESS-TOKEN")
    );
    assert_eq!(seen.header("anthropic-version"), None);
    assert_eq!(seen.header("anthropic-beta"), Some("b1"));
    let body = seen.json();
    assert_eq!(body["anthropic_version"], "vertex-2023-10-16");
    assert!(body.get("model").is_none(), "{body}");
}

#[tokio::test]
async fn streams_are_plain_sse_with_stream_kept() {
    let sse = recorded("sse_stop_sequence_text.sse");
    let server = Server::start(move |_, _| answer(200, "text/event-stream", sse.clone())).await;
    let client = Client::builder().backend(vertex(&server)).build().unwrap();
    let message = client
        .messages()
        .stream(request())
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap();
    assert!(!message.content.is_empty());
    let seen = &server.seen()[0];
    assert!(
        seen.path
            .ends_with("/models/claude-sonnet-4-5@20250929:streamRawPredict"),
        "{}",
        seen.path
    );
    assert_eq!(seen.json()["stream"], true);
}

#[tokio::test]
async fn count_tokens_keeps_the_model_in_the_body() {
    let server = Server::start(|_, _| json_answer(200, json!({"input_tokens": 9}))).await;
    let client = Client::builder().backend(vertex(&server)).build().unwrap();
    let count = client.messages().count_tokens(&request()).await.unwrap();
    assert_eq!(count.input_tokens, 9);
    let seen = &server.seen()[0];
    assert_eq!(
        seen.path,
        "/projects/my-project/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict"
    );
    assert_eq!(seen.json()["model"], MODEL);
    // The default version goes into the body as the official SDK 2.17.0
    // writes it (Vertex's own for 2023-06-01).
    let expected = match client.api_version() {
        ApiVersion::V2023_06_01 => claude_rs_vertex::VERTEX_API_VERSION,
        version => version.as_str(),
    };
    assert_eq!(seen.json()["anthropic_version"], expected);
}

#[tokio::test]
async fn batches_and_models_are_refused_before_any_request() {
    let server = Server::start(|_, _| json_answer(200, json!({}))).await;
    let client = Client::builder().backend(vertex(&server)).build().unwrap();
    for error in [
        client.batches().list().await.unwrap_err(),
        client.models().list().await.unwrap_err(),
    ] {
        assert!(
            matches!(
                error,
                Error::Unsupported {
                    platform: "Google Vertex AI",
                    ..
                }
            ),
            "{error:?}"
        );
    }
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn settings_from_the_environment() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let vertex = Vertex::builder()
        .access_token("t")
        .env_lookup(env(&[
            ("CLOUD_ML_REGION", "global"),
            ("ANTHROPIC_VERTEX_PROJECT_ID", "p1"),
        ]))
        .build()
        .unwrap();
    assert_eq!(
        claude_rs_client::backend::Backend::base_url(&vertex),
        "https://aiplatform.googleapis.com/v1"
    );
    assert_eq!((vertex.region(), vertex.project()), ("global", Some("p1")));
    let overridden = Vertex::builder()
        .access_token("t")
        .env_lookup(env(&[
            ("CLOUD_ML_REGION", "eu"),
            ("ANTHROPIC_VERTEX_BASE_URL", "http://127.0.0.1:9/v1/"),
        ]))
        .build()
        .unwrap();
    assert_eq!(
        claude_rs_client::backend::Backend::base_url(&overridden),
        "http://127.0.0.1:9/v1"
    );
    let error = Vertex::builder()
        .access_token("t")
        .env_lookup(|_| None)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("CLOUD_ML_REGION"), "{error}");

    // No project anywhere: the first call fails, naming the variable.
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let vertex = Vertex::builder()
        .region("us-east5")
        .base_url(&server.url)
        .access_token("t")
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(vertex).build().unwrap();
    let error = client.messages().create(request()).await.unwrap_err();
    assert!(
        error.to_string().contains("ANTHROPIC_VERTEX_PROJECT_ID"),
        "{error}"
    );
    assert!(server.seen().is_empty());
}

#[test]
fn regions_and_projects_that_would_leave_the_host_or_the_path_are_refused_at_build() {
    let build = |region: &str, project: &str| {
        Vertex::builder()
            .region(region)
            .project(project)
            .access_token("t")
            .env_lookup(|_| None)
            .build()
    };
    for region in [
        "attacker.example/",
        "us-east5.evil",
        "..",
        "-us",
        "us east",
        "a/b",
    ] {
        let error = build(region, "p1").unwrap_err();
        assert!(
            matches!(
                error,
                Error::Config {
                    kind: claude_rs_client::ConfigKind::InvalidSetting,
                    ..
                }
            ),
            "{region}: {error:?}"
        );
        assert!(error.to_string().contains("region"), "{error}");
    }
    for project in [".", "..", "a/b", "p?x", ""] {
        let error = build("us-east5", project).unwrap_err();
        assert!(
            error.to_string().contains("project"),
            "{project:?}: {error}"
        );
    }
    for (region, project) in [("us-east5", "my-project-1"), ("global", "example.com:proj")] {
        build(region, project).unwrap();
    }
}
