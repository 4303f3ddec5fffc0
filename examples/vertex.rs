//! Claude on Google Vertex AI: a message, a stream and a token count.
//!
//! ```sh
//! cargo run --example vertex
//! ```
//!
//! With `ANTHROPIC_VERTEX_PROJECT_ID` and `CLOUD_ML_REGION` set it calls
//! Vertex AI, authenticated by Application Default Credentials
//! (`GOOGLE_APPLICATION_CREDENTIALS`, the gcloud ADC file or the metadata
//! server; `ANTHROPIC_VERTEX_BASE_URL` overrides the address). Otherwise it
//! runs against the embedded mock, which checks the bearer token.

#[path = "common/platform.rs"]
mod platform;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    platform::show(&platform::connect(platform::Platform::Vertex).await?).await?;
    Ok(())
}
