//! Calls endpoints this crate has no handler for yet, through the
//! client's generic verbs, with raw JSON answers: a Managed Agents list
//! (`GET /v1/agents`, beta `managed-agents-2026-04-01`, every page) and an
//! Admin API call (`GET /v1/organizations/me`, with the admin key).
//!
//! ```sh
//! cargo run --example raw
//! ```
//!
//! Uses the real API when `ANTHROPIC_API_KEY` is set (at
//! `ANTHROPIC_BASE_URL` if given), and `ANTHROPIC_ADMIN_KEY` for the Admin
//! call; else the embedded mock (which keeps no agents until one is
//! created, and an organization of its own).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use claude_rs_client::{Client, ConfigKind, Error};
use serde_json::Value;

/// The beta every Managed Agents endpoint needs.
const MANAGED_AGENTS_BETA: &str = "managed-agents-2026-04-01";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = common::connect().await?;

    // Any list, any item type: here raw JSON, 20 to a page, every page.
    let mut agents = target
        .client
        .get("/v1/agents")
        .beta(MANAGED_AGENTS_BETA)
        .paginate::<Value>()
        .limit(20)
        .into_stream();
    let mut count = 0;
    while let Some(agent) = agents.next().await {
        println!("agent {}", agent?);
        count += 1;
    }
    println!("{count} agents");

    // The Admin API takes an admin key (`ANTHROPIC_ADMIN_KEY`, which the
    // builder reads, or `ClientBuilder::admin_key`), sent on its calls only.
    let mock_admin;
    let admin = match target.mock() {
        Some(mock) => {
            mock_admin = Client::builder()
                .api_key("sk-ant-mock")
                .admin_key("sk-ant-admin-mock")
                .base_url(mock.base_url())
                .build()?;
            &mock_admin
        }
        None => &target.client,
    };
    let organization: Result<Value, Error> = admin.get("/v1/organizations/me").await;
    if let Err(Error::Config {
        kind: ConfigKind::MissingAdminKey,
        ..
    }) = organization
    {
        eprintln!("ANTHROPIC_ADMIN_KEY is not set: skipping the Admin API call");
        return Ok(());
    }
    let organization = organization?;
    println!("organization {organization}");
    Ok(())
}
