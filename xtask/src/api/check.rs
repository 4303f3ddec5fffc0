//! `cargo xtask api check`: holds the crates to the description.
//!
//! For each family the project implements (`implemented` in
//! `api/allow.json`): every endpoint has a method (the `endpoints` table
//! names it); from each endpoint's request body, response and stream
//! events, the SDK's types are walked side by side with the crates' types
//! (`object!`, `tagged_union!`, `string_enum!`): every field is a field with
//! the same wire name and optionality, every enum value and union member a
//! variant. Every error type and code is a variant of `ErrorType` and
//! `ErrorCode`. Deliberate differences are keys of `allow`, each with a
//! reason; an allow entry that matches nothing is itself a failure.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use serde_json::Value;

use super::generate::types::{TextType, text_type};
use super::model::{Description, Endpoint, TypeDef, read_json, show_type, strings};
use super::rust_side::{self, Item, Shape, inner_type};
use hand::find_arm;

/// What the check found.
#[derive(Debug)]
pub(crate) struct Report {
    /// Failures, one line each: `types: StopReason lacks "x" (file)`.
    pub(crate) failures: Vec<String>,
    /// The summary line(s).
    pub(crate) summary: String,
}

/// Where the check reads from.
pub(crate) struct Inputs<'a> {
    /// The description (`api/`).
    pub(crate) api: &'a Path,
    /// The types crate's sources (`crates/types/src`).
    pub(crate) types: &'a Path,
    /// The workspace root (files named in `allow.json` are relative to it).
    pub(crate) root: &'a Path,
    /// The workspace whose family crates' generated sources are read
    /// (`crates/agents/src/generated`, ...): the root, but for tests.
    pub(crate) families: &'a Path,
}

/// Runs the check.
pub(crate) fn run(inputs: &Inputs<'_>) -> Result<Report, String> {
    let description = Description::load(inputs.api)?;
    let allow_file = inputs.api.join("allow.json");
    let config = read_json(&allow_file)?;
    let items = rust_side::scan_with_hand(inputs.root, inputs.types)?;
    let mut checker = Checker {
        description: &description,
        items: &items,
        wrappers: string_map(&config["wrappers"]),
        findings: BTreeMap::new(),
        queue: VecDeque::new(),
        seen: BTreeSet::new(),
        not_compared: BTreeSet::new(),
        names: None,
    };
    let implemented: BTreeSet<String> = strings(&config["implemented"]).into_iter().collect();
    let table = config["endpoints"].as_object().cloned().unwrap_or_default();

    // Endpoints: a method for each, and the roots of the type walk.
    let mut routes: BTreeMap<String, bool> = BTreeMap::new();
    for endpoint in &description.endpoints {
        let group = if endpoint.client() == "bedrock" {
            "bedrock "
        } else {
            ""
        };
        let route = format!("{group}{}", endpoint.route());
        let entry = table.get(&endpoint.route()).filter(|_| group.is_empty());
        let has_method = match entry {
            Some(entry) => checker.method_exists(inputs.root, &endpoint.route(), entry),
            None => false,
        };
        *routes.entry(route).or_default() |= has_method;
        let family_done = implemented.contains(&endpoint.family) && group.is_empty();
        if !family_done {
            continue;
        }
        let Some(entry) = entry else {
            checker.finding(
                format!("{} has no method", endpoint.route()),
                format!(
                    "family {}; add it to the endpoints of api/allow.json",
                    endpoint.family
                ),
                "endpoints",
            );
            continue;
        };
        checker.params(inputs.root, endpoint, entry);
        let sdk_name = format!("{} body", endpoint.key());
        if let (Some(rust), Some(fields)) = (
            entry["request"].as_str(),
            endpoint
                .entry
                .pointer("/body/fields")
                .and_then(Value::as_array),
        ) {
            let fields: Vec<(&str, &Value)> = fields
                .iter()
                .map(|f| (f["name"].as_str().unwrap_or(""), f))
                .collect();
            checker.compare_fields(&sdk_name, "params", &fields, rust);
        }
        for (key, sdk_key) in [("response", "response"), ("events", "events")] {
            if let Some(rust) = entry[key].as_str() {
                for target in targets(&endpoint.entry[sdk_key]) {
                    checker.push(&target, rust);
                }
            }
        }
    }
    for (sdk, rust) in string_map(&config["types"]) {
        checker.push(&sdk, &rust);
    }
    checker.drain();
    checker.errors();

    // The generated family crates, from the generator's markers.
    let mut family_pairs = 0;
    let generated = families::check(
        &description,
        inputs.families,
        &mut checker.findings,
        &mut checker.not_compared,
        &mut family_pairs,
    )?;
    for route in &generated {
        routes.insert(route.clone(), true);
    }

    // The allowlist.
    let allow = config["allow"].as_object().cloned().unwrap_or_default();
    let mut failures = Vec::new();
    for (key, line) in &checker.findings {
        if !allow.contains_key(key) {
            failures.push(line.clone());
        }
    }
    for (key, reason) in &allow {
        if reason.as_str().is_none_or(|r| r.trim().is_empty()) {
            failures.push(format!(
                "allow: \"{key}\" has no reason ({})",
                allow_file.display()
            ));
        }
        if !checker.findings.contains_key(key) {
            failures.push(format!(
                "allow: \"{key}\" matches nothing; remove it ({})",
                allow_file.display()
            ));
        }
    }
    let done = routes.values().filter(|d| **d).count();
    let summary = format!(
        "api check: anthropic {}: {done} of {} endpoints implemented; {} type pairs compared; {} allowed differences\n\
         not read (written by hand or by a local macro): {}",
        description.version,
        routes.len(),
        checker.seen.len() + family_pairs,
        allow.len(),
        if checker.not_compared.is_empty() {
            "none".to_owned()
        } else {
            checker
                .not_compared
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    Ok(Report { failures, summary })
}

struct Checker<'a> {
    description: &'a Description,
    items: &'a BTreeMap<String, Item>,
    wrappers: BTreeMap<String, String>,
    /// Finding key -> the line reported.
    findings: BTreeMap<String, String>,
    queue: VecDeque<(String, String)>,
    seen: BTreeSet<(String, String)>,
    /// Crates' types reached but not read: written by hand or by a local
    /// macro, or free JSON (`Value`).
    not_compared: BTreeSet<String>,
    /// For a generated crate: the Rust name of every SDK type, so that a
    /// union written as an untagged enum (not a macro) is seen through to
    /// its members, and a type missing from the sources is a finding.
    names: Option<BTreeMap<String, String>>,
}

impl Checker<'_> {
    fn finding(&mut self, key: String, detail: String, kind: &str) {
        let line = format!("{kind}: {key} ({detail})");
        self.findings.entry(key).or_insert(line);
    }

    fn method_exists(&mut self, root: &Path, route: &str, entry: &Value) -> bool {
        let Some((file, method)) = entry["method"].as_str().and_then(|m| m.split_once(':')) else {
            self.finding(
                format!("{route} names no method"),
                "expected \"method\": \"FILE: fn_name\" in api/allow.json".into(),
                "endpoints",
            );
            return false;
        };
        let (file, method) = (file.trim(), method.trim());
        let text = fs::read_to_string(root.join(file)).unwrap_or_default();
        if text.contains(&format!("fn {method}(")) || text.contains(&format!("fn {method}<")) {
            true
        } else {
            self.finding(
                format!("{route} has no method"),
                format!("no fn {method} in {file}"),
                "endpoints",
            );
            false
        }
    }

    /// Each query and header parameter of an implemented endpoint can be
    /// set: a query parameter through its method (its name, or `name[]`,
    /// written as a string in the method's file) or, on a listing, through
    /// the list builder (a `pub fn name` of `core/list.rs`); a header
    /// through its method's file or the per-call options every call has
    /// (`core/options.rs`).
    fn params(&mut self, root: &Path, endpoint: &Endpoint, entry: &Value) {
        let Some((file, _)) = entry["method"].as_str().and_then(|m| m.split_once(':')) else {
            return;
        };
        let file = file.trim();
        let read = |path: &str| fs::read_to_string(root.join(path)).unwrap_or_default();
        let (method_file, list, options) = (
            read(file),
            read("crates/client/src/core/list.rs"),
            read("crates/client/src/core/options.rs"),
        );
        let quoted = |text: &str, name: &str| {
            text.contains(&format!("\"{name}\"")) || text.contains(&format!("\"{name}[]\""))
        };
        let paginated = !endpoint.entry["pagination"].is_null();
        let route = endpoint.route();
        for (kind, list_key) in [("query", "query"), ("header", "headers")] {
            let names: Vec<String> = endpoint.entry[list_key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            for name in names {
                let settable = quoted(&method_file, &name)
                    || match kind {
                        "query" => paginated && list.contains(&format!("pub fn {name}(")),
                        _ => quoted(&options, &name),
                    };
                if !settable {
                    self.finding(
                        format!("{route} {kind} \"{name}\" cannot be set"),
                        format!(
                            "set neither by its method, the list builder nor the per-call \
                             options: {file}"
                        ),
                        "params",
                    );
                }
            }
        }
    }

    /// The crates' type a field's type names, seen through the wrappers
    /// (`MessageContent` is blocks of `ContentBlock`).
    fn resolve(&self, rust: &str) -> String {
        let mut name = inner_type(rust);
        let mut hops = 0;
        while let Some(next) = self.wrappers.get(&name) {
            name = next.clone();
            hops += 1;
            if hops > 8 {
                break;
            }
        }
        name
    }

    fn push(&mut self, sdk: &str, rust: &str) {
        let rust = self.resolve(rust);
        let pair = (sdk.to_owned(), rust);
        if self.seen.insert(pair.clone()) {
            self.queue.push_back(pair);
        }
    }

    fn drain(&mut self) {
        while let Some((sdk, rust)) = self.queue.pop_front() {
            let Some(def) = self.description.types.get(&sdk) else {
                self.finding(
                    format!("{sdk} is not in the description"),
                    "a dangling ref".into(),
                    "api",
                );
                continue;
            };
            let Some(item) = self.items.get(&rust) else {
                if let Some(names) = &self.names {
                    // A name the generator gave an inline union: seen
                    // through to the SDK type's own generated name.
                    if let Some(own) = names.get(&sdk).filter(|own| **own != rust) {
                        let own = own.clone();
                        self.push(&sdk, &own);
                        continue;
                    }
                    match def.kind() {
                        "union" | "alias" => {
                            let mut members: Vec<Value> =
                                def.members().into_iter().map(|(_, t)| t.clone()).collect();
                            members.push(def.entry["type"].clone());
                            let pairs: Vec<(String, String)> = members
                                .iter()
                                .flat_map(targets)
                                .filter_map(|t| Some((t.clone(), names.get(&t)?.clone())))
                                .collect();
                            for (sdk, rust) in pairs {
                                self.push(&sdk, &rust);
                            }
                        }
                        _ => self.finding(
                            format!("{rust} is missing"),
                            format!("SDK {sdk}; no object! or string_enum! of that name"),
                            "types",
                        ),
                    }
                    continue;
                }
                // Free JSON is not a type of the crates: a field that holds
                // it where the SDK has a type is a finding of its own.
                if rust != "Value" {
                    self.not_compared.insert(rust);
                }
                continue;
            };
            self.compare(&sdk, def, &rust, item);
        }
    }

    fn compare(&mut self, sdk: &str, def: &TypeDef, rust: &str, item: &Item) {
        let file = item.file.clone();
        match (def.kind(), &item.shape) {
            ("object", Shape::Object(_)) => {
                let shape = def.entry["shape"].as_str().unwrap_or("model").to_owned();
                let fields = def.fields();
                self.compare_fields(sdk, &shape, &fields, rust);
            }
            ("object", Shape::Union(arms)) => {
                if let Some(tag) = single_literal(def, "type") {
                    match find_arm(arms, &tag) {
                        Some((_, inner)) => self.push(sdk, &inner.clone()),
                        None => self.finding(
                            format!("{rust} lacks member \"{tag}\""),
                            format!("SDK {sdk}; {file}"),
                            "types",
                        ),
                    }
                }
            }
            ("enum", Shape::Enum(values)) => {
                for value in def.values() {
                    if !values.contains(&value) {
                        self.finding(
                            format!("{rust} lacks \"{value}\""),
                            format!("SDK {sdk}; {file}"),
                            "types",
                        );
                    }
                }
            }
            ("union", Shape::Union(arms)) => {
                let arms = arms.clone();
                for (tag, member) in def.members() {
                    match tag {
                        Some(tag) => match find_arm(&arms, tag) {
                            Some((_, inner)) => {
                                for target in targets(member) {
                                    self.push(&target, inner);
                                }
                            }
                            None => self.finding(
                                format!("{rust} lacks member \"{tag}\""),
                                format!("SDK {sdk}; {file}"),
                                "types",
                            ),
                        },
                        None => {
                            for target in targets(member) {
                                self.push(&target, rust);
                            }
                        }
                    }
                }
            }
            (_, Shape::Untagged(variants)) => self.untagged(sdk, def, rust, &file, variants),
            ("union" | "alias", _) => {
                let all: Vec<Value> = match def.kind() {
                    "union" => def.members().into_iter().map(|(_, t)| t.clone()).collect(),
                    _ => vec![def.entry["type"].clone()],
                };
                for t in &all {
                    self.literals(sdk, t, rust, "");
                    for target in targets(t) {
                        self.push(&target, rust);
                    }
                }
            }
            _ => {}
        }
    }

    /// The fields of an SDK object (or request body) against an `object!`.
    fn compare_fields(&mut self, sdk: &str, shape: &str, fields: &[(&str, &Value)], rust: &str) {
        let rust = self.resolve(rust);
        let Some(Item {
            file,
            shape: Shape::Object(rust_fields),
        }) = self.items.get(&rust).cloned()
        else {
            return;
        };
        for (wire, field) in fields {
            let ty = &field["type"];
            let Some(rf) = rust_fields.iter().find(|f| f.wire == *wire) else {
                let is_tag = *wire == "type" && literal_values(ty).len() == 1;
                if !is_tag {
                    self.finding(
                        format!("{rust} lacks field \"{wire}\""),
                        format!("SDK {sdk}; {file}"),
                        "types",
                    );
                }
                continue;
            };
            let sdk_required =
                field["required"] == Value::Bool(true) && field["nullable"] != Value::Bool(true);
            if rf.required && !sdk_required {
                self.finding(
                    format!("{rust}.{wire} is required, the SDK's is optional"),
                    format!("SDK {sdk}; {file}"),
                    "types",
                );
            } else if !rf.required && sdk_required && shape == "params" {
                self.finding(
                    format!("{rust}.{wire} is optional, the SDK requires it"),
                    format!("SDK {sdk}; {file}"),
                    "types",
                );
            }
            let inner = self.resolve(&rf.ty);
            if inner == "Value" && self.is_structured(ty) {
                self.finding(
                    format!("{rust}.{wire} is untyped"),
                    format!(
                        "serde_json::Value where the SDK has {}; SDK {sdk}; {file}",
                        show_type(ty)
                    ),
                    "types",
                );
            }
            if self.names.is_some() {
                self.typed_text(sdk, ty, (&rust, wire, &inner), &file);
            }
            // A tag is the union's business; a `type` the crates keep as a
            // string enum (a kind, not a tag) must hold every value.
            let kind = matches!(
                self.items.get(&inner),
                Some(Item {
                    shape: Shape::Enum(_),
                    ..
                })
            );
            if *wire != "type" || kind {
                self.literals(sdk, ty, &inner, wire);
            }
            for target in self.map_of_object(&rf.ty, ty) {
                self.push(&target, &inner);
            }
        }
    }

    /// In a generated crate, a field whose SDK type the generator types
    /// (a date-time, a date, a choice of string literals, or a list or map
    /// of them) holds that type: `Timestamp`, `Date`, a `string_enum!`.
    fn typed_text(
        &mut self,
        sdk: &str,
        ty: &Value,
        (rust, wire, inner): (&str, &str, &str),
        file: &str,
    ) {
        let mut element = ty;
        while let Some(next) = element.get("array").or_else(|| element.get("map")) {
            element = next;
        }
        let Some(expected) = text_type(element) else {
            return;
        };
        let holds = match &expected {
            TextType::Timestamp => inner == "Timestamp",
            TextType::Date => inner == "Date",
            TextType::Enum(_) => matches!(
                self.items.get(inner),
                Some(Item {
                    shape: Shape::Enum(_),
                    ..
                })
            ),
        };
        if !holds {
            let want = match expected {
                TextType::Timestamp => "Timestamp",
                TextType::Date => "Date",
                TextType::Enum(_) => "a string_enum!",
            };
            self.finding(
                format!("{rust}.{wire} is {inner}, not {want}"),
                format!("the SDK has {}; SDK {sdk}; {file}", show_type(ty)),
                "types",
            );
        }
    }

    /// Whether an SDK type names an object, a union or an enum (something a
    /// typed field can hold), rather than free JSON.
    fn is_structured(&self, ty: &Value) -> bool {
        targets(ty).iter().any(|id| {
            self.description
                .types
                .get(id)
                .is_some_and(|d| matches!(d.kind(), "object" | "union" | "enum"))
        })
    }

    /// Literal values written inline in an SDK type must be values of the
    /// crates' string enum that holds them.
    fn literals(&mut self, sdk: &str, ty: &Value, rust: &str, field: &str) {
        let Some(Item {
            file,
            shape: Shape::Enum(values),
        }) = self.items.get(rust).cloned()
        else {
            return;
        };
        for value in literal_values(ty) {
            let Some(value) = value.as_str() else {
                continue;
            };
            if !values.iter().any(|v| v == value) {
                let at = if field.is_empty() {
                    String::new()
                } else {
                    format!(".{field}")
                };
                self.finding(
                    format!("{rust} lacks \"{value}\""),
                    format!("SDK {sdk}{at}; {file}"),
                    "types",
                );
            }
        }
    }

    /// Every error type and error code is a variant.
    fn errors(&mut self) {
        let types = self.description.error_types.clone();
        let codes: Vec<String> = self.description.error_codes.keys().cloned().collect();
        for (rust, values) in [("ErrorType", types), ("ErrorCode", codes)] {
            let Some(Item {
                file,
                shape: Shape::Enum(have),
            }) = self.items.get(rust).cloned()
            else {
                self.finding(
                    format!("{rust} is missing"),
                    "no string_enum! of that name".into(),
                    "errors",
                );
                continue;
            };
            for value in values {
                if !have.contains(&value) {
                    self.finding(format!("{rust} lacks \"{value}\""), file.clone(), "errors");
                }
            }
        }
    }
}

/// The type ids an SDK type expression refers to, through lists, maps and
/// unions.
pub(crate) fn targets(t: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_refs(t, &mut out);
    out
}

fn collect_refs(t: &Value, out: &mut Vec<String>) {
    match t {
        Value::Object(o) => {
            if let Some(r) = o.get("ref").and_then(Value::as_str) {
                out.push(r.to_owned());
            }
            for key in ["array", "map", "jsonl"] {
                if let Some(inner) = o.get(key) {
                    collect_refs(inner, out);
                }
            }
            if let Some(members) = o.get("union").and_then(Value::as_array) {
                for m in members {
                    collect_refs(m, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The literal values written inline in a type expression.
fn literal_values(t: &Value) -> Vec<Value> {
    match t {
        Value::Object(o) => {
            if let Some(values) = o.get("literal").and_then(Value::as_array) {
                return values.clone();
            }
            let mut out = Vec::new();
            for key in ["array", "map"] {
                if let Some(inner) = o.get(key) {
                    out.extend(literal_values(inner));
                }
            }
            for m in o
                .get("union")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.extend(literal_values(m));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The one literal of an object's field (its tag), if that is what it is.
fn single_literal(def: &TypeDef, name: &str) -> Option<String> {
    let (_, field) = def.fields().into_iter().find(|(n, _)| *n == name)?;
    match literal_values(&field["type"]).as_slice() {
        [Value::String(s)] => Some(s.clone()),
        _ => None,
    }
}

fn string_map(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
        .collect()
}

#[path = "check_families.rs"]
mod families;

#[path = "check_hand.rs"]
mod hand;

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
