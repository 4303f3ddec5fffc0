//! The resumable stream against a scripted source: what a real server does
//! across connections, with time paused so backoff costs nothing.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use claude_rs_agents::resume::{
    BoxEvents, Opening, Persisted, ResumableStream, ResumeOptions, Source,
};
use claude_rs_client::{Error, TimeoutKind};

#[derive(Debug, Clone, PartialEq)]
struct Ev {
    id: Option<String>,
    last: bool,
}

impl Persisted for Ev {
    fn event_id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn is_last(&self) -> bool {
        self.last
    }
}

fn ev(id: &str) -> Ev {
    Ev {
        id: Some(id.to_owned()),
        last: false,
    }
}

#[derive(Debug, Clone)]
enum Step {
    /// Persisted and sent on this connection.
    Send(&'static str),
    /// Persisted while the connection is down: never sent on it.
    PersistOnly(&'static str),
    /// A live-only preview (no id).
    Preview,
    /// The connection breaks (a quiet connection timed out).
    Cut,
    /// The server closes the stream.
    Close,
    /// An event that cannot be decoded.
    Garbled,
    /// The session ends with this persisted event.
    Terminate(&'static str),
}

#[derive(Clone)]
struct Conn {
    /// Persisted at the moment the stream opens, before the history is read:
    /// in the history and on the stream both.
    at_open: Vec<&'static str>,
    steps: Vec<Step>,
}

#[derive(Clone)]
struct Fake {
    log: Arc<Mutex<Vec<Ev>>>,
    conns: Arc<Mutex<VecDeque<Conn>>>,
    newest_first: bool,
    opens: Arc<AtomicUsize>,
    history_items_read: Arc<AtomicUsize>,
}

impl Fake {
    fn new(history: &[&str], conns: Vec<Conn>, newest_first: bool) -> Self {
        Self {
            log: Arc::new(Mutex::new(history.iter().map(|id| ev(id)).collect())),
            conns: Arc::new(Mutex::new(conns.into())),
            newest_first,
            opens: Arc::default(),
            history_items_read: Arc::default(),
        }
    }

    fn snapshot(&self, reverse: bool) -> BoxEvents<Ev> {
        let mut items = self.log.lock().unwrap().clone();
        if reverse {
            items.reverse();
        }
        let read = Arc::clone(&self.history_items_read);
        Box::pin(futures_util::stream::iter(items.into_iter().map(
            move |e| {
                read.fetch_add(1, Ordering::Relaxed);
                Ok(e)
            },
        )))
    }
}

fn cut() -> Error {
    Error::Timeout {
        kind: TimeoutKind::StreamIdle,
        after: Duration::from_secs(600),
    }
}

impl Source<Ev> for Fake {
    fn open(&self) -> Opening<'_, Ev> {
        Box::pin(async move {
            self.opens.fetch_add(1, Ordering::Relaxed);
            let Some(conn) = self.conns.lock().unwrap().pop_front() else {
                return Err(Error::Decode {
                    what: "script".into(),
                    payload: String::new(),
                    source: serde_json::from_str::<u8>("no more connections").unwrap_err(),
                });
            };
            let mut queue: VecDeque<Step> = VecDeque::new();
            {
                let mut log = self.log.lock().unwrap();
                for id in &conn.at_open {
                    log.push(ev(id));
                    queue.push_back(Step::Send(id));
                }
            }
            // `at_open` events are already persisted: send without persisting again.
            let already = conn.at_open.len();
            queue.extend(conn.steps);
            let log = Arc::clone(&self.log);
            let stream = futures_util::stream::unfold(
                (queue, log, already),
                |(mut queue, log, mut already)| async move {
                    loop {
                        let step = queue.pop_front()?;
                        let item = match step {
                            Step::Send(id) if already > 0 => {
                                already -= 1;
                                Ok(ev(id))
                            }
                            Step::Send(id) => {
                                log.lock().unwrap().push(ev(id));
                                Ok(ev(id))
                            }
                            Step::PersistOnly(id) => {
                                log.lock().unwrap().push(ev(id));
                                continue;
                            }
                            Step::Preview => Ok(Ev {
                                id: None,
                                last: false,
                            }),
                            Step::Cut => Err(cut()),
                            Step::Close => return None,
                            Step::Garbled => Err(Error::Decode {
                                what: "session event".into(),
                                payload: "{".into(),
                                source: serde_json::from_str::<u8>("{").unwrap_err(),
                            }),
                            Step::Terminate(id) => {
                                let e = Ev {
                                    id: Some(id.to_owned()),
                                    last: true,
                                };
                                log.lock().unwrap().push(e.clone());
                                Ok(e)
                            }
                        };
                        return Some((item, (queue, log, already)));
                    }
                },
            );
            Ok(Box::pin(stream) as BoxEvents<Ev>)
        })
    }

    fn history(&self) -> BoxEvents<Ev> {
        self.snapshot(false)
    }

    fn history_newest_first(&self) -> Option<BoxEvents<Ev>> {
        self.newest_first.then(|| self.snapshot(true))
    }
}

async fn drain(stream: &mut ResumableStream<Ev>) -> (Vec<String>, Option<Error>) {
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(e) => ids.push(e.id.unwrap_or_else(|| "~".to_owned())),
            Err(error) => return (ids, Some(error)),
        }
    }
    (ids, None)
}

fn conn(at_open: &[&'static str], steps: &[Step]) -> Conn {
    Conn {
        at_open: at_open.to_vec(),
        steps: steps.to_vec(),
    }
}

#[tokio::test(start_paused = true)]
async fn history_then_live_each_event_once() {
    use Step::*;
    for newest_first in [true, false] {
        let fake = Fake::new(
            &["a", "b"],
            vec![conn(&["c"], &[Send("d"), Terminate("t")])],
            newest_first,
        );
        let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default());
        let (ids, error) = drain(&mut stream).await;
        assert!(error.is_none());
        assert_eq!(ids, ["a", "b", "c", "d", "t"]);
        assert_eq!(stream.reconnects(), 0);
    }
}

#[tokio::test(start_paused = true)]
async fn a_cut_connection_catches_up_what_was_persisted_meanwhile() {
    use Step::*;
    for newest_first in [true, false] {
        let fake = Fake::new(
            &["a"],
            vec![
                conn(&[], &[Send("b"), Preview, PersistOnly("c"), Cut]),
                conn(&["d"], &[Preview, Send("e"), Terminate("t")]),
            ],
            newest_first,
        );
        let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default());
        let (ids, error) = drain(&mut stream).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(
            ids,
            ["a", "b", "~", "c", "d", "~", "e", "t"],
            "newest_first: {newest_first}"
        );
        assert_eq!(stream.reconnects(), 1);
        assert_eq!(fake.opens.load(Ordering::Relaxed), 2);
    }
}

#[tokio::test(start_paused = true)]
async fn reading_newest_first_reads_only_what_was_missed() {
    use Step::*;
    let history: Vec<String> = (0..1000).map(|i| format!("h{i}")).collect();
    let history: Vec<&'static str> = history
        .into_iter()
        .map(|s| &*Box::leak(s.into_boxed_str()))
        .collect();
    let fake = Fake::new(
        &history,
        vec![
            conn(&[], &[PersistOnly("m1"), PersistOnly("m2"), Close]),
            conn(&[], &[Terminate("t")]),
        ],
        true,
    );
    let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default());
    let (ids, error) = drain(&mut stream).await;
    assert!(error.is_none());
    assert_eq!(ids.len(), 1003);
    assert_eq!(&ids[1000..], ["m1", "m2", "t"]);
    // The first read: 1000; the catch-up: m2, m1 and the last seen event.
    assert_eq!(fake.history_items_read.load(Ordering::Relaxed), 1003);
}

#[tokio::test(start_paused = true)]
async fn a_closed_stream_reconnects_with_growing_delays() {
    use Step::*;
    let fake = Fake::new(
        &[],
        vec![
            conn(&[], &[Close]),
            conn(&[], &[Close]),
            conn(&[], &[Close]),
            conn(&[], &[Send("a"), Terminate("t")]),
        ],
        true,
    );
    let start = tokio::time::Instant::now();
    let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default());
    let (ids, error) = drain(&mut stream).await;
    assert!(error.is_none());
    assert_eq!(ids, ["a", "t"]);
    assert_eq!(stream.reconnects(), 3);
    // 0.5 + 1 + 2 s, each less up to a quarter.
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs_f64(3.5 * 0.75) && waited <= Duration::from_secs_f64(3.5),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_event_that_cannot_be_decoded_ends_the_stream_with_its_error() {
    use Step::*;
    let fake = Fake::new(
        &["a"],
        vec![conn(&[], &[Send("b"), Garbled, Send("c")])],
        true,
    );
    let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default());
    let (ids, error) = drain(&mut stream).await;
    assert_eq!(ids, ["a", "b"]);
    assert!(matches!(error, Some(Error::Decode { .. })), "{error:?}");
    assert!(stream.next().await.is_none());
    assert_eq!(fake.opens.load(Ordering::Relaxed), 1);
}

#[tokio::test(start_paused = true)]
async fn max_reconnects_gives_up_with_the_last_error() {
    use Step::*;
    let fake = Fake::new(
        &[],
        vec![conn(&[], &[Cut]), conn(&[], &[Cut]), conn(&[], &[Cut])],
        true,
    );
    let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default().max_reconnects(2));
    let (ids, error) = drain(&mut stream).await;
    assert!(ids.is_empty());
    assert!(matches!(error, Some(Error::Timeout { .. })), "{error:?}");
    assert_eq!(fake.opens.load(Ordering::Relaxed), 3);
}

#[tokio::test(start_paused = true)]
async fn from_now_skips_the_history_but_not_what_a_reconnect_missed() {
    use Step::*;
    for newest_first in [true, false] {
        let fake = Fake::new(
            &["a", "b"],
            vec![
                conn(&[], &[Send("c"), PersistOnly("d"), Cut]),
                conn(&[], &[Send("e"), Terminate("t")]),
            ],
            newest_first,
        );
        let mut stream =
            ResumableStream::new(fake.clone(), ResumeOptions::default().history(false));
        let (ids, error) = drain(&mut stream).await;
        assert!(error.is_none());
        assert_eq!(ids, ["c", "d", "e", "t"], "newest_first: {newest_first}");
    }
}

#[tokio::test(start_paused = true)]
async fn from_now_with_a_drop_before_any_event() {
    use Step::*;
    let fake = Fake::new(
        &["a"],
        vec![
            conn(&[], &[PersistOnly("b"), Cut]),
            conn(&[], &[Terminate("t")]),
        ],
        true,
    );
    let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default().history(false));
    let (ids, _) = drain(&mut stream).await;
    assert_eq!(ids, ["b", "t"]);
}

#[tokio::test(start_paused = true)]
async fn a_long_history_is_handed_over_in_order() {
    use Step::*;
    let ids: Vec<&'static str> = (0..100_000)
        .map(|i| &*Box::leak(format!("sevt_{i:06}").into_boxed_str()))
        .collect();
    let fake = Fake::new(&ids, vec![conn(&[], &[Terminate("t")])], true);
    let mut stream = ResumableStream::new(fake.clone(), ResumeOptions::default());
    let (got, error) = drain(&mut stream).await;
    assert!(error.is_none());
    assert_eq!(got.len(), 100_001);
    assert!(got[..100_000].iter().zip(&ids).all(|(a, b)| a == b));
}
