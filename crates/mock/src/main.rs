//! `claude-rs-mock`: the mock Claude API as a standalone server.
//!
//! ```text
//! claude-rs-mock [--host 127.0.0.1] [--port 0] [--api-key KEY] [--batches immediate|manual|N]
//!             [--script FILE]... [--fault SPEC]... [--replay DIR]
//! claude-rs-mock record --upstream URL --dir DIR [OPTIONS]
//! claude-rs-mock replay DIR [OPTIONS]
//! ```
//!
//! Prints the base URL (`http://127.0.0.1:PORT`) on the first line of
//! standard output, then serves until killed. `--help` prints the usage.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use claude_rs_mock::{BatchCompletion, MockServer};

const USAGE: &str = "\
usage: claude-rs-mock [OPTIONS]
       claude-rs-mock record --upstream URL --dir DIR [OPTIONS]
       claude-rs-mock replay DIR [OPTIONS]

Serves a mock of the Claude API; prints its base URL on the first line.
`record` forwards every request to URL (e.g. https://api.anthropic.com, with
the client's own key, which is never written) and writes each exchange to DIR
as a cassette; `replay DIR` (or --replay DIR) serves those cassettes.

  --host ADDR          address to bind (default 127.0.0.1)
  --port N             port to bind (default 0: a free port)
  --api-key KEY        require this key (x-api-key or Authorization: Bearer)
  --admin-key KEY      Admin API: require this admin key (default: any sk-ant-admin... key)
  --admin-users N      Admin API: the organization's number of users (default 5)
  --aws-credentials ID:SECRET
                       Bedrock/Mantle: require SigV4 signatures with these keys
  --aws-session-token T  and this session token (x-amz-security-token)
  --bedrock-api-key K  Bedrock/Mantle: accept this key as Authorization: Bearer
  --vertex-token T     Vertex: require this bearer token
  --foundry-api-key K  Foundry: require this key (api-key or x-api-key)
  --foundry-token T    Foundry: accept this bearer (Entra ID) token
  --federation-rule RULE:ORG  POST /v1/oauth/token: accept jwt-bearer exchanges for
                       this rule and organization only; repeatable
  --oauth-client ID:REFRESH   POST /v1/oauth/token: accept refresh_token grants of
                       this client, starting from this refresh token; repeatable
  --token-lifetime SECS  expires_in of issued access tokens (default 3600)
  --batches WHEN       when batches end: immediate (default), manual, or N polls
  --script FILE        load a JSON script (as POST /_mock/script takes); repeatable
  --fault SPEC         schedule a fault; repeatable. SPEC is KIND or KIND:TIMES
                       (e.g. overloaded:2, reset_before_headers) or a JSON fault
                       rule (e.g. '{\"fault\":{\"kind\":\"sse_error_at\",\"index\":3}}')
  --stream-ping-ms MS  Managed Agents event streams: ping every MS ms
                       (default 15000; 0: no pings)
  --replay DIR         serve the cassettes recorded in DIR
  --replay-timing      (replay) keep the recorded pauses between chunks
  --upstream URL       (record) where requests go
  --dir DIR            (record) where cassettes are written
  -h, --help           print this help

Control API on the same port: GET /_mock, POST /_mock/script,
GET /_mock/requests, POST /_mock/reset, POST /_mock/batches/{id}/end,
POST /_mock/streams/cut, GET /_mock/environments/{id}/key,
POST /_mock/agent_replies.";

/// What the command line asks for.
enum Command {
    Serve(Box<Args>),
    Help,
}

/// The command line, parsed.
struct Args {
    host: IpAddr,
    port: u16,
    api_key: Option<String>,
    admin_key: Option<String>,
    admin_users: Option<usize>,
    /// Platform and token endpoint credentials: `(option, value)`, applied
    /// in order.
    platform_keys: Vec<(String, String)>,
    batches: BatchCompletion,
    /// Scripts to load, in order: `(where it came from, JSON)`.
    scripts: Vec<(String, String)>,
    replay: Option<String>,
    replay_timing: bool,
    upstream: Option<String>,
    dir: Option<String>,
    recording: bool,
    /// The interval between pings of the Managed Agents event streams.
    stream_ping_ms: Option<u64>,
}

/// A `--fault` value as a script document.
fn fault_script(spec: &str) -> String {
    if spec.trim_start().starts_with('{') {
        return format!(r#"{{"faults": [{spec}]}}"#);
    }
    let (kind, times) = spec.split_once(':').unwrap_or((spec, "1"));
    let kind = serde_json::Value::String(kind.to_owned());
    let times: serde_json::Value = times
        .parse::<u64>()
        .map_or_else(|_| serde_json::Value::String(times.to_owned()), Into::into);
    format!(r#"{{"faults": [{{"fault": {{"kind": {kind}}}, "times": {times}}}]}}"#)
}

fn parse(args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut parsed = Args {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        api_key: None,
        admin_key: None,
        admin_users: None,
        platform_keys: Vec::new(),
        batches: BatchCompletion::Immediate,
        scripts: Vec::new(),
        replay: None,
        replay_timing: false,
        upstream: None,
        dir: None,
        recording: false,
        stream_ping_ms: None,
    };
    let mut args = args.peekable();
    match args.peek().map(String::as_str) {
        Some("record") => {
            args.next();
            parsed.recording = true;
        }
        Some("replay") => {
            args.next();
            parsed.replay = Some(args.next().ok_or("replay needs a directory")?);
        }
        _ => {}
    }
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
            "--admin-key" => parsed.admin_key = Some(value()?),
            "--admin-users" => {
                let v = value()?;
                let n = v
                    .parse()
                    .map_err(|_| format!("--admin-users: not a count: {v}"))?;
                parsed.admin_users = Some(n);
            }
            "--aws-credentials" => {
                let v = value()?;
                if !v.contains(':') {
                    return Err(format!("--aws-credentials: expected ID:SECRET, got {v}"));
                }
                parsed.platform_keys.push((flag.clone(), v));
            }
            "--federation-rule" | "--oauth-client" => {
                let v = value()?;
                if !v.contains(':') {
                    return Err(format!(
                        "{flag}: expected two values joined by ':', got {v}"
                    ));
                }
                parsed.platform_keys.push((flag.clone(), v));
            }
            "--token-lifetime" => {
                let v = value()?;
                v.parse::<i64>()
                    .map_err(|_| format!("--token-lifetime: not a number of seconds: {v}"))?;
                parsed.platform_keys.push((flag.clone(), v));
            }
            "--aws-session-token"
            | "--bedrock-api-key"
            | "--vertex-token"
            | "--foundry-api-key"
            | "--foundry-token" => {
                let v = value()?;
                parsed.platform_keys.push((flag.clone(), v));
            }
            "--batches" => {
                parsed.batches = match value()?.as_str() {
                    "immediate" => BatchCompletion::Immediate,
                    "manual" => BatchCompletion::Manual,
                    n => BatchCompletion::AfterPolls(
                        n.parse().map_err(|_| format!("--batches: {n}"))?,
                    ),
                }
            }
            "--script" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|err| format!("--script {path}: {err}"))?;
                parsed.scripts.push((path, text));
            }
            "--fault" => {
                let spec = value()?;
                let script = fault_script(&spec);
                parsed.scripts.push((format!("--fault {spec}"), script));
            }
            "--replay" => parsed.replay = Some(value()?),
            "--replay-timing" => parsed.replay_timing = true,
            "--stream-ping-ms" => {
                let v = value()?;
                let ms = v
                    .parse()
                    .map_err(|_| format!("--stream-ping-ms: not a number: {v}"))?;
                parsed.stream_ping_ms = Some(ms);
            }
            "--upstream" => parsed.upstream = Some(value()?),
            "--dir" => parsed.dir = Some(value()?),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if parsed.recording && (parsed.upstream.is_none() || parsed.dir.is_none()) {
        return Err(format!(
            "record needs --upstream URL and --dir DIR\n{USAGE}"
        ));
    }
    if !parsed.recording && (parsed.upstream.is_some() || parsed.dir.is_some()) {
        return Err(format!(
            "--upstream and --dir are for `claude-rs-mock record`\n{USAGE}"
        ));
    }
    Ok(Command::Serve(Box::new(parsed)))
}

#[allow(clippy::print_stdout)] // Printing the URL is this program's output.
fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Command::Serve(args)) => *args,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
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
            eprintln!("claude-rs-mock: cannot start the runtime: {err}");
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
        if let Some(key) = args.admin_key {
            builder = builder.admin_key(key);
        }
        if let Some(count) = args.admin_users {
            builder = builder.admin_users(count);
        }
        for (flag, value) in args.platform_keys {
            builder = match flag.as_str() {
                "--aws-credentials" => {
                    let (id, secret) = value.split_once(':').unwrap_or((&value, ""));
                    builder.aws_credentials(id, secret)
                }
                "--federation-rule" => {
                    let (rule, org) = value.split_once(':').unwrap_or((&value, ""));
                    builder.federation_rule(rule, org)
                }
                "--oauth-client" => {
                    let (id, refresh) = value.split_once(':').unwrap_or((&value, ""));
                    builder.oauth_client(id, refresh)
                }
                "--token-lifetime" => builder.token_lifetime(value.parse().unwrap_or(3600)),
                "--aws-session-token" => builder.aws_session_token(value),
                "--bedrock-api-key" => builder.bedrock_api_key(value),
                "--vertex-token" => builder.vertex_token(value),
                "--foundry-api-key" => builder.foundry_api_key(value),
                _ => builder.foundry_token(value),
            };
        }
        if let Some(ms) = args.stream_ping_ms {
            builder = builder.stream_ping_interval(std::time::Duration::from_millis(ms));
        }
        if let Some(dir) = &args.replay {
            builder = builder.replay(dir).replay_timing(args.replay_timing);
        }
        #[cfg(feature = "record")]
        if let (Some(upstream), Some(dir)) = (&args.upstream, &args.dir) {
            builder = builder.record(upstream, dir);
        }
        #[cfg(not(feature = "record"))]
        if args.recording {
            eprintln!("claude-rs-mock: built without the `record` feature");
            return ExitCode::from(2);
        }
        match builder.try_start().await {
            Ok(server) => {
                for (source, script) in &args.scripts {
                    if let Err(err) = server.load_script(script) {
                        eprintln!("claude-rs-mock: {source}: {err}");
                        return ExitCode::from(2);
                    }
                }
                println!("{}", server.base_url());
                std::future::pending::<()>().await;
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!(
                    "claude-rs-mock: cannot start on {}:{}: {err}",
                    args.host, args.port
                );
                ExitCode::FAILURE
            }
        }
    })
}
