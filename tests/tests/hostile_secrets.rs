//! No leaked secret (issue 8): for every corpus collection that has an environment, every value
//! of a secret-typed or credential-like variable (environment, globals and collection variables)
//! and every literal credential in an auth block is replaced by a unique canary; the canaries
//! never reach a generated file, a warning or an error message.

use std::path::Path;

use integration_tests::{corpus_collections, environment_for, repo_root};
use postman_codegen::resolve::{credential_like, is_secret_auth_param};
use postman_codegen::Generator;
use serde_json::{json, Value};

const PREFIX: &str = "CANARY-";

#[derive(Default)]
struct Planter {
    planted: Vec<String>,
}

impl Planter {
    fn plant(&mut self) -> Value {
        let canary = format!("{PREFIX}{}-VALUE", self.planted.len());
        self.planted.push(canary.clone());
        Value::from(canary)
    }
}

fn is_literal(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.contains("{{"),
        Value::Number(_) | Value::Bool(_) => true,
        _ => false,
    }
}

/// Variables (`{key, value, type}` lists): secret-typed or credential-like names get a canary.
fn plant_in_variables(list: &mut Value, planter: &mut Planter) {
    for entry in list.as_array_mut().into_iter().flatten() {
        let name = entry.get("key").or_else(|| entry.get("id")).and_then(Value::as_str).unwrap_or_default().to_owned();
        let secret_typed = entry.get("type").and_then(Value::as_str) == Some("secret");
        if (secret_typed || credential_like(&name)) && entry.is_object() {
            entry["value"] = planter.plant();
        }
    }
}

fn plant_in_environment(env: &mut Value, planter: &mut Planter) {
    if let Some(values) = env.get_mut("values") {
        plant_in_variables(values, planter);
    }
    if let Some(inner) = env.get_mut("environment") {
        plant_in_environment(inner, planter);
    }
}

/// Every auth block anywhere in the collection: literal credential parameters get a canary.
/// Collection- and folder-level `variable` lists are treated like environments.
fn plant_in_collection(value: &mut Value, planter: &mut Planter) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(auth)) = map.get_mut("auth") {
                for (block_name, block) in auth.iter_mut().filter(|(k, _)| k.as_str() != "type") {
                    let _ = block_name;
                    match block {
                        Value::Array(params) => {
                            for param in params.iter_mut().filter(|p| p.is_object()) {
                                let key = param.get("key").and_then(Value::as_str).unwrap_or_default().to_owned();
                                if is_secret_auth_param(&key) && param.get("value").is_some_and(is_literal) {
                                    param["value"] = planter.plant();
                                }
                            }
                        }
                        Value::Object(params) => {
                            for (key, param) in params.iter_mut() {
                                if is_secret_auth_param(key) && is_literal(param) {
                                    *param = planter.plant();
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            if let Some(variables) = map.get_mut("variable") {
                plant_in_variables(variables, planter);
            }
            for (key, child) in map.iter_mut() {
                // `url.variable` holds path parameters, not credentials.
                if key != "url" {
                    plant_in_collection(child, planter);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| plant_in_collection(i, planter)),
        _ => {}
    }
}

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    serde_json::from_slice(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes)).unwrap()
}

fn assert_no_canary(what: &str, text: &str, planter: &Planter) {
    if let Some(at) = text.find(PREFIX) {
        let end = text[at..].find("-VALUE").map_or(text.len(), |e| at + e + 6);
        let canary = &text[at..end.min(at + 40)];
        assert!(!planter.planted.iter().any(|p| p == canary), "{what} leaks {canary}");
        panic!("{what} holds an unexpected `{PREFIX}` text: {}", &text[at..end.min(at + 40)]);
    }
}

struct Case {
    name: String,
    collection: Value,
    environment: Value,
    globals: Value,
    planter: Planter,
    /// Values of non-secret variables the collection uses: they must reach the crate (the
    /// control that proves the scan would see a leaked value).
    controls: Vec<String>,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    // Our signing fixture (one request per signing auth kind) has no environment: an empty one.
    let signing = repo_root().join("tests/fixtures/signing-auth.postman_collection.json");
    for path in corpus_collections().into_iter().chain([signing.clone()]) {
        let mut environment = match environment_for(&path) {
            Some(env_path) => read_json(&env_path),
            None if path == signing => json!({"name": "empty", "values": []}),
            None => continue,
        };
        let mut planter = Planter::default();
        let mut collection = read_json(&path);
        let mut globals = environment.clone();
        plant_in_collection(&mut collection, &mut planter);
        plant_in_environment(&mut environment, &mut planter);
        plant_in_environment(&mut globals, &mut planter);
        // The control: a non-secret variable used as `{{name}}` by the collection gets a marker.
        let text = collection.to_string();
        let mut controls = Vec::new();
        if let Some(values) = environment.get_mut("values").and_then(Value::as_array_mut) {
            for entry in values.iter_mut() {
                let name = entry.get("key").and_then(Value::as_str).unwrap_or_default().to_owned();
                let secret = entry.get("type").and_then(Value::as_str) == Some("secret") || credential_like(&name);
                if !secret && !name.is_empty() && text.contains(&format!("{{{{{name}}}}}")) && controls.is_empty() {
                    let marker = format!("https://control-{}.example", out.len());
                    entry["value"] = Value::from(marker.clone());
                    controls.push(marker);
                }
            }
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push(Case { name, collection, environment, globals, planter, controls });
    }
    assert!(out.len() >= 4, "expected the corpus collections with environments, got {}", out.len());
    out
}

#[test]
fn canaries_never_reach_generated_files_or_warnings() {
    let mut total = 0;
    let mut controls_seen = 0;
    for case in cases() {
        eprintln!("{}: {} canaries", case.name, case.planter.planted.len());
        let dir = tempfile::tempdir().unwrap();
        let collection = dir.path().join(&case.name);
        let environment = dir.path().join("env.postman_environment.json");
        let globals = dir.path().join("globals.postman_globals.json");
        std::fs::write(&collection, case.collection.to_string()).unwrap();
        std::fs::write(&environment, case.environment.to_string()).unwrap();
        std::fs::write(&globals, case.globals.to_string()).unwrap();
        let generated = Generator::new()
            .collection(&collection)
            .environment(&environment)
            .globals(&globals)
            .crate_name("canary")
            .generate_files()
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        for (file, contents) in &generated.files {
            assert_no_canary(&format!("{}: {file}", case.name), contents, &case.planter);
        }
        for warning in &generated.warnings {
            assert_no_canary(&format!("{}: warning", case.name), warning, &case.planter);
        }
        let all: String = generated.files.values().map(String::as_str).collect();
        controls_seen += case.controls.iter().filter(|c| all.contains(c.as_str())).count();
        total += case.planter.planted.len();
    }
    eprintln!("{total} canaries planted, {controls_seen} controls seen");
    assert!(total >= 20, "only {total} canaries planted: the test would prove little");
    assert!(controls_seen >= 2, "non-secret values did not reach the crates: the scan proves nothing");
}

/// Broken copies of the canaried files: the error messages hold no canary either.
#[test]
fn canaries_never_reach_error_messages() {
    let mut errors = 0;
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        let good_collection = dir.path().join("good.postman_collection.json");
        std::fs::write(&good_collection, case.collection.to_string()).unwrap();
        let env_text = case.environment.to_string();
        let collection_text = case.collection.to_string();
        let mut broken: Vec<(&str, String, bool)> = Vec::new();
        // The environment cut inside its first canary, and one with `values` of the wrong type.
        if let Some(at) = env_text.find(PREFIX) {
            broken.push(("env-cut.json", env_text[..at + PREFIX.len() + 2].to_owned(), true));
        }
        let mut wrong = case.environment.clone();
        let first = case.planter.planted.iter().find(|c| env_text.contains(c.as_str())).cloned();
        if let Some(first) = first {
            wrong["values"] = Value::from(first.clone());
            broken.push(("env-values.json", wrong.to_string(), true));
            // A collection whose auth is the bare credential (a common mistake).
            let mut collection = case.collection.clone();
            collection["auth"] = Value::from(format!("Bearer {first}"));
            broken.push(("auth-string.json", collection.to_string(), false));
            let mut collection = case.collection.clone();
            collection["auth"] = json!({"type": "bearer", "bearer": [{"key": "token", "value": first}], "extra": [first]});
            collection["item"] = json!([{"name": "r", "request": {"url": "https://x.example", "header": 5}}]);
            broken.push(("auth-then-error.json", collection.to_string(), false));
        }
        if let Some(at) = collection_text.find(PREFIX) {
            broken.push(("collection-cut.json", collection_text[..at + PREFIX.len() + 2].to_owned(), false));
        }
        for (file, text, is_env) in broken {
            let path = dir.path().join(file);
            std::fs::write(&path, text).unwrap();
            let mut generator = Generator::new();
            generator.crate_name("canary");
            if is_env {
                generator.collection(&good_collection).environment(&path);
            } else {
                generator.collection(&path);
            }
            let err = match generator.generate_files() {
                Ok(_) => panic!("{}: {file} generated", case.name),
                Err(err) => err.to_string(),
            };
            assert!(err.starts_with(&path.display().to_string()), "{err}");
            assert_no_canary(&format!("{}: error for {file}", case.name), &err, &case.planter);
            errors += 1;
        }
    }
    assert!(errors >= 10, "only {errors} broken files tried");
}

#[test]
fn the_planter_finds_credentials_where_postman_keeps_them() {
    let mut planter = Planter::default();
    let mut collection = json!({
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "t"}, {"key": "in", "value": "header"}]},
        "variable": [{"key": "client_secret", "value": "s"}, {"key": "baseUrl", "value": "https://x"}],
        "item": [{"name": "r", "request": {"url": {"raw": "x", "variable": [{"key": "token", "value": "id"}]},
            "auth": {"type": "basic", "basic": {"username": "u", "password": "{{pw}}"}}}}]
    });
    plant_in_collection(&mut collection, &mut planter);
    assert_eq!(collection["auth"]["bearer"][0]["value"], "CANARY-0-VALUE");
    assert_eq!(collection["auth"]["bearer"][1]["value"], "header", "structure is not a credential");
    assert_eq!(collection["variable"][0]["value"], "CANARY-1-VALUE");
    assert_eq!(collection["variable"][1]["value"], "https://x");
    assert_eq!(collection["item"][0]["request"]["auth"]["basic"]["username"], "CANARY-2-VALUE");
    assert_eq!(collection["item"][0]["request"]["auth"]["basic"]["password"], "{{pw}}", "references are not values");
    assert_eq!(collection["item"][0]["request"]["url"]["variable"][0]["value"], "id");
    let mut env = json!({"values": [{"key": "x", "value": "1", "type": "secret"}, {"key": "Refresh Token", "value": "2"}, {"key": "host", "value": "3"}]});
    plant_in_environment(&mut env, &mut planter);
    assert_eq!(env["values"][0]["value"], "CANARY-3-VALUE");
    assert_eq!(env["values"][1]["value"], "CANARY-4-VALUE");
    assert_eq!(env["values"][2]["value"], "3");
}

/// Literal credentials under credential-like names outside auth blocks: headers, query
/// parameters and form fields alike are replaced by variables named after them.
#[test]
fn literal_credentials_under_credential_names_never_reach_generated_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.postman_collection.json");
    let collection = json!({"info": {"name": "literal"}, "item": [
        {"name": "header", "request": {"url": "https://x.example/a",
            "header": [{"key": "Authorization", "value": "Bearer CANARY-0-VALUE"}, {"key": "X-Api-Key", "value": "CANARY-1-VALUE"}]}},
        {"name": "query", "request": {"url": {"raw": "https://x.example/a?api_key=CANARY-2-VALUE", "host": ["x", "example"], "path": ["a"],
            "query": [{"key": "api_key", "value": "CANARY-2-VALUE"}, {"key": "access_token", "value": "CANARY-3-VALUE"}]}}},
        {"name": "raw query", "request": "https://x.example/a?client_secret=CANARY-4-VALUE"},
        {"name": "form", "request": {"method": "POST", "url": "https://x.example/token", "body": {"mode": "urlencoded",
            "urlencoded": [{"key": "password", "value": "CANARY-5-VALUE"}, {"key": "client_secret", "value": "CANARY-6-VALUE"}]}}}
    ]});
    std::fs::write(&path, collection.to_string()).unwrap();
    let planter = Planter { planted: (0..7).map(|n| format!("{PREFIX}{n}-VALUE")).collect() };
    let generated = Generator::new().collection(&path).crate_name("literal").generate_files().unwrap();
    for (file, contents) in &generated.files {
        assert_no_canary(file, contents, &planter);
    }
}
