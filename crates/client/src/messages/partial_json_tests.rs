//! The live value of every prefix of a JSON text equals a reference made
//! the slow way: complete the prefix (close its string and containers,
//! cutting back what cannot be completed), then parse it.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::PartialJson;

/// The reference: the least cut of `prefix` whose completion parses.
fn reference(prefix: &str) -> Option<Value> {
    let mut cuts: Vec<usize> = prefix.char_indices().map(|(at, _)| at).collect();
    cuts.push(prefix.len());
    cuts.reverse();
    cuts.into_iter().find_map(|end| complete(&prefix[..end]))
}

/// `text` closed: its open string and containers ended, a trailing comma
/// dropped; `None` when that is not JSON.
fn complete(text: &str) -> Option<Value> {
    let (mut closers, mut in_string, mut escaped) = (Vec::new(), false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '{') => closers.push('}'),
            (false, _, '[') => closers.push(']'),
            (false, _, '}' | ']') => {
                closers.pop();
            }
            _ => {}
        }
    }
    if escaped {
        return None;
    }
    let mut out = text.to_owned();
    if in_string {
        out.push('"');
    } else {
        let trimmed = out.trim_end().trim_end_matches(',').len();
        out.truncate(trimmed);
    }
    out.extend(closers.iter().rev());
    serde_json::from_str(&out).ok()
}

/// Feeds `text` in fragments cut at `cuts` (byte offsets, any order) and
/// checks the value after every fragment against the reference.
fn check_fragments(text: &str, cuts: &[usize]) {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| c % (text.len() + 1))
        .filter(|c| text.is_char_boundary(*c))
        .collect();
    points.push(text.len());
    points.sort_unstable();
    points.dedup();
    let mut partial = PartialJson::default();
    let mut from = 0;
    for to in points {
        partial.push(&text[from..to]);
        from = to;
        assert_eq!(
            partial.value().cloned(),
            reference(&text[..to]),
            "after {:?} of {text:?}",
            &text[..to]
        );
    }
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z\"\\\\/\n\t\u{1}é😀 ]{0,8}".prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z\"]{0,4}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_prefix_matches_the_reference(
        input in value(),
        pretty in any::<bool>(),
        cuts in prop::collection::vec(0usize..400, 0..12),
    ) {
        let text = if pretty {
            serde_json::to_string_pretty(&input).unwrap()
        } else {
            serde_json::to_string(&input).unwrap()
        };
        // Every prefix, one character at a time...
        let every: Vec<usize> = (0..=text.len()).collect();
        check_fragments(&text, &every);
        // ...and in random fragments.
        check_fragments(&text, &cuts);
        let mut whole = PartialJson::default();
        whole.push(&text);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(whole.value(), Some(&parsed));
    }
}

#[test]
fn strings_and_numbers_are_shown_as_they_grow() {
    let mut partial = PartialJson::default();
    let mut seen = Vec::new();
    for fragment in [
        r#"{"city": "Par"#,
        r#"is", "days": [1, 2"#,
        r#"5, 3"#,
        r#"], "ok": tr"#,
        "ue}",
    ] {
        partial.push(fragment);
        seen.push(partial.value().cloned().unwrap());
    }
    assert_eq!(
        seen,
        [
            json!({"city": "Par"}),
            json!({"city": "Paris", "days": [1, 2]}),
            json!({"city": "Paris", "days": [1, 25, 3]}),
            json!({"city": "Paris", "days": [1, 25, 3]}),
            json!({"city": "Paris", "days": [1, 25, 3], "ok": true}),
        ]
    );
}

#[test]
fn escapes_split_across_fragments_decode_once_whole() {
    let mut partial = PartialJson::default();
    for fragment in ["[\"a\\", "u00e9\\ud83d", "\\ude00", "\\n\"]"] {
        partial.push(fragment);
    }
    assert_eq!(partial.value(), Some(&json!(["aé😀\n"])));
}

#[test]
fn text_that_is_not_json_keeps_the_value_so_far() {
    let mut partial = PartialJson::default();
    partial.push(r#"{"a": [1, 2], "b": nope"#);
    assert_eq!(partial.value(), Some(&json!({"a": [1, 2]})));
    partial.push(r#", "c": 3}"#);
    assert_eq!(
        partial.value(),
        Some(&json!({"a": [1, 2]})),
        "nothing after the error"
    );
}
