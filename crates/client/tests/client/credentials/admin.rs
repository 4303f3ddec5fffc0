//! The admin key: sent on Admin API calls only, alone, never replaced by
//! the API key, refused locally when missing, never shown.

use claude_rs_client::credentials::Credential;
use claude_rs_client::http::StatusCode;
use claude_rs_client::{ClientBuilder, ConfigKind, Error};
use claude_rs_mock::{Fault, MockServer};
use claude_rs_types::error::ErrorType;

use super::with_env;

const API_KEY: &str = "sk-ant-api03-PLAIN-key";
const ADMIN_KEY: &str = "sk-ant-admin01-ADMIN-key";

fn builder(server: &MockServer) -> ClientBuilder {
    with_env(&[]).base_url(server.base_url()).max_retries(0)
}

#[tokio::test]
async fn admin_calls_carry_the_admin_key_alone_and_other_calls_never_do() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .api_key(API_KEY)
        .admin_key(ADMIN_KEY)
        .build()
        .unwrap();

    // The mock may not serve the path: only what was sent matters here.
    let _ = client.get("/v1/organizations/me").await;
    let sent = server.last_request().unwrap();
    assert_eq!(sent.path, "/v1/organizations/me");
    assert_eq!(sent.header("x-api-key"), Some(ADMIN_KEY));
    assert_eq!(sent.header("authorization"), None);

    client.models().list().await.unwrap();
    let sent = server.last_request().unwrap();
    assert_eq!(sent.header("x-api-key"), Some(API_KEY));
    assert!(
        sent.headers
            .values()
            .all(|value| value.to_str().map_or(true, |v| !v.contains(ADMIN_KEY))),
        "the admin key on a non-admin call: {:?}",
        sent.headers
    );
}

#[tokio::test]
async fn the_admin_key_comes_from_the_environment_and_the_builder_wins() {
    let server = MockServer::start().await;
    let from_env = with_env(&[("ANTHROPIC_ADMIN_KEY", "sk-ant-admin01-FROM-env")])
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let _ = from_env.get("/v1/organizations/users").await;
    assert_eq!(
        server.last_request().unwrap().header("x-api-key"),
        Some("sk-ant-admin01-FROM-env")
    );

    let explicit = with_env(&[("ANTHROPIC_ADMIN_KEY", "sk-ant-admin01-FROM-env")])
        .base_url(server.base_url())
        .admin_key(ADMIN_KEY)
        .build()
        .unwrap();
    let _ = explicit.get("/v1/organizations/users").await;
    assert_eq!(
        server.last_request().unwrap().header("x-api-key"),
        Some(ADMIN_KEY)
    );
}

#[tokio::test]
async fn an_admin_call_without_an_admin_key_fails_before_sending() {
    let server = MockServer::start().await;
    // An API key, and an auth token: neither stands in for the admin key.
    for client in [
        builder(&server).api_key(API_KEY).build().unwrap(),
        builder(&server).auth_token(API_KEY).build().unwrap(),
        with_env(&[("ANTHROPIC_API_KEY", API_KEY)])
            .base_url(server.base_url())
            .build()
            .unwrap(),
    ] {
        let error = client.get("/v1/organizations/me").await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Config {
                    kind: ConfigKind::MissingAdminKey,
                    ..
                }
            ),
            "{error:?}"
        );
        let shown = error.to_string();
        assert!(shown.contains("ANTHROPIC_ADMIN_KEY"), "{shown}");
        assert!(shown.contains("admin_key"), "{shown}");
        assert!(!format!("{shown} {error:?}").contains(API_KEY));
        // A handler's admin call on another path is refused the same way.
        let error = client
            .get("/v1/models")
            .credential(Credential::Admin)
            .await
            .unwrap_err();
        assert!(matches!(
            error,
            Error::Config {
                kind: ConfigKind::MissingAdminKey,
                ..
            }
        ));
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[tokio::test]
async fn an_admin_only_client_and_a_bearer_client_send_the_admin_key_alone() {
    let server = MockServer::start().await;
    let admin_only = builder(&server).admin_key(ADMIN_KEY).build().unwrap();
    let _ = admin_only.get("/v1/organizations/me").await;
    assert_eq!(
        server.last_request().unwrap().header("x-api-key"),
        Some(ADMIN_KEY)
    );
    // Its other calls have no credentials: refused as ever, not sent with
    // the admin key.
    let error = admin_only.models().list().await.unwrap_err();
    assert!(matches!(
        error,
        Error::Config {
            kind: ConfigKind::MissingCredentials,
            ..
        }
    ));

    let bearer = builder(&server)
        .auth_token("oauth-TOKEN")
        .admin_key(ADMIN_KEY)
        .build()
        .unwrap();
    let _ = bearer.get("/v1/organizations/me").await;
    let sent = server.last_request().unwrap();
    assert_eq!(sent.header("x-api-key"), Some(ADMIN_KEY));
    assert_eq!(sent.header("authorization"), None);
    bearer.models().list().await.unwrap();
    let sent = server.last_request().unwrap();
    assert_eq!(sent.header("authorization"), Some("Bearer oauth-TOKEN"));
    assert_eq!(sent.header("x-api-key"), None);
}

#[tokio::test]
async fn the_call_s_credential_class_overrides_the_path_s() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .api_key(API_KEY)
        .admin_key(ADMIN_KEY)
        .build()
        .unwrap();
    let _ = client
        .get("/v1/organizations/me")
        .credential(Credential::Default)
        .await;
    assert_eq!(
        server.last_request().unwrap().header("x-api-key"),
        Some(API_KEY)
    );
    let _ = client.get("/v1/models").credential(Credential::Admin).await;
    assert_eq!(
        server.last_request().unwrap().header("x-api-key"),
        Some(ADMIN_KEY)
    );
    // Every page of an admin listing carries it.
    let _ = client
        .get("/v1/organizations/users")
        .paginate::<serde_json::Value>()
        .await;
    assert_eq!(
        server.last_request().unwrap().header("x-api-key"),
        Some(ADMIN_KEY)
    );
}

#[tokio::test]
async fn a_refusal_for_lack_of_permission_is_typed_and_says_so() {
    let server = MockServer::start().await;
    let client = builder(&server).admin_key(ADMIN_KEY).build().unwrap();
    server.fail_next(Fault::status(
        StatusCode::FORBIDDEN,
        ErrorType::Permission,
        "this key may not list API keys",
    ));
    let error = client.get("/v1/organizations/api_keys").await.unwrap_err();
    assert!(error.is_permission(), "{error:?}");
    assert!(!error.is_authentication());
    let api = error.api().unwrap();
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.error_type, Some(ErrorType::Permission));
    let shown = error.to_string();
    assert!(
        shown.contains("the admin key lacks permission for this call"),
        "{shown}"
    );
    assert!(!format!("{shown} {error:?}").contains(ADMIN_KEY));
}

#[test]
fn builders_and_clients_never_show_the_admin_key() {
    let builder = with_env(&[("ANTHROPIC_ADMIN_KEY", ADMIN_KEY)]).admin_key(ADMIN_KEY);
    assert!(!format!("{builder:?}").contains(ADMIN_KEY));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(ADMIN_KEY));

    let error = with_env(&[])
        .admin_key("sk-ant-admin01-SECRET\nx-injected: 1")
        .build()
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Config {
            kind: ConfigKind::InvalidCredentials,
            ..
        }
    ));
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("admin_key"), "{shown}");
    assert!(!shown.contains("SECRET"), "{shown}");
}
