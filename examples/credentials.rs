//! Which credentials a client uses, and workload identity federation.
//!
//! ```sh
//! cargo run --example credentials
//! ```
//!
//! The client finds its credentials as the official SDKs do: an API key or
//! auth token (`ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`), a profile
//! (`ANTHROPIC_PROFILE`, or the active one in `~/.config/anthropic`), or
//! workload identity federation (`ANTHROPIC_FEDERATION_RULE_ID`,
//! `ANTHROPIC_ORGANIZATION_ID` and `ANTHROPIC_IDENTITY_TOKEN_FILE`), which
//! exchanges the workload's identity token for a short-lived access token.
//!
//! When any of them is set, the example says which one the environment
//! resolves to and makes one call with it. Otherwise it runs federation
//! offline: the embedded mock stands in for the API and its token
//! endpoint, and a file stands in for the identity token that Kubernetes
//! or GitHub Actions would mount.

#![allow(clippy::print_stdout)]

mod common;

use claude_rs_client::credentials::{self, CredentialSource};
use claude_rs_client::{ClientBuilder, Error};
use claude_rs_mock::MockServer;
use claude_rs_types::{model::Model, request::CreateMessageRequest, request::MessageParam};

fn request() -> CreateMessageRequest {
    CreateMessageRequest::new(
        Model::CLAUDE_SONNET_5,
        64,
        vec![MessageParam::user("Say hi in three words.")],
    )
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    if credentials::detect()?.is_some() {
        // Says on stderr which source it found, and where calls go.
        let target = common::connect().await?;
        let reply = target.client.messages().create(request()).await?;
        println!("claude> {}", reply.text());
        return Ok(());
    }
    offline_federation().await
}

/// Federation against the mock: an identity token file, a rule, an
/// organization; the client exchanges the token once and reuses it.
async fn offline_federation() -> Result<(), Error> {
    const RULE: &str = "fdrl_01ExampleRule";
    const ORGANIZATION: &str = "00000000-0000-4000-8000-00000000beef";
    let mock = MockServer::builder()
        .federation_rule(RULE, ORGANIZATION)
        .start()
        .await;
    eprintln!(
        "credentials (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, a profile, workload identity \
         federation) not set: running against the embedded mock at {}",
        mock.base_url()
    );
    // What a platform mounts for the workload: a JWT, rotated in place.
    let token_file =
        std::env::temp_dir().join(format!("claude-rs-example-{}.jwt", std::process::id()));
    std::fs::write(
        &token_file,
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJleGFtcGxlIn0.c2ln",
    )
    .map_err(|e| Error::Credentials {
        message: "cannot write the example's identity token".to_owned(),
        transient: false,
        source: Some(Box::new(e)),
    })?;
    let token_path = token_file.to_string_lossy().into_owned();
    let base_url = mock.base_url().to_owned();
    // The variables a deployment would set, given to the builder instead
    // of the process environment.
    let client = ClientBuilder::from_env_lookup(|name| match name {
        "ANTHROPIC_FEDERATION_RULE_ID" => Some(RULE.to_owned()),
        "ANTHROPIC_ORGANIZATION_ID" => Some(ORGANIZATION.to_owned()),
        "ANTHROPIC_IDENTITY_TOKEN_FILE" => Some(token_path.clone()),
        "ANTHROPIC_BASE_URL" => Some(base_url.clone()),
        _ => None,
    })
    .build()?;
    println!(
        "credentials: {}",
        common::describe(&CredentialSource::Federation)
    );
    for _ in 0..3 {
        client.messages().create(request()).await?;
    }
    let exchanges = mock.received("/v1/oauth/token").len();
    let calls = mock.received("/v1/messages").len();
    println!(
        "{calls} calls, {exchanges} token exchange (the token is cached until shortly before it expires)"
    );
    let _ = std::fs::remove_file(&token_file);
    Ok(())
}
