//! Every row of the README's "Errors you can meet" table: each test triggers the error the way a
//! user would and asserts the message text. The command line prints the same text after
//! `error: `.

use std::path::{Path, PathBuf};

use integration_tests::{corpus_dir, repo_root};
use postman_codegen::Generator;
use serde_json::json;

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn collection_error(path: &Path) -> String {
    Generator::new().collection(path).crate_name("x").generate_files().map(drop).unwrap_err().to_string()
}

fn one_line(message: &str) {
    assert!(!message.contains('\n'), "one line expected: {message:?}");
}

const SUPPORTED: &str = "supported are Postman collection v2.1.0 and v2.0.0 (https://schema.getpostman.com/json/collection/v2.1.0/collection.json): export the collection again from Postman as v2.1";

#[test]
fn io_error_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.postman_collection.json");
    let err = collection_error(&missing);
    assert_eq!(err, format!("{}: No such file or directory (os error 2)", missing.display()));
    let env = dir.path().join("missing.postman_environment.json");
    let err = Generator::new().collection(fixture("petstore.postman_collection.json")).environment(&env).crate_name("x").generate_files().map(drop).unwrap_err().to_string();
    assert_eq!(err, format!("{}: No such file or directory (os error 2)", env.display()));
}

#[test]
fn invalid_json_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.json", "{\n  \"info\": {\"name\": \"x\",}\n}");
    let err = collection_error(&path);
    assert_eq!(err, format!("{}: invalid JSON at line 2, column 24: trailing comma", path.display()));
    // A file saved as UTF-16 is not read as JSON either.
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend("{}".encode_utf16().flat_map(u16::to_le_bytes));
    let path = dir.path().join("utf16.json");
    std::fs::write(&path, utf16).unwrap();
    let err = collection_error(&path);
    assert_eq!(err, format!("{}: invalid JSON at line 1, column 1: expected value", path.display()));
}

#[test]
fn structural_error_gives_json_path_and_item_path() {
    let dir = tempfile::tempdir().unwrap();
    let text = json!({
        "info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "Users", "item": [{"name": "Create user", "request": {"url": {"path": 5}}}]}]
    });
    let path = write(dir.path(), "c.json", &text.to_string());
    let err = collection_error(&path);
    assert_eq!(
        err,
        format!(
            "{}: invalid collection at JSON path `item[0].item[0].request.url.path` (in Users / Create user): invalid type: integer `5`, expected a path string or a list of path segments",
            path.display()
        )
    );
    // The offending string is never repeated (it may be a credential in the wrong place).
    let text = json!({"info": {"name": "x"}, "auth": "Bearer abc123", "item": []});
    let path = write(dir.path(), "auth.json", &text.to_string());
    let err = collection_error(&path);
    assert_eq!(err, format!("{}: invalid collection at JSON path `auth`: invalid type: string, expected struct Auth", path.display()));
}

#[test]
fn v1_collections_are_unsupported() {
    let path = corpus_dir().join("grafana--postman-to-k6--github.json");
    let err = collection_error(&path);
    assert_eq!(
        err,
        format!(
            "{}: unsupported collection format: this is a Postman collection v1 file (top-level `requests`/`order`, no `item`); {SUPPORTED}",
            path.display()
        )
    );
}

#[test]
fn unknown_schemas_are_unsupported() {
    let dir = tempfile::tempdir().unwrap();
    let text = json!({"info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v3.0.0/collection.json"}, "item": []});
    let path = write(dir.path(), "c.json", &text.to_string());
    let err = collection_error(&path);
    assert_eq!(
        err,
        format!(
            "{}: unsupported collection format: schema `https://schema.getpostman.com/json/collection/v3.0.0/collection.json`; {SUPPORTED}",
            path.display()
        )
    );
}

#[test]
fn items_instead_of_item() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.json", &json!({"info": {"name": "x"}, "items": []}).to_string());
    let err = collection_error(&path);
    assert_eq!(
        err,
        format!(
            "{}: unsupported collection format: the items sit under `items`, but Postman v2 collections keep them under `item`; {SUPPORTED}",
            path.display()
        )
    );
}

#[test]
fn an_environment_given_as_the_collection() {
    let path = fixture("petstore.postman_environment.json");
    let err = collection_error(&path);
    assert_eq!(
        err,
        format!(
            "{}: unsupported collection format: this is a Postman environment file (it has `values`), not a collection; pass it with --env; {SUPPORTED}",
            path.display()
        )
    );
}

#[test]
fn other_json_is_not_a_collection() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "package.json", &json!({"name": "x", "version": "1.0.0"}).to_string());
    let err = collection_error(&path);
    assert_eq!(
        err,
        format!("{}: unsupported collection format: no `info` and no `item`: this is not a Postman v2 collection; {SUPPORTED}", path.display())
    );
}

#[test]
fn invalid_environment_files() {
    let dir = tempfile::tempdir().unwrap();
    let generate = |env: &Path| {
        Generator::new()
            .collection(fixture("petstore.postman_collection.json"))
            .environment(env)
            .crate_name("x")
            .generate_files()
            .map(drop)
            .unwrap_err()
            .to_string()
    };
    let path = write(dir.path(), "structure.postman_environment.json", &json!({"name": "e", "values": {"baseUrl": "x"}}).to_string());
    assert_eq!(generate(&path), format!("{}: invalid environment at JSON path `values`: invalid type: map, expected a sequence", path.display()));
    let path = corpus_dir().join("plaid--plaid-postman--Sandbox_Environment.json");
    let err = generate(&path);
    assert!(err.starts_with(&format!("{}: invalid JSON at line 2, column", path.display())), "{err}");
    one_line(&err);
}

#[test]
fn unknown_key_in_codegen_toml() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "codegen.toml",
        "[[crate]]\nname = \"api\"\ncolection = \"api.postman_collection.json\"\nout = \"../generated/api\"\n",
    );
    let err = postman_codegen::config::read(&path).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}: TOML parse error at line 3, column 1", path.display())), "{err}");
    assert!(err.contains("unknown field `colection`, expected one of `name`, `collection`"), "{err}");
}

#[test]
fn unknown_key_in_codegen_toml_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "codegen.toml", "[[crate]]\nname = \"api\"\ncolection = \"c.json\"\nout = \"o\"\n");
    one_line(&postman_codegen::config::read(&path).unwrap_err().to_string());
}

#[test]
fn invalid_crate_name() {
    let err = Generator::new()
        .collection(fixture("petstore.postman_collection.json"))
        .crate_name("my api")
        .generate_files()
        .map(drop)
        .unwrap_err()
        .to_string();
    assert_eq!(err, "invalid crate name `my api`: use ASCII letters, digits, `-` and `_`, starting with a letter");
}

#[test]
fn keyword_crate_names_are_avoided_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    for word in ["true", "fn", "type", "self", "crate", "test", "std"] {
        let path = write(dir.path(), "c.json", &json!({"info": {"name": word}, "item": [{"name": "r", "request": "https://x.example/a"}]}).to_string());
        match Generator::new().collection(&path).generate_files() {
            Ok(generated) => {
                let toml = &generated.files["Cargo.toml"];
                assert!(!toml.contains(&format!("name = \"{word}\"\n")), "default crate name `{word}`");
            }
            Err(err) => panic!("{word}: {err}"),
        }
        let err = Generator::new().collection(&path).crate_name(word).generate_files().map(drop);
        assert!(err.is_err_and(|e| e.to_string().starts_with("invalid crate name")), "--crate-name {word} is accepted");
    }
    let err = Generator::new().collection(fixture("petstore.postman_collection.json")).crate_name("fn").generate_files().map(drop).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid crate name `fn`: it is a Rust keyword or the name of a built-in crate (std, core, alloc, proc_macro, test); choose another, like `fn-client`"
    );
}

#[test]
fn output_directory_refused() {
    let generate = |out: &Path| {
        Generator::new()
            .collection(fixture("petstore.postman_collection.json"))
            .crate_name("x")
            .generate(out)
            .map(drop)
            .unwrap_err()
            .to_string()
    };
    // The current directory of a test is inside the workspace: refused before any write.
    assert_eq!(
        generate(Path::new("..")),
        "..: refusing to generate into the current directory or one of its parents; pass a dedicated directory"
    );
    assert_eq!(generate(Path::new("/")), "/: refusing to generate into the filesystem root");
}

#[test]
fn output_file_not_generated_by_postman_codegen() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("api");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/lib.rs"), "// hand-written").unwrap();
    let err = Generator::new()
        .collection(fixture("petstore.postman_collection.json"))
        .crate_name("x")
        .generate(&out)
        .map(drop)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}: exists but was not generated by postman-codegen (it is not listed in .postman-codegen-manifest); move it away, or delete it to let the generator write it",
            out.join("src/lib.rs").display()
        )
    );
}

#[test]
fn output_blocked_by_a_directory_or_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("api");
    std::fs::create_dir_all(out.join("Cargo.toml")).unwrap();
    let generator = || {
        let mut g = Generator::new();
        g.collection(fixture("petstore.postman_collection.json")).crate_name("x");
        g
    };
    let err = generator().generate(&out).map(drop).unwrap_err().to_string();
    assert_eq!(err, format!("{}: a directory is in the way of a generated file", out.join("Cargo.toml").display()));
    std::fs::remove_dir(out.join("Cargo.toml")).unwrap();
    std::os::unix::fs::symlink(dir.path(), out.join("src")).unwrap();
    let err = generator().generate(&out).map(drop).unwrap_err().to_string();
    assert_eq!(err, format!("{}: is a symbolic link inside the output directory; refusing to write through it", out.join("src").display()));
}

#[test]
fn include_file_would_overwrite_a_generated_file() {
    let dir = tempfile::tempdir().unwrap();
    let include = dir.path().join("include");
    std::fs::create_dir_all(include.join("src")).unwrap();
    std::fs::write(include.join("src/lib.rs"), "// mine").unwrap();
    let err = Generator::new()
        .collection(fixture("petstore.postman_collection.json"))
        .crate_name("x")
        .include_dir(&include)
        .generate_files()
        .map(drop)
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("{}: would overwrite the generated file `src/lib.rs`", include.join("src/lib.rs").display()));
}

/// The README's table lists each message tested here.
#[test]
fn the_readme_lists_every_message() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let section = readme.split("## Errors you can meet").nth(1).expect("README has an \"Errors you can meet\" section");
    let section = section.split("\n## ").next().unwrap_or(section);
    for phrase in [
        "No such file or directory",
        "invalid JSON at line",
        "invalid collection at JSON path",
        "this is a Postman collection v1 file",
        "unsupported collection format: schema",
        "the items sit under `items`",
        "this is a Postman environment file",
        "this is not a Postman v2 collection",
        "invalid environment at JSON path",
        "unknown field",
        "invalid crate name",
        "refusing to generate into the current directory or one of its parents",
        "refusing to generate into the filesystem root",
        "exists but was not generated by postman-codegen",
        "a directory is in the way of a generated file",
        "symbolic link inside the output directory",
        "would overwrite the generated file",
    ] {
        assert!(section.contains(phrase), "the README's error table does not mention `{phrase}`");
    }
}
