//! The signers against Postman itself: `postman_signers.js` signs random requests (encodings,
//! placements, flags, body kinds) with postman-runtime's authorizers from
//! `tests/newman/node_modules`, and each must come out of the runtime the same: URL,
//! `Authorization` header and body.
//!
//! Skipped (with a note) when Node or `npm ci --prefix tests/newman` is missing; CI has both.

use std::path::Path;
use std::process::Command;

use postman_codegen_runtime::runtime::{SignKind, SignedSpec};
use serde_json::Value;

use crate::signing::{request, sign_with};

static OAUTH1: SignedSpec = SignedSpec {
    kind: SignKind::OAuth1,
    params: &[],
};
static HAWK: SignedSpec = SignedSpec {
    kind: SignKind::Hawk,
    params: &[],
};
static EDGEGRID: SignedSpec = SignedSpec {
    kind: SignKind::EdgeGrid,
    params: &[],
};

/// Cases per kind, and the seed of their generator.
const CASES: usize = 300;
const SEED: u32 = 12345;

fn postman_cases() -> Option<Vec<Value>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let node_modules = root.join("../../tests/newman/node_modules");
    if !node_modules.join("postman-runtime").is_dir() {
        eprintln!("skipped: no postman-runtime (run `npm ci --prefix tests/newman`)");
        return None;
    }
    let script = root.join("tests/runtime/postman_signers.js");
    let output = match Command::new("node")
        .arg(script)
        .arg(node_modules)
        .arg(CASES.to_string())
        .arg(SEED.to_string())
        .output()
    {
        Ok(output) => output,
        Err(e) => {
            eprintln!("skipped: cannot run node: {e}");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "postman_signers.js failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("a JSON array of cases"))
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

fn pairs(value: &Value) -> Vec<(String, String)> {
    let items = value.as_array().expect("pairs");
    items
        .iter()
        .map(|p| (text(&p[0]).to_owned(), text(&p[1]).to_owned()))
        .collect()
}

#[test]
fn signers_sign_as_postman_does() {
    let Some(cases) = postman_cases() else { return };
    assert_eq!(cases.len(), 3 * CASES);
    let mut failures = Vec::new();
    for case in &cases {
        let headers = pairs(&case["headers"]);
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut req = request(
            text(&case["method"]),
            text(&case["url"]),
            &headers,
            case["body"].as_str(),
        );
        // The names are Postman's parameter names, which `SignParams` keys by `&'static str`.
        let params = pairs(&case["params"]);
        let params: Vec<(&'static str, &str)> = params
            .iter()
            .map(|(k, v)| (&*String::leak(k.clone()), v.as_str()))
            .collect();
        let spec = match text(&case["kind"]) {
            "oauth1" => &OAUTH1,
            "hawk" => &HAWK,
            _ => &EDGEGRID,
        };
        let name = text(&case["name"]);
        if let Err(e) = sign_with(spec, &params, 0, &mut req) {
            failures.push(format!("{name}: {e}"));
            continue;
        }
        let expect = &case["expect"];
        let authorization = req
            .headers()
            .get("authorization")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let body = req
            .body()
            .and_then(|b| b.as_bytes())
            .map(|b| String::from_utf8_lossy(b).into_owned());
        let url = reqwest::Url::parse(text(&expect["url"])).expect("Postman's URL");
        if req.url() != &url
            || authorization != text(&expect["authorization"])
            || body.as_deref() != expect["body"].as_str()
        {
            failures.push(format!(
                "{name}: {case}\n  runtime: {} | {authorization} | {body:?}",
                req.url()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ from Postman:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
