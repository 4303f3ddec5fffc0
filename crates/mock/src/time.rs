//! RFC 3339 timestamps without a date-time dependency.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `time` as RFC 3339 in UTC with microseconds; `suffix` is `Z` or
/// `+00:00` (the API writes batches with the latter, files with the former).
pub(crate) fn rfc3339(time: SystemTime, suffix: &str) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}{suffix}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_micros()
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
/// Days since 1970-01-01 of a civil date (the inverse of
/// [`civil_from_days`], Howard Hinnant's algorithm); `month` is 1-12.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift to a calendar starting on 0000-03-01, in 400-year eras.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        for days in [0u64, 59, 60, 11_016, 19_723, 20_000, 36_524] {
            let (y, m, d) = civil_from_days(days);
            let (y, m, d) = (y as i64, m as i64, d as i64);
            assert_eq!(days_from_civil(y, m, d), days as i64, "{y}-{m}-{d}");
        }
        let t = UNIX_EPOCH + Duration::from_secs(1_748_556_391);
        assert_eq!(rfc3339(t, "Z"), "2025-05-29T22:06:31.000000Z");
    }
}
