//! Types: each type of the description as an `object!`, `string_enum!`,
//! `tagged_union!` (with the `"type"` discriminator) or, for unions without
//! a usable discriminator, an untagged enum whose last arm keeps raw JSON.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

use serde_json::Value;

use super::naming::{camel, snake_ident, variants};
use super::plan::{Plan, refs_of};
use super::size;
use crate::api::model::{Description, TypeDef};

/// Writes the types of one crate; also used for request bodies.
pub(crate) struct Types<'d> {
    pub(crate) description: &'d Description,
    /// Type id -> (Rust name, module).
    pub(crate) names: BTreeMap<String, String>,
    pub(crate) modules: BTreeMap<String, String>,
    /// Objects that are members of a `tagged_union!`: their `type` is written
    /// by the union.
    untyped_members: BTreeSet<String>,
    /// Unions written with `tagged_union!`.
    tagged: BTreeSet<String>,
    /// Every name in the crate, for the inline unions named here.
    pub(crate) used: BTreeSet<String>,
    reach: BTreeMap<String, BTreeSet<String>>,
    /// Code per module.
    pub(crate) code: BTreeMap<String, String>,
    /// Macros each module uses.
    pub(crate) macros: BTreeMap<String, BTreeSet<&'static str>>,
}

impl<'d> Types<'d> {
    pub(crate) fn new(description: &'d Description, plan: &Plan<'_>) -> Self {
        let mut types = Self {
            description,
            names: plan.names.clone(),
            modules: plan.modules.clone(),
            untyped_members: BTreeSet::new(),
            tagged: BTreeSet::new(),
            used: plan.names.values().cloned().collect(),
            reach: BTreeMap::new(),
            code: BTreeMap::new(),
            macros: BTreeMap::new(),
        };
        for id in plan.modules.keys() {
            let def = &description.types[id];
            if def.kind() == "union" && types.taggable(def) {
                types.tagged.insert(id.clone());
                for (_, member) in def.members() {
                    if let Some(r) = member["ref"].as_str() {
                        types.untyped_members.insert(r.to_owned());
                    }
                }
            }
        }
        types
    }

    /// A union `tagged_union!` can hold: `"type"` discriminated, every member
    /// a distinct object with a distinct tag and a constant `type`.
    fn taggable(&self, def: &TypeDef) -> bool {
        if def.entry["discriminator"].as_str() != Some("type") {
            return false;
        }
        let members = def.members();
        let mut tags = BTreeSet::new();
        let mut inner = BTreeSet::new();
        !members.is_empty()
            && members.iter().all(|(tag, member)| {
                let Some(r) = member["ref"].as_str() else {
                    return false;
                };
                let Some(object) = self.description.types.get(r) else {
                    return false;
                };
                let constant_type = object.fields().iter().all(|(name, f)| {
                    *name != "type"
                        || f["type"]["literal"]
                            .as_array()
                            .is_some_and(|l| l.len() == 1)
                });
                object.kind() == "object"
                    && self.modules.contains_key(r)
                    && constant_type
                    && tag.is_some_and(|t| tags.insert(t.to_owned()))
                    && inner.insert(r.to_owned())
            })
    }

    /// Writes every type of the plan.
    pub(crate) fn write_all(&mut self) {
        let ids: Vec<String> = self.modules.keys().cloned().collect();
        for id in ids {
            let def = self.description.types[&id].clone();
            let name = self.names[&id].clone();
            let module = self.modules[&id].clone();
            let code = match def.kind() {
                "object" => {
                    let fields: Vec<Value> =
                        def.entry["fields"].as_array().cloned().unwrap_or_default();
                    let skip_tag = self.untyped_members.contains(&id);
                    let doc = format!(
                        "`{name}`: {} (`{id}` in the SDK).",
                        if def.entry["shape"] == "params" {
                            "an object sent in requests"
                        } else {
                            "an object the API returns"
                        }
                    );
                    let constructor = def.entry["shape"] == "params";
                    self.object(&module, &name, &id, &doc, &fields, (skip_tag, constructor))
                }
                "enum" => self.string_enum(&module, &name, &id, &def),
                "union" if self.tagged.contains(&id) => {
                    self.tagged_union(&module, &name, &id, &def)
                }
                "union" => {
                    let members: Vec<Value> =
                        def.members().into_iter().map(|(_, t)| t.clone()).collect();
                    self.untagged(&module, &name, &format!("`{id}` in the SDK"), &members)
                }
                _ => {
                    let ty = self.rust_ty(&module, &name, "", &def.entry["type"]);
                    format!(
                        "/// `{name}`: another name for `{ty}` (`{id}` in the SDK).\npub type {name} = {ty};\n"
                    )
                }
            };
            self.push(&module, &code);
        }
    }

    pub(crate) fn push(&mut self, module: &str, code: &str) {
        let out = self.code.entry(module.to_owned()).or_default();
        out.push('\n');
        out.push_str(code);
    }

    fn uses(&mut self, module: &str, mac: &'static str) {
        self.macros
            .entry(module.to_owned())
            .or_default()
            .insert(mac);
    }

    /// An `object!` of these fields.
    pub(crate) fn object(
        &mut self,
        module: &str,
        name: &str,
        owner: &str,
        doc: &str,
        fields: &[Value],
        (skip_tag, constructor): (bool, bool),
    ) -> String {
        self.uses(module, "object");
        let mut args: Vec<(String, String)> = Vec::new();
        let mut required = String::new();
        let mut optional = String::new();
        for field in fields {
            let wire = field["name"].as_str().unwrap_or("");
            let literal_tag = field["type"]["literal"]
                .as_array()
                .is_some_and(|l| l.len() == 1);
            if skip_tag && wire == "type" && literal_tag {
                continue;
            }
            let mut ty = self.rust_ty(module, name, wire, &field["type"]);
            let cyclic = by_value(&field["type"])
                .iter()
                .any(|target| target == owner || self.reaches(target, owner));
            if cyclic {
                ty = format!("Box<{ty}>");
            }
            let ident = snake_ident(wire);
            let rename = if ident == wire {
                String::new()
            } else {
                format!(" = \"{wire}\"")
            };
            let line = format!("            {ident}: {ty}{rename},\n");
            if field["required"] == Value::Bool(true) && field["nullable"] != Value::Bool(true) {
                args.push((ident.clone(), ty.clone()));
                required.push_str(&line);
            } else {
                optional.push_str(&line);
            }
        }
        let mut out = format!(
            "object! {{\n    /// {doc}\n    pub struct {name} {{\n        required {{\n{required}        }}\n        optional {{\n{optional}        }}\n    }}\n}}\n"
        );
        if constructor && args.is_empty() {
            let _ = write!(
                out,
                "\nimpl Default for {name} {{\n    /// `{name}` with every field unset.\n    fn default() -> Self {{\n        Self::from_required()\n    }}\n}}\n"
            );
        } else if constructor {
            // Request objects get a public constructor (the macro's own is
            // crate-private); optional fields are then set directly.
            let params: Vec<String> = args.iter().map(|(i, t)| format!("{i}: {t}")).collect();
            let names: Vec<&str> = args.iter().map(|(i, _)| i.as_str()).collect();
            let allow = if args.len() > 7 {
                "    #[allow(clippy::too_many_arguments)]\n"
            } else {
                ""
            };
            let _ = write!(
                out,
                "\nimpl {name} {{\n    /// `{name}` with its required fields set and every optional field unset.\n{allow}    pub fn new({}) -> Self {{\n        Self::from_required({})\n    }}\n}}\n",
                params.join(", "),
                names.join(", ")
            );
        }
        out
    }

    fn string_enum(&mut self, module: &str, name: &str, id: &str, def: &TypeDef) -> String {
        let values = def.values();
        if values.is_empty() {
            return format!(
                "/// `{name}`: a string (`{id}` in the SDK).\npub type {name} = String;\n"
            );
        }
        self.uses(module, "string_enum");
        let mut out = format!(
            "string_enum! {{\n    /// `{name}`: a string, one of the values below or another (`{id}` in the SDK).\n    pub enum {name} {{\n"
        );
        for (variant, value) in variants(values.iter().map(String::as_str))
            .iter()
            .zip(&values)
        {
            let _ = writeln!(
                out,
                "        {variant} => {},",
                Value::String(value.clone())
            );
        }
        out.push_str("    }\n}\n");
        out
    }

    fn tagged_union(&mut self, module: &str, name: &str, id: &str, def: &TypeDef) -> String {
        self.uses(module, "tagged_union");
        let members = def.members();
        let tags: Vec<&str> = members.iter().map(|(t, _)| t.unwrap_or("")).collect();
        let mut out = format!(
            "tagged_union! {{\n    /// `{name}`: an object told apart by its `type` (`{id}` in the SDK).\n    pub enum {name} {{\n"
        );
        for (variant, (tag, member)) in variants(tags.iter().copied()).iter().zip(&members) {
            let id = member["ref"].as_str().unwrap_or("");
            let inner = &self.names[id];
            let large = self.description.types[id].entry["shape"] != "params"
                && size::estimate(self.description, member, &mut BTreeSet::new()) > size::BOX_OVER;
            let inner = if large {
                format!("Box<{inner}>")
            } else {
                inner.clone()
            };
            let _ = writeln!(
                out,
                "        {} => {variant}({inner}),",
                Value::String(tag.unwrap_or("").to_owned())
            );
        }
        out.push_str("    }\n}\n");
        out
    }

    /// An untagged enum: the first member that decodes wins, and a value no
    /// member accepts is kept as raw JSON in `Other`.
    pub(crate) fn untagged(
        &mut self,
        module: &str,
        name: &str,
        what: &str,
        members: &[Value],
    ) -> String {
        let mut arms: Vec<(String, String)> = Vec::new();
        for member in members {
            if member == "null" {
                continue;
            }
            let ty = self.rust_ty(module, name, "", member);
            let label = match member {
                Value::Object(o) if o.contains_key("ref") => ty.clone(),
                Value::Object(o) if o.contains_key("array") => "List".to_owned(),
                Value::Object(o) if o.contains_key("map") => "Map".to_owned(),
                Value::Object(o) if o.contains_key("literal") => "Literal".to_owned(),
                Value::String(s) => camel(s),
                _ => "Value".to_owned(),
            };
            arms.push((label, ty));
        }
        let labels = variants(arms.iter().map(|(l, _)| l.as_str()));
        let mut out = format!(
            "/// `{name}`: one of several shapes ({what}). Decoding tries each arm in\n/// order and takes the first that fits; a value none fits is kept in `Other`.\n#[allow(clippy::large_enum_variant)]\n#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]\n#[serde(untagged)]\n#[non_exhaustive]\npub enum {name} {{\n"
        );
        for (label, (_, ty)) in labels.iter().zip(&arms) {
            let label = if label == "Other" {
                "OtherShape"
            } else {
                label
            };
            let _ = writeln!(out, "    /// A `{ty}`.\n    {label}({ty}),");
        }
        out.push_str("    /// A value of a shape this version does not know, kept verbatim.\n    Other(::serde_json::Value),\n}\n");
        out
    }

    /// The Rust type of a type expression: date-times and dates typed
    /// (`Timestamp`, `Date`); an inline choice of string literals (with or
    /// without any other string) a named `string_enum!`, and an inline union
    /// of structured members a named untagged enum, both in `module`.
    pub(crate) fn rust_ty(&mut self, module: &str, owner: &str, field: &str, t: &Value) -> String {
        match text_type(t) {
            Some(TextType::Enum(values)) => return self.inline_enum(module, owner, field, &values),
            Some(TextType::Timestamp) => return self.imported(module, "Timestamp"),
            Some(TextType::Date) => return self.imported(module, "Date"),
            None => {}
        }
        match t {
            Value::String(s) => match s.as_str() {
                "string" | "datetime" | "date" => "String".to_owned(),
                "integer" => "i64".to_owned(),
                "number" => "f64".to_owned(),
                "boolean" => "bool".to_owned(),
                _ => "::serde_json::Value".to_owned(),
            },
            Value::Object(o) => {
                if let Some(r) = o.get("ref").and_then(Value::as_str) {
                    self.names
                        .get(r)
                        .cloned()
                        .unwrap_or_else(|| "::serde_json::Value".to_owned())
                } else if let Some(inner) = o.get("array") {
                    format!("Vec<{}>", self.rust_ty(module, owner, field, inner))
                } else if let Some(inner) = o.get("map") {
                    format!(
                        "::std::collections::BTreeMap<String, {}>",
                        self.rust_ty(module, owner, field, inner)
                    )
                } else if o.contains_key("literal") {
                    "String".to_owned()
                } else if let Some(members) = o.get("union").and_then(Value::as_array) {
                    let members: Vec<Value> =
                        members.iter().filter(|m| *m != "null").cloned().collect();
                    let stringy = |m: &Value| {
                        matches!(m.as_str(), Some("string" | "datetime" | "date"))
                            || m.get("literal").is_some()
                    };
                    if members.len() == 1 {
                        self.rust_ty(module, owner, field, &members[0])
                    } else if members.iter().all(stringy) {
                        "String".to_owned()
                    } else {
                        let name = self.fresh_name(owner, field);
                        let what = format!("the field `{field}` of `{owner}`");
                        let code = self.untagged(module, &name, &what, &members);
                        self.push(module, &code);
                        name
                    }
                } else {
                    "::serde_json::Value".to_owned()
                }
            }
            _ => "::serde_json::Value".to_owned(),
        }
    }

    /// A name for a type written inline: `<Owner><Field>`, numbered when
    /// taken (the names of the description's own types are taken first, so
    /// they never move).
    fn fresh_name(&mut self, owner: &str, field: &str) -> String {
        let field = if field.is_empty() { "Literal" } else { field };
        let base = format!("{owner}{}", camel(field));
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|n| !self.used.contains(n))
            .unwrap_or(base);
        self.used.insert(name.clone());
        name
    }

    /// A `string_enum!` for a field whose type is a choice of string
    /// literals: any other string is kept by its `Unknown` arm, as for the
    /// description's named enums.
    fn inline_enum(&mut self, module: &str, owner: &str, field: &str, values: &[String]) -> String {
        let name = self.fresh_name(owner, field);
        self.uses(module, "string_enum");
        let at = if field.is_empty() {
            format!("`{owner}`")
        } else {
            format!("the field `{field}` of `{owner}`")
        };
        let mut out = format!(
            "string_enum! {{\n    /// `{name}`: {at}, one of the values below or another string.\n    pub enum {name} {{\n"
        );
        for (variant, value) in variants(values.iter().map(String::as_str))
            .iter()
            .zip(values)
        {
            let _ = writeln!(
                out,
                "        {variant} => {},",
                Value::String(value.clone())
            );
        }
        out.push_str("    }\n}\n");
        self.push(module, &out);
        name
    }

    /// A type of `claude_rs_types::datetime`, imported into `module`.
    fn imported(&mut self, module: &str, name: &'static str) -> String {
        self.uses(
            module,
            match name {
                "Date" => "datetime::Date",
                _ => "datetime::Timestamp",
            },
        );
        name.to_owned()
    }

    /// Whether `from` holds `to` by value (not through a list or a map), so
    /// that a field of `to` holding `from` must be boxed.
    fn reaches(&mut self, from: &str, to: &str) -> bool {
        if !self.reach.contains_key(from) {
            let mut seen = BTreeSet::new();
            let mut queue = VecDeque::from([from.to_owned()]);
            while let Some(id) = queue.pop_front() {
                let Some(def) = self.description.types.get(&id) else {
                    continue;
                };
                for t in refs_of(&def.entry) {
                    for next in by_value(t) {
                        if seen.insert(next.clone()) {
                            queue.push_back(next);
                        }
                    }
                }
            }
            self.reach.insert(from.to_owned(), seen);
        }
        self.reach[from].contains(to)
    }
}

/// The values of a type that is a choice of string literals: `Literal["a",
/// "b"]`, a union of such literals, either with `str` (any other string) or
/// `None` beside them. A single literal alone is a constant (a tag), not a
/// choice, and stays a `String`.
pub(crate) fn literal_choice(t: &Value) -> Option<Vec<String>> {
    let members: Vec<&Value> = match t.get("union").and_then(Value::as_array) {
        Some(members) => members.iter().filter(|m| *m != "null").collect(),
        None => vec![t],
    };
    let mut values: Vec<String> = Vec::new();
    let mut literals = 0;
    for member in members {
        if member == "string" {
            continue;
        }
        let list = member.get("literal")?.as_array()?;
        literals += 1;
        for value in list {
            let value = value.as_str()?.to_owned();
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    (literals > 0 && values.len() >= 2).then_some(values)
}

/// The refs a type expression holds by value.
fn by_value(t: &Value) -> Vec<String> {
    match t {
        Value::Object(o) => {
            if let Some(r) = o.get("ref").and_then(Value::as_str) {
                vec![r.to_owned()]
            } else if let Some(members) = o.get("union").and_then(Value::as_array) {
                members.iter().flat_map(by_value).collect()
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// What a type expression of text becomes here, when not a `String`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TextType {
    /// A date-time (`datetime`, or `str | datetime`): `datetime::Timestamp`.
    Timestamp,
    /// A date (`date`, or `str | date`): `datetime::Date`.
    Date,
    /// A choice of string literals: a `string_enum!` of these values.
    Enum(Vec<String>),
}

/// The one rule for typed text, used by the generator and by `api check`:
/// a date-time or a date (alone, or with `str` beside it: the SDK formats
/// its `datetime` and passes a string through; here both are the one
/// type), or a choice of string literals (see [`literal_choice`]); `None`
/// beside any of them makes no difference. Each writes itself with
/// `Display` exactly as on the wire, so a query parameter takes it too.
pub(crate) fn text_type(t: &Value) -> Option<TextType> {
    if let Some(values) = literal_choice(t) {
        return Some(TextType::Enum(values));
    }
    let members: Vec<&Value> = match t.get("union").and_then(Value::as_array) {
        Some(members) => members.iter().filter(|m| *m != "null").collect(),
        None => vec![t],
    };
    if !members
        .iter()
        .all(|m| matches!(m.as_str(), Some("string" | "datetime" | "date")))
    {
        return None;
    }
    if members.iter().any(|m| *m == "datetime") {
        Some(TextType::Timestamp)
    } else if members.iter().any(|m| *m == "date") {
        Some(TextType::Date)
    } else {
        None
    }
}
