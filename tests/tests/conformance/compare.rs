//! Comparing two recorded requests the way a server reads them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::dynamic::{self, Pattern, Templates, Window};
use super::recorder::Recorded;

/// Headers never compared, with the reason.
pub const IGNORED_HEADERS: &[(&str, &str)] = &[
    ("user-agent", "each client names itself"),
    ("postman-token", "a random id Newman adds to every request"),
    ("accept-encoding", "negotiated by each HTTP stack"),
    ("connection", "transport (keep-alive) of each HTTP stack"),
    ("host", "each side has its own recorder port"),
    ("content-length", "follows from the body, which is compared"),
    ("x-conformance-item", "the harness's marker on the Newman copy"),
];

/// Headers ignored only with these default values, with the reason.
pub const DEFAULT_HEADERS: &[(&str, &str, &str)] = &[
    ("accept", "*/*", "Newman adds `Accept: */*` unless the request sets one, and reqwest sends the same default; any other Accept value is compared"),
    ("cache-control", "no-cache", "Newman adds `Cache-Control: no-cache` to every request (Postman's \"send no-cache header\" setting), a hint for caches in between; any other value is compared"),
];

/// A request as a server reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Wire {
    pub method: String,
    /// Percent-decoded path.
    pub path: String,
    /// Query pairs in order, form-decoded; a key without `=` has the empty value, as servers
    /// (and `URLSearchParams`) read it: `?flag` and `?flag=` are the same parameter.
    pub query: Vec<(String, String)>,
    /// Compared headers: lower-case name → values.
    pub headers: BTreeMap<String, Vec<String>>,
    pub body: BodyView,
}

/// A body decoded by its content type.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyView {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart(Vec<Part>),
    Text(String),
    /// A body that is not UTF-8 (a binary file), compared byte for byte.
    Bytes(Vec<u8>),
}

/// One multipart part.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// A text part's value (a file part's is empty).
    pub body: String,
    /// A file part's bytes (a part with a `filename`), compared byte for byte.
    pub bytes: Option<Vec<u8>>,
}

/// Normalises `request`, writing the side's recorder origin as `{{recorder}}`.
pub fn wire(request: &Recorded, recorder: &str) -> Wire {
    let host = recorder.trim_start_matches("http://");
    let neutral = |s: String| s.replace(recorder, "{{recorder}}").replace(host, "{{recorder-host}}");
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in &request.headers {
        if IGNORED_HEADERS.iter().any(|(n, _)| n == name) {
            continue;
        }
        if DEFAULT_HEADERS.iter().any(|(n, v, _)| n == name && v == value) {
            continue;
        }
        let value = if name == "content-type" { content_type(value) } else { value.clone() };
        headers.entry(name.clone()).or_default().push(neutral(value));
    }
    let query = request
        .query
        .as_deref()
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (neutral(form_decode(k)), neutral(form_decode(v)))
                })
                .collect()
        })
        .unwrap_or_default();
    let body = body_view(request, &neutral);
    Wire { method: request.method.clone(), path: neutral(percent_decode(&request.path)), query, headers, body }
}

fn content_type(value: &str) -> String {
    // The multipart boundary is random per request.
    value
        .split(';')
        .map(str::trim)
        .filter(|p| !p.to_ascii_lowercase().starts_with("boundary="))
        .collect::<Vec<_>>()
        .join("; ")
}

fn body_view(request: &Recorded, neutral: &dyn Fn(String) -> String) -> BodyView {
    if request.body.is_empty() {
        return BodyView::None;
    }
    let ct = request.header("content-type").unwrap_or("").to_ascii_lowercase();
    let text = String::from_utf8_lossy(&request.body).into_owned();
    // A JSON document is compared as JSON whatever Content-Type it declares (the header is
    // compared on its own): whitespace and key order are not part of its meaning.
    if ct.contains("json") || matches!(text.trim_start().chars().next(), Some('{' | '[')) {
        if let Ok(value) = serde_json::from_str::<Value>(&neutral(text.clone())) {
            return BodyView::Json(value);
        }
    }
    if ct.starts_with("application/x-www-form-urlencoded") {
        return BodyView::Form(
            text.split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (neutral(form_decode(k)), neutral(form_decode(v)))
                })
                .collect(),
        );
    }
    if ct.starts_with("multipart/form-data") {
        if let Some(boundary) = request
            .header("content-type")
            .unwrap_or("")
            .split(';')
            .find_map(|p| p.trim().strip_prefix("boundary="))
        {
            return BodyView::Multipart(multipart(&request.body, boundary.trim_matches('"'), neutral));
        }
    }
    match String::from_utf8(request.body.clone()) {
        Ok(text) => BodyView::Text(neutral(text)),
        Err(_) => BodyView::Bytes(request.body.clone()),
    }
}

fn multipart(body: &[u8], boundary: &str, neutral: &dyn Fn(String) -> String) -> Vec<Part> {
    let delimiter = format!("--{boundary}");
    split_bytes(body, delimiter.as_bytes())
        .into_iter()
        .skip(1)
        .filter(|chunk| !chunk.starts_with(b"--"))
        .filter_map(|chunk| {
            let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
            let at = chunk.windows(4).position(|w| w == b"\r\n\r\n")?;
            let (head, body) = (String::from_utf8_lossy(&chunk[..at]), &chunk[at + 4..]);
            let body = body.strip_suffix(b"\r\n").unwrap_or(body);
            let mut part = Part { name: String::new(), file_name: None, content_type: None, body: String::new(), bytes: None };
            for line in head.lines() {
                let Some((name, value)) = line.split_once(':') else { continue };
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-disposition" => {
                        for param in value.split(';').map(str::trim) {
                            if let Some(v) = param.strip_prefix("name=") {
                                part.name = v.trim_matches('"').to_owned();
                            } else if let Some(v) = param.strip_prefix("filename=") {
                                part.file_name = Some(v.trim_matches('"').to_owned());
                            }
                        }
                    }
                    "content-type" => part.content_type = Some(value.trim().to_owned()),
                    _ => {}
                }
            }
            if part.file_name.is_some() {
                part.bytes = Some(body.to_vec());
            } else {
                part.body = neutral(String::from_utf8_lossy(body).into_owned());
            }
            Some(part)
        })
        .collect()
}

/// `bytes` cut at every `delimiter`.
fn split_bytes<'a>(bytes: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + delimiter.len() <= bytes.len() {
        if &bytes[i..i + delimiter.len()] == delimiter {
            out.push(&bytes[start..i]);
            i += delimiter.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&bytes[start..]);
    out
}

/// `+` is a space, then `%XX` escapes: how servers read query strings and form bodies.
pub fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}

/// `%XX` escapes decoded (invalid ones kept as written); invalid UTF-8 replaced.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Readable differences between Newman's request and the generated client's (empty: identical).
/// Where `templates` hold a dynamic variable, values are compared by shape ([`dynamic`]) within
/// the run's `window`; `by_shape` gets the parts compared so, with their variables.
pub fn differences(newman: &Wire, generated: &Wire, templates: &Templates, window: &Window, by_shape: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut shaped = |part: String, pattern: &Pattern| by_shape.push(format!("{part} ({})", pattern.names().join(", ")));
    if newman.method != generated.method {
        out.push(format!("method: Newman {} vs generated {}", newman.method, generated.method));
    }
    if newman.path != generated.path {
        match &templates.path {
            Some(p) if p.matches_pair(&newman.path, &generated.path, window) => shaped("path".into(), p),
            _ => out.push(format!("path: Newman `{}` vs generated `{}`", newman.path, generated.path)),
        }
    }
    if newman.query != generated.query {
        let mut shapes = Vec::new();
        let same = pairs_match(&newman.query, &generated.query, &templates.query, window, &mut shapes);
        if same {
            for (name, p) in shapes {
                shaped(format!("query `{name}`"), p);
            }
        } else {
            out.push(format!("query: Newman {} vs generated {}", show_query(&newman.query), show_query(&generated.query)));
        }
    }
    let names: std::collections::BTreeSet<&String> = newman.headers.keys().chain(generated.headers.keys()).collect();
    for name in names {
        let a = newman.headers.get(name);
        let b = generated.headers.get(name);
        if a == b {
            continue;
        }
        let by_template = match (a, b) {
            (Some(a), Some(b)) if a.len() == b.len() => a.iter().zip(b).enumerate().all(|(i, (x, y))| {
                x == y || Templates::nth(&templates.headers, name, i).is_some_and(|p| p.matches_pair(x, y, window))
            }),
            _ => false,
        };
        match Templates::nth(&templates.headers, name, 0) {
            Some(p) if by_template => shaped(format!("header `{name}`"), p),
            _ => out.push(format!("header `{name}`: Newman {} vs generated {}", show_values(a), show_values(b))),
        }
    }
    if newman.body != generated.body && !body_matches(&newman.body, &generated.body, templates, window, by_shape) {
        out.push(format!("body: Newman {} vs generated {}", show_body(&newman.body), show_body(&generated.body)));
    }
    out
}

/// Name/value pairs equal, or matching the template of their name by shape.
fn pairs_match<'t>(
    a: &[(String, String)],
    b: &[(String, String)],
    templates: &'t [(String, Pattern)],
    window: &Window,
    shapes: &mut Vec<(String, &'t Pattern)>,
) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for ((ka, va), (kb, vb)) in a.iter().zip(b) {
        if ka != kb {
            return false;
        }
        let nth = seen.entry(ka).or_default();
        let pattern = Templates::nth(templates, ka, *nth);
        *nth += 1;
        if va == vb {
            continue;
        }
        match pattern {
            Some(p) if p.matches_pair(va, vb, window) => shapes.push((ka.clone(), p)),
            _ => return false,
        }
    }
    true
}

/// Bodies that differ only in dynamic values of the right shape.
fn body_matches(a: &BodyView, b: &BodyView, templates: &Templates, window: &Window, by_shape: &mut Vec<String>) -> bool {
    let mut note = |part: &str, names: Vec<String>| by_shape.push(format!("{part} ({})", names.join(", ")));
    match (a, b) {
        (BodyView::Json(x), BodyView::Json(y)) => {
            let Some((template, names)) = &templates.json else { return false };
            let mut used = Vec::new();
            let ok = dynamic::json_matches(Some(template), names, x, y, window, &mut used);
            if ok {
                note("body", used);
            }
            ok
        }
        (BodyView::Text(x), BodyView::Text(y)) => {
            let ok = templates.text.as_ref().is_some_and(|p| p.matches_pair(x, y, window));
            if ok {
                note("body", templates.text.as_ref().map(|p| p.names().into_iter().map(str::to_owned).collect()).unwrap_or_default());
            }
            ok
        }
        (BodyView::Form(x), BodyView::Form(y)) => {
            let mut shapes = Vec::new();
            let ok = pairs_match(x, y, &templates.form, window, &mut shapes);
            for (name, p) in shapes.into_iter().filter(|_| ok) {
                note(&format!("form `{name}`"), p.names().into_iter().map(str::to_owned).collect());
            }
            ok
        }
        (BodyView::Multipart(x), BodyView::Multipart(y)) => {
            let fields = |parts: &[Part]| -> Vec<(String, String)> { parts.iter().map(|p| (p.name.clone(), p.body.clone())).collect() };
            // Everything but the text parts' values (compared by `pairs_match`).
            let heads = |parts: &[Part]| -> Vec<Part> { parts.iter().map(|p| Part { body: String::new(), ..p.clone() }).collect() };
            let mut shapes = Vec::new();
            let ok = heads(x) == heads(y) && pairs_match(&fields(x), &fields(y), &templates.form, window, &mut shapes);
            for (name, p) in shapes.into_iter().filter(|_| ok) {
                note(&format!("part `{name}`"), p.names().into_iter().map(str::to_owned).collect());
            }
            ok
        }
        _ => false,
    }
}

fn show_query(query: &[(String, String)]) -> String {
    if query.is_empty() {
        return "(none)".into();
    }
    let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("`{}`", pairs.join(" & "))
}

fn show_values(values: Option<&Vec<String>>) -> String {
    match values {
        None => "(absent)".into(),
        Some(v) => format!("`{}`", v.join("`, `")),
    }
}

fn show_body(body: &BodyView) -> String {
    let text = match body {
        BodyView::None => "(none)".to_owned(),
        BodyView::Json(v) => format!("JSON {v}"),
        BodyView::Form(pairs) => {
            format!("form `{}`", pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" & "))
        }
        BodyView::Multipart(parts) => format!("multipart {parts:?}"),
        BodyView::Text(t) => format!("text {t:?}"),
        BodyView::Bytes(b) => format!("{} bytes {:?}", b.len(), String::from_utf8_lossy(b)),
    };
    if text.chars().count() > 400 {
        let short: String = text.chars().take(400).collect();
        format!("{short}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(form_decode("a+b%2B"), "a b+");
    }
}
