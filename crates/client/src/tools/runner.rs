//! [`ToolRunner`]: the tool-use loop.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use claude_rs_types::config::ContainerParam;
use claude_rs_types::content::{ContentBlock, ToolUseBlock};
use claude_rs_types::{
    message::Message, message::StopReason, request::CreateMessageRequest, request::MessageParam,
};
use futures_core::Stream;

use futures_util::future::BoxFuture;

use super::{RunnableTool, ToolSet};
use crate::core::client::Client;
use crate::core::error::{Error, InvalidRequestKind};
use crate::telemetry::RunnerTrace;

/// Why a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunStop {
    /// The model answered without asking for a tool (`end_turn`,
    /// `stop_sequence`, or `tool_use` with no client tool call).
    Finished,
    /// `max_iterations` calls of the model were made. The tools of the last
    /// reply ran and their results end the conversation, so it can be sent
    /// again to carry on.
    MaxIterations,
    /// The model stopped for a reason that ends the run without a finished
    /// answer: `max_tokens`, `refusal`, `model_context_window_exceeded`, an
    /// unknown reason, or none. Tool calls of that reply were not run.
    StopReason(Option<StopReason>),
}

/// The end of a run.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunOutcome {
    /// The last reply of the model.
    pub message: Message,
    /// The whole conversation: the request's messages, every reply and
    /// every turn of tool results.
    pub messages: Vec<MessageParam>,
    /// Why the run ended.
    pub stop: RunStop,
    /// How many times the model was called.
    pub iterations: u32,
}

/// Configures a [`ToolRunner`].
#[derive(Debug)]
#[must_use = "call .build() to get the runner"]
pub struct ToolRunnerBuilder {
    state: RunState,
}

impl ToolRunnerBuilder {
    /// Registers a tool (its definition is added to the request's `tools`).
    pub fn tool(mut self, tool: impl RunnableTool + 'static) -> Self {
        Arc::make_mut(&mut self.state.tools).add(tool);
        self
    }

    /// Registers every tool of a set.
    pub fn tools(mut self, tools: ToolSet) -> Self {
        Arc::make_mut(&mut self.state.tools).merge(tools);
        self
    }

    /// Stops after this many calls of the model (no limit by default, as
    /// in the official SDKs). `0` makes no call at all.
    pub fn max_iterations(mut self, max: u32) -> Self {
        self.state.max_iterations = Some(max);
        self
    }

    /// Streams each reply (`messages().stream`) instead of asking for it
    /// whole (`messages().create`); the runner sees the same messages, but
    /// long replies avoid the non-streaming duration limit.
    pub fn streaming(mut self, streaming: bool) -> Self {
        self.state.streaming = streaming;
        self
    }

    /// The runner. The request's `tools` get the definitions of the
    /// registered tools that it does not already name.
    pub fn build(mut self) -> ToolRunner {
        let tools = self.state.request.tools.get_or_insert_with(Vec::new);
        for definition in self.state.tools.definitions() {
            let name = definition.name().map(str::to_owned);
            if !tools
                .iter()
                .any(|known| known.name().map(str::to_owned) == name)
            {
                tools.push(definition);
            }
        }
        ToolRunner {
            phase: Phase::Idle(Box::new(self.state)),
        }
    }
}

/// Drives the tool-use loop.
///
/// One iteration is one call of the model. After each reply the runner
/// decides from its stop reason, as the official SDKs do:
///
/// * `tool_use`: run every client `tool_use` of the reply concurrently and
///   send the results back, in the order of the calls, in one user turn;
/// * `pause_turn`: the API paused a long server-tool turn; send the reply
///   back as it is (no results) so it continues;
/// * anything else ends the run: `end_turn` and `stop_sequence` as
///   [`RunStop::Finished`], the others (`max_tokens`, `refusal`, a full
///   context window, a reason this version does not know) as
///   [`RunStop::StopReason`]. Tool calls in such a reply are *not* run:
///   after `max_tokens` the last call's input may be cut off, and running a
///   half-written command is worse than not running it.
///
/// Reaching `max_iterations` is not an error: the run ends with
/// [`RunStop::MaxIterations`] and a full [`RunOutcome`], whose conversation
/// ends with the results of the last calls, ready to be sent again.
///
/// The container a reply used (`container.id`) is passed to the next
/// request, so code execution keeps its files across turns.
///
/// Iterate with [`ToolRunner::next`] (or as a [`Stream`]) to see each reply
/// of the model as it arrives, or call [`ToolRunner::until_done`] for the
/// outcome. Iteration is cancellation-safe: dropping a pending `next()`
/// keeps the call going, and the following `next()` resumes it.
///
/// ```
/// use claude_rs_client::tools::{RunStop, ToolRunner, TypedTool};
/// use claude_rs_types::tool::CustomTool;
/// use claude_rs_types::{request::CreateMessageRequest, request::MessageParam, message::StopReason};
/// use serde_json::{Value, json};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # server.enqueue(claude_rs_mock::MockResponse::tool_use("add", json!({"a": 2, "b": 3})));
/// # server.enqueue(claude_rs_mock::MockResponse::text("2 + 3 = 5."));
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// let schema = json!({"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}});
/// let add = TypedTool::for_definition(CustomTool::new("add", schema), |input: Value| async move {
///     let sum = input["a"].as_f64().unwrap_or(0.0) + input["b"].as_f64().unwrap_or(0.0);
///     sum.to_string()
/// });
/// let request = CreateMessageRequest::new("claude-sonnet-5", 1024, vec![MessageParam::user("2 + 3?")]);
/// let mut runner = ToolRunner::builder(client, request).tool(add).max_iterations(5).build();
///
/// // Each reply of the model as it arrives; the tools run in between.
/// let mut stops = Vec::new();
/// while let Some(reply) = runner.next().await {
///     stops.push(reply?.stop_reason);
/// }
/// assert_eq!(stops, [Some(StopReason::ToolUse), Some(StopReason::EndTurn)]);
/// let outcome = runner.until_done().await?;
/// assert_eq!((outcome.stop, outcome.message.text()), (RunStop::Finished, "2 + 3 = 5.".to_owned()));
///
/// // The second call sent the tool's result back.
/// let second = server.requests()[1].json.clone().expect("a JSON body");
/// assert_eq!(second["messages"][2]["content"][0]["content"], "5");
/// # Ok(())
/// # }
/// ```
pub struct ToolRunner {
    phase: Phase,
}

type Step = (Box<RunState>, Option<Result<Message, Error>>);

enum Phase {
    Idle(Box<RunState>),
    Busy(BoxFuture<'static, Step>),
    /// Only while switching phases, or after a panic in a step.
    Gone,
}

impl fmt::Debug for ToolRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.phase {
            Phase::Idle(state) => f.debug_tuple("ToolRunner").field(state).finish(),
            Phase::Busy(_) => f.write_str("ToolRunner(calling)"),
            Phase::Gone => f.write_str("ToolRunner(gone)"),
        }
    }
}

impl ToolRunner {
    /// A runner for `request` on `client`; add tools on the builder.
    pub fn builder(client: Client, request: CreateMessageRequest) -> ToolRunnerBuilder {
        ToolRunnerBuilder {
            state: RunState {
                client,
                request,
                tools: Arc::new(ToolSet::new()),
                max_iterations: None,
                streaming: false,
                iterations: 0,
                pending: Vec::new(),
                last: None,
                stop: None,
                failed: false,
                trace: None,
            },
        }
    }

    /// The next reply of the model, after running the tools the previous
    /// one asked for; `None` when the run is over. After an error the run
    /// is over.
    pub async fn next(&mut self) -> Option<Result<Message, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The conversation so far (`None` while a call is in flight).
    pub fn messages(&self) -> Option<&[MessageParam]> {
        match &self.phase {
            Phase::Idle(state) => Some(&state.request.messages),
            _ => None,
        }
    }

    /// Runs the loop to its end and returns the outcome. Called after
    /// iterating to the end, it returns the outcome at once.
    pub async fn until_done(mut self) -> Result<RunOutcome, Error> {
        while let Some(reply) = self.next().await {
            reply?;
        }
        let Phase::Idle(state) = self.phase else {
            return Err(Error::invalid_request(
                InvalidRequestKind::Usage,
                "the tool runner was lost to a panic",
            ));
        };
        let state = *state;
        match (state.last, state.stop) {
            (Some(message), Some(stop)) if !state.failed => Ok(RunOutcome {
                message,
                messages: state.request.messages,
                stop,
                iterations: state.iterations,
            }),
            (None, _) if !state.failed => Err(Error::invalid_request(
                InvalidRequestKind::Usage,
                "max_iterations is 0: the tool runner made no call",
            )),
            _ => Err(Error::invalid_request(
                InvalidRequestKind::Usage,
                "the tool run failed earlier (next() returned the error)",
            )),
        }
    }
}

impl Stream for ToolRunner {
    type Item = Result<Message, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Phase::Idle(_) = this.phase {
            let Phase::Idle(mut state) = std::mem::replace(&mut this.phase, Phase::Gone) else {
                unreachable!("matched just above")
            };
            this.phase = Phase::Busy(Box::pin(async move {
                let reply = state.step().await;
                (state, reply)
            }));
        }
        let Phase::Busy(running) = &mut this.phase else {
            return Poll::Ready(None);
        };
        match running.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((state, reply)) => {
                this.phase = Phase::Idle(state);
                Poll::Ready(reply)
            }
        }
    }
}

/// Everything a run owns; moved into the future of each step.
#[derive(Debug)]
struct RunState {
    client: Client,
    /// The request, whose `messages` is the conversation so far.
    request: CreateMessageRequest,
    tools: Arc<ToolSet>,
    max_iterations: Option<u32>,
    streaming: bool,
    iterations: u32,
    /// Calls of the last reply, run at the start of the next step.
    pending: Vec<ToolUseBlock>,
    last: Option<Message>,
    stop: Option<RunStop>,
    failed: bool,
    /// The run's span, from its first step to its end.
    trace: Option<RunnerTrace>,
}

impl RunState {
    /// One step in the run's span, which starts with the first step and
    /// ends with the run: `OK` when it finishes, the error when it fails.
    async fn step(&mut self) -> Option<Result<Message, Error>> {
        if self.stop.is_some() || self.failed {
            return None;
        }
        let trace = self
            .trace
            .take()
            .unwrap_or_else(|| RunnerTrace::start(self.client.origin(), &self.request));
        let reply = trace.instrument(self.turn(&trace)).await;
        let mut trace = trace;
        match &reply {
            Some(Err(error)) => trace.end(Some(error)),
            _ if self.stop.is_some() => trace.end(None),
            _ => {}
        }
        self.trace = Some(trace);
        reply
    }

    async fn turn(&mut self, trace: &RunnerTrace) -> Option<Result<Message, Error>> {
        if !self.pending.is_empty() {
            let calls = std::mem::take(&mut self.pending);
            let results = self.tools.run_traced(&calls, trace).await;
            let blocks: Vec<ContentBlock> =
                results.into_iter().map(ContentBlock::ToolResult).collect();
            self.request.messages.push(MessageParam::user(blocks));
        }
        if self
            .max_iterations
            .is_some_and(|max| self.iterations >= max)
        {
            self.stop = Some(RunStop::MaxIterations);
            return None;
        }
        self.iterations += 1;
        let reply = if self.streaming {
            match self.client.messages().stream(self.request.clone()).await {
                Ok(stream) => stream.final_message().await,
                Err(error) => Err(error),
            }
        } else {
            self.client.messages().create(self.request.clone()).await
        };
        let message = match reply {
            Ok(message) => message,
            Err(error) => {
                self.failed = true;
                return Some(Err(error));
            }
        };
        if let Some(container) = &message.container {
            self.request.container = Some(ContainerParam::Id(container.id.clone()));
        }
        self.request.messages.push(message.to_param());
        match &message.stop_reason {
            Some(StopReason::ToolUse) => {
                self.pending = message.tool_uses().cloned().collect();
                if self.pending.is_empty() {
                    self.stop = Some(RunStop::Finished);
                }
            }
            Some(StopReason::PauseTurn) => {}
            Some(StopReason::EndTurn | StopReason::StopSequence) => {
                self.stop = Some(RunStop::Finished);
            }
            other => self.stop = Some(RunStop::StopReason(other.clone())),
        }
        self.last = Some(message.clone());
        Some(Ok(message))
    }
}
