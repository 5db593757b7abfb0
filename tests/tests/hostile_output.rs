//! Nothing half-written, nothing outside the output (issue 8): an error leaves the previous crate
//! byte-identical; user files in the output directory survive regeneration and only files listed
//! in the manifest are removed; output paths that escape to a parent of the current directory or
//! the workspace (via `..` or a symlink) are refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use integration_tests::repo_root;
use postman_codegen::emit::Files;
use postman_codegen::write::{ensure_dir_contents, MANIFEST};
use postman_codegen::Generator;
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

fn petstore() -> Value {
    serde_json::from_slice(&std::fs::read(fixture("petstore.postman_collection.json")).unwrap()).unwrap()
}

/// Every file and directory under `dir` (symlinks not followed), with file contents.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.insert(format!("{name}/"), None);
                stack.push(path);
            } else {
                out.insert(name, Some(std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    out
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path
}

/// Generates `collection` into `out` with the petstore environment.
fn generate(collection: &Path, out: &Path) -> Result<(), String> {
    Generator::new()
        .collection(collection)
        .environment(fixture("petstore.postman_environment.json"))
        .crate_name("petstore")
        .generate(out)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The petstore with its "Store" folder renamed: a new module file, a stale one, and changes to
/// lib.rs, Cargo.toml and surface.txt.
fn renamed_store(dir: &Path, new_name: &str, nested: bool) -> PathBuf {
    let mut collection = petstore();
    let items = collection["item"].as_array_mut().unwrap();
    let store = items.iter_mut().find(|i| i["name"] == "Store").expect("petstore has a Store folder");
    store["name"] = Value::from(new_name);
    // Without ids the folder and its requests are new items, so names.lock does not keep them
    // in the old module: `store` goes, `shop` comes.
    store.as_object_mut().unwrap().remove("id");
    for request in store["item"].as_array_mut().unwrap() {
        request.as_object_mut().unwrap().remove("id");
    }
    if nested {
        let inner = store["item"].take();
        store["item"] = json!([{"name": "Inner", "item": inner}]);
    }
    write_json(dir, &format!("{new_name}.postman_collection.json"), &collection)
}

#[test]
fn an_error_leaves_the_previous_crate_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("petstore");
    generate(&fixture("petstore.postman_collection.json"), &out).unwrap();
    let before = snapshot(&out);
    assert!(before.contains_key("src/pets.rs") && before.contains_key(MANIFEST));

    let invalid_json = dir.path().join("invalid.json");
    std::fs::write(&invalid_json, "{\"info\": {,}").unwrap();
    let v1 = write_json(dir.path(), "v1.json", &json!({"id": "x", "name": "old", "order": [], "requests": []}));
    let structure = write_json(dir.path(), "structure.json", &json!({"info": {"name": "n"}, "item": [{"name": "r", "request": {"url": {"path": 5}}}]}));
    let missing = dir.path().join("missing.json");
    for collection in [&invalid_json, &v1, &structure, &missing] {
        let err = generate(collection, &out).unwrap_err();
        assert!(err.starts_with(&collection.display().to_string()), "{err}");
        assert_eq!(snapshot(&out), before, "{} changed the crate", collection.display());
    }
    // A broken environment, and an invalid crate name.
    let env = dir.path().join("env.json");
    std::fs::write(&env, "{\"values\": 5}").unwrap();
    let err = Generator::new().collection(fixture("petstore.postman_collection.json")).environment(&env).crate_name("petstore").generate(&out).unwrap_err();
    assert!(err.to_string().contains("invalid environment at JSON path `values`"), "{err}");
    let err = Generator::new().collection(fixture("petstore.postman_collection.json")).crate_name("9 lives").generate(&out).unwrap_err();
    assert!(err.to_string().contains("invalid crate name"), "{err}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_failure_while_writing_leaves_the_previous_crate_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("petstore");
    generate(&fixture("petstore.postman_collection.json"), &out).unwrap();

    // The next generation needs src/shop/ as a directory; a user file sits there. Cargo.toml,
    // lib.rs and others would have been replaced before the failure if files were written one
    // by one.
    std::fs::write(out.join("src/shop"), "a user file").unwrap();
    let before = snapshot(&out);
    let nested = renamed_store(dir.path(), "Shop", true);
    let err = generate(&nested, &out).unwrap_err();
    assert!(err.contains("src/shop"), "{err}");
    assert_eq!(snapshot(&out), before, "no file replaced, no temporary file or directory left");

    // A directory where a generated file goes: refused before anything is written.
    std::fs::remove_file(out.join("src/shop")).unwrap();
    std::fs::create_dir_all(out.join("src/shop.rs/keep")).unwrap();
    let before = snapshot(&out);
    let flat = renamed_store(dir.path(), "Shop", false);
    let err = generate(&flat, &out).unwrap_err();
    assert!(err.ends_with("src/shop.rs: a directory is in the way of a generated file"), "{err}");
    assert_eq!(snapshot(&out), before);

    // With the way clear, it generates.
    std::fs::remove_dir_all(out.join("src/shop.rs")).unwrap();
    generate(&flat, &out).unwrap();
    assert!(out.join("src/shop.rs").is_file() && !out.join("src/store.rs").exists());
}

/// Whether the manifest lists `file` (alone, or with the hashes of a formatted file).
fn listed(manifest: &str, file: &str) -> bool {
    manifest.lines().any(|l| l.split('\t').next() == Some(file))
}

#[test]
fn user_files_survive_and_only_manifest_listed_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("petstore");
    generate(&fixture("petstore.postman_collection.json"), &out).unwrap();
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(listed(&manifest, "src/store.rs"), "{manifest}");

    let user_files = ["NOTES.md", "src/custom.rs", "examples/demo.rs", "src/store/extra.rs", ".env"];
    for file in user_files {
        let path = out.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("user content of {file}")).unwrap();
    }
    // A tampered manifest names files outside the output directory and absolute paths.
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "outside").unwrap();
    let tampered = format!("{manifest}../outside.txt\nsrc/../../outside.txt\n{}\n/\n\n.\n", outside.display());
    std::fs::write(out.join(MANIFEST), tampered).unwrap();

    let renamed = renamed_store(dir.path(), "Shop", false);
    generate(&renamed, &out).unwrap();
    assert!(!out.join("src/store.rs").exists(), "the stale generated module is removed");
    assert!(out.join("src/shop.rs").is_file());
    for file in user_files {
        assert_eq!(std::fs::read_to_string(out.join(file)).unwrap(), format!("user content of {file}"), "{file}");
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "outside");
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(listed(&manifest, "src/shop.rs") && !manifest.contains("store.rs") && !manifest.contains("outside"), "{manifest}");
    for file in user_files {
        assert!(!listed(&manifest, file), "{file} is not the generator's");
    }

    // A user file where a generated file now goes is never replaced.
    std::fs::write(out.join("src/store.rs"), "the user's own store").unwrap();
    let before = snapshot(&out);
    let err = generate(&fixture("petstore.postman_collection.json"), &out).unwrap_err();
    assert!(err.contains("src/store.rs: exists but was not generated by postman-codegen"), "{err}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn nothing_is_written_or_removed_through_a_symlink_inside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("store.rs"), "precious").unwrap();
    let out = dir.path().join("petstore");
    generate(&fixture("petstore.postman_collection.json"), &out).unwrap();
    // A crafted output directory: `src` points elsewhere, and the manifest lists what is there.
    std::fs::rename(out.join("src"), dir.path().join("old-src")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("src")).unwrap();
    let before = snapshot(&elsewhere);
    let err = generate(&renamed_store(dir.path(), "Shop", false), &out).unwrap_err();
    assert!(err.contains("symbolic link inside the output directory"), "{err}");
    assert_eq!(snapshot(&elsewhere), before);
}

#[test]
fn generated_paths_cannot_leave_the_output_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    for name in ["../escape.txt", "/tmp/absolute.txt", "a/../../escape.txt", "", ".", MANIFEST] {
        let mut files = Files::new();
        files.insert(name.to_owned(), "x".to_owned());
        let err = ensure_dir_contents(&out, &files, false).unwrap_err().to_string();
        assert!(err.contains("generated path escapes the output directory"), "{name:?}: {err}");
    }
    assert!(!dir.path().join("escape.txt").exists() && !out.exists());
}

/// The current directory of integration tests is the package directory (`tests/`), inside the
/// workspace. These targets are checked in check mode, which runs the same refusal first and
/// never writes: if the refusal broke, a real write would land in the workspace itself.
#[test]
fn output_paths_escaping_to_a_parent_are_refused() {
    let cwd = std::env::current_dir().unwrap();
    assert!(cwd.starts_with(repo_root()), "tests run inside the workspace: {}", cwd.display());
    let dir = tempfile::tempdir().unwrap();
    let link = |name: &str, target: &Path| {
        let path = dir.path().join(name);
        std::os::unix::fs::symlink(target, &path).unwrap();
        path
    };
    let workspace_parent = repo_root().parent().unwrap().to_owned();
    let refused: Vec<(PathBuf, &str)> = vec![
        (PathBuf::from(".."), "current directory or one of its parents"),
        (PathBuf::from("../.."), "current directory or one of its parents"),
        (PathBuf::from("."), "current directory or one of its parents"),
        (PathBuf::from("not-there/../.."), "current directory or one of its parents"),
        (PathBuf::from("src/../../.."), "current directory or one of its parents"),
        (repo_root(), "current directory or one of its parents"),
        (link("to-workspace-parent", &workspace_parent), "current directory or one of its parents"),
        (link("to-workspace", &repo_root()), "current directory or one of its parents"),
        (link("to-cwd", &cwd), "current directory or one of its parents"),
        (link("to-root", Path::new("/")), "filesystem root"),
        (link("to-workspace-via-dots", &repo_root().join("tests/..")), "current directory or one of its parents"),
        (dir.path().join("to-workspace-parent/."), "current directory or one of its parents"),
        (PathBuf::from("/"), "filesystem root"),
        (PathBuf::new(), "the output directory is empty"),
    ];
    let mut files = Files::new();
    files.insert("probe.txt".to_owned(), "x".to_owned());
    for (path, needle) in refused {
        let err = match ensure_dir_contents(&path, &files, true) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(err) => err.to_string(),
        };
        assert!(err.contains(needle), "{}: {err}", path.display());
        assert!(err.starts_with(&path.display().to_string()), "{err}");
    }
    // A chain of links ends at the workspace's parent too.
    let chain = link("chain", &dir.path().join("to-workspace-parent"));
    let err = ensure_dir_contents(&chain, &files, true).unwrap_err().to_string();
    assert!(err.contains("refusing"), "{err}");

    // The same check guards real generation (a safe target: it is refused before any write).
    let err = Generator::new().collection(fixture("petstore.postman_collection.json")).crate_name("p").generate("").unwrap_err();
    assert!(err.to_string().contains("the output directory is empty"), "{err}");

    // Paths with `..` that stay outside the workspace's ancestors are fine.
    let fine = dir.path().join("a/../b");
    ensure_dir_contents(&fine, &files, false).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("b/probe.txt")).unwrap(), "x");
    let into_link = link("to-b", &dir.path().join("b"));
    ensure_dir_contents(&into_link, &files, false).unwrap();
}

/// `names.lock` is read before generating (the names it holds are kept), so a hand-written one
/// in a fresh output directory is taken over, not refused.
#[test]
fn a_hand_written_names_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("petstore");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("names.lock"), "").unwrap();
    generate(&fixture("petstore.postman_collection.json"), &out).unwrap();
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(manifest.lines().any(|l| l == "names.lock"), "{manifest}");
}
