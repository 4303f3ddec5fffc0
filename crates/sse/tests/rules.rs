//! One test (at least) per rule of the WHATWG event stream interpretation.

mod common;

use std::time::Duration;

use bytes::Bytes;
use claude_rs_sse::{Error, Parser};
use common::{events, parse, parse_chunked, parse_split};

fn ev(event_type: &str, data: &str, id: &str) -> (String, String, String) {
    (event_type.to_owned(), data.to_owned(), id.to_owned())
}

// ---- Line endings ------------------------------------------------------------

#[test]
fn lf_crlf_and_cr_line_endings_are_equivalent() {
    let expected = vec![ev("a", "1\n2", ""), ev("message", "3", "")];
    assert_eq!(
        events(b"event: a\ndata: 1\ndata: 2\n\ndata: 3\n\n"),
        expected
    );
    assert_eq!(
        events(b"event: a\r\ndata: 1\r\ndata: 2\r\n\r\ndata: 3\r\n\r\n"),
        expected
    );
    assert_eq!(
        events(b"event: a\rdata: 1\rdata: 2\r\rdata: 3\r\r"),
        expected
    );
    assert_eq!(
        events(b"event: a\r\ndata: 1\rdata: 2\n\r\ndata: 3\r\n\n"),
        expected
    );
}

#[test]
fn crlf_split_between_chunks_is_one_line_ending() {
    // If the LF were taken as a second line ending, it would dispatch "a" alone.
    let input = b"data: a\r\ndata: b\r\n\r\n";
    for split in 1..input.len() {
        let outcome = parse_split(Parser::new(), input, &[split, input.len()]);
        let events: Vec<_> = outcome
            .events
            .into_iter()
            .map(|e| e.unwrap().data)
            .collect();
        assert_eq!(events, ["a\nb"], "split at {split}");
    }
}

#[test]
fn lone_cr_as_the_final_line_ending_of_the_stream() {
    assert_eq!(events(b"data: x\r\r"), vec![ev("message", "x", "")]);
    assert_eq!(events(b"data: x\n\r"), vec![ev("message", "x", "")]);
    // The event is available before `finish`: no lookahead is needed.
    let mut parser = Parser::new();
    parser.feed(Bytes::from_static(b"data: x\r\r"));
    assert_eq!(parser.next_event().unwrap().unwrap().data(), "x");
}

#[test]
fn cr_then_cr_is_two_line_endings() {
    assert_eq!(parse_chunked(b"data: x\r", 1).events.len(), 0);
    assert_eq!(parse_chunked(b"data: x\r\r", 1).events.len(), 1);
}

// ---- BOM -------------------------------------------------------------------------

#[test]
fn leading_bom_is_stripped() {
    assert_eq!(
        events(b"\xEF\xBB\xBFdata: x\n\n"),
        vec![ev("message", "x", "")]
    );
}

#[test]
fn leading_bom_split_across_chunks_is_stripped() {
    let input = b"\xEF\xBB\xBFdata: x\n\n";
    for size in 1..=4 {
        let outcome = parse_chunked(input, size);
        assert_eq!(outcome.events.len(), 1, "chunk size {size}");
        assert_eq!(outcome.events[0].as_ref().unwrap().data, "x");
    }
}

#[test]
fn only_one_bom_and_only_at_the_start_is_stripped() {
    // A second BOM is part of the first field name, which is then unknown.
    assert_eq!(events(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n"), vec![]);
    // A BOM elsewhere is content.
    assert_eq!(
        events(b"data: \xEF\xBB\xBFx\n\n"),
        vec![ev("message", "\u{FEFF}x", "")]
    );
    assert_eq!(
        events(b"data: a\n\n\xEF\xBB\xBFdata: b\n\n"),
        vec![ev("message", "a", "")]
    );
}

#[test]
fn partial_bom_is_content_not_stripped() {
    // EF BB followed by a line ending: a line named U+FFFD, ignored; the
    // following event is intact, in any chunking.
    let input = b"\xEF\xBB\ndata: x\n\n";
    for size in 1..=input.len() {
        let outcome = parse_chunked(input, size);
        let data: Vec<_> = outcome
            .events
            .into_iter()
            .map(|e| e.unwrap().data)
            .collect();
        assert_eq!(data, ["x"], "chunk size {size}");
    }
    // EF then a field: the name is not `data` any more.
    assert_eq!(events(b"\xEFdata: x\n\n"), vec![]);
}

// ---- Fields ------------------------------------------------------------------------

#[test]
fn comments_are_ignored() {
    assert_eq!(
        events(b": hello\n:\ndata: x\n: between\n\n:only a comment\n\n"),
        vec![ev("message", "x", "")]
    );
}

#[test]
fn exactly_one_leading_space_is_removed_from_values() {
    assert_eq!(
        events(b"data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\ndata: x \n\n"),
        vec![
            ev("message", "x", ""),
            ev("message", "x", ""),
            ev("message", " x", ""),
            ev("message", "\tx", ""),
            ev("message", "x ", ""),
        ]
    );
}

#[test]
fn only_the_first_colon_separates_name_and_value() {
    assert_eq!(
        events(b"data: a: b:c\n\n"),
        vec![ev("message", "a: b:c", "")]
    );
}

#[test]
fn field_without_colon_has_an_empty_value() {
    assert_eq!(events(b"data\n\n"), vec![ev("message", "", "")]);
    assert_eq!(events(b"data\ndata\n\n"), vec![ev("message", "\n", "")]);
    // `event` alone sets an empty type, which means "message".
    assert_eq!(
        events(b"event: x\nevent\ndata: d\n\n"),
        vec![ev("message", "d", "")]
    );
}

#[test]
fn unknown_fields_are_ignored_and_names_are_case_sensitive() {
    assert_eq!(
        events(b"foo: bar\nDATA: no\nData: no\nEvent: no\nID: no\ndata: yes\n\n"),
        vec![ev("message", "yes", "")]
    );
    assert_eq!(events(b"Data: x\n\n"), vec![]);
    assert_eq!(events(b"data : x\n\n"), vec![]); // The name is "data ".
}

// ---- Data and dispatch ---------------------------------------------------------

#[test]
fn data_lines_are_joined_with_lf() {
    assert_eq!(
        events(b"data: a\ndata: b\ndata: c\n\n"),
        vec![ev("message", "a\nb\nc", "")]
    );
    assert_eq!(
        events(b"data: a\ndata:\ndata: c\n\n"),
        vec![ev("message", "a\n\nc", "")]
    );
}

#[test]
fn empty_data_field_still_dispatches() {
    assert_eq!(events(b"data:\n\n"), vec![ev("message", "", "")]);
    assert_eq!(events(b"data: \n\n"), vec![ev("message", "", "")]);
}

#[test]
fn block_without_data_is_not_dispatched() {
    assert_eq!(events(b"event: x\n\n"), vec![]);
    assert_eq!(events(b"id: 1\nretry: 5\n\n\n\n"), vec![]);
}

#[test]
fn event_type_defaults_to_message_and_resets_after_each_block() {
    assert_eq!(
        events(b"event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\n"),
        vec![
            ev("a", "1", ""),
            ev("message", "2", ""),
            ev("message", "3", "")
        ]
    );
    assert_eq!(events(b"event:\ndata: x\n\n"), vec![ev("message", "x", "")]);
    assert_eq!(
        events(b"event: a\nevent: b\ndata: x\n\n"),
        vec![ev("b", "x", "")]
    );
}

// ---- Ids -----------------------------------------------------------------------

#[test]
fn last_event_id_persists_across_events() {
    let outcome = parse(b"id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\ndata: d\n\n");
    let ids: Vec<_> = outcome.events.into_iter().map(|e| e.unwrap().id).collect();
    assert_eq!(ids, ["1", "1", "2", "2"]);
    assert_eq!(outcome.last_event_id, "2");
}

#[test]
fn empty_id_resets_the_last_event_id() {
    assert_eq!(
        events(b"id: 1\ndata: a\n\nid\ndata: b\n\nid: 2\ndata: c\n\nid:\ndata: d\n\n"),
        vec![
            ev("message", "a", "1"),
            ev("message", "b", ""),
            ev("message", "c", "2"),
            ev("message", "d", "")
        ]
    );
}

#[test]
fn id_containing_nul_is_ignored() {
    let outcome = parse(b"id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n");
    let ids: Vec<_> = outcome.events.into_iter().map(|e| e.unwrap().id).collect();
    assert_eq!(ids, ["1", "1"]);
    assert_eq!(outcome.last_event_id, "1");
}

#[test]
fn id_is_committed_at_the_blank_line_even_without_data() {
    assert_eq!(parse(b"id: 5\n\n").last_event_id, "5");
    // Not before the blank line: an unfinished block's id is not reported.
    assert_eq!(parse(b"id: 1\n\nid: 2\ndata: x\n").last_event_id, "1");
}

// ---- Retry ---------------------------------------------------------------------

#[test]
fn retry_is_accepted_only_as_ascii_digits() {
    let outcome = parse(
        b"retry: 1500\ndata: a\n\nretry: 2s\ndata: b\n\nretry: -1\n\nretry:\n\nretry: 1 0\n\n",
    );
    let retries: Vec<_> = outcome
        .events
        .iter()
        .map(|e| e.as_ref().unwrap().retry)
        .collect();
    assert_eq!(retries, [Some(Duration::from_millis(1500)), None]);
    assert_eq!(outcome.retry, Some(Duration::from_millis(1500)));
}

#[test]
fn retry_applies_even_in_a_block_without_data() {
    let outcome = parse(b"retry: 3000\n\ndata: x\n\n");
    assert_eq!(outcome.retry, Some(Duration::from_millis(3000)));
    // The event did not carry a retry field of its own.
    assert_eq!(outcome.events[0].as_ref().unwrap().retry, None);
}

// ---- End of stream ---------------------------------------------------------------

#[test]
fn trailing_event_without_blank_line_is_discarded() {
    assert_eq!(
        events(b"data: a\n\ndata: b\n"),
        vec![ev("message", "a", "")]
    );
    assert_eq!(events(b"data: a\n\ndata: b"), vec![ev("message", "a", "")]);
    assert_eq!(
        events(b"data: a\n\nevent: x\ndata: b\r"),
        vec![ev("message", "a", "")]
    );
}

#[test]
fn finish_resets_the_stream_but_keeps_id_and_retry() {
    let mut parser = Parser::new();
    parser.feed(Bytes::from_static(
        b"id: 9\nretry: 10\ndata: a\n\ndata: lost\n",
    ));
    parser.finish();
    // The next connection's body, with its own BOM.
    parser.feed(Bytes::from_static(b"\xEF\xBB\xBFdata: b\n\n"));
    parser.finish();
    let mut out = Vec::new();
    common::drain(&mut parser, &mut out);
    let data: Vec<_> = out
        .iter()
        .map(|e| e.as_ref().unwrap().data.as_str())
        .collect();
    assert_eq!(data, ["a", "b"]);
    assert_eq!(out[1].as_ref().unwrap().id, "9");
    assert_eq!(parser.last_event_id(), "9");
    assert_eq!(parser.retry(), Some(Duration::from_millis(10)));
}

// ---- UTF-8 -----------------------------------------------------------------------

#[test]
fn invalid_utf8_is_replaced_with_u_fffd() {
    assert_eq!(
        events(b"event: a\xFFb\ndata: x\xC3\xA9\xE2\x82y\xF0\x9F\n\n"),
        vec![ev("a\u{FFFD}b", "x\u{E9}\u{FFFD}y\u{FFFD}", "")]
    );
    assert_eq!(
        events(b"id: \xC0\ndata: x\n\n"),
        vec![ev("message", "x", "\u{FFFD}")]
    );
}

#[test]
fn multibyte_characters_split_across_chunks_are_intact() {
    let input = "event: été\ndata: 日本語 🦀 ñ\ndata: €\nid: ü\n\n".as_bytes();
    for size in 1..=8 {
        let outcome = parse_chunked(input, size);
        let event = outcome.events[0].as_ref().unwrap();
        assert_eq!(
            (
                event.event_type.as_str(),
                event.data.as_str(),
                event.id.as_str()
            ),
            ("été", "日本語 🦀 ñ\n€", "ü"),
            "chunk size {size}"
        );
    }
}

#[test]
fn nul_bytes_in_data_are_kept() {
    assert_eq!(events(b"data: a\0b\n\n"), vec![ev("message", "a\0b", "")]);
}

// ---- Size limit ------------------------------------------------------------------

#[test]
fn oversized_event_is_a_typed_error_and_parsing_recovers() {
    let input = b"data: ok\n\nid: 7\ndata: 0123456789\ndata: 0123456789\nid: 8\n\ndata: next\n\n";
    for size in 1..=input.len() {
        let outcome = parse_split(Parser::with_max_event_size(16), input, &[size]);
        assert_eq!(outcome.events.len(), 3, "chunk size {size}");
        assert_eq!(outcome.events[0].as_ref().unwrap().data, "ok");
        assert!(
            matches!(
                outcome.events[1],
                Err(Error::EventTooLarge {
                    max_event_size: 16,
                    offset: 10,
                    ..
                })
            ),
            "{:?}",
            outcome.events[1]
        );
        // The skipped event's `id` fields still count.
        assert_eq!(outcome.events[2].as_ref().unwrap().data, "next");
        assert_eq!(outcome.events[2].as_ref().unwrap().id, "8");
    }
}

#[test]
fn oversized_single_line_is_rejected_while_it_arrives() {
    let mut parser = Parser::with_max_event_size(1024);
    parser.feed(Bytes::from_static(b"data: start\n\n"));
    assert!(parser.next_event().unwrap().is_ok());
    // A line that never ends must not be buffered without bound.
    let kib = Bytes::from(vec![b'x'; 1024]);
    let mut errors = 0;
    for _ in 0..64 {
        parser.feed(kib.clone());
        while let Some(item) = parser.next_event() {
            assert!(matches!(item, Err(Error::EventTooLarge { offset: 13, .. })));
            errors += 1;
        }
    }
    assert_eq!(errors, 1, "one error per oversized event");
    parser.feed(Bytes::from_static(b"\n\ndata: after\n\n"));
    assert_eq!(parser.next_event().unwrap().unwrap().data(), "after");
    assert!(format!("{parser:?}").contains("partial_line_len: 0"));
}

#[test]
fn event_exactly_at_the_limit_is_accepted() {
    // The size is the data held so far plus the whole line being read: the
    // second line below makes it 4 (data "1234") + 9 ("data:5678") = 13.
    let input = b"data:1234\ndata:5678\n\n";
    for size in 1..=input.len() {
        let outcome = parse_split(Parser::with_max_event_size(13), input, &[size]);
        assert_eq!(outcome.events[0].as_ref().unwrap().data, "1234\n5678");
        let outcome = parse_split(Parser::with_max_event_size(12), input, &[size]);
        assert!(outcome.events[0].is_err(), "chunk size {size}");
    }
}

#[test]
fn error_message_says_what_and_where() {
    let outcome = parse_split(
        Parser::with_max_event_size(10),
        b"data: a\n\ndata: 0123456789\n\n",
        &[],
    );
    let error = outcome.events[1].clone().unwrap_err();
    assert_eq!(
        error.to_string(),
        "event exceeds the maximum size of 10 bytes (event starts at byte offset 9 of the stream)"
    );
    assert!(std::error::Error::source(&error).is_none());
}

// ---- Zero copy and laziness --------------------------------------------------------

#[test]
fn single_line_data_inside_a_chunk_is_not_copied() {
    let chunk = Bytes::from_static(b"event: e\ndata: {\"a\":1}\n\n");
    let mut parser = Parser::new();
    parser.feed(chunk.clone());
    let event = parser.next_event().unwrap().unwrap();
    let range = chunk.as_ptr_range();
    assert!(range.contains(&event.data_bytes().as_ptr()));
    assert_eq!(event.data_bytes().as_ref(), b"{\"a\":1}");
}

#[test]
fn several_chunks_may_be_queued_before_draining() {
    let mut parser = Parser::new();
    for chunk in [&b"data: a\n\nda"[..], b"", b"ta: b\n", b"\ndata: c\n\n"] {
        parser.feed(Bytes::copy_from_slice(chunk));
    }
    let mut out = Vec::new();
    common::drain(&mut parser, &mut out);
    let data: Vec<_> = out.into_iter().map(|e| e.unwrap().data).collect();
    assert_eq!(data, ["a", "b", "c"]);
}

#[test]
fn long_lines_split_into_many_chunks_are_intact() {
    // Lines far longer than any chunk, with multi-byte characters cut anywhere.
    let long: String = "0123456789abcdé🦀".repeat(10_000);
    let input = format!("id: x\ndata: {long}\ndata: {long}\nevent: {long}\n\ndata: after\n\n");
    let expected = common::reference(input.as_bytes());
    assert_eq!(expected.events.len(), 2);
    for size in [1000, 4095, 16 * 1024, 16 * 1024 + 1, 40_000, input.len()] {
        assert_eq!(
            parse_chunked(input.as_bytes(), size),
            expected,
            "chunk size {size}"
        );
    }
    assert_eq!(
        parse_split(Parser::new(), input.as_bytes(), &[7, 20_000, 3]),
        expected
    );
}
