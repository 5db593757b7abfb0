//! `exclusions.toml`: the requests allowed to differ, one entry per request and reason.

use std::cell::Cell;

/// Why a request may differ; nothing else is a reason.
pub const KINDS: &[(&str, &str)] = &[
    ("pre-request-script", "a pre-request script computes a value at run time"),
    ("dynamic-variable", "a `{{$guid}}`-style value Postman makes up per request"),
    ("signature", "a time-dependent signature (AWS v4, OAuth 1.0, Hawk, digest)"),
    ("file-body", "a multipart or binary body read from the tester's disk"),
    ("newman-cannot-send", "Newman itself cannot send the request"),
];

/// One entry.
#[derive(Debug)]
pub struct Exclusion {
    pub collection: String,
    pub request: String,
    pub kind: String,
    pub reason: String,
    pub used: Cell<bool>,
}

/// Reads `tests/tests/conformance/exclusions.toml`.
pub fn load() -> Vec<Exclusion> {
    let path = integration_tests::repo_root().join("tests/tests/conformance/exclusions.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let entries = value.get("exclude").and_then(toml::Value::as_array).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let field = |name: &str| -> String {
            entry
                .get(name)
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("{}: exclusion #{} has no `{name}`", path.display(), i + 1))
        };
        let exclusion = Exclusion {
            collection: field("collection"),
            request: field("request"),
            kind: field("kind"),
            reason: field("reason"),
            used: Cell::new(false),
        };
        assert!(
            KINDS.iter().any(|(k, _)| *k == exclusion.kind),
            "{}: exclusion #{} has kind `{}`; allowed: {}",
            path.display(),
            i + 1,
            exclusion.kind,
            KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
        );
        assert!(!exclusion.reason.trim().is_empty(), "{}: exclusion #{} needs a reason", path.display(), i + 1);
        out.push(exclusion);
    }
    out
}

/// The exclusion of a request (`request` is its Postman item path joined with ` / `).
pub fn find<'a>(exclusions: &'a [Exclusion], collection: &str, request: &str) -> Option<&'a Exclusion> {
    let found = exclusions.iter().find(|e| e.collection == collection && e.request == request)?;
    found.used.set(true);
    Some(found)
}
