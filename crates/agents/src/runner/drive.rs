//! The task behind a runner: reads the session, dispatches the calls,
//! posts their results and decides when to stop.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use claude_rs_client::tools::ToolSet;
use claude_rs_client::{Client, Error};
use claude_rs_types::content::ToolUseBlock;
use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::call::{CallKind, CallOutcome, DispatchedCall, RunnerStop};
use super::options::RunnerOptions;
use super::post::{Answered, Posted, answered_in_history, post_once, result_event};
use super::schedule::Schedule;
use crate::ManagedAgentsExt;
use crate::resume::ResumableStream;
use crate::sessions::{
    AgentEvaluatedPermission, SessionStatus, StopReason, StreamSessionEvents,
    UserToolConfirmationEventResult,
};

/// What the task sends to the runner.
pub(super) enum Report {
    Call(DispatchedCall),
    End(Result<RunnerStop, Error>),
}

/// A call read from the session.
#[derive(Debug, Clone)]
struct Call {
    id: String,
    name: String,
    input: Value,
    kind: CallKind,
    thread_id: Option<String>,
}

impl Call {
    fn dispatched(self, outcome: CallOutcome) -> DispatchedCall {
        DispatchedCall {
            id: self.id,
            name: self.name,
            input: self.input,
            kind: self.kind,
            thread_id: self.thread_id,
            outcome,
        }
    }
}

pub(super) struct Driver {
    pub(super) client: Client,
    pub(super) session_id: String,
    pub(super) tools: Arc<ToolSet>,
    pub(super) options: RunnerOptions,
    pub(super) reports: mpsc::UnboundedSender<Report>,
    pub(super) stop: watch::Receiver<bool>,
}

fn object(input: std::collections::BTreeMap<String, Value>) -> Value {
    Value::Object(input.into_iter().collect())
}

impl Driver {
    pub(super) async fn run(mut self) {
        let end = self.drive().await;
        let _ = self.reports.send(Report::End(end));
    }

    /// Archived or terminated, by the session's status.
    async fn ended_by_status(&self) -> Result<Option<RunnerStop>, Error> {
        match self.client.sessions().retrieve(&self.session_id).await {
            Ok(session) if session.archived_at.is_some() => Ok(Some(RunnerStop::Archived)),
            Ok(session) if session.status == SessionStatus::Terminated => {
                Ok(Some(RunnerStop::Terminated))
            }
            Ok(_) => Ok(None),
            Err(error) if error.is_not_found() => Ok(Some(RunnerStop::Deleted)),
            Err(error) => Err(error),
        }
    }

    async fn drive(&mut self) -> Result<RunnerStop, Error> {
        if let Some(stop) = self.ended_by_status().await? {
            return Ok(stop);
        }
        let mut events = ResumableStream::<StreamSessionEvents>::session(
            &self.client,
            &self.session_id,
            self.options.events.clone(),
        );
        let answered = Answered::default();
        // The calls answered before the runner started are never run: the
        // history hands a call over before its result.
        if self.options.events.history {
            answered.extend(answered_in_history(&self.client, &self.session_id).await?);
        }
        let mut schedule = Schedule::<Call>::new(self.options.calls.max_concurrent_calls);
        // Calls whose permission is `ask`, until their confirmation.
        let mut held: HashMap<String, Call> = HashMap::new();
        let mut running: JoinSet<(Option<String>, DispatchedCall)> = JoinSet::new();
        let mut idle_since: Option<Instant> = None;
        let mut reading = true;
        let mut ended: Option<RunnerStop> = None;
        let far = Duration::from_secs(86_400 * 365);
        let status_every = self.options.stop.status_interval;
        let mut next_status = Instant::now() + status_every.unwrap_or(far);
        loop {
            // Start what may start.
            if ended.is_none() {
                while let Some((thread, call)) = schedule.next() {
                    running.spawn(self.run_call(thread, call, answered.clone()));
                }
            }
            if !reading && running.is_empty() {
                return Ok(ended.unwrap_or(RunnerStop::Terminated));
            }
            let idle_deadline = match (idle_since, self.options.stop.max_idle) {
                (Some(since), Some(max)) if schedule.is_empty() && held.is_empty() => since + max,
                _ => Instant::now() + far,
            };
            tokio::select! {
                changed = self.stop.changed() => {
                    if changed.is_err() || *self.stop.borrow() {
                        running.abort_all();
                        return Ok(RunnerStop::Stopped);
                    }
                }
                Some(done) = running.join_next(), if !running.is_empty() => {
                    if let Ok((thread, call)) = done {
                        schedule.done(&thread);
                        if self.reports.send(Report::Call(call)).is_err() {
                            return Ok(RunnerStop::Stopped);
                        }
                    }
                }
                event = events.next(), if reading => {
                    match event {
                        None => reading = false,
                        Some(Err(error)) if error.is_not_found() => {
                            reading = false;
                            ended = Some(RunnerStop::Deleted);
                        }
                        Some(Err(error)) => {
                            running.abort_all();
                            return Err(error);
                        }
                        Some(Ok(event)) => {
                            let step = self.apply(event, &answered, &mut schedule, &mut held, &mut idle_since);
                            if let Some(stop) = step {
                                reading = false;
                                ended = Some(stop);
                            }
                        }
                    }
                }
                () = tokio::time::sleep_until(idle_deadline), if reading => {
                    running.abort_all();
                    return Ok(RunnerStop::Idle);
                }
                () = tokio::time::sleep_until(next_status), if reading && status_every.is_some() => {
                    next_status = Instant::now() + status_every.unwrap_or(far);
                    if let Some(stop) = self.ended_by_status().await? {
                        reading = false;
                        ended = Some(stop);
                    }
                }
            }
        }
    }

    /// Acts on one event; `Some` when it ends the session.
    fn apply(
        &self,
        event: StreamSessionEvents,
        answered: &Answered,
        schedule: &mut Schedule<Call>,
        held: &mut HashMap<String, Call>,
        idle_since: &mut Option<Instant>,
    ) -> Option<RunnerStop> {
        match event {
            StreamSessionEvents::AgentCustomToolUse(e) => {
                *idle_since = None;
                let known = self.tools.get(&e.name).is_some();
                if answered.contains(&e.id) || !(known || self.options.calls.answer_unknown_tools) {
                    return None;
                }
                let call = Call {
                    id: e.id,
                    name: e.name,
                    input: object(e.input),
                    kind: CallKind::Custom,
                    thread_id: e.session_thread_id,
                };
                schedule.push(call.thread_id.clone(), call);
            }
            StreamSessionEvents::AgentToolUse(e) => {
                *idle_since = None;
                // A tool the runner does not have runs in the environment.
                if answered.contains(&e.id) || self.tools.get(&e.name).is_none() {
                    return None;
                }
                let permission = e.evaluated_permission.clone();
                let call = Call {
                    id: e.id,
                    name: e.name,
                    input: object(e.input),
                    kind: CallKind::Agent,
                    thread_id: e.session_thread_id,
                };
                match permission {
                    Some(AgentEvaluatedPermission::Ask) => {
                        held.insert(call.id.clone(), call);
                    }
                    Some(AgentEvaluatedPermission::Deny) => {
                        let denied = call.dispatched(CallOutcome::Denied { message: None });
                        let _ = self.reports.send(Report::Call(denied));
                    }
                    _ => schedule.push(call.thread_id.clone(), call),
                }
            }
            StreamSessionEvents::UserToolConfirmation(e) => {
                if let Some(call) = held.remove(&e.tool_use_id) {
                    if e.result == UserToolConfirmationEventResult::Allow {
                        schedule.push(call.thread_id.clone(), call);
                    } else {
                        let denied = call.dispatched(CallOutcome::Denied {
                            message: e.deny_message,
                        });
                        let _ = self.reports.send(Report::Call(denied));
                    }
                }
            }
            StreamSessionEvents::UserCustomToolResult(e) => {
                answered.insert(&e.custom_tool_use_id);
                schedule.retain(|call| call.id != e.custom_tool_use_id);
            }
            StreamSessionEvents::UserToolResult(e) => {
                answered.insert(&e.tool_use_id);
                schedule.retain(|call| call.id != e.tool_use_id);
                held.remove(&e.tool_use_id);
            }
            StreamSessionEvents::SessionStatusIdle(e) => {
                *idle_since = match e.stop_reason {
                    StopReason::RequiresAction(_) => None,
                    _ => Some(Instant::now()),
                };
            }
            StreamSessionEvents::SessionStatusTerminated(_) => return Some(RunnerStop::Terminated),
            StreamSessionEvents::SessionDeleted(_) => return Some(RunnerStop::Deleted),
            StreamSessionEvents::SessionStatusRunning(_)
            | StreamSessionEvents::SessionStatusRescheduled(_)
            | StreamSessionEvents::UserMessage(_) => *idle_since = None,
            _ => {}
        }
        None
    }

    /// Runs one call and posts its result.
    fn run_call(
        &self,
        thread: Option<String>,
        call: Call,
        answered: Answered,
    ) -> impl Future<Output = (Option<String>, DispatchedCall)> + Send + 'static {
        let client = self.client.clone();
        let session_id = self.session_id.clone();
        let tools = Arc::clone(&self.tools);
        let timeout = self.options.calls.tool_timeout;
        let attempts = self.options.calls.post_attempts;
        async move {
            if answered.contains(&call.id) {
                return (thread, call.dispatched(CallOutcome::AnsweredElsewhere));
            }
            let block = ToolUseBlock::new(call.id.clone(), call.name.clone(), call.input.clone());
            let running = async { tools.run(std::slice::from_ref(&block)).await.pop() };
            let result = match timeout {
                Some(limit) => tokio::time::timeout(limit, running)
                    .await
                    .unwrap_or_else(|_| {
                        Some(claude_rs_types::content::ToolResultBlock::error(
                            call.id.clone(),
                            format!("tool `{}` timed out after {limit:?}", call.name),
                        ))
                    }),
                None => running.await,
            };
            let (content, is_error) = result
                .map(|r| (r.content, r.is_error.unwrap_or(false)))
                .unwrap_or((None, true));
            let posted = match result_event(call.kind, &call.id, content.as_ref(), is_error) {
                Ok(body) => {
                    post_once(&client, &session_id, &call.id, body, &answered, attempts).await
                }
                Err(error) => Err(error),
            };
            let outcome = match posted {
                Ok(Posted::Ours) => CallOutcome::Answered { content, is_error },
                Ok(Posted::Elsewhere) => CallOutcome::AnsweredElsewhere,
                Err(error) => CallOutcome::NotPosted {
                    content,
                    is_error,
                    error,
                },
            };
            (thread, call.dispatched(outcome))
        }
    }
}
