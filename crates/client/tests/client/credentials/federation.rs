//! Workload identity federation from the environment: the exchange on the
//! wire, the cache, rotation of the identity token file, refusals.

use claude_rs_client::credentials::CredentialStep;
use claude_rs_mock::MockServer;

use super::*;

fn federation_env<'a>(server: &'a MockServer, file: &'a Path) -> Vec<(&'a str, &'a str)> {
    vec![
        ("ANTHROPIC_BASE_URL", server.base_url()),
        ("ANTHROPIC_FEDERATION_RULE_ID", RULE),
        ("ANTHROPIC_ORGANIZATION_ID", ORG),
        ("ANTHROPIC_IDENTITY_TOKEN_FILE", file.to_str().unwrap()),
    ]
}

#[tokio::test]
async fn the_jwt_bearer_exchange_is_sent_as_the_official_sdks_send_it() {
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", &format!("  {JWT}\n"), 0o600);
    let mut env = federation_env(&server, &file);
    env.extend([
        ("ANTHROPIC_SERVICE_ACCOUNT_ID", "svac_01"),
        ("ANTHROPIC_WORKSPACE_ID", "wrkspc_01"),
    ]);
    let client = with_env(&env).beta("files-api-2025-04-14").build().unwrap();
    call(&client).await.unwrap();

    let exchange = &exchanges(&server)[0];
    assert_eq!(exchange.method, "POST");
    assert_eq!(exchange.header("content-type"), Some("application/json"));
    assert_eq!(
        exchange.header("anthropic-beta"),
        Some("oauth-2025-04-20,oidc-federation-2026-04-01")
    );
    assert_eq!(exchange.header("x-api-key"), None);
    assert_eq!(exchange.header("authorization"), None);
    assert_eq!(exchange.header("anthropic-version"), None);
    assert_eq!(
        exchange.json.as_ref().unwrap(),
        &serde_json::json!({
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "assertion": JWT,
            "federation_rule_id": RULE,
            "organization_id": ORG,
            "service_account_id": "svac_01",
            "workspace_id": "wrkspc_01",
        })
    );
    let sent = &api_calls(&server)[0];
    assert!(
        sent.header("authorization")
            .unwrap()
            .starts_with("Bearer sk-ant-oat01-mock-")
    );
    assert_eq!(
        sent.header("anthropic-beta"),
        Some("files-api-2025-04-14,oauth-2025-04-20")
    );
    // Federation sends no workspace header: the workspace is in the exchange.
    assert_eq!(sent.header("anthropic-workspace-id"), None);
}

#[tokio::test]
async fn clones_share_one_token_and_concurrent_calls_wait_for_one_exchange() {
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", JWT, 0o600);
    let client = with_env(&federation_env(&server, &file)).build().unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client).await })
        })
        .collect();
    for task in calls {
        task.await.unwrap().unwrap();
    }
    call(&client).await.unwrap();
    assert_eq!(exchanges(&server).len(), 1);
    let tokens: std::collections::HashSet<_> = api_calls(&server)
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
}

#[tokio::test]
async fn a_token_near_expiry_is_replaced_and_the_rotated_identity_file_is_read() {
    // 20 s of life is inside the 30 s margin: every call needs a new token.
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .token_lifetime(20)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", JWT, 0o600);
    let client = with_env(&federation_env(&server, &file)).build().unwrap();
    call(&client).await.unwrap();
    std::fs::write(&file, JWT_ROTATED).unwrap();
    call(&client).await.unwrap();
    let assertions: Vec<_> = exchanges(&server)
        .iter()
        .map(|e| {
            e.json.as_ref().unwrap()["assertion"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(assertions, [JWT, JWT_ROTATED]);
    let sent = api_calls(&server);
    assert_ne!(
        sent[0].header("authorization"),
        sent[1].header("authorization")
    );
}

#[tokio::test]
async fn a_token_in_the_advisory_window_is_refreshed_and_kept_if_the_refresh_fails() {
    // 100 s left: inside the 2-minute advisory window, outside the 30 s one.
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .token_lifetime(100)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", JWT, 0o600);
    let client = with_env(&federation_env(&server, &file)).build().unwrap();
    call(&client).await.unwrap();
    call(&client).await.unwrap();
    assert_eq!(exchanges(&server).len(), 2, "the second call refreshed");
    // The identity file vanishes: the refresh fails, the old token serves.
    std::fs::remove_file(&file).unwrap();
    call(&client).await.unwrap();
    let sent = api_calls(&server);
    assert_eq!(
        sent[1].header("authorization"),
        sent[2].header("authorization")
    );
}

#[tokio::test]
async fn a_refused_exchange_names_the_step_and_shows_no_token() {
    let server = MockServer::builder()
        .federation_rule("fdrl_other", ORG)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", JWT, 0o600);
    let client = with_env(&federation_env(&server, &file)).build().unwrap();
    let error = call(&client).await.unwrap_err();
    let refused = CredentialsError::of(&error).unwrap();
    assert_eq!(refused.step, CredentialStep::TokenRefused);
    assert_eq!(refused.status.map(|s| s.as_u16()), Some(401));
    assert!(refused.message.contains("invalid_grant"), "{refused}");
    assert!(
        refused.message.contains("ANTHROPIC_WORKSPACE_ID"),
        "{refused}"
    );
    assert!(refused.request_id.is_some());
    assert_no_secret(&format!("{error} {error:?} {refused} {refused:?}"));
    assert!(api_calls(&server).is_empty());
    // A 401 from the endpoint is asked again once, forced.
    assert_eq!(exchanges(&server).len(), 2);
}

#[tokio::test]
async fn identity_token_problems_are_typed_errors() {
    let server = MockServer::start().await;
    let dir = TempDir::new();
    let missing = dir.path().join("absent");
    let client = with_env(&federation_env(&server, &missing))
        .build()
        .unwrap();
    let error = call(&client).await.unwrap_err();
    assert_eq!(step(&error), CredentialStep::IdentityToken);
    assert_eq!(
        CredentialsError::of(&error).unwrap().path.as_deref(),
        Some(missing.as_path())
    );
    let empty = dir.write("empty", " \n", 0o600);
    let client = with_env(&federation_env(&server, &empty)).build().unwrap();
    assert_eq!(
        step(&call(&client).await.unwrap_err()),
        CredentialStep::IdentityToken
    );
    let long = dir.write("long", &"a.b.".repeat(5000), 0o600);
    let client = with_env(&federation_env(&server, &long)).build().unwrap();
    assert_eq!(
        step(&call(&client).await.unwrap_err()),
        CredentialStep::IdentityToken
    );
    assert!(exchanges(&server).is_empty());
}

#[tokio::test]
async fn the_literal_identity_token_variable_is_used_without_a_file() {
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .start()
        .await;
    let env = [
        ("ANTHROPIC_BASE_URL", server.base_url()),
        ("ANTHROPIC_FEDERATION_RULE_ID", RULE),
        ("ANTHROPIC_ORGANIZATION_ID", ORG),
        ("ANTHROPIC_IDENTITY_TOKEN", JWT),
    ];
    let client = with_env(&env).build().unwrap();
    call(&client).await.unwrap();
    assert_eq!(
        exchanges(&server)[0].json.as_ref().unwrap()["assertion"],
        JWT
    );
    // Without an organization, federation is skipped: no credentials.
    let client = with_env(
        &env[..3]
            .iter()
            .chain(&env[3..])
            .filter(|(k, _)| *k != "ANTHROPIC_ORGANIZATION_ID")
            .copied()
            .collect::<Vec<_>>(),
    )
    .build()
    .unwrap();
    assert!(matches!(
        call(&client).await.unwrap_err(),
        Error::Config { .. }
    ));
}

#[tokio::test]
async fn expired_and_unknown_tokens_are_refused_by_the_mock() {
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .token_lifetime(0)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", JWT, 0o600);
    let client = with_env(&federation_env(&server, &file)).build().unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(error.is_authentication(), "{error:?}");
    let stranger = with_env(&[])
        .base_url(server.base_url())
        .auth_token("made-up")
        .build()
        .unwrap();
    assert!(call(&stranger).await.unwrap_err().is_authentication());
}

#[tokio::test]
async fn a_token_the_api_refuses_is_replaced_and_the_attempt_sent_once_more() {
    use claude_rs_mock::Fault;
    use claude_rs_types::error::ErrorType;
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", JWT, 0o600);
    let client = with_env(&federation_env(&server, &file))
        .max_retries(0)
        .build()
        .unwrap();
    call(&client).await.unwrap();
    let revoked = || {
        Fault::status(
            http::StatusCode::UNAUTHORIZED,
            ErrorType::Authentication,
            "revoked",
        )
    };
    let once =
        |n| claude_rs_mock::FaultRule::times(n, revoked()).on(claude_rs_mock::Route::Messages);
    server.inject(once(1));
    call(&client).await.unwrap();
    assert_eq!(exchanges(&server).len(), 2);
    let sent = api_calls(&server);
    assert_eq!(sent.len(), 3);
    assert_eq!(
        sent[0].header("authorization"),
        sent[1].header("authorization")
    );
    assert_ne!(
        sent[1].header("authorization"),
        sent[2].header("authorization")
    );
    // Twice in a row: the second refusal is the caller's.
    server.inject(once(2));
    assert!(call(&client).await.unwrap_err().is_authentication());

    // A static key the API refuses is not sent again.
    let keyed = with_env(&[])
        .base_url(server.base_url())
        .api_key("sk-bad")
        .max_retries(0)
        .build()
        .unwrap();
    let before = api_calls(&server).len();
    server.inject(once(1));
    assert!(call(&keyed).await.unwrap_err().is_authentication());
    assert_eq!(api_calls(&server).len(), before + 1);
}

#[tokio::test]
async fn a_token_endpoint_that_fails_is_a_transient_credentials_error() {
    use claude_rs_mock::Fault;
    let server = MockServer::builder()
        .federation_rule(RULE, ORG)
        .start()
        .await;
    let dir = TempDir::new();
    let file = dir.write("token", JWT, 0o600);
    let client = with_env(&federation_env(&server, &file))
        .max_retries(0)
        .build()
        .unwrap();
    server.fail_next(Fault::internal_error());
    let error = call(&client).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Credentials {
                transient: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        CredentialsError::of(&error)
            .unwrap()
            .status
            .map(|s| s.as_u16()),
        Some(500)
    );
    // It heals: the next call exchanges again.
    call(&client).await.unwrap();
}
