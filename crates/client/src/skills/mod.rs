//! The Skills API: folders of instructions and code (a `SKILL.md` at their
//! root) that Claude loads into its code-execution container, referenced
//! from a Messages request's `container.skills`.
//!
//! ```
//! use claude_rs_client::files::FileUpload;
//! use claude_rs_client::skills::SkillUpload;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), claude_rs_client::Error> {
//! # let server = claude_rs_mock::MockServer::start().await;
//! # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
//! let upload = SkillUpload::new()
//!     .file(FileUpload::from_bytes(
//!         "report-writer/SKILL.md",
//!         "text/markdown",
//!         "---\nname: report-writer\ndescription: Writes reports.\n---\nWrite a report.",
//!     ))
//!     .display_name("Report writer");
//! let skill = client.skills().create(upload).await?;
//! assert_eq!(skill.display_name, "Report writer");
//! let again = client.skills().retrieve(&skill.id).await?;
//! assert_eq!(again.latest_version_id, skill.latest_version_id);
//! # Ok(())
//! # }
//! ```

mod upload;
mod versions;

use claude_rs_types::skills::{DeletedSkill, Skill};

use crate::core::api_call::ApiCall;
use crate::core::client::Client;
use crate::core::list::List;

pub use upload::SkillUpload;
pub use versions::SkillVersions;

const SKILLS: &str = "/v1/skills";
/// One Skill's path.
const SKILL: &str = "/v1/skills/{skill_id}";

/// The Skills API, from [`Client::skills`].
///
/// It is generally available: no `anthropic-beta` header is sent.
#[derive(Debug, Clone, Copy)]
pub struct Skills<'a> {
    client: &'a Client,
}

impl<'a> Skills<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// `POST /v1/skills`: creates a Skill from its files (a folder with a
    /// `SKILL.md` at its root, or a zip of one), as `multipart/form-data`.
    pub fn create(&self, upload: SkillUpload) -> ApiCall<'a, Skill> {
        self.client
            .post(SKILLS)
            .raw_body(upload.encode(true))
            .describe("skill")
            .output()
    }

    /// `GET /v1/skills/{id}`: one Skill.
    pub fn retrieve(&self, skill_id: &str) -> ApiCall<'a, Skill> {
        self.client
            .get(SKILL)
            .path_param("skill_id", skill_id)
            .describe("skill")
            .output()
    }

    /// `GET /v1/skills`: a page of Skills, paged by token (`next_page`);
    /// [`into_stream`](List::into_stream) walks every page.
    pub fn list(&self) -> List<'a, Skill> {
        self.client
            .get(SKILLS)
            .describe("skill list page")
            .paginate()
    }

    /// `GET /v1/skills?source=...`: only the Skills of one source
    /// (`custom` or `anthropic`).
    pub fn list_from(&self, source: &str) -> List<'a, Skill> {
        self.client
            .get(SKILLS)
            .query("source", source)
            .describe("skill list page")
            .paginate()
    }

    /// `DELETE /v1/skills/{id}`: deletes a Skill (its versions must be
    /// deleted first).
    pub fn delete(&self, skill_id: &str) -> ApiCall<'a, DeletedSkill> {
        self.client
            .delete(SKILL)
            .path_param("skill_id", skill_id)
            .describe("deleted skill")
            .output()
    }

    /// The versions of one Skill.
    pub fn versions(&self, skill_id: &str) -> SkillVersions<'a> {
        SkillVersions::new(self.client, skill_id)
    }
}
