//! `collection/codegen.toml`: which crates to generate from which files.
//!
//! ```toml
//! [[crate]]
//! name = "zoho-cliq"
//! collection = "zoho-cliq.postman_collection.json"
//! environments = ["environments/us.postman_environment.json"]
//! out = "../generated/zoho-cliq"
//! ```
//! Paths are relative to the file's directory. Unknown keys are an error.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

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
        if let Some(include) = &self.include {
            generator.include_dir(base.join(include));
        }
        generator
    }
}

/// Reads a `codegen.toml`.
pub fn read(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {}", path.display(), e.to_string().trim())))
}
