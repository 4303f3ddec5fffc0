//! The set-up of the Bedrock control-plane tests: the mock, checking SigV4
//! with one AWS key pair, and a client on the Bedrock backend pointed at it.

#![allow(dead_code, unreachable_pub)]

use claude_rs_bedrock::{Bedrock, Credentials};
use claude_rs_client::Client;
use claude_rs_mock::{MockServer, Platform};

pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const BETA: &str = "managed-agents-2026-04-01";

/// The mock, verifying every signature against the key pair above.
pub async fn mock() -> MockServer {
    MockServer::builder()
        .aws_credentials(ACCESS_KEY, SECRET_KEY)
        .start()
        .await
}

/// A client on the Bedrock backend in `eu-west-1`, signing with `secret`:
/// its runtime at the mock's root, its control plane at the mock's
/// `/anthropic`.
pub fn client(server: &MockServer, secret: &str) -> Client {
    let bedrock = Bedrock::builder()
        .region("eu-west-1")
        .base_url(server.base_url())
        .control_plane_url(server.platform_base_url(Platform::BedrockControlPlane))
        .credentials(Credentials::new(ACCESS_KEY, secret, None))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    Client::builder().backend(bedrock).build().unwrap()
}
