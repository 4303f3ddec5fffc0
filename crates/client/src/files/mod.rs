//! The Files API: upload a file once, then reference it by id from image and
//! document blocks instead of sending its bytes every turn.
//!
//! The API is generally available, so no `anthropic-beta` header is sent;
//! for an account still on the beta, add `.beta(FILES_API_BETA)` to the
//! calls (and to the Messages requests that reference files).
//!
//! ```
//! use claude_rs_client::files::{FILES_API_BETA, FileUpload};
//! use claude_rs_types::content::DocumentBlock;
//! use claude_rs_types::{content::ContentBlock, request::CreateMessageRequest, request::MessageParam};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), claude_rs_client::Error> {
//! # let server = claude_rs_mock::MockServer::start().await;
//! # server.enqueue(claude_rs_mock::MockResponse::text("Green, according to your notes."));
//! # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
//! let upload = FileUpload::from_bytes("notes.txt", "text/plain", "The sky is green.");
//! let file = client.files().upload(upload).await?;
//!
//! let request = CreateMessageRequest::new(
//!     "claude-sonnet-5",
//!     256,
//!     vec![MessageParam::user(vec![
//!         ContentBlock::from(DocumentBlock::file(&file.id)),
//!         ContentBlock::from("What colour is the sky?"),
//!     ])],
//! );
//! let reply = client.messages().create(request).beta(FILES_API_BETA).await?;
//! assert_eq!(reply.text(), "Green, according to your notes.");
//! client.files().delete(&file.id).await?;
//! # Ok(())
//! # }
//! ```

use claude_rs_types::files::{DeletedFile, FileMetadata};

use crate::core::api_call::ApiCall;
use crate::core::client::Client;
use crate::core::list::List;

use crate::core::multipart::Form;

pub use crate::core::download::{DownloadFile, FileDownload};
pub use crate::core::upload::{FileUpload, guess_media_type};

/// The `anthropic-beta` value of the Files API's beta, for accounts that
/// still need it.
pub const FILES_API_BETA: &str = "files-api-2025-04-14";

const FILES: &str = "/v1/files";
const FILE: &str = "/v1/files/{file_id}";

/// The Files API, from [`Client::files`].
///
/// ```
/// use claude_rs_client::files::FileUpload;
/// use claude_rs_types::error_code::ErrorCode;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// let upload = FileUpload::from_bytes("notes.txt", "text/plain", "The sky is green.");
/// let uploaded = client.files().upload(upload).await?;
/// assert_eq!((uploaded.filename.as_str(), uploaded.size_bytes), ("notes.txt", 17));
///
/// // Say code execution wrote a chart: files made by tools can be downloaded.
/// # server.add_generated_file("chart.csv", "text/csv", "x,y\n1,2\n");
/// let files = client.files().list().into_stream().collect_all().await?;
/// assert_eq!(files.len(), 2);
/// let chart = files.iter().find(|file| file.downloadable == Some(true)).expect("the chart");
/// let bytes = client.files().download(&chart.id).await?.collect(1 << 20).await?;
/// assert_eq!(bytes, "x,y\n1,2\n");
///
/// // Uploaded ones cannot.
/// let refused = client.files().download(&uploaded.id).await.unwrap_err();
/// assert_eq!(refused.api().and_then(|e| e.error_code()), Some(ErrorCode::FileNotDownloadable));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    client: &'a Client,
}

impl<'a> Files<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// `POST /v1/files`: uploads a file as `multipart/form-data` (one
    /// `file` part with its name and media type).
    pub fn upload(&self, file: FileUpload) -> ApiCall<'a, FileMetadata> {
        self.client
            .post(FILES)
            .raw_body(Form::new().file("file", file).encode())
            .describe("file metadata")
            .output()
    }

    /// `GET /v1/files`: a page of files, newest first, paged by token
    /// (`next_page`); [`into_stream`](List::into_stream) walks every page.
    pub fn list(&self) -> List<'a, FileMetadata> {
        self.client.get(FILES).describe("file list page").paginate()
    }

    /// `GET /v1/files?ids[]=...`: the files of these ids that exist, in one
    /// page (at most 100 ids; ids of deleted or unknown files are left
    /// out). Not combined with `limit` or `page`.
    pub fn list_ids<I, S>(&self, ids: I) -> List<'a, FileMetadata>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = ids.into_iter().map(Into::into);
        self.client
            .get(FILES)
            .query_all("ids[]", ids)
            .describe("file list page")
            .paginate()
    }

    /// `GET /v1/files/{id}`: a file's metadata.
    pub fn retrieve_metadata(&self, file_id: &str) -> ApiCall<'a, FileMetadata> {
        self.on_file(self.client.get(FILE), file_id)
            .describe("file metadata")
            .output()
    }

    /// `GET /v1/files/{id}/content`: a file's bytes as a stream. Only files
    /// made by tools (`downloadable: true`) can be downloaded; the API
    /// refuses uploaded ones.
    pub fn download(&self, file_id: &str) -> DownloadFile<'a> {
        let call = self.client.get("/v1/files/{file_id}/content");
        DownloadFile::new(self.on_file(call, file_id))
    }

    /// `DELETE /v1/files/{id}`: deletes a file; messages that referenced
    /// it can no longer be re-sent.
    pub fn delete(&self, file_id: &str) -> ApiCall<'a, DeletedFile> {
        self.on_file(self.client.delete(FILE), file_id)
            .describe("deleted file")
            .output()
    }

    fn on_file(&self, call: ApiCall<'a>, file_id: &str) -> ApiCall<'a> {
        call.path_param("file_id", file_id)
    }
}
