//! Which source wins, with each step of the chain in play.

use claude_rs_client::credentials::CredentialStep;
use claude_rs_client::{ConfigKind, Error};
use claude_rs_mock::MockServer;

use super::*;

/// A federation profile named `name` in `dir`, pointing at `base`.
fn federation_profile(dir: &TempDir, name: &str, base: &str, rule: &str) {
    let token = dir.write("identity.jwt", JWT, 0o600);
    let config = serde_json::json!({
        "version": "1.0",
        "organization_id": ORG,
        "base_url": base,
        "authentication": {
            "type": "oidc_federation",
            "federation_rule_id": rule,
            "identity_token": {"source": "file", "path": token},
        },
    });
    dir.write(&format!("configs/{name}.json"), &config.to_string(), 0o644);
}

#[tokio::test]
async fn static_variables_beat_profiles_and_federation_and_the_key_beats_the_token() {
    let server = MockServer::start().await;
    let dir = TempDir::new();
    let file = dir.write("identity.jwt", JWT, 0o600);
    let base = server.base_url();
    let federation = [
        ("ANTHROPIC_BASE_URL", base),
        ("ANTHROPIC_FEDERATION_RULE_ID", RULE),
        ("ANTHROPIC_ORGANIZATION_ID", ORG),
        ("ANTHROPIC_IDENTITY_TOKEN_FILE", file.to_str().unwrap()),
        ("ANTHROPIC_PROFILE", "work"),
        ("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap()),
    ];
    let mut both = federation.to_vec();
    both.extend([
        ("ANTHROPIC_API_KEY", "sk-env-key"),
        ("ANTHROPIC_AUTH_TOKEN", "env-token"),
    ]);
    call(&with_env(&both).build().unwrap()).await.unwrap();
    let mut token = federation.to_vec();
    token.push(("ANTHROPIC_AUTH_TOKEN", "env-token"));
    call(&with_env(&token).build().unwrap()).await.unwrap();
    // The builder's credential wins over every variable.
    call(
        &with_env(&both)
            .auth_token("explicit-token")
            .build()
            .unwrap(),
    )
    .await
    .unwrap();

    let sent = api_calls(&server);
    assert_eq!(sent[0].header("x-api-key"), Some("sk-env-key"));
    assert_eq!(sent[1].header("authorization"), Some("Bearer env-token"));
    assert_eq!(
        sent[2].header("authorization"),
        Some("Bearer explicit-token")
    );
    assert_eq!(sent[2].header("x-api-key"), None);
    assert!(
        exchanges(&server).is_empty(),
        "no exchange with a static credential"
    );
}

#[tokio::test]
async fn a_named_profile_beats_federation_variables_which_beat_the_active_profile() {
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .federation_rule("fdrl_profile", ORG)
        .start()
        .await;
    let dir = TempDir::new();
    federation_profile(&dir, "work", server.base_url(), "fdrl_profile");
    federation_profile(&dir, "default", server.base_url(), "fdrl_default_unused");
    let file = dir.write("env.jwt", JWT_ROTATED, 0o600);
    let config_dir = dir.path().to_str().unwrap();
    let env = [
        ("ANTHROPIC_BASE_URL", server.base_url()),
        ("ANTHROPIC_FEDERATION_RULE_ID", RULE),
        ("ANTHROPIC_ORGANIZATION_ID", ORG),
        ("ANTHROPIC_IDENTITY_TOKEN_FILE", file.to_str().unwrap()),
        ("ANTHROPIC_CONFIG_DIR", config_dir),
    ];
    let mut named = env.to_vec();
    named.push(("ANTHROPIC_PROFILE", "work"));
    call(&with_env(&named).build().unwrap()).await.unwrap();
    call(&with_env(&env).build().unwrap()).await.unwrap();
    let rules: Vec<_> = exchanges(&server)
        .iter()
        .map(|e| {
            e.json.as_ref().unwrap()["federation_rule_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(rules, ["fdrl_profile", RULE]);

    // Without the federation variables, the active profile (`default`).
    let error = call(
        &with_env(&[("ANTHROPIC_CONFIG_DIR", config_dir)])
            .build()
            .unwrap(),
    )
    .await
    .unwrap_err();
    let refused = CredentialsError::of(&error).unwrap();
    assert_eq!(refused.step, CredentialStep::TokenRefused);
    assert_eq!(refused.status.map(|s| s.as_u16()), Some(401));
    // `active_config` names another profile.
    dir.write("active_config", "work\n", 0o644);
    call(
        &with_env(&[("ANTHROPIC_CONFIG_DIR", config_dir)])
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn an_explicit_profile_replaces_the_variables() {
    let server = MockServer::start().await;
    let dir = TempDir::new();
    federation_profile(&dir, "ci", server.base_url(), RULE);
    let client = with_env(&[
        ("ANTHROPIC_API_KEY", "sk-env-key"),
        ("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap()),
    ])
    .profile("ci")
    .build()
    .unwrap();
    // The profile's base URL is the API's too.
    assert_eq!(client.base_url(), server.base_url());
    call(&client).await.unwrap();
    let sent = api_calls(&server);
    assert_eq!(sent[0].header("x-api-key"), None);
    assert!(
        sent[0]
            .header("authorization")
            .unwrap()
            .starts_with("Bearer sk-ant-oat01-mock-")
    );
    assert_eq!(exchanges(&server).len(), 1);
}

#[tokio::test]
async fn nothing_found_fails_at_the_first_call_and_a_broken_config_dir_at_build() {
    let server = MockServer::start().await;
    let client = with_env(&[]).base_url(server.base_url()).build().unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Config {
                kind: ConfigKind::MissingCredentials,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(server.requests().is_empty());

    // ANTHROPIC_CONFIG_DIR makes the active profile's errors count...
    let dir = TempDir::new();
    let strict = with_env(&[("ANTHROPIC_CONFIG_DIR", dir.path().to_str().unwrap())]).build();
    assert_eq!(step(&strict.unwrap_err()), CredentialStep::ConfigFile);
    // ...while a broken default profile found under HOME is skipped.
    let home = TempDir::new();
    home.write(".config/anthropic/configs/default.json", "{not json", 0o644);
    let lenient = with_env(&[("HOME", home.path().to_str().unwrap())])
        .build()
        .unwrap();
    assert!(matches!(
        call(&lenient).await.unwrap_err(),
        Error::Config { .. }
    ));
    // ...unless `active_config` points at it.
    home.write(".config/anthropic/active_config", "default", 0o644);
    let pointed = with_env(&[("HOME", home.path().to_str().unwrap())]).build();
    assert_eq!(step(&pointed.unwrap_err()), CredentialStep::ConfigFile);
}

#[tokio::test]
async fn bad_profile_names_and_plain_http_token_endpoints_are_refused_at_build() {
    let dir = TempDir::new();
    let config_dir = dir.path().to_str().unwrap();
    for name in ["../etc", ".hidden", " spaced", "a/b"] {
        let error = with_env(&[("ANTHROPIC_CONFIG_DIR", config_dir)])
            .profile(name)
            .build()
            .unwrap_err();
        assert_eq!(step(&error), CredentialStep::Settings, "{name}");
    }
    federation_profile(&dir, "remote", "http://tokens.example.com", RULE);
    let error = with_env(&[("ANTHROPIC_CONFIG_DIR", config_dir)])
        .profile("remote")
        .build()
        .unwrap_err();
    assert_eq!(step(&error), CredentialStep::Settings);
    assert!(error.source().is_some());
    assert!(format!("{}", CredentialsError::of(&error).unwrap()).contains("must use https"));
}

use std::error::Error as _;
