//! Profiles: federation with its disk cache, user OAuth with and without
//! refresh, file permissions.

use std::time::{SystemTime, UNIX_EPOCH};

use claude_rs_client::credentials::CredentialStep;
use claude_rs_mock::MockServer;
use serde_json::{Value, json};

use super::*;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn user_oauth(dir: &TempDir, base: &str, client_id: Option<&str>, credentials: Value) {
    let mut auth = json!({"type": "user_oauth"});
    if let Some(id) = client_id {
        auth["client_id"] = json!(id);
    }
    let config = json!({"base_url": base, "workspace_id": "wrkspc_01", "authentication": auth});
    dir.write("configs/me.json", &config.to_string(), 0o600);
    dir.write("credentials/me.json", &credentials.to_string(), 0o600);
}

#[tokio::test]
async fn a_federation_profile_caches_its_token_on_disk_for_the_next_client() {
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .start()
        .await;
    let dir = TempDir::new();
    let token = dir.write("id.jwt", JWT, 0o600);
    let config = json!({
        "organization_id": ORG,
        "authentication": {"type": "oidc_federation", "federation_rule_id": RULE,
            "identity_token": {"source": "file", "path": token}},
    });
    dir.write("configs/default.json", &config.to_string(), 0o644);
    // ANTHROPIC_BASE_URL fills the profile's missing base URL.
    let env = [
        ("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap()),
        ("ANTHROPIC_BASE_URL", server.base_url()),
    ];
    call(&with_env(&env).build().unwrap()).await.unwrap();
    let cached = dir.path().join("credentials/default.json");
    let stored = read_json(&cached);
    assert_eq!(stored["type"], "oauth_token");
    assert!(stored["expires_at"].as_i64().unwrap() > now() + 3000);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cached).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // A second client (another process, say) uses the cached token.
    call(&with_env(&env).build().unwrap()).await.unwrap();
    assert_eq!(exchanges(&server).len(), 1);
    let sent = api_calls(&server);
    assert_eq!(
        sent[0].header("authorization"),
        sent[1].header("authorization")
    );
}

#[tokio::test]
async fn a_user_oauth_profile_refreshes_an_expired_token_and_rotates_the_refresh_token() {
    let server = MockServer::builder()
        .oauth_client("client-01", "refresh-SECRET-1")
        .start()
        .await;
    let dir = TempDir::new();
    let stored = json!({"version": "1.0", "type": "oauth_token", "access_token": "old-token",
        "expires_at": now() - 10, "refresh_token": "refresh-SECRET-1", "note": "kept"});
    user_oauth(&dir, server.base_url(), Some("client-01"), stored);
    let client = with_env(&[("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap())])
        .profile("me")
        .build()
        .unwrap();
    call(&client).await.unwrap();

    let exchange = &exchanges(&server)[0];
    assert_eq!(exchange.header("anthropic-beta"), Some("oauth-2025-04-20"));
    assert_eq!(
        exchange.json.as_ref().unwrap(),
        &json!({"grant_type": "refresh_token", "refresh_token": "refresh-SECRET-1", "client_id": "client-01"})
    );
    let sent = &api_calls(&server)[0];
    assert_eq!(sent.header("anthropic-workspace-id"), Some("wrkspc_01"));
    assert!(
        sent.header("authorization")
            .unwrap()
            .starts_with("Bearer sk-ant-oat01-mock-")
    );
    let rewritten = read_json(&dir.path().join("credentials/me.json"));
    assert_eq!(rewritten["note"], "kept");
    assert!(
        rewritten["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("sk-ant-ort01-mock-")
    );
    assert!(rewritten["expires_at"].as_i64().unwrap() > now() + 3000);
}

#[tokio::test]
async fn a_user_oauth_profile_without_client_id_serves_the_stored_token() {
    let server = MockServer::start().await;
    let dir = TempDir::new();
    let stored = json!({"access_token": "stored-token", "expires_at": now() + 7200});
    user_oauth(&dir, server.base_url(), None, stored);
    let client = with_env(&[("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap())])
        .profile("me")
        .build()
        .unwrap();
    call(&client).await.unwrap();
    assert_eq!(
        api_calls(&server)[0].header("authorization"),
        Some("Bearer stored-token")
    );
    assert!(exchanges(&server).is_empty());
    // The refusal of a used refresh token is a typed error.
    let stored = json!({"access_token": "x", "expires_at": now() - 1, "refresh_token": "refresh-SECRET-unknown"});
    user_oauth(&dir, server.base_url(), Some("client-01"), stored);
    let client = with_env(&[("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap())])
        .profile("me")
        .build()
        .unwrap();
    let error = call(&client).await.unwrap_err();
    assert_eq!(step(&error), CredentialStep::TokenRefused);
    assert_no_secret(&format!(
        "{error} {error:?} {}",
        CredentialsError::of(&error).unwrap()
    ));
}

#[cfg(unix)]
#[tokio::test]
async fn files_open_to_others_are_refused() {
    let server = MockServer::start().await;
    let dir = TempDir::new();
    let stored = json!({"access_token": "stored-token"});
    user_oauth(&dir, server.base_url(), None, stored);
    let env = [("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap())];
    set_mode(&dir.path().join("credentials/me.json"), 0o644);
    let client = with_env(&env).profile("me").build().unwrap();
    assert_eq!(
        step(&call(&client).await.unwrap_err()),
        CredentialStep::CredentialsFile
    );
    set_mode(&dir.path().join("configs/me.json"), 0o666);
    assert_eq!(
        step(&with_env(&env).profile("me").build().unwrap_err()),
        CredentialStep::ConfigFile
    );
    // A symlinked credentials file is refused too.
    set_mode(&dir.path().join("configs/me.json"), 0o600);
    let real = dir.write("elsewhere.json", r#"{"access_token": "t"}"#, 0o600);
    std::fs::remove_file(dir.path().join("credentials/me.json")).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("credentials/me.json")).unwrap();
    let client = with_env(&env).profile("me").build().unwrap();
    let error = call(&client).await.unwrap_err();
    assert_eq!(step(&error), CredentialStep::CredentialsFile);
    assert!(error.source().unwrap().to_string().contains("symlink"));
    assert!(server.requests().is_empty());
}

use std::error::Error as _;
