//! Tool input schemas from Rust types, in the shape the API accepts.
//!
//! `schemars` writes a schema document: a `$schema` URI, a `title`, and every
//! named type in `$defs` referenced by `$ref`. The API wants something else:
//! an object schema at the top, self-contained, with descriptions the model
//! reads. [`input_schema_for`] derives the schema and rewrites it:
//!
//! * `$schema` and the top-level `title` are dropped;
//! * every `$ref` is replaced by the definition it names (recursively), and
//!   `$defs` / `definitions` disappear; a type that contains itself cannot be
//!   inlined and is reported as [`SchemaError::Recursive`] instead of looping;
//! * schemars' own integer formats (`uint32`, `int64`, `double`, ...) are
//!   dropped: they are not JSON Schema formats and only add noise;
//! * a top-level `oneOf`/`anyOf` whose branches are all objects (a Rust enum
//!   tagged by a field) gets `"type": "object"`, which the API requires;
//! * with `strict`, every object schema gets `"additionalProperties": false`
//!   and numeric/string constraints that strict mode does not enforce
//!   (`minimum`, `maxLength`, ...) move into the description, so the model
//!   still reads them.
//!
//! Keys are ordered (serde_json's map is sorted), so the output is stable and
//! can be checked in.

use std::fmt;

use serde_json::{Map, Value};

/// Why a type's schema cannot be turned into a tool input schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaError {
    /// The type refers to itself (directly or through others); an inline
    /// schema of it would be infinite.
    Recursive {
        /// The definition that refers back to itself.
        name: String,
    },
    /// A `$ref` names no definition of the document, or points outside it.
    UnresolvedRef {
        /// The reference as written.
        reference: String,
    },
    /// The top-level schema does not describe a JSON object.
    NotAnObject {
        /// What it describes instead (its `type`, or `no type`).
        found: String,
    },
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Recursive { name } => write!(
                f,
                "`{name}` is recursive; a tool input schema must be inlined and cannot contain itself"
            ),
            Self::UnresolvedRef { reference } => {
                write!(f, "`$ref` {reference:?} names no definition of the schema")
            }
            Self::NotAnObject { found } => write!(
                f,
                "a tool input schema must describe a JSON object, this one describes {found}"
            ),
        }
    }
}

impl std::error::Error for SchemaError {}

/// The tool input schema of `T`: derived with schemars (doc comments become
/// descriptions, serde attributes are honoured for deserialization), then
/// rewritten by [`input_schema`].
pub fn input_schema_for<T: schemars::JsonSchema>(strict: bool) -> Result<Value, SchemaError> {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .with(|settings| settings.meta_schema = None)
        .into_generator()
        .into_root_schema_for::<T>();
    input_schema(schema.to_value(), strict)
}

/// The structured-output format of `T` (`output_config.format`): the strict
/// schema [`input_schema_for`] derives, as a `json_schema` format, so that
/// the reply's text is JSON that deserializes into `T`.
///
/// ```
/// #[derive(schemars::JsonSchema)]
/// struct Answer {
///     /// The capital city.
///     city: String,
/// }
/// let format = claude_rs_types::tool_schema::output_format_for::<Answer>()?;
/// let json = serde_json::to_value(&format).unwrap();
/// assert_eq!(json["type"], "json_schema");
/// assert_eq!(json["schema"]["additionalProperties"], false);
/// # Ok::<(), claude_rs_types::tool_schema::SchemaError>(())
/// ```
pub fn output_format_for<T: schemars::JsonSchema>()
-> Result<crate::config::OutputFormat, SchemaError> {
    let schema = input_schema_for::<T>(true)?;
    Ok(crate::config::JsonSchemaFormat::new(schema).into())
}

/// Rewrites any JSON schema document into a tool input schema (see the
/// module docs): useful for schemas written by hand or by another generator.
pub fn input_schema(schema: Value, strict: bool) -> Result<Value, SchemaError> {
    let Value::Object(mut root) = schema else {
        return Err(SchemaError::NotAnObject {
            found: "a non-object schema".to_owned(),
        });
    };
    root.remove("$schema");
    let title = root.remove("title");
    let mut defs = Map::new();
    for key in ["$defs", "definitions"] {
        if let Some(Value::Object(found)) = root.remove(key) {
            defs.extend(found);
        }
    }
    // `#` refers to the root: the type itself, being inlined from the start.
    let root_name = title.as_ref().and_then(Value::as_str).unwrap_or("#");
    let mut schema = inline(Value::Object(root), &defs, &mut vec![root_name.to_owned()])?;
    mark_tagged_union_as_object(&mut schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {}
        other => {
            return Err(SchemaError::NotAnObject {
                found: other.map_or_else(|| "no type".to_owned(), |t| format!("type {t:?}")),
            });
        }
    }
    tidy(&mut schema, strict);
    Ok(schema)
}

/// Keys whose values are data (not subschemas), never rewritten.
const DATA_KEYS: &[&str] = &["enum", "const", "default", "examples"];

/// Keys whose values map names (a property called `minimum` or `enum`, say)
/// to subschemas: the names are not schema keywords.
const NAMED_SCHEMAS_KEYS: &[&str] = &["properties", "patternProperties", "dependentSchemas"];

/// Replaces every `$ref` by its definition; `stack` holds the definitions
/// being inlined, to detect recursion.
fn inline(
    value: Value,
    defs: &Map<String, Value>,
    stack: &mut Vec<String>,
) -> Result<Value, SchemaError> {
    match value {
        Value::Object(mut map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let reference = reference.clone();
                map.remove("$ref");
                let name = if reference == "#" {
                    Some(stack[0].as_str())
                } else {
                    reference
                        .strip_prefix("#/$defs/")
                        .or_else(|| reference.strip_prefix("#/definitions/"))
                        .filter(|name| defs.contains_key(*name))
                }
                .map(str::to_owned)
                .ok_or_else(|| SchemaError::UnresolvedRef {
                    reference: reference.clone(),
                })?;
                if stack.contains(&name) {
                    return Err(SchemaError::Recursive { name });
                }
                let target = defs[&name].clone();
                stack.push(name);
                let target = inline(target, defs, stack)?;
                stack.pop();
                // Keys beside the `$ref` (a field's description) win over
                // the definition's.
                let mut merged = match target {
                    Value::Object(target) => target,
                    other => return Ok(other),
                };
                for (key, sibling) in map {
                    merged.insert(key.clone(), inline_member(&key, sibling, defs, stack)?);
                }
                return Ok(Value::Object(merged));
            }
            let mut out = Map::new();
            for (key, member) in map {
                let member = inline_member(&key, member, defs, stack)?;
                out.insert(key, member);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .into_iter()
            .map(|item| inline(item, defs, stack))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other),
    }
}

fn inline_member(
    key: &str,
    member: Value,
    defs: &Map<String, Value>,
    stack: &mut Vec<String>,
) -> Result<Value, SchemaError> {
    match (key, member) {
        (key, member) if DATA_KEYS.contains(&key) => Ok(member),
        (key, Value::Object(named)) if NAMED_SCHEMAS_KEYS.contains(&key) => {
            let mut out = Map::new();
            for (name, schema) in named {
                out.insert(name, inline(schema, defs, stack)?);
            }
            Ok(Value::Object(out))
        }
        (_, member) => inline(member, defs, stack),
    }
}

/// A Rust enum tagged by a field is a `oneOf` of objects; the API wants
/// `"type": "object"` at the top, which is true of every branch.
fn mark_tagged_union_as_object(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    if map.contains_key("type") {
        return;
    }
    let all_objects = ["oneOf", "anyOf"].iter().any(|key| {
        map.get(*key)
            .and_then(Value::as_array)
            .is_some_and(|branches| {
                !branches.is_empty()
                    && branches
                        .iter()
                        .all(|branch| branch.get("type").and_then(Value::as_str) == Some("object"))
            })
    });
    if all_objects {
        map.insert("type".to_owned(), Value::String("object".to_owned()));
    }
}

/// schemars' numeric formats: not JSON Schema formats.
const NUMERIC_FORMATS: &[&str] = &[
    "int", "int8", "int16", "int32", "int64", "int128", "uint", "uint8", "uint16", "uint32",
    "uint64", "uint128", "float", "double",
];

/// Constraints strict mode does not enforce; moved into the description.
const STRICT_UNSUPPORTED: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
];

/// Drops numeric formats everywhere; with `strict`, closes every object
/// schema and moves unsupported constraints into descriptions.
fn tidy(schema: &mut Value, strict: bool) {
    match schema {
        Value::Object(map) => {
            if map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|format| NUMERIC_FORMATS.contains(&format))
            {
                map.remove("format");
            }
            if strict {
                close_and_describe(map);
            }
            for (key, member) in map.iter_mut() {
                match member {
                    _ if DATA_KEYS.contains(&key.as_str()) => {}
                    Value::Object(named) if NAMED_SCHEMAS_KEYS.contains(&key.as_str()) => {
                        named.values_mut().for_each(|schema| tidy(schema, strict));
                    }
                    member => tidy(member, strict),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| tidy(item, strict)),
        _ => {}
    }
}

fn close_and_describe(map: &mut Map<String, Value>) {
    let is_object = match map.get("type") {
        Some(Value::String(kind)) => kind == "object",
        Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "object"),
        _ => false,
    };
    if is_object && map.get("properties").is_some_and(Value::is_object) {
        map.entry("additionalProperties")
            .or_insert(Value::Bool(false));
    }
    let moved: Vec<String> = STRICT_UNSUPPORTED
        .iter()
        .filter_map(|key| map.remove(*key).map(|value| format!("{key}: {value}")))
        .collect();
    if !moved.is_empty() {
        let note = format!("({})", moved.join(", "));
        let description = match map.get("description").and_then(Value::as_str) {
            Some(text) => format!("{text}\n\n{note}"),
            None => note,
        };
        map.insert("description".to_owned(), Value::String(description));
    }
}
