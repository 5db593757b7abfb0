//! The Newman side: a copy of the collection pointed at the Newman recorder, its environment
//! file, and running the pinned Newman on it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use super::signing;
use super::subject::{canary, Origin};

/// The header that tells which collection request a recorded Newman request belongs to. The
/// harness adds it to every request of the copy and ignores it when comparing.
pub const MARKER: &str = "x-conformance-item";

/// `tests/newman/node_modules/newman/bin/newman.js`, or a clear failure.
pub fn newman_js() -> PathBuf {
    let root = integration_tests::repo_root().join("tests/newman");
    let js = root.join("node_modules/newman/bin/newman.js");
    if !js.exists() {
        // `cargo test --workspace` on a fresh clone: install the pinned Newman as `.ci/run` does.
        let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--prefix"]).arg(&root).status();
        assert!(
            status.as_ref().is_ok_and(|s| s.success()),
            "Newman is not installed and `npm ci --prefix tests/newman` failed ({status:?}); the \
             wire-conformance test compares every generated call with what Newman sends"
        );
    }
    assert!(js.exists(), "`npm ci --prefix tests/newman` did not install {}", js.display());
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "Node.js is not installed (`node --version` failed): the wire-conformance test runs Newman with it"
    );
    js
}

/// What the copy and its environment need.
pub struct Setup<'a> {
    /// The collection JSON as read from disk.
    pub collection: &'a Value,
    /// The chosen environment file's JSON, if any.
    pub environment: Option<&'a Value>,
    /// Origin variable per request order.
    pub origins: &'a BTreeMap<usize, Origin>,
    /// Variables that get the canary value.
    pub credentials: &'a BTreeSet<String>,
    /// More environment values (placeholders filled in, what the scripts would set).
    pub extra: &'a BTreeMap<String, String>,
    /// Values of the base-URL variables: the Newman recorder, e.g. `http://127.0.0.1:40123`
    /// (or its `host:port` for a `https://{{host}}` origin).
    pub origin_values: &'a BTreeMap<String, String>,
    /// Remove every pre-request and test script (the run that verifies `script` exclusions).
    pub strip_scripts: bool,
}

/// Auth credential fields the generator replaces by a variable when they hold a literal
/// (`codegen/src/lower.rs`, `convert_auth`).
const AUTH_LITERALS: &[(&str, &str, &str)] = &[
    ("bearer", "token", "bearer-token"),
    ("basic", "username", "basic-username"),
    ("basic", "password", "basic-password"),
    ("apikey", "value", "api-key"),
    ("oauth2", "accessToken", "access-token"),
    ("oauth2", "clientId", "client-id"),
    ("oauth2", "clientSecret", "client-secret"),
    ("oauth2", "refreshToken", "refresh-token"),
];

/// Where the generator found a literal credential it made a variable of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A urlencoded or multipart form field.
    Form,
}

/// Literal credentials per request order: `(place, header/parameter/field name, variable)`.
pub type Literals = BTreeMap<usize, Vec<(Place, String, String)>>;

/// The collection copy and the environment for Newman. Literal origins and credentials in the
/// copy become the variables the generator replaced them with; `literals` are the literal
/// credential headers, query parameters and form fields the generator made variables of.
pub fn prepare(setup: &Setup<'_>, literals: &Literals) -> (Value, Value) {
    let mut copy = setup.collection.clone();
    if let Some(inner) = copy.get("collection").cloned().filter(|c| c.get("item").is_some()) {
        copy = inner;
    }
    let mut order = 0usize;
    if let Some(auth) = copy.get_mut("auth") {
        rewrite_auth(auth);
    }
    if setup.strip_scripts {
        if let Some(object) = copy.as_object_mut() {
            object.remove("event");
        }
    }
    if let Some(items) = copy.get_mut("item").and_then(Value::as_array_mut) {
        walk(items, &mut order, setup, literals);
    }

    let mut values: Vec<Value> = setup
        .environment
        .and_then(|e| e.get("values"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut set = |key: &str, value: &str| {
        values.retain(|v| v.get("key").and_then(Value::as_str) != Some(key));
        values.push(json!({ "key": key, "value": value, "type": "default", "enabled": true }));
    };
    for (var, value) in setup.origin_values {
        set(var, value);
    }
    for var in setup.credentials {
        set(var, &canary(var));
    }
    for (var, value) in setup.extra {
        set(var, value);
    }
    let name = setup.environment.and_then(|e| e.get("name")).cloned().unwrap_or(json!("conformance"));
    let env = json!({ "name": name, "values": values, "_postman_variable_scope": "environment" });
    (copy, env)
}

fn walk(items: &mut [Value], order: &mut usize, setup: &Setup<'_>, literals: &Literals) {
    for item in items {
        let Some(object) = item.as_object_mut() else { continue };
        if setup.strip_scripts {
            object.remove("event");
        }
        if let Some(auth) = object.get_mut("auth") {
            rewrite_auth(auth);
        }
        if let Some(children) = object.get_mut("item").and_then(Value::as_array_mut) {
            walk(children, order, setup, literals);
            continue;
        }
        let Some(request) = object.get_mut("request").filter(|r| !r.is_null()) else { continue };
        let n = *order;
        *order += 1;
        if let Value::String(url) = request {
            *request = json!({ "method": "GET", "url": url.clone() });
        }
        let Some(request) = request.as_object_mut() else { continue };
        if let Some(body) = request.get_mut("body") {
            relative_sources(body);
        }
        if let Some(auth) = request.get_mut("auth") {
            rewrite_auth(auth);
        }
        if let Some(Origin { var, literal: Some(_) }) = setup.origins.get(&n) {
            if let Some(url) = request.get_mut("url") {
                rewrite_origin(url, var);
            }
        }
        let headers = request.entry("header").or_insert_with(|| json!([]));
        if let Value::String(text) = headers {
            // v2.0 allows the raw header block as one string.
            *headers = Value::Array(
                text.lines()
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| json!({ "key": k.trim(), "value": v.trim() }))
                    .collect(),
            );
        }
        if let Some(list) = headers.as_array_mut() {
            list.push(json!({ "key": MARKER, "value": n.to_string() }));
        }
        for (place, name, var) in literals.get(&n).into_iter().flatten() {
            match place {
                Place::Header => rewrite_pairs(request.get_mut("header"), name, var),
                Place::Query => {
                    let url = request.get_mut("url");
                    if let Some(Value::String(raw)) = url {
                        *raw = rewrite_raw_query(raw, name, var);
                    } else if let Some(Value::Object(url)) = url {
                        if let Some(Value::String(raw)) = url.get_mut("raw") {
                            *raw = rewrite_raw_query(raw, name, var);
                        }
                        rewrite_pairs(url.get_mut("query"), name, var);
                    }
                }
                Place::Form => {
                    if let Some(body) = request.get_mut("body") {
                        for mode in ["urlencoded", "formdata"] {
                            rewrite_pairs(body.get_mut(mode), name, var);
                        }
                    }
                }
            }
        }
    }
}

/// The files a request body names (`formdata` file parts' `src`, a string or a list, and
/// `file.src`), as they appear.
fn body_sources(body: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for part in body.get("formdata").and_then(Value::as_array).into_iter().flatten() {
        if part.get("type").and_then(Value::as_str) == Some("file") {
            out.extend(part.get("src"));
        }
    }
    out.extend(body.get("file").and_then(|f| f.get("src")));
    out
}

/// A file path as the harness gives it to both sides: below the working directory (an absolute
/// path, written on the collection author's machine, too; `run_all` reads it from there too).
fn relative_source(src: &str) -> String {
    src.trim_start_matches(['/', '\\']).to_owned()
}

/// The body's file paths made relative (see [`relative_source`]).
fn relative_sources(body: &mut Value) {
    let fix = |src: &mut Value| match src {
        Value::String(path) => *path = relative_source(path),
        Value::Array(list) => {
            for path in list.iter_mut() {
                if let Value::String(p) = path {
                    *p = relative_source(p);
                }
            }
        }
        _ => {}
    };
    if let Some(parts) = body.get_mut("formdata").and_then(Value::as_array_mut) {
        for part in parts {
            if part.get("type").and_then(Value::as_str) == Some("file") {
                if let Some(src) = part.get_mut("src") {
                    fix(src);
                }
            }
        }
    }
    if let Some(src) = body.get_mut("file").and_then(|f| f.get_mut("src")) {
        fix(src);
    }
}

/// Every file the collection's requests name, made relative, in order.
pub fn file_sources(collection: &Value) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(body) = map.get("request").and_then(|r| r.get("body")) {
                    for src in body_sources(body) {
                        let paths: Vec<&Value> = match src {
                            Value::Array(list) => list.iter().collect(),
                            other => vec![other],
                        };
                        out.extend(paths.into_iter().filter_map(Value::as_str).filter(|p| !p.is_empty()).map(relative_source));
                    }
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(list) => list.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(collection, &mut out);
    out.dedup();
    out
}

/// The bytes the harness writes for the file at `path`: its name and bytes that are not UTF-8
/// (so that a body read as text would show it), the same on every run.
pub fn file_bytes(path: &str) -> Vec<u8> {
    let mut bytes = format!("conformance file {path}\n").into_bytes();
    bytes.extend([0x00, 0xff, 0xfe, 0x80, b'\r', b'\n', 0x7f]);
    bytes
}

/// Writes every file the collection names below `dir` (the working directory of both sides).
pub fn write_files(collection: &Value, dir: &Path) -> Result<(), String> {
    for path in file_sources(collection) {
        let file = dir.join(&path);
        if !file.starts_with(dir) || path.split(['/', '\\']).any(|c| c == "..") {
            return Err(format!("file `{path}` is outside the working directory"));
        }
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&file, file_bytes(&path)).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

/// In a `{"key", "value"}` list (headers, query, form), a literal value under `name` becomes
/// `{{var}}`, as the generator made it.
fn rewrite_pairs(list: Option<&mut Value>, name: &str, var: &str) {
    let Some(list) = list.and_then(Value::as_array_mut) else { return };
    for pair in list {
        let same = pair.get("key").and_then(Value::as_str).is_some_and(|k| k == name);
        let literal = pair.get("value").and_then(Value::as_str).is_some_and(|v| !v.is_empty() && !v.contains("{{"));
        if same && literal {
            pair["value"] = json!(format!("{{{{{var}}}}}"));
        }
    }
}

/// The same in the query string of a raw URL (`…?api_key=abc` → `…?api_key={{api_key}}`).
fn rewrite_raw_query(raw: &str, name: &str, var: &str) -> String {
    let (url, fragment) = raw.split_once('#').map_or((raw, None), |(u, f)| (u, Some(f)));
    let Some((base, query)) = url.split_once('?') else { return raw.to_owned() };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if key == name && !value.is_empty() && !value.contains("{{") => format!("{key}={{{{{var}}}}}"),
            _ => pair.to_owned(),
        })
        .collect();
    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    format!("{base}?{}{fragment}", pairs.join("&"))
}

/// Literal credentials become the variable the generated client reads them from (a signing
/// auth's credential parameters too: `awsv4`'s `secretKey` → `{{awsv4-secret-key}}`).
fn rewrite_auth(auth: &mut Value) {
    let Some(kind) = auth.get("type").and_then(Value::as_str).map(str::to_owned) else { return };
    let Some(params) = auth.get_mut(&kind) else { return };
    let rewrite = |key: &str, value: &mut Value| {
        let var = match AUTH_LITERALS.iter().find(|(k, p, _)| *k == kind && *p == key) {
            Some((_, _, var)) => (*var).to_owned(),
            None if signing::is_credential(&kind, key) => {
                signing::credential_variable(&kind, key)
            }
            None => return,
        };
        if value.as_str().is_some_and(|v| !v.is_empty() && !v.contains("{{")) {
            *value = json!(format!("{{{{{var}}}}}"));
        }
    };
    match params {
        Value::Array(list) => {
            for param in list {
                let key = param.get("key").and_then(Value::as_str).unwrap_or("").to_owned();
                if let Some(value) = param.get_mut("value") {
                    rewrite(&key, value);
                }
            }
        }
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                rewrite(key, value);
            }
        }
        _ => {}
    }
}

/// Replaces a literal origin (`https://api.github.com`) by `{{var}}` in a request URL.
fn rewrite_origin(url: &mut Value, var: &str) {
    let replacement = format!("{{{{{var}}}}}");
    match url {
        Value::String(raw) => *raw = replace_raw_origin(raw, &replacement),
        Value::Object(object) => {
            if let Some(Value::String(raw)) = object.get_mut("raw") {
                *raw = replace_raw_origin(raw, &replacement);
            }
            if object.contains_key("host") {
                object.insert("host".into(), json!([replacement]));
                object.remove("protocol");
                object.remove("port");
            }
        }
        _ => {}
    }
}

fn replace_raw_origin(raw: &str, replacement: &str) -> String {
    let rest = match raw.split_once("://") {
        Some((scheme, rest)) if !scheme.contains('/') && !scheme.contains("{{") => rest,
        _ => raw,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    format!("{replacement}{}", &rest[end..])
}

/// Runs Newman on `collection` with `environment`, reading the files the collection names from
/// `files`; returns its CLI output.
pub fn run(newman: &Path, dir: &Path, collection: &Value, environment: &Value, files: &Path) -> Result<String, String> {
    let copy = dir.join("collection.json");
    let env = dir.join("environment.json");
    std::fs::write(&copy, serde_json::to_vec_pretty(collection).unwrap()).map_err(|e| e.to_string())?;
    std::fs::write(&env, serde_json::to_vec_pretty(environment).unwrap()).map_err(|e| e.to_string())?;
    let mut child = Command::new("node")
        .arg(newman)
        .arg("run")
        .arg(&copy)
        .arg("-e")
        .arg(&env)
        .arg("--working-dir")
        .arg(files)
        .args(["--reporters", "cli", "--color", "off", "--disable-unicode", "--suppress-exit-code", "--insecure"])
        .args(["--timeout-request", "10000", "--timeout-script", "10000", "--timeout", "600000"])
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start node: {e}"))?;
    let stdout = child.stdout.take().map(read_all);
    let stderr = child.stderr.take().map(read_all);
    let status = child.wait().map_err(|e| e.to_string())?;
    let out = stdout.map(|h| h.join().unwrap_or_default()).unwrap_or_default();
    let err = stderr.map(|h| h.join().unwrap_or_default()).unwrap_or_default();
    let text = format!("{out}{err}");
    let _ = std::fs::write(dir.join("newman.log"), &text);
    if status.success() {
        Ok(text)
    } else {
        Err(format!("newman exited with {status}:\n{text}"))
    }
}

fn read_all(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// The `{"key": ..., "value": ...}` list of an environment file.
pub fn env_json(path: Option<&Path>) -> Option<Value> {
    let text = std::fs::read_to_string(path?).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    match value.get("environment") {
        Some(inner) if inner.get("values").is_some() => Some(inner.clone()),
        _ => Some(value),
    }
}
