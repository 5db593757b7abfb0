//! Comparing two recorded requests the way a server reads them.

use std::collections::BTreeMap;

use serde_json::Value;

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
}

/// One multipart part.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
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
            return BodyView::Multipart(multipart(&text, boundary.trim_matches('"'), neutral));
        }
    }
    BodyView::Text(neutral(text))
}

fn multipart(text: &str, boundary: &str, neutral: &dyn Fn(String) -> String) -> Vec<Part> {
    let delimiter = format!("--{boundary}");
    text.split(&delimiter)
        .skip(1)
        .filter(|chunk| !chunk.starts_with("--"))
        .filter_map(|chunk| {
            let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
            let (head, body) = chunk.split_once("\r\n\r\n")?;
            let body = body.strip_suffix("\r\n").unwrap_or(body);
            let mut part = Part { name: String::new(), file_name: None, content_type: None, body: neutral(body.to_owned()) };
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
            Some(part)
        })
        .collect()
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
pub fn differences(newman: &Wire, generated: &Wire) -> Vec<String> {
    let mut out = Vec::new();
    if newman.method != generated.method {
        out.push(format!("method: Newman {} vs generated {}", newman.method, generated.method));
    }
    if newman.path != generated.path {
        out.push(format!("path: Newman `{}` vs generated `{}`", newman.path, generated.path));
    }
    if newman.query != generated.query {
        out.push(format!("query: Newman {} vs generated {}", show_query(&newman.query), show_query(&generated.query)));
    }
    let names: std::collections::BTreeSet<&String> = newman.headers.keys().chain(generated.headers.keys()).collect();
    for name in names {
        let a = newman.headers.get(name);
        let b = generated.headers.get(name);
        if a != b {
            out.push(format!("header `{name}`: Newman {} vs generated {}", show_values(a), show_values(b)));
        }
    }
    if newman.body != generated.body {
        out.push(format!("body: Newman {} vs generated {}", show_body(&newman.body), show_body(&generated.body)));
    }
    out
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
