//! [`MockServer`]: the running mock, its builder and its accept loop.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use claude_rs_types::files::FileMetadata;
use claude_rs_types::models::ModelInfo;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::body::KillSwitch;
use crate::cassette;
use crate::catalog::default_models;
use crate::config::{BatchCompletion, Config};
use crate::fault::{Fault, FaultRule};
use crate::io::KillableIo;
use crate::ratelimit::RateLimits;
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::route::Route;
use crate::routes::{self, batches};
use crate::script::{self, ScriptError};
use crate::service;
use crate::state::State;
use crate::vocab::{Platform, PlatformAuth};

/// A running mock of the Claude API on a loopback port.
///
/// Start it, point the client's base URL at [`MockServer::base_url`], script
/// replies and faults, then assert on [`MockServer::requests`]. Everything is
/// shared with the serving task, so the methods take `&self` and can be
/// called while requests are in flight. Dropping the server stops it.
///
/// With `claude-rs-client`, see the client's "Testing your code" section;
/// here, any HTTP client works (a hidden helper POSTs with HTTP/1.1 by hand):
///
/// ```
/// use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
/// # use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// # /// POSTs `body` to `path`; returns the status and the response body.
/// # async fn post(server: &MockServer, path: &str, body: &str) -> std::io::Result<(u16, String)> {
/// #     let mut socket = tokio::net::TcpStream::connect(server.address()).await?;
/// #     let head = format!("POST {path} HTTP/1.1\r\nhost: mock\r\nanthropic-version: 2023-06-01\r\n\
/// #         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
/// #     socket.write_all(format!("{head}{body}").as_bytes()).await?;
/// #     let mut response = String::new();
/// #     socket.read_to_string(&mut response).await?;
/// #     let status = response[9..12].parse().expect("a status code");
/// #     Ok((status, response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default()))
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = MockServer::start().await;
/// // The first call is overloaded; the next gets the scripted reply.
/// server.inject(FaultRule::once(Fault::overloaded()).on(Route::Messages));
/// server.enqueue(MockResponse::text("Scripted answer"));
///
/// let hi = r#"{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#;
/// let (status, body) = post(&server, "/v1/messages", hi).await?;
/// assert_eq!(status, 529);
/// assert!(body.contains(r#""type":"overloaded_error""#));
/// let (status, body) = post(&server, "/v1/messages", hi).await?;
/// assert_eq!(status, 200);
/// assert_eq!(serde_json::from_str::<claude_rs_types::message::Message>(&body)?.text(), "Scripted answer");
///
/// // The mock checks requests as the API does.
/// let (status, body) = post(&server, "/v1/messages", r#"{"model":"claude-haiku-4-5"}"#).await?;
/// assert_eq!(status, 400);
/// assert!(body.contains("invalid_request_error"));
/// assert_eq!(server.received_on(Route::Messages).len(), 3);
/// # Ok(())
/// # }
/// ```
pub struct MockServer {
    state: Arc<State>,
    address: SocketAddr,
    _shutdown: watch::Sender<()>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.state.base_url)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a mock with default settings on `127.0.0.1` and a free port.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, or outside a Tokio runtime; use
    /// [`MockServerBuilder::try_start`] to handle the former.
    pub async fn start() -> MockServer {
        Self::builder().start().await
    }

    /// A builder, for an API key, batch timing, models or the address.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL to give the client, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// The base URL to give a platform's client: [`base_url`](Self::base_url)
    /// with the platform's [`base_path`](Platform::base_path)
    /// (`{base}/v1` for Vertex, `{base}/anthropic` for Mantle and Foundry).
    pub fn platform_base_url(&self, platform: Platform) -> String {
        format!("{}{}", self.state.base_url, platform.base_path())
    }

    /// The socket address the mock listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Queues a reply for the next `POST /v1/messages` (replies are served in
    /// the order queued, before any handler or default reply).
    pub fn enqueue(&self, response: MockResponse) {
        self.enqueue_on(Route::Messages, response);
    }

    /// Queues a reply for the next request of `route`.
    pub fn enqueue_on(&self, route: Route, response: MockResponse) {
        let mut inner = self.state.lock();
        inner.queues.entry(route).or_default().push_back(response);
    }

    /// The number of queued replies of `route` not yet served.
    pub fn queued(&self, route: Route) -> usize {
        self.state.lock().queues.get(&route).map_or(0, |q| q.len())
    }

    /// Answers `POST /v1/messages` with a closure once the queue is empty;
    /// return [`MockResponse::default_reply`] to fall back to the echo.
    /// Replaces any earlier handler of the route.
    pub fn respond_with<F>(&self, handler: F)
    where
        F: Fn(&RecordedRequest) -> MockResponse + Send + Sync + 'static,
    {
        self.respond_on(Route::Messages, handler);
    }

    /// Answers the requests of `route` with a closure once its queue is empty.
    pub fn respond_on<F>(&self, route: Route, handler: F)
    where
        F: Fn(&RecordedRequest) -> MockResponse + Send + Sync + 'static,
    {
        self.state.lock().handlers.insert(route, Arc::new(handler));
    }

    /// Schedules a fault for coming requests.
    pub fn inject(&self, rule: FaultRule) {
        self.state.lock().rules.push(rule);
    }

    /// Applies `fault` to the next request, whatever its route.
    pub fn fail_next(&self, fault: Fault) {
        self.inject(FaultRule::once(fault));
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().requests.clone()
    }

    /// The requests received on `path` (without query), in order.
    pub fn received(&self, path: &str) -> Vec<RecordedRequest> {
        let inner = self.state.lock();
        inner
            .requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// The requests received on `route`, in order.
    pub fn received_on(&self, route: Route) -> Vec<RecordedRequest> {
        let inner = self.state.lock();
        inner
            .requests
            .iter()
            .filter(|r| r.route == Some(route))
            .cloned()
            .collect()
    }

    /// The last request received, if any.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.state.lock().requests.last().cloned()
    }

    /// Forgets the recorded requests, queued replies, handlers and fault
    /// rules (batches and files are kept), so one server can serve several
    /// independent phases of a test.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Loads a JSON script, the same document the control API takes at
    /// `POST /_mock/script`: its replies are queued after those already
    /// queued and its fault rules added. Nothing is loaded if any part of
    /// it is wrong.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), claude_rs_mock::ScriptError> {
    /// use claude_rs_mock::{MockServer, Route};
    ///
    /// let server = MockServer::start().await;
    /// server.load_script(r#"{
    ///     "replies": {"messages": [{"text": "first"}, {"text": "second"}]},
    ///     "faults": [{"fault": {"kind": "overloaded"}, "times": 1, "route": "messages"}]
    /// }"#)?;
    /// assert_eq!(server.queued(Route::Messages), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn load_script(&self, script: &str) -> Result<(), ScriptError> {
        self.state.load(script::parse(script)?);
        Ok(())
    }

    /// How many TCP connections the server has accepted since it started:
    /// with a pooling client, a measure of connection reuse.
    pub fn connections(&self) -> usize {
        self.state.connections()
    }

    /// How many accepted TCP connections are still open (the server closes
    /// its side when the client closes, or when a fault resets it).
    pub fn open_connections(&self) -> usize {
        self.state.open_connections()
    }

    /// Replaces the rate limits and starts a new window.
    pub fn set_rate_limits(&self, limits: RateLimits) {
        self.state.set_rate_limits(limits);
    }

    /// Stores a file as a tool (code execution, say) would have made it: it
    /// is listed with `downloadable: true` and its content can be
    /// downloaded, which uploaded files cannot. Returns its metadata (its
    /// `id` goes in a `container_upload` or a scripted reply).
    pub fn add_generated_file(
        &self,
        filename: &str,
        mime_type: &str,
        bytes: impl Into<bytes::Bytes>,
    ) -> FileMetadata {
        routes::files::add_made(&self.state, filename, mime_type, bytes.into())
    }

    /// Ends the batch `id` now, revealing its results (for
    /// [`BatchCompletion::Manual`]); `false` if there is no such batch.
    pub fn end_batch(&self, id: &str) -> bool {
        batches::end(&self.state, id)
    }
}

/// Managed Agents: stream cuts, environment keys, agent replies and tool calls.
impl MockServer {
    /// Cuts the next connection to a session's (or a thread's) event
    /// stream after `after_events` events: the connection closes there,
    /// after half of the next event's frame when `mid_frame`. That next
    /// event is persisted all the same, so it shows in the history
    /// (`GET /v1/sessions/{id}/events`) but this connection never delivers
    /// it. Cuts queue up, one per coming connection.
    pub fn cut_next_stream(&self, after_events: usize, mid_frame: bool) {
        let cut = crate::agent_store::StreamCut {
            after_events,
            mid_frame,
        };
        crate::agents::control::cut_next_stream(&self.state, cut);
    }

    /// The key the workers of self-hosted environment `environment_id`
    /// present as `Authorization: Bearer` to its work queue; `None` for an
    /// unknown environment.
    pub fn environment_key(&self, environment_id: &str) -> Option<String> {
        crate::agents::control::environment_key(&self.state, environment_id)
    }

    /// Queues the text of the scripted agent's next plain reply (an
    /// `agent.message` answering a `user.message` when the agent calls no
    /// tool), instead of its default `You said: <text>`.
    pub fn enqueue_agent_reply(&self, text: impl Into<String>) {
        crate::agents::control::enqueue_reply(&self.state, text.into());
    }

    /// Queues the custom tool calls the scripted agent makes in its next
    /// turn (answering a `user.message`), all at once: one
    /// `agent.custom_tool_use` per `(tool name, session thread id)`, in
    /// order, the thread's id as its `session_thread_id` (`None`: the
    /// primary thread, no field), then `session.status_idle` with
    /// `requires_action` naming them all. The turn goes on once every call
    /// has its `user.custom_tool_result`: the reply quotes each result, one
    /// line per call (`The <tool> tool returned: <text>`). Each input is
    /// made from the tool's schema when the agent has that custom tool
    /// (`{}` otherwise). Each call queues one turn; an empty list queues
    /// nothing.
    pub fn enqueue_agent_tool_calls<'a>(
        &self,
        calls: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) {
        let calls: Vec<_> = calls
            .into_iter()
            .map(|(name, thread)| crate::agent_store::ToolCall {
                name: name.to_owned(),
                thread: thread.map(str::to_owned),
            })
            .collect();
        if !calls.is_empty() {
            crate::agents::control::enqueue_tool_calls(&self.state, calls);
        }
    }
}
/// How many users the Admin API's organization has unless told.
const DEFAULT_ADMIN_USERS: usize = 5;

/// Settings of a [`MockServer`] before it starts.
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    address: SocketAddr,
    config: Config,
    replay: Option<PathBuf>,
    #[cfg(feature = "record")]
    record: Option<(String, PathBuf)>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            config: Config {
                api_key: None,
                admin_key: None,
                admin_users: DEFAULT_ADMIN_USERS,
                platforms: Default::default(),
                validate: true,
                batch_completion: BatchCompletion::default(),
                models: default_models(),
                rate_limits: RateLimits::default(),
                oauth: Default::default(),
                replay_timing: false,
                stream_ping_interval: crate::config::DEFAULT_STREAM_PING,
                #[cfg(feature = "record")]
                upstream: None,
            },
            replay: None,
            #[cfg(feature = "record")]
            record: None,
        }
    }
}

impl MockServerBuilder {
    /// Requires this key in `x-api-key` (or `Authorization: Bearer`);
    /// otherwise 401 `authentication_error`, as the API answers. Without a
    /// key any credentials (or none) are accepted.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.config.api_key = Some(key.into());
        self
    }

    /// The organization's number of users in the Admin API
    /// (`/v1/organizations/users`; 5 by default). Users are generated from
    /// their index when listed or read, so a large organization (say
    /// 100 000 users, to test a client's paging) costs no memory until one
    /// is changed or removed. The first user is the organization's admin;
    /// the first three are members of the first workspace.
    pub fn admin_users(mut self, count: usize) -> Self {
        self.config.admin_users = count;
        self
    }

    /// Requires this admin key on the Admin API (`/v1/organizations/...`);
    /// another key is refused with 401 `authentication_error`. Without one,
    /// any key beginning `sk-ant-admin` is accepted. Either way, a request
    /// with no key gets 401 and one with a key that is not an admin key
    /// gets 403 `permission_error`, as the API answers; the key is read
    /// from `x-api-key` or `Authorization: Bearer`.
    pub fn admin_key(mut self, key: impl Into<String>) -> Self {
        self.config.admin_key = Some(key.into());
        self
    }

    /// Whether requests are validated like the API does (on by default):
    /// the `anthropic-version` header and the Messages body. Turn it off to
    /// script replies for deliberately odd requests.
    pub fn validation(mut self, on: bool) -> Self {
        self.config.validate = on;
        self
    }

    /// When created batches end.
    pub fn batch_completion(mut self, completion: BatchCompletion) -> Self {
        self.config.batch_completion = completion;
        self
    }

    /// The rate limits announced in the `anthropic-ratelimit-*` headers of
    /// Messages replies (and applied, if enforced); generous and not
    /// enforced by default.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.config.rate_limits = limits;
        self
    }

    /// The models served by the Models API, newest first.
    pub fn models(mut self, models: Vec<ModelInfo>) -> Self {
        self.config.models = models;
        self
    }

    /// Replays the cassettes of `dir` (see [`record`](MockServerBuilder::record)):
    /// each API request is answered by the recorded response whose request
    /// has the same method, path, query and body (JSON compared by value);
    /// one that matches nothing gets 404 `not_found_error` naming the
    /// closest cassette and what differs. Scripts and faults still apply.
    pub fn replay(mut self, dir: impl Into<PathBuf>) -> Self {
        self.replay = Some(dir.into());
        self
    }

    /// The interval between the `ping` frames of the Managed Agents event
    /// streams (15 s by default; zero sends none). Tests of a client's
    /// idle handling shorten it.
    pub fn stream_ping_interval(mut self, interval: std::time::Duration) -> Self {
        self.config.stream_ping_interval = interval;
        self
    }

    /// Whether replay keeps the pauses recorded between the chunks of each
    /// response (off by default: replayed responses come at once).
    pub fn replay_timing(mut self, on: bool) -> Self {
        self.config.replay_timing = on;
        self
    }

    /// Records: every API request is forwarded to `upstream` (for example
    /// `https://api.anthropic.com`, with the client's own credentials) and
    /// the exchange is written to `dir` as a cassette, credentials redacted.
    /// The client gets the upstream's response.
    #[cfg(feature = "record")]
    pub fn record(mut self, upstream: impl Into<String>, dir: impl Into<PathBuf>) -> Self {
        self.record = Some((upstream.into(), dir.into()));
        self
    }

    /// Serves the jwt-bearer grant of `POST /v1/oauth/token` for this
    /// federation rule of this organization only (repeatable); other rules
    /// get 401 `invalid_grant`. Without any rule every well-formed exchange
    /// (a JWT-shaped assertion, a rule and an organization) is accepted.
    ///
    /// With a rule or an [`oauth_client`](Self::oauth_client), API requests
    /// need a token the endpoint issued (unexpired) or the
    /// [`api_key`](Self::api_key), as `Authorization: Bearer`.
    pub fn federation_rule(
        mut self,
        rule_id: impl Into<String>,
        organization_id: impl Into<String>,
    ) -> Self {
        self.config
            .oauth
            .rules
            .push((rule_id.into(), organization_id.into()));
        self
    }

    /// Serves the refresh_token grant for `client_id`, starting from
    /// `refresh_token`; each refresh answers a new refresh token and
    /// retires the one used (repeatable).
    pub fn oauth_client(
        mut self,
        client_id: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        self.config
            .oauth
            .clients
            .push((client_id.into(), refresh_token.into()));
        self
    }

    /// The `expires_in` of the access tokens the token endpoint issues, in
    /// seconds (default 3600; 0 or less issues tokens already expired).
    pub fn token_lifetime(mut self, seconds: i64) -> Self {
        self.config.oauth.lifetime = seconds;
        self
    }

    /// The platform credentials to require (set by the methods in
    /// `platform_keys.rs`).
    pub(crate) fn platforms_mut(&mut self) -> &mut PlatformAuth {
        &mut self.config.platforms
    }

    /// The address to bind; `127.0.0.1:0` (a free loopback port) by default.
    /// Keep it on loopback: the mock has no security of its own.
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Starts the server.
    ///
    /// # Panics
    ///
    /// If the address cannot be bound, or outside a Tokio runtime.
    pub async fn start(self) -> MockServer {
        match self.try_start().await {
            Ok(server) => server,
            Err(err) => panic!("claude-rs-mock: cannot start the mock server: {err}"),
        }
    }

    /// Starts the server, or says why it could not bind.
    #[cfg_attr(not(feature = "record"), allow(unused_mut))]
    pub async fn try_start(mut self) -> io::Result<MockServer> {
        #[cfg(feature = "record")]
        if let Some((upstream, dir)) = self.record.take() {
            let upstream = cassette::proxy::Upstream::new(&upstream, dir)?;
            self.config.upstream = Some(Arc::new(upstream));
        }
        let cassettes = match &self.replay {
            Some(dir) => cassette::load_dir(dir)?,
            None => Vec::new(),
        };
        let listener = TcpListener::bind(self.address).await?;
        let address = listener.local_addr()?;
        let base_url = format!("http://{address}");
        let state = Arc::new(State::new(self.config, base_url));
        state.lock().replay = cassette::Replay::new(cassettes);
        let (shutdown, stopped) = watch::channel(());
        tokio::spawn(accept_loop(listener, Arc::clone(&state), stopped));
        Ok(MockServer {
            state,
            address,
            _shutdown: shutdown,
        })
    }
}

/// Accepts connections until the [`MockServer`] is dropped.
async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<()>) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of descriptors, say: wait rather than spin.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        let open = state.connection_opened();
        let _ = stream.set_nodelay(true);
        let kill = KillSwitch::default();
        let io = TokioIo::new(KillableIo::new(stream, kill.clone()));
        let state = Arc::clone(&state);
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let _open = open;
            let closer = kill.clone();
            let service = service_fn(move |request| {
                service::handle(Arc::clone(&state), request, kill.clone())
            });
            let builder = auto::Builder::new(TokioExecutor::new());
            let connection = builder.serve_connection(io, service);
            tokio::select! {
                _ = connection => {}
                _ = closer.closed() => {}
                _ = stopped.changed() => {}
            }
        });
    }
}
