//! Measurements that run in a fresh process of their own, so each one's peak memory is its own:
//! the bench starts `xtask bench --child MODE -- ARGS…` and reads one JSON line from its stdout.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// What a child measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// `Generator::generate_files` on a collection file (in memory: nothing is written).
    Gen,
    /// `serde_json::from_slice::<serde_json::Value>` on the bytes of a file.
    Floor,
    /// Runs a command once and reports its wall time and peak RSS.
    Exec,
    /// `Generator::generate` into a directory that already holds the crate (a warm regeneration:
    /// nothing changed, every formatted file is reused).
    Warm,
    /// `Generator::generate` into a directory generated from the same collection but for one
    /// request's description (alternating between the two versions each run).
    Change,
}

/// A child's report.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// One duration per timed repetition, in milliseconds (wall clock).
    pub times_ms: Vec<f64>,
    /// CPU time (user + system, all threads) per timed repetition, in milliseconds.
    #[serde(default)]
    pub cpu_ms: Vec<f64>,
    /// Peak resident set size in KiB (VmHWM of the child, or ru_maxrss of the command it ran).
    pub peak_kib: u64,
    /// Why the measurement failed, if it did.
    pub error: Option<String>,
}

/// Runs a child measurement in this process and prints its report.
pub fn main(mode: Mode, args: &[String]) -> Result<()> {
    let report = match mode {
        Mode::Gen | Mode::Floor => {
            let [file, runs, min_ms] = args else { bail!("usage: --child gen|floor -- FILE RUNS MIN_MS") };
            let runs: usize = runs.parse()?;
            let min = Duration::from_millis(min_ms.parse()?);
            if mode == Mode::Gen {
                generate(Path::new(file), runs, min)
            } else {
                floor(Path::new(file), runs, min)
            }
        }
        Mode::Warm | Mode::Change => {
            let [file, runs, min_ms, scratch] = args else { bail!("usage: --child warm|change -- FILE RUNS MIN_MS SCRATCH") };
            regenerate(Path::new(file), runs.parse()?, Duration::from_millis(min_ms.parse()?), Path::new(scratch), mode == Mode::Change)
        }
        Mode::Exec => exec(args)?,
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

/// At most this many repetitions, however short each one.
const MAX_REPETITIONS: usize = 200;

/// Times `work` at least `runs` times and for at least `min`, after one untimed warm-up run.
fn repeat<T>(runs: usize, min: Duration, mut work: impl FnMut() -> Result<T>) -> Report {
    if let Err(e) = work() {
        return Report { error: Some(format!("{e:#}")), ..Report::default() };
    }
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let start = Instant::now();
    while times.len() < runs || (start.elapsed() < min && times.len() < MAX_REPETITIONS) {
        let cpu_before = rusage(RUSAGE_SELF).map(|r| r.cpu_ms());
        let t = Instant::now();
        let out = work();
        let elapsed = t.elapsed();
        let cpu_after = rusage(RUSAGE_SELF).map(|r| r.cpu_ms());
        // The result is dropped outside the timed part.
        drop(out);
        times.push(elapsed.as_secs_f64() * 1000.0);
        if let (Some(before), Some(after)) = (cpu_before, cpu_after) {
            cpu.push(after - before);
        }
    }
    Report { times_ms: times, cpu_ms: cpu, peak_kib: vm_hwm_kib().unwrap_or(0), error: None }
}

fn generate(file: &Path, runs: usize, min: Duration) -> Report {
    let mut generator = postman_codegen::Generator::new();
    generator.collection(file).crate_name("bench-crate");
    repeat(runs, min, || Ok(generator.generate_files()?))
}

/// Warm regenerations into `scratch/out` of `file` (and, with `change`, of a copy of it whose
/// first request has another description, in turn). Both versions sit in directories of their
/// own under the same file name, so the `@generated` headers are the same.
fn regenerate(file: &Path, runs: usize, min: Duration, scratch: &Path, change: bool) -> Report {
    let prepare = || -> Result<[std::path::PathBuf; 2]> {
        let name = file.file_name().context("collection file name")?;
        let mut collection: serde_json::Value = serde_json::from_slice(&std::fs::read(file)?)?;
        let (a, b) = (scratch.join("a").join(name), scratch.join("b").join(name));
        for path in [&a, &b] {
            std::fs::create_dir_all(path.parent().context("parent")?)?;
        }
        std::fs::write(&a, serde_json::to_vec(&collection)?)?;
        let request = first_request(&mut collection).context("the collection has no request")?;
        request["description"] = serde_json::Value::String("Changed by the bench: one request's docs.".to_owned());
        std::fs::write(&b, serde_json::to_vec(&collection)?)?;
        Ok([a, b])
    };
    let versions = match prepare() {
        Ok(versions) => versions,
        Err(e) => return Report { error: Some(format!("{e:#}")), ..Report::default() },
    };
    let out = scratch.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let generator = |path: &Path| {
        let mut generator = postman_codegen::Generator::new();
        generator.collection(path).crate_name("bench-crate");
        generator
    };
    let (a, b) = (generator(&versions[0]), generator(&versions[1]));
    // The first (untimed) run of `repeat` writes version a; each timed run then regenerates
    // into a directory holding the other version (change) or the same one (warm).
    if let Err(e) = a.generate(&out) {
        return Report { error: Some(format!("{e:#}")), ..Report::default() };
    }
    let mut turn = 0usize;
    repeat(runs, min, || {
        turn += 1;
        let next = if change && turn % 2 == 1 { &b } else { &a };
        Ok(next.generate(&out)?)
    })
}

/// The `request` object of the collection's first request (depth first).
fn first_request(value: &mut serde_json::Value) -> Option<&mut serde_json::Value> {
    let items = value.get_mut("item")?.as_array_mut()?;
    for item in items {
        if item.get("request").is_some_and(|r| r.is_object()) {
            return item.get_mut("request");
        }
        if let Some(found) = first_request(item) {
            return Some(found);
        }
    }
    None
}

fn floor(file: &Path, runs: usize, min: Duration) -> Report {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => return Report { error: Some(format!("{}: {e}", file.display())), ..Report::default() },
    };
    repeat(runs, min, || Ok(serde_json::from_slice::<serde_json::Value>(&bytes)?))
}

/// This process's peak resident set size (`VmHWM` in /proc/self/status), in KiB.
pub fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `args[0] args[1..]` once; this process has no other children, so `RUSAGE_CHILDREN`
/// is the command's own CPU time and peak RSS.
fn exec(args: &[String]) -> Result<Report> {
    let (program, rest) = args.split_first().context("--child exec needs a command")?;
    let start = Instant::now();
    let output = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("running {program}"))?;
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    let error = (!output.status.success()).then(|| {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").to_owned();
        format!("{}: {last}", output.status)
    });
    let (cpu_ms, peak_kib) = match rusage(RUSAGE_CHILDREN) {
        Some(usage) => (vec![usage.cpu_ms()], usage.maxrss.max(0) as u64),
        None => (Vec::new(), 0),
    };
    Ok(Report { times_ms: vec![elapsed], cpu_ms, peak_kib, error })
}

const RUSAGE_SELF: i32 = 0;
const RUSAGE_CHILDREN: i32 = -1;

/// `struct rusage` on Linux: two `struct timeval`, then 14 longs, `ru_maxrss` (KiB) first.
#[repr(C)]
struct Rusage {
    utime: [std::ffi::c_long; 2],
    stime: [std::ffi::c_long; 2],
    maxrss: std::ffi::c_long,
    rest: [std::ffi::c_long; 13],
}

impl Rusage {
    fn cpu_ms(&self) -> f64 {
        let ms = |t: [std::ffi::c_long; 2]| t[0] as f64 * 1000.0 + t[1] as f64 / 1000.0;
        ms(self.utime) + ms(self.stime)
    }
}

/// `getrusage(who)`, declared here rather than adding a dependency: the C library is linked
/// into every Rust program on Linux anyway.
#[cfg(target_os = "linux")]
fn rusage(who: i32) -> Option<Rusage> {
    extern "C" {
        fn getrusage(who: std::ffi::c_int, usage: *mut Rusage) -> std::ffi::c_int;
    }
    let mut usage = Rusage { utime: [0; 2], stime: [0; 2], maxrss: 0, rest: [0; 13] };
    // SAFETY: `usage` is a valid, writable `struct rusage` for the duration of the call.
    let rc = unsafe { getrusage(who, &mut usage) };
    (rc == 0).then_some(usage)
}

#[cfg(not(target_os = "linux"))]
fn rusage(_who: i32) -> Option<Rusage> {
    None
}

/// Starts `exe bench --child MODE -- ARGS…` and parses its report.
pub fn run(exe: &Path, mode: Mode, args: &[String]) -> Result<Report> {
    let mode_name = match mode {
        Mode::Gen => "gen",
        Mode::Floor => "floor",
        Mode::Exec => "exec",
        Mode::Warm => "warm",
        Mode::Change => "change",
    };
    let output = Command::new(exe)
        .args(["bench", "--child", mode_name, "--"])
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("starting {}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(line) = stdout.lines().rev().find(|l| l.starts_with('{')) else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("child `{mode_name}` failed ({}): {}", output.status, stderr.trim());
    };
    serde_json::from_str(line).with_context(|| format!("child report `{line}`"))
}
