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

/// The events of one session on Bedrock.
struct SessionSource {
    client: Client,
    session_id: String,
    stream: SessionsEventsStreamQuery,
}

impl Source<StreamBedrockSessionEvents> for SessionSource {
    fn open(&self) -> Opening<'_, StreamBedrockSessionEvents> {
        Box::pin(async move {
            let events = self
                .client
                .sessions()
                .events()
                .stream(&self.session_id, &self.stream)
                .await?;
            Ok(Box::pin(events) as BoxEvents<_>)
        })
    }

    fn history(&self) -> BoxEvents<StreamBedrockSessionEvents> {
        self.list(SessionsEventsListQueryOrder::Asc)
    }

    fn history_newest_first(&self) -> Option<BoxEvents<StreamBedrockSessionEvents>> {
        Some(self.list(SessionsEventsListQueryOrder::Desc))
    }
}

impl SessionSource {
    fn list(&self, order: SessionsEventsListQueryOrder) -> BoxEvents<StreamBedrockSessionEvents> {
        let query = SessionsEventsListQuery {
            order: Some(order),
            ..Default::default()
        };
        let pages = self
            .client
            .sessions()
            .events()
            .list(&self.session_id, &query)
            .output::<StreamBedrockSessionEvents>()
            .into_stream();
        Box::pin(pages)
    }
}

/// The events of one thread of a session on Bedrock; its history lists
/// oldest first only.
struct ThreadSource {
    client: Client,
    session_id: String,
    thread_id: String,
    stream: SessionsThreadsEventsStreamQuery,
}

impl Source<StreamBedrockSessionThreadEvents> for ThreadSource {
    fn open(&self) -> Opening<'_, StreamBedrockSessionThreadEvents> {
        Box::pin(async move {
            let events = self
                .client
                .sessions()
                .threads()
                .events()
                .stream(&self.session_id, &self.thread_id, &self.stream)
                .await?;
            Ok(Box::pin(events) as BoxEvents<_>)
        })
    }

    fn history(&self) -> BoxEvents<StreamBedrockSessionThreadEvents> {
        let pages = self
            .client
            .sessions()
            .threads()
            .events()
            .list(&self.session_id, &self.thread_id)
            .output::<StreamBedrockSessionThreadEvents>()
            .into_stream();
        Box::pin(pages)
    }

    fn history_newest_first(&self) -> Option<BoxEvents<StreamBedrockSessionThreadEvents>> {
        None
    }
}

fn deltas(options: &ResumeOptions) -> Vec<BedrockDeltaType> {
    if options.event_deltas {
        vec![BedrockDeltaType::AgentMessage]
    } else {
        Vec::new()
    }
}

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
