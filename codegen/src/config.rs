//! `collection/codegen.toml`: which crates to generate from which files.
//!
//! ```toml
//! [[crate]]
//! name = "zoho-cliq"
//! collection = "zoho-cliq.postman_collection.json"
//! environments = ["environments/us.postman_environment.json"]
//! out = "../generated/zoho-cliq"
//!
//! [crate.enums.ChatType]                       # optional: see `overrides`
//! values = ["direct", "group", "channel"]
//!
//! [crate.overrides."Chats / Create chat"]      # optional: see `overrides`
//! fields."response.chat_type" = { type = "ChatType" }
//! ```
//!
//! `overrides_files = ["api.overrides.toml"]` loads more enums and overrides from other files
//! (a tool can write them): each has optional top-level `enums` and `overrides` tables of the
//! same form, and is merged into the crate's own. An enum, a field override or a type name
//! defined twice is an error naming the file and the key.
//!
//! Paths are relative to the file's directory. Unknown keys are an error. A top-level
//! `regenerate = "make client"` names the command that regenerates the crates in every
//! generated file's header (default: the header names postman-codegen).
//!
//! [`run`] is the one loop behind `postman-codegen generate --config` and `cargo xtask codegen`,
//! so both produce the same crates byte for byte.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::overrides::{EnumDecl, ItemOverride, Overrides};
use crate::toml_text;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The command that regenerates these crates, named in each generated file's header.
    #[serde(default)]
    pub regenerate: Option<String>,
    /// One entry per generated crate.
    #[serde(rename = "crate", default)]
    pub crates: Vec<CrateConfig>,
}

/// One generated crate.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    /// Package name.
    pub name: String,
    /// Collection file.
    pub collection: PathBuf,
    /// Environment files, one `Environment` variant each.
    #[serde(default)]
    pub environments: Vec<PathBuf>,
    /// Globals file.
    #[serde(default)]
    pub globals: Option<PathBuf>,
    /// Output directory.
    pub out: PathBuf,
    /// A directory of hand-written files (e.g. `examples/`, `tests/`) copied into the crate as
    /// they are, so the generated directory is never edited by hand.
    #[serde(default)]
    pub include: Option<PathBuf>,
    /// Declared string enums, usable as a field `type` in `overrides`.
    #[serde(default)]
    pub enums: BTreeMap<String, EnumDecl>,
    /// Per-request overrides, keyed by Postman item id or item path (`Folder / Request`).
    #[serde(default)]
    pub overrides: BTreeMap<String, ItemOverride>,
    /// More `enums` and `overrides` from other files (e.g. written by a tool), merged into these
    /// by [`read`].
    #[serde(default)]
    pub overrides_files: Vec<PathBuf>,
}

/// One file of `overrides_files`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    #[serde(default)]
    enums: BTreeMap<String, EnumDecl>,
    #[serde(default)]
    overrides: BTreeMap<String, ItemOverride>,
}

impl CrateConfig {
    /// Merges the entry's `overrides_files` (relative to `base`) into its own enums and
    /// overrides. A key defined in both places is an error: merging must not pick a winner.
    fn load_overrides_files(&mut self, base: &Path) -> Result<()> {
        for file in self.overrides_files.clone() {
            let path = base.join(&file);
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
            let at = |what: String| Error::Config(format!("{}: {what}", path.display()));
            let loaded: OverridesFile = toml::from_str(&text).map_err(|e| at(toml_text::error_line(&e, &text)))?;
            for (name, decl) in loaded.enums {
                if self.enums.contains_key(&name) {
                    return Err(at(format!("enums.{name}: already defined for crate `{}`", self.name)));
                }
                self.enums.insert(name, decl);
            }
            for (key, item) in loaded.overrides {
                let own = self.overrides.entry(key.clone()).or_default();
                own.skip |= item.skip;
                for (path, name) in item.types {
                    if own.types.insert(path.clone(), name).is_some() {
                        return Err(at(format!("overrides.\"{key}\".types.\"{path}\": already defined for crate `{}`", self.name)));
                    }
                }
                for (path, field) in item.fields {
                    if own.fields.insert(path.clone(), field).is_some() {
                        return Err(at(format!("overrides.\"{key}\".fields.\"{path}\": already defined for crate `{}`", self.name)));
                    }
                }
            }
        }
        Ok(())
    }

    /// A generator for this entry, with paths resolved against `base`.
    pub fn generator(&self, base: &Path) -> crate::Generator {
        let mut generator = crate::Generator::new();
        generator.collection(base.join(&self.collection)).crate_name(&self.name);
        for env in &self.environments {
            generator.environment(base.join(env));
        }
        if let Some(globals) = &self.globals {
            generator.globals(base.join(globals));
        }
        generator.lock_file(base.join(&self.out).join(crate::lock::FILE));
        if let Some(include) = &self.include {
            generator.include_dir(base.join(include));
        }
        generator.overrides(self.overrides());
        generator
    }

    /// The entry's enums and overrides.
    pub fn overrides(&self) -> Overrides {
        Overrides { enums: self.enums.clone(), items: self.overrides.clone() }
    }
}

/// Reads a `codegen.toml`.
pub fn read(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    let mut config: Config =
        toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {}", path.display(), toml_text::error_line(&e, &text))))?;
    if let Some(command) = &config.regenerate {
        crate::check_regenerate(command).map_err(|e| Error::Config(format!("{}: regenerate: {e}", path.display())))?;
    }
    let base = path.parent().unwrap_or(Path::new("."));
    for entry in &mut config.crates {
        entry.load_overrides_files(base)?;
    }
    for entry in &config.crates {
        entry
            .overrides()
            .with_inline_enums()
            .map_err(|e| Error::Config(format!("{}: crate `{}`: {e}", path.display(), entry.name)))?;
    }
    Ok(config)
}

/// What [`run`] does.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Generate in memory and report what differs instead of writing.
    pub check: bool,
    /// Ignore each crate's `names.lock`: every item takes the name its Postman name gives it now.
    pub rename: bool,
    /// Only the crate of this name (`--crate`).
    pub only: Option<String>,
}

/// What [`run`] found.
#[derive(Debug, Clone, Default)]
pub struct RunOutcome {
    /// Files (under each crate's output directory) that differed: written, or in check mode
    /// out of date.
    pub changed: Vec<PathBuf>,
    /// The config's `regenerate` command, for the caller's "out of date: run …" message.
    pub regenerate: Option<String>,
}

/// Regenerates (or with `check`, verifies) the crates of the config file at `path`. Warnings go
/// to `err`, one line each; the surface change report and one status line per crate to `out`
/// (write errors on them, e.g. a closed pipe, are ignored: the files are what matters).
pub fn run(path: &Path, options: &RunOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<RunOutcome> {
    let config = read(path)?;
    // `codegen.toml` given without a directory: its paths are relative to the current one.
    let base = path.parent().unwrap_or(Path::new(""));
    let entries: Vec<&CrateConfig> = match &options.only {
        None => config.crates.iter().collect(),
        Some(name) => {
            let found: Vec<&CrateConfig> = config.crates.iter().filter(|c| &c.name == name).collect();
            if found.is_empty() {
                let names: Vec<&str> = config.crates.iter().map(|c| c.name.as_str()).collect();
                return Err(Error::Config(format!(
                    "{}: no crate named `{}`; the crates are: {}",
                    path.display(),
                    crate::parse::printable(name, crate::parse::MAX_QUOTED),
                    if names.is_empty() { "(none)".to_owned() } else { names.join(", ") }
                )));
            }
            found
        }
    };
    if entries.is_empty() {
        return Err(Error::Config(format!("{}: no [[crate]] entries to generate", path.display())));
    }
    let mut outcome = RunOutcome { changed: Vec::new(), regenerate: config.regenerate.clone() };
    for entry in entries {
        let mut generator = entry.generator(base);
        generator.rename(options.rename);
        if let Some(command) = &config.regenerate {
            generator.regenerate(command);
        }
        let dir = base.join(&entry.out);
        // A check formats every file: it verifies the text, not the manifest's word for it.
        if !options.check {
            generator.reuse_formatting_from(&dir);
        }
        let generated = generator.generate_files().map_err(|e| match e {
            // Say which entry a bad crate name or override came from.
            Error::Config(message) => Error::Config(format!("{}: crate `{}`: {message}", path.display(), entry.name)),
            other => other,
        })?;
        for warning in &generated.warnings {
            let _ = writeln!(err, "{warning}");
        }
        // The surface before and after, so a reviewer sees what the regeneration means for callers.
        let before = crate::surface::read_dir(&dir).unwrap_or_default();
        let api_changes = crate::surface::diff_files(&before, &generated.files);
        if !api_changes.is_empty() {
            let _ = write!(out, "{}", crate::surface::render_text(&entry.name, &api_changes));
        }
        let changes = crate::write::ensure_generated(&dir, &generated.files, &generated.hashes, options.check)?;
        if changes.is_empty() {
            let _ = writeln!(out, "{}: up to date ({} files)", entry.name, generated.files.len());
        } else {
            let verb = if options.check { "would change" } else { "changed" };
            let _ = writeln!(out, "{}: {} files {verb}, {} removed", entry.name, changes.written.len(), changes.removed.len());
            for file in changes.written.iter().chain(&changes.removed) {
                let _ = writeln!(out, "  {}", dir.join(file).display());
                outcome.changed.push(dir.join(file));
            }
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codegen.toml");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    const BASE: &str = "[[crate]]\nname = \"x\"\ncollection = \"c.json\"\nout = \"out\"\n";

    #[test]
    fn overrides_are_read_per_crate() {
        let text = format!(
            "{BASE}[crate.enums.Kind]\nvalues = [\"a\"]\n[crate.overrides.\"F / R\"]\nskip = true\n\
             [crate.overrides.\"F / R\".fields.\"body.a\"]\ntype = \"Kind\"\nrequired = false\n"
        );
        let config = read_text(&text).unwrap();
        let overrides = config.crates[0].overrides();
        assert_eq!(overrides.enums["Kind"].values, [crate::overrides::EnumValue::from("a")]);
        let item = &overrides.items["F / R"];
        assert!(item.skip);
        assert_eq!(item.fields["body.a"].ty.as_deref(), Some("Kind"));
        assert_eq!(item.fields["body.a"].required, Some(false));
    }

    /// `codegen.toml` plus other files in one directory; the result of reading it.
    fn read_with(text: &str, files: &[(&str, &str)]) -> Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        let path = dir.path().join("codegen.toml");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn overrides_files_are_merged_into_the_crate() {
        let text = format!(
            "{BASE}overrides_files = [\"gen.toml\"]\n[crate.overrides.\"F / R\".fields]\n\"body.b\" = {{ type = \"map\" }}\n"
        );
        let generated = "[enums.Kind]\nvalues = [\"a\", \"b\"]\ndocs = \"Kinds.\"\n\n\
                         [overrides.\"F / R\".fields]\n\"body.a\" = { type = \"Kind\" }\n\n\
                         [overrides.\"F / S\".fields]\n\"query.k\" = { type = \"Kind\" }\n";
        let config = read_with(&text, &[("gen.toml", generated)]).unwrap();
        let overrides = config.crates[0].overrides();
        assert_eq!(
            overrides.enums["Kind"].values,
            [crate::overrides::EnumValue::from("a"), crate::overrides::EnumValue::from("b")]
        );
        assert_eq!(overrides.enums["Kind"].docs, "Kinds.");
        let item = &overrides.items["F / R"];
        assert_eq!(item.fields["body.a"].ty.as_deref(), Some("Kind"));
        assert_eq!(item.fields["body.b"].ty.as_deref(), Some("map"));
        assert_eq!(overrides.items["F / S"].fields["query.k"].ty.as_deref(), Some("Kind"));
        // An empty file is fine: both tables are optional.
        let config = read_with(&format!("{BASE}overrides_files = [\"empty.toml\"]\n"), &[("empty.toml", "")]).unwrap();
        assert!(config.crates[0].overrides().is_empty());
    }

    #[test]
    fn overrides_files_errors_name_the_file_and_the_key() {
        let text = format!("{BASE}overrides_files = [\"gen.toml\"]\n[crate.enums.Kind]\nvalues = [\"a\"]\n\
                            [crate.overrides.\"F / R\".fields]\n\"body.a\" = {{ type = \"Kind\" }}\n");
        let twice = read_with(&text, &[("gen.toml", "[enums.Kind]\nvalues = [\"b\"]\n")]).unwrap_err().to_string();
        assert!(twice.contains("gen.toml: enums.Kind: already defined for crate `x`"), "{twice}");
        let field = "[overrides.\"F / R\".fields]\n\"body.a\" = { type = \"string\" }\n";
        let twice = read_with(&text, &[("gen.toml", field)]).unwrap_err().to_string();
        assert!(twice.contains("gen.toml: overrides.\"F / R\".fields.\"body.a\": already defined"), "{twice}");
        assert!(!twice.contains('\n'), "{twice}");
        let unknown = read_with(&text, &[("gen.toml", "[enum.Kind]\nvalues = []\n")]).unwrap_err().to_string();
        assert!(unknown.contains("gen.toml") && unknown.contains("unknown field `enum`"), "{unknown}");
        let missing = read_with(&text, &[]).unwrap_err().to_string();
        assert!(missing.contains("gen.toml"), "{missing}");
        let syntax = read_with(&text, &[("gen.toml", "[enums.Kind\n")]).unwrap_err().to_string();
        assert!(syntax.contains("gen.toml"), "{syntax}");
        // Two files defining one enum: the second names itself.
        let two = format!("{BASE}overrides_files = [\"a.toml\", \"b.toml\"]\n");
        let enum_kind = "[enums.Kind]\nvalues = [\"a\"]\n";
        let twice = read_with(&two, &[("a.toml", enum_kind), ("b.toml", enum_kind)]).unwrap_err().to_string();
        assert!(twice.contains("b.toml: enums.Kind: already defined for crate `x`"), "{twice}");
        // A file's override is validated like the crate's own: unknown types name the key.
        let bad = read_with(
            &format!("{BASE}overrides_files = [\"gen.toml\"]\n"),
            &[("gen.toml", "[overrides.r.fields]\n\"body.a\" = { type = \"Nope\" }\n")],
        )
        .unwrap_err()
        .to_string();
        assert!(bad.contains("unknown type `Nope`"), "{bad}");
    }

    #[test]
    fn unknown_keys_and_bad_overrides_name_the_file_and_the_key() {
        let err = read_text(&format!("{BASE}[crate.overrides.r]\nskipp = true\n")).unwrap_err().to_string();
        assert!(err.contains("codegen.toml") && err.contains("unknown field `skipp`"), "{err}");
        let err = read_text(&format!("{BASE}[crate.overrides.r.fields.\"body.a\"]\nkind = \"x\"\n")).unwrap_err().to_string();
        assert!(err.contains("unknown field `kind`"), "{err}");
        let err = read_text(&format!("{BASE}[crate.overrides.r.fields.\"body.a\"]\ntype = \"Nope\"\n")).unwrap_err().to_string();
        assert!(err.contains("codegen.toml: crate `x`: overrides.\"r\": unknown type `Nope`"), "{err}");
    }

    /// A temporary repository with the petstore fixture and a config naming it.
    fn repo(config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/petstore.postman_collection.json");
        std::fs::create_dir(dir.path().join("api")).unwrap();
        std::fs::copy(fixture, dir.path().join("api/petstore.json")).unwrap();
        std::fs::write(dir.path().join("api/codegen.toml"), config).unwrap();
        dir
    }

    fn run_quietly(path: &Path, options: &RunOptions) -> (Result<RunOutcome>, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = run(path, options, &mut out, &mut err);
        (outcome, String::from_utf8(out).unwrap())
    }

    const PETSTORE: &str = "[[crate]]\nname = \"petstore\"\ncollection = \"petstore.json\"\nout = \"../client\"\n";

    #[test]
    fn run_generates_relative_to_the_config_and_check_finds_drift() {
        let dir = repo(&format!("regenerate = \"make client\"\n{PETSTORE}"));
        let config = dir.path().join("api/codegen.toml");
        let (outcome, out) = run_quietly(&config, &RunOptions::default());
        let outcome = outcome.unwrap();
        assert!(!outcome.changed.is_empty() && out.contains("petstore: "), "{out}");
        assert_eq!(outcome.regenerate.as_deref(), Some("make client"));
        let lib = std::fs::read_to_string(dir.path().join("client/src/lib.rs")).unwrap();
        assert!(lib.starts_with("// @generated by postman-codegen from petstore.json. Do not edit by hand: run `make client`.\n"), "{lib}");
        let cargo = std::fs::read_to_string(dir.path().join("client/Cargo.toml")).unwrap();
        assert!(cargo.starts_with("# @generated by postman-codegen from petstore.json. Do not edit by hand: run `make client`.\n"));

        let check = RunOptions { check: true, ..RunOptions::default() };
        let (outcome, out) = run_quietly(&config, &check);
        assert!(outcome.unwrap().changed.is_empty());
        assert!(out.starts_with("petstore: up to date ("), "{out}");
        std::fs::write(dir.path().join("client/src/lib.rs"), "// edited\n").unwrap();
        let (outcome, _) = run_quietly(&config, &check);
        assert_eq!(outcome.unwrap().changed, [dir.path().join("api/../client/src/lib.rs")]);
        assert_eq!(std::fs::read_to_string(dir.path().join("client/src/lib.rs")).unwrap(), "// edited\n", "check writes nothing");
    }

    #[test]
    fn without_regenerate_the_header_names_the_generator() {
        let dir = repo(PETSTORE);
        run_quietly(&dir.path().join("api/codegen.toml"), &RunOptions::default()).0.unwrap();
        let lib = std::fs::read_to_string(dir.path().join("client/src/lib.rs")).unwrap();
        assert!(lib.starts_with("// @generated by postman-codegen from petstore.json. Do not edit by hand: regenerate it with postman-codegen.\n"));
    }

    #[test]
    fn run_errors_are_one_line_naming_the_file() {
        let dir = repo(PETSTORE);
        let config = dir.path().join("api/codegen.toml");
        let only = RunOptions { only: Some("nope".into()), ..RunOptions::default() };
        let err = run_quietly(&config, &only).0.unwrap_err().to_string();
        assert!(err.ends_with("codegen.toml: no crate named `nope`; the crates are: petstore"), "{err}");
        assert!(!dir.path().join("client").exists(), "nothing is written on error");

        let dir = repo(&format!("regenerate = \"make\\nclient\"\n{PETSTORE}"));
        let err = run_quietly(&dir.path().join("api/codegen.toml"), &RunOptions::default()).0.unwrap_err().to_string();
        assert!(err.contains("codegen.toml: regenerate: `make\\nclient` must be one line"), "{err}");
        assert_eq!(err.lines().count(), 1);

        let dir = repo("[[crate]]\nname = \"my api\"\ncollection = \"petstore.json\"\nout = \"../client\"\n");
        let err = run_quietly(&dir.path().join("api/codegen.toml"), &RunOptions::default()).0.unwrap_err().to_string();
        assert!(err.contains("codegen.toml: crate `my api`: invalid crate name `my api`"), "{err}");

        let dir = repo("");
        let err = run_quietly(&dir.path().join("api/codegen.toml"), &RunOptions::default()).0.unwrap_err().to_string();
        assert!(err.ends_with("codegen.toml: no [[crate]] entries to generate"), "{err}");
    }
}
