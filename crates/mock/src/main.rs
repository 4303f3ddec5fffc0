//! `claude-mock`: the mock Claude API as a standalone server.
//!
//! ```text
//! claude-mock [--host 127.0.0.1] [--port 0] [--api-key KEY] [--batches immediate|manual|N]
//! ```
//!
//! Prints the base URL (`http://127.0.0.1:PORT`) on the first line of
//! standard output, then serves until killed.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use claude_mock::{BatchCompletion, MockServer};

const USAGE: &str =
    "usage: claude-mock [--host ADDR] [--port N] [--api-key KEY] [--batches immediate|manual|N]";

/// The command line, parsed.
struct Args {
    host: IpAddr,
    port: u16,
    api_key: Option<String>,
    batches: BatchCompletion,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        api_key: None,
        batches: BatchCompletion::Immediate,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => {
                let v = value()?;
                parsed.host = v
                    .parse()
                    .map_err(|_| format!("--host: not an IP address: {v}"))?;
            }
            "--port" => {
                let v = value()?;
                parsed.port = v.parse().map_err(|_| format!("--port: not a port: {v}"))?;
            }
            "--api-key" => parsed.api_key = Some(value()?),
            "--batches" => {
                parsed.batches = match value()?.as_str() {
                    "immediate" => BatchCompletion::Immediate,
                    "manual" => BatchCompletion::Manual,
                    n => BatchCompletion::AfterPolls(
                        n.parse().map_err(|_| format!("--batches: {n}"))?,
                    ),
                }
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(parsed)
}

#[allow(clippy::print_stdout)] // Printing the URL is this program's output.
fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("claude-mock: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let mut builder = MockServer::builder()
            .address(SocketAddr::new(args.host, args.port))
            .batch_completion(args.batches);
        if let Some(key) = args.api_key {
            builder = builder.api_key(key);
        }
        match builder.try_start().await {
            Ok(server) => {
                println!("{}", server.base_url());
                std::future::pending::<()>().await;
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!(
                    "claude-mock: cannot listen on {}:{}: {err}",
                    args.host, args.port
                );
                ExitCode::FAILURE
            }
        }
    })
}
