//! The response body: chunks, pauses and an abrupt end, as faults ask.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::{Notify, mpsc};
use tokio::time::Sleep;

use crate::fault::FaultKind;

/// One step of delivering a body.
#[derive(Debug)]
enum Step {
    Data(Bytes),
    Sleep(Duration),
    Abort,
}

/// A response body that follows a plan of data, pauses and an abort.
#[derive(Debug)]
pub(crate) struct MockBody {
    steps: VecDeque<Step>,
    sleep: Option<Pin<Box<Sleep>>>,
    exact_len: Option<u64>,
    kill: Option<KillSwitch>,
    aborting: bool,
    /// Chunks still to come from a route that writes while the response is
    /// being sent (an event stream, a long poll), after the planned steps.
    live: Option<mpsc::UnboundedReceiver<LiveChunk>>,
}

/// One piece of a live body.
#[derive(Debug)]
pub(crate) enum LiveChunk {
    /// Bytes to send.
    Data(Bytes),
    /// Cut the connection after what was sent (HTTP/1: the bytes already
    /// given are flushed first).
    Abort,
}

/// The receiving end of a live body, until the response takes it; cloning
/// shares it (a reply is cloneable, the stream is taken once).
#[derive(Debug, Clone)]
pub(crate) struct LiveSource(Arc<std::sync::Mutex<Option<mpsc::UnboundedReceiver<LiveChunk>>>>);

impl LiveSource {
    /// A new live body: send its chunks with the sender; dropping the
    /// sender ends the body.
    pub(crate) fn channel() -> (mpsc::UnboundedSender<LiveChunk>, LiveSource) {
        let (tx, rx) = mpsc::unbounded_channel();
        (tx, LiveSource(Arc::new(std::sync::Mutex::new(Some(rx)))))
    }

    fn take(&self) -> Option<mpsc::UnboundedReceiver<LiveChunk>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }
}

/// Closes an HTTP/1 connection once hyper has written out everything it
/// buffered: armed by a body at its abort step, checked by [`crate::io`].
/// It can also close a connection at once, whatever its protocol, for
/// [`FaultKind::ResetBeforeHeaders`]: the connection's task waits on
/// [`KillSwitch::closed`].
#[derive(Debug, Clone, Default)]
pub(crate) struct KillSwitch {
    armed: Arc<AtomicBool>,
    close: Arc<Notify>,
}

impl KillSwitch {
    fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    pub(crate) fn is_armed(&self) -> bool {
        self.armed.load(Ordering::SeqCst)
    }

    /// Drops the connection now, without writing anything more.
    pub(crate) fn close_now(&self) {
        self.close.notify_one();
    }

    /// Completes once [`KillSwitch::close_now`] has been called.
    pub(crate) async fn closed(&self) {
        self.close.notified().await;
    }
}

impl MockBody {
    /// A body of `chunks` (SSE events are one chunk each), delivered with the
    /// delivery faults among `faults`; `kill` is the connection's switch
    /// (HTTP/1 only), used by a reset.
    pub(crate) fn plan(chunks: Vec<Bytes>, faults: &[FaultKind], kill: Option<KillSwitch>) -> Self {
        let all: Bytes = if chunks.len() == 1 {
            chunks[0].clone()
        } else {
            chunks.concat().into()
        };
        let total = all.len();
        let reset = faults
            .iter()
            .filter_map(|f| match f {
                FaultKind::ResetAfter(n) => Some(*n),
                _ => None,
            })
            .min();
        let limit = reset.map_or(total, |n| n.min(total));

        let mut cuts = BTreeSet::from([0, limit]);
        let mut sleeps: BTreeMap<usize, Duration> = BTreeMap::new();
        let mut add_sleep = |at: usize, d: Duration| *sleeps.entry(at).or_default() += d;
        let mut offset = 0;
        let mut boundaries = Vec::new();
        for chunk in &chunks {
            offset += chunk.len();
            boundaries.push(offset);
        }
        let mut delivery_faults = false;
        for fault in faults {
            match *fault {
                FaultKind::DripBytes(size, interval) => {
                    delivery_faults = true;
                    for at in (size..limit).step_by(size) {
                        cuts.insert(at);
                        add_sleep(at, interval);
                    }
                }
                FaultKind::DripEvents(interval) => {
                    delivery_faults = true;
                    for &at in boundaries.iter().filter(|&&at| at < limit) {
                        add_sleep(at, interval);
                    }
                }
                FaultKind::StallAfter(at, duration) if at <= limit => {
                    delivery_faults = true;
                    cuts.insert(at);
                    add_sleep(at, duration);
                }
                _ => {}
            }
        }
        let drips_bytes = faults.iter().any(|f| matches!(f, FaultKind::DripBytes(..)));
        if !drips_bytes {
            // Without a byte drip, each SSE event goes out as its own chunk.
            cuts.extend(boundaries.iter().copied().filter(|&at| at < limit));
        }

        let mut steps = VecDeque::new();
        let cuts: Vec<usize> = cuts.into_iter().collect();
        for pair in cuts.windows(2) {
            if let Some(d) = sleeps.get(&pair[0]) {
                steps.push_back(Step::Sleep(*d));
            }
            steps.push_back(Step::Data(all.slice(pair[0]..pair[1])));
        }
        if let (0, Some(d)) = (limit, sleeps.get(&0)) {
            steps.push_back(Step::Sleep(*d));
        }
        if reset.is_some() {
            steps.push_back(Step::Abort);
        }
        let plain = reset.is_none() && !delivery_faults;
        MockBody {
            steps,
            sleep: None,
            exact_len: plain.then_some(total as u64),
            kill,
            aborting: false,
            live: None,
        }
    }

    /// A body whose chunks come from `source` as they are produced; it ends
    /// when the sender is dropped (an already taken source gives an empty
    /// body).
    pub(crate) fn live(source: &LiveSource, kill: Option<KillSwitch>) -> Self {
        MockBody {
            steps: VecDeque::new(),
            sleep: None,
            exact_len: None,
            kill,
            aborting: false,
            live: source.take(),
        }
    }
}

impl MockBody {
    /// Announces no length, so HTTP/1.1 sends the body chunked, as the API
    /// sends event streams.
    pub(crate) fn chunked(mut self) -> Self {
        self.exact_len = None;
        self
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        loop {
            if let Some(sleep) = this.sleep.as_mut() {
                if sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.sleep = None;
            }
            if this.aborting {
                // Wait for the connection to be closed under us.
                return Poll::Pending;
            }
            match this.steps.pop_front() {
                None => match this.live.as_mut().map(|rx| rx.poll_recv(cx)) {
                    None => return Poll::Ready(None),
                    Some(Poll::Pending) => return Poll::Pending,
                    Some(Poll::Ready(None)) => {
                        this.live = None;
                        return Poll::Ready(None);
                    }
                    Some(Poll::Ready(Some(LiveChunk::Data(bytes)))) => {
                        this.steps.push_back(Step::Data(bytes));
                    }
                    Some(Poll::Ready(Some(LiveChunk::Abort))) => {
                        this.live = None;
                        this.steps.push_back(Step::Abort);
                    }
                },
                Some(Step::Data(bytes)) if bytes.is_empty() => {}
                Some(Step::Data(bytes)) => return Poll::Ready(Some(Ok(Frame::data(bytes)))),
                Some(Step::Sleep(d)) => this.sleep = Some(Box::pin(tokio::time::sleep(d))),
                Some(Step::Abort) => match &this.kill {
                    // HTTP/1: returning an error now would make hyper drop
                    // the bytes it still buffers; instead let it flush them,
                    // and the connection's I/O fails its next flush.
                    Some(kill) => {
                        kill.arm();
                        this.aborting = true;
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                    None => {
                        return Poll::Ready(Some(Err(io::Error::new(
                            io::ErrorKind::ConnectionReset,
                            "claude-rs-mock: connection reset fault",
                        ))));
                    }
                },
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.steps.is_empty() && self.sleep.is_none() && !self.aborting && self.live.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        self.exact_len
            .map_or_else(SizeHint::default, SizeHint::with_exact)
    }
}

use std::future::Future as _;
