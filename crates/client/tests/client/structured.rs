//! Structured outputs: `messages().parse::<T>()` on the recorded reply of a
//! real structured-output request, its request bytes, and a reply that does
//! not match `T`.

use claude_rs_client::Error;
use claude_rs_mock::{MockResponse, MockServer, Route};
use claude_rs_types::content::ToolUseBlock;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::support::{client, request};

/// The type of the recorded request (`OrderDetails` in the official tests).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct OrderDetails {
    items: Vec<OrderItem>,
    total: f64,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct OrderItem {
    product_name: String,
    price: f64,
    quantity: u32,
}

fn recorded_reply() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/structured_output_reply.json"
    );
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn parse_sends_the_strict_schema_and_decodes_the_recorded_reply() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::json(recorded_reply()));
    let reply = client(&server)
        .messages()
        .parse::<OrderDetails>(request(
            "Extract order: 2 Green Tea at $5.50 and 1 Coffee at $3.00.",
        ))
        .await
        .unwrap();
    let order = &reply.parsed_output;
    assert_eq!(order.total, 14.0);
    assert_eq!(order.items.len(), 2);
    assert_eq!(order.items[0].product_name, "Green Tea");
    assert_eq!((order.items[0].price, order.items[0].quantity), (5.5, 2));
    assert_eq!(reply.message.id, "msg_01T4jd6NyD9xGGtTPDC4ogy5");

    let sent = server.received_on(Route::Messages)[0].json.clone().unwrap();
    let format = &sent["output_config"]["format"];
    assert_eq!(format["type"], "json_schema");
    let schema = &format["schema"];
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"], json!(["items", "total"]));
    let item = &schema["properties"]["items"]["items"];
    assert_eq!(
        item["additionalProperties"], false,
        "nested types are inlined: {schema}"
    );
    assert!(schema.get("$defs").is_none() && schema.get("$schema").is_none());
}

#[tokio::test]
async fn a_reply_that_is_not_the_type_keeps_its_text() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text(r#"{"items": "none", "total": 0}"#));
    let error = client(&server)
        .messages()
        .parse::<OrderDetails>(request("Extract the order."))
        .await
        .unwrap_err();
    match &error {
        Error::StructuredOutput { text, source } => {
            assert_eq!(text, r#"{"items": "none", "total": 0}"#);
            assert!(source.to_string().contains("invalid type"), "{source}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn the_stream_gives_the_parsed_value_at_the_end() {
    let server = MockServer::start().await;
    let text = recorded_reply()["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    server.enqueue(MockResponse::text(text));
    let client = client(&server);
    let stream = client
        .messages()
        .stream_parse::<OrderDetails>(request("Extract the order."))
        .unwrap()
        .await
        .unwrap();
    let parsed = stream.final_parsed::<OrderDetails>().await.unwrap();
    assert_eq!(parsed.parsed_output.items[1].product_name, "Coffee");
    let sent = server.received_on(Route::Messages)[0].json.clone().unwrap();
    assert_eq!(sent["stream"], true);
    assert_eq!(sent["output_config"]["format"]["type"], "json_schema");
}

#[test]
fn a_tool_call_input_parses_into_its_type() {
    let call = ToolUseBlock::new(
        "toolu_1",
        "record_order",
        json!({"product_name": "Coffee", "price": 3.0, "quantity": 1}),
    );
    let item: OrderItem = call.parse_input().unwrap();
    assert_eq!((item.product_name.as_str(), item.quantity), ("Coffee", 1));
    assert!(call.parse_input::<OrderDetails>().is_err());
}
