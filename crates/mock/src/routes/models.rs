//! The Models API: the [catalogue](crate::catalog), or the list given to the builder.

use crate::catalog;
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::routes::{not_found, paginate, typed_json};
use crate::state::State;

/// `GET /v1/models`.
pub(crate) fn list(state: &State, request: &RecordedRequest) -> MockResponse {
    let items = state
        .config
        .models
        .iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    paginate(items, request)
}

/// `GET /v1/models/{id}`; an alias (the id without its date) finds its
/// snapshot, as in the API.
pub(crate) fn get(state: &State, id: &str) -> MockResponse {
    match catalog::find(&state.config.models, id) {
        Some(model) => typed_json(model),
        None => not_found(format!("model: {id}")),
    }
}
