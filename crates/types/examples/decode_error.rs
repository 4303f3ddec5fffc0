//! Shows the error a malformed known member gives: `cargo run -p claude-rs-types --example decode_error`.
#![allow(clippy::print_stdout)]
fn main() {
    let bad = r#"{"id":"m","type":"message","role":"assistant","model":"x","usage":{"input_tokens":0,"output_tokens":0},
        "content":[{"type":"text","text":"ok"},{"type":"tool_use","id":"t","name":"n","input":{},"caller":{"type":"direct","x":1}},{"type":"text","text":5}]}"#;
    match serde_json::from_str::<claude_rs_types::message::Message>(bad) {
        Ok(_) => println!("decoded?!"),
        Err(error) => println!("{error}"),
    }
}
