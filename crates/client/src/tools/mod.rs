//! Tools: typed tool functions and a runner that drives the tool-use loop.
//!
//! ```
//! # #[cfg(feature = "schemars")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use claude_rs_client::Client;
//! use claude_rs_client::tools::{ToolRunner, TypedTool};
//! use claude_rs_types::{CreateMessageRequest, MessageParam};
//! use serde::Deserialize;
//!
//! /// Get the current weather in a city.
//! #[derive(Deserialize, schemars::JsonSchema)]
//! struct GetWeather {
//!     /// City and country, e.g. "Paris, France".
//!     location: String,
//! }
//!
//! # let server = claude_rs_mock::MockServer::start().await;
//! # server.enqueue(claude_rs_mock::MockResponse::tool_use("get_weather", serde_json::json!({"location": "Paris"})));
//! # server.enqueue(claude_rs_mock::MockResponse::text("Sunny, 21°C."));
//! # let client = Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
//! let weather = TypedTool::new("get_weather", "Current weather", |input: GetWeather| async move {
//!     Ok::<_, std::convert::Infallible>(format!("Sunny, 21°C in {}", input.location))
//! })?;
//! let request = CreateMessageRequest::new(
//!     "claude-sonnet-4-5",
//!     1024,
//!     vec![MessageParam::user("Weather in Paris?")],
//! );
//! let outcome = ToolRunner::builder(client, request).tool(weather).build().until_done().await?;
//! assert_eq!(outcome.message.text(), "Sunny, 21°C.");
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "schemars"))]
//! # fn main() {}
//! ```
//!
//! A tool is anything implementing [`RunnableTool`]: its definition (sent in
//! `tools`) and an async function from `tool_use.input` to a result.
//! [`TypedTool`] builds one from a Rust input type and an async closure; a
//! raw-JSON tool is a `TypedTool` whose input type is `serde_json::Value`.
//! The Anthropic-defined client tools (`bash`, text editor, `memory`,
//! `computer`) are `TypedTool::for_definition(BashTool::default(), ..)` with
//! the typed inputs of [`claude_rs_types::tool_input`].
//!
//! Whatever goes wrong in a tool goes back to the model as an `is_error`
//! tool result that says what happened, never as a failure of the run: the
//! model can often recover (fix its input, try another tool), and every
//! `tool_use` must be answered for the conversation to stay valid.

mod registry;
mod runner;
mod typed;

use std::future::Future;
use std::pin::Pin;

use claude_rs_types::content::ToolResultContent;
use claude_rs_types::tool::Tool;
use serde_json::Value;

pub use registry::ToolSet;
pub use runner::{RunOutcome, RunStop, ToolRunner, ToolRunnerBuilder};
pub use typed::TypedTool;

/// The `schemars` version the typed tools use, for `#[derive(JsonSchema)]`
/// without a separate dependency (`#[schemars(crate = "claude_rs_client::tools::schemars")]`).
#[cfg(feature = "schemars")]
pub use schemars;

/// What a tool call produces: the result's content, or the error message the
/// model will read (sent with `is_error: true`).
pub type ToolOutput = Result<ToolResultContent, String>;

/// A running tool call.
pub type ToolFuture = Pin<Box<dyn Future<Output = ToolOutput> + Send>>;

/// A tool the runner can call: a definition and an async function.
///
/// The future is `'static` so that calls of one reply can run concurrently
/// while the runner keeps going; clone what the call needs into it.
pub trait RunnableTool: Send + Sync {
    /// The name the model calls it by (`tool_use.name`).
    fn name(&self) -> &str;

    /// The definition sent in the request's `tools`.
    fn definition(&self) -> Tool;

    /// Runs one call with the model's input.
    fn call(&self, input: Value) -> ToolFuture;
}

/// A call that failed before it started.
fn failed(message: String) -> ToolFuture {
    Box::pin(std::future::ready(Err(message)))
}
