//! Client-side variables with Postman `{{name}}` semantics, rendered at send time.

use std::collections::BTreeMap;
use std::fmt;

use super::dynamic::{self, DynamicSource};

/// How deep nested references (`{{a}}` whose value holds `{{b}}`) are followed.
const MAX_DEPTH: usize = 19;

/// What [`Debug`](fmt::Debug) prints instead of a secret.
pub const REDACTED: &str = "<redacted>";

/// One variable: its value and whether it is a credential.
#[derive(Clone, PartialEq, Eq)]
struct Value {
    value: String,
    secret: bool,
}

/// The client's variables (configuration such as `api-domain`, and secrets such as `access-token`).
///
/// `Debug` prints every secret value as `<redacted>`. Postman's dynamic variables
/// (`{{$guid}}`, …) render a fresh value at each occurrence unless a variable of that name is set.
#[derive(Clone, Default)]
pub struct Vars {
    map: BTreeMap<String, Value>,
    dynamic: DynamicSource,
}

/// Two sets of variables are equal when their names and values are: where dynamic values come
/// from is not part of them.
impl PartialEq for Vars {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl Eq for Vars {}

impl Vars {
    /// An empty set of variables.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `name`, if it is set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(|v| v.value.as_str())
    }

    /// Whether `name` is set and marked secret.
    pub fn is_secret(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| v.secret)
    }

    /// Set `name` to `value`; `secret` values are never printed by `Debug`.
    ///
    /// A variable once marked secret stays secret when it is overwritten.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>, secret: bool) {
        let name = name.into();
        let secret = secret || self.is_secret(&name);
        self.map.insert(
            name,
            Value {
                value: value.into(),
                secret,
            },
        );
    }

    /// Remove `name`; returns whether it was set.
    pub fn remove(&mut self, name: &str) -> bool {
        self.map.remove(name).is_some()
    }

    /// Make dynamic values (`{{$guid}}`, `{{$timestamp}}` …) from `entropy` (a fixed clock and
    /// seed in tests).
    pub fn set_entropy(&mut self, entropy: impl dynamic::Entropy + 'static) {
        self.dynamic = DynamicSource(std::sync::Arc::new(entropy));
    }

    /// The source of time and randomness for dynamic values and signatures.
    pub fn entropy(&self) -> std::sync::Arc<dyn dynamic::Entropy> {
        std::sync::Arc::clone(&self.dynamic.0)
    }

    /// The names of all variables, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

impl fmt::Debug for Vars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, v) in &self.map {
            if v.secret {
                map.entry(name, &REDACTED);
            } else {
                map.entry(name, &v.value);
            }
        }
        map.finish()
    }
}

/// Replace every `{{name}}` in `template` with the variable's value.
///
/// Nested references resolve up to a bounded depth, a variable that refers to itself (directly or
/// through others) is not expanded again, and unknown variables are left as `{{name}}`, like
/// Newman does.
pub fn render(template: &str, vars: &Vars) -> String {
    render_passes(template, vars).0
}

/// Like [`render`], but fails with the names of the variables that could not be resolved
/// (unknown, or part of a reference cycle), in order of appearance and without duplicates.
pub fn render_strict(template: &str, vars: &Vars) -> Result<String, Vec<String>> {
    let (out, missing) = render_passes(template, vars);
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// If `template` is exactly one reference `{{name}}`, the `name`.
pub fn single_var(template: &str) -> Option<&str> {
    let name = template.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    (!name.is_empty() && !name.contains(['{', '}'])).then_some(name)
}

/// How many times Postman renders a template at most (postman-collection's
/// `VARS_SUBREPLACE_LIMIT`).
const PASSES: usize = 19;

/// Render, and render the result again while a pass made a new reference (`{{hello_{{var}}}}`
/// becomes `{{hello_value}}`, then that variable's value), as Postman does. References left
/// from the pass before (unknown, or cyclic) are not expanded again, so cycles stay bounded.
/// The names still missing are those of the last pass.
fn render_passes(template: &str, vars: &Vars) -> (String, Vec<String>) {
    let mut text = String::with_capacity(template.len());
    let mut missing = Vec::new();
    render_into(template, vars, &mut Vec::new(), &mut text, &mut missing);
    for _ in 1..PASSES {
        if !has_new_reference(&text, &missing) {
            break;
        }
        let mut next = String::with_capacity(text.len());
        missing.clear();
        render_into(&text, vars, &mut Vec::new(), &mut next, &mut missing);
        text = next;
    }
    (text, missing)
}

/// Whether `text` holds a reference other than the `known` missing ones.
fn has_new_reference(text: &str, known: &[String]) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match reference(after) {
            Some(len) if !known.iter().any(|k| *k == after[..len]) => return true,
            Some(len) => rest = &after[len + 2..],
            None => rest = &rest[start + 1..],
        }
    }
    false
}

fn render_into<'a>(
    template: &str,
    vars: &'a Vars,
    stack: &mut Vec<&'a str>,
    out: &mut String,
    missing: &mut Vec<String>,
) {
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match reference(after) {
            Some(name_len) => {
                let name = &after[..name_len];
                resolve(name, vars, stack, out, missing);
                rest = &after[name_len + 2..];
            }
            None => {
                // Not a reference: keep one `{` and look again from the next character, so
                // that `{{{a}}` still finds `{{a}}`.
                out.push('{');
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
}

/// Length of the name when `after` (the text following `{{`) starts a `name}}` reference.
fn reference(after: &str) -> Option<usize> {
    let end = after.find(['{', '}'])?;
    (end > 0 && after[end..].starts_with("}}")).then_some(end)
}

fn resolve<'a>(
    name: &str,
    vars: &'a Vars,
    stack: &mut Vec<&'a str>,
    out: &mut String,
    missing: &mut Vec<String>,
) {
    let found = vars.map.get_key_value(name);
    match found {
        Some((key, value)) if stack.len() < MAX_DEPTH && !stack.contains(&key.as_str()) => {
            stack.push(key.as_str());
            render_into(&value.value, vars, stack, out, missing);
            stack.pop();
        }
        _ => {
            // Postman looks dynamic variables up after the user's: `$guid` set by the user wins.
            if found.is_none() && name.starts_with('$') {
                if let Some(value) = dynamic::value(name, &*vars.dynamic.0) {
                    out.push_str(&value);
                    return;
                }
            }
            out.push_str("{{");
            out.push_str(name);
            out.push_str("}}");
            if !missing.iter().any(|m| m == name) {
                missing.push(name.to_owned());
            }
        }
    }
}

/// Percent-encode one path segment value: RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) are kept, every other byte of the UTF-8 text becomes `%XX`.
pub fn encode_path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            push_percent(&mut out, b);
        }
    }
    out
}

/// A query struct as `(name, value)` pairs in its fields' order (a list repeats its name, `null`
/// fields are left out), for [`Client::with_query`](super::Client::with_query).
pub fn query_pairs<T: serde::Serialize + ?Sized>(query: &T) -> Vec<(String, String)> {
    // Only the serialization is generic: the rest is compiled once.
    json_pairs(serde_json::to_string(query))
}

/// The pairs of a query struct serialized as a JSON object.
fn json_pairs(json: serde_json::Result<String>) -> Vec<(String, String)> {
    let Ok(Fields(fields)) = json.and_then(|json| serde_json::from_str::<Fields>(&json)) else {
        return Vec::new();
    };
    let mut pairs = Vec::with_capacity(fields.len());
    for (name, value) in fields {
        let values = match value {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for value in values {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(s) => pairs.push((name.clone(), s)),
                other => pairs.push((name.clone(), other.to_string())),
            }
        }
    }
    pairs
}

/// Percent-encodes a query parameter's name (`key`) or value as Postman does
/// (postman-url-encoder's `encodeQueryParam`): only control characters, space, `"`, `#`, `&`,
/// `'`, `<`, `>`, non-ASCII bytes and, in names, `=` are encoded; `/`, `?`, `:`, `@`, `+` … are
/// sent as written, and so is an existing `%XX` escape.
pub fn encode_query_component(text: &str, key: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Postman looks for an escape only where two more bytes follow the `%`.
        if b == b'%' && i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() {
            out.push_str(&text[i..i + 3]);
            i += 3;
            continue;
        }
        let encode = !(0x20..0x7f).contains(&b) || matches!(b, b' ' | b'"' | b'#' | b'&' | b'\'' | b'<' | b'>') || (key && b == b'=');
        if encode {
            push_percent(&mut out, b);
        } else {
            out.push(char::from(b));
        }
        i += 1;
    }
    out
}

/// A form struct as `application/x-www-form-urlencoded` text (`name=Ann&city=Oslo`), encoded as
/// reqwest's `.form()` encodes it: for requests sent without the Content-Type reqwest would add.
/// Fields are written in their order; a list repeats its key; `null` fields are left out.
pub fn form_text<T: serde::Serialize + ?Sized>(form: &T) -> String {
    pairs_form_text(query_pairs(form))
}

/// `pairs` as urlencoded text (see [`form_text`]).
fn pairs_form_text(pairs: Vec<(String, String)>) -> String {
    fn encode(text: &str, out: &mut String) {
        for &b in text.as_bytes() {
            match b {
                b' ' => out.push('+'),
                b if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') => out.push(char::from(b)),
                b => push_percent(out, b),
            }
        }
    }
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        encode(&key, &mut out);
        out.push('=');
        encode(&value, &mut out);
    }
    out
}

/// `%XX` for one byte (upper-case hex, as Postman and reqwest write it).
fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 0x0f)]));
}

/// A JSON object's fields in their order.
struct Fields(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}
