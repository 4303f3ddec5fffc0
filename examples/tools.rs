//! A typed tool driven by the tool runner: the model asks for the weather,
//! the runner calls `get_weather` (fake data) and sends the result back,
//! until the model answers.
//!
//! ```sh
//! cargo run --example tools            # each reply as it arrives, then the answer
//! cargo run --example tools -- --json  # the final message as JSON on stdout
//! cargo run --example tools -- --stream
//! ```
//!
//! With `ANTHROPIC_API_KEY` set it talks to the real API; without it, it
//! starts the embedded mock server, scripted to call the tool and then
//! answer, and says so on stderr.

#![allow(clippy::print_stdout)]

use std::process::ExitCode;

mod common;

use claude_rs_client::tools::{RunStop, ToolRunner, TypedTool};
use claude_rs_examples::example_tools::{GetWeather, TemperatureUnit};
use claude_rs_mock::MockResponse;
use claude_rs_types::{model::Model, request::CreateMessageRequest, request::MessageParam};
use serde_json::json;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json_output = args.iter().any(|a| a == "--json");
    let streaming = args.iter().any(|a| a == "--stream");
    match run(json_output, streaming).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(json_output: bool, streaming: bool) -> Result<(), Box<dyn std::error::Error>> {
    // Keep the mock alive for the whole run when it is used.
    let target = common::connect().await?;
    script(&target);
    let client = target.client.clone();

    let weather = TypedTool::new(
        "get_weather",
        "Get the current weather in a given location.",
        |input: GetWeather| async move { fake_weather(&input) },
    )?;
    let request = CreateMessageRequest::new(
        Model::CLAUDE_SONNET_5,
        1024,
        vec![MessageParam::user(
            "What's the weather like in Paris today?",
        )],
    );
    let mut runner = ToolRunner::builder(client, request)
        .tool(weather)
        .max_iterations(5)
        .streaming(streaming)
        .build();

    while let Some(reply) = runner.next().await {
        let reply = reply?;
        if !json_output {
            for call in reply.tool_uses() {
                eprintln!("tool>   {}({})", call.name, call.input);
            }
        }
    }
    let outcome = runner.until_done().await?;
    if json_output {
        println!("{}", serde_json::to_string_pretty(&outcome.message)?);
    } else {
        println!("claude> {}", outcome.message.text());
    }
    if outcome.stop != RunStop::Finished {
        eprintln!("(the run stopped early: {:?})", outcome.stop);
    }
    Ok(())
}

/// Fake data: this example is about the loop, not meteorology.
fn fake_weather(input: &GetWeather) -> String {
    let (temperature, unit) = match input.unit {
        Some(TemperatureUnit::Fahrenheit) => (66, "°F"),
        _ => (19, "°C"),
    };
    format!(
        "{}: {temperature}{unit}, partly cloudy, wind 10 km/h",
        input.location
    )
}

/// On the mock (no API key), script what the real API would say: a call of
/// the tool, then the answer that uses its result.
fn script(target: &common::Target) {
    target.script(|| {
        vec![
            MockResponse::tool_use(
                "get_weather",
                json!({"location": "Paris, France", "unit": "celsius"}),
            ),
            MockResponse::text("It's 19°C and partly cloudy in Paris, with a light 10 km/h wind."),
        ]
    });
}
