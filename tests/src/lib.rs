//! Shared helpers for the cross-crate tests: where things are, and how to compile generated
//! crates in one shared target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_owned()
}

/// `../shared` beside the repository.
pub fn shared_dir() -> PathBuf {
    repo_root().join("../shared")
}

/// The third-party corpus of Postman files.
pub fn corpus_dir() -> PathBuf {
    shared_dir().join("corpus")
}

/// Files in the corpus that are collections (not environments), sorted.
pub fn corpus_collections() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("../shared/corpus exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !is_environment(p))
        .collect();
    files.sort();
    files
}

/// Whether a corpus file is an environment file (by name).
pub fn is_environment(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.contains("environment") || name.contains("Environment")
}

/// The corpus environment file that belongs to a collection: same `owner--repo--` prefix.
pub fn environment_for(collection: &Path) -> Option<PathBuf> {
    let name = collection.file_name()?.to_string_lossy().into_owned();
    let prefix: String = name.splitn(3, "--").take(2).collect::<Vec<_>>().join("--");
    let mut envs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_environment(p))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{prefix}--"))))
        .collect();
    envs.sort();
    envs.into_iter().next()
}

/// Target directory for compiling generated crates outside the workspace (kept apart from the
/// workspace's own, which `cargo test` holds locked).
pub fn scratch_target_dir() -> PathBuf {
    repo_root().join("target/generated-check")
}

/// Writes `crates` (name → files) as members of a fresh workspace under `dir` and runs
/// `cargo <args>` on it with warnings denied. Returns the combined output on failure.
pub fn check_crates(dir: &Path, crates: &[(String, postman_codegen::emit::Files)], args: &[&str]) -> Result<(), String> {
    let mut members = Vec::new();
    for (name, files) in crates {
        let out = dir.join(name);
        postman_codegen::write::ensure_dir_contents(&out, files, false).map_err(|e| e.to_string())?;
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // Same dependency versions as the workspace: no resolution, no surprises.
    let _ = std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock"));
    let (command, rest) = args.split_first().ok_or("no cargo command")?;
    let output = Command::new(env!("CARGO"))
        .arg(command)
        .arg("--workspace")
        .args(rest)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", scratch_target_dir())
        .env("RUSTFLAGS", "-D warnings")
        // Test builds need no debug info: much less to compile and link (CI has 2 cores).
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// A generator for a fixture collection of `tests/fixtures`: with its environment file and its
/// `<name>.codegen.toml` overrides when they exist.
pub fn fixture_generator(collection: &Path, crate_name: &str) -> postman_codegen::Generator {
    let mut generator = postman_codegen::Generator::new();
    generator.collection(collection).crate_name(crate_name);
    let text = collection.to_string_lossy();
    let env = text.replace(".postman_collection.json", ".postman_environment.json");
    if Path::new(&env).exists() {
        generator.environment(env);
    }
    let config = text.replace(".postman_collection.json", ".codegen.toml");
    if Path::new(&config).exists() {
        let config = postman_codegen::config::read(Path::new(&config)).expect("fixture codegen.toml is valid");
        generator.overrides(config.crates[0].overrides());
    }
    generator
}

/// A Zoho TSV module name as the generated Rust module name: `Calls & Meetings` →
/// `calls_meetings` (for the tests that check the crate against `endpoints.tsv`).
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}
