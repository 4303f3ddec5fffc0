//! A client for one platform (the first-party API, Amazon Bedrock or its
//! Mantle endpoint, Google Vertex AI, Microsoft Foundry): the real platform
//! when its official environment variables are set, else the embedded
//! mock serving that platform's wire shape, with test credentials it
//! checks (SigV4 for real on Bedrock).
//!
//! Included by the examples that use it with
//! `#[path = "common/platform.rs"] mod platform;`.

use claude_rs_bedrock::{Bedrock, Credentials};
use claude_rs_client::{Client, Error};
use claude_rs_foundry::Foundry;
use claude_rs_mock::{MockServer, Platform as MockPlatform};
use claude_rs_types::model::Model;
use claude_rs_vertex::Vertex;

/// The platforms `--platform` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Platform {
    Anthropic,
    Bedrock,
    BedrockMantle,
    Vertex,
    Foundry,
}

impl std::str::FromStr for Platform {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        Ok(match name {
            "anthropic" => Platform::Anthropic,
            "bedrock" => Platform::Bedrock,
            "bedrock-mantle" => Platform::BedrockMantle,
            "vertex" => Platform::Vertex,
            "foundry" => Platform::Foundry,
            other => {
                return Err(format!(
                    "unknown platform {other:?}: use anthropic, bedrock, bedrock-mantle, vertex or foundry"
                ));
            }
        })
    }
}

/// A client, the model id to use on its platform unless told otherwise,
/// and the mock it talks to when the platform is not configured (kept
/// alive as long as the client is used).
pub(crate) struct PlatformTarget {
    pub(crate) client: Client,
    pub(crate) model: String,
    _mock: Option<MockServer>,
}

impl PlatformTarget {
    /// The embedded mock, when the example runs against it, so the example
    /// can script the replies the real platform would give.
    pub(crate) fn mock(&self) -> Option<&MockServer> {
        self._mock.as_ref()
    }
}

// The mock's test credentials: it requires exactly these.
const AWS_KEY_ID: &str = "AKIDMOCKEXAMPLE";
const AWS_SECRET: &str = "mock/secret/for/sigv4";
const VERTEX_TOKEN: &str = "ya29.mock-token";
const FOUNDRY_KEY: &str = "foundry-mock-key";

fn set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// The default model id of each platform.
fn default_model(platform: Platform) -> String {
    match platform {
        Platform::Bedrock => "us.anthropic.claude-sonnet-5".to_owned(),
        Platform::Vertex => "claude-sonnet-5".to_owned(),
        _ => Model::CLAUDE_SONNET_5.to_string(),
    }
}

/// A client for `platform`. The first-party API is `Client::new()` (its
/// key and base URL from `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL`).
/// The others use the real platform when configured:
///
/// * Bedrock and Mantle: `AWS_BEARER_TOKEN_BEDROCK`, `AWS_ACCESS_KEY_ID`
///   or `AWS_PROFILE`, with `AWS_REGION` (or `AWS_DEFAULT_REGION`);
/// * Vertex: `ANTHROPIC_VERTEX_PROJECT_ID` and `CLOUD_ML_REGION`, with
///   Application Default Credentials;
/// * Foundry: `ANTHROPIC_FOUNDRY_API_KEY` with `ANTHROPIC_FOUNDRY_RESOURCE`
///   (or `ANTHROPIC_FOUNDRY_BASE_URL`).
///
/// Otherwise the embedded mock, said so on stderr.
pub(crate) async fn connect(platform: Platform) -> Result<PlatformTarget, Error> {
    let model = default_model(platform);
    let configured = match platform {
        Platform::Anthropic => true,
        Platform::Bedrock | Platform::BedrockMantle => [
            "AWS_BEARER_TOKEN_BEDROCK",
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
        ]
        .iter()
        .any(|name| set(name)),
        Platform::Vertex => set("ANTHROPIC_VERTEX_PROJECT_ID") && set("CLOUD_ML_REGION"),
        Platform::Foundry => {
            set("ANTHROPIC_FOUNDRY_API_KEY")
                && (set("ANTHROPIC_FOUNDRY_RESOURCE") || set("ANTHROPIC_FOUNDRY_BASE_URL"))
        }
    };
    if configured {
        let client = match platform {
            Platform::Anthropic => Client::new()?,
            Platform::Bedrock => Client::builder().backend(Bedrock::from_env()?).build()?,
            Platform::BedrockMantle => Client::builder()
                .backend(Bedrock::mantle_builder().build()?)
                .build()?,
            Platform::Vertex => Client::builder().backend(Vertex::from_env()?).build()?,
            Platform::Foundry => Client::builder().backend(Foundry::from_env()?).build()?,
        };
        return Ok(PlatformTarget {
            client,
            model,
            _mock: None,
        });
    }
    let (mock, client) = on_the_mock(platform).await?;
    Ok(PlatformTarget {
        client,
        model,
        _mock: Some(mock),
    })
}

/// The embedded mock requiring test credentials, and a client using them.
async fn on_the_mock(platform: Platform) -> Result<(MockServer, Client), Error> {
    let mock = MockServer::builder()
        .aws_credentials(AWS_KEY_ID, AWS_SECRET)
        .vertex_token(VERTEX_TOKEN)
        .foundry_api_key(FOUNDRY_KEY)
        .start()
        .await;
    let (what, mock_platform) = match platform {
        Platform::Bedrock => ("AWS credentials", MockPlatform::Bedrock),
        Platform::BedrockMantle => ("AWS credentials", MockPlatform::BedrockMantle),
        Platform::Vertex => (
            "ANTHROPIC_VERTEX_PROJECT_ID and CLOUD_ML_REGION",
            MockPlatform::Vertex,
        ),
        _ => (
            "ANTHROPIC_FOUNDRY_API_KEY and ANTHROPIC_FOUNDRY_RESOURCE",
            MockPlatform::Foundry,
        ),
    };
    let base_url = mock.platform_base_url(mock_platform);
    eprintln!("{what} not set: running against the embedded mock at {base_url}");
    let keys = Credentials::new(AWS_KEY_ID, AWS_SECRET, None);
    let client = match platform {
        Platform::Bedrock | Platform::BedrockMantle => {
            let builder = match platform {
                Platform::Bedrock => Bedrock::builder(),
                _ => Bedrock::mantle_builder(),
            };
            let bedrock = builder
                .region("us-east-1")
                .base_url(base_url)
                .credentials(keys)
                .env_lookup(|_| None)
                .build()?;
            Client::builder().backend(bedrock).build()?
        }
        Platform::Vertex => {
            let vertex = Vertex::builder()
                .region("us-east5")
                .project("mock-project")
                .base_url(base_url)
                .access_token(VERTEX_TOKEN)
                .env_lookup(|_| None)
                .build()?;
            Client::builder().backend(vertex).build()?
        }
        _ => {
            let foundry = Foundry::builder()
                .base_url(base_url)
                .api_key(FOUNDRY_KEY)
                .env_lookup(|_| None)
                .build()?;
            Client::builder().backend(foundry).build()?
        }
    };
    Ok((mock, client))
}

/// What the platform examples show: a message, a streamed reply, and a
/// token count, on `target`.
#[allow(dead_code, clippy::print_stdout)] // Not every example shows it all.
pub(crate) async fn show(target: &PlatformTarget) -> Result<(), Error> {
    use claude_rs_types::request::{CreateMessageRequest, MessageParam};
    use std::io::Write;

    let request = |text: &str| {
        CreateMessageRequest::new(target.model.as_str(), 256, vec![MessageParam::user(text)])
    };
    // On the mock, script what Claude would say (the mock cannot answer).
    if let Some(mock) = target.mock() {
        mock.enqueue(claude_rs_mock::MockResponse::text(
            "Hello! I'm Claude, here played by the claude-rs mock.",
        ));
        mock.enqueue(claude_rs_mock::MockResponse::text(
            "One, two, three, four, five.",
        ));
    }
    let messages = target.client.messages();
    let message = messages
        .create(request("Say hello in one sentence."))
        .await?;
    println!(
        "create: {} ({} output tokens)",
        message.text(),
        message.usage.output_tokens
    );

    let mut text = messages
        .stream(request("Count to five, in words."))
        .await?
        .text_stream();
    print!("stream: ");
    while let Some(piece) = text.next().await {
        print!("{}", piece?);
        let _ = std::io::stdout().flush();
    }
    println!();

    let count = messages
        .count_tokens(&request("How many tokens is this?"))
        .await?;
    println!("count_tokens: {} input tokens", count.input_tokens);
    Ok(())
}
