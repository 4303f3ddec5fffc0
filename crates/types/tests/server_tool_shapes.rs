//! The server tools' shapes the API description holds the crates to: typed
//! output files, tool references and URL sources, each round-tripping.

use claude_rs_types::content::{
    CodeExecutionOutput, CodeExecutionToolResultBlock, CodeExecutionToolResultContent,
    ToolSearchReference, ToolSearchToolResultBlock, ToolSearchToolResultContent,
};
use claude_rs_types::model::Model;
use claude_rs_types::tool::{
    AdvisorTool, UserLocation, WebFetchTool, WebFetchUrlSource, WebFetchUrlSourceTool,
};
use serde_json::{Value, json};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
    typed
}

#[test]
fn code_execution_output_files_are_typed_by_tool() {
    let block: CodeExecutionToolResultBlock = round_trip(json!({
        "tool_use_id": "srvtoolu_1",
        "content": {
            "type": "code_execution_result", "stdout": "", "stderr": "", "return_code": 0,
            "content": [{"type": "code_execution_output", "file_id": "file_1"}]
        }
    }));
    let CodeExecutionToolResultContent::Result(result) = block.content else {
        panic!("{:?}", block.content)
    };
    assert!(matches!(&result.content[0], CodeExecutionOutput::Code(f) if f.file_id == "file_1"));
    // The API always sends the list, empty when no file was written.
    let missing =
        json!({"type": "code_execution_result", "stdout": "", "stderr": "", "return_code": 0});
    assert!(serde_json::from_value::<CodeExecutionToolResultContent>(missing).is_err());
}

#[test]
fn tool_search_results_hold_tool_references() {
    let block: ToolSearchToolResultBlock = round_trip(json!({
        "tool_use_id": "srvtoolu_2",
        "content": {
            "type": "tool_search_tool_search_result",
            "tool_references": [{"type": "tool_reference", "tool_name": "get_weather"}]
        }
    }));
    let ToolSearchToolResultContent::Result(result) = block.content else {
        panic!("{:?}", block.content)
    };
    assert!(
        matches!(&result.tool_references[0], ToolSearchReference::Tool(r) if r.tool_name == "get_weather")
    );
}

#[test]
fn web_fetch_url_sources_and_user_location_are_typed() {
    let tool: WebFetchTool = round_trip(json!({
        "type": "web_fetch_20250910", "name": "web_fetch",
        "url_sources": {
            "user_input": {"type": "all"},
            "client_tool_results": {"type": "only", "tools": [{"type": "tool_reference", "name": "search"}]}
        }
    }));
    let sources = tool.url_sources.unwrap();
    assert!(matches!(
        sources.user_input,
        Some(WebFetchUrlSource::All(_))
    ));
    let Some(WebFetchUrlSource::Only(only)) = sources.client_tool_results else {
        panic!()
    };
    assert!(matches!(&only.tools[0], WebFetchUrlSourceTool::Reference(t) if t.name == "search"));

    let location = serde_json::to_value(UserLocation::approximate()).unwrap();
    assert_eq!(location, json!({"type": "approximate"}));
    assert!(serde_json::from_value::<UserLocation>(json!({"city": "Paris"})).is_err());
}

#[test]
fn the_advisor_is_built_with_its_model() {
    let advisor = AdvisorTool::new(Model::CLAUDE_OPUS_4_8);
    let json = serde_json::to_value(advisor).unwrap();
    assert_eq!(json["model"], "claude-opus-4-8");
    assert_eq!(json["type"], "advisor_20260301");
}
