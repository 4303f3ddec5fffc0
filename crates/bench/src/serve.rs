//! The mock the benches stream from: every streaming `POST /v1/messages`
//! gets the same benchmark stream (optionally dripped), every other
//! request the mock's default reply.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use claude_rs_mock::{Fault, MockResponse, MockServer};

use crate::streams::Kind;

/// What the mock serves.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// The stream of every streaming message request.
    pub kind: Kind,
    /// Its number of delta events.
    pub events: usize,
    /// Send one event every this long, instead of all at once.
    pub drip: Option<Duration>,
}

/// Starts the mock on a free loopback port.
pub async fn start(options: ServeOptions) -> MockServer {
    start_at(options, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
}

/// Starts the mock on `address`.
pub async fn start_at(options: ServeOptions, address: SocketAddr) -> MockServer {
    let stream = options.kind.build(options.events);
    let server = MockServer::builder().address(address).start().await;
    server.respond_with(move |request| {
        if !request.is_stream() {
            return MockResponse::default_reply();
        }
        let response = MockResponse::sse_bytes(stream.clone());
        match options.drip {
            Some(interval) => response.with_fault(Fault::drip_events(interval)),
            None => response,
        }
    });
    server
}
