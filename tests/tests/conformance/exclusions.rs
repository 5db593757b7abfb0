//! `exclusions.toml`: the requests allowed to differ from Newman, each named, with the reason.

use std::cell::Cell;

/// Why a request may differ; nothing else is a reason.
pub const KINDS: &[(&str, &str)] = &[
    (
        "script",
        "a script sets a value at run time (a pre-request script computes it, or a test script saves it from a response) \
         or steers the run; verified: without the collection's scripts, Newman sends what the generated client sends",
    ),
    ("newman-cannot-send", "Newman itself cannot send the request"),
];

/// One excluded request.
#[derive(Debug)]
pub struct Exclusion {
    pub collection: String,
    pub request: String,
    pub kind: String,
    pub reason: String,
    /// When not empty, only these parts may differ (`header:<name>`, `query`, `body`, `path`,
    /// `method`, `signature`: the generated side's signature does not verify); the rest of the
    /// request must still be identical.
    pub only: Vec<String>,
    pub used: Cell<bool>,
}

impl Exclusion {
    /// Whether a difference line (as `compare::differences` writes it) is covered.
    pub fn covers(&self, difference: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|part| difference.starts_with(&prefix(part)))
    }
}

fn prefix(part: &str) -> String {
    match part.strip_prefix("header:") {
        Some(name) => format!("header `{}`:", name.to_ascii_lowercase()),
        None => format!("{part}:"),
    }
}

/// Reads `tests/tests/conformance/exclusions.toml`: `[[exclude]]` tables with `collection`,
/// `kind`, `reason`, `requests` (item paths, folders and name joined with ` / `) and optionally
/// `only`.
pub fn load() -> Vec<Exclusion> {
    let path = integration_tests::repo_root().join("tests/tests/conformance/exclusions.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let entries = value.get("exclude").and_then(toml::Value::as_array).cloned().unwrap_or_default();
    let mut out: Vec<Exclusion> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("{}: [[exclude]] #{}", path.display(), i + 1);
        let field = |name: &str| -> String {
            entry
                .get(name)
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("{at} has no `{name}`"))
        };
        let list = |name: &str| -> Vec<String> {
            entry
                .get(name)
                .and_then(toml::Value::as_array)
                .map(|a| a.iter().map(|v| v.as_str().unwrap_or_else(|| panic!("{at}: `{name}` holds strings")).to_owned()).collect())
                .unwrap_or_default()
        };
        let (collection, kind, reason) = (field("collection"), field("kind"), field("reason"));
        assert!(
            KINDS.iter().any(|(k, _)| *k == kind),
            "{at} has kind `{kind}`; allowed: {}",
            KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
        );
        assert!(!reason.trim().is_empty(), "{at} needs a reason");
        let requests = list("requests");
        assert!(!requests.is_empty(), "{at} names no request (`requests = [...]`)");
        let only = list("only");
        for part in &only {
            let ok = ["query", "body", "path", "method", "signature"].contains(&part.as_str()) || part.starts_with("header:");
            assert!(ok, "{at}: `only` entries are header:<name>, query, body, path, method or signature, not `{part}`");
        }
        for request in requests {
            assert!(
                !out.iter().any(|e| e.collection == collection && e.request == request && e.kind == kind),
                "{at}: `{request}` is excluded twice for `{kind}`"
            );
            out.push(Exclusion {
                collection: collection.clone(),
                request,
                kind: kind.clone(),
                reason: reason.clone(),
                only: only.clone(),
                used: Cell::new(false),
            });
        }
    }
    out
}

/// The exclusions of a request (`request` is its Postman item path joined with ` / `), one per
/// reason.
pub fn find<'a>(exclusions: &'a [Exclusion], collection: &str, request: &str) -> Vec<&'a Exclusion> {
    let found: Vec<&Exclusion> = exclusions.iter().filter(|e| e.collection == collection && e.request == request).collect();
    for e in &found {
        e.used.set(true);
    }
    found
}

/// The differences none of `exclusions` covers.
pub fn uncovered<'d>(exclusions: &[&Exclusion], differences: &'d [String]) -> Vec<&'d String> {
    differences.iter().filter(|d| !exclusions.iter().any(|e| e.covers(d))).collect()
}

/// Whether any request of `collection` is excluded for a script.
pub fn has_script(exclusions: &[Exclusion], collection: &str) -> bool {
    exclusions.iter().any(|e| e.collection == collection && e.kind == "script")
}
