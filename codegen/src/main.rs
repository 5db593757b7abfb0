//! The `postman-codegen` command line. Its contract is pinned (other tools script it):
//! `postman-codegen generate --collection FILE [--env FILE]... [--globals FILE] --out DIR
//! --crate-name NAME [--check]`.

use std::path::PathBuf;
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
    /// Generate a crate from a collection.
    Generate {
        /// The Postman collection (v2.0 or v2.1).
        #[arg(long)]
        collection: PathBuf,
        /// An environment file (repeat for several; each becomes an `Environment` variant).
        #[arg(long = "env")]
        envs: Vec<PathBuf>,
        /// A globals file.
        #[arg(long)]
        globals: Option<PathBuf>,
        /// The output directory of the generated crate.
        #[arg(long)]
        out: PathBuf,
        /// The generated crate's package name.
        #[arg(long)]
        crate_name: String,
        /// Generate in memory and fail if OUT differs.
        #[arg(long)]
        check: bool,
    },
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
    let Command::Generate { collection, envs, globals, out, crate_name, check } = cli.command;
    let mut generator = postman_codegen::Generator::new();
    generator.collection(collection).crate_name(crate_name);
    for env in envs {
        generator.environment(env);
    }
    if let Some(globals) = globals {
        generator.globals(globals);
    }
    let generated = generator.generate_files()?;
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    let changes = postman_codegen::write::ensure_dir_contents(&out, &generated.files, check)?;
    if check && !changes.is_empty() {
        eprintln!("error: {} is out of date:", out.display());
        for file in changes.written.iter().chain(&changes.removed) {
            eprintln!("  {file}");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
