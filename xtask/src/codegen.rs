//! `cargo xtask codegen [--check]`: regenerates every crate listed in `collection/codegen.toml`.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// Regenerates (or with `check`, verifies) every configured crate. Returns the lines it printed.
pub fn run(root: &Path, check: bool, rename: bool) -> Result<()> {
    let config_path = root.join("collection/codegen.toml");
    let config = postman_codegen::config::read(&config_path)?;
    let base = config_path.parent().context("codegen.toml has no directory")?;
    let mut stale = Vec::new();
    for entry in &config.crates {
        let generated = entry
            .generator(base)
            .rename(rename)
            .generate_files()
            .with_context(|| format!("generating crate `{}`", entry.name))?;
        for warning in &generated.warnings {
            eprintln!("{warning}");
        }
        let out = base.join(&entry.out);
        // The surface before and after, so a reviewer sees what the regeneration means for callers.
        let before = postman_codegen::surface::read_dir(&out).map(|f| postman_codegen::surface::read(&f)).unwrap_or_default();
        let after = postman_codegen::surface::read(&generated.files);
        let api_changes = postman_codegen::surface::diff(&before, &after);
        if !api_changes.is_empty() {
            print!("{}", postman_codegen::surface::render_text(&entry.name, &api_changes));
        }
        let changes = postman_codegen::write::ensure_dir_contents(&out, &generated.files, check)?;
        let verb = if check { "would change" } else { "changed" };
        if changes.is_empty() {
            println!("{}: up to date ({} files)", entry.name, generated.files.len());
        } else {
            println!(
                "{}: {} files {verb}, {} removed",
                entry.name,
                changes.written.len(),
                changes.removed.len()
            );
            for file in changes.written.iter().chain(&changes.removed) {
                println!("  {}", out.join(file).display());
                stale.push(file.clone());
            }
        }
    }
    if check && !stale.is_empty() {
        bail!("generated code is out of date: run `cargo xtask codegen`");
    }
    Ok(())
}
