//! The credential chain against the mock's token endpoint: precedence,
//! federation, profiles, the token cache, and refusals.

#![allow(unreachable_pub)]
mod admin;
mod federation;
mod precedence;
mod profiles;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use claude_rs_client::credentials::CredentialsError;
use claude_rs_client::{Client, ClientBuilder, Error};
use claude_rs_mock::{MockServer, RecordedRequest};
use claude_rs_types::request::{CreateMessageRequest, MessageParam};

pub const RULE: &str = "fdrl_01TestRule";
pub const ORG: &str = "00000000-0000-4000-8000-000000000001";
/// An identity token (JWT-shaped) that must never be printed.
pub const JWT: &str = "eyJhbGciOi.eyJzdWIiOiJTRUNSRVQtSURFTlRJVFkifQ.c2lnbmF0dXJl";
pub const JWT_ROTATED: &str = "eyJhbGciOi.eyJzdWIiOiJST1RBVEVEIn0.c2lnbmF0dXJlMg";

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "claude-rs-creds-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `text` at `relative` with Unix `mode`.
    pub fn write(&self, relative: &str, text: &str, mode: u32) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        set_mode(&path, mode);
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// A builder seeing only `vars`.
pub fn with_env(vars: &[(&str, &str)]) -> ClientBuilder {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    ClientBuilder::from_env_lookup(move |name| map.get(name).cloned())
}

pub fn request() -> CreateMessageRequest {
    CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")])
}

pub async fn call(client: &Client) -> Result<(), Error> {
    client.messages().create(request()).await.map(|_| ())
}

/// The exchanges the mock received.
pub fn exchanges(server: &MockServer) -> Vec<RecordedRequest> {
    server.received("/v1/oauth/token")
}

/// The API requests (not exchanges) the mock received.
pub fn api_calls(server: &MockServer) -> Vec<RecordedRequest> {
    server.received("/v1/messages")
}

pub fn step(error: &Error) -> claude_rs_client::credentials::CredentialStep {
    CredentialsError::of(error)
        .unwrap_or_else(|| panic!("not a credentials error: {error:?}"))
        .step
}

/// Neither the identity tokens nor any issued token in `text`.
pub fn assert_no_secret(text: &str) {
    for secret in [
        JWT,
        JWT_ROTATED,
        "SECRET-IDENTITY",
        "sk-ant-oat01",
        "sk-ant-ort01",
        "refresh-SECRET",
    ] {
        assert!(!text.contains(secret), "{secret} leaked in {text}");
    }
}
