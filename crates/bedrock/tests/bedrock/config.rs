//! Where the settings come from (arguments, variables, the shared files),
//! and that no secret shows in Debug, Display or errors.

use std::collections::HashMap;

use claude_rs_bedrock::{Bedrock, BedrockBuilder, Credentials};
use claude_rs_client::backend::Backend;
use claude_rs_client::{ConfigKind, Error};

fn with_env(vars: &[(&str, &str)]) -> BedrockBuilder {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Bedrock::builder().env_lookup(move |name| vars.get(name).cloned())
}

const SECRET: &str = "wJalrXUtnFEMI-SECRET";
const TOKEN: &str = "SESSION-TOKEN-SECRET";

#[test]
fn region_order_and_base_urls() {
    let keys = [
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ];
    let both = [
        keys[0],
        keys[1],
        ("AWS_REGION", "eu-west-1"),
        ("AWS_DEFAULT_REGION", "us-west-2"),
    ];
    let bedrock = with_env(&both).build().unwrap();
    assert_eq!(bedrock.region(), "eu-west-1");
    assert_eq!(
        bedrock.base_url(),
        "https://bedrock-runtime.eu-west-1.amazonaws.com"
    );
    let default_only = [keys[0], keys[1], ("AWS_DEFAULT_REGION", "us-west-2")];
    assert_eq!(
        with_env(&default_only).build().unwrap().region(),
        "us-west-2"
    );
    let given = with_env(&both).region("ap-south-1").build().unwrap();
    assert_eq!(given.region(), "ap-south-1");

    let override_url = [
        keys[0],
        keys[1],
        ("AWS_REGION", "eu-west-1"),
        ("ANTHROPIC_BEDROCK_BASE_URL", "http://127.0.0.1:9/"),
    ];
    assert_eq!(
        with_env(&override_url).build().unwrap().base_url(),
        "http://127.0.0.1:9"
    );

    let mantle = Bedrock::mantle_builder()
        .env_lookup(|n| (n == "AWS_REGION").then(|| "us-east-1".to_owned()))
        .api_key("k")
        .build()
        .unwrap();
    assert_eq!(
        mantle.base_url(),
        "https://bedrock-mantle.us-east-1.api.aws/anthropic"
    );
    assert_eq!(mantle.signing_name(), "bedrock-mantle");

    let error = with_env(&keys).build().unwrap_err();
    assert!(
        matches!(&error, Error::Config { kind: ConfigKind::MissingSetting, message, .. } if message.contains("AWS_REGION")),
        "{error:?}"
    );
}

#[test]
fn auth_order_bearer_then_env_keys_then_profile() {
    let error = with_env(&[("AWS_REGION", "us-east-1")])
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Config {
                kind: ConfigKind::MissingCredentials,
                ..
            }
        ),
        "{error:?}"
    );
    let bearer = with_env(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_BEARER_TOKEN_BEDROCK", "ABSK-SECRET"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ])
    .build()
    .unwrap();
    assert!(format!("{bearer:?}").contains("Bearer(<redacted>)"));
    // Explicit keys win over the environment's bearer key.
    let keys = with_env(&[("AWS_BEARER_TOKEN_BEDROCK", "ABSK-SECRET")])
        .region("us-east-1")
        .credentials(Credentials::new("AKID", SECRET, None))
        .build()
        .unwrap();
    assert!(format!("{keys:?}").contains("SigV4"));
}

#[test]
fn shared_files_profiles_give_keys_and_region() {
    let dir =
        std::env::temp_dir().join(format!("claude-rs-bedrock-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let credentials = dir.join("credentials");
    let config = dir.join("config");
    std::fs::write(
        &credentials,
        format!("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = {SECRET}\n\n[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key={SECRET}\naws_session_token={TOKEN}\n"),
    )
    .unwrap();
    std::fs::write(&config, "[default]\nregion = us-west-2\n[profile dev]\nregion = eu-central-1\n[profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = x\n").unwrap();
    let files = [
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
    ];
    let default = with_env(&files).build().unwrap();
    assert_eq!(default.region(), "us-west-2");
    assert!(format!("{default:?}").contains("AKIDDEFAULT"));

    let by_env = with_env(&[files[0], files[1], ("AWS_PROFILE", "dev")])
        .build()
        .unwrap();
    assert_eq!(by_env.region(), "eu-central-1");
    let shown = format!("{by_env:?}");
    assert!(
        shown.contains("AKIDDEV") && !shown.contains(TOKEN) && !shown.contains(SECRET),
        "{shown}"
    );

    // An explicit profile skips the environment's keys.
    let explicit = with_env(&[
        files[0],
        files[1],
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
    ])
    .profile("cfgonly")
    .region("us-east-1")
    .build()
    .unwrap();
    assert!(format!("{explicit:?}").contains("AKIDCFG"));

    let error = with_env(&files)
        .profile("nope")
        .region("us-east-1")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("\"nope\""), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_secret_in_debug_display_or_errors() {
    let keys = Credentials::new("AKID", SECRET, Some(TOKEN.into()));
    let builder = Bedrock::builder()
        .region("us-east-1")
        .api_key("ABSK-KEY-SECRET")
        .credentials(keys.clone());
    let bedrock = builder.clone().build().unwrap();
    for shown in [
        format!("{keys:?}"),
        format!("{builder:?}"),
        format!("{bedrock:?}"),
    ] {
        for secret in [SECRET, TOKEN, "ABSK-KEY-SECRET"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    let error = Bedrock::builder()
        .region("us-east-1")
        .api_key("bad\nkey-SECRET")
        .build()
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("key-SECRET"), "{shown}");
}

#[test]
fn regions_that_are_not_host_labels_are_refused_at_build() {
    let keys = [
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ];
    for region in [
        "attacker.example/",
        "us-east-1.evil.com",
        "..",
        "us east 1",
        "-x",
        "eu-west-1/",
    ] {
        let error = with_env(&keys).region(region).build().unwrap_err();
        assert!(
            matches!(
                error,
                Error::Config {
                    kind: ConfigKind::InvalidSetting,
                    ..
                }
            ),
            "{region}: {error:?}"
        );
        assert!(!error.to_string().contains(SECRET));
        let from_env = with_env(&[keys[0], keys[1], ("AWS_REGION", region)]).build();
        assert!(from_env.is_err(), "{region}");
    }
    with_env(&keys).region("us-gov-west-1").build().unwrap();
}
