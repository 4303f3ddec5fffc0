//! The Models API: which models exist, newest first.

use claude_rs_types::models::ModelInfo;

use crate::core::api_call::ApiCall;
use crate::core::client::Client;
use crate::core::list::List;

/// The Models API, from [`Client::models`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// let mut models = client.models().list().limit(10).into_stream();
/// while let Some(model) = models.next().await {
///     let model = model?;
///     println!("{} ({})", model.id, model.display_name);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Models<'a> {
    client: &'a Client,
}

impl<'a> Models<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// `GET /v1/models`: a page of models, most recently released first.
    pub fn list(&self) -> List<'a, ModelInfo> {
        self.client
            .get("/v1/models")
            .describe("model list page")
            .paginate()
    }

    /// `GET /v1/models/{model_id}`: one model, by id or alias (an alias
    /// such as `claude-haiku-4-5` resolves to its dated model).
    pub fn retrieve(&self, model_id: &str) -> ApiCall<'a, ModelInfo> {
        self.client
            .get("/v1/models/{model_id}")
            .path_param("model_id", model_id)
            .describe("model")
            .output()
    }
}
