//! Writing the generated files, or checking that they are current.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// Formats Rust source with the toolchain's rustfmt (edition 2024).
pub(crate) fn rustfmt(text: &str) -> Result<String, String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned()))
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
    let input = text.to_owned();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let _ = feeder.join();
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed on generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt: {e}"))
}

/// Writes the files, and removes generated files no longer produced.
pub(crate) fn write(root: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    for stale in stale_files(root, files)? {
        fs::remove_file(root.join(&stale)).map_err(|e| format!("{stale}: {e}"))?;
    }
    for (path, text) in files {
        let full = root.join(path);
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        if fs::read_to_string(&full).ok().as_deref() != Some(text.as_str()) {
            fs::write(&full, text).map_err(|e| format!("{path}: {e}"))?;
        }
    }
    Ok(())
}

/// Fails naming the first file that is not what `write` would write.
pub(crate) fn check(root: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    for (path, text) in files {
        match fs::read_to_string(root.join(path)) {
            Ok(have) if have == *text => {}
            Ok(_) => {
                return Err(format!(
                    "{path} is stale or edited; run `cargo xtask api gen`"
                ));
            }
            Err(_) => return Err(format!("{path} is missing; run `cargo xtask api gen`")),
        }
    }
    if let Some(extra) = stale_files(root, files)?.into_iter().next() {
        return Err(format!(
            "{extra} is no longer generated; run `cargo xtask api gen`"
        ));
    }
    Ok(())
}

/// Files in the generated directories that the generator no longer writes.
fn stale_files(root: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut dirs: Vec<String> = files
        .keys()
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir.to_owned()))
        .collect();
    dirs.dedup();
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let path = format!("{dir}/{name}");
            if !files.contains_key(&path) {
                out.push(path);
            }
        }
    }
    Ok(out)
}
