//! No panics, whatever the input (issue 8): property tests over random JSON, random
//! Postman-shaped collections, and mutations of the corpus collections and environments
//! (deleted keys, wrong types, hostile and huge strings, deep nesting, duplicate keys, renamed
//! keys, invalid UTF-8, NUL and control characters, BOMs, truncation).
//!
//! Every outcome of `parse::parse_collection` and `Generator::generate_files` must be `Ok` or an
//! error whose message is one line starting with the file's path. A panic fails the case (proptest
//! reports it with the input that caused it); a stack overflow aborts the test binary.
//!
//! Runs are deterministic (fixed seed). For a longer search set `PROPTEST_CASES` (and
//! `PROPTEST_RNG_SEED` for another seed), e.g. `PROPTEST_CASES=2000 cargo test -p
//! integration-tests --test hostile_props`; `HOSTILE_DUMP=DIR` saves the failing input.
//!
//! When a collection generates, its files must be well-formed too (`check_files`): no binary
//! targets or replaced crate root from folder names, no file name over 255 bytes, no raw
//! bidirectional-text control anywhere, warnings of one line.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use integration_tests::{check_crates, corpus_collections, environment_for};
use postman_codegen::emit::Files;
use postman_codegen::{parse, Generator};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};

const SEED: u64 = 0x5EED_0008_0000_0001;

/// `cases`, or `PROPTEST_CASES` when set.
fn effective(cases: u32) -> u32 {
    if std::env::var_os("PROPTEST_CASES").is_some() {
        Config::default().cases
    } else {
        cases
    }
}

fn runner(cases: u32) -> TestRunner {
    let defaults = Config::default();
    let config = Config {
        cases: effective(cases),
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() { defaults.rng_seed } else { RngSeed::Fixed(SEED) },
        failure_persistence: None,
        max_shrink_iters: 256,
        ..defaults
    };
    TestRunner::new(config)
}

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    if let Err(err) = runner(cases).run(&strategy, test) {
        panic!("{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Known bugs, outside the files this test may fix.

const BIDI: &[char] = &['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];

// ---------------------------------------------------------------------------------------------
// Outcome checks.

/// One line, naming the file, of reasonable length.
fn check_error(message: &str, path: &Path) -> Result<(), TestCaseError> {
    prop_assert!(!message.contains(['\n', '\r', '\u{2028}', '\u{2029}']), "error spans several lines: {message:?}");
    prop_assert!(
        message.starts_with(&path.display().to_string()),
        "error does not start with the file's path: {message:?}"
    );
    prop_assert!(message.chars().count() < 10_000, "error is {} characters long", message.chars().count());
    Ok(())
}

/// One line each, whatever the names they quote.
fn check_warnings(warnings: &[String]) -> Result<(), TestCaseError> {
    for warning in warnings {
        prop_assert!(warning.starts_with("warning: "), "{warning:?}");
        prop_assert!(!warning.contains(['\n', '\r']), "warning spans several lines: {warning:?}");
    }
    Ok(())
}

/// Whatever the folders are named, Cargo sees one library (no `src/main.rs`, no `src/bin/`, the
/// crate root intact, one `default` feature), every file can be written (names of at most 255
/// bytes), and no file holds a raw bidirectional-text control (rustc denies them in comments).
fn check_files(files: &Files) -> Result<(), TestCaseError> {
    prop_assert!(!files.contains_key("src/main.rs"), "a folder became src/main.rs, a binary target");
    prop_assert!(!files.keys().any(|k| k.starts_with("src/bin/")), "folders became binary targets");
    prop_assert!(files.get("src/lib.rs").is_some_and(|lib| lib.contains("pub mod runtime;")), "src/lib.rs was replaced");
    let toml = files.get("Cargo.toml").map_or("", String::as_str);
    prop_assert_eq!(toml.lines().filter(|l| l.starts_with("default =") || l.starts_with("\"default\" =")).count(), 1, "{}", toml);
    prop_assert!(!files.keys().any(|k| k.split('/').any(|part| part.len() > 255)), "a file name is longer than 255 bytes");
    let with_bidi: Vec<&String> = files.iter().filter(|(_, v)| v.contains(BIDI)).map(|(k, _)| k).collect();
    prop_assert!(with_bidi.is_empty(), "raw bidi controls in {:?}", with_bidi);
    Ok(())
}

/// Parses and generates `bytes` as a collection file; `Ok(Some(files))` when it generated.
/// With `HOSTILE_DUMP=DIR`, the input of the last failing case (the shrunk one) is saved as
/// `DIR/failure.postman_collection.json`, to reproduce it with the command line.
fn outcome(bytes: &[u8]) -> Result<Option<Files>, TestCaseError> {
    let Some(dir) = std::env::var_os("HOSTILE_DUMP") else { return outcome_inner(bytes) };
    let dump = || {
        let _ = std::fs::write(Path::new(&dir).join("failure.postman_collection.json"), bytes);
    };
    // A panic is saved too, then resumed: proptest still sees it, and the case fails.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| outcome_inner(bytes))) {
        Ok(Ok(files)) => Ok(files),
        Ok(Err(err)) => {
            dump();
            Err(err)
        }
        Err(panic) => {
            dump();
            std::panic::resume_unwind(panic)
        }
    }
}

fn outcome_inner(bytes: &[u8]) -> Result<Option<Files>, TestCaseError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("case.postman_collection.json");
    std::fs::write(&path, bytes)?;
    let parsed = parse::parse_collection(bytes, &path);
    if let Err(err) = &parsed {
        check_error(&err.to_string(), &path)?;
    }
    // No crate name: the default one, derived from the collection's name, must be valid too.
    match Generator::new().collection(&path).generate_files() {
        Ok(generated) => {
            prop_assert!(parsed.is_ok(), "parse_collection failed but generation succeeded");
            check_warnings(&generated.warnings)?;
            check_files(&generated.files)?;
            Ok(Some(generated.files))
        }
        Err(err) => {
            check_error(&err.to_string(), &path)?;
            Ok(None)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies.

/// Strings that have broken parsers and generators before.
const HOSTILE: &[&str] = &[
    "*/", "/*", "\"#", "r#\"", "\"#;", "\u{202e}", "\u{2066}", "} {", "{", "}", "#[", "#![", "`",
    "```", "\n", "\r\n", "\u{2028}", "\0", "\u{7}\u{1b}[31m", "\u{feff}", "fn main() {}", "mod x;",
    "self", "Self", "crate", "super", "type", "fn", "async", "r#try", "_", "__", "0", "1abc",
    "\u{1f980}", "\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}", "é", "ß", "\u{301}", "", " ", "\t",
    "{{", "}}", "{{x}}", "{{ x }}", "{{$guid}}", "{{baseUrl}}", "{{token}}", ":id", ":", "/", "//",
    "?", "&", "=", "#", "%", "%zz", "..", "../../etc/passwd", "C:\\x", "<script>", "'", "\\",
    "\\u0000", "default", "lib", "main", "bin", "std", "core", "runtime", "ids", "auth", "tests",
    "Some", "None", "Ok", "String", "Vec", "Result", "Client", "GET", "POST", "get", "PATCH",
    "FOO BAR", "application/json", "json", "text", "raw", "formdata", "urlencoded", "graphql",
    "file", "bearer", "basic", "apikey", "oauth2", "noauth", "inherit", "awsv4", "secret", "true",
    "false", "null", "[", "]", "[1,[2,[3]]]", "{\"a\":{\"b\":[1,null,\"x\"]}}", "{\"a\": {{x}} }",
    "// c\n{\"a\":1}", "/* c */ [1]", "{\"\": {\"\": \"\"}}", "[[[[[[[[[[]]]]]]]]]]",
    "https://x.example/{{v}}/:id?q={{q}}#f", "{{a}}{{b}}", "http://", "1e999", "-0", "NaN",
    "https://\u{e9}.example/a",
];

/// Keys of the Postman formats, so random objects often have the right names.
const POSTMAN_KEYS: &[&str] = &[
    "info", "item", "items", "name", "request", "url", "raw", "host", "path", "query", "variable",
    "key", "value", "method", "header", "body", "mode", "options", "language", "urlencoded",
    "formdata", "file", "graphql", "auth", "type", "bearer", "basic", "apikey", "oauth2",
    "response", "code", "status", "originalRequest", "event", "script", "exec", "listen",
    "description", "content", "schema", "_postman_id", "id", "disabled", "enabled", "values",
    "collection", "environment", "protocol", "port", "src", "contentType", "requests", "order",
    "token", "username", "password", "in", "accessToken", "_postman_previewlanguage",
];

fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(HOSTILE).prop_map(str::to_owned),
        2 => prop::collection::vec(select(HOSTILE), 0..4).prop_map(|parts| parts.concat()),
        2 => "[a-zA-Z0-9 _-]{0,12}",
        1 => any::<String>(),
        1 => (select(HOSTILE), 1usize..5000).prop_map(|(s, n)| s.repeat(n)),
    ]
    .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![3 => select(POSTMAN_KEYS).prop_map(str::to_owned), 1 => hostile_string()].boxed()
}

fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        4 => hostile_string().prop_map(Value::from),
    ]
    .boxed()
}

fn json_value() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..6)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
        .boxed()
}

/// Mostly the right type, sometimes anything (rarely: one wrong value often fails the whole
/// file, and the corpus mutations already put wrong types everywhere).
fn or_junk(right: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![39 => right, 1 => json_value()].boxed()
}

fn text() -> BoxedStrategy<Value> {
    or_junk(hostile_string().prop_map(Value::from).boxed())
}

fn url_string() -> BoxedStrategy<String> {
    let origin = prop_oneof![
        19 => select(&["{{baseUrl}}", "https://api.example.com", "http://", "", "{{host}}:{{port}}", "example.com", "{{a}}.{{b}}"][..]),
        // Non-ASCII hosts (`split_raw` once panicked on them).
        1 => select(&["https://\u{e9}.example", "http://\u{1f980}.example", "{{host}}\u{e9}", "\u{202e}moc.example"][..]),
    ];
    let segment = prop_oneof![
        4 => select(&["users", ":id", ":userId", "{{version}}", "{{id}}", "", "v1", ":", "{{", "}}", "a b", "%2F"][..]).prop_map(str::to_owned),
        1 => hostile_string(),
    ];
    let query = prop::collection::vec((select(&["q", "a", "{{k}}", "", "x y"][..]), select(&["1", "", "{{v}}", "{{token}}"][..])), 0..3);
    (origin, prop::collection::vec(segment, 0..5), query)
        .prop_map(|(origin, segments, query)| {
            let mut url = origin.to_owned();
            for s in segments {
                url.push('/');
                url.push_str(&s);
            }
            if !query.is_empty() {
                let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                url.push('?');
                url.push_str(&pairs.join("&"));
            }
            url
        })
        .boxed()
}

fn key_values() -> BoxedStrategy<Value> {
    or_junk(
        prop::collection::vec((key(), text(), any::<bool>(), prop::option::of(text())), 0..5)
            .prop_map(|list| {
                Value::Array(
                    list.into_iter()
                        .map(|(k, v, disabled, description)| {
                            let mut o = json!({"key": k, "value": v});
                            if disabled {
                                o["disabled"] = json!(true);
                            }
                            if let Some(d) = description {
                                o["description"] = d;
                            }
                            o
                        })
                        .collect(),
                )
            })
            .boxed(),
    )
}

fn url() -> BoxedStrategy<Value> {
    or_junk(
        prop_oneof![
            url_string().prop_map(Value::from),
            (url_string(), prop::collection::vec(hostile_string(), 0..4), key_values(), key_values()).prop_map(
                |(raw, path, query, variable)| {
                    json!({"raw": raw, "host": ["{{baseUrl}}"], "path": path, "query": query, "variable": variable})
                }
            ),
        ]
        .boxed(),
    )
}

fn json_body_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => json_value().prop_map(|v| serde_json::to_string_pretty(&v).unwrap_or_default()),
        1 => (json_value(), select(&["{{var}}", "// comment\n", "/* c */", "{{", "}}", ","][..]))
            .prop_map(|(v, extra)| {
                let text = serde_json::to_string(&v).unwrap_or_default();
                let cut = text.len() / 2;
                let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
                format!("{}{extra}{}", &text[..cut], &text[cut..])
            }),
        1 => (1usize..400).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
        1 => hostile_string(),
    ]
    .boxed()
}

fn body() -> BoxedStrategy<Value> {
    or_junk(
        prop_oneof![
            (json_body_text(), select(&["json", "text", "xml", ""][..]))
                .prop_map(|(raw, language)| json!({"mode": "raw", "raw": raw, "options": {"raw": {"language": language}}})),
            key_values().prop_map(|fields| json!({"mode": "urlencoded", "urlencoded": fields})),
            (key_values(), any::<bool>()).prop_map(|(mut fields, file)| {
                if let Some(list) = fields.as_array_mut() {
                    for field in list.iter_mut().filter(|f| f.is_object()) {
                        field["type"] = json!(if file { "file" } else { "text" });
                    }
                }
                json!({"mode": "formdata", "formdata": fields})
            }),
            (hostile_string(), json_body_text()).prop_map(|(query, variables)| json!({"mode": "graphql", "graphql": {"query": query, "variables": variables}})),
            Just(json!({"mode": "file", "file": {"src": "/etc/passwd"}})),
            (hostile_string(), text()).prop_map(|(mode, raw)| json!({"mode": mode, "raw": raw, "disabled": false})),
        ]
        .boxed(),
    )
}

fn auth() -> BoxedStrategy<Value> {
    let kind = prop_oneof![
        4 => select(&["bearer", "basic", "apikey", "oauth2", "noauth", "inherit", "awsv4", "digest", "ntlm"][..]).prop_map(str::to_owned),
        1 => hostile_string(),
    ];
    let params = prop::collection::vec(
        (
            select(&["token", "username", "password", "key", "value", "in", "accessToken", "clientId", "clientSecret", "refreshToken", "accessTokenUrl", "authUrl", "headerPrefix", "addTokenTo", "scope"][..]),
            prop_oneof![select(&["{{token}}", "{{secret}}", "literal-credential", "query", "header", ""][..]).prop_map(Value::from), text()],
        ),
        0..5,
    );
    or_junk(
        (kind, params, any::<bool>())
            .prop_map(|(kind, params, as_object)| {
                let block = if as_object {
                    Value::Object(params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                } else {
                    Value::Array(params.into_iter().map(|(k, v)| json!({"key": k, "value": v, "type": "string"})).collect())
                };
                let mut auth = Map::new();
                auth.insert("type".into(), Value::from(kind.clone()));
                auth.insert(kind, block);
                Value::Object(auth)
            })
            .boxed(),
    )
}

fn responses() -> BoxedStrategy<Value> {
    or_junk(
        prop::collection::vec(
            (
                text(),
                prop_oneof![select(&[200i64, 201, 204, 301, 404, 500][..]).prop_map(Value::from), json_leaf()],
                prop_oneof![json_body_text().prop_map(Value::from), json_leaf()],
                prop::option::of(body()),
            ),
            0..3,
        )
        .prop_map(|list| {
            Value::Array(
                list.into_iter()
                    .map(|(name, code, body, original)| {
                        let mut r = json!({"name": name, "code": code, "body": body});
                        if let Some(original) = original {
                            r["originalRequest"] = json!({"method": "POST", "url": "{{baseUrl}}/x", "body": original});
                        }
                        r
                    })
                    .collect(),
            )
        })
        .boxed(),
    )
}

fn request_item() -> BoxedStrategy<Value> {
    let method = prop_oneof![
        4 => select(&["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "PROPFIND"][..]).prop_map(Value::from),
        1 => text(),
    ];
    let request = (method, url(), key_values(), prop::option::of(body()), prop::option::of(auth()), prop::option::of(text()));
    (text(), request, responses(), any::<bool>())
        .prop_map(|(name, (method, url, header, body, auth, description), response, short)| {
            if short {
                if let Some(url) = url.as_str() {
                    return json!({"name": name, "request": url});
                }
            }
            let mut request = json!({"method": method, "url": url, "header": header});
            if let Some(body) = body {
                request["body"] = body;
            }
            if let Some(auth) = auth {
                request["auth"] = auth;
            }
            if let Some(description) = description {
                request["description"] = description;
            }
            json!({"name": name, "request": request, "response": response})
        })
        .boxed()
}

/// A Postman-shaped collection: folders and requests whose fields hold hostile values, and
/// sometimes values of the wrong type.
fn postman_collection() -> BoxedStrategy<Value> {
    let item = request_item().prop_recursive(4, 24, 4, |inner| {
        (text(), prop::collection::vec(inner, 0..4), prop::option::of(auth()), prop::option::of(text()))
            .prop_map(|(name, items, auth, description)| {
                let mut folder = json!({"name": name, "item": items});
                if let Some(auth) = auth {
                    folder["auth"] = auth;
                }
                if let Some(description) = description {
                    folder["description"] = description;
                }
                folder
            })
    });
    let schema = prop_oneof![
        4 => Just(Value::from("https://schema.getpostman.com/json/collection/v2.1.0/collection.json")),
        1 => Just(Value::from("https://schema.getpostman.com/json/collection/v2.0.0/collection.json")),
        1 => text(),
    ];
    (text(), schema, prop::collection::vec(item, 0..5), prop::option::of(auth()), key_values())
        .prop_map(|(name, schema, items, auth, variable)| {
            let mut collection = json!({"info": {"name": name, "schema": schema}, "item": items, "variable": variable});
            if let Some(auth) = auth {
                collection["auth"] = auth;
            }
            collection
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Random JSON and random Postman-shaped collections.

fn random_json_case() {
    let cases = 192;
    let top = prop_oneof![
        json_value(),
        (json_value(), json_value()).prop_map(|(info, item)| json!({"info": info, "item": item})),
    ];
    run(cases, top, |value| {
        let bytes = serde_json::to_vec(&value)?;
        outcome(&bytes).map(drop)
    });
}

#[test]
fn random_json_never_panics() {
    random_json_case();
}

#[test]
fn random_postman_collections_never_panic() {
    let generated = AtomicUsize::new(0);
    let cases = 160;
    run(cases, postman_collection(), |value| {
        let bytes = serde_json::to_vec(&value)?;
        if outcome(&bytes)?.is_some() {
            generated.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    let generated = generated.load(Ordering::Relaxed);
    let cases = effective(cases);
    eprintln!("{generated} of {cases} collections generated");
    assert!(generated * 3 >= cases as usize, "only {generated} of {cases} collections generated: the strategy is too broken to test much");
}

/// A sample of generated crates must compile (`cargo check`, warnings denied).
fn compile_sample() {
    const SAMPLE: usize = 3;
    let sample: Mutex<Vec<Files>> = Mutex::new(Vec::new());
    let mut config_runner = runner(96);
    let result = config_runner.run(&postman_collection(), |value| {
        let bytes = serde_json::to_vec(&value)?;
        let mut sample = sample.lock().unwrap_or_else(|e| e.into_inner());
        if sample.len() >= SAMPLE {
            return Ok(());
        }
        let Some(files) = outcome(&bytes)? else { return Ok(()) };
        // Crates with a few requests say more than empty ones.
        let functions = files.get("surface.txt").map_or(0, |s| s.lines().count());
        if functions >= 2 {
            sample.push(files);
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    let sample = sample.into_inner().unwrap_or_else(|e| e.into_inner());
    assert_eq!(sample.len(), SAMPLE, "not enough generated crates to sample");
    // The crate name is part of Cargo.toml: give each crate its own.
    let crates: Vec<(String, Files)> = sample
        .into_iter()
        .enumerate()
        .map(|(i, mut files)| {
            let name = format!("hostile-sample-{i}");
            if let Some(toml) = files.get_mut("Cargo.toml") {
                let old = toml.lines().find(|l| l.starts_with("name = ")).unwrap_or_default().to_owned();
                *toml = toml.replacen(&old, &format!("name = \"{name}\""), 1);
            }
            (name, files)
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    if let Err(output) = check_crates(dir.path(), &crates, &["check", "--quiet"]) {
        panic!("sampled generated crates do not compile:\n{output}");
    }
}

#[test]
fn a_sample_of_generated_random_collections_compiles() {
    compile_sample();
}

// ---------------------------------------------------------------------------------------------
// Mutations of the corpus.

#[derive(Debug, Clone)]
enum Mutation {
    /// Removes the node from its object or array.
    Delete(u32),
    /// Replaces the node (wrong types, hostile strings, random JSON).
    Replace(u32, Value),
    /// Replaces the node with a long string.
    Huge(u32, usize),
    /// Wraps the node in nested folders.
    NestFolders(u32, usize),
    /// Wraps the node in nested arrays.
    NestArrays(u32, usize),
    /// Replaces the node with a string holding deeply nested JSON (read later as a body).
    DeepJsonString(u32, usize, bool),
    /// Gives the node's object a second copy of one of its keys.
    DuplicateKey(u32),
    /// Renames the node's key (in its parent object).
    RenameKey(u32, String),
    /// Copies another node over this one (a request where a URL belongs, …).
    Copy(u32, u32),
}

#[derive(Debug, Clone)]
enum ByteMutation {
    Bom,
    DoubleBom,
    Utf16Bom,
    Insert(u32, &'static [u8]),
    Truncate(u32),
}

const BYTES: &[&[u8]] = &[
    b"\xff", b"\xc3", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\0", b"\x07", b"\x1b[2J",
    b"\r", b"\n", b"\xef\xbb\xbf", b"\xe2\x80\xae", b"\\", b"\"", b"{", b"}", b"[", b"]", b",", b":",
];

fn selector() -> BoxedStrategy<u32> {
    any::<u32>().boxed()
}

fn mutation() -> BoxedStrategy<Mutation> {
    let wrong_type = prop_oneof![
        Just(json!(null)), Just(json!(true)), Just(json!(0)), Just(json!(-1.5)), Just(json!("")),
        Just(json!([])), Just(json!({})), Just(json!([1, "a", null])), Just(json!({"x": [1]})),
        Just(json!(u64::MAX)), Just(json!(i64::MIN)), Just(json!(1e300)),
    ];
    prop_oneof![
        3 => selector().prop_map(Mutation::Delete),
        3 => (selector(), wrong_type).prop_map(|(s, v)| Mutation::Replace(s, v)),
        3 => (selector(), hostile_string()).prop_map(|(s, v)| Mutation::Replace(s, Value::from(v))),
        1 => (selector(), json_value()).prop_map(|(s, v)| Mutation::Replace(s, v)),
        1 => (selector(), prop_oneof![Just(100_000usize), Just(1_000_000)]).prop_map(|(s, n)| Mutation::Huge(s, n)),
        1 => (selector(), prop_oneof![1usize..70, 120usize..135]).prop_map(|(s, d)| Mutation::NestFolders(s, d)),
        1 => (selector(), prop_oneof![1usize..70, 120usize..135]).prop_map(|(s, d)| Mutation::NestArrays(s, d)),
        1 => (selector(), prop_oneof![1usize..140, Just(10_000)], any::<bool>()).prop_map(|(s, d, o)| Mutation::DeepJsonString(s, d, o)),
        2 => selector().prop_map(Mutation::DuplicateKey),
        2 => (selector(), key()).prop_map(|(s, k)| Mutation::RenameKey(s, k)),
        1 => (selector(), selector()).prop_map(|(a, b)| Mutation::Copy(a, b)),
    ]
    .boxed()
}

fn byte_mutation() -> BoxedStrategy<ByteMutation> {
    prop_oneof![
        1 => Just(ByteMutation::Bom),
        1 => Just(ByteMutation::DoubleBom),
        1 => Just(ByteMutation::Utf16Bom),
        4 => (selector(), select(BYTES)).prop_map(|(s, b)| ByteMutation::Insert(s, b)),
        1 => selector().prop_map(ByteMutation::Truncate),
    ]
    .boxed()
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Keys where mutations matter most; half of the mutations pick among these nodes.
const STRUCTURAL: &[&str] = &[
    "item", "request", "url", "body", "auth", "header", "query", "variable", "response", "info",
    "name", "method", "mode", "raw", "host", "path", "type", "key", "value", "description",
    "formdata", "urlencoded", "options", "code", "schema", "values", "enabled",
];

fn paths(value: &Value) -> (Vec<Vec<Seg>>, Vec<usize>) {
    let mut all = Vec::new();
    let mut structural = Vec::new();
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        if let Some(Seg::Key(k)) = path.last() {
            if STRUCTURAL.contains(&k.as_str()) {
                structural.push(all.len());
            }
        }
        match node {
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    stack.push((p, child));
                }
            }
            Value::Object(map) => {
                for (k, child) in map {
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    stack.push((p, child));
                }
            }
            _ => {}
        }
        all.push(path);
    }
    (all, structural)
}

fn pick(value: &Value, selector: u32) -> Vec<Seg> {
    let (all, structural) = paths(value);
    let s = selector as usize;
    if s & 1 == 0 && !structural.is_empty() {
        all[structural[(s / 2) % structural.len()]].clone()
    } else {
        all[(s / 2) % all.len()].clone()
    }
}

fn node_mut<'a>(value: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut node = value;
    for seg in path {
        node = match seg {
            Seg::Key(k) => node.as_object_mut()?.get_mut(k)?,
            Seg::Index(i) => node.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(node)
}

fn node<'a>(value: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let mut node = value;
    for seg in path {
        node = match seg {
            Seg::Key(k) => node.as_object()?.get(k)?,
            Seg::Index(i) => node.as_array()?.get(*i)?,
        };
    }
    Some(node)
}

fn nest(mut inner: Value, depth: usize, folders: bool) -> Value {
    for level in 0..depth {
        inner = if folders { json!({"name": format!("level {level}"), "item": [inner]}) } else { json!([inner]) };
    }
    inner
}

/// Applies tree mutations; returns the text replacements that make duplicate keys.
fn apply(value: &mut Value, mutations: &[Mutation]) -> Vec<(String, String)> {
    let mut duplicates = Vec::new();
    for mutation in mutations {
        match mutation {
            Mutation::Delete(s) => {
                let path = pick(value, *s);
                let Some((last, parent)) = path.split_last() else { continue };
                match (node_mut(value, parent), last) {
                    (Some(Value::Object(map)), Seg::Key(k)) => {
                        map.shift_remove(k);
                    }
                    (Some(Value::Array(items)), Seg::Index(i)) => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
            Mutation::Replace(s, new) => {
                let path = pick(value, *s);
                if let Some(node) = node_mut(value, &path) {
                    *node = new.clone();
                }
            }
            Mutation::Huge(s, len) => {
                let path = pick(value, *s);
                if let Some(node) = node_mut(value, &path) {
                    *node = Value::from("{{x}}/é\u{1f980}\"#*/".repeat(len / 16 + 1));
                }
            }
            Mutation::NestFolders(s, depth) | Mutation::NestArrays(s, depth) => {
                let folders = matches!(mutation, Mutation::NestFolders(..));
                let path = pick(value, *s);
                if let Some(node) = node_mut(value, &path) {
                    *node = nest(node.take(), *depth, folders);
                }
            }
            Mutation::DeepJsonString(s, depth, objects) => {
                let path = pick(value, *s);
                let text = if *objects {
                    format!("{}1{}", "{\"a\":".repeat(*depth), "}".repeat(*depth))
                } else {
                    format!("{}1{}", "[".repeat(*depth), "]".repeat(*depth))
                };
                if let Some(node) = node_mut(value, &path) {
                    *node = Value::from(text);
                }
            }
            Mutation::DuplicateKey(s) => {
                let mut path = pick(value, *s);
                // The nearest object at or above the node.
                loop {
                    if matches!(node(value, &path), Some(Value::Object(map)) if !map.is_empty()) {
                        break;
                    }
                    if path.pop().is_none() {
                        break;
                    }
                }
                if let Some(Value::Object(map)) = node_mut(value, &path) {
                    let Some((first, copy)) = map.iter().next().map(|(k, v)| (k.clone(), v.clone())) else { continue };
                    let marker = format!("\u{1}duplicate {}\u{1}", duplicates.len());
                    map.insert(marker.clone(), copy);
                    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
                    duplicates.push((quoted(&marker), quoted(&first)));
                }
            }
            Mutation::RenameKey(s, new_key) => {
                let path = pick(value, *s);
                let Some((Seg::Key(old), parent)) = path.split_last() else { continue };
                if let Some(Value::Object(map)) = node_mut(value, parent) {
                    if let Some(v) = map.shift_remove(old) {
                        map.insert(new_key.clone(), v);
                    }
                }
            }
            Mutation::Copy(from, to) => {
                let source = pick(value, *from);
                let Some(copy) = node(value, &source).cloned() else { continue };
                let target = pick(value, *to);
                if let Some(node) = node_mut(value, &target) {
                    *node = copy;
                }
            }
        }
    }
    duplicates
}

fn mutate_bytes(mut bytes: Vec<u8>, mutations: &[ByteMutation]) -> Vec<u8> {
    for mutation in mutations {
        let at = |s: &u32, len: usize| if len == 0 { 0 } else { *s as usize % (len + 1) };
        match mutation {
            ByteMutation::Bom => bytes.splice(0..0, *b"\xef\xbb\xbf").for_each(drop),
            ByteMutation::DoubleBom => bytes.splice(0..0, *b"\xef\xbb\xbf\xef\xbb\xbf").for_each(drop),
            ByteMutation::Utf16Bom => bytes.splice(0..0, *b"\xfe\xff").for_each(drop),
            ByteMutation::Insert(s, insert) => {
                let i = at(s, bytes.len());
                bytes.splice(i..i, insert.iter().copied()).for_each(drop);
            }
            ByteMutation::Truncate(s) => bytes.truncate(at(s, bytes.len())),
        }
    }
    bytes
}

fn corpus_values(environments: bool) -> &'static [(String, Value)] {
    static COLLECTIONS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    static ENVIRONMENTS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    let load = |files: Vec<std::path::PathBuf>| {
        let values: Vec<(String, Value)> = files
            .iter()
            .filter_map(|p| {
                let bytes = std::fs::read(p).ok()?;
                let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
                // Files that are not JSON (a corpus entry can be broken on purpose) are skipped.
                let value = serde_json::from_slice(bytes).ok()?;
                Some((p.file_name()?.to_string_lossy().into_owned(), value))
            })
            .collect();
        assert!(!values.is_empty(), "the corpus has no such files");
        values
    };
    if environments {
        ENVIRONMENTS.get_or_init(|| load(corpus_collections().iter().filter_map(|c| environment_for(c)).collect()))
    } else {
        COLLECTIONS.get_or_init(|| load(corpus_collections()))
    }
}

fn mutated(file: usize, tree: &[Mutation], bytes: &[ByteMutation], environments: bool) -> Result<(String, Vec<u8>), TestCaseError> {
    let corpus = corpus_values(environments);
    let (name, original) = &corpus[file % corpus.len()];
    let mut value = original.clone();
    let duplicates = apply(&mut value, tree);
    let mut text = serde_json::to_string_pretty(&value)?;
    for (marker, key) in duplicates {
        text = text.replace(&marker, &key);
    }
    Ok((name.clone(), mutate_bytes(text.into_bytes(), bytes)))
}

fn corpus_mutation_case() {
    let cases = 160;
    let strategy = (any::<usize>(), prop::collection::vec(mutation(), 1..5), prop::collection::vec(byte_mutation(), 0..2));
    run(cases, strategy, |(file, tree, bytes)| {
        let (_, bytes) = mutated(file, &tree, &bytes, false)?;
        outcome(&bytes).map(drop)
    });
}

#[test]
fn mutated_corpus_collections_never_panic() {
    corpus_mutation_case();
}

#[test]
fn mutated_corpus_environments_never_panic() {
    let cases = 96;
    let strategy = (any::<usize>(), prop::collection::vec(mutation(), 1..4), prop::collection::vec(byte_mutation(), 0..2));
    let collections: Vec<_> = corpus_collections().into_iter().filter(|c| environment_for(c).is_some()).collect();
    assert!(!collections.is_empty());
    run(cases, strategy, |(file, tree, bytes)| {
        let (name, bytes) = mutated(file, &tree, &bytes, true)?;
        let collection = collections
            .iter()
            .find(|c| environment_for(c).is_some_and(|e| e.file_name().is_some_and(|n| n.to_string_lossy() == name)))
            .ok_or_else(|| TestCaseError::fail(format!("no collection for {name}")))?;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(&name);
        std::fs::write(&path, &bytes)?;
        if let Err(err) = parse::parse_environment(&bytes, &path) {
            check_error(&err.to_string(), &path)?;
        }
        // As an environment and as globals.
        for as_globals in [false, true] {
            let mut generator = Generator::new();
            generator.collection(collection).crate_name("env-case");
            if as_globals {
                generator.globals(&path);
            } else {
                generator.environment(&path);
            }
            match generator.generate_files() {
                Ok(generated) => check_warnings(&generated.warnings)?,
                Err(err) => check_error(&err.to_string(), &path)?,
            }
        }
        Ok(())
    });
}

/// The mutation machinery itself: each kind changes the file (else the tests above test little).
#[test]
fn mutations_change_the_file() {
    let corpus = corpus_values(false);
    let (_, original) = &corpus[0];
    let text = serde_json::to_string_pretty(original).unwrap();
    let kinds = [
        Mutation::Delete(0),
        Mutation::Replace(0, json!(5)),
        Mutation::Huge(1, 100_000),
        Mutation::NestFolders(0, 3),
        Mutation::NestArrays(0, 3),
        Mutation::DeepJsonString(0, 10, false),
        Mutation::DuplicateKey(0),
        Mutation::RenameKey(0, "items".into()),
        Mutation::Copy(0, 1),
    ];
    for kind in kinds {
        let (_, bytes) = mutated(0, std::slice::from_ref(&kind), &[], false).unwrap();
        assert!(bytes != text.as_bytes(), "{kind:?} changed nothing");
    }
    let (_, bytes) = mutated(0, &[Mutation::DuplicateKey(1)], &[], false).unwrap();
    let err = parse::parse_collection(&bytes, Path::new("dup.json")).unwrap_err().to_string();
    assert!(err.contains("duplicate field"), "{err}");
    // Non-ASCII hosts in raw URLs once panicked in `split_raw`; they now lower like any other.
    for raw in [
        br#"{"item":[{"request":"http://\u00e9/a"}]}"#.as_slice(),
        br#"{"item":[{"request":{"url":{"raw":"{{h}}\u00e9/a"}}}]}"#,
        br#"{"item":[{"request":"http://x/\u00e9?q=\u00e9"}]}"#,
        br#"{"item":[{"request":{"url":{"raw":"\u00e9","host":["x"]}}}]}"#,
    ] {
        let (collection, _) = parse::parse_collection(raw, Path::new("host.json")).unwrap();
        let api = postman_codegen::lower::lower(&collection, Default::default());
        assert_eq!(api.root.operations.len(), 1);
    }
}
