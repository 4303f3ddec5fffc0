//! The reader of RFC 3339 texts: fixed-width digits and separators, each
//! failure naming its byte position.

use super::DateTimeError;
use super::civil::days_in_month;

/// A date-time's parts, validated field by field.
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
