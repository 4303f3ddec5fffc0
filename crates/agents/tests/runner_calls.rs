//! The session tool runner with several calls in one turn (the mock's
//! scripted agent making them at once): concurrent up to the limit, one at
//! a time per thread, each answered once; and a result that does not fit
//! the answering event, reported and never posted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use claude_rs_agents::runner::{CallOutcome, RunOutcome, RunnerStop, SessionToolRunner};
use claude_rs_client::tools::{RunnableTool, TypedTool};
use claude_rs_client::{Client, Error, InvalidRequestKind};
use claude_rs_mock::MockServer;
use claude_rs_types::content::ContentBlock;
use claude_rs_types::tool::CustomTool;
use serde_json::{Value, json};
use tokio::sync::Barrier;

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

fn schema() -> Value {
    json!({"type": "object", "properties": {"text": {"type": "string"}}})
}

/// A session on an agent with the custom tool `probe`.
async fn probe_session(client: &Client) -> String {
    let tools = json!([{"type": "custom", "name": "probe", "description": "Probes",
        "input_schema": schema()}]);
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

async fn say(client: &Client, id: &str, text: &str) {
    let body =
        json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": text}]}]});
    post(client, &format!("/v1/sessions/{id}/events"), body).await;
}

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

/// How many calls of a tool run at once, and the most that ever did.
#[derive(Debug, Default)]
struct Overlap {
    running: AtomicUsize,
    most: AtomicUsize,
}

impl Overlap {
    fn enter(&self) {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `probe`: each call waits at `barrier` (when given) before it returns
/// `"ok"`, so two calls return only if both started before either ended;
/// else it gives other calls a moment to start.
fn probe(overlap: Arc<Overlap>, barrier: Option<Arc<Barrier>>) -> impl RunnableTool + 'static {
    TypedTool::for_definition(CustomTool::new("probe", schema()), move |_: Value| {
        let overlap = Arc::clone(&overlap);
        let barrier = barrier.clone();
        async move {
            overlap.enter();
            match barrier {
                Some(barrier) => {
                    barrier.wait().await;
                }
                None => tokio::time::sleep(Duration::from_millis(50)).await,
            }
            overlap.leave();
            "ok".to_owned()
        }
    })
}

/// Checks that the turn completed: each of the `calls` dispatched was
/// answered once (in the outcome and in the history), without error, and
/// the agent went on to `end_turn`.
async fn each_answered_once(client: &Client, id: &str, outcome: &RunOutcome, calls: usize) {
    assert_eq!(outcome.stop, RunnerStop::Idle);
    assert_eq!(outcome.calls.len(), calls, "{outcome:?}");
    for call in &outcome.calls {
        match &call.outcome {
            CallOutcome::Answered { is_error, .. } => assert!(!is_error, "{call:?}"),
            other => panic!("not answered: {other:?}"),
        }
    }
    let events = history(client, id).await;
    let used: Vec<&Value> = of_type(&events, "agent.custom_tool_use")
        .into_iter()
        .map(|e| &e["id"])
        .collect();
    let mut answered: Vec<&Value> = of_type(&events, "user.custom_tool_result")
        .into_iter()
        .map(|e| &e["custom_tool_use_id"])
        .collect();
    assert_eq!(used.len(), calls, "{events:?}");
    answered.sort_by_key(|id| id.to_string());
    let mut expected = used.clone();
    expected.sort_by_key(|id| id.to_string());
    assert_eq!(answered, expected, "each call answered exactly once");
    let reply = of_type(&events, "agent.message");
    assert_eq!(reply.len(), 1, "{events:?}");
    let text = reply[0]["content"][0]["text"].as_str().unwrap();
    assert_eq!(text.lines().count(), calls, "{text}");
    let last = events.last().unwrap();
    assert_eq!(last["type"], "session.status_idle");
    assert_eq!(last["stop_reason"]["type"], "end_turn");
}

#[tokio::test]
async fn calls_of_two_threads_run_at_once_up_to_the_limit() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = probe_session(&client).await;
    server.enqueue_agent_tool_calls([("probe", None), ("probe", Some("sthr_a"))]);
    say(&client, &id, "go").await;
    let overlap = Arc::new(Overlap::default());
    // Neither call returns before both started: run one at a time, the
    // first would wait until its timeout and be answered with an error.
    let barrier = Arc::new(Barrier::new(2));
    let outcome = SessionToolRunner::builder(client.clone(), &id)
        .tool(probe(Arc::clone(&overlap), Some(barrier)))
        .max_concurrent_calls(2)
        .tool_timeout(Some(Duration::from_secs(20)))
        .max_idle(Some(Duration::from_millis(300)))
        .build()
        .until_done()
        .await
        .unwrap();
    each_answered_once(&client, &id, &outcome, 2).await;
    assert_eq!(overlap.most.load(Ordering::SeqCst), 2);
    let threads: Vec<Option<&str>> = outcome
        .calls
        .iter()
        .map(|c| c.thread_id.as_deref())
        .collect();
    assert!(threads.contains(&None) && threads.contains(&Some("sthr_a")));
}

/// Three `probe` calls the agent makes at once, on `threads`, run with at
/// most `limit` at a time; each is checked answered once. The server (kept
/// alive), the client, the session, what overlapped and the outcome.
async fn three_probes(
    threads: [&str; 3],
    limit: usize,
) -> (MockServer, Client, String, Arc<Overlap>, RunOutcome) {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = probe_session(&client).await;
    server.enqueue_agent_tool_calls(threads.map(|thread| ("probe", Some(thread))));
    say(&client, &id, "go").await;
    let overlap = Arc::new(Overlap::default());
    let outcome = SessionToolRunner::builder(client.clone(), &id)
        .tool(probe(Arc::clone(&overlap), None))
        .max_concurrent_calls(limit)
        .max_idle(Some(Duration::from_millis(300)))
        .build()
        .until_done()
        .await
        .unwrap();
    each_answered_once(&client, &id, &outcome, 3).await;
    (server, client, id, overlap, outcome)
}

#[tokio::test]
async fn the_limit_holds_with_calls_of_several_threads() {
    let (_server, _client, _id, overlap, _outcome) =
        three_probes(["sthr_a", "sthr_b", "sthr_c"], 2).await;
    assert!(overlap.most.load(Ordering::SeqCst) <= 2, "{overlap:?}");
}

#[tokio::test]
async fn calls_of_one_thread_run_one_at_a_time() {
    let (_server, client, id, overlap, outcome) = three_probes(["sthr_a"; 3], 4).await;
    assert_eq!(overlap.most.load(Ordering::SeqCst), 1);
    // In the order the agent made them.
    let events = history(&client, &id).await;
    let made: Vec<&Value> = of_type(&events, "agent.custom_tool_use")
        .into_iter()
        .map(|e| &e["id"])
        .collect();
    let done: Vec<Value> = outcome.calls.iter().map(|c| json!(c.id)).collect();
    assert_eq!(made, done.iter().collect::<Vec<_>>());
}

#[tokio::test]
async fn a_result_that_does_not_fit_the_event_is_reported_not_posted() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = probe_session(&client).await;
    say(&client, &id, "go").await;
    // An image block without a usable source (kept as raw JSON, as a tool
    // that forwards blocks it got may return): no `user.custom_tool_result`
    // takes it.
    let odd = Arc::new(Mutex::new(0));
    let tool = {
        let odd = Arc::clone(&odd);
        TypedTool::for_definition(CustomTool::new("probe", schema()), move |_: Value| {
            *odd.lock().unwrap() += 1;
            async {
                vec![ContentBlock::Unknown(
                    json!({"type": "image", "source": 42}),
                )]
            }
        })
    };
    let mut runner = SessionToolRunner::builder(client.clone(), &id)
        .tool(tool)
        .max_idle(None)
        .build();
    let call = runner.next().await.unwrap().unwrap();
    runner.stop_handle().stop();
    assert_eq!(*odd.lock().unwrap(), 1);
    let CallOutcome::NotPosted { error, .. } = &call.outcome else {
        panic!("not reported: {call:?}");
    };
    let Error::InvalidRequest { kind, message, .. } = error else {
        panic!("not a refused body: {error:?}");
    };
    assert_eq!(*kind, InvalidRequestKind::Body);
    assert!(message.contains(&call.id), "{message}");
    assert!(message.contains("user.custom_tool_result"), "{message}");
    // Nothing was posted: not the blocks as text, not an empty event list.
    let posts: Vec<_> = server
        .received(&format!("/v1/sessions/{id}/events"))
        .into_iter()
        .filter(|r| r.method == claude_rs_client::http::Method::POST)
        .collect();
    assert_eq!(posts.len(), 1, "only the user.message: {posts:?}");
    let events = history(&client, &id).await;
    assert!(of_type(&events, "user.custom_tool_result").is_empty());
}
