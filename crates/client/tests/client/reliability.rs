//! Reliability of `claude-rs-client` under the mock's faults: for every fault,
//! how many attempts were made, that the delays asked for were waited, which
//! error came back, and that nothing that arrived was lost (a stream cut
//! after N events returns exactly those N events, and their accumulation as
//! the partial message). Also: many concurrent faulty streams, slow and
//! stalled streams, connection reuse and cancellation.
//!
//! Waits are bounded (polling loops and `timeout`s) so a hang fails a test;
//! delays are checked as lower bounds only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{builder, client, request};
use bytes::Bytes;
use claude_rs_client::messages::MessageAccumulator;
use claude_rs_client::{Client, Error, TimeoutKind};
use claude_rs_mock::{Fault, MockResponse, MockServer, Route, encode_event, message_events};
use claude_rs_sse::Parser;
use claude_rs_types::{
    error::ErrorType, message::Message, request::CreateMessageRequest, stream::MessageStreamEvent,
};
use http::{HeaderName, HeaderValue, StatusCode};

/// The smallest default backoff: 0.5 s less the 25 % jitter.
const MIN_BACKOFF: Duration = Duration::from_millis(375);
/// A bound on every wait, so a hang fails instead of blocking CI.
const HANG: Duration = Duration::from_secs(30);
/// The seed of the random faults; `RELIABILITY_SEED` overrides it to explore.
const SEED: u64 = 0x5EED_0008_C1A0_DE00;

/// xorshift64*: a small deterministic generator, written here to avoid a
/// dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }
}

fn seed() -> u64 {
    std::env::var("RELIABILITY_SEED")
        .ok()
        .and_then(|s| match s.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => s.parse().ok(),
        })
        .unwrap_or(SEED)
}

/// Waits (at most [`HANG`]) until `condition` holds.
async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + HANG;
    while !condition() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A reply message with `words` words of text.
fn reply_message(id: usize, words: usize) -> Message {
    let text: Vec<String> = (0..words).map(|w| format!("r{id}w{w}")).collect();
    serde_json::from_value(serde_json::json!({
        "id": format!("msg_reliability_{id:03}"),
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": text.join(" ")}],
        "stop_reason": "end_turn",
        "stop_sequence": null,
        "usage": {"input_tokens": 7, "output_tokens": words},
    }))
    .expect("Message")
}

/// A message as the mock streams it: the events as the client decodes
/// them, and the byte offset at which each event ends.
struct Reference {
    message: Message,
    events: Vec<MessageStreamEvent>,
    ends: Vec<usize>,
}

impl Reference {
    fn new(message: Message) -> Self {
        let (mut events, mut ends, mut offset) = (Vec::new(), Vec::new(), 0);
        for event in message_events(&message) {
            let bytes = encode_event(&event);
            offset += bytes.len();
            ends.push(offset);
            events.push(decode_one(bytes));
        }
        Reference {
            message,
            events,
            ends,
        }
    }

    fn body_len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// How many events are complete within the first `bytes` bytes.
    fn complete_within(&self, bytes: usize) -> usize {
        self.ends.iter().take_while(|&&end| end <= bytes).count()
    }

    /// The message accumulated from the first `n` events.
    fn accumulated(&self, n: usize) -> Option<Message> {
        let mut accumulator = MessageAccumulator::new();
        for event in &self.events[..n] {
            accumulator.apply(event).expect("reference events apply");
        }
        accumulator.snapshot().cloned()
    }

    fn first_delta(&self) -> usize {
        self.events
            .iter()
            .position(|e| matches!(e, MessageStreamEvent::ContentBlockDelta(_)))
            .expect("a delta")
    }
}

/// Decodes one SSE frame as the client does.
fn decode_one(frame: Bytes) -> MessageStreamEvent {
    let mut parser = Parser::new();
    parser.feed(frame);
    parser.finish();
    let event = parser.next_event().expect("an event").expect("valid SSE");
    serde_json::from_slice(event.data_bytes()).expect("a MessageStreamEvent")
}

/// What a stream call produced: the events read, then the end.
struct Run {
    events: Vec<MessageStreamEvent>,
    outcome: Result<Message, Error>,
}

/// Opens a stream and reads it to its end or first error.
async fn run_stream(client: &Client, request: CreateMessageRequest, tag: usize) -> Run {
    let mut events = Vec::new();
    let call = client
        .messages()
        .stream(request)
        .header(HeaderName::from_static("x-stream"), HeaderValue::from(tag));
    let mut stream = match call.await {
        Ok(stream) => stream,
        Err(error) => {
            return Run {
                events,
                outcome: Err(error),
            };
        }
    };
    loop {
        match stream.next().await {
            Some(Ok(event)) => events.push(event),
            Some(Err(error)) => {
                assert!(stream.next().await.is_none(), "nothing after an error");
                return Run {
                    events,
                    outcome: Err(error),
                };
            }
            None => {
                let message = stream.snapshot().cloned().expect("a message");
                return Run {
                    events,
                    outcome: Ok(message),
                };
            }
        }
    }
}

/// The expected end of one faulty stream.
enum Expect {
    /// The whole message, after `attempts` attempts at least `gap` apart.
    Complete { attempts: usize, gap: Duration },
    /// An error satisfying `check` after one attempt, with exactly the
    /// first `delivered` events read.
    Failed {
        delivered: usize,
        check: fn(&Error) -> bool,
        what: &'static str,
    },
}

/// One stream's fault, its description and the outcome it must have.
struct Plan {
    fault: Fault,
    label: String,
    expect: Expect,
}

/// The faults of the concurrent test, one per distinct outcome; together
/// they cover every fault the mock has.
const KINDS: usize = 12;

fn plan(kind: usize, rng: &mut Rng, r: &Reference) -> Plan {
    let n_events = r.events.len();
    let (fault, label, expect) = match kind {
        0 => {
            let delay = rng.range(50, 200) as u64;
            let (fault, code) = match rng.range(0, 5) {
                0 => (Fault::request_timeout(), 408),
                1 => (
                    Fault::status(StatusCode::CONFLICT, ErrorType::InvalidRequest, "conflict"),
                    409,
                ),
                2 => (Fault::rate_limited(), 429),
                3 => (Fault::internal_error(), 500),
                _ => (Fault::overloaded(), 529),
            };
            let complete = Expect::Complete {
                attempts: 2,
                gap: Duration::from_millis(delay),
            };
            let label = format!("status {code}, retry-after-ms {delay}");
            (fault.retry_after_ms(delay), label, complete)
        }
        1 => {
            if rng.range(0, 2) == 0 {
                let fault = Fault::status(StatusCode::BAD_REQUEST, ErrorType::InvalidRequest, "no");
                let check: fn(&Error) -> bool = |e| {
                    e.status() == Some(StatusCode::BAD_REQUEST)
                        && e.api().and_then(|a| a.error_type.clone())
                            == Some(ErrorType::InvalidRequest)
                        && !e.is_retryable()
                };
                let failed = Expect::Failed {
                    delivered: 0,
                    check,
                    what: "400 invalid_request_error",
                };
                (fault, "status 400".to_owned(), failed)
            } else {
                let fault = Fault::overloaded().should_retry(false);
                let check: fn(&Error) -> bool =
                    |e| e.is_overloaded() && e.status().map(|s| s.as_u16()) == Some(529);
                let failed = Expect::Failed {
                    delivered: 0,
                    check,
                    what: "529 overloaded",
                };
                (fault, "529, x-should-retry: false".to_owned(), failed)
            }
        }
        2 => (
            Fault::reset_before_headers(),
            "reset before headers".to_owned(),
            Expect::Complete {
                attempts: 2,
                gap: MIN_BACKOFF,
            },
        ),
        3 => (
            Fault::stall_before_headers(Duration::from_secs(60)),
            "stall before headers".to_owned(),
            Expect::Complete {
                attempts: 2,
                gap: MIN_BACKOFF,
            },
        ),
        4 => {
            let at = rng.range(0, r.body_len());
            let failed = Expect::Failed {
                delivered: r.complete_within(at),
                check: |e| {
                    matches!(
                        e.cause(),
                        Error::Timeout {
                            kind: TimeoutKind::StreamIdle,
                            ..
                        }
                    )
                },
                what: "stream idle timeout",
            };
            let fault = Fault::stall_after(at, Duration::from_secs(60));
            (fault, format!("stall after {at} bytes"), failed)
        }
        5 => {
            let at = rng.range(0, r.body_len());
            let failed = Expect::Failed {
                delivered: r.complete_within(at),
                check: |e| e.is_connection() && e.is_retryable(),
                what: "connection error",
            };
            (
                Fault::reset_after(at),
                format!("reset after {at} bytes"),
                failed,
            )
        }
        6 => {
            let (chunk, ms) = (rng.range(16, 128), rng.range(1, 8));
            let fault = Fault::drip_bytes(chunk, Duration::from_millis(ms as u64));
            let complete = Expect::Complete {
                attempts: 1,
                gap: Duration::ZERO,
            };
            (fault, format!("drip {chunk} bytes every {ms} ms"), complete)
        }
        7 => {
            let ms = rng.range(5, 40);
            let fault = Fault::drip_events(Duration::from_millis(ms as u64));
            let complete = Expect::Complete {
                attempts: 1,
                gap: Duration::ZERO,
            };
            (fault, format!("one event every {ms} ms"), complete)
        }
        8 => (
            Fault::sse_error_at(0, ErrorType::Overloaded),
            "overloaded as the first event".to_owned(),
            Expect::Complete {
                attempts: 2,
                gap: MIN_BACKOFF,
            },
        ),
        9 => {
            let at = rng.range(1, n_events);
            let (error_type, check, what): (_, fn(&Error) -> bool, _) = if rng.range(0, 2) == 0 {
                (
                    ErrorType::Overloaded,
                    |e| e.is_overloaded() && e.status() == Some(StatusCode::OK),
                    "overloaded error event",
                )
            } else {
                (
                    ErrorType::Api,
                    |e| {
                        e.api().and_then(|a| a.error_type.clone()) == Some(ErrorType::Api)
                            && e.status() == Some(StatusCode::OK)
                    },
                    "api_error event",
                )
            };
            let label = format!("{error_type} event at {at}");
            let failed = Expect::Failed {
                delivered: at,
                check,
                what,
            };
            (Fault::sse_error_at(at, error_type), label, failed)
        }
        10 => (
            Fault::malformed_json(),
            "malformed JSON".to_owned(),
            Expect::Failed {
                delivered: r.first_delta(),
                check: |e| matches!(e.cause(), Error::Decode { .. }),
                what: "decode error",
            },
        ),
        _ => {
            let at = rng.range(0, n_events);
            let failed = Expect::Failed {
                delivered: at,
                check: |e| matches!(e.cause(), Error::Protocol { .. }),
                what: "protocol error",
            };
            (
                Fault::truncated_sse(at),
                format!("truncated after {at} events"),
                failed,
            )
        }
    };
    Plan {
        fault,
        label,
        expect,
    }
}

/// Checks one run against its plan; `arrivals` are the times the mock saw
/// the stream's attempts.
fn check_run(context: &str, plan: &Plan, r: &Reference, run: &Run, arrivals: &[Instant]) {
    match &plan.expect {
        Expect::Complete { attempts, gap } => {
            let message = run
                .outcome
                .as_ref()
                .unwrap_or_else(|e| panic!("{context}: expected the whole message, got {e}"));
            assert_eq!(arrivals.len(), *attempts, "{context}: attempts");
            for pair in arrivals.windows(2) {
                assert!(pair[1] - pair[0] >= *gap, "{context}: retried too early");
            }
            assert_eq!(run.events, r.events, "{context}: events");
            assert_eq!(Some(message), r.accumulated(r.events.len()).as_ref());
            assert_eq!(message.text(), r.message.text(), "{context}: text");
        }
        Expect::Failed {
            delivered,
            check,
            what,
        } => {
            let error = match &run.outcome {
                Ok(_) => panic!("{context}: expected a {what}, got the whole message"),
                Err(error) => error,
            };
            assert!(check(error), "{context}: expected a {what}, got {error:?}");
            assert_eq!(arrivals.len(), 1, "{context}: not retried");
            assert_eq!(
                run.events,
                r.events[..*delivered],
                "{context}: the events before the failure"
            );
            assert_eq!(
                error.partial_message(),
                r.accumulated(*delivered).as_ref(),
                "{context}: the partial message holds exactly those events"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_streams_with_random_faults() {
    const STREAMS: usize = 50;
    let seed = seed();
    let mut rng = Rng(seed);
    // Every kind once, the rest at random, in a random order.
    let mut kinds: Vec<usize> = (0..STREAMS)
        .map(|i| if i < KINDS { i } else { rng.range(0, KINDS) })
        .collect();
    for i in (1..kinds.len()).rev() {
        kinds.swap(i, rng.range(0, i + 1));
    }
    let references: Vec<Reference> = (0..STREAMS)
        .map(|i| Reference::new(reply_message(i, rng.range(4, 40))))
        .collect();
    let plans: Vec<Plan> = kinds
        .iter()
        .zip(&references)
        .map(|(&kind, r)| plan(kind, &mut rng, r))
        .collect();

    let server = MockServer::start().await;
    let arrivals: Arc<Mutex<HashMap<usize, Vec<Instant>>>> = Arc::default();
    {
        let arrivals = Arc::clone(&arrivals);
        let replies: Vec<(Message, Fault)> = references
            .iter()
            .zip(&plans)
            .map(|(r, p)| (r.message.clone(), p.fault.clone()))
            .collect();
        server.respond_with(move |request| {
            let Some(tag) = request
                .header("x-stream")
                .and_then(|t| t.parse::<usize>().ok())
            else {
                return MockResponse::error(StatusCode::BAD_REQUEST, ErrorType::Api, "no tag");
            };
            let mut arrivals = arrivals.lock().unwrap();
            let seen = arrivals.entry(tag).or_default();
            seen.push(Instant::now());
            let (message, fault) = &replies[tag];
            let reply = MockResponse::message(message.clone());
            // Only the first attempt is faulty: a retry succeeds.
            if seen.len() == 1 {
                reply.with_fault(fault.clone())
            } else {
                reply
            }
        });
    }
    let client = builder(&server)
        .max_retries(2)
        .timeout(Duration::from_secs(2))
        .stream_idle_timeout(Some(Duration::from_secs(1)))
        .build()
        .unwrap();

    let tasks: Vec<_> = (0..STREAMS)
        .map(|tag| {
            let client = client.clone();
            tokio::spawn(async move {
                let run = run_stream(&client, request(&format!("stream {tag}")), tag);
                tokio::time::timeout(HANG, run).await
            })
        })
        .collect();
    let mut runs = Vec::new();
    for (tag, task) in tasks.into_iter().enumerate() {
        let context = format!("seed {seed:#x}, stream {tag} ({})", plans[tag].label);
        let joined = task
            .await
            .unwrap_or_else(|e| panic!("{context}: panicked: {e}"));
        runs.push(joined.unwrap_or_else(|_| panic!("{context}: hung for {HANG:?}")));
    }

    let arrivals = arrivals.lock().unwrap().clone();
    let mut total_attempts = 0;
    for (tag, run) in runs.iter().enumerate() {
        let plan = &plans[tag];
        let context = format!("seed {seed:#x}, stream {tag} ({})", plan.label);
        let seen = arrivals.get(&tag).map_or(&[][..], Vec::as_slice);
        total_attempts += seen.len();
        check_run(&context, plan, &references[tag], run, seen);
    }
    assert_eq!(server.received_on(Route::Messages).len(), total_attempts);
    let mut covered: Vec<usize> = kinds.clone();
    covered.sort_unstable();
    covered.dedup();
    assert_eq!(covered.len(), KINDS, "every kind of fault was exercised");
}

#[tokio::test]
async fn a_slow_drip_longer_than_every_timeout_completes() {
    let server = MockServer::start().await;
    let r = Reference::new(reply_message(0, 24));
    let (chunk, interval) = (64, Duration::from_millis(40));
    server.enqueue(
        MockResponse::message(r.message.clone()).with_fault(Fault::drip_bytes(chunk, interval)),
    );
    // Both limits are far below the stream's length, far above each gap.
    let limit = Duration::from_millis(300);
    let client = builder(&server)
        .timeout(limit)
        .stream_idle_timeout(Some(limit))
        .build()
        .unwrap();
    let started = Instant::now();
    let run = run_stream(&client, request("drip"), 0).await;
    let elapsed = started.elapsed();

    let message = run.outcome.expect("no timeout while bytes flow");
    assert_eq!(run.events, r.events);
    assert_eq!(message.text(), r.message.text());
    assert_eq!(server.received_on(Route::Messages).len(), 1);
    // The mock slept between every two chunks, so the stream lasted longer
    // than either limit.
    let pauses = u32::try_from((r.body_len() - 1) / chunk).unwrap();
    assert!(elapsed >= interval * pauses, "{elapsed:?}");
    assert!(interval * pauses > limit * 3);
}

#[tokio::test]
async fn a_stalled_stream_times_out_with_the_events_before_the_stall() {
    let server = MockServer::start().await;
    let r = Reference::new(reply_message(0, 12));
    let delivered = 5;
    let stall = Fault::stall_after(r.ends[delivered - 1], Duration::from_secs(60));
    server.enqueue(MockResponse::message(r.message.clone()).with_fault(stall));
    let idle = Duration::from_millis(300);
    let client = builder(&server)
        .stream_idle_timeout(Some(idle))
        .build()
        .unwrap();

    let mut stream = client.messages().stream(request("hi")).await.unwrap();
    let mut events = Vec::new();
    let mut last = Instant::now();
    let error = loop {
        match tokio::time::timeout(HANG, stream.next())
            .await
            .expect("hung")
        {
            Some(Ok(event)) => {
                events.push(event);
                last = Instant::now();
            }
            Some(Err(error)) => break error,
            None => panic!("the stream ended despite the stall"),
        }
    };
    assert!(last.elapsed() >= idle, "fired early: {:?}", last.elapsed());
    assert!(
        matches!(
            error.cause(),
            Error::Timeout { kind: TimeoutKind::StreamIdle, after } if *after == idle
        ),
        "{error:?}"
    );
    assert!(error.is_timeout() && error.is_retryable());
    assert_eq!(events, r.events[..delivered]);
    assert_eq!(error.partial_message(), r.accumulated(delivered).as_ref());
    assert_eq!(server.received_on(Route::Messages).len(), 1, "not retried");
    // The client gives up the stalled connection.
    drop(stream);
    eventually("the stalled connection is closed", || {
        server.open_connections() == 0
    })
    .await;
}

#[tokio::test]
async fn a_thousand_sequential_requests_share_one_connection() {
    let server = MockServer::start().await;
    let client = client(&server);
    for i in 0..1000 {
        server.enqueue(MockResponse::text(format!("reply {i}")));
        let text = if i % 2 == 0 {
            client
                .messages()
                .create(request("hi"))
                .await
                .unwrap()
                .text()
        } else {
            let stream = client.messages().stream(request("hi")).await.unwrap();
            stream.final_text().await.unwrap()
        };
        assert_eq!(text, format!("reply {i}"));
    }
    assert_eq!(server.received_on(Route::Messages).len(), 1000);
    assert_eq!(server.connections(), 1, "keep-alive reuses one connection");
    assert_eq!(server.open_connections(), 1);
}

#[tokio::test]
async fn dropping_a_stream_midway_frees_its_connection_and_tasks() {
    let server = MockServer::start().await;
    let client = client(&server);
    let tasks = || {
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    };

    // One complete stream leaves one idle pooled connection.
    client
        .messages()
        .stream(request("warm up"))
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap();
    eventually("one open connection", || server.open_connections() == 1).await;
    let idle_tasks = tasks();

    // A long stream, one event every 20 ms, dropped after three events.
    let r = Reference::new(reply_message(0, 200));
    server.enqueue(
        MockResponse::message(r.message.clone())
            .with_fault(Fault::drip_events(Duration::from_millis(20))),
    );
    let mut stream = client.messages().stream(request("long")).await.unwrap();
    for expected in &r.events[..3] {
        assert_eq!(&stream.next().await.unwrap().unwrap(), expected);
    }
    assert_eq!(server.connections(), 1, "the pooled connection was reused");
    drop(stream);
    eventually("the mock sees the connection closed", || {
        server.open_connections() == 0
    })
    .await;

    // The next request works, on a new connection.
    let text = client
        .messages()
        .create(request("next"))
        .await
        .unwrap()
        .text();
    assert!(!text.is_empty());
    assert_eq!(server.connections(), 2);
    // Same state as before the dropped stream (one idle connection), so the
    // same tasks: nothing of the dropped stream keeps running.
    eventually("no task of the dropped stream is left", || {
        server.open_connections() == 1 && tasks() == idle_tasks
    })
    .await;
}

/// The faults `tests/client_retry.rs` leaves out, on a non-streaming call:
/// the attempts, the delay and the outcome of each.
#[tokio::test]
async fn create_under_the_remaining_faults() {
    let decode = |e: &Error| matches!(e, Error::Decode { .. }) && !e.is_retryable();
    // (fault, the failure expected if any, attempts, least gap between them)
    type Case = (Fault, Option<fn(&Error) -> bool>, usize, Duration);
    let cases: [Case; 5] = [
        // The body is read inside the attempt, so a stall is a timeout,
        // retried after the backoff.
        (
            Fault::stall_after(20, Duration::from_secs(60)),
            None,
            2,
            MIN_BACKOFF,
        ),
        (
            Fault::drip_bytes(8, Duration::from_millis(2)),
            None,
            1,
            Duration::ZERO,
        ),
        // An SSE error event has no effect on a JSON reply.
        (
            Fault::sse_error_at(0, ErrorType::Overloaded),
            None,
            1,
            Duration::ZERO,
        ),
        (Fault::malformed_json(), Some(decode), 1, Duration::ZERO),
        // A JSON body is cut in half: not JSON, not retried.
        (Fault::truncated_sse(0), Some(decode), 1, Duration::ZERO),
    ];
    for (fault, failure, attempts, gap) in cases {
        let label = format!("{fault:?}");
        let server = MockServer::start().await;
        server.inject(claude_rs_mock::FaultRule::nth(1, fault).on(Route::Messages));
        server.enqueue(MockResponse::text("first reply"));
        server.enqueue(MockResponse::text("second reply"));
        let stamps = crate::support::Stamps::default();
        let client = builder(&server)
            .timeout(Duration::from_millis(500))
            .layer(stamps.clone())
            .build()
            .unwrap();
        let outcome = client.messages().create(request("hi")).await;
        assert_eq!(
            server.received_on(Route::Messages).len(),
            attempts,
            "{label}"
        );
        assert_eq!(stamps.count(), attempts, "{label}");
        assert!(stamps.gaps().iter().all(|g| *g >= gap), "{label}");
        match (failure, outcome) {
            (None, Ok(message)) => {
                let expected = if attempts == 1 {
                    "first reply"
                } else {
                    "second reply"
                };
                assert_eq!(message.text(), expected, "{label}");
            }
            (Some(check), Err(error)) => assert!(check(&error), "{label}: {error:?}"),
            (_, outcome) => panic!("{label}: unexpected {outcome:?}"),
        }
    }
}
