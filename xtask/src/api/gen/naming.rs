//! Names: the API's own words turned into Rust identifiers, the SDK's
//! `Beta` / `BetaManagedAgents` prefixes dropped where that stays unique.

use std::collections::{BTreeMap, BTreeSet};

/// Rust's keywords (strict and reserved) that a wire name may collide with.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// The SDK prefixes stripped from type names, longest first.
const PREFIXES: &[&str] = &["BetaManagedAgents", "Beta"];

/// `snake_case` of a wire name, a valid identifier (`r#type` for keywords).
pub(crate) fn snake_ident(wire: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    let out = if out.is_empty() {
        "value".to_owned()
    } else {
        out
    };
    let out = if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{out}")
    } else {
        out
    };
    if KEYWORDS.contains(&out.as_str()) {
        if matches!(out.as_str(), "self" | "Self" | "super" | "crate") {
            format!("{out}_")
        } else {
            format!("r#{out}")
        }
    } else {
        out
    }
}

/// `CamelCase` of any words (`agent.message` -> `AgentMessage`), a valid
/// type or variant name.
pub(crate) fn camel(words: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in words.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() {
        "Empty".to_owned()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{out}")
    } else if out == "Self" {
        "Self_".to_owned()
    } else {
        out
    }
}

/// The SDK name without its prefix (`BetaManagedAgentsSession` -> `Session`),
/// or unchanged when nothing sensible is left.
pub(crate) fn strip_prefix(name: &str) -> String {
    for prefix in PREFIXES {
        if let Some(rest) = name.strip_prefix(prefix)
            && rest.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return rest.to_owned();
        }
    }
    name.to_owned()
}

/// Gives each type id a Rust name unique in the crate (`taken` holds names
/// already used, such as handlers): the stripped name where it is unique,
/// else the SDK's own name, else that name prefixed with the id's module
/// path, else numbered. Deterministic: ids are visited in order.
pub(crate) fn assign(ids: &BTreeSet<String>, taken: &BTreeSet<String>) -> BTreeMap<String, String> {
    let last = |id: &str| id.rsplit('.').next().unwrap_or(id).to_owned();
    let candidates: Vec<(String, Vec<String>)> = ids
        .iter()
        .map(|id| {
            let sdk = last(id);
            let mut options = vec![strip_prefix(&sdk), sdk.clone()];
            let path: Vec<&str> = id.split('.').collect();
            if path.len() > 1 {
                // The SDK module that defines it (`bash_tool_config_params`).
                let module = path[path.len() - 2];
                let module = module
                    .strip_prefix("beta_managed_agents_")
                    .or_else(|| module.strip_prefix("beta_"))
                    .unwrap_or(module);
                options.push(format!("{}{}", camel(module), strip_prefix(&sdk)));
            }
            (id.clone(), options)
        })
        .collect();
    let mut names = BTreeMap::new();
    // A name stripped for one id stays free for another only when unique.
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for (_, options) in &candidates {
        *count.entry(options[0].clone()).or_default() += 1;
    }
    let mut used: BTreeSet<String> = taken.clone();
    for (id, options) in &candidates {
        let mut chosen = None;
        for (i, option) in options.iter().enumerate() {
            let shared = i == 0 && count[option] > 1;
            if !shared && !used.contains(option) {
                chosen = Some(option.clone());
                break;
            }
        }
        let name = chosen.unwrap_or_else(|| {
            let base = options.last().cloned().unwrap_or_default();
            (2..)
                .map(|n| format!("{base}{n}"))
                .find(|n| !used.contains(n))
                .unwrap_or(base)
        });
        used.insert(name.clone());
        names.insert(id.clone(), name);
    }
    names
}

/// Variant names for wire values, unique within one enum.
pub(crate) fn variants<'v>(values: impl IntoIterator<Item = &'v str>) -> Vec<String> {
    let mut used = BTreeSet::new();
    values
        .into_iter()
        .map(|value| {
            let base = camel(value);
            let base = if base == "Unknown" {
                "UnknownValue".to_owned()
            } else {
                base
            };
            let name = if used.contains(&base) {
                (2..)
                    .map(|n| format!("{base}{n}"))
                    .find(|n| !used.contains(n))
                    .unwrap_or(base)
            } else {
                base
            };
            used.insert(name.clone());
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_and_names_unique() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("created_at[gte]"), "created_at_gte");
        assert_eq!(snake_ident("Anthropic-Worker-ID"), "anthropic_worker_id");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(camel("agent.message"), "AgentMessage");
        assert_eq!(camel("1h"), "V1h");
        assert_eq!(strip_prefix("BetaManagedAgentsSession"), "Session");
        assert_eq!(strip_prefix("Beta"), "Beta");
        let ids: BTreeSet<String> = [
            "BetaUser",
            "User",
            "BetaManagedAgentsAgent",
            "a.b_params.Thing",
            "c.Thing",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let names = assign(&ids, &BTreeSet::new());
        assert_eq!(names["BetaManagedAgentsAgent"], "Agent");
        assert_eq!(names["BetaUser"], "BetaUser");
        assert_eq!(names["User"], "User");
        assert_ne!(names["a.b_params.Thing"], names["c.Thing"]);
        assert_eq!(variants(["a", "A", "unknown"]), ["A", "A2", "UnknownValue"]);
    }
}
