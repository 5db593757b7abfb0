//! `postman-codegen init`: a commented starter `codegen.toml` for one collection, so a
//! repository needs one command (`postman-codegen generate --config …`) from then on.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::toml_text::basic_string;

/// What the starter config names. Paths are as the user gave them (relative to the current
/// directory); the file stores them relative to itself.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// Where to write the config (`codegen.toml`).
    pub config: PathBuf,
    /// The collection file.
    pub collection: PathBuf,
    /// Environment files.
    pub environments: Vec<PathBuf>,
    /// A globals file.
    pub globals: Option<PathBuf>,
    /// The generated crate's directory (default: `generated/<crate name>`).
    pub out: Option<PathBuf>,
    /// The crate name (default: from the collection's name).
    pub crate_name: Option<String>,
}

/// Writes the starter config (never over an existing file) and returns the command that
/// generates the crate from it.
pub fn init(options: &InitOptions) -> Result<String> {
    let (text, command) = starter(options)?;
    let config = &options.config;
    if let Some(dir) = config.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
    }
    // `create_new`: an existing config holds the user's overrides; never replace it.
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(config) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Config(format!(
                "{}: already exists; edit it, or pass --config with another path",
                config.display()
            )))
        }
        Err(source) => return Err(Error::Io { path: config.clone(), source }),
    };
    file.write_all(text.as_bytes()).map_err(|source| Error::Io { path: config.clone(), source })?;
    Ok(command)
}

/// The starter config's text and the command that generates from it. Reads the collection, so
/// a file that is not one is reported now, not at the first `generate`.
pub fn starter(options: &InitOptions) -> Result<(String, String)> {
    let (collection, _) = crate::parse::read_collection(&options.collection)?;
    for env in &options.environments {
        crate::parse::read_environment(env)?;
    }
    if let Some(globals) = &options.globals {
        crate::parse::read_environment(globals)?;
    }
    let crate_name = match &options.crate_name {
        Some(name) => name.clone(),
        None => {
            let name = collection.info.as_ref().and_then(|i| i.name.as_deref()).unwrap_or_default();
            let name = crate::default_crate_name(name);
            if name.is_empty() {
                return Err(Error::Config(format!(
                    "{}: the collection has no name to take a crate name from; pass --crate-name",
                    options.collection.display()
                )));
            }
            name
        }
    };
    crate::check_crate_name(&crate_name)?;
    let out = options.out.clone().unwrap_or_else(|| Path::new("generated").join(&crate_name));

    let cwd = std::env::current_dir().map_err(|source| Error::Io { path: PathBuf::from("."), source })?;
    let config_dir = normalize(&cwd.join(&options.config)).parent().map(Path::to_path_buf).unwrap_or_default();
    let relative = |path: &Path| -> Result<String> {
        let rel = relative_to(&normalize(&cwd.join(path)), &config_dir);
        rel.to_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Config(format!("{}: the path is not valid UTF-8, which codegen.toml cannot hold", path.display())))
    };
    let config_arg = options.config.to_str().ok_or_else(|| {
        Error::Config(format!("{}: the path is not valid UTF-8, which codegen.toml cannot hold", options.config.display()))
    })?;
    let command = format!("postman-codegen generate --config {config_arg}");
    crate::check_regenerate(&command).map_err(|e| Error::Config(format!("{}: {e}", options.config.display())))?;

    let mut text = String::new();
    text.push_str("# postman-codegen: the crates to generate, and what the samples cannot say about their types.\n");
    text.push_str(&format!("# Regenerate after each change to the collection: {command}\n"));
    text.push_str("# Paths are relative to this file. Unknown keys are an error.\n\n");
    text.push_str("# The command named in the header of every generated file.\n");
    text.push_str(&format!("regenerate = {}\n\n", basic_string(&command)));
    text.push_str("[[crate]]\n");
    text.push_str(&format!("name = {}\n", basic_string(&crate_name)));
    text.push_str(&format!("collection = {}\n", basic_string(&relative(&options.collection)?)));
    text.push_str("# One `Environment` variant per file (base URLs and other variables; never credentials).\n");
    if options.environments.is_empty() {
        text.push_str("# environments = [\"prod.postman_environment.json\"]\n");
    } else {
        text.push_str("environments = [\n");
        for env in &options.environments {
            text.push_str(&format!("    {},\n", basic_string(&relative(env)?)));
        }
        text.push_str("]\n");
    }
    match &options.globals {
        Some(globals) => text.push_str(&format!("globals = {}\n", basic_string(&relative(globals)?))),
        None => text.push_str("# globals = \"workspace.postman_globals.json\"\n"),
    }
    text.push_str("# The generated crate. Check it in, with its names.lock: that keeps Rust names stable.\n");
    text.push_str(&format!("out = {}\n", basic_string(&relative(&out)?)));
    text.push_str("# Hand-written files (examples/, tests/) copied into the crate unchanged.\n");
    text.push_str(&format!("# include = {}\n", basic_string(&format!("include/{crate_name}"))));
    text.push_str(
        "\n# A string enum for a field whose values the samples list (see the README, \"Overrides\").\n\
         # [crate.enums.Status]\n\
         # values = [\"active\", \"inactive\"]\n\
         \n\
         # Per-request overrides, keyed by Postman item id or item path (`Folder / Request`).\n\
         # [crate.overrides.\"Folder / Request\".fields]\n\
         # \"response.items\" = { type = \"map\" }        # keys are data, not field names\n\
         # \"response.status\" = { type = \"Status\" }\n\
         # \"query.page\" = { type = \"i64\" }\n",
    );
    Ok((text, command))
}

/// `path` with `.` and `..` folded away, without touching the disk (the files named need not
/// exist yet, and a symbolic link is kept as the user named it).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to the directory `base` (both absolute and normalized); `path` itself when
/// they share no root (another drive).
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let (p, b): (Vec<Component>, Vec<Component>) = (path.components().collect(), base.components().collect());
    if p.first() != b.first() {
        return path.to_owned();
    }
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for component in &p[common..] {
        out.push(component);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_to(Path::new("/r/api/c.json"), Path::new("/r/api")), Path::new("c.json"));
        assert_eq!(relative_to(Path::new("/r/generated/x"), Path::new("/r/api")), Path::new("../generated/x"));
        assert_eq!(normalize(Path::new("/r/./a/../b")), Path::new("/r/b"));
    }

    #[test]
    fn init_writes_a_config_that_generates_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/petstore.postman_collection.json");
        let collection = dir.path().join("postman/petstore.postman_collection.json");
        std::fs::create_dir_all(collection.parent().unwrap()).unwrap();
        std::fs::copy(&fixture, &collection).unwrap();
        let options = InitOptions {
            config: dir.path().join("api/codegen.toml"),
            collection: collection.clone(),
            out: Some(dir.path().join("client")),
            ..InitOptions::default()
        };
        let command = init(&options).unwrap();
        assert_eq!(command, format!("postman-codegen generate --config {}", options.config.display()));
        let text = std::fs::read_to_string(&options.config).unwrap();
        assert!(text.contains("name = \"pet-store\"\ncollection = \"../postman/petstore.postman_collection.json\"\n"), "{text}");
        assert!(text.contains("out = \"../client\"\n"), "{text}");
        let config = crate::config::read(&options.config).unwrap();
        assert_eq!(config.regenerate.as_deref(), Some(command.as_str()));
        let mut sink = Vec::new();
        crate::config::run(&options.config, &crate::config::RunOptions::default(), &mut sink, &mut Vec::new()).unwrap();
        assert!(dir.path().join("client/src/pets.rs").is_file());

        std::fs::write(&options.config, "# mine\n").unwrap();
        let err = init(&options).unwrap_err().to_string();
        assert!(err.ends_with("codegen.toml: already exists; edit it, or pass --config with another path"), "{err}");
        assert_eq!(std::fs::read_to_string(&options.config).unwrap(), "# mine\n", "never overwritten");
    }

    #[test]
    fn init_reports_bad_inputs_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{").unwrap();
        let config = dir.path().join("codegen.toml");
        let options = InitOptions { config: config.clone(), collection: bad, ..InitOptions::default() };
        assert!(init(&options).unwrap_err().to_string().contains("bad.json: invalid JSON"));
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/petstore.postman_collection.json");
        let options = InitOptions { crate_name: Some("my api".into()), collection: fixture, ..options };
        assert!(init(&options).unwrap_err().to_string().starts_with("invalid crate name `my api`"));
        assert!(!config.exists());
    }
}
