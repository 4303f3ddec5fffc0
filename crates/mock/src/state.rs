//! The server's shared state: configuration, script, recordings, resources.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::cassette::Replay;
use crate::config::Config;
use crate::fault::{Fault, FaultRule};
use crate::ratelimit::{self, RateLimits};
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::route::Route;
use crate::script::Script;
use crate::store::{Batch, StoredFile, StoredSkill};

/// A handler closure answering the requests of a route.
pub(crate) type Handler = Arc<dyn Fn(&RecordedRequest) -> MockResponse + Send + Sync>;

/// State shared by the server handle and every connection.
pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) base_url: String,
    /// The access and refresh tokens `POST /v1/oauth/token` issued.
    pub(crate) oauth: crate::oauth::Issued,
    inner: Mutex<Inner>,
    /// TCP connections accepted since the start.
    accepted: AtomicUsize,
    /// TCP connections accepted and not yet closed.
    open: Arc<AtomicUsize>,
}

/// Counts a connection as open while it lives.
#[derive(Debug)]
pub(crate) struct OpenConnection(Arc<AtomicUsize>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The mutable part of [`State`].
pub(crate) struct Inner {
    pub(crate) requests: Vec<RecordedRequest>,
    route_counts: HashMap<Option<Route>, usize>,
    pub(crate) queues: HashMap<Route, VecDeque<MockResponse>>,
    pub(crate) handlers: HashMap<Route, Handler>,
    pub(crate) rules: Vec<FaultRule>,
    ids: HashMap<String, u64>,
    pub(crate) batches: Vec<Batch>,
    pub(crate) files: Vec<StoredFile>,
    pub(crate) skills: Vec<StoredSkill>,
    /// The resources of the description-driven store.
    pub(crate) resources: crate::resources::Store,
    pub(crate) rate_limits: RateLimits,
    pub(crate) rate_usage: ratelimit::Usage,
    /// The cassettes replayed, if any.
    pub(crate) replay: Replay,
    /// Managed Agents: agents, environments, sessions, the work queue.
    pub(crate) agents: crate::agent_store::Store,
}

impl State {
    pub(crate) fn new(config: Config, base_url: String) -> Self {
        let inner = Inner {
            requests: Vec::new(),
            route_counts: HashMap::new(),
            queues: HashMap::new(),
            handlers: HashMap::new(),
            rules: Vec::new(),
            ids: HashMap::new(),
            batches: Vec::new(),
            files: Vec::new(),
            skills: Vec::new(),
            resources: crate::resources::seeded(&config),
            rate_limits: config.rate_limits,
            rate_usage: ratelimit::Usage::default(),
            replay: Replay::default(),
            agents: crate::agent_store::Store::default(),
        };
        State {
            config,
            base_url,
            oauth: Default::default(),
            inner: Mutex::new(inner),
            accepted: AtomicUsize::new(0),
            open: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Counts a newly accepted connection; it stays open until the returned
    /// guard is dropped.
    pub(crate) fn connection_opened(&self) -> OpenConnection {
        self.accepted.fetch_add(1, Ordering::SeqCst);
        self.open.fetch_add(1, Ordering::SeqCst);
        OpenConnection(Arc::clone(&self.open))
    }

    /// Connections accepted since the start.
    pub(crate) fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Connections currently open.
    pub(crate) fn open_connections(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// The mutable state; a panic elsewhere while holding it (for example in
    /// a user's handler) does not make every later request panic.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A new deterministic id: `<prefix>_mock_<n>` with a per-prefix counter.
    pub(crate) fn next_id(&self, prefix: &str) -> String {
        self.lock().next_id(prefix)
    }

    /// Records a request, numbering it on its route; returns the recorded
    /// request and the faults scheduled for it.
    pub(crate) fn record(&self, mut request: RecordedRequest) -> (RecordedRequest, Fault) {
        let mut inner = self.lock();
        let count = inner.route_counts.entry(request.route).or_default();
        *count += 1;
        request.route_index = *count;
        inner.requests.push(request.clone());
        let global = inner.requests.len();
        let mut fault = Fault::default();
        for rule in &mut inner.rules {
            if let Some(hit) = rule.strike(request.route, request.route_index, global) {
                fault = fault.and(hit);
            }
        }
        inner.rules.retain(|rule| !rule.is_spent());
        (request, fault)
    }

    /// The scripted reply for a request: the route's queue first, then its
    /// handler; `None` when neither has one.
    pub(crate) fn scripted(&self, route: Route, request: &RecordedRequest) -> Option<MockResponse> {
        let handler = {
            let mut inner = self.lock();
            if let Some(reply) = inner.queues.get_mut(&route).and_then(VecDeque::pop_front) {
                return Some(reply);
            }
            inner.handlers.get(&route).cloned()
        };
        // The lock is released: the handler is user code.
        handler.map(|handler| handler(request))
    }
}

impl State {
    /// Queues a script's replies and adds its fault rules.
    pub(crate) fn load(&self, script: Script) {
        let mut inner = self.lock();
        for (route, reply) in script.replies {
            inner.queues.entry(route).or_default().push_back(reply);
        }
        inner.rules.extend(script.rules);
    }

    /// Replaces the rate limits and starts a new window.
    pub(crate) fn set_rate_limits(&self, limits: RateLimits) {
        let mut inner = self.lock();
        inner.rate_limits = limits;
        inner.rate_usage = ratelimit::Usage::default();
    }

    /// Forgets the recorded requests, queued replies, handlers and fault
    /// rules, stream cuts and queued agent replies (batches, files and
    /// Managed Agents resources are kept).
    pub(crate) fn reset(&self) {
        let mut inner = self.lock();
        inner.agents.cuts.clear();
        inner.agents.replies.clear();
        inner.requests.clear();
        inner.queues.clear();
        inner.handlers.clear();
        inner.rules.clear();
    }
}

impl Inner {
    /// See [`State::next_id`].
    pub(crate) fn next_id(&mut self, prefix: &str) -> String {
        let n = self.ids.entry(prefix.to_owned()).or_default();
        *n += 1;
        format!("{prefix}_mock_{n:06}")
    }
}
