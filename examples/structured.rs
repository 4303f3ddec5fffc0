//! Structured outputs: ask for a reply that is JSON of a Rust type, and get
//! the value decoded (`messages().parse::<T>()`), whole or streamed.
//!
//! ```sh
//! cargo run --example structured
//! cargo run --example structured -- --stream
//! ```
//!
//! With `ANTHROPIC_API_KEY` set it talks to the real API; without it, it
//! starts the embedded mock server, scripted with the JSON the real API
//! would write, and says so on stderr.

#![allow(clippy::print_stdout)]

use std::process::ExitCode;

mod common;

use claude_rs_mock::MockResponse;
use claude_rs_types::{model::Model, request::CreateMessageRequest, request::MessageParam};
use serde::Deserialize;

/// An order read out of free text.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct Order {
    /// Each product ordered.
    items: Vec<Item>,
    /// The total price, in dollars.
    total: f64,
}

/// One line of an order.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct Item {
    /// The product's name.
    product_name: String,
    /// The price of one unit, in dollars.
    price: f64,
    /// How many were ordered.
    quantity: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    let streaming = std::env::args().skip(1).any(|a| a == "--stream");
    match run(streaming).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(streaming: bool) -> Result<(), Box<dyn std::error::Error>> {
    let target = common::connect().await?;
    // On the mock, script what the API would say: JSON of the schema.
    target.script(|| {
        vec![MockResponse::text(
            r#"{"items":[{"product_name":"Green Tea","price":5.5,"quantity":2},{"product_name":"Coffee","price":3.0,"quantity":1}],"total":14.0}"#,
        )]
    });
    let messages = target.client.messages();
    let request = CreateMessageRequest::new(
        Model::CLAUDE_SONNET_5,
        1024,
        vec![MessageParam::user(
            "Extract the order: 2 Green Tea at $5.50 and 1 Coffee at $3.00. Total $14.",
        )],
    );
    let reply = if streaming {
        let stream = messages.stream_parse::<Order>(request)?.await?;
        stream.final_parsed::<Order>().await?
    } else {
        messages.parse::<Order>(request).await?
    };
    let order = reply.parsed_output;
    for item in &order.items {
        println!(
            "{} x {} at ${:.2}",
            item.quantity, item.product_name, item.price
        );
    }
    println!("total: ${:.2}", order.total);
    Ok(())
}
