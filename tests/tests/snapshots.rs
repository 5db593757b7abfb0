//! `insta` snapshots of the code generated for small fixtures: any change to the generator's
//! output shows up as a reviewable diff. (The fixtures are also compiled by the corpus test.)

use integration_tests::repo_root;

fn generate_fixture(name: &str) -> postman_codegen::emit::Files {
    generate_with_warnings(name).files
}

/// With `tests/fixtures/<name>.postman_environment.json` and `<name>.codegen.toml` if present.
fn generate_with_warnings(name: &str) -> postman_codegen::Generated {
    let path = repo_root().join(format!("tests/fixtures/{name}.postman_collection.json"));
    integration_tests::fixture_generator(&path, name).generate_files().expect("fixture generates")
}

#[test]
fn petstore() {
    let files = generate_fixture("petstore");
    for (path, contents) in &files {
        if path.starts_with("src/runtime/") {
            continue;
        }
        insta::assert_snapshot!(format!("petstore__{}", path.replace('/', "__")), contents);
    }
}

#[test]
fn secrets_from_environments_never_reach_generated_files() {
    let files = generate_fixture("petstore");
    for (path, contents) in &files {
        assert!(!contents.contains("CANARY"), "{path} leaks a credential value");
    }
}

/// Signing auth (`tests/fixtures/signing-auth.postman_collection.json`, one request per kind):
/// `AuthSpec::Signed` with Postman's parameters, a feature and the signer file per kind used.
#[test]
fn signing_auth() {
    let files = generate_fixture("signing-auth");
    for path in ["Cargo.toml", "src/lib.rs"] {
        insta::assert_snapshot!(format!("signing_auth__{}", path.replace('/', "__")), files[path]);
    }
    // The kinds the fixture uses (every one but `asap`, whose canary key Newman could not sign
    // with in the conformance test): exactly their signers and features are in the crate.
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/signing-auth.postman_collection.json")).unwrap();
    let used: Vec<&str> = postman_codegen::signing::SIGNING_KINDS
        .iter()
        .map(|k| k.name)
        .filter(|name| text.contains(&format!("\"type\": \"{name}\"")))
        .collect();
    assert_eq!(used.len(), postman_codegen::signing::SIGNING_KINDS.len() - 1, "{used:?}");
    let signers: Vec<&str> = files.keys().filter(|p| p.starts_with("src/runtime/sign_")).map(String::as_str).collect();
    for kind in postman_codegen::signing::SIGNING_KINDS {
        let expected = used.contains(&kind.name) && postman_codegen::signing::has_signer(kind);
        let file = format!("src/runtime/sign_{}.rs", kind.name);
        assert_eq!(signers.contains(&file.as_str()), expected, "{file}");
        let feature = format!("\n\"{}\" = [", kind.name);
        assert_eq!(files["Cargo.toml"].contains(&feature), expected, "{feature}");
    }
    assert!(files["src/lib.rs"].contains("SignKind::AwsV4"));
}

/// The fixture's literal credentials (every auth parameter the secret rule calls a credential)
/// reach neither the generated files nor the warnings.
#[test]
fn signing_auth_literal_credentials_never_reach_the_crate() {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/signing-auth.postman_collection.json")).unwrap();
    let collection: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut literals = Vec::new();
    for item in collection["item"].as_array().unwrap() {
        let auth = &item["request"]["auth"];
        let kind = auth["type"].as_str().unwrap();
        for param in auth[kind].as_array().unwrap() {
            let (key, value) = (param["key"].as_str().unwrap(), &param["value"]);
            if let Some(value) = value.as_str().filter(|v| !v.is_empty() && postman_codegen::resolve::is_secret_auth_param(key)) {
                literals.push(value.to_owned());
            }
        }
    }
    assert!(literals.len() >= 20, "{literals:?}");
    let generated = generate_with_warnings("signing-auth");
    for (path, contents) in &generated.files {
        for literal in &literals {
            assert!(!contents.contains(literal.as_str()), "{path} holds the credential `{literal}`");
        }
    }
    for warning in &generated.warnings {
        for literal in &literals {
            assert!(!warning.contains(literal.as_str()), "a warning holds `{literal}`");
        }
    }
}

/// Overrides (`tests/fixtures/overrides.codegen.toml`): renamed types and fields, a declared
/// enum, a forced `f64`, required/optional by JSON path, a skipped request; plus an error body
/// type, typed GraphQL variables and a conflicting field. The round-trip test file is part of
/// the snapshot (the corpus test runs it).
#[test]
fn overrides() {
    let generated = generate_with_warnings("overrides");
    assert_eq!(
        generated.warnings,
        ["warning: Orders / Create order: field `response.meta.ref` has conflicting types (integer, string); typed as serde_json::Value"]
    );
    for (path, contents) in &generated.files {
        if path.starts_with("src/runtime/") || path == "src/ids.rs" || path == "src/postman_examples.rs" {
            continue;
        }
        insta::assert_snapshot!(format!("overrides__{}", path.replace('/', "__")), contents);
    }
    let orders = &generated.files["src/orders.rs"];
    assert!(!orders.contains("delete_order"), "skipped");
    assert!(orders.contains("pub struct Customer"), "{orders}");
    assert!(orders.contains("pub email: ::std::string::String"), "{orders}");
    assert!(orders.contains("pub status: crate::OrderStatus"), "{orders}");
    assert!(orders.contains("pub struct OrderSummary"), "{orders}");
    assert!(orders.contains("pub type ListOrdersError = ::std::vec::Vec<::std::string::String>;"), "{orders}");
    let lib = &generated.files["src/lib.rs"];
    assert!(lib.contains("pub enum OrderStatus") && lib.contains("Unknown(::std::string::String)"), "{lib}");
    assert!(lib.contains("pub variables: SearchVariables"), "{lib}");
    let tests = &generated.files["tests/examples_roundtrip.rs"];
    assert!(tests.contains(r#"&[&["customer", "email_id"]]"#), "the forced-required field is listed: {tests}");
}

#[test]
fn unknown_override_keys_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("codegen.toml");
    std::fs::write(
        &path,
        "[[crate]]\nname = \"x\"\ncollection = \"c.json\"\nout = \"o\"\n[crate.overrides.\"F / R\".fields.\"body.a\"]\nrequird = true\n",
    )
    .unwrap();
    let err = postman_codegen::config::read(&path).unwrap_err().to_string();
    assert!(err.contains(&path.display().to_string()) && err.contains("unknown field `requird`"), "{err}");
}

/// Pagination (`tests/fixtures/paging.postman_collection.json`): detected from a body cursor
/// (`meta.next_cursor`), a `Link: rel="next"` header and a `next` URL in the body; a change feed
/// (`sync_token`); a keyset override; and detection turned off by `pagination = false`.
#[test]
fn paging() {
    let generated = generate_with_warnings("paging");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    for (path, contents) in &generated.files {
        if path.starts_with("src/runtime/") || path == "src/paginate.rs" || path == "src/postman_examples.rs" {
            continue;
        }
        insta::assert_snapshot!(format!("paging__{}", path.replace('/', "__")), contents);
    }
    let files = &generated.files;
    let has = |file: &str, needle: &str| files[file].contains(needle);
    assert!(has("src/items.rs", "pub fn list_items_stream<'a>(") && has("src/items.rs", "Next::Body(&[\"meta\", \"next_cursor\"])"));
    assert!(has("src/items.rs", "pub fn list_changed_items_sync<'a>(") && !has("src/items.rs", "pub fn list_items_sync"));
    assert!(has("src/repos.rs", "pub fn list_repos_pages<'a>(") && has("src/repos.rs", "crate::paginate::Next::Link"));
    assert!(has("src/repos.rs", "pub fn list_stargazers_stream<'a>(") && has("src/repos.rs", "Next::Body(&[\"next\"])"));
    assert!(has("src/audit.rs", "pub fn list_entries_stream<'a>(") && has("src/audit.rs", "Next::LastItem"));
    assert!(!has("src/audit.rs", "list_logs_stream"), "pagination = false");
    assert!(has("src/audit.rs", "pub fn list_entries_sync<'a>(") && has("src/audit.rs", "Some(&[\"watermark\"])"));
    assert!(has("src/repos.rs", "pub fn list_forks_stream<'a>(") && has("src/repos.rs", "items: ::std::convert::identity"));
    assert!(has("Cargo.toml", "futures-util") && files.contains_key("src/paginate.rs"));
    assert!(has("src/lib.rs", "pub mod paginate;"));
    // A crate without paginated requests gets neither the file nor the dependency.
    let petstore = generate_fixture("petstore");
    assert!(!petstore["Cargo.toml"].contains("futures") && !petstore.contains_key("src/paginate.rs"));
}

#[test]
fn bad_pagination_overrides_are_one_line_errors_naming_the_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("codegen.toml");
    let base = "[[crate]]\nname = \"x\"\ncollection = \"c.json\"\nout = \"o\"\n[crate.overrides.\"F / R\"]\n";
    for (entry, needle) in [
        ("pagination = { cursor = \"next_token\", next = \"response.next\" }", "overrides.\"F / R\": pagination: `cursor = \"next_token\"` must name one query parameter: `query.<name>`"),
        ("pagination = { cursor = \"query.a\", next = \"response.data[]\" }", "must be a field (`response.next_token`) or one field of the last item"),
        ("pagination = { cursor = \"query.a\", next = \"response.n\", page = 1 }", "unknown field `page`"),
        ("pagination = true", "use `false` or a table"),
    ] {
        std::fs::write(&path, format!("{base}{entry}\n")).unwrap();
        let err = postman_codegen::config::read(&path).unwrap_err().to_string();
        assert!(err.contains(needle) && !err.contains('\n'), "{entry}: {err}");
    }
}

/// A feature per module below a top-level module without requests of its own (`api-chats`),
/// turned on by the top-level feature; a top-level module with requests of its own, or whose
/// sub-module features would clash with another top-level feature, stays one feature.
#[test]
fn module_features() {
    fn get(name: &str, path: &str) -> serde_json::Value {
        serde_json::json!({ "name": name, "request": { "method": "GET", "url": format!("https://x.test/{path}") } })
    }
    fn folder(name: &str, items: Vec<serde_json::Value>) -> serde_json::Value {
        serde_json::json!({ "name": name, "item": items })
    }
    let collection = serde_json::json!({
        "info": { "name": "features", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "item": [
            folder("Api", vec![folder("Chats", vec![get("List chats", "chats")]), folder("DND Settings", vec![get("Get DND", "dnd")])]),
            folder("Mixed", vec![get("Own", "own"), folder("Sub", vec![get("In sub", "sub")])]),
            folder("V3", vec![folder("Chats", vec![get("List v3 chats", "v3/chats")])]),
            folder("V3 Chats", vec![get("Clash", "clash")]),
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("features.postman_collection.json");
    std::fs::write(&path, serde_json::to_vec(&collection).unwrap()).unwrap();
    let files = postman_codegen::Generator::new().collection(&path).crate_name("features").generate_files().unwrap().files;
    let cargo = &files["Cargo.toml"];
    let features = &cargo[cargo.find("[features]").unwrap()..cargo.find("[dependencies]").unwrap()];
    assert_eq!(
        features.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n"),
        r#"[features]
default = ["api", "mixed", "v3", "v3-chats"]
"postman-examples" = ["roundtrip"]
"roundtrip" = []
"api" = [
    "api-chats",
    "api-dnd-settings",
]
"api-chats" = []
"api-dnd-settings" = []
"mixed" = []
"v3" = []
"v3-chats" = []
"#
    );
    let lib = &files["src/lib.rs"];
    assert!(lib.contains("#[cfg(any(feature = \"api-chats\", feature = \"api-dnd-settings\"))]\n/// Api\npub mod api;"), "{lib}");
    assert!(lib.contains("#[cfg(feature = \"mixed\")]\n/// Mixed\npub mod mixed;"), "{lib}");
    let api = &files["src/api/mod.rs"];
    assert!(api.contains("#[cfg(feature = \"api-dnd-settings\")]\n/// DND Settings\npub mod dnd_settings;"), "{api}");
    assert!(!files["src/mixed/mod.rs"].contains("cfg("), "the top-level feature gates it whole");
    let examples = &files["src/postman_examples.rs"];
    assert!(examples.contains("#[cfg(feature = \"api-chats\")]"), "{examples}");
    assert!(examples.contains("#[cfg(feature = \"mixed\")]"), "{examples}");
}
