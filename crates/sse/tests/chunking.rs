//! Property tests: the outcome never depends on the chunking, and matches the
//! naive reference implementation of the spec.

mod common;

use claude_rs_sse::Parser;
use common::{parse_split, parse_split_ref, parse_stream, reference};
use proptest::prelude::*;

/// A line of an event stream, built from the pieces the spec cares about.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        4 => Just("data"),
        2 => Just("event"),
        1 => Just("id"),
        1 => Just("retry"),
        1 => Just(""), // A comment when followed by a colon.
        1 => Just("Data"),
        1 => Just("x"),
    ];
    let value = prop_oneof![
        4 => "[ -~]{0,12}",                    // Printable ASCII.
        2 => "[a-zé€🦀 \u{FEFF}:]{0,6}",      // Multi-byte characters, colons.
        1 => "[0-9]{1,4}",                     // Valid retry values.
        1 => Just("a\0b".to_owned()),
    ]
    .prop_map(String::into_bytes);
    let invalid = prop_oneof![
        Just(vec![]),
        Just(vec![0xFF]),
        Just(vec![0xE2, 0x82]),
        Just(vec![0xC3])
    ];
    let separator = prop_oneof![Just(&b": "[..]), Just(&b":"[..]), Just(&b""[..])];
    (name, separator, value, invalid).prop_map(|(name, sep, mut value, invalid)| {
        value.extend_from_slice(&invalid);
        [name.as_bytes(), sep, &value].concat()
    })
}

fn ending() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"\r"[..])]
}

/// A stream: an optional BOM, then lines and blank lines with mixed endings,
/// possibly cut off at the end.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let item = prop_oneof![3 => line(), 1 => Just(Vec::new())];
    (
        any::<bool>(),
        prop::collection::vec((item, ending()), 0..40),
        "[a-z:]{0,5}",
    )
        .prop_map(|(bom, lines, tail)| {
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            for (line, ending) in lines {
                out.extend_from_slice(&line);
                out.extend_from_slice(ending);
            }
            out.extend_from_slice(tail.as_bytes());
            out
        })
}

fn lengths() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..24, 1..12)
}

/// Chunk lengths on both sides of the size below which `EventStream` joins
/// chunks that are ready together.
fn stream_lengths() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(prop_oneof![1usize..24, 500usize..530], 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_chunking_gives_the_events_of_the_unsplit_stream(input in stream(), lengths in lengths()) {
        let whole = parse_split(Parser::new(), &input, &[]);
        let split = parse_split(Parser::new(), &input, &lengths);
        prop_assert_eq!(&split, &whole);
        prop_assert_eq!(parse_split(Parser::new(), &input, &[1]), whole);
    }

    #[test]
    fn unsplit_stream_matches_the_reference(input in stream()) {
        prop_assert_eq!(parse_split(Parser::new(), &input, &[]), reference(&input));
    }

    #[test]
    fn arbitrary_bytes_any_chunking_matches_the_reference(
        input in prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(&b"data:event:id:retry: \r\n\xEF\xBB\xBF\x00"[..]),
                1 => any::<u8>(),
            ],
            0..300,
        ),
        lengths in lengths(),
    ) {
        prop_assert_eq!(parse_split(Parser::new(), &input, &lengths), reference(&input));
    }

    #[test]
    fn borrowed_events_are_the_owned_ones_for_any_bytes_and_chunking(
        input in prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(&b"data:event:id:retry: \r\n\xEF\xBB\xBF\x00"[..]),
                1 => any::<u8>(),
            ],
            0..300,
        ),
        lengths in lengths(),
        max in prop_oneof![Just(usize::MAX), 0usize..40],
    ) {
        prop_assert_eq!(
            parse_split_ref(Parser::with_max_event_size(max), &input, &lengths),
            parse_split(Parser::with_max_event_size(max), &input, &lengths)
        );
        prop_assert_eq!(parse_split_ref(Parser::new(), &input, &lengths), reference(&input));
    }

    #[test]
    fn event_stream_gives_the_events_of_the_unsplit_stream(
        input in stream(),
        lengths in stream_lengths(),
        pendings in prop::collection::vec(any::<bool>(), 1..8),
        max in prop_oneof![Just(usize::MAX), 0usize..40],
    ) {
        let whole = parse_split(Parser::with_max_event_size(max), &input, &[]);
        let streamed = parse_stream(Parser::with_max_event_size(max), &input, &lengths, &pendings);
        prop_assert_eq!(streamed, whole);
    }

    #[test]
    fn size_limit_errors_do_not_depend_on_chunking(
        input in stream(),
        lengths in lengths(),
        max in 0usize..40,
    ) {
        let whole = parse_split(Parser::with_max_event_size(max), &input, &[]);
        let split = parse_split(Parser::with_max_event_size(max), &input, &lengths);
        prop_assert_eq!(split, whole);
    }
}
