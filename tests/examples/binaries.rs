//! Finding, building and running the example binaries.
//!
//! `cargo test` builds the examples next to the test binaries
//! (`target/<profile>/examples/`); run alone (`--test examples`), the test
//! first builds them if one is missing or older than its sources.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::SystemTime;

/// What an example printed.
pub(crate) struct Run {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs example `name` like [`command`] and checks that it ran on the mock
/// and succeeded.
pub(crate) fn run(name: &str, args: &[&str]) -> Run {
    let output = command(name, args);
    let run = Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        output.status.success(),
        "example {name} {args:?} failed ({}):\n--- stdout\n{}--- stderr\n{}",
        output.status,
        run.stdout,
        run.stderr
    );
    assert!(
        // "credentials (...) not set: ..." or a platform's "... not set: ...".
        run.stderr
            .contains(" not set: running against the embedded mock at http://127.0.0.1:"),
        "example {name} {args:?} did not say it runs on the mock:\n{}",
        run.stderr
    );
    run
}

/// Runs example `name` with `args`, without credentials or proxy settings,
/// and returns what it did, whatever its exit status.
pub(crate) fn command(name: &str, args: &[&str]) -> Output {
    let mut command = Command::new(example(name));
    command.args(args);
    for var in [
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_ADMIN_KEY",
        "ANTHROPIC_BASE_URL",
        // The rest of the credential chain.
        "ANTHROPIC_PROFILE",
        "ANTHROPIC_CONFIG_DIR",
        "ANTHROPIC_FEDERATION_RULE_ID",
        "ANTHROPIC_ORGANIZATION_ID",
        "ANTHROPIC_IDENTITY_TOKEN_FILE",
        "ANTHROPIC_IDENTITY_TOKEN",
        // The platforms' own (examples/common/platform.rs).
        "AWS_BEARER_TOKEN_BEDROCK",
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "CLOUD_ML_REGION",
        "ANTHROPIC_FOUNDRY_API_KEY",
        "ANTHROPIC_FOUNDRY_RESOURCE",
        "ANTHROPIC_FOUNDRY_BASE_URL",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "ALL_PROXY",
        "https_proxy",
        "http_proxy",
        "all_proxy",
    ] {
        command.env_remove(var);
    }
    // No profile of the machine's user (~/.config/anthropic) either.
    command.env(
        "HOME",
        std::env::temp_dir().join("claude-rs-examples-no-home"),
    );
    match command.output() {
        Ok(output) => output,
        Err(error) => panic!("cannot start example {name}: {error}"),
    }
}

/// The example binary `name`. The first call builds the examples if one
/// is missing or older than its sources, before any of them runs.
fn example(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = examples_dir();
        if example_names().iter().any(|name| is_stale(&dir, name)) {
            build_examples(&dir);
        }
        dir
    });
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// `target/<profile>/examples`, from this test binary's
/// `target/<profile>/deps/examples-<hash>`.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    profile_dir.join("examples")
}

fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Every example: the `.rs` files of `examples/`.
pub(crate) fn example_names() -> Vec<String> {
    let entries = std::fs::read_dir(sources()).into_iter().flatten().flatten();
    entries
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect()
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Whether the binary of `name` is missing or older than its sources.
fn is_stale(dir: &Path, name: &str) -> bool {
    let binary = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let Some(built) = modified(&binary) else {
        return true;
    };
    let common = std::fs::read_dir(sources().join("common"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path());
    std::iter::once(sources().join(format!("{name}.rs")))
        .chain(common)
        .filter_map(|source| modified(&source))
        .any(|changed| changed > built)
}

/// Builds the examples in this test binary's profile, as `cargo test` of
/// this package does (so the dependencies' features, and their builds, are
/// the same).
fn build_examples(dir: &Path) {
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(["test", "--no-run", "--quiet", "-p", "claude-rs-examples"]);
    // What cargo set for this test: build scripts that watch these (ring's
    // does) would otherwise rebuild, here and again at the next cargo run.
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        let set_for_test = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || name.starts_with("CARGO_BIN_")
            || [
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "OUT_DIR",
            ]
            .contains(&&*name);
        if set_for_test {
            cargo.env_remove(&var);
        }
    }
    match dir
        .parent()
        .and_then(Path::file_name)
        .and_then(|p| p.to_str())
    {
        Some("debug") | None => {}
        Some("release") => {
            cargo.arg("--release");
        }
        Some(profile) => {
            cargo.args(["--profile", profile]);
        }
    }
    let status = cargo.status();
    assert!(
        status.as_ref().is_ok_and(|s| s.success()),
        "building the examples failed: {status:?}"
    );
}
