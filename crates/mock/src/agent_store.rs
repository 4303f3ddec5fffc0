//! What the mock keeps of Managed Agents (served by `agents`): agents with their versions,
//! environments with their keys, sessions with their event history and
//! open streams, the work queue, and the stream cuts tests asked for.

use std::collections::{HashMap, VecDeque};
use std::time::{Instant, SystemTime};

use serde_json::Value;

use tokio::sync::mpsc::UnboundedSender;

use crate::body::LiveChunk;

/// Every Managed Agents resource of one mock server.
#[derive(Debug, Default)]
pub(crate) struct Store {
    ids: HashMap<&'static str, u64>,
    /// Oldest first.
    pub(crate) agents: Vec<Agent>,
    /// Oldest first.
    pub(crate) environments: Vec<Environment>,
    /// Oldest first.
    pub(crate) sessions: Vec<Session>,
    /// Oldest first.
    pub(crate) work: Vec<Work>,
    /// Cuts for the next stream connections, in order.
    pub(crate) cuts: VecDeque<StreamCut>,
    /// Texts the scripted agent answers with next, instead of its echo.
    pub(crate) replies: VecDeque<String>,
    /// The custom tool calls the scripted agent makes in its next turns,
    /// one list per turn.
    pub(crate) tool_calls: VecDeque<Vec<ToolCall>>,
    /// `(environment, worker id) -> last poll`, for the queue's stats.
    pub(crate) pollers: HashMap<(String, String), Instant>,
}

/// An agent: every version, oldest first (the last is current).
#[derive(Debug)]
pub(crate) struct Agent {
    pub(crate) versions: Vec<Value>,
}

impl Agent {
    pub(crate) fn current(&self) -> &Value {
        self.versions.last().unwrap_or(&Value::Null)
    }

    pub(crate) fn id(&self) -> &str {
        self.current()["id"].as_str().unwrap_or_default()
    }
}

/// An environment and the key its self-hosted workers present.
#[derive(Debug)]
pub(crate) struct Environment {
    pub(crate) json: Value,
    pub(crate) key: String,
}

/// A session: the resource, its primary thread, every event persisted
/// (oldest first), what the scripted agent waits for, and the streams open
/// on it.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) json: Value,
    pub(crate) thread: Value,
    pub(crate) events: Vec<Value>,
    pub(crate) waiting: Waiting,
    pub(crate) subscribers: Vec<Subscriber>,
}

/// What the scripted agent waits for before it can go on.
#[derive(Debug, Clone, Default)]
pub(crate) enum Waiting {
    /// Nothing: the next `user.message` starts a turn.
    #[default]
    Nothing,
    /// The `user.custom_tool_result` of each of these
    /// `agent.custom_tool_use` events (`(event id, tool name)`, in the
    /// order they were made), and the results that came so far
    /// (`(tool name, text)`).
    CustomTools {
        pending: Vec<(String, String)>,
        results: Vec<(String, String)>,
    },
    /// The `user.tool_confirmation` of this `agent.tool_use`.
    Confirmation {
        event_id: String,
        name: String,
        input: Value,
    },
}

/// A custom tool call the scripted agent makes in a coming turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ToolCall {
    /// The tool's name.
    pub(crate) name: String,
    /// The `session_thread_id` of the call; `None` for the primary thread.
    pub(crate) thread: Option<String>,
}

/// A work item of a self-hosted environment's queue.
#[derive(Debug)]
pub(crate) struct Work {
    pub(crate) json: Value,
    /// When a poll last handed it out unacknowledged.
    pub(crate) polled_at: Option<Instant>,
}

impl Work {
    pub(crate) fn state(&self) -> &str {
        self.json["state"].as_str().unwrap_or_default()
    }
}

impl Store {
    /// A new deterministic id: `<prefix>_mock_<n>`, counted per prefix.
    pub(crate) fn id(&mut self, prefix: &'static str) -> String {
        let n = self.ids.entry(prefix).or_default();
        *n += 1;
        format!("{prefix}_mock_{n:06}")
    }

    pub(crate) fn agent_mut(&mut self, id: &str) -> Option<&mut Agent> {
        self.agents.iter_mut().find(|a| a.id() == id)
    }

    pub(crate) fn environment_mut(&mut self, id: &str) -> Option<&mut Environment> {
        self.environments.iter_mut().find(|e| e.json["id"] == id)
    }

    pub(crate) fn session_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|s| s.json["id"] == id)
    }
}

/// Now, as the API writes timestamps (RFC 3339, UTC, microseconds).
pub(crate) fn now() -> String {
    crate::time::rfc3339(SystemTime::now(), "Z")
}

/// A cut of a coming stream connection: after `after_events` events it
/// closes; with `mid_frame`, half of the next event's frame is sent first.
/// Either way that next event is persisted (it is in the history) but this
/// connection never delivers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StreamCut {
    pub(crate) after_events: usize,
    pub(crate) mid_frame: bool,
}

/// An open stream connection.
#[derive(Debug)]
pub(crate) struct Subscriber {
    pub(crate) tx: UnboundedSender<LiveChunk>,
    pub(crate) delivered: usize,
    pub(crate) cut: Option<StreamCut>,
    /// Send `event_start`/`event_delta` previews of `agent.message`.
    pub(crate) deltas: bool,
}
