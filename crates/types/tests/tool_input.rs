//! The typed inputs of the Anthropic-defined client tools decode what the
//! API sends, write it back unchanged, and reject what they cannot execute
//! with a message that names the problem.

use claude_rs_types::tool_input::{
    BashInput, ClickInput, ComputerInput, MemoryInput, ScrollDirection, TextEditorInput,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn decode_error<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    serde_json::from_value::<T>(value.clone())
        .expect_err(&format!("{value} should not decode"))
        .to_string()
}

#[test]
fn bash_run_and_restart_round_trip() {
    let run = json!({"command": "ls -la"});
    assert_eq!(
        decode::<BashInput>(run.clone()),
        BashInput::Run {
            command: "ls -la".into()
        }
    );
    assert_eq!(
        serde_json::to_value(decode::<BashInput>(run.clone())).unwrap(),
        run
    );
    let restart = json!({"restart": true});
    assert_eq!(decode::<BashInput>(restart.clone()), BashInput::Restart);
    assert_eq!(serde_json::to_value(BashInput::Restart).unwrap(), restart);
}

#[test]
fn bash_needs_exactly_one_of_command_and_restart() {
    assert!(decode_error::<BashInput>(json!({})).contains("missing field `command`"));
    assert!(decode_error::<BashInput>(json!({"restart": false})).contains("missing field"));
    let both = decode_error::<BashInput>(json!({"command": "ls", "restart": true}));
    assert!(both.contains("cannot be sent together"), "{both}");
}

#[test]
fn text_editor_commands_decode() {
    let view = decode::<TextEditorInput>(
        json!({"command": "view", "path": "/repo/a.rs", "view_range": [3, -1]}),
    );
    assert_eq!(
        view,
        TextEditorInput::View {
            path: "/repo/a.rs".into(),
            view_range: Some([3, -1])
        }
    );
    assert_eq!(view.path(), "/repo/a.rs");
    // Older versions call the inserted text `new_str`.
    let insert = decode::<TextEditorInput>(
        json!({"command": "insert", "path": "/a", "insert_line": 2, "new_str": "x"}),
    );
    assert_eq!(
        insert,
        TextEditorInput::Insert {
            path: "/a".into(),
            insert_line: 2,
            insert_text: "x".into()
        }
    );
    // A missing `new_str` deletes `old_str`.
    let replace =
        decode::<TextEditorInput>(json!({"command": "str_replace", "path": "/a", "old_str": "x"}));
    assert!(matches!(replace, TextEditorInput::StrReplace { new_str, .. } if new_str.is_empty()));
    let undo = decode::<TextEditorInput>(json!({"command": "undo_edit", "path": "/a"}));
    assert_eq!(
        serde_json::to_value(&undo).unwrap(),
        json!({"command": "undo_edit", "path": "/a"})
    );
}

#[test]
fn unknown_command_names_it_and_the_known_ones() {
    let err = decode_error::<TextEditorInput>(json!({"command": "paste", "path": "/a"}));
    assert!(
        err.contains("unknown variant `paste`") && err.contains("`str_replace`"),
        "{err}"
    );
    let err = decode_error::<MemoryInput>(json!({"command": "chmod", "path": "/memories/a"}));
    assert!(err.contains("`chmod`") && err.contains("`rename`"), "{err}");
    let err = decode_error::<ComputerInput>(json!({"action": "teleport"}));
    assert!(
        err.contains("`teleport`") && err.contains("`left_click`"),
        "{err}"
    );
}

#[test]
fn missing_and_mistyped_fields_are_named() {
    let err = decode_error::<TextEditorInput>(json!({"command": "create", "path": "/a"}));
    assert!(err.contains("missing field `file_text`"), "{err}");
    let err = decode_error::<MemoryInput>(
        json!({"command": "insert", "path": "/memories/a", "insert_line": "two", "insert_text": "x"}),
    );
    assert!(
        err.contains("invalid type") && err.contains("\"two\""),
        "{err}"
    );
}

#[test]
fn memory_commands_round_trip() {
    for input in [
        json!({"command": "view", "path": "/memories"}),
        json!({"command": "create", "path": "/memories/n.md", "file_text": "hi"}),
        json!({"command": "str_replace", "path": "/memories/n.md", "old_str": "a", "new_str": "b"}),
        json!({"command": "insert", "path": "/memories/n.md", "insert_line": 0, "insert_text": "t"}),
        json!({"command": "delete", "path": "/memories/n.md"}),
        json!({"command": "rename", "old_path": "/memories/a", "new_path": "/memories/b"}),
    ] {
        let decoded = decode::<MemoryInput>(input.clone());
        assert_eq!(serde_json::to_value(decoded).unwrap(), input);
    }
}

#[test]
fn computer_actions_decode() {
    let click = decode::<ComputerInput>(
        json!({"action": "left_click", "coordinate": [10, 20], "text": "shift"}),
    );
    let ComputerInput::LeftClick(ClickInput {
        coordinate, text, ..
    }) = &click
    else {
        panic!("{click:?}")
    };
    assert_eq!(
        (*coordinate, text.as_deref()),
        (Some([10, 20]), Some("shift"))
    );
    let scroll = decode::<ComputerInput>(
        json!({"action": "scroll", "scroll_direction": "down", "scroll_amount": 3}),
    );
    assert!(matches!(
        scroll,
        ComputerInput::Scroll {
            scroll_direction: ScrollDirection::Down,
            scroll_amount: 3,
            coordinate: None,
            ..
        }
    ));
    for input in [
        json!({"action": "screenshot"}),
        json!({"action": "left_mouse_down"}),
        json!({"action": "key", "text": "ctrl+s"}),
        json!({"action": "wait", "duration": 1.5}),
        json!({"action": "zoom", "region": [0, 0, 100, 50]}),
        json!({"action": "left_click_drag", "start_coordinate": [1, 2], "coordinate": [3, 4]}),
        json!({"action": "double_click"}),
    ] {
        let decoded = decode::<ComputerInput>(input.clone());
        assert_eq!(serde_json::to_value(decoded).unwrap(), input);
    }
    let err = decode_error::<ComputerInput>(
        json!({"action": "scroll", "scroll_direction": "sideways", "scroll_amount": 1}),
    );
    assert!(err.contains("`sideways`"), "{err}");
}
