//! Stage 1: read Postman files into the serde model, with precise errors.

mod lenient;
pub mod model;

use std::path::Path;

pub use model::{Collection, Environment};

use crate::error::{Error, Result};

/// Which collection format version a file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// v2.0.0 (including the pre-release `.../collection/v2/collection.json`).
    V2_0,
    /// v2.1.0.
    V2_1,
    /// No schema given, but the file has the v2 layout (`item`).
    Unspecified,
}

/// Reads and checks a collection file.
pub fn read_collection(path: &Path) -> Result<(Collection, Version)> {
    let bytes = read(path)?;
    parse_collection(&bytes, path)
}

/// Parses collection bytes; `path` is only used in messages.
pub fn parse_collection(bytes: &[u8], path: &Path) -> Result<(Collection, Version)> {
    let bytes = strip_bom(bytes);
    let mut collection: Collection = from_slice(bytes, path, "collection")?;
    if collection.item.is_none() && collection.info.is_none() {
        if let Some(inner) = collection.collection.take() {
            collection = *inner;
        }
    }
    let version = check_version(&collection, path)?;
    Ok((collection, version))
}

/// Reads an environment or globals file.
pub fn read_environment(path: &Path) -> Result<Environment> {
    let bytes = read(path)?;
    parse_environment(&bytes, path)
}

/// Parses environment bytes; `path` is only used in messages.
pub fn parse_environment(bytes: &[u8], path: &Path) -> Result<Environment> {
    let mut env: Environment = from_slice(strip_bom(bytes), path, "environment")?;
    if env.values.is_empty() {
        if let Some(inner) = env.environment.take() {
            env = *inner;
        }
    }
    Ok(env)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io { path: path.to_owned(), source })
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn from_slice<'a, T: serde::Deserialize<'a>>(
    bytes: &'a [u8],
    path: &Path,
    what: &'static str,
) -> Result<T> {
    // Tracking the JSON path costs an allocation per object key: parse without it, and again
    // with it only to describe an error (the same `Deserialize`, so the same outcome).
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => {
            de.end().map_err(|err| json_error(path, &err))?;
            Ok(value)
        }
        Err(err) => {
            let json_path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(json_error(path, &inner));
            }
            Err(Error::Structure {
                path: path.to_owned(),
                what,
                item: item_path_of(bytes, &json_path),
                json_path: printable(&json_path, MAX_QUOTED),
                message: printable(&redact_strings(&strip_position(&inner.to_string())), MAX_MESSAGE),
            })
        }
    }
}

fn json_error(path: &Path, err: &serde_json::Error) -> Error {
    Error::Json {
        path: path.to_owned(),
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
    }
}

/// serde_json appends " at line L column C"; we print the position our own way.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// How much of a name or path taken from the file an error message quotes.
pub(crate) const MAX_QUOTED: usize = 120;
/// How long serde's own description may get.
const MAX_MESSAGE: usize = 400;

/// Makes text from the file safe to quote in a one-line message: control characters, line
/// separators and bidirectional-text controls (which can make a terminal show something other
/// than what is there) are escaped, and long text is cut.
pub(crate) fn printable(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        if crate::docs::is_invisible(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// serde quotes the offending string (`invalid type: string "…", expected …`). The string can be
/// a credential written in the wrong place (`"auth": "Bearer …"`), so messages never repeat it.
fn redact_strings(message: &str) -> String {
    const QUOTE: &str = "string \"";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(QUOTE) {
        out.push_str(&rest[..start + "string".len()]);
        // serde writes the string with `{:?}`: it ends at the first unescaped quote.
        let mut chars = rest[start + QUOTE.len()..].char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    end = Some(start + QUOTE.len() + i + 1);
                    break;
                }
                _ => {}
            }
        }
        match end {
            Some(end) => rest = &rest[end..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Turns a JSON path like `item[1].item[0].request` into ` (in Folder / Request)` by reading the
/// names along it. Only runs on the error path, so re-reading the file is fine.
fn item_path_of(bytes: &[u8], json_path: &str) -> String {
    let Ok(root) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return String::new();
    };
    let mut node = &root;
    let mut names = Vec::new();
    for part in json_path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Some(next) = node.get(key) else { break };
        node = next;
        if let Some(i) = index {
            let Some(next) = node.get(i) else { break };
            node = next;
            if key == "item" {
                let name = node.get("name").and_then(|n| n.as_str()).unwrap_or("(unnamed)");
                names.push(printable(name, MAX_QUOTED));
            }
        }
    }
    if names.is_empty() {
        String::new()
    } else {
        format!(" (in {})", names.join(" / "))
    }
}

fn check_version(collection: &Collection, path: &Path) -> Result<Version> {
    let unsupported = |detail: String| Error::Unsupported { path: path.to_owned(), detail };
    let schema = collection
        .info
        .as_ref()
        .and_then(|info| info.schema.clone().or_else(|| info.postman_schema.clone()));
    if collection.item.is_none() {
        if collection.requests.is_some() || collection.order.is_some() {
            return Err(unsupported(
                "this is a Postman collection v1 file (top-level `requests`/`order`, no `item`)"
                    .to_owned(),
            ));
        }
        if collection.items.is_some() {
            return Err(unsupported(
                "the items sit under `items`, but Postman v2 collections keep them under `item`"
                    .to_owned(),
            ));
        }
        if collection.values.is_some() {
            return Err(unsupported(
                "this is a Postman environment file (it has `values`), not a collection; pass it with --env"
                    .to_owned(),
            ));
        }
        if collection.info.is_none() {
            return Err(unsupported(
                "no `info` and no `item`: this is not a Postman v2 collection".to_owned(),
            ));
        }
    }
    let Some(schema) = schema else { return Ok(Version::Unspecified) };
    let lower = schema.to_ascii_lowercase();
    if lower.contains("v2.1") || lower.contains("2.1.0") {
        Ok(Version::V2_1)
    } else if lower.contains("v2.0")
        || lower.contains("#2.0")
        || lower.contains("/collection/v2/")
    {
        Ok(Version::V2_0)
    } else {
        Err(unsupported(format!("schema `{}`", printable(&schema, MAX_QUOTED))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Collection, Version)> {
        parse_collection(text.as_bytes(), Path::new("c.json"))
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let err = parse("{\n  \"info\": {,\n}").unwrap_err().to_string();
        assert!(err.starts_with("c.json: invalid JSON at line 2, column 12"), "{err}");
    }

    #[test]
    fn structure_error_names_json_path_and_item_path() {
        let text = r#"{"info":{"schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item":[{"name":"Users","item":[{"name":"Create","request":{"url":{"path":5}}}]}]}"#;
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("JSON path `item[0].item[0].request.url.path`"), "{err}");
        assert!(err.contains("(in Users / Create)"), "{err}");
    }

    #[test]
    fn versions() {
        let v = |schema: &str| {
            parse(&format!(r#"{{"info":{{"schema":"{schema}"}},"item":[]}}"#)).map(|(_, v)| v)
        };
        assert_eq!(
            v("https://schema.getpostman.com/json/collection/v2.1.0/collection.json").unwrap(),
            Version::V2_1
        );
        assert_eq!(
            v("https://schema.getpostman.com/json/collection/v2.0.0/collection.json").unwrap(),
            Version::V2_0
        );
        assert_eq!(
            v("https://schema.getpostman.com/json/collection/v2/collection.json").unwrap(),
            Version::V2_0
        );
        let err = v("https://schema.getpostman.com/json/collection/v1.0.0/collection.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unsupported collection format: schema `https://"), "{err}");
    }

    #[test]
    fn v1_and_items_are_rejected_clearly() {
        let err = parse(r#"{"id":"x","name":"n","order":[],"requests":[]}"#).unwrap_err();
        assert!(err.to_string().contains("collection v1"), "{err}");
        let err = parse(r#"{"info":{"name":"n"},"items":[]}"#).unwrap_err();
        assert!(err.to_string().contains("under `items`"), "{err}");
    }

    #[test]
    fn messages_are_one_line_whatever_the_file_holds() {
        let err = parse("{\"info\":{\"schema\":\"x\\ny\\u202e\"},\"item\":[]}").unwrap_err().to_string();
        assert!(err.contains("schema `x\\ny\\u{202e}`"), "{err}");
        let text = r#"{"info":{"name":"n"},"item":[{"name":"a\nb\r\u202e","item":[{"name":"c","request":{"url":{"path":5}}}]}]}"#;
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("(in a\\nb\\r\\u{202e} / c)"), "{err}");
        let long = "x".repeat(10_000);
        let err = parse(&format!(r#"{{"info":{{"schema":"{long}"}},"item":[]}}"#)).unwrap_err().to_string();
        assert!(err.len() < 1_000 && err.contains("xxx…`"), "{err}");
        assert!(!err.contains('\n'));
    }

    #[test]
    fn structural_errors_never_repeat_the_offending_string() {
        let text = r#"{"info":{"name":"n"},"item":[{"name":"r","request":{"url":"http://x","auth":"Bearer SECRET-\"quoted\"-VALUE"}}]}"#;
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("JSON path `item[0].request.auth`"), "{err}");
        assert!(err.contains("invalid type: string, expected struct Auth"), "{err}");
        assert!(!err.contains("SECRET") && !err.contains("VALUE"), "{err}");
        assert_eq!(redact_strings(r#"a string "x\"y" b string "z" c"#), "a string b string c");
        assert_eq!(redact_strings("string \"unterminated"), "string");
    }

    #[test]
    fn bom_and_lenient_scalars() {
        let text = "\u{feff}{\"info\":{\"name\":\"n\"},\"item\":[{\"name\":1,\"request\":\"http://x\"}],\
                    \"variable\":[{\"key\":\"a\",\"value\":3,\"disabled\":\"true\"}]}";
        let (c, v) = parse(text).unwrap();
        assert_eq!(v, Version::Unspecified);
        let item = &c.item.as_ref().unwrap()[0];
        assert_eq!(item.name.as_deref(), Some("1"));
        assert!(matches!(item.request, Some(model::Request::Url(_))));
        assert_eq!(c.variable[0].value.as_deref(), Some("3"));
        assert!(c.variable[0].disabled);
    }
}
