//! No panics at the limits (issue 8): nesting far past any sane depth gives an error or is read
//! as text, never a stack overflow; 10 MB strings, BOMs, UTF-16, invalid UTF-8 and control
//! characters give a result or a one-line error naming the file. Nesting just under the limit
//! generates a crate that compiles.

use std::path::{Path, PathBuf};

use integration_tests::{check_crates, repo_root};
use postman_codegen::{Generated, Generator};
use serde_json::{json, Value};

const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

fn collection(items: Value) -> Value {
    json!({"info": {"name": "limits", "schema": SCHEMA}, "item": items})
}

fn json_request(name: &str, raw: &str, example: &str) -> Value {
    json!({
        "name": name,
        "request": {
            "method": "POST",
            "url": "https://x.example/a",
            "body": {"mode": "raw", "raw": raw, "options": {"raw": {"language": "json"}}}
        },
        "response": [{"name": "ok", "code": 200, "body": example}]
    })
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn generate(path: &Path) -> Result<Generated, String> {
    Generator::new().collection(path).crate_name("limits").generate_files().map_err(|e| e.to_string())
}

/// The error is one line, starts with the file's path, and contains `needle`.
fn assert_error(result: Result<Generated, String>, path: &Path, needle: &str) {
    let err = match result {
        Ok(_) => panic!("{} generated, expected an error containing `{needle}`", path.display()),
        Err(err) => err,
    };
    assert!(err.starts_with(&path.display().to_string()), "error must name the file: {err}");
    assert!(!err.contains('\n') && !err.contains('\r'), "error must be one line: {err:?}");
    assert!(err.contains(needle), "`{err}` should contain `{needle}`");
    assert!(err.len() < 2_000, "error is {} bytes long", err.len());
}

fn nested_arrays(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

fn nested_objects(depth: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

#[test]
fn ten_thousand_nested_folders_are_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 10_000;
    // Built as text: a `serde_json::Value` that deep would overflow the stack of this test itself.
    let text = format!(
        r#"{{"info":{{"name":"deep","schema":"{SCHEMA}"}},"item":[{}{}{}]}}"#,
        r#"{"name":"f","item":["#.repeat(depth),
        r#"{"name":"r","request":"https://x.example/a"}"#,
        "]}".repeat(depth)
    );
    let path = write(dir.path(), "folders.json", text.as_bytes());
    assert_error(generate(&path), &path, "recursion limit exceeded");
}

#[test]
fn ten_thousand_nested_arrays_or_objects_in_the_file_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, deep) in [("arrays", nested_arrays(10_000)), ("objects", nested_objects(10_000))] {
        // In places read as free-form JSON: an auth block, a body, a variable, an example.
        for (place, text) in [
            ("variable", format!(r#"{{"info":{{"name":"d"}},"variable":[{{"key":"k","value":{deep}}}],"item":[]}}"#)),
            ("example", format!(r#"{{"info":{{"name":"d"}},"item":[{{"name":"r","request":"https://x.example","response":[{{"body":{deep}}}]}}]}}"#)),
            ("auth", format!(r#"{{"info":{{"name":"d"}},"auth":{{"type":"bearer","bearer":{deep}}},"item":[]}}"#)),
            ("raw", format!(r#"{{"info":{{"name":"d"}},"item":[{{"name":"r","request":{{"url":"https://x.example","body":{{"mode":"raw","raw":{deep}}}}}}}]}}"#)),
        ] {
            let path = write(dir.path(), &format!("{name}-{place}.json"), text.as_bytes());
            assert_error(generate(&path), &path, "recursion limit exceeded");
        }
    }
}

/// A body is a *string* holding JSON: it is parsed later (`lower::parse_json_lenient`) and walked
/// by `infer::Shape::of`. 10,000 levels must not overflow the stack there either: the body is
/// not read as JSON (serde_json's recursion limit), so it is sent as text.
#[test]
fn ten_thousand_nested_arrays_inside_a_json_body_string_are_sent_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let deep_arrays = nested_arrays(10_000);
    let deep_objects = nested_objects(10_000);
    let commented = format!("// a comment\n{deep_arrays}");
    let templated = format!("{}{{{{x}}}}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(postman_codegen::lower::parse_json_lenient(&deep_arrays).is_none());
    assert!(postman_codegen::lower::parse_json_lenient(&deep_objects).is_none());
    assert!(postman_codegen::lower::parse_json_lenient(&commented).is_none());
    assert!(postman_codegen::lower::parse_json_lenient(&templated).is_none());
    let items = json!([
        json_request("arrays", &deep_arrays, &deep_arrays),
        json_request("objects", &deep_objects, &deep_objects),
        json_request("commented", &commented, &commented),
        json_request("templated", &templated, &templated),
        {"name": "graphql", "request": {"method": "POST", "url": "https://x.example/g",
            "body": {"mode": "graphql", "graphql": {"query": "{ a }", "variables": deep_arrays}}}},
    ]);
    let path = write(dir.path(), "bodies.json", &serde_json::to_vec(&collection(items)).unwrap());
    let generated = generate(&path).unwrap();
    let surface = &generated.files["surface.txt"];
    for name in ["arrays", "objects", "commented", "templated"] {
        let line = surface.lines().find(|l| l.starts_with(&format!("{name}\t"))).unwrap_or_else(|| panic!("{surface}"));
        assert!(line.contains("body: &str"), "the body is sent as text: {line}");
        assert!(
            generated.warnings.iter().any(|w| w.contains(&format!("{name}: the JSON body is not valid JSON"))),
            "{:?}",
            generated.warnings
        );
    }
}

fn check_compiles(name: &str, generated: Generated) {
    let crates = vec![(name.to_owned(), generated.files)];
    let out = tempfile::tempdir().unwrap();
    if let Err(output) = check_crates(out.path(), &crates, &["check", "--quiet"]) {
        let first: Vec<&str> = output.lines().filter(|l| l.starts_with("error")).take(5).collect();
        panic!("the deeply nested crate does not compile:\n{}", first.join("\n"));
    }
}

/// Just under serde_json's limit of 128 levels: 60 nested folders (two levels each) and JSON
/// bodies and examples nested deep. They generate, and the crate compiles: JSON deeper than
/// `infer::MAX_DEPTH` arrays or objects is typed as `serde_json::Value` from there down, with a
/// warning naming the path (rustc cannot check auto traits of `Vec`s nested 45 deep, E0275).
#[test]
fn nesting_just_under_the_limit_generates_a_crate_that_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let mut item = json!({"name": "leaf", "request": "https://x.example/leaf"});
    for level in (0..60).rev() {
        item = json!({"name": format!("level {level}"), "item": [item]});
    }
    let deep_objects = nested_objects(120);
    let arrays = nested_arrays(120);
    let mixed = format!("{}1{}", "[{\"a\":".repeat(60), "}]".repeat(60));
    let shallow = nested_arrays(postman_codegen::infer::MAX_DEPTH);
    let items = json!([
        item,
        json_request("objects", &deep_objects, &deep_objects),
        json_request("arrays", &arrays, &arrays),
        json_request("mixed", &mixed, &mixed),
        json_request("shallow", &shallow, &shallow),
    ]);
    let path = write(dir.path(), "deep.json", &serde_json::to_vec(&collection(items)).unwrap());
    let generated = generate(&path).unwrap();
    let depth = postman_codegen::infer::MAX_DEPTH;
    // The first value `depth` levels down is the one typed as `Value`.
    for (name, step, steps) in [("objects", ".a", depth), ("arrays", "[]", depth), ("mixed", "[].a", depth / 2)] {
        for root in ["body", "response"] {
            let needle = format!("warning: {name}: field `{root}{}` is nested more than {depth}", step.repeat(steps));
            assert!(generated.warnings.iter().any(|w| w.contains(&needle)), "{needle}: {:?}", generated.warnings);
        }
    }
    assert_eq!(generated.warnings.len(), 6, "{:?}", generated.warnings);
    let surface = &generated.files["surface.txt"];
    let module_path = (0..60).map(|l| format!("level_{l}")).collect::<Vec<_>>().join("::");
    assert!(surface.contains(&format!("{module_path}::leaf\tGET")), "{surface}");
    assert!(surface.contains("objects\tPOST\t/a\tpub async fn objects(client: &Client, body: &ObjectsBody)"), "{surface}");
    // Exactly `depth` levels stay typed: `Vec<…<Vec<i64>>…>` in the body and the response.
    let shallow = surface.lines().find(|l| l.starts_with("shallow\t")).unwrap();
    assert_eq!((shallow.matches("Vec<").count(), shallow.contains("Value")), (2 * depth, false), "{shallow}");
    check_compiles("limits-deep", generated);
}

const TEN_MB: usize = 10 * 1024 * 1024;

fn ten_mb(unit: &str) -> String {
    unit.repeat(TEN_MB / unit.len())
}

#[test]
fn a_ten_megabyte_name_and_description_generate() {
    let dir = tempfile::tempdir().unwrap();
    let huge = ten_mb("Ab*/\"#");
    let items = json!([{"name": "folder", "description": huge, "item": [
        {"name": huge, "request": "https://x.example/a"}
    ]}]);
    let path = write(dir.path(), "names.json", &serde_json::to_vec(&collection(items)).unwrap());
    let generated = generate(&path).unwrap();
    let surface = &generated.files["surface.txt"];
    assert_eq!(surface.lines().count(), 1, "one request");
}

#[test]
fn ten_megabyte_values_generate() {
    let dir = tempfile::tempdir().unwrap();
    let huge = ten_mb("v{}\u{e9}\"");
    let body = serde_json::to_string(&json!({ "key": huge.clone() })).unwrap();
    let items = json!([{
        "name": "values",
        "request": {
            "method": "POST",
            "url": {"raw": "https://x.example/a", "host": ["x", "example"], "path": ["a", huge.clone()]},
            "header": [{"key": "X-Huge", "value": huge.clone()}],
            "body": {"mode": "raw", "raw": body, "options": {"raw": {"language": "json"}}}
        }
    }]);
    let path = write(dir.path(), "values.json", &serde_json::to_vec(&collection(items)).unwrap());
    let generated = generate(&path).unwrap();
    assert!(generated.files["surface.txt"].starts_with("values\tPOST\t/a/"));
}

#[test]
fn a_ten_megabyte_key_in_a_json_body_generates() {
    let dir = tempfile::tempdir().unwrap();
    let body = serde_json::to_string(&json!({ ten_mb("k"): 1 })).unwrap();
    let items = json!([json_request("keys", &body, "")]);
    let path = write(dir.path(), "keys.json", &serde_json::to_vec(&collection(items)).unwrap());
    generate(&path).unwrap();
}

#[test]
fn ten_megabyte_strings_in_the_wrong_place_give_a_short_error() {
    let dir = tempfile::tempdir().unwrap();
    let huge = ten_mb("x\n\u{202e}");
    let cases = [
        ("schema.json", json!({"info": {"name": "n", "schema": huge}, "item": []}), "unsupported collection format: schema `x\\n\\u{202e}x"),
        ("url.json", json!({"info": {"name": "n"}, "item": [{"name": huge, "request": {"url": {"path": 5}}}]}), "(in x\\n\\u{202e}x"),
        ("auth.json", json!({"info": {"name": "n"}, "auth": huge, "item": []}), "invalid type: string, expected struct Auth"),
    ];
    for (name, value, needle) in cases {
        let path = write(dir.path(), name, &serde_json::to_vec(&value).unwrap());
        assert_error(generate(&path), &path, needle);
    }
}

fn petstore_bytes() -> Vec<u8> {
    std::fs::read(repo_root().join("tests/fixtures/petstore.postman_collection.json")).unwrap()
}

#[test]
fn a_utf8_bom_is_accepted_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "plain.json", &petstore_bytes());
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend(petstore_bytes());
    let bom = write(dir.path(), "plain.json.bom", &with_bom);
    let a = generate(&plain).unwrap().files;
    let b = generate(&bom).unwrap().files;
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, contents) in &a {
        // Only the `@generated … from <file name>` header differs.
        assert_eq!(contents.replace("plain.json", ""), b[name].replace("plain.json.bom", ""), "{name}");
    }
    let env = b"\xef\xbb\xbf{\"name\":\"e\",\"values\":[{\"key\":\"baseUrl\",\"value\":\"https://e.example\"}]}";
    let env = write(dir.path(), "env.json", env);
    let generated = Generator::new().collection(&plain).environment(&env).crate_name("limits").generate_files().unwrap();
    assert!(generated.files["src/lib.rs"].contains("https://e.example"));
}

#[test]
fn broken_encodings_and_control_characters_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let petstore = String::from_utf8(petstore_bytes()).unwrap();
    let utf16 = |big_endian: bool| {
        let mut bytes = if big_endian { vec![0xfe, 0xff] } else { vec![0xff, 0xfe] };
        for unit in petstore.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        bytes
    };
    let in_name = |bytes: &[u8]| {
        let mut out = br#"{"info":{"name":""#.to_vec();
        out.extend_from_slice(bytes);
        out.extend_from_slice(br#""},"item":[]}"#);
        out
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf16le.json", utf16(false), "invalid JSON at line 1, column 1"),
        ("utf16be.json", utf16(true), "invalid JSON at line 1, column 1"),
        ("double-bom.json", [b"\xef\xbb\xbf\xef\xbb\xbf".as_slice(), &petstore_bytes()].concat(), "invalid JSON at line 1, column 1"),
        ("invalid-utf8.json", in_name(b"\xff\xfe"), "invalid JSON at line 1, column"),
        ("truncated-utf8.json", in_name(b"\xc3"), "invalid JSON at line 1, column"),
        ("surrogate-utf8.json", in_name(b"\xed\xa0\x80"), "invalid JSON at line 1, column"),
        ("lone-surrogate.json", in_name(br"\ud800"), "invalid JSON at line 1, column"),
        ("nul.json", in_name(b"a\0b"), "control character"),
        ("escape.json", in_name(b"\x1b[2J"), "control character"),
        ("newline.json", in_name(b"a\nb"), "control character"),
        ("nul-outside.json", b"\0{}".to_vec(), "invalid JSON at line 1, column 1"),
        ("empty.json", Vec::new(), "invalid JSON at line 1, column 0"),
        ("huge-number.json", br#"{"info":{"name":"n"},"item":[{"name":"r","request":"https://x","response":[{"code":1e999}]}]}"#.to_vec(), "number out of range"),
    ];
    for (name, bytes, needle) in cases {
        let path = write(dir.path(), name, &bytes);
        assert_error(generate(&path), &path, needle);
    }
    // Escaped control characters are data: they generate.
    let path = write(dir.path(), "escaped.json", &in_name(br"a\u0000b\u001b[2J\n\u202e"));
    generate(&path).unwrap();
}

/// `surface.txt` is read by tools: a signature is one canonical line, with the short type names
/// used everywhere else in it.
#[test]
fn surface_signatures_of_deeply_nested_types_are_canonical() {
    let dir = tempfile::tempdir().unwrap();
    // As deep as types go (deeper is `serde_json::Value`): a line prettyplease breaks.
    let depth = postman_codegen::infer::MAX_DEPTH;
    let deep_arrays = nested_arrays(depth);
    let items = json!([json_request("arrays", &deep_arrays, &deep_arrays)]);
    let path = write(dir.path(), "deep.json", &serde_json::to_vec(&collection(items)).unwrap());
    let surface = generate(&path).unwrap().files["surface.txt"].clone();
    let ty = format!("{}i64{}", "Vec<".repeat(depth), ">".repeat(depth));
    assert_eq!(surface, format!("arrays\tPOST\t/a\tpub async fn arrays(client: &Client, body: &{ty}) -> Result<{ty}, Error>\n"));
}

#[test]
fn a_name_with_a_long_run_of_quotes_generates() {
    let dir = tempfile::tempdir().unwrap();
    for quote in ["'", "\""] {
        let items = json!([{"name": quote.repeat(256), "request": "https://x.example/a"}]);
        let path = write(dir.path(), "quotes.json", &serde_json::to_vec(&collection(items)).unwrap());
        generate(&path).unwrap();
    }
}

#[test]
fn warnings_are_one_line_whatever_the_names() {
    let dir = tempfile::tempdir().unwrap();
    let items = json!([{"name": "a\nb", "item": [{"name": "c\rd", "request": {"url": "https://x.example/a",
        "auth": {"type": "jwt", "jwt": [{"key": "algorithm", "value": "ES512"}]}}}]}]);
    let path = write(dir.path(), "warnings.json", &serde_json::to_vec(&collection(items)).unwrap());
    let generated = generate(&path).unwrap();
    assert!(!generated.warnings.is_empty());
    for warning in &generated.warnings {
        assert!(!warning.contains(['\n', '\r']), "{warning:?}");
    }
}

#[test]
fn a_long_folder_name_gives_a_writable_crate() {
    let dir = tempfile::tempdir().unwrap();
    let items = json!([{"name": "id ".repeat(200), "item": [{"name": "r", "request": "https://x.example/a"}]}]);
    let path = write(dir.path(), "long.json", &serde_json::to_vec(&collection(items)).unwrap());
    let out = dir.path().join("out");
    Generator::new().collection(&path).crate_name("limits").generate(&out).unwrap();
}
