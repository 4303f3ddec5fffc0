//! The Skills API: create (multipart, with a `SKILL.md`), list with
//! `page`/`next_page` cursors, retrieve, delete; and the same for a skill's
//! versions, plus their content.

use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use serde_json::json;

use crate::multipart;
use crate::record::{RecordedRequest, query_param};
use crate::response::MockResponse;
use crate::routes::{invalid, not_found, paginate_cursor, typed_json};
use crate::state::State;
use crate::store::{StoredSkill, StoredSkillVersion};
use crate::time::rfc3339;

/// A skill upload, read and checked: `files` parts (one directory, with
/// `SKILL.md` at its root) and an optional `display_name`. The API's
/// messages for a malformed upload are not on record; the mock's say what
/// is missing.
struct Upload {
    /// The top-level directory: the skill's name unless the front matter
    /// gives one.
    name: String,
    description: String,
    display_name: Option<String>,
    content: Bytes,
}

fn read_upload(request: &RecordedRequest) -> Result<Upload, Box<MockResponse>> {
    let Some(boundary) = request.header("content-type").and_then(multipart::boundary) else {
        return Err(Box::new(invalid(
            "Content-Type must be multipart/form-data with a boundary",
        )));
    };
    let parts = multipart::parse(&request.body, boundary).map_err(|e| Box::new(invalid(e)))?;
    let files: Vec<_> = parts
        .iter()
        .filter(|p| p.name == "files" || p.name == "files[]")
        .collect();
    if files.is_empty() {
        return Err(Box::new(invalid("files: Field required")));
    }
    let path_of = |p: &multipart::Part| p.filename.clone().unwrap_or_default();
    let top = |path: &str| path.split_once('/').map(|(dir, _)| dir.to_owned());
    let dirs: Vec<Option<String>> = files.iter().map(|p| top(&path_of(p))).collect();
    if dirs.iter().any(|d| d != &dirs[0]) || dirs[0].is_none() {
        return Err(Box::new(invalid(
            "files: all files must be in the same top-level directory",
        )));
    }
    let root = dirs[0].clone().unwrap_or_default();
    let Some(manifest) = files
        .iter()
        .find(|p| path_of(p) == format!("{root}/SKILL.md"))
    else {
        return Err(Box::new(invalid(format!(
            "files: {root}/SKILL.md is required at the root of the skill"
        ))));
    };
    let manifest = String::from_utf8_lossy(&manifest.data).into_owned();
    let mut content = BytesMut::new();
    for file in &files {
        content.extend_from_slice(path_of(file).as_bytes());
        content.extend_from_slice(b"\n");
        content.extend_from_slice(&file.data);
    }
    Ok(Upload {
        name: front_matter(&manifest, "name").unwrap_or(root),
        description: front_matter(&manifest, "description").unwrap_or_default(),
        display_name: parts
            .iter()
            .find(|p| p.name == "display_name")
            .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
            .filter(|name| !name.is_empty()),
        content: content.freeze(),
    })
}

/// `POST /v1/skills`: a skill and its first version; the display name is
/// the form's, else the `name` of the `SKILL.md` front matter.
pub(crate) fn create(state: &State, request: &RecordedRequest) -> MockResponse {
    let upload = match read_upload(request) {
        Ok(upload) => upload,
        Err(refusal) => return *refusal,
    };
    let mut inner = state.lock();
    let id = inner.next_id("skill");
    let version = new_version(inner.next_id("skillver"), &upload);
    let skill = StoredSkill {
        id,
        display_name: upload.display_name.clone().unwrap_or(upload.name.clone()),
        latest_version_id: version.id.clone(),
        created_at: version.created_at.clone(),
        versions: vec![version],
    };
    let created = typed_json(&skill.to_json());
    inner.skills.push(skill);
    created
}

fn new_version(id: String, upload: &Upload) -> StoredSkillVersion {
    StoredSkillVersion {
        id,
        name: upload.name.clone(),
        description: upload.description.clone(),
        created_at: rfc3339(SystemTime::now(), "Z"),
        content: upload.content.clone(),
    }
}

/// `POST /v1/skills/{id}/versions`: a new latest version.
pub(crate) fn create_version(
    state: &State,
    skill_id: &str,
    request: &RecordedRequest,
) -> MockResponse {
    let upload = match read_upload(request) {
        Ok(upload) => upload,
        Err(refusal) => return *refusal,
    };
    let mut inner = state.lock();
    let version = new_version(inner.next_id("skillver"), &upload);
    let Some(skill) = inner.skills.iter_mut().find(|s| s.id == skill_id) else {
        return skill_not_found(skill_id);
    };
    if version.name != skill.versions[0].name {
        return invalid(format!(
            "files: the skill name {:?} does not match the skill's name {:?}",
            version.name, skill.versions[0].name
        ));
    }
    skill.latest_version_id = version.id.clone();
    let created = MockResponse::json(version.to_json(skill_id));
    skill.versions.push(version);
    created
}

/// `GET /v1/skills/{id}/versions`: newest first, paged by token.
pub(crate) fn list_versions(
    state: &State,
    skill_id: &str,
    request: &RecordedRequest,
) -> MockResponse {
    let inner = state.lock();
    let Some(skill) = inner.skills.iter().find(|s| s.id == skill_id) else {
        return skill_not_found(skill_id);
    };
    let items = skill
        .versions
        .iter()
        .rev()
        .map(|v| (v.id.clone(), v.to_json(skill_id)))
        .collect();
    paginate_cursor(items, request)
}

/// The skill and version of a `{skill}/{version}` parameter; `latest`
/// names the newest version, as in the API.
fn with_version<T>(
    state: &State,
    param: &str,
    f: impl FnOnce(&mut StoredSkill, usize) -> T,
) -> Result<T, Box<MockResponse>> {
    let (skill_id, version) = param.split_once('/').unwrap_or((param, ""));
    let mut inner = state.lock();
    let Some(skill) = inner.skills.iter_mut().find(|s| s.id == skill_id) else {
        return Err(Box::new(skill_not_found(skill_id)));
    };
    let wanted = if version == "latest" {
        skill.latest_version_id.clone()
    } else {
        version.to_owned()
    };
    match skill.versions.iter().position(|v| v.id == wanted) {
        Some(at) => Ok(f(skill, at)),
        None => Err(Box::new(not_found(format!(
            "Skill version not found: {version}"
        )))),
    }
}

/// `GET /v1/skills/{id}/versions/{version}`.
pub(crate) fn get_version(state: &State, param: &str) -> MockResponse {
    with_version(state, param, |skill, at| {
        MockResponse::json(skill.versions[at].to_json(&skill.id))
    })
    .unwrap_or_else(|refusal| *refusal)
}

/// `DELETE /v1/skills/{id}/versions/{version}`.
pub(crate) fn delete_version(state: &State, param: &str) -> MockResponse {
    with_version(state, param, |skill, at| {
        let version = skill.versions.remove(at);
        if let Some(last) = skill.versions.last() {
            skill.latest_version_id = last.id.clone();
        }
        MockResponse::json(json!({"id": version.id, "type": "skill_version_deleted"}))
    })
    .unwrap_or_else(|refusal| *refusal)
}

/// `GET /v1/skills/{id}/versions/{version}/content`: the version's files.
pub(crate) fn version_content(state: &State, param: &str) -> MockResponse {
    with_version(state, param, |skill, at| {
        MockResponse::raw(
            "application/octet-stream",
            skill.versions[at].content.clone(),
        )
    })
    .unwrap_or_else(|refusal| *refusal)
}

fn skill_not_found(id: &str) -> MockResponse {
    not_found(format!("Skill not found: {id}"))
}

/// A field (`name`, `description`) of a `SKILL.md` front matter (the
/// lines between two `---`).
fn front_matter(manifest: &str, field: &str) -> Option<String> {
    let body = manifest.trim_start().strip_prefix("---")?;
    let (front, _) = body.split_once("\n---")?;
    front.lines().find_map(|line| {
        let value = line.trim().strip_prefix(field)?.strip_prefix(':')?;
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
        assert_eq!(front_matter(manifest, "name").as_deref(), Some("pdf-tools"));
        assert_eq!(front_matter(manifest, "description").as_deref(), Some("x"));
        assert_eq!(front_matter("# no front matter", "name"), None);
    }
}
