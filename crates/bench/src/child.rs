//! The `bench-mock` binary as a child process, so that the CPU time and
//! memory the benches read for their own process are the client's alone.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running `bench-mock`; killed when dropped (panics included). It also
/// exits by itself when this process ends, as its standard input closes.
#[derive(Debug)]
pub struct MockChild {
    child: Child,
    base_url: String,
}

impl MockChild {
    /// Starts `binary` (pass `env!("CARGO_BIN_EXE_bench-mock")`) with
    /// `args` and waits for the base URL it prints.
    pub fn spawn(binary: &str, args: &[&str]) -> std::io::Result<MockChild> {
        let mut child = Command::new(binary)
            .args(args)
            .arg("--exit-on-stdin-eof")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut line = String::new();
        let read = match child.stdout.take() {
            Some(stdout) => BufReader::new(stdout).read_line(&mut line),
            None => Ok(0),
        };
        let base_url = line.trim().to_owned();
        if read.is_err() || !base_url.starts_with("http://") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("bench-mock did not start"));
        }
        Ok(MockChild { child, base_url })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for MockChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
