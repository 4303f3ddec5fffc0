//! Tools: typed tool functions and a runner that drives the tool-use loop.
//!
//! ```
//! # #[cfg(feature = "schemars")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use claude_rs_client::Client;
//! use claude_rs_client::tools::{ToolRunner, TypedTool, schemars};
//! use claude_rs_types::request::{CreateMessageRequest, MessageParam};
//! use serde::Deserialize;
//!
//! /// Get the current weather in a city.
//! // `schemars` is the client's re-export: no dependency of your own, and
//! // always the major version the client derives schemas with.
//! #[derive(Deserialize, schemars::JsonSchema)]
//! #[schemars(crate = "claude_rs_client::tools::schemars")]
//! struct GetWeather {
//!     /// City and country, e.g. "Paris, France".
//!     location: String,
//! }
//!
//! # let server = claude_rs_mock::MockServer::start().await;
//! # server.enqueue(claude_rs_mock::MockResponse::tool_use("get_weather", serde_json::json!({"location": "Paris"})));
//! # server.enqueue(claude_rs_mock::MockResponse::text("Sunny, 21°C."));
//! # let client = Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
//! // A handler that cannot fail returns its result; one that can returns a
//! // `Result` (see `IntoToolOutput`).
//! let weather = TypedTool::new("get_weather", "Current weather", |input: GetWeather| async move {
//!     format!("Sunny, 21°C in {}", input.location)
//! })?;
//! let request = CreateMessageRequest::new(
//!     "claude-sonnet-5",
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

use std::fmt::Display;

use claude_rs_types::content::ContentBlock;
use claude_rs_types::content::ToolResultContent;
use claude_rs_types::tool::Tool;
use serde_json::Value;

pub use registry::ToolSet;
pub use runner::{RunOutcome, RunStop, ToolRunner, ToolRunnerBuilder};
pub use typed::TypedTool;

/// The `schemars` crate (1.x) the typed tools and
/// [`Messages::parse`](crate::messages::Messages::parse) derive schemas
/// with, so input and output types can derive `JsonSchema` with no
/// dependency of your own and no version to match. The derive must be told
/// where the crate is, with
/// `#[schemars(crate = "claude_rs_client::tools::schemars")]`, as in the
/// example of this module.
#[cfg(feature = "schemars")]
pub use schemars;

/// What a tool call produces: the result's content, or the error message the
/// model will read (sent with `is_error: true`).
pub type ToolOutput = Result<ToolResultContent, String>;

/// What a tool's handler returns: its result itself when the handler cannot
/// fail (a `String`, a `&str`, a [`ToolResultContent`], content blocks), or
/// a `Result` of one, whose error's `Display` becomes the `is_error` result
/// the model reads.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use claude_rs_client::tools::{RunnableTool, TypedTool};
/// use claude_rs_types::tool::CustomTool;
/// use serde_json::{Value, json};
///
/// let object = || json!({"type": "object"});
/// // Cannot fail: the handler returns the text.
/// let now = TypedTool::for_definition(CustomTool::new("now", object()), |_: Value| async {
///     "12:00 UTC".to_owned()
/// });
/// // May fail: a `Result` with any `Display` error.
/// let divide = TypedTool::for_definition(CustomTool::new("divide", object()), |input: Value| async move {
///     let (a, b) = (input["a"].as_f64().unwrap_or(0.0), input["b"].as_f64().unwrap_or(0.0));
///     if b == 0.0 { Err("division by zero") } else { Ok((a / b).to_string()) }
/// });
/// assert_eq!(now.call(json!({})).await, Ok("12:00 UTC".into()));
/// assert_eq!(divide.call(json!({"a": 1, "b": 4})).await, Ok("0.25".into()));
/// assert_eq!(divide.call(json!({"a": 1, "b": 0})).await, Err("division by zero".into()));
/// # }
/// ```
pub trait IntoToolOutput {
    /// The result the model will read.
    fn into_tool_output(self) -> ToolOutput;
}

impl<R: Into<ToolResultContent>, E: Display> IntoToolOutput for Result<R, E> {
    fn into_tool_output(self) -> ToolOutput {
        self.map(Into::into).map_err(|error| error.to_string())
    }
}

/// Results that are never errors.
macro_rules! infallible_output {
    ($($output:ty),+) => {$(
        impl IntoToolOutput for $output {
            fn into_tool_output(self) -> ToolOutput {
                Ok(self.into())
            }
        }
    )+};
}

infallible_output!(String, &str, ToolResultContent, Vec<ContentBlock>);

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
