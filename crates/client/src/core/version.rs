//! [`ApiVersion`]: the `anthropic-version` a client sends, and the rules
//! of each version that the client enforces before anything is sent.

use std::fmt;

use claude_rs_types::common::{Extra, Role};
use claude_rs_types::request::CountTokensRequest;
use claude_rs_types::{
    content::ContentBlock, content::MessageContent, request::CreateMessageRequest,
    request::MessageParam,
};

use crate::core::error::{Error, InvalidRequestKind};

/// The API version a client speaks (the `anthropic-version` header, and
/// `anthropic_version` in the bodies of Amazon Bedrock and Google Vertex
/// AI). Chosen once, on the builder:
///
/// ```
/// use claude_rs_client::{ApiVersion, Client};
///
/// // Today's default, as in the official SDKs.
/// let client = Client::builder().api_key("sk-ant-...").build()?;
/// assert_eq!(client.api_version(), &ApiVersion::V2026_10_21);
///
/// // The earlier version, for code that still sets `temperature`, `top_p`
/// // or `top_k`.
/// let client = Client::builder()
///     .api_key("sk-ant-...")
///     .api_version(ApiVersion::V2023_06_01)
///     .build()?;
/// assert_eq!(client.api_version().as_str(), "2023-06-01");
/// # Ok::<(), claude_rs_client::Error>(())
/// ```
///
/// # What each version refuses
///
/// `2026-10-21` no longer accepts the sampling parameters `temperature`,
/// `top_p` and `top_k`, `document` blocks in assistant turns, or
/// `citations` on the text of user turns. A request that holds one of them
/// fails with [`Error::InvalidRequest`] of kind
/// [`InvalidRequestKind::RefusedByVersion`] before anything is sent; its
/// source is a [`VersionRefusal`] naming the field and the version. Under
/// `2023-06-01` all of them are accepted. The rules are checked for the
/// typed requests of `messages()` and `batches()`; a body sent through the
/// generic verbs ([`Client::post`](crate::Client::post)) is the server's to
/// judge.
///
/// # Running a test suite under another version
///
/// The official SDKs read no variable for the version, and neither does a
/// client in normal use. For one purpose only, running an existing test
/// suite under another version without rebuilding it, a builder that is not
/// given a version takes the one in `CLAUDE_RS_TEST_API_VERSION`
/// (`2023-06-01`) when that variable is set in the process, also for
/// [`ClientBuilder::from_env_lookup`](crate::ClientBuilder::from_env_lookup).
/// [`ClientBuilder::api_version`](crate::ClientBuilder::api_version) always
/// wins over it. The project's CI runs its tests once with it unset and
/// once set to `2023-06-01`.
///
/// See <https://docs.claude.com/en/api/versioning>.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `2026-10-21`: the default, as in today's official SDKs.
    #[default]
    V2026_10_21,
    /// `2023-06-01`: the earlier version, with the sampling parameters.
    V2023_06_01,
    /// Any other version string, sent as it is. A date at or after
    /// `2026-10-21` gets that version's rules; any other value none.
    Other(String),
}

/// The variable that sets a builder's default version for a test run
/// (see [`ApiVersion`]).
pub(crate) const TEST_VERSION_VARIABLE: &str = "CLAUDE_RS_TEST_API_VERSION";

impl ApiVersion {
    /// A builder's version when it is given none: the default, unless the
    /// process sets [`TEST_VERSION_VARIABLE`] (an empty value is unset).
    pub(crate) fn builder_default() -> ApiVersion {
        match std::env::var(TEST_VERSION_VARIABLE) {
            Ok(version) if !version.trim().is_empty() => ApiVersion::from(version.trim()),
            _ => ApiVersion::default(),
        }
    }

    /// The version as sent (`2026-10-21`).
    pub fn as_str(&self) -> &str {
        match self {
            ApiVersion::V2026_10_21 => "2026-10-21",
            ApiVersion::V2023_06_01 => "2023-06-01",
            ApiVersion::Other(other) => other,
        }
    }

    /// Whether this version refuses the sampling parameters, assistant
    /// documents and user citations (`2026-10-21` and later dates).
    fn has_2026_rules(&self) -> bool {
        match self {
            ApiVersion::V2026_10_21 => true,
            ApiVersion::V2023_06_01 => false,
            // ISO dates compare as text.
            ApiVersion::Other(other) => {
                other.len() == 10
                    && other.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                    && other.as_str() >= "2026-10-21"
            }
        }
    }

    /// Checks a Messages request against this version's rules.
    pub(crate) fn check_message(&self, request: &CreateMessageRequest) -> Result<(), Error> {
        if !self.has_2026_rules() {
            return Ok(());
        }
        let sampling = [
            ("temperature", request.temperature.is_some()),
            ("top_p", request.top_p.is_some()),
            ("top_k", request.top_k.is_some()),
        ];
        for (field, set) in sampling {
            if set || request.extra.contains_key(field) {
                return Err(self.refuse(field.to_owned()));
            }
        }
        self.check_turns(&request.messages)
    }

    /// Checks a token-counting request against this version's rules.
    pub(crate) fn check_count(&self, request: &CountTokensRequest) -> Result<(), Error> {
        if !self.has_2026_rules() {
            return Ok(());
        }
        check_extra(self, &request.extra)?;
        self.check_turns(&request.messages)
    }

    fn check_turns(&self, messages: &[MessageParam]) -> Result<(), Error> {
        for (i, turn) in messages.iter().enumerate() {
            let Some(MessageContent::Blocks(blocks)) = &turn.content else {
                continue;
            };
            for (j, block) in blocks.iter().enumerate() {
                match (&turn.role, block) {
                    (Role::Assistant, ContentBlock::Document(_)) => {
                        return Err(self.refuse(format!("messages[{i}].content[{j}] (document)")));
                    }
                    (Role::User, ContentBlock::Text(text)) if text.citations.is_some() => {
                        return Err(self.refuse(format!("messages[{i}].content[{j}].citations")));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn refuse(&self, field: String) -> Error {
        let refusal = VersionRefusal {
            field,
            version: self.clone(),
        };
        Error::InvalidRequest {
            kind: InvalidRequestKind::RefusedByVersion,
            message: refusal.to_string(),
            source: Some(Box::new(refusal)),
        }
    }
}

/// Sampling parameters put in a request's `extra` by hand.
fn check_extra(version: &ApiVersion, extra: &Extra) -> Result<(), Error> {
    match ["temperature", "top_p", "top_k"]
        .into_iter()
        .find(|f| extra.contains_key(*f))
    {
        Some(field) => Err(version.refuse(field.to_owned())),
        None => Ok(()),
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ApiVersion {
    fn from(version: &str) -> Self {
        match version {
            "2026-10-21" => ApiVersion::V2026_10_21,
            "2023-06-01" => ApiVersion::V2023_06_01,
            other => ApiVersion::Other(other.to_owned()),
        }
    }
}

impl From<String> for ApiVersion {
    fn from(version: String) -> Self {
        ApiVersion::from(version.as_str())
    }
}

/// A field of a request that the client's API version refuses: the source
/// of an [`Error::InvalidRequest`] of kind
/// [`InvalidRequestKind::RefusedByVersion`].
///
/// ```
/// use claude_rs_client::{ApiVersion, Client, Error, VersionRefusal};
/// use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let client = Client::builder().api_key("sk-ant-...").build()?;
/// let request = CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")])
///     .with_temperature(0.2);
/// let refused = client.messages().create(request).await.unwrap_err();
/// let refusal = std::error::Error::source(&refused)
///     .and_then(|s| s.downcast_ref::<VersionRefusal>())
///     .expect("refused by the version");
/// assert_eq!((refusal.field(), refusal.version()), ("temperature", &ApiVersion::V2026_10_21));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRefusal {
    field: String,
    version: ApiVersion,
}

impl VersionRefusal {
    /// The refused field, as a path into the request (`temperature`,
    /// `messages[1].content[0] (document)`, `messages[0].content[2].citations`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The version that refuses it.
    pub fn version(&self) -> &ApiVersion {
        &self.version
    }
}

impl fmt::Display for VersionRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not accepted by API version {}; remove it, or build the client with \
             .api_version(ApiVersion::V2023_06_01)",
            self.field, self.version
        )
    }
}

impl std::error::Error for VersionRefusal {}

#[cfg(test)]
mod tests {
    use claude_rs_types::content::{DocumentBlock, TextBlock};

    use super::*;

    fn request(messages: Vec<MessageParam>) -> CreateMessageRequest {
        CreateMessageRequest::new("claude-sonnet-5", 64, messages)
    }

    fn refused_field(version: &ApiVersion, request: &CreateMessageRequest) -> Option<String> {
        let error = version.check_message(request).err()?;
        let Error::InvalidRequest { kind, source, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(*kind, InvalidRequestKind::RefusedByVersion);
        let refusal = source.as_ref()?.downcast_ref::<VersionRefusal>()?;
        assert_eq!(refusal.version(), version);
        assert!(error.to_string().contains(version.as_str()), "{error}");
        Some(refusal.field().to_owned())
    }

    #[test]
    fn the_newer_version_refuses_what_it_removed_and_the_older_keeps_it() {
        let hi = || vec![MessageParam::user("Hi")];
        let mut sampled = [request(hi()), request(hi()), request(hi()), request(hi())];
        sampled[0].temperature = Some(0.5);
        sampled[1].top_p = Some(0.9);
        sampled[2].top_k = Some(5);
        sampled[3].extra.insert("temperature".into(), 0.1.into());
        let document = ContentBlock::from(DocumentBlock::pdf_base64("JVBERi0xLjQ="));
        let mut cited = TextBlock::new("quoted");
        cited.citations = Some(Vec::new());
        let turns = [
            request(vec![
                MessageParam::user("Hi"),
                MessageParam::assistant(MessageContent::Blocks(vec![document.clone()])),
            ]),
            request(vec![MessageParam::user(MessageContent::Blocks(vec![
                ContentBlock::text("a"),
                ContentBlock::Text(cited.clone()),
            ]))]),
        ];
        let new = ApiVersion::V2026_10_21;
        let fields: Vec<_> = sampled
            .iter()
            .chain(&turns)
            .map(|r| refused_field(&new, r))
            .collect();
        assert_eq!(
            fields,
            [
                Some("temperature".to_owned()),
                Some("top_p".to_owned()),
                Some("top_k".to_owned()),
                Some("temperature".to_owned()),
                Some("messages[1].content[0] (document)".to_owned()),
                Some("messages[0].content[1].citations".to_owned()),
            ]
        );
        let later = ApiVersion::from("2027-01-01");
        assert!(refused_field(&later, &sampled[0]).is_some());
        for old in [
            ApiVersion::V2023_06_01,
            ApiVersion::from("2023-01-01"),
            ApiVersion::from("beta"),
        ] {
            for r in sampled.iter().chain(&turns) {
                assert_eq!(refused_field(&old, r), None, "{old}");
            }
        }
        // What stays allowed under the newer version.
        let fine = request(vec![
            MessageParam::user(MessageContent::Blocks(vec![
                document,
                ContentBlock::text("a"),
            ])),
            MessageParam::assistant(MessageContent::Blocks(vec![ContentBlock::Text(cited)])),
        ]);
        assert_eq!(refused_field(&new, &fine), None);
    }

    #[test]
    fn versions_parse_and_print() {
        assert_eq!(ApiVersion::default(), ApiVersion::V2026_10_21);
        assert_eq!(ApiVersion::from("2023-06-01"), ApiVersion::V2023_06_01);
        assert_eq!(ApiVersion::from("2026-10-21").to_string(), "2026-10-21");
        assert_eq!(ApiVersion::from("2024-01-01").as_str(), "2024-01-01");
    }
}
