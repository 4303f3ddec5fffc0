//! `cargo xtask cycles`: no import cycle between the modules of a crate,
//! except the few edges a crate's design allows (listed below, each with
//! its reason); and one public path per item (see [`paths`]).
//!
//! Every library crate of the workspace is checked (the examples, the
//! benches and xtask itself are not). A module here is a top-level module
//! of the crate, or a module of `core/` for the client (its core is split
//! into modules with one job each, and those must not tangle either).
//!
//! Edges are read from `use` statements (`crate::`, `super::`, `self::`
//! paths, nested braces included) and from `crate::` and `super::` paths
//! written anywhere else in the code, such as
//! `crate::core::error::request_id(&headers)` inside a function body.
//! Comments, `$crate::` (macro bodies, which expand elsewhere),
//! `pub(in crate::..)` visibilities and `#[cfg(test)]` modules (a test
//! reaches wherever its fixtures live) are not edges.

mod paths;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// An edge a crate's design allows: `(from, to, why)`.
type Allowed = (&'static str, &'static str, &'static str);

/// Why the client's root accessors are allowed to point back at handlers.
const ACCESSOR: &str = "the client's root accessor (`client.messages()` and its siblings) \
                        hands out the handler, and the handler calls back into the core";

/// The crates checked (source directory), with the edges each allows.
const CRATES: &[(&str, &[Allowed])] = &[
    ("crates/types/src", &[]),
    ("crates/sse/src", &[]),
    (
        "crates/transport/src",
        &[
            (
                "builder",
                "transport",
                "the builder builds the transport it configures",
            ),
            (
                "transport",
                "builder",
                "`Transport::builder()` is the builder's entry point",
            ),
        ],
    ),
    (
        "crates/client/src",
        &[
            ("core::client", "messages", ACCESSOR),
            ("core::client", "batches", ACCESSOR),
            ("core::client", "files", ACCESSOR),
            ("core::client", "models", ACCESSOR),
            ("core::client", "skills", ACCESSOR),
        ],
    ),
    ("crates/mock/src", &[]),
    ("crates/bedrock/src", &[]),
    ("crates/vertex/src", &[]),
    ("crates/foundry/src", &[]),
    ("crates/agents/src", &[]),
    ("crates/admin/src", &[]),
    ("crates/webhooks/src", &[]),
];

/// Runs the check over the workspace at `root`.
pub(crate) fn task(root: &Path) -> ExitCode {
    let mut failed = false;
    for (dir, allowed) in CRATES {
        let allowed: Vec<(&str, &str)> = allowed.iter().map(|(f, t, _)| (*f, *t)).collect();
        match cycles(&root.join(dir), &allowed) {
            Ok(found) if found.is_empty() => eprintln!("{dir}: no import cycle"),
            Ok(found) => {
                failed = true;
                for cycle in found {
                    eprintln!("{dir}: {}", describe(&cycle));
                    for (from, to) in edges_within(&root.join(dir), &allowed, &cycle) {
                        eprintln!("    {from} -> {to}");
                    }
                }
            }
            Err(error) => {
                failed = true;
                eprintln!("{dir}: {error}");
            }
        }
        match paths::duplicates(&root.join(dir)) {
            Ok(found) if found.is_empty() => eprintln!("{dir}: one public path per item"),
            Ok(found) => {
                failed = true;
                for duplicate in found {
                    eprintln!("{dir}: {duplicate}");
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

/// What a cycle report says: the modules of the circle.
fn describe(cycle: &[String]) -> String {
    format!("import cycle among {}", cycle.join(", "))
}

/// The edges between the modules of one cycle, to show where to cut it.
fn edges_within(src: &Path, allowed: &[(&str, &str)], cycle: &[String]) -> Vec<(String, String)> {
    let edges = graph(src, allowed).unwrap_or_default();
    let mut out = Vec::new();
    for (from, targets) in &edges {
        for to in targets {
            if cycle.contains(from) && cycle.contains(to) {
                out.push((from.clone(), to.clone()));
            }
        }
    }
    out
}

/// The groups of modules that import each other in a circle.
pub(crate) fn cycles(src: &Path, allowed: &[(&str, &str)]) -> Result<Vec<Vec<String>>, String> {
    Ok(strongly_connected(&graph(src, allowed)?)
        .into_iter()
        .filter(|group| group.len() > 1)
        .collect())
}

/// The module graph of the crate whose sources are in `src`.
fn graph(
    src: &Path,
    allowed: &[(&str, &str)],
) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
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
    Ok(edges)
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
    out.sort();
    Ok(out)
}

/// `core/backend/mod.rs` -> `["core", "backend"]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
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

/// The code of `text` without comments and without its `#[cfg(test)]`
/// modules, one entry per line.
fn code_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    let mut in_block_comment = false;
    while let Some(line) = lines.next() {
        let mut line = line.trim().to_owned();
        if in_block_comment {
            match line.find("*/") {
                Some(end) => {
                    line = line[end + 2..].to_owned();
                    in_block_comment = false;
                }
                None => continue,
            }
        }
        if let Some(start) = line.find("/*") {
            if !line[start..].contains("*/") {
                in_block_comment = true;
            }
            line.truncate(start);
        }
        if line.starts_with("//") {
            continue;
        }
        if let Some(start) = line.find(" //") {
            line.truncate(start);
        }
        if line == "#[cfg(test)]" {
            let next = lines.peek().map(|l| l.trim()).unwrap_or_default();
            if next.starts_with("mod ") && next.ends_with('{') {
                // A test module: rustfmt keeps it last in its file.
                break;
            }
        }
        out.push(line);
    }
    out
}

/// The module paths that the code of `text` (a file of module `module`)
/// reaches into: the paths of its `use` statements and every other
/// `crate::`/`super::` path it writes.
fn imports(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut statement = String::new();
    for line in code_lines(text) {
        let start = use_start(&line);
        match (statement.is_empty(), start) {
            (true, Some(rest)) => statement.push_str(rest),
            (false, _) => statement.push_str(&line),
            (true, None) => {
                out.extend(inline_paths(&line, module));
                continue;
            }
        }
        if let Some(end) = statement.find(';') {
            for path in expand(&statement[..end]) {
                if let Some(resolved) = resolve(&path, module) {
                    out.push(resolved);
                }
            }
            statement.clear();
        }
    }
    out
}

/// The rest of a line that starts a `use` statement.
fn use_start(line: &str) -> Option<&str> {
    let line = line.strip_prefix("pub ").unwrap_or(line);
    let line = match line.strip_prefix("pub(") {
        Some(rest) => rest.split_once(") ")?.1,
        None => line,
    };
    line.strip_prefix("use ")
}

/// The `crate::`/`super::` paths written in a line of code outside a
/// `use` statement, resolved.
fn inline_paths(line: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for root in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(found) = line[from..].find(root) {
            let start = from + found;
            from = start + root.len();
            let before = line[..start].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':') {
                continue;
            }
            if line[..start].ends_with("(in ") {
                continue;
            }
            let path: String = line[start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if let Some(resolved) = resolve(path.trim_end_matches(':'), module) {
                out.push(resolved);
            }
        }
    }
    out
}

/// `a::{b, c::{d, e}}` -> `["a::b", "a::c::d", "a::c::e"]`.
fn expand(tree: &str) -> Vec<String> {
    // `x as y` keeps `x` only (`@` marks the rename).
    let tree: String = tree
        .replace(" as ", "@")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = tree[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&tree[open + 1..]);
    let mut items = Vec::new();
    let (mut depth, mut item) = (0usize, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    items.push(item);
    items
        .into_iter()
        .filter(|item| !item.is_empty())
        .flat_map(|item| expand(&format!("{prefix}{item}")))
        .collect()
}

/// A path relative to the crate root, for `crate::`, `super::` and
/// `self::` paths.
fn resolve(path: &str, module: &[String]) -> Option<Vec<String>> {
    let path = path.split('@').next()?;
    let mut parts = path.split("::").peekable();
    let mut base: Vec<String> = match parts.next()? {
        "crate" => Vec::new(),
        "super" => module[..module.len().saturating_sub(1)].to_vec(),
        "self" => module.to_vec(),
        _ => return None,
    };
    while parts.peek() == Some(&"super") {
        parts.next();
        base.pop();
    }
    base.extend(parts.filter(|p| *p != "self").map(str::to_owned));
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

    fn graph_of(pairs: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in pairs {
            edges
                .entry((*from).to_owned())
                .or_default()
                .insert((*to).to_owned());
        }
        edges
    }

    /// A crate written into a fresh temporary directory, removed on drop.
    struct Fixture(PathBuf);

    impl Fixture {
        fn new(name: &str, files: &[(&str, &str)]) -> Fixture {
            let dir =
                std::env::temp_dir().join(format!("xtask-cycles-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            for (path, text) in files {
                let file = dir.join(path);
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(file, text).unwrap();
            }
            Fixture(dir)
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn cycles_are_found_and_chains_are_not() {
        let groups =
            strongly_connected(&graph_of(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]));
        let cyclic: Vec<_> = groups.into_iter().filter(|g| g.len() > 1).collect();
        assert_eq!(cyclic, vec![vec!["a", "b", "c"]]);
        let chain = strongly_connected(&graph_of(&[("a", "b"), ("b", "c")]));
        assert!(chain.iter().all(|g| g.len() == 1));
    }

    #[test]
    fn use_statements_become_module_paths() {
        let text = "use std::fmt;\nuse crate::core::call::{Call, item_path};\nuse super::lines::Lines;\n\
                    pub(crate) use crate::core::{\n    error::Error,\n    retry::{decide, Budget as B},\n};\n";
        let module = vec!["batches".to_owned(), "results".to_owned()];
        let found: Vec<String> = imports(text, &module).iter().map(|p| node(p)).collect();
        assert_eq!(
            found,
            [
                "core::call",
                "core::call",
                "batches",
                "core::error",
                "core::retry",
                "core::retry"
            ]
        );
    }

    #[test]
    fn paths_in_expressions_are_edges_and_comments_macros_tests_are_not() {
        let text = "pub(in crate::core) fn f() {\n\
                    \x20   let span = crate::core::layers::trace::call_span(1);\n\
                    \x20   super::super::files::upload(); // crate::skills::x()\n\
                    \x20   $crate::messages::Message::new();\n\
                    }\n\
                    /// see crate::models::Model\n\
                    #[cfg(test)]\n\
                    mod tests {\n    use crate::batches::Batch;\n}\n";
        let module = vec!["core".to_owned(), "retry".to_owned(), "policy".to_owned()];
        let found: Vec<String> = imports(text, &module).iter().map(|p| node(p)).collect();
        assert_eq!(found, ["core::layers", "core::files"]);
    }

    #[test]
    fn a_planted_cycle_fails_the_check_naming_it() {
        let fixture = Fixture::new(
            "planted",
            &[
                ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
                ("a.rs", "use crate::b::Thing;\npub struct Root;\n"),
                (
                    "b/mod.rs",
                    "pub struct Thing;\nfn f() { let _ = crate::c::make(); }\n",
                ),
                (
                    "c.rs",
                    "pub fn make() -> super::a::Root { super::a::Root }\n",
                ),
            ],
        );
        let found = cycles(&fixture.0, &[]).unwrap();
        assert_eq!(found, vec![vec!["a", "b", "c"]]);
        assert_eq!(describe(&found[0]), "import cycle among a, b, c");
        // Allowing one edge of the circle breaks it.
        assert!(cycles(&fixture.0, &[("c", "a")]).unwrap().is_empty());
    }

    #[test]
    fn a_cycle_inside_the_client_core_is_seen_per_core_module() {
        let fixture = Fixture::new(
            "core",
            &[
                ("core/mod.rs", "mod call;\nmod error;\n"),
                ("core/call.rs", "use super::error::Error;\n"),
                (
                    "core/error/mod.rs",
                    "fn f() { crate::core::call::body_start(); }\n",
                ),
            ],
        );
        let found = cycles(&fixture.0, &[]).unwrap();
        assert_eq!(found, vec![vec!["core::call", "core::error"]]);
    }
}
