//! The lease of a claimed work item: heartbeats that each echo the one
//! before (`expected_last_heartbeat`), and the stop.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use claude_rs_client::{Backoff, Client};
use tokio::sync::watch;
use tokio::task::AbortHandle;
use tokio::time::Instant;

use super::WorkError;
use crate::ManagedAgentsExt as _;
use crate::environments::{
    EnvironmentsWorkHeartbeatQuery, EnvironmentsWorkStopParams, SelfHostedWork,
    SelfHostedWorkHeartbeatResponse,
};

/// The `expected_last_heartbeat` of the first heartbeat of a lease.
const NO_HEARTBEAT: &str = "NO_HEARTBEAT";
/// The lease's time to live until a heartbeat says otherwise (the API's
/// default).
const DEFAULT_TTL: Duration = Duration::from_secs(300);
/// The retries of a heartbeat that failed for a transient reason.
const RETRY: Backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));

/// Where a lease stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeaseState {
    /// Acknowledged; no heartbeat has succeeded yet.
    Claimed,
    /// The last heartbeat extended the lease.
    Held,
    /// A heartbeat answered that the lease is not extended (the item is
    /// being stopped): finish up.
    ShutdownRequested,
    /// Another worker may hold the item: a heartbeat got 412, no heartbeat
    /// succeeded before the lease expired, or the API refused heartbeats
    /// for good. Stop serving it.
    Lost,
    /// [`Lease::stop`] succeeded.
    Stopped,
}

impl LeaseState {
    /// Whether the lease has ended (anything but claimed or held).
    pub fn is_over(self) -> bool {
        !matches!(self, Self::Claimed | Self::Held)
    }
}

/// The lease on one work item. Clones share it.
///
/// The lease is held by heartbeats, each sending the `last_heartbeat` of
/// the one before as `expected_last_heartbeat` (`NO_HEARTBEAT` first). A
/// [`WorkItem`](super::WorkItem) from the poller heartbeats in the
/// background unless told not to; [`heartbeat`](Self::heartbeat) sends one
/// now. Heartbeats of one lease never overlap.
#[derive(Clone)]
pub struct Lease {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    environment_id: String,
    work_id: String,
    interval: Duration,
    desired_ttl: Option<Duration>,
    /// Held while a heartbeat or the stop is in flight.
    sending: tokio::sync::Mutex<()>,
    data: Mutex<Data>,
    state: watch::Sender<LeaseState>,
    background: Mutex<Option<AbortHandle>>,
}

struct Data {
    last_heartbeat: Option<String>,
    ttl: Duration,
    /// When the lease runs out unless a heartbeat extends it.
    expires_at: Instant,
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lease")
            .field("environment_id", &self.inner.environment_id)
            .field("work_id", &self.inner.work_id)
            .field("state", &self.state())
            .field("last_heartbeat", &self.last_heartbeat())
            .finish()
    }
}

impl Lease {
    pub(super) fn new(
        client: Client,
        environment_id: String,
        work_id: String,
        interval: Duration,
        desired_ttl: Option<Duration>,
    ) -> Self {
        let (state, _) = watch::channel(LeaseState::Claimed);
        Self {
            inner: Arc::new(Inner {
                client,
                environment_id,
                work_id,
                interval,
                desired_ttl,
                sending: tokio::sync::Mutex::new(()),
                data: Mutex::new(Data {
                    last_heartbeat: None,
                    ttl: DEFAULT_TTL,
                    expires_at: Instant::now() + DEFAULT_TTL,
                }),
                state,
                background: Mutex::new(None),
            }),
        }
    }

    fn data(&self) -> std::sync::MutexGuard<'_, Data> {
        self.inner
            .data
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The work item's id.
    pub fn work_id(&self) -> &str {
        &self.inner.work_id
    }

    /// Where the lease stands now.
    pub fn state(&self) -> LeaseState {
        *self.inner.state.borrow()
    }

    /// Waits until the lease is over ([`LeaseState::is_over`]) and says how.
    pub async fn ended(&self) -> LeaseState {
        let mut watching = self.inner.state.subscribe();
        match watching.wait_for(|state| state.is_over()).await {
            Ok(state) => *state,
            Err(_) => self.state(),
        }
    }

    /// The `last_heartbeat` of the last heartbeat that extended the lease.
    pub fn last_heartbeat(&self) -> Option<String> {
        self.data().last_heartbeat.clone()
    }

    /// The lease's time to live, as the last heartbeat set it.
    pub fn ttl(&self) -> Duration {
        self.data().ttl
    }

    fn set_state(&self, state: LeaseState) {
        self.inner.state.send_replace(state);
    }

    /// Sends a heartbeat now. A 412 is
    /// [`WorkError::HeartbeatPreconditionFailed`] and the lease is then
    /// [`LeaseState::Lost`]; an answer with `lease_extended: false` makes
    /// it [`LeaseState::ShutdownRequested`]. Not retried: a retry whose
    /// first attempt did reach the API would get the 412.
    pub async fn heartbeat(&self) -> Result<SelfHostedWorkHeartbeatResponse, WorkError> {
        let _sending = self.inner.sending.lock().await;
        let expected = self
            .last_heartbeat()
            .unwrap_or_else(|| NO_HEARTBEAT.to_owned());
        let query = EnvironmentsWorkHeartbeatQuery {
            expected_last_heartbeat: Some(expected.clone()),
            desired_ttl_seconds: self.inner.desired_ttl.map(|ttl| ttl.as_secs() as i64),
        };
        let sent_at = Instant::now();
        let answer = self
            .inner
            .client
            .environments()
            .work()
            .heartbeat(&self.inner.environment_id, &self.inner.work_id, &query)
            .max_retries(0)
            .await;
        let beat = match answer {
            Ok(beat) => beat,
            Err(source) if source.status().map(|s| s.as_u16()) == Some(412) => {
                self.set_state(LeaseState::Lost);
                return Err(self.precondition_failed(expected, source));
            }
            Err(source) => {
                return Err(WorkError::Call {
                    operation: "heartbeat",
                    work_id: Some(self.inner.work_id.clone()),
                    source: Box::new(source),
                });
            }
        };
        if beat.lease_extended {
            let ttl = Duration::from_secs(beat.ttl_seconds.max(0) as u64);
            let mut data = self.data();
            data.last_heartbeat = Some(beat.last_heartbeat.clone());
            data.ttl = ttl;
            data.expires_at = sent_at + ttl;
            drop(data);
            self.set_state(LeaseState::Held);
        } else if !self.state().is_over() {
            self.set_state(LeaseState::ShutdownRequested);
        }
        Ok(beat)
    }

    fn precondition_failed(&self, expected: String, source: claude_rs_client::Error) -> WorkError {
        let current = source
            .api()
            .and_then(|api| api.details())
            .and_then(|details| details.extra.get("current_state").cloned());
        let field = |name: &str| {
            current
                .as_ref()
                .and_then(|c| c.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        WorkError::HeartbeatPreconditionFailed {
            work_id: self.inner.work_id.clone(),
            expected,
            current_last_heartbeat: field("last_heartbeat"),
            current_state: field("state"),
            source: Box::new(source),
        }
    }

    /// Stops the background heartbeats, then stops the item
    /// (`POST .../stop`); with `force` it goes straight to `stopped`, else
    /// to `stopping`. The lease is then [`LeaseState::Stopped`].
    pub async fn stop(&self, force: bool) -> Result<SelfHostedWork, WorkError> {
        self.stop_heartbeats();
        let _sending = self.inner.sending.lock().await;
        let params = EnvironmentsWorkStopParams {
            force: Some(force),
            extra: Default::default(),
        };
        let stopped = self
            .inner
            .client
            .environments()
            .work()
            .stop(&self.inner.environment_id, &self.inner.work_id, &params)
            .await
            .map_err(|source| WorkError::Call {
                operation: "stop",
                work_id: Some(self.inner.work_id.clone()),
                source: Box::new(source),
            })?;
        self.set_state(LeaseState::Stopped);
        Ok(stopped)
    }

    /// Ends the background heartbeats, if any (a heartbeat in flight is
    /// abandoned).
    pub fn stop_heartbeats(&self) {
        let handle = self
            .inner
            .background
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(handle) = handle {
            handle.abort();
        }
    }

    /// Heartbeats in the background until the lease is over or
    /// [`stop_heartbeats`](Self::stop_heartbeats): the first at once, then
    /// every `interval` or half the TTL, whichever is shorter; a transient
    /// failure is retried with backoff until the lease would expire.
    pub(super) fn spawn_heartbeats(&self) {
        let lease = self.clone();
        let task = tokio::spawn(async move { lease.keep_alive().await });
        let previous = self
            .inner
            .background
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(task.abort_handle());
        if let Some(previous) = previous {
            previous.abort();
        }
    }

    async fn keep_alive(self) {
        let mut failures = 0;
        loop {
            let sent_at = Instant::now();
            match self.heartbeat().await {
                Ok(beat) if beat.lease_extended => {
                    failures = 0;
                    let every = self.inner.interval.min(self.ttl() / 2);
                    tokio::time::sleep_until(sent_at + every).await;
                }
                Ok(_) | Err(WorkError::HeartbeatPreconditionFailed { .. }) => return,
                Err(error) if !error.is_transient() => {
                    self.set_state(LeaseState::Lost);
                    return;
                }
                Err(_) => {
                    let expires_at = self.data().expires_at;
                    let now = Instant::now();
                    if now >= expires_at {
                        self.set_state(LeaseState::Lost);
                        return;
                    }
                    let delay = RETRY.delay(failures).min(expires_at - now);
                    failures = failures.saturating_add(1);
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}
