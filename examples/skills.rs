//! Skills: upload a Skill (a folder with a `SKILL.md`), see it listed, let
//! Claude use it through `container.skills` with code execution, then clean
//! up (its versions, then the Skill).
//!
//! ```sh
//! cargo run --example skills
//! cargo run --example skills -- path/to/my-skill   # a folder of your own
//! ```
//!
//! With `ANTHROPIC_API_KEY` set it talks to the real API; without it, it
//! starts the embedded mock server (which keeps Skills like the API) with
//! the reply scripted, and says so on stderr.

#![allow(clippy::print_stdout)]

use std::process::ExitCode;

mod common;

use claude_rs_client::files::FileUpload;
use claude_rs_client::skills::SkillUpload;
use claude_rs_mock::MockResponse;
use claude_rs_types::config::{ContainerParam, ContainerParams, SkillKind, SkillParam};
use claude_rs_types::tool::CodeExecutionTool;
use claude_rs_types::{CreateMessageRequest, MessageParam, Model};

const SKILL_MD: &str = "---\n\
name: haiku-writer\n\
description: Writes a haiku about any topic, checking the syllables with a script.\n\
---\n\
# Haiku writer\n\
Write three lines of 5, 7 and 5 syllables. Run `count.py` on each line to check.\n";

const COUNT_PY: &str = "import sys\nprint(sum(1 for c in sys.argv[1].lower() if c in 'aeiouy'))\n";

#[tokio::main]
async fn main() -> ExitCode {
    let folder = std::env::args().nth(1);
    match run(folder).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(folder: Option<String>) -> Result<(), Box<dyn std::error::Error>> {
    let target = common::connect().await?;
    if let Some(mock) = target.mock() {
        mock.enqueue(MockResponse::text(
            "Morning rain returns\nsoft on the old temple roof\nthe bell does not ring",
        ));
    }
    let skills = target.client.skills();

    let upload = match folder {
        Some(folder) => SkillUpload::from_dir(folder).await?,
        None => SkillUpload::new()
            .file(FileUpload::from_bytes(
                "haiku-writer/SKILL.md",
                "text/markdown",
                SKILL_MD,
            ))
            .file(FileUpload::from_bytes(
                "haiku-writer/count.py",
                "text/x-python",
                COUNT_PY,
            )),
    };
    let skill = skills.create(upload).await?;
    println!(
        "created {} ({}), version {}",
        skill.display_name, skill.id, skill.latest_version_id
    );
    let listed = skills.list_from("custom").limit(5).await?;
    println!("custom skills on this page: {}", listed.data.len());

    let mut request = CreateMessageRequest::new(
        Model::CLAUDE_SONNET_4_5,
        1024,
        vec![MessageParam::user(
            "Write a haiku about rain with the haiku-writer skill.",
        )],
    )
    .with_tools(vec![CodeExecutionTool::default().into()]);
    request.container = Some(ContainerParam::Object(ContainerParams {
        skills: Some(vec![SkillParam {
            skill_id: skill.id.clone(),
            kind: SkillKind::Custom,
            version: Some("latest".to_owned()),
            extra: Default::default(),
        }]),
        ..Default::default()
    }));
    let reply = target.client.messages().create(request).await?;
    println!("claude>\n{}", reply.text());

    // Clean up: a Skill is deleted once it has no versions.
    let versions = skills.versions(&skill.id);
    for version in versions.list().await?.data {
        versions.delete(&version.id).await?;
    }
    skills.delete(&skill.id).await?;
    println!("deleted {}", skill.id);
    Ok(())
}
