//! The retry matrix against the mock: which failures are retried, how many
//! attempts are made, and how long the client waits between them.

use std::time::{Duration, SystemTime};

use crate::support::{Stamps, builder, request};
use claude_rs_client::Error;
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use claude_rs_types::error::ErrorType;
use http::StatusCode;

/// Runs one create call with faults on the first attempts; returns the
/// outcome, the attempts the mock saw and the gaps between attempts.
async fn run(
    faults: Vec<Fault>,
    max_retries: u32,
) -> (Result<String, Error>, usize, Vec<Duration>) {
    run_with(faults, 0, max_retries).await
}

/// Like [`run`]; `consumed` faults overlay a reply (a reset or stall
/// mid-delivery) and so use up one queued reply each.
async fn run_with(
    faults: Vec<Fault>,
    consumed: usize,
    max_retries: u32,
) -> (Result<String, Error>, usize, Vec<Duration>) {
    let server = MockServer::start().await;
    for (n, fault) in faults.into_iter().enumerate() {
        server.inject(FaultRule::nth(n + 1, fault).on(Route::Messages));
    }
    for _ in 0..consumed {
        server.enqueue(MockResponse::text("cut short"));
    }
    server.enqueue(MockResponse::text("recovered"));
    let stamps = Stamps::default();
    let client = builder(&server)
        .max_retries(max_retries)
        .layer(stamps.clone())
        .build()
        .unwrap();
    let outcome = client
        .messages()
        .create(request("hi"))
        .await
        .map(|m| m.text());
    let attempts = server.received_on(Route::Messages).len();
    assert_eq!(
        stamps.count(),
        attempts,
        "every attempt went through the layers"
    );
    (outcome, attempts, stamps.gaps())
}

#[tokio::test]
async fn retryable_statuses_are_retried_until_success() {
    for fault in [
        Fault::overloaded(),
        Fault::internal_error(),
        Fault::request_timeout(),
        Fault::rate_limited(),
        Fault::status(StatusCode::CONFLICT, ErrorType::InvalidRequest, "conflict"),
    ] {
        let label = format!("{fault:?}");
        let (outcome, attempts, _) = run(vec![fault.clone(), fault], 2).await;
        assert_eq!(outcome.unwrap(), "recovered", "{label}");
        assert_eq!(attempts, 3, "{label}");
    }
}

#[tokio::test]
async fn retries_stop_at_max_retries_with_the_last_error() {
    let (outcome, attempts, _) = run(vec![Fault::overloaded(); 3], 2).await;
    let error = outcome.unwrap_err();
    assert_eq!(attempts, 3);
    assert!(error.is_overloaded(), "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(529));
    assert_eq!(error.api().unwrap().error_type, Some(ErrorType::Overloaded));

    let (outcome, attempts, _) = run(vec![Fault::internal_error()], 0).await;
    assert!(outcome.is_err());
    assert_eq!(attempts, 1, "max_retries 0 means one attempt");
}

#[tokio::test]
async fn bad_requests_are_not_retried() {
    let fault = Fault::status(
        StatusCode::BAD_REQUEST,
        ErrorType::InvalidRequest,
        "messages: empty",
    );
    let (outcome, attempts, _) = run(vec![fault], 2).await;
    let error = outcome.unwrap_err();
    assert_eq!(attempts, 1);
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(error.api().unwrap().message, "messages: empty");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn x_should_retry_overrides_the_status() {
    let forced = Fault::status(
        StatusCode::BAD_REQUEST,
        ErrorType::InvalidRequest,
        "try again",
    )
    .should_retry(true);
    let (outcome, attempts, _) = run(vec![forced], 2).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert_eq!(attempts, 2);

    let refused = Fault::overloaded().should_retry(false);
    let (outcome, attempts, _) = run(vec![refused], 2).await;
    assert!(outcome.unwrap_err().is_overloaded());
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn retry_after_forms_are_honoured() {
    // retry-after-ms
    let (outcome, _, gaps) = run(vec![Fault::rate_limited().retry_after_ms(300)], 1).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert!(gaps[0] >= Duration::from_millis(300), "{gaps:?}");

    // retry-after in seconds
    let (outcome, _, gaps) = run(vec![Fault::rate_limited().retry_after(1)], 1).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert!(gaps[0] >= Duration::from_secs(1), "{gaps:?}");

    // retry-after as an HTTP date two seconds ahead (one-second resolution).
    let at = SystemTime::now() + Duration::from_secs(2);
    let date = http_date(at);
    let (outcome, _, gaps) = run(
        vec![Fault::rate_limited().with_header("retry-after", &date)],
        1,
    )
    .await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert!(gaps[0] >= Duration::from_millis(900), "{date}: {gaps:?}");

    // Over 60 s: ignored, default backoff (0.5 s less up to 25 % jitter).
    let (outcome, _, gaps) = run(vec![Fault::rate_limited().retry_after(3600)], 1).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert!(
        gaps[0] >= Duration::from_millis(375) && gaps[0] < Duration::from_secs(30),
        "{gaps:?}"
    );
}

#[tokio::test]
async fn default_backoff_doubles() {
    let (outcome, attempts, gaps) =
        run(vec![Fault::internal_error(), Fault::internal_error()], 2).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert_eq!(attempts, 3);
    assert!(gaps[0] >= Duration::from_millis(375), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_millis(750), "{gaps:?}");
}

#[tokio::test]
async fn connection_reset_before_headers_is_retried() {
    // The connection closes once the request is read, before any response
    // byte; scheduled that way the fault uses up no queued reply.
    let (outcome, attempts, gaps) = run(vec![Fault::reset_before_headers()], 2).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert_eq!(attempts, 2);
    assert!(gaps[0] >= Duration::from_millis(375), "backoff: {gaps:?}");

    // Out of retries: a connection error, which is retryable.
    let (outcome, attempts, _) = run(vec![Fault::reset_before_headers(); 2], 1).await;
    let error = outcome.unwrap_err();
    assert_eq!(attempts, 2);
    assert!(error.is_connection(), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_body_cut_short_is_retried_for_non_streaming_calls() {
    // Headers arrive, then the connection dies after 10 body bytes.
    let (outcome, attempts, _) = run_with(vec![Fault::reset_after(10)], 1, 2).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn x_should_retry_false_holds_when_the_body_drops_mid_read() {
    // A reply whose body dies after 10 bytes, under `x-should-retry: false`:
    // sent once (the official SDKs 2.17.0 read the header before the body).
    let fault = Fault::reset_after(10).should_retry(false);
    let (outcome, attempts, _) = run_with(vec![fault], 1, 2).await;
    assert!(outcome.unwrap_err().is_connection());
    assert_eq!(attempts, 1);

    // An error answer cut short: its header holds too, whatever its status.
    let fault = Fault::overloaded().and(Fault::reset_after(5));
    let (outcome, attempts, _) = run(vec![fault.clone().should_retry(false)], 2).await;
    assert!(outcome.unwrap_err().is_connection());
    assert_eq!(attempts, 1);
    let (outcome, attempts, _) = run(vec![fault.should_retry(true).retry_after_ms(1)], 2).await;
    assert_eq!(outcome.unwrap(), "recovered");
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    // Bind a port, then free it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let stamps = Stamps::default();
    let client = claude_rs_client::ClientBuilder::from_env_lookup(|_| None)
        .api_key(crate::support::KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(2)
        .layer(stamps.clone())
        .build()
        .unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    assert!(error.is_connection(), "{error}");
    assert!(error.is_retryable());
    assert_eq!(stamps.count(), 3, "1 attempt + 2 retries");
}

#[tokio::test]
async fn per_call_max_retries_override() {
    let server = MockServer::start().await;
    server.inject(FaultRule::always(Fault::overloaded()).on(Route::Messages));
    let client = builder(&server).max_retries(5).build().unwrap();
    let error = client
        .messages()
        .create(request("hi"))
        .max_retries(1)
        .await
        .unwrap_err();
    assert!(error.is_overloaded());
    assert_eq!(server.received_on(Route::Messages).len(), 2);
}

#[tokio::test]
async fn per_attempt_timeout_fires_and_is_retried() {
    let server = MockServer::start().await;
    let stall = Fault::stall_before_headers(Duration::from_secs(30));
    server.inject(FaultRule::nth(1, stall.clone()).on(Route::Messages));
    server.inject(FaultRule::nth(3, stall).on(Route::Messages));
    // The stalled attempt consumes a reply too.
    server.enqueue(MockResponse::text("never seen"));
    server.enqueue(MockResponse::text("second try"));
    let client = builder(&server).max_retries(1).build().unwrap();
    let message = client
        .messages()
        .create(request("hi"))
        .timeout(Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(message.text(), "second try");
    assert_eq!(server.received_on(Route::Messages).len(), 2);

    // Third request stalls and there is no retry left: a timeout error.
    let error = client
        .messages()
        .create(request("hi"))
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(matches!(
        error,
        Error::Timeout {
            kind: claude_rs_client::TimeoutKind::Request,
            ..
        }
    ));
}

/// An IMF-fixdate for `at`.
fn http_date(at: SystemTime) -> String {
    let secs = at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    let days = secs / 86_400;
    let (h, m, s) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    // Civil from days (H. Hinnant).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {d:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        names[(month - 1) as usize]
    )
}
