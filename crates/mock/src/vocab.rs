//! The mock's vocabulary: the types that name what a request is (its
//! [`Platform`]) and which credentials the mock requires, used by the
//! configuration, the recorded requests and the platform handlers alike.
//! They live here, apart from the features that act on them, so that those
//! features do not import each other in a circle.

/// Which wire shape a request came in: the first-party API's, or a cloud
/// platform's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Platform {
    /// The first-party API: `/v1/messages` and the rest.
    #[default]
    Anthropic,
    /// Amazon Bedrock InvokeModel: `/model/{model}/invoke`,
    /// `/invoke-with-response-stream` (eventstream) and `/count-tokens`.
    Bedrock,
    /// Bedrock's first-party endpoint, Mantle: `/anthropic/v1/...` signed
    /// with SigV4 for `bedrock-mantle` (or with the Bedrock API key).
    BedrockMantle,
    /// Bedrock's Managed Agents control plane:
    /// `/anthropic/v1/{agents,sessions,memory_stores}...` signed with SigV4
    /// for `bedrock` (or with the Bedrock API key): agents and sessions
    /// served as the first-party paths, memory stores in Bedrock's own
    /// types.
    BedrockControlPlane,
    /// Google Vertex AI: `/v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict`
    /// and `:streamRawPredict`.
    Vertex,
    /// Microsoft Foundry: `/anthropic/v1/...` with an API key or a bearer
    /// token.
    Foundry,
}

/// The platform credentials the mock requires, each optional.
#[derive(Debug, Clone, Default)]
pub(crate) struct PlatformAuth {
    /// SigV4 keys for Bedrock and its control plane (service `bedrock`) and Mantle
    /// (`bedrock-mantle`).
    pub(crate) aws: Option<AwsKeys>,
    /// A Bedrock API key, accepted as `Authorization: Bearer` on Bedrock
    /// and Mantle.
    pub(crate) bedrock_api_key: Option<String>,
    /// The Vertex access token (`Authorization: Bearer`).
    pub(crate) vertex_token: Option<String>,
    /// The Foundry key (`api-key` or `x-api-key`).
    pub(crate) foundry_api_key: Option<String>,
    /// The Foundry Entra ID token (`Authorization: Bearer`).
    pub(crate) foundry_token: Option<String>,
}

/// The test credentials requests must be signed with.
#[derive(Clone)]
pub(crate) struct AwsKeys {
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: String,
    /// When set, requests must carry it as `x-amz-security-token`.
    pub(crate) session_token: Option<String>,
}

impl std::fmt::Debug for AwsKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsKeys")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}
