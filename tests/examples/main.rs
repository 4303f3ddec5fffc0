//! Runs every example as a new user would, without an API key: each must
//! say it runs on the embedded mock, exit with status 0 and print the
//! replies its script gives in place of the API's (never the mock's echo).

mod binaries;

use binaries::{command, example_names, run};
use claude_rs_types::message::{Message, StopReason};

/// The lines of `text`, trimmed of trailing spaces.
fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim_end).collect()
}

fn parse_message(name: &str, json: &str) -> Message {
    match serde_json::from_str(json) {
        Ok(message) => message,
        Err(error) => panic!("{name}: stdout is not a Message ({error}):\n{json}"),
    }
}

/// The examples this file runs; a new one must be run here too.
const RUN_HERE: [&str; 18] = [
    "admin",
    "agents",
    "batch",
    "bedrock",
    "count_tokens",
    "credentials",
    "files",
    "foundry",
    "messages",
    "models",
    "otel",
    "quickstart",
    "raw",
    "skills",
    "structured",
    "tools",
    "tour",
    "vertex",
];

#[test]
fn every_example_is_run_here() {
    let mut names = example_names();
    names.sort();
    assert_eq!(
        names, RUN_HERE,
        "examples/ and the examples run by tests/examples.rs differ: add a test for each new one"
    );
}

const MESSAGES_REPLY: &str = "Hello! I'm the claude-rs mock standing in for Claude, so I can't \
     really answer \"hi\". Set ANTHROPIC_API_KEY to get Claude's reply.";

#[test]
fn quickstart_streams_a_greeting_then_calls_the_weather_tool() {
    let run = run("quickstart", &[]);
    assert_eq!(
        lines(&run.stdout),
        [
            "claude> Hello! I'm Claude, an AI assistant made by Anthropic (here played by a local mock server).",
            "tool>   get_weather({\"city\":\"Paris\"})",
            "claude> It's 18 °C in Paris with light rain and a 12 km/h wind: take an umbrella.",
        ]
    );
    assert!(
        run.stderr.contains("stop reason end_turn)"),
        "{}",
        run.stderr
    );
}

#[test]
fn credentials_exchanges_one_federation_token_for_three_calls() {
    let run = run("credentials", &[]);
    assert_eq!(
        lines(&run.stdout),
        [
            "credentials: workload identity federation",
            "3 calls, 1 token exchange (the token is cached until shortly before it expires)",
        ]
    );
}

#[test]
fn messages_prints_the_reply() {
    for args in [&["hi"][..], &["--stream", "hi"]] {
        let run = run("messages", args);
        assert_eq!(lines(&run.stdout), [MESSAGES_REPLY], "messages {args:?}");
    }
}

#[test]
fn messages_json_is_the_whole_message() {
    for args in [&["--json", "hi"][..], &["--stream", "--json", "hi"]] {
        let run = run("messages", args);
        let message = parse_message("messages", run.stdout.trim());
        assert_eq!(message.text(), MESSAGES_REPLY, "messages {args:?}");
        assert!(message.id.starts_with("msg_"), "{}", message.id);
        assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
        assert!(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
        assert_eq!(message.model.as_str(), "claude-sonnet-5");
    }
}

#[test]
fn messages_on_each_platform_prints_the_final_message() {
    for platform in ["bedrock", "bedrock-mantle", "vertex", "foundry"] {
        let run = run(
            "messages",
            &["--platform", platform, "--stream", "--json", "hi"],
        );
        let message = parse_message("messages", run.stdout.trim());
        assert_eq!(message.text(), MESSAGES_REPLY, "--platform {platform}");
        assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
        assert!(message.usage.output_tokens > 0, "--platform {platform}");
    }
    let output = command("messages", &["--platform", "azure", "hi"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown platform \"azure\""));
}

/// What each platform example prints on its mock: a reply, a streamed
/// reply and a token count, once per platform it shows.
fn assert_platform_example(name: &str, platforms: usize) {
    let run = run(name, &[]);
    let mut expected = Vec::new();
    for _ in 0..platforms {
        expected.push(
            "create: Hello! I'm Claude, here played by the claude-rs mock. (10 output tokens)",
        );
        expected.push("stream: One, two, three, four, five.");
        expected.push("count_tokens: 12 input tokens");
    }
    assert_eq!(lines(&run.stdout), expected, "{name}");
}

#[test]
fn bedrock_runs_invoke_model_then_mantle() {
    assert_platform_example("bedrock", 2);
}

#[test]
fn vertex_creates_streams_and_counts() {
    assert_platform_example("vertex", 1);
}

#[test]
fn foundry_creates_streams_and_counts() {
    assert_platform_example("foundry", 1);
}

#[test]
fn tour_walks_through_every_step() {
    let run = run("tour", &[]);
    let out = lines(&run.stdout);
    let headings: Vec<&str> = out
        .iter()
        .copied()
        .filter(|l| !l.starts_with(' '))
        .collect();
    assert_eq!(
        headings,
        [
            "1. A conversation of two turns",
            "2. An image",
            "3. A document",
            "4. Prompt caching (cache_control)",
            "5. Streaming text",
            "6. A typed tool, run by the tool runner",
            "7. Rate limits, from the answer's headers",
            "8. Errors, matched by kind",
            "9. Extended thinking",
            "10. A batch",
            "11. A structured output",
        ]
    );
    for expected in [
        "   claude> Your name is Ada.",
        "   tool>   get_weather({\"city\":\"Paris\"})",
        "   rate limited (429): try again in 20 s",
        "   thought> 27 is 3 cubed, so 27 * 3 is 3 to the fourth: 81.",
        "   sum: 42",
        "   Paris (France), about 2.1 million people",
    ] {
        assert!(out.contains(&expected), "no {expected:?} in {out:#?}");
    }
    assert!(
        out.iter()
            .any(|l| l.starts_with("   not found (404): API error 404 (not_found_error)")),
        "{out:#?}"
    );
}

#[test]
fn messages_without_a_prompt_prints_its_usage() {
    let output = command("messages", &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: a prompt is required"), "{stderr}");
    assert!(
        stderr.contains("usage: messages [--platform anthropic|bedrock|"),
        "{stderr}"
    );
}

#[test]
fn tools_runs_the_tool_then_answers() {
    for args in [&[][..], &["--stream"]] {
        let run = run("tools", args);
        assert!(
            run.stderr.contains(
                "tool>   get_weather({\"location\":\"Paris, France\",\"unit\":\"celsius\"})"
            ),
            "tools {args:?}: {}",
            run.stderr
        );
        assert_eq!(
            lines(&run.stdout),
            ["claude> It's 19°C and partly cloudy in Paris, with a light 10 km/h wind."],
            "tools {args:?}"
        );
    }
    let run = run("tools", &["--json"]);
    let message = parse_message("tools --json", &run.stdout);
    assert!(
        message.text().starts_with("It's 19°C"),
        "{}",
        message.text()
    );
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
}

#[test]
fn count_tokens_counts_more_with_a_system_prompt() {
    let run = run("count_tokens", &["How", "long", "is", "this?"]);
    let out = lines(&run.stdout);
    assert_eq!(
        out.first(),
        Some(&"prompt: \"How long is this?\""),
        "{out:?}"
    );
    let count = |prefix: &str| -> u64 {
        let line = out.iter().find_map(|l| l.strip_prefix(prefix));
        match line.map(str::parse) {
            Some(Ok(n)) => n,
            _ => panic!("no {prefix:?} line with a number in {out:?}"),
        }
    };
    let bare = count("input tokens: ");
    let with_system = count("with a system prompt: ");
    assert!(bare > 0, "{out:?}");
    assert!(with_system > bare, "{out:?}");
}

#[test]
fn agents_answers_word_count_through_the_session_tool_runner() {
    let run = run("agents", &["one two three four"]);
    assert_eq!(
        lines(&run.stdout),
        [
            "user: one two three four",
            "session.status_running",
            r#"tool call: word_count({"text":"one two three four"})"#,
            "idle (requires_action)",
            "tool result: 4",
            "session.status_running",
            "agent: The word_count tool returned: 4",
            "idle (end_turn)",
        ]
    );
    assert!(
        run.stderr.contains("runner: word_count answered"),
        "{}",
        run.stderr
    );
}

#[test]
fn agents_json_prints_each_event_once_as_received() {
    let run = run("agents", &["--json"]);
    let events: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON event per line"))
        .collect();
    let ids: Vec<&str> = events
        .iter()
        .map(|e| e["id"].as_str().expect("an id"))
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an event printed twice: {ids:?}");
    let of = |kind: &str| events.iter().filter(|e| e["type"] == kind).count();
    assert_eq!(of("agent.custom_tool_use"), 1, "{events:?}");
    assert_eq!(of("user.custom_tool_result"), 1, "{events:?}");
    let last = events.last().expect("events");
    assert_eq!(last["stop_reason"]["type"], "end_turn");
    // The wire format, as received: the mock's `stop_details: null` is kept.
    assert!(
        last.as_object()
            .is_some_and(|e| e.contains_key("stop_details")),
        "{last}"
    );
}

#[test]
fn models_lists_several_pages_then_the_newest() {
    let run = run("models", &[]);
    let out = lines(&run.stdout);
    let (newest, listed) = match out.split_last() {
        Some(split) => split,
        None => panic!("models printed nothing"),
    };
    // More models than the page size of 3: the stream followed pages.
    assert!(listed.len() > 3, "{out:?}");
    assert!(
        listed.iter().all(|line| line.starts_with("claude-")),
        "{out:?}"
    );
    assert!(newest.starts_with("newest: "), "{newest}");
    assert!(newest.contains("(request id req_"), "{newest}");
}

#[test]
fn raw_lists_agents_and_reads_the_organization_through_the_verbs() {
    let run = run("raw", &[]);
    let out = lines(&run.stdout);
    assert_eq!(out.len(), 2, "{out:?}");
    // The mock keeps no agents yet: an empty list, every page followed.
    assert_eq!(out[0], "0 agents");
    let organization = out[1]
        .strip_prefix("organization ")
        .unwrap_or_else(|| panic!("{out:?}"));
    let organization: serde_json::Value = serde_json::from_str(organization).expect("JSON");
    assert_eq!(organization["type"], "organization");
    assert_eq!(organization["name"], "claude-rs mock organization");
}

#[test]
fn admin_prints_every_object_of_the_organization_once() {
    let run = run("admin", &[]);
    let out = lines(&run.stdout);
    assert!(out[0].starts_with("organization "), "{out:?}");
    // The mock's organization: its users over more than one page (20 a
    // page by default), its workspaces and API keys.
    let users: Vec<&&str> = out.iter().filter(|l| l.starts_with("user ")).collect();
    assert_eq!(users.len(), 5, "{out:?}");
    let ids: std::collections::HashSet<&str> =
        users.iter().map(|l| l.split(' ').nth(1).unwrap()).collect();
    assert_eq!(ids.len(), users.len(), "a user printed twice: {out:?}");
    assert!(out.iter().any(|l| l.starts_with("workspace ")), "{out:?}");
    assert!(out.iter().any(|l| l.starts_with("api key ")), "{out:?}");
    assert!(run.stderr.contains("embedded mock"), "{}", run.stderr);

    // With --json, one object per line, the same objects in the same order.
    let json = run_json("admin");
    assert_eq!(json.len(), out.len());
    assert_eq!(json[0]["type"], "organization");
    for (object, line) in json.iter().zip(&out) {
        let id = object["id"].as_str().unwrap();
        assert!(line.contains(id), "{line} / {object}");
    }
}

/// The lines of an example run with `--json`, each parsed.
fn run_json(name: &str) -> Vec<serde_json::Value> {
    let run = run(name, &["--json"]);
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}")))
        .collect()
}

#[test]
fn batch_prints_an_answer_per_request() {
    let run = run("batch", &["1"]);
    assert_eq!(
        lines(&run.stdout),
        ["capital: Paris", "sum: 42", "colour: Blue"]
    );
    assert!(run.stderr.contains("created msgbatch_"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("ended: 3 succeeded, 0 errored, 0 canceled, 0 expired"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_answers_about_the_uploaded_pdf() {
    let run = run("files", &[]);
    assert_eq!(
        lines(&run.stdout),
        ["The secret word in this document is \"mango\"."]
    );
    assert!(
        run.stderr.contains("uploaded note.pdf as file_"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("deleted file_"), "{}", run.stderr);
}

#[test]
fn structured_decodes_the_order() {
    for args in [&[][..], &["--stream"]] {
        let run = run("structured", args);
        assert_eq!(
            lines(&run.stdout),
            [
                "2 x Green Tea at $5.50",
                "1 x Coffee at $3.00",
                "total: $14.00"
            ],
            "structured {args:?}"
        );
    }
}

#[test]
fn skills_uploads_uses_and_deletes_a_skill() {
    let run = run("skills", &[]);
    let out = lines(&run.stdout);
    assert!(
        out.first()
            .is_some_and(|l| l.starts_with("created haiku-writer (skill_")),
        "{out:?}"
    );
    assert!(out.contains(&"custom skills on this page: 1"), "{out:?}");
    let tool = out
        .iter()
        .position(|l| l.starts_with("tool>   bash_code_execution("))
        .unwrap_or_else(|| panic!("no code execution in {out:?}"));
    assert!(
        out[tool].contains("count.py 'Morning rain returns'"),
        "{out:?}"
    );
    assert_eq!(
        out[tool + 1..tool + 4],
        ["output> 5", "output> 7", "output> 5"]
    );
    assert_eq!(
        out[tool + 4..tool + 8],
        [
            "claude> The lines have 5, 7 and 5 syllables:",
            "",
            "Morning rain returns",
            "soft on the old temple roof",
        ]
    );
    assert!(
        out.last().is_some_and(|l| l.starts_with("deleted skill_")),
        "{out:?}"
    );
}

/// The `otel` example's spans, one JSON object a line.
fn otel_spans(args: &[&str]) -> (Vec<serde_json::Value>, String) {
    let run = run("otel", args);
    let spans = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    (spans, run.stderr)
}

#[test]
fn otel_prints_the_genai_spans_of_a_create_and_a_streamed_call() {
    let (spans, stderr) = otel_spans(&[]);
    assert!(
        stderr.contains("2 of 2 requests carried a traceparent"),
        "{stderr}"
    );
    assert_eq!(spans.len(), 2, "{spans:#?}");
    for span in &spans {
        assert_eq!(span["name"], "anthropic.messages.create");
        assert_eq!(span["kind"], "client");
        assert_eq!(span["status"], "ok");
        assert_eq!(span["parent_span_id"], serde_json::Value::Null);
        assert_eq!(span["trace_id"].as_str().map(str::len), Some(32));
        assert_eq!(span["span_id"].as_str().map(str::len), Some(16));
        let attributes = &span["attributes"];
        assert_eq!(attributes["gen_ai.operation.name"], "chat");
        assert_eq!(attributes["gen_ai.provider.name"], "anthropic");
        assert_eq!(attributes["gen_ai.request.model"], "claude-sonnet-5");
        assert_eq!(attributes["gen_ai.request.max_tokens"], 64);
        assert!(attributes["gen_ai.usage.input_tokens"].as_i64() > Some(0));
        assert_eq!(attributes["anthropic.message.stop_reason"], "end_turn");
        assert!(
            attributes.get("gen_ai.input.messages").is_none(),
            "metadata only"
        );
    }
    let streamed = &spans[1]["attributes"];
    assert_eq!(streamed["gen_ai.request.stream"], true);
    assert!(streamed["gen_ai.response.time_to_first_chunk"].as_f64() > Some(0.0));
    assert!(
        spans[0]["attributes"]
            .get("gen_ai.request.stream")
            .is_none()
    );
}

#[test]
fn otel_content_adds_the_messages() {
    let (spans, _) = otel_spans(&["--content"]);
    assert_eq!(spans.len(), 2);
    for span in &spans {
        let attributes = &span["attributes"];
        assert_eq!(
            attributes["gen_ai.system_instructions"],
            r#"[{"type":"text","content":"be brief"}]"#
        );
        assert_eq!(
            attributes["gen_ai.input.messages"],
            r#"[{"role":"user","parts":[{"type":"text","content":"hi"}]}]"#
        );
        assert!(
            attributes["gen_ai.output.messages"].as_str().is_some_and(
                |o| o.starts_with(r#"[{"role":"assistant","parts":[{"type":"text","content":"#)
            ),
            "{attributes}"
        );
    }
}
