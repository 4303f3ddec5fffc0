//! The [`MockServerBuilder`] settings of the platforms' credentials.

use crate::server::MockServerBuilder;
use crate::vocab::AwsKeys;

/// The platforms' credentials; without them any (or none) are accepted.
impl MockServerBuilder {
    /// Requires Bedrock requests (InvokeModel paths, service `bedrock`, and
    /// SigV4-signed Mantle requests, service `bedrock-mantle`) to be signed
    /// with these test keys. The `Authorization` header is verified for
    /// real: the canonical request, string to sign and HMAC-SHA256
    /// signature are recomputed from the request as received; the access
    /// key, the credential scope's service and date, `x-amz-date` (within
    /// 15 minutes), `x-amz-content-sha256` (when sent), and that `host`,
    /// `x-amz-date` and any `x-amz-security-token` are signed are checked.
    /// A failure is Bedrock's 403 `{"message": ...}` with `x-amzn-errortype`
    /// `InvalidSignatureException` (`UnrecognizedClientException` for
    /// another key or token, `MissingAuthenticationTokenException` without
    /// credentials). A [`bedrock_api_key`](Self::bedrock_api_key) is
    /// accepted too when also given.
    pub fn aws_credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        let keys = &mut self.platforms_mut().aws;
        let session_token = keys.take().and_then(|k| k.session_token);
        *keys = Some(AwsKeys {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        });
        self
    }

    /// With [`aws_credentials`](Self::aws_credentials): signed requests
    /// must also carry this session token in `x-amz-security-token`.
    pub fn aws_session_token(mut self, token: impl Into<String>) -> Self {
        let keys = self.platforms_mut().aws.get_or_insert_with(|| AwsKeys {
            access_key_id: String::new(),
            secret_access_key: String::new(),
            session_token: None,
        });
        keys.session_token = Some(token.into());
        self
    }

    /// Requires Bedrock and Mantle requests to carry this Bedrock API key
    /// as `Authorization: Bearer` (or, with
    /// [`aws_credentials`](Self::aws_credentials), a valid signature).
    pub fn bedrock_api_key(mut self, key: impl Into<String>) -> Self {
        self.platforms_mut().bedrock_api_key = Some(key.into());
        self
    }

    /// Requires Vertex requests to carry this access token as
    /// `Authorization: Bearer`; otherwise 401 with Google's
    /// `UNAUTHENTICATED` error body.
    pub fn vertex_token(mut self, token: impl Into<String>) -> Self {
        self.platforms_mut().vertex_token = Some(token.into());
        self
    }

    /// Requires Foundry requests (`/anthropic/...`, not SigV4-signed) to
    /// carry this key in `api-key` or `x-api-key` (or the
    /// [`foundry_token`](Self::foundry_token)); otherwise 401 with Azure's
    /// error body.
    pub fn foundry_api_key(mut self, key: impl Into<String>) -> Self {
        self.platforms_mut().foundry_api_key = Some(key.into());
        self
    }

    /// Requires Foundry requests to carry this Entra ID token as
    /// `Authorization: Bearer` (or the [`foundry_api_key`](Self::foundry_api_key)).
    pub fn foundry_token(mut self, token: impl Into<String>) -> Self {
        self.platforms_mut().foundry_token = Some(token.into());
        self
    }
}
