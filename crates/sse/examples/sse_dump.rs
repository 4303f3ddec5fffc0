//! Dumps the events of a `text/event-stream` read on stdin, one JSON object per
//! line: `{"event": "...", "data": "...", "id": "..."}` (`id` is the last event
//! id, `""` if none).
//!
//! ```text
//! cargo run -p claude-rs-sse --example sse_dump -- [--chunk-size N] < body.sse
//! ```
//!
//! With `--chunk-size N` the parser is fed exactly `N` bytes at a time (the
//! last chunk may be shorter), otherwise whatever each `read` returns. Parse
//! errors are reported on stderr, and make the exit status 1.

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use bytes::{Bytes, BytesMut};
use claude_rs_sse::{Event, Parser};

fn usage() -> ExitCode {
    eprintln!("usage: sse_dump [--chunk-size N] < body.sse");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let chunk_size = match args.as_slice() {
        [] => None,
        [flag, n] if flag == "--chunk-size" => match n.parse::<usize>() {
            Ok(n) if n > 0 => Some(n),
            _ => return usage(),
        },
        _ => return usage(),
    };
    match run(chunk_size) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // A closed stdout (e.g. piped into `head`) is not worth a message.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sse_dump: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Returns whether the stream parsed without errors.
fn run(chunk_size: Option<usize>) -> io::Result<bool> {
    let mut stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut parser = Parser::new();
    let mut clean = true;
    let mut pending = BytesMut::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        match chunk_size {
            None => parser.feed(Bytes::copy_from_slice(&buf[..n])),
            Some(size) => {
                pending.extend_from_slice(&buf[..n]);
                while pending.len() >= size {
                    parser.feed(pending.split_to(size).freeze());
                    clean &= drain(&mut parser, &mut out)?;
                }
            }
        }
        clean &= drain(&mut parser, &mut out)?;
    }
    parser.feed(pending.freeze());
    parser.finish();
    clean &= drain(&mut parser, &mut out)?;
    out.flush()?;
    Ok(clean)
}

/// Prints every available event; returns false if there was a parse error.
fn drain(parser: &mut Parser, out: &mut impl Write) -> io::Result<bool> {
    let mut clean = true;
    while let Some(item) = parser.next_event() {
        match item {
            Ok(event) => print_event(&event, out)?,
            Err(error) => {
                eprintln!("sse_dump: {error}");
                clean = false;
            }
        }
    }
    Ok(clean)
}

fn print_event(event: &Event, out: &mut impl Write) -> io::Result<()> {
    let json = |s: &str| serde_json::to_string(s).map_err(io::Error::other);
    writeln!(
        out,
        r#"{{"event": {}, "data": {}, "id": {}}}"#,
        json(event.event_type())?,
        json(event.data())?,
        json(event.id())?
    )
}
