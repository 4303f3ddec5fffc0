//! The SDK's types against the crates' hand-written types: enums decoded
//! by the JSON's form ([`Shape::Untagged`]), where every form the SDK
//! accepts (a string, a literal, an object, a list, a tagged member) must be
//! a variant and the types the variants hold are walked on; unions of tag
//! families (`bash_*`); maps by name of an SDK object's fields.

use serde_json::{Value, json};

use super::super::model::TypeDef;
use super::super::rust_side::{Item, Shape, Variant};
use super::{Checker, single_literal, targets};

impl Checker<'_> {
    /// The SDK types a field's values are compared with: those of its type,
    /// but where the crates keep a map by name (`BTreeMap<String, Config>`)
    /// of an SDK object with one field per name, the types of its fields
    /// (a name added later needs no new version of the crates).
    pub(super) fn map_of_object(&self, rust_ty: &str, ty: &Value) -> Vec<String> {
        let map = ["BTreeMap<", "HashMap<", "IndexMap<"]
            .iter()
            .any(|m| rust_ty.trim_start_matches("Option<").starts_with(m));
        targets(ty)
            .into_iter()
            .flat_map(|target| match self.description.types.get(&target) {
                Some(def) if map && def.kind() == "object" => def
                    .fields()
                    .iter()
                    .flat_map(|(_, field)| targets(&field["type"]))
                    .collect(),
                _ => vec![target],
            })
            .collect()
    }

    /// `sdk` (of `def`) against the hand-written `rust`.
    pub(super) fn untagged(
        &mut self,
        sdk: &str,
        def: &TypeDef,
        rust: &str,
        file: &str,
        variants: &[Variant],
    ) {
        let forms: Vec<Value> = match def.kind() {
            "union" if def.members().iter().any(|(tag, _)| tag.is_none()) => {
                def.members().into_iter().map(|(_, t)| t.clone()).collect()
            }
            "alias" => match def.entry["type"].get("union").and_then(Value::as_array) {
                Some(members) => members.clone(),
                None => vec![def.entry["type"].clone()],
            },
            _ => vec![json!({ "ref": sdk })],
        };
        for form in &forms {
            self.form(sdk, rust, file, variants, form);
        }
    }

    /// One form of the SDK's type must be a variant.
    fn form(&mut self, sdk: &str, rust: &str, file: &str, variants: &[Variant], form: &Value) {
        // A list is a variant holding a `Vec` of the item's variant.
        let mut form = form;
        while let Some(item) = form.get("array") {
            form = item;
        }
        let held: Vec<(String, Option<&Item>)> = variants
            .iter()
            .filter_map(|v| v.inner.as_deref())
            .map(|t| {
                let name = self.resolve(t);
                let item = self.items.get(&name);
                (name, item)
            })
            .collect();
        let lacks = |this: &mut Self, what: &str| {
            this.finding(
                format!("{rust} lacks member \"{what}\""),
                format!("SDK {sdk}; {file}"),
                "types",
            );
        };
        if let Some(literals) = form.get("literal").and_then(Value::as_array) {
            for literal in literals.iter().filter_map(Value::as_str) {
                let unit = variants
                    .iter()
                    .any(|v| v.literal.as_deref() == Some(literal));
                let in_enum = held.iter().any(|(_, item)| {
                    matches!(item, Some(Item { shape: Shape::Enum(values), .. })
                        if values.iter().any(|v| v == literal))
                });
                if !unit && !in_enum {
                    lacks(self, literal);
                }
            }
            return;
        }
        if form.as_str() == Some("string") {
            let string = held.iter().any(|(name, item)| {
                name == "String"
                    || matches!(
                        item,
                        Some(Item {
                            shape: Shape::Enum(_),
                            ..
                        })
                    )
            });
            if !string {
                lacks(self, "string");
            }
            return;
        }
        let Some(id) = form.get("ref").and_then(Value::as_str) else {
            return;
        };
        let Some(target) = self.description.types.get(id) else {
            return;
        };
        let of = |want: fn(&Shape) -> bool| {
            held.iter()
                .filter(|(_, item)| item.is_some_and(|i| want(&i.shape)))
                .map(|(name, _)| name.clone())
                .collect::<Vec<_>>()
        };
        let unions = of(|s| matches!(s, Shape::Union(_)));
        let objects = of(|s| matches!(s, Shape::Object(_)));
        let enums = of(|s| matches!(s, Shape::Enum(_)));
        let chosen = match target.kind() {
            "object" => {
                let tagged = single_literal(target, "type").and_then(|tag| {
                    unions.iter().find(|u| {
                        matches!(self.items.get(*u), Some(Item { shape: Shape::Union(arms), .. })
                            if find_arm(arms, &tag).is_some())
                    })
                });
                tagged.or(objects.first()).cloned()
            }
            "union" => unions.first().or(objects.first()).cloned(),
            "enum" => enums.first().cloned().or_else(|| {
                held.iter()
                    .any(|(name, _)| name == "String")
                    .then(|| "String".to_owned())
            }),
            "alias" => Some(rust.to_owned()),
            _ => return,
        };
        match chosen {
            Some(name) if name == "String" => {}
            Some(name) => self.push(id, &name),
            None => lacks(self, id),
        }
    }
}

/// The arm of a union for a tag: its own, else the family it is a dated
/// member of (`bash_*` holds `bash_20250124`; a variant word before the
/// date, `tool_search_tool_bm25_20251119`, only when no family holds the
/// tag with the date alone).
pub(super) fn find_arm<'a>(
    arms: &'a [(String, String)],
    tag: &str,
) -> Option<&'a (String, String)> {
    let dated = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    let family = |word: bool| {
        arms.iter().find(|(wire, _)| {
            let Some(rest) = wire.strip_suffix('*').and_then(|p| tag.strip_prefix(p)) else {
                return false;
            };
            match rest.rsplit_once('_') {
                Some((variant, date)) if word => {
                    dated(date) && variant.bytes().all(|b| b.is_ascii_alphanumeric())
                }
                _ => dated(rest),
            }
        })
    };
    arms.iter()
        .find(|(wire, _)| wire == tag)
        .or_else(|| family(false))
        .or_else(|| family(true))
}
