//! Counts the input tokens of a request before sending it.
//!
//! ```sh
//! cargo run --example count_tokens -- "How long is this prompt?"
//! ```
//!
//! Uses the real API when `ANTHROPIC_API_KEY` is set (at
//! `ANTHROPIC_BASE_URL` if given), else the embedded mock.

#![allow(clippy::print_stdout)]

mod common;

use claude_rs_types::{model::Model, request::CreateMessageRequest, request::MessageParam};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let prompt = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let prompt = if prompt.is_empty() {
        "Write a haiku about counting.".to_owned()
    } else {
        prompt
    };
    let target = common::connect().await?;
    let mut request = CreateMessageRequest::new(
        Model::CLAUDE_SONNET_5,
        1024,
        vec![MessageParam::user(prompt.as_str())],
    );
    // The same request can be measured and then sent: `max_tokens` is
    // simply not part of the count.
    let bare = target.client.messages().count_tokens(&request).await?;
    request.system = Some("You are a poet who answers only in verse.".into());
    let with_system = target.client.messages().count_tokens(&request).await?;
    println!("prompt: {prompt:?}");
    println!("input tokens: {}", bare.input_tokens);
    println!("with a system prompt: {}", with_system.input_tokens);
    Ok(())
}
