//! What the runner hands over for each call it dispatched.

use claude_rs_client::Error;
use claude_rs_types::content::ToolResultContent;
use serde_json::Value;

/// Which event asked for the call, and so which event answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallKind {
    /// `agent.custom_tool_use`, answered with `user.custom_tool_result`.
    Custom,
    /// `agent.tool_use` of a tool that runs on the application's side,
    /// answered with `user.tool_result`.
    Agent,
}

/// One tool call the runner dealt with.
#[derive(Debug)]
#[non_exhaustive]
pub struct DispatchedCall {
    /// The id of the `agent.custom_tool_use` / `agent.tool_use` event.
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// The input the agent gave.
    pub input: Value,
    /// Which event asked for it.
    pub kind: CallKind,
    /// The session thread it belongs to; `None` for the primary thread.
    pub thread_id: Option<String>,
    /// What became of it.
    pub outcome: CallOutcome,
}

/// What became of a dispatched call.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallOutcome {
    /// The tool ran (or was unknown, failed, panicked or timed out: then
    /// `is_error`) and its result was posted, once.
    Answered {
        /// The result's content.
        content: Option<ToolResultContent>,
        /// Whether the result is an error.
        is_error: bool,
    },
    /// The tool ran but its result could not be posted: the POST failed
    /// (after [`CallOptions::post_attempts`](super::CallOptions::post_attempts)
    /// when it may be tried again), or the result's blocks do not fit the
    /// answering event (an [`Error::InvalidRequest`] of kind
    /// [`InvalidRequestKind::Body`](claude_rs_client::InvalidRequestKind::Body)
    /// naming the call; nothing was sent). The call is left unanswered for
    /// the application to answer.
    NotPosted {
        /// The result's content.
        content: Option<ToolResultContent>,
        /// Whether the result is an error.
        is_error: bool,
        /// Why posting failed.
        error: Error,
    },
    /// The call's permission was `ask` and the `user.tool_confirmation`
    /// denied it, or its permission was `deny`: the tool did not run and
    /// nothing was posted.
    Denied {
        /// The `deny_message` of the confirmation, if any.
        message: Option<String>,
    },
    /// A result for the call appeared in the session (posted by someone
    /// else) before the runner posted its own: nothing was posted.
    AnsweredElsewhere,
}

impl CallOutcome {
    /// Whether the runner posted a result.
    pub fn is_posted(&self) -> bool {
        matches!(self, Self::Answered { .. })
    }
}

/// Why a runner stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunnerStop {
    /// The session terminated (`session.status_terminated`).
    Terminated,
    /// The session was deleted.
    Deleted,
    /// The session was archived.
    Archived,
    /// The session stayed idle (any stop reason but `requires_action`) for
    /// the configured idle time, with no call left.
    Idle,
    /// [`StopHandle::stop`](super::StopHandle::stop) was called.
    Stopped,
}

/// What [`SessionToolRunner::until_done`](super::SessionToolRunner::until_done)
/// returns.
#[derive(Debug)]
#[non_exhaustive]
pub struct RunOutcome {
    /// Every call dispatched, in the order they finished.
    pub calls: Vec<DispatchedCall>,
    /// Why the runner stopped.
    pub stop: RunnerStop,
}
