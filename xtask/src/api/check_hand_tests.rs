//! The hand-written types the check reads (untagged enums, tag families,
//! the model catalogue, types local macros stamp across files): a drift in
//! each fails, naming the item and its file.

use super::{Scratch, assert_names, new_failures};

#[test]
fn a_removed_field_of_a_block_a_local_macro_stamps_fails_naming_it() {
    let scratch = Scratch::new("hand-block-field");
    scratch.edit(
        "types/content/server_results.rs",
        "                    /// The id of the `server_tool_use` this answers.\n                    tool_use_id: String,\n",
        "",
    );
    let failures = new_failures(&scratch);
    for block in [
        "CodeExecutionToolResultBlock",
        "BashCodeExecutionToolResultBlock",
        "TextEditorCodeExecutionToolResultBlock",
        "ToolSearchToolResultBlock",
    ] {
        assert_names(
            &failures,
            &format!("types: {block} lacks field \"tool_use_id\""),
            "server_results.rs",
        );
    }
}

#[test]
fn a_removed_field_of_a_tool_a_macro_of_another_file_stamps_fails_naming_it() {
    let scratch = Scratch::new("hand-advisor-field");
    scratch.edit(
        "types/tool/toolset.rs",
        "        /// At most this many consultations per request.\n        max_uses: u32,\n",
        "",
    );
    assert_names(
        &new_failures(&scratch),
        "types: AdvisorTool lacks field \"max_uses\"",
        "toolset.rs",
    );
}

#[test]
fn a_missing_form_of_an_untagged_enum_fails_naming_it() {
    let scratch = Scratch::new("hand-untagged");
    scratch.edit("types/config.rs", "    Id(String),\n", "");
    scratch.edit(
        "types/context_management.rs",
        "Self::All => serializer.serialize_str(\"all\")",
        "Self::All => serializer.serialize_str(\"every\")",
    );
    scratch.edit(
        "types/content/server_results.rs",
        "    Error(WebSearchToolResultError),\n",
        "",
    );
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "types: ContainerParam lacks member \"string\"",
        "config.rs",
    );
    assert_names(
        &failures,
        "types: ThinkingKeep lacks member \"all\"",
        "context_management.rs",
    );
    assert_names(
        &failures,
        "types: WebSearchToolResultContent lacks member \"",
        "server_results.rs",
    );
}

#[test]
fn a_missing_tool_family_fails_naming_it() {
    let scratch = Scratch::new("hand-tool-family");
    scratch.edit(
        "types/tool/mod.rs",
        "            (_, Some(8)) => from_object::<AdvisorTool>(map).map(Tool::Advisor),\n",
        "",
    );
    assert_names(
        &new_failures(&scratch),
        "types: Tool lacks member \"advisor_20260301\"",
        "tool/mod.rs",
    );
}

#[test]
fn a_model_missing_from_the_catalogue_or_a_changed_kind_fails_naming_it() {
    let scratch = Scratch::new("hand-model");
    scratch.edit(
        "types/model.rs",
        "CLAUDE_OPUS_4_8 = \"claude-opus-4-8\"",
        "CLAUDE_OPUS_4_8 = \"claude-opus-4-8-x\"",
    );
    scratch.edit(
        "types/skills.rs",
        "AnthropicExample => \"anthropic_example\"",
        "AnthropicExample => \"anthropic-example\"",
    );
    let failures = new_failures(&scratch);
    assert_names(
        &failures,
        "types: Model lacks \"claude-opus-4-8\"",
        "model.rs",
    );
    assert_names(
        &failures,
        "types: SkillSourceKind lacks \"anthropic_example\"",
        "skills.rs",
    );
}

#[test]
fn a_removed_field_of_the_values_of_a_map_by_name_fails_naming_it() {
    let scratch = Scratch::new("hand-map");
    scratch.edit(
        "types/tool/toolset.rs",
        "            /// `false` leaves it out.\n            enabled: bool,\n",
        "",
    );
    assert_names(
        &new_failures(&scratch),
        "types: ToolActionConfig lacks field \"enabled\"",
        "toolset.rs",
    );
}
