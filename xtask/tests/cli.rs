//! `cargo xtask schemas --check` as CI runs it: exit status and diff.

use std::fs;
use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

#[test]
fn check_fails_with_a_diff_on_a_stale_file_and_passes_after_writing() {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let dir_arg = dir.to_str().expect("a UTF-8 temp dir");

    assert!(xtask(&["schemas", "--dir", dir_arg]).status.success());
    assert!(
        xtask(&["schemas", "--check", "--dir", dir_arg])
            .status
            .success()
    );

    let file = dir.join("memory.json");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("\"rename\"", "\"move\"")).unwrap();
    let stale = xtask(&["schemas", "--check", "--dir", dir_arg]);
    assert!(!stale.status.success());
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("memory.json: stale"), "{stderr}");
    assert!(
        stderr.contains("-          \"const\": \"move\","),
        "{stderr}"
    );
    assert!(
        stderr.contains("+          \"const\": \"rename\","),
        "{stderr}"
    );

    assert!(xtask(&["schemas", "--dir", dir_arg]).status.success());
    assert!(
        xtask(&["schemas", "--check", "--dir", dir_arg])
            .status
            .success()
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_arguments_fail() {
    let out = xtask(&["schemas", "--frobnicate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown argument `--frobnicate`"));
}
