//! One request, from bytes received to response: record, check, reply.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use claude_rs_types::error::ErrorType;
use http::{Request, Response, Version};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use serde_json::Value;

use crate::body::{KillSwitch, MockBody};
use crate::fault::{Fault, FaultKind};
use crate::platform::{self, Call, Platform, auth};
use crate::record::RecordedRequest;
use crate::render::{self, Resolved};
use crate::response::{MockResponse, ReplyBody, error};
use crate::route::Route;
use crate::state::State;
use crate::{cassette, control, echo, fault, oauth, ratelimit, resources, routes, validate};

/// The largest request body accepted (the API's own limit is larger for
/// files; tests never need more).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Serves one request.
pub(crate) async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
    kill: KillSwitch,
) -> Result<Response<MockBody>, Infallible> {
    let closer = kill.clone();
    let kill = (request.version() != Version::HTTP_2).then_some(kill);
    let (parts, body) = request.into_parts();
    let request_id = state.next_id("req");
    let body = Limited::new(body, MAX_BODY).collect().await;
    let (bytes, too_large) = match body {
        Ok(collected) => (collected.to_bytes(), false),
        Err(_) => (Bytes::new(), true),
    };
    let json: Option<Value> = serde_json::from_slice(&bytes).ok();
    let authority = parts.uri.authority().map(|a| a.as_str().to_owned());
    let platforms = &state.config.platforms;
    let call = platform::resolve(&parts.method, parts.uri.path(), &parts.headers, platforms);
    let recorded = RecordedRequest {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: bytes,
        json,
        route: call.as_ref().and_then(|c| c.route),
        platform: call.as_ref().map_or(Platform::Anthropic, |c| c.platform),
        route_index: 0,
    };
    if control::is_control(&recorded.path) {
        let reply = control::handle(&state, &recorded);
        let (reply, envelope) = render::resolve(&state, reply, &recorded);
        let (_, response) = render::render(reply, envelope, false, &request_id, None);
        return Ok(response);
    }
    let (recorded, scheduled) = state.record(recorded);
    if recorded.path == oauth::PATH {
        // The token endpoint; faults scheduled for any route strike it too.
        let reply = oauth::token(&state.config.oauth, &state.oauth, &recorded);
        let (reply, mut envelope) = render::resolve(&state, reply, &recorded);
        envelope.fault = std::mem::take(&mut envelope.fault).and(scheduled);
        if resets_before_headers(&envelope.fault) {
            closer.close_now();
            return std::future::pending().await;
        }
        let (stall, response) = render::render(reply, envelope, false, &request_id, kill);
        if !stall.is_zero() {
            tokio::time::sleep(stall).await;
        }
        return Ok(response);
    }
    #[cfg(feature = "record")]
    if let Some(upstream) = state.config.upstream.clone() {
        return Ok(proxied(&state, &upstream, &recorded, &request_id, kill).await);
    }
    // What a platform request stands for, as the first-party API would
    // have received it: the base of every reply; auth checks the original.
    let (work, platform_problem) = match &call {
        Some(call) => platform::adapt(call, &recorded),
        None => (recorded.clone(), None),
    };
    let route = call.as_ref().and_then(|c| c.route);
    let bedrock = call
        .as_ref()
        .is_some_and(|c| c.platform == Platform::Bedrock);
    let stream = work.is_stream();

    // Replayed responses keep their recorded rate-limit headers.
    let replaying = !state.lock().replay.is_empty();
    let limited = !replaying && route == Some(Route::Messages);
    let reply = if too_large {
        error(
            ErrorType::RequestTooLarge,
            "Request exceeds the maximum allowed size",
        )
    } else if let Some(failure) =
        check_headers(&state, call.as_ref(), &recorded, authority.as_deref())
    {
        failure
    } else if has_status(&scheduled) || resets_before_headers(&scheduled) {
        // The fault replaces the reply: no side effects (no batch created).
        MockResponse::json(Value::Null)
    } else if let Some(refused) = limited.then(|| admit(&state, &work)).flatten() {
        refused
    } else if let Some(problem) = platform_problem.filter(|_| state.config.validate) {
        problem
    } else if let Some(replayed) = replayed(&state, &recorded) {
        replayed
    } else {
        match call.as_ref().and_then(|c| c.route.map(|route| (route, c))) {
            // No route: the description's resource store, on the first-party
            // paths and Bedrock's control plane.
            None => resources::serve(state.config.validate, &mut state.lock().resources, &work)
                .unwrap_or_else(|| error(ErrorType::NotFound, "Not Found")),
            Some((route, call)) => reply(&state, route, call.param.as_deref(), &work),
        }
    };
    let (mut resolved_reply, mut envelope) = render::resolve(&state, reply, &work);
    envelope.bedrock = bedrock;
    if let (true, Some(Route::CountTokens), Resolved::Json(value)) =
        (bedrock, route, &mut resolved_reply)
    {
        platform::bedrock::count_answer(value);
    }
    // The `anthropic-ratelimit-*` headers are the first-party API's own;
    // Bedrock and Vertex send none (their limits still refuse with a 429).
    let own_headers = call
        .as_ref()
        .is_some_and(|c| !matches!(c.platform, Platform::Bedrock | Platform::Vertex));
    if limited {
        let headers = rate_headers(&state, &resolved_reply);
        if own_headers {
            envelope.headers.extend(headers);
        }
    }
    envelope.fault = std::mem::take(&mut envelope.fault).and(scheduled);
    if resets_before_headers(&envelope.fault) {
        // Not one byte of response: the connection's task drops it.
        closer.close_now();
        return std::future::pending().await;
    }
    let (stall, response) = render::render(resolved_reply, envelope, stream, &request_id, kill);
    if !stall.is_zero() {
        tokio::time::sleep(stall).await;
    }
    Ok(response)
}

/// Record mode: the upstream's response to the request, kept as a cassette.
#[cfg(feature = "record")]
async fn proxied(
    state: &State,
    upstream: &cassette::proxy::Upstream,
    request: &RecordedRequest,
    request_id: &str,
    kill: Option<KillSwitch>,
) -> Response<MockBody> {
    let reply = match upstream.forward(request).await {
        Ok(exchange) => cassette::reply(&exchange, false),
        Err(problem) => error(ErrorType::Api, format!("claude-rs-mock record: {problem}"))
            .with_status(http::StatusCode::BAD_GATEWAY),
    };
    let (reply, envelope) = render::resolve(state, reply, request);
    let (_, response) = render::render(reply, envelope, request.is_stream(), request_id, kill);
    response
}

/// The recorded reply to a request when cassettes are replayed: the
/// matching one, or a 404 naming the closest.
fn replayed(state: &State, request: &RecordedRequest) -> Option<MockResponse> {
    let mut inner = state.lock();
    if inner.replay.is_empty() {
        return None;
    }
    let found = inner.replay.serve(
        request.method.as_str(),
        &request.path,
        request.query.as_deref(),
        &request.body,
    );
    Some(match found {
        Ok(exchange) => cassette::reply(&exchange, state.config.replay_timing),
        Err(problem) => error(ErrorType::NotFound, problem),
    })
}

/// Counts a Messages request against the rate limits; the 429 reply when
/// enforced limits refuse it.
fn admit(state: &State, request: &RecordedRequest) -> Option<MockResponse> {
    let input = request.json.as_ref().map_or(0, echo::input_tokens);
    let mut inner = state.lock();
    let limits = inner.rate_limits;
    match inner.rate_usage.admit(&limits, input) {
        ratelimit::Admission::Admitted => None,
        ratelimit::Admission::Refused { retry_after } => {
            let message = fault::default_message(&ErrorType::RateLimit);
            let reply = error(ErrorType::RateLimit, message)
                .with_header("retry-after", &retry_after.to_string());
            Some(reply)
        }
    }
}

/// The `anthropic-ratelimit-*` headers, after counting the reply's output.
fn rate_headers(state: &State, reply: &Resolved) -> Vec<(http::HeaderName, http::HeaderValue)> {
    let mut inner = state.lock();
    if let Resolved::Message(message) = reply {
        inner.rate_usage.spend_output(message.usage.output_tokens);
    }
    let limits = inner.rate_limits;
    inner.rate_usage.headers(&limits)
}

fn has_status(fault: &Fault) -> bool {
    fault
        .parts
        .iter()
        .any(|p| matches!(p, FaultKind::Status { .. }))
}

fn resets_before_headers(fault: &Fault) -> bool {
    fault
        .parts
        .iter()
        .any(|p| matches!(p, FaultKind::ResetBeforeHeaders))
}

/// Authentication and `anthropic-version` (on the first-party shapes:
/// Bedrock InvokeModel and Vertex carry the version in the body), checked
/// before anything else, as the API does.
fn check_headers(
    state: &State,
    call: Option<&Call>,
    request: &RecordedRequest,
    authority: Option<&str>,
) -> Option<MockResponse> {
    let config = &state.config;
    let api_key = config.api_key.as_deref();
    let first_party = call.is_none_or(|c| c.platform == Platform::Anthropic);
    if first_party && resources::is_admin_path(&request.path) {
        // The Admin API takes an admin key, whatever else is configured.
        if let Some(refused) = resources::admin_refusal(config.admin_key.as_deref(), request) {
            return Some(refused);
        }
        return (config.validate)
            .then(|| validate::version_problem(request.header(validate::VERSION_HEADER)))
            .flatten()
            .map(|problem| error(problem.error_type, problem.message));
    }
    let bearer = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "));
    // A worker's environment key on the work queue: checked by the route.
    let environment_key = call.is_some_and(|c| c.route == Some(Route::EnvironmentWork))
        && crate::agents::work::bears_environment_key(state, request);
    // A work item's sessions token on its session's calls.
    let sessions_token = first_party && crate::agents::work::bears_sessions_token(state, request);
    let issued = bearer.map(|token| state.oauth.check(token));
    match issued {
        _ if environment_key || sessions_token => {}
        Some(oauth::Bearer::Valid) if first_party => {}
        Some(oauth::Bearer::Expired) if first_party => {
            return Some(error(ErrorType::Authentication, "OAuth token has expired"));
        }
        _ if first_party && api_key.is_none() && config.oauth.enforced() => {
            let message = match bearer {
                Some(_) => "invalid bearer token",
                None => "x-api-key or authorization header is required",
            };
            return Some(error(ErrorType::Authentication, message));
        }
        _ => {
            if let Some(refused) = auth::check(&config.platforms, api_key, call, request, authority)
            {
                return Some(refused);
            }
        }
    }
    let versioned =
        call.is_some_and(|c| !matches!(c.platform, Platform::Bedrock | Platform::Vertex));
    if !config.validate || !versioned {
        return None;
    }
    validate::version_problem(request.header(validate::VERSION_HEADER))
        .map(|problem| error(problem.error_type, problem.message))
}

/// The reply of a known route: validation, then the script, then the
/// route's own behaviour.
fn reply(
    state: &Arc<State>,
    route: Route,
    param: Option<&str>,
    request: &RecordedRequest,
) -> MockResponse {
    if let Some(failure) = validate::check(state, route, request).filter(|_| state.config.validate)
    {
        return failure;
    }
    let scripted = state.scripted(route, request);
    match scripted {
        Some(reply) if !matches!(reply.body, ReplyBody::Default) => reply,
        scripted => {
            let mut builtin = routes::builtin(state, route, param, request);
            if let Some(script) = scripted {
                builtin.status = script.status.or(builtin.status);
                builtin.headers.extend(script.headers);
                builtin.fault = std::mem::take(&mut builtin.fault).and(script.fault);
            }
            builtin
        }
    }
}
