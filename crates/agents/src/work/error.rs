//! What can go wrong on the work queue.

use std::error::Error as StdError;
use std::fmt;

/// A failure of the work queue: a call that failed, a lease another worker
/// may hold, a work secret that does not decode, a client that could not
/// be built. No variant carries the environment key, the work secret or
/// its sessions token.
#[derive(Debug)]
#[non_exhaustive]
pub enum WorkError {
    /// A client (the poller's, for the environment key, or an item's
    /// session client, for its sessions token) could not be built.
    Client(Box<claude_rs_client::Error>),
    /// The worker id is not a valid header value (visible ASCII).
    InvalidWorkerId,
    /// A call of the work queue failed (`operation`: `poll`, `ack`,
    /// `heartbeat`, `stop`).
    Call {
        /// The call that failed.
        operation: &'static str,
        /// The work item it was about (none for a poll).
        work_id: Option<String>,
        /// Why.
        source: Box<claude_rs_client::Error>,
    },
    /// A heartbeat was refused with 412 `heartbeat_precondition_failed`:
    /// its `expected_last_heartbeat` is not the heartbeat the API holds, so
    /// another worker may hold the lease (or the answer to an earlier
    /// heartbeat of ours was lost). The lease is lost: stop serving the
    /// item.
    HeartbeatPreconditionFailed {
        /// The work item.
        work_id: String,
        /// The `expected_last_heartbeat` sent.
        expected: String,
        /// The heartbeat the API holds, when it says (`null` before any).
        current_last_heartbeat: Option<String>,
        /// The item's state as the API holds it, when it says.
        current_state: Option<String>,
        /// The 412 itself.
        source: Box<claude_rs_client::Error>,
    },
    /// The work secret handed out with an item does not decode (URL-safe
    /// base64 of a JSON object).
    Secret {
        /// The work item.
        work_id: String,
        /// What was wrong, without the secret.
        reason: &'static str,
    },
}

impl WorkError {
    /// Whether trying again may succeed: a failed call the client's retry
    /// rules would retry (connection errors, timeouts, 408, 409, 429,
    /// 5xx). A lost lease, a bad secret or a refused key are not.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Call { source, .. } => source.is_retryable(),
            _ => false,
        }
    }
}

impl fmt::Display for WorkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Client(_) => {
                f.write_str("cannot build a client for the work queue or an item's session")
            }
            Self::InvalidWorkerId => {
                f.write_str("the worker id is not a valid header value (visible ASCII)")
            }
            Self::Call {
                operation,
                work_id: Some(id),
                ..
            } => write!(f, "work queue {operation} of work item {id} failed"),
            Self::Call { operation, .. } => write!(f, "work queue {operation} failed"),
            Self::HeartbeatPreconditionFailed {
                work_id, expected, ..
            } => write!(
                f,
                "heartbeat of work item {work_id} refused: the last heartbeat is not {expected:?}, \
                 another worker may hold the lease"
            ),
            Self::Secret { work_id, reason } => {
                write!(
                    f,
                    "the work secret of work item {work_id} is unusable: {reason}"
                )
            }
        }
    }
}

impl StdError for WorkError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Client(source)
            | Self::Call { source, .. }
            | Self::HeartbeatPreconditionFailed { source, .. } => Some(&**source),
            Self::Secret { .. } | Self::InvalidWorkerId => None,
        }
    }
}
