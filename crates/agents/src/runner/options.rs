//! How a [`SessionToolRunner`](super::SessionToolRunner) runs calls and
//! when it stops.

use std::time::Duration;

use crate::resume::ResumeOptions;

/// How calls run.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CallOptions {
    /// Calls running at once; the calls of one session thread always run
    /// one at a time. Default is `1` (tools need not be safe to call
    /// concurrently); values below 1 count as 1.
    pub max_concurrent_calls: usize,
    /// How long one call may run before it is stopped and answered with an
    /// `is_error` result saying it timed out. Default is 325 s (longer than
    /// the `bash` tool's own timeout, so that it reports its own); `None`
    /// sets no limit.
    pub tool_timeout: Option<Duration>,
    /// Answer an `agent.custom_tool_use` of a tool the runner does not have
    /// with an `is_error` result naming it (and the tools it has). Default is
    /// `true`; `false` leaves such calls to another consumer of the session
    /// (the official Python runner's behaviour). An `agent.tool_use` of a
    /// tool the runner does not have is always left alone: the environment
    /// runs it.
    pub answer_unknown_tools: bool,
    /// Attempts at posting one result, the first included; between two,
    /// the history is read, so a POST that landed but whose answer was lost
    /// is never repeated. Default is `5`.
    pub post_attempts: u32,
}

impl Default for CallOptions {
    fn default() -> Self {
        Self {
            max_concurrent_calls: 1,
            tool_timeout: Some(Duration::from_secs(325)),
            answer_unknown_tools: true,
            post_attempts: 5,
        }
    }
}

/// When the runner stops (besides termination and deletion, which always
/// stop it).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StopOptions {
    /// How long the session may stay idle (with any stop reason but
    /// `requires_action`) with no call left before the runner stops.
    /// Default is 60 s; `None` runs until the session ends.
    pub max_idle: Option<Duration>,
    /// How often the session's status is read, because archiving a session
    /// adds no event to it. Default is 60 s; `None` reads it only at the
    /// start.
    pub status_interval: Option<Duration>,
}

impl Default for StopOptions {
    fn default() -> Self {
        Self {
            max_idle: Some(Duration::from_secs(60)),
            status_interval: Some(Duration::from_secs(60)),
        }
    }
}

impl StopOptions {
    /// The idle time after which the runner stops. Default is 60 s.
    pub fn max_idle(mut self, max_idle: Option<Duration>) -> Self {
        self.max_idle = max_idle;
        self
    }

    /// How often the session's status is read. Default is 60 s.
    pub fn status_interval(mut self, every: Option<Duration>) -> Self {
        self.status_interval = every;
        self
    }
}

impl CallOptions {
    /// Calls running at once. Default is `1`.
    pub fn max_concurrent_calls(mut self, max: usize) -> Self {
        self.max_concurrent_calls = max;
        self
    }

    /// How long one call may run. Default is 325 s.
    pub fn tool_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.tool_timeout = timeout;
        self
    }

    /// Whether to answer calls of unknown custom tools. Default is `true`.
    pub fn answer_unknown_tools(mut self, answer: bool) -> Self {
        self.answer_unknown_tools = answer;
        self
    }

    /// Attempts at posting one result. Default is `5`.
    pub fn post_attempts(mut self, attempts: u32) -> Self {
        self.post_attempts = attempts;
        self
    }
}

/// Every option of a runner, grouped.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RunnerOptions {
    /// How calls run.
    pub calls: CallOptions,
    /// When the runner stops.
    pub stop: StopOptions,
    /// How the session's events are read. Default is
    /// [`ResumeOptions::default`] (the history first, so calls that waited
    /// from before the runner started are answered).
    pub events: ResumeOptions,
}
