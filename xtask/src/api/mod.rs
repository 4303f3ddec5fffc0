//! `cargo xtask api extract | check | diff`: the description of the whole
//! API in `api/`, extracted from the official Python SDK, and the check
//! that holds the crates to it. See `api/README.md`.

mod check;
mod compare;
mod extract;
#[path = "gen/mod.rs"]
mod generate;
mod mock_data;
mod model;
mod rust_side;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use model::Description;

/// Usage of the `api` task.
pub(crate) const USAGE: &str = "  api extract --sdk SDK [--out DIR] [--ts DIR]
                                   write the description of the API read from
                                   the official Python SDK (a wheel, an sdist
                                   or an unpacked package) into DIR (default:
                                   api/); --ts cross-checks the paths of an
                                   unpacked TypeScript SDK
  api check [--api DIR] [--types DIR]
                                   fail when the crates differ from the
                                   description beyond api/allow.json
  api gen [--check]               write the family crates' generated
                                   sources (crates/agents, crates/admin)
                                   from api/; --check fails naming the
                                   first stale file
  api mock-data [--check]         write (or check) the mock's copy of the
                                   description, crates/mock/src/generated/api.json
  api diff (--sdk NEWER | --old DIR --new DIR)
                                   what a newer SDK (or description) changed
                                   against api/ (or --old)";

/// Runs `cargo xtask api ...`.
pub(crate) fn task(root: &Path, args: &[String]) -> ExitCode {
    let result = match args.first().map(String::as_str) {
        Some("extract") => flags(&args[1..], &["--sdk", "--out", "--ts"]).and_then(|f| {
            let sdk = f.get("--sdk").ok_or("--sdk is required")?;
            let out = f.get("--out").cloned().unwrap_or_else(|| root.join("api"));
            extract::extract(sdk, &out, f.get("--ts").map(PathBuf::as_path)).map(|out| emit(&out))
        }),
        Some("check") => flags(&args[1..], &["--api", "--types"]).and_then(|f| {
            let api = f.get("--api").cloned().unwrap_or_else(|| root.join("api"));
            let types = f
                .get("--types")
                .cloned()
                .unwrap_or_else(|| root.join("crates/types/src"));
            let report = check::run(&check::Inputs {
                api: &api,
                types: &types,
                root,
                families: root,
            })?;
            for failure in &report.failures {
                eprintln!("{failure}");
            }
            emit(&format!("{}\n", report.summary));
            if report.failures.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "{} difference(s) from the description",
                    report.failures.len()
                ))
            }
        }),
        Some("gen") => match args.get(1).map(String::as_str) {
            None => generate::run(root, &root.join("api"), false).map(|out| emit(&out)),
            Some("--check") if args.len() == 2 => {
                generate::run(root, &root.join("api"), true).map(|out| emit(&out))
            }
            Some(other) => Err(format!("api gen: unknown argument `{other}`")),
        },
        Some("diff") => flags(&args[1..], &["--sdk", "--old", "--new"]).and_then(|f| {
            let old = f.get("--old").cloned().unwrap_or_else(|| root.join("api"));
            let (new, _scratch) = match (f.get("--new"), f.get("--sdk")) {
                (Some(new), None) => (new.clone(), None),
                (None, Some(sdk)) => {
                    let scratch =
                        std::env::temp_dir().join(format!("xtask-api-diff-{}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&scratch);
                    extract::extract(sdk, &scratch, None)?;
                    (scratch.clone(), Some(Scratch(scratch)))
                }
                _ => return Err("give --sdk NEWER, or --new DIR".into()),
            };
            let report = compare::report(&Description::load(&old)?, &Description::load(&new)?);
            if report.is_empty() {
                emit("no change\n");
            } else {
                emit(&report);
            }
            Ok(())
        }),
        Some("mock-data") => mock_data::task(root, &args[1..]),
        _ => Err("expected `extract`, `check`, `gen`, `mock-data` or `diff`".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cargo xtask api: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Every file below `dir`, depth first in name order, so the description
/// and the crates are always read in one order (and reports are stable).
fn files_below(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut files = Vec::new();
    for path in entries {
        if path.is_dir() {
            files.extend(files_below(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

/// Writes a report to stdout (a closed pipe is not an error worth a panic).
fn emit(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// A temporary directory removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `--flag VALUE` pairs, each among `known`.
fn flags(
    args: &[String],
    known: &[&str],
) -> Result<std::collections::BTreeMap<String, PathBuf>, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown argument `{flag}`"));
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        out.insert(flag.clone(), PathBuf::from(value));
    }
    Ok(out)
}
