//! Lists every available model, following pages automatically.
//!
//! ```sh
//! cargo run --example models
//! ```
//!
//! Uses the real API when `ANTHROPIC_API_KEY` is set (at
//! `ANTHROPIC_BASE_URL` if given), else the embedded mock.

#![allow(clippy::print_stdout)]

mod common;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = common::connect().await?;
    let models = target.client.models();

    // Small pages, to show the stream fetching one page after another.
    let mut all = models.list().limit(3).into_stream();
    let mut first = None;
    while let Some(model) = all.next().await {
        let model = model?;
        println!(
            "{:<32} {:<24} {}",
            model.id, model.display_name, model.created_at
        );
        first.get_or_insert(model.id);
    }

    if let Some(id) = first {
        let latest = models.retrieve(&id).with_response().await?;
        println!(
            "newest: {} (request id {})",
            latest.display_name,
            latest.request_id().unwrap_or("-")
        );
    }
    Ok(())
}
