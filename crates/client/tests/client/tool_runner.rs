//! The tool runner against the mock's scripted replies: what it sends back
//! (the exact `tool_result` blocks), when it stops, and that both the
//! streaming and the non-streaming paths behave the same.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::{client, request};
use claude_rs_client::tools::{RunStop, ToolRunner, TypedTool};
use claude_rs_mock::{MockResponse, MockServer, Route};
use claude_rs_types::{content::ContentBlock, message::Message, message::StopReason};
use serde_json::{Value, json};
use tokio::sync::Barrier;

/// The weather tool's input.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct GetWeather {
    /// The city and country, e.g. "Paris, France".
    location: String,
}

/// A weather tool that answers from fake data.
fn weather() -> impl claude_rs_client::tools::RunnableTool {
    TypedTool::new(
        "get_weather",
        "Current weather",
        |input: GetWeather| async move { format!("21°C in {}", input.location) },
    )
    .expect("GetWeather has an inline schema")
}

/// The JSON bodies of the Messages requests the mock received.
fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_on(Route::Messages)
        .into_iter()
        .map(|r| r.json.expect("a JSON body"))
        .collect()
}

/// The ids of the `tool_use` blocks of the assistant turn at `index` of a
/// request's messages.
fn tool_use_ids(body: &Value, index: usize) -> Vec<String> {
    body["messages"][index]["content"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter(|b| b["type"] == "tool_use")
        .map(|b| b["id"].as_str().expect("id").to_owned())
        .collect()
}

fn result(id: &str, content: &str) -> Value {
    json!({"type": "tool_result", "tool_use_id": id, "content": content})
}

fn error_result(id: &str, content: &str) -> Value {
    json!({"type": "tool_result", "tool_use_id": id, "content": content, "is_error": true})
}

#[tokio::test]
async fn parallel_calls_run_concurrently_and_answer_in_order() {
    for streaming in [false, true] {
        let server = MockServer::start().await;
        server
            .enqueue(MockResponse::tool_use("first", json!({})).and_tool_use("second", json!({})));
        server.enqueue(MockResponse::text("Both done."));
        // Each handler waits until the other has started: run one after
        // the other, they would wait forever.
        let barrier = Arc::new(Barrier::new(2));
        let tool = |name: &'static str| {
            let barrier = Arc::clone(&barrier);
            TypedTool::for_definition(
                claude_rs_types::tool::Tool::custom(name, "waits", json!({"type": "object"})),
                move |_: Value| {
                    let barrier = Arc::clone(&barrier);
                    async move {
                        barrier.wait().await;
                        Ok::<_, String>(format!("{name} ran"))
                    }
                },
            )
        };
        let runner = ToolRunner::builder(client(&server), request("go"))
            .tool(tool("first"))
            .tool(tool("second"))
            .streaming(streaming)
            .build();
        let outcome = tokio::time::timeout(Duration::from_secs(60), runner.until_done())
            .await
            .expect("the two handlers did not run concurrently")
            .unwrap();
        assert_eq!(outcome.stop, RunStop::Finished);
        assert_eq!(outcome.message.text(), "Both done.");
        assert_eq!(outcome.iterations, 2);

        let bodies = bodies(&server);
        assert_eq!(bodies.len(), 2);
        assert!(bodies.iter().all(|b| (b["stream"] == true) == streaming));
        // Both definitions were sent.
        let names: Vec<&str> = bodies[0]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["first", "second"]);
        let ids = tool_use_ids(&bodies[1], 1);
        assert_eq!(ids.len(), 2);
        assert_eq!(
            bodies[1]["messages"][2],
            json!({"role": "user", "content": [
                result(&ids[0], "first ran"),
                result(&ids[1], "second ran"),
            ]})
        );
        // The outcome's conversation is what the last request sent, plus
        // the final reply.
        assert_eq!(outcome.messages.len(), 4);
        assert_eq!(
            serde_json::to_value(&outcome.messages[..3]).unwrap(),
            bodies[1]["messages"]
        );
    }
}

#[tokio::test]
async fn failures_become_error_results_the_model_can_read() {
    for streaming in [false, true] {
        let server = MockServer::start().await;
        server.enqueue(
            MockResponse::tool_use("get_weather", json!({"location": "Paris"}))
                .and_tool_use("get_weather", json!({"location": 5}))
                .and_tool_use("flaky", json!({}))
                .and_tool_use("teleport", json!({"to": "Mars"})),
        );
        server.enqueue(MockResponse::text("Sorry."));
        let flaky = TypedTool::for_definition(
            claude_rs_types::tool::Tool::custom("flaky", "fails", json!({"type": "object"})),
            |_: Value| async { Err::<String, _>("disk full") },
        );
        let outcome = ToolRunner::builder(client(&server), request("go"))
            .tool(weather())
            .tool(flaky)
            .streaming(streaming)
            .build()
            .until_done()
            .await
            .unwrap();
        assert_eq!(outcome.stop, RunStop::Finished);

        let bodies = bodies(&server);
        let ids = tool_use_ids(&bodies[1], 1);
        assert_eq!(
            bodies[1]["messages"][2]["content"],
            json!([
                result(&ids[0], "21°C in Paris"),
                error_result(
                    &ids[1],
                    "invalid input for tool `get_weather`: invalid type: integer `5`, expected a string"
                ),
                error_result(&ids[2], "disk full"),
                error_result(
                    &ids[3],
                    "unknown tool `teleport`; the tools are: `get_weather`, `flaky`"
                ),
            ])
        );
    }
}

#[tokio::test]
async fn max_iterations_stops_with_the_tool_results_last() {
    let server = MockServer::start().await;
    server.respond_with(|_| MockResponse::tool_use("get_weather", json!({"location": "Oslo"})));
    let mut runner = ToolRunner::builder(client(&server), request("loop"))
        .tool(weather())
        .max_iterations(2)
        .build();
    let mut replies = 0;
    while let Some(reply) = runner.next().await {
        assert_eq!(reply.unwrap().stop_reason, Some(StopReason::ToolUse));
        replies += 1;
    }
    assert_eq!(replies, 2);
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(outcome.stop, RunStop::MaxIterations);
    assert_eq!(outcome.iterations, 2);
    assert_eq!(server.received_on(Route::Messages).len(), 2);
    // user, assistant, results, assistant, results: ready to be sent again.
    let messages = serde_json::to_value(&outcome.messages).unwrap();
    assert_eq!(messages.as_array().unwrap().len(), 5);
    let last_id = tool_use_ids(&json!({"messages": messages}), 3).remove(0);
    assert_eq!(
        messages[4],
        json!({"role": "user", "content": [result(&last_id, "21°C in Oslo")]})
    );
}

#[tokio::test]
async fn pause_turn_is_sent_back_as_is() {
    for streaming in [false, true] {
        let server = MockServer::start().await;
        server.enqueue(MockResponse::content(
            vec![ContentBlock::text("Searching...")],
            StopReason::PauseTurn,
        ));
        server.enqueue(MockResponse::text("Found it."));
        let outcome = ToolRunner::builder(client(&server), request("search"))
            .tool(weather())
            .streaming(streaming)
            .build()
            .until_done()
            .await
            .unwrap();
        assert_eq!(outcome.stop, RunStop::Finished);
        assert_eq!(outcome.message.text(), "Found it.");
        let bodies = bodies(&server);
        assert_eq!(
            bodies[1]["messages"],
            json!([
                {"role": "user", "content": "search"},
                {"role": "assistant", "content": [{"type": "text", "text": "Searching..."}]},
            ])
        );
    }
}

/// A scripted reply carrying a container.
fn reply_in_container(container: &str, blocks: Value, stop_reason: &str) -> MockResponse {
    let message: Message = serde_json::from_value(json!({
        "id": "msg_c", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": blocks, "stop_reason": stop_reason, "stop_sequence": null,
        "usage": {"input_tokens": 1, "output_tokens": 1},
        "container": {"id": container, "expires_at": "2030-01-01T00:00:00Z"},
    }))
    .unwrap();
    MockResponse::message(message)
}

#[tokio::test]
async fn the_container_id_is_carried_to_the_next_turn() {
    let server = MockServer::start().await;
    server.enqueue(reply_in_container(
        "container_1",
        json!([{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"location": "Rome"}}]),
        "tool_use",
    ));
    server.enqueue(MockResponse::text("Done."));
    ToolRunner::builder(client(&server), request("go"))
        .tool(weather())
        .build()
        .until_done()
        .await
        .unwrap();
    let bodies = bodies(&server);
    assert!(bodies[0].get("container").is_none());
    assert_eq!(bodies[1]["container"], "container_1");
    assert_eq!(
        bodies[1]["messages"][2]["content"],
        json!([result("toolu_1", "21°C in Rome")])
    );
}

#[tokio::test]
async fn calls_cut_off_by_max_tokens_or_in_a_refusal_are_not_run() {
    for stop in [StopReason::MaxTokens, StopReason::Refusal] {
        let server = MockServer::start().await;
        server.enqueue(MockResponse::tool_use("counted", json!({})).with_stop_reason(stop.clone()));
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let counted = TypedTool::for_definition(
            claude_rs_types::tool::Tool::custom("counted", "counts", json!({"type": "object"})),
            move |_: Value| {
                counter.fetch_add(1, Ordering::SeqCst);
                async { Ok::<_, String>("ran") }
            },
        );
        let outcome = ToolRunner::builder(client(&server), request("go"))
            .tool(counted)
            .build()
            .until_done()
            .await
            .unwrap();
        assert_eq!(outcome.stop, RunStop::StopReason(Some(stop)));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        assert_eq!(server.received_on(Route::Messages).len(), 1);
        assert_eq!(outcome.messages.len(), 2);
    }
}

#[tokio::test]
async fn an_api_error_ends_the_run_with_that_error() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::tool_use(
        "get_weather",
        json!({"location": "Lima"}),
    ));
    server.enqueue(MockResponse::error(
        http::StatusCode::BAD_REQUEST,
        claude_rs_types::error::ErrorType::InvalidRequest,
        "bad tool result",
    ));
    let mut runner = ToolRunner::builder(client(&server), request("go"))
        .tool(weather())
        .build();
    assert!(runner.next().await.unwrap().is_ok());
    let error = runner.next().await.unwrap().unwrap_err();
    assert!(error.to_string().contains("bad tool result"), "{error}");
    assert!(runner.next().await.is_none());
    assert!(runner.until_done().await.is_err());
}

#[tokio::test]
async fn a_strict_typed_tool_sends_a_closed_schema() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("No tool needed."));
    let strict = TypedTool::strict(
        "get_weather",
        "Current weather",
        |input: GetWeather| async move { input.location },
    )
    .unwrap();
    let outcome = ToolRunner::builder(client(&server), request("hi"))
        .tool(strict)
        .build()
        .until_done()
        .await
        .unwrap();
    assert_eq!(outcome.stop, RunStop::Finished);
    let tool = &bodies(&server)[0]["tools"][0];
    assert_eq!(tool["strict"], true);
    assert_eq!(tool["description"], "Current weather");
    assert_eq!(tool["input_schema"]["additionalProperties"], false);
    assert_eq!(tool["input_schema"]["required"], json!(["location"]));
}
