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
//! the reply scripted (a run of the skill's script, then the haiku), and
//! says so on stderr.

#![allow(clippy::print_stdout)]

use std::process::ExitCode;

mod common;

use claude_rs_client::files::FileUpload;
use claude_rs_client::skills::SkillUpload;
use claude_rs_mock::MockResponse;
use claude_rs_types::config::{ContainerParam, ContainerParams, SkillKind, SkillParam};
use claude_rs_types::content::BashCodeExecutionToolResultContent;
use claude_rs_types::tool::CodeExecutionTool;
use claude_rs_types::{
    content::ContentBlock, message::StopReason, model::Model, request::CreateMessageRequest,
    request::MessageParam,
};
use serde_json::{Value, json};

const SKILL_MD: &str = "---\n\
name: haiku-writer\n\
description: Writes a haiku about any topic, checking the syllables with a script.\n\
---\n\
# Haiku writer\n\
Write three lines of 5, 7 and 5 syllables. Run `count.py` on each line to check.\n";

/// Counts syllables as groups of vowels, which is close enough for a haiku.
const COUNT_PY: &str = "import re, sys\nprint(len(re.findall('[aeiouy]+', sys.argv[1].lower())))\n";

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
        // On the mock, script what the API would say: Claude runs the
        // skill's script in the container, then answers.
        let blocks = serde_json::from_value(skill_reply())?;
        mock.enqueue(MockResponse::content(blocks, StopReason::EndTurn));
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
        Model::CLAUDE_SONNET_5,
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
    for block in &reply.content {
        match block {
            ContentBlock::Text(text) => println!("claude> {}", text.text),
            ContentBlock::ServerToolUse(call) => println!("tool>   {}({})", call.name, call.input),
            ContentBlock::BashCodeExecutionToolResult(result) => match &result.content {
                BashCodeExecutionToolResultContent::Result(run) => {
                    for line in run.stdout.lines().chain(run.stderr.lines()) {
                        println!("output> {line}");
                    }
                }
                other => println!("output> {other:?}"),
            },
            _ => {}
        }
    }

    // Clean up: a Skill is deleted once it has no versions.
    let versions = skills.versions(&skill.id);
    for version in versions.list().await?.data {
        versions.delete(&version.id).await?;
    }
    skills.delete(&skill.id).await?;
    println!("deleted {}", skill.id);
    Ok(())
}

/// The content of the API's reply on the mock: a bash run of the skill's
/// script in the code-execution container, then the answer.
fn skill_reply() -> Value {
    let lines = [
        "Morning rain returns",
        "soft on the old temple roof",
        "the bell does not ring",
    ];
    let command = lines
        .iter()
        .map(|line| format!("python /skills/haiku-writer/count.py '{line}'"))
        .collect::<Vec<_>>()
        .join(" && ");
    json!([
        {"type": "text", "text": "I'll write the haiku, then check each line with the skill's syllable counter."},
        {"type": "server_tool_use", "id": "srvtoolu_mock_1", "name": "bash_code_execution",
         "input": {"command": command}},
        {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_mock_1",
         "content": {"type": "bash_code_execution_result", "stdout": "5\n7\n5\n", "stderr": "",
                     "return_code": 0, "content": []}},
        {"type": "text", "text": format!("The lines have 5, 7 and 5 syllables:\n\n{}", lines.join("\n"))},
    ])
}
