//! The retry rules of the official SDKs, checked as pure functions.

use std::time::{Duration, SystemTime};

use claude_client::layers::retry::{retry_delay, server_delay, should_retry};
use http::{HeaderMap, HeaderValue, StatusCode};

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

#[test]
fn statuses_retried_without_a_header() {
    for code in [408, 409, 429, 500, 502, 503, 504, 529] {
        assert!(
            should_retry(StatusCode::from_u16(code).unwrap(), &HeaderMap::new()),
            "{code}"
        );
    }
    for code in [400, 401, 403, 404, 413, 422] {
        assert!(
            !should_retry(StatusCode::from_u16(code).unwrap(), &HeaderMap::new()),
            "{code}"
        );
    }
}

#[test]
fn x_should_retry_decides_first() {
    let yes = headers(&[("x-should-retry", "true")]);
    let no = headers(&[("x-should-retry", "false")]);
    assert!(should_retry(StatusCode::BAD_REQUEST, &yes));
    assert!(!should_retry(StatusCode::SERVICE_UNAVAILABLE, &no));
    assert!(!should_retry(StatusCode::TOO_MANY_REQUESTS, &no));
    // Anything else is ignored.
    assert!(should_retry(
        StatusCode::TOO_MANY_REQUESTS,
        &headers(&[("x-should-retry", "maybe")])
    ));
}

#[test]
fn server_delay_forms() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let delay = |pairs: &[(&'static str, &str)]| server_delay(&headers(pairs), now);
    assert_eq!(
        delay(&[("retry-after-ms", "1500")]),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(
        delay(&[("retry-after-ms", "250"), ("retry-after", "9")]),
        Some(Duration::from_millis(250))
    );
    assert_eq!(delay(&[("retry-after", "3")]), Some(Duration::from_secs(3)));
    assert_eq!(
        delay(&[("retry-after", "1.5")]),
        Some(Duration::from_millis(1500))
    );
    // 1_700_000_000 + 20 s as an HTTP date.
    assert_eq!(
        delay(&[("retry-after", "Tue, 14 Nov 2023 22:13:40 GMT")]),
        Some(Duration::from_secs(20))
    );
    // Outside (0, 60 s]: ignored.
    assert_eq!(delay(&[("retry-after", "0")]), None);
    assert_eq!(delay(&[("retry-after", "-1")]), None);
    assert_eq!(delay(&[("retry-after", "61")]), None);
    assert_eq!(delay(&[("retry-after-ms", "60001")]), None);
    assert_eq!(
        delay(&[("retry-after", "Tue, 14 Nov 2023 22:13:00 GMT")]),
        None,
        "a date in the past"
    );
    assert_eq!(delay(&[("retry-after", "soon")]), None);
    assert_eq!(delay(&[]), None);
}

#[test]
fn exponential_backoff_with_jitter() {
    let expected = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0];
    for (retry, &secs) in expected.iter().enumerate() {
        let retry = retry as u32;
        assert_eq!(
            retry_delay(retry, None, 0.0),
            Duration::from_secs_f64(secs),
            "retry {retry}"
        );
        // Jitter takes off at most a quarter.
        let low = retry_delay(retry, None, 0.999_999);
        assert!(low >= Duration::from_secs_f64(secs * 0.75) && low < Duration::from_secs_f64(secs));
    }
    assert_eq!(retry_delay(u32::MAX, None, 0.0), Duration::from_secs(8));
    // A server delay within range wins over backoff.
    let server = headers(&[("retry-after", "2")]);
    assert_eq!(retry_delay(5, Some(&server), 0.5), Duration::from_secs(2));
}
