//! The poller: long polls, acknowledges, and hands out work items.

use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::Arc;
use std::time::Duration;

use claude_rs_client::http::{HeaderName, HeaderValue};
use claude_rs_client::{Backoff, Client, ClientBuilder};
use claude_rs_types::Secret;
use futures_core::Stream;

use super::item::ItemClients;
use super::{Lease, WorkError, WorkItem};
use crate::ManagedAgentsExt as _;
use crate::environments::{EnvironmentsWorkPollQuery, SelfHostedWork};

const WORKER_ID: HeaderName = HeaderName::from_static("anthropic-worker-id");
/// The deadline of an acknowledgement.
const ACK_TIMEOUT: Duration = Duration::from_secs(30);
/// The delays after failed polls: 1 s doubling to a minute.
const FAILED: Backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));

/// Makes the client settings the poller's client and each item's session
/// client are built from.
pub(super) type MakeClient = Arc<dyn Fn() -> ClientBuilder + Send + Sync>;

/// Builds a [`WorkPoller`]: [`WorkPoller::builder`].
#[must_use]
pub struct WorkPollerBuilder {
    environment_id: String,
    key: Secret,
    client: MakeClient,
    worker_id: Option<String>,
    block_ms: Option<u16>,
    reclaim_older_than: Option<Duration>,
    drain: bool,
    idle_delay: Duration,
    heartbeats: bool,
    heartbeat_interval: Duration,
    desired_ttl: Option<Duration>,
}

impl std::fmt::Debug for WorkPollerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkPollerBuilder")
            .field("environment_id", &self.environment_id)
            .field("key", &self.key)
            .field("worker_id", &self.worker_id)
            .field("block_ms", &self.block_ms)
            .field("drain", &self.drain)
            .finish_non_exhaustive()
    }
}

impl WorkPollerBuilder {
    /// Makes the client settings (base URL, timeouts, transport, ...) that
    /// the poller's client is built from (its credentials replaced by the
    /// environment key), and each item's
    /// [`session_client`](WorkItem::session_client) (its credentials
    /// replaced by the item's sessions token, which its lease uses too).
    /// Called once for the poller and once per item whose secret carries a
    /// token. Default is
    /// [`Client::builder`] (the environment's settings,
    /// `ANTHROPIC_BASE_URL` and the like).
    pub fn client(mut self, client: impl Fn() -> ClientBuilder + Send + Sync + 'static) -> Self {
        self.client = Arc::new(client);
        self
    }

    /// The worker's id, sent as `Anthropic-Worker-ID` on each poll; unique
    /// per worker process. Default is `claude-rs-<process id>-<random>`.
    pub fn worker_id(mut self, id: impl Into<String>) -> Self {
        self.worker_id = Some(id.into());
        self
    }

    /// How long the API holds an empty poll open, 1 to 999 ms (larger
    /// values are capped at 999); `None` for a poll that answers at once.
    /// Default is 999.
    pub fn block_ms(mut self, block_ms: Option<u16>) -> Self {
        self.block_ms = block_ms.map(|ms| ms.clamp(1, 999));
        self
    }

    /// Hand out again items handed out (and not acknowledged) at least this
    /// long ago, as a dead worker's. Default is unset: the API's own
    /// default.
    pub fn reclaim_older_than(mut self, age: Option<Duration>) -> Self {
        self.reclaim_older_than = age;
        self
    }

    /// End the stream at the first empty poll, for a dispatcher that
    /// drains the queue and hands each item on. Default is `false`: poll
    /// for ever, waiting [`idle_delay`](Self::idle_delay) after each
    /// empty poll.
    pub fn drain(mut self, drain: bool) -> Self {
        self.drain = drain;
        self
    }

    /// The wait after an empty poll, less up to a quarter at random.
    /// Default is 2 s.
    pub fn idle_delay(mut self, delay: Duration) -> Self {
        self.idle_delay = delay;
        self
    }

    /// Whether each item's lease heartbeats in the background from the
    /// moment it is handed out. Default is `true`; with `false`, call
    /// [`Lease::heartbeat`] yourself before the lease's TTL runs out.
    pub fn heartbeats(mut self, on: bool) -> Self {
        self.heartbeats = on;
        self
    }

    /// The longest time between background heartbeats; a lease whose TTL
    /// is shorter than twice this heartbeats every half TTL. Default is
    /// 30 s.
    pub fn heartbeat_interval(mut self, interval: Duration) -> Self {
        self.heartbeat_interval = interval;
        self
    }

    /// The TTL each heartbeat asks for (`desired_ttl_seconds`). Default
    /// is unset: the API's (300 s).
    pub fn desired_ttl(mut self, ttl: Option<Duration>) -> Self {
        self.desired_ttl = ttl;
        self
    }

    /// Builds the poller and its client, authenticated by the environment
    /// key as a bearer token.
    pub fn build(self) -> Result<WorkPoller, WorkError> {
        let client = (self.client)()
            .auth_token(self.key.expose())
            .build()
            .map_err(|e| WorkError::Client(Box::new(e)))?;
        let worker_id = self.worker_id.unwrap_or_else(default_worker_id);
        let worker_header =
            HeaderValue::from_str(&worker_id).map_err(|_| WorkError::InvalidWorkerId)?;
        let query = EnvironmentsWorkPollQuery {
            block_ms: self.block_ms.map(i64::from),
            reclaim_older_than_ms: self
                .reclaim_older_than
                .map(|age| age.as_millis().min(i64::MAX as u128) as i64),
        };
        Ok(WorkPoller {
            shared: Arc::new(Shared {
                client,
                make_client: self.client,
                environment_id: self.environment_id,
                worker_header,
                query,
                drain: self.drain,
                idle_delay: self.idle_delay,
                heartbeats: self.heartbeats,
                heartbeat_interval: self.heartbeat_interval,
                desired_ttl: self.desired_ttl,
            }),
        })
    }
}

fn default_worker_id() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!(
        "claude-rs-{}-{:012x}",
        std::process::id(),
        hasher.finish() >> 16
    )
}

/// Takes work from the queue of a self-hosted environment, as its worker.
///
/// The worker endpoints take the environment's key (as
/// `Authorization: Bearer`), not an API key, so the poller has a client of
/// its own. [`stream`](Self::stream) long-polls for items, acknowledges
/// each, and hands it out with its [`Lease`], heartbeating in the
/// background.
///
/// ```no_run
/// use claude_rs_agents::work::WorkPoller;
/// use claude_rs_types::Secret;
/// use futures_util::StreamExt as _;
///
/// # async fn run() -> Result<(), claude_rs_agents::work::WorkError> {
/// let key = Secret::new(std::env::var("ENVIRONMENT_KEY").unwrap_or_default());
/// let poller = WorkPoller::builder("env_...", key).build()?;
/// let mut work = std::pin::pin!(poller.stream());
/// while let Some(item) = work.next().await {
///     let item = item?;
///     println!("running session {}", item.session_id());
///     // ... serve the session while the lease holds ...
///     item.finish().await?;
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct WorkPoller {
    shared: Arc<Shared>,
}

struct Shared {
    client: Client,
    make_client: MakeClient,
    environment_id: String,
    worker_header: HeaderValue,
    query: EnvironmentsWorkPollQuery,
    drain: bool,
    idle_delay: Duration,
    heartbeats: bool,
    heartbeat_interval: Duration,
    desired_ttl: Option<Duration>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkPoller")
            .field("client", &self.client)
            .field("environment_id", &self.environment_id)
            .field("worker_header", &self.worker_header)
            .field("drain", &self.drain)
            .finish_non_exhaustive()
    }
}

impl WorkPoller {
    /// A poller of environment `environment_id` with its key.
    pub fn builder(environment_id: impl Into<String>, key: Secret) -> WorkPollerBuilder {
        WorkPollerBuilder {
            environment_id: environment_id.into(),
            key,
            client: Arc::new(Client::builder),
            worker_id: None,
            block_ms: Some(999),
            reclaim_older_than: None,
            drain: false,
            idle_delay: Duration::from_secs(2),
            heartbeats: true,
            heartbeat_interval: Duration::from_secs(30),
            desired_ttl: None,
        }
    }

    /// The poller's client (authenticated by the environment key), for the
    /// other calls of the work queue (`client.environments().work()`).
    pub fn client(&self) -> &Client {
        &self.shared.client
    }

    /// One poll: the next item, acknowledged, with its lease (heartbeating
    /// unless [`heartbeats`](WorkPollerBuilder::heartbeats) is off), or
    /// `None` when the queue stayed empty for the poll's `block_ms`.
    pub async fn next(&self) -> Result<Option<WorkItem>, WorkError> {
        let shared = &self.shared;
        let work = shared.client.environments().work();
        let polled: Option<SelfHostedWork> = work
            .poll(&shared.environment_id, &shared.query)
            .header(WORKER_ID, shared.worker_header.clone())
            .output()
            .await
            .map_err(|source| WorkError::Call {
                operation: "poll",
                work_id: None,
                source: Box::new(source),
            })?;
        let Some(mut polled) = polled else {
            return Ok(None);
        };
        let secret = polled.secret.take().map(Secret::new);
        let mut acked = work
            .ack(&shared.environment_id, &polled.id)
            .timeout(ACK_TIMEOUT)
            .await
            .map_err(|source| WorkError::Call {
                operation: "ack",
                work_id: Some(polled.id.clone()),
                source: Box::new(source),
            })?;
        acked.secret = None;
        let clients = ItemClients {
            make: Arc::clone(&shared.make_client),
            poller: shared.client.clone(),
        };
        // The item's calls, its lease's included, carry its sessions token
        // when the secret has one, as the official SDKs' worker does; else
        // the environment key.
        let session = clients.with_token(&acked.id, secret.as_ref());
        let lease = Lease::new(
            session.clone().unwrap_or_else(|| shared.client.clone()),
            shared.environment_id.clone(),
            acked.id.clone(),
            shared.heartbeat_interval,
            shared.desired_ttl,
        );
        if shared.heartbeats {
            lease.spawn_heartbeats();
        }
        Ok(Some(WorkItem::new(acked, secret, lease, clients, session)))
    }

    /// Every item, as it comes: polls again after an empty poll (after the
    /// idle delay) unless draining. A failed poll or acknowledgement is
    /// yielded as an error; after a transient one the stream waits (1 s
    /// doubling to a minute) and goes on, after any other it ends.
    pub fn stream(&self) -> impl Stream<Item = Result<WorkItem, WorkError>> + Send + 'static {
        let poller = self.clone();
        futures_util::stream::unfold(
            (poller, None::<Duration>, 0u32, false),
            |(poller, wait, mut failures, over)| async move {
                if over {
                    return None;
                }
                if let Some(wait) = wait {
                    tokio::time::sleep(wait).await;
                }
                loop {
                    match poller.next().await {
                        Ok(Some(item)) => {
                            return Some((Ok(item), (poller, None, 0, false)));
                        }
                        Ok(None) if poller.shared.drain => return None,
                        Ok(None) => {
                            failures = 0;
                            let idle = poller.shared.idle_delay;
                            tokio::time::sleep(Backoff::new(idle, idle).delay(0)).await;
                        }
                        Err(error) => {
                            let transient = error.is_transient();
                            let wait = FAILED.delay(failures);
                            let state =
                                (poller, Some(wait), failures.saturating_add(1), !transient);
                            return Some((Err(error), state));
                        }
                    }
                }
            },
        )
    }
}
