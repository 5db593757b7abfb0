//! postman-codegen: turns a Postman collection (v2.0/v2.1) plus environment files into a typed
//! Rust client crate.
//!
//! The pipeline runs one way: [`parse`] → [`resolve`] → [`lower`] (into [`ir`]) → [`plan`]
//! (names) → [`infer`] (types) → [`emit`]; the library returns files in memory and only
//! [`write`] touches the disk.
//!
//! ```no_run
//! postman_codegen::Generator::new()
//!     .collection("collection/api.postman_collection.json")
//!     .environment("collection/environments/prod.postman_environment.json")
//!     .crate_name("my-api")
//!     .generate("generated/my-api")?;
//! # Ok::<(), postman_codegen::Error>(())
//! ```

pub mod config;
pub mod docs;
pub mod emit;
pub mod error;
pub mod fingerprint;
pub mod infer;
pub mod init;
pub mod ir;
pub mod lock;
pub mod lower;
pub mod names;
pub mod overrides;
pub mod paging;
pub mod parse;
pub mod plan;
pub mod resolve;
pub mod signing;
pub mod surface;
mod toml_text;
pub mod write;

use std::path::{Path, PathBuf};

pub use error::{Error, Result};

/// Builder for one generation run, in the style of `prost-build`.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    collection: Option<PathBuf>,
    environments: Vec<PathBuf>,
    globals: Option<PathBuf>,
    crate_name: Option<String>,
    include_dir: Option<PathBuf>,
    lock: Option<PathBuf>,
    rename: bool,
    overrides: overrides::Overrides,
    regenerate: Option<String>,
    reuse: Option<PathBuf>,
}

/// The result of a generation: files in memory plus warnings.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Path relative to the crate root → contents.
    pub files: emit::Files,
    /// One line each, starting with `warning:` and naming the Postman item.
    pub warnings: Vec<String>,
    /// The input hash of each formatted file, for the output manifest (see
    /// [`write::ensure_generated`]).
    pub hashes: write::Hashes,
}

impl Generator {
    /// A generator with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The collection file (required).
    pub fn collection(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.collection = Some(path.into());
        self
    }

    /// Adds an environment file; each becomes a variant of the generated `Environment` enum.
    pub fn environment(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.environments.push(path.into());
        self
    }

    /// A globals file (lowest variable precedence).
    pub fn globals(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.globals = Some(path.into());
        self
    }

    /// The generated crate's package name (default: the collection's name in kebab case).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = Some(name.into());
        self
    }

    /// A directory of hand-written files copied into the crate unchanged (examples, tests).
    pub fn include_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.include_dir = Some(dir.into());
        self
    }

    /// The `names.lock` to keep names from (default when generating into a directory:
    /// `<out>/names.lock`). A missing file is an empty lock.
    pub fn lock_file(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.lock = Some(path.into());
        self
    }

    /// Ignore the lock: every item takes the name its Postman name gives it now.
    pub fn rename(&mut self, rename: bool) -> &mut Self {
        self.rename = rename;
        self
    }

    fn read_lock(&self) -> Result<lock::Lock> {
        match &self.lock {
            Some(path) if !self.rename => match std::fs::read_to_string(path) {
                Ok(text) => lock::Lock::parse(&text, &path.display().to_string()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(lock::Lock::default()),
                Err(source) => Err(Error::Io { path: path.clone(), source }),
            },
            _ => Ok(lock::Lock::default()),
        }
    }

    /// The command that regenerates this crate (`cargo xtask codegen`, `make client`), named in
    /// every generated file's header. Without it the header names postman-codegen.
    pub fn regenerate(&mut self, command: impl Into<String>) -> &mut Self {
        self.regenerate = Some(command.into());
        self
    }

    /// Overrides for inferred types and skipped requests (usually read from `codegen.toml`).
    pub fn overrides(&mut self, overrides: overrides::Overrides) -> &mut Self {
        self.overrides = overrides;
        self
    }

    /// Reuse the formatted text of files in `dir` (an earlier generation's output) whose input
    /// is unchanged, as its manifest records: a warm regeneration then skips formatting them.
    /// The result is the same text as without.
    pub fn reuse_formatting_from(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.reuse = Some(dir.into());
        self
    }

    /// Generates the crate in memory.
    pub fn generate_files(&self) -> Result<Generated> {
        let collection_path =
            self.collection.as_deref().ok_or_else(|| Error::Config("no collection file given".into()))?;
        let (collection, _version) = parse::read_collection(collection_path)?;
        let mut environments = Vec::new();
        for path in &self.environments {
            let env = parse::read_environment(path)?;
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let stem = stem.trim_end_matches(".postman_environment").to_owned();
            environments.push(lower::environment_scope(&stem, &env));
        }
        let globals = match &self.globals {
            Some(path) => parse::read_environment(path)?.values,
            None => Vec::new(),
        };
        let variables = resolve::Variables::new(&collection.variable, environments, &globals);
        let overrides = self.overrides.with_inline_enums().map_err(|e| Error::Config(format!("overrides: {e}")))?;
        let mut api = lower::lower(&collection, variables);
        let unmatched = overrides.apply_skips(&mut api.root);
        api.warnings.extend(unmatched);
        let crate_name = match &self.crate_name {
            Some(name) => name.clone(),
            None => default_crate_name(&api.name),
        };
        check_crate_name(&crate_name)?;
        let lock = self.read_lock()?;
        let api = plan::place(api, &lock);
        let plan = plan::plan(&api, &lock);
        let source = collection_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(command) = &self.regenerate {
            check_regenerate(command).map_err(|e| Error::Config(format!("regenerate command: {e}")))?;
        }
        let previous = self.reuse.as_deref().map(write::Previous::load);
        let options =
            emit::EmitOptions { crate_name, source, overrides, regenerate: self.regenerate.clone(), previous, locked_types: lock };
        let emit::Emitted { mut files, warnings: type_warnings, hashes, types } = emit::emit(&api, &plan, &options)?;
        // One line each whatever the names they quote: lowering escapes item paths itself,
        // this also covers the other stages' warnings.
        let warnings = api
            .warnings
            .iter()
            .chain(&type_warnings)
            .map(|warning| parse::printable(warning, usize::MAX))
            .collect();
        let mut new_lock = plan.lock();
        new_lock.types = types;
        files.insert(lock::FILE.to_owned(), new_lock.render());
        if let Some(dir) = &self.include_dir {
            include_files(dir, dir, &mut files)?;
        }
        Ok(Generated { files, warnings, hashes })
    }

    /// Generates the crate and makes `out` hold it (writing only what changed).
    pub fn generate(&self, out: impl AsRef<Path>) -> Result<Generated> {
        let mut with_lock = self.clone();
        if with_lock.lock.is_none() {
            with_lock.lock = Some(out.as_ref().join(lock::FILE));
        }
        if with_lock.reuse.is_none() {
            with_lock.reuse = Some(out.as_ref().to_owned());
        }
        let generated = with_lock.generate_files()?;
        write::ensure_generated(out.as_ref(), &generated.files, &generated.hashes, false)?;
        Ok(generated)
    }
}

/// Adds every file under `dir` to `files`, keyed by its path relative to `root`.
fn include_files(root: &Path, dir: &Path, files: &mut emit::Files) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(io(dir))?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            include_files(root, &path, files)?;
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let key = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if files.contains_key(&key) {
            return Err(Error::Config(format!("{}: would overwrite the generated file `{key}`", path.display())));
        }
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        files.insert(key, text);
    }
    Ok(())
}

/// The crate name from the collection's name, in kebab case; a name Cargo or Rust reserves
/// (`fn`, `true`, `std`, `test` …) gets a `-client` suffix.
pub(crate) fn default_crate_name(collection_name: &str) -> String {
    let name = names::ident(collection_name, names::Case::Snake).replace('_', "-");
    let name = name.trim_end_matches('-').to_owned();
    if is_reserved_crate_name(&name) {
        format!("{name}-client")
    } else {
        name
    }
}

/// Crates every Rust program can already name: a package named like one is refused by Cargo
/// or shadowed by it.
const BUILTIN_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// Whether `name`'s library name (`-` read as `_`) is a Rust keyword or a built-in crate: the
/// generated tests and users write `use <name>::…`, which such a name cannot be.
fn is_reserved_crate_name(name: &str) -> bool {
    let lib = name.replace('-', "_");
    names::KEYWORDS.contains(&lib.as_str()) || BUILTIN_CRATES.contains(&lib.as_str())
}

/// The regenerate command goes into a `//` and a `#` comment line: it must stay one line of
/// visible text, or a generated file could carry hidden or reordered text in its first line.
pub(crate) fn check_regenerate(command: &str) -> std::result::Result<(), String> {
    if command.trim().is_empty() {
        return Err("is empty; give the command that regenerates the crate".to_owned());
    }
    if command.chars().any(docs::is_invisible) {
        return Err(format!(
            "`{}` must be one line without control or bidirectional characters",
            parse::printable(command, parse::MAX_QUOTED)
        ));
    }
    Ok(())
}

/// Cargo package names: ASCII letters, digits, `-` and `_`, starting with a letter; not a
/// keyword or a built-in crate.
pub(crate) fn check_crate_name(name: &str) -> Result<()> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(Error::Config(format!(
            "invalid crate name `{name}`: use ASCII letters, digits, `-` and `_`, starting with a letter"
        )));
    }
    if is_reserved_crate_name(name) {
        return Err(Error::Config(format!(
            "invalid crate name `{name}`: it is a Rust keyword or the name of a built-in crate (std, core, alloc, proc_macro, test); choose another, like `{name}-client`"
        )));
    }
    Ok(())
}
