//! Date-times and dates as the API writes them: [`Timestamp`] for an
//! RFC 3339 date-time (`"2026-04-01T12:30:05.123456Z"`), [`Date`] for a
//! `YYYY-MM-DD` date, both without a date-time library.
//!
//! A [`Timestamp`] keeps the text it was read from and writes exactly that
//! text back, so a response re-sent to the API is byte for byte what was
//! received, whatever precision or offset the server chose; its instant is
//! there as seconds and nanoseconds since the Unix epoch, or as a
//! [`SystemTime`].
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use claude_rs_types::datetime::Timestamp;
//!
//! let received: Timestamp = serde_json::from_str(r#""2026-04-01T14:30:05.5+02:00""#)?;
//! assert_eq!(received.unix_seconds(), 1_775_046_605);
//! assert_eq!(received.subsec_nanos(), 500_000_000);
//! assert_eq!(received.offset_minutes(), 120);
//! // Written back exactly as received.
//! assert_eq!(serde_json::to_string(&received)?, r#""2026-04-01T14:30:05.5+02:00""#);
//!
//! // Made here: formatted in UTC with as many fraction digits as it needs.
//! let made = Timestamp::try_from(UNIX_EPOCH + Duration::from_millis(1_775_046_605_500))?;
//! assert_eq!(made.as_str(), "2026-04-01T12:30:05.500Z");
//! assert_eq!(made, received); // the same instant
//!
//! // Not a date-time: an error that says what and where.
//! let error = "2026-04-31T00:00:00Z".parse::<Timestamp>().unwrap_err();
//! assert_eq!(
//!     error.to_string(),
//!     r#"expected RFC 3339 date-time, got "2026-04-31T00:00:00Z": day out of range for its month at position 8"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod civil;
mod date;
mod error;
mod parse;

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use date::Date;
pub use error::DateTimeError;

use civil::{civil_from_days, days_from_civil};
use parse::Reader;

/// What a date-time error says was expected.
const RFC3339: &str = "RFC 3339 date-time";
/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds since the epoch.
const MIN_SECONDS: i64 = -62_167_219_200;
const MAX_SECONDS: i64 = 253_402_300_799;

/// An instant, as an RFC 3339 date-time on the wire.
///
/// Read from text, it keeps that text and writes it back unchanged (the
/// server's precision, offset, `t`/`z` case); made from an instant, it is
/// formatted `YYYY-MM-DDTHH:MM:SS[.fraction]Z` in UTC, with 3, 6 or 9
/// fraction digits when the nanoseconds need them.
///
/// Equality, ordering and hashing compare the instant only:
/// `2026-04-01T14:30:05+02:00` equals `2026-04-01T12:30:05Z`. A leap second
/// (`23:59:60`) is read as the first second of the next minute.
#[derive(Clone)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
    offset_minutes: i16,
    text: Cow<'static, str>,
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z, the Unix epoch.
    pub const UNIX_EPOCH: Timestamp = Timestamp {
        seconds: 0,
        nanos: 0,
        offset_minutes: 0,
        text: Cow::Borrowed("1970-01-01T00:00:00Z"),
    };

    /// Reads an RFC 3339 date-time: `T`, `t` or a space between date and
    /// time, `Z`, `z` or `±HH:MM` after it, and an optional fraction of any
    /// length (read to the nanosecond; the text keeps every digit).
    pub fn parse(text: &str) -> Result<Self, DateTimeError> {
        let p = match parse::common(text) {
            Some(parts) => parts,
            None => Reader::new(text, RFC3339).date_time()?,
        };
        let days = days_from_civil(p.year, p.month, p.day);
        let local = days * 86_400
            + i64::from(p.hour) * 3_600
            + i64::from(p.minute) * 60
            + i64::from(p.second);
        Ok(Self {
            seconds: local - i64::from(p.offset_minutes) * 60,
            nanos: p.nanos,
            offset_minutes: p.offset_minutes,
            text: Cow::Owned(text.into()),
        })
    }

    /// The instant `seconds` and `nanos` after the Unix epoch, formatted in
    /// UTC; fails outside the years 0000 to 9999 or when `nanos` is a second
    /// or more.
    pub fn from_unix(seconds: i64, nanos: u32) -> Result<Self, DateTimeError> {
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) || nanos >= 1_000_000_000 {
            return Err(DateTimeError::OutOfRange { seconds, nanos });
        }
        Ok(Self::utc(seconds, nanos))
    }

    /// Now, by the system clock (clamped to 9999-12-31T23:59:59Z, and to the
    /// epoch for a clock set before 1970).
    pub fn now() -> Self {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        match i64::try_from(since.as_secs()) {
            Ok(seconds) if seconds <= MAX_SECONDS => Self::utc(seconds, since.subsec_nanos()),
            _ => Self::utc(MAX_SECONDS, 0),
        }
    }

    /// Formats an instant known to be in range.
    fn utc(seconds: i64, nanos: u32) -> Self {
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let in_day = seconds.rem_euclid(86_400);
        let mut text = format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            in_day / 3_600,
            in_day / 60 % 60,
            in_day % 60
        );
        if nanos.is_multiple_of(1_000_000) && nanos != 0 {
            let _ = write!(text, ".{:03}", nanos / 1_000_000);
        } else if nanos.is_multiple_of(1_000) && nanos != 0 {
            let _ = write!(text, ".{:06}", nanos / 1_000);
        } else if nanos != 0 {
            let _ = write!(text, ".{nanos:09}");
        }
        text.push('Z');
        Self {
            seconds,
            nanos,
            offset_minutes: 0,
            text: Cow::Owned(text),
        }
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`unix_seconds`](Self::unix_seconds), below a billion.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The offset from UTC the text was written in, in minutes east (0 for `Z`).
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }

    /// The text: as received, or as formatted when made here.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant as a [`SystemTime`], or `None` where the platform's
    /// `SystemTime` cannot hold it.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let nanos = Duration::from_nanos(u64::from(self.nanos));
        if self.seconds >= 0 {
            UNIX_EPOCH.checked_add(Duration::from_secs(self.seconds.unsigned_abs()) + nanos)
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(self.seconds.unsigned_abs()))?
                .checked_add(nanos)
        }
    }
}

impl TryFrom<SystemTime> for Timestamp {
    type Error = DateTimeError;

    /// The instant, formatted in UTC; fails outside the years 0000 to 9999.
    fn try_from(time: SystemTime) -> Result<Self, DateTimeError> {
        let (seconds, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => (
                i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                after.subsec_nanos(),
            ),
            Err(before) => {
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => (-whole, 0),
                    n => (-whole.saturating_add(1), 1_000_000_000 - n),
                }
            }
        };
        Self::from_unix(seconds, nanos)
    }
}

impl FromStr for Timestamp {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        Self::parse(text)
    }
}

impl fmt::Display for Timestamp {
    /// The text, as on the wire (also what a query parameter sends).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.text)
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        (self.seconds, self.nanos) == (other.seconds, other.nanos)
    }
}

impl Eq for Timestamp {}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.seconds, self.nanos).hash(state);
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.seconds, self.nanos).cmp(&(other.seconds, other.nanos))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
