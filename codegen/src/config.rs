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
}

impl CrateConfig {
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
    let config: Config =
        toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {}", path.display(), toml_text::error_line(&e, &text))))?;
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
