//! No secret in any TRACE line: a whole call on each platform (Bedrock with
//! SigV4 and a session token, Bedrock with an API key, Vertex with a service
//! account's JWT grant, Foundry with an API key), with the client's
//! `tracing` spans on and every event of every crate captured at TRACE.
//!
//! One capture serves all the platforms, so it lives here, in the package
//! that depends on all of them. The first-party credential chain (workload
//! identity federation, a user OAuth profile with a refresh token) and the
//! admin key are held to the same rule, and to their Debug, Display and
//! errors.

use std::sync::{Mutex, MutexGuard};

use claude_rs_bedrock::{Bedrock, Credentials};
use claude_rs_client::http::StatusCode;
use claude_rs_client::{Client, ClientBuilder};
use claude_rs_foundry::Foundry;
use claude_rs_mock::{Fault, MockServer, Platform};
use claude_rs_types::{error::ErrorType, request::CreateMessageRequest, request::MessageParam};
use claude_rs_vertex::{GoogleCredentials, Vertex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const AWS_SECRET: &str = "aws-SECRET-key-0123456789";
const AWS_SESSION: &str = "aws-SESSION-token-0123456789";
const BEDROCK_KEY: &str = "bedrock-API-key-0123456789";
const GOOGLE_TOKEN: &str = "ya29.google-ACCESS-token";
const FOUNDRY_KEY: &str = "foundry-API-key-0123456789";
const IDENTITY_TOKEN: &str = "eyJhbGciOi.eyJJREVOVElUWS1TRUNSRVQifQ.c2ln-IDENTITY";
const REFRESH_TOKEN: &str = "REFRESH-token-0123456789";
const STORED_TOKEN: &str = "STORED-access-token-0123456789";
const ADMIN_KEY: &str = "sk-ant-admin01-ADMIN-key-0123456789";
/// The prefixes of the tokens the mock's token endpoint issues.
const ISSUED: [&str; 2] = ["sk-ant-oat01-mock-", "sk-ant-ort01-mock-"];

/// Every span field and event of every crate, formatted.
#[derive(Default)]
struct Capture(Mutex<Vec<String>>);

impl Capture {
    fn lines(&self) -> MutexGuard<'_, Vec<String>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for &'static Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("{} ", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.lines().push(line);
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = String::new();
        values.record(&mut Fields(&mut line));
        self.lines().push(line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("{} ", event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.lines().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A one-shot Google token endpoint: answers any request with `GOOGLE_TOKEN`.
async fn token_endpoint() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/token", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0; 16 * 1024];
            let mut read = 0;
            // Read the head and the form body (its length is in the head).
            while let Ok(n) = socket.read(&mut buf[read..]).await {
                read += n;
                let text = String::from_utf8_lossy(&buf[..read]);
                let Some(end) = text.find("\r\n\r\n") else {
                    if n == 0 { break } else { continue }
                };
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                    })
                    .unwrap_or(0);
                if n == 0 || read >= end + 4 + length {
                    break;
                }
            }
            let body = format!(
                r#"{{"access_token":"{GOOGLE_TOKEN}","expires_in":3600,"token_type":"Bearer"}}"#
            );
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    url
}

fn private_key() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/vertex/tests/fixtures/test_service_account_key.pem"
    );
    std::fs::read_to_string(path).unwrap()
}

/// Creates a message and streams one through `client`.
async fn call(client: &Client) {
    let request =
        CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hello")]);
    let message = client.messages().create(request.clone()).await.unwrap();
    assert_eq!(message.text(), "Hello");
    let stream = client.messages().stream(request).await.unwrap();
    assert_eq!(stream.final_message().await.unwrap().text(), "Hello");
}

#[test]
fn no_secret_in_any_trace_line_on_any_platform() {
    let capture: &'static Capture = Box::leak(Box::default());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The current-thread runtime runs every task (connections included) on
    // this thread, under the capture.
    let _guard = tracing::subscriber::set_default(capture);
    runtime.block_on(async {
        let mock = MockServer::builder()
            .aws_credentials("AKIDTRACETEST", AWS_SECRET)
            .aws_session_token(AWS_SESSION)
            .bedrock_api_key(BEDROCK_KEY)
            .vertex_token(GOOGLE_TOKEN)
            .foundry_api_key(FOUNDRY_KEY)
            .start()
            .await;

        let signed = Bedrock::builder()
            .region("us-east-1")
            .base_url(mock.platform_base_url(Platform::Bedrock))
            .credentials(Credentials::new(
                "AKIDTRACETEST",
                AWS_SECRET,
                Some(AWS_SESSION.into()),
            ))
            .env_lookup(|_| None)
            .build()
            .unwrap();
        call(&Client::builder().backend(signed).build().unwrap()).await;

        let keyed = Bedrock::builder()
            .region("us-east-1")
            .base_url(mock.platform_base_url(Platform::Bedrock))
            .api_key(BEDROCK_KEY)
            .env_lookup(|_| None)
            .build()
            .unwrap();
        call(&Client::builder().backend(keyed).build().unwrap()).await;

        let account = serde_json::json!({
            "type": "service_account",
            "project_id": "trace-project",
            "private_key_id": "key-1",
            "private_key": private_key(),
            "client_email": "trace@trace-project.iam.gserviceaccount.com",
            "token_uri": token_endpoint().await,
        });
        let google = GoogleCredentials::from_json(&account.to_string()).unwrap();
        let vertex = Vertex::builder()
            .region("us-east5")
            .project("trace-project")
            .base_url(mock.platform_base_url(Platform::Vertex))
            .token_provider(google)
            .env_lookup(|_| None)
            .build()
            .unwrap();
        call(&Client::builder().backend(vertex).build().unwrap()).await;

        let foundry = Foundry::builder()
            .base_url(mock.platform_base_url(Platform::Foundry))
            .api_key(FOUNDRY_KEY)
            .env_lookup(|_| None)
            .build()
            .unwrap();
        call(&Client::builder().backend(foundry).build().unwrap()).await;
    });

    let lines = capture.lines().clone();
    // The capture saw the calls: one call span each, with its status.
    let spans = lines
        .iter()
        .filter(|l| l.contains("http.response.status_code="))
        .count();
    assert!(spans >= 8, "too few traced requests ({spans}): {lines:#?}");
    let key_pem = private_key();
    let key_body = key_pem.lines().nth(1).unwrap();
    for line in &lines {
        for secret in [
            AWS_SECRET,
            AWS_SESSION,
            BEDROCK_KEY,
            GOOGLE_TOKEN,
            FOUNDRY_KEY,
            key_body,
        ] {
            assert!(!line.contains(secret), "a secret in a trace line: {line}");
        }
    }
}

/// A directory of its own under the system's temporary directory.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("claude-rs-secrets-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_private(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn no_credential_of_the_chain_in_traces_debug_or_errors() {
    let capture: &'static Capture = Box::leak(Box::default());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = tracing::subscriber::set_default(capture);
    let dir = temp_dir("chain");
    let shown = runtime.block_on(async {
        let mock = MockServer::builder()
            .federation_rule("fdrl_trace", "org-trace")
            .oauth_client("client-trace", REFRESH_TOKEN)
            .start()
            .await;
        let mut shown = Vec::new();
        // Federation from the environment, with an identity token file.
        let identity = dir.join("identity.jwt");
        write_private(&identity, IDENTITY_TOKEN);
        let base = mock.base_url().to_owned();
        let federation = |rule: &'static str| {
            let (identity, base) = (identity.clone(), base.clone());
            ClientBuilder::from_env_lookup(move |name| match name {
                "ANTHROPIC_FEDERATION_RULE_ID" => Some(rule.to_owned()),
                "ANTHROPIC_ORGANIZATION_ID" => Some("org-trace".to_owned()),
                "ANTHROPIC_IDENTITY_TOKEN_FILE" => Some(identity.display().to_string()),
                "ANTHROPIC_BASE_URL" => Some(base.clone()),
                _ => None,
            })
        };
        let builder = federation("fdrl_trace");
        shown.push(format!("{builder:?}"));
        let client = builder.build().unwrap();
        call(&client).await;
        shown.push(format!("{client:?}"));
        // A refused exchange: its error, every way it can be printed.
        let refused = federation("fdrl_unknown").build().unwrap();
        let request =
            CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")]);
        let error = refused.messages().create(request).await.unwrap_err();
        shown.push(format!(
            "{error} {error:?} {:?}",
            std::error::Error::source(&error)
        ));

        // A user OAuth profile whose expired token is refreshed.
        let config = dir.join("config");
        write_private(
            &config.join("configs/me.json"),
            &serde_json::json!({"base_url": base, "authentication":
                {"type": "user_oauth", "client_id": "client-trace"}})
            .to_string(),
        );
        write_private(
            &config.join("credentials/me.json"),
            &serde_json::json!({"access_token": STORED_TOKEN, "expires_at": 1000,
                "refresh_token": REFRESH_TOKEN})
            .to_string(),
        );
        let config_dir = config.display().to_string();
        let builder = ClientBuilder::from_env_lookup(move |name| {
            (name == "ANTHROPIC_CONFIG_DIR").then(|| config_dir.clone())
        })
        .profile("me");
        shown.push(format!("{builder:?}"));
        let client = builder.build().unwrap();
        call(&client).await;
        shown.push(format!("{client:?}"));

        // The admin key of Admin API calls: sent, refused for lack of
        // permission, and never shown.
        let base = mock.base_url().to_owned();
        let builder = ClientBuilder::from_env_lookup(move |name| match name {
            "ANTHROPIC_ADMIN_KEY" => Some(ADMIN_KEY.to_owned()),
            "ANTHROPIC_BASE_URL" => Some(base.clone()),
            _ => None,
        })
        .max_retries(0);
        shown.push(format!("{builder:?}"));
        let admin = builder.build().unwrap();
        mock.fail_next(Fault::status(
            StatusCode::FORBIDDEN,
            ErrorType::Permission,
            "this key may not list users",
        ));
        let error = admin.get("/v1/organizations/users").await.unwrap_err();
        assert!(error.is_permission(), "{error:?}");
        let sent = mock.last_request().unwrap();
        assert_eq!(sent.header("x-api-key"), Some(ADMIN_KEY));
        shown.push(format!("{admin:?} {error} {error:?}"));
        // One exchange, the refused one twice (a 401 is asked again,
        // forced), one refresh.
        assert_eq!(mock.received("/v1/oauth/token").len(), 4);
        shown
    });
    let _ = std::fs::remove_dir_all(&dir);

    let lines = capture.lines().clone();
    assert!(
        lines
            .iter()
            .filter(|l| l.contains("http.response.status_code="))
            .count()
            >= 4,
        "{lines:#?}"
    );
    for text in lines.iter().chain(&shown) {
        for secret in [IDENTITY_TOKEN, REFRESH_TOKEN, STORED_TOKEN, ADMIN_KEY]
            .iter()
            .chain(&ISSUED)
        {
            assert!(!text.contains(secret), "a secret ({secret}) in: {text}");
        }
    }
}
