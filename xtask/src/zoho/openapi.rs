//! The v2/v3 OpenAPI files: finding a row's operation, example values of its parameters, and
//! its documented example responses.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use serde_json::{Map, Value};

use super::tsv::{Extra, Row};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// All OpenAPI documents, keyed by (`v2`|`v3`, file stem).
pub struct Specs {
    docs: BTreeMap<(String, String), Value>,
}

/// One operation inside a document.
#[derive(Clone, Copy)]
pub struct Operation<'a> {
    doc: &'a Value,
    path_item: &'a Value,
    op: &'a Value,
}

/// A parameter of an operation (path-level and operation-level ones, `$ref`s resolved).
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub example: Option<String>,
}

/// A documented example response.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResponse {
    /// The example's own summary (or key) when the document names its examples.
    pub label: Option<String>,
    pub code: u16,
    /// `None` for "no content".
    pub body: Option<Value>,
    /// Built from the schema's property examples, not given as a whole example.
    pub synthesized: bool,
}

impl Specs {
    /// Loads `<dir>/v2/*.yml` and `<dir>/v3/*.yml`.
    pub fn load(dir: &Path) -> Result<Self> {
        let mut docs = BTreeMap::new();
        for version in ["v2", "v3"] {
            let vdir = dir.join(version);
            let mut files: Vec<_> = std::fs::read_dir(&vdir)
                .with_context(|| format!("reading {}", vdir.display()))?
                .collect::<std::io::Result<Vec<_>>>()?
                .into_iter()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?;
                let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
                    .with_context(|| format!("parsing {}", file.display()))?;
                let json = serde_json::to_value(yaml)
                    .with_context(|| format!("converting {} to JSON", file.display()))?;
                let stem = file
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                docs.insert((version.to_owned(), stem), json);
            }
        }
        ensure!(!docs.is_empty(), "no OpenAPI files under {}", dir.display());
        Ok(Specs { docs })
    }

    /// The operation a row was taken from, or `None` for rows whose source is not an OpenAPI
    /// file. Fails when a row names a file but the operation cannot be found exactly once.
    pub fn find(&self, row: &Row, extra: &Extra) -> Result<Option<(String, Operation<'_>)>> {
        if row.version == "v3" {
            let (file, op_id) = row
                .source
                .split_once(":openapi/_original/")
                .and_then(|(_, rest)| rest.split_once(".yml#"))
                .with_context(|| format!("v3 source without file#operationId: {}", row.source))?;
            let doc = self.doc("v3", file)?;
            let mut hits = Vec::new();
            for_each_operation(doc, |path, method, path_item, op| {
                if op.get("operationId").and_then(Value::as_str) == Some(op_id) {
                    hits.push((path.to_owned(), method.to_owned(), path_item, op));
                }
            });
            ensure!(
                hits.len() == 1,
                "operationId {op_id:?} found {} times in v3/{file}.yml",
                hits.len()
            );
            let (path, method, path_item, op) = hits.remove(0);
            ensure!(
                method.eq_ignore_ascii_case(&row.method),
                "{op_id}: method {method} in the file, {} in the TSV",
                row.method
            );
            let key = format!("v3/{file}.yml {} {path}", method.to_uppercase());
            return Ok(Some((key, Operation { doc, path_item, op })));
        }
        let Some((_, rest)) = row.source.split_once("Zoho_Cliq_OpenAPI_Specs/") else {
            return Ok(None);
        };
        let file = rest
            .split_once(".yml")
            .map(|(stem, _)| stem)
            .with_context(|| format!("v2 source without .yml: {}", row.source))?;
        let doc = self.doc("v2", file)?;
        let documented = extra.documented_path.as_deref().with_context(|| {
            format!("{}: no documented_path for a file-sourced v2 row", row.name)
        })?;
        let wanted = normalise_path(documented);
        let mut hits = Vec::new();
        for_each_operation(doc, |path, method, path_item, op| {
            if method.eq_ignore_ascii_case(&row.method) && normalise_path(path) == wanted {
                hits.push((path.to_owned(), path_item, op));
            }
        });
        ensure!(
            hits.len() == 1,
            "{} {documented} found {} times in v2/{file}.yml",
            row.method,
            hits.len()
        );
        let (path, path_item, op) = hits.remove(0);
        let key = format!("v2/{file}.yml {} {path}", row.method);
        Ok(Some((key, Operation { doc, path_item, op })))
    }

    fn doc(&self, version: &str, stem: &str) -> Result<&Value> {
        self.docs
            .get(&(version.to_owned(), stem.to_owned()))
            .with_context(|| format!("no OpenAPI file {version}/{stem}.yml"))
    }
}

fn for_each_operation<'a>(doc: &'a Value, mut f: impl FnMut(&str, &str, &'a Value, &'a Value)) {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        let Some(item_map) = item.as_object() else {
            continue;
        };
        for (method, op) in item_map {
            if METHODS.contains(&method.as_str()) {
                f(path, method, item, op);
            }
        }
    }
}

/// `/a/{X}/b` and `/a/:X/b` both become `/a/{}/b` (the query string, if any, is kept).
pub fn normalise_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with(':') || (seg.starts_with('{') && seg.ends_with('}')) {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Follows a local `$ref` (`#/components/...`), possibly several times.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            return value;
        };
        match doc.pointer(pointer) {
            Some(target) => value = target,
            None => return value,
        }
    }
    value
}

impl<'a> Operation<'a> {
    /// Path-level and operation-level parameters.
    pub fn params(&self) -> Vec<Param> {
        let mut out = Vec::new();
        for list in [self.path_item.get("parameters"), self.op.get("parameters")] {
            for p in list.and_then(Value::as_array).into_iter().flatten() {
                let p = resolve(self.doc, p);
                let (Some(name), Some(location)) = (
                    p.get("name").and_then(Value::as_str),
                    p.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                out.push(Param {
                    name: name.to_owned(),
                    location: location.to_owned(),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    example: param_example(self.doc, name, p),
                });
            }
        }
        out
    }

    /// The schema of the JSON request body, if documented.
    pub fn request_schema(&self) -> Option<&'a Value> {
        let body = resolve(self.doc, self.op.get("requestBody")?);
        let schema = body.get("content")?.get("application/json")?.get("schema")?;
        Some(resolve(self.doc, schema))
    }

    /// The schema of the response with status `code`, if documented.
    pub fn response_schema(&self, code: u16) -> Option<&'a Value> {
        let responses = self.op.get("responses")?.as_object()?;
        let response = responses
            .iter()
            .find(|(text, _)| text.parse::<u16>().ok() == Some(code))
            .map(|(_, r)| resolve(self.doc, r))?;
        let content = response.get("content")?.as_object()?;
        let media = content.get("application/json").or_else(|| content.values().next())?;
        Some(resolve(self.doc, media.get("schema")?))
    }

    /// `value` with its empty lists and objects filled in from `schema` (see [`fill_empty`]).
    pub fn fill_empty(&self, value: &Value, schema: &Value, fields: Fields) -> Value {
        fill_empty(self.doc, value, schema, fields, 0)
    }

    /// Every documented example response, in document order, de-duplicated.
    pub fn examples(&self) -> Result<Vec<ExampleResponse>> {
        let mut out: Vec<ExampleResponse> = Vec::new();
        let Some(responses) = self.op.get("responses").and_then(Value::as_object) else {
            return Ok(out);
        };
        for (code_text, response) in responses {
            let response = resolve(self.doc, response);
            let Ok(mut code) = code_text.parse::<u16>() else {
                continue;
            };
            let description = response
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("");
            if code == 300 && description.trim_start().starts_with("OK") {
                // v2 databases.yml writes '300' with description "OK" for its success responses.
                code = 200;
            }
            ensure!((100..600).contains(&code), "odd response code {code_text}");
            let media = response
                .get("content")
                .and_then(Value::as_object)
                .and_then(|content| {
                    content
                        .get("application/json")
                        .or_else(|| content.values().next())
                });
            let mut candidates: Vec<(Option<String>, Option<Value>, bool)> = Vec::new();
            match media {
                None => candidates.push((None, None, false)),
                Some(media) => {
                    let named = media.get("examples").and_then(Value::as_object);
                    if let Some(named) = named.filter(|m| !m.is_empty()) {
                        for (key, example) in named {
                            let example = resolve(self.doc, example);
                            let Some(value) = example.get("value") else {
                                continue;
                            };
                            let label = example
                                .get("summary")
                                .and_then(Value::as_str)
                                .map(str::trim)
                                .filter(|s| !s.is_empty())
                                .unwrap_or(key);
                            candidates.push((Some(label.to_owned()), Some(value.clone()), false));
                        }
                    } else if let Some(value) = media.get("example") {
                        candidates.push((None, Some(value.clone()), false));
                    } else if let Some(schema) = media.get("schema") {
                        let whole = resolve(self.doc, schema).get("example").is_some();
                        candidates.push((None, Some(synthesize(self.doc, schema, 0)), !whole));
                    } else {
                        candidates.push((None, None, false));
                    }
                }
            }
            for (label, body, synthesized) in candidates {
                let (code, body) = match body {
                    Some(b) if !is_no_content(code, &b) => (code, Some(b)),
                    Some(_) => (204, None),
                    None => (code, None),
                };
                if out.iter().any(|e| e.code == code && e.body == body) {
                    continue;
                }
                out.push(ExampleResponse {
                    label,
                    code,
                    body,
                    synthesized,
                });
            }
        }
        Ok(out)
    }
}

/// `"204 No response"`, `{"Response Code": "204 No response"}`, or anything on a 204.
fn is_no_content(code: u16, body: &Value) -> bool {
    fn marker(s: &str) -> bool {
        let s = s.trim().to_ascii_lowercase();
        s.len() > 4 && s[..3].bytes().all(|b| b.is_ascii_digit()) && s[3..].trim() == "no response"
    }
    if code == 204 {
        return true;
    }
    match body {
        Value::String(s) => marker(s),
        Value::Object(map) if map.len() == 1 => map
            .get("Response Code")
            .and_then(Value::as_str)
            .is_some_and(marker),
        _ => false,
    }
}

/// The key of the one entry given to an empty map (`additionalProperties`): any key will do,
/// the entry is there for its value's shape.
pub const MAP_KEY: &str = "key";

/// Which properties [`fill_empty`] gives a filled object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// Every property the schema describes.
    All,
    /// Only those its `required` list names (so a generator sees which are optional).
    Required,
}

/// `value` with every empty list given one element and every empty object its fields, built
/// from the *structure* of `schema` ([`skeleton`]) wherever the schema describes it, so that a
/// generator inferring types from examples sees their shape. Lists and objects the schema
/// leaves open (`type: object` alone, `additionalProperties: true`, `oneOf`) stay empty.
pub fn fill_empty(doc: &Value, value: &Value, schema: &Value, fields: Fields, depth: usize) -> Value {
    if depth > 12 {
        return value.clone();
    }
    let schema = flatten(doc, schema);
    let items = schema.get("items");
    let entries = schema.get("additionalProperties").filter(|a| a.is_object());
    let child = |key: &str| {
        schema
            .get("properties")
            .and_then(|p| p.get(key))
            .or(entries)
    };
    match value {
        Value::Array(list) if list.is_empty() => skeleton(doc, &schema, fields, depth)
            .filter(shows_shape)
            .unwrap_or_else(|| value.clone()),
        Value::Array(list) => Value::Array(
            list.iter()
                .map(|v| items.map_or_else(|| v.clone(), |i| fill_empty(doc, v, i, fields, depth + 1)))
                .collect(),
        ),
        Value::Object(map) if map.is_empty() => skeleton(doc, &schema, fields, depth)
            .filter(shows_shape)
            .unwrap_or_else(|| value.clone()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let filled =
                        child(k).map_or_else(|| v.clone(), |s| fill_empty(doc, v, s, fields, depth + 1));
                    (k.clone(), filled)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A value of the shape `schema` describes: its properties (all, or the required ones), one
/// element for a list, one entry ([`MAP_KEY`]) for a map, and for scalars the documented example
/// or a default of the type. Unlike [`synthesize`], an object's whole `example` never stands in
/// for its properties: an object the schema leaves open (`type: object` alone, whose examples
/// differ by case, like an action's `data`) is `{}`. `None` where the schema says nothing
/// (`oneOf` of several, no type).
pub fn skeleton(doc: &Value, schema: &Value, fields: Fields, depth: usize) -> Option<Value> {
    if depth > 12 {
        return None;
    }
    let schema = flatten(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            return match options.as_slice() {
                [only] => skeleton(doc, only, fields, depth + 1),
                _ => None,
            };
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let kept = properties
            .iter()
            .filter(|(name, _)| fields == Fields::All || required.contains(&name.as_str()))
            .filter_map(|(name, prop)| Some((name.clone(), skeleton(doc, prop, fields, depth + 1)?)));
        return Some(Value::Object(kept.collect()));
    }
    if let Some(entry) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        let entry = skeleton(doc, entry, fields, depth + 1);
        return Some(Value::Object(entry.map(|e| (MAP_KEY.to_owned(), e)).into_iter().collect()));
    }
    let ty = schema.get("type").and_then(Value::as_str);
    if ty == Some("array") || schema.get("items").is_some() {
        let element = schema.get("items").and_then(|i| skeleton(doc, i, fields, depth + 1));
        return Some(Value::Array(element.into_iter().collect()));
    }
    if ty == Some("object") {
        return Some(Value::Object(Map::new()));
    }
    let documented = ["example", "default"]
        .iter()
        .filter_map(|k| schema.get(*k))
        .chain(schema.get("enum").and_then(Value::as_array).and_then(|a| a.first()))
        .find(|v| !v.is_object() && !v.is_array() && !v.is_null());
    if let Some(value) = documented {
        return Some(value.clone());
    }
    match ty? {
        "string" => Some(Value::String(String::new())),
        "integer" => Some(Value::from(0)),
        "number" => Some(Value::from(0.0)),
        "boolean" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// Whether a value says more than "something": not `null`, `{}` or `[]`.
fn shows_shape(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => true,
    }
}

/// A schema with its `$ref` resolved and the properties of its `allOf` parts merged.
fn flatten(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
        return schema.clone();
    };
    let mut merged = schema.clone();
    let mut properties = Map::new();
    for part in parts {
        let part = flatten(doc, part);
        if let Some(p) = part.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        for key in ["items", "additionalProperties"] {
            if let (Some(v), Some(m)) = (part.get(key), merged.as_object_mut()) {
                m.entry(key).or_insert_with(|| v.clone());
            }
        }
    }
    if let Some(m) = merged.as_object_mut() {
        m.remove("allOf");
        m.insert("properties".to_owned(), Value::Object(properties));
    }
    merged
}

/// An example body built from a schema: whole-schema `example`s where given, else property by
/// property, with type defaults where nothing is documented.
pub fn synthesize(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 12 {
        return Value::Null;
    }
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return first.clone();
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            match synthesize(doc, part, depth + 1) {
                Value::Object(m) => merged.extend(m),
                other if parts.len() == 1 => return other,
                _ => {}
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return synthesize(doc, first, depth + 1);
        }
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return first.clone();
    }
    if let Some(default) = schema.get("default") {
        return default.clone();
    }
    let ty = schema.get("type").and_then(Value::as_str);
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        return Value::Object(
            properties
                .iter()
                .map(|(name, prop)| (name.clone(), synthesize(doc, prop, depth + 1)))
                .collect(),
        );
    }
    match ty {
        Some("object") => Value::Object(Map::new()),
        Some("array") => match schema.get("items") {
            Some(items) => Value::Array(vec![synthesize(doc, items, depth + 1)]),
            None => Value::Array(Vec::new()),
        },
        Some("string") => Value::String(String::new()),
        Some("integer") => Value::from(0),
        Some("number") => Value::from(0.0),
        Some("boolean") => Value::Bool(false),
        _ => Value::Null,
    }
}

/// The documented example value of a parameter, as text, or `None` when the document has none
/// (examples that merely repeat the parameter's name, like `CHAT_ID`, do not count).
fn param_example(doc: &Value, name: &str, param: &Value) -> Option<String> {
    let schema = param.get("schema").map(|s| resolve(doc, s));
    let candidates = [
        param.get("example").cloned(),
        param
            .get("examples")
            .and_then(Value::as_object)
            .and_then(|m| m.values().next())
            .map(|e| resolve(doc, e))
            .and_then(|e| e.get("value").cloned()),
        schema.and_then(|s| s.get("example").cloned()),
        schema
            .and_then(|s| s.get("enum"))
            .and_then(Value::as_array)
            .and_then(|a| a.first().cloned()),
        schema.and_then(|s| s.get("default").cloned()),
    ];
    let base_name = name.trim_end_matches(|c: char| c.is_ascii_digit());
    for candidate in candidates.into_iter().flatten() {
        let text = match candidate {
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            _ => continue,
        };
        let text = text.trim().to_owned();
        let placeholder = text == base_name
            || (!text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
        if !text.is_empty() && !placeholder {
            return Some(text);
        }
    }
    let description = param
        .get("description")
        .or_else(|| schema.and_then(|s| s.get("description")))
        .and_then(Value::as_str)?;
    allowed_value(description)
}

/// The first value of an "Allowed values" / "supported value" list in an HTML description.
pub fn allowed_value(description: &str) -> Option<String> {
    let lower = description.to_ascii_lowercase();
    if !["allowed", "supported", "possible value"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    let scope = match lower.find("<li>") {
        Some(start) => &description[start..],
        None => description,
    };
    let lower_scope = scope.to_ascii_lowercase();
    let (open, close) = [("<code>", "</code>"), ("<b>", "<")]
        .into_iter()
        .filter_map(|(o, c)| lower_scope.find(o).map(|i| (i + o.len(), c)))
        .min_by_key(|(i, _)| *i)?;
    let rest = &scope[open..];
    let end = rest.to_ascii_lowercase().find(close).unwrap_or(rest.len());
    let value = rest[..end].trim();
    (!value.is_empty() && !value.contains(char::is_whitespace)).then(|| value.to_owned())
}

/// HTTP reason phrase for the codes that occur.
pub fn reason(code: u16) -> Result<&'static str> {
    Ok(match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        other => bail!("no reason phrase for HTTP {other}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalises_paths() {
        assert_eq!(
            normalise_path("/chats/{CHAT_ID}/messages"),
            "/chats/{}/messages"
        );
        assert_eq!(
            normalise_path("/chats/:CHAT_ID/messages"),
            "/chats/{}/messages"
        );
        assert_eq!(
            normalise_path("/me?source=remote_tools"),
            "/me?source=remote_tools"
        );
    }

    #[test]
    fn finds_allowed_values() {
        let d = "Type.<br><b>Allowed values</b>:<ul><li><code>welcome_handler</code>: x</li></ul>";
        assert_eq!(allowed_value(d).as_deref(), Some("welcome_handler"));
        let d = "Status.<br>Allowed values : <ul><li><b>accepted</b> – yes</li></ul>";
        assert_eq!(allowed_value(d).as_deref(), Some("accepted"));
        let d = "The only supported value is <code>execution_handler</code>, which runs.";
        assert_eq!(allowed_value(d).as_deref(), Some("execution_handler"));
        assert_eq!(allowed_value("Unique id of the chat."), None);
    }

    #[test]
    fn fills_empty_lists_and_objects_from_the_schema() {
        let doc = json!({"components": {"schemas": {
            "U": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "example": "42"},
                "data": {"type": "object", "example": {"name": "x"}},
                "n": {"type": "integer"}
            }}
        }}});
        let schema = json!({"type": "object", "properties": {
            "ids": {"type": "array", "items": {"type": "string"}},
            "users": {"type": "array", "items": {"$ref": "#/components/schemas/U"}},
            "free": {"type": "object", "additionalProperties": true},
            "open": {"type": "array", "items": {"type": "object"}},
            "either": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
            "names": {"type": "object", "additionalProperties": {"type": "string"}},
            "part": {"allOf": [{"$ref": "#/components/schemas/U"}]},
            "kept": {"type": "array", "items": {"type": "string"}}
        }});
        let value = json!({"ids": [], "users": [{}], "free": {}, "open": [], "either": [], "names": {},
                           "part": {}, "kept": ["a"], "other": []});
        // An object's own example (`data`) does not stand in for its properties.
        let user = json!({"id": "42", "data": {}, "n": 0});
        assert_eq!(
            fill_empty(&doc, &value, &schema, Fields::All, 0),
            json!({"ids": [""], "users": [user], "free": {}, "open": [{}], "either": [], "names": {"key": ""},
                   "part": user, "kept": ["a"], "other": []})
        );
        let required = fill_empty(&doc, &value, &schema, Fields::Required, 0);
        assert_eq!(required["users"], json!([{"id": "42"}]));
    }

    #[test]
    fn synthesizes_and_detects_no_content() {
        let doc = json!({"components": {"schemas": {
            "R": {"type": "object", "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/U"}},
                "has_more": {"type": "boolean", "example": true}
            }},
            "U": {"type": "object", "properties": {"id": {"type": "string", "example": "42"}, "n": {"type": "integer"}}}
        }}});
        let body = synthesize(&doc, &json!({"$ref": "#/components/schemas/R"}), 0);
        assert_eq!(
            body,
            json!({"data": [{"id": "42", "n": 0}], "has_more": true})
        );
        assert!(is_no_content(
            200,
            &json!({"Response Code": "204 No response"})
        ));
        assert!(is_no_content(200, &json!("204 No response")));
        assert!(is_no_content(204, &json!({})));
        assert!(!is_no_content(200, &json!({"message": "ok"})));
    }
}
