//! The recorded Claude API streams in `tests/fixtures/recorded` parse into the
//! event sequences that an independent, naive reference implementation finds,
//! in every chunking.

mod common;

use std::fs;
use std::path::PathBuf;

use claude_rs_sse::Parser;
use common::{Outcome, Plain, parse, parse_chunked, parse_stream, reference};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/recorded");

fn recorded_streams() -> Vec<(String, Vec<u8>)> {
    let mut streams: Vec<(String, Vec<u8>)> = fs::read_dir(FIXTURES)
        .expect("fixtures directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sse"))
        .map(|path: PathBuf| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).expect("readable fixture"))
        })
        .collect();
    streams.sort();
    assert!(
        streams.len() >= 18,
        "expected the recorded streams, found {}",
        streams.len()
    );
    streams
}

fn ok_events(outcome: &Outcome) -> Vec<&Plain> {
    outcome
        .events
        .iter()
        .map(|e| e.as_ref().expect("no parse error"))
        .collect()
}

/// Counts lines `event: <name>` in the raw file, a third, textual, check.
fn count_event_lines(raw: &[u8], name: &str) -> usize {
    let needle = format!("event: {name}");
    String::from_utf8_lossy(raw)
        .lines()
        .filter(|line| *line == needle)
        .count()
}

#[test]
fn recorded_streams_match_the_reference() {
    for (name, raw) in recorded_streams() {
        let expected = reference(&raw);
        let actual = parse(&raw);
        assert!(
            !expected.events.is_empty(),
            "{name}: reference found no event"
        );
        assert_eq!(actual, expected, "{name}");
    }
}

#[test]
fn recorded_streams_match_in_every_chunk_size_up_to_64() {
    for (name, raw) in recorded_streams() {
        let expected = reference(&raw);
        for size in 1..=64 {
            assert_eq!(
                parse_chunked(&raw, size),
                expected,
                "{name}, chunk size {size}"
            );
        }
    }
}

/// Through `EventStream`, which joins small chunks that are ready together:
/// sizes on both sides of the joining threshold, with the source sometimes
/// not ready, give the same events.
#[test]
fn recorded_streams_match_through_the_event_stream() {
    let pendings: [&[bool]; 3] = [&[false], &[true], &[false, false, true]];
    for (name, raw) in recorded_streams() {
        let expected = reference(&raw);
        let sizes: [&[usize]; 8] = [
            &[1],
            &[7],
            &[64],
            &[511],
            &[512],
            &[4096],
            &[64, 64, 700],
            &[3, 600],
        ];
        for lengths in sizes {
            for pending in pendings {
                assert_eq!(
                    parse_stream(Parser::new(), &raw, lengths, pending),
                    expected,
                    "{name}, chunk sizes {lengths:?}, pending {pending:?}"
                );
            }
        }
    }
}

#[test]
fn recorded_streams_have_the_expected_shape() {
    for (name, raw) in recorded_streams() {
        let outcome = parse(&raw);
        let events = ok_events(&outcome);
        // Each event in these files is `event: T` + one `data:` line of JSON
        // whose "type" is T.
        for event in &events {
            let type_field = format!("\"type\":\"{}\"", event.event_type);
            let spaced_type_field = format!("\"type\": \"{}\"", event.event_type);
            assert!(
                event.data.contains(&type_field) || event.data.contains(&spaced_type_field),
                "{name}: data of a {} event: {}",
                event.event_type,
                event.data
            );
            assert!(!event.data.contains('\n'), "{name}: single-line data");
            assert_eq!(event.id, "", "{name}: the API sends no ids");
        }
        let total_event_lines = String::from_utf8_lossy(&raw)
            .lines()
            .filter(|line| line.starts_with("event: "))
            .count();
        assert_eq!(
            events.len(),
            total_event_lines,
            "{name}: one event per block"
        );
        if name == "sse_error_overloaded_frame.sse" {
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].event_type, "error");
            assert!(events[0].data.contains("overloaded_error"));
            continue;
        }
        assert_eq!(events[0].event_type, "message_start", "{name}");
        assert_eq!(events.last().unwrap().event_type, "message_stop", "{name}");
        for kind in [
            "content_block_start",
            "content_block_delta",
            "message_delta",
            "ping",
        ] {
            let parsed = events.iter().filter(|e| e.event_type == kind).count();
            assert_eq!(
                parsed,
                count_event_lines(&raw, kind),
                "{name}: {kind} events"
            );
        }
    }
}

#[test]
fn known_counts_of_selected_recordings() {
    let streams = recorded_streams();
    let events_of = |file: &str| {
        let (_, raw) = streams.iter().find(|(name, _)| name == file).expect(file);
        parse(raw)
    };
    let basic = events_of("sse_text_basic.sse");
    let types: Vec<_> = ok_events(&basic)
        .iter()
        .map(|e| e.event_type.clone())
        .collect();
    assert_eq!(
        types,
        [
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    let text_delta = &ok_events(&basic)[3].data;
    assert!(text_delta.contains(r#""text":"Hello.""#), "{text_delta}");

    let tool = events_of("sse_tool_use_list_input_21_deltas.sse");
    let deltas = ok_events(&tool)
        .iter()
        .filter(|e| e.data.contains("input_json_delta"))
        .count();
    assert_eq!(deltas, 21);

    // `max_tokens` cut a tool_use block: its content_block_stop never comes.
    let cut = events_of("sse_max_tokens_partial_tool_json.sse");
    let starts = ok_events(&cut)
        .iter()
        .filter(|e| e.event_type == "content_block_start")
        .count();
    let stops = ok_events(&cut)
        .iter()
        .filter(|e| e.event_type == "content_block_stop")
        .count();
    assert_eq!((starts, stops), (2, 1));

    // The web fetch recording contains non-ASCII text that must survive.
    let fetch = events_of("sse_web_fetch.sse");
    assert!(ok_events(&fetch).iter().any(|e| !e.data.is_ascii()));
    assert!(
        ok_events(&fetch)
            .iter()
            .all(|e| !e.data.contains('\u{FFFD}'))
    );
}
