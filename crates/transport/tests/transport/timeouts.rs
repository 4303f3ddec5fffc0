//! Connect timeout and idle-read timeout against loopback servers.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use claude_rs_transport::{Error, HttpTransport, RequestBody};
use http::{Request, Response};
use http_body_util::BodyExt;
use tokio::net::{TcpListener, TcpSocket, TcpStream};

use crate::support::{channel_body, expect_err, guard, http_server, transport};

const SHORT: Duration = Duration::from_millis(300);

/// A listener on 127.0.0.1 that never accepts, with its accept queue filled,
/// so that new connection attempts get no answer at all: the kernel drops
/// their SYNs instead of completing or refusing the handshake. Returns the
/// address and the connections that keep the queue full.
async fn unresponsive_listener() -> (SocketAddr, TcpListener, Vec<TcpStream>) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..64 {
        match tokio::time::timeout(SHORT, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            Ok(Err(err)) => panic!("filling the backlog failed: {err}"),
            // This attempt hangs: the queue is full.
            Err(_) => return (addr, listener, fillers),
        }
    }
    panic!("the accept queue of a backlog-1 listener never filled");
}

#[tokio::test]
async fn connect_timeout_when_the_peer_never_answers() {
    let (addr, _listener, _fillers) = unresponsive_listener().await;
    let transport = HttpTransport::builder()
        .no_proxy()
        .connect_timeout(SHORT)
        .build()
        .unwrap();
    let request = Request::get(format!("http://{addr}/"))
        .body(RequestBody::empty())
        .unwrap();
    let err = expect_err(guard(transport.send(request)).await);
    match &err {
        Error::ConnectTimeout { addr: at, timeout } => {
            assert_eq!(at, &addr.to_string());
            assert_eq!(*timeout, SHORT);
        }
        other => panic!("expected ConnectTimeout, got {other:?}"),
    }
    assert!(err.is_connect() && err.is_timeout() && err.is_retryable());
    assert!(err.to_string().contains("timed out after 300ms"), "{err}");
}

#[tokio::test]
async fn connect_timeout_covers_the_tls_handshake() {
    // TCP completes, but the server never answers the ClientHello.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(tcp);
    });
    let transport = HttpTransport::builder()
        .no_proxy()
        .connect_timeout(SHORT)
        .build()
        .unwrap();
    let request = Request::get(format!("https://{addr}/"))
        .body(RequestBody::empty())
        .unwrap();
    let err = expect_err(guard(transport.send(request)).await);
    assert!(
        matches!(err, Error::ConnectTimeout { timeout, .. } if timeout == SHORT),
        "{err:?}"
    );
    holder.abort();
}

/// A server whose body sends one chunk and then stalls (the sender is kept
/// alive, so the body neither continues nor ends).
async fn stalling_server() -> (crate::support::TestServer, tokio::sync::oneshot::Sender<()>) {
    let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
    let release = std::sync::Arc::new(std::sync::Mutex::new(Some(release_rx)));
    let server = http_server(move |_req| {
        let release = release.lock().unwrap().take();
        async move {
            let (tx, body) = channel_body();
            tokio::spawn(async move {
                tx.send(Bytes::from_static(b"data: partial\n\n")).await.ok();
                // Hold the sender until the test is over.
                if let Some(release) = release {
                    release.await.ok();
                }
                drop(tx);
            });
            Response::new(body)
        }
    })
    .await;
    (server, release_tx)
}

#[tokio::test]
async fn idle_timeout_fires_when_the_server_stalls_mid_body() {
    let (server, _release) = stalling_server().await;
    let transport = HttpTransport::builder()
        .no_proxy()
        .read_idle_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    let request = Request::get(server.url("http", "/stream"))
        .body(RequestBody::empty())
        .unwrap();
    let response = guard(transport.send(request)).await.unwrap();
    let mut body = response.into_body();
    assert_eq!(body.idle_timeout(), Some(Duration::from_millis(200)));

    let first = guard(body.frame()).await.unwrap().unwrap();
    assert_eq!(first.into_data().unwrap(), "data: partial\n\n");

    let err = guard(body.frame()).await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::IdleTimeout { timeout } if timeout == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(err.is_timeout() && err.is_body() && !err.is_connect());
    // The body is finished after the error.
    assert!(guard(body.frame()).await.is_none());
}

#[tokio::test]
async fn idle_timeout_can_be_set_per_body() {
    let (server, _release) = stalling_server().await;
    // No default on the transport: the override alone must fire.
    let request = Request::get(server.url("http", "/stream"))
        .body(RequestBody::empty())
        .unwrap();
    let response = guard(transport().send(request)).await.unwrap();
    let body = response.into_body();
    assert_eq!(body.idle_timeout(), None);
    let body = body.with_idle_timeout(Duration::from_millis(200));
    let err = expect_err(guard(body.collect_limited(1024)).await);
    assert!(matches!(err, Error::IdleTimeout { .. }), "{err:?}");
}
