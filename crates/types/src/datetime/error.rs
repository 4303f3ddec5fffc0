//! [`DateTimeError`]: why a text is not a date-time or a date, and where.

use std::fmt;

/// The most of a rejected input an error repeats.
const SHOWN: usize = 64;

/// A text that is not an RFC 3339 date-time (or a `YYYY-MM-DD` date), or an
/// instant outside the years 0000 to 9999 that such a text can hold.
///
/// Its `Display` says what was expected, what was received and at which
/// byte position: `expected RFC 3339 date-time, got "2025-13-01T00:00:00Z":
/// month out of range at position 5`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateTimeError {
    /// The text does not have the expected form, or a field of it is out of
    /// range (month 13, 31 April, hour 24).
    Invalid {
        /// What the text should have been: `RFC 3339 date-time` or
        /// `date (YYYY-MM-DD)`.
        expected: &'static str,
        /// What was wrong at `position`: `expected ':'`, `month out of range`.
        problem: &'static str,
        /// The byte offset in the input where the problem is.
        position: usize,
        /// The input, cut after 64 characters.
        input: String,
    },
    /// An instant outside 0000-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z, or
    /// nanoseconds of a billion or more.
    OutOfRange {
        /// Seconds since the Unix epoch.
        seconds: i64,
        /// The nanoseconds given with them.
        nanos: u32,
    },
}

impl DateTimeError {
    pub(super) fn invalid(
        expected: &'static str,
        problem: &'static str,
        position: usize,
        input: &str,
    ) -> Self {
        let input = match input.char_indices().nth(SHOWN) {
            Some((cut, _)) => format!("{}...", &input[..cut]),
            None => input.to_owned(),
        };
        Self::Invalid {
            expected,
            problem,
            position,
            input,
        }
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid {
                expected,
                problem,
                position,
                input,
            } => write!(
                f,
                "expected {expected}, got {input:?}: {problem} at position {position}"
            ),
            Self::OutOfRange { seconds, nanos } => write!(
                f,
                "{seconds} s {nanos} ns since the Unix epoch is outside the years 0000 to 9999 \
                 (or the nanoseconds are a second or more)"
            ),
        }
    }
}

impl std::error::Error for DateTimeError {}
