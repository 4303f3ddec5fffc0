//! The organization through the Admin API: the organization itself, then
//! every user, every workspace and every API key, following every page.
//!
//! ```sh
//! cargo run --example admin              # one readable line per object
//! cargo run --example admin -- --json    # one JSON line per object, as received
//! ```
//!
//! With `ANTHROPIC_ADMIN_KEY` set it runs against the real Admin API (or
//! `ANTHROPIC_BASE_URL`); without, against the embedded mock's organization.
//! With `--json` each object is printed as the API sent it, fields this crate
//! does not model included (the types keep them and write them back).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use claude_rs_admin::Admin;
use claude_rs_client::{Client, Error};
use claude_rs_mock::MockServer;
use serde::Serialize;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let json = std::env::args().skip(1).any(|arg| arg == "--json");
    let (admin, _mock) = connect().await?;
    print_organization(&admin, json, &mut std::io::stdout().lock()).await?;
    Ok(())
}

/// A client for the real Admin API when `ANTHROPIC_ADMIN_KEY` is set, else
/// for the embedded mock (kept alive with the client).
async fn connect() -> Result<(Admin, Option<MockServer>), Error> {
    if std::env::var_os("ANTHROPIC_ADMIN_KEY").is_some_and(|key| !key.is_empty()) {
        let client = Client::builder().build()?;
        eprintln!("using ANTHROPIC_ADMIN_KEY against {}", client.base_url());
        return Ok((Admin::new(client), None));
    }
    let mock = MockServer::start().await;
    eprintln!(
        "ANTHROPIC_ADMIN_KEY not set: running against the embedded mock at {}",
        mock.base_url()
    );
    let client = Client::builder()
        .admin_key("sk-ant-admin01-mock")
        .base_url(mock.base_url())
        .build()?;
    Ok((Admin::new(client), Some(mock)))
}

/// Writes the organization, then every user, workspace and API key.
async fn print_organization(
    admin: &Admin,
    json: bool,
    out: &mut impl std::io::Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let organization = admin.me().retrieve().await?;
    line(out, json, &organization, || {
        format!("organization {} {}", organization.id, organization.name)
    })?;

    let mut users = admin.users().list(&Default::default()).into_stream();
    while let Some(user) = users.next().await {
        let user = user?;
        line(out, json, &user, || {
            format!("user {} {} ({})", user.id, user.email, user.role)
        })?;
    }

    let mut workspaces = admin.workspaces().list(&Default::default()).into_stream();
    while let Some(workspace) = workspaces.next().await {
        let workspace = workspace?;
        line(out, json, &workspace, || {
            let archived = if workspace.archived_at.is_some() {
                ", archived"
            } else {
                ""
            };
            format!("workspace {} {}{archived}", workspace.id, workspace.name)
        })?;
    }

    let mut keys = admin.api_keys().list(&Default::default()).into_stream();
    while let Some(key) = keys.next().await {
        let key = key?;
        line(out, json, &key, || {
            format!("api key {} {} ({})", key.id, key.name, key.status)
        })?;
    }
    Ok(())
}

/// One object: as JSON, or as the readable line `text` makes.
fn line<T: Serialize>(
    out: &mut impl std::io::Write,
    json: bool,
    object: &T,
    text: impl FnOnce() -> String,
) -> Result<(), Box<dyn std::error::Error>> {
    if json {
        writeln!(out, "{}", serde_json::to_string(object)?)?;
    } else {
        writeln!(out, "{}", text())?;
    }
    Ok(())
}
