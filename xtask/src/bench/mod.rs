//! `cargo xtask bench`: what the generator costs its users, as three tables (benchmarks, not tests:
//! nothing here fails on a slow number).
//!
//! 1. **Generator vs floor**: `Generator::generate_files` (in memory, nothing written) against
//!    `serde_json::from_slice::<Value>` on the same bytes, for the corpus, the Zoho collection and
//!    synthetic collections of 1k–16k requests; medians of repeated runs, peak RSS of each.
//! 2. **End to end**: the `postman-codegen generate` process, wall time and peak RSS.
//! 3. **Generated crate compile cost**: `cargo check` / `cargo build` of `generated/zoho-cliq`
//!    (all modules, and one module's feature) against a `progenitor` crate for the same v3 API.
//!
//! Numbers of a debug build mean nothing, so unless `--here` is given the task builds the release
//! `xtask` and `postman-codegen` and runs itself again from the release build. Each measurement
//! runs in a fresh child process so its peak memory is its own.

mod child;
mod compile;
mod synth;
mod table;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use table::{median, mib, ms, Table};

/// Arguments of `cargo xtask bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Timed repetitions per measurement (the median is reported; short ones repeat for ≥0.3 s).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Request counts of the synthetic collections.
    #[arg(long, value_delimiter = ',', default_values_t = vec![1000, 2000, 4000, 8000, 16000])]
    sizes: Vec<usize>,
    /// Which tables to print.
    #[arg(long, value_delimiter = ',', value_enum, default_values_t = vec![Part::Generator, Part::EndToEnd, Part::Compile])]
    tables: Vec<Part>,
    /// Measure with the build that is running instead of re-running from a release build.
    #[arg(long)]
    here: bool,
    /// Keep the synthetic collections in this directory (for profiling) instead of a temporary one.
    #[arg(long)]
    keep_synthetic: Option<PathBuf>,
    /// Internal: run one measurement in this process (see `child.rs`).
    #[arg(long, hide = true, value_enum)]
    child: Option<child::Mode>,
    /// Internal: the child's arguments.
    #[arg(last = true, hide = true)]
    child_args: Vec<String>,
}

/// The tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// Generator vs JSON parsing.
    Generator,
    /// The command-line process.
    EndToEnd,
    /// Compile cost of the generated crate vs progenitor's.
    Compile,
}

/// Runs the benchmark.
pub fn run(root: &Path, args: Args) -> Result<()> {
    if let Some(mode) = args.child {
        return child::main(mode, &args.child_args);
    }
    let target = target_dir(root);
    if cfg!(debug_assertions) && !args.here {
        return rerun_release(root, &target);
    }
    let exe = std::env::current_exe().context("finding the running xtask")?;
    let scratch = tempfile_dir()?;
    let result = run_tables(root, &target, &exe, &scratch.0, &args);
    drop(scratch);
    result
}

fn run_tables(root: &Path, target: &Path, exe: &Path, scratch: &Path, args: &Args) -> Result<()> {
    let runs = args.runs.max(1);
    println!("postman-codegen bench: {} (medians of ≥{runs} runs; {} cores)\n", build_kind(), cores());
    let zoho = root.join("collection/zoho-cliq.postman_collection.json");
    let corpus = corpus_files(&root.join("../shared/corpus"))?;
    let needs_synthetic = args.tables.iter().any(|t| matches!(t, Part::Generator | Part::EndToEnd));
    let synthetic = if needs_synthetic {
        let mut sources = corpus.clone();
        sources.push(zoho.clone());
        let pool = synth::Pool::from_files(&sources)?;
        let dir = args.keep_synthetic.as_deref().unwrap_or(scratch);
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        println!("Synthetic collections: {} distinct real requests (corpus + Zoho) in turn, in {}.\n", pool.len(), dir.display());
        synth::write_all(&pool, &args.sizes, dir)?
    } else {
        Vec::new()
    };
    if args.tables.contains(&Part::Generator) {
        let mut inputs: Vec<(String, PathBuf)> = corpus
            .iter()
            .map(|p| (short_name(p), p.clone()))
            .collect();
        inputs.push(("zoho-cliq (collection/)".to_owned(), zoho.clone()));
        for (size, path) in &synthetic {
            inputs.push((format!("synthetic {}k", size / 1000), path.clone()));
        }
        generator_table(exe, &inputs, &synthetic, runs, scratch)?;
    }
    if args.tables.contains(&Part::EndToEnd) {
        let cli = exe.with_file_name(format!("postman-codegen{}", std::env::consts::EXE_SUFFIX));
        let largest = corpus.iter().max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).cloned();
        let mut inputs: Vec<(String, PathBuf)> = Vec::new();
        if let Some(path) = largest {
            inputs.push((short_name(&path), path));
        }
        if let Some((size, path)) = synthetic.iter().max_by_key(|(size, _)| *size) {
            inputs.push((format!("synthetic {}k", size / 1000), path.clone()));
        }
        end_to_end_table(exe, &cli, &inputs, scratch, runs)?;
    }
    if args.tables.contains(&Part::Compile) {
        compile::table(root, target, runs.min(3))?;
    }
    Ok(())
}

/// Table 1.
fn generator_table(exe: &Path, inputs: &[(String, PathBuf)], synthetic: &[(usize, PathBuf)], runs: usize, scratch: &Path) -> Result<()> {
    println!("## Generator vs floor (in memory: generate_files vs serde_json::from_slice::<Value>)\n");
    let mut table = Table::new(&[
        "input",
        "requests",
        "KiB",
        "parse ms",
        "generate ms",
        "ratio",
        "generate CPU ms",
        "CPU ratio",
        "µs/request",
        "parse peak MiB",
        "generate peak MiB",
    ]);
    let mut skipped = Vec::new();
    let mut synthetic_ms = Vec::new();
    for (name, path) in inputs {
        let file_args = [path.display().to_string(), runs.to_string(), "300".to_owned()];
        let generated = child::run(exe, child::Mode::Gen, &file_args)?;
        if let Some(error) = generated.error {
            let error = error.replace(&format!("{}: ", path.display()), "");
            skipped.push(format!("{name}: {}", first_line(&error)));
            continue;
        }
        let floor = child::run(exe, child::Mode::Floor, &file_args)?;
        let requests = synth::count_requests(path);
        let kib = std::fs::metadata(path).map(|m| m.len() / 1024).unwrap_or(0);
        let (parse, gen) = (median(&floor.times_ms), median(&generated.times_ms));
        let gen_cpu = median(&generated.cpu_ms);
        if synthetic.iter().any(|(_, p)| p == path) {
            synthetic_ms.push((requests, gen));
        }
        table.row(vec![
            name.clone(),
            requests.to_string(),
            kib.to_string(),
            ms(parse),
            ms(gen),
            format!("{:.1}", gen / parse.max(f64::MIN_POSITIVE)),
            ms(gen_cpu),
            format!("{:.1}", gen_cpu / parse.max(f64::MIN_POSITIVE)),
            if requests == 0 { "n/a".to_owned() } else { format!("{:.0}", gen * 1000.0 / requests as f64) },
            mib(floor.peak_kib),
            mib(generated.peak_kib),
        ]);
        // Regenerating into an up-to-date crate, and after a one-request change: for Zoho and
        // the smallest synthetic collection (`generate` into a directory, writing what changed).
        let smallest_synthetic = synthetic.first().is_some_and(|(_, p)| p == path);
        if name.starts_with("zoho-cliq") || smallest_synthetic {
            for (mode, label) in [(child::Mode::Warm, "warm, up to date"), (child::Mode::Change, "one request changed")] {
                let dir = scratch.join(format!("regenerate-{}", table.len()));
                let mut args = file_args.to_vec();
                args.push(dir.display().to_string());
                let report = child::run(exe, mode, &args)?;
                let _ = std::fs::remove_dir_all(&dir);
                if let Some(error) = report.error {
                    skipped.push(format!("{name} ({label}): {}", first_line(&error)));
                    continue;
                }
                let (t, cpu) = (median(&report.times_ms), median(&report.cpu_ms));
                table.row(vec![
                    format!("{name}: {label}"),
                    requests.to_string(),
                    kib.to_string(),
                    ms(parse),
                    ms(t),
                    format!("{:.1}", t / parse.max(f64::MIN_POSITIVE)),
                    ms(cpu),
                    format!("{:.1}", cpu / parse.max(f64::MIN_POSITIVE)),
                    if requests == 0 { "n/a".to_owned() } else { format!("{:.0}", t * 1000.0 / requests as f64) },
                    mib(floor.peak_kib),
                    mib(report.peak_kib),
                ]);
            }
        }
    }
    print!("{}", table.render());
    if !skipped.is_empty() {
        println!("\nNot collections the generator accepts (skipped):");
        for line in &skipped {
            println!("- {line}");
        }
    }
    if let (Some(small), Some(large)) = (synthetic_ms.first(), synthetic_ms.last()) {
        if large.0 > small.0 {
            println!(
                "\nScaling: {}k / {}k requests = {:.0}× the requests took {:.1}× the time (linear: {:.0}×).",
                large.0 / 1000,
                small.0 / 1000,
                large.0 as f64 / small.0 as f64,
                large.1 / small.1,
                large.0 as f64 / small.0 as f64
            );
        }
    }
    println!();
    Ok(())
}

/// Table 2.
fn end_to_end_table(exe: &Path, cli: &Path, inputs: &[(String, PathBuf)], scratch: &Path, runs: usize) -> Result<()> {
    println!("## End to end (`postman-codegen generate` process, {}, writing a fresh directory)\n", build_kind());
    if !cli.exists() {
        println!("{} is missing: build it with `cargo build --release -p postman-codegen`.\n", cli.display());
        return Ok(());
    }
    let mut table = Table::new(&["input", "requests", "KiB", "wall ms", "CPU ms", "peak RSS MiB", "files written"]);
    for (name, path) in inputs {
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        let mut peak = 0;
        let mut files = 0;
        let mut error = None;
        for run in 0..runs.min(5) {
            let out = scratch.join(format!("e2e-out-{run}"));
            let _ = std::fs::remove_dir_all(&out);
            let command = [
                cli.display().to_string(),
                "generate".to_owned(),
                "--collection".to_owned(),
                path.display().to_string(),
                "--out".to_owned(),
                out.display().to_string(),
                "--crate-name".to_owned(),
                "bench-crate".to_owned(),
            ];
            let report = child::run(exe, child::Mode::Exec, &command)?;
            if let Some(e) = report.error {
                error = Some(e);
                break;
            }
            walls.extend(report.times_ms);
            cpus.extend(report.cpu_ms);
            peak = peak.max(report.peak_kib);
            files = count_files(&out);
            let _ = std::fs::remove_dir_all(&out);
        }
        if let Some(e) = error {
            table.row(vec![name.clone(), "failed".into(), first_line(&e)]);
            continue;
        }
        table.row(vec![
            name.clone(),
            synth::count_requests(path).to_string(),
            std::fs::metadata(path).map(|m| m.len() / 1024).unwrap_or(0).to_string(),
            ms(median(&walls)),
            ms(median(&cpus)),
            mib(peak),
            files.to_string(),
        ]);
    }
    print!("{}", table.render());
    println!();
    Ok(())
}

/// The corpus collections (JSON files; environment files are filtered by the generator itself).
fn corpus_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// A corpus file's name without its `owner--repo--` prefix.
fn short_name(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let parts: Vec<&str> = name.split("--").collect();
    match parts.as_slice() {
        // `owner--repo--postman_collection.json`: the repository names it.
        [.., repo, file] if file.starts_with("postman_collection") => format!("{repo}--{file}"),
        [.., file] => (*file).to_owned(),
        [] => name.into_owned(),
    }
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| if e.path().is_dir() { count_files(&e.path()) } else { 1 })
                .sum()
        })
        .unwrap_or(0)
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut cut: String = line.chars().take(160).collect();
    if cut.len() < line.len() {
        cut.push('…');
    }
    cut
}

fn build_kind() -> &'static str {
    if cfg!(debug_assertions) {
        "debug build"
    } else {
        "release build"
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// The cargo target directory (shared with the workspace's builds).
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The cargo that runs this task.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds the release `xtask` and `postman-codegen` and runs this task again from there.
fn rerun_release(root: &Path, target: &Path) -> Result<()> {
    eprintln!("bench: building the release xtask and postman-codegen (cargo build --release)…");
    let status = cargo()
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask", "-p", "postman-codegen"])
        .status()
        .context("running cargo build --release")?;
    if !status.success() {
        bail!("cargo build --release failed");
    }
    let exe = target.join("release").join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    let status = Command::new(&exe)
        .args(std::env::args_os().skip(1))
        .status()
        .with_context(|| format!("running {}", exe.display()))?;
    if !status.success() {
        bail!("the release bench failed ({status})");
    }
    Ok(())
}

/// A scratch directory removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempfile_dir() -> Result<Scratch> {
    let dir = std::env::temp_dir().join(format!("postman-codegen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(Scratch(dir))
}
