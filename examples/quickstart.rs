//! The first thing to run: a streamed reply, then a tool call.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With `ANTHROPIC_API_KEY` set, it talks to the real API (or to
//! `ANTHROPIC_BASE_URL`). Without it, it starts the embedded mock server
//! (`claude-rs-mock`) in-process, says so on stderr, and runs the same code
//! against it: nothing leaves the machine and nothing is billed.

#![allow(clippy::print_stdout)]

use std::io::Write;

mod common;

use claude_rs_client::Error;
use claude_rs_mock::MockResponse;
use claude_rs_types::content::{ToolResultBlock, ToolUseBlock};
use claude_rs_types::{
    content::ContentBlock, message::StopReason, model::Model, request::CreateMessageRequest,
    request::MessageParam, tool::Tool,
};
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let target = common::connect().await?;
    script(&target);
    let client = &target.client;

    // 1. A streamed reply, printed as it arrives.
    let request = CreateMessageRequest::new(
        Model::CLAUDE_SONNET_5,
        512,
        vec![MessageParam::user(
            "Say hello and introduce yourself in one sentence.",
        )],
    );
    let mut text = client.messages().stream(request).await?.text_stream();
    print!("claude> ");
    while let Some(piece) = text.next().await {
        print!("{}", piece?);
        let _ = std::io::stdout().flush();
    }
    println!();
    let reply = text.into_inner().final_message().await?;
    eprintln!(
        "(streamed {} output tokens, stop reason {})",
        reply.usage.output_tokens,
        reply
            .stop_reason
            .as_ref()
            .map_or("none", StopReason::as_str)
    );

    // 2. A tool call: the model asks for the weather, we answer, it replies.
    let weather = Tool::custom(
        "get_weather",
        "Current weather for a city.",
        json!({
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}},
            "required": ["city"]
        }),
    );
    let mut messages = vec![MessageParam::user("What's the weather in Paris right now?")];
    let request = CreateMessageRequest::new(Model::CLAUDE_SONNET_5, 512, messages.clone())
        .with_tools(vec![weather.clone()]);
    let first = client.messages().create(request).await?;
    let calls: Vec<ToolUseBlock> = first.tool_uses().cloned().collect();
    messages.push(first.into_param());
    if calls.is_empty() {
        println!("claude> (answered without the tool)");
        return Ok(());
    }
    let results = calls
        .iter()
        .map(|call| {
            println!("tool>   {}({})", call.name, call.input);
            ContentBlock::ToolResult(run_tool(call))
        })
        .collect::<Vec<_>>();
    messages.push(MessageParam::user(results));
    let request =
        CreateMessageRequest::new(Model::CLAUDE_SONNET_5, 512, messages).with_tools(vec![weather]);
    let answer = client.messages().create(request).await?;
    println!("claude> {}", answer.text());
    Ok(())
}

/// Our side of the tool: fake weather, or an error the model can read.
fn run_tool(call: &ToolUseBlock) -> ToolResultBlock {
    match call.input.get("city").and_then(Value::as_str) {
        Some(city) if call.name == "get_weather" => {
            ToolResultBlock::text(&call.id, format!("{city}: 18 °C, light rain, wind 12 km/h"))
        }
        _ => ToolResultBlock::error(
            &call.id,
            format!("cannot run {} with input {}", call.name, call.input),
        ),
    }
}

/// On the mock (no API key), script what the real API would say: a greeting,
/// a call of the weather tool, then the answer that uses its result.
fn script(target: &common::Target) {
    target.script(|| {
        vec![
            MockResponse::text(
                "Hello! I'm Claude, an AI assistant made by Anthropic (here played by a local mock server).",
            ),
            MockResponse::tool_use("get_weather", json!({"city": "Paris"})),
            MockResponse::text(
                "It's 18 °C in Paris with light rain and a 12 km/h wind: take an umbrella.",
            ),
        ]
    });
}
