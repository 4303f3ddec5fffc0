//! The session and thread event streams of Bedrock's control plane as
//! [`Source`]s of a [`ResumableStream`], read as the first-party ones are:
//! the live stream, and the history through the list endpoints decoded as
//! the stream's own event union.

use claude_rs_client::Client;

use super::super::engine::{BoxEvents, Opening, Persisted, ResumableStream, ResumeOptions, Source};
use crate::bedrock::BedrockManagedAgentsExt as _;
use crate::bedrock::sessions::{
    BedrockDeltaType, SessionsEventsListQuery, SessionsEventsListQueryOrder,
    SessionsEventsStreamQuery, SessionsThreadsEventsStreamQuery, StreamBedrockSessionEvents,
    StreamBedrockSessionThreadEvents,
};

persisted! {
    ids: [
        UserMessage, UserInterrupt, UserToolConfirmation, UserCustomToolResult,
        UserDefineOutcome, UserToolResult, SystemMessage, AgentCustomToolUse, AgentMessage,
        AgentThinking, AgentMcpToolUse, AgentMcpToolResult, AgentToolUse, AgentToolResult,
        AgentThreadMessageReceived, AgentThreadMessageSent, AgentThreadContextCompacted,
        SessionError, SessionStatusRescheduled, SessionStatusRunning, SessionStatusIdle,
        SessionStatusTerminated, SessionThreadCreated, SessionThreadStatusRunning,
        SessionThreadStatusIdle, SessionThreadStatusTerminated, SessionThreadStatusRescheduled,
        SessionUpdated, SessionDeleted, SessionUsage, AgentMcpElicitation,
        UserMcpElicitationResponse, SpanModelRequestStart, SpanModelRequestEnd,
        SpanOutcomeEvaluationStart, SpanOutcomeEvaluationOngoing, SpanOutcomeEvaluationEnd,
    ],
    previews: [EventStart, EventDelta];
    StreamBedrockSessionEvents ends after ["session.deleted", "session.status_terminated"];
    StreamBedrockSessionThreadEvents ends after [
        "session.deleted",
        "session.status_terminated",
        "session.thread_status_terminated",
    ];
}

sources!(
    session: StreamBedrockSessionEvents,
    thread: StreamBedrockSessionThreadEvents,
    delta: BedrockDeltaType
);

impl ResumableStream<StreamBedrockSessionEvents> {
    /// The events of session `session_id` of Bedrock's control plane
    /// (feature `bedrock`), across reconnects, as
    /// [`ResumableStream::session`] reads a first-party session's.
    pub fn bedrock_session(client: &Client, session_id: &str, options: ResumeOptions) -> Self {
        let source = SessionSource {
            client: client.clone(),
            session_id: session_id.to_owned(),
            stream: SessionsEventsStreamQuery {
                event_deltas: deltas(&options),
            },
        };
        Self::new(source, options)
    }
}

impl ResumableStream<StreamBedrockSessionThreadEvents> {
    /// The events of thread `thread_id` of session `session_id` of
    /// Bedrock's control plane (feature `bedrock`), across reconnects.
    pub fn bedrock_thread(
        client: &Client,
        session_id: &str,
        thread_id: &str,
        options: ResumeOptions,
    ) -> Self {
        let source = ThreadSource {
            client: client.clone(),
            session_id: session_id.to_owned(),
            thread_id: thread_id.to_owned(),
            stream: SessionsThreadsEventsStreamQuery {
                event_deltas: deltas(&options),
            },
        };
        Self::new(source, options)
    }
}
