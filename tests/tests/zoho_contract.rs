//! Every request of `collection/zoho-cliq.postman_collection.json` (the main request and every
//! saved example's `originalRequest`) validates against its operation in Zoho's own OpenAPI
//! files (`../shared/zoho-cliq/openapi/v2|v3/*.yml`): path parameters, query parameters,
//! required headers and the JSON body, checked with the `jsonschema` crate.
//!
//! A request is matched to its operation by method and path template (the file's server path
//! prefixed, parameters compared by position); where several operations share one (the message
//! variants of `POST /chats/{CHAT_ID}/messages`), by the operation's `summary`, which is the
//! request's name. Requests without an operation, and requests whose operation sits at a
//! misspelt path in the file, are listed with the reason in `zoho_contract_missing.toml`; the
//! list must be exact.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use integration_tests::{repo_root, shared_dir};
use jsonschema::{Draft, Validator};
use serde::Deserialize;
use serde_json::{json, Map, Value};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Headers the runtime sets itself (auth) or that describe the body (checked through the body).
const TRANSPORT_HEADERS: [&str; 2] = ["authorization", "content-type"];

/// `zoho_contract_missing.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    /// Requests with no operation in the OpenAPI files.
    #[serde(default)]
    missing: Vec<Missing>,
    /// Requests whose operation the file documents at another path.
    #[serde(default)]
    alias: Vec<Alias>,
    /// Problems the collection keeps on purpose: the exact report line and why.
    #[serde(default)]
    deviation: Vec<Deviation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Deviation {
    item: String,
    problem: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Missing {
    item: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Alias {
    item: String,
    /// `METHOD /documented/path/{PARAM}` as the OpenAPI file has it, server path included.
    operation: String,
    reason: String,
}

/// One operation of one OpenAPI document.
struct Operation<'a> {
    file: String,
    method: String,
    /// Server path + path key, without the query string some v2 paths carry.
    path: String,
    /// `key=value` pairs written into the path key (v2 Bulk Export).
    fixed_query: Vec<(String, String)>,
    summary: String,
    doc: &'a Value,
    path_item: &'a Value,
    op: &'a Value,
}

impl Operation<'_> {
    fn label(&self) -> String {
        format!("{} {} {}", self.file, self.method, self.path)
    }

    /// Path-level then operation-level parameters (`$ref`s resolved); an operation-level one
    /// replaces a path-level one of the same name and location.
    fn params(&self) -> Vec<&Value> {
        let mut out: Vec<&Value> = Vec::new();
        for list in [self.path_item.get("parameters"), self.op.get("parameters")] {
            for p in list.and_then(Value::as_array).into_iter().flatten() {
                let p = resolve(self.doc, p);
                out.retain(|q| !(q.get("name") == p.get("name") && q.get("in") == p.get("in")));
                out.push(p);
            }
        }
        out
    }

    /// The request body object, `$ref` resolved.
    fn request_body(&self) -> Option<&Value> {
        self.op.get("requestBody").map(|b| resolve(self.doc, b))
    }
}

/// Follows a local `$ref`, possibly several times.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| doc.pointer(p)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// `/a/{X}/b` and `/a/:X/b` → `/a/{}/b`.
fn template(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with(':') || (seg.starts_with('{') && seg.ends_with('}')) { "{}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

fn load_docs(dir: &Path) -> BTreeMap<String, Value> {
    let mut docs = BTreeMap::new();
    for version in ["v2", "v3"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(version))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(version).display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yml"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let yaml: serde_yaml::Value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let json = serde_json::to_value(yaml).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let name = format!("{version}/{}", file.file_name().unwrap_or_default().to_string_lossy());
            docs.insert(name, json);
        }
    }
    docs
}

fn operations(docs: &BTreeMap<String, Value>) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for (file, doc) in docs {
        // The server URL's path (`/api/v3`; empty for Bulk Export, whose server is the domain).
        let server = doc["servers"][0]["url"].as_str().unwrap_or_else(|| panic!("{file}: no servers[0].url"));
        let base = server.splitn(4, '/').nth(3).map(|p| format!("/{}", p.trim_end_matches('/'))).unwrap_or_default();
        for (key, path_item) in doc["paths"].as_object().unwrap_or_else(|| panic!("{file}: no paths")) {
            let (path, query) = key.split_once('?').unwrap_or((key, ""));
            let fixed_query = query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect::<Vec<_>>();
            for (method, op) in path_item.as_object().into_iter().flatten() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                out.push(Operation {
                    file: file.clone(),
                    method: method.to_ascii_uppercase(),
                    path: format!("{base}{path}"),
                    fixed_query: fixed_query.clone(),
                    summary: op["summary"].as_str().unwrap_or_default().trim().to_owned(),
                    doc,
                    path_item,
                    op,
                });
            }
        }
    }
    out
}

/// An OpenAPI 3.0 schema as a draft-4 JSON Schema: the document's `components` embedded so that
/// `#/components/...` references resolve, and the 3.0-only keywords translated. Draft 4 because
/// OpenAPI 3.0's schema object is based on it (boolean `exclusiveMinimum`, no `const`).
fn json_schema(doc: &Value, schema: &Value) -> Value {
    let mut root = json!({ "allOf": [openapi_to_json_schema(schema)] });
    if let Some(components) = doc.get("components") {
        root["components"] = openapi_to_json_schema(components);
    }
    root
}

/// `nullable: true` becomes a `null` type (and a `null` enum value); OpenAPI-only annotations
/// (`example`, `xml`, `discriminator`, `x-…`) are dropped so they cannot be read as keywords.
fn openapi_to_json_schema(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                // `example`/`examples` hold instances, not schemas: keep them out of the walk.
                if matches!(key.as_str(), "example" | "examples" | "xml" | "discriminator" | "externalDocs")
                    || key.starts_with("x-")
                {
                    continue;
                }
                out.insert(key.clone(), openapi_to_json_schema(v));
            }
            if out.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(ty)) = out.get("type").cloned() {
                    out.insert("type".to_owned(), json!([ty, "null"]));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(openapi_to_json_schema).collect()),
        other => other.clone(),
    }
}

fn validator(doc: &Value, schema: &Value) -> Result<Validator, String> {
    jsonschema::options()
        .with_draft(Draft::Draft4)
        .should_validate_formats(true)
        .build(&json_schema(doc, schema))
        .map_err(|e| format!("schema does not compile: {e}"))
}

/// Problems of `instance` against `schema`, one line each.
fn check(doc: &Value, schema: &Value, instance: &Value, what: &str) -> Vec<String> {
    let validator = match validator(doc, schema) {
        Ok(v) => v,
        Err(e) => return vec![format!("{what}: {e}")],
    };
    validator
        .iter_errors(instance)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!("{what}{}: {e}", if at.is_empty() { String::new() } else { format!(" at {at}") })
        })
        .collect()
}

/// A parameter's text as the JSON value its schema declares: `"20"` is the integer 20 for an
/// `integer` parameter. Text that does not parse stays a string, so the validator reports it.
fn typed(doc: &Value, schema: &Value, text: &str) -> Value {
    let schema = resolve(doc, schema);
    let text_value = || Value::String(text.to_owned());
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => text.parse::<i64>().map(Value::from).unwrap_or_else(|_| text_value()),
        Some("number") => text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or_else(text_value),
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => text_value(),
        },
        // `style: form, explode: false`, the default for query arrays: comma-separated.
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(text.split(',').map(|part| typed(doc, &items, part)).collect())
        }
        _ => text_value(),
    }
}

/// One request to check: the main request or an example's `originalRequest`.
struct Instance<'a> {
    label: String,
    request: &'a Value,
}

/// `(item path, item)` for every request item, in collection order.
fn request_items(collection: &Value) -> Vec<(String, &Value)> {
    fn walk<'a>(items: &'a Value, prefix: &str, out: &mut Vec<(String, &'a Value)>) {
        for item in items.as_array().into_iter().flatten() {
            let name = item["name"].as_str().unwrap_or_default();
            let path = if prefix.is_empty() { name.to_owned() } else { format!("{prefix} / {name}") };
            if item.get("request").is_some() {
                out.push((path, item));
            } else {
                walk(&item["item"], &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&collection["item"], "", &mut out);
    out
}

/// The request's path after the host, with `:NAME` parameters, and the parameters' values.
fn request_path(request: &Value) -> (String, BTreeMap<String, String>) {
    let url = &request["url"];
    let segments: Vec<&str> = url["path"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let variables = url["variable"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| Some((v["key"].as_str()?.to_owned(), v["value"].as_str().unwrap_or_default().to_owned())))
        .collect();
    (format!("/{}", segments.join("/")), variables)
}

/// Every problem of one request against its operation.
fn validate(instance: &Instance<'_>, op: &Operation<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    let request = instance.request;
    let (path, variables) = request_path(request);
    let params = op.params();

    // Path parameters: by name (the v3 variants number theirs, `{CHAT_ID4}`), else by position.
    let sent: Vec<&str> = path.split('/').collect();
    let documented: Vec<&str> = op.path.split('/').collect();
    for (index, segment) in documented.iter().enumerate() {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else { continue };
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let value = variables.get(base).or_else(|| {
            let positional = (sent.len() == documented.len()).then(|| sent[index].strip_prefix(':')).flatten();
            positional.and_then(|var| variables.get(var))
        });
        let Some(value) = value else {
            problems.push(format!("path parameter `{name}` is not sent"));
            continue;
        };
        // Some files use a parameter in the path without declaring it: nothing to check it against.
        let Some(param) = params.iter().find(|p| p["in"] == "path" && p["name"] == name) else { continue };
        if let Some(schema) = param.get("schema") {
            problems.extend(check(op.doc, schema, &typed(op.doc, schema, value), &format!("path parameter `{name}`")));
        }
    }

    // Query parameters: enabled ones are sent; disabled ones (optional, switched off) still carry
    // the example value a generator types the parameter from, so their values are checked too.
    let query: Vec<(&str, &str, bool)> = request["url"]["query"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| {
            Some((q["key"].as_str()?, q["value"].as_str().unwrap_or_default(), q["disabled"] != Value::Bool(true)))
        })
        .collect();
    for param in params.iter().filter(|p| p["in"] == "query") {
        let name = param["name"].as_str().unwrap_or_default();
        let required = param["required"] == Value::Bool(true);
        let given: Vec<&(&str, &str, bool)> = query.iter().filter(|(k, _, _)| *k == name).collect();
        let enabled = given.iter().any(|(_, _, on)| *on);
        if required && !enabled {
            problems.push(format!("required query parameter `{name}` is not sent"));
        }
        for (_, value, _) in given {
            if let Some(schema) = param.get("schema") {
                problems.extend(check(op.doc, schema, &typed(op.doc, schema, value), &format!("query parameter `{name}`")));
            }
        }
    }
    for (key, value) in &op.fixed_query {
        if !query.iter().any(|(k, v, on)| k == key && v == value && *on) {
            problems.push(format!("the documented path fixes `{key}={value}`, which is not sent"));
        }
    }
    for (key, _, on) in &query {
        let declared = params.iter().any(|p| p["in"] == "query" && p["name"] == *key)
            || op.fixed_query.iter().any(|(k, _)| k == key);
        if *on && !declared {
            problems.push(format!("query parameter `{key}` is not declared by the operation"));
        }
    }

    // Headers the operation requires, and the values of those it declares.
    let headers: Vec<(&str, &str)> = request["header"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|h| h["disabled"] != Value::Bool(true))
        .filter_map(|h| Some((h["key"].as_str()?, h["value"].as_str().unwrap_or_default())))
        .collect();
    for param in params.iter().filter(|p| p["in"] == "header") {
        let name = param["name"].as_str().unwrap_or_default();
        if TRANSPORT_HEADERS.contains(&name.to_ascii_lowercase().as_str()) && op.file != "v2/bulkexport.yml" {
            continue;
        }
        let value = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v);
        match (value, param.get("schema")) {
            (None, _) if param["required"] == Value::Bool(true) => {
                problems.push(format!("required header `{name}` is not sent"));
            }
            (Some(value), Some(schema)) => {
                problems.extend(check(op.doc, schema, &typed(op.doc, schema, value), &format!("header `{name}`")));
            }
            _ => {}
        }
    }

    // The body.
    let body = &request["body"];
    let documented = op.request_body();
    let json_schema = documented.and_then(|b| b.pointer("/content/application~1json/schema"));
    match body["mode"].as_str() {
        Some("raw") => {
            let text = body["raw"].as_str().unwrap_or_default();
            match (serde_json::from_str::<Value>(text), json_schema) {
                (Err(e), _) => problems.push(format!("body is not JSON: {e}")),
                (Ok(_), None) => problems.push("sends a JSON body, but the operation documents none".to_owned()),
                (Ok(value), Some(schema)) => problems.extend(check(op.doc, schema, &value, "body")),
            }
        }
        Some("formdata") => {
            let schema = documented.and_then(|b| b.pointer("/content/multipart~1form-data/schema"));
            let parts: BTreeSet<&str> = body["formdata"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["disabled"] != Value::Bool(true))
                .filter_map(|p| p["key"].as_str())
                .collect();
            let schema = schema.map(|s| resolve(op.doc, s));
            for name in schema.and_then(|s| s["required"].as_array()).into_iter().flatten().filter_map(Value::as_str) {
                if !parts.contains(name) {
                    problems.push(format!("required form part `{name}` is not sent"));
                }
            }
        }
        Some(other) => problems.push(format!("unexpected body mode `{other}`")),
        None if documented.is_some_and(|b| b["required"] == Value::Bool(true)) => {
            problems.push("the operation requires a body, none is sent".to_owned());
        }
        None => {}
    }
    problems
}

#[test]
fn every_request_validates_against_its_openapi_operation() {
    let openapi = shared_dir().join("zoho-cliq/openapi");
    let docs = load_docs(&openapi);
    let ops = operations(&docs);
    let collection: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("collection/zoho-cliq.postman_collection.json")).expect("collection"),
    )
    .expect("collection JSON");
    let listed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/zoho_contract_missing.toml");
    let listed: Listed = toml::from_str(&std::fs::read_to_string(&listed_path).expect("missing list"))
        .unwrap_or_else(|e| panic!("{}: {e}", listed_path.display()));
    let missing: BTreeMap<&str, &str> = listed.missing.iter().map(|m| (m.item.as_str(), m.reason.as_str())).collect();
    let aliases: BTreeMap<&str, &Alias> = listed.alias.iter().map(|a| (a.item.as_str(), a)).collect();
    assert_eq!(missing.len(), listed.missing.len(), "an item is listed twice as missing");
    assert_eq!(aliases.len(), listed.alias.len(), "an item has two aliases");

    let mut list_errors = Vec::new();
    let mut failures = Vec::new();
    let (mut total, mut valid, mut without, mut instances_checked) = (0, 0, 0, 0);
    let mut deviations_seen: BTreeSet<(String, String)> = BTreeSet::new();
    let items = request_items(&collection);
    for (item_path, item) in &items {
        total += 1;
        let request = &item["request"];
        let method = request["method"].as_str().unwrap_or_default();
        let (path, _) = request_path(request);
        let wanted = template(&path);
        let mut candidates: Vec<&Operation<'_>> =
            ops.iter().filter(|op| op.method == method && template(&op.path) == wanted).collect();
        if let Some(alias) = aliases.get(item_path.as_str()) {
            if !candidates.is_empty() {
                list_errors.push(format!("{item_path}: listed as an alias, but `{method} {path}` has an operation now"));
            }
            candidates = ops
                .iter()
                .filter(|op| format!("{} {}", op.method, op.path) == alias.operation)
                .collect();
            if candidates.is_empty() {
                list_errors.push(format!("{item_path}: alias `{}` names no operation", alias.operation));
            }
            println!("ALIAS {item_path}: validated against `{}`: {}", alias.operation, alias.reason);
        }
        if candidates.len() > 1 {
            let name = item["name"].as_str().unwrap_or_default();
            candidates.retain(|op| op.summary == name);
        }
        let op = match (candidates.as_slice(), missing.get(item_path.as_str())) {
            ([], Some(reason)) => {
                without += 1;
                println!("NO OPERATION {item_path}: {reason}");
                continue;
            }
            ([], None) => {
                list_errors.push(format!("{item_path}: `{method} {path}` has no operation and is not listed"));
                continue;
            }
            ([op], None) => *op,
            // A variant the file does not document (v2 `POST /reminders` describes only the
            // self reminder): its path has an operation, but not this request's.
            ([op], Some(reason)) if op.summary != item["name"].as_str().unwrap_or_default() => {
                without += 1;
                println!("NO OPERATION {item_path}: {reason} (the path's operation is {:?})", op.summary);
                continue;
            }
            ([op], Some(_)) => {
                list_errors.push(format!("{item_path}: listed as missing, but has the operation {}", op.label()));
                *op
            }
            (several, _) => {
                let labels: Vec<String> = several.iter().map(|o| o.label()).collect();
                list_errors.push(format!("{item_path}: several operations and none named like it: {labels:?}"));
                continue;
            }
        };

        let mut instances = vec![Instance { label: item_path.clone(), request }];
        for example in item["response"].as_array().into_iter().flatten() {
            instances.push(Instance {
                label: format!("{item_path} [example: {}]", example["name"].as_str().unwrap_or_default()),
                request: &example["originalRequest"],
            });
        }
        let mut ok = true;
        for instance in &instances {
            instances_checked += 1;
            let mut problems = validate(instance, op);
            problems.retain(|problem| {
                let kept = listed.deviation.iter().find(|d| d.item == *item_path && d.problem == *problem);
                if let Some(d) = kept {
                    deviations_seen.insert((d.item.clone(), d.problem.clone()));
                    println!("DEVIATION {}: {problem} ({})", instance.label, d.reason);
                }
                kept.is_none()
            });
            if !problems.is_empty() {
                ok = false;
                for problem in problems {
                    failures.push(format!("{}: {problem}", instance.label));
                }
            }
        }
        if ok {
            valid += 1;
        }
    }
    for listed in missing.keys().chain(aliases.keys()) {
        if !items.iter().any(|(p, _)| p == listed) {
            list_errors.push(format!("{listed}: listed, but no such request in the collection"));
        }
    }
    for d in &listed.deviation {
        if !deviations_seen.contains(&(d.item.clone(), d.problem.clone())) {
            list_errors.push(format!("{}: listed deviation `{}` does not occur", d.item, d.problem));
        }
    }
    for failure in &failures {
        println!("INVALID {failure}");
    }
    for error in &list_errors {
        println!("LIST {error}");
    }
    println!(
        "zoho contract: {valid}/{} requests valid ({without} without an operation, listed); {instances_checked} requests and saved examples checked",
        total - without
    );
    assert!(failures.is_empty() && list_errors.is_empty(), "{} invalid requests or examples, {} list problems (see the report above)", failures.len(), list_errors.len());
}
