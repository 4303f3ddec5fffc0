//! Claude on Microsoft Foundry: a message, a stream and a token count.
//!
//! ```sh
//! cargo run --example foundry
//! ```
//!
//! With `ANTHROPIC_FOUNDRY_API_KEY` and `ANTHROPIC_FOUNDRY_RESOURCE` (or
//! `ANTHROPIC_FOUNDRY_BASE_URL`) set it calls Foundry; otherwise it runs
//! against the embedded mock, which checks the key.

#[path = "common/platform.rs"]
mod platform;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    platform::show(&platform::connect(platform::Platform::Foundry).await?).await?;
    Ok(())
}
