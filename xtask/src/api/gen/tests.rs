use std::path::{Path, PathBuf};

use super::*;

fn api_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-gen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn check_passes_when_current_and_names_the_first_stale_file() {
    let description = Description::load(&api_dir()).expect("the description loads");
    let (files, _) = generate(&description).expect("generates");
    let root = scratch("check");
    write::write(&root, &files).expect("writes");
    write::check(&root, &files).expect("current after writing");

    // An edited file is named.
    let sessions = root.join("crates/agents/src/generated/sessions.rs");
    let text = std::fs::read_to_string(&sessions).expect("written");
    std::fs::write(&sessions, text.replacen("pub struct", "pub struct  ", 1)).expect("edit");
    let error = write::check(&root, &files).expect_err("an edited file is stale");
    assert!(
        error.contains("crates/agents/src/generated/sessions.rs"),
        "{error}"
    );

    // A missing file, and a file the generator no longer writes.
    std::fs::write(&sessions, &text).expect("restore");
    write::check(&root, &files).expect("current again");
    std::fs::remove_file(root.join("crates/admin/src/generated/users.rs")).expect("remove");
    let error = write::check(&root, &files).expect_err("a missing file");
    assert!(
        error.contains("crates/admin/src/generated/users.rs is missing"),
        "{error}"
    );
    write::write(&root, &files).expect("rewrites");
    std::fs::write(root.join("crates/admin/src/generated/old.rs"), "").expect("extra");
    let error = write::check(&root, &files).expect_err("a leftover file");
    assert!(error.contains("old.rs is no longer generated"), "{error}");
    write::write(&root, &files).expect("removes leftovers");
    write::check(&root, &files).expect("current");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn output_is_deterministic_marked_and_covers_every_route() {
    let description = Description::load(&api_dir()).expect("the description loads");
    let (first, skipped) = generate(&description).expect("generates");
    let (second, _) = generate(&description).expect("generates again");
    assert_eq!(first, second);
    for (path, text) in &first {
        assert!(text.starts_with(MARKER), "{path} lacks the marker");
    }
    let all: String = first.values().cloned().collect();
    let mut routes = std::collections::BTreeSet::new();
    for endpoint in &description.endpoints {
        let family = &endpoint.family;
        if (family.starts_with("agents/") || family.starts_with("admin/"))
            && endpoint.client() != "bedrock"
        {
            routes.insert(endpoint.route());
        }
    }
    for route in &routes {
        let marked = all.contains(&format!("// endpoint: {route}\n"));
        let left_out = skipped.iter().any(|(r, _)| r == route);
        assert!(
            marked != left_out,
            "{route}: generated {marked}, left out {left_out}"
        );
    }
    // Bedrock's control plane: every route in its own module, none of them
    // sending the SDK's `bedrock` routing flag.
    let bedrock: String = first
        .iter()
        .filter(|(path, _)| path.starts_with("crates/agents/src/bedrock/generated/"))
        .map(|(_, text)| text.as_str())
        .collect();
    let mut count = 0;
    for endpoint in &description.endpoints {
        if endpoint.client() == "bedrock" {
            count += 1;
            let route = endpoint.route();
            assert!(
                bedrock.contains(&format!("// endpoint: {route}\n")),
                "bedrock {route} is not generated"
            );
        }
    }
    assert_eq!(count, 34);
    assert!(!bedrock.contains(r#".query("bedrock""#));
    assert!(bedrock.contains("pub trait BedrockManagedAgentsExt"));
    // Bracket arrays and range filters exactly as the API takes them.
    assert!(all.contains(r#"call = call.query_all("statuses[]", &self.statuses);"#));
    assert!(all.contains(r#"call = call.query("created_at[gte]", value);"#));
    // Multipart bodies: a file array as `files[]` parts, a single file
    // under its own name, text fields as text.
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(all.contains(r#"form = form.file("files[]", value);"#));
    assert!(all.contains(r#"form = form.file("archive", value);"#));
    assert!(all.contains(r#"form = form.text("release_notes", &value);"#));
    assert!(all.contains(".multipart(params.into_form())"));
}

#[test]
fn date_times_dates_and_literal_choices_are_typed() {
    use serde_json::json;
    use types::{TextType, text_type};
    let enum_of = |v: &[&str]| Some(TextType::Enum(v.iter().map(|s| (*s).to_owned()).collect()));
    assert_eq!(text_type(&json!("datetime")), Some(TextType::Timestamp));
    assert_eq!(
        text_type(&json!({"union": ["string", "datetime", "null"]})),
        Some(TextType::Timestamp)
    );
    assert_eq!(
        text_type(&json!({"union": ["string", "date"]})),
        Some(TextType::Date)
    );
    assert_eq!(
        text_type(&json!({"literal": ["a", "b"]})),
        enum_of(&["a", "b"])
    );
    assert_eq!(
        text_type(
            &json!({"union": [{"literal": ["a"]}, {"literal": ["b", "a"]}, "string", "null"]})
        ),
        enum_of(&["a", "b"])
    );
    // A constant (a tag), plain strings and mixed unions stay as they were.
    for t in [
        json!({"literal": ["session"]}),
        json!("string"),
        json!({"union": ["integer", "datetime"]}),
        json!({"union": [{"literal": ["a", "b"]}, {"ref": "X"}]}),
        json!({"literal": [1, 2]}),
    ] {
        assert_eq!(text_type(&t), None, "{t}");
    }

    let description = Description::load(&api_dir()).expect("the description loads");
    let (files, _) = generate(&description).expect("generates");
    let sessions = &files["crates/agents/src/generated/sessions.rs"];
    for expected in [
        "use claude_rs_types::{datetime::Timestamp, object, string_enum, tagged_union};",
        "            created_at: Timestamp,\n",
        "            status: SessionStatus,\n",
        "    pub enum SessionStatus {\n        Rescheduling => \"rescheduling\",",
        "    pub created_at_gte: Option<Timestamp>,\n",
        "    pub statuses: Vec<SessionsListQueryStatuses>,\n",
    ] {
        assert!(
            sessions.contains(expected),
            "sessions.rs lacks {expected:?}"
        );
    }
    let analytics = &files["crates/admin/src/generated/analytics.rs"];
    assert!(analytics.contains("            last_activity_date: Date,\n"));
    assert!(analytics.contains("    pub starting_date: Option<Date>,\n"));
}

/// The arms of a returned union that hold whole resources are boxed, the
/// rest not; arms of unions sent in requests never are.
#[test]
fn large_arms_of_returned_unions_are_boxed() {
    let description = Description::load(&api_dir()).expect("the description loads");
    let (files, _) = generate(&description).expect("generates");
    let sessions = &files["crates/agents/src/generated/sessions.rs"];
    for boxed in [
        "\"session.updated\" => SessionUpdated(Box<SessionUpdatedEvent>),",
        "\"session.usage\" => SessionUsage(Box<SessionUsageEvent>),",
    ] {
        assert!(sessions.contains(boxed), "sessions.rs lacks {boxed:?}");
    }
    for unboxed in [
        "\"agent.message\" => AgentMessage(AgentMessageEvent),",
        "\"event_delta\" => EventDelta(DeltaEvent),",
        "\"user.message\" => UserMessage(UserMessageEventParams),",
    ] {
        assert!(sessions.contains(unboxed), "sessions.rs lacks {unboxed:?}");
    }
    for (path, text) in &files {
        let boxed_params = text.lines().find(|line| {
            line.contains("=> ") && line.contains("(Box<") && line.contains("Params>),")
        });
        assert_eq!(boxed_params, None, "{path}: a request union's arm is boxed");
    }
}
