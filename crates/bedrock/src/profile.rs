//! The shared AWS files (`~/.aws/credentials`, `~/.aws/config`): static keys
//! and the region of a named profile.

use std::collections::HashMap;
use std::path::PathBuf;

use claude_rs_client::{ConfigKind, Error};

use crate::credentials::Credentials;

/// What a profile of the shared files says.
#[derive(Debug, Default)]
pub(crate) struct Profile {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) region: Option<String>,
}

/// The profile to use: `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`, else
/// `default` (botocore's order).
pub(crate) fn selected(lookup: &dyn Fn(&str) -> Option<String>) -> String {
    ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"]
        .into_iter()
        .find_map(|name| lookup(name).filter(|v| !v.trim().is_empty()))
        .map_or_else(|| "default".to_owned(), |v| v.trim().to_owned())
}

/// Reads profile `name` from the credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
/// else `~/.aws/credentials`, sections `[name]`) and the config file
/// (`AWS_CONFIG_FILE`, else `~/.aws/config`, sections `[profile name]` or
/// `[default]`). Keys come from the credentials file first; the region from
/// the config file first. Missing files are not an error; unreadable ones are.
pub(crate) fn load(name: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Profile, Error> {
    let home = lookup("HOME").or_else(|| lookup("USERPROFILE"));
    let path = |var: &str, file: &str| -> Option<PathBuf> {
        lookup(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                home.as_ref()
                    .map(|h| PathBuf::from(h).join(".aws").join(file))
            })
    };
    let credentials = read(path("AWS_SHARED_CREDENTIALS_FILE", "credentials"))?;
    let config = read(path("AWS_CONFIG_FILE", "config"))?;
    let in_credentials = credentials.get(name);
    let config_section = if name == "default" {
        config
            .get("default")
            .or_else(|| config.get("profile default"))
    } else {
        config.get(&format!("profile {name}"))
    };
    let keys = |section: &HashMap<String, String>| {
        let get = |key: &str| section.get(key).filter(|v| !v.is_empty()).cloned();
        Some(Credentials::new(
            get("aws_access_key_id")?,
            get("aws_secret_access_key")?,
            get("aws_session_token"),
        ))
    };
    Ok(Profile {
        credentials: in_credentials
            .and_then(keys)
            .or_else(|| config_section.and_then(keys)),
        region: config_section
            .or(in_credentials)
            .and_then(|s| s.get("region"))
            .filter(|v| !v.is_empty())
            .cloned(),
    })
}

type Sections = HashMap<String, HashMap<String, String>>;

fn read(path: Option<PathBuf>) -> Result<Sections, Error> {
    let Some(path) = path else {
        return Ok(Sections::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(parse(&text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Sections::new()),
        Err(error) => Err(Error::Config {
            kind: ConfigKind::InvalidCredentials,
            message: format!("cannot read the AWS shared file {}", path.display()),
            source: Some(Box::new(error)),
        }),
    }
}

/// The INI dialect of the shared files: `[section]` lines, `key = value`
/// lines, `#` and `;` comments; indented lines (nested settings) are skipped.
fn parse(text: &str) -> Sections {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((key, value))) = (&current, line.split_once('=')) {
            let entry = sections.entry(section.clone()).or_default();
            entry.insert(key.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_and_comments() {
        let parsed = parse(
            "# top\n[default]\naws_access_key_id = AKID\n; note\n[profile  dev ]\nregion=eu-west-1\n\
             s3 =\n  max_concurrent_requests = 2\n",
        );
        assert_eq!(parsed["default"]["aws_access_key_id"], "AKID");
        assert_eq!(parsed["profile dev"]["region"], "eu-west-1");
        assert!(!parsed["profile dev"].contains_key("max_concurrent_requests"));
    }
}
