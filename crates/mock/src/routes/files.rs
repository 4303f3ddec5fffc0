//! The Files API: upload (multipart), metadata, list, download, delete.

use std::time::SystemTime;

use serde_json::json;

use crate::multipart;
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::routes::{invalid, not_found, paginate, typed_json};
use crate::state::State;
use crate::store::StoredFile;
use crate::time::rfc3339;

/// `POST /v1/files`: the `file` part of a `multipart/form-data` body.
pub(crate) fn upload(state: &State, request: &RecordedRequest) -> MockResponse {
    let Some(boundary) = request.header("content-type").and_then(multipart::boundary) else {
        return invalid("Content-Type must be multipart/form-data with a boundary");
    };
    let parts = match multipart::parse(&request.body, boundary) {
        Ok(parts) => parts,
        Err(problem) => return invalid(problem),
    };
    let Some(part) = parts.into_iter().find(|p| p.name == "file") else {
        return invalid("file: Field required");
    };
    let filename = part.filename.unwrap_or_else(|| "file".to_owned());
    let mime_type = part
        .content_type
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let mut inner = state.lock();
    let file = StoredFile {
        id: inner.next_id("file"),
        filename,
        mime_type,
        bytes: part.data,
        created_at: rfc3339(SystemTime::now(), "Z"),
    };
    let metadata = file.metadata();
    inner.files.push(file);
    typed_json(&metadata)
}

/// `GET /v1/files`: newest first, paginated.
pub(crate) fn list(state: &State, request: &RecordedRequest) -> MockResponse {
    let items = {
        let inner = state.lock();
        inner
            .files
            .iter()
            .rev()
            .map(|f| (f.id.clone(), f.metadata()))
            .collect()
    };
    paginate(items, request)
}

/// Runs `f` on the file `id`, or answers 404.
fn with_file(state: &State, id: &str, f: impl FnOnce(&StoredFile) -> MockResponse) -> MockResponse {
    let inner = state.lock();
    match inner.files.iter().find(|file| file.id == id) {
        Some(file) => f(file),
        None => not_found(format!("File not found: {id}")),
    }
}

/// `GET /v1/files/{id}`.
pub(crate) fn get(state: &State, id: &str) -> MockResponse {
    with_file(state, id, |file| typed_json(&file.metadata()))
}

/// `GET /v1/files/{id}/content`: the bytes, with the file's media type.
pub(crate) fn content(state: &State, id: &str) -> MockResponse {
    with_file(state, id, |file| {
        MockResponse::raw(file.mime_type.clone(), file.bytes.clone())
    })
}

/// `DELETE /v1/files/{id}`.
pub(crate) fn delete(state: &State, id: &str) -> MockResponse {
    let mut inner = state.lock();
    match inner.files.iter().position(|file| file.id == id) {
        Some(at) => {
            inner.files.remove(at);
            MockResponse::json(json!({"id": id, "type": "file_deleted"}))
        }
        None => not_found(format!("File not found: {id}")),
    }
}
