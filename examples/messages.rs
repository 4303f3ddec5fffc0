//! Sends one user message and prints the reply.
//!
//! ```sh
//! cargo run --example messages -- [--platform P] [--stream] [--json] [--model M] [--max-tokens N] "prompt"
//! ```
//!
//! With `ANTHROPIC_API_KEY` (or `ANTHROPIC_AUTH_TOKEN`) set, talks to
//! `ANTHROPIC_BASE_URL` (default: the real API); without, to the embedded
//! mock, scripted with a reply that says so. `--platform
//! bedrock|bedrock-mantle|vertex|foundry` talks to that platform instead,
//! configured by its official environment variables (see
//! `examples/common/platform.rs`), or to the embedded mock serving that
//! platform when they are not set. Prints the text as it streams; with
//! `--json`, prints only the final `Message` as JSON on stdout, in the API's
//! wire format with every field kept. On an API error, prints status, error
//! type, message and request id on stderr and exits with status 1.

#![allow(clippy::print_stdout)]

use std::io::Write;
use std::process::ExitCode;

mod common;
#[path = "common/platform.rs"]
mod platform;

use claude_rs_client::Error;
use claude_rs_mock::MockResponse;
use claude_rs_types::{
    message::Message, model::Model, request::CreateMessageRequest, request::MessageParam,
};

struct Args {
    platform: platform::Platform,
    stream: bool,
    json: bool,
    /// The platform's default model unless given.
    model: Option<String>,
    max_tokens: u32,
    prompt: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        platform: platform::Platform::Anthropic,
        stream: false,
        json: false,
        model: None,
        max_tokens: 1024,
        prompt: String::new(),
    };
    let mut words = std::env::args().skip(1);
    let mut prompt = Vec::new();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--stream" => args.stream = true,
            "--json" => args.json = true,
            "--model" => args.model = Some(words.next().ok_or("--model needs a value")?),
            "--platform" => {
                args.platform = words.next().ok_or("--platform needs a value")?.parse()?;
            }
            "--max-tokens" => {
                let value = words.next().ok_or("--max-tokens needs a value")?;
                args.max_tokens = value
                    .parse()
                    .map_err(|_| format!("--max-tokens: not a number: {value}"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => prompt.push(word),
        }
    }
    if prompt.is_empty() {
        return Err("a prompt is required".to_owned());
    }
    args.prompt = prompt.join(" ");
    Ok(args)
}

async fn run(args: Args) -> Result<(), Error> {
    // The first-party API (or the mock standing in for it), else a platform.
    let first_party;
    let on_platform;
    let (client, mock, default_model) = match args.platform {
        platform::Platform::Anthropic => {
            first_party = common::connect().await?;
            let model = Model::CLAUDE_SONNET_5.to_string();
            (&first_party.client, first_party.mock(), model)
        }
        other => {
            on_platform = platform::connect(other).await?;
            let model = on_platform.model.clone();
            (&on_platform.client, on_platform.mock(), model)
        }
    };
    // On the mock, script a reply in place of the API's (it cannot answer).
    if let Some(mock) = mock {
        mock.enqueue(MockResponse::text(format!(
            "Hello! I'm the claude-rs mock standing in for Claude, so I can't really \
             answer \"{}\". Set ANTHROPIC_API_KEY to get Claude's reply.",
            args.prompt
        )));
    }
    let request = CreateMessageRequest::new(
        args.model.unwrap_or(default_model),
        args.max_tokens,
        vec![MessageParam::user(args.prompt)],
    );
    let message: Message = if args.stream {
        let mut stream = client.messages().stream(request).await?;
        if !args.json {
            let mut text = stream.text_stream();
            let mut stdout = std::io::stdout();
            while let Some(piece) = text.next().await {
                print!("{}", piece?);
                let _ = stdout.flush();
            }
            println!();
            stream = text.into_inner();
        }
        stream.final_message().await?
    } else {
        let message = client.messages().create(request).await?;
        if !args.json {
            println!("{}", message.text());
        }
        message
    };
    if args.json {
        let json = serde_json::to_string(&message).map_err(|e| Error::Other(Box::new(e)))?;
        println!("{json}");
    }
    Ok(())
}

// One call at a time: a runtime on this thread, with no worker threads to
// start (the embedded mock, when used, runs on it too).
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(why) => {
            if !why.is_empty() {
                eprintln!("error: {why}");
            }
            eprintln!(
                "usage: messages [--platform anthropic|bedrock|bedrock-mantle|vertex|foundry] \
                 [--stream] [--json] [--model M] [--max-tokens N] \"prompt\""
            );
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::FAILURE
        }
    }
}

fn report(error: &Error) {
    match error.api() {
        Some(api) => {
            eprintln!("API error");
            eprintln!("  status:     {}", api.status.as_u16());
            let kind = api.error_type.as_ref().map_or("(none)", |t| t.as_str());
            eprintln!("  type:       {kind}");
            eprintln!("  message:    {}", api.message);
            eprintln!(
                "  request id: {}",
                api.request_id.as_deref().unwrap_or("(none)")
            );
        }
        None => {
            // Each level says what failed there; the causes follow.
            eprint!("error: {error}");
            let mut cause = std::error::Error::source(error);
            while let Some(next) = cause {
                eprint!(": {next}");
                cause = next.source();
            }
            eprintln!();
        }
    }
    if let Some(partial) = error.partial_message() {
        eprintln!(
            "(the stream had delivered {} content block(s) before failing)",
            partial.content.len()
        );
    }
}
