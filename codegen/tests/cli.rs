//! The pinned command-line contract of `postman-codegen generate`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postman-codegen")).args(args).output().expect("binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn generate(collection: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "generate",
        "--collection",
        collection.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "petstore",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn generates_a_crate_with_surface_and_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("petstore");
    let collection = fixtures().join("petstore.postman_collection.json");
    let env = fixtures().join("petstore.postman_environment.json");
    let env = env.to_str().unwrap();

    let output = generate(&collection, &out, &["--env", env]);
    assert!(output.status.success(), "{}", stderr(&output));
    for file in ["Cargo.toml", "src/lib.rs", "src/pets.rs", "src/store.rs", "src/ids.rs", "surface.txt"] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    let surface = std::fs::read_to_string(out.join("surface.txt")).unwrap();
    let lines: Vec<&str> = surface.lines().collect();
    assert_eq!(lines.len(), 6);
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "surface.txt is sorted");
    assert!(lines.iter().all(|l| l.split('\t').count() == 4), "four tab-separated columns");
    assert!(
        lines.contains(&"pets::get_pet\tGET\t/pets/{petId}\tpub async fn get_pet(client: &Client, pet_id: &PetId) -> Result<Response, Error>"),
        "{surface}"
    );

    let output = generate(&collection, &out, &["--env", env, "--check"]);
    assert!(output.status.success(), "fresh output passes --check: {}", stderr(&output));

    std::fs::write(out.join("src/pets.rs"), "// edited by hand\n").unwrap();
    let output = generate(&collection, &out, &["--env", env, "--check"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("out of date") && err.contains("src/pets.rs"), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("src/pets.rs")).unwrap(), "// edited by hand\n", "--check writes nothing");
}

#[test]
fn invalid_json_is_one_error_line_with_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"info\": {\n    \"name\": \"x\",,\n  }\n}\n").unwrap();
    let out = dir.path().join("out");
    let output = generate(&bad, &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains("bad.json: invalid JSON at line 3, column 17"), "{err}");
    assert!(!out.exists(), "nothing is written on error");
}

#[test]
fn unsupported_versions_and_structural_errors_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = generate(&corpus("grafana--postman-to-k6--github.json"), &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.starts_with("error: ") && err.contains("collection v1"), "{err}");

    let output = generate(&corpus("usebruno--bruno--postman-malformed.json"), &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("JSON path `item`"), "{}", stderr(&output));

    let items = dir.path().join("items.json");
    std::fs::write(&items, r#"{"info":{"name":"x","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"items":[]}"#).unwrap();
    let err = stderr(&generate(&items, &out, &[]));
    assert!(err.contains("under `items`"), "{err}");
    assert!(!out.exists());
}

#[test]
fn warnings_are_single_lines_naming_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let output = generate(&corpus("kevinswiber--postman2openapi--echo.postman.json"), &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(!err.is_empty());
    for line in err.lines() {
        assert!(line.starts_with("warning: "), "{line}");
    }
    assert!(err.contains("warning: Custom / PUT Custom: field `body.is.mixed[]` has conflicting types"), "{err}");
}

#[test]
fn refuses_to_write_over_a_parent_directory() {
    let output = generate(&fixtures().join("petstore.postman_collection.json"), Path::new(".."), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
}

#[test]
fn diff_classifies_and_fails_on_breaking() {
    let dir = tempfile::tempdir().unwrap();
    let old = fixtures().join("petstore.postman_collection.json");
    let mut collection: serde_json::Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
    // Delete "Get pet" (breaking) and add a disabled query parameter to "List pets" (additive).
    let pets = collection["item"][0]["item"].as_array_mut().unwrap();
    pets.remove(2);
    pets[0]["request"]["url"]["query"].as_array_mut().unwrap().push(serde_json::json!({"key": "sort", "value": "name", "disabled": true}));
    let new = dir.path().join("petstore-new.postman_collection.json");
    std::fs::write(&new, serde_json::to_vec(&collection).unwrap()).unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());

    let output = run(&["diff", old, new]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("petstore-new.postman_collection: 1 breaking, 1 additive, 0 docs\n"), "{text}");
    assert!(text.contains("breaking  pets::get_pet: function removed or renamed   (Pets / Get pet)"), "{text}");
    assert!(text.contains("additive  pets::ListPetsQuery: new optional field `sort`"), "{text}");

    let output = run(&["diff", old, new, "--format", "markdown", "--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(2), "breaking changes fail with exit 2");
    let markdown = String::from_utf8_lossy(&output.stdout);
    assert!(markdown.contains("| kind | Rust item | change | Postman item |"), "{markdown}");
    assert!(markdown.contains("| breaking | `pets::get_pet` | function removed or renamed | Pets / Get pet |"), "{markdown}");

    let output = run(&["diff", old, old, "--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// `generate --config` runs the same library function as `cargo xtask codegen`: on this
/// repository's own config it finds `generated/` (written by the xtask) byte for byte up to date.
#[test]
fn generate_config_matches_the_xtask_output() {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../collection/codegen.toml");
    let output = run(&["generate", "--config", config.to_str().unwrap(), "--check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("zoho-cliq: up to date ("), "{stdout}");
    let output = run(&["generate", "--config", config.to_str().unwrap(), "--crate", "zoho-cliq", "--check"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn generate_config_and_the_flags_form_do_not_mix() {
    let output = run(&["generate", "--config", "codegen.toml", "--collection", "c.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("'--config <FILE>' cannot be used with '--collection <COLLECTION>'"), "{}", stderr(&output));
    let output = run(&["generate", "--crate", "x", "--collection", "c.json", "--out", "o", "--crate-name", "x"]);
    assert_eq!(output.status.code(), Some(2), "--crate belongs to --config");
    let output = run(&["generate", "--out", "o"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--collection <COLLECTION>"), "{}", stderr(&output));
}

#[test]
fn generate_config_check_names_the_command_when_out_of_date() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("petstore.postman_collection.json"), dir.path().join("petstore.json")).unwrap();
    let config = dir.path().join("codegen.toml");
    std::fs::write(&config, "[[crate]]\nname = \"petstore\"\ncollection = \"petstore.json\"\nout = \"client\"\n").unwrap();
    let output = run(&["generate", "--config", config.to_str().unwrap(), "--check"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let expected = format!("error: generated code is out of date: run `postman-codegen generate --config {}`", config.display());
    assert!(err.contains(&expected), "{err}");
    assert!(!dir.path().join("client").exists(), "--check writes nothing");
}

/// A request renamed in Postman (same id): `diff` says renamed, and with the crate's lock it
/// predicts what regenerating in place does (the Rust name is kept; only docs change).
#[test]
fn diff_reports_renames_by_postman_id_and_predicts_regeneration_with_lock() {
    let dir = tempfile::tempdir().unwrap();
    let old = fixtures().join("petstore.postman_collection.json");
    let mut collection: serde_json::Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
    collection["item"][0]["item"][2]["name"] = serde_json::json!("Fetch pet");
    let new = dir.path().join("petstore-new.postman_collection.json");
    std::fs::write(&new, serde_json::to_vec(&collection).unwrap()).unwrap();
    let (old_arg, new_arg) = (old.to_str().unwrap(), new.to_str().unwrap());

    let output = run(&["diff", old_arg, new_arg]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("breaking  pets::get_pet: renamed to `pets::fetch_pet`   (Pets / Fetch pet)"), "{text}");
    assert!(!text.contains("removed") && !text.contains("new function"), "not a removal plus an addition: {text}");

    let out = dir.path().join("petstore");
    assert!(generate(&old, &out, &[]).status.success());
    let lock = out.join("names.lock");
    let output = run(&["diff", old_arg, new_arg, "--lock", lock.to_str().unwrap(), "--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text, "petstore-new.postman_collection: 0 breaking, 0 additive, 1 docs\n  docs      pets::get_pet: documentation changed   (Pets / Fetch pet)\n");
    // Regenerating in place does what the diff said.
    let generated = generate(&new, &out, &[]);
    assert!(generated.status.success());
    assert!(std::fs::read_to_string(out.join("surface.txt")).unwrap().contains("pets::get_pet\t"));

    let output = run(&["diff", old_arg, new_arg, "--lock", dir.path().join("missing.lock").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error: ") && stderr(&output).contains("missing.lock: No such file"), "{}", stderr(&output));
}
