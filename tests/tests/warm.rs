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
            let mut text = std::fs::read_to_string(out.join(name)).unwrap();
            // Once: a file reused again keeps its one marker.
            if !text.ends_with("// reused\n") {
                text.push_str("// reused\n");
            }
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

    // One request of the Store folder changes: store.rs is formatted again; pets.rs keeps its
    // text.
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

/// Generates `collection` into `dir/out` (warm) and from scratch in memory (cold); asserts that
/// every file and every warning is the same, the reused files' planted marker aside. Returns the
/// files reused and the warnings.
fn warm_equals_cold(dir: &Path, collection: &Value) -> (Vec<String>, Vec<String>) {
    let out = dir.join("out");
    let marked = mark_formatted_files(&out);
    assert!(!marked.is_empty());
    // The cold generation reads the lock the warm one read (which rewrites it).
    std::fs::copy(out.join("names.lock"), dir.join("names.lock")).unwrap();
    let path = dir.join("petstore.postman_collection.json");
    std::fs::write(&path, serde_json::to_vec_pretty(collection).unwrap()).unwrap();
    let warm_warnings = fixture_generator(&path, "petstore").generate(&out).unwrap().warnings;
    let warm = read_dir(&out);
    let reused = reused(&out);

    std::fs::create_dir_all(dir.join("cold")).unwrap();
    let cold_path = dir.join("cold/petstore.postman_collection.json");
    std::fs::write(&cold_path, serde_json::to_vec_pretty(collection).unwrap()).unwrap();
    let mut generator = fixture_generator(&cold_path, "petstore");
    generator.lock_file(dir.join("names.lock"));
    let cold = generator.generate_files().unwrap();
    assert_eq!(warm_warnings, cold.warnings);
    let cold: BTreeMap<String, String> = cold.files.into_iter().collect();
    assert_eq!(warm.keys().collect::<Vec<_>>(), cold.keys().collect::<Vec<_>>());
    for (name, text) in &warm {
        let text = if reused.contains(name) { text.strip_suffix("// reused\n").unwrap() } else { text.as_str() };
        assert_eq!(text, cold[name], "{name}");
    }
    (reused, warm_warnings)
}

fn request<'a>(collection: &'a mut Value, folder: &str, name: &str) -> &'a mut Value {
    let folder = collection["item"].as_array_mut().unwrap().iter_mut().find(|i| i["name"] == folder).unwrap();
    folder["item"].as_array_mut().unwrap().iter_mut().find(|i| i["name"] == name).unwrap()
}

#[test]
fn after_any_change_a_warm_regeneration_equals_a_cold_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = petstore();
    generate(dir.path(), &collection);
    let module = |name: &str| format!("src/{name}.rs");

    // Docs only: the other module, its record (surface lines, checks) and the round-trip
    // test are reused.
    request(&mut collection, "Store", "Place order")["request"]["description"] = "Now documented.".into();
    let (reused, _) = warm_equals_cold(dir.path(), &collection);
    assert!(reused.contains(&module("pets")) && !reused.contains(&module("store")), "{reused:?}");
    assert!(reused.contains(&"tests/examples_roundtrip.rs".to_owned()), "{reused:?}");
    assert!(reused.contains(&"src/postman_examples.rs".to_owned()), "{reused:?}");

    // A query value the examples call with: only the examples and the request's module change.
    request(&mut collection, "Pets", "List pets")["request"]["url"]["query"][0]["value"] = "50".into();
    let (reused, _) = warm_equals_cold(dir.path(), &collection);
    assert!(!reused.contains(&"src/postman_examples.rs".to_owned()) && reused.contains(&module("store")), "{reused:?}");

    // A response sample gains a field: the type and the round-trip checks change, so every
    // module is emitted again for its checks (the unchanged one still reuses its file).
    let list = request(&mut collection, "Pets", "List pets");
    let body = r#"{"pets": [{"id": 1, "name": "Rex", "tag": null, "age": 3}], "next": "abc"}"#;
    list["response"][0]["body"] = body.into();
    let (reused, _) = warm_equals_cold(dir.path(), &collection);
    assert!(!reused.contains(&module("pets")) && reused.contains(&module("store")), "{reused:?}");
    assert!(!reused.contains(&"tests/examples_roundtrip.rs".to_owned()), "{reused:?}");

    // Samples that conflict make warnings; an unchanged run reports them from the record.
    let list = request(&mut collection, "Pets", "List pets");
    let mut conflicting = list["response"][0].clone();
    conflicting["body"] = r#"{"pets": [{"id": "one", "name": 2}], "next": 5}"#.into();
    list["response"].as_array_mut().unwrap().push(conflicting);
    let (_, warnings) = warm_equals_cold(dir.path(), &collection);
    assert!(!warnings.is_empty());
    let (reused, again) = warm_equals_cold(dir.path(), &collection);
    assert_eq!(again, warnings);
    assert!(reused.contains(&module("pets")) && reused.contains(&module("store")), "{reused:?}");

    // A renamed request renames its function (surface, examples); a new folder adds a module
    // and a folder's docs change the crate root's module list.
    request(&mut collection, "Pets", "Get pet")["name"] = "Fetch pet".into();
    warm_equals_cold(dir.path(), &collection);
    let moved = request(&mut collection, "Store", "Upload receipt").clone();
    collection["item"].as_array_mut().unwrap().push(serde_json::json!({"name": "Receipts", "item": [moved]}));
    let (reused, _) = warm_equals_cold(dir.path(), &collection);
    assert!(!reused.contains(&module("receipts")), "{reused:?}");

    // A module removed: its file goes, the others stay reused.
    collection["item"].as_array_mut().unwrap().retain(|i| i["name"] != "Receipts");
    let (reused, _) = warm_equals_cold(dir.path(), &collection);
    assert!(reused.contains(&module("pets")), "{reused:?}");
    assert!(!dir.path().join("out/src/receipts.rs").exists());
}

#[test]
fn a_changed_or_altered_module_cache_still_gives_the_cold_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let collection = petstore();
    let first = generate(dir.path(), &collection);
    let cache = out.join(postman_codegen::write::CACHE);
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(text.contains("src/pets.rs"), "{text}");
    // A record edited by hand (a surface line) is refused by the cache's checksum.
    std::fs::write(&cache, text.replace("pets::", "pests::")).unwrap();
    assert_eq!(generate(dir.path(), &collection), first);
    assert_eq!(std::fs::read_to_string(&cache).unwrap(), text, "rewritten");
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(generate(dir.path(), &collection), first);
}

/// A module is reused only while names.lock pins exactly the shared types it gave: a type renamed
/// in the lock by hand is taken, as a cold generation takes it.
#[test]
fn a_shared_type_renamed_in_the_lock_is_emitted_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let collection = petstore();
    let first = generate(dir.path(), &collection);
    assert!(first["src/pets.rs"].contains("pub struct ListPetsResponsePetsItem {"));
    let lock = std::fs::read_to_string(out.join("names.lock")).unwrap();
    assert!(lock.contains("name = \"ListPetsResponsePetsItem\""), "{lock}");
    std::fs::write(out.join("names.lock"), lock.replace("name = \"ListPetsResponsePetsItem\"", "name = \"Pet\"")).unwrap();
    let (reused, _) = warm_equals_cold(dir.path(), &collection);
    assert!(!reused.contains(&"src/pets.rs".to_owned()), "{reused:?}");
    let files = read_dir(&out);
    assert!(files["src/pets.rs"].contains("pub struct Pet {"));
    assert!(files["names.lock"].contains("name = \"Pet\""));
}
