//! The description in `api/`, read back: endpoints and types by family,
//! error types and codes. The format is written by `xtask/api/extract.py`
//! and documented in `api/README.md`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

/// One endpoint of the description.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// The family directory it was read from (`messages`, `agents/sessions`).
    pub(crate) family: String,
    /// The whole entry, as written.
    pub(crate) entry: Value,
}

impl Endpoint {
    /// `GET`, `POST`, ...
    pub(crate) fn method(&self) -> &str {
        self.entry["method"].as_str().unwrap_or("")
    }

    /// The path template (`/v1/models/{model_id}`).
    pub(crate) fn path(&self) -> &str {
        self.entry["path"].as_str().unwrap_or("")
    }

    /// `first_party`, `beta` or `bedrock`.
    pub(crate) fn client(&self) -> &str {
        self.entry["client"].as_str().unwrap_or("")
    }

    /// `METHOD path`, as the allowlist and the endpoint table name it.
    pub(crate) fn route(&self) -> String {
        format!("{} {}", self.method(), self.path())
    }

    /// `METHOD path (client)`, unique in a description.
    pub(crate) fn key(&self) -> String {
        format!("{} {} ({})", self.method(), self.path(), self.client())
    }
}

/// One type of the description.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    /// The family directory it was read from.
    pub(crate) family: String,
    /// The whole entry (`kind`, `fields` / `values` / `members` / `type`).
    pub(crate) entry: Value,
}

impl TypeDef {
    /// `object`, `enum`, `union` or `alias`.
    pub(crate) fn kind(&self) -> &str {
        self.entry["kind"].as_str().unwrap_or("")
    }

    /// The fields of an object: `(wire name, entry)`.
    pub(crate) fn fields(&self) -> Vec<(&str, &Value)> {
        self.entry["fields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .map(|f| (f["name"].as_str().unwrap_or(""), f))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The values of an enum, as strings.
    pub(crate) fn values(&self) -> Vec<String> {
        strings(&self.entry["values"])
    }

    /// The members of a union: `(tag if any, type)`.
    pub(crate) fn members(&self) -> Vec<(Option<&str>, &Value)> {
        self.entry["members"]
            .as_array()
            .map(|members| {
                members
                    .iter()
                    .map(|m| (m["tag"].as_str(), &m["type"]))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The description of the whole API.
#[derive(Debug, Default)]
pub(crate) struct Description {
    /// The SDK version it was extracted from.
    pub(crate) version: String,
    /// Every endpoint, in file order.
    pub(crate) endpoints: Vec<Endpoint>,
    /// Every type by id.
    pub(crate) types: BTreeMap<String, TypeDef>,
    /// The values of `error.type`.
    pub(crate) error_types: Vec<String>,
    /// Every error code (`error.details.error_code`) with its entry.
    pub(crate) error_codes: BTreeMap<String, Value>,
}

impl Description {
    /// Reads the description under `dir`.
    pub(crate) fn load(dir: &Path) -> Result<Self, String> {
        let mut description = Self::default();
        let provenance = read_json(&dir.join("provenance.json"))?;
        description.version = provenance["version"].as_str().unwrap_or("").to_owned();
        let errors = read_json(&dir.join("errors.json"))?;
        description.error_types = strings(&errors["error_types"]);
        for code in errors["error_codes"].as_array().into_iter().flatten() {
            if let Some(name) = code["code"].as_str() {
                description
                    .error_codes
                    .insert(name.to_owned(), code.clone());
            }
        }
        description.walk(dir, dir)?;
        Ok(description)
    }

    fn walk(&mut self, root: &Path, dir: &Path) -> Result<(), String> {
        for path in super::files_below(dir)? {
            let family = path
                .parent()
                .and_then(|p| p.strip_prefix(root).ok())
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            match path.file_name().and_then(|n| n.to_str()) {
                Some("endpoints.json") => {
                    let file = read_json(&path)?;
                    for entry in file["endpoints"].as_array().into_iter().flatten() {
                        self.endpoints.push(Endpoint {
                            family: family.clone(),
                            entry: entry.clone(),
                        });
                    }
                }
                Some("types.json") => {
                    let file = read_json(&path)?;
                    for (id, entry) in file["types"].as_object().into_iter().flatten() {
                        self.types.insert(
                            id.clone(),
                            TypeDef {
                                family: family.clone(),
                                entry: entry.clone(),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A JSON file, or an error naming it.
pub(crate) fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The strings of a JSON array (other values skipped).
pub(crate) fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A type expression written compactly: `string`, `Name`, `list<T>`,
/// `map<T>`, `"a" | "b"`, `A | B`.
pub(crate) fn show_type(t: &Value) -> String {
    match t {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            if let Some(r) = o.get("ref").and_then(Value::as_str) {
                r.to_owned()
            } else if let Some(inner) = o.get("array") {
                format!("list<{}>", show_type(inner))
            } else if let Some(inner) = o.get("map") {
                format!("map<{}>", show_type(inner))
            } else if let Some(inner) = o.get("jsonl") {
                format!("jsonl<{}>", show_type(inner))
            } else if let Some(values) = o.get("literal").and_then(Value::as_array) {
                values
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join(" | ")
            } else if let Some(members) = o.get("union").and_then(Value::as_array) {
                members
                    .iter()
                    .map(show_type)
                    .collect::<Vec<_>>()
                    .join(" | ")
            } else {
                Value::Object(o.clone()).to_string()
            }
        }
        Value::Null => "none".to_owned(),
        other => other.to_string(),
    }
}
