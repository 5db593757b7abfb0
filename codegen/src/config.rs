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
//! Paths are relative to the file's directory. Unknown keys are an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::overrides::{EnumDecl, ItemOverride, Overrides};
use crate::toml_text;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
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
}
