//! Plain HTTP behaviour: round trips, streaming, pooling, limits, failures.

use bytes::Bytes;
use claude_rs_transport::{DEFAULT_BODY_LIMIT, Error, RequestBody};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tower::{Service, ServiceExt};

use crate::support::{channel_body, closed_port, expect_err, full, guard, http_server, transport};

#[tokio::test]
async fn request_and_response_round_trip() {
    let server = http_server(|req: Request<hyper::body::Incoming>| async move {
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let content_type = req.headers()["content-type"].to_str().unwrap().to_owned();
        let body = req.into_body().collect().await.unwrap().to_bytes();
        let echo = format!(
            "{method} {path} {content_type} {}",
            String::from_utf8_lossy(&body)
        );
        Response::builder()
            .status(201)
            .header("x-echo", "yes")
            .body(full(echo))
            .unwrap()
    })
    .await;

    // Through the tower interface, as the client will use it.
    let mut transport = transport();
    let request = Request::post(server.url("http", "/v1/messages"))
        .header("content-type", "application/json")
        .body(RequestBody::from(Bytes::from_static(b"{\"a\":1}")))
        .unwrap();
    let response = guard(transport.ready().await.unwrap().call(request))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["x-echo"], "yes");
    let body = guard(response.into_body().collect_limited(DEFAULT_BODY_LIMIT))
        .await
        .unwrap();
    assert_eq!(body, "POST /v1/messages application/json {\"a\":1}");
}

#[tokio::test]
async fn response_body_streams_frames_as_they_arrive() {
    let (tx, body) = channel_body();
    let body = std::sync::Mutex::new(Some(body));
    let body = std::sync::Arc::new(body);
    let server = http_server(move |_req| {
        let body = body.lock().unwrap().take().expect("one request");
        async move { Response::new(body) }
    })
    .await;

    tx.send(Bytes::from_static(b"event: one\n\n"))
        .await
        .unwrap();
    let request = Request::get(server.url("http", "/stream"))
        .body(RequestBody::empty())
        .unwrap();
    let response = guard(transport().send(request)).await.unwrap();
    let mut body = response.into_body();

    // The first frame is readable while the server has not produced the
    // second one yet: nothing waits for the whole body.
    let first = guard(body.frame())
        .await
        .unwrap()
        .unwrap()
        .into_data()
        .unwrap();
    assert_eq!(first, "event: one\n\n");

    tx.send(Bytes::from_static(b"event: two\n\n"))
        .await
        .unwrap();
    let second = guard(body.frame())
        .await
        .unwrap()
        .unwrap()
        .into_data()
        .unwrap();
    assert_eq!(second, "event: two\n\n");

    drop(tx);
    assert!(
        guard(body.frame()).await.is_none(),
        "body ends when the server ends it"
    );
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let server = http_server(|_req| async { Response::new(full("pong")) }).await;
    let transport = transport();
    for _ in 0..3 {
        let request = Request::get(server.url("http", "/ping"))
            .body(RequestBody::empty())
            .unwrap();
        let response = guard(transport.send(request)).await.unwrap();
        let body = guard(response.into_body().collect_limited(1024))
            .await
            .unwrap();
        assert_eq!(body, "pong");
    }
    // Clones share the pool too.
    let clone = transport.clone();
    let request = Request::get(server.url("http", "/ping"))
        .body(RequestBody::empty())
        .unwrap();
    let response = guard(clone.send(request)).await.unwrap();
    guard(response.into_body().collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn streaming_request_body_is_sent() {
    let server = http_server(|req: Request<hyper::body::Incoming>| async move {
        let body = req.into_body().collect().await.unwrap().to_bytes();
        Response::new(full(body))
    })
    .await;
    let chunks: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(Bytes::from_static(b"part one, "))),
        Ok(Frame::data(Bytes::from_static(b"part two"))),
    ];
    let stream = futures_util::stream::iter(chunks);
    let request = Request::put(server.url("http", "/upload"))
        .body(RequestBody::wrap(StreamBody::new(stream)))
        .unwrap();
    let response = guard(transport().send(request)).await.unwrap();
    let echoed = guard(response.into_body().collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(echoed, "part one, part two");
}

#[tokio::test]
async fn body_limit_is_enforced() {
    let payload = Bytes::from(vec![b'x'; 64 * 1024]);
    let sized = payload.clone();
    let server = http_server(move |req: Request<hyper::body::Incoming>| {
        let payload = sized.clone();
        async move {
            if req.uri().path() == "/chunked" {
                // No content-length: the limit must trip while reading.
                let (tx, body) = channel_body();
                tokio::spawn(async move {
                    for chunk in payload.chunks(4096) {
                        if tx.send(Bytes::copy_from_slice(chunk)).await.is_err() {
                            return;
                        }
                    }
                });
                Response::new(body)
            } else {
                Response::new(full(payload))
            }
        }
    })
    .await;
    let transport = transport();
    let get = |path: &str| {
        Request::get(server.url("http", path))
            .body(RequestBody::empty())
            .unwrap()
    };

    for path in ["/sized", "/chunked"] {
        let response = guard(transport.send(get(path))).await.unwrap();
        let err = expect_err(guard(response.into_body().collect_limited(1000)).await);
        assert!(
            matches!(err, Error::BodyTooLarge { limit: 1000 }),
            "{path}: {err:?}"
        );
        assert!(err.is_body() && !err.is_retryable());
        assert!(err.to_string().contains("1000 bytes"), "{err}");

        // Exactly at the limit is fine.
        let response = guard(transport.send(get(path))).await.unwrap();
        let body = guard(response.into_body().collect_limited(payload.len()))
            .await
            .unwrap();
        assert_eq!(body, payload);
    }
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let addr = closed_port().await;
    let request = Request::get(format!("http://{addr}/v1"))
        .header("x-api-key", "sk-secret-key")
        .body(RequestBody::empty())
        .unwrap();
    let err = expect_err(guard(transport().send(request)).await);
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.is_connect() && err.is_retryable() && !err.is_timeout());
    assert_eq!(err.to_string(), format!("connect to {addr} failed"));
    let chain = crate::support::chain(&err).to_lowercase();
    assert!(chain.contains("connection refused"), "{chain}");
    assert_eq!(chain.matches("refused").count(), 1, "{chain}");
    let io = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .or_else(|| {
            // The io::Error may sit one level deeper, under hyper-util's error.
            let mut cur = std::error::Error::source(&err);
            while let Some(e) = cur {
                if let Some(io) = e.downcast_ref::<std::io::Error>() {
                    return Some(io);
                }
                cur = e.source();
            }
            None
        })
        .expect("the io::Error is in the source chain");
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    assert!(!format!("{err:?}").contains("sk-secret-key"));
}

/// Accepts one connection, reads the request head, and writes `response`
/// raw, then closes.
async fn raw_server(response: &'static [u8]) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let mut read = 0;
        while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tcp.read(&mut buf[read..]).await.unwrap();
            if n == 0 {
                return;
            }
            read += n;
        }
        tcp.write_all(response).await.unwrap();
        tcp.shutdown().await.ok();
    });
    addr
}

#[tokio::test]
async fn connection_closed_mid_body_is_a_body_error() {
    let addr = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b").await;
    let request = Request::get(format!("http://{addr}/"))
        .body(RequestBody::empty())
        .unwrap();
    let response = guard(transport().send(request)).await.unwrap();
    assert_eq!(response.status(), 200);
    let err = expect_err(guard(response.into_body().collect_limited(1024)).await);
    assert!(matches!(err, Error::Body { .. }), "{err:?}");
    assert!(err.is_body() && err.is_retryable() && !err.is_connect());
}

#[tokio::test]
async fn garbage_response_is_a_protocol_error() {
    let addr = raw_server(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
    let request = Request::get(format!("http://{addr}/"))
        .body(RequestBody::empty())
        .unwrap();
    let err = expect_err(guard(transport().send(request)).await);
    assert!(matches!(err, Error::Protocol { .. }), "{err:?}");
    assert!(!err.is_retryable() && !err.is_connect());
}

#[tokio::test]
async fn connection_closed_before_response_is_a_request_error() {
    let addr = raw_server(b"").await;
    let request = Request::get(format!("http://{addr}/"))
        .body(RequestBody::empty())
        .unwrap();
    let err = expect_err(guard(transport().send(request)).await);
    assert!(matches!(err, Error::Request { .. }), "{err:?}");
    assert!(err.is_retryable() && !err.is_connect());
}

#[tokio::test]
async fn a_failing_request_body_is_a_request_error_not_worth_retrying() {
    let server = http_server(|req: Request<hyper::body::Incoming>| async move {
        let _ = req.into_body().collect().await;
        Response::new(full("unexpected"))
    })
    .await;
    let chunks: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(Bytes::from_static(b"first chunk"))),
        Err(std::io::Error::other("disk read failed")),
    ];
    let request = Request::post(server.url("http", "/upload"))
        .body(RequestBody::wrap(StreamBody::new(
            futures_util::stream::iter(chunks),
        )))
        .unwrap();
    let err = expect_err(guard(transport().send(request)).await);
    assert!(matches!(err, Error::Request { .. }), "{err:?}");
    assert!(!err.is_retryable() && !err.is_connect());
}
