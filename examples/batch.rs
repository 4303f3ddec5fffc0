//! Sends three requests as a Message Batch, waits for it to end and prints
//! each result.
//!
//! ```sh
//! cargo run --example batch -- [poll interval in seconds, default 30]
//! ```
//!
//! Uses the real API when `ANTHROPIC_API_KEY` is set (at
//! `ANTHROPIC_BASE_URL` if given), else the embedded mock, scripted with the
//! answers the API would give, whose batches end at once. Real batches
//! usually end within minutes, at most 24 hours.

#![allow(clippy::print_stdout)]

mod common;

use std::time::Duration;

use claude_rs_mock::MockResponse;
use claude_rs_types::batch::{BatchRequest, BatchResult};
use claude_rs_types::{model::Model, request::CreateMessageRequest, request::MessageParam};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let interval = match std::env::args().nth(1) {
        Some(seconds) => Duration::from_secs(seconds.parse()?),
        None => claude_rs_client::batches::DEFAULT_POLL_INTERVAL,
    };
    let target = common::connect().await?;
    // On the mock, script what the API would answer to each request, in order.
    target.script(|| ["Paris", "42", "Blue"].map(MockResponse::text).into());
    let batches = target.client.batches();

    let questions = [
        ("capital", "What is the capital of France? One word."),
        ("sum", "What is 17 + 25? Only the number."),
        ("colour", "What colour is a clear daytime sky? One word."),
    ];
    let requests = questions
        .iter()
        .map(|(id, question)| {
            let params = CreateMessageRequest::new(
                Model::CLAUDE_SONNET_5,
                64,
                vec![MessageParam::user(*question)],
            );
            BatchRequest::new(*id, params)
        })
        .collect();
    let batch = batches.create(requests).await?;
    eprintln!("created {} ({})", batch.id, batch.processing_status);

    let ended = batches.wait(&batch.id).interval(interval).await?;
    let counts = &ended.request_counts;
    eprintln!(
        "ended: {} succeeded, {} errored, {} canceled, {} expired",
        counts.succeeded, counts.errored, counts.canceled, counts.expired
    );

    let mut results = batches.results(&batch.id).await?;
    while let Some(line) = results.next().await {
        let line = line?;
        match &line.result {
            BatchResult::Succeeded(ok) => println!("{}: {}", line.custom_id, ok.message.text()),
            BatchResult::Errored(failed) => {
                println!("{}: error: {}", line.custom_id, failed.error.error.message)
            }
            BatchResult::Canceled(_) => println!("{}: canceled", line.custom_id),
            BatchResult::Expired(_) => println!("{}: expired", line.custom_id),
            other => println!("{}: {other:?}", line.custom_id),
        }
    }
    Ok(())
}
