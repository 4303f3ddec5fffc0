//! The session tool runner against the mock's scripted agent.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use claude_rs_agents::runner::{
    CallKind, CallOutcome, RunOutcome, RunnerStop, SessionToolRunner, SessionToolRunnerBuilder,
    StopOptions,
};
use claude_rs_client::Client;
use claude_rs_client::tools::TypedTool;
use claude_rs_mock::{Fault, FaultRule, MockServer};
use claude_rs_types::content::ToolResultContent;
use claude_rs_types::tool::CustomTool;
use serde_json::{Value, json};

const BETA: &str = "managed-agents-2026-04-01";

async fn post(client: &Client, path: &str, body: Value) -> Value {
    client.post(path).beta(BETA).json(&body).await.unwrap()
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-ant-api03-test")
        .base_url(server.base_url())
        .build()
        .unwrap()
}

/// A session on an agent with `tools`.
async fn session(client: &Client, tools: Value) -> String {
    let agent = post(
        client,
        "/v1/agents",
        json!({"name": "a", "model": "claude-sonnet-4-6", "tools": tools}),
    )
    .await;
    let env = post(client, "/v1/environments", json!({"name": "e"})).await;
    let body = json!({"agent": agent["id"], "environment_id": env["id"]});
    post(client, "/v1/sessions", body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn word_count_schema() -> Value {
    json!({"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]})
}

async fn word_count_session(client: &Client) -> String {
    let tools = json!([{"type": "custom", "name": "word_count", "description": "Counts words",
        "input_schema": word_count_schema()}]);
    session(client, tools).await
}

fn word_count() -> impl claude_rs_client::tools::RunnableTool + 'static {
    TypedTool::for_definition(
        CustomTool::new("word_count", word_count_schema()),
        |input: Value| async move {
            input["text"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .count()
                .to_string()
        },
    )
}

async fn say(client: &Client, id: &str, text: &str) {
    let body =
        json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": text}]}]});
    post(client, &format!("/v1/sessions/{id}/events"), body).await;
}

/// Every event of the session's history.
async fn history(client: &Client, id: &str) -> Vec<Value> {
    client
        .get(&format!("/v1/sessions/{id}/events"))
        .beta(BETA)
        .paginate::<Value>()
        .into_stream()
        .collect_all()
        .await
        .unwrap()
}

fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

/// A runner that stops soon after the turn ends.
fn runner(client: &Client, id: &str) -> SessionToolRunnerBuilder {
    SessionToolRunner::builder(client.clone(), id)
        .tool(word_count())
        .max_idle(Some(Duration::from_millis(300)))
}

fn text(content: &Option<ToolResultContent>) -> &str {
    match content {
        Some(ToolResultContent::Text(text)) => text,
        other => panic!("not text: {other:?}"),
    }
}

/// The one call of `outcome`, answered.
fn answered(outcome: &RunOutcome) -> (&str, bool) {
    assert_eq!(outcome.calls.len(), 1, "{outcome:?}");
    match &outcome.calls[0].outcome {
        CallOutcome::Answered { content, is_error } => (text(content), *is_error),
        other => panic!("not answered: {other:?}"),
    }
}

#[tokio::test]
async fn word_count_end_to_end() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    // Sent before the runner starts: the call waits in the history.
    say(&client, &id, "three little words").await;
    let outcome = runner(&client, &id).build().until_done().await.unwrap();
    assert_eq!(outcome.stop, RunnerStop::Idle);
    assert_eq!(answered(&outcome), ("3", false));
    let call = &outcome.calls[0];
    assert_eq!(
        (call.name.as_str(), call.kind),
        ("word_count", CallKind::Custom)
    );
    assert_eq!(call.input, json!({"text": "three little words"}));
    let events = history(&client, &id).await;
    let results = of_type(&events, "user.custom_tool_result");
    assert_eq!(results.len(), 1, "{events:?}");
    assert_eq!(results[0]["custom_tool_use_id"], json!(call.id));
    assert_eq!(results[0]["content"][0]["text"], "3");
    let replies = of_type(&events, "agent.message");
    assert_eq!(
        replies[0]["content"][0]["text"],
        "The word_count tool returned: 3"
    );
}

#[tokio::test]
async fn a_call_answered_in_the_history_is_not_answered_again() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    say(&client, &id, "one two").await;
    let events = history(&client, &id).await;
    let call_id = of_type(&events, "agent.custom_tool_use")[0]["id"].clone();
    let result = json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": call_id,
        "content": [{"type": "text", "text": "2"}]}]});
    post(&client, &format!("/v1/sessions/{id}/events"), result).await;

    let outcome = runner(&client, &id).build().until_done().await.unwrap();
    assert_eq!(outcome.stop, RunnerStop::Idle);
    assert!(outcome.calls.is_empty(), "{outcome:?}");
    let events = history(&client, &id).await;
    assert_eq!(of_type(&events, "user.custom_tool_result").len(), 1);
}

#[tokio::test]
async fn an_unknown_tool_gets_an_error_result_naming_it() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    say(&client, &id, "a b").await;
    let outcome = SessionToolRunner::builder(client.clone(), &id)
        .max_idle(Some(Duration::from_millis(300)))
        .build()
        .until_done()
        .await
        .unwrap();
    let (message, is_error) = answered(&outcome);
    assert!(is_error);
    assert!(message.contains("unknown tool `word_count`"), "{message}");
}

#[tokio::test]
async fn a_tool_past_its_timeout_is_answered_with_an_error() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    say(&client, &id, "slow").await;
    let stuck = TypedTool::for_definition(
        CustomTool::new("word_count", word_count_schema()),
        |_: Value| async {
            std::future::pending::<()>().await;
            "never"
        },
    );
    let outcome = SessionToolRunner::builder(client.clone(), &id)
        .tool(stuck)
        .tool_timeout(Some(Duration::from_millis(50)))
        .max_idle(Some(Duration::from_millis(300)))
        .build()
        .until_done()
        .await
        .unwrap();
    let (message, is_error) = answered(&outcome);
    assert!(is_error);
    assert!(message.contains("timed out"), "{message}");
}

#[tokio::test]
async fn a_panicking_tool_is_answered_with_an_error() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    say(&client, &id, "boom").await;
    let panics = TypedTool::for_definition(
        CustomTool::new("word_count", word_count_schema()),
        |_: Value| async {
            if true {
                panic!("out of words");
            }
            "never"
        },
    );
    let outcome = SessionToolRunner::builder(client.clone(), &id)
        .tool(panics)
        .max_idle(Some(Duration::from_millis(300)))
        .build()
        .until_done()
        .await
        .unwrap();
    let (message, is_error) = answered(&outcome);
    assert!(is_error);
    assert!(message.contains("out of words"), "{message}");
}

/// Waits until the runner has listed the results answered so far, opened
/// its stream and read the history (two listings, the stream between).
async fn settled(server: &MockServer, id: &str) {
    let path = format!("/v1/sessions/{id}/events");
    let stream = format!("{path}/stream");
    for _ in 0..500 {
        let requests = server.requests();
        let opened = requests.iter().position(|r| r.path == stream);
        let read = opened.is_some_and(|at| {
            requests[at..]
                .iter()
                .any(|r| r.method == "GET" && r.path == path)
        });
        if read {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the runner never read the history");
}

#[tokio::test]
async fn a_post_whose_answer_is_lost_is_not_sent_again() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    let runner = runner(&client, &id)
        .stop_when(
            StopOptions::default()
                .max_idle(Some(Duration::from_millis(300)))
                .status_interval(None),
        )
        .build();
    settled(&server, &id).await;
    // The next request is the message, the one after it the result: that
    // one is persisted, but its answer is cut.
    let next = server.requests().len() + 2;
    server.inject(FaultRule::nth(next, Fault::reset_after(0)));
    say(&client, &id, "lost in transit").await;
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(answered(&outcome), ("3", false));
    let posts = server
        .received(&format!("/v1/sessions/{id}/events"))
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(
        posts,
        2,
        "the message and one result: {:?}",
        server
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect::<Vec<_>>()
    );
    let events = history(&client, &id).await;
    assert_eq!(of_type(&events, "user.custom_tool_result").len(), 1);
}

#[tokio::test]
async fn a_stream_cut_mid_frame_still_answers_once() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    server.cut_next_stream(1, true);
    let runner = runner(&client, &id).build();
    settled(&server, &id).await;
    say(&client, &id, "cut right here").await;
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(answered(&outcome), ("3", false));
    let events = history(&client, &id).await;
    assert_eq!(of_type(&events, "user.custom_tool_result").len(), 1);
    assert_eq!(of_type(&events, "agent.message").len(), 1);
}

/// A session whose agent asks before running `bash`, and a runner with a
/// `bash` of its own that counts its runs.
async fn asking(client: &Client) -> (String, Arc<AtomicUsize>, SessionToolRunner) {
    let asks = json!([{"type": "agent_toolset_20260401",
        "default_config": {"permission_policy": {"type": "always_ask"}}}]);
    let id = session(client, asks).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&runs);
    let bash = TypedTool::for_definition(
        CustomTool::new("bash", json!({"type": "object"})),
        move |input: Value| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move { format!("ran {}", input["command"].as_str().unwrap_or_default()) }
        },
    );
    let runner = SessionToolRunner::builder(client.clone(), &id)
        .tool(bash)
        .max_idle(Some(Duration::from_millis(300)))
        .build();
    say(client, &id, "hello").await;
    (id, runs, runner)
}

async fn confirm(client: &Client, id: &str, result: &str) {
    let events = history(client, id).await;
    let call = of_type(&events, "agent.tool_use")[0]["id"].clone();
    let body = json!({"events": [{"type": "user.tool_confirmation", "tool_use_id": call,
        "result": result, "deny_message": "not now"}]});
    post(client, &format!("/v1/sessions/{id}/events"), body).await;
}

#[tokio::test]
async fn ask_then_allow_runs_the_tool() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (id, runs, runner) = asking(&client).await;
    confirm(&client, &id, "allow").await;
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(answered(&outcome), ("ran echo hello", false));
    assert_eq!(outcome.calls[0].kind, CallKind::Agent);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let events = history(&client, &id).await;
    let results = of_type(&events, "user.tool_result");
    assert_eq!(results.len(), 1, "{events:?}");
    assert_eq!(results[0]["tool_use_id"], json!(outcome.calls[0].id));
}

#[tokio::test]
async fn ask_then_deny_does_not_run_the_tool() {
    let server = MockServer::start().await;
    let client = client(&server);
    let (id, runs, runner) = asking(&client).await;
    confirm(&client, &id, "deny").await;
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(outcome.calls.len(), 1, "{outcome:?}");
    match &outcome.calls[0].outcome {
        CallOutcome::Denied { message } => assert_eq!(message.as_deref(), Some("not now")),
        other => panic!("not denied: {other:?}"),
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    let events = history(&client, &id).await;
    assert!(of_type(&events, "user.tool_result").is_empty());
}

fn never_idle(client: &Client, id: &str) -> SessionToolRunnerBuilder {
    SessionToolRunner::builder(client.clone(), id)
        .tool(word_count())
        .stop_when(
            StopOptions::default()
                .max_idle(None)
                .status_interval(Some(Duration::from_millis(20))),
        )
}

#[tokio::test]
async fn stops_when_the_session_is_deleted() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    let runner = never_idle(&client, &id).build();
    settled(&server, &id).await;
    let _: Value = client
        .delete(&format!("/v1/sessions/{id}"))
        .beta(BETA)
        .await
        .unwrap();
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(outcome.stop, RunnerStop::Deleted);
}

#[tokio::test]
async fn stops_when_the_session_is_archived() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    let runner = never_idle(&client, &id).build();
    settled(&server, &id).await;
    post(&client, &format!("/v1/sessions/{id}/archive"), json!({})).await;
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(outcome.stop, RunnerStop::Archived);
}

#[tokio::test]
async fn the_stop_handle_stops_it() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = word_count_session(&client).await;
    let runner = never_idle(&client, &id).build();
    runner.stop_handle().stop();
    let outcome = runner.until_done().await.unwrap();
    assert_eq!(outcome.stop, RunnerStop::Stopped);
}
