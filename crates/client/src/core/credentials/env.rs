//! The variables the chain reads, the config directory and profile names.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::error::{CredentialStep, CredentialsError};

/// Every variable the credential chain reads, and the admin key's.
pub(crate) const VARIABLES: [&str; 17] = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_ADMIN_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_PROFILE",
    "ANTHROPIC_CONFIG_DIR",
    "ANTHROPIC_IDENTITY_TOKEN_FILE",
    "ANTHROPIC_IDENTITY_TOKEN",
    "ANTHROPIC_FEDERATION_RULE_ID",
    "ANTHROPIC_ORGANIZATION_ID",
    "ANTHROPIC_SERVICE_ACCOUNT_ID",
    "ANTHROPIC_WORKSPACE_ID",
    "ANTHROPIC_SCOPE",
    "ANTHROPIC_BASE_URL",
    "HOME",
    "APPDATA",
    "USERPROFILE",
    "ANTHROPIC_CUSTOM_HEADERS",
];

/// The chain's variables, read once when the builder is made. `live`
/// says they come from the process, so `ANTHROPIC_IDENTITY_TOKEN` is read
/// again at each exchange (a rotated value is picked up).
#[derive(Clone, Default)]
pub(crate) struct Env {
    values: Arc<HashMap<&'static str, String>>,
    live: bool,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names only: values may be secrets.
        let mut names: Vec<_> = self.values.keys().collect();
        names.sort();
        f.debug_struct("Env")
            .field("set", &names)
            .field("live", &self.live)
            .finish()
    }
}

impl Env {
    pub(crate) fn read(lookup: impl Fn(&str) -> Option<String>, live: bool) -> Self {
        let values = VARIABLES
            .iter()
            .filter_map(|name| lookup(name).map(|value| (*name, value)))
            .collect();
        Self {
            values: Arc::new(values),
            live,
        }
    }

    /// A variable's value, if it exists (even empty).
    pub(crate) fn raw(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A variable's value if it is set and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.raw(name).filter(|v| !v.is_empty())
    }

    /// `ANTHROPIC_IDENTITY_TOKEN` now: from the process again when the
    /// variables are the process's.
    pub(crate) fn identity_token_now(&self) -> Option<String> {
        if self.live {
            std::env::var("ANTHROPIC_IDENTITY_TOKEN").ok()
        } else {
            self.raw("ANTHROPIC_IDENTITY_TOKEN").map(str::to_owned)
        }
    }

    /// The config directory: `ANTHROPIC_CONFIG_DIR`, else
    /// `~/.config/anthropic` (Linux and macOS) or `%APPDATA%\Anthropic`
    /// (Windows). `None` when no home directory is known.
    pub(crate) fn config_dir(&self) -> Option<PathBuf> {
        if let Some(dir) = self.get("ANTHROPIC_CONFIG_DIR") {
            return Some(PathBuf::from(dir));
        }
        if cfg!(windows) {
            if let Some(appdata) = self.get("APPDATA") {
                return Some(Path::new(appdata).join("Anthropic"));
            }
            let home = self.get("USERPROFILE")?;
            return Some(Path::new(home).join("AppData/Roaming/Anthropic"));
        }
        Some(Path::new(self.get("HOME")?).join(".config/anthropic"))
    }
}

/// Refuses a profile name that could leave the config directory or name
/// an odd file: empty, surrounded by whitespace, starting with `.`, or
/// holding `/`, `\` or NUL.
pub(crate) fn check_profile_name(name: &str) -> Result<(), CredentialsError> {
    let bad = name.is_empty()
        || name.trim() != name
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0'])
        || Path::new(name).components().count() != 1
        || !matches!(
            Path::new(name).components().next(),
            Some(Component::Normal(_))
        );
    if bad {
        return Err(CredentialsError::new(
            CredentialStep::Settings,
            format!(
                "invalid profile name {name:?}: expected a plain file name (no path separators, \
                 no leading dot or whitespace)"
            ),
        ));
    }
    Ok(())
}

/// `~/...` with the home directory put in.
pub(crate) fn expand_home(env: &Env, path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => match env.get("HOME").or_else(|| env.get("USERPROFILE")) {
            Some(home) => Path::new(home).join(rest),
            None => PathBuf::from(path),
        },
        None => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_that_leave_the_directory_are_refused() {
        for bad in ["", " work", "work ", ".hidden", "..", "a/b", "a\\b", "a\0b"] {
            let error = check_profile_name(bad).unwrap_err();
            assert_eq!(error.step, CredentialStep::Settings, "{bad:?}");
        }
        for good in ["default", "work-2", "ci.prod"] {
            check_profile_name(good).unwrap();
        }
    }

    #[test]
    fn the_config_dir_follows_the_variable_then_home() {
        let env = Env::read(|n| (n == "HOME").then(|| "/home/u".to_owned()), false);
        if !cfg!(windows) {
            assert_eq!(
                env.config_dir().unwrap(),
                Path::new("/home/u/.config/anthropic")
            );
        }
        let env = Env::read(
            |n| (n == "ANTHROPIC_CONFIG_DIR").then(|| "/etc/anth".to_owned()),
            false,
        );
        assert_eq!(env.config_dir().unwrap(), Path::new("/etc/anth"));
        assert!(Env::read(|_| None, false).config_dir().is_none() || cfg!(windows));
        assert!(!format!("{env:?}").contains("/etc/anth"));
    }
}
