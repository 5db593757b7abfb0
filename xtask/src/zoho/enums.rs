//! `zoho-cliq.overrides.toml`: the string `enum`s of Zoho's OpenAPI files (request body fields,
//! query parameters, response fields) as declared enums of the generated crate, and one field
//! override per place the crate has such a value.
//!
//! An override is written only where the collection's samples hold a string at that JSON path
//! (the generator warns on an override that matches no value, and a non-string sample would not
//! read into an enum). Identical value sets share one enum; a name taken by another value set
//! is qualified by meaning (parent object, module, request), never by a number
//! ([`name_candidates`]).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use serde_json::Value;

use super::openapi::Operation;

/// One enum-typed place: `(item path, JSON path)` → the documented values.
#[derive(Default)]
pub struct Collector {
    found: Vec<Found>,
    /// `(item path, JSON path)` the hand-written codegen.toml makes maps: their keys are data,
    /// so a path through them goes on with `[]`, not with the sample's key.
    maps: BTreeSet<(String, String)>,
    /// `(item path, JSON path)` of request body fields the OpenAPI file leaves optional but every
    /// sample holding their object has: without `required = false` they would be required.
    optional: BTreeSet<(String, String)>,
    /// Type names the crate gives path parameters (`CHAT_ID` → `ChatId`): enums must not take them.
    path_types: BTreeSet<String>,
}

struct Found {
    item: String,
    path: String,
    name: String,
    parent: String,
    values: Vec<String>,
    file: String,
}

impl Collector {
    pub fn new(maps: BTreeSet<(String, String)>) -> Self {
        Collector { maps, ..Default::default() }
    }

    /// Records the enum places of one request item, checked against the item's samples.
    pub fn collect(&mut self, item_path: &str, op: &Operation<'_>, item: &Value) {
        let mut places: Vec<(String, String, String, Vec<String>)> = Vec::new();
        if let Some(schema) = op.request_schema() {
            walk(op, schema, "body", "", "", &mut places, 0);
        }
        if let Some(schema) = op.response_schema(200) {
            walk(op, schema, "response", "", "", &mut places, 0);
        }
        for param in op.params().iter().filter(|p| p.location == "query") {
            if let Some(values) = param.schema.as_ref().and_then(string_enum) {
                places.push((format!("query.{}", param.name), param.name.clone(), String::new(), values));
            }
        }
        for variable in item["request"]["url"]["variable"].as_array().into_iter().flatten() {
            if let Some(key) = variable["key"].as_str() {
                self.path_types.insert(camel(key));
            }
        }
        let samples = Samples::of(item);
        if let Some(schema) = op.request_schema() {
            let mut optional = Vec::new();
            walk_optional(op, schema, "body", &mut optional, 0);
            for path in optional {
                let path = self.through_maps(item_path, &path);
                if samples.always_present(&path) {
                    self.optional.insert((item_path.to_owned(), path));
                }
            }
        }
        for (path, name, parent, values) in places {
            let path = self.through_maps(item_path, &path);
            if !samples.has_strings_at(&path) {
                continue;
            }
            if self.found.iter().any(|f| f.item == item_path && f.path == path) {
                continue;
            }
            self.found.push(Found {
                item: item_path.to_owned(),
                path,
                name,
                parent,
                values,
                file: op.file().to_owned(),
            });
        }
    }

    /// `path` with the key after each hand-written map replaced by `[]`.
    fn through_maps(&self, item_path: &str, path: &str) -> String {
        for (item, map) in &self.maps {
            if item != item_path {
                continue;
            }
            if let Some(rest) = path.strip_prefix(&format!("{map}.")) {
                let after = rest.find(['.', '[']).map_or("", |i| &rest[i..]);
                return self.through_maps(item_path, &format!("{map}[]{after}"));
            }
        }
        path.to_owned()
    }

    /// The file's text, the numbers of enums and enum overrides, and of optional-field overrides.
    pub fn render(&self) -> Result<(String, usize, usize, usize)> {
        // One enum per distinct value set (in the order first seen), named after its fields.
        let mut sets: Vec<(Vec<String>, Vec<&Found>)> = Vec::new();
        for found in &self.found {
            match sets.iter_mut().find(|(values, _)| same_set(values, &found.values)) {
                Some((_, users)) => users.push(found),
                None => sets.push((found.values.clone(), vec![found])),
            }
        }
        // The most used field name of each set; the set used most often keeps the bare name.
        let mut candidates: Vec<(usize, Vec<String>, usize)> = sets
            .iter()
            .enumerate()
            .map(|(index, (values, users))| (index, name_candidates(values, users), users.len()))
            .collect();
        candidates.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let mut names: BTreeMap<usize, String> = BTreeMap::new();
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        taken.extend(self.path_types.iter().cloned());
        for (index, options, _) in candidates {
            let name = options
                .iter()
                .find(|n| !taken.contains(*n))
                .with_context(|| format!("no free name for the enum of {}", options.join(", ")))?
                .clone();
            taken.insert(name.clone());
            names.insert(index, name);
        }

        let mut text = String::from(HEADER);
        for (index, (values, users)) in sets.iter().enumerate() {
            let files: BTreeSet<&str> = users.iter().map(|f| f.file.as_str()).collect();
            let fields: BTreeSet<String> = users.iter().map(|f| format!("`{}`", f.name)).collect();
            let docs = format!(
                "Values of {} that Zoho documents in {}.",
                fields.into_iter().collect::<Vec<_>>().join(", "),
                files.into_iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            );
            text.push_str(&format!("\n[enums.{}]\nvalues = [", names[&index]));
            text.push_str(&values.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", "));
            text.push_str(&format!("]\ndocs = {}\n", quote(&docs)));
        }
        // Per item and JSON path: the enum type, and whether the OpenAPI file leaves it optional.
        let mut by_item: BTreeMap<&str, BTreeMap<&str, (Option<&str>, bool)>> = BTreeMap::new();
        for (index, (_, users)) in sets.iter().enumerate() {
            for f in users {
                by_item.entry(&f.item).or_default().entry(&f.path).or_default().0 = Some(&names[&index]);
            }
        }
        for (item, path) in &self.optional {
            by_item.entry(item).or_default().entry(path).or_default().1 = true;
        }
        for (item, fields) in &by_item {
            text.push_str(&format!("\n[overrides.{}.fields]\n", quote(item)));
            for (path, (ty, optional)) in fields {
                let mut parts = Vec::new();
                if let Some(ty) = ty {
                    parts.push(format!("type = {}", quote(ty)));
                }
                if *optional {
                    parts.push("required = false".to_owned());
                }
                text.push_str(&format!("{} = {{ {} }}\n", quote(path), parts.join(", ")));
            }
        }
        Ok((text, sets.len(), self.found.len(), self.optional.len()))
    }
}

const HEADER: &str = "# Declared enums and field overrides for the `zoho-cliq` crate, from the string `enum`s of \
Zoho's\n# OpenAPI files. Written by `cargo xtask author-zoho`; do not edit by hand (hand-written overrides\n# go \
into codegen.toml, which loads this file through `overrides_files`).\n";

/// Names the generated crate (or the runtime) already uses at its root.
const RESERVED: &[&str] = &[
    "Client", "ClientBuilder", "ClientDefaults", "Environment", "Error", "FilePart", "OAuth", "Response",
    "TokenSet", "TokenStore",
];

/// The names an enum may take, best first: the field's name (`chat_type` → `ChatType`), then
/// qualified by meaning, never by a number: by the parent object (`action.type` →
/// `ActionType`), the module and parent (`V3 / Buttons` → `ButtonsActionType`), the module
/// alone, the version and module, and last the request (`ListStarredMessagesStarType`). A set of two
/// values that many differently named fields share (`enabled`/`disabled` for 57 settings) is
/// named after its values (`EnabledOrDisabled`), since no one field names it.
fn name_candidates(values: &[String], users: &[&Found]) -> Vec<String> {
    let mut counts: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for f in users {
        *counts.entry((f.name.as_str(), f.parent.as_str(), f.item.as_str())).or_default() += 1;
    }
    let distinct_names: BTreeSet<&str> = users.iter().map(|f| f.name.as_str()).collect();
    // The most used (field, parent) pair; ties go to the first in sort order.
    let mut by_field: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for ((name, parent, _), n) in &counts {
        *by_field.entry((name, parent)).or_default() += n;
    }
    let ((name, parent), _) =
        by_field.iter().max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k))).map(|(k, n)| (*k, *n)).unwrap_or((("value", ""), 0));
    let item = users
        .iter()
        .filter(|f| f.name == name && f.parent == parent)
        .map(|f| f.item.as_str())
        .min()
        .unwrap_or("");
    let segments: Vec<&str> = item.split(" / ").collect();
    let version = segments.first().map(|v| camel(v)).unwrap_or_default();
    let module = segments.get(1).map(|m| camel(m)).unwrap_or_default();
    let request = segments.last().map(|r| camel(r)).unwrap_or_default();
    let bare = camel(name);
    let parent = camel(parent);
    let with_parent = if parent.is_empty() || bare.starts_with(&parent) { bare.clone() } else { format!("{parent}{bare}") };
    let mut out = Vec::new();
    if values.len() == 2 && distinct_names.len() >= 3 {
        out.push(format!("{}Or{}", camel(&values[0]), camel(&values[1])));
    }
    out.extend([
        bare.clone(),
        with_parent.clone(),
        format!("{module}{with_parent}"),
        format!("{module}{bare}"),
        format!("{version}{module}{with_parent}"),
        format!("{request}{with_parent}"),
        format!("{version}{module}{request}{with_parent}"),
    ]);
    let mut seen = BTreeSet::new();
    out.retain(|n| !n.is_empty() && seen.insert(n.clone()));
    out
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let a: BTreeSet<&String> = a.iter().collect();
    let b: BTreeSet<&String> = b.iter().collect();
    a == b
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// `chat_type` → `ChatType`.
fn camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase())
                .unwrap_or_default()
        })
        .collect::<String>()
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .to_owned()
}

/// The values of a string `enum` (distinct, non-empty), if the schema has one.
fn string_enum(schema: &Value) -> Option<Vec<String>> {
    if schema.get("type").and_then(Value::as_str).is_some_and(|t| t != "string") {
        return None;
    }
    let values = schema.get("enum")?.as_array()?;
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let s = v.as_str()?;
        if s.is_empty() {
            return None;
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Collects `(JSON path, field name, parent name, values)` for every string enum in `schema`.
fn walk(
    op: &Operation<'_>,
    schema: &Value,
    path: &str,
    name: &str,
    parent: &str,
    out: &mut Vec<(String, String, String, Vec<String>)>,
    depth: usize,
) {
    if depth > 10 {
        return;
    }
    let schema = op.flatten(schema);
    if let Some(values) = string_enum(&schema) {
        if !name.is_empty() {
            out.push((path.to_owned(), name.to_owned(), parent.to_owned(), values));
        }
        return;
    }
    for key in ["oneOf", "anyOf"] {
        for option in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            walk(op, option, path, name, parent, out, depth + 1);
        }
    }
    for (key, child) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        walk(op, child, &format!("{path}.{}", path_key(key)), key, name, out, depth + 1);
    }
    if let Some(items) = schema.get("items") {
        walk(op, items, &format!("{path}[]"), name, parent, out, depth + 1);
    }
    if let Some(entries) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        walk(op, entries, &format!("{path}[]"), name, parent, out, depth + 1);
    }
}

/// Collects the JSON paths of the request body properties `schema` does not require, below
/// objects (a `oneOf`'s alternatives count as required: the samples hold one alternative each).
fn walk_optional(op: &Operation<'_>, schema: &Value, path: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 10 {
        return;
    }
    let schema = op.flatten(schema);
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return;
    }
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for (key, child) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let child_path = format!("{path}.{}", path_key(key));
        if !required.contains(&key.as_str()) {
            out.push(child_path.clone());
        }
        walk_optional(op, child, &child_path, out, depth + 1);
    }
    if let Some(items) = schema.get("items") {
        walk_optional(op, items, &format!("{path}[]"), out, depth + 1);
    }
    if let Some(entries) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        walk_optional(op, entries, &format!("{path}[]"), out, depth + 1);
    }
}

/// A key as a JSON path segment: `.key`, or `["key"]` for keys the README's syntax must quote.
fn path_key(key: &str) -> String {
    if key.chars().any(|c| matches!(c, '.' | '[' | ']' | '"' | '\\') || c.is_whitespace()) {
        format!("[{}]", serde_json::to_string(key).unwrap_or_default())
    } else {
        key.to_owned()
    }
}

/// The sample values of one request item, by root.
struct Samples {
    body: Vec<Value>,
    response: Vec<Value>,
    query: BTreeSet<String>,
}

impl Samples {
    fn of(item: &Value) -> Self {
        let parse = |request: &Value| {
            request["body"]["raw"].as_str().and_then(|raw| serde_json::from_str::<Value>(raw).ok())
        };
        let mut body: Vec<Value> = parse(&item["request"]).into_iter().collect();
        let mut response = Vec::new();
        for example in item["response"].as_array().into_iter().flatten() {
            body.extend(parse(&example["originalRequest"]));
            let code = example["code"].as_u64().unwrap_or(0);
            if (200..300).contains(&code) {
                if let Some(b) = example["body"].as_str().and_then(|b| serde_json::from_str::<Value>(b).ok()) {
                    response.push(b);
                }
            }
        }
        let query = item["request"]["url"]["query"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|q| q["key"].as_str().map(str::to_owned))
            .collect();
        Samples { body, response, query }
    }

    /// Whether some sample has a value at `path` and every value there is a string.
    fn has_strings_at(&self, path: &str) -> bool {
        if let Some(name) = path.strip_prefix("query.") {
            return self.query.contains(name);
        }
        let (root, rest) = path.split_once(['.', '[']).map(|(r, _)| (r, &path[r.len()..])).unwrap_or((path, ""));
        let samples = match root {
            "body" => &self.body,
            "response" => &self.response,
            _ => return false,
        };
        let mut values = Vec::new();
        for sample in samples {
            values_at(sample, &segments(rest), &mut values);
        }
        !values.is_empty() && values.iter().all(|v| v.is_string())
    }
}

impl Samples {
    /// Whether the body samples hold the object at `path`'s parent somewhere, and every such
    /// object has a non-`null` value at `path` (inference would make the field required).
    fn always_present(&self, path: &str) -> bool {
        let Some(rest) = path.strip_prefix("body") else {
            return false;
        };
        let mut segs = segments(rest);
        let Some(last) = segs.pop() else {
            return false;
        };
        if last == "[]" {
            return false;
        }
        let mut parents = Vec::new();
        for sample in &self.body {
            values_at(sample, &segs, &mut parents);
        }
        let objects: Vec<&serde_json::Map<String, Value>> = parents.iter().filter_map(|p| p.as_object()).collect();
        !objects.is_empty() && objects.iter().all(|o| o.get(&last).is_some_and(|v| !v.is_null()))
    }
}

/// `.a["b c"][]` → `["a", "b c", "[]"]`.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[]") {
            out.push("[]".to_owned());
            rest = r;
        } else if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]").unwrap_or(r.len());
            out.push(serde_json::from_str(&format!("\"{}\"", &r[..end])).unwrap_or_default());
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            out.push(r[..end].to_owned());
            rest = &r[end..];
        } else {
            break;
        }
    }
    out
}

fn values_at<'a>(value: &'a Value, path: &[String], out: &mut Vec<&'a Value>) {
    let Some((first, rest)) = path.split_first() else {
        if !value.is_null() {
            out.push(value);
        }
        return;
    };
    match (first.as_str(), value) {
        ("[]", Value::Array(items)) => items.iter().for_each(|v| values_at(v, rest, out)),
        ("[]", Value::Object(map)) => map.values().for_each(|v| values_at(v, rest, out)),
        (key, Value::Object(map)) => {
            if let Some(v) = map.get(key) {
                values_at(v, rest, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert_eq!(camel("chat_type"), "ChatType");
        assert_eq!(camel("Status"), "Status");
        assert_eq!(path_key("a b"), "[\"a b\"]");
        assert_eq!(segments(".a[][\"b c\"].d"), ["a", "[]", "b c", "d"]);
    }

    fn found(item: &str, name: &str, parent: &str) -> Found {
        Found { item: item.into(), path: String::new(), name: name.into(), parent: parent.into(), values: vec![], file: String::new() }
    }

    #[test]
    fn enum_names_are_qualified_by_meaning_never_numbered() {
        let values: Vec<String> = vec!["invoke.function".into(), "copy".into()];
        let f = found("V3 / Buttons / Instant buttons", "type", "action");
        let names = name_candidates(&values, &[&f]);
        assert_eq!(names[..3], ["Type", "ActionType", "ButtonsActionType"]);
        assert!(names.iter().all(|n| !n.ends_with(|c: char| c.is_ascii_digit())), "{names:?}");
        // Two values shared by many differently named fields: named after the values.
        let toggles = ["dark_mode", "sound", "last_seen"].map(|n| found("V3 / User Preferences / Update", n, ""));
        let on_off: Vec<String> = vec!["enabled".into(), "disabled".into()];
        assert_eq!(name_candidates(&on_off, &toggles.iter().collect::<Vec<_>>())[0], "EnabledOrDisabled");
    }
}
