//! Every valid collection of `../shared/corpus` generates a crate that compiles without
//! warnings; every invalid file gets a clear error.

use integration_tests::{check_crates, corpus_collections, corpus_dir, environment_for};
use postman_codegen::Generator;

/// Invalid on purpose, with what the error must say.
const INVALID: &[(&str, &[&str])] = &[
    ("grafana--postman-to-k6--github.json", &["unsupported collection format", "collection v1", "v2.1"]),
    ("usebruno--bruno--postman-malformed.json", &["invalid collection at JSON path `item`", "invalid type: string"]),
];

fn name_of(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn invalid_files_get_clear_errors() {
    for (file, needles) in INVALID {
        let path = corpus_dir().join(file);
        let err = Generator::new().collection(&path).crate_name("x").generate_files().unwrap_err().to_string();
        assert!(err.starts_with(&path.display().to_string()), "error must name the file: {err}");
        for needle in *needles {
            assert!(err.contains(needle), "{file}: `{err}` should contain `{needle}`");
        }
    }
    let env = corpus_dir().join("plaid--plaid-postman--Sandbox_Environment.json");
    let err = postman_codegen::parse::read_environment(&env).unwrap_err().to_string();
    assert!(err.contains("invalid JSON at line 2, column"), "{err}");
}

#[test]
fn every_valid_collection_generates_a_crate_that_passes_clippy() {
    let mut crates = Vec::new();
    let mut failures = Vec::new();
    for path in corpus_collections() {
        let file = name_of(&path);
        if INVALID.iter().any(|(f, _)| *f == file) {
            continue;
        }
        let crate_name = format!("corpus-{}", crates.len());
        let mut generator = Generator::new();
        generator.collection(&path).crate_name(&crate_name);
        if let Some(env) = environment_for(&path) {
            generator.environment(env);
        }
        match generator.generate_files() {
            Ok(generated) => crates.push((crate_name, generated.files)),
            Err(err) => failures.push(format!("{file}: {err}")),
        }
    }
    // The snapshot fixtures must compile too.
    let fixtures = integration_tests::repo_root().join("tests/fixtures");
    let mut fixture_files: Vec<_> = std::fs::read_dir(&fixtures).unwrap().map(|e| e.unwrap().path()).collect();
    fixture_files.sort();
    for path in fixture_files.iter().filter(|p| p.to_string_lossy().ends_with(".postman_collection.json")) {
        let crate_name = format!("fixture-{}", crates.len());
        match integration_tests::fixture_generator(path, &crate_name).generate_files() {
            Ok(generated) => crates.push((crate_name, generated.files)),
            Err(err) => failures.push(format!("{}: {err}", path.display())),
        }
    }
    assert!(failures.is_empty(), "valid collections failed to generate:\n{}", failures.join("\n"));
    assert!(crates.len() >= 20, "expected the whole corpus, got {}", crates.len());
    let dir = tempfile::tempdir().unwrap();
    let clippy = ["clippy", "--quiet", "--all-targets", "--all-features", "--", "-D", "warnings"];
    if let Err(output) = check_crates(dir.path(), &crates, &clippy) {
        panic!("generated corpus crates do not compile cleanly:\n{output}");
    }
    // Every saved example round-trips through its generated type (`tests/examples_roundtrip.rs`
    // of each crate; only that test target is built, not the crates' doc tests).
    let with_examples = crates.iter().filter(|(_, files)| files.contains_key("tests/examples_roundtrip.rs")).count();
    assert!(with_examples >= 10, "expected round-trip tests in most corpus crates, got {with_examples}");
    let test = ["test", "--quiet", "--all-features", "--test", "examples_roundtrip"];
    if let Err(output) = check_crates(dir.path(), &crates, &test) {
        panic!("saved examples of corpus crates do not round-trip through their types:\n{output}");
    }
}
