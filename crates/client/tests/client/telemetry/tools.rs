//! The tool runner's spans: the run, each turn's call span and each tool
//! execution as its children.

use claude_rs_client::telemetry::{ContentMode, Telemetry};
use claude_rs_client::tools::{ToolRunner, TypedTool};
use claude_rs_mock::{MockResponse, MockServer};
use claude_rs_types::tool::Tool;
use serde_json::{Value, json};

use super::capture::Capture;
use super::{captured, hi};
use crate::support::builder;

fn tool(name: &'static str, fails: bool) -> impl claude_rs_client::tools::RunnableTool {
    TypedTool::for_definition(
        Tool::custom(name, "Current weather", json!({"type": "object"})),
        move |_: Value| async move {
            if fails {
                Err::<String, _>("no such city".to_owned())
            } else {
                Ok("18 °C".to_owned())
            }
        },
    )
}

#[tokio::test(flavor = "current_thread")]
async fn a_run_is_the_parent_of_its_calls_and_tool_executions() {
    let server = MockServer::start().await;
    server.enqueue(
        MockResponse::tool_use("get_weather", json!({"city": "Paris"}))
            .and_tool_use("get_time", json!({})),
    );
    server.enqueue(MockResponse::text("18 °C in Paris."));
    let client = builder(&server)
        .telemetry(Telemetry::new().content_mode(ContentMode::Content))
        .build()
        .unwrap();
    let capture = Capture::default();
    let runner = ToolRunner::builder(client, hi())
        .tool(tool("get_weather", false))
        .tool(tool("get_time", true))
        .build();
    captured(&capture, runner.until_done()).await.unwrap();

    let run = capture.one("anthropic.messages.tool_runner");
    assert!(run.closed);
    assert_eq!(run.str("otel.kind"), "internal");
    assert_eq!(run.str("otel.status_code"), "OK");
    assert_eq!(run.str("gen_ai.operation.name"), "invoke_agent");
    assert_eq!(run.str("gen_ai.request.model"), "claude-sonnet-5");
    let calls = capture.named("anthropic.messages.create");
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.parent == Some(run.id)));

    let weather = capture.one("anthropic.custom_tool_use get_weather");
    assert_eq!(weather.parent, Some(run.id));
    assert_eq!(weather.str("otel.kind"), "internal");
    assert_eq!(weather.str("otel.status_code"), "OK");
    assert_eq!(weather.str("gen_ai.operation.name"), "execute_tool");
    assert_eq!(weather.str("gen_ai.tool.name"), "get_weather");
    assert_eq!(weather.str("gen_ai.tool.type"), "function");
    assert_eq!(weather.str("gen_ai.tool.description"), "Current weather");
    assert!(weather.str("gen_ai.tool.call.id").starts_with("toolu_"));
    assert_eq!(
        weather.str("gen_ai.tool.call.arguments"),
        r#"{"city":"Paris"}"#
    );
    assert_eq!(
        weather.str("anthropic.tool_result.content"),
        r#"[{"text":"18 °C","type":"text"}]"#
    );
    let time = capture.one("anthropic.custom_tool_use get_time");
    assert_eq!(time.str("otel.status_code"), "ERROR");
    assert_eq!(time.str("error.type"), "tool_error");
}

#[tokio::test(flavor = "current_thread")]
async fn metadata_mode_records_no_tool_content() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::tool_use(
        "get_weather",
        json!({"city": "Paris"}),
    ));
    server.enqueue(MockResponse::text("18 °C in Paris."));
    let client = builder(&server).build().unwrap();
    let capture = Capture::default();
    let runner = ToolRunner::builder(client, hi())
        .tool(tool("get_weather", false))
        .build();
    captured(&capture, runner.until_done()).await.unwrap();
    let weather = capture.one("anthropic.custom_tool_use get_weather");
    assert_eq!(weather.get("gen_ai.tool.call.arguments"), None);
    assert_eq!(weather.get("anthropic.tool_result.content"), None);
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_run_has_the_error_status() {
    let server = MockServer::start().await;
    server.fail_next(claude_rs_mock::Fault::status(
        http::StatusCode::BAD_REQUEST,
        claude_rs_types::error::ErrorType::InvalidRequest,
        "bad",
    ));
    let client = builder(&server).build().unwrap();
    let capture = Capture::default();
    let runner = ToolRunner::builder(client, hi())
        .tool(tool("get_weather", false))
        .build();
    captured(&capture, runner.until_done()).await.unwrap_err();
    let run = capture.one("anthropic.messages.tool_runner");
    assert!(run.closed);
    assert_eq!(run.str("otel.status_code"), "ERROR");
    assert_eq!(run.str("error.type"), "invalid_request_error");
}
