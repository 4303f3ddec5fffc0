//! A session's events as one stream that survives reconnects: every
//! persisted event is handed over exactly once, in order.
//!
//! The live stream carries only what happens after it is opened, and the
//! history (`GET .../events`) only what was persisted when it is read. So the
//! stream is opened first and the history read second: an event persisted in
//! between is in both and is handed over once, because the ids handed over
//! are remembered. When the connection drops (or the server closes it, as
//! proxies do with quiet connections), the stream reconnects after a capped,
//! jittered backoff and catches up the same way: reopen, then read what was
//! persisted after the last event handed over. Events that are never
//! persisted (the `event_start` / `event_delta` previews of a message being
//! written) carry no id and are handed over as they arrive.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use claude_rs_client::{Backoff, Error};
use futures_core::Stream;
use futures_util::StreamExt;

/// A boxed stream of events, as the sources of a [`ResumableStream`] give them.
pub type BoxEvents<E> = Pin<Box<dyn Stream<Item = Result<E, Error>> + Send>>;

/// Opening a live stream.
pub type Opening<'a, E> = Pin<Box<dyn Future<Output = Result<BoxEvents<E>, Error>> + Send + 'a>>;

/// What a [`ResumableStream`] reads from an event.
pub trait Persisted {
    /// The id of a persisted event; `None` for what only the live stream
    /// carries.
    fn event_id(&self) -> Option<&str>;

    /// Whether nothing can follow this event (the session was deleted or
    /// terminated): the stream ends after handing it over.
    fn is_last(&self) -> bool;
}

/// Where a [`ResumableStream`] reads from: a live stream and the history.
pub trait Source<E>: Send + Sync {
    /// Opens the live stream.
    fn open(&self) -> Opening<'_, E>;

    /// The history, oldest first, every page.
    fn history(&self) -> BoxEvents<E>;

    /// The history newest first, every page, when the endpoint can list that
    /// way: a reconnect then reads only what it missed, not the whole
    /// history again.
    fn history_newest_first(&self) -> Option<BoxEvents<E>>;
}

/// How a [`ResumableStream`] starts and reconnects.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResumeOptions {
    /// Hand over the history persisted before the stream was opened, then
    /// the live events. Default is `true`; `false` starts from the moment the
    /// stream is opened.
    pub history: bool,
    /// The delay before each reconnect: 0.5 s doubling to 10 s, less up to a
    /// quarter at random. Default is [`Backoff::RECONNECT`].
    pub backoff: Backoff,
    /// Reconnects in a row without an event in between after which the last
    /// error is returned. Default is `None`: reconnect for as long as the
    /// errors are transient.
    pub max_reconnects: Option<u32>,
    /// Ask for the previews of messages being written (`event_start` and
    /// `event_delta`, `event_deltas[]=agent.message`), to fold with a
    /// [`MessagePreview`](super::MessagePreview). Default is `false`.
    pub event_deltas: bool,
}

impl Default for ResumeOptions {
    fn default() -> Self {
        Self {
            history: true,
            backoff: Backoff::RECONNECT,
            max_reconnects: None,
            event_deltas: false,
        }
    }
}

impl ResumeOptions {
    /// Whether to hand over the history first. Default is `true`.
    pub fn history(mut self, history: bool) -> Self {
        self.history = history;
        self
    }

    /// The reconnect delays. Default is [`Backoff::RECONNECT`].
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Whether to ask for message previews. Default is `false`.
    pub fn event_deltas(mut self, event_deltas: bool) -> Self {
        self.event_deltas = event_deltas;
        self
    }

    /// Gives up after `max` reconnects in a row without an event. Default is
    /// to keep reconnecting while the errors are transient.
    pub fn max_reconnects(mut self, max: u32) -> Self {
        self.max_reconnects = Some(max);
        self
    }
}

/// A session's (or a thread's) events across reconnects: each persisted
/// event once, in order, and the live-only previews as they come.
///
/// It ends after an event that ends the session, or with an error that
/// reconnecting cannot mend (the session is gone, the key is refused, an
/// event cannot be decoded); transient failures (a dropped connection, a
/// quiet connection timed out, an overloaded server) lead to a reconnect and
/// a catch-up, never to an error, unless
/// [`ResumeOptions::max_reconnects`] says so.
#[must_use = "streams do nothing unless polled"]
pub struct ResumableStream<E> {
    source: Box<dyn Source<E>>,
    options: ResumeOptions,
    live: Option<BoxEvents<E>>,
    /// The history being handed over after a (re)connect, oldest first.
    replay: Option<BoxEvents<E>>,
    /// While set, the replay is skipped up to and including this event (the
    /// last one handed over before a reconnect).
    replay_after: Option<Arc<str>>,
    /// What a reconnect found missing, oldest first.
    missed: VecDeque<E>,
    delivered: HashSet<Arc<str>>,
    last_id: Option<Arc<str>>,
    started: bool,
    /// Failures in a row since the last event.
    failures: u32,
    reconnects: u64,
    done: bool,
}

impl<E> fmt::Debug for ResumableStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResumableStream")
            .field("connected", &self.live.is_some())
            .field("delivered", &self.delivered.len())
            .field("last_id", &self.last_id)
            .field("reconnects", &self.reconnects)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<E: Persisted + Send + 'static> ResumableStream<E> {
    /// A stream over `source`; nothing is sent until the first
    /// [`next`](Self::next).
    pub fn new(source: impl Source<E> + 'static, options: ResumeOptions) -> Self {
        Self {
            source: Box::new(source),
            options,
            live: None,
            replay: None,
            replay_after: None,
            missed: VecDeque::new(),
            delivered: HashSet::new(),
            last_id: None,
            started: false,
            failures: 0,
            reconnects: 0,
            done: false,
        }
    }

    /// How many times the stream reconnected.
    pub fn reconnects(&self) -> u64 {
        self.reconnects
    }

    /// The next event, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<E, Error>> {
        loop {
            if self.done {
                return None;
            }
            if let Some(event) = self.missed.pop_front() {
                if let Some(event) = self.admit(event) {
                    return Some(Ok(event));
                }
                continue;
            }
            if let Some(replay) = self.replay.as_mut() {
                match replay.next().await {
                    Some(Ok(event)) if self.replay_after.is_some() => {
                        if event.event_id() == self.replay_after.as_deref() {
                            self.replay_after = None;
                        }
                    }
                    Some(Ok(event)) => {
                        if let Some(event) = self.admit(event) {
                            return Some(Ok(event));
                        }
                    }
                    Some(Err(error)) => {
                        if let Some(error) = self.dropped(error) {
                            return Some(Err(error));
                        }
                    }
                    None => self.replay = None,
                }
                continue;
            }
            let Some(live) = self.live.as_mut() else {
                if let Err(error) = self.connect().await
                    && let Some(error) = self.dropped(error)
                {
                    return Some(Err(error));
                }
                continue;
            };
            match live.next().await {
                Some(Ok(event)) => {
                    self.failures = 0;
                    if let Some(event) = self.admit(event) {
                        return Some(Ok(event));
                    }
                }
                Some(Err(error)) => {
                    if let Some(error) = self.dropped(error) {
                        return Some(Err(error));
                    }
                }
                // The server closed a healthy stream: reconnect and catch up.
                None => {
                    self.live = None;
                    self.failures += 1;
                }
            }
        }
    }

    /// Turns the stream into a [`Stream`].
    pub fn into_stream(self) -> impl Stream<Item = Result<E, Error>> + Send {
        futures_util::stream::unfold(self, |mut this| async move {
            this.next().await.map(|item| (item, this))
        })
    }

    /// Opens the live stream, then queues what the caller has not seen.
    async fn connect(&mut self) -> Result<(), Error> {
        if self.failures > 0 {
            self.reconnects += 1;
            tokio::time::sleep(self.options.backoff.delay(self.failures - 1)).await;
        }
        self.live = Some(self.source.open().await?);
        let first = !std::mem::replace(&mut self.started, true);
        match &self.last_id {
            // From the start, or a reconnect before anything was handed over.
            None if self.options.history || !first => {
                self.replay = Some(self.source.history());
            }
            // From now: the newest persisted event marks where "now" is, so
            // that a reconnect knows what it missed.
            None => self.last_id = newest(&*self.source).await?,
            Some(last) => {
                let last = Arc::clone(last);
                match self.source.history_newest_first() {
                    Some(newest_first) => self.missed = missed_since(newest_first, &last).await?,
                    None => {
                        self.replay = Some(self.source.history());
                        self.replay_after = Some(last);
                    }
                }
            }
        }
        Ok(())
    }

    /// Hands `event` over unless it already was; remembers its id.
    fn admit(&mut self, event: E) -> Option<E> {
        if let Some(id) = event.event_id() {
            if self.delivered.contains(id) {
                return None;
            }
            let id: Arc<str> = Arc::from(id);
            self.delivered.insert(Arc::clone(&id));
            self.last_id = Some(id);
        }
        if event.is_last() {
            self.done = true;
        }
        Some(event)
    }

    /// A failure of the connection or of the catch-up: `None` to reconnect,
    /// else the error that ends the stream.
    fn dropped(&mut self, error: Error) -> Option<Error> {
        self.live = None;
        self.replay = None;
        self.replay_after = None;
        self.missed.clear();
        self.failures += 1;
        let patient = self
            .options
            .max_reconnects
            .is_none_or(|max| self.failures <= max);
        if patient && mendable(&error) {
            return None;
        }
        self.done = true;
        Some(error)
    }
}

/// The id of the newest persisted event.
async fn newest<E: Persisted>(source: &dyn Source<E>) -> Result<Option<Arc<str>>, Error> {
    let newest = match source.history_newest_first() {
        Some(mut newest_first) => newest_first.next().await.transpose()?,
        None => {
            let mut oldest_first = source.history();
            let mut last = None;
            while let Some(event) = oldest_first.next().await {
                last = Some(event?);
            }
            last
        }
    };
    Ok(newest.and_then(|event| event.event_id().map(Arc::from)))
}

/// Reads the history newest first down to `last` and returns what is newer,
/// oldest first. When `last` is not found (it left the history), everything
/// is returned and the ids handed over sort it out.
async fn missed_since<E: Persisted>(
    mut newest_first: BoxEvents<E>,
    last: &str,
) -> Result<VecDeque<E>, Error> {
    let mut missed = VecDeque::new();
    while let Some(event) = newest_first.next().await {
        let event = event?;
        if event.event_id() == Some(last) {
            break;
        }
        missed.push_front(event);
    }
    Ok(missed)
}

/// Whether reconnecting can mend `error`: a dropped or quiet connection, a
/// cut or garbled frame, a body that ends early (a history page answered
/// with an empty or cut body: the JSON ends before it is whole), a
/// transient refusal. Not a refusal that would be repeated (the session is
/// gone, the key lacks permission) nor an event that cannot be decoded (the
/// history would hold it too).
fn mendable(error: &Error) -> bool {
    match error {
        Error::Decode { source, .. } => source.is_eof(),
        Error::Api(_) => error.is_retryable(),
        Error::Connection(_)
        | Error::Timeout { .. }
        | Error::Protocol { .. }
        | Error::EventStream(_) => true,
        Error::Credentials { transient, .. } => *transient,
        _ => false,
    }
}
