//! The range filters of the Managed Agents lists (`created_at[gte]=...`),
//! on the mock's one query reader.

use crate::query::Query;
use claude_rs_types::datetime::Timestamp;

impl Query {
    /// The `created_at[gt|gte|lt|lte]` filters, in microseconds since the
    /// epoch; an unreadable timestamp is an error naming the parameter.
    pub(crate) fn created_at(&self) -> Result<Range, String> {
        let mut range = Range::default();
        for (op, slot) in [
            ("gt", &mut range.gt),
            ("gte", &mut range.gte),
            ("lt", &mut range.lt),
            ("lte", &mut range.lte),
        ] {
            let name = format!("created_at[{op}]");
            if let Some(raw) = self.get(&name) {
                *slot = Some(micros(raw).ok_or_else(|| {
                    format!("{name}: Input should be a valid RFC 3339 datetime, got {raw:?}")
                })?);
            }
        }
        Ok(range)
    }
}

/// A range of creation times.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Range {
    gt: Option<i64>,
    gte: Option<i64>,
    lt: Option<i64>,
    lte: Option<i64>,
}

impl Range {
    /// Whether the RFC 3339 timestamp `at` is in the range.
    pub(crate) fn contains(&self, at: &str) -> bool {
        let Some(t) = micros(at) else {
            return true;
        };
        self.gt.is_none_or(|b| t > b)
            && self.gte.is_none_or(|b| t >= b)
            && self.lt.is_none_or(|b| t < b)
            && self.lte.is_none_or(|b| t <= b)
    }
}

/// An RFC 3339 timestamp in microseconds since the epoch; `None` for any
/// other text (a bare date included).
pub(crate) fn micros(text: &str) -> Option<i64> {
    let at = Timestamp::parse(text).ok()?;
    Some(at.unix_seconds() * 1_000_000 + i64::from(at.subsec_nanos() / 1_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_ranges_and_escapes() {
        let q = Query::parse(Some(
            "statuses%5B%5D=idle&statuses[]=running&created_at%5Bgte%5D=2026-01-01T00%3A00%3A00Z&t=a+b%2",
        ));
        assert_eq!(q.all("statuses"), ["idle", "running"]);
        assert_eq!(q.get("t"), Some("a b%2"));
        let range = q.created_at().unwrap();
        assert!(range.contains("2026-01-01T00:00:00.000001Z"));
        assert!(!range.contains("2025-12-31T23:59:59.999999Z"));
        assert!(
            Query::parse(Some("created_at[lt]=yesterday"))
                .created_at()
                .is_err()
        );
    }

    #[test]
    fn timestamps_with_offsets_and_fractions() {
        let utc = micros("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(micros("2026-01-01T01:00:00+01:00"), Some(utc));
        assert_eq!(micros("2026-01-01T00:00:00.5Z"), Some(utc + 500_000));
        assert_eq!(micros("2026-01-01"), None);
    }
}
