//! [`Date`]: a calendar date, `YYYY-MM-DD` on the wire.

use std::fmt;
use std::str::FromStr;

use super::DateTimeError;
use super::civil::{civil_from_days, days_from_civil, days_in_month};
use super::parse::Reader;

/// What a date error says was expected.
const FULL_DATE: &str = "date (YYYY-MM-DD)";

/// A calendar date (proleptic Gregorian, years 0000 to 9999), written
/// `YYYY-MM-DD` on the wire; the only form, so what is read is what is
/// written back.
///
/// ```
/// use claude_rs_types::datetime::Date;
///
/// let date: Date = serde_json::from_str(r#""2024-02-29""#)?;
/// assert_eq!((date.year(), date.month(), date.day()), (2024, 2, 29));
/// assert_eq!(date.days_since_epoch(), 19_782);
/// assert_eq!(Date::new(2024, 3, 1)?.to_string(), "2024-03-01");
/// assert!("2023-02-29".parse::<Date>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists (month 1 to 12, a day of that month, year at
    /// most 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateTimeError> {
        let text = format!("{year:04}-{month:02}-{day:02}");
        Self::parse(&text)
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, DateTimeError> {
        let mut reader = Reader::new(text, FULL_DATE);
        let (year, month, day) = reader.date()?;
        reader.end()?;
        Ok(Self {
            // Four digits: at most 9999.
            year: year as u16,
            month,
            day,
        })
    }

    /// The date `days` after 1970-01-01 (before it when negative), if in
    /// the years 0000 to 9999.
    pub fn from_days_since_epoch(days: i64) -> Result<Self, DateTimeError> {
        let (year, month, day) = civil_from_days(days);
        match u16::try_from(year) {
            Ok(year) if year <= 9999 && day <= days_in_month(i64::from(year), month) => {
                Ok(Self { year, month, day })
            }
            _ => Err(DateTimeError::OutOfRange {
                seconds: days.saturating_mul(86_400),
                nanos: 0,
            }),
        }
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(&self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        Self::parse(text)
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`, as on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date string (YYYY-MM-DD)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
