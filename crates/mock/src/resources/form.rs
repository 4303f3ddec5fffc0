//! The body of a `multipart/form-data` endpoint of the store (the Admin
//! API's plugin uploads): its text fields become the body the store merges
//! into the object it answers with; a required field must come as a part
//! of its name (`archive`) or, for a list of files, `name[]` (`files[]`).

use serde_json::{Map, Value};

use super::description::Endpoint;
use super::invalid;
use crate::multipart;
use crate::record::RecordedRequest;
use crate::response::MockResponse;

/// The request with its form's text fields as its JSON body; with
/// `validate`, a form lacking a required field is a 400 naming it.
pub(super) fn read(
    endpoint: &Endpoint,
    request: &RecordedRequest,
    validate: bool,
) -> Result<RecordedRequest, Box<MockResponse>> {
    let Some(boundary) = request.header("content-type").and_then(multipart::boundary) else {
        return Err(Box::new(invalid(
            "Content-Type must be multipart/form-data with a boundary",
        )));
    };
    let parts = multipart::parse(&request.body, boundary).map_err(|e| Box::new(invalid(e)))?;
    if validate {
        for name in &endpoint.required {
            let array = format!("{name}[]");
            if !parts.iter().any(|p| p.name == *name || p.name == array) {
                return Err(Box::new(invalid(format!("{name}: Field required"))));
            }
        }
    }
    let mut fields = Map::new();
    for part in parts.iter().filter(|p| p.filename.is_none()) {
        let text = String::from_utf8_lossy(&part.data).into_owned();
        fields.insert(part.name.clone(), Value::from(text));
    }
    let mut read = request.clone();
    read.json = Some(Value::Object(fields));
    Ok(read)
}
