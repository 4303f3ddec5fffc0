//! Body behaviour on in-memory bodies, in paused (virtual) time, so timer
//! behaviour is tested deterministically.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body::Frame;
use http_body_util::{BodyExt, StreamBody};
use tokio::sync::mpsc;

use super::*;

/// A body fed through a channel by the test.
fn channel() -> (mpsc::UnboundedSender<Bytes>, Body) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Bytes>();
    let stream = futures_util::stream::poll_fn(move |cx| {
        rx.poll_recv(cx)
            .map(|chunk| chunk.map(|b| Ok::<_, Infallible>(Frame::data(b))))
    });
    (tx, Body::wrap(StreamBody::new(stream)))
}

const IDLE: Duration = Duration::from_secs(10);

#[tokio::test(start_paused = true)]
async fn idle_timer_restarts_on_every_frame() {
    let (tx, body) = channel();
    let mut body = body.with_idle_timeout(IDLE);
    tokio::spawn(async move {
        // Twelve chunks 6 s apart: 72 s in total, far beyond the 10 s
        // timeout, but never 10 s without a frame.
        for i in 0..12u8 {
            tokio::time::sleep(Duration::from_secs(6)).await;
            tx.send(Bytes::from(vec![i])).unwrap();
        }
    });
    let mut received = Vec::new();
    while let Some(frame) = body.frame().await {
        received.extend_from_slice(&frame.unwrap().into_data().unwrap());
    }
    assert_eq!(received, (0..12).collect::<Vec<u8>>());
}

#[tokio::test(start_paused = true)]
async fn idle_timeout_fires_after_silence_and_finishes_the_body() {
    let (tx, body) = channel();
    let mut body = body.with_idle_timeout(IDLE);
    tx.send(Bytes::from_static(b"first")).unwrap();
    assert_eq!(
        body.frame().await.unwrap().unwrap().into_data().unwrap(),
        "first"
    );
    let started = Instant::now();
    let err = body.frame().await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::IdleTimeout { timeout } if timeout == IDLE),
        "{err:?}"
    );
    // Virtual time: exactly the timeout has passed.
    assert_eq!(started.elapsed(), IDLE);
    // The body is finished: the inner body (for a real response, the
    // connection) was released, and nothing more is yielded.
    assert!(tx.send(Bytes::from_static(b"late")).is_err());
    assert!(body.frame().await.is_none());
    assert!(body.is_end_stream());
}

#[tokio::test(start_paused = true)]
async fn a_slow_consumer_is_not_blamed_on_the_server() {
    let (tx, body) = channel();
    let mut body = body.with_idle_timeout(IDLE);
    tx.send(Bytes::from_static(b"a")).unwrap();
    tx.send(Bytes::from_static(b"b")).unwrap();
    assert_eq!(
        body.frame().await.unwrap().unwrap().into_data().unwrap(),
        "a"
    );
    // The consumer goes away for longer than the timeout; the next frame
    // was already there, so it is delivered.
    tokio::time::sleep(IDLE * 3).await;
    assert_eq!(
        body.frame().await.unwrap().unwrap().into_data().unwrap(),
        "b"
    );
    drop(tx);
    assert!(body.frame().await.is_none());
}

#[tokio::test(start_paused = true)]
async fn no_idle_timeout_waits_indefinitely() {
    let (tx, body) = channel();
    let mut body = body.with_idle_timeout(IDLE).without_idle_timeout();
    assert_eq!(body.idle_timeout(), None);
    tokio::spawn(async move {
        tokio::time::sleep(IDLE * 100).await;
        tx.send(Bytes::from_static(b"eventually")).unwrap();
    });
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), "eventually");
}

#[tokio::test]
async fn collect_limited_accepts_up_to_the_limit() {
    let (tx, body) = channel();
    for chunk in [&b"abc"[..], b"def", b"gh"] {
        tx.send(Bytes::from_static(chunk)).unwrap();
    }
    drop(tx);
    assert_eq!(body.collect_limited(8).await.unwrap(), "abcdefgh");
}

#[tokio::test]
async fn collect_limited_rejects_one_byte_more() {
    let (tx, body) = channel();
    for chunk in [&b"abc"[..], b"def", b"ghi"] {
        tx.send(Bytes::from_static(chunk)).unwrap();
    }
    drop(tx);
    let err = body.collect_limited(8).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { limit: 8 }), "{err:?}");
}

#[tokio::test]
async fn collect_limited_fails_early_on_a_too_large_size_hint() {
    // The in-memory body has an exact size hint; nothing needs to be read.
    let body = Body::from(Bytes::from(vec![0u8; 100]));
    let err = body.collect_limited(99).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { limit: 99 }));
    assert_eq!(Body::from("").collect_limited(0).await.unwrap(), "");
}

#[tokio::test]
async fn wrapped_body_errors_become_body_errors() {
    let failing = StreamBody::new(futures_util::stream::iter(vec![
        Ok(Frame::data(Bytes::from_static(b"ok"))),
        Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
    ]));
    let err = Body::wrap(failing).collect_limited(1024).await.unwrap_err();
    assert!(matches!(err, Error::Body { .. }), "{err:?}");
    assert_eq!(err.to_string(), "reading the response body failed");
    let cause = std::error::Error::source(&err).expect("the cause");
    assert!(cause.to_string().contains("connection reset"), "{cause}");
}
