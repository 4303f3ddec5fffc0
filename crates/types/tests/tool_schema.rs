//! Tool input schemas derived from Rust types are inline object schemas the
//! API accepts: no `$schema`, `title` or `$defs`, descriptions from doc
//! comments, closed objects in strict mode, and typed errors for what
//! cannot be inlined.
#![cfg(feature = "schemars")]

use claude_rs_types::tool::CustomTool;
use claude_rs_types::tool_schema::{SchemaError, input_schema, input_schema_for};
use serde_json::{Value, json};

/// Temperature unit.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
enum Unit {
    /// Degrees Celsius.
    Celsius,
    /// Degrees Fahrenheit.
    Fahrenheit,
}

/// A place on Earth.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct Place {
    /// City name.
    city: String,
}

/// Look up the forecast.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct Forecast {
    /// Where.
    places: Vec<Place>,
    /// Which unit; Celsius when absent.
    unit: Option<Unit>,
    /// Extra filter.
    filter: Filter,
    /// A property whose name is a schema keyword.
    minimum: u8,
}

/// Which days to include.
#[derive(schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
enum Filter {
    /// Only these days ahead.
    Days {
        /// Day offsets.
        days: Vec<u8>,
    },
    /// Every day.
    All {},
}

fn no_key_anywhere(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => {
            !map.contains_key(key) && map.values().all(|v| no_key_anywhere(v, key))
        }
        Value::Array(items) => items.iter().all(|v| no_key_anywhere(v, key)),
        _ => true,
    }
}

#[test]
fn nested_types_are_inlined_with_their_doc_comments() {
    let schema = input_schema_for::<Forecast>(false).unwrap();
    for key in ["$schema", "$defs", "definitions", "$ref"] {
        assert!(no_key_anywhere(&schema, key), "{key} left in {schema:#}");
    }
    assert!(schema.get("title").is_none());
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["description"], "Look up the forecast.");
    let props = &schema["properties"];
    // A vector of a struct: the struct is inlined as the items schema.
    assert_eq!(props["places"]["type"], "array");
    assert_eq!(props["places"]["description"], "Where.");
    assert_eq!(
        props["places"]["items"]["properties"]["city"],
        json!({"type": "string", "description": "City name."})
    );
    // An option of an enum: inlined, nullable, not required, and the
    // field's doc comment wins over the type's.
    let unit = &props["unit"];
    assert_eq!(unit["description"], "Which unit; Celsius when absent.");
    let branches = unit["anyOf"].as_array().expect("anyOf");
    assert!(branches.contains(&json!({"type": "null"})), "{unit:#}");
    assert!(
        branches.iter().any(|b| b.to_string().contains("Celsius")),
        "{unit:#}"
    );
    assert_eq!(schema["required"], json!(["places", "filter", "minimum"]));
    // A nested tagged enum: one object branch per variant, tag as const.
    let filter = props["filter"]["oneOf"].as_array().expect("oneOf");
    assert_eq!(filter.len(), 2);
    assert_eq!(filter[0]["properties"]["kind"]["const"], "days");
    assert_eq!(filter[0]["properties"]["days"]["items"]["type"], "integer");
    // schemars' integer formats are dropped; the keyword-named property is
    // a property, not a constraint.
    assert!(no_key_anywhere(&schema, "format"), "{schema:#}");
    assert_eq!(props["minimum"]["minimum"], 0);
    assert!(schema.get("additionalProperties").is_none());
}

#[test]
fn strict_closes_every_object_and_describes_constraints() {
    let schema = input_schema_for::<Forecast>(true).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    let props = &schema["properties"];
    assert_eq!(props["places"]["items"]["additionalProperties"], false);
    for branch in props["filter"]["oneOf"].as_array().unwrap() {
        assert_eq!(branch["additionalProperties"], false, "{branch:#}");
    }
    assert!(props["minimum"].get("minimum").is_none());
    assert_eq!(
        props["minimum"]["description"],
        "A property whose name is a schema keyword.\n\n(minimum: 0, maximum: 255)"
    );
    let tool = CustomTool::for_input_strict::<Forecast>("forecast").unwrap();
    assert_eq!(tool.strict, Some(true));
    assert_eq!(tool.input_schema, schema);
}

/// A tree.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct Node {
    /// Children.
    children: Vec<Node>,
}

#[test]
fn recursive_types_are_an_error_not_a_loop() {
    let err = input_schema_for::<Node>(false).unwrap_err();
    assert_eq!(
        err,
        SchemaError::Recursive {
            name: "Node".into()
        }
    );
    assert!(err.to_string().contains("recursive"));
    assert!(CustomTool::for_input::<Node>("tree").is_err());
}

#[test]
fn a_tagged_enum_at_the_top_is_an_object() {
    let schema = input_schema_for::<Filter>(false).unwrap();
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["oneOf"].as_array().unwrap().len(), 2);
}

#[test]
fn non_objects_and_dangling_refs_are_errors() {
    assert_eq!(
        input_schema_for::<String>(false).unwrap_err(),
        SchemaError::NotAnObject {
            found: "type \"string\"".into()
        }
    );
    assert_eq!(
        input_schema_for::<Unit>(false).unwrap_err(),
        SchemaError::NotAnObject {
            found: "no type".into()
        }
    );
    let dangling = json!({"type": "object", "properties": {"a": {"$ref": "#/$defs/Missing"}}});
    assert_eq!(
        input_schema(dangling, false).unwrap_err(),
        SchemaError::UnresolvedRef {
            reference: "#/$defs/Missing".into()
        }
    );
    let external = json!({"type": "object", "properties": {"a": {"$ref": "https://x/y.json"}}});
    assert!(matches!(
        input_schema(external, false),
        Err(SchemaError::UnresolvedRef { .. })
    ));
}

#[test]
fn data_values_are_left_alone() {
    // An `enum` or `default` value that looks like a `$ref` is data.
    let schema = json!({
        "type": "object",
        "properties": {"a": {"enum": [{"$ref": "#/$defs/X"}], "default": {"$ref": "nope"}}},
    });
    let out = input_schema(schema.clone(), true).unwrap();
    assert_eq!(out["properties"]["a"], schema["properties"]["a"]);
}
