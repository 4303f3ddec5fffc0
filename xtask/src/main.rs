//! Contributor tasks for the workspace, run as `cargo xtask <task>`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        None | Some("help" | "--help" | "-h") => {
            eprintln!("usage: cargo xtask <task>\n\ntasks:\n  help    show this message");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("cargo xtask: unknown task `{other}` (try `cargo xtask help`)");
            ExitCode::FAILURE
        }
    }
}
