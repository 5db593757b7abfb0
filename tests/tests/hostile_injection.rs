//! No injection (issue 8): names, descriptions, query keys, header names and values, JSON body
//! keys and example bodies that contain `*/`, `"#`, U+202E, `}` `{`, `#[`, backticks, newlines,
//! `r#"`, text that looks like Rust, Rust keywords, emoji, empty and duplicate names cannot change
//! the structure of the generated code.
//!
//! The fixture `tests/fixtures/hostile.postman_collection.json` (with its environment) is made of
//! such text. It generates; the corpus test (`corpus.rs`) compiles it with clippy like every
//! fixture; and here its items are exactly the expected ones: `surface.txt` word for word, and
//! the items of every generated Rust file, read back with `syn`.

use std::collections::BTreeMap;

use integration_tests::repo_root;
use postman_codegen::emit::Files;
use postman_codegen::Generator;
use syn::{ImplItem, Item, Stmt, UseTree};

const BIDI: &[char] = &['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];

fn generate_fixture() -> Files {
    let dir = repo_root().join("tests/fixtures");
    let generated = Generator::new()
        .collection(dir.join("hostile.postman_collection.json"))
        .environment(dir.join("hostile.postman_environment.json"))
        .crate_name("hostile")
        .generate_files()
        .expect("the hostile fixture generates");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    generated.files
}

const EXPECTED_SURFACE: &str = "\
cfg_any\tDELETE\t/users/{user*/id}/{Self}/{Some}\tpub async fn cfg_any(client: &Client, user_id: &UserId, self_: &Self_, some: &Some_) -> Result<Response, Error>\n\
crate_::super_\tGET\t/kw/super\tpub async fn super_(client: &Client) -> Result<Response, Error>\n\
dup::dup\tGET\t/dup/1\tpub async fn dup(client: &Client) -> Result<Response, Error>\n\
dup::dup_2\tGET\t/dup/2\tpub async fn dup_2(client: &Client) -> Result<Response, Error>\n\
dup_2::dup\tGET\t/dup/3\tpub async fn dup(client: &Client) -> Result<Response, Error>\n\
emoji::u1f600\tGET\t/emoji\tpub async fn u1f600(client: &Client) -> Result<Response, Error>\n\
fn_::self_\tGET\t/kw/self\tpub async fn self_(client: &Client) -> Result<Response, Error>\n\
fn_::self_2\tGET\t/kw/self2\tpub async fn self_2(client: &Client) -> Result<Response, Error>\n\
forms\tPOST\t/forms\tpub async fn forms(client: &Client, body: &FormsForm) -> Result<Response, Error>\n\
mod_evil_fn_injected::backtick_r\tPOST\t/a\tpub async fn backtick_r(client: &Client, body: &BacktickRBody) -> Result<BacktickRResponse, Error>\n\
mod_evil_fn_injected::fn_main\tGET\t/a\tpub async fn fn_main(client: &Client, query: &FnMainQuery) -> Result<Response, Error>\n\
mod_x::u202e::unnamed\tGET\t/empty/one\tpub async fn unnamed(client: &Client) -> Result<Response, Error>\n\
mod_x::u202e::unnamed_2\tGET\t/empty/two\tpub async fn unnamed_2(client: &Client) -> Result<Response, Error>\n\
multipart\tPOST\t/multipart\tpub async fn multipart(client: &Client, body: &MultipartForm) -> Result<Response, Error>\n\
std::result\tGET\t/std/result\tpub async fn result(client: &Client) -> Result<Response, Error>\n\
text_body\tPUT\t/text\tpub async fn text_body(client: &Client, body: &str) -> Result<String, Error>\n\
type_::async_\tGET\t/kw/async\tpub async fn async_(client: &Client) -> Result<Response, Error>\n\
type_::r_try\tGET\t/kw/try\tpub async fn r_try(client: &Client) -> Result<Response, Error>\n";

#[test]
fn surface_is_exactly_the_expected_one() {
    let files = generate_fixture();
    let surface = &files["surface.txt"];
    assert_eq!(surface, EXPECTED_SURFACE, "actual surface.txt:\n{surface}");
}

/// The items of every generated Rust file (the runtime, copied verbatim, aside). Nothing the
/// fixture's text tries to declare (`fn injected`, `mod evil`, `mod x`, `fn main`) is among them.
/// When the generator's output changes on purpose, the failure message prints the new listing.
const EXPECTED_ITEMS: &[(&str, &[&str])] = &[
    ("src/auth.rs", &[
        "const COLLECTION",
    ]),
    ("src/crate_.rs", &[
        "fn super_ { static ENDPOINT }",
    ]),
    ("src/dup.rs", &[
        "fn dup { static ENDPOINT }",
        "fn dup_2 { static ENDPOINT }",
    ]),
    ("src/dup_2.rs", &[
        "fn dup { static ENDPOINT }",
    ]),
    ("src/emoji.rs", &[
        "fn u1f600 { static ENDPOINT }",
    ]),
    ("src/fn_.rs", &[
        "fn self_ { static ENDPOINT }",
        "fn self_2 { static ENDPOINT }",
    ]),
    ("src/ids.rs", &[
        "type Self_",
        "type Some_",
        "type UserId",
        "mod kinds { enum Self_; impl crate::runtime::PathParamKind for Self_ { const NAME }; enum Some_; impl crate::runtime::PathParamKind for Some_ { const NAME }; enum UserId; impl crate::runtime::PathParamKind for UserId { const NAME } }",
    ]),
    ("src/lib.rs", &[
        "mod runtime",
        "mod ids",
        "mod auth",
        "mod postman_examples",
        "use ids::*",
        "use runtime::{Client, ClientBuilder, ClientDefaults, Error, FilePart, OAuth, Response, TokenSet, TokenStore, UnknownEnvironment}",
        "enum Environment",
        "impl Environment { const ALL; const SHORT_NAMES; fn name; fn short_name }",
        "impl std::str::FromStr for Environment { type Err; fn from_str }",
        "impl std::fmt::Display for Environment { fn fmt }",
        "impl runtime::ClientDefaults for Environment { fn defaults }",
        "mod mod_evil_fn_injected",
        "mod mod_x",
        "mod dup",
        "mod dup_2",
        "mod emoji",
        "mod fn_",
        "mod crate_",
        "mod type_",
        "mod std",
        "fn cfg_any { static ENDPOINT }",
        "fn forms { static ENDPOINT }",
        "fn multipart { static ENDPOINT }",
        "fn text_body { static ENDPOINT }",
        "struct FormsForm",
        "struct MultipartForm",
        "impl MultipartForm { fn to_form }",
    ]),
    ("src/mod_evil_fn_injected.rs", &[
        "fn fn_main { static ENDPOINT }",
        "fn backtick_r { static ENDPOINT }",
        "struct FnMainQuery",
        "struct BacktickRBody",
        "struct BacktickRBodyU7d7b",
        "struct BacktickRBodyU7d7bU235bItem",
        "struct BacktickRResponse",
        "struct BacktickRResponseU7d",
    ]),
    ("src/mod_x/mod.rs", &[
        "mod u202e",
    ]),
    ("src/mod_x/u202e.rs", &[
        "fn unnamed { static ENDPOINT }",
        "fn unnamed_2 { static ENDPOINT }",
    ]),
    // The `postman-examples` feature: one example call per request, named after its Rust path.
    ("src/postman_examples.rs", &[
        "const SKIPPED",
        "fn example_value",
        "fn example_file",
        "fn mod_evil_fn_injected_fn_main",
        "fn mod_evil_fn_injected_backtick_r",
        "fn mod_x_u202e_unnamed",
        "fn mod_x_u202e_unnamed_2",
        "fn dup_dup",
        "fn dup_dup_2",
        "fn dup_2_dup",
        "fn emoji_u1f600",
        "fn fn_self",
        "fn fn_self_2",
        "fn crate_super",
        "fn type_async",
        "fn type_r_try",
        "fn std_result",
        "fn cfg_any",
        "fn forms",
        "fn multipart",
        "fn text_body",
        "fn run_all",
    ]),
    ("src/std.rs", &[
        "fn result { static ENDPOINT }",
    ]),
    ("src/type_.rs", &[
        "fn async_ { static ENDPOINT }",
        "fn r_try { static ENDPOINT }",
    ]),
    ("tests/examples_roundtrip.rs", &[
        "use serde_json::Value",
        "fn normalize",
        "fn remove",
        "fn difference",
        "fn check",
        "fn mod_evil_fn_injected",
    ]),
];

#[test]
fn every_generated_rust_file_has_exactly_the_expected_items() {
    let files = generate_fixture();
    let actual: BTreeMap<&str, Vec<String>> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime/"))
        .map(|(path, contents)| {
            let file = syn::parse_file(contents).unwrap_or_else(|e| panic!("{path} is not valid Rust: {e}"));
            (path.as_str(), items(&file.items))
        })
        .collect();
    let expected: BTreeMap<&str, Vec<String>> =
        EXPECTED_ITEMS.iter().map(|(path, items)| (*path, items.iter().map(|s| s.to_string()).collect())).collect();
    if actual != expected {
        let mut listing = String::new();
        for (path, items) in &actual {
            listing.push_str(&format!("    ({path:?}, &[\n"));
            for item in items {
                listing.push_str(&format!("        {item:?},\n"));
            }
            listing.push_str("    ]),\n");
        }
        panic!("the generated items differ from the expected ones; actual:\n{listing}");
    }
}

#[test]
fn the_file_set_is_exactly_the_expected_one() {
    let files = generate_fixture();
    let mut expected: Vec<&str> = EXPECTED_ITEMS.iter().map(|(path, _)| *path).collect();
    expected.extend(["Cargo.toml", "names.lock", "surface.txt"]);
    // The signers (`sign_<kind>.rs`) are copied only into crates whose collection uses the kind.
    let unsigned = postman_codegen::emit::RUNTIME_FILES.iter().filter(|(name, _)| !name.starts_with("sign_"));
    expected.extend(unsigned.map(|(name, _)| {
        Box::leak(format!("src/runtime/{name}").into_boxed_str()) as &str
    }));
    expected.sort();
    let actual: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(actual, expected);
}

/// Hostile text lands only in string literals (escaped) and doc attributes (cleaned): the raw
/// text of every generated Rust file is free of bidirectional-text controls, and the Rust-looking
/// text of the fixture never appears outside a literal or a comment.
#[test]
fn hostile_text_stays_inside_literals_and_docs() {
    let files = generate_fixture();
    for (path, contents) in files.iter().filter(|(p, _)| p.ends_with(".rs") && !p.starts_with("src/runtime/")) {
        assert!(!contents.contains(BIDI), "{path} holds a raw bidirectional-text control");
        for line in contents.lines() {
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with("#[doc") || code.starts_with("#![doc") {
                continue;
            }
            // Outside comments and docs, injected text can only be inside a string literal.
            for needle in ["fn injected", "mod evil", "#[no_mangle]", "#[cfg(any())]", "mod x;", "fn main()"] {
                for (at, _) in code.match_indices(needle) {
                    assert!(inside_string(code, at), "{path}: `{needle}` outside a literal: {line}");
                }
            }
        }
    }
}

/// Whether byte `at` of a line of Rust is inside a (non-raw) string literal.
fn inside_string(code: &str, at: usize) -> bool {
    let mut in_string = false;
    let mut chars = code.char_indices();
    while let Some((i, c)) = chars.next() {
        if i >= at {
            break;
        }
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (_, '"') => in_string = !in_string,
            _ => {}
        }
    }
    in_string
}

fn items(items: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Fn(f) => {
                let nested: Vec<String> = f
                    .block
                    .stmts
                    .iter()
                    .filter_map(|s| match s {
                        Stmt::Item(i) => Some(i),
                        _ => None,
                    })
                    .flat_map(|i| self::items(std::slice::from_ref(i)))
                    .collect();
                if nested.is_empty() {
                    out.push(format!("fn {}", f.sig.ident));
                } else {
                    out.push(format!("fn {} {{ {} }}", f.sig.ident, nested.join("; ")));
                }
            }
            Item::Struct(s) => out.push(format!("struct {}", s.ident)),
            Item::Enum(e) => out.push(format!("enum {}", e.ident)),
            Item::Mod(m) => match &m.content {
                Some((_, inner)) => out.push(format!("mod {} {{ {} }}", m.ident, self::items(inner).join("; "))),
                None => out.push(format!("mod {}", m.ident)),
            },
            Item::Const(c) => out.push(format!("const {}", c.ident)),
            Item::Static(s) => out.push(format!("static {}", s.ident)),
            Item::Use(u) => out.push(format!("use {}", use_tree(&u.tree))),
            Item::Impl(i) => {
                let ty = match &*i.self_ty {
                    syn::Type::Path(p) => path(&p.path),
                    _ => "?".to_owned(),
                };
                let head = match &i.trait_ {
                    Some((_, t, _)) => format!("impl {} for {ty}", path(t)),
                    None => format!("impl {ty}"),
                };
                let members: Vec<String> = i
                    .items
                    .iter()
                    .map(|m| match m {
                        ImplItem::Fn(f) => format!("fn {}", f.sig.ident),
                        ImplItem::Const(c) => format!("const {}", c.ident),
                        ImplItem::Type(t) => format!("type {}", t.ident),
                        _ => "?".to_owned(),
                    })
                    .collect();
                out.push(format!("{head} {{ {} }}", members.join("; ")));
            }
            Item::Macro(m) => match &m.ident {
                Some(ident) => out.push(format!("macro_rules! {ident}")),
                None => {
                    let first = m.mac.tokens.to_string();
                    let first = first.split(',').next().unwrap_or_default().trim().to_owned();
                    out.push(format!("{}!({first})", path(&m.mac.path)));
                }
            },
            Item::Type(t) => out.push(format!("type {}", t.ident)),
            Item::Trait(t) => out.push(format!("trait {}", t.ident)),
            other => out.push(format!("other item {:?}", std::mem::discriminant(other))),
        }
    }
    out
}

fn path(p: &syn::Path) -> String {
    p.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
}

fn use_tree(tree: &UseTree) -> String {
    match tree {
        UseTree::Path(p) => format!("{}::{}", p.ident, use_tree(&p.tree)),
        UseTree::Name(n) => n.ident.to_string(),
        UseTree::Rename(r) => format!("{} as {}", r.ident, r.rename),
        UseTree::Glob(_) => "*".to_owned(),
        UseTree::Group(g) => format!("{{{}}}", g.items.iter().map(use_tree).collect::<Vec<_>>().join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// Names that once generated crates that did not compile (folders named like Cargo's own files
// and features), or put raw bidirectional-text controls into generated files.

fn generate_items(items: serde_json::Value) -> Files {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.postman_collection.json");
    let collection = serde_json::json!({"info": {"name": "names", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}, "item": items});
    std::fs::write(&path, serde_json::to_vec(&collection).unwrap()).unwrap();
    Generator::new().collection(&path).crate_name("names").generate_files().unwrap().files
}

fn folder(name: &str, inner: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"name": name, "item": [inner]})
}

fn request(name: &str) -> serde_json::Value {
    serde_json::json!({"name": name, "request": "https://x.example/a"})
}

#[test]
fn a_top_level_folder_named_lib_keeps_the_crate_root() {
    let files = generate_items(serde_json::json!([folder("lib", request("a"))]));
    assert!(files["src/lib.rs"].contains("pub mod runtime;"), "src/lib.rs was replaced:\n{}", files["src/lib.rs"]);
}

#[test]
fn a_top_level_folder_named_main_makes_no_binary() {
    let files = generate_items(serde_json::json!([folder("main", request("a"))]));
    assert!(!files.contains_key("src/main.rs"), "{:?}", files.keys().collect::<Vec<_>>());
}

#[test]
fn a_top_level_folder_named_bin_makes_no_binaries() {
    let files = generate_items(serde_json::json!([folder("bin", folder("sub", request("a")))]));
    let binaries: Vec<&String> = files.keys().filter(|k| k.starts_with("src/bin/")).collect();
    assert!(binaries.is_empty(), "{binaries:?}");
}

#[test]
fn a_top_level_folder_named_default_gives_a_valid_cargo_toml() {
    let files = generate_items(serde_json::json!([folder("Default", request("a"))]));
    let toml = &files["Cargo.toml"];
    let defaults = toml.lines().filter(|l| l.starts_with("default =") || l.starts_with("\"default\" =")).count();
    assert_eq!(defaults, 1, "{toml}");
}

#[test]
fn no_generated_file_holds_a_raw_bidirectional_control() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.postman_collection.json");
    let collection = serde_json::json!({
        "info": {"name": "rlo \u{202e} name"},
        "item": [{"name": "q", "request": {"url": {"raw": "https://x.example/a?k=\u{202e}", "host": ["x", "example"], "path": ["a"],
            "query": [{"key": "k", "value": "\u{202e}"}]}}}]
    });
    std::fs::write(&path, serde_json::to_vec(&collection).unwrap()).unwrap();
    let files = Generator::new().collection(&path).crate_name("names").generate_files().unwrap().files;
    let with_bidi: Vec<&String> = files.iter().filter(|(_, v)| v.contains(BIDI)).map(|(k, _)| k).collect();
    assert!(with_bidi.is_empty(), "{with_bidi:?}");
}
