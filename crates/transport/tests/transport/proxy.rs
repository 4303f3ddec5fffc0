//! Proxies: a loopback CONNECT proxy for HTTPS and a forward proxy for HTTP.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use claude_rs_transport::{Error, HttpTransport, Proxy, RequestBody};
use http::{Request, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{closed_port, expect_err, full, guard, http_server, https_server};

type Log = Arc<Mutex<Vec<String>>>;

/// A CONNECT proxy on loopback. It records each request head, then either
/// answers with `refusal` or dials the (loopback) target, answers 200 and
/// splices bytes both ways.
async fn connect_proxy(refusal: Option<&'static str>) -> (SocketAddr, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let heads = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let heads = heads.clone();
            tokio::spawn(async move { tunnel_one(client, refusal, heads).await });
        }
    });
    (addr, log)
}

async fn tunnel_one(mut client: TcpStream, refusal: Option<&'static str>, heads: Log) {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        if client.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    heads.lock().unwrap().push(head.clone());
    if let Some(refusal) = refusal {
        client.write_all(refusal.as_bytes()).await.ok();
        return;
    }
    let target = head
        .strip_prefix("CONNECT ")
        .and_then(|rest| rest.split(' ').next())
        .expect("a CONNECT request");
    assert!(target.starts_with("127.0.0.1:"), "loopback only: {target}");
    let mut upstream = TcpStream::connect(target).await.unwrap();
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .unwrap();
    tokio::io::copy_bidirectional(&mut client, &mut upstream)
        .await
        .ok();
}

fn get(url: String) -> Request<RequestBody> {
    Request::get(url).body(RequestBody::empty()).unwrap()
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_credentials() {
    let (server, cert) = https_server(|_req| async { Response::new(full("via tunnel")) }).await;
    let (proxy_addr, log) = connect_proxy(None).await;
    let transport = HttpTransport::builder()
        .proxy(Proxy::all(&format!("http://user:pw@{proxy_addr}")).unwrap())
        .add_root_certificate(cert)
        .build()
        .unwrap();

    let response = guard(transport.send(get(server.url("https", "/v1"))))
        .await
        .unwrap();
    let body = guard(response.into_body().collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(body, "via tunnel");

    let heads = log.lock().unwrap().clone();
    assert_eq!(heads.len(), 1, "one tunnel: {heads:?}");
    let head = &heads[0];
    assert!(
        head.starts_with(&format!("CONNECT {} HTTP/1.1\r\n", server.addr)),
        "{head}"
    );
    // base64("user:pw")
    assert!(
        head.contains("Proxy-Authorization: Basic dXNlcjpwdw==\r\n"),
        "{head}"
    );
    assert!(format!("{transport:?}").contains("***@127.0.0.1"));
    assert!(!format!("{transport:?}").contains("pw"));
}

#[tokio::test]
async fn plain_http_goes_through_a_forward_proxy_in_absolute_form() {
    let proxy = http_server(|req: Request<hyper::body::Incoming>| async move {
        let auth = req
            .headers()
            .get("proxy-authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Response::new(full(format!("{} {auth}", req.uri())))
    })
    .await;
    // Nothing listens at the destination: only the proxy can answer.
    let destination = closed_port().await;
    let transport = HttpTransport::builder()
        .proxy(Proxy::all(&format!("http://user:pw@{}", proxy.addr)).unwrap())
        .build()
        .unwrap();

    let url = format!("http://{destination}/v1/models?limit=1");
    let response = guard(transport.send(get(url.clone()))).await.unwrap();
    let body = guard(response.into_body().collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(body, format!("{url} Basic dXNlcjpwdw=="));
}

#[tokio::test]
async fn no_proxy_exceptions_connect_directly() {
    let server = http_server(|_req| async { Response::new(full("direct")) }).await;
    // The proxy does not exist; using it would fail.
    let dead_proxy = closed_port().await;
    let proxy = Proxy::all(&format!("http://{dead_proxy}"))
        .unwrap()
        .no_proxy("example.com, 127.0.0.0/8");
    let transport = HttpTransport::builder().proxy(proxy).build().unwrap();
    let response = guard(transport.send(get(server.url("http", "/"))))
        .await
        .unwrap();
    let body = guard(response.into_body().collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(body, "direct");
}

#[tokio::test]
async fn a_refused_connect_is_a_proxy_error_without_secrets() {
    let (proxy_addr, log) = connect_proxy(Some("HTTP/1.1 403 Forbidden\r\n\r\n")).await;
    let transport = HttpTransport::builder()
        .proxy(Proxy::https(&format!("http://user:hunter2@{proxy_addr}")).unwrap())
        .build()
        .unwrap();
    let err = expect_err(guard(transport.send(get("https://127.0.0.1:9/".into()))).await);
    assert!(matches!(err, Error::Proxy { .. }), "{err:?}");
    assert!(err.is_proxy() && err.is_connect() && !err.is_retryable());
    let msg = err.to_string();
    assert!(msg.contains("403 Forbidden"), "{msg}");
    assert!(msg.contains(&format!("http://***@{proxy_addr}")), "{msg}");
    assert!(!msg.contains("hunter2") && !format!("{err:?}").contains("hunter2"));
    assert_eq!(log.lock().unwrap().len(), 1);
}

/// A refusal whose body comes in the same packet as its head is reported by
/// its status, not as "data after the CONNECT response".
#[tokio::test]
async fn a_refusal_with_a_body_is_reported_by_its_status() {
    let refusals = [
        (
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\
             Content-Length: 13\r\n\r\nAccess denied",
            "proxy authentication required (407)",
        ),
        (
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden",
            "403 Forbidden",
        ),
    ];
    for (refusal, expected) in refusals {
        let (proxy_addr, _) = connect_proxy(Some(refusal)).await;
        let transport = HttpTransport::builder()
            .proxy(Proxy::https(&format!("http://{proxy_addr}")).unwrap())
            .build()
            .unwrap();
        let err = expect_err(guard(transport.send(get("https://127.0.0.1:9/".into()))).await);
        assert!(err.is_proxy(), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(expected), "{msg}");
        assert!(!msg.contains("after its CONNECT response"), "{msg}");
    }
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_connect_error_naming_the_proxy() {
    let dead_proxy = closed_port().await;
    let transport = HttpTransport::builder()
        .proxy(Proxy::all(&format!("http://{dead_proxy}")).unwrap())
        .build()
        .unwrap();
    for url in ["https://127.0.0.1:9/", "http://127.0.0.1:9/"] {
        let err = expect_err(guard(transport.send(get(url.into()))).await);
        match &err {
            Error::Connect { addr, .. } => assert_eq!(addr, &dead_proxy.to_string(), "{url}"),
            other => panic!("{url}: expected Connect, got {other:?}"),
        }
        assert!(err.is_retryable());
    }
}
