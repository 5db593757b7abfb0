//! Wire conformance against Newman: every generated call puts on the wire what Postman's own
//! runner sends for the same request.
//!
//! For each collection (the Zoho Cliq collection with each data centre's environment, and every
//! valid corpus collection): Newman runs a copy of the collection whose base URLs point at one
//! loopback recorder, the generated crate's `postman_examples::run_all` calls every request with
//! the collection's values against another, and the two recordings are compared request by
//! request (method, path, query, headers that matter, body). Credentials get the same canary
//! values on both sides. Differences are allowed only for the requests listed, with a reason, in
//! `conformance/exclusions.toml`.
//!
//! Needs Newman: `npm ci --prefix tests/newman` (`.ci/run` does it). While working on one
//! collection, `CONFORMANCE_ONLY=<part of its file name>` runs only the collections that match.

#[path = "conformance/compare.rs"]
mod compare;
#[path = "conformance/exclusions.rs"]
mod exclusions;
#[path = "conformance/newman.rs"]
mod newman;
#[path = "conformance/recorder.rs"]
mod recorder;
#[path = "conformance/runner.rs"]
mod runner;
#[path = "conformance/subject.rs"]
mod subject;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use integration_tests::{corpus_collections, environment_for, repo_root};
use postman_codegen::ir::Operation;
use serde_json::{json, Value};

use compare::{differences, wire, DEFAULT_HEADERS, IGNORED_HEADERS};
use exclusions::Exclusion;
use recorder::{Recorded, Recorder};
use runner::Outcome;
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

/// Everything both sides need for one run.
struct Sides {
    newman_uri: String,
    generated_uri: String,
    origin_vars: BTreeSet<String>,
    credentials: BTreeSet<String>,
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
        for env_path in &zoho_envs {
            reports.push(zoho_run(&newman_js, &subject, env_path, &exclusions).await);
        }
    }

    // Every valid corpus collection, through one runner binary.
    let (corpus, invalid) = corpus_runs(&newman_js, &exclusions, &selected).await;
    reports.extend(corpus);

    // Exclusions must name real requests.
    let stale: Vec<String> = exclusions
        .iter()
        .filter(|e| !e.used.get() && only.is_none())
        .map(|e| format!("  {} / `{}`: no such request", e.collection, e.request))
        .collect();

    let mut out = String::new();
    let _ = writeln!(out, "\nWire conformance against Newman");
    let _ = writeln!(
        out,
        "(headers never compared: {}; compared unless Newman's default value: {})",
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
    let _ = writeln!(out, "({excluded} requests excluded in all, see conformance/exclusions.toml)");
    let _ = writeln!(out, "conformance: {identical}/{total} identical");
    println!("{out}");

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

async fn zoho_run(newman_js: &Path, subject: &Subject, env_path: &Path, exclusions: &[Exclusion]) -> RunReport {
    let env_json = newman::env_json(Some(env_path)).expect("the Zoho environment file is JSON");
    let env_name = env_json["name"].as_str().unwrap_or_default().to_owned();
    let label = format!("{} with {}", subject.file, env_name);
    let newman_rec = Recorder::start().await;
    let generated_rec = Recorder::start().await;
    let sides = sides(subject, &newman_rec, &generated_rec);

    let newman_log = run_newman(newman_js, subject, Some(&env_json), &sides).await;

    let environment = *zoho_cliq::Environment::ALL
        .iter()
        .find(|e| e.name() == env_name)
        .unwrap_or_else(|| panic!("zoho_cliq::Environment has no `{env_name}`"));
    let mut builder = zoho_cliq::Client::builder(environment);
    for var in &sides.origin_vars {
        builder = builder.var(var.as_str(), sides.generated_uri.as_str());
    }
    for var in &sides.credentials {
        builder = builder.secret(var.as_str(), canary(var));
    }
    let client = builder.build().expect("the Zoho client builds");
    let outcomes: Vec<Outcome> = zoho_cliq::postman_examples::run_all(&client)
        .await
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
        .collect();
    let skipped: Vec<&str> = zoho_cliq::postman_examples::SKIPPED.iter().map(|(p, _)| *p).collect();

    let newman_requests = newman_rec.requests().await;
    let generated_requests = generated_rec.requests().await;
    compare_run(label, subject, exclusions, newman_log, &newman_requests, &generated_requests, Ok(outcomes), &skipped, &sides)
}

/// Recorder URIs, base-URL variables and credential variables of one run.
fn sides(subject: &Subject, newman_rec: &Recorder, generated_rec: &Recorder) -> Sides {
    let origin_vars = subject.origins().into_values().map(|o| o.var).collect();
    let mut credentials = subject.credential_vars();
    credentials.extend(header_vars(subject).into_values().flatten().map(|(_, var)| var));
    Sides { newman_uri: newman_rec.uri(), generated_uri: generated_rec.uri(), origin_vars, credentials }
}

/// Headers whose literal credential value the generator replaced by a variable named after the
/// header (`codegen/src/lower.rs`, `headers`), by request order: `(header name, variable)`.
fn header_vars(subject: &Subject) -> BTreeMap<usize, Vec<(String, String)>> {
    let mut out: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
    for op in subject.operations() {
        for (name, value) in &op.headers {
            if let Some(var) = postman_codegen::resolve::whole_reference(value) {
                if !subject.defined.contains(var) && name.to_ascii_lowercase() == var {
                    out.entry(op.order).or_default().push((name.clone(), var.to_owned()));
                }
            }
        }
    }
    out
}

/// Prepares the copy and runs Newman (on a blocking thread, so the recorders keep serving).
async fn run_newman(newman_js: &Path, subject: &Subject, env_json: Option<&Value>, sides: &Sides) -> Result<String, String> {
    let collection: Value = serde_json::from_str(&std::fs::read_to_string(&subject.collection).unwrap())
        .map_err(|e| format!("{}: {e}", subject.collection.display()))?;
    let origins = subject.origins();
    let setup = newman::Setup {
        collection: &collection,
        environment: env_json,
        origins: &origins,
        credentials: &sides.credentials,
        recorder: &sides.newman_uri,
    };
    let (copy, env) = newman::prepare(&setup, &header_vars(subject));
    let newman_js = newman_js.to_owned();
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        newman::run(&newman_js, dir.path(), &copy, &env)
    })
    .await
    .map_err(|e| e.to_string())?
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
    for path in corpus_collections().into_iter().filter(|p| selected(p)) {
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
    let dir = repo_root().join("target/conformance");
    let runner_bin = tokio::task::spawn_blocking(move || runner::build(&dir, crates)).await.expect("build thread");

    let mut reports = Vec::new();
    for (crate_name, subject) in &subjects {
        let env_json = newman::env_json(subject.environments.first().map(PathBuf::as_path));
        let label = match &env_json {
            Some(env) => format!("{} with {}", subject.file, env["name"].as_str().unwrap_or("its environment")),
            None => subject.file.clone(),
        };
        let newman_rec = Recorder::start().await;
        let generated_rec = Recorder::start().await;
        let sides = sides(subject, &newman_rec, &generated_rec);
        let newman_log = run_newman(newman_js, subject, env_json.as_ref(), &sides).await;
        let input = json!({
            "env": 0,
            "vars": sides.origin_vars.iter().map(|v| (v.clone(), json!(sides.generated_uri))).collect::<serde_json::Map<_, _>>(),
            "secrets": sides.credentials.iter().map(|v| (v.clone(), json!(canary(v)))).collect::<serde_json::Map<_, _>>(),
        });
        let bin = runner_bin.clone();
        let krate = crate_name.clone();
        let outcomes = tokio::task::spawn_blocking(move || runner::run(&bin, &krate, &input)).await.expect("runner thread");
        let newman_requests = newman_rec.requests().await;
        let generated_requests = generated_rec.requests().await;
        reports.push(compare_run(
            label,
            subject,
            exclusions,
            newman_log,
            &newman_requests,
            &generated_requests,
            outcomes,
            &[],
            &sides,
        ));
    }
    (reports, invalid)
}

/// Compares one run request by request.
#[allow(clippy::too_many_arguments)]
fn compare_run(
    label: String,
    subject: &Subject,
    exclusions: &[Exclusion],
    newman_log: Result<String, String>,
    newman_requests: &[Recorded],
    generated_requests: &[Recorded],
    outcomes: Result<Vec<Outcome>, String>,
    skipped: &[&str],
    sides: &Sides,
) -> RunReport {
    let mut report = RunReport { label, ..Default::default() };
    let ops = subject.operations();
    if let Err(err) = &newman_log {
        report.failures += 1;
        report.lines.push(format!("  FAILED: Newman could not run the collection: {err}"));
    }
    let outcomes = match outcomes {
        Ok(outcomes) => outcomes,
        Err(err) => {
            report.failures += 1;
            report.lines.push(format!("  FAILED: the generated side could not run: {err}"));
            Vec::new()
        }
    };

    // Newman: by the marker header; requests without it came from scripts.
    let mut by_item: BTreeMap<usize, Vec<&Recorded>> = BTreeMap::new();
    let mut unmarked = 0;
    for request in newman_requests {
        match request.header(newman::MARKER).and_then(|m| m.parse::<usize>().ok()) {
            Some(n) => by_item.entry(n).or_default().push(request),
            None => unmarked += 1,
        }
    }
    if unmarked > 0 {
        report.lines.push(format!("  note: {unmarked} request(s) sent by the collection's scripts (pm.sendRequest) are not compared"));
    }

    // Generated: outcomes follow collection order, skipping requests without an example;
    // each call that put a request on the wire owns the next recorded request.
    let called: Vec<&&Operation> = ops.iter().filter(|op| !Subject::skipped_by_examples(op)).collect();
    let mut generated: BTreeMap<usize, Result<&Recorded, String>> = BTreeMap::new();
    if outcomes.len() != called.len() && report.failures == 0 {
        report.failures += 1;
        report.lines.push(format!(
            "  FAILED: run_all made {} calls, the collection has {} requests with an example (skipped: {:?})",
            outcomes.len(),
            called.len(),
            skipped
        ));
    }
    let sent = outcomes.iter().filter(|o| o.sent).count();
    if sent != generated_requests.len() {
        report.failures += 1;
        report.lines.push(format!(
            "  FAILED: the generated side sent {} requests, {} calls say they sent one",
            generated_requests.len(),
            sent
        ));
    }
    let mut next = generated_requests.iter();
    let mut paths: BTreeMap<usize, String> = BTreeMap::new();
    for (op, outcome) in called.iter().zip(&outcomes) {
        paths.insert(op.order, outcome.path.clone());
        let entry = if outcome.sent {
            next.next().ok_or_else(|| "the recorder got no request for it".to_owned())
        } else {
            Err(format!("not sent: {}", outcome.error.clone().unwrap_or_default()))
        };
        generated.insert(op.order, entry);
    }

    for op in &ops {
        let item = op.item_path.join(" / ");
        let rust = paths.get(&op.order).map(|p| format!(" ({p})")).unwrap_or_default();
        let mut diffs = Vec::new();
        let newman_side = by_item.get(&op.order).and_then(|v| v.first());
        if by_item.get(&op.order).is_some_and(|v| v.len() > 1) {
            report.lines.push(format!("  note: Newman sent `{item}` {} times (setNextRequest); the first is compared", by_item[&op.order].len()));
        }
        let generated_side = match generated.get(&op.order) {
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
        match (newman_side, generated_side) {
            (Some(a), Some(b)) => diffs.extend(differences(&wire(a, &sides.newman_uri), &wire(b, &sides.generated_uri))),
            (None, _) => diffs.push("Newman did not send it".to_owned()),
            (Some(_), None) => {}
        }
        let exclusion = exclusions::find(exclusions, &subject.file, &item);
        match (exclusion, diffs.is_empty()) {
            (Some(e), identical) => {
                report.excluded += 1;
                let state = if identical { "identical now".to_owned() } else { format!("{} difference(s)", diffs.len()) };
                report.lines.push(format!("  excluded ({}): {item}{rust}: {}; {state}", e.kind, e.reason));
                for d in &diffs {
                    report.lines.push(format!("      - {d}"));
                }
            }
            (None, true) => {
                report.total += 1;
                report.identical += 1;
            }
            (None, false) => {
                report.total += 1;
                report.failures += 1;
                report.lines.push(format!("  DIFFERENT: {item}{rust} [{} {}]", op.method, op.path_template()));
                for d in &diffs {
                    report.lines.push(format!("      - {d}"));
                }
            }
        }
    }
    if report.failures > 0 {
        if let Ok(log) = &newman_log {
            let tail: Vec<&str> = log.lines().filter(|l| l.contains("Error") || l.contains("error")).take(10).collect();
            if !tail.is_empty() {
                report.lines.push(format!("  Newman errors:\n    {}", tail.join("\n    ")));
            }
        }
    }
    report
}
