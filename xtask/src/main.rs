//! Project tasks: `cargo xtask codegen [--check]` regenerates `generated/` from `collection/`;
//! `cargo xtask author-zoho [--check]` rebuilds the Zoho Cliq collection from `../shared/zoho-cliq`.

mod bench;
mod codegen;
mod zoho;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Project tasks for postman-codegen")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate every crate listed in collection/codegen.toml.
    Codegen {
        /// Fail if any generated file is out of date instead of writing.
        #[arg(long)]
        check: bool,
        /// Ignore names.lock: give every item the name its Postman name gives it now.
        #[arg(long)]
        rename: bool,
    },
    /// Author collection/zoho-cliq.postman_collection.json and its environments from ../shared/zoho-cliq.
    AuthorZoho,
    /// Measure generator speed, end-to-end runs and generated-crate compile cost (prints tables).
    Bench(bench::Args),
}

fn main() -> Result<()> {
    let root = workspace_root()?;
    match Cli::parse().task {
        Task::Codegen { check, rename } => codegen::run(&root, check, rename),
        Task::Bench(args) => bench::run(&root, args),
        Task::AuthorZoho => zoho::author(&root.join("../shared/zoho-cliq"), &root.join("collection")),
    }
}

fn workspace_root() -> Result<PathBuf> {
    Ok(Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask has no parent directory")?.to_owned())
}
