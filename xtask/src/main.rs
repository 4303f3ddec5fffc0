//! Contributor tasks for the workspace, run as `cargo xtask <task>`.

mod api;
mod cycles;
mod diff;
mod schemas;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  help                             show this message
  schemas [--check] [--dir DIR]    write the JSON schemas of the shipped tool
                                   inputs into DIR (default: schemas/); with
                                   --check, write nothing and fail with a diff
                                   when a file is stale, missing or extra
  cycles                           fail when modules of a library crate of the
                                   workspace import each other in a circle
                                   (beyond the few edges their design allows)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => {
            eprintln!("{USAGE}{}", api::USAGE);
            ExitCode::SUCCESS
        }
        Some("schemas") => match schemas_args(&args[1..]) {
            Ok((dir, true)) => schemas::check_task(&dir),
            Ok((dir, false)) => schemas::write_task(&dir),
            Err(message) => {
                eprintln!("cargo xtask schemas: {message}\n\n{USAGE}{}", api::USAGE);
                ExitCode::FAILURE
            }
        },
        Some("cycles") => cycles::task(&workspace_root()),
        Some("api") => api::task(&workspace_root(), &args[1..]),
        Some(other) => {
            eprintln!("cargo xtask: unknown task `{other}` (try `cargo xtask help`)");
            ExitCode::FAILURE
        }
    }
}

/// `(directory, check?)` from the arguments of `schemas`.
fn schemas_args(args: &[String]) -> Result<(PathBuf, bool), String> {
    let mut dir = workspace_root().join("schemas");
    let mut check = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--dir" => {
                dir = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--dir needs a directory")?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok((dir, check))
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}
