//! Building the Postman v2.1 JSON: one request per TSV row, the OAuth folder and the
//! environments.

use std::collections::BTreeMap;

use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Value};

use super::openapi::{self, reason, ExampleResponse, Fields, Keep, Operation, Param};
use super::tsv::{
    fields_schema, fill_scalar_lists, required_only, required_paths, required_with_optional_objects, BodyKind,
    Extra, Field, Row,
};
use super::uuid::stable_id;

/// The module whose paths are rooted at the domain, not at `/api/v2`.
pub const BULK_EXPORT_MODULE: &str = "Maintenance - Bulk Export";

/// Doc pages the README lists as confirmed to exist (others follow the same pattern).
const CONFIRMED_DOC_PAGES: [&str; 7] = [
    "v2/channels",
    "v2/bots",
    "v2/teams",
    "v2/reminders",
    "v2/roles",
    "v2/bulkexport",
    "v3/bots",
];

const DOCS_BASE: &str = "https://www.zoho.com/cliq/help/restapi/";

/// Counters for the report.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: usize,
    pub with_success_example: usize,
    pub with_error_example: usize,
    pub documented_examples: usize,
    pub synthesized_examples: usize,
    pub required_only_examples: usize,
    pub nested_required_examples: usize,
    /// Saved examples whose empty lists and objects were filled in from the TSV and schemas.
    pub filled_examples: usize,
    /// Saved examples whose body takes another alternative of a top-level `oneOf`.
    pub alternative_examples: usize,
    /// Path parameters that got a generic placeholder value (name -> count).
    pub generic_path_values: BTreeMap<String, usize>,
}

/// The id key of a request row (unique even when two rows of a folder share a name).
pub fn request_key(row: &Row) -> String {
    format!(
        "request/{}/{}/{}/{} {}",
        row.version, row.module, row.name, row.method, row.path
    )
}

/// One Postman request item for a TSV row.
pub fn request_item(
    row: &Row,
    extra: &Extra,
    op: Option<&Operation<'_>>,
    id_examples: &BTreeMap<String, String>,
    stats: &mut Stats,
) -> Result<Value> {
    let key = request_key(row);
    let params: Vec<Param> = op.map(|o| o.params()).unwrap_or_default();
    let bulk_export = row.module == BULK_EXPORT_MODULE;
    ensure!(
        bulk_export == row.path.starts_with("/company/"),
        "{}: only Bulk Export rows may start with /company/",
        row.name
    );

    // URL.
    let mut path: Vec<String> = Vec::new();
    if !bulk_export {
        path.push("api".to_owned());
        path.push(row.version.clone());
    }
    path.extend(
        row.path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    );

    let mut variables = Vec::new();
    for name in &row.path_params {
        let param = params
            .iter()
            .find(|p| p.location == "path" && strip_digits(&p.name) == name.as_str());
        let documented = param.and_then(|p| p.example.clone());
        let lower = name.to_ascii_lowercase();
        let elsewhere = id_examples.get(&lower).cloned();
        let (mut value, mut origin) = match (documented, elsewhere) {
            (Some(v), _) => (v, "Example value from the API docs.".to_owned()),
            (None, Some(v)) => (v, format!("Example of a `{lower}` elsewhere in Zoho's OpenAPI files.")),
            (None, None) => {
                *stats.generic_path_values.entry(name.clone()).or_default() += 1;
                (
                    path_placeholder(name),
                    "Placeholder: replace it with a real value.".to_owned(),
                )
            }
        };
        // The OpenAPI file wins: a value its schema rejects is replaced by one it accepts.
        if let (Some(op), Some(schema)) = (op, param.and_then(|p| p.schema.as_ref())) {
            if !openapi::param_text_fits(schema, &value) {
                value = op.param_text(schema, name);
                origin = "Example value fitting the parameter's schema.".to_owned();
            }
        }
        ensure!(
            !value.is_empty(),
            "{}: empty value for path parameter {name}",
            row.name
        );
        variables.push(json!({
            "key": name,
            "value": value,
            "description": format!("`{name}` (path parameter, required). {origin}"),
        }));
    }

    let documented_query = documented_query(extra.documented_path.as_deref());
    let mut query = Vec::new();
    for q in &row.query_params {
        let value = q
            .fixed
            .clone()
            .or_else(|| documented_query.get(&q.name).cloned())
            .or_else(|| {
                params
                    .iter()
                    .find(|p| p.location == "query" && p.name == q.name)
                    .and_then(|p| p.example.clone())
            })
            .unwrap_or_else(|| query_placeholder(&q.name, &q.ty));
        let schema = params
            .iter()
            .find(|p| p.location == "query" && p.name == q.name)
            .and_then(|p| p.schema.as_ref());
        let value = match (op, schema) {
            (Some(op), Some(schema)) if q.fixed.is_none() && !openapi::param_text_fits(schema, &value) => {
                op.param_text(schema, &q.name)
            }
            _ => value,
        };
        ensure!(
            !value.is_empty(),
            "{}: empty value for query parameter {}",
            row.name,
            q.name
        );
        let mut description = format!(
            "{}, {}.",
            q.ty,
            if q.required { "required" } else { "optional" }
        );
        if let Some(fixed) = &q.fixed {
            description.push_str(&format!(" The docs fix it to `{fixed}`."));
        }
        let mut entry = json!({"key": q.name, "value": value, "description": description});
        if !q.required {
            entry["disabled"] = Value::Bool(true);
        }
        query.push(entry);
    }

    let mut raw = format!("{{{{api-domain}}}}/{}", path.join("/"));
    let enabled: Vec<String> = query
        .iter()
        .filter(|q| q.get("disabled").is_none())
        .map(|q| format!("{}={}", str_of(&q["key"]), str_of(&q["value"])))
        .collect();
    if !enabled.is_empty() {
        raw.push('?');
        raw.push_str(&enabled.join("&"));
    }
    let url = json!({
        "raw": raw,
        "host": ["{{api-domain}}"],
        "path": path,
        "query": query,
        "variable": variables,
    });

    // Headers and body.
    let mut header = Vec::new();
    if row.body_kind == BodyKind::Json {
        header.push(json!({"key": "Content-Type", "value": "application/json"}));
    }
    for name in &extra.header_params {
        let param = params
            .iter()
            .find(|p| p.location == "header" && p.name.eq_ignore_ascii_case(name))
            .with_context(|| format!("{}: header {name} not in the OpenAPI operation", row.name))?;
        let mut value = param
            .example
            .clone()
            .with_context(|| format!("{}: no example value for header {name}", row.name))?;
        if let (Some(op), Some(schema)) = (op, param.schema.as_ref()) {
            if !openapi::param_text_fits(schema, &value) {
                value = op.param_text(schema, name);
            }
        }
        header.push(json!({
            "key": name,
            "value": value,
            "description": format!(
                "Request header ({}); example value from the API docs. For Bulk Export it picks the export format.",
                if param.required { "required" } else { "optional" }
            ),
        }));
    }

    let request_schema = op.and_then(|o| Some((o, o.request_schema()?)));
    // Rows no OpenAPI file describes: their TSV field types stand in for the schema.
    let tsv_schema = fields_schema(&row.body_fields);
    let tsv_conform = |value: &Value, schema: &Value, keep: Keep| {
        openapi::conform(&Value::Null, value, schema, "", keep, 0)
    };
    // The body sent: the documented skeleton made valid against the request schema, without the
    // optional fields that hold no meaningful value (they are in the "All fields" sample).
    let full_body = match row.body_kind {
        BodyKind::Json => {
            let skeleton = extra
                .body_skeleton
                .clone()
                .filter(Value::is_object)
                .with_context(|| {
                    format!("{}: json row without an object body_skeleton", row.name)
                })?;
            Some(match request_schema {
                Some((op, schema)) => op.conform(&skeleton, schema, Keep::Meaningful),
                None => tsv_conform(&skeleton, &tsv_schema, Keep::Meaningful),
            })
        }
        _ => None,
    };
    let body = match row.body_kind {
        BodyKind::None => None,
        BodyKind::Json => full_body.as_ref().map(raw_json_body).transpose()?,
        BodyKind::Multipart => Some(formdata_body(row, extra)?),
    };

    let mut request = json!({"method": row.method, "header": header});
    if let Some(body) = body {
        request["body"] = body;
    }
    request["url"] = url;
    let mut description = request_description(row, extra)?;
    if let Some(op) = op {
        let differences = contract_differences(row, op);
        if !differences.is_empty() {
            description.push_str(&format!(
                "\n\n**Contract:** the OpenAPI file (`{}`) wins where `endpoints.tsv` differs: {}.",
                op.file(),
                summarise(&differences)
            ));
        }
    }
    request["description"] = Value::String(description);

    // Saved examples: the documented responses, then the required-fields-only samples.
    let original = original_request(&request);
    let documented = match op {
        Some(op) => op.examples()?,
        None => Vec::new(),
    };
    let mut responses = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for (index, example) in documented.iter().enumerate() {
        let mut name = format!("{} {}", example.code, reason(example.code)?);
        if let Some(label) = &example.label {
            name.push_str(" - ");
            name.push_str(label);
        }
        let seen = names.entry(name.clone()).or_default();
        *seen += 1;
        if *seen > 1 {
            name = format!("{name} ({seen})");
        }
        let id = stable_id(&format!("{key}/response/{index}/{name}"));
        responses.push(response(
            &id,
            &name,
            &original,
            example.code,
            example.body.as_ref(),
        )?);
        stats.documented_examples += 1;
        if example.synthesized {
            stats.synthesized_examples += 1;
        }
    }
    if let Some(op) = op {
        for (name, body) in filled_responses(op, &documented)? {
            let id = stable_id(&format!("{key}/response/{name}"));
            responses.push(response(&id, &name, &original, 200, Some(&body))?);
            stats.filled_examples += 1;
        }
    }
    if documented.iter().any(|e| (200..300).contains(&e.code)) {
        stats.with_success_example += 1;
    }
    if documented.iter().any(|e| e.code >= 400) {
        stats.with_error_example += 1;
    }

    if let Some(full) = &full_body {
        let success: Option<&ExampleResponse> =
            documented.iter().find(|e| (200..300).contains(&e.code));
        let (code, body) = success
            .map(|e| (e.code, e.body.as_ref()))
            .unwrap_or((200, None));
        let conformed = |value: Value, keep: Keep| match request_schema {
            Some((op, schema)) => op.conform(&value, schema, keep),
            None if op.is_none() => tsv_conform(&value, &tsv_schema, keep),
            None => value,
        };
        let minimal = conformed(required_only(&row.body_fields, full), Keep::Meaningful);
        // Reduced from the filled body, so the elements of optional lists of objects show
        // which of their fields are required too.
        let skeleton = extra.body_skeleton.as_ref().unwrap_or(full);
        let filled = conformed(filled_body(row, op, skeleton, Fields::All), Keep::All);
        let nested = conformed(
            required_with_optional_objects(
                &row.body_fields,
                &filled_body(row, op, skeleton, Fields::Required),
            ),
            Keep::Meaningful,
        );
        let mut samples = vec![("Required fields only".to_owned(), minimal.clone())];
        if nested != minimal && &nested != full {
            samples.push(("Required fields only, optional objects included".to_owned(), nested));
            stats.nested_required_examples += 1;
        }
        if &filled != full {
            samples.push((FILLED_BODY.to_owned(), filled));
            stats.filled_examples += 1;
        }
        // A `oneOf` of bodies (`user_ids` or `email_ids`): the main body keeps one alternative,
        // so every other one gets a sample of its own, and the generated type has its fields.
        let mut alternatives = Vec::new();
        if let Some((op, schema)) = request_schema {
            for index in 0..op.object_alternatives(schema) {
                let sample = op.conform_alternative(full, schema, index, Keep::Meaningful);
                if &sample == full || samples.iter().any(|(_, s)| *s == sample) {
                    continue;
                }
                let keys: Vec<String> = sample
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.keys())
                    .filter(|k| full.get(k.as_str()).is_none())
                    .map(|k| format!("`{k}`"))
                    .collect();
                let name = if keys.is_empty() {
                    format!("Alternative body {}", index + 1)
                } else {
                    format!("Alternative body with {}", keys.join(", "))
                };
                alternatives.push((name, sample));
            }
        }
        stats.alternative_examples += alternatives.len();
        for (name, sample) in samples.into_iter().chain(alternatives) {
            let mut original = original.clone();
            original["body"] = raw_json_body(&sample)?;
            let id = stable_id(&format!("{key}/response/{name}"));
            responses.push(response(&id, &name, &original, code, body)?);
            if name == "Required fields only" || name == "Required fields only, optional objects included" {
                stats.required_only_examples += 1;
            }
        }
    }

    stats.requests += 1;
    Ok(json!({
        "id": stable_id(&key),
        "name": row.name,
        "request": request,
        "response": responses,
    }))
}

/// Where the TSV row and the OpenAPI operation disagree about query parameters and body fields
/// (required in one only, another type, present in one only), one phrase each, in order.
fn contract_differences(row: &Row, op: &Operation<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let params = op.params();
    for q in &row.query_params {
        match params.iter().find(|p| p.location == "query" && p.name == q.name) {
            None => out.push(format!("query `{}` is only in endpoints.tsv", q.name)),
            Some(p) => {
                if q.fixed.is_none() && p.required != q.required {
                    out.push(format!("query `{}` is {}", q.name, required_word(p.required)));
                }
                let theirs = p.schema.as_ref().and_then(|s| op.type_of(s));
                if let Some(theirs) = theirs.filter(|t| !same_type(&q.ty, t)) {
                    out.push(format!("query `{}` is {theirs}, not {}", q.name, q.ty));
                }
            }
        }
    }
    for p in params.iter().filter(|p| p.location == "query") {
        if !row.query_params.iter().any(|q| q.name == p.name) {
            out.push(format!("query `{}` is only in the OpenAPI file", p.name));
        }
    }
    if row.body_kind == BodyKind::Json {
        if let Some(schema) = op.request_schema() {
            body_differences(op, &row.body_fields, schema, "", &mut out, 0);
        }
    }
    out
}

fn body_differences(op: &Operation<'_>, fields: &[Field], schema: &Value, prefix: &str, out: &mut Vec<String>, depth: usize) {
    let schema = op.flatten(schema);
    if depth > 6 || schema.get("properties").is_none() {
        return;
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    // Under a `oneOf` of alternatives, which fields are required depends on the alternative.
    let alternatives = schema.get("oneOf").is_some() || schema.get("anyOf").is_some();
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        let Some(property) = properties.and_then(|p| p.get(&field.name)) else {
            out.push(format!("`{path}` is only in endpoints.tsv"));
            continue;
        };
        let is_required = required.contains(&field.name.as_str());
        if !alternatives && is_required != field.required {
            out.push(format!("`{path}` is {}", required_word(is_required)));
        }
        let ours = match (&field.children, field.array, field.ty.as_deref()) {
            (_, true, _) => "array".to_owned(),
            (Some(_), false, _) => "object".to_owned(),
            (None, false, Some(ty)) => ty.to_owned(),
            (None, false, None) => continue,
        };
        let theirs = op.type_of(property);
        if let Some(theirs) = theirs.as_deref().filter(|t| !same_type(&ours, t)) {
            out.push(format!("`{path}` is {theirs}, not {ours}"));
            continue;
        }
        if let Some(children) = &field.children {
            let property = op.flatten(property);
            let inner = if field.array { property.get("items").cloned().unwrap_or(Value::Null) } else { property };
            body_differences(op, children, &inner, &format!("{path}{}.", if field.array { "[]" } else { "" }), out, depth + 1);
        }
    }
    for key in properties.into_iter().flatten().map(|(k, _)| k) {
        if !fields.iter().any(|f| &f.name == key) {
            out.push(format!("`{prefix}{key}` is only in the OpenAPI file"));
        }
    }
}

fn required_word(required: bool) -> &'static str {
    if required { "required there, optional in endpoints.tsv" } else { "optional there, required in endpoints.tsv" }
}

/// Whether a TSV type (`string`, `array<string>`, `any`) and a schema type name the same kind.
fn same_type(tsv: &str, schema: &str) -> bool {
    let base = tsv.split('<').next().unwrap_or(tsv);
    base == schema || matches!(base, "any" | "") || (base == "array" && schema == "array")
}

/// The differences as one phrase: the first five, then how many more.
fn summarise(differences: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = differences.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("; ");
    if differences.len() > SHOWN {
        text.push_str(&format!("; and {} more", differences.len() - SHOWN));
    }
    text
}

/// The saved example whose request body has every field, with lists and objects filled in.
const FILLED_BODY: &str = "All fields, lists and objects filled in";

/// The full body with its empty lists and objects given one element / their fields: from the
/// TSV's list types, then from the documented request schema. Only the shape matters (a
/// generator infers the element types from it); values are placeholders or schema examples.
fn filled_body(row: &Row, op: Option<&Operation<'_>>, full: &Value, fields: Fields) -> Value {
    let placeholder = |name: &str, ty: &str| match ty {
        "integer" | "number" => Value::from(1),
        "boolean" => Value::Bool(true),
        _ => Value::String(query_placeholder(name, "string")),
    };
    let scalars = fill_scalar_lists(&row.body_fields, full, &placeholder);
    match op.and_then(|o| Some((o, o.request_schema()?))) {
        Some((op, schema)) => op.fill_empty(&scalars, schema, fields),
        None => scalars,
    }
}

/// For each documented 200 response whose body has empty lists or objects the response schema
/// describes: a copy with them filled in, and its name.
fn filled_responses(op: &Operation<'_>, documented: &[ExampleResponse]) -> Result<Vec<(String, Value)>> {
    let Some(schema) = op.response_schema(200) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(String, Value)> = Vec::new();
    for example in documented.iter().filter(|e| e.code == 200) {
        let Some(body) = &example.body else { continue };
        let filled = op.fill_empty(body, schema, Fields::All);
        if &filled == body || out.iter().any(|(_, b)| *b == filled) {
            continue;
        }
        let label = example.label.as_deref().map(|l| format!(" - {l}")).unwrap_or_default();
        let name = format!("200 {}{label} - lists and objects filled in from the schema", reason(200)?);
        out.push((name, filled));
    }
    Ok(out)
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn strip_digits(name: &str) -> &str {
    name.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// `key=value` pairs of the query string the source built into a documented path.
fn documented_query(documented_path: Option<&str>) -> BTreeMap<String, String> {
    documented_path
        .and_then(|p| p.split_once('?'))
        .map(|(_, q)| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A plausible, never empty value for a path parameter the docs give no example for.
pub fn path_placeholder(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    if upper.contains("EMAIL") {
        "user@example.com".to_owned()
    } else if upper.ends_with("_ID") || upper.contains("_ID_") || upper == "ID" {
        "1234567890".to_owned()
    } else if let Some(prefix) = upper.strip_suffix("_UNIQUE_NAME") {
        format!("sample{}", prefix.to_ascii_lowercase().replace('_', ""))
    } else if upper.ends_with("KEY_NAME") {
        "sample_key".to_owned()
    } else {
        "sample".to_owned()
    }
}

/// A plausible, never empty value for a query parameter the docs give no example for.
pub fn query_placeholder(name: &str, ty: &str) -> String {
    let name = name.to_ascii_lowercase();
    let value = match ty {
        "boolean" => "true",
        "integer" | "number" if name.contains("limit") => "20",
        "integer" | "number" if name.contains("time") => "1704067200000",
        "integer" | "number" => "1",
        _ if name.contains("email") => "user@example.com",
        _ if name == "ids"
            || name.ends_with("_ids")
            || name.ends_with("_id")
            || name.ends_with("id") =>
        {
            "1234567890"
        }
        _ if name.contains("token") => "sample_token",
        _ if name.contains("limit") => "20",
        _ if name.contains("time") => "1704067200000",
        _ => "sample",
    };
    value.to_owned()
}

fn raw_json_body(value: &Value) -> Result<Value> {
    Ok(json!({
        "mode": "raw",
        "raw": serde_json::to_string_pretty(value)?,
        "options": {"raw": {"language": "json"}},
    }))
}

/// Multipart rows: a `file` part per file field (`files` when none is documented) and text
/// parts for the other fields; optional text parts are disabled.
fn formdata_body(row: &Row, extra: &Extra) -> Result<Value> {
    let skeleton = extra.body_skeleton.as_ref().and_then(Value::as_object);
    let mut parts = Vec::new();
    let is_file = |name: &str| matches!(name, "files" | "file" | "attachments" | "attachment");
    if !row.body_fields.iter().any(|f| is_file(&f.name)) {
        parts.push(json!({
            "key": "files",
            "type": "file",
            "src": [],
            "description": "File to upload. The docs give no field name for this call; `files` is assumed.",
        }));
    }
    for field in &row.body_fields {
        let req = if field.required {
            "required"
        } else {
            "optional"
        };
        if is_file(&field.name) {
            parts.push(json!({
                "key": field.name,
                "type": "file",
                "src": [],
                "description": format!("File(s) to upload ({req}). Repeat the part for several files."),
            }));
            continue;
        }
        let value = match skeleton.and_then(|s| s.get(&field.name)) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(items)) if items.is_empty() => String::new(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let mut part = json!({
            "key": field.name,
            "value": value,
            "type": "text",
            "description": format!("{} ({req}).", field.ty.as_deref().unwrap_or("object")),
        });
        if !field.required {
            part["disabled"] = Value::Bool(true);
        }
        parts.push(part);
    }
    Ok(json!({"mode": "formdata", "formdata": parts}))
}

/// A copy of the request for `originalRequest` (without the long description).
fn original_request(request: &Value) -> Value {
    let mut copy = request.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove("description");
    }
    copy
}

/// One saved example response.
pub fn response(
    id: &str,
    name: &str,
    original: &Value,
    code: u16,
    body: Option<&Value>,
) -> Result<Value> {
    let (header, body_text, language) = match body {
        Some(body) => (
            json!([{"key": "Content-Type", "value": "application/json"}]),
            serde_json::to_string_pretty(body)?,
            "json",
        ),
        None => (json!([]), String::new(), "text"),
    };
    Ok(json!({
        "id": id,
        "name": name,
        "originalRequest": original,
        "status": reason(code)?,
        "code": code,
        "_postman_previewlanguage": language,
        "header": header,
        "cookie": [],
        "body": body_text,
    }))
}

/// The docs page of a row, and whether the README lists it as confirmed.
pub fn docs_page(row: &Row) -> Result<(String, bool)> {
    if let Some(rest) = row.source.strip_prefix(DOCS_BASE) {
        let page = rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        let confirmed = CONFIRMED_DOC_PAGES.contains(&page);
        return Ok((format!("{DOCS_BASE}{page}/"), confirmed));
    }
    let stem = row
        .source
        .rsplit('/')
        .next()
        .and_then(|file| file.split_once(".yml"))
        .map(|(stem, _)| stem)
        .with_context(|| {
            format!(
                "{}: cannot derive a docs page from {}",
                row.name, row.source
            )
        })?;
    let page = format!("{}/{stem}", row.version);
    let confirmed = CONFIRMED_DOC_PAGES.contains(&page.as_str());
    Ok((format!("{DOCS_BASE}{page}/"), confirmed))
}

/// The path as sent, for descriptions.
pub fn display_path(row: &Row) -> String {
    if row.module == BULK_EXPORT_MODULE {
        row.path.clone()
    } else {
        format!("/api/{}{}", row.version, row.path)
    }
}

fn request_description(row: &Row, extra: &Extra) -> Result<String> {
    let mut parts = Vec::new();
    parts.push(format!(
        "{}. Zoho Cliq {} API, {} module: `{} {}`.",
        row.name.trim_end_matches('.'),
        row.version,
        row.module,
        row.method,
        display_path(row)
    ));

    let cliq: Vec<&String> = row
        .scopes
        .iter()
        .filter(|s| s.starts_with("ZohoCliq."))
        .collect();
    let scopes = match cliq.first() {
        Some(first) => {
            let others: Vec<String> = row
                .scopes
                .iter()
                .filter(|s| s != first)
                .map(|s| format!("`{s}`"))
                .collect();
            let mut line = format!("**Scopes:** `{first}` (the minimum to request)");
            if !others.is_empty() {
                line.push_str(&format!("; the docs also list {}", others.join(", ")));
            }
            line
        }
        None if row.scopes.is_empty() => "**Scopes:** none documented".to_owned(),
        None => format!(
            "**Scopes:** {} (no ZohoCliq scope listed)",
            row.scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    parts.push(scopes);

    parts.push(match (&extra.threshold, &extra.lock_period) {
        (Some(t), Some(l)) => format!("**Rate limit:** {t}, lock period {l}"),
        (Some(t), None) => format!("**Rate limit:** {t} (no lock period documented)"),
        (None, Some(l)) => format!("**Rate limit:** threshold not documented, lock period {l}"),
        (None, None) => "**Rate limit:** not documented".to_owned(),
    });

    let (url, confirmed) = docs_page(row)?;
    parts.push(if confirmed {
        format!("**Docs:** {url}")
    } else {
        format!("**Docs:** {url} (address inferred from the module name, not confirmed)")
    });

    if row.body_kind != BodyKind::None {
        let required = required_paths(&row.body_fields);
        parts.push(if required.is_empty() {
            "**Required body fields:** none marked".to_owned()
        } else {
            format!(
                "**Required body fields:** {}",
                required
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    }

    let mut explained = false;
    for flag in &extra.flags {
        let note = match flag.as_str() {
            "path-normalised" => {
                explained = true;
                format!(
                    "**Uncertain:** the source documents the path as `{}`; this request uses `{}`.",
                    extra.documented_path.as_deref().unwrap_or("?"),
                    row.path
                )
            }
            "not-in-openapi" => {
                explained = true;
                "**Uncertain:** not in Zoho's OpenAPI documents. Zoho's v2 help pages name the \
                 operation, but its method, path and body fields come from a third-party client."
                    .to_owned()
            }
            "doubtful" if row.body_kind == BodyKind::Multipart && row.body_fields.is_empty() => {
                explained = true;
                "**Uncertain:** no request body schema is documented; the multipart field name \
                 `files` is a guess."
                    .to_owned()
            }
            "doubtful" => {
                explained = true;
                format!(
                    "**Uncertain:** the documented `{} {}` looks like the v2 style (singular \
                     `message`, unique name under `/channels`); compare \
                     `/channelsbyname/:CHANNEL_UNIQUE_NAME/messages`.",
                    row.method, row.path
                )
            }
            "get-body-moved-to-query" => {
                explained = true;
                "**Uncertain:** the docs give these parameters as a request body on a GET; they \
                 are sent as query parameters here."
                    .to_owned()
            }
            "scope-inferred" => {
                explained = true;
                format!(
                    "**Uncertain:** the source lists no scope; `{}` is taken from the sibling requests.",
                    cliq.first().map(|s| s.as_str()).unwrap_or("?")
                )
            }
            "scope-prefixed" => "**Note:** the source wrote these scopes without the `ZohoCliq.` \
                                 prefix; it was added to match the file's security scheme."
                .to_owned(),
            other => bail!("{}: unknown flag {other:?}", row.name),
        };
        parts.push(note);
    }
    ensure!(
        explained == row.uncertain,
        "{}: the `?` mark and the flags disagree ({:?})",
        row.name,
        extra.flags
    );
    Ok(parts.join("\n\n"))
}

/// Data-centre hosts for the environments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataCentre {
    pub code: String,
    pub api_domain: String,
    pub accounts_url: String,
}

/// One environment file.
pub fn environment(dc: &DataCentre) -> Value {
    let values: Vec<Value> = [
        ("client-id", "", "default"),
        ("client-secret", "", "secret"),
        ("redirect-uri", "", "default"),
        ("authorization-code", "", "secret"),
        ("access-token", "", "secret"),
        ("refresh-token", "", "secret"),
        ("accounts-url", dc.accounts_url.as_str(), "default"),
        ("api-domain", dc.api_domain.as_str(), "default"),
        ("expiry-time", "", "default"),
    ]
    .into_iter()
    .map(|(key, value, kind)| json!({"key": key, "value": value, "type": kind, "enabled": true}))
    .collect();
    json!({
        "id": stable_id(&format!("environment/{}", dc.code)),
        "name": format!("Zoho Cliq ({})", dc.code.to_ascii_uppercase()),
        "values": values,
        "_postman_variable_scope": "environment",
    })
}

/// Collection-level OAuth 2.0 auth (Newman sends `Authorization: Zoho-oauthtoken <token>`).
pub fn collection_auth(scopes: &[String]) -> Value {
    let entries: Vec<Value> = [
        ("accessToken", "{{access-token}}".to_owned()),
        ("headerPrefix", "Zoho-oauthtoken".to_owned()),
        ("addTokenTo", "header".to_owned()),
        ("tokenType", "Bearer".to_owned()),
        ("grant_type", "authorization_code".to_owned()),
        ("authUrl", "{{accounts-url}}/oauth/v2/auth".to_owned()),
        (
            "accessTokenUrl",
            "{{accounts-url}}/oauth/v2/token".to_owned(),
        ),
        ("clientId", "{{client-id}}".to_owned()),
        ("clientSecret", "{{client-secret}}".to_owned()),
        ("redirect_uri", "{{redirect-uri}}".to_owned()),
        ("scope", scopes.join(",")),
        ("client_authentication", "body".to_owned()),
        (
            "refreshTokenUrl",
            "{{accounts-url}}/oauth/v2/token".to_owned(),
        ),
    ]
    .into_iter()
    .map(|(key, value)| json!({"key": key, "value": value, "type": "string"}))
    .collect();
    json!({"type": "oauth2", "oauth2": entries})
}

const TOKEN_SCRIPT: [&str; 13] = [
    "// Store the tokens from Zoho Accounts' answer in the environment.",
    "// Zoho may report errors with HTTP 200, so look at the body, not only at the status.",
    "let body = {};",
    "try { body = pm.response.json(); } catch (e) { body = {}; }",
    "if (body.error) {",
    "    console.warn('Zoho Accounts returned an error: ' + body.error);",
    "} else {",
    "    if (body.access_token) { pm.environment.set('access-token', body.access_token); }",
    "    if (body.refresh_token) { pm.environment.set('refresh-token', body.refresh_token); }",
    "    if (body.expires_in) {",
    "        pm.environment.set('expiry-time', String(Date.now() + Number(body.expires_in) * 1000));",
    "    }",
    "}",
];

fn token_url(path: &[&str], query: Vec<Value>) -> Value {
    let mut raw = format!("{{{{accounts-url}}}}/{}", path.join("/"));
    let pairs: Vec<String> = query
        .iter()
        .map(|q| format!("{}={}", str_of(&q["key"]), str_of(&q["value"])))
        .collect();
    if !pairs.is_empty() {
        raw.push('?');
        raw.push_str(&pairs.join("&"));
    }
    json!({"raw": raw, "host": ["{{accounts-url}}"], "path": path, "query": query, "variable": []})
}

fn form_field(key: &str, value: &str, description: &str) -> Value {
    json!({"key": key, "value": value, "type": "text", "description": description})
}

fn oauth_request(
    name: &str,
    description: &str,
    body: Option<Vec<Value>>,
    url: Value,
    examples: &[(&str, Value)],
) -> Result<Value> {
    let key = format!("request/OAuth/{name}");
    let mut request = json!({"method": "POST", "header": []});
    if let Some(fields) = body {
        request["body"] = json!({"mode": "urlencoded", "urlencoded": fields});
    }
    request["url"] = url;
    request["description"] = Value::String(description.to_owned());
    let original = original_request(&request);
    let mut responses = Vec::new();
    for (example_name, body) in examples {
        let id = stable_id(&format!("{key}/response/{example_name}"));
        responses.push(response(&id, example_name, &original, 200, Some(body))?);
    }
    Ok(json!({
        "id": stable_id(&key),
        "name": name,
        "event": [{
            "listen": "test",
            "script": {"type": "text/javascript", "exec": TOKEN_SCRIPT},
        }],
        "request": request,
        "response": responses,
    }))
}

/// The `OAuth` folder: Generate / Refresh / Revoke.
pub fn oauth_folder(scopes: &[String]) -> Result<Value> {
    let token_path = ["oauth", "v2", "token"];
    let access = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210";
    let refresh = "1000.abcdef0123456789abcdef0123456789.0123456789abcdef0123456789abcdef";
    let api_domain = "https://www.zohoapis.com";
    let invalid_code = json!({"error": "invalid_code"});

    let generate = oauth_request(
        "Generate Access Token",
        "Exchanges the authorization code for an access token (grant type \
         `authorization_code`). The code comes from the browser consent step or a Self Client \
         and is valid for about 2 minutes, so exchange it straight away.\n\n\
         A `refresh_token` comes back only when `access_type=offline` was requested, normally \
         on first consent. Access tokens last one hour (`expires_in` = 3600). Zoho may answer \
         errors (e.g. `invalid_code`, `invalid_client`) with HTTP 200 and an `error` field.\n\n\
         The test script stores `access-token`, `refresh-token` (when present) and \
         `expiry-time` (epoch ms) in the environment. The `api_domain` in the answer is the \
         generic Zoho API host: keep `api-domain` set to the Cliq host.",
        Some(vec![
            form_field("grant_type", "authorization_code", "Fixed."),
            form_field(
                "client_id",
                "{{client-id}}",
                "Client ID from the API console.",
            ),
            form_field(
                "client_secret",
                "{{client-secret}}",
                "Client secret from the API console.",
            ),
            form_field(
                "redirect_uri",
                "{{redirect-uri}}",
                "Same redirect URI as in the consent step.",
            ),
            form_field(
                "code",
                "{{authorization-code}}",
                "The authorization code (short-lived).",
            ),
        ]),
        token_url(&token_path, Vec::new()),
        &[
            (
                "Success",
                json!({
                    "access_token": access,
                    "refresh_token": refresh,
                    "api_domain": api_domain,
                    "token_type": "Bearer",
                    "expires_in": 3600,
                }),
            ),
            ("Error: invalid_code", invalid_code.clone()),
        ],
    )?;

    let refresh_request = oauth_request(
        "Refresh Access Token",
        "Gets a new access token from the refresh token (grant type `refresh_token`). No new \
         refresh token comes back, so the stored one is kept.\n\n\
         Zoho Accounts allows at most 10 access-token requests per 10 minutes per refresh \
         token and 10 active access tokens per refresh token, so refresh only when \
         `expiry-time` has passed. The test script updates `access-token` and `expiry-time`.",
        Some(vec![
            form_field("grant_type", "refresh_token", "Fixed."),
            form_field(
                "client_id",
                "{{client-id}}",
                "Client ID from the API console.",
            ),
            form_field(
                "client_secret",
                "{{client-secret}}",
                "Client secret from the API console.",
            ),
            form_field(
                "refresh_token",
                "{{refresh-token}}",
                "Stored by Generate Access Token.",
            ),
        ]),
        token_url(&token_path, Vec::new()),
        &[
            (
                "Success",
                json!({
                    "access_token": access,
                    "api_domain": api_domain,
                    "token_type": "Bearer",
                    "expires_in": 3600,
                }),
            ),
            ("Error: invalid_code", invalid_code),
        ],
    )?;

    let revoke = oauth_request(
        "Revoke Refresh Token",
        "Revokes the stored refresh token (and so the access tokens made from it).",
        None,
        token_url(
            &["oauth", "v2", "token", "revoke"],
            vec![
                json!({"key": "token", "value": "{{refresh-token}}", "description": "The refresh token to revoke."}),
            ],
        ),
        &[],
    )?;

    Ok(json!({
        "id": stable_id("folder/OAuth"),
        "name": "OAuth",
        "description": format!(
            "Zoho Accounts OAuth 2.0 for both Cliq API versions (one server, same tokens).\n\n\
             1. Pick the environment of your data centre and fill in `client-id`, \
             `client-secret` and `redirect-uri` (from the API console).\n\
             2. In a browser, open `{{{{accounts-url}}}}/oauth/v2/auth` with `client_id`, \
             `response_type=code`, `redirect_uri`, `scope` (comma-separated) and \
             `access_type=offline`, and put the `code` from the redirect into \
             `authorization-code` (or use a Self Client).\n\
             3. Run **Generate Access Token**; later, **Refresh Access Token** once \
             `expiry-time` has passed.\n\n\
             Token and refresh calls must go to the Accounts host of the user's data centre \
             (the redirect's `accounts-server`). The scopes this collection uses: {}.",
            scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        ),
        "item": [generate, refresh_request, revoke],
        "auth": {"type": "noauth"},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_never_empty() {
        assert_eq!(path_placeholder("CHAT_ID"), "1234567890");
        assert_eq!(path_placeholder("EMAIL_ID"), "user@example.com");
        assert_eq!(path_placeholder("BOT_UNIQUE_NAME"), "samplebot");
        assert_eq!(path_placeholder("BOT_ID_OR_UNIQUE_NAME"), "1234567890");
        assert_eq!(
            path_placeholder("EXTENSION_PROPERTY_KEY_NAME"),
            "sample_key"
        );
        assert_eq!(query_placeholder("limit", "integer"), "20");
        assert_eq!(query_placeholder("joined", "boolean"), "true");
        assert_eq!(query_placeholder("chat_ids", "string"), "1234567890");
        assert_eq!(query_placeholder("next_token", "string"), "sample_token");
    }

    #[test]
    fn reads_the_documented_query() {
        let q = documented_query(Some("/maintenanceapi/v2/chats?fields=title,chat_id"));
        assert_eq!(q.get("fields").map(String::as_str), Some("title,chat_id"));
        assert!(documented_query(Some("/me")).is_empty());
        assert!(documented_query(None).is_empty());
    }
}
