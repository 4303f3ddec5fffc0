//! `Timestamp` and `Date`: what is read is written back byte for byte, what
//! is made here reads back as the same instant, and no input panics.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use claude_rs_types::datetime::{Date, DateTimeError, Timestamp};
use proptest::prelude::*;

/// 0000-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z.
const RANGE: std::ops::RangeInclusive<i64> = -62_167_219_200..=253_402_300_799;

fn invalid(text: &str) -> (&'static str, usize) {
    match Timestamp::parse(text) {
        Err(DateTimeError::Invalid {
            problem, position, ..
        }) => (problem, position),
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn recorded_shapes_read_and_write_back_unchanged() {
    for (text, seconds, nanos, offset) in [
        ("2025-03-14T09:26:53.589793Z", 1_741_944_413, 589_793_000, 0),
        ("2025-03-14T09:26:53Z", 1_741_944_413, 0, 0),
        (
            "2025-03-14T11:26:53.5+02:00",
            1_741_944_413,
            500_000_000,
            120,
        ),
        (
            "2025-03-14T04:56:53.123456789-04:30",
            1_741_944_413,
            123_456_789,
            -270,
        ),
        ("2025-03-14t09:26:53z", 1_741_944_413, 0, 0),
        ("2025-03-14 09:26:53Z", 1_741_944_413, 0, 0),
        ("1969-12-31T23:59:59.999Z", -1, 999_000_000, 0),
        ("1970-01-01T00:00:00.1234567891234Z", 0, 123_456_789, 0),
        ("2016-12-31T23:59:60Z", 1_483_228_800, 0, 0),
    ] {
        let t: Timestamp = serde_json::from_str(&format!("\"{text}\"")).expect(text);
        assert_eq!(
            (t.unix_seconds(), t.subsec_nanos(), t.offset_minutes()),
            (seconds, nanos, offset),
            "{text}"
        );
        assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{text}\""));
        assert_eq!(t.to_string(), text);
    }
}

#[test]
fn made_here_is_utc_with_the_digits_it_needs() {
    let cases = [
        (0, 0, "1970-01-01T00:00:00Z"),
        (1_741_944_413, 589_000_000, "2025-03-14T09:26:53.589Z"),
        (1_741_944_413, 589_793_000, "2025-03-14T09:26:53.589793Z"),
        (1_741_944_413, 1, "2025-03-14T09:26:53.000000001Z"),
        (-1, 0, "1969-12-31T23:59:59Z"),
        (*RANGE.start(), 0, "0000-01-01T00:00:00Z"),
        (*RANGE.end(), 999_999_999, "9999-12-31T23:59:59.999999999Z"),
    ];
    for (seconds, nanos, text) in cases {
        let t = Timestamp::from_unix(seconds, nanos).expect(text);
        assert_eq!(t.as_str(), text);
        let time = UNIX_EPOCH
            .checked_add(Duration::from_secs(seconds.max(0) as u64))
            .and_then(|t| t.checked_sub(Duration::from_secs((-seconds).max(0) as u64)))
            .and_then(|t| t.checked_add(Duration::from_nanos(u64::from(nanos))));
        if let Some(time) = time {
            assert_eq!(t.to_system_time(), Some(time), "{text}");
            assert_eq!(Timestamp::try_from(time).expect(text).as_str(), text);
        }
    }
    for (seconds, nanos) in [
        (RANGE.start() - 1, 0),
        (RANGE.end() + 1, 0),
        (0, 1_000_000_000),
    ] {
        let error = Timestamp::from_unix(seconds, nanos).unwrap_err();
        assert_eq!(error, DateTimeError::OutOfRange { seconds, nanos });
        assert!(error.to_string().contains("outside the years 0000 to 9999"));
    }
    // Before the epoch with a fraction: the second below, plus nanoseconds.
    let early = UNIX_EPOCH - Duration::from_millis(1_500);
    let t = Timestamp::try_from(early).unwrap();
    assert_eq!((t.unix_seconds(), t.subsec_nanos()), (-2, 500_000_000));
    assert_eq!(t.as_str(), "1969-12-31T23:59:58.500Z");
    let now = Timestamp::now();
    assert!(now.to_system_time().unwrap() <= SystemTime::now());
}

#[test]
fn equality_and_order_are_the_instant() {
    let a = Timestamp::parse("2025-03-14T11:26:53+02:00").unwrap();
    let b = Timestamp::parse("2025-03-14T09:26:53.000Z").unwrap();
    let c = Timestamp::parse("2025-03-14T09:26:53.000000001Z").unwrap();
    assert_eq!(a, b);
    assert!(b < c);
    assert_ne!(a.as_str(), b.as_str());
}

#[test]
fn bad_input_names_what_and_where() {
    assert_eq!(invalid(""), ("expected a digit", 0));
    assert_eq!(invalid("2025-03-14"), ("expected 'T'", 10));
    assert_eq!(invalid("2025-13-14T00:00:00Z"), ("month out of range", 5));
    assert_eq!(
        invalid("2025-02-29T00:00:00Z"),
        ("day out of range for its month", 8)
    );
    assert_eq!(invalid("2025-03-14T24:00:00Z"), ("hour out of range", 11));
    assert_eq!(invalid("2025-03-14T00:60:00Z"), ("minute out of range", 14));
    assert_eq!(invalid("2025-03-14T00:00:61Z"), ("second out of range", 17));
    assert_eq!(
        invalid("2025-03-14T00:00:00.Z"),
        ("expected a digit of the fraction", 20)
    );
    assert_eq!(
        invalid("2025-03-14T00:00:00"),
        ("expected 'Z' or an offset (+HH:MM)", 19)
    );
    assert_eq!(invalid("2025-03-14T00:00:00+0100"), ("expected ':'", 22));
    assert_eq!(
        invalid("2025-03-14T00:00:00+24:00"),
        ("offset hour out of range", 20)
    );
    assert_eq!(
        invalid("2025-03-14T00:00:00ZZ"),
        ("unexpected text after the end", 20)
    );
    assert_eq!(
        invalid("2025-03-14T00:00:00é"),
        ("expected 'Z' or an offset (+HH:MM)", 19)
    );

    let error = serde_json::from_str::<Timestamp>("\"2025-03-14\"").unwrap_err();
    assert!(
        error.to_string().starts_with(
            r#"expected RFC 3339 date-time, got "2025-03-14": expected 'T' at position 10"#
        ),
        "{error}"
    );
    assert!(serde_json::from_str::<Timestamp>("1741944413").is_err());
    // A long input is cut in the message.
    let long = format!("2025-03-14T00:00:00Z{}", "x".repeat(500));
    let shown = Timestamp::parse(&long).unwrap_err().to_string();
    assert!(shown.len() < 200 && shown.contains("..."), "{shown}");
}

#[test]
fn dates_read_and_write_back() {
    let date: Date = serde_json::from_str("\"2024-02-29\"").unwrap();
    assert_eq!((date.year(), date.month(), date.day()), (2024, 2, 29));
    assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-02-29\"");
    assert_eq!(
        Date::from_days_since_epoch(0).unwrap().to_string(),
        "1970-01-01"
    );
    assert_eq!(Date::new(0, 1, 1).unwrap().days_since_epoch(), -719_528);
    assert!(Date::from_days_since_epoch(2_932_897).is_err());
    assert!(Date::new(2023, 2, 29).is_err());
    let error = serde_json::from_str::<Date>("\"2024-2-29\"").unwrap_err();
    assert!(
        error.to_string().starts_with(
            r#"expected date (YYYY-MM-DD), got "2024-2-29": expected a digit at position 6"#
        ),
        "{error}"
    );
    assert!("2024-02-29T00:00:00Z".parse::<Date>().is_err());
}

/// An RFC 3339 text and the instant it denotes, from its parts.
fn rfc3339() -> impl Strategy<Value = (String, i64, u32)> {
    (
        RANGE.start() + 86_400..=RANGE.end() - 86_400,
        0u32..1_000_000_000,
        1usize..=12,
        -(23 * 60 + 59)..=(23i32 * 60 + 59),
        prop::sample::select(vec!['T', 't', ' ']),
        prop::bool::ANY,
    )
        .prop_map(|(seconds, nanos, digits, offset, sep, zulu)| {
            let offset = if zulu { 0 } else { offset };
            // The wall clock at that offset, written with the UTC formatter.
            let local = Timestamp::from_unix(seconds + i64::from(offset) * 60, 0).unwrap();
            let wall = &local.as_str()[..19];
            let wall = format!("{}{sep}{}", &wall[..10], &wall[11..]);
            let fraction = format!("{nanos:09}{}", "7".repeat(3));
            let fraction = &fraction[..digits];
            let kept: u32 = format!("{:0<9}", &fraction[..digits.min(9)])
                .parse()
                .unwrap();
            let zone = if zulu {
                "Z".to_owned()
            } else {
                let sign = if offset < 0 { '-' } else { '+' };
                format!("{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60)
            };
            (format!("{wall}.{fraction}{zone}"), seconds, kept)
        })
}

proptest! {
    #[test]
    fn made_here_reads_back_the_same(seconds in RANGE, nanos in 0u32..1_000_000_000) {
        let made = Timestamp::from_unix(seconds, nanos).unwrap();
        let read = Timestamp::parse(made.as_str()).unwrap();
        prop_assert_eq!((read.unix_seconds(), read.subsec_nanos()), (seconds, nanos));
        prop_assert_eq!(read.as_str(), made.as_str());
    }

    #[test]
    fn any_rfc3339_text_is_its_instant_and_round_trips((text, seconds, nanos) in rfc3339()) {
        let json = serde_json::to_string(&text).unwrap();
        let read: Timestamp = serde_json::from_str(&json).unwrap();
        prop_assert_eq!((read.unix_seconds(), read.subsec_nanos()), (seconds, nanos));
        prop_assert_eq!(serde_json::to_string(&read).unwrap(), json);
    }

    #[test]
    fn any_date_round_trips(days in -719_528i64..=2_932_896) {
        let date = Date::from_days_since_epoch(days).unwrap();
        prop_assert_eq!(date.days_since_epoch(), days);
        let read: Date = serde_json::from_str(&serde_json::to_string(&date).unwrap()).unwrap();
        prop_assert_eq!(read, date);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let _ = Timestamp::parse(&text).map_err(|e| e.to_string());
        let _ = Date::parse(&text).map_err(|e| e.to_string());
        let _ = serde_json::from_value::<Timestamp>(serde_json::Value::String(text));
    }

    #[test]
    fn damaged_texts_never_panic(
        (text, _, _) in rfc3339(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let damaged = String::from_utf8_lossy(&bytes).into_owned();
        match Timestamp::parse(&damaged) {
            Ok(t) => prop_assert_eq!(t.as_str(), damaged.as_str()),
            Err(DateTimeError::Invalid { position, .. }) => prop_assert!(position <= damaged.len()),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
        let chars = damaged.chars().count();
        let shorter: String = damaged.chars().take(cut.index(chars + 1)).collect();
        let _ = Timestamp::parse(&shorter);
        let _ = Date::parse(&shorter);
    }
}
