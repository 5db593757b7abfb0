//! The `postman-codegen` command line. Its contract is pinned (other tools script it):
//! `postman-codegen generate --collection FILE [--env FILE]... [--globals FILE] --out DIR
//! --crate-name NAME [--check]`. `generate --config FILE [--crate NAME] [--check]` is the
//! alternative that reads everything (overrides too) from a `codegen.toml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "postman-codegen", version, about = "Turn a Postman collection into a typed Rust client crate")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate from a collection, or every crate of a codegen.toml (--config).
    Generate {
        /// The Postman collection (v2.0 or v2.1).
        #[arg(long, required_unless_present = "config")]
        collection: Option<PathBuf>,
        /// An environment file (repeat for several; each becomes an `Environment` variant).
        #[arg(long = "env")]
        envs: Vec<PathBuf>,
        /// A globals file.
        #[arg(long)]
        globals: Option<PathBuf>,
        /// The output directory of the generated crate.
        #[arg(long, required_unless_present = "config")]
        out: Option<PathBuf>,
        /// The generated crate's package name.
        #[arg(long, required_unless_present = "config")]
        crate_name: Option<String>,
        /// Read collections, environments, output directories and overrides from this
        /// codegen.toml instead (its paths are relative to it).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["collection", "envs", "globals", "out", "crate_name"])]
        config: Option<PathBuf>,
        /// With --config: only the crate of this name.
        #[arg(long = "crate", value_name = "NAME", conflicts_with_all = ["collection", "envs", "globals", "out", "crate_name"])]
        only: Option<String>,
        /// Generate in memory and fail if OUT differs.
        #[arg(long)]
        check: bool,
        /// Ignore OUT/names.lock: give every item the name its Postman name gives it now.
        #[arg(long)]
        rename: bool,
    },
    /// Write a commented starter codegen.toml for a collection (never over an existing file)
    /// and print the command that generates the crate from it.
    Init {
        /// The Postman collection (v2.0 or v2.1).
        #[arg(long)]
        collection: PathBuf,
        /// An environment file (repeat for several).
        #[arg(long = "env")]
        envs: Vec<PathBuf>,
        /// A globals file.
        #[arg(long)]
        globals: Option<PathBuf>,
        /// The generated crate's directory [default: generated/<crate name>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// The generated crate's package name [default: from the collection's name].
        #[arg(long)]
        crate_name: Option<String>,
        /// Where to write the config.
        #[arg(long, value_name = "FILE", default_value = "codegen.toml")]
        config: PathBuf,
    },
    /// Print the changes to the API surface between two collections or generated crates,
    /// grouped as breaking, additive and docs only.
    Diff {
        /// The old collection file or generated crate directory.
        old: PathBuf,
        /// The new collection file or generated crate directory.
        new: PathBuf,
        /// An environment file for collections (repeat for several).
        #[arg(long = "env")]
        envs: Vec<PathBuf>,
        /// A globals file for collections.
        #[arg(long)]
        globals: Option<PathBuf>,
        /// The names.lock of the crate the collections generate: both are generated keeping
        /// its names, as regenerating that crate in place would.
        #[arg(long, value_name = "FILE")]
        lock: Option<PathBuf>,
        /// `text` (default) or `markdown` (a table for a pull request).
        #[arg(long, default_value = "text")]
        format: Format,
        /// Exit with status 2 when a change of this kind is found.
        #[arg(long)]
        fail_on: Option<FailOn>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Any,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> postman_codegen::Result<ExitCode> {
    match cli.command {
        Command::Generate { config: Some(config), only, check, rename, .. } => generate_config(&config, only, check, rename),
        Command::Generate { collection, envs, globals, out, crate_name, check, rename, .. } => {
            // clap requires all three unless --config is given.
            match (collection, out, crate_name) {
                (Some(collection), Some(out), Some(crate_name)) => {
                    generate(collection, envs, globals, out, crate_name, check, rename)
                }
                _ => Err(postman_codegen::Error::Config("generate needs --collection, --out and --crate-name, or --config".into())),
            }
        }
        Command::Init { collection, envs, globals, out, crate_name, config } => {
            let options = postman_codegen::init::InitOptions { config, collection, environments: envs, globals, out, crate_name };
            let command = postman_codegen::init::init(&options)?;
            println!("wrote {}; generate the crate with:", options.config.display());
            println!("{command}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { old, new, envs, globals, lock, format, fail_on } => {
            diff(old, new, &Inputs { envs, globals, lock }, format, fail_on)
        }
    }
}

/// What `diff` generates collections with.
struct Inputs {
    envs: Vec<PathBuf>,
    globals: Option<PathBuf>,
    lock: Option<PathBuf>,
}

/// A crate's files: read from a generated directory, or generated in memory from a collection.
fn surface_files(input: &Path, inputs: &Inputs) -> postman_codegen::Result<postman_codegen::emit::Files> {
    if input.is_dir() {
        return postman_codegen::surface::read_dir(input);
    }
    let mut generator = postman_codegen::Generator::new();
    generator.collection(input).crate_name("api");
    for env in &inputs.envs {
        generator.environment(env);
    }
    if let Some(globals) = &inputs.globals {
        generator.globals(globals);
    }
    if let Some(lock) = &inputs.lock {
        generator.lock_file(lock);
    }
    Ok(generator.generate_files()?.files)
}

fn diff(old: PathBuf, new: PathBuf, inputs: &Inputs, format: Format, fail_on: Option<FailOn>) -> postman_codegen::Result<ExitCode> {
    use postman_codegen::surface;
    if let Some(lock) = &inputs.lock {
        // The generator reads a missing lock as empty; asked for by name, it must exist.
        std::fs::metadata(lock).map_err(|source| postman_codegen::Error::Io { path: lock.clone(), source })?;
    }
    let changes = surface::diff_files(&surface_files(&old, inputs)?, &surface_files(&new, inputs)?);
    let name = new.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    match format {
        Format::Text => print!("{}", surface::render_text(&name, &changes)),
        Format::Markdown => print!("{}", surface::render_markdown(&name, &changes)),
    }
    let fail = match fail_on {
        Some(FailOn::Breaking) => changes.iter().any(|c| c.kind == surface::Kind::Breaking),
        Some(FailOn::Any) => !changes.is_empty(),
        None => false,
    };
    Ok(if fail { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// `generate --config`: the same run as `cargo xtask codegen`.
fn generate_config(config: &Path, only: Option<String>, check: bool, rename: bool) -> postman_codegen::Result<ExitCode> {
    use postman_codegen::config::{run, RunOptions};
    let options = RunOptions { check, rename, only };
    let outcome = run(config, &options, &mut std::io::stdout(), &mut std::io::stderr())?;
    if check && !outcome.changed.is_empty() {
        let command = outcome.regenerate.unwrap_or_else(|| format!("postman-codegen generate --config {}", config.display()));
        eprintln!("error: generated code is out of date: run `{command}`");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn generate(
    collection: PathBuf,
    envs: Vec<PathBuf>,
    globals: Option<PathBuf>,
    out: PathBuf,
    crate_name: String,
    check: bool,
    rename: bool,
) -> postman_codegen::Result<ExitCode> {
    let mut generator = postman_codegen::Generator::new();
    generator
        .collection(collection)
        .crate_name(crate_name)
        .lock_file(out.join(postman_codegen::lock::FILE))
        .rename(rename);
    for env in envs {
        generator.environment(env);
    }
    if let Some(globals) = globals {
        generator.globals(globals);
    }
    // A check formats every file: it verifies the text, not the manifest's word for it.
    if !check {
        generator.reuse_formatting_from(&out);
    }
    let generated = generator.generate_files()?;
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    let changes = postman_codegen::write::ensure_generated(&out, &generated.files, &generated.hashes, check)?;
    if check && !changes.is_empty() {
        eprintln!("error: {} is out of date:", out.display());
        for file in changes.written.iter().chain(&changes.removed) {
            eprintln!("  {file}");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
