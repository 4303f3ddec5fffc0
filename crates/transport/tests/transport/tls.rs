//! HTTPS against a loopback server with a self-signed certificate.

use claude_rs_transport::{Error, HttpTransport, RequestBody};
use http::{Request, Response, Version};

use crate::support::{expect_err, full, guard, https_server, https_server_for};

async fn hello_server() -> (crate::support::TestServer, Vec<u8>) {
    https_server(|req: Request<hyper::body::Incoming>| async move {
        Response::new(full(format!("hello over {:?}", req.version())))
    })
    .await
}

fn get(url: String) -> Request<RequestBody> {
    Request::get(url).body(RequestBody::empty()).unwrap()
}

#[tokio::test]
async fn https_with_a_root_trusted_through_configuration_negotiates_h2() {
    let (server, cert) = hello_server().await;
    let transport = HttpTransport::builder()
        .no_proxy()
        .https_only(true)
        .add_root_certificate(cert)
        .build()
        .unwrap();
    for _ in 0..2 {
        let response = guard(transport.send(get(server.url("https", "/v1/models"))))
            .await
            .unwrap();
        assert_eq!(response.version(), Version::HTTP_2, "ALPN selects h2");
        let body = guard(response.into_body().collect_limited(1024))
            .await
            .unwrap();
        assert_eq!(body, "hello over HTTP/2.0");
    }
    // Both requests were multiplexed over one pooled HTTP/2 connection.
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn http1_only_does_not_offer_h2() {
    let (server, cert) = hello_server().await;
    let transport = HttpTransport::builder()
        .no_proxy()
        .http1_only()
        .tls_built_in_roots(false)
        .add_root_certificate(cert)
        .build()
        .unwrap();
    let response = guard(transport.send(get(server.url("https", "/"))))
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_11);
    let body = guard(response.into_body().collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(body, "hello over HTTP/1.1");
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error() {
    let (server, _cert) = hello_server().await;
    // Default roots only: the self-signed certificate is not among them.
    let transport = HttpTransport::builder().no_proxy().build().unwrap();
    let err = expect_err(guard(transport.send(get(server.url("https", "/")))).await);
    assert!(matches!(err, Error::Tls { .. }), "{err:?}");
    assert!(err.is_tls() && err.is_connect());
    assert!(
        !err.is_retryable(),
        "a rejected certificate does not heal on retry"
    );
    assert_eq!(err.to_string(), "TLS handshake with 127.0.0.1 failed");
    let chain = crate::support::chain(&err);
    assert!(chain.contains("certificate"), "{chain}");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_certificate_for_another_name_is_rejected() {
    // Trusted, but issued for `localhost` only, while we connect to the IP.
    let (server, cert) = https_server_for(vec!["localhost".to_owned()], |_req| async {
        Response::new(full("unreachable"))
    })
    .await;
    let transport = HttpTransport::builder()
        .no_proxy()
        .add_root_certificate(cert)
        .build()
        .unwrap();
    let err = expect_err(guard(transport.send(get(server.url("https", "/")))).await);
    assert!(err.is_tls(), "{err:?}");
    assert!(!err.is_retryable());
}

/// The default provider (aws-lc-rs) speaks the post-quantum hybrid key
/// exchange: a server that offers nothing else completes the handshake.
#[cfg(feature = "aws-lc-rs")]
#[tokio::test]
async fn a_server_offering_only_x25519mlkem768_completes_the_handshake() {
    use rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768;
    let (server, cert) = crate::support::https_server_with_groups(
        vec![X25519MLKEM768],
        |req: Request<hyper::body::Incoming>| async move {
            Response::new(full(format!("post-quantum over {:?}", req.version())))
        },
    )
    .await;
    let transport = HttpTransport::builder()
        .no_proxy()
        .tls_built_in_roots(false)
        .add_root_certificate(cert)
        .build()
        .unwrap();
    let response = guard(transport.send(get(server.url("https", "/"))))
        .await
        .unwrap();
    let body = guard(response.into_body().collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(body, "post-quantum over HTTP/2.0");
}
