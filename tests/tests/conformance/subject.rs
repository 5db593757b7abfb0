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
        let api = lower::lower(&parsed, variables);
        let file = collection.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(Subject { collection: collection.to_owned(), file, environments: environments.to_vec(), api, defined })
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
    /// `{{base-url}}`, the first variable of `{{url}}{{site}}`), by request order.
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
            let Some(rest) = origin.strip_prefix("{{") else { continue };
            let Some(end) = rest.find("}}") else { continue };
            let var = rest[..end].to_owned();
            let literal = (!self.defined.contains(&var)).then(|| defaults.get(var.as_str()).map(|v| v.to_string())).flatten();
            out.insert(op.order, Origin { var, literal });
        }
        out
    }

    /// Variables that hold credentials: secret runtime variables and every variable an auth
    /// block's credential fields name (`{{bearer-token}}` made up for a literal token, too).
    pub fn credential_vars(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> =
            self.api.runtime_vars.iter().filter(|v| v.secret).map(|v| v.name.clone()).collect();
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
                Auth::Unsupported { .. } => {}
            }
        }
        out
    }

    /// Whether the generated examples skip this request (multipart and file bodies), mirroring
    /// `codegen/src/emit/examples.rs`.
    pub fn skipped_by_examples(op: &Operation) -> bool {
        matches!(op.body, Body::FormData { .. } | Body::File)
    }
}

/// The canary value a credential variable gets on both sides.
pub fn canary(var: &str) -> String {
    let clean: String = var.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("canary-{clean}")
}
