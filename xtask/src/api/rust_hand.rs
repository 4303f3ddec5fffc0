//! The hand-written types of the types crate, read as text like the macros:
//!
//! - an enum whose variants each hold one type or nothing, with serde
//!   written by hand or `#[serde(untagged)]` (a string or an object, a
//!   list or an error): [`Shape::Untagged`], a unit variant's wire literal
//!   read from its `Serialize` impl (`Self::All => serializer.serialize_str("all")`);
//! - an enum decoded by tag families (`Tool`): the exact tags and the
//!   prefixes of its `FAMILIES` table read from its `Deserialize` impl
//!   (`("custom", _) => from_object::<CustomTool>`,
//!   `(_, Some(0)) => from_object::<BashTool>`), a prefix arm written as
//!   `bash_*`;
//! - an open string newtype whose known values a local macro declares as
//!   constants (`pub const $konst: Model = Model::from_static($id)`): a
//!   string enum of the values of every `NAME = "value"` of its invocation;
//! - the types a local macro of one rule stamps through the macros above,
//!   invoked with names, literals and one `{ tokens }` group
//!   (`m! { Name, family = 0, { fields } }`): its template with what each
//!   invocation gives put in.

use super::{Shape, Variant, block, parse_file, split_top};

/// The hand-written types of one file (`raw` as written, `clean` without
/// comments and attributes).
/// `macros` are the local macros of every file (`local_macros`).
pub(super) fn parse(
    raw: &str,
    clean: &str,
    macros: &[(String, &str)],
) -> Result<Vec<(String, Shape)>, String> {
    let mut out = Vec::new();
    out.extend(enums(raw, clean));
    out.extend(catalogues(clean, macros));
    out.extend(block_macros(clean, macros)?);
    Ok(out)
}

/// Top-level (unindented) `pub enum`s in one of the two serde forms.
fn enums(raw: &str, clean: &str) -> Vec<(String, Shape)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = clean[at..].find("\npub enum ") {
        let start = at + found + "\npub enum ".len();
        at = start;
        let name: String = clean[start..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(body) = clean[start..]
            .find('{')
            .and_then(|o| block(clean, start + o))
        else {
            continue;
        };
        if let Some(arms) = family_arms(clean, &name) {
            out.push((name, Shape::Union(arms)));
            continue;
        }
        let by_hand = clean.contains(&format!("Serialize for {name} "))
            || clean.contains(&format!("Deserialize<'de> for {name} "))
            || untagged_attribute(raw, &name);
        if !by_hand {
            continue;
        }
        let mut variants = Vec::new();
        let mut plain = true;
        for entry in split_top(body) {
            let entry = entry.trim();
            let (variant, inner) = match entry.split_once('(') {
                Some((v, rest)) => (v.trim(), rest.rsplit_once(')').map(|(t, _)| t.trim())),
                None => (entry, None),
            };
            if variant.contains(['{', '=', ' ']) || inner.is_some_and(|t| t.contains(',')) {
                plain = false;
                break;
            }
            let literal = inner.is_none().then(|| unit_literal(clean, &name, variant));
            variants.push(Variant {
                inner: inner.map(str::to_owned),
                literal: literal.flatten(),
            });
        }
        if plain && !variants.is_empty() {
            out.push((name, Shape::Untagged(variants)));
        }
    }
    out
}

/// Whether the attributes right above `pub enum name` say `untagged`.
fn untagged_attribute(raw: &str, name: &str) -> bool {
    let Some(at) = raw.find(&format!("\npub enum {name} ")) else {
        return false;
    };
    raw[..at]
        .lines()
        .rev()
        .take_while(|l| l.trim_start().starts_with("#[") || l.trim_start().starts_with("///"))
        .any(|l| l.contains("#[serde(untagged)]"))
}

/// The string a unit variant is written as, from the `Serialize` impl.
fn unit_literal(clean: &str, name: &str, variant: &str) -> Option<String> {
    ["Self", name].into_iter().find_map(|owner| {
        let arm = format!("{owner}::{variant} => serializer.serialize_str(\"");
        let at = clean.find(&arm)? + arm.len();
        Some(clean[at..].split('"').next()?.to_owned())
    })
}

/// The arms of an enum decoded by tag families: `None` unless its
/// `Deserialize` impl dispatches on `(tag, family)` with `from_object`.
fn family_arms(clean: &str, name: &str) -> Option<Vec<(String, String)>> {
    let impl_at = clean.find(&format!("Deserialize<'de> for {name} "))?;
    let body = block(clean, impl_at + clean[impl_at..].find('{')?)?;
    if !body.contains("from_object::<") {
        return None;
    }
    let prefixes = family_prefixes(clean)?;
    let mut arms = Vec::new();
    for line in body.lines().map(str::trim) {
        let Some((pattern, rest)) = line.split_once("=> from_object::<") else {
            continue;
        };
        let ty: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let pattern = pattern.trim().strip_prefix('(')?.strip_suffix(')')?;
        let (tag, family) = pattern.split_once(',')?;
        let wire = match (tag.trim(), family.trim()) {
            (tag, "_") if tag.starts_with('"') => tag.trim_matches('"').to_owned(),
            ("_", family) => {
                let index: usize = family
                    .strip_prefix("Some(")?
                    .strip_suffix(')')?
                    .parse()
                    .ok()?;
                format!("{}*", prefixes.get(index)?)
            }
            _ => return None,
        };
        arms.push((wire, ty));
    }
    Some(arms)
}

/// The first string of each tuple of the file's `FAMILIES` table.
fn family_prefixes(clean: &str) -> Option<Vec<String>> {
    let at = clean.find("const FAMILIES")?;
    let open = at + clean[at..].find("&[")? + 1;
    let close = open + clean[open..].find("];")?;
    Some(
        split_top(&clean[open + 1..close])
            .into_iter()
            .filter_map(|tuple| Some(tuple.split('"').nth(1)?.to_owned()))
            .collect(),
    )
}

/// Open string newtypes whose values a local macro declares as constants.
fn catalogues(clean: &str, macros: &[(String, &str)]) -> Vec<(String, Shape)> {
    let mut out = Vec::new();
    for (name, body) in macros {
        let marker = "pub const $";
        let Some(ty) = body.find(marker).and_then(|at| {
            let rest = &body[at + marker.len()..];
            let ty: String = rest
                .split_once(':')?
                .1
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            rest.contains(&format!("= {ty}::from_static($"))
                .then_some(ty)
        }) else {
            continue;
        };
        let mut values = Vec::new();
        for list in invocations(clean, name) {
            let mut rest = list;
            while let Some(at) = rest.find(" = \"") {
                let before = rest[..at].chars().next_back();
                rest = &rest[at + 4..];
                if before.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                    values.extend(rest.split('"').next().map(str::to_owned));
                }
            }
        }
        if !values.is_empty() {
            out.push((ty, Shape::Enum(values)));
        }
    }
    out
}

/// Local macros with one rule that stamps macro types, invoked with names,
/// literals and one `{ tokens }` group (`m! { Name, family = 0, { .. } }`):
/// each invocation, its template with what it was given put in, read as a
/// file of its own.
fn block_macros(clean: &str, macros: &[(String, &str)]) -> Result<Vec<(String, Shape)>, String> {
    let mut out = Vec::new();
    for (name, body) in macros {
        let Some(open) = body.find('(') else { continue };
        let Some(arrow) = body.find("=>") else {
            continue;
        };
        let Some(matcher) = body[open + 1..arrow].trim_end().strip_suffix(')') else {
            continue;
        };
        let Some(pattern) = tokens(matcher) else {
            continue;
        };
        let stamps = ["object!", "tagged_union!", "string_enum!"];
        let Some(template) = body[arrow..]
            .find('{')
            .and_then(|o| block(body, arrow + o))
            .filter(|t| stamps.iter().any(|s| t.contains(s)))
        else {
            continue;
        };
        for call in invocations(clean, name) {
            let given = tokens(call).unwrap_or_default();
            let bound = bind(&pattern, &given)
                .ok_or_else(|| format!("`{name}!` invoked with what its rule does not take"))?;
            let mut text = template.to_owned();
            for (capture, value) in &bound {
                text = text.replace(&format!("$(${capture})*"), value);
            }
            let mut by_length: Vec<_> = bound.iter().collect();
            by_length.sort_by_key(|(capture, _)| std::cmp::Reverse(capture.len()));
            for (capture, value) in by_length {
                text = text.replace(&format!("${capture}"), value);
            }
            out.extend(parse_file(&text)?);
        }
    }
    Ok(out)
}

/// A token of a macro rule's matcher or of an invocation.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// A word, number or punctuation.
    Plain(&'a str),
    /// A string literal, quotes included.
    Literal(&'a str),
    /// `$name:kind` (matcher only).
    Capture(&'a str, &'a str),
    /// `{ $($name:tt)* }` (matcher only): the group's tokens.
    Tokens(&'a str),
    /// `{ ... }` (invocation only): the text inside.
    Group(&'a str),
}

/// The tokens of `text`; `None` for a form not read (a repetition other
/// than the attributes' `$(#[...])*`, which `strip` leaves as `$()*`).
fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let rest = &text[i..];
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("$()*") {
            i += 4;
        } else if c == b'$' {
            let (name, kind) = rest[1..].split_once(':')?;
            let kind: &str = &kind[..kind
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .unwrap_or(kind.len())];
            if name.contains(|c: char| !c.is_alphanumeric() && c != '_') {
                return None;
            }
            out.push(Token::Capture(name, kind));
            i += 1 + name.len() + 1 + kind.len();
        } else if c == b'{' {
            let inner = block(text, i)?;
            let trimmed = inner.trim();
            match trimmed.strip_prefix("$($") {
                Some(capture) if trimmed.ends_with(":tt)*") => {
                    out.push(Token::Tokens(capture.split(':').next()?));
                }
                _ => out.push(Token::Group(inner)),
            }
            i += inner.len() + 2;
        } else if c == b'"' {
            let end = rest[1..].find('"')? + 2;
            out.push(Token::Literal(&rest[..end]));
            i += end;
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            let end = rest
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .unwrap_or(rest.len());
            out.push(Token::Plain(&rest[..end]));
            i += end;
        } else {
            out.push(Token::Plain(&rest[..1]));
            i += 1;
        }
    }
    Some(out)
}

/// What each capture of `pattern` takes from `given`; `None` when they do
/// not match.
fn bind<'a>(pattern: &[Token<'a>], given: &[Token<'a>]) -> Option<Vec<(&'a str, &'a str)>> {
    if pattern.len() != given.len() {
        return None;
    }
    let mut bound = Vec::new();
    for (want, got) in pattern.iter().zip(given) {
        match (want, got) {
            (Token::Capture(name, "ident"), Token::Plain(word))
            | (Token::Capture(name, "literal"), Token::Plain(word) | Token::Literal(word))
            | (Token::Tokens(name), Token::Group(word)) => bound.push((*name, *word)),
            (a, b) if a == b => {}
            _ => return None,
        }
    }
    Some(bound)
}

/// `(name, body)` of each `macro_rules!` of the text.
pub(super) fn local_macros(clean: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = clean[from..].find("macro_rules!") {
        from += found + "macro_rules!".len();
        let rest = &clean[from..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if let Some(body) = rest.find('{').and_then(|open| block(clean, from + open)) {
            out.push((name, body));
        }
    }
    out
}

/// The text inside the braces of each top-level `name! { ... }`.
pub(super) fn invocations<'a>(clean: &'a str, name: &str) -> Vec<&'a str> {
    let call = format!("\n{name}! {{");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = clean[at..].find(&call) {
        let open = at + found + call.len() - 1;
        at = open;
        out.extend(block(clean, open));
    }
    out
}

#[cfg(test)]
#[path = "rust_hand_tests.rs"]
mod tests;
