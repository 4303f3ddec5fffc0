//! Claude Managed Agents: an environment, an agent with a custom
//! `word_count` tool, a session; the session tool runner answers the tool
//! while this program sends a message and prints every session event once.
//!
//! ```sh
//! cargo run --example agents -- [--json] [PROMPT]
//! ```
//!
//! With `--json`, each event is printed as one line of JSON, as received
//! (fields and event types this SDK does not know included). It exits once
//! the session goes idle with `end_turn`, or terminates.
//!
//! Uses the real API when `ANTHROPIC_API_KEY` is set (at
//! `ANTHROPIC_BASE_URL` if given), else the embedded mock, whose scripted
//! agent calls the custom tool with the message's text.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use claude_rs_agents::ManagedAgentsExt as _;
use claude_rs_agents::agents::AgentsCreateParams;
use claude_rs_agents::environments::EnvironmentsCreateParams;
use claude_rs_agents::resume::{ResumableStream, ResumeOptions};
use claude_rs_agents::runner::SessionToolRunner;
use claude_rs_agents::sessions::{
    SessionsCreateParams, SessionsEventsSendParams, StreamSessionEvents,
};
use claude_rs_client::tools::TypedTool;
use claude_rs_types::tool::CustomTool;
use serde_json::{Value, json};

const DEFAULT_PROMPT: &str =
    "How many words are in this sentence? Use the word_count tool to be sure.";

/// The text of a list of content blocks.
fn text(content: &Value) -> String {
    let texts = content.as_array().into_iter().flatten();
    let texts: Vec<&str> = texts.filter_map(|b| b["text"].as_str()).collect();
    texts.join(" ")
}

/// One line for a person.
fn describe(event: &Value) -> String {
    let kind = event["type"].as_str().unwrap_or("?");
    match kind {
        "user.message" => format!("user: {}", text(&event["content"])),
        "agent.message" => format!("agent: {}", text(&event["content"])),
        "agent.custom_tool_use" | "agent.tool_use" => {
            format!(
                "tool call: {}({})",
                event["name"].as_str().unwrap_or("?"),
                event["input"]
            )
        }
        "user.custom_tool_result" | "user.tool_result" => {
            format!("tool result: {}", text(&event["content"]))
        }
        "session.status_idle" => format!(
            "idle ({})",
            event["stop_reason"]["type"].as_str().unwrap_or("?")
        ),
        other => other.to_owned(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut json_lines = false;
    let mut prompt = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json_lines = true,
            _ => prompt = Some(arg),
        }
    }
    let prompt = prompt.unwrap_or_else(|| DEFAULT_PROMPT.to_owned());

    let target = common::connect().await?;
    let client = &target.client;

    let schema = json!({
        "type": "object",
        "properties": {"text": {"type": "string", "description": "The text to count the words of."}},
        "required": ["text"],
    });
    let environment: EnvironmentsCreateParams = serde_json::from_value(json!({
        "name": "claude-rs-example",
        "config": {"type": "cloud"},
    }))?;
    let environment = client.environments().create(&environment).await?;
    let agent: AgentsCreateParams = serde_json::from_value(json!({
        "name": "word counter",
        "model": "claude-sonnet-4-6",
        "system": "Count words with the word_count tool.",
        "tools": [{"type": "custom", "name": "word_count",
            "description": "Counts the words of a text.", "input_schema": schema}],
    }))?;
    let agent = client.agents().create(&agent).await?;
    let session: SessionsCreateParams = serde_json::from_value(json!({
        "agent": agent.id,
        "environment_id": environment.id,
    }))?;
    let session = client.sessions().create(&session).await?;
    eprintln!("session {}", session.id);

    // The runner answers `word_count` on a task of its own.
    let word_count = TypedTool::for_definition(
        CustomTool::new("word_count", schema),
        |input: Value| async move {
            let words = input["text"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .count();
            words.to_string()
        },
    );
    let mut runner = SessionToolRunner::builder(client.clone(), &session.id)
        .tool(word_count)
        .max_idle(None)
        .build();
    let stop = runner.stop_handle();
    // Each call the runner dispatched is reported here, so that the example
    // stops the runner only once it has reported every call of the turn.
    let (reported, mut reports) = tokio::sync::mpsc::unbounded_channel();
    let calls = tokio::spawn(async move {
        while let Some(call) = runner.next().await {
            match call {
                Ok(call) => eprintln!("runner: {} answered: {:?}", call.name, call.outcome),
                Err(error) => eprintln!("runner: {error}"),
            }
            let _ = reported.send(());
        }
    });

    // Every event once, the history first.
    let mut events = ResumableStream::<StreamSessionEvents>::session(
        client,
        &session.id,
        ResumeOptions::default(),
    );
    let message: SessionsEventsSendParams = serde_json::from_value(json!({
        "events": [{"type": "user.message", "content": [{"type": "text", "text": prompt}]}],
    }))?;
    client
        .sessions()
        .events()
        .send(&session.id, &message)
        .await?;

    // An idle from before the message does not end the turn.
    let mut sent = false;
    let mut tool_calls = 0;
    while let Some(event) = events.next().await {
        let event = event?;
        let raw = serde_json::to_value(&event)?;
        if json_lines {
            println!("{raw}");
        } else {
            println!("{}", describe(&raw));
        }
        match raw["type"].as_str() {
            Some("user.message") => sent = true,
            Some("agent.custom_tool_use") => tool_calls += 1,
            Some("session.status_idle") if sent && raw["stop_reason"]["type"] == "end_turn" => {
                break;
            }
            _ => {}
        }
    }
    for _ in 0..tool_calls {
        if reports.recv().await.is_none() {
            break;
        }
    }
    stop.stop();
    calls.await?;
    Ok(())
}
