//! What one family crate gets: its endpoints (one per route), the types
//! they reach, the module each type lives in and its Rust name.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use super::naming;
use crate::api::check::targets;
use crate::api::model::{Description, Endpoint};

/// One family crate to generate.
pub(crate) struct Target {
    /// The crate's directory under `crates/` (`agents`, `admin`).
    pub(crate) dir: &'static str,
    /// Where in the crate the files go (`src/generated`).
    pub(crate) out: &'static str,
    /// The description's family prefix (`agents/`).
    pub(crate) family: &'static str,
    /// The SDK client whose endpoints it takes: `bedrock` for the Bedrock
    /// control plane, else the first-party and beta ones.
    pub(crate) bedrock: bool,
    /// More roots of the type walk: types no endpoint reaches but the crate
    /// models (webhook events).
    pub(crate) extra_roots: &'static [&'static str],
}

/// The generated outputs: the two family crates, and the Bedrock control
/// plane as a module of `claude-rs-agents` behind its `bedrock` feature.
pub(crate) const TARGETS: &[Target] = &[
    Target {
        dir: "agents",
        out: "src/generated",
        family: "agents/",
        bedrock: false,
        extra_roots: &["BetaWebhookEvent"],
    },
    Target {
        dir: "admin",
        out: "src/generated",
        family: "admin/",
        bedrock: false,
        extra_roots: &[],
    },
    Target {
        dir: "agents",
        out: "src/bedrock/generated",
        family: "bedrock/",
        bedrock: true,
        extra_roots: &[],
    },
];

impl Target {
    /// The output directory, relative to the workspace root.
    pub(crate) fn path(&self) -> String {
        format!("crates/{}/{}", self.dir, self.out)
    }

    /// How `api check` names this target's routes: Bedrock's apart from
    /// the first-party ones of the same method and path.
    pub(crate) fn route_key(&self, route: &str) -> String {
        if self.bedrock {
            format!("bedrock {route}")
        } else {
            route.to_owned()
        }
    }
}

/// SDK types the hand-written `claude-rs-types` already models with the same
/// wire shape, reused instead of generated: SDK id -> Rust path. The rule: a
/// type is reused only when it is the very SDK type the hand-written one was
/// checked against by `api check` (so both sides agree field for field);
/// anything else a family reaches is generated in the family crate.
pub(crate) const REUSED: &[(&str, &str)] = &[];

/// An endpoint chosen for a crate.
pub(crate) struct Route<'d> {
    pub(crate) endpoint: &'d Endpoint,
    /// The handler path (`["sessions", "events"]`) and the method name.
    pub(crate) handler: Vec<String>,
    pub(crate) method: String,
}

/// The plan of one crate.
pub(crate) struct Plan<'d> {
    pub(crate) routes: Vec<Route<'d>>,
    /// Routes left out, with the reason.
    pub(crate) skipped: Vec<(String, String)>,
    /// Type id -> module.
    pub(crate) modules: BTreeMap<String, String>,
    /// Type id -> Rust name (generated or reused path).
    pub(crate) names: BTreeMap<String, String>,
}

/// Query parameters that the core's `List` sets itself.
pub(crate) fn is_cursor_param(pagination: &str, name: &str) -> bool {
    match pagination {
        "page" => matches!(name, "after_id" | "before_id" | "limit"),
        "page_cursor" | "page_cursor_bidirectional" | "report_cursor" => {
            matches!(name, "page" | "limit")
        }
        _ => false,
    }
}

/// The module a family directory maps to (`agents/sessions` -> `sessions`).
pub(crate) fn module_of(family: &str, target: &Target) -> String {
    match family.strip_prefix(target.family) {
        Some(rest) => rest.replace('/', "_"),
        None => "shared".to_owned(),
    }
}

impl<'d> Plan<'d> {
    pub(crate) fn new(description: &'d Description, target: &Target) -> Result<Self, String> {
        // One endpoint per route, the GA one when GA and beta both have it.
        let mut by_route: BTreeMap<String, &Endpoint> = BTreeMap::new();
        let mut order = Vec::new();
        for endpoint in &description.endpoints {
            if !endpoint.family.starts_with(target.family)
                || (endpoint.client() == "bedrock") != target.bedrock
            {
                continue;
            }
            let route = endpoint.route();
            match by_route.get(&route) {
                Some(existing) if existing.client() == "first_party" => {}
                Some(_) if endpoint.client() != "first_party" => {}
                _ => {
                    if !by_route.contains_key(&route) {
                        order.push(route.clone());
                    }
                    by_route.insert(route, endpoint);
                }
            }
        }
        let mut routes = Vec::new();
        let skipped = Vec::new();
        for route in order {
            let endpoint = by_route[&route];
            let sdk = endpoint.entry["sdk"][0].as_str().unwrap_or("").to_owned();
            let mut parts: Vec<String> = sdk.split('.').map(str::to_owned).collect();
            if parts.first().is_some_and(|p| p == "beta") {
                parts.remove(0);
            }
            if parts.first().is_some_and(|p| p == "bedrock") {
                parts.remove(0);
            }
            if parts.first().is_some_and(|p| p == "organization") {
                parts.remove(0);
            }
            let method = parts
                .pop()
                .ok_or_else(|| format!("{route}: no SDK method name"))?;
            if parts.is_empty() {
                // A method of the API's root (`organization.retrieve`): its
                // family directory names the resource (`me`).
                parts.push(module_of(&endpoint.family, target));
            }
            routes.push(Route {
                endpoint,
                handler: parts,
                method,
            });
        }
        routes.sort_by(|a, b| {
            (&a.handler, &a.method, a.endpoint.route()).cmp(&(
                &b.handler,
                &b.method,
                b.endpoint.route(),
            ))
        });

        // The types reached.
        let mut queue: VecDeque<String> = VecDeque::new();
        for route in &routes {
            let e = &route.endpoint.entry;
            for key in ["/body/fields", "/query"] {
                for field in e
                    .pointer(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    queue.extend(targets(&field["type"]));
                }
            }
            queue.extend(targets(&e["response"]));
            queue.extend(targets(&e["events"]));
        }
        queue.extend(target.extra_roots.iter().map(|s| (*s).to_owned()));
        let reused: BTreeMap<&str, &str> = REUSED.iter().copied().collect();
        let mut reached = BTreeSet::new();
        while let Some(id) = queue.pop_front() {
            if reused.contains_key(id.as_str()) || !reached.insert(id.clone()) {
                continue;
            }
            let def = description
                .types
                .get(&id)
                .ok_or_else(|| format!("type {id} is not in the description"))?;
            for t in refs_of(&def.entry) {
                queue.extend(targets(t));
            }
        }
        let modules = reached
            .iter()
            .map(|id| (id.clone(), module_of(&description.types[id].family, target)))
            .collect();
        let mut names = naming::assign(&reached, &BTreeSet::new());
        for (id, path) in REUSED {
            names.insert((*id).to_owned(), (*path).to_owned());
        }
        Ok(Self {
            routes,
            skipped,
            modules,
            names,
        })
    }
}

/// The type expressions a definition holds.
pub(crate) fn refs_of(entry: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for f in entry["fields"].as_array().into_iter().flatten() {
        out.push(&f["type"]);
    }
    for m in entry["members"].as_array().into_iter().flatten() {
        out.push(&m["type"]);
    }
    if !entry["type"].is_null() {
        out.push(&entry["type"]);
    }
    out
}
