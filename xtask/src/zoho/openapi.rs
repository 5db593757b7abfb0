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
#[derive(Clone)]
pub struct Operation<'a> {
    /// `v3/chats.yml`.
    file: String,
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
    /// The parameter's schema (`$ref`s resolved), if documented.
    pub schema: Option<Value>,
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

    /// Example values of id-like names (`chat_id` → `CT_2230642039250328633_64396901`) across
    /// every document: property and parameter examples, keyed by the lower-case name, the most
    /// frequent example of each (ties: the smallest). Path placeholders take ids shaped like Zoho's
    /// from here where an operation documents none.
    pub fn id_examples(&self) -> BTreeMap<String, String> {
        let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for doc in self.docs.values() {
            collect_id_examples(doc, &mut counts, 0);
        }
        counts
            .into_iter()
            .filter_map(|(name, examples)| {
                let best = examples.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
                Some((name, best.0))
            })
            .collect()
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
            return Ok(Some((key, Operation { file: format!("v3/{file}.yml"), doc, path_item, op })));
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
        Ok(Some((key, Operation { file: format!("v2/{file}.yml"), doc, path_item, op })))
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
                    schema: param_schema(self.doc, p),
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

    /// The file the operation is in (`v3/chats.yml`).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// A schema of this document with `$ref`s resolved and `allOf` merged.
    pub fn flatten(&self, schema: &Value) -> Value {
        flatten(self.doc, schema)
    }

    /// `value` made valid against `schema` (see [`conform`]).
    pub fn conform(&self, value: &Value, schema: &Value, keep: Keep) -> Value {
        conform(self.doc, value, schema, "", keep, 0)
    }

    /// The schema's type (`object` where it only lists properties), `$ref`s resolved.
    pub fn type_of(&self, schema: &Value) -> Option<String> {
        schema_type(&flatten(self.doc, schema))
    }

    /// A valid text for a parameter with this schema.
    pub fn param_text(&self, schema: &Value, name: &str) -> String {
        param_text(self.doc, schema, name)
    }

    /// `value` made valid against `schema` with alternative `index` of its top-level `oneOf`.
    pub fn conform_alternative(&self, value: &Value, schema: &Value, index: usize, keep: Keep) -> Value {
        conform_alternative(self.doc, value, schema, index, keep)
    }

    /// The number of alternatives of a top-level `oneOf` of objects (see [`object_alternatives`]).
    pub fn object_alternatives(&self, schema: &Value) -> usize {
        object_alternatives(self.doc, schema)
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
        "number" if !fractional(&schema) => Some(Value::from(0)),
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
        Some("number") if !fractional(schema) => Value::from(0),
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

/// Which fields a conformed sample keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The fields the value has, minus optional ones with no meaningful value (`""`, `[]`,
    /// `{}`, `null`): what the main request sends.
    Meaningful,
    /// Every field the value has (the "All fields" sample).
    All,
}

/// `value` made valid against `schema`, the way Zoho's contract reads it (the OpenAPI file wins
/// over `endpoints.tsv`): missing required properties added, values of the wrong type, outside
/// an `enum`, a `format`, `minLength`/`maxLength` or `minimum`/`maximum` replaced by the
/// schema's example or a realistic value ([`valid_value`]), lists grown to `minItems` and cut
/// to `maxItems`, and of a `oneOf` of alternatives (`required: [user_ids]` or
/// `required: [email_ids]`) only the chosen one kept, so exactly one alternative matches.
pub fn conform(doc: &Value, value: &Value, schema: &Value, name: &str, keep: Keep, depth: usize) -> Value {
    conform_choosing(doc, value, schema, name, keep, depth, None)
}

/// The number of alternatives of a `oneOf` of objects at the top of `schema` (the departments'
/// `required: [user_ids]` or `required: [email_ids]`), 0 when it has none: each alternative
/// gets a sample of its own, so the fields of every alternative are typed.
pub fn object_alternatives(doc: &Value, schema: &Value) -> usize {
    let schema = flatten(doc, schema);
    let Some(options) = schema.get("oneOf").and_then(Value::as_array) else {
        return 0;
    };
    let objects = options.iter().all(|o| {
        let o = flatten(doc, o);
        o.get("required").is_some() || o.get("properties").is_some()
    });
    if objects && options.len() > 1 { options.len() } else { 0 }
}

/// [`conform`], keeping alternative `index` of a `oneOf` at the top of `schema`.
pub fn conform_alternative(doc: &Value, value: &Value, schema: &Value, index: usize, keep: Keep) -> Value {
    conform_choosing(doc, value, schema, "", keep, 0, Some(index))
}

fn conform_choosing(
    doc: &Value,
    value: &Value,
    schema: &Value,
    name: &str,
    keep: Keep,
    depth: usize,
    forced: Option<usize>,
) -> Value {
    if depth > 12 {
        return value.clone();
    }
    let mut schema = flatten(doc, schema);
    if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array).cloned() {
        let chosen = forced.filter(|i| *i < options.len()).unwrap_or_else(|| choose_option(doc, value, &options));
        let mut value = value.clone();
        if let (Some(map), true) = (value.as_object_mut(), schema.get("oneOf").is_some()) {
            // The keys only the other alternatives name (or require) go, so one alternative matches.
            for (index, option) in options.iter().enumerate() {
                if index == chosen {
                    continue;
                }
                let option = flatten(doc, option);
                let chosen_option = flatten(doc, &options[chosen]);
                for key in option_keys(&option) {
                    if !option_keys(&chosen_option).contains(&key) {
                        map.remove(&key);
                    }
                }
            }
        }
        let merged = merge_option(&schema, &flatten(doc, &options[chosen]));
        return conform(doc, &value, &merged, name, keep, depth + 1);
    }
    if let Some(map) = schema.as_object_mut() {
        map.remove("oneOf");
        map.remove("anyOf");
    }
    let ty = schema_type(&schema);
    match (ty.as_deref(), value) {
        (Some("object") | None, Value::Object(map)) if ty.is_some() || schema.get("properties").is_some() => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let entries = schema.get("additionalProperties").filter(|a| a.is_object());
            let required = required_names(&schema);
            let mut out = Map::new();
            for (key, v) in map {
                let child = properties.and_then(|p| p.get(key)).or(entries);
                let is_required = required.contains(&key.as_str());
                if keep == Keep::Meaningful && !is_required && !meaningful(v) {
                    continue;
                }
                let v = match child {
                    Some(child) => conform(doc, v, child, key, keep, depth + 1),
                    None => v.clone(),
                };
                out.insert(key.clone(), v);
            }
            for key in required {
                if !out.contains_key(key) {
                    let child = properties.and_then(|p| p.get(key)).or(entries);
                    let v = child.map_or(Value::String(text_value(key, &Value::Null)), |c| valid_value(doc, c, key, depth + 1));
                    out.insert(key.to_owned(), v);
                }
            }
            Value::Object(out)
        }
        (Some("array"), Value::Array(items)) => {
            let item_schema = schema.get("items").cloned().unwrap_or(Value::Null);
            let mut out: Vec<Value> = items
                .iter()
                .map(|v| if item_schema.is_null() { v.clone() } else { conform(doc, v, &item_schema, name, keep, depth + 1) })
                .collect();
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            while out.len() < min {
                let next = match out.last() {
                    Some(Value::String(s)) => Value::String(format!("{s} {}", out.len() + 1)),
                    Some(other) => other.clone(),
                    None if item_schema.is_null() => Value::String(text_value(name, &Value::Null)),
                    None => valid_value(doc, &item_schema, name, depth + 1),
                };
                out.push(next);
            }
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                out.truncate(max as usize);
            }
            Value::Array(out)
        }
        _ if scalar_fits(&schema, value) => value.clone(),
        _ => valid_value(doc, &schema, name, depth + 1),
    }
}

/// The index of the alternative that fits `value` best: the first whose required properties
/// it all has, else the one sharing the most keys with it, else the first.
fn choose_option(doc: &Value, value: &Value, options: &[Value]) -> usize {
    let keys: Vec<&String> = value.as_object().map(|m| m.keys().collect()).unwrap_or_default();
    let scored = options.iter().enumerate().map(|(index, option)| {
        let option = flatten(doc, option);
        let required = required_names(&option);
        let complete = !required.is_empty() && required.iter().all(|r| keys.iter().any(|k| k.as_str() == *r));
        let shared = option_keys(&option).iter().filter(|k| keys.contains(k)).count();
        (index, complete, shared)
    });
    scored
        .max_by_key(|(index, complete, shared)| (*complete, *shared, std::cmp::Reverse(*index)))
        .map(|(index, _, _)| index)
        .unwrap_or(0)
}

/// The property names an alternative describes or requires.
fn option_keys(option: &Value) -> Vec<String> {
    let mut keys: Vec<String> = option
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    keys.extend(required_names(option).into_iter().map(str::to_owned));
    keys
}

/// A schema with the chosen alternative's properties and requirements added.
fn merge_option(schema: &Value, option: &Value) -> Value {
    let mut merged = schema.clone();
    let Some(map) = merged.as_object_mut() else {
        return option.clone();
    };
    map.remove("oneOf");
    map.remove("anyOf");
    for (key, v) in option.as_object().into_iter().flatten() {
        match (key.as_str(), map.get_mut(key)) {
            ("properties", Some(Value::Object(existing))) => {
                for (k, p) in v.as_object().into_iter().flatten() {
                    existing.insert(k.clone(), p.clone());
                }
            }
            ("required", Some(Value::Array(existing))) => {
                for r in v.as_array().into_iter().flatten() {
                    if !existing.contains(r) {
                        existing.push(r.clone());
                    }
                }
            }
            _ => {
                map.insert(key.clone(), v.clone());
            }
        }
    }
    if !map.contains_key("type") && map.contains_key("properties") {
        map.insert("type".to_owned(), Value::from("object"));
    }
    merged
}

fn required_names(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The schema's `type`, or `object` where it only lists properties.
fn schema_type(schema: &Value) -> Option<String> {
    schema.get("type").and_then(Value::as_str).map(str::to_owned).or_else(|| {
        if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
            Some("object".to_owned())
        } else if schema.get("items").is_some() {
            Some("array".to_owned())
        } else {
            None
        }
    })
}

/// Whether a value says something: not `""`, `[]`, `{}` or `null`.
pub fn meaningful(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => true,
    }
}

/// Whether a scalar `value` satisfies the scalar parts of `schema`.
fn scalar_fits(schema: &Value, value: &Value) -> bool {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.contains(value) {
            return false;
        }
    }
    let number_in_range = |n: f64| {
        schema.get("minimum").and_then(Value::as_f64).is_none_or(|m| n >= m)
            && schema.get("maximum").and_then(Value::as_f64).is_none_or(|m| n <= m)
    };
    match (schema_type(schema).as_deref(), value) {
        (None, _) => true,
        (Some("string"), Value::String(s)) => {
            let chars = s.chars().count() as u64;
            !s.is_empty()
                && schema.get("minLength").and_then(Value::as_u64).is_none_or(|m| chars >= m)
                && schema.get("maxLength").and_then(Value::as_u64).is_none_or(|m| chars <= m)
                && format_fits(schema.get("format").and_then(Value::as_str), s)
        }
        (Some("integer"), Value::Number(n)) => n.is_i64() && number_in_range(n.as_f64().unwrap_or(0.0)),
        (Some("number"), Value::Number(n)) => number_in_range(n.as_f64().unwrap_or(0.0)),
        (Some("boolean"), Value::Bool(_)) => true,
        _ => false,
    }
}

/// A rough check of the string formats Zoho's files use.
fn format_fits(format: Option<&str>, s: &str) -> bool {
    match format {
        Some("uri") => s.starts_with("https://") || s.starts_with("http://"),
        Some("email") => s.contains('@') && !s.starts_with('@') && !s.ends_with('@'),
        Some("date-time") => {
            let b = s.as_bytes();
            b.len() >= 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[..4].iter().all(u8::is_ascii_digit)
        }
        Some("uuid") => s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4,
        _ => true,
    }
}

/// A valid value of `schema` for a field called `name`: the schema's own example where it fits,
/// else the first `enum` value or the `default`, else one built from the type, `format` and the
/// field's name (ids shaped like Zoho's, a real-looking message text), padded or cut to the
/// documented length, at least `minItems` elements for a list, required properties for an object.
pub fn valid_value(doc: &Value, schema: &Value, name: &str, depth: usize) -> Value {
    let schema = flatten(doc, schema);
    if depth > 12 {
        return Value::Null;
    }
    if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        if let Some(first) = options.first() {
            let merged = merge_option(&schema, &flatten(doc, first));
            return valid_value(doc, &merged, name, depth + 1);
        }
    }
    let ty = schema_type(&schema);
    // Documented values first: an example given as a number for a string field is its text.
    let as_type = |v: &Value| -> Option<Value> {
        let v = match (ty.as_deref(), v) {
            (Some("string"), Value::Number(n)) => Value::String(n.to_string()),
            (Some("string"), Value::Bool(b)) => Value::String(b.to_string()),
            (Some("integer" | "number"), Value::String(s)) => s.parse::<i64>().ok().map(Value::from)?,
            _ => v.clone(),
        };
        scalar_fits(&schema, &v).then_some(v)
    };
    let documented = [schema.get("example"), schema.get("default")]
        .into_iter()
        .flatten()
        .chain(schema.get("enum").and_then(Value::as_array).into_iter().flatten())
        .filter(|v| !v.is_object() && !v.is_array())
        .find_map(as_type);
    if let Some(value) = documented {
        return value;
    }
    match ty.as_deref() {
        Some("object") => {
            let start = schema.get("example").filter(|e| e.is_object()).cloned().unwrap_or_else(|| Value::Object(Map::new()));
            conform(doc, &start, &schema, name, Keep::All, depth + 1)
        }
        Some("array") => {
            let start = schema.get("example").filter(|e| e.is_array()).cloned().unwrap_or_else(|| Value::Array(Vec::new()));
            let mut grown = schema.clone();
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0).max(1);
            grown["minItems"] = Value::from(min);
            conform(doc, &start, &grown, name, Keep::All, depth + 1)
        }
        // A `number` is written as an integer unless the schema says it has a fraction: an
        // epoch-millisecond `time` documented as `number` reads as `i64`, not `f64`.
        Some("integer") | Some("number") if ty.as_deref() == Some("integer") || !fractional(&schema) => {
            let lowest = schema.get("minimum").and_then(Value::as_f64).map_or(1, |m| m.ceil() as i64);
            let highest = schema.get("maximum").and_then(Value::as_f64).map_or(i64::MAX, |m| m.floor() as i64);
            let guess = if name.contains("time") { 1_738_828_560_000 } else if name.contains("limit") { 20 } else { 1 };
            Value::from(guess.clamp(lowest, highest.max(lowest)))
        }
        Some("number") => Value::from(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.5)),
        Some("boolean") => Value::Bool(true),
        _ => {
            let mut text = text_value(name, &schema);
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize;
            while text.chars().count() < min {
                text.push('0');
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                text = text.chars().take(max as usize).collect();
            }
            Value::String(text)
        }
    }
}

fn collect_id_examples(value: &Value, counts: &mut BTreeMap<String, BTreeMap<String, usize>>, depth: usize) {
    if depth > 40 {
        return;
    }
    let is_id = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower == "id" || lower.ends_with("_id")
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_u64() => Some(n.to_string()),
        _ => None,
    };
    let mut record = |name: &str, example: Option<&Value>| {
        if let Some(example) = example.and_then(text) {
            let clean = !example.is_empty()
                && !example.eq_ignore_ascii_case(name)
                && example.chars().any(|c| c.is_ascii_digit())
                && example.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if clean && is_id(name) {
                *counts.entry(name.to_ascii_lowercase()).or_default().entry(example).or_default() += 1;
            }
        }
    };
    match value {
        Value::Object(map) => {
            // A parameter: `name` + `example` (or `schema.example`).
            if let (Some(name), Some(_)) = (map.get("name").and_then(Value::as_str), map.get("in")) {
                record(name, map.get("example").or_else(|| map.get("schema").and_then(|s| s.get("example"))));
            }
            // Properties: `name: {type, example}`.
            if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    record(name, property.get("example"));
                }
            }
            for child in map.values() {
                collect_id_examples(child, counts, depth + 1);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_id_examples(v, counts, depth + 1)),
        _ => {}
    }
}

/// Whether a `number` schema says its values have a fraction: `format: float`/`double`, or a
/// documented example, default, minimum or maximum that is not a whole number.
fn fractional(schema: &Value) -> bool {
    if matches!(schema.get("format").and_then(Value::as_str), Some("float" | "double")) {
        return true;
    }
    ["example", "default", "minimum", "maximum"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_f64))
        .any(|n| n.fract() != 0.0)
}

/// A realistic text for a string field, by its `format`, then its name.
fn text_value(name: &str, schema: &Value) -> String {
    let lower = name.to_ascii_lowercase();
    let value = match schema.get("format").and_then(Value::as_str) {
        Some("uri") if lower.contains("thumbnail") || lower.contains("image") || lower.contains("icon") => {
            "https://www.zoho.com/cliq/images/cliq-logo.png"
        }
        Some("uri") => "https://www.zoho.com/cliq/",
        Some("email") => "scott.fisher@zylker.com",
        Some("date-time") => "2025-02-06T10:30:00+05:30",
        Some("uuid") => "3f1c7a52-9b0e-4d6a-8f21-6c4e2b9d7a10",
        Some("password") => "Zylker@2025",
        _ if lower.contains("password") => "Zylker@2025",
        _ if lower.contains("email") => "scott.fisher@zylker.com",
        _ if lower.contains("url") || lower.contains("link") => "https://www.zoho.com/cliq/",
        _ if lower == "text" || lower.contains("message") || lower == "content" || lower == "comment" => {
            "Hi team, the release notes for version 2.4 are ready for review."
        }
        _ if lower.contains("title") || lower == "name" || lower.ends_with("_name") || lower == "label" => "Release Planning",
        _ if lower.contains("description") || lower.contains("hint") => "Plans and updates for the next release.",
        _ if lower == "chat_id" || lower.ends_with("chat_ids") => "CT_2230642039250328633_64396901",
        _ if lower.ends_with("message_ids") || lower == "message_id" || lower == "msg_id" => "1738828560000_382938023712",
        _ if lower.ends_with("_ids") || lower.ends_with("_id") || lower == "id" || lower == "ids" => "64396901",
        _ if lower.contains("time") => "1738828560000",
        _ if lower.contains("token") => "sample_token",
        _ if lower.contains("color") || lower.contains("colour") => "#2d6fbd",
        _ => "sample",
    };
    value.to_owned()
}

/// The schema of a parameter (resolved), if it has one.
pub fn param_schema(doc: &Value, param: &Value) -> Option<Value> {
    param.get("schema").map(|s| flatten(doc, s))
}

/// Whether a parameter's text fits its schema (as the contract test reads it: `"20"` is an
/// integer, a comma-separated text an array).
pub fn param_text_fits(schema: &Value, text: &str) -> bool {
    let value = match schema_type(schema).as_deref() {
        Some("integer") => match text.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => return false,
        },
        Some("number") => match text.parse::<f64>() {
            Ok(n) => Value::from(n),
            Err(_) => return false,
        },
        Some("boolean") => match text {
            "true" | "false" => Value::Bool(text == "true"),
            _ => return false,
        },
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            return text.split(',').all(|part| items.is_null() || param_text_fits(&items, part));
        }
        _ => Value::String(text.to_owned()),
    };
    scalar_fits(schema, &value)
}

/// A valid parameter value as text.
pub fn param_text(doc: &Value, schema: &Value, name: &str) -> String {
    match valid_value(doc, schema, name, 0) {
        Value::String(s) => s,
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
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
    fn numbers_are_whole_unless_the_schema_says_float() {
        let doc = Value::Null;
        // An epoch-millisecond `time` documented as `number` (no example): an integer.
        let time = valid_value(&doc, &json!({"type": "number", "minimum": 1}), "time", 0);
        assert_eq!(time, json!(1_738_828_560_000_i64));
        assert!(time.is_i64());
        assert!(valid_value(&doc, &json!({"type": "number"}), "count", 0).is_i64());
        assert!(valid_value(&doc, &json!({"type": "number", "format": "double"}), "latitude", 0).is_f64());
        assert!(valid_value(&doc, &json!({"type": "number", "minimum": 0.5}), "ratio", 0).is_f64());
        assert_eq!(skeleton(&doc, &json!({"type": "number"}), Fields::All, 0), Some(json!(0)));
        assert_eq!(synthesize(&doc, &json!({"type": "number", "format": "float"}), 0), json!(0.0));
    }

    #[test]
    fn each_oneof_alternative_can_be_kept() {
        let doc = Value::Null;
        let schema = json!({"type": "object",
            "properties": {"user_ids": {"type": "array", "items": {"type": "string"}, "example": ["1"]},
                           "email_ids": {"type": "array", "items": {"type": "string"}, "example": ["a@zylker.com"]}},
            "oneOf": [{"required": ["user_ids"]}, {"required": ["email_ids"]}]});
        assert_eq!(object_alternatives(&doc, &schema), 2);
        assert_eq!(object_alternatives(&doc, &json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})), 0);
        let body = json!({"user_ids": ["7"]});
        assert_eq!(conform(&doc, &body, &schema, "", Keep::Meaningful, 0), body);
        assert_eq!(conform_alternative(&doc, &body, &schema, 0, Keep::Meaningful), body);
        assert_eq!(conform_alternative(&doc, &body, &schema, 1, Keep::Meaningful), json!({"email_ids": ["a@zylker.com"]}));
    }

    #[test]
    fn id_examples_come_from_properties_and_parameters() {
        let mut counts = BTreeMap::new();
        let doc = json!({
            "parameters": [{"name": "CHAT_ID", "in": "path", "example": "CT_1_2"},
                           {"name": "USER_ID", "in": "path", "example": "USER_ID"}],
            "a": {"properties": {"chat_id": {"example": "CT_9_9"}, "team_id": {"example": "IDS"}}},
            "b": {"properties": {"chat_id": {"example": "CT_9_9"}, "user_id": {"example": 431930546}}}
        });
        collect_id_examples(&doc, &mut counts, 0);
        let specs = Specs { docs: [(("v3".to_owned(), "x".to_owned()), doc)].into() };
        let examples = specs.id_examples();
        assert_eq!(examples["chat_id"], "CT_9_9", "the most frequent example");
        assert_eq!(examples["user_id"], "431930546", "a name repeated as example does not count");
        assert!(!examples.contains_key("team_id"), "an example without a digit does not look like an id");
    }

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
