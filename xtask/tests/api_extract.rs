//! `cargo xtask api extract` over a small SDK-shaped package: what it
//! writes, that it writes the same bytes twice, and that a path it cannot
//! extract fails it. Needs python3, as the extractor does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini-sdk")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-api-extract-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn extract(sdk: &Path, out: &Path) -> std::process::Output {
    xtask(&[
        "api",
        "extract",
        "--sdk",
        sdk.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn read(dir: &Path, file: &str) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join(file)).unwrap()).unwrap()
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn extracts_endpoints_types_and_error_codes_byte_for_byte_stable() {
    let (a, b) = (scratch("a"), scratch("b"));
    let first = extract(&fixture(), &a);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(extract(&fixture(), &b).status.success());
    assert_eq!(files(&a), files(&b), "two extractions differ");

    let endpoints = read(&a, "widgets/endpoints.json");
    let endpoints = endpoints["endpoints"].as_array().unwrap();
    let routes: Vec<String> = endpoints
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["pagination"]
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            "GET /v1/widgets \"page\"",
            "POST /v1/widgets null",
            "GET /v1/widgets/{widget_id} null"
        ]
    );
    let create = &endpoints[1];
    assert_eq!(create["beta"], "widgets-2026-01-01");
    assert_eq!(create["betas_param"], true);
    assert_eq!(
        create["body"]["fields"],
        serde_json::json!([
            {"name": "kind", "type": {"ref": "WidgetKind"}, "required": true},
            {"name": "note", "type": "string", "required": false}
        ])
    );
    assert_eq!(endpoints[0]["query"][0]["name"], "limit");
    assert_eq!(endpoints[2]["path_params"][0]["name"], "widget_id");

    let types = read(&a, "widgets/types.json");
    let types = &types["types"];
    assert_eq!(
        types["WidgetKind"]["values"],
        serde_json::json!(["small", "large"])
    );
    assert_eq!(types["Part"]["discriminator"], "type");
    assert_eq!(types["Part"]["members"][1]["tag"], "spring");
    let fields = types["Widget"]["fields"].as_array().unwrap();
    let from = fields.iter().find(|f| f["py_name"] == "from_").unwrap();
    assert_eq!(from["name"], "from");
    assert_eq!(from["required"], false);
    assert_eq!(from["nullable"], true);

    let errors = read(&a, "errors.json");
    assert_eq!(errors["error_codes"][0]["code"], "widget_not_found");
    assert_eq!(errors["error_codes"][0]["status"], 404);
    assert_eq!(read(&a, "provenance.json")["version"], "0.0.1");
    let _ = fs::remove_dir_all(a);
    let _ = fs::remove_dir_all(b);
}

#[test]
fn a_path_the_extractor_misses_fails_it() {
    let sdk = scratch("sdk");
    let out = scratch("out");
    Command::new("cp")
        .arg("-r")
        .arg(fixture())
        .arg(&sdk)
        .status()
        .unwrap();
    let resource = sdk.join("anthropic/resources/widgets.py");
    let text = fs::read_to_string(&resource).unwrap();
    fs::write(&resource, text + "\nHIDDEN = \"/v1/widgets/hidden\"\n").unwrap();
    let output = extract(&sdk, &out);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/v1/widgets/hidden"), "{stderr}");
    let _ = fs::remove_dir_all(sdk);
    let _ = fs::remove_dir_all(out);
}
