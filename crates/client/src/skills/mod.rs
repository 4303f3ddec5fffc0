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
use http::Method;

use crate::core::api_call::ApiCall;
use crate::core::call::item_path;
use crate::core::client::Client;
use crate::core::list::List;
use crate::core::operation::Operation;

pub use upload::SkillUpload;
pub use versions::SkillVersions;

const SKILLS: &str = "/v1/skills";

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
        ApiCall::new(
            self.client,
            Operation::Skills,
            Method::POST,
            Ok(SKILLS.to_owned()),
            "skill",
        )
        .raw_body(upload.encode(true))
    }

    /// `GET /v1/skills/{id}`: one Skill.
    pub fn retrieve(&self, skill_id: &str) -> ApiCall<'a, Skill> {
        let path = item_path(SKILLS, skill_id, "");
        ApiCall::new(self.client, Operation::Skills, Method::GET, path, "skill")
    }

    /// `GET /v1/skills`: a page of Skills, paged by token (`next_page`);
    /// [`into_stream`](List::into_stream) walks every page.
    pub fn list(&self) -> List<'a, Skill> {
        List::new(
            self.client,
            Operation::Skills,
            Ok(SKILLS.to_owned()),
            "skill list page",
        )
    }

    /// `GET /v1/skills?source=...`: only the Skills of one source
    /// (`custom` or `anthropic`).
    pub fn list_from(&self, source: &str) -> List<'a, Skill> {
        self.list().filter("source", source)
    }

    /// `DELETE /v1/skills/{id}`: deletes a Skill (its versions must be
    /// deleted first).
    pub fn delete(&self, skill_id: &str) -> ApiCall<'a, DeletedSkill> {
        let path = item_path(SKILLS, skill_id, "");
        ApiCall::new(
            self.client,
            Operation::Skills,
            Method::DELETE,
            path,
            "deleted skill",
        )
    }

    /// The versions of one Skill.
    pub fn versions(&self, skill_id: &str) -> SkillVersions<'a> {
        SkillVersions::new(self.client, skill_id)
    }
}
