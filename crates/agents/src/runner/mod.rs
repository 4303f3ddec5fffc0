//! The session tool runner: answers a session's tool calls with the tools
//! of [`claude_rs_client::tools`] (the same [`RunnableTool`] trait as the
//! Messages tool runner).
//!
//! ```no_run
//! use claude_rs_agents::runner::{SessionToolRunner, RunnerStop};
//! use claude_rs_client::Client;
//! use claude_rs_client::tools::TypedTool;
//! use claude_rs_types::tool::CustomTool;
//! use serde_json::{Value, json};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), claude_rs_client::Error> {
//! let client = Client::new()?;
//! let schema = json!({"type": "object", "properties": {"text": {"type": "string"}}});
//! let word_count = TypedTool::for_definition(CustomTool::new("word_count", schema), |input: Value| async move {
//!     input["text"].as_str().unwrap_or_default().split_whitespace().count().to_string()
//! });
//! let mut runner = SessionToolRunner::builder(client, "sesn_...").tool(word_count).build();
//! while let Some(call) = runner.next().await {
//!     let call = call?;
//!     println!("{} {} -> {:?}", call.name, call.input, call.outcome);
//! }
//! println!("stopped: {:?}", runner.stopped());
//! # Ok(())
//! # }
//! ```
//!
//! What it does:
//!
//! * It reads the session through a [`ResumableStream`](crate::resume::ResumableStream),
//!   the history first, so calls that waited from before it started are
//!   answered, and a call already answered (a `user.custom_tool_result` or
//!   `user.tool_result` naming it) is never answered again.
//! * An `agent.custom_tool_use` is answered with a `user.custom_tool_result`;
//!   an `agent.tool_use` of a tool the runner has (the tools a self-hosted
//!   environment runs on the application's side) with a `user.tool_result`.
//! * A call whose `evaluated_permission` is `ask` waits for its
//!   `user.tool_confirmation`: `allow` runs it, `deny` does not (the call is
//!   handed over as [`CallOutcome::Denied`]). The runner never confirms
//!   anything itself.
//! * Calls run concurrently up to [`CallOptions::max_concurrent_calls`], one
//!   at a time per session thread, each bounded by
//!   [`CallOptions::tool_timeout`].
//! * A tool that fails, panics or times out, and (by default) a custom tool
//!   the runner does not have, is answered with an `is_error` result saying
//!   so; the runner goes on.
//! * Each result is posted once: the client's retries are off for these
//!   POSTs, and before posting again after a failure whose outcome is
//!   unknown, the runner reads the session's results to see whether the
//!   first POST landed.
//! * It stops when the session terminates, is deleted or archived, after
//!   [`StopOptions::max_idle`] of idleness, on [`StopHandle::stop`], or when
//!   dropped (running calls are dropped with it).

mod call;
mod drive;
mod options;
mod post;
mod schedule;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use claude_rs_client::tools::{RunnableTool, ToolSet};
use claude_rs_client::{Client, Error};
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

pub use call::{CallKind, CallOutcome, DispatchedCall, RunOutcome, RunnerStop};
pub use options::{CallOptions, RunnerOptions, StopOptions};

use crate::resume::ResumeOptions;
use drive::{Driver, Report};

/// Answers the tool calls of one session; see the [module](self).
///
/// It runs on a task of its own from [`build`](SessionToolRunnerBuilder::build)
/// on (so it must be built inside a Tokio runtime); [`next`](Self::next)
/// hands over each call as it is dealt with.
pub struct SessionToolRunner {
    reports: mpsc::UnboundedReceiver<Report>,
    task: AbortHandle,
    stop: Arc<watch::Sender<bool>>,
    stopped: Option<RunnerStop>,
}

impl fmt::Debug for SessionToolRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionToolRunner")
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

impl Drop for SessionToolRunner {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SessionToolRunner {
    /// A builder for a runner of session `session_id` on `client`.
    pub fn builder(client: Client, session_id: impl Into<String>) -> SessionToolRunnerBuilder {
        SessionToolRunnerBuilder {
            client,
            session_id: session_id.into(),
            tools: ToolSet::new(),
            options: RunnerOptions::default(),
        }
    }

    /// The next call dealt with; `None` once the runner stopped (then
    /// [`stopped`](Self::stopped) says why). An error (the session cannot be
    /// read, the key is refused) is returned once, and ends the run.
    pub async fn next(&mut self) -> Option<Result<DispatchedCall, Error>> {
        if self.stopped.is_some() {
            return None;
        }
        match self.reports.recv().await {
            Some(Report::Call(call)) => Some(Ok(call)),
            Some(Report::End(Ok(stop))) => {
                self.stopped = Some(stop);
                None
            }
            Some(Report::End(Err(error))) => {
                self.stopped = Some(RunnerStop::Stopped);
                Some(Err(error))
            }
            None => {
                self.stopped = Some(RunnerStop::Stopped);
                None
            }
        }
    }

    /// Why the runner stopped, once [`next`](Self::next) returned `None`.
    pub fn stopped(&self) -> Option<RunnerStop> {
        self.stopped
    }

    /// A handle that stops the runner from elsewhere.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle(Arc::clone(&self.stop))
    }

    /// Runs until the runner stops, and returns every call dealt with.
    pub async fn until_done(mut self) -> Result<RunOutcome, Error> {
        let mut calls = Vec::new();
        while let Some(call) = self.next().await {
            calls.push(call?);
        }
        Ok(RunOutcome {
            calls,
            stop: self.stopped.unwrap_or(RunnerStop::Stopped),
        })
    }
}

/// Stops a [`SessionToolRunner`]: running calls are dropped, waiting ones
/// never start, and the runner ends with [`RunnerStop::Stopped`].
#[derive(Debug, Clone)]
pub struct StopHandle(Arc<watch::Sender<bool>>);

impl StopHandle {
    /// Stops the runner.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

/// Builds a [`SessionToolRunner`].
#[derive(Debug)]
#[must_use = "a builder does nothing until built"]
pub struct SessionToolRunnerBuilder {
    client: Client,
    session_id: String,
    tools: ToolSet,
    options: RunnerOptions,
}

impl SessionToolRunnerBuilder {
    /// Adds a tool (one of the same name is replaced).
    pub fn tool(mut self, tool: impl RunnableTool + 'static) -> Self {
        self.tools.add(tool);
        self
    }

    /// Adds every tool of `tools`.
    pub fn tools(mut self, tools: ToolSet) -> Self {
        self.tools.merge(tools);
        self
    }

    /// Every option at once. Default is [`RunnerOptions::default`].
    pub fn options(mut self, options: RunnerOptions) -> Self {
        self.options = options;
        self
    }

    /// How calls run. Default is [`CallOptions::default`].
    pub fn calls(mut self, calls: CallOptions) -> Self {
        self.options.calls = calls;
        self
    }

    /// When the runner stops. Default is [`StopOptions::default`].
    pub fn stop_when(mut self, stop: StopOptions) -> Self {
        self.options.stop = stop;
        self
    }

    /// How the session's events are read. Default is
    /// [`ResumeOptions::default`] (the history first).
    pub fn events(mut self, events: ResumeOptions) -> Self {
        self.options.events = events;
        self
    }

    /// Calls running at once (one per thread). Default is `1`.
    pub fn max_concurrent_calls(mut self, max: usize) -> Self {
        self.options.calls.max_concurrent_calls = max;
        self
    }

    /// How long one call may run. Default is 325 s; `None`: no limit.
    pub fn tool_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.options.calls.tool_timeout = timeout;
        self
    }

    /// How long the session may stay idle before the runner stops. Default
    /// is 60 s; `None`: until the session ends.
    pub fn max_idle(mut self, max_idle: Option<Duration>) -> Self {
        self.options.stop.max_idle = max_idle;
        self
    }

    /// Starts the runner on a task of its own (inside a Tokio runtime).
    pub fn build(self) -> SessionToolRunner {
        let (reports, receiver) = mpsc::unbounded_channel();
        let (stop, stop_receiver) = watch::channel(false);
        let driver = Driver {
            client: self.client,
            session_id: self.session_id,
            tools: Arc::new(self.tools),
            options: self.options,
            reports,
            stop: stop_receiver,
        };
        let task = tokio::spawn(driver.run()).abort_handle();
        SessionToolRunner {
            reports: receiver,
            task,
            stop: Arc::new(stop),
            stopped: None,
        }
    }
}
