//! The reader of RFC 3339 texts: fixed-width digits and separators, each
//! failure naming its byte position.

use super::DateTimeError;
use super::civil::days_in_month;

/// A date-time's parts, validated field by field.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Parts {
    pub(super) year: i64,
    pub(super) month: u8,
    pub(super) day: u8,
    pub(super) hour: u8,
    pub(super) minute: u8,
    pub(super) second: u8,
    pub(super) nanos: u32,
    /// East of UTC, in minutes.
    pub(super) offset_minutes: i16,
}

/// The form the API writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with at most
/// nine fraction digits, read at fixed positions: a session stream has a
/// date-time in nearly every event, and this is several times quicker than
/// the [`Reader`]. `None` for anything else, or anything out of range, which
/// the reader then reads (or names the problem of): on every text this
/// accepts, the two agree.
pub(super) fn common(text: &str) -> Option<Parts> {
    let b = text.as_bytes();
    let fixed = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if b.len() < 20 || b.last() != Some(&b'Z') || fixed.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let digit = |i: usize| {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = two(0)? * 100 + two(2)?;
    let (month, day) = (two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            let mut nanos = 0;
            for i in 20..20 + fraction.len() {
                nanos = nanos * 10 + digit(i)?;
            }
            // At most nine digits: the exponent is 0 to 8.
            nanos * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let year = i64::from(year);
    // Each range check narrows the value to fit a `u8`.
    let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let day = u8::try_from(day)
        .ok()
        .filter(|&d| d >= 1 && d <= days_in_month(year, month))?;
    let hour = u8::try_from(hour).ok().filter(|&h| h <= 23)?;
    let minute = u8::try_from(minute).ok().filter(|&m| m <= 59)?;
    let second = u8::try_from(second).ok().filter(|&s| s <= 60)?;
    Some(Parts {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset_minutes: 0,
    })
}

/// A cursor over the input's bytes.
pub(super) struct Reader<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    expected: &'static str,
}

impl<'a> Reader<'a> {
    pub(super) fn new(input: &'a str, expected: &'static str) -> Self {
        Self {
            input,
            bytes: input.as_bytes(),
            pos: 0,
            expected,
        }
    }

    pub(super) fn fail(&self, problem: &'static str, position: usize) -> DateTimeError {
        DateTimeError::invalid(self.expected, problem, position, self.input)
    }

    /// `n` ASCII digits as a number.
    fn digits(&mut self, n: usize, problem: &'static str) -> Result<u32, DateTimeError> {
        let mut value = 0u32;
        for _ in 0..n {
            match self.bytes.get(self.pos) {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.fail(problem, self.pos)),
            }
        }
        Ok(value)
    }

    /// A number of `n` digits in `min..=max`.
    fn field(
        &mut self,
        n: usize,
        (min, max): (u32, u32),
        problem: &'static str,
    ) -> Result<u8, DateTimeError> {
        let start = self.pos;
        let value = self.digits(n, "expected a digit")?;
        if value < min || value > max {
            return Err(self.fail(problem, start));
        }
        // In range: max is at most 60.
        Ok(value as u8)
    }

    /// One of `accepted` bytes.
    fn byte(&mut self, accepted: &[u8], problem: &'static str) -> Result<u8, DateTimeError> {
        match self.bytes.get(self.pos) {
            Some(b) if accepted.contains(b) => {
                self.pos += 1;
                Ok(*b)
            }
            _ => Err(self.fail(problem, self.pos)),
        }
    }

    /// `YYYY-MM-DD`.
    pub(super) fn date(&mut self) -> Result<(i64, u8, u8), DateTimeError> {
        let year = i64::from(self.digits(4, "expected a digit")?);
        self.byte(b"-", "expected '-'")?;
        let month = self.field(2, (1, 12), "month out of range")?;
        self.byte(b"-", "expected '-'")?;
        let at = self.pos;
        let day = self.field(2, (1, 31), "day out of range")?;
        if day > days_in_month(year, month) {
            return Err(self.fail("day out of range for its month", at));
        }
        Ok((year, month, day))
    }

    /// The end of the input.
    pub(super) fn end(&self) -> Result<(), DateTimeError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.fail("unexpected text after the end", self.pos))
        }
    }

    /// `date ('T' | 't' | ' ') HH:MM:SS[.fraction] ('Z' | 'z' | ±HH:MM)`; a
    /// fraction longer than nanoseconds is cut there; a leap second (`:60`)
    /// is accepted.
    pub(super) fn date_time(&mut self) -> Result<Parts, DateTimeError> {
        let (year, month, day) = self.date()?;
        self.byte(b"Tt ", "expected 'T'")?;
        let hour = self.field(2, (0, 23), "hour out of range")?;
        self.byte(b":", "expected ':'")?;
        let minute = self.field(2, (0, 59), "minute out of range")?;
        self.byte(b":", "expected ':'")?;
        let second = self.field(2, (0, 60), "second out of range")?;
        let mut nanos = 0u32;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let start = self.pos;
            while let Some(b) = self.bytes.get(self.pos).filter(|b| b.is_ascii_digit()) {
                if self.pos - start < 9 {
                    nanos = nanos * 10 + u32::from(b - b'0');
                }
                self.pos += 1;
            }
            let len = self.pos - start;
            if len == 0 {
                return Err(self.fail("expected a digit of the fraction", start));
            }
            for _ in len..9 {
                nanos *= 10;
            }
        }
        let offset_minutes = match self.byte(b"Zz+-", "expected 'Z' or an offset (+HH:MM)")? {
            b'Z' | b'z' => 0,
            sign => {
                let hours = self.field(2, (0, 23), "offset hour out of range")?;
                self.byte(b":", "expected ':'")?;
                let minutes = self.field(2, (0, 59), "offset minute out of range")?;
                let total = i16::from(hours) * 60 + i16::from(minutes);
                if sign == b'-' { -total } else { total }
            }
        };
        self.end()?;
        Ok(Parts {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
            offset_minutes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Reader, common};
    use proptest::prelude::*;

    fn general(text: &str) -> Option<super::Parts> {
        Reader::new(text, "test").date_time().ok()
    }

    #[test]
    fn reads_the_common_form_and_leaves_the_rest() {
        let parts = common("2026-12-07T17:00:00.123456Z").expect("the common form");
        assert_eq!((parts.year, parts.month, parts.day), (2026, 12, 7));
        assert_eq!((parts.hour, parts.minute, parts.second), (17, 0, 0));
        assert_eq!(parts.nanos, 123_456_000);
        for other in [
            "2026-12-07t17:00:00Z",
            "2026-12-07 17:00:00Z",
            "2026-12-07T17:00:00z",
            "2026-12-07T17:00:00+00:00",
            "2026-12-07T17:00:00.1234567891Z",
            "2026-12-07T17:00:00.Z",
            "2026-02-30T17:00:00Z",
            "2026-12-07T24:00:00Z",
            "２026-12-07T17:00:00Z",
        ] {
            assert_eq!(common(other), None, "{other}");
        }
    }

    proptest! {
        /// Wherever the fixed-position reading answers, the general reader
        /// answers the same; on the API's own form it always answers.
        #[test]
        fn agrees_with_the_general_reader(
            year in 0u32..10_000, month in 0u32..14, day in 0u32..33,
            hour in 0u32..25, minute in 0u32..61, second in 0u32..62,
            fraction in proptest::option::of("[0-9]{1,10}"),
        ) {
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}Z");
            let fast = common(&text);
            if fast.is_some() || fraction.len() <= 10 {
                prop_assert_eq!(&fast, &general(&text), "{}", text);
            }
        }

        #[test]
        fn never_accepts_what_the_general_reader_refuses(text in "[0-9T:.Z+-]{18,32}") {
            if let Some(fast) = common(&text) {
                prop_assert_eq!(Some(fast), general(&text), "{}", text);
            }
        }
    }
}
