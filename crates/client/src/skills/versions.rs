//! [`SkillVersions`]: the versions of one Skill.

use claude_rs_types::skills::{DeletedSkillVersion, SkillVersion};
use http::Method;

use super::SkillUpload;
use crate::core::api_call::ApiCall;
use crate::core::client::Client;
use crate::core::download::DownloadFile;
use crate::core::list::List;

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

    /// A call of `method` to `/v1/skills/{skill_id}/versions{suffix}`.
    fn call(&self, method: Method, suffix: &str) -> ApiCall<'a> {
        self.client
            .request(method, &format!("/v1/skills/{{skill_id}}/versions{suffix}"))
            .path_param("skill_id", &self.skill_id)
    }

    /// A call of `method` to `/v1/skills/{skill_id}/versions/{version}{suffix}`.
    fn on_version(&self, method: Method, version: &str, suffix: &str) -> ApiCall<'a> {
        self.call(method, &format!("/{{version}}{suffix}"))
            .path_param("version", version)
    }

    /// `POST /v1/skills/{id}/versions`: a new version from new files (the
    /// upload's display name is not sent: it belongs to the Skill).
    pub fn create(&self, upload: SkillUpload) -> ApiCall<'a, SkillVersion> {
        self.call(Method::POST, "")
            .raw_body(upload.encode(false))
            .describe("skill version")
            .output()
    }

    /// `GET /v1/skills/{id}/versions/{version}`: one version.
    pub fn retrieve(&self, version: &str) -> ApiCall<'a, SkillVersion> {
        self.on_version(Method::GET, version, "")
            .describe("skill version")
            .output()
    }

    /// `GET /v1/skills/{id}/versions`: a page of versions, paged by token.
    pub fn list(&self) -> List<'a, SkillVersion> {
        self.call(Method::GET, "")
            .describe("skill version list page")
            .paginate()
    }

    /// `DELETE /v1/skills/{id}/versions/{version}`: deletes a version.
    pub fn delete(&self, version: &str) -> ApiCall<'a, DeletedSkillVersion> {
        self.on_version(Method::DELETE, version, "")
            .describe("deleted skill version")
            .output()
    }

    /// `GET /v1/skills/{id}/versions/{version}/content`: the version's files
    /// as an archive, streamed. The official SDKs reach this endpoint with
    /// the `beta=true` query, so it is sent too.
    pub fn download(&self, version: &str) -> DownloadFile<'a> {
        let call = self
            .on_version(Method::GET, version, "/content")
            .query("beta", "true");
        DownloadFile::new(call)
    }
}
