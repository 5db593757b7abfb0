//! Stage 2: `{{variable}}` semantics as Newman applies them, and auth inheritance.
//!
//! Precedence (highest first): environment, collection variables, globals. Disabled entries are
//! ignored. Values may reference other variables; those are resolved at run time by the
//! generated client, so here we only need to know which names exist, which are secret, and what
//! their non-secret defaults are.

use std::collections::{BTreeMap, BTreeSet};

use crate::parse::model::{Auth as PostmanAuth, EnvValue, Variable};

/// How a variable is used, decided from where it appears and how it is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarClass {
    /// Base URL or other configuration, rendered by the client at run time.
    Config,
    /// A credential: secret-typed, credential-like name, or used in an auth block.
    Secret,
    /// Supplied per call (path segment nobody defines).
    Parameter,
}

/// One scope's value of a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarValue {
    /// The raw value (may itself contain `{{refs}}`).
    pub value: String,
    /// `type: secret` in an environment file.
    pub secret_typed: bool,
}

/// The names of one environment file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvName {
    /// The `name` in the file (its stem when it has none).
    pub name: String,
    /// The file name without `.postman_environment.json`.
    pub stem: String,
}

impl From<&str> for EnvName {
    /// An environment whose file name and `name` are both `name`.
    fn from(name: &str) -> Self {
        EnvName { name: name.to_owned(), stem: name.to_owned() }
    }
}

/// Every variable the collection can see, per scope.
#[derive(Debug, Clone, Default)]
pub struct Variables {
    /// One map per environment file.
    pub environments: Vec<(EnvName, BTreeMap<String, VarValue>)>,
    /// Collection-level variables.
    pub collection: BTreeMap<String, VarValue>,
    /// Globals.
    pub globals: BTreeMap<String, VarValue>,
    /// Names used in auth blocks (always secret).
    pub auth_names: BTreeSet<String>,
}

impl Variables {
    /// Builds the scopes from the parsed files.
    pub fn new(
        collection: &[Variable],
        environments: Vec<(EnvName, Vec<EnvValue>)>,
        globals: &[EnvValue],
    ) -> Self {
        let collection = collection
            .iter()
            .filter(|v| !v.disabled)
            .filter_map(|v| {
                let value = VarValue {
                    value: v.value.clone().unwrap_or_default(),
                    secret_typed: v.kind.as_deref() == Some("secret"),
                };
                Some((v.name()?.to_owned(), value))
            })
            .collect();
        let environments =
            environments.into_iter().map(|(name, values)| (name, env_map(&values))).collect();
        Variables { environments, collection, globals: env_map(globals), auth_names: Default::default() }
    }

    /// The value of `name` in environment `env` (or without one), by Newman's precedence.
    pub fn lookup(&self, env: Option<usize>, name: &str) -> Option<&VarValue> {
        env.and_then(|i| self.environments.get(i))
            .and_then(|(_, map)| map.get(name))
            .or_else(|| self.collection.get(name))
            .or_else(|| self.globals.get(name))
    }

    /// Whether some scope gives `name` a non-empty value.
    pub fn has_value(&self, name: &str) -> bool {
        let non_empty = |map: &BTreeMap<String, VarValue>| {
            map.get(name).is_some_and(|v| !v.value.is_empty())
        };
        self.environments.iter().any(|(_, map)| non_empty(map))
            || non_empty(&self.collection)
            || non_empty(&self.globals)
    }

    /// Whether `name` holds a credential: secret-typed anywhere, used by an auth block, or
    /// named like one.
    pub fn is_secret(&self, name: &str) -> bool {
        let typed = |map: &BTreeMap<String, VarValue>| map.get(name).is_some_and(|v| v.secret_typed);
        self.auth_names.contains(name)
            || credential_like(name)
            || self.environments.iter().any(|(_, map)| typed(map))
            || typed(&self.collection)
            || typed(&self.globals)
    }

    /// Classifies a variable that appears as a whole path segment.
    pub fn classify_path_segment(&self, name: &str) -> VarClass {
        if is_dynamic(name) || !self.has_value(name) {
            VarClass::Parameter
        } else if self.is_secret(name) {
            VarClass::Secret
        } else {
            VarClass::Config
        }
    }
}

fn env_map(values: &[EnvValue]) -> BTreeMap<String, VarValue> {
    values
        .iter()
        .filter(|v| v.enabled)
        .filter_map(|v| {
            let value = VarValue {
                value: v.value.clone().unwrap_or_default(),
                secret_typed: v.kind.as_deref() == Some("secret"),
            };
            Some((v.key.clone()?, value))
        })
        .collect()
}

/// Names that hold credentials, whatever their declared type.
pub fn credential_like(name: &str) -> bool {
    let squashed: String =
        name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "token", "secret", "password", "passwd", "pwd", "apikey", "credential", "privatekey",
        "accesskey", "secretkey", "authorizationcode", "authcode", "sessionid", "cookie",
        "signature", "passphrase", "clientsecret", "bearer",
    ];
    WORDS.iter().any(|w| squashed.contains(w))
}

/// `{{$guid}}`, `{{$timestamp}}`, `{{$randomInt}}`, ...: values Postman makes up per request.
pub fn is_dynamic(name: &str) -> bool {
    name.starts_with('$')
}

/// The variable names referenced by a template, in order (duplicates kept).
pub fn references(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

/// The innermost references of a template, as Postman finds them (`{{name}}` where the name
/// holds no brace): in `{{hello_{{var}}}}` only `var`, until a pass has replaced it.
pub fn innermost_references(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find(['{', '}']) {
            Some(end) if end > 0 && after[end..].starts_with("}}") => {
                out.push(&after[..end]);
                rest = &after[end + 2..];
            }
            _ => rest = &rest[start + 1..],
        }
    }
    out
}

/// How many substitution passes Postman makes over one template (postman-collection's
/// `VARS_SUBREPLACE_LIMIT`): enough for `{{a_{{b}}}}` and values that reference variables.
pub const SUBSTITUTION_PASSES: usize = 19;

/// Every variable Postman looks up while rendering `template`, pass by pass, with `lookup`
/// giving values: `{{hello_{{var}}}}` names `var` and then `hello_<value of var>`. Dynamic
/// variables (`{{$guid}}`) are not variables.
pub fn referenced_in_passes(template: &str, lookup: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut text = template.to_owned();
    for _ in 0..SUBSTITUTION_PASSES {
        let found = innermost_references(&text);
        if found.is_empty() {
            break;
        }
        let mut next = String::with_capacity(text.len());
        let mut rest = text.as_str();
        for name in found {
            let at = rest.find(&format!("{{{{{name}}}}}")).unwrap_or(rest.len());
            next.push_str(&rest[..at]);
            rest = &rest[(at + name.len() + 4).min(rest.len())..];
            let value = (!is_dynamic(name)).then(|| lookup(name)).flatten();
            if !is_dynamic(name) && !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
            match value {
                Some(value) => next.push_str(&value),
                None => next.push_str(&format!("{{{{{name}}}}}")),
            }
        }
        next.push_str(rest);
        if next == text {
            break;
        }
        text = next;
    }
    names
}

/// If the whole string is one `{{var}}`, its name.
pub fn whole_reference(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then(|| inner.trim())
}

/// Auth parameters that are structure (where/how to send), never credentials.
const NON_SECRET_AUTH_KEYS: &[&str] = &[
    "key", "in", "headerPrefix", "addTokenTo", "tokenType", "grant_type", "authUrl",
    "accessTokenUrl", "refreshTokenUrl", "scope", "client_authentication", "redirect_uri",
    "tokenName", "useBrowser", "challengeAlgorithm", "state", "algorithm", "service", "region",
    "realm", "disableRetryRequest", "addAuthDataToQuery", "signatureMethod", "version",
    "includeBodyHash", "addEmptyParamsToSign",
    // Signing kinds (`crate::signing`): where and how to sign, pinned nonces and times, claims.
    "addParamsToHeader", "disableHeaderEncoding", "callback", "timestamp", "nonce", "nonceCount",
    "clientNonce", "opaque", "qop", "uri", "method", "baseURL", "headersToSign", "maxBodySize",
    "domain", "workstation", "includePayloadHash", "extraData", "app", "delegation",
    "isSecretBase64Encoded", "header", "payload", "queryParamKey", "alg", "kid", "iss", "aud", "sub",
    "exp", "claims",
];

/// Whether an auth parameter holds a credential.
pub fn is_secret_auth_param(key: &str) -> bool {
    !NON_SECRET_AUTH_KEYS.contains(&key)
}

/// Records every variable an auth block references in a credential field as secret.
pub fn collect_auth_names(auth: &PostmanAuth, into: &mut BTreeSet<String>) {
    for (key, value) in auth.parameters() {
        if is_secret_auth_param(&key) {
            into.extend(references(&value).into_iter().map(str::to_owned));
        }
    }
}

/// Auth inheritance: a request's own block wins, else the nearest folder's, else the
/// collection's; `noauth` stops the search; `inherit` (or no block) looks further up.
pub fn effective_auth<'a>(chain: &[Option<&'a PostmanAuth>]) -> Option<&'a PostmanAuth> {
    for auth in chain.iter().rev().flatten() {
        match auth.kind.as_deref() {
            Some("inherit") | None => continue,
            Some(_) => return Some(auth),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_references_are_found_pass_by_pass() {
        assert_eq!(innermost_references("{{hello_{{var}}}}/{{{a}}"), vec!["var", "a"]);
        let lookup = |name: &str| match name {
            "var" => Some("value".to_owned()),
            "hello_value" => Some("{{deep}}".to_owned()),
            _ => None,
        };
        assert_eq!(referenced_in_passes("/{{hello_{{var}}}}/{{$guid}}", lookup), vec!["var", "hello_value", "deep"]);
        // An unknown inner name stops the outer one from ever being a reference.
        assert_eq!(referenced_in_passes("{{a_{{missing}}}}", lookup), vec!["missing"]);
    }

    fn env(key: &str, value: &str, kind: Option<&str>, enabled: bool) -> EnvValue {
        EnvValue {
            key: Some(key.into()),
            value: Some(value.into()),
            enabled,
            kind: kind.map(Into::into),
        }
    }

    #[test]
    fn precedence_environment_collection_globals() {
        let collection =
            vec![Variable { key: Some("a".into()), value: Some("coll".into()), ..Default::default() }];
        let vars = Variables::new(
            &collection,
            vec![("dev".into(), vec![env("a", "env", None, true), env("b", "off", None, false)])],
            &[env("a", "glob", None, true), env("c", "glob", None, true)],
        );
        assert_eq!(vars.lookup(Some(0), "a").unwrap().value, "env");
        assert_eq!(vars.lookup(None, "a").unwrap().value, "coll");
        assert_eq!(vars.lookup(Some(0), "c").unwrap().value, "glob");
        assert!(vars.lookup(Some(0), "b").is_none(), "disabled entries are ignored");
    }

    #[test]
    fn secrets() {
        let vars = Variables::new(&[], vec![("e".into(), vec![env("x", "1", Some("secret"), true)])], &[]);
        assert!(vars.is_secret("x"));
        assert!(vars.is_secret("refresh-token"));
        assert!(vars.is_secret("client_secret"));
        assert!(vars.is_secret("API Key"));
        assert!(vars.is_secret("authorization-code"));
        assert!(!vars.is_secret("api-domain"));
    }

    #[test]
    fn references_and_whole() {
        assert_eq!(references("{{a}}/x/{{ b }}{{c"), vec!["a", "b"]);
        assert_eq!(whole_reference("{{id}}"), Some("id"));
        assert_eq!(whole_reference("x{{id}}"), None);
        assert_eq!(whole_reference("{{a}}{{b}}"), None);
    }

    #[test]
    fn inheritance_stops_at_noauth() {
        let bearer = PostmanAuth { kind: Some("bearer".into()), ..Default::default() };
        let noauth = PostmanAuth { kind: Some("noauth".into()), ..Default::default() };
        let inherit = PostmanAuth { kind: Some("inherit".into()), ..Default::default() };
        let got = effective_auth(&[Some(&bearer), None, Some(&inherit)]);
        assert_eq!(got.unwrap().kind.as_deref(), Some("bearer"));
        let got = effective_auth(&[Some(&bearer), Some(&noauth), None]);
        assert_eq!(got.unwrap().kind.as_deref(), Some("noauth"));
    }
}
