//! `cargo xtask codegen [--check] [--rename]`: regenerates every crate listed in
//! `collection/codegen.toml` through the library's [`postman_codegen::config::run`], the same
//! function behind `postman-codegen generate --config collection/codegen.toml`.

use std::path::Path;

use anyhow::{bail, Result};
use postman_codegen::config::{self, RunOptions};

/// Regenerates (or with `check`, verifies) every configured crate.
pub fn run(root: &Path, check: bool, rename: bool) -> Result<()> {
    let options = RunOptions { check, rename, only: None };
    let outcome = config::run(&root.join("collection/codegen.toml"), &options, &mut std::io::stdout(), &mut std::io::stderr())?;
    if check && !outcome.changed.is_empty() {
        bail!("generated code is out of date: run `cargo xtask codegen`");
    }
    Ok(())
}
