//! Profiles on disk: `configs/<profile>.json` (settings) and
//! `credentials/<profile>.json` (tokens), read and written as the official
//! SDKs do.

use std::io::Write;
use std::path::{Path, PathBuf};

use claude_rs_types::Secret;
use serde_json::{Map, Value};

use super::env::{Env, check_profile_name, expand_home};
use super::error::{CredentialStep, CredentialsError};

/// How a profile authenticates (`authentication.type`).
#[derive(Debug, Clone)]
pub(crate) enum ProfileAuth {
    /// `oidc_federation`: a jwt-bearer exchange of an identity token.
    Federation {
        rule_id: Option<String>,
        service_account_id: Option<String>,
        /// The identity token file, or why there is none.
        identity_file: Result<PathBuf, String>,
    },
    /// `user_oauth`: the token in the credentials file, refreshed with its
    /// refresh token when the profile names a `client_id`.
    UserOAuth { client_id: Option<String> },
    /// Any other type: refused at the first token request.
    Unknown(String),
}

/// A profile's settings, with the environment filling its empty fields.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub(crate) name: String,
    pub(crate) base_url: Option<String>,
    pub(crate) organization_id: Option<String>,
    pub(crate) workspace_id: Option<String>,
    pub(crate) auth: ProfileAuth,
    pub(crate) credentials_path: PathBuf,
}

/// Where the config of `name` lives.
pub(crate) fn config_path(dir: &Path, name: &str) -> Result<PathBuf, CredentialsError> {
    check_profile_name(name)?;
    Ok(dir.join("configs").join(format!("{name}.json")))
}

/// The active profile's name: the `active_config` pointer, else `default`.
/// Also says whether the pointer exists (non-empty).
pub(crate) fn active_name(dir: &Path) -> (String, bool) {
    match std::fs::read_to_string(dir.join("active_config")) {
        Ok(text) if !text.trim().is_empty() => (text.trim().to_owned(), true),
        _ => ("default".to_owned(), false),
    }
}

fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Loads profile `name` from `dir`.
pub(crate) fn load(env: &Env, dir: &Path, name: &str) -> Result<Profile, CredentialsError> {
    let path = config_path(dir, name)?;
    let fail = |why: String| CredentialsError::new(CredentialStep::ConfigFile, why).at(&path);
    let text = read_checked(&path, 0o022, false).map_err(&fail)?;
    let Ok(Value::Object(top)) = serde_json::from_str::<Value>(&text) else {
        return Err(fail("not a JSON object".to_owned()));
    };
    let Some(Value::Object(auth)) = top.get("authentication") else {
        return Err(fail("no \"authentication\" object".to_owned()));
    };
    let fill = |value: Option<String>, var: &str| value.or_else(|| env.get(var).map(str::to_owned));
    let kind = auth.get("type").and_then(Value::as_str).unwrap_or_default();
    let profile_auth = match kind {
        "oidc_federation" => {
            let identity_file = match auth.get("identity_token") {
                Some(Value::Object(source)) => match (
                    source.get("source").and_then(Value::as_str),
                    string(source, "path"),
                ) {
                    (Some("file"), Some(p)) => Ok(expand_home(env, &p)),
                    (Some("file"), None) => Err("identity_token.path is empty".to_owned()),
                    (other, _) => Err(format!(
                        "identity_token.source {other:?} is not supported (expected \"file\")"
                    )),
                },
                _ => env
                    .get("ANTHROPIC_IDENTITY_TOKEN_FILE")
                    .map(PathBuf::from)
                    .ok_or_else(|| {
                        "No identity token file path given: set authentication.identity_token \
                         or ANTHROPIC_IDENTITY_TOKEN_FILE"
                            .to_owned()
                    }),
            };
            ProfileAuth::Federation {
                rule_id: fill(
                    string(auth, "federation_rule_id"),
                    "ANTHROPIC_FEDERATION_RULE_ID",
                ),
                service_account_id: fill(
                    string(auth, "service_account_id"),
                    "ANTHROPIC_SERVICE_ACCOUNT_ID",
                ),
                identity_file,
            }
        }
        "user_oauth" => ProfileAuth::UserOAuth {
            client_id: string(auth, "client_id"),
        },
        other => ProfileAuth::Unknown(other.to_owned()),
    };
    let credentials_path = match string(auth, "credentials_path") {
        Some(p) => expand_home(env, &p),
        None => dir.join("credentials").join(format!("{name}.json")),
    };
    Ok(Profile {
        name: name.to_owned(),
        base_url: fill(string(&top, "base_url"), "ANTHROPIC_BASE_URL")
            .map(|u| u.trim_end_matches('/').to_owned()),
        organization_id: fill(string(&top, "organization_id"), "ANTHROPIC_ORGANIZATION_ID"),
        workspace_id: fill(string(&top, "workspace_id"), "ANTHROPIC_WORKSPACE_ID"),
        auth: profile_auth,
        credentials_path,
    })
}

/// Reads a file refusing, on Unix, permission bits in `forbidden` and (for
/// secrets) a symlink.
fn read_checked(path: &Path, forbidden: u32, no_symlink: bool) -> Result<String, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if no_symlink && meta.file_type().is_symlink() {
        return Err("is a symlink; a credentials file must be a regular file".to_owned());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & forbidden != 0 {
            return Err(format!(
                "permissions {mode:o} are too open (no bits of {forbidden:o} allowed)"
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = forbidden;
    std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))
}

/// The content of a credentials file: its token fields, and every member
/// (kept when the file is rewritten).
pub(crate) struct StoredToken {
    pub(crate) access_token: Option<Secret>,
    pub(crate) expires_at: Option<i64>,
    pub(crate) refresh_token: Option<Secret>,
    pub(crate) members: Map<String, Value>,
}

/// Reads a credentials file (again on every call: a daemon may rotate it).
pub(crate) fn read_token(path: &Path) -> Result<StoredToken, CredentialsError> {
    let fail = |why: String| CredentialsError::new(CredentialStep::CredentialsFile, why).at(path);
    let text = read_checked(path, 0o077, true).map_err(fail)?;
    let Ok(Value::Object(members)) = serde_json::from_str::<Value>(&text) else {
        return Err(fail("not a JSON object".to_owned()));
    };
    if let Some(kind) = members.get("type")
        && kind.as_str() != Some("oauth_token")
    {
        return Err(fail("\"type\" must be \"oauth_token\"".to_owned()));
    }
    let expires_at = match members.get("expires_at") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_i64()
                .ok_or_else(|| fail("\"expires_at\" must be whole Unix seconds".to_owned()))?,
        ),
        Some(Value::String(s)) => Some(s.trim().parse::<i64>().map_err(|_| {
            fail("\"expires_at\" must be whole Unix seconds, not a date".to_owned())
        })?),
        Some(_) => return Err(fail("\"expires_at\" must be whole Unix seconds".to_owned())),
    };
    let secret = |key: &str| string(&members, key).map(Secret::new);
    Ok(StoredToken {
        access_token: secret("access_token"),
        expires_at,
        refresh_token: secret("refresh_token"),
        members,
    })
}

/// Writes a credentials file atomically: a private temp file in the same
/// directory (mode 0600), synced, renamed over the target.
pub(crate) fn write_token(
    path: &Path,
    members: &Map<String, Value>,
) -> Result<(), CredentialsError> {
    let fail = |why: String| CredentialsError::new(CredentialStep::WriteCredentials, why).at(path);
    let dir = path.parent().unwrap_or(Path::new("."));
    if !dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .map_err(|e| fail(format!("cannot create the directory: {e}")))?;
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("credentials");
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temp = dir.join(format!(".{name}.{}{unique}.tmp", std::process::id()));
    let mut bytes = serde_json::to_vec_pretty(members).unwrap_or_default();
    bytes.push(b'\n');
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(format!("cannot write: {e}")));
    }
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
