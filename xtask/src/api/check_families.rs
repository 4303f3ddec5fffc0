//! The family crates (`claude-rs-agents`, `claude-rs-admin`) in `api check`.
//!
//! Their sources are generated, so instead of entries in `allow.json` the
//! check reads what the generator wrote: above each method a marker
//! `// endpoint: METHOD /path` and `// types: request=.. response=..
//! events=..`, and the crate's `object!` / `tagged_union!` /
//! `string_enum!` invocations. Every route of the `agents/*` and `admin/*`
//! families needs its method, and so does every route of Bedrock's control
//! plane (`bedrock/*`, generated into `claude_rs_agents::bedrock`); from each, the SDK's types and the generated
//! ones are walked side by side as for the hand-written crates, so a
//! generated file edited to drop a field, a value or a member fails the
//! check, naming the item.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use serde_json::Value;

use super::Checker;
use crate::api::generate::plan::{Plan, TARGETS};
use crate::api::model::Description;
use crate::api::rust_side::{self, Item};

/// One generated method, as its markers describe it.
struct Marked {
    file: String,
    types: BTreeMap<String, String>,
}

/// Checks the family crates under `workspace`: adds findings, and returns
/// the routes that have a method.
pub(super) fn check(
    description: &Description,
    workspace: &Path,
    findings: &mut BTreeMap<String, String>,
    not_compared: &mut BTreeSet<String>,
    seen: &mut usize,
) -> Result<BTreeSet<String>, String> {
    let mut done = BTreeSet::new();
    for target in TARGETS {
        let dir = workspace.join(target.path());
        let mut items: BTreeMap<String, Item> = BTreeMap::new();
        let mut marked: BTreeMap<String, Marked> = BTreeMap::new();
        if dir.is_dir() {
            items = rust_side::scan(workspace, &dir)?;
            for path in super::super::files_below(&dir)? {
                let text =
                    fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let file = path
                    .strip_prefix(workspace)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                read_markers(&text, &file, &mut marked);
            }
        }
        let plan = Plan::new(description, target)?;
        let mut checker = Checker {
            description,
            items: &items,
            wrappers: BTreeMap::new(),
            findings: BTreeMap::new(),
            queue: VecDeque::new(),
            seen: BTreeSet::new(),
            not_compared: BTreeSet::new(),
            names: Some(plan.names.clone()),
        };
        for route in &plan.routes {
            let endpoint = route.endpoint;
            let key = endpoint.route();
            let Some(method) = marked.get(&key) else {
                checker.finding(
                    format!("{} has no method", target.route_key(&key)),
                    format!("family {}; run `cargo xtask api gen`", endpoint.family),
                    "endpoints",
                );
                continue;
            };
            done.insert(target.route_key(&key));
            let file = method.file.clone();
            if let (Some(rust), Some(fields)) = (
                method.types.get("request"),
                endpoint
                    .entry
                    .pointer("/body/fields")
                    .and_then(Value::as_array),
            ) {
                let fields: Vec<(&str, &Value)> = fields
                    .iter()
                    .map(|f| (f["name"].as_str().unwrap_or(""), f))
                    .collect();
                if !items.contains_key(rust) {
                    checker.finding(
                        format!("{rust} is missing"),
                        format!("the body of {key}; {file}"),
                        "types",
                    );
                }
                checker.compare_fields(
                    &format!("{} body", endpoint.key()),
                    "params",
                    &fields,
                    rust,
                );
            }
            for (key, sdk_key) in [("response", "response"), ("events", "events")] {
                if let Some(rust) = method.types.get(key) {
                    for target in super::targets(&endpoint.entry[sdk_key]) {
                        checker.push(&target, rust);
                    }
                }
            }
        }
        for (route, _) in &plan.skipped {
            checker.finding(
                format!("{route} has no method"),
                "the generator leaves it out".to_owned(),
                "endpoints",
            );
        }
        checker.drain();
        *seen += checker.seen.len();
        not_compared.extend(checker.not_compared);
        for (key, line) in checker.findings {
            findings.entry(key).or_insert(line);
        }
    }
    Ok(done)
}

/// The `// endpoint:` / `// types:` marker pairs of one file.
fn read_markers(text: &str, file: &str, out: &mut BTreeMap<String, Marked>) {
    let mut lines = text.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        let Some(route) = line.strip_prefix("// endpoint: ") else {
            continue;
        };
        let Some(types) = lines.peek().and_then(|l| l.strip_prefix("// types:")) else {
            continue;
        };
        let types = types
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        // The method itself must follow its markers.
        let has_fn = lines.clone().take(12).any(|l| l.starts_with("pub fn "));
        if has_fn {
            out.insert(
                route.to_owned(),
                Marked {
                    file: file.to_owned(),
                    types,
                },
            );
        }
    }
}
