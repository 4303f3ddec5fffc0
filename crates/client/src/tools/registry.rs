//! [`ToolSet`]: tools by name, and running the calls of one reply.

use std::any::Any;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use claude_rs_types::content::{ToolResultBlock, ToolUseBlock};
use claude_rs_types::tool::Tool;
use futures_util::FutureExt;
use futures_util::future::join_all;

use super::{RunnableTool, ToolFuture, failed};
use crate::telemetry::RunnerTrace;

/// The tools a runner can call, by name.
///
/// ```
/// use claude_rs_client::tools::{ToolSet, TypedTool};
/// use claude_rs_types::content::{ToolResultContent, ToolUseBlock};
/// use claude_rs_types::tool::CustomTool;
/// use serde_json::{Value, json};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let object = || json!({"type": "object"});
/// let mut tools = ToolSet::new();
/// tools.add(TypedTool::for_definition(CustomTool::new("echo", object()), |input: Value| async move {
///     input.to_string()
/// }));
/// tools.add(TypedTool::for_definition(CustomTool::new("save", object()), |_: Value| async move {
///     Err::<String, _>("the disk is full")
/// }));
/// assert_eq!(tools.definitions().count(), 2);
///
/// // The calls of one reply run concurrently; the results keep their order.
/// let calls = [
///     ToolUseBlock::new("toolu_1", "echo", json!({"n": 1})),
///     ToolUseBlock::new("toolu_2", "save", json!({})),
///     ToolUseBlock::new("toolu_3", "search", json!({})),
/// ];
/// let results = tools.run(&calls).await;
/// assert_eq!(results[0].content, Some(ToolResultContent::Text(r#"{"n":1}"#.into())));
/// assert_eq!(results[1].content, Some(ToolResultContent::Text("the disk is full".into())));
/// assert_eq!(results[1].is_error, Some(true));
/// let Some(ToolResultContent::Text(unknown)) = &results[2].content else { panic!("text") };
/// assert!(unknown.starts_with("unknown tool `search`"), "{unknown}");
/// # }
/// ```
#[derive(Clone, Default)]
pub struct ToolSet {
    tools: Vec<Arc<dyn RunnableTool>>,
}

impl fmt::Debug for ToolSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.tools.iter().map(|tool| tool.name()))
            .finish()
    }
}

impl ToolSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a tool; a tool of the same name is replaced, since the model
    /// could not tell two of them apart.
    pub fn add(&mut self, tool: impl RunnableTool + 'static) {
        self.add_shared(Arc::new(tool));
    }

    /// Adds a tool shared with other sets.
    pub fn add_shared(&mut self, tool: Arc<dyn RunnableTool>) {
        self.tools.retain(|known| known.name() != tool.name());
        self.tools.push(tool);
    }

    /// Adds every tool of `other` (replacing tools of the same names).
    pub fn merge(&mut self, other: ToolSet) {
        other
            .tools
            .into_iter()
            .for_each(|tool| self.add_shared(tool));
    }

    /// The tool called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn RunnableTool>> {
        self.tools.iter().find(|tool| tool.name() == name)
    }

    /// The definitions to send in the request's `tools`, in the order added.
    pub fn definitions(&self) -> impl Iterator<Item = Tool> + '_ {
        self.tools.iter().map(|tool| tool.definition())
    }

    /// Runs the calls concurrently and answers each, in the order of
    /// `calls`: the result, or an `is_error` result for an unknown tool, an
    /// input that does not decode, a failed call or a panicking one.
    pub async fn run(&self, calls: &[ToolUseBlock]) -> Vec<ToolResultBlock> {
        join_all(calls.iter().map(|call| self.run_one(call))).await
    }

    /// [`run`](Self::run), each call in a tool span under the run's span.
    pub(crate) async fn run_traced(
        &self,
        calls: &[ToolUseBlock],
        runner: &RunnerTrace,
    ) -> Vec<ToolResultBlock> {
        join_all(calls.iter().map(|call| {
            let description = runner
                .is_active()
                .then(|| self.description(&call.name))
                .flatten();
            let trace = runner.tool(call, description);
            let running = self.run_one(call);
            async move {
                let result = trace.instrument(running).await;
                trace.finish(&result);
                result
            }
        }))
        .await
    }

    /// The description of the tool named `name`.
    fn description(&self, name: &str) -> Option<String> {
        match self.get(name)?.definition() {
            Tool::Custom(tool) => tool.description,
            _ => None,
        }
    }

    fn run_one(&self, call: &ToolUseBlock) -> impl Future<Output = ToolResultBlock> + use<> {
        let id = call.id.clone();
        let running: ToolFuture = match self.get(&call.name) {
            // A panic inside `call` itself is caught like one in its future.
            Some(tool) => {
                std::panic::catch_unwind(AssertUnwindSafe(|| tool.call(call.input.clone())))
                    .unwrap_or_else(|panic| failed(panic_message(&*panic)))
            }
            None => failed(format!(
                "unknown tool `{}`; the tools are: {}",
                call.name,
                self.names()
            )),
        };
        async move {
            let output = AssertUnwindSafe(running)
                .catch_unwind()
                .await
                .unwrap_or_else(|panic| Err(panic_message(&*panic)));
            match output {
                Ok(content) => ToolResultBlock::new(id, content, false),
                Err(message) => ToolResultBlock::error(id, message),
            }
        }
    }

    fn names(&self) -> String {
        let names: Vec<String> = self
            .tools
            .iter()
            .map(|tool| format!("`{}`", tool.name()))
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    }
}

/// A tool that panics is a bug in the tool, but the conversation must go on
/// with an answer to every call; the panic's message becomes the error.
fn panic_message(panic: &(dyn Any + Send)) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    format!("the tool panicked: {detail}")
}
