//! Wire conformance against Newman: every generated call puts on the wire what Postman's own
//! runner sends for the same request.
//!
//! For each collection (the Zoho Cliq collection with each data centre's environment, and every
//! valid corpus collection): Newman runs a copy of the collection whose base URLs point at one
//! loopback recorder, the generated crate's `postman_examples::run_all` calls every request with
//! the collection's values against another, and the two recordings are compared request by
//! request (method, path, query, headers that matter, body). Credentials get the same canary
//! values on both sides. Differences are allowed only for the requests listed, with a reason, in
//! `conformance/exclusions.toml`; requests excluded because of a script are verified by a second
//! run without the collection's scripts (variables the scripts would set get the same canary
//! value on both sides), which must be identical.
//!
//! Needs Node.js; the pinned Newman is installed with `npm ci --prefix tests/newman` (`.ci/run`
//! does it, and so does the test when it is missing). While working on one
//! collection, `CONFORMANCE_ONLY=<part of its file name>` runs only the collections that match,
//! `CONFORMANCE_KEEP=<dir>` keeps each Newman copy, environment and log there, and
//! `CONFORMANCE_SUGGEST=1` always makes the script-free run and marks the differing requests
//! that are identical in it (candidates for a `script` exclusion, after reading the scripts).

#[path = "conformance/compare.rs"]
mod compare;
#[path = "conformance/dynamic.rs"]
mod dynamic;
#[path = "conformance/exclusions.rs"]
mod exclusions;
#[path = "conformance/newman.rs"]
mod newman;
#[path = "conformance/recorder.rs"]
mod recorder;
#[path = "conformance/runner.rs"]
mod runner;
#[path = "conformance/signing.rs"]
mod signing;
#[path = "conformance/subject.rs"]
mod subject;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use integration_tests::{corpus_collections, environment_for, repo_root};
use postman_codegen::ir::{Body, Operation};
use serde_json::{json, Value};

use compare::{differences, wire, DEFAULT_HEADERS, IGNORED_HEADERS};
use dynamic::{Templates, Window};
use exclusions::Exclusion;
use recorder::{Recorded, Recorder};
use runner::Outcome;
use newman::Place;
use signing::{Challenger, SignAuth};
use subject::{canary, Subject};

/// The result of one collection × environment.
#[derive(Default)]
struct RunReport {
    label: String,
    identical: usize,
    total: usize,
    excluded: usize,
    /// Readable lines (differences, excluded requests, notes).
    lines: Vec<String>,
    /// Differences that are not excluded, and run-level problems.
    failures: usize,
}

/// The variable values both sides get in one run.
#[derive(Clone)]
struct Config {
    /// Variables holding base URLs: each side's recorder.
    origin_vars: BTreeSet<String>,
    /// Those of them that hold just the host (`https://{{host}}`): the recorders speak TLS.
    host_vars: BTreeSet<String>,
    /// Credentials: the same canary on both sides.
    credentials: BTreeSet<String>,
    /// Values both sides get: the environment's empty placeholders, which the user fills in
    /// (a numeric canary; `""` inside a base URL), and in script-free runs what the scripts
    /// would set (a numeric canary, valid in JSON, paths and queries alike).
    values: BTreeMap<String, String>,
    /// Newman runs the copy without any script.
    strip_scripts: bool,
}

impl Config {
    /// `env`: the index of the chosen environment among the subject's.
    fn new(subject: &Subject, env: Option<usize>) -> Config {
        let origin_vars: BTreeSet<String> = subject.origins().into_values().map(|o| o.var).collect();
        let mut credentials = subject.credential_vars();
        // Signing auths' credentials (the generator sends literal ones from `<kind>-<param>`).
        let collection: Value = std::fs::read_to_string(&subject.collection)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        credentials.extend(signing::credential_vars(&collection));
        credentials.extend(literal_credentials(subject).into_values().flatten().map(|(_, _, var)| var));
        let in_origins = subject.origin_template_vars();
        let values = subject
            .placeholders(env)
            .into_iter()
            .filter(|v| !origin_vars.contains(v) && !credentials.contains(v))
            .enumerate()
            .map(|(i, v)| {
                let value = if in_origins.contains(&v) { String::new() } else { (4100 + i).to_string() };
                (v, value)
            })
            .collect();
        let host_vars = subject.host_origin_vars();
        Config { origin_vars, host_vars, credentials, values, strip_scripts: false }
    }

    /// The same without scripts; what the scripts would set gets a numeric canary.
    fn without_scripts(&self, subject: &Subject) -> Config {
        let mut values = self.values.clone();
        let script_vars = subject.script_vars().into_iter().filter(|v| !self.origin_vars.contains(v) && !self.credentials.contains(v));
        for (i, var) in script_vars.enumerate() {
            values.insert(var, (4200 + i).to_string());
        }
        Config { values, strip_scripts: true, ..self.clone() }
    }

    /// Whether the recorders speak TLS.
    fn tls(&self) -> bool {
        !self.host_vars.is_empty()
    }

    /// The base-URL variables' values for `recorder`.
    fn origin_values(&self, recorder: &str) -> BTreeMap<String, String> {
        let host = recorder.split_once("://").map_or(recorder, |(_, h)| h);
        self.origin_vars
            .iter()
            .map(|v| (v.clone(), if self.host_vars.contains(v) { host } else { recorder }.to_owned()))
            .collect()
    }

    /// The generated client's `.var` settings for a run against `recorder`.
    fn generated_vars(&self, recorder: &str) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = self.values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        vars.extend(self.origin_values(recorder));
        vars
    }

    /// The generated client's `.secret` settings.
    fn generated_secrets(&self) -> Vec<(String, String)> {
        self.credentials.iter().map(|v| (v.clone(), canary(v))).collect()
    }
}

/// How to make the generated side's calls.
enum Generated<'a> {
    /// `zoho_cliq::postman_examples::run_all`, in process.
    Zoho(zoho_cliq::Environment),
    /// The runner binary, for one corpus crate.
    Corpus { runner: &'a Path, krate: &'a str },
}

impl Generated<'_> {
    /// `insecure`: trust the recorder's self-signed certificate; `files`: where the files the
    /// collection names are.
    async fn call(&self, vars: Vec<(String, String)>, secrets: Vec<(String, String)>, insecure: bool, files: &Path) -> Result<Vec<Outcome>, String> {
        match self {
            Generated::Zoho(environment) => {
                assert!(!insecure, "the Zoho collection has no `https://{{{{host}}}}` origin");
                let mut builder = zoho_cliq::Client::builder(*environment);
                for (name, value) in vars {
                    builder = builder.var(name, value);
                }
                for (name, value) in secrets {
                    builder = builder.secret(name, value);
                }
                let client = builder.build().map_err(|e| e.to_string())?;
                let outcomes = zoho_cliq::postman_examples::run_all(&client, files).await;
                Ok(outcomes
                    .into_iter()
                    .map(|(path, result)| {
                        let (sent, error) = match &result {
                            Ok(()) => (true, None),
                            Err(zoho_cliq::Error::Config(message)) => (false, Some(message.clone())),
                            Err(e) => {
                                let unbuilt = matches!(e, zoho_cliq::Error::Transport { source, .. } if source.is_builder());
                                (!unbuilt, Some(e.to_string()))
                            }
                        };
                        Outcome { path: path.to_owned(), sent, error }
                    })
                    .collect())
            }
            Generated::Corpus { runner, krate } => {
                let input = json!({
                    "env": 0,
                    "insecure": insecure,
                    "files": files,
                    "vars": vars.into_iter().map(|(k, v)| (k, json!(v))).collect::<serde_json::Map<_, _>>(),
                    "secrets": secrets.into_iter().map(|(k, v)| (k, json!(v))).collect::<serde_json::Map<_, _>>(),
                });
                let (runner, krate) = (runner.to_path_buf(), krate.to_string());
                tokio::task::spawn_blocking(move || runner::run(&runner, &krate, &input))
                    .await
                    .map_err(|e| e.to_string())?
            }
        }
    }
}

/// Both recordings of one run.
struct Run {
    /// Newman's output, or why it could not run.
    newman_log: Result<String, String>,
    newman: Vec<Recorded>,
    newman_uri: String,
    generated: Vec<Recorded>,
    generated_uri: String,
    outcomes: Result<Vec<Outcome>, String>,
    /// When the run took place: the window of its `$timestamp`s.
    window: Window,
    /// The signing auth of each signed request (by request order), as Newman renders it.
    auths: BTreeMap<usize, SignAuth>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_generated_call_sends_what_newman_sends() {
    let newman_js = newman::newman_js();
    let exclusions = exclusions::load();
    let only = std::env::var("CONFORMANCE_ONLY").ok().filter(|o| !o.is_empty());
    let selected = |file: &Path| only.as_deref().is_none_or(|o| file.to_string_lossy().contains(o));
    let mut reports = Vec::new();

    // The Zoho Cliq collection, once per data centre, in process.
    let (zoho_collection, zoho_envs) = zoho_inputs();
    if selected(&zoho_collection) {
        let subject = Subject::load(&zoho_collection, &zoho_envs).expect("the Zoho collection loads");
        let skipped: Vec<&str> = zoho_cliq::postman_examples::SKIPPED.iter().map(|(p, _)| *p).collect();
        for (index, env_path) in zoho_envs.iter().enumerate() {
            let env_json = newman::env_json(Some(env_path)).expect("the Zoho environment file is JSON");
            let env_name = env_json["name"].as_str().unwrap_or_default().to_owned();
            let environment = *zoho_cliq::Environment::ALL
                .iter()
                .find(|e| e.name() == env_name)
                .unwrap_or_else(|| panic!("zoho_cliq::Environment has no `{env_name}`"));
            let label = format!("{} with {env_name}", subject.file);
            let generated = Generated::Zoho(environment);
            let report =
                collection_run(&newman_js, &subject, Some(index), Some(&env_json), &generated, &exclusions, label, &skipped).await;
            reports.push(report);
        }
    }

    // Every valid corpus collection, through one runner binary.
    let (corpus, invalid) = corpus_runs(&newman_js, &exclusions, &selected).await;
    reports.extend(corpus);

    // Exclusions must name real requests.
    let stale: Vec<String> = exclusions
        .iter()
        .filter(|e| !e.used.get() && only.is_none())
        .map(|e| format!("  {}: `{}`: no such request", e.collection, e.request))
        .collect();

    let mut out = String::new();
    let _ = writeln!(out, "\nWire conformance against Newman");
    let _ = writeln!(
        out,
        "(headers never compared: {}; compared unless Newman's default value: {}; a query key without `=` reads as an empty value)",
        IGNORED_HEADERS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
        DEFAULT_HEADERS.iter().map(|(n, v, _)| format!("{n}: {v}")).collect::<Vec<_>>().join(", ")
    );
    for report in &reports {
        let _ = writeln!(out, "\n== {} ==", report.label);
        for line in &report.lines {
            let _ = writeln!(out, "{line}");
        }
    }
    if !invalid.is_empty() {
        let _ = writeln!(out, "\ncorpus files that are not valid collections (not compared; the corpus test checks their errors):");
        for line in &invalid {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !stale.is_empty() {
        let _ = writeln!(out, "\nstale exclusions (remove them from exclusions.toml):\n{}", stale.join("\n"));
    }
    let _ = writeln!(out);
    for report in &reports {
        let _ = writeln!(
            out,
            "conformance: {}/{} identical ({}; {} excluded)",
            report.identical, report.total, report.label, report.excluded
        );
    }
    let identical: usize = reports.iter().map(|r| r.identical).sum();
    let total: usize = reports.iter().map(|r| r.total).sum();
    let excluded: usize = reports.iter().map(|r| r.excluded).sum();
    let _ = writeln!(out, "({excluded} requests excluded in all, each listed with its reason in conformance/exclusions.toml)");
    let _ = writeln!(out, "conformance: {identical}/{total} identical");
    // Straight to stderr, past libtest's capture (which only takes `print!`-family output): CI
    // logs show the summary of a passing run too.
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), out.as_bytes());

    let failures: usize = reports.iter().map(|r| r.failures).sum();
    assert!(
        failures == 0 && stale.is_empty(),
        "{failures} request(s) differ from what Newman sends (or could not be compared), {} stale exclusion(s); see the list above",
        stale.len()
    );
}

/// The Zoho collection and its environment files, in `collection/codegen.toml` order.
fn zoho_inputs() -> (PathBuf, Vec<PathBuf>) {
    let dir = repo_root().join("collection");
    let config: toml::Value = toml::from_str(&std::fs::read_to_string(dir.join("codegen.toml")).unwrap()).unwrap();
    let entry = config["crate"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"].as_str() == Some("zoho-cliq"))
        .expect("codegen.toml lists zoho-cliq");
    let collection = dir.join(entry["collection"].as_str().unwrap());
    let envs = entry["environments"].as_array().unwrap().iter().map(|e| dir.join(e.as_str().unwrap())).collect();
    (collection, envs)
}

/// One collection with one environment: the run with scripts as they are, the script-free run
/// when needed, and the comparison.
#[allow(clippy::too_many_arguments)]
async fn collection_run(
    newman_js: &Path,
    subject: &Subject,
    env: Option<usize>,
    env_json: Option<&Value>,
    generated: &Generated<'_>,
    exclusions: &[Exclusion],
    label: String,
    skipped: &[&str],
) -> RunReport {
    let started = Instant::now();
    let config = Config::new(subject, env);
    let run = run_once(newman_js, subject, env_json, &config, generated).await;
    let plain = if exclusions::has_script(exclusions, &subject.file) || std::env::var_os("CONFORMANCE_SUGGEST").is_some() {
        Some(run_once(newman_js, subject, env_json, &config.without_scripts(subject), generated).await)
    } else {
        None
    };
    eprintln!("conformance: {label} in {:.1?}", started.elapsed());
    compare_run(label, subject, exclusions, &run, plain.as_ref(), skipped)
}

/// Newman and the generated side against their own recorders, with `config`.
async fn run_once(newman_js: &Path, subject: &Subject, env_json: Option<&Value>, config: &Config, generated: &Generated<'_>) -> Run {
    let started = unix_millis();
    let auths = signing_auths(subject, env_json, config);
    let challenger = Arc::new(Challenger::new(auths.iter().filter_map(|(n, a)| Some((*n, a.challenge()?))).collect()));
    let newman_rec = Recorder::start(config.tls(), challenger.clone()).await;
    let generated_rec = Recorder::start(config.tls(), challenger).await;
    let (newman_uri, generated_uri) = (newman_rec.uri(), generated_rec.uri());
    // The files the collection names, the same bytes for both sides.
    let files = tempfile::tempdir().expect("a temporary directory");
    let collection: Value = serde_json::from_str(&std::fs::read_to_string(&subject.collection).unwrap()).unwrap_or_default();
    let written = newman::write_files(&collection, files.path());
    let newman_log = match written {
        Ok(()) => newman_log(newman_js, subject, env_json, config, &newman_uri, files.path()).await,
        Err(e) => Err(e),
    };
    let outcomes =
        generated.call(config.generated_vars(&generated_uri), config.generated_secrets(), config.tls(), files.path()).await;
    Run {
        newman_log,
        newman: newman_rec.requests().await,
        newman_uri,
        generated: generated_rec.requests().await,
        generated_uri,
        outcomes,
        window: Window::new(started, unix_millis()),
        auths,
    }
}

/// The signing auths of the Newman copy, rendered with the values Newman gets (the recorder's
/// address aside, which no auth parameter holds).
fn signing_auths(subject: &Subject, env_json: Option<&Value>, config: &Config) -> BTreeMap<usize, SignAuth> {
    let Ok(collection) = std::fs::read_to_string(&subject.collection).map_err(|e| e.to_string()).and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string())) else {
        return BTreeMap::new();
    };
    let origins = subject.origins();
    let setup = newman::Setup {
        collection: &collection,
        environment: env_json,
        origins: &origins,
        credentials: &config.credentials,
        extra: &config.values,
        origin_values: &config.origin_values("http://127.0.0.1:1"),
        strip_scripts: config.strip_scripts,
    };
    let (copy, env) = newman::prepare(&setup, &literal_credentials(subject));
    signing::signing_auths(&copy, &env)
}

fn unix_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// Headers, query parameters and form fields whose literal credential value the generator
/// replaced by a variable named after them (`codegen/src/lower.rs`, `credential_variable`), by
/// request order: `(place, name, variable)`.
fn literal_credentials(subject: &Subject) -> BTreeMap<usize, Vec<(Place, String, String)>> {
    let mut out: BTreeMap<usize, Vec<(Place, String, String)>> = BTreeMap::new();
    for op in subject.operations() {
        let form: Vec<(String, String)> = match &op.body {
            Body::UrlEncoded { fields } | Body::FormData { fields } => {
                fields.iter().filter_map(|f| Some((f.name.clone(), f.example.clone()?))).collect()
            }
            _ => Vec::new(),
        };
        let places = [(Place::Header, &op.headers), (Place::Query, &op.runtime_query), (Place::Form, &form)];
        for (place, pairs) in places {
            for (name, value) in pairs {
                if let Some(var) = postman_codegen::resolve::whole_reference(value) {
                    if !subject.defined.contains(var) && name.to_ascii_lowercase() == var {
                        out.entry(op.order).or_default().push((place, name.clone(), var.to_owned()));
                    }
                }
            }
        }
    }
    out
}

/// Prepares the copy and its environment and runs Newman (on a blocking thread, so the
/// recorders keep serving).
async fn newman_log(
    newman_js: &Path,
    subject: &Subject,
    env_json: Option<&Value>,
    config: &Config,
    recorder: &str,
    files: &Path,
) -> Result<String, String> {
    let collection: Value = serde_json::from_str(&std::fs::read_to_string(&subject.collection).unwrap())
        .map_err(|e| format!("{}: {e}", subject.collection.display()))?;
    let origins = subject.origins();
    let setup = newman::Setup {
        collection: &collection,
        environment: env_json,
        origins: &origins,
        credentials: &config.credentials,
        extra: &config.values,
        origin_values: &config.origin_values(recorder),
        strip_scripts: config.strip_scripts,
    };
    let (copy, env) = newman::prepare(&setup, &literal_credentials(subject));
    let newman_js = newman_js.to_owned();
    let suffix = if config.strip_scripts { " (no scripts)" } else { "" };
    let keep = std::env::var_os("CONFORMANCE_KEEP").map(|dir| PathBuf::from(dir).join(format!("{}{suffix}", subject.file)));
    let files = files.to_owned();
    tokio::task::spawn_blocking(move || match keep {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            newman::run(&newman_js, &dir, &copy, &env, &files)
        }
        None => {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            newman::run(&newman_js, dir.path(), &copy, &env, &files)
        }
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Our own fixtures of request classes that once differed from Newman (`tests/fixtures/wire-*`)
/// and of every signing auth kind (`tests/fixtures/signing-*`), run like corpus collections.
fn wire_fixtures() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            (n.starts_with("wire-") || n.starts_with("signing-")) && n.ends_with(".postman_collection.json")
        }))
        .collect();
    files.sort();
    files
}

/// Generates every valid corpus collection, builds them with the runner, and compares; also
/// returns the files that are not valid collections.
async fn corpus_runs(
    newman_js: &Path,
    exclusions: &[Exclusion],
    selected: &dyn Fn(&Path) -> bool,
) -> (Vec<RunReport>, Vec<String>) {
    let mut subjects = Vec::new();
    let mut crates = Vec::new();
    let mut invalid = Vec::new();
    for path in corpus_collections().into_iter().chain(wire_fixtures()).filter(|p| selected(p)) {
        let envs: Vec<PathBuf> = environment_for(&path).into_iter().collect();
        let crate_name = format!("conformance-{:02}", subjects.len());
        let mut generator = postman_codegen::Generator::new();
        generator.collection(&path).crate_name(&crate_name);
        for env in &envs {
            generator.environment(env);
        }
        let generated = match generator.generate_files() {
            Ok(generated) => generated,
            Err(err) => {
                invalid.push(format!("{}: {err}", path.display()));
                continue;
            }
        };
        let subject = Subject::load(&path, &envs).expect("a collection that generates also lowers");
        crates.push((crate_name.clone(), generated.files));
        subjects.push((crate_name, subject));
    }
    if subjects.is_empty() {
        return (Vec::new(), invalid);
    }
    let dir = repo_root().join("target/conformance");
    let started = Instant::now();
    let runner_bin = tokio::task::spawn_blocking(move || runner::build(&dir, crates)).await.expect("build thread");
    eprintln!("conformance: built {} corpus crates and the runner in {:.0?}", subjects.len(), started.elapsed());

    let mut reports = Vec::new();
    for (crate_name, subject) in &subjects {
        let env_json = newman::env_json(subject.environments.first().map(PathBuf::as_path));
        let label = match &env_json {
            Some(env) => format!("{} with {}", subject.file, env["name"].as_str().unwrap_or("its environment")),
            None => subject.file.clone(),
        };
        let env = (!subject.environments.is_empty()).then_some(0);
        let generated = Generated::Corpus { runner: &runner_bin, krate: crate_name };
        reports.push(collection_run(newman_js, subject, env, env_json.as_ref(), &generated, exclusions, label, &[]).await);
    }
    (reports, invalid)
}

/// One run's recordings matched to the collection's requests.
struct Aligned<'r> {
    /// Newman's requests by request order (by the marker header).
    newman: BTreeMap<usize, Vec<&'r Recorded>>,
    /// The generated request of each request order, or why there is none.
    generated: BTreeMap<usize, Result<&'r Recorded, String>>,
    /// Rust paths by request order.
    paths: BTreeMap<usize, String>,
    /// Problems that make the run incomparable.
    problems: Vec<String>,
    /// Requests Newman's scripts sent themselves.
    unmarked: usize,
}

impl<'r> Aligned<'r> {
    fn new(run: &'r Run, ops: &[&Operation], skipped: &[&str]) -> Aligned<'r> {
        let mut problems = Vec::new();
        if let Err(err) = &run.newman_log {
            problems.push(format!("Newman could not run the collection: {err}"));
        }
        let mut newman: BTreeMap<usize, Vec<&Recorded>> = BTreeMap::new();
        for request in &run.newman {
            if let Some(n) = request.header(newman::MARKER).and_then(|m| m.parse::<usize>().ok()) {
                newman.entry(n).or_default().push(request);
            }
        }
        let unmarked = run.newman.len() - newman.values().map(Vec::len).sum::<usize>();

        // Outcomes follow collection order, skipping requests without an example; each call
        // that put a request on the wire owns the next recorded request.
        let outcomes: &[Outcome] = match &run.outcomes {
            Ok(outcomes) => outcomes,
            Err(err) => {
                problems.push(format!("the generated side could not run: {err}"));
                &[]
            }
        };
        let called: Vec<&&Operation> = ops.iter().collect();
        if outcomes.len() != called.len() && run.outcomes.is_ok() {
            problems.push(format!(
                "run_all made {} calls, the collection has {} requests with an example (skipped: {skipped:?})",
                outcomes.len(),
                called.len()
            ));
        }
        // A request answered with an auth challenge and its signed replay are one exchange.
        let mut exchanges: Vec<&Recorded> = Vec::new();
        for request in &run.generated {
            let replay = exchanges.last().is_some_and(|last| {
                last.challenged && last.method == request.method && last.path == request.path && last.query == request.query
            });
            if replay {
                exchanges.pop();
            }
            exchanges.push(request);
        }
        let sent = outcomes.iter().filter(|o| o.sent).count();
        if sent != exchanges.len() {
            problems.push(format!("the generated side sent {} requests, {sent} calls say they sent one", exchanges.len()));
        }
        let mut next = exchanges.into_iter();
        let mut generated = BTreeMap::new();
        let mut paths = BTreeMap::new();
        for (op, outcome) in called.iter().zip(outcomes) {
            paths.insert(op.order, outcome.path.clone());
            let entry = if outcome.sent {
                next.next().ok_or_else(|| "the recorder got no request for it".to_owned())
            } else {
                Err(format!("not sent: {}", outcome.error.clone().unwrap_or_default()))
            };
            generated.insert(op.order, entry);
        }
        Aligned { newman, generated, paths, problems, unmarked }
    }

    /// The differences of request `op` (empty: identical); `by_shape` gets the parts whose
    /// dynamic values were compared by shape.
    /// `signed` gets what the signature verification found.
    fn differences(&self, run: &Run, op: &Operation, by_shape: &mut Vec<String>, signed: &mut Vec<String>) -> Vec<String> {
        let order = op.order;
        let mut diffs = Vec::new();
        let generated = match self.generated.get(&order) {
            Some(Ok(request)) => Some(*request),
            Some(Err(reason)) => {
                diffs.push(format!("generated side: {reason}"));
                None
            }
            None => {
                diffs.push("generated side: no example call (postman_examples::SKIPPED)".to_owned());
                None
            }
        };
        // Newman's request: the first not answered with an auth challenge (the signed replay).
        let newman = self.newman.get(&order).and_then(|v| v.iter().find(|r| !r.challenged).or(v.last()));
        match (newman, generated) {
            (Some(a), Some(b)) => {
                let (mut wa, mut wb) = (wire(a, &run.newman_uri), wire(b, &run.generated_uri));
                let signing = run.auths.get(&order);
                if let Some(auth) = signing.filter(|auth| !signing::has_signature(auth, a)) {
                    signed.push(format!("newman: sends no {} signature (the auth block cannot sign); compared as it is", auth.kind));
                }
                if let Some(auth) = signing.filter(|auth| signing::has_signature(auth, a)) {
                    match signing::verify(auth, a, &run.newman_uri) {
                        Ok(what) => signed.push(format!("newman: signature verified ({what})")),
                        Err(why) => diffs.push(format!("signature: Newman's does not verify: {why}")),
                    }
                    match signing::verify(auth, b, &run.generated_uri) {
                        Ok(what) => signed.push(format!("generated: signature verified ({what})")),
                        Err(why) => diffs.push(format!("signature: the generated side's does not verify: {why}")),
                    }
                    wa = signing::strip(&wa, auth);
                    wb = signing::strip(&wb, auth);
                }
                diffs.extend(differences(&wa, &wb, &Templates::of(op), &run.window, by_shape));
            }
            (None, _) => diffs.push("Newman did not send it".to_owned()),
            (Some(_), None) => {}
        }
        diffs
    }
}

/// Compares one collection run request by request; `plain` is the script-free run.
fn compare_run(label: String, subject: &Subject, exclusions: &[Exclusion], run: &Run, plain: Option<&Run>, skipped: &[&str]) -> RunReport {
    let mut report = RunReport { label, ..Default::default() };
    let ops = subject.operations();
    let aligned = Aligned::new(run, &ops, skipped);
    let plain = plain.map(|p| (p, Aligned::new(p, &ops, skipped)));
    for problem in &aligned.problems {
        report.failures += 1;
        report.lines.push(format!("  FAILED: {problem}"));
    }
    if let Some((_, plain)) = &plain {
        for problem in &plain.problems {
            report.failures += 1;
            report.lines.push(format!("  FAILED (run without scripts): {problem}"));
        }
    }
    if aligned.unmarked > 0 {
        report.lines.push(format!(
            "  note: {} request(s) sent by the collection's scripts (pm.sendRequest) are not compared",
            aligned.unmarked
        ));
    }

    for op in &ops {
        let item = op.item_path.join(" / ");
        let rust = aligned.paths.get(&op.order).map(|p| format!(" ({p})")).unwrap_or_default();
        // (A request answered with an auth challenge and its signed replay count once.)
        if let Some(times) = aligned.newman.get(&op.order).map(|v| v.iter().filter(|r| !r.challenged).count()).filter(|n| *n > 1) {
            report.lines.push(format!("  note: Newman sent `{item}` {times} times (setNextRequest); the first is compared"));
        }
        let (mut by_shape, mut signed) = (Vec::new(), Vec::new());
        let diffs = aligned.differences(run, op, &mut by_shape, &mut signed);
        let mut plain_shape = Vec::new();
        let plain_diffs = plain.as_ref().map(|(p, a)| a.differences(p, op, &mut plain_shape, &mut Vec::new()));
        if !signed.is_empty() {
            report.lines.push(format!("  signed: {item}{rust}"));
            report.lines.extend(signed.iter().map(|s| format!("      {s}")));
        }
        let excluded = exclusions::find(exclusions, &subject.file, &item);
        if excluded.is_empty() {
            report.total += 1;
            if diffs.is_empty() {
                report.identical += 1;
                if !by_shape.is_empty() {
                    report.lines.push(format!("  by shape: {item}{rust}: {}", by_shape.join("; ")));
                }
            } else {
                report.failures += 1;
                report.lines.push(format!("  DIFFERENT: {item}{rust} [{} {}]", op.method, op.path_template()));
                report.lines.extend(diffs.iter().map(|d| format!("      - {d}")));
                match plain_diffs {
                    Some(d) if d.is_empty() => report.lines.push("      (identical without the collection's scripts)".to_owned()),
                    Some(d) if d != diffs => {
                        report.lines.push("      without the collection's scripts:".to_owned());
                        report.lines.extend(d.iter().map(|d| format!("      - {d}")));
                    }
                    _ => {}
                }
            }
            continue;
        }
        report.excluded += 1;
        let state = if diffs.is_empty() { "identical now".to_owned() } else { format!("{} difference(s)", diffs.len()) };
        report.lines.push(format!("  excluded: {item}{rust}; {state}"));
        for e in &excluded {
            let parts = if e.only.is_empty() { String::new() } else { format!(" (only {})", e.only.join(", ")) };
            report.lines.push(format!("      {}{parts}: {}", e.kind, e.reason));
        }
        // With scripts, anything may differ when a script exclusion applies (verified below);
        // otherwise only the excluded parts.
        let script = excluded.iter().any(|e| e.kind == "script");
        let uncovered = if script { Vec::new() } else { exclusions::uncovered(&excluded, &diffs) };
        if !uncovered.is_empty() {
            report.failures += 1;
            report.lines.push(format!("  DIFFERENT beyond the excluded parts: {item}{rust}"));
            report.lines.extend(uncovered.iter().map(|d| format!("      - {d}")));
        }
        if script {
            let others: Vec<&Exclusion> = excluded.iter().copied().filter(|e| e.kind != "script").collect();
            match &plain_diffs {
                Some(d) => {
                    let uncovered = exclusions::uncovered(&others, d);
                    if uncovered.is_empty() {
                        let shape = if plain_shape.is_empty() { String::new() } else { format!(" (by shape: {})", plain_shape.join("; ")) };
                        report.lines.push(format!("      verified: identical without the collection's scripts{shape}"));
                    } else {
                        report.failures += 1;
                        report.lines.push(format!("  DIFFERENT even without the collection's scripts: {item}{rust}"));
                        report.lines.extend(uncovered.iter().map(|d| format!("      - {d}")));
                    }
                }
                None => unreachable!("script exclusions make the script-free run"),
            }
        }
    }
    if report.failures > 0 {
        if let Ok(log) = &run.newman_log {
            let errors: Vec<&str> = log.lines().filter(|l| l.contains("Error") || l.contains("error")).take(10).collect();
            if !errors.is_empty() {
                report.lines.push(format!("  Newman errors:\n    {}", errors.join("\n    ")));
            }
        }
    }
    report
}
