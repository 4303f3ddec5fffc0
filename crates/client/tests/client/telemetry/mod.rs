//! The OpenTelemetry GenAI spans (feature `tracing`), seen by a capturing
//! subscriber: names, kinds, attributes and statuses as the official SDKs
//! record them, for each span kind, in both content modes, with errors,
//! retries, truncation, dropped streams; and never a secret.

mod capture;
mod streams;
#[cfg(feature = "schemars")]
mod tools;

use claude_rs_client::telemetry::{ContentMode, Telemetry};
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer};
use claude_rs_types::batch::BatchRequest;
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use http::{HeaderName, HeaderValue};

use std::future::IntoFuture;

use self::capture::{Capture, V};
use crate::support::{KEY, builder};

/// The example's request: system "be brief", user "hi".
pub(crate) fn hi() -> CreateMessageRequest {
    CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("hi")])
        .with_system("be brief")
}

/// Runs `body` with `capture` as the thread's subscriber.
pub(crate) async fn captured<F: std::future::IntoFuture>(capture: &Capture, body: F) -> F::Output {
    let _guard = tracing::subscriber::set_default(capture.clone());
    body.await
}

#[tokio::test(flavor = "current_thread")]
async fn a_create_call_has_the_official_span() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello."));
    let client = builder(&server).build().unwrap();
    let capture = Capture::default();
    let reply = captured(&capture, client.messages().create(hi()))
        .await
        .unwrap();

    let span = capture.one("anthropic.messages.create");
    assert!(span.closed, "the span ended");
    assert_eq!(span.name, "anthropic.api_call");
    assert_eq!(span.str("otel.kind"), "client");
    assert_eq!(span.str("otel.status_code"), "OK");
    assert_eq!(span.str("gen_ai.operation.name"), "chat");
    assert_eq!(span.str("gen_ai.provider.name"), "anthropic");
    assert_eq!(span.str("gen_ai.request.model"), "claude-sonnet-5");
    assert_eq!(span.int("gen_ai.request.max_tokens"), 64);
    assert_eq!(span.str("gen_ai.response.id"), reply.id);
    assert_eq!(span.str("gen_ai.response.model"), reply.model.as_str());
    assert_eq!(
        span.int("gen_ai.usage.output_tokens"),
        reply.usage.output_tokens as i64
    );
    assert!(span.int("gen_ai.usage.input_tokens") >= reply.usage.input_tokens as i64);
    assert_eq!(span.str("anthropic.message.stop_reason"), "end_turn");
    assert_eq!(span.str("http.request.method"), "POST");
    assert_eq!(span.str("http.route"), "/v1/messages");
    assert_eq!(span.str("url.path"), "/v1/messages");
    assert_eq!(span.str("server.address"), "127.0.0.1");
    assert!(span.int("server.port") > 0);
    assert_eq!(span.int("http.response.status_code"), 200);
    assert!(span.str("anthropic.request.id").starts_with("req_"));
    // The ten `gen_ai.*` attributes the official SDK records for this call.
    assert_eq!(
        span.gen_ai(),
        [
            "gen_ai.operation.name",
            "gen_ai.provider.name",
            "gen_ai.request.max_tokens",
            "gen_ai.request.model",
            "gen_ai.response.id",
            "gen_ai.response.model",
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_write.input_tokens",
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
        ]
    );
    // Metadata only, no stream, no retries, no error.
    for absent in [
        "gen_ai.request.stream",
        "gen_ai.input.messages",
        "gen_ai.system_instructions",
        "gen_ai.output.messages",
        "http.request.resend_count",
        "error.type",
        "gen_ai.conversation.id",
    ] {
        assert_eq!(span.get(absent), None, "{absent}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn content_mode_records_the_conversation_as_the_official_sdk_serialises_it() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello."));
    let telemetry = Telemetry::new()
        .content_mode(ContentMode::Content)
        .conversation_id("conv-42");
    let client = builder(&server).telemetry(telemetry).build().unwrap();
    let capture = Capture::default();
    let mut request = hi();
    request.stop_sequences = Some(vec!["END".into()]);
    captured(&capture, client.messages().create(request))
        .await
        .unwrap();

    let span = capture.one("anthropic.messages.create");
    assert_eq!(
        span.str("gen_ai.system_instructions"),
        r#"[{"type":"text","content":"be brief"}]"#
    );
    assert_eq!(
        span.str("gen_ai.input.messages"),
        r#"[{"role":"user","parts":[{"type":"text","content":"hi"}]}]"#
    );
    assert_eq!(
        span.str("gen_ai.output.messages"),
        r#"[{"role":"assistant","parts":[{"type":"text","content":"Hello."}]}]"#
    );
    assert_eq!(span.str("gen_ai.request.stop_sequences"), r#"["END"]"#);
    assert_eq!(span.str("gen_ai.conversation.id"), "conv-42");
    assert_eq!(span.get("anthropic.content.truncated"), None);
    let sent = server.last_request().unwrap();
    assert!(
        !sent.body_text().contains("conv-42"),
        "the conversation id is never sent"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn content_beyond_the_budget_is_truncated_and_flagged() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text(
        "Hello, this is a reply long enough to be cut.",
    ));
    let telemetry = Telemetry::new()
        .content_mode(ContentMode::Content)
        .max_content_bytes(120);
    let client = builder(&server).telemetry(telemetry).build().unwrap();
    let capture = Capture::default();
    captured(&capture, client.messages().create(hi()))
        .await
        .unwrap();

    let span = capture.one("anthropic.messages.create");
    assert_eq!(
        span.get("anthropic.content.truncated"),
        Some(&V::Bool(true))
    );
    let total: usize = [
        "gen_ai.system_instructions",
        "gen_ai.input.messages",
        "gen_ai.output.messages",
    ]
    .iter()
    .map(|k| span.str(k).len())
    .sum();
    assert!(total <= 120, "{total} bytes");
    // The newest content is kept: the reply's start.
    assert!(
        span.str("gen_ai.output.messages")
            .contains(r#""content":"Hello"#)
    );
    assert_eq!(span.str("gen_ai.system_instructions"), "[]");
}

#[tokio::test(flavor = "current_thread")]
async fn retries_and_the_final_error_are_on_the_one_call_span() {
    let server = MockServer::start().await;
    server.inject(FaultRule::times(2, Fault::overloaded().retry_after_ms(1)));
    let client = builder(&server).max_retries(1).build().unwrap();
    let capture = Capture::default();
    let error = captured(&capture, client.messages().create(hi()))
        .await
        .unwrap_err();
    assert!(error.is_overloaded());

    let span = capture.one("anthropic.messages.create");
    assert!(span.closed);
    assert_eq!(span.str("otel.status_code"), "ERROR");
    assert_eq!(span.str("error.type"), "overloaded_error");
    assert_eq!(span.int("http.request.resend_count"), 1);
    assert_eq!(span.int("http.response.status_code"), 529);
    assert_eq!(span.get("gen_ai.usage.input_tokens"), None);
    assert_eq!(span.get("gen_ai.response.id"), None);

    // A retry that succeeds: status OK, the retry counted.
    server.fail_next(Fault::rate_limited().retry_after_ms(1));
    server.enqueue(MockResponse::text("Hello."));
    let capture = Capture::default();
    captured(&capture, client.messages().create(hi()))
        .await
        .unwrap();
    let span = capture.one("anthropic.messages.create");
    assert_eq!(span.str("otel.status_code"), "OK");
    assert_eq!(span.int("http.request.resend_count"), 1);
    assert_eq!(span.get("error.type"), None);
}

#[tokio::test(flavor = "current_thread")]
async fn a_failure_without_an_error_type_is_named_by_its_status_or_kind() {
    let server = MockServer::start().await;
    server.fail_next(Fault::reset_before_headers());
    let client = builder(&server).max_retries(0).build().unwrap();
    let capture = Capture::default();
    captured(&capture, client.messages().create(hi()))
        .await
        .unwrap_err();
    let span = capture.one("anthropic.messages.create");
    assert_eq!(span.str("error.type"), "connection_error");
    assert_eq!(span.get("http.response.status_code"), None);
}

#[tokio::test(flavor = "current_thread")]
async fn every_family_has_its_named_span() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    let capture = Capture::default();
    let batch = captured(&capture, async {
        client.messages().count_tokens(&hi()).await.unwrap();
        let batch = client
            .batches()
            .create(vec![
                BatchRequest::new("a", hi()),
                BatchRequest::new("b", hi()),
            ])
            .await
            .unwrap();
        client.batches().cancel(&batch.id).await.unwrap();
        client.models().list().await.unwrap();
        batch
    })
    .await;

    let count = capture.one("anthropic.messages.count_tokens");
    assert_eq!(count.str("gen_ai.request.model"), "claude-sonnet-5");
    assert!(count.int("anthropic.message.count_tokens.input_tokens") > 0);
    assert_eq!(count.get("gen_ai.operation.name"), None);
    let create = capture.one("anthropic.messages.batches.create");
    assert_eq!(create.int("anthropic.message.batch.request_count"), 2);
    assert_eq!(create.str("anthropic.message.batch.id"), batch.id);
    let cancel = capture.one("anthropic.messages.batches.cancel");
    assert_eq!(cancel.str("anthropic.message.batch.id"), batch.id);
    assert_eq!(
        cancel.str("http.route"),
        "/v1/messages/batches/{message_batch_id}/cancel"
    );
    let list = capture.one("anthropic.models.list");
    assert_eq!(list.str("otel.status_code"), "OK");
    for span in capture.spans() {
        assert_eq!(span.str("otel.kind"), "client");
        assert!(span.closed, "{}", span.otel_name());
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_call_span_is_a_child_of_the_current_span() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello."));
    let client = builder(&server).build().unwrap();
    let capture = Capture::default();
    captured(&capture, async {
        let outer = tracing::info_span!("handler");
        tracing::Instrument::instrument(client.messages().create(hi()).into_future(), outer).await
    })
    .await
    .unwrap();
    let outer = capture
        .spans()
        .into_iter()
        .find(|s| s.name == "handler")
        .unwrap();
    let call = capture.one("anthropic.messages.create");
    assert_eq!(call.parent, Some(outer.id));
}

#[tokio::test(flavor = "current_thread")]
async fn the_propagator_writes_the_call_span_context_on_every_attempt() {
    let server = MockServer::start().await;
    server.fail_next(Fault::overloaded().retry_after_ms(1));
    server.enqueue(MockResponse::text("Hello."));
    let telemetry = Telemetry::new().propagator(|span, headers| {
        let id = span.id().map_or(0, |id| id.into_u64());
        let value = format!("00-{:032x}-{id:016x}-01", 7);
        headers.insert("traceparent", HeaderValue::from_str(&value).unwrap());
    });
    let client = builder(&server).telemetry(telemetry).build().unwrap();
    let capture = Capture::default();
    let stale = HeaderValue::from_static("00-stale-stale-00");
    captured(
        &capture,
        client
            .messages()
            .create(hi())
            .header(HeaderName::from_static("traceparent"), stale),
    )
    .await
    .unwrap();
    let call = capture.one("anthropic.messages.create");
    let expected = format!("00-{:032x}-{:016x}-01", 7, call.id);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert_eq!(request.header("traceparent"), Some(expected.as_str()));
    }

    // Propagation off: nothing written, spans unchanged.
    let client = builder(&server)
        .telemetry(
            Telemetry::new()
                .propagation(false)
                .propagator(|_, headers| {
                    headers.insert("traceparent", HeaderValue::from_static("00-x-y-01"));
                }),
        )
        .build()
        .unwrap();
    server.enqueue(MockResponse::text("Hello."));
    captured(&capture, client.messages().create(hi()))
        .await
        .unwrap();
    assert_eq!(server.last_request().unwrap().header("traceparent"), None);
}

#[tokio::test(flavor = "current_thread")]
async fn disabled_telemetry_records_no_span() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello."));
    let client = builder(&server)
        .telemetry(Telemetry::disabled())
        .build()
        .unwrap();
    let capture = Capture::default();
    captured(&capture, client.messages().create(hi()))
        .await
        .unwrap();
    assert!(capture.spans().is_empty(), "{:#?}", capture.spans());
    // And so does the environment's switch.
    let client = claude_rs_client::ClientBuilder::from_env_lookup(|name| {
        (name == "ANTHROPIC_OPEN_TELEMETRY").then(|| "false".to_owned())
    })
    .api_key(KEY)
    .base_url(server.base_url())
    .build()
    .unwrap();
    server.enqueue(MockResponse::text("Hello."));
    captured(&capture, client.messages().create(hi()))
        .await
        .unwrap();
    assert!(capture.spans().is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_any_field() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello."));
    server.enqueue(MockResponse::text("Hello."));
    let telemetry = Telemetry::new().content_mode(ContentMode::Content);
    let capture = Capture::default();
    for client in [
        builder(&server).telemetry(telemetry).build().unwrap(),
        claude_rs_client::ClientBuilder::from_env_lookup(|_| None)
            .auth_token(KEY)
            .base_url(server.base_url())
            .build()
            .unwrap(),
    ] {
        captured(&capture, client.messages().create(hi()))
            .await
            .unwrap();
    }
    let spans = capture.spans();
    assert_eq!(spans.len(), 2);
    for span in spans {
        for (key, value) in &span.fields {
            let text = format!("{value:?}");
            assert!(
                !text.contains(KEY) && !text.contains("do-not-print"),
                "{key} = {text}"
            );
            assert!(
                !key.contains("authorization") && !key.contains("api-key"),
                "{key}"
            );
        }
    }
}
