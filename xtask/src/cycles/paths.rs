//! One public path per item: no item of a library crate may be reachable
//! under two public paths (`claude_rs_types::Message` and
//! `claude_rs_types::message::Message`), so that docs, errors and users
//! name it one way.
//!
//! Read from the sources, as the cycle check reads them: which modules are
//! public (`pub mod` all the way from the root), and every `pub use` of a
//! public module (nested braces, renames and globs included). An item has
//! a public path where it is defined, when that module is public, and one
//! more for each `pub use` of it in a public module (followed through
//! re-exports of re-exports). A glob of a public module, or of one module
//! into two public places, counts the same way; so does a `pub use` of an
//! item of a crate that is also re-exported whole (`pub use other as x`).
//! `pub(crate)` re-exports and `#[cfg(test)]` modules are not public.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::{code_lines, expand, module_path, resolve, rust_files};

/// A module, as its path from the crate root.
type Module = Vec<String>;

/// What a crate's sources say about its public paths.
#[derive(Debug, Default)]
struct Crate {
    /// Every module that has a file, and whether its declaration is `pub`.
    declared_pub: BTreeMap<Module, bool>,
    /// `(module, exported name) -> (source module, source name)`.
    exports: BTreeMap<(Module, String), (Module, String)>,
    /// `(module, globbed module)` of each `pub use m::*`.
    globs: BTreeSet<(Module, Module)>,
    /// External crates re-exported whole, and `pub use` of their items
    /// `(site module, path)`.
    whole_crates: BTreeSet<String>,
    external_items: Vec<(Module, String)>,
}

/// The items of the crate in `src` that have more than one public path,
/// each described with its paths.
pub(crate) fn duplicates(src: &Path) -> Result<Vec<String>, String> {
    let mut krate = Crate::default();
    krate.declared_pub.insert(Vec::new(), true);
    let mut files = Vec::new();
    for file in rust_files(src)? {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        files.push((module_path(src, &file), text));
    }
    // Modules first: a `pub use` names its source relative to them.
    for (module, text) in &files {
        for line in code_lines(text) {
            if let Some((public, name)) = mod_declaration(&line) {
                let mut child = module.clone();
                child.push(name.to_owned());
                krate.declared_pub.insert(child, public);
            }
        }
    }
    for (module, text) in &files {
        read_exports(&mut krate, module, text);
    }
    Ok(krate.report())
}

/// `pub mod name;` -> `(true, "name")`; `mod name;` -> `(false, "name")`.
fn mod_declaration(line: &str) -> Option<(bool, &str)> {
    let (public, rest) = match line.strip_prefix("pub mod ") {
        Some(rest) => (true, rest),
        None => match line.strip_prefix("pub(") {
            Some(restricted) => (false, restricted.split_once(") mod ")?.1),
            None => (false, line.strip_prefix("mod ")?),
        },
    };
    let name = rest.strip_suffix(';')?;
    Some((public, name.trim()))
}

/// The `pub use` statements of one file.
fn read_exports(krate: &mut Crate, module: &Module, text: &str) {
    let mut statement = String::new();
    for line in code_lines(text) {
        if statement.is_empty() {
            match line.strip_prefix("pub use ") {
                Some(rest) => statement.push_str(rest),
                None => continue,
            }
        } else {
            statement.push_str(&line);
        }
        let Some(end) = statement.find(';') else {
            continue;
        };
        for path in expand(&statement[..end]) {
            krate.add_export(module, &path);
        }
        statement.clear();
    }
}

impl Crate {
    /// Records one expanded `pub use` path of `module` (`a::b@c` for
    /// `a::b as c`).
    fn add_export(&mut self, module: &Module, path: &str) {
        let (path, alias) = match path.split_once('@') {
            Some((path, alias)) => (path, Some(alias)),
            None => (path, None),
        };
        let Some(mut target) = self.resolve(module, path) else {
            // Another crate's item.
            if path.contains("::") {
                self.external_items.push((module.clone(), path.to_owned()));
            } else {
                self.whole_crates.insert(path.to_owned());
            }
            return;
        };
        let Some(name) = target.pop() else {
            return;
        };
        if name == "*" {
            self.globs.insert((module.clone(), target));
            return;
        }
        let exported = alias.unwrap_or(&name).to_owned();
        self.exports
            .insert((module.clone(), exported), (target, name));
    }

    /// A `pub use` path as a path from the crate root, or `None` for
    /// another crate's.
    fn resolve(&self, module: &Module, path: &str) -> Option<Module> {
        if let Some(resolved) = resolve(path, module) {
            return Some(resolved);
        }
        // A path relative to the module: it starts with a child module.
        let first = path.split("::").next()?;
        let mut child = module.clone();
        child.push(first.to_owned());
        if !self.declared_pub.contains_key(&child) {
            return None;
        }
        let mut full = module.clone();
        full.extend(path.split("::").map(str::to_owned));
        Some(full)
    }

    /// Whether `module` can be named from outside the crate.
    fn reachable(&self, module: &[String]) -> bool {
        (0..=module.len()).all(|n| self.declared_pub.get(&module[..n]) == Some(&true))
    }

    /// Where an exported item comes from, following re-exports of
    /// re-exports.
    fn source(&self, site: &(Module, String)) -> (Module, String) {
        let mut current = site.clone();
        for _ in 0..32 {
            match self.exports.get(&current) {
                Some(next) if *next != current => current = next.clone(),
                _ => break,
            }
        }
        current
    }

    /// Every item with more than one public path, described.
    fn report(&self) -> Vec<String> {
        let mut paths: BTreeMap<(Module, String), BTreeSet<String>> = BTreeMap::new();
        for site in self.exports.keys() {
            if !self.reachable(&site.0) {
                continue;
            }
            let source = self.source(site);
            let entry = paths.entry(source.clone()).or_default();
            entry.insert(show(&site.0, &site.1));
            // The definition's own path, when it is public (a module
            // counts as defined by its declaration).
            let mut as_module = source.0.clone();
            as_module.push(source.1.clone());
            let defined_public = match self.declared_pub.get(&as_module) {
                Some(_) => self.reachable(&as_module),
                None => self.reachable(&source.0) && !self.exports.contains_key(&source),
            };
            if defined_public {
                entry.insert(show(&source.0, &source.1));
            }
        }
        let mut out: Vec<String> = paths
            .into_iter()
            .filter(|(_, paths)| paths.len() > 1)
            .map(|((module, name), paths)| {
                let paths: Vec<String> = paths.into_iter().collect();
                format!(
                    "{} has {} public paths: {}",
                    show(&module, &name),
                    paths.len(),
                    paths.join(", ")
                )
            })
            .collect();
        let mut globbed: BTreeMap<&Module, Vec<&Module>> = BTreeMap::new();
        for (site, target) in &self.globs {
            if self.reachable(site) {
                globbed.entry(target).or_default().push(site);
            }
        }
        for (target, sites) in globbed {
            let public = usize::from(self.reachable(target)) + sites.len();
            if public > 1 {
                let sites: Vec<String> = sites.iter().map(|s| show(s, "*")).collect();
                out.push(format!(
                    "every item of {} has {public} public paths: {}{}",
                    show(target, "*"),
                    sites.join(", "),
                    if self.reachable(target) {
                        " and its own"
                    } else {
                        ""
                    }
                ));
            }
        }
        for (site, path) in &self.external_items {
            let first = path.split("::").next().unwrap_or_default();
            if self.reachable(site) && self.whole_crates.contains(first) {
                out.push(format!(
                    "{} is public twice: as {} and through the re-export of the whole crate \
                     `{first}`",
                    path,
                    show(site, path.rsplit("::").next().unwrap_or(path)),
                ));
            }
        }
        out
    }
}

/// `crate::a::b::Name`.
fn show(module: &[String], name: &str) -> String {
    let mut parts = vec!["crate".to_owned()];
    parts.extend(module.iter().cloned());
    parts.push(name.to_owned());
    parts.join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate of `files` (path, text) written to a scratch directory.
    fn check(name: &str, files: &[(&str, &str)]) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("xtask-paths-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let found = duplicates(&dir).unwrap();
        let _ = fs::remove_dir_all(&dir);
        found
    }

    #[test]
    fn a_root_re_export_of_a_public_module_s_item_is_a_second_path() {
        let found = check(
            "root",
            &[
                (
                    "lib.rs",
                    "pub mod message;\nmod secret;\npub use message::Message;\npub use secret::Secret;\n",
                ),
                ("message.rs", "pub struct Message;\n"),
                ("secret.rs", "pub struct Secret;\n"),
            ],
        );
        assert_eq!(
            found,
            ["crate::message::Message has 2 public paths: crate::Message, crate::message::Message"]
        );
    }

    #[test]
    fn private_modules_renames_chains_and_globs_are_followed() {
        let found = check(
            "chain",
            &[
                (
                    "lib.rs",
                    "pub mod tool;\nmod choice;\npub mod content;\nmod text;\n\
                     pub use tool::{Choice as ToolChoice};\npub(crate) use tool::Tool;\n\
                     pub use text::*;\n",
                ),
                (
                    "tool/mod.rs",
                    "pub use crate::choice::Choice;\npub struct Tool;\n",
                ),
                ("choice.rs", "pub struct Choice;\n"),
                ("content.rs", "pub use crate::text::*;\n"),
                ("text.rs", "pub struct Text;\n"),
            ],
        );
        assert_eq!(
            found,
            [
                "crate::choice::Choice has 2 public paths: crate::ToolChoice, crate::tool::Choice",
                "every item of crate::text::* has 2 public paths: crate::*, crate::content::*",
            ]
        );
    }

    #[test]
    fn one_path_each_passes_and_whole_crate_re_exports_are_seen() {
        let clean = check(
            "clean",
            &[
                (
                    "lib.rs",
                    "mod core;\npub use crate::core::client::Client;\npub use http;\n#[cfg(test)]\nmod tests {\n    pub use super::message::Message;\n}\n",
                ),
                ("core/mod.rs", "pub(crate) mod client;\n"),
                ("core/client.rs", "pub struct Client;\n"),
            ],
        );
        assert!(clean.is_empty(), "{clean:?}");
        let twice = check(
            "whole",
            &[(
                "lib.rs",
                "pub use other_crate as other;\npub use other_crate::TIMEOUT;\n",
            )],
        );
        assert_eq!(
            twice,
            [
                "other_crate::TIMEOUT is public twice: as crate::TIMEOUT and through the \
              re-export of the whole crate `other_crate`"
            ]
        );
    }
}
