//! Warm regeneration: files whose input is unchanged keep the formatted text the output
//! directory's manifest vouches for, and the result is byte-identical to a cold generation.

use std::collections::BTreeMap;
use std::path::Path;

use integration_tests::fixture_generator;
use postman_codegen::write::{content_hash, MANIFEST};
use serde_json::Value;

fn petstore() -> Value {
    let path = integration_tests::repo_root().join("tests/fixtures/petstore.postman_collection.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Writes `collection` to `dir` and generates it into `dir/out` (reusing what is there).
fn generate(dir: &Path, collection: &Value) -> BTreeMap<String, String> {
    let path = dir.join("petstore.postman_collection.json");
    std::fs::write(&path, serde_json::to_vec_pretty(collection).unwrap()).unwrap();
    fixture_generator(&path, "petstore").generate(dir.join("out")).unwrap();
    read_dir(&dir.join("out"))
}

/// The generator's in-memory output, formatted from scratch.
fn cold(dir: &Path, collection: &Value) -> BTreeMap<String, String> {
    std::fs::create_dir_all(dir.join("cold")).unwrap();
    let path = dir.join("cold/petstore.postman_collection.json");
    std::fs::write(&path, serde_json::to_vec_pretty(collection).unwrap()).unwrap();
    let mut generator = fixture_generator(&path, "petstore");
    generator.lock_file(dir.join("out/names.lock"));
    generator.generate_files().unwrap().files.into_iter().collect()
}

fn read_dir(out: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let name = line.split('\t').next().unwrap();
            (name.to_owned(), std::fs::read_to_string(out.join(name)).unwrap())
        })
        .collect()
}

/// Appends a marker comment to every formatted file and records its new hash in the manifest,
/// as if the previous generation had written that text: a file that keeps the marker after
/// the next generation was reused, not formatted again.
fn mark_formatted_files(out: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    let mut marked = Vec::new();
    let lines: Vec<String> = manifest
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [name, input, _] = fields[..] else { return line.to_owned() };
            let text = std::fs::read_to_string(out.join(name)).unwrap() + "// reused\n";
            std::fs::write(out.join(name), &text).unwrap();
            marked.push(name.to_owned());
            format!("{name}\t{input}\t{}", content_hash(&[text.as_bytes()]))
        })
        .collect();
    std::fs::write(out.join(MANIFEST), lines.join("\n") + "\n").unwrap();
    marked
}

fn reused(out: &Path) -> Vec<String> {
    read_dir(out).into_iter().filter(|(_, text)| text.ends_with("// reused\n")).map(|(name, _)| name).collect()
}

#[test]
fn a_warm_regeneration_is_byte_identical_to_a_cold_one() {
    let dir = tempfile::tempdir().unwrap();
    let collection = petstore();
    let first = generate(dir.path(), &collection);
    assert!(first.contains_key("src/pets.rs"));
    let warm = generate(dir.path(), &collection);
    assert_eq!(warm, first);
    assert_eq!(cold(dir.path(), &collection), first);
    // Every formatted file has its hashes in the manifest.
    let manifest = std::fs::read_to_string(dir.path().join("out").join(MANIFEST)).unwrap();
    assert!(manifest.lines().any(|l| l.starts_with("src/pets.rs\t")), "{manifest}");
}

#[test]
fn a_one_request_change_formats_only_its_module_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut collection = petstore();
    generate(dir.path(), &collection);
    let marked = mark_formatted_files(&out);
    assert!(marked.contains(&"src/pets.rs".to_owned()) && marked.contains(&"src/store.rs".to_owned()), "{marked:?}");

    // Unchanged input: every formatted file is reused.
    generate(dir.path(), &collection);
    assert_eq!(reused(&out), marked);

    // One request of the Store folder changes: store.rs (and the files that list every
    // request, the examples) are formatted again; pets.rs keeps its text.
    let store = collection["item"].as_array_mut().unwrap().iter_mut().find(|i| i["name"] == "Store").unwrap();
    store["item"][0]["request"]["description"] = Value::String("Places an order, now documented.".into());
    let files = generate(dir.path(), &collection);
    let reused = reused(&out);
    assert!(reused.contains(&"src/pets.rs".to_owned()), "{reused:?}");
    assert!(!reused.contains(&"src/store.rs".to_owned()), "{reused:?}");
    assert!(files["src/store.rs"].contains("now documented"));

    // What was formatted again equals a cold generation; the reused files are the planted text.
    let cold = cold(dir.path(), &collection);
    for (name, text) in &files {
        if reused.contains(name) {
            assert_eq!(text.strip_suffix("// reused\n").unwrap(), cold[name], "{name}");
        } else {
            assert_eq!(text, &cold[name], "{name}");
        }
    }
}

#[test]
fn a_hand_edited_file_is_formatted_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let collection = petstore();
    let first = generate(dir.path(), &collection);
    // Edited without updating the manifest: its hash no longer matches, so it is not reused.
    std::fs::write(out.join("src/pets.rs"), "// edited\n").unwrap();
    assert_eq!(generate(dir.path(), &collection), first);
}
