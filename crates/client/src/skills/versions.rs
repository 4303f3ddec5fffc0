//! [`SkillVersions`]: the versions of one Skill.

use claude_rs_types::skills::{DeletedSkillVersion, SkillVersion};
use http::Method;

use super::{SKILLS, SkillUpload};
use crate::core::api_call::ApiCall;
use crate::core::call::item_path;
use crate::core::client::Client;
use crate::core::download::DownloadFile;
use crate::core::error::Error;
use crate::core::list::List;
use crate::core::operation::Operation;

/// The versions of one Skill, from [`Skills::versions`](super::Skills::versions).
#[derive(Debug, Clone)]
pub struct SkillVersions<'a> {
    client: &'a Client,
    skill_id: String,
}

impl<'a> SkillVersions<'a> {
    pub(crate) fn new(client: &'a Client, skill_id: &str) -> Self {
        Self {
            client,
            skill_id: skill_id.to_owned(),
        }
    }

    /// `/v1/skills/{id}/versions`.
    fn versions_path(&self) -> Result<String, Error> {
        item_path(SKILLS, &self.skill_id, "/versions")
    }

    /// `/v1/skills/{id}/versions/{version}{suffix}`.
    fn version_path(&self, version: &str, suffix: &str) -> Result<String, Error> {
        item_path(&self.versions_path()?, version, suffix)
    }

    /// `POST /v1/skills/{id}/versions`: a new version from new files (the
    /// upload's display name is not sent: it belongs to the Skill).
    pub fn create(&self, upload: SkillUpload) -> ApiCall<'a, SkillVersion> {
        let path = self.versions_path();
        ApiCall::new(
            self.client,
            Operation::Skills,
            Method::POST,
            path,
            "skill version",
        )
        .raw_body(upload.encode(false))
    }

    /// `GET /v1/skills/{id}/versions/{version}`: one version.
    pub fn retrieve(&self, version: &str) -> ApiCall<'a, SkillVersion> {
        let path = self.version_path(version, "");
        ApiCall::new(
            self.client,
            Operation::Skills,
            Method::GET,
            path,
            "skill version",
        )
    }

    /// `GET /v1/skills/{id}/versions`: a page of versions, paged by token.
    pub fn list(&self) -> List<'a, SkillVersion> {
        let path = self.versions_path();
        List::new(
            self.client,
            Operation::Skills,
            path,
            "skill version list page",
        )
    }

    /// `DELETE /v1/skills/{id}/versions/{version}`: deletes a version.
    pub fn delete(&self, version: &str) -> ApiCall<'a, DeletedSkillVersion> {
        let path = self.version_path(version, "");
        let what = "deleted skill version";
        ApiCall::new(self.client, Operation::Skills, Method::DELETE, path, what)
    }

    /// `GET /v1/skills/{id}/versions/{version}/content`: the version's files
    /// as an archive, streamed. The official SDKs reach this endpoint with
    /// the `beta=true` query, so it is sent too.
    pub fn download(&self, version: &str) -> DownloadFile<'a> {
        let path = self
            .version_path(version, "/content")
            .map(|path| path + "?beta=true");
        DownloadFile::of(self.client, Operation::Skills, path)
    }
}
