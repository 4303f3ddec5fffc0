//! The check fails, naming the item, on each kind of drift: mutated copies
//! of the types crate's sources and of the description.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Inputs, run};

fn root() -> PathBuf {
    crate::workspace_root()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch copy of `crates/types/src` and of `api/`.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("xtask-api-check-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        copy_dir(&root().join("crates/types/src"), &dir.join("types"));
        copy_dir(&root().join("api"), &dir.join("api"));
        Self { dir }
    }

    /// Replaces `from` (which must be there) by `to` in a copied file.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// Changes a copied JSON file of the description.
    fn edit_json(&self, file: &str, change: impl FnOnce(&mut serde_json::Value)) {
        let path = self.dir.join(file);
        let mut value: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        change(&mut value);
        fs::write(&path, value.to_string()).unwrap();
    }

    fn failures(&self) -> Vec<String> {
        run(&Inputs {
            api: &self.dir.join("api"),
            types: &self.dir.join("types"),
            root: &root(),
            families: &root(),
        })
        .unwrap()
        .failures
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The failures of a mutated copy (the unmutated sources have none, see
/// `the_crates_as_they_are_pass`).
fn new_failures(scratch: &Scratch) -> Vec<String> {
    scratch.failures()
}

fn assert_names(failures: &[String], expected: &str, file: &str) {
    assert!(
        failures
            .iter()
            .any(|f| f.starts_with(expected) && f.ends_with(&format!("{file})"))),
        "no failure `{expected} ... {file})` in {failures:#?}"
    );
}

#[test]
fn the_crates_as_they_are_pass() {
    let report = run(&Inputs {
        api: &root().join("api"),
        types: &root().join("crates/types/src"),
        root: &root(),
        families: &root(),
    })
    .unwrap();
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(
        report.summary.contains(" endpoints implemented"),
        "{}",
        report.summary
    );
}

#[test]
fn a_removed_field_fails_naming_it() {
    let scratch = Scratch::new("removed-field");
    scratch.edit(
        "types/message.rs",
        "            diagnostics: Diagnostics,\n",
        "",
    );
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "types: Message lacks field \"diagnostics\"",
        "message.rs",
    );
}

#[test]
fn a_changed_wire_name_fails_naming_it() {
    let scratch = Scratch::new("wire-name");
    scratch.edit(
        "types/message.rs",
        "stop_sequence: String,",
        "stop_sequence: String = \"stop_seq\",",
    );
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "types: Message lacks field \"stop_sequence\"",
        "message.rs",
    );
}

#[test]
fn a_missing_enum_value_fails_naming_it() {
    let scratch = Scratch::new("enum-value");
    scratch.edit("types/message.rs", "PauseTurn => \"pause_turn\",", "");
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "types: StopReason lacks \"pause_turn\"",
        "message.rs",
    );
}

#[test]
fn a_missing_union_member_fails_naming_it() {
    let scratch = Scratch::new("union-member");
    scratch.edit(
        "types/content/mod.rs",
        "\"thinking\" => Thinking(ThinkingBlock),",
        "",
    );
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "types: ContentBlock lacks member \"thinking\"",
        "mod.rs",
    );
}

#[test]
fn a_new_error_code_in_the_description_fails_naming_it() {
    let scratch = Scratch::new("error-code");
    scratch.edit_json("api/errors.json", |errors| {
        errors["error_codes"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"class": "X", "code": "brand_new_code"}));
    });
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "errors: ErrorCode lacks \"brand_new_code\"",
        "error_code.rs",
    );
}

#[test]
fn a_query_or_header_parameter_no_method_can_set_fails_naming_it() {
    let scratch = Scratch::new("query-param");
    scratch.edit_json("api/models/endpoints.json", |value| {
        let list = value["endpoints"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|e| e["method"] == "GET" && e["path"] == "/v1/models")
            .unwrap();
        list["query"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"name": "color", "type": "string", "required": false}));
        list["headers"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"name": "x-color", "type": "string", "required": false}));
    });
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "params: GET /v1/models query \"color\" cannot be set",
        "crates/client/src/models.rs",
    );
    assert_names(
        &failures,
        "params: GET /v1/models header \"x-color\" cannot be set",
        "crates/client/src/models.rs",
    );
    // The list builder's and the per-call options' parameters pass.
    assert!(
        !failures
            .iter()
            .any(|f| f.contains("\"limit\"") || f.contains("anthropic-workspace-id")),
        "{failures:#?}"
    );
}

#[test]
fn a_removed_field_of_an_object_a_local_macro_stamps_fails_naming_it() {
    let scratch = Scratch::new("local-macro");
    scratch.edit(
        "types/context_management.rs",
        "                    cache_missed_input_tokens: u64,\n",
        "",
    );
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "types: ModelChanged lacks field \"cache_missed_input_tokens\"",
        "context_management.rs",
    );
}

#[test]
fn an_allow_entry_that_matches_nothing_fails() {
    let scratch = Scratch::new("stale-allow");
    scratch.edit_json("api/allow.json", |allow| {
        allow["allow"]["Nothing lacks field \"x\""] = "a reason".into();
    });
    let failures = new_failures(&scratch);
    assert!(
        failures
            .iter()
            .any(|f| f.starts_with("allow: \"Nothing lacks field \"x\"\" matches nothing")),
        "{failures:#?}"
    );
}

#[test]
fn the_description_holds_every_path_the_extractor_counted_and_typescript_agrees() {
    let api = root().join("api");
    let description = crate::api::model::Description::load(&api).unwrap();
    let provenance = crate::api::model::read_json(&api.join("provenance.json")).unwrap();
    let paths: std::collections::BTreeSet<&str> =
        description.endpoints.iter().map(|e| e.path()).collect();
    assert_eq!(Some(paths.len() as u64), provenance["paths"].as_u64());
    assert_eq!(
        Some(description.endpoints.len() as u64),
        provenance["endpoints"].as_u64()
    );
    assert_eq!(
        provenance["typescript"]["paths_only_in_typescript"],
        serde_json::json!([])
    );
    assert_eq!(
        provenance["typescript"]["paths_only_in_python"],
        serde_json::json!([])
    );
    assert!(
        provenance["generated"]
            .as_str()
            .unwrap()
            .contains("do not edit")
    );
}

/// A scratch copy of the family crates' generated sources.
struct Families {
    dir: PathBuf,
}

impl Families {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("xtask-api-families-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for target in crate::api::generate::plan::TARGETS {
            let from = target.path();
            copy_dir(&root().join(&from), &dir.join(&from));
        }
        Self { dir }
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn failures(&self) -> Vec<String> {
        run(&Inputs {
            api: &root().join("api"),
            types: &root().join("crates/types/src"),
            root: &root(),
            families: &self.dir,
        })
        .unwrap()
        .failures
    }
}

impl Drop for Families {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_generated_families_count_and_an_edited_file_fails_naming_the_item() {
    let families = Families::new("edited");
    assert!(families.failures().is_empty(), "{:#?}", families.failures());
    let report = run(&Inputs {
        api: &root().join("api"),
        types: &root().join("crates/types/src"),
        root: &root(),
        families: &families.dir,
    })
    .unwrap();
    assert!(
        report.summary.contains("321 of 321 endpoints implemented"),
        "{}",
        report.summary
    );

    let sessions = "crates/agents/src/generated/sessions.rs";
    families.edit(sessions, "            vault_ids: Vec<String>,\n", "");
    families.edit(
        sessions,
        "        \"user.interrupt\" => UserInterrupt(UserInterruptEvent),\n",
        "",
    );
    families.edit(sessions, "        Ask => \"ask\",\n", "");
    families.edit(sessions, "    // endpoint: GET /v1/sessions\n", "");
    // Bedrock's control plane is counted apart from the first-party routes
    // of the same method and path.
    let bedrock = "crates/agents/src/bedrock/generated/sessions.rs";
    families.edit(bedrock, "    // endpoint: GET /v1/sessions\n", "");
    families.edit(bedrock, "            working_directory: String,\n", "");
    let failures = families.failures();
    for expected in [
        "types: Session lacks field \"vault_ids\"",
        "types: SessionEvent lacks member \"user.interrupt\"",
        "types: AgentEvaluatedPermission lacks \"ask\"",
        "endpoints: GET /v1/sessions has no method",
        "endpoints: bedrock GET /v1/sessions has no method",
        "types: BedrockSession lacks field \"working_directory\"",
    ] {
        assert!(
            failures.iter().any(|f| f.starts_with(expected)),
            "no failure `{expected}` in {failures:#?}"
        );
    }
}

#[test]
fn a_generated_date_time_date_or_literal_choice_left_as_a_string_fails_naming_it() {
    let families = Families::new("typed");
    let sessions = "crates/agents/src/generated/sessions.rs";
    families.edit(
        sessions,
        "            status: SessionStatus,\n",
        "            status: String,\n",
    );
    families.edit(
        sessions,
        "            archived_at: Timestamp,\n",
        "            archived_at: String,\n",
    );
    families.edit(
        "crates/admin/src/generated/analytics.rs",
        "            last_activity_date: Date,\n",
        "            last_activity_date: Timestamp,\n",
    );
    let failures = families.failures();
    for expected in [
        "types: Session.status is String, not a string_enum! (the SDK has",
        "types: Session.archived_at is String, not Timestamp (the SDK has datetime",
        "types: AnalyticsUserActivity.last_activity_date is Timestamp, not Date (the SDK has date",
    ] {
        assert!(
            failures.iter().any(|f| f.starts_with(expected)),
            "no failure `{expected}` in {failures:#?}"
        );
    }
    assert_eq!(failures.len(), 3, "{failures:#?}");
}
#[path = "check_hand_tests.rs"]
mod hand;
