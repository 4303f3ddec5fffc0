//! The check against a scratch directory, and the snapshot test of the
//! checked-in schemas.

use std::fs;
use std::path::PathBuf;

use super::{Problem, check, generate, write};

/// A fresh directory under the system temp dir, unique per test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-schemas-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

#[test]
fn written_schemas_pass_the_check() {
    let dir = scratch("fresh");
    let generated = generate().unwrap();
    let touched = write(&dir, &generated).unwrap();
    assert_eq!(touched.len(), generated.len());
    assert_eq!(check(&dir, &generated).unwrap(), []);
    // A second run has nothing to do.
    assert_eq!(write(&dir, &generated).unwrap(), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stale_missing_or_extra_file_fails_the_check() {
    let dir = scratch("stale");
    let generated = generate().unwrap();
    write(&dir, &generated).unwrap();
    let weather = dir.join("get_weather.json");
    let fresh = fs::read_to_string(&weather).unwrap();
    fs::write(&weather, fresh.replace("The city and country", "The town")).unwrap();
    fs::remove_file(dir.join("bash.json")).unwrap();
    fs::write(dir.join("old_tool.json"), "{}\n").unwrap();

    let problems = check(&dir, &generated).unwrap();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(problems[0], Problem::Missing("bash.json".into()));
    let Problem::Stale { file, diff } = &problems[1] else {
        panic!("{problems:?}")
    };
    assert_eq!(file, "get_weather.json");
    assert!(
        diff.contains("-      \"description\": \"The town"),
        "{diff}"
    );
    assert!(
        diff.contains("+      \"description\": \"The city and country"),
        "{diff}"
    );
    assert_eq!(problems[2], Problem::Extra("old_tool.json".into()));

    // Writing repairs all three.
    write(&dir, &generated).unwrap();
    assert_eq!(check(&dir, &generated).unwrap(), []);
    fs::remove_dir_all(&dir).unwrap();
}

/// The checked-in schemas are what the types generate: nested enums
/// (`text_editor`, `computer`), options and vectors (`computer`,
/// `get_weather`) and doc comments everywhere.
#[test]
fn checked_in_schemas_match_the_types() {
    let dir = crate::workspace_root().join("schemas");
    let problems = check(&dir, &generate().unwrap()).unwrap();
    assert!(
        problems.is_empty(),
        "run `cargo xtask schemas`:\n{}",
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}
