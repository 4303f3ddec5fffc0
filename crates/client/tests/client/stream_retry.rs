//! Streams in the retry loop: a stream is opened inside an attempt up to its
//! first event, so what fails before it is retried within the call's one
//! budget (shared with error statuses), and nothing is sent again after it.

use std::time::Duration;

use crate::support::{Stamps, builder, request};
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use claude_rs_types::error::ErrorType;

/// A server whose first attempts on Messages fail with `faults`, in order,
/// then answer `"recovered"`; `consumed` of the faults break a delivery and
/// so use up a queued reply each (an error status replaces the reply).
async fn server_with(faults: Vec<Fault>, consumed: usize) -> MockServer {
    let server = MockServer::start().await;
    for (n, fault) in faults.into_iter().enumerate() {
        server.inject(FaultRule::nth(n + 1, fault).on(Route::Messages));
    }
    for _ in 0..consumed {
        server.enqueue(MockResponse::text("cut short"));
    }
    server.enqueue(MockResponse::text("recovered"));
    server
}

/// Opens a stream with `max_retries` and reads it to its end.
async fn stream(server: &MockServer, max_retries: u32) -> Result<String, claude_rs_client::Error> {
    let stamps = Stamps::default();
    let client = builder(server)
        .max_retries(max_retries)
        .layer(stamps.clone())
        .build()
        .unwrap();
    let outcome = match client.messages().stream(request("hi")).await {
        Ok(stream) => stream.final_text().await,
        Err(error) => Err(error),
    };
    let attempts = server.received_on(Route::Messages).len();
    assert_eq!(
        stamps.count(),
        attempts,
        "every attempt went through the layers"
    );
    outcome
}

fn overloaded_event() -> Fault {
    Fault::sse_error_at(0, ErrorType::Overloaded).retry_after_ms(1)
}

#[tokio::test]
async fn an_error_event_before_any_content_is_retried_within_the_budget() {
    let server = server_with(vec![overloaded_event(), overloaded_event()], 2).await;
    assert_eq!(stream(&server, 2).await.unwrap(), "recovered");
    assert_eq!(server.received_on(Route::Messages).len(), 3);
}

#[tokio::test]
async fn status_retries_and_first_event_retries_share_one_budget() {
    let faults = || {
        vec![
            Fault::overloaded().retry_after_ms(1),
            overloaded_event(),
            Fault::rate_limited().retry_after_ms(1),
            overloaded_event(),
        ]
    };
    // Three retries for four failures: the fourth attempt's error event is
    // the answer, and no fifth attempt is made.
    let server = server_with(faults(), 2).await;
    let error = stream(&server, 3).await.unwrap_err();
    assert!(error.is_overloaded(), "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200), "the event");
    assert_eq!(server.received_on(Route::Messages).len(), 4);

    // Four retries: the fifth attempt succeeds.
    let server = server_with(faults(), 2).await;
    assert_eq!(stream(&server, 4).await.unwrap(), "recovered");
    assert_eq!(server.received_on(Route::Messages).len(), 5);
}

#[tokio::test]
async fn a_body_cut_before_the_first_event_is_retried() {
    // Headers arrive, then the connection dies inside the first event.
    let server = server_with(vec![Fault::reset_after(8)], 1).await;
    assert_eq!(stream(&server, 2).await.unwrap(), "recovered");
    assert_eq!(server.received_on(Route::Messages).len(), 2);

    // The response's `x-should-retry: false` still holds when its body breaks.
    let server = server_with(vec![Fault::reset_after(8).should_retry(false)], 1).await;
    let error = stream(&server, 2).await.unwrap_err();
    assert!(error.is_connection(), "{error:?}");
    assert_eq!(server.received_on(Route::Messages).len(), 1);
}

#[tokio::test]
async fn nothing_is_retried_after_the_first_event_and_the_partial_is_kept() {
    for fault in [
        Fault::sse_error_at(4, ErrorType::Overloaded),
        Fault::reset_after(900),
    ] {
        let server = MockServer::start().await;
        server.enqueue(MockResponse::text("one two three four five six").with_fault(fault));
        let client = builder(&server)
            .max_retries(5)
            .stream_idle_timeout(Some(Duration::from_secs(5)))
            .build()
            .unwrap();
        let stream = client.messages().stream(request("hi")).await.unwrap();
        let error = stream.final_message().await.unwrap_err();
        let partial = error.partial_message().expect("the message so far");
        assert!(partial.id.starts_with("msg_"), "{partial:?}");
        assert_eq!(server.received_on(Route::Messages).len(), 1, "{error}");
    }
}
