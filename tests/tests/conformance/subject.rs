//! What the generator made of one collection (its IR), and what the harness derives from it:
//! the requests in Newman's run order, the variables that hold base URLs, and the credential
//! variables both sides get a canary value for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use postman_codegen::ir::{Api, Auth, AuthRef, Body, Module, Operation, UrlPart};
use postman_codegen::{lower, parse, resolve};

/// One collection with the environment files the crate is generated with.
pub struct Subject {
    /// The collection file.
    pub collection: PathBuf,
    /// The collection's file name, as exclusions name it.
    pub file: String,
    /// Environment files, in the generator's order.
    pub environments: Vec<PathBuf>,
    /// The IR.
    pub api: Api,
    /// Variables defined by the collection, an environment file or the globals.
    pub defined: BTreeSet<String>,
    /// The variable scopes the IR was lowered with.
    pub variables: resolve::Variables,
}

/// A base-URL variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The variable the generated client reads the base URL from.
    pub var: String,
    /// `Some(literal)` when the collection writes the origin literally (`https://api.x.com`) and
    /// the generator made the variable up (`base-url`).
    pub literal: Option<String>,
}

impl Subject {
    /// Reads and lowers `collection` exactly as `Generator::generate_files` does.
    pub fn load(collection: &Path, environments: &[PathBuf]) -> Result<Subject, String> {
        let (parsed, _) = parse::read_collection(collection).map_err(|e| e.to_string())?;
        let mut scopes = Vec::new();
        for path in environments {
            let env = parse::read_environment(path).map_err(|e| e.to_string())?;
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let stem = stem.trim_end_matches(".postman_environment").to_owned();
            scopes.push(lower::environment_scope(&stem, &env));
        }
        let mut defined: BTreeSet<String> = parsed.variable.iter().filter_map(|v| v.name().map(str::to_owned)).collect();
        for (_, values) in &scopes {
            defined.extend(values.iter().filter_map(|v| v.key.clone()));
        }
        let variables = resolve::Variables::new(&parsed.variable, scopes, &[]);
        let api = lower::lower(&parsed, variables.clone());
        let file = collection.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(Subject { collection: collection.to_owned(), file, environments: environments.to_vec(), api, defined, variables })
    }

    /// Every request in collection (Newman run) order.
    pub fn operations(&self) -> Vec<&Operation> {
        fn walk<'a>(module: &'a Module, out: &mut Vec<&'a Operation>) {
            out.extend(&module.operations);
            for child in &module.modules {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.api.root, &mut out);
        out.sort_by_key(|op| op.order);
        out
    }

    /// The base-URL variable of each request's origin template (`{{api-domain}}`,
    /// `{{base-url}}`, the first variable of `{{url}}{{site}}`, the host of
    /// `https://{{host}}`), by request order.
    pub fn origins(&self) -> BTreeMap<usize, Origin> {
        let defaults: BTreeMap<&str, &str> = self
            .api
            .environments
            .first()
            .map(|e| e.values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect())
            .unwrap_or_default();
        let mut out = BTreeMap::new();
        for op in self.operations() {
            let Some(UrlPart::Literal(origin)) = op.url.first() else { continue };
            // `{{base}}…`, or `https://{{host}}…`.
            let rest = origin
                .strip_prefix("{{")
                .or_else(|| origin.split_once("://{{").filter(|(scheme, _)| !scheme.contains('{')).map(|(_, rest)| rest));
            let Some(rest) = rest else { continue };
            let Some(end) = rest.find("}}") else { continue };
            let var = rest[..end].to_owned();
            let literal = (!self.defined.contains(&var)).then(|| defaults.get(var.as_str()).map(|v| v.to_string())).flatten();
            out.insert(op.order, Origin { var, literal });
        }
        out
    }

    /// Base-URL variables that hold only the host: the origin template writes the scheme
    /// (`https://{{base_url}}`).
    pub fn host_origin_vars(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for op in self.operations() {
            if let Some(UrlPart::Literal(origin)) = op.url.first() {
                if let Some((scheme, rest)) = origin.split_once("://{{") {
                    if !scheme.contains('{') {
                        if let Some(end) = rest.find("}}") {
                            out.insert(rest[..end].to_owned());
                        }
                    }
                }
            }
        }
        out
    }

    /// Every variable an origin template names (`{{url}}{{site}}` → `url`, `site`).
    pub fn origin_template_vars(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for op in self.operations() {
            if let Some(UrlPart::Literal(origin)) = op.url.first() {
                out.extend(resolve::references(origin).into_iter().map(str::to_owned));
            }
        }
        out
    }

    /// Variables that hold credentials: secret runtime variables, every variable an auth
    /// block's credential fields name (`{{bearer-token}}` made up for a literal token, too),
    /// and secret variables the requests' values use (`{{client-secret}}` in a body). The
    /// generated client never takes these from environment files: its user passes them.
    pub fn credential_vars(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> =
            self.api.runtime_vars.iter().filter(|v| v.secret).map(|v| v.name.clone()).collect();
        for op in self.operations() {
            for template in templates(op) {
                for name in resolve::references(template) {
                    if !resolve::is_dynamic(name) && self.variables.is_secret(name) {
                        out.insert(name.to_owned());
                    }
                }
            }
        }
        let mut add = |template: &str| {
            for name in resolve::references(template) {
                if !resolve::is_dynamic(name) {
                    out.insert(name.to_owned());
                }
            }
        };
        let mut auths: Vec<&Auth> = self.api.shared_auth.iter().map(|s| &s.auth).collect();
        let ops = self.operations();
        for op in &ops {
            if let AuthRef::Own(auth) = &op.auth {
                auths.push(auth);
            }
        }
        for auth in auths {
            match auth {
                Auth::Bearer { token } => add(token),
                Auth::Basic { username, password } => {
                    add(username);
                    add(password);
                }
                Auth::ApiKey { value, .. } => add(value),
                Auth::OAuth2(spec) => {
                    for t in [&spec.access_token, &spec.client_id, &spec.client_secret, &spec.refresh_token] {
                        add(t);
                    }
                }
                Auth::Signed { params, .. } => {
                    for (key, template) in params {
                        if resolve::is_secret_auth_param(key) {
                            add(template);
                        }
                    }
                }
                Auth::Unsupported { .. } => {}
            }
        }
        out
    }

    /// Variables the chosen environment (`env`: its index; else the collection's own
    /// variables) defines with an empty value, and variables the requests use but nothing
    /// defines (an environment the corpus does not have), credentials aside: placeholders for
    /// the user to fill in. The generated `Environment` leaves empty values out (by design the
    /// generated client reports them as unset), so the harness fills them in on both sides.
    pub fn placeholders(&self, env: Option<usize>) -> BTreeSet<String> {
        let mut names: BTreeSet<&String> = self.variables.collection.keys().chain(self.variables.globals.keys()).collect();
        if let Some((_, map)) = env.and_then(|i| self.variables.environments.get(i)) {
            names.extend(map.keys());
        }
        let empty = names
            .into_iter()
            .filter(|name| self.variables.lookup(env, name).is_some_and(|v| v.value.is_empty()))
            .filter(|name| !self.variables.is_secret(name));
        let undefined = self.api.runtime_vars.iter().filter(|v| !v.secret && self.variables.lookup(env, &v.name).is_none()).map(|v| &v.name);
        empty.chain(undefined).cloned().collect()
    }

    /// Variables the collection's scripts set (`pm.environment.set("name", ...)` and the like).
    pub fn script_vars(&self) -> BTreeSet<String> {
        let text = std::fs::read_to_string(&self.collection).unwrap_or_default();
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { return BTreeSet::new() };
        let mut scripts = String::new();
        collect_scripts(&json, &mut scripts);
        let mut out = BTreeSet::new();
        for call in [
            "pm.environment.set(",
            "pm.collectionVariables.set(",
            "pm.globals.set(",
            "pm.variables.set(",
            "postman.setEnvironmentVariable(",
            "postman.setGlobalVariable(",
        ] {
            for (at, _) in scripts.match_indices(call) {
                let rest = scripts[at + call.len()..].trim_start();
                let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else { continue };
                if let Some(end) = rest[1..].find(quote) {
                    out.insert(rest[1..1 + end].to_owned());
                }
            }
        }
        out
    }
}

/// The text of every script (`event[].script.exec`) anywhere in a collection.
fn collect_scripts(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(exec) = map.get("script").and_then(|s| s.get("exec")) {
                match exec {
                    serde_json::Value::String(line) => out.push_str(line),
                    serde_json::Value::Array(lines) => {
                        for line in lines.iter().filter_map(serde_json::Value::as_str) {
                            out.push_str(line);
                            out.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            for child in map.values() {
                collect_scripts(child, out);
            }
        }
        serde_json::Value::Array(list) => {
            for child in list {
                collect_scripts(child, out);
            }
        }
        _ => {}
    }
}

/// Every template a request's example values hold.
fn templates(op: &Operation) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    out.extend(op.path_params.iter().filter_map(|p| p.example.as_deref()));
    out.extend(op.query.iter().filter_map(|q| q.example.as_deref()));
    out.extend(op.runtime_query.iter().map(|(_, v)| v.as_str()));
    out.extend(op.headers.iter().map(|(_, v)| v.as_str()));
    match &op.body {
        Body::Json { raw, .. } => out.push(raw),
        Body::Text { example } => out.push(example),
        Body::UrlEncoded { fields } | Body::FormData { fields } => {
            out.extend(fields.iter().filter_map(|f| f.example.as_deref()));
        }
        Body::GraphQl { query, .. } => out.push(query),
        Body::None | Body::File { .. } => {}
    }
    out
}

/// The canary value a credential variable gets on both sides.
pub fn canary(var: &str) -> String {
    let clean: String = var.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("canary-{clean}")
}
