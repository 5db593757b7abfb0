//! Table 3: what compiling a generated crate costs, ours against progenitor's for the same API.
//!
//! Both crates are copied into one scratch workspace under `<target>/bench-compile` (same profile
//! as this workspace: `debug = 0`, dependencies at `opt-level = 1`), their dependencies are built
//! first, and then only the crate itself is timed, in the same run for both crates: touch
//! `src/lib.rs`, then `cargo check` with incremental compilation on (the re-check an editor or a
//! `cargo check` loop pays), and `cargo check` / `cargo build` with `CARGO_INCREMENTAL=0` (each
//! run compiles the whole crate, as after a regeneration or on CI).
//!
//! The progenitor crate comes from Zoho's v3 OpenAPI files: each YAML file is converted to JSON,
//! tried alone with `cargo progenitor`, and merged into one spec if it works there and in the
//! merge (progenitor takes one document). `cargo-progenitor` is installed once into
//! `<target>/bench-tools` (slow: a release build of progenitor).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::table::{median, ms, Table};
use super::{cargo, first_line};

const PROGENITOR_VERSION: &str = "0.15.1";
/// Bump to regenerate cached progenitor crates when this file changes how they are made.
const CACHE_VERSION: &str = "2";
const OURS: &str = "zoho-cliq";
const THEIRS: &str = "zoho-cliq-progenitor";
const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What is timed, in table order: (name, cargo command, incremental).
const MODES: [(&str, &str, bool); 3] = [("incremental check", "check", true), ("check", "check", false), ("build", "build", false)];

/// One crate configuration that is timed.
struct Config {
    label: String,
    package: &'static str,
    flags: Vec<&'static str>,
    endpoints: usize,
    lines: usize,
}

/// Prints table 3 (or why it could not be made).
pub fn table(root: &Path, target: &Path, runs: usize) -> Result<()> {
    println!("## Generated crate compile cost (crate only, dependencies pre-built, dev profile; touch src/lib.rs, then incremental `cargo check`, and `cargo check` / `cargo build` with CARGO_INCREMENTAL=0)\n");
    let base = target.join("bench-compile");
    let ws = base.join("ws");
    std::fs::create_dir_all(&ws)?;

    let ours_src = root.join("generated/zoho-cliq");
    copy_crate(&ours_src, &ws.join(OURS))?;
    let surface = std::fs::read_to_string(ours_src.join("surface.txt")).context("reading zoho-cliq/surface.txt")?;
    let modules: BTreeSet<String> =
        surface.lines().filter_map(|l| l.split("::").next()).filter(|m| !m.contains('\t')).map(str::to_owned).collect();
    let count = |module: Option<&str>| surface.lines().filter(|l| module.is_none_or(|m| l.starts_with(&format!("{m}::")))).count();

    let mut configs = vec![
        Config {
            label: format!("{OURS}, all features"),
            package: OURS,
            flags: vec![],
            endpoints: count(None),
            lines: rust_lines(&ws.join(OURS), &modules, None),
        },
        Config {
            label: format!("{OURS}, --features v3 only"),
            package: OURS,
            flags: vec!["--no-default-features", "--features", "v3"],
            endpoints: count(Some("v3")),
            lines: rust_lines(&ws.join(OURS), &modules, Some("v3")),
        },
        Config {
            label: format!("{OURS}, one module (--features v3-chats)"),
            package: OURS,
            flags: vec!["--no-default-features", "--features", "v3-chats"],
            endpoints: count(Some("v3::chats")),
            lines: rust_lines(&ws.join(OURS), &modules, Some("v3/chats")),
        },
    ];

    let mut notes = Vec::new();
    let spec_dir = root.join("../shared/zoho-cliq/openapi/v3");
    let progenitor = install_progenitor(target).and_then(|tool| progenitor_crate(&tool, &spec_dir, &base.join("progenitor"), &ws.join(THEIRS)));
    match &progenitor {
        Ok(report) => {
            configs.push(Config {
                label: format!("progenitor {PROGENITOR_VERSION}, v3 OpenAPI"),
                package: THEIRS,
                flags: vec![],
                endpoints: report.endpoints,
                lines: rust_lines(&ws.join(THEIRS), &BTreeSet::new(), None),
            });
            notes.push(format!(
                "progenitor crate: {} of {} v3 OpenAPI files merged into one spec ({} operations; positional interface, `--include-client true` so its runtime is compiled in the crate as ours is).",
                report.used.len(),
                report.used.len() + report.failures.len(),
                report.endpoints
            ));
            for (file, reason) in &report.failures {
                notes.push(format!("  left out {file}: {reason}"));
            }
            if report.duplicate_operations > 0 {
                notes.push(format!("  {} operations appeared in two files and were taken once", report.duplicate_operations));
            }
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(ws.join(THEIRS));
            notes.push(format!("progenitor: not compared: {}", first_line(&format!("{e:#}"))));
        }
    }

    write_workspace(root, &ws, &configs)?;
    let ctarget = base.join("target");
    // Dependencies (and a first build of each crate) before anything is timed.
    let log = base.join("prebuild.log");
    let mut measured = Vec::new();
    for config in configs {
        let mut ok = true;
        for (name, command, incremental) in MODES {
            if let Err(e) = cargo_run(&ws, &ctarget, command, incremental, &config, false, Some(&log)) {
                notes.push(format!("{}: `cargo {name}` failed, not timed: {} (see {})", config.label, first_line(&format!("{e:#}")), log.display()));
                ok = false;
                break;
            }
        }
        if ok {
            measured.push((config, [Vec::new(), Vec::new(), Vec::new()]));
        }
    }
    for _ in 0..runs {
        for (config, times) in &mut measured {
            for ((_, command, incremental), times) in MODES.into_iter().zip(times.iter_mut()) {
                touch(&ws.join(config.package).join("src/lib.rs"))?;
                let start = Instant::now();
                cargo_run(&ws, &ctarget, command, incremental, config, true, None)?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }

    let per_endpoint = |config: &Config, times: &[Vec<f64>; 3]| times.each_ref().map(|t| median(t) / config.endpoints.max(1) as f64);
    let theirs = measured.iter().find(|(c, _)| c.package == THEIRS).map(|(c, times)| per_endpoint(c, times));
    let mut header = vec!["crate".to_owned(), "endpoints".to_owned(), "lines".to_owned(), "lines/endpoint".to_owned()];
    for (name, _, _) in MODES {
        header.extend([format!("{name} s"), format!("{name} ms/endpoint"), format!("{name} vs progenitor/endpoint")]);
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(&header);
    for (config, times) in &measured {
        let n = config.endpoints.max(1) as f64;
        let ours = per_endpoint(config, times);
        let mut row = vec![config.label.clone(), config.endpoints.to_string(), config.lines.to_string(), format!("{:.0}", config.lines as f64 / n)];
        for (i, t) in times.iter().enumerate() {
            let ratio = match theirs {
                Some(theirs) if theirs[i] > 0.0 => format!("{:.2}", ours[i] / theirs[i]),
                _ => "n/a".to_owned(),
            };
            row.extend([format!("{:.2}", median(t) / 1000.0), ms(ours[i]), ratio]);
        }
        table.row(row);
    }
    print!("{}", table.render());
    let ours: Vec<_> = measured.iter().filter(|(c, _)| c.package == OURS).collect();
    if let [(all, all_times), (v3, v3_times), rest @ ..] = ours.as_slice() {
        if all.endpoints > v3.endpoints {
            let n = (all.endpoints - v3.endpoints) as f64;
            let marginal = |i: usize| ms((median(&all_times[i]) - median(&v3_times[i])) / n);
            println!(
                "\nMarginal cost of the {} endpoints outside v3 (all features − v3 only): incremental check {} ms/endpoint, check {} ms/endpoint, build {} ms/endpoint; the rest is the fixed cost of the runtime, ids and lib.rs.",
                all.endpoints - v3.endpoints,
                marginal(0),
                marginal(1),
                marginal(2),
            );
        }
        if let [(one, one_times)] = rest {
            let share = |i: usize| 100.0 * median(&one_times[i]) / median(&all_times[i]).max(f64::MIN_POSITIVE);
            println!(
                "One module ({}, {} endpoints) costs {:.0} % of the full crate's incremental check, {:.0} % of its check and {:.0} % of its build.",
                one.label,
                one.endpoints,
                share(0),
                share(1),
                share(2),
            );
        }
    }
    if !notes.is_empty() {
        println!();
        for note in &notes {
            println!("{note}");
        }
    }
    println!("Lines: non-empty lines of the .rs files compiled in that configuration (ours without the non-default `postman-examples` module).\n");
    Ok(())
}

/// `cargo check|build -p PACKAGE FLAGS` in the scratch workspace.
fn cargo_run(ws: &Path, target: &Path, mode: &str, incremental: bool, config: &Config, offline: bool, log: Option<&Path>) -> Result<()> {
    let mut command = cargo();
    command
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
        .args([mode, "--quiet", "-p", config.package])
        .args(&config.flags)
        .stdin(Stdio::null());
    if offline {
        command.arg("--offline");
    }
    let output = command.output().with_context(|| format!("running cargo {mode}"))?;
    if let Some(log) = log {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
        writeln!(file, "== cargo {mode} -p {} {:?} (incremental: {incremental}): {}", config.package, config.flags, output.status)?;
        file.write_all(&output.stderr)?;
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let error = stderr.lines().find(|l| l.starts_with("error")).unwrap_or("").to_owned();
        bail!("{}: {error}", output.status);
    }
    Ok(())
}

fn touch(path: &Path) -> Result<()> {
    let file = File::options().append(true).open(path).with_context(|| format!("touching {}", path.display()))?;
    file.set_modified(SystemTime::now())?;
    Ok(())
}

/// Copies `Cargo.toml`, `src/` and the `tests/` and `examples/` its manifest may name (fresh
/// each time).
fn copy_crate(from: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to)?;
    std::fs::copy(from.join("Cargo.toml"), to.join("Cargo.toml"))?;
    for dir in ["tests", "examples"] {
        if from.join(dir).is_dir() {
            copy_dir(&from.join(dir), &to.join(dir))?;
        }
    }
    copy_dir(&from.join("src"), &to.join("src"))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let dest = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest)?;
        }
    }
    Ok(())
}

/// The scratch workspace: the crates measured, this workspace's dev profile and lock file.
fn write_workspace(root: &Path, ws: &Path, configs: &[Config]) -> Result<()> {
    let members: BTreeSet<&str> = configs.iter().map(|c| c.package).collect();
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!(
        "# Written by `cargo xtask bench`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n\
         [profile.dev]\ndebug = 0\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n",
        members.join(", ")
    );
    std::fs::write(ws.join("Cargo.toml"), manifest)?;
    // The same dependency versions as this workspace (cargo adds what progenitor's crate needs).
    if !ws.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock"))?;
    }
    Ok(())
}

/// Non-empty lines of the crate's `.rs` files that a configuration compiles: files of feature
/// modules (`modules`) other than `only` (a top-level module, `v3`, or one under it,
/// `v3/chats`, with its parent's `mod.rs`) are left out, and so is `postman_examples.rs`.
fn rust_lines(krate: &Path, modules: &BTreeSet<String>, only: Option<&str>) -> usize {
    fn walk(dir: &Path, src: &Path, keep: &dyn Fn(&str) -> bool, total: &mut usize) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let relative = path.strip_prefix(src).unwrap_or(&path);
            let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if path.is_dir() {
                walk(&path, src, keep, total);
            } else if path.extension().is_some_and(|e| e == "rs") && keep(relative.trim_end_matches(".rs")) {
                *total += std::fs::read_to_string(&path).map(|t| t.lines().filter(|l| !l.trim().is_empty()).count()).unwrap_or(0);
            }
        }
    }
    let keep = |file: &str| {
        let top = file.split('/').next().unwrap_or(file);
        if top == "postman_examples" {
            return false;
        }
        if !modules.contains(top) {
            return true;
        }
        match only {
            None => true,
            Some(only) => {
                let parent = only.rsplit_once('/').map_or(only, |(parent, _)| parent);
                file == only || file.starts_with(&format!("{only}/")) || file == format!("{parent}/mod")
            }
        }
    };
    let src = krate.join("src");
    let mut total = 0;
    walk(&src, &src, &keep, &mut total);
    total
}

/// `<target>/bench-tools/bin/cargo-progenitor`, installed on first use.
fn install_progenitor(target: &Path) -> Result<PathBuf> {
    let tools = target.join("bench-tools");
    let bin = tools.join("bin").join(format!("cargo-progenitor{}", std::env::consts::EXE_SUFFIX));
    if bin.exists() {
        return Ok(bin);
    }
    eprintln!("bench: installing cargo-progenitor {PROGENITOR_VERSION} into {} (once; a slow release build)…", tools.display());
    std::fs::create_dir_all(&tools)?;
    let log = tools.join("install.log");
    let output = cargo()
        .env("CARGO_TARGET_DIR", tools.join("build"))
        .args(["install", "cargo-progenitor", "--locked", "--version", PROGENITOR_VERSION, "--root"])
        .arg(&tools)
        .stdin(Stdio::null())
        .output()
        .context("running cargo install cargo-progenitor")?;
    std::fs::write(&log, &output.stderr)?;
    if !output.status.success() || !bin.exists() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let error = stderr.lines().find(|l| l.starts_with("error")).unwrap_or("(no error line)");
        bail!("`cargo install cargo-progenitor` failed: {error} (see {})", log.display());
    }
    Ok(bin)
}

/// What went into the progenitor crate.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ProgenitorReport {
    /// Hash of the tool and the inputs this report is for.
    key: String,
    /// Operations in the merged spec.
    endpoints: usize,
    /// Files merged.
    used: Vec<String>,
    /// Files left out, with the reason.
    failures: Vec<(String, String)>,
    /// Operations (path + method) that more than one file defines.
    duplicate_operations: usize,
}

/// Generates `out` with progenitor from the OpenAPI files in `spec_dir` (cached in `work`).
fn progenitor_crate(tool: &Path, spec_dir: &Path, work: &Path, out: &Path) -> Result<ProgenitorReport> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(spec_dir)
        .with_context(|| format!("reading {}", spec_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml" || e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no OpenAPI files in {}", spec_dir.display());
    }
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(CACHE_VERSION.as_bytes());
    hasher.update(&std::fs::read(tool)?);
    for file in &files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update(&std::fs::read(file)?);
    }
    let key = hasher.digest().to_string();
    let report_path = work.join("report.json");
    if let Ok(text) = std::fs::read_to_string(&report_path) {
        if let Ok(report) = serde_json::from_str::<ProgenitorReport>(&text) {
            if report.key == key && out.join("src/lib.rs").exists() {
                return Ok(report);
            }
        }
    }

    eprintln!("bench: generating the progenitor crate from {} OpenAPI files…", files.len());
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work)?;
    let mut report = ProgenitorReport { key, ..ProgenitorReport::default() };
    let mut merged: Option<Value> = None;
    for file in &files {
        let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let spec = match read_spec(file) {
            Ok(spec) => spec,
            Err(e) => {
                report.failures.push((name, format!("{e:#}")));
                continue;
            }
        };
        let alone = work.join(format!("{name}.json"));
        std::fs::write(&alone, serde_json::to_vec_pretty(&spec)?)?;
        if let Err(e) = run_progenitor(tool, &alone, &work.join("try")) {
            report.failures.push((name, format!("rejected alone: {e:#}")));
            continue;
        }
        let (candidate, duplicates) = match &merged {
            None => (spec, 0),
            Some(base) => merge(base, &spec),
        };
        let candidate_path = work.join("merged.json");
        std::fs::write(&candidate_path, serde_json::to_vec_pretty(&candidate)?)?;
        if let Err(e) = run_progenitor(tool, &candidate_path, &work.join("try")) {
            report.failures.push((name, format!("works alone but not merged with the others: {e:#}")));
            continue;
        }
        report.duplicate_operations += duplicates;
        report.used.push(name);
        merged = Some(candidate);
    }
    let merged = merged.context("progenitor accepted none of the OpenAPI files")?;
    let merged_path = work.join("merged.json");
    std::fs::write(&merged_path, serde_json::to_vec_pretty(&merged)?)?;
    let _ = std::fs::remove_dir_all(out);
    run_progenitor(tool, &merged_path, out)?;
    report.endpoints = count_operations(&merged);
    std::fs::write(&report_path, serde_json::to_vec_pretty(&report)?)?;
    Ok(report)
}

/// A YAML or JSON OpenAPI file as JSON.
fn read_spec(file: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(file)?;
    let value: Value = serde_yaml::from_str(&text).context("not YAML")?;
    let version = value.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0") {
        bail!("OpenAPI `{version}`: progenitor reads 3.0 documents");
    }
    Ok(value)
}

fn run_progenitor(tool: &Path, spec: &Path, out: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(out);
    let output = Command::new(tool)
        .arg("progenitor")
        .arg("-i")
        .arg(spec)
        .arg("-o")
        .arg(out)
        .args(["-n", THEIRS, "-v", "0.1.0", "--license-name", "MIT", "--include-client", "true"])
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {}", tool.display()))?;
    if output.status.success() {
        return Ok(());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    // A panic's message is the line after "thread 'main' panicked at FILE:LINE:COL:".
    let panic = lines.iter().position(|l| l.contains("panicked at")).map(|i| {
        let place = lines[i].rsplit('/').next().unwrap_or("").trim_end_matches(':');
        format!("panics ({place}): {}", lines.get(i + 1).unwrap_or(&""))
    });
    let reason = panic
        .or_else(|| stdout.lines().find(|l| l.starts_with("gen fail")).map(str::to_owned))
        .or_else(|| lines.iter().find(|l| l.starts_with("Error")).map(|l| (*l).to_owned()))
        .or_else(|| lines.iter().rev().find(|l| !l.trim().is_empty()).map(|l| (*l).to_owned()))
        .unwrap_or_else(|| "(no message)".to_owned());
    bail!("{}", first_line(&reason))
}

/// `base` with the paths and components of `next` added (first definition wins); also returns
/// how many operations `next` repeats.
fn merge(base: &Value, next: &Value) -> (Value, usize) {
    let mut merged = base.clone();
    let mut duplicates = 0;
    let root = merged.as_object_mut().expect("an OpenAPI document is an object");
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        info.insert("title".into(), Value::String("Zoho Cliq v3".into()));
    }
    // Components: one that is already there (or spelled so that it becomes the same Rust type
    // name, `no-response` / `NoResponse`) is shared when identical and renamed when not.
    let next = renamed_components(&merged, next);
    let next = &next;
    let root = merged.as_object_mut().expect("an OpenAPI document is an object");
    let components = object_entry(root, "components");
    for (section, entries) in next.get("components").and_then(Value::as_object).into_iter().flatten() {
        let Some(entries) = entries.as_object() else { continue };
        let target = object_entry(components, section);
        for (name, value) in entries {
            target.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
    let paths = object_entry(root, "paths");
    for (path, item) in next.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let Some(item) = item.as_object() else { continue };
        let target = object_entry(paths, path);
        for (key, value) in item {
            if target.contains_key(key) {
                duplicates += usize::from(HTTP_METHODS.contains(&key.as_str()));
            } else {
                target.insert(key.clone(), value.clone());
            }
        }
    }

    let mut tags: BTreeMap<String, Value> = BTreeMap::new();
    for doc in [base, next] {
        for tag in doc.get("tags").and_then(Value::as_array).into_iter().flatten() {
            let name = tag.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
            tags.entry(name).or_insert_with(|| tag.clone());
        }
    }
    root.insert("tags".into(), Value::Array(tags.into_values().collect()));
    (merged, duplicates)
}

/// Rust-type spelling of a component name: what progenitor would make of it.
fn type_key(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

/// `next` with its components renamed where they clash with different ones in `base`, and
/// pointed at `base`'s where they are the same under another spelling.
fn renamed_components(base: &Value, next: &Value) -> Value {
    let mut renames: Vec<(String, String)> = Vec::new();
    let base_components = base.get("components").and_then(Value::as_object);
    for (section, entries) in next.get("components").and_then(Value::as_object).into_iter().flatten() {
        let Some(entries) = entries.as_object() else { continue };
        let existing = base_components.and_then(|c| c.get(section)).and_then(Value::as_object);
        let taken: BTreeSet<String> = existing.into_iter().flat_map(|e| e.keys().map(|k| type_key(k))).collect();
        for (name, value) in entries {
            let same_type = existing.and_then(|e| e.iter().find(|(k, _)| type_key(k) == type_key(name)));
            let new_name = match same_type {
                None => continue,
                Some((existing_name, existing_value)) if existing_value == value => existing_name.clone(),
                Some(_) => {
                    let mut n = 2;
                    while taken.contains(&type_key(&format!("{name}{n}"))) || entries.contains_key(&format!("{name}{n}")) {
                        n += 1;
                    }
                    format!("{name}{n}")
                }
            };
            if new_name != *name {
                renames.push((format!("#/components/{section}/{name}"), format!("#/components/{section}/{new_name}")));
            }
        }
    }
    let mut out = next.clone();
    if renames.is_empty() {
        return out;
    }
    fn rewrite(value: &mut Value, renames: &[(String, String)]) {
        match value {
            Value::String(s) => {
                if let Some((_, to)) = renames.iter().find(|(from, _)| from == s) {
                    *s = to.clone();
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, renames)),
            Value::Object(map) => map.values_mut().for_each(|v| rewrite(v, renames)),
            _ => {}
        }
    }
    rewrite(&mut out, &renames);
    if let Some(components) = out.get_mut("components").and_then(Value::as_object_mut) {
        for (from, to) in &renames {
            let parts: Vec<&str> = from.rsplitn(3, '/').collect();
            let to_name = to.rsplit('/').next().unwrap_or_default();
            if let [old_name, section, _] = parts.as_slice() {
                if let Some(entries) = components.get_mut(*section).and_then(Value::as_object_mut) {
                    if let Some(value) = entries.remove(*old_name) {
                        entries.insert(to_name.to_owned(), value);
                    }
                }
            }
        }
    }
    out
}

fn object_entry<'a>(object: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let entry = object.entry(key.to_owned()).or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("just made an object")
}

fn count_operations(spec: &Value) -> usize {
    spec.get("paths")
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .values()
                .filter_map(Value::as_object)
                .map(|item| item.keys().filter(|k| HTTP_METHODS.contains(&k.as_str())).count())
                .sum()
        })
        .unwrap_or(0)
}
