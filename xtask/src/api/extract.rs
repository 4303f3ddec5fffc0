//! `cargo xtask api extract --sdk ARCHIVE`: runs the extractor script
//! (`xtask/api/extract.py`, Python's `ast`, no import of the SDK) over a
//! wheel, an sdist or an unpacked package, into `api/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files of `api/` that the extractor writes; everything else there
/// (`README.md`, `allow.json`) is written by hand and kept.
pub(crate) fn is_generated(relative: &Path) -> bool {
    matches!(
        relative.file_name().and_then(|n| n.to_str()),
        Some("endpoints.json" | "types.json" | "errors.json" | "provenance.json")
    )
}

/// The extractor script, next to this crate's sources.
pub(crate) fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("api/extract.py")
}

/// Extracts the description of `sdk` into `out` (a fresh directory, or
/// `api/` whose generated files are replaced). `ts` is an unpacked
/// TypeScript SDK whose paths are cross-checked, if given.
pub(crate) fn extract(sdk: &Path, out: &Path, ts: Option<&Path>) -> Result<String, String> {
    if out.exists() {
        remove_generated(out, out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut command = Command::new("python3");
    command
        .arg(script())
        .arg("--sdk")
        .arg(sdk)
        .arg("--out")
        .arg(out);
    if let Some(ts) = ts {
        command.arg("--ts").arg(ts);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run python3 (needed by `api extract`): {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "the extractor failed on {}:\n{stdout}{}",
            sdk.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Removes the generated files under `dir` (and directories left empty).
fn remove_generated(root: &Path, dir: &Path) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::path);
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_generated(root, &path)?;
            if fs::read_dir(&path)?.next().is_none() {
                fs::remove_dir(&path)?;
            }
        } else if is_generated(path.strip_prefix(root).unwrap_or(&path)) {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}
