//! [`TypedTool`]: a tool from a Rust input type and an async function.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use claude_rs_types::tool::Tool;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{IntoToolOutput, RunnableTool, ToolFuture, failed};

/// A tool whose input is decoded into `T` before `handler` runs.
///
/// An input that does not decode (a missing field, a wrong type, an unknown
/// command) never reaches the handler: the model gets an `is_error` result
/// with serde's message, which names the field, so it can correct itself.
/// The handler returns its result, or a `Result` of one when it can fail
/// ([`IntoToolOutput`]); an error becomes an `is_error` result with the
/// error's `Display`.
///
/// ```
/// # #[cfg(feature = "schemars")]
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use claude_rs_client::tools::{RunnableTool, TypedTool};
/// use serde_json::json;
///
/// /// The current weather in a city.
/// #[derive(serde::Deserialize, claude_rs_client::tools::schemars::JsonSchema)]
/// #[schemars(crate = "claude_rs_client::tools::schemars")]
/// struct GetWeather {
///     /// The city, e.g. Paris.
///     city: String,
/// }
///
/// let tool = TypedTool::new("get_weather", "The current weather", |input: GetWeather| async move {
///     match input.city.as_str() {
///         "Atlantis" => Err("no weather station there"),
///         city => Ok(format!("Sunny, 21°C in {city}")),
///     }
/// })?;
/// let definition = serde_json::to_value(tool.definition())?;
/// assert_eq!(definition["name"], "get_weather");
/// assert_eq!(definition["input_schema"]["properties"]["city"]["description"], "The city, e.g. Paris.");
///
/// // What the runner does with each call of the model:
/// assert_eq!(tool.call(json!({"city": "Oslo"})).await, Ok("Sunny, 21°C in Oslo".into()));
/// assert_eq!(tool.call(json!({"city": "Atlantis"})).await, Err("no weather station there".into()));
/// let bad_input = tool.call(json!({"town": "Oslo"})).await.unwrap_err();
/// assert!(bad_input.contains("missing field `city`"), "{bad_input}");
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "schemars"))]
/// # fn main() {}
/// ```
pub struct TypedTool<T, F> {
    name: String,
    definition: Tool,
    handler: F,
    input: PhantomData<fn(T)>,
}

impl<T, F> fmt::Debug for TypedTool<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedTool")
            .field("name", &self.name)
            .field("input", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

impl<T, F, Fut> TypedTool<T, F>
where
    T: DeserializeOwned + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoToolOutput,
{
    /// A custom tool whose input schema is derived from `T` (doc comments
    /// become descriptions; see [`claude_rs_types::tool_schema`]).
    #[cfg(feature = "schemars")]
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        handler: F,
    ) -> Result<Self, claude_rs_types::tool_schema::SchemaError>
    where
        T: schemars::JsonSchema,
    {
        let tool = claude_rs_types::tool::CustomTool::for_input::<T>(name)?;
        Ok(Self::for_definition(
            tool.with_description(description),
            handler,
        ))
    }

    /// Like [`TypedTool::new`] with `strict: true`: the model's input is
    /// guaranteed to match the schema (every object closed).
    #[cfg(feature = "schemars")]
    pub fn strict(
        name: impl Into<String>,
        description: impl Into<String>,
        handler: F,
    ) -> Result<Self, claude_rs_types::tool_schema::SchemaError>
    where
        T: schemars::JsonSchema,
    {
        let tool = claude_rs_types::tool::CustomTool::for_input_strict::<T>(name)?;
        Ok(Self::for_definition(
            tool.with_description(description),
            handler,
        ))
    }

    /// A tool with a definition of your own: a hand-written custom tool, or
    /// an Anthropic-defined one such as `TextEditorTool::default()` with
    /// `T = TextEditorInput`. With `T = serde_json::Value` this is a raw
    /// JSON tool. The name is the definition's (a definition without a
    /// name never matches a call).
    pub fn for_definition(definition: impl Into<Tool>, handler: F) -> Self {
        let definition = definition.into();
        Self {
            name: definition.name().unwrap_or_default().to_owned(),
            definition,
            handler,
            input: PhantomData,
        }
    }
}

impl<T, F, Fut> RunnableTool for TypedTool<T, F>
where
    T: DeserializeOwned + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoToolOutput,
{
    fn name(&self) -> &str {
        &self.name
    }

    fn definition(&self) -> Tool {
        self.definition.clone()
    }

    fn call(&self, input: Value) -> ToolFuture {
        match serde_json::from_value::<T>(input) {
            Ok(input) => {
                let running = (self.handler)(input);
                Box::pin(async move { running.await.into_tool_output() })
            }
            Err(error) => {
                let message = format!("invalid input for tool `{}`: {error}", self.name);
                failed(message)
            }
        }
    }
}
