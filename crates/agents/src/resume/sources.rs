//! The session and thread event streams as [`Source`]s of a
//! [`ResumableStream`]: the live stream, and the history read through the
//! list endpoints (decoded as the stream's own event union, whose persisted
//! members are the history's).

use claude_rs_client::Client;

use crate::ManagedAgentsExt as _;

use super::engine::{BoxEvents, Opening, Persisted, ResumableStream, ResumeOptions, Source};
use crate::sessions::{
    DeltaType, SessionsEventsListQuery, SessionsEventsListQueryOrder, SessionsEventsStreamQuery,
    SessionsThreadsEventsStreamQuery, StreamSessionEvents, StreamSessionThreadEvents,
};

/// Stamps the session and thread [`Source`]s over one family's handlers
/// (first-party, or Bedrock's control plane with feature `bedrock`), which
/// have the same calls and the same query types under the same names: the
/// names are resolved where the macro is called, so each family's module
/// imports its own handlers' trait and types.
macro_rules! sources {
    (session: $session:ident, thread: $thread:ident, delta: $delta:ident) => {
        /// The events of one session.
        struct SessionSource {
            client: Client,
            session_id: String,
            stream: SessionsEventsStreamQuery,
        }

        impl Source<$session> for SessionSource {
            fn open(&self) -> Opening<'_, $session> {
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

            fn history(&self) -> BoxEvents<$session> {
                self.list(SessionsEventsListQueryOrder::Asc)
            }

            fn history_newest_first(&self) -> Option<BoxEvents<$session>> {
                Some(self.list(SessionsEventsListQueryOrder::Desc))
            }
        }

        impl SessionSource {
            fn list(&self, order: SessionsEventsListQueryOrder) -> BoxEvents<$session> {
                let query = SessionsEventsListQuery {
                    order: Some(order),
                    ..Default::default()
                };
                let pages = self
                    .client
                    .sessions()
                    .events()
                    .list(&self.session_id, &query)
                    .output::<$session>()
                    .into_stream();
                Box::pin(pages)
            }
        }

        /// The events of one thread of a session. Its history lists oldest
        /// first only, so a reconnect reads it from the start (skipping
        /// what was handed over).
        struct ThreadSource {
            client: Client,
            session_id: String,
            thread_id: String,
            stream: SessionsThreadsEventsStreamQuery,
        }

        impl Source<$thread> for ThreadSource {
            fn open(&self) -> Opening<'_, $thread> {
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

            fn history(&self) -> BoxEvents<$thread> {
                let pages = self
                    .client
                    .sessions()
                    .threads()
                    .events()
                    .list(&self.session_id, &self.thread_id)
                    .output::<$thread>()
                    .into_stream();
                Box::pin(pages)
            }

            fn history_newest_first(&self) -> Option<BoxEvents<$thread>> {
                None
            }
        }

        /// The delta kinds the stream asks for under `options`.
        fn deltas(options: &ResumeOptions) -> Vec<$delta> {
            if options.event_deltas {
                vec![$delta::AgentMessage]
            } else {
                Vec::new()
            }
        }
    };
}

sources!(session: StreamSessionEvents, thread: StreamSessionThreadEvents, delta: DeltaType);

impl ResumableStream<StreamSessionEvents> {
    /// The events of session `session_id`, across reconnects: its history,
    /// then what happens live (or only what happens from now, with
    /// [`ResumeOptions::history`]`(false)`).
    ///
    /// ```no_run
    /// use claude_rs_agents::resume::{ResumableStream, ResumeOptions};
    /// use claude_rs_agents::sessions::StreamSessionEvents;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), claude_rs_client::Error> {
    /// let client = claude_rs_client::Client::new()?;
    /// let mut events = ResumableStream::session(&client, "sesn_...", ResumeOptions::default());
    /// while let Some(event) = events.next().await {
    ///     match event? {
    ///         StreamSessionEvents::AgentMessage(message) => println!("{message:?}"),
    ///         other => println!("{}", other.type_str()),
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn session(client: &Client, session_id: &str, options: ResumeOptions) -> Self {
        let stream = SessionsEventsStreamQuery {
            event_deltas: deltas(&options),
        };
        let source = SessionSource {
            client: client.clone(),
            session_id: session_id.to_owned(),
            stream,
        };
        Self::new(source, options)
    }
}

impl ResumableStream<StreamSessionThreadEvents> {
    /// The events of thread `thread_id` of session `session_id`, across
    /// reconnects, as [`ResumableStream::session`] reads a session's.
    pub fn thread(
        client: &Client,
        session_id: &str,
        thread_id: &str,
        options: ResumeOptions,
    ) -> Self {
        let stream = SessionsThreadsEventsStreamQuery {
            event_deltas: deltas(&options),
        };
        let source = ThreadSource {
            client: client.clone(),
            session_id: session_id.to_owned(),
            thread_id: thread_id.to_owned(),
            stream,
        };
        Self::new(source, options)
    }
}

/// Implements [`Persisted`] for the event unions of the session and thread
/// streams, which have the same members: those that carry an `id` are
/// persisted; the previews are not. Listing every member (no wildcard) makes
/// a regenerated union with a new member fail to compile until it is placed
/// here.
macro_rules! persisted {
    (
        ids: $ids:tt,
        previews: $previews:tt;
        $( $union:ident ends after $last:tt; )+
    ) => {
        $( persisted!(@one $union, $ids, $previews, $last); )+
    };
    (@one $union:ident, [$($with_id:ident),* $(,)?], [$($preview:ident),* $(,)?], [$($last:literal),* $(,)?]) => {
        impl Persisted for $union {
            fn event_id(&self) -> Option<&str> {
                match self {
                    $( $union::$with_id(event) => Some(&event.id), )*
                    $( $union::$preview(_) => None, )*
                    $union::Unknown(raw) => raw.get("id").and_then(serde_json::Value::as_str),
                }
            }

            fn is_last(&self) -> bool {
                matches!(self.type_str(), $($last)|*)
            }
        }
    };
}

persisted! {
    ids: [
        UserMessage, UserInterrupt, UserToolConfirmation, UserCustomToolResult,
        AgentCustomToolUse, AgentMessage, AgentThinking, AgentMcpToolUse, AgentMcpToolResult,
        AgentToolUse, AgentToolResult, AgentThreadMessageReceived, AgentThreadMessageSent,
        AgentThreadContextCompacted, SessionError, SessionStatusRescheduled, SessionStatusRunning,
        SessionStatusIdle, SessionStatusTerminated, SessionThreadCreated,
        SpanOutcomeEvaluationStart, SpanOutcomeEvaluationEnd, SpanModelRequestStart,
        SpanModelRequestEnd, SpanOutcomeEvaluationOngoing, UserDefineOutcome, SessionDeleted,
        SessionThreadStatusRunning, SessionThreadStatusIdle, SessionThreadStatusTerminated,
        UserToolResult, SessionThreadStatusRescheduled, SessionUpdated, SystemMessage,
        SessionUsage, WorkflowRunCreated, WorkflowRunStatusEnded, WorkflowRunPhaseStarted,
        WorkflowRunPhaseEnded, WorkflowRunStatusRunning, WorkflowRunStatusIdle, WorkflowRunError,
    ],
    previews: [EventStart, EventDelta];
    StreamSessionEvents ends after ["session.deleted", "session.status_terminated"];
    StreamSessionThreadEvents ends after [
        "session.deleted",
        "session.status_terminated",
        "session.thread_status_terminated",
    ];
}

#[cfg(feature = "bedrock")]
mod bedrock;
