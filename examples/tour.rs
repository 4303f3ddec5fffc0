//! A tour of the SDK, in the order a new user meets it: a conversation,
//! images and documents, prompt caching, streaming, a typed tool run by the
//! tool runner, rate limits, errors matched by kind, extended thinking, a
//! batch and a structured output. Each step prints what it did.
//!
//! ```sh
//! cargo run --example tour
//! ```
//!
//! It needs no dependency beyond the SDK crates, `serde` and `tokio`: the
//! `http` types and `schemars` come re-exported from `claude-rs-client`.
//! With `ANTHROPIC_API_KEY` set it talks to the real API; without it, it
//! starts the embedded mock and scripts, before each step, the replies the
//! real API would give.

#![allow(clippy::print_stdout)]

mod common;

use std::process::ExitCode;
use std::time::Duration;

use claude_rs_client::Error;
use claude_rs_client::tools::{ToolRunner, TypedTool, schemars};
use claude_rs_types::batch::{BatchRequest, BatchResult};
use claude_rs_types::config::ThinkingConfig;
use claude_rs_types::content::{DocumentBlock, ImageBlock, TextBlock};
use claude_rs_types::{
    common::CacheControl, content::ContentBlock, model::Model, request::CreateMessageRequest,
    request::MessageParam,
};
use serde::Deserialize;

type Result<T = (), E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

/// A 1x1 PNG, small enough to inline.
const PIXEL_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/// The terms every caching step sends; the breakpoint after them lets
/// later calls read them from the cache.
const TERMS: &str = "Terms of service. 1. The service is provided as is. 2. Accounts are \
    personal. 3. Refunds are given within 30 days of purchase. 4. These terms may change \
    with 14 days' notice.";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result {
    let target = common::connect().await?;
    // Before each step, the mock (when used) is told what to answer.
    let script = |json: &str| -> Result {
        if let Some(mock) = target.mock() {
            mock.load_script(json)?;
        }
        Ok(())
    };
    let client = &target.client;
    let ask = |content: MessageParam| {
        CreateMessageRequest::new(Model::CLAUDE_SONNET_5, 512, vec![content])
    };

    println!("1. A conversation of two turns");
    script(
        r#"{"replies": {"messages": [
            {"text": "Nice to meet you, Ada! How can I help?"},
            {"text": "Your name is Ada."}]}}"#,
    )?;
    let mut request = ask(MessageParam::user("Hello! My name is Ada."));
    let first = client.messages().create(request.clone()).await?;
    println!("   claude> {}", first.text());
    request.messages.push(first.into_param());
    request
        .messages
        .push(MessageParam::user("What is my name?"));
    let second = client.messages().create(request).await?;
    println!("   claude> {}", second.text());

    println!("2. An image");
    script(r#"{"replies": {"messages": [{"text": "It is a single pixel: a 1x1 image."}]}}"#)?;
    let image = MessageParam::user(vec![
        ContentBlock::from(ImageBlock::base64("image/png", PIXEL_PNG)),
        ContentBlock::from(TextBlock::new("Describe this image in one sentence.")),
    ]);
    println!(
        "   claude> {}",
        client.messages().create(ask(image)).await?.text()
    );

    println!("3. A document");
    script(
        r#"{"replies": {"messages": [{"text": "Refunds are given within 30 days of purchase."}]}}"#,
    )?;
    let document = MessageParam::user(vec![
        ContentBlock::from(DocumentBlock::text(TERMS).with_title("Terms of service")),
        ContentBlock::from(TextBlock::new("How long do I have to ask for a refund?")),
    ]);
    println!(
        "   claude> {}",
        client.messages().create(ask(document)).await?.text()
    );

    println!("4. Prompt caching (cache_control)");
    // The real API caches prompts of 1024 tokens or more; shorter ones
    // report zero cached tokens.
    script(
        r#"{"replies": {"messages": [
            {"text": "Accounts are personal.", "usage": {"input_tokens": 12, "output_tokens": 6,
                "cache_creation_input_tokens": 1480, "cache_read_input_tokens": 0}},
            {"text": "With 14 days' notice.", "usage": {"input_tokens": 11, "output_tokens": 7,
                "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1480}}]}}"#,
    )?;
    for question in [
        "May I share my account?",
        "How much notice before the terms change?",
    ] {
        let cached = MessageParam::user(vec![
            ContentBlock::from(
                DocumentBlock::text(TERMS)
                    .with_title("Terms of service")
                    .with_cache_control(CacheControl::ephemeral()),
            ),
            ContentBlock::from(TextBlock::new(question)),
        ]);
        let reply = client.messages().create(ask(cached)).await?;
        let usage = &reply.usage;
        println!(
            "   claude> {} (cache: {} tokens written, {} read)",
            reply.text(),
            usage.cache_creation_input_tokens.unwrap_or(0),
            usage.cache_read_input_tokens.unwrap_or(0)
        );
    }

    println!("5. Streaming text");
    script(
        r#"{"replies": {"messages": [
            {"text": "Rust keeps memory safe without a garbage collector."}]}}"#,
    )?;
    let request = ask(MessageParam::user(
        "Say one thing about Rust, in one sentence.",
    ));
    let mut text = client.messages().stream(request).await?.text_stream();
    let mut pieces = 0;
    print!("   claude> ");
    while let Some(piece) = text.next().await {
        print!("{}", piece?);
        pieces += 1;
    }
    println!(" ({pieces} pieces)");

    println!("6. A typed tool, run by the tool runner");
    script(
        r#"{"replies": {"messages": [
            {"tool_use": {"name": "get_weather", "input": {"city": "Paris"}}},
            {"text": "It is sunny and 21°C in Paris."}]}}"#,
    )?;
    // The tool cannot fail, so its handler returns the text itself.
    let weather = TypedTool::new(
        "get_weather",
        "The current weather in a city.",
        |input: GetWeather| async move { format!("Sunny, 21°C in {}", input.city) },
    )?;
    let request = ask(MessageParam::user("What's the weather in Paris?"));
    let mut runner = ToolRunner::builder(client.clone(), request)
        .tool(weather)
        .max_iterations(4)
        .build();
    // Each reply as it arrives; the runner calls the tools in between.
    while let Some(reply) = runner.next().await {
        for call in reply?.tool_uses() {
            println!("   tool>   {}({})", call.name, call.input);
        }
    }
    println!("   claude> {}", runner.until_done().await?.message.text());

    println!("7. Rate limits, from the answer's headers");
    script(r#"{"replies": {"messages": [{"text": "Hi!"}]}}"#)?;
    let answer = client
        .messages()
        .create(ask(MessageParam::user("Hi")))
        .with_response()
        .await?;
    let limits = answer.rate_limits();
    if let Some(requests) = &limits.requests {
        println!(
            "   requests: {} of {} left, the window resets at {}",
            requests.remaining.unwrap_or_default(),
            requests.limit.unwrap_or_default(),
            requests.reset.as_deref().unwrap_or("?")
        );
    }
    if let Some(tokens) = &limits.tokens {
        println!(
            "   tokens:   {} of {} left",
            tokens.remaining.unwrap_or_default(),
            tokens.limit.unwrap_or_default()
        );
    }

    println!("8. Errors, matched by kind");
    // A model that does not exist: the API (and the mock) answer 404.
    let unknown =
        CreateMessageRequest::new("claude-no-such-model", 64, vec![MessageParam::user("Hi")]);
    println!("   {}", describe(client.messages().create(unknown).await));
    if target.is_mock() {
        // What a busy account sees; the client would retry it, this call may not.
        script(
            r#"{"faults": [{"fault": {"kind": "rate_limited", "retry_after": 20}, "times": 1, "route": "messages"}]}"#,
        )?;
        let busy = client
            .messages()
            .create(ask(MessageParam::user("Hi")))
            .max_retries(0)
            .await;
        println!("   {}", describe(busy));
    }

    println!("9. Extended thinking");
    script(
        r#"{"replies": {"messages": [{"content": [
            {"type": "thinking", "thinking": "27 is 3 cubed, so 27 * 3 is 3 to the fourth: 81.",
             "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
            {"type": "text", "text": "27 × 3 = 81."}]}]}}"#,
    )?;
    let request = CreateMessageRequest::new(
        Model::CLAUDE_SONNET_5,
        4096,
        vec![MessageParam::user("What is 27 × 3?")],
    )
    .with_thinking(ThinkingConfig::adaptive());
    let reply = client.messages().create(request).await?;
    for block in &reply.content {
        if let ContentBlock::Thinking(thinking) = block {
            println!("   thought> {}", thinking.thinking);
        }
    }
    println!("   claude> {}", reply.text());

    println!("10. A batch");
    // Batch requests are answered like single ones: the mock's replies in order.
    script(r#"{"replies": {"messages": [{"text": "Paris."}, {"text": "42"}]}}"#)?;
    let batches = client.batches();
    let batch = batches
        .create(vec![
            BatchRequest::new(
                "capital",
                ask(MessageParam::user("Capital of France? One word.")),
            ),
            BatchRequest::new("sum", ask(MessageParam::user("17 + 25? Only the number."))),
        ])
        .await?;
    println!("   created {} ({})", batch.id, batch.processing_status);
    // Real batches take minutes; the mock's end at once.
    batches
        .wait(&batch.id)
        .interval(Duration::from_secs(10))
        .await?;
    let mut results = batches.results(&batch.id).await?;
    while let Some(line) = results.next().await {
        let line = line?;
        match &line.result {
            BatchResult::Succeeded(ok) => println!("   {}: {}", line.custom_id, ok.message.text()),
            other => println!("   {}: {other:?}", line.custom_id),
        }
    }

    println!("11. A structured output");
    script(
        r#"{"replies": {"messages": [
            {"text": "{\"city\":\"Paris\",\"country\":\"France\",\"population_millions\":2.1}"}]}}"#,
    )?;
    let request = ask(MessageParam::user("Which city is the capital of France?"));
    let capital = client
        .messages()
        .parse::<Capital>(request)
        .await?
        .parsed_output;
    println!(
        "   {} ({}), about {} million people",
        capital.city, capital.country, capital.population_millions
    );
    Ok(())
}

/// The input of the `get_weather` tool. `JsonSchema` comes from the
/// client's re-export of `schemars`, which the `crate` attribute points to.
#[derive(Deserialize, schemars::JsonSchema)]
#[schemars(crate = "claude_rs_client::tools::schemars")]
struct GetWeather {
    /// The city, e.g. "Paris".
    city: String,
}

/// A capital city, as structured output.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "claude_rs_client::tools::schemars")]
struct Capital {
    /// The city's name.
    city: String,
    /// The country it is the capital of.
    country: String,
    /// Its population, in millions.
    population_millions: f64,
}

/// What a program would do with each kind of failure.
fn describe<T>(result: Result<T, Error>) -> String {
    match result {
        Ok(_) => "no error this time".to_owned(),
        Err(error) if error.is_rate_limit() => {
            match error.api().and_then(|api| api.rate_limits().retry_after) {
                Some(wait) => format!("rate limited (429): try again in {} s", wait.as_secs()),
                None => "rate limited (429): try again later".to_owned(),
            }
        }
        Err(error) if error.is_not_found() => format!("not found (404): {error}"),
        Err(error) if error.is_invalid_request() => format!("bad request (400): {error}"),
        Err(error @ (Error::Timeout { .. } | Error::Connection(_))) => {
            format!("network trouble, worth retrying: {error}")
        }
        Err(error) => format!("another error: {error}"),
    }
}
