//! The generated side for corpus collections: every crate generated with its `postman-examples`
//! module, plus one small binary that builds a client with the variables it is given and calls
//! `run_all`, all compiled in one cargo invocation in the shared target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Crate name of the runner binary.
pub const RUNNER: &str = "conformance-runner";

/// What one example call did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The function's Rust path.
    pub path: String,
    /// Whether it put a request on the wire (an error may come after sending, e.g. a response
    /// body that does not fit the inferred type: the recorder answers `{}`).
    pub sent: bool,
    /// The error, if any.
    pub error: Option<String>,
}

/// The runner crate for `crates` (crate names, each generated with `postman-examples`).
pub fn runner_files(crates: &[String]) -> postman_codegen::emit::Files {
    let mut manifest = format!(
        "[package]\nname = \"{RUNNER}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         reqwest = {{ version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }}\n\
         serde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n"
    );
    let mut arms = String::new();
    for name in crates {
        manifest.push_str(&format!("{name} = {{ path = \"../{name}\", features = [\"postman-examples\"] }}\n"));
        arms.push_str(&format!("        {name:?} => run!({}, input),\n", name.replace('-', "_")));
    }
    let main = format!(
        r#"//! Calls every example of one generated crate against the URLs it is given.
//! Usage: `{RUNNER} <crate>` with
//! `CONFORMANCE_INPUT={{"env": 0, "insecure": false, "files": "<dir>", "vars": {{..}}, "secrets": {{..}}}}`;
//! prints one JSON array of outcomes.

macro_rules! run {{
    ($krate:ident, $input:expr) => {{{{
        let env = $input["env"].as_u64().unwrap_or(0) as usize;
        let mut builder = $krate::Client::builder($krate::Environment::ALL[env]);
        for (name, value) in $input["vars"].as_object().into_iter().flatten() {{
            builder = builder.var(name.as_str(), value.as_str().unwrap_or_default());
        }}
        for (name, value) in $input["secrets"].as_object().into_iter().flatten() {{
            builder = builder.secret(name.as_str(), value.as_str().unwrap_or_default());
        }}
        if $input["insecure"].as_bool().unwrap_or(false) {{
            // The recorder's self-signed loopback certificate.
            let http = reqwest::Client::builder().danger_accept_invalid_certs(true).build().expect("an HTTP client");
            builder = builder.http_client(http);
        }}
        let client = builder.build().expect("the client builds");
        let files = std::path::Path::new($input["files"].as_str().unwrap_or("."));
        $krate::postman_examples::run_all(&client, files)
            .await
            .into_iter()
            .map(|(path, result)| {{
                let (sent, error) = match &result {{
                    Ok(()) => (true, None),
                    Err($krate::Error::Config(message)) => (false, Some(message.clone())),
                    Err(e) => {{
                        let unbuilt = matches!(e, $krate::Error::Transport {{ source, .. }} if source.is_builder());
                        (!unbuilt, Some(e.to_string()))
                    }}
                }};
                serde_json::json!({{ "path": path, "sent": sent, "error": error }})
            }})
            .collect::<Vec<_>>()
    }}}};
}}

#[tokio::main]
async fn main() {{
    let name = std::env::args().nth(1).expect("usage: {RUNNER} <crate>");
    let input: serde_json::Value =
        serde_json::from_str(&std::env::var("CONFORMANCE_INPUT").expect("CONFORMANCE_INPUT is set"))
            .expect("CONFORMANCE_INPUT is JSON");
    let outcomes = match name.as_str() {{
{arms}        other => panic!("unknown crate {{other}}"),
    }};
    println!("{{}}", serde_json::Value::Array(outcomes));
}}
"#
    );
    let mut files = postman_codegen::emit::Files::new();
    files.insert("Cargo.toml".into(), manifest);
    files.insert("src/main.rs".into(), main);
    files
}

/// Builds `crates` plus the runner in `dir` (a workspace) with the shared target directory;
/// returns the runner binary.
pub fn build(dir: &Path, crates: Vec<(String, postman_codegen::emit::Files)>) -> PathBuf {
    let names: Vec<String> = crates.iter().map(|(n, _)| n.clone()).collect();
    let mut all = crates;
    all.push((RUNNER.to_owned(), runner_files(&names)));
    std::fs::create_dir_all(dir).expect("the runner workspace can be created");
    if let Err(output) = integration_tests::check_crates(dir, &all, &["build", "--quiet"]) {
        panic!("the generated corpus crates with `postman-examples` and the runner do not build:\n{output}");
    }
    integration_tests::scratch_target_dir().join("debug").join(format!("{RUNNER}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs the examples of `krate`.
pub fn run(runner: &Path, krate: &str, input: &Value) -> Result<Vec<Outcome>, String> {
    let output = Command::new(runner)
        .arg(krate)
        .env("CONFORMANCE_INPUT", input.to_string())
        .output()
        .map_err(|e| format!("could not start {}: {e}", runner.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the runner failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or("[]");
    let values: Vec<Value> = serde_json::from_str(line).map_err(|e| format!("runner output is not JSON ({e}): {stdout}"))?;
    Ok(values
        .into_iter()
        .map(|v| Outcome {
            path: v["path"].as_str().unwrap_or_default().to_owned(),
            sent: v["sent"].as_bool().unwrap_or(true),
            error: v["error"].as_str().map(str::to_owned),
        })
        .collect())
}
