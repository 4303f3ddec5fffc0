//! The Skills API: create (multipart, with a `SKILL.md`), list with
//! `page`/`next_page` cursors, retrieve, delete.

use std::time::SystemTime;

use serde_json::json;

use crate::multipart;
use crate::record::{RecordedRequest, query_param};
use crate::response::MockResponse;
use crate::routes::{invalid, not_found, paginate_cursor, typed_json};
use crate::state::State;
use crate::store::StoredSkill;
use crate::time::rfc3339;

/// `POST /v1/skills`: `files` parts (one directory, with `SKILL.md` at its
/// root) and an optional `display_name`, else the `name` of the
/// `SKILL.md` front matter. The API's messages for a malformed upload are
/// not on record; the mock's say what is missing.
pub(crate) fn create(state: &State, request: &RecordedRequest) -> MockResponse {
    let Some(boundary) = request.header("content-type").and_then(multipart::boundary) else {
        return invalid("Content-Type must be multipart/form-data with a boundary");
    };
    let parts = match multipart::parse(&request.body, boundary) {
        Ok(parts) => parts,
        Err(problem) => return invalid(problem),
    };
    let files: Vec<_> = parts
        .iter()
        .filter(|p| p.name == "files" || p.name == "files[]")
        .collect();
    if files.is_empty() {
        return invalid("files: Field required");
    }
    let path_of = |p: &multipart::Part| p.filename.clone().unwrap_or_default();
    let top = |path: &str| path.split_once('/').map(|(dir, _)| dir.to_owned());
    let dirs: Vec<Option<String>> = files.iter().map(|p| top(&path_of(p))).collect();
    if dirs.iter().any(|d| d != &dirs[0]) || dirs[0].is_none() {
        return invalid("files: all files must be in the same top-level directory");
    }
    let root = dirs[0].clone().unwrap_or_default();
    let Some(manifest) = files
        .iter()
        .find(|p| path_of(p) == format!("{root}/SKILL.md"))
    else {
        return invalid(format!(
            "files: {root}/SKILL.md is required at the root of the skill"
        ));
    };
    let display_name = parts
        .iter()
        .find(|p| p.name == "display_name")
        .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
        .filter(|name| !name.is_empty())
        .or_else(|| front_matter_name(&String::from_utf8_lossy(&manifest.data)))
        .unwrap_or(root);
    let mut inner = state.lock();
    let id = inner.next_id("skill");
    let version = inner.next_id("skillver");
    let skill = StoredSkill {
        id,
        display_name,
        latest_version_id: version,
        created_at: rfc3339(SystemTime::now(), "Z"),
    };
    let created = typed_json(&skill.to_json());
    inner.skills.push(skill);
    created
}

/// The `name:` of a `SKILL.md` front matter (`---` lines around it).
fn front_matter_name(manifest: &str) -> Option<String> {
    let body = manifest.trim_start().strip_prefix("---")?;
    let (front, _) = body.split_once("\n---")?;
    front.lines().find_map(|line| {
        let value = line.trim().strip_prefix("name:")?;
        Some(value.trim().trim_matches('"').to_owned()).filter(|v| !v.is_empty())
    })
}

/// `GET /v1/skills`: newest first, `source=custom` (the only source the
/// mock holds) or none.
pub(crate) fn list(state: &State, request: &RecordedRequest) -> MockResponse {
    let source = query_param(request.query.as_deref(), "source");
    let inner = state.lock();
    let items = inner
        .skills
        .iter()
        .rev()
        .filter(|_| source.is_none_or(|s| s == "custom"))
        .map(|s| (s.id.clone(), s.to_json()))
        .collect();
    paginate_cursor(items, request)
}

/// `GET /v1/skills/{id}`.
pub(crate) fn get(state: &State, id: &str) -> MockResponse {
    let inner = state.lock();
    match inner.skills.iter().find(|s| s.id == id) {
        Some(skill) => typed_json(&skill.to_json()),
        None => not_found(format!("Skill not found: {id}")),
    }
}

/// `DELETE /v1/skills/{id}`.
pub(crate) fn delete(state: &State, id: &str) -> MockResponse {
    let mut inner = state.lock();
    match inner.skills.iter().position(|s| s.id == id) {
        Some(at) => {
            inner.skills.remove(at);
            MockResponse::json(json!({"id": id, "type": "skill_deleted"}))
        }
        None => not_found(format!("Skill not found: {id}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_front_matter_name() {
        let manifest = "---\nname: pdf-tools\ndescription: x\n---\n# Body\n";
        assert_eq!(front_matter_name(manifest).as_deref(), Some("pdf-tools"));
        assert_eq!(front_matter_name("# no front matter"), None);
    }
}
