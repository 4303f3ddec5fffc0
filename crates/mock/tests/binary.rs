//! The `claude-rs-mock` binary: `--help`, the URL on the first line, and the
//! `--fault` and `--script` flags.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_claude-rs-mock");

/// A running binary, killed when dropped.
struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Running {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn claude-rs-mock");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    Running {
        child,
        url: line.trim().to_owned(),
    }
}

/// A blocking HTTP/1.1 request; the status and the body.
fn call(url: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let address = url.trim_start_matches("http://");
    let mut socket = TcpStream::connect(address).expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: mock\r\nanthropic-version: 2023-06-01\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).expect("write");
    let mut response = String::new();
    socket.read_to_string(&mut response).expect("read");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, body.to_owned())
}

const SAY: &str =
    r#"{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}"#;

#[test]
fn help_exits_zero_and_names_the_flags() {
    let output = Command::new(BINARY).arg("--help").output().expect("run");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for flag in ["--fault", "--script", "--port", "/_mock/script"] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }
}

#[test]
fn prints_its_url_first_and_takes_faults() {
    let mock = start(&["--fault", "overloaded:2"]);
    assert!(mock.url.starts_with("http://127.0.0.1:"), "{}", mock.url);
    assert_eq!(call(&mock.url, "POST", "/v1/messages", SAY).0, 529);
    assert_eq!(call(&mock.url, "POST", "/v1/messages", SAY).0, 529);
    assert_eq!(call(&mock.url, "POST", "/v1/messages", SAY).0, 200);
}

#[test]
fn loads_a_script_file() {
    let path =
        std::env::temp_dir().join(format!("claude-rs-mock-script-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"replies": {"messages": [{"text": "from the file"}]},
            "faults": [{"fault": {"kind": "rate_limited", "retry_after": 1}, "route": "count_tokens"}]}"#,
    )
    .expect("write script");
    let mock = start(&["--script", path.to_str().unwrap_or_default()]);
    let (status, body) = call(&mock.url, "POST", "/v1/messages", SAY);
    assert_eq!(status, 200);
    assert!(body.contains("from the file"), "{body}");
    assert_eq!(
        call(&mock.url, "POST", "/v1/messages/count_tokens", SAY).0,
        429
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn platform_credentials_are_required_when_given() {
    let mock = start(&[
        "--aws-credentials",
        "AKIDEXAMPLE:secret",
        "--vertex-token",
        "ya29.t",
        "--foundry-api-key",
        "k",
    ]);
    let bedrock = r#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}"#;
    let path = "/model/anthropic.claude-haiku-4-5-20251001-v1:0/invoke";
    let (status, body) = call(&mock.url, "POST", path, bedrock);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("Missing Authentication Token"), "{body}");
    let vertex =
        "/v1/projects/p/locations/global/publishers/anthropic/models/claude-haiku-4-5:rawPredict";
    assert_eq!(call(&mock.url, "POST", vertex, SAY).0, 401);
    assert_eq!(
        call(&mock.url, "POST", "/anthropic/v1/messages", SAY).0,
        401
    );
    // The first-party paths are not affected.
    assert_eq!(call(&mock.url, "POST", "/v1/messages", SAY).0, 200);
    let output = Command::new(BINARY)
        .args(["--aws-credentials", "no-colon"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_bad_flag_value_exits_2_with_the_problem() {
    let output = Command::new(BINARY)
        .args(["--fault", "explode"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("unknown fault kind \"explode\""), "{text}");
    assert!(output.stdout.is_empty(), "no URL when the setup fails");
}

#[test]
fn replays_a_cassette_directory_and_checks_record_flags() {
    let dir =
        std::env::temp_dir().join(format!("claude-rs-mock-bin-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let cassette = serde_json::json!({
        "request": {"method": "GET", "path": "/v1/models", "query": null, "headers": {}, "body": null},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": "{\"data\":[],\"has_more\":false}"},
    });
    std::fs::write(dir.join("0001-get-v1-models.json"), cassette.to_string()).expect("write");
    let path = dir.to_str().unwrap_or_default();
    for args in [vec!["replay", path], vec!["--replay", path]] {
        let mock = start(&args);
        let (status, body) = call(&mock.url, "GET", "/v1/models", "");
        assert_eq!(
            (status, body.as_str()),
            (200, "{\"data\":[],\"has_more\":false}")
        );
        let (status, body) = call(&mock.url, "GET", "/v1/files", "");
        assert_eq!(status, 404);
        assert!(body.contains("the closest is 0001-get-v1-models"), "{body}");
    }
    let _ = std::fs::remove_dir_all(&dir);

    let output = Command::new(BINARY)
        .args(["record", "--dir", "x"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("record needs --upstream URL and --dir DIR")
    );
}
