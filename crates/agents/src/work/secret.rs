//! The work secret a poll hands out with an item: URL-safe base64 (padding
//! optional) of a JSON object whose `sessions_token` authenticates the
//! item's session calls.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use claude_rs_types::Secret;

use super::WorkError;

/// Decodes the `sessions_token` of `secret`, the work secret of item
/// `work_id`: `None` when the object carries no (or an empty) token. The
/// error names what was wrong without showing the secret.
pub(super) fn sessions_token(work_id: &str, secret: &Secret) -> Result<Option<Secret>, WorkError> {
    let failed = |reason: &'static str| WorkError::Secret {
        work_id: work_id.to_owned(),
        reason,
    };
    let text = secret.expose().trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| failed("not URL-safe base64"))?;
    let payload: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| failed("not JSON"))?;
    let object = payload
        .as_object()
        .ok_or_else(|| failed("not a JSON object"))?;
    match object.get("sessions_token") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(token)) if token.is_empty() => Ok(None),
        Some(serde_json::Value::String(token)) => Ok(Some(Secret::new(token.clone()))),
        Some(_) => Err(failed("`sessions_token` is not a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(json: &str) -> Secret {
        Secret::new(URL_SAFE_NO_PAD.encode(json))
    }

    #[test]
    fn decodes_the_token_with_or_without_padding() {
        let plain = encode(r#"{"sessions_token":"sesstok_x?>"}"#);
        let token = sessions_token("work_1", &plain).unwrap().unwrap();
        assert_eq!(token.expose(), "sesstok_x?>");
        let padded = Secret::new(format!(
            "{}==",
            URL_SAFE_NO_PAD.encode(r#"{"sessions_token":"t"}"#)
        ));
        assert_eq!(sessions_token("w", &padded).unwrap().unwrap().expose(), "t");
        assert!(
            sessions_token("w", &encode(r#"{"other":1}"#))
                .unwrap()
                .is_none()
        );
        assert!(
            sessions_token("w", &encode(r#"{"sessions_token":""}"#))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn bad_secrets_are_typed_errors_that_do_not_show_them() {
        let cases = [
            (Secret::new("sesstok+not/url*safe"), "not URL-safe base64"),
            (encode("sesstok_plain_text"), "not JSON"),
            (encode(r#"["sesstok_in_array"]"#), "not a JSON object"),
            (
                encode(r#"{"sessions_token":["sesstok_x"]}"#),
                "`sessions_token` is not a string",
            ),
        ];
        for (secret, expected) in cases {
            let error = sessions_token("work_9", &secret).unwrap_err();
            assert!(matches!(&error, WorkError::Secret { reason, .. } if *reason == expected));
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(shown.contains("work_9"), "{shown}");
                assert!(!shown.contains("sesstok"), "{shown}");
                assert!(!shown.contains(secret.expose()), "{shown}");
            }
        }
    }
}
