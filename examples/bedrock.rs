//! Claude on Amazon Bedrock: a message, a stream (eventstream frames) and
//! a token count (Bedrock's own count-tokens), then the same on Mantle,
//! Bedrock's first-party endpoint.
//!
//! ```sh
//! cargo run --example bedrock
//! ```
//!
//! With `AWS_BEARER_TOKEN_BEDROCK`, or AWS keys (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) or `AWS_PROFILE`, and
//! `AWS_REGION`, it calls Bedrock (`ANTHROPIC_BEDROCK_BASE_URL` and
//! `ANTHROPIC_BEDROCK_MANTLE_BASE_URL` override the addresses). Without
//! credentials it runs against the embedded mock, which checks the SigV4
//! signature of every request.

#[path = "common/platform.rs"]
mod platform;

use platform::Platform;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    platform::show(&platform::connect(Platform::Bedrock).await?).await?;
    platform::show(&platform::connect(Platform::BedrockMantle).await?).await?;
    Ok(())
}
