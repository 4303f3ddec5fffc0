//! Google token providers against loopback token endpoints: the service
//! account's RS256 JWT grant (verified with the public key), the authorized
//! user's refresh grant, the metadata server, caching and refresh, one
//! refresh for concurrent callers, typed and retried endpoint errors, and
//! redaction.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use claude_rs_client::backend::TokenProvider;
use claude_rs_client::{Client, Error};
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use claude_rs_vertex::{GoogleCredentials, Vertex};
use serde_json::json;

use crate::support::*;

const EMAIL: &str = "claude-test@my-project.iam.gserviceaccount.com";
const CLIENT_SECRET: &str = "user-CLIENT-SECRET";
const REFRESH_TOKEN: &str = "1//user-REFRESH-TOKEN";

fn private_key() -> String {
    String::from_utf8(fixture("test_service_account_key.pem")).unwrap()
}

fn service_account(token_uri: &str) -> String {
    json!({
        "type": "service_account",
        "project_id": "sa-project",
        "private_key_id": "key-1",
        "private_key": private_key(),
        "client_email": EMAIL,
        "token_uri": token_uri,
    })
    .to_string()
}

fn authorized_user(token_uri: &str) -> String {
    json!({
        "type": "authorized_user",
        "client_id": "client-1.apps.googleusercontent.com",
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
        "quota_project_id": "user-project",
        "token_uri": token_uri,
    })
    .to_string()
}

/// Verifies a JWT-bearer grant the way Google's endpoint does: the RS256
/// signature with the account's public key, then the claims.
fn verify_grant(seen: &Seen, audience: &str) -> Result<(), String> {
    if seen.form("grant_type").as_deref() != Some("urn:ietf:params:oauth:grant-type:jwt-bearer") {
        return Err("wrong grant_type".into());
    }
    let jwt = seen.form("assertion").ok_or("no assertion")?;
    let (signed, signature) = jwt.rsplit_once('.').ok_or("not a JWT")?;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let signature = b64.decode(signature).map_err(|e| e.to_string())?;
    let public = fixture("test_service_account_public.der");
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, public)
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| "bad RS256 signature".to_owned())?;
    let (header, claims) = signed.split_once('.').ok_or("no claims")?;
    let header: serde_json::Value = serde_json::from_slice(&b64.decode(header).unwrap()).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&b64.decode(claims).unwrap()).unwrap();
    let ok = header["alg"] == "RS256"
        && header["kid"] == "key-1"
        && claims["iss"] == EMAIL
        && claims["aud"] == audience
        && claims["scope"] == "https://www.googleapis.com/auth/cloud-platform"
        && claims["exp"].as_u64().unwrap() == claims["iat"].as_u64().unwrap() + 3600;
    ok.then_some(())
        .ok_or_else(|| format!("claims {claims} header {header}"))
}

/// A token endpoint that grants only valid assertions, with this lifetime.
async fn token_endpoint(expires_in: u64) -> Server {
    let server_url = Arc::new(std::sync::OnceLock::<String>::new());
    let url = server_url.clone();
    let server = Server::start(move |n, seen| {
        let audience = format!("{}/token", url.get().unwrap());
        match verify_grant(seen, &audience) {
            Ok(()) => json_answer(200, json!({"access_token": format!("ya29.sa-{n}"), "expires_in": expires_in, "token_type": "Bearer"})),
            Err(why) => json_answer(400, json!({"error": "invalid_grant", "error_description": why})),
        }
    })
    .await;
    server_url.set(server.url.clone()).unwrap();
    server
}

#[tokio::test]
async fn service_account_grant_is_verified_and_the_token_cached() {
    let endpoint = token_endpoint(3600).await;
    let credentials =
        GoogleCredentials::from_json(&service_account(&format!("{}/token", endpoint.url))).unwrap();
    assert_eq!(credentials.project_id(), Some("sa-project"));
    assert_eq!(credentials.token().await.unwrap().expose(), "ya29.sa-1");
    assert_eq!(
        credentials.token().await.unwrap().expose(),
        "ya29.sa-1",
        "cached"
    );
    assert_eq!(endpoint.seen().len(), 1);
    // Neither the cached access token nor the key shows in Debug.
    let token = credentials.token().await.unwrap();
    let shown = format!("{credentials:?} {token:?}");
    for secret in ["ya29.sa-1", "PRIVATE KEY"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let seen = &endpoint.seen()[0];
    assert_eq!(seen.path, "/token");
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn a_token_within_the_margin_of_expiry_is_refreshed() {
    // 225 s is the margin: such a token is due for refresh at once.
    let endpoint = token_endpoint(225).await;
    let credentials =
        GoogleCredentials::from_json(&service_account(&format!("{}/token", endpoint.url))).unwrap();
    assert_eq!(credentials.token().await.unwrap().expose(), "ya29.sa-1");
    assert_eq!(credentials.token().await.unwrap().expose(), "ya29.sa-2");
    assert_eq!(endpoint.seen().len(), 2);
}

#[tokio::test]
async fn a_hundred_concurrent_callers_share_one_refresh() {
    let endpoint = Server::start_slow(Duration::from_millis(200), |n, _| {
        json_answer(
            200,
            json!({"access_token": format!("ya29.user-{n}"), "expires_in": 3600}),
        )
    })
    .await;
    let credentials = Arc::new(
        GoogleCredentials::from_json(&authorized_user(&format!("{}/token", endpoint.url))).unwrap(),
    );
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let credentials = credentials.clone();
            tokio::spawn(async move { credentials.token().await.unwrap().expose().to_owned() })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), "ya29.user-1");
    }
    assert_eq!(endpoint.seen().len(), 1);
    let seen = &endpoint.seen()[0];
    assert_eq!(seen.form("grant_type").as_deref(), Some("refresh_token"));
    assert_eq!(seen.form("client_secret").as_deref(), Some(CLIENT_SECRET));
    assert_eq!(seen.form("refresh_token").as_deref(), Some(REFRESH_TOKEN));
    assert_eq!(credentials.project_id(), Some("user-project"));
}

#[tokio::test]
async fn metadata_server_tokens_carry_the_flavor_header() {
    let metadata = Server::start(|_, seen| {
        if seen.header("metadata-flavor") == Some("Google") {
            json_answer(
                200,
                json!({"access_token": "ya29.gce", "expires_in": 3599, "token_type": "Bearer"}),
            )
        } else {
            json_answer(403, json!({"error": "missing flavor"}))
        }
    })
    .await;
    let host = metadata.host.clone();
    let lookup = move |name: &str| (name == "GCE_METADATA_HOST").then(|| host.clone());
    // No credentials file: Application Default Credentials fall back to it.
    let credentials = GoogleCredentials::application_default(&lookup).unwrap();
    assert_eq!(credentials.token().await.unwrap().expose(), "ya29.gce");
    let seen = &metadata.seen()[0];
    assert_eq!(seen.method, http::Method::GET);
    assert_eq!(
        seen.path,
        "/computeMetadata/v1/instance/service-accounts/default/token"
    );
}

#[tokio::test]
async fn endpoint_errors_are_typed_and_transient_ones_are_retried() {
    // 503 first (transient: the client retries), then a token.
    let endpoint = Server::start(|n, _| {
        if n == 1 {
            json_answer(503, json!({"error": "backendError"}))
        } else {
            json_answer(
                200,
                json!({"access_token": "ya29.after-retry", "expires_in": 3600}),
            )
        }
    })
    .await;
    let vertex_server = Server::start(|_, _| {
        json_answer(
            200,
            json!({
                "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
                "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                "stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 1}
            }),
        )
    })
    .await;
    let credentials =
        GoogleCredentials::from_json(&authorized_user(&format!("{}/token", endpoint.url))).unwrap();
    let vertex = Vertex::builder()
        .region("us-east5")
        .base_url(&vertex_server.url)
        .token_provider(credentials)
        .env_lookup(|_| None)
        .build()
        .unwrap();
    assert_eq!(
        vertex.project(),
        None,
        "a provider given: the project is not read from it"
    );
    let vertex = Vertex::builder()
        .region("us-east5")
        .project("p")
        .base_url(&vertex_server.url)
        .token_provider(
            GoogleCredentials::from_json(&authorized_user(&format!("{}/token", endpoint.url)))
                .unwrap(),
        )
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(vertex).build().unwrap();
    let request = CreateMessageRequest::new("m", 8, vec![MessageParam::user("Hi")]);
    client.messages().create(request).await.unwrap();
    assert_eq!(endpoint.seen().len(), 2);
    assert_eq!(
        vertex_server.seen()[0].header("authorization"),
        Some("Bearer ya29.after-retry")
    );

    // A refused grant is not retried, and says why without any secret.
    let refusing = Server::start(|_, _| {
        json_answer(400, json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}))
    })
    .await;
    let credentials =
        GoogleCredentials::from_json(&authorized_user(&format!("{}/token", refusing.url))).unwrap();
    let error = credentials.token().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Credentials {
                transient: false,
                ..
            }
        ),
        "{error:?}"
    );
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("invalid_grant") && shown.contains("400"),
        "{shown}"
    );
    assert!(
        !shown.contains(CLIENT_SECRET) && !shown.contains(REFRESH_TOKEN),
        "{shown}"
    );
    assert!(!error.is_retryable());

    // An endpoint that is not there is a transient connection failure.
    let credentials =
        GoogleCredentials::from_json(&authorized_user("http://127.0.0.1:9/token")).unwrap();
    let error = credentials.token().await.unwrap_err();
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
    assert!(error.is_retryable());
}

#[test]
fn adc_files_in_order_and_kinds_not_covered() {
    let dir = std::env::temp_dir().join(format!("claude-rs-vertex-adc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let explicit = dir.join("key.json");
    std::fs::write(
        &explicit,
        service_account("https://oauth2.googleapis.com/token"),
    )
    .unwrap();
    std::fs::write(
        dir.join("application_default_credentials.json"),
        authorized_user("https://oauth2.googleapis.com/token"),
    )
    .unwrap();
    let (explicit_path, gcloud) = (
        explicit.to_str().unwrap().to_owned(),
        dir.to_str().unwrap().to_owned(),
    );
    let both = {
        let (e, g) = (explicit_path.clone(), gcloud.clone());
        move |name: &str| match name {
            "GOOGLE_APPLICATION_CREDENTIALS" => Some(e.clone()),
            "CLOUDSDK_CONFIG" => Some(g.clone()),
            _ => None,
        }
    };
    let first = GoogleCredentials::application_default(&both).unwrap();
    assert_eq!(first.project_id(), Some("sa-project"));
    let gcloud_only = move |name: &str| (name == "CLOUDSDK_CONFIG").then(|| gcloud.clone());
    let second = GoogleCredentials::application_default(&gcloud_only).unwrap();
    assert_eq!(second.project_id(), Some("user-project"));
    let shown = format!("{first:?} {second:?}");
    assert!(shown.contains(EMAIL), "{shown}");
    for secret in ["PRIVATE KEY", CLIENT_SECRET, REFRESH_TOKEN] {
        assert!(!shown.contains(secret), "{shown}");
    }
    std::fs::remove_dir_all(&dir).unwrap();

    let external = json!({"type": "external_account", "audience": "x"}).to_string();
    let error = GoogleCredentials::from_json(&external).unwrap_err();
    assert!(error.to_string().contains("external_account"), "{error}");
    let broken = json!({"type": "service_account", "client_email": EMAIL, "private_key": "-----BEGIN PRIVATE KEY-----\nnotbase64!\n-----END PRIVATE KEY-----"}).to_string();
    let error = GoogleCredentials::from_json(&broken).unwrap_err();
    assert!(error.to_string().contains("private_key"), "{error}");
    assert!(!format!("{error:?}").contains("notbase64"), "{error:?}");
}

#[test]
fn static_tokens_are_redacted() {
    let vertex = Vertex::builder()
        .region("global")
        .project("p")
        .access_token("ya29.STATIC-SECRET")
        .env_lookup(|_| None)
        .build()
        .unwrap();
    assert!(!format!("{vertex:?}").contains("STATIC-SECRET"));
}
