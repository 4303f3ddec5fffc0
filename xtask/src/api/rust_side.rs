//! The crates' side of `api check`: the `object!`, `tagged_union!` and
//! `string_enum!` invocations of `crates/types/src`, read as text (no
//! build, so the check runs in well under a second).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A field of an `object!`.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The name on the wire (its explicit `= "wire"`, else the Rust name).
    pub(crate) wire: String,
    /// The Rust type as written (`Vec<ContentBlock>`).
    pub(crate) ty: String,
    /// In `required { }` rather than `optional { }`.
    pub(crate) required: bool,
}

/// What a macro invocation defines.
#[derive(Debug, Clone)]
pub(crate) enum Shape {
    /// `object!`: its fields in order.
    Object(Vec<Field>),
    /// `tagged_union!`: `(wire tag, inner type)` per arm.
    Union(Vec<(String, String)>),
    /// `string_enum!`: the wire values.
    Enum(Vec<String>),
    /// A hand-written enum decoded by the JSON's form (a string or an
    /// object, a list or an error): its variants.
    Untagged(Vec<Variant>),
}

/// A variant of a [`Shape::Untagged`] enum.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    /// The type it holds, as written; `None` for a unit variant.
    pub(crate) inner: Option<String>,
    /// The string a unit variant is written as, when its `Serialize` impl
    /// says (`"all"`).
    pub(crate) literal: Option<String>,
}

/// A type of the crates, with the file that defines it.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// The file, relative to the workspace root.
    pub(crate) file: String,
    /// Its shape.
    pub(crate) shape: Shape,
}

/// Every macro-defined type under `dir` (recursively), by name; `root` is
/// what file names are relative to.
pub(crate) fn scan(root: &Path, dir: &Path) -> Result<BTreeMap<String, Item>, String> {
    let mut items = BTreeMap::new();
    scan_into(root, dir, false, &mut items)?;
    Ok(items)
}

/// [`scan`], and the hand-written types of the forms `rust_hand` reads (a
/// macro-defined type of the same name wins).
pub(crate) fn scan_with_hand(root: &Path, dir: &Path) -> Result<BTreeMap<String, Item>, String> {
    let mut items = BTreeMap::new();
    scan_into(root, dir, true, &mut items)?;
    Ok(items)
}

fn scan_into(
    root: &Path,
    dir: &Path,
    hand: bool,
    items: &mut BTreeMap<String, Item>,
) -> Result<(), String> {
    let mut files = Vec::new();
    for path in super::files_below(dir)? {
        if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let file = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            files.push((file, text));
        }
    }
    // A local macro is used by the modules below the one defining it.
    let cleans: Vec<String> = files.iter().map(|(_, text)| strip(text)).collect();
    let macros: Vec<(String, &str)> = cleans.iter().flat_map(|c| hand::local_macros(c)).collect();
    for ((file, text), clean) in files.iter().zip(&cleans) {
        for (name, shape) in parse_file(text).map_err(|e| format!("{file}: {e}"))? {
            items.insert(
                name,
                Item {
                    file: file.clone(),
                    shape,
                },
            );
        }
        if hand {
            let found = hand::parse(text, clean, &macros).map_err(|e| format!("{file}: {e}"))?;
            for (name, shape) in found {
                items.entry(name).or_insert_with(|| Item {
                    file: file.clone(),
                    shape,
                });
            }
        }
    }
    Ok(())
}

/// The macro invocations of one file's text.
pub(crate) fn parse_file(text: &str) -> Result<Vec<(String, Shape)>, String> {
    let clean = strip(text);
    let mut out = Vec::new();
    for (line_start, line) in line_offsets(&clean) {
        let trimmed = line.trim_start();
        let kind = ["object!", "tagged_union!", "string_enum!"]
            .into_iter()
            .find(|k| trimmed.starts_with(k) && trimmed[k.len()..].trim_start().starts_with('{'));
        let Some(kind) = kind else { continue };
        let open = line_start + line.find('{').unwrap_or(0);
        let body = block(&clean, open).ok_or_else(|| format!("unbalanced `{kind}`"))?;
        let (name, inner) = header(body).ok_or_else(|| format!("`{kind}` without a name"))?;
        let shape = match kind {
            "object!" => Shape::Object(object_fields(inner)?),
            "tagged_union!" => Shape::Union(union_arms(inner)),
            _ => Shape::Enum(enum_values(inner)),
        };
        out.push((name, shape));
    }
    out.extend(local_objects(&clean)?);
    // The templates inside local macros (`pub struct $name`) name nothing.
    out.retain(|(name, _)| !name.is_empty());
    Ok(out)
}

/// The objects stamped by a local macro that makes one `object!` per name
/// it is given (`macro_rules! m { ($(... $name:ident;)+) => {$(object! {
/// pub struct $name { ... } })+} }`, invoked as `m! { A; B; }`): each
/// name, read as the macro's object with `$name` replaced.
fn local_objects(clean: &str) -> Result<Vec<(String, Shape)>, String> {
    let mut out = Vec::new();
    for (name, body) in hand::local_macros(clean) {
        let template = body
            .find("object!")
            .and_then(|at| body[at..].find('{').map(|open| at + open))
            .and_then(|open| block(body, open));
        let Some(template) = template.filter(|_| body.contains("$name:ident;")) else {
            continue;
        };
        for list in hand::invocations(clean, &name) {
            for item in list.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let text = template.replace("$name", item);
                let (type_name, inner) = header(&text)
                    .ok_or_else(|| format!("`{name}!` does not make a `pub struct`"))?;
                out.push((type_name, Shape::Object(object_fields(inner)?)));
            }
        }
    }
    Ok(out)
}

/// The text without comments and `#[...]` attributes, same line breaks.
fn strip(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            out.push(c);
            if c == '\\' && i + 1 < bytes.len() {
                out.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            if c == '"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if c == '"' {
            in_string = true;
            out.push(c);
            i += 1;
        } else if c == '/' && bytes.get(i + 1) == Some(&'/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '#' && bytes.get(i + 1) == Some(&'[') {
            let mut depth = 0;
            while i < bytes.len() {
                match bytes[i] {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    '\n' => out.push('\n'),
                    _ => {}
                }
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}

/// The text inside the braces that open at byte `open`.
fn block(text: &str, open: usize) -> Option<&str> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[open + 1..open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// `(name, body)` of `pub struct Name { body }` / `pub enum Name { body }`.
fn header(body: &str) -> Option<(String, &str)> {
    let at = body
        .find("pub struct ")
        .map(|i| i + 11)
        .or_else(|| body.find("pub enum ").map(|i| i + 9))?;
    let rest = &body[at..];
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let open = at + rest.find('{')?;
    Some((name, block(body, open)?))
}

fn object_fields(body: &str) -> Result<Vec<Field>, String> {
    let mut fields = Vec::new();
    for (section, required) in [("required", true), ("optional", false)] {
        let at =
            find_word(body, section).ok_or_else(|| format!("object without `{section} {{}}`"))?;
        let open = at + body[at..].find('{').ok_or("no `{` after a section")?;
        let inner = block(body, open).ok_or("unbalanced section")?;
        for entry in split_top(inner) {
            let Some((name, rest)) = entry.split_once(':') else {
                continue;
            };
            let name = name.trim().trim_start_matches("pub ").trim();
            let (ty, wire) = match rest.rsplit_once('=') {
                Some((ty, wire)) if wire.trim().starts_with('"') => {
                    (ty.trim(), wire.trim().trim_matches('"'))
                }
                _ => (rest.trim(), name),
            };
            fields.push(Field {
                wire: wire.to_owned(),
                ty: ty.to_owned(),
                required,
            });
        }
    }
    Ok(fields)
}

/// The offset of `word` as a whole word.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if boundary(before) && boundary(after) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Splits on commas outside `<>`, `()`, `[]`, `{}` and strings.
fn split_top(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut in_string = false;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        if in_string {
            if c == '"' && prev != '\\' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '<' | '(' | '[' | '{' => depth += 1,
                '>' if prev != '=' && prev != '-' => depth -= 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        prev = c;
    }
    out.push(&text[start..]);
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

fn union_arms(body: &str) -> Vec<(String, String)> {
    split_top(body)
        .into_iter()
        .filter_map(|entry| {
            let (wire, rest) = entry.split_once("=>")?;
            let inner = rest.split_once('(')?.1.rsplit_once(')')?.0;
            Some((
                wire.trim().trim_matches('"').to_owned(),
                inner.trim().to_owned(),
            ))
        })
        .collect()
}

fn enum_values(body: &str) -> Vec<String> {
    split_top(body)
        .into_iter()
        .filter_map(|entry| {
            let (_, wire) = entry.split_once("=>")?;
            Some(wire.trim().trim_matches('"').to_owned())
        })
        .collect()
}

/// The type a field's Rust type names, through `Option`, `Vec`, `Box` and
/// maps: `Option<Vec<crate::ContentBlock>>` is `ContentBlock`.
pub(crate) fn inner_type(ty: &str) -> String {
    let mut t = ty.trim();
    while let Some(open) = t.find('<') {
        let head = t[..open].rsplit("::").next().unwrap_or("").trim();
        let args = t[open + 1..]
            .trim_end()
            .strip_suffix('>')
            .unwrap_or(&t[open + 1..]);
        t = match head {
            "Option" | "Vec" | "Box" | "Arc" => args,
            "BTreeMap" | "HashMap" | "IndexMap" => args.rsplit_once(',').map_or(args, |(_, v)| v),
            _ => &t[..open],
        }
        .trim();
    }
    t.rsplit("::").next().unwrap_or(t).trim().to_owned()
}

#[path = "rust_hand.rs"]
mod hand;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_macros_with_wire_names_and_optionality() {
        let text = r#"
object! {
    /// Doc with a // inside and "quotes".
    #[derive(Default)]
    pub struct Thing {
        required {
            /// A.
            kind: Vec<Option<Kind>> = "type",
            text: String,
        }
        optional {
            map: BTreeMap<String, Value>,
        }
    }
}
string_enum! {
    pub enum Kind {
        /// X.
        A => "a",
        B => "b",
    }
}
tagged_union! {
    pub enum Block {
        "text" => Text(TextBlock),
    }
}
"#;
        let items = parse_file(text).unwrap();
        assert_eq!(items.len(), 3);
        let Shape::Object(fields) = &items[0].1 else {
            panic!()
        };
        assert_eq!(items[0].0, "Thing");
        let summary: Vec<_> = fields
            .iter()
            .map(|f| (f.wire.as_str(), f.required))
            .collect();
        assert_eq!(summary, [("type", true), ("text", true), ("map", false)]);
        assert_eq!(inner_type(&fields[0].ty), "Kind");
        assert_eq!(inner_type(&fields[2].ty), "Value");
        let Shape::Enum(values) = &items[1].1 else {
            panic!()
        };
        assert_eq!(values, &["a", "b"]);
        let Shape::Union(arms) = &items[2].1 else {
            panic!()
        };
        assert_eq!(arms, &[("text".to_owned(), "TextBlock".to_owned())]);
    }
}
