//! `cargo xtask cycles`: no import cycle between the modules of a crate,
//! except the edges a crate's design allows (the client's accessors:
//! `core::client -> messages` and its siblings).
//!
//! A module here is a top-level module of the crate, or a module of
//! `core/` for the client (its core is split into modules with one job
//! each, and those must not tangle either). Edges are read from `use
//! crate::...` and `use super::...` statements.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The crates checked, with the edges each allows.
const CRATES: &[(&str, &[(&str, &str)])] = &[
    (
        "crates/client/src",
        &[
            ("core::client", "messages"),
            ("core::client", "batches"),
            ("core::client", "files"),
            ("core::client", "models"),
            ("core::client", "skills"),
        ],
    ),
    (
        "crates/transport/src",
        &[("builder", "transport"), ("transport", "builder")],
    ),
];

/// Runs the check over the workspace at `root`.
pub(crate) fn task(root: &Path) -> ExitCode {
    let mut failed = false;
    for (dir, allowed) in CRATES {
        match cycles(&root.join(dir), allowed) {
            Ok(found) if found.is_empty() => eprintln!("{dir}: no import cycle"),
            Ok(found) => {
                failed = true;
                for cycle in found {
                    eprintln!("{dir}: import cycle among {}", cycle.join(", "));
                }
            }
            Err(error) => {
                failed = true;
                eprintln!("{dir}: {error}");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The groups of modules that import each other in a circle.
pub(crate) fn cycles(src: &Path, allowed: &[(&str, &str)]) -> Result<Vec<Vec<String>>, String> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(src)? {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let module = module_path(src, &file);
        let from = node(&module);
        for target in imports(&text, &module) {
            let to = node(&target);
            if !to.is_empty() && to != from && !allowed.contains(&(from.as_str(), to.as_str())) {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    Ok(strongly_connected(&edges)
        .into_iter()
        .filter(|group| group.len() > 1)
        .collect())
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(out)
}

/// `core/backend/mod.rs` -> `["core", "backend"]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The node of a module path: `core::X` inside the core, else the
/// top-level module.
fn node(path: &[String]) -> String {
    match path {
        [first, second, ..] if first == "core" => format!("core::{second}"),
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

/// The module paths that the `use` statements of `text` (a file of module
/// `module`) reach into, one per imported path.
fn imports(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut statement = String::new();
    for line in text.lines() {
        let line = line.trim();
        let start = ["use ", "pub use ", "pub(crate) use "]
            .iter()
            .find_map(|prefix| line.strip_prefix(prefix));
        match (statement.is_empty(), start) {
            (true, Some(rest)) => statement.push_str(rest),
            (false, _) => statement.push_str(line),
            (true, None) => continue,
        }
        if statement.ends_with(';') {
            for path in expand(statement.trim_end_matches(';')) {
                if let Some(resolved) = resolve(&path, module) {
                    out.push(resolved);
                }
            }
            statement.clear();
        }
    }
    out
}

/// `a::{b, c::d}` -> `["a::b", "a::c::d"]` (one level of braces, which is
/// all rustfmt leaves in this workspace's imports).
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    match tree.split_once('{') {
        Some((prefix, rest)) => rest
            .trim_end_matches('}')
            .split(',')
            .filter(|item| !item.is_empty())
            .map(|item| format!("{prefix}{item}"))
            .collect(),
        None => vec![tree],
    }
}

/// A path relative to the crate root, for `crate::` and `super::` paths.
fn resolve(path: &str, module: &[String]) -> Option<Vec<String>> {
    let mut parts = path.split("::");
    let mut base: Vec<String> = match parts.next()? {
        "crate" => Vec::new(),
        "super" => module[..module.len().saturating_sub(1)].to_vec(),
        "self" => module.to_vec(),
        _ => return None,
    };
    base.extend(parts.map(str::to_owned));
    Some(base)
}

/// Tarjan's algorithm: the strongly connected components of the graph.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        groups: Vec<Vec<String>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        let next = state.index.len();
        state.index.insert(node, next);
        state.low.insert(node, next);
        state.stack.push(node);
        for target in state.edges.get(node).into_iter().flatten() {
            if !state.index.contains_key(target.as_str()) {
                visit(state, target);
                let low = state.low[target.as_str()].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.stack.contains(&target.as_str()) {
                let low = state.index[target.as_str()].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut group = Vec::new();
            while let Some(member) = state.stack.pop() {
                group.push(member.to_owned());
                if member == node {
                    break;
                }
            }
            group.sort();
            state.groups.push(group);
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        groups: Vec::new(),
    };
    for node in edges.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(pairs: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in pairs {
            edges
                .entry((*from).to_owned())
                .or_default()
                .insert((*to).to_owned());
        }
        edges
    }

    #[test]
    fn cycles_are_found_and_chains_are_not() {
        let groups = strongly_connected(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]));
        let cyclic: Vec<_> = groups.into_iter().filter(|g| g.len() > 1).collect();
        assert_eq!(cyclic, vec![vec!["a", "b", "c"]]);
        let chain = strongly_connected(&graph(&[("a", "b"), ("b", "c")]));
        assert!(chain.iter().all(|g| g.len() == 1));
    }

    #[test]
    fn use_statements_become_module_paths() {
        let text = "use std::fmt;\nuse crate::core::call::{Call, item_path};\nuse super::lines::Lines;\n\
                    pub(crate) use crate::core::{\n    error::Error,\n    retry::decide,\n};\n";
        let module = vec!["batches".to_owned(), "results".to_owned()];
        let found: Vec<String> = imports(text, &module).iter().map(|p| node(p)).collect();
        assert_eq!(
            found,
            [
                "core::call",
                "core::call",
                "batches",
                "core::error",
                "core::retry"
            ]
        );
    }
}
