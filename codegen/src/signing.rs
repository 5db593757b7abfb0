//! The signing auth kinds (Postman's `awsv4`, `oauth1`, `hawk`, `edgegrid`, `digest`, `ntlm`,
//! `jwt`, `asap`): the parameters each one's authorizer in postman-runtime reads, the runtime's
//! `SignKind` variant, and the Cargo dependencies its signer (`src/runtime/sign_<kind>.rs`) needs.
//!
//! This is the ONE table the generator reads for them: lowering keeps the listed parameters
//! (credentials as `{{variable}}` references), and a crate that uses a kind gets its signer file,
//! a feature of the kind's name with these dependencies, turned on by default. The dependency
//! lines mirror the kind's feature in `codegen/runtime/Cargo.toml` (a test compares them).

/// One signing auth kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningKind {
    /// Postman's auth type, also the crate feature and the signer's file `sign_<name>.rs`.
    pub name: &'static str,
    /// The runtime's `SignKind` variant.
    pub variant: &'static str,
    /// The parameters postman-runtime's authorizer reads (`auth.get([...])`). Others in the
    /// collection (saved UI state such as `showPassword`) are dropped: Postman ignores them too.
    pub params: &'static [&'static str],
    /// The signer's Cargo dependencies, one `[dependencies]` line each without `optional`
    /// (the generated crate makes them optional, turned on by the kind's feature).
    pub dependencies: &'static [&'static str],
    /// The other entries of the kind's feature besides `dep:<dependency>`: another kind's
    /// feature (whose signer a crate using this kind then gets too, e.g. `"jwt"`), or a feature
    /// of a dependency every generated crate has (`"serde_json/preserve_order"`).
    pub extra_features: &'static [&'static str],
}

impl SigningKind {
    /// The entries of the kind's Cargo feature: its dependencies, then the extra entries.
    pub fn feature_entries(&self) -> Vec<String> {
        let deps = self.dependencies.iter().map(|d| format!("dep:{}", dependency_name(d)));
        deps.chain(self.extra_features.iter().map(|f| (*f).to_owned())).collect()
    }
}

/// The package name of a dependency line (`aws-sigv4 = { … }` → `aws-sigv4`).
pub fn dependency_name(line: &str) -> &str {
    line.split_once('=').map_or(line, |(name, _)| name).trim()
}

/// `kinds` and every kind their features turn on (`asap` may build on `jwt`), sorted by name.
pub fn with_required(kinds: &[&'static SigningKind]) -> Vec<&'static SigningKind> {
    let mut names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
    let mut i = 0;
    while i < names.len() {
        if let Some(found) = kind(names[i]) {
            for extra in found.extra_features {
                if kind(extra).is_some() && !names.contains(extra) {
                    names.push(extra);
                }
            }
        }
        i += 1;
    }
    SIGNING_KINDS.iter().filter(|k| names.contains(&k.name)).collect()
}

/// Every signing kind, by Postman name. A kind's helper adds its signer's dependency lines here
/// (and the same dependencies, `optional = true`, under its feature in `codegen/runtime/Cargo.toml`).
pub const SIGNING_KINDS: &[SigningKind] = &[
    SigningKind {
        name: "asap",
        variant: "Asap",
        params: &["alg", "aud", "claims", "exp", "iss", "kid", "privateKey", "sub"],
        dependencies: &[],
        extra_features: &["jwt"],
    },
    SigningKind {
        name: "awsv4",
        variant: "AwsV4",
        params: &["accessKey", "addAuthDataToQuery", "region", "secretKey", "service", "sessionToken"],
        dependencies: &[
            r#"aws-credential-types = { version = "1.2" }"#,
            r#"aws-sigv4 = { version = "1.3", default-features = false, features = ["sign-http", "http1"] }"#,
            r#"hex = { version = "0.4" }"#,
            r#"httpdate = { version = "1" }"#,
            r#"sha2 = { version = "0.11", default-features = false, features = ["oid"] }"#,
        ],
        extra_features: &[],
    },
    SigningKind {
        name: "digest",
        variant: "Digest",
        params: &[
            "algorithm", "clientNonce", "disableRetryRequest", "method", "nonce", "nonceCount", "opaque",
            "password", "qop", "realm", "uri", "username",
        ],
        dependencies: &[
            r#"md-5 = { version = "0.11" }"#,
            r#"sha2 = { version = "0.11", default-features = false, features = ["oid"] }"#,
        ],
        extra_features: &[],
    },
    SigningKind {
        name: "edgegrid",
        variant: "EdgeGrid",
        params: &[
            "accessToken", "baseURL", "clientSecret", "clientToken", "headersToSign", "maxBodySize", "nonce",
            "timestamp",
        ],
        dependencies: &[
            r#"hmac = { version = "0.13" }"#,
            r#"sha2 = { version = "0.11", default-features = false, features = ["oid"] }"#,
        ],
        extra_features: &[],
    },
    SigningKind {
        name: "hawk",
        variant: "Hawk",
        params: &[
            "algorithm", "app", "authId", "authKey", "delegation", "extraData", "includePayloadHash", "nonce",
            "timestamp", "user",
        ],
        dependencies: &[
            r#"hmac = { version = "0.13" }"#,
            r#"sha1 = { version = "0.11", default-features = false, features = ["oid"] }"#,
            r#"sha2 = { version = "0.11", default-features = false, features = ["oid"] }"#,
        ],
        extra_features: &[],
    },
    SigningKind {
        name: "jwt",
        variant: "Jwt",
        params: &[
            "addTokenTo", "algorithm", "header", "headerPrefix", "isSecretBase64Encoded", "payload", "privateKey",
            "queryParamKey", "secret",
        ],
        dependencies: &[
            r#"ring = { version = "0.17" }"#,
        ],
        extra_features: &["serde_json/preserve_order"],
    },
    SigningKind {
        name: "ntlm",
        variant: "Ntlm",
        params: &["disableRetryRequest", "domain", "password", "username", "workstation"],
        dependencies: &[
            r#"des = { version = "0.8" }"#,
            r#"hmac = { version = "0.13" }"#,
            r#"md-5 = { version = "0.11" }"#,
            r#"md4 = { version = "0.11" }"#,
        ],
        extra_features: &[],
    },
    SigningKind {
        name: "oauth1",
        variant: "OAuth1",
        params: &[
            "addEmptyParamsToSign", "addParamsToHeader", "callback", "consumerKey", "consumerSecret",
            "disableHeaderEncoding", "includeBodyHash", "nonce", "privateKey", "realm", "signatureMethod",
            "timestamp", "token", "tokenSecret", "verifier", "version",
        ],
        dependencies: &[
            r#"hmac = { version = "0.13" }"#,
            r#"rsa = { version = "0.10", default-features = false, features = ["std", "encoding", "getrandom", "pkcs1v15"] }"#,
            r#"sha1 = { version = "0.11", default-features = false, features = ["oid"] }"#,
            r#"sha2 = { version = "0.11", default-features = false, features = ["oid"] }"#,
        ],
        extra_features: &[],
    },
];

/// The signing kind of a Postman auth type, if it is one.
pub fn kind(name: &str) -> Option<&'static SigningKind> {
    SIGNING_KINDS.iter().find(|k| k.name == name)
}

/// Whether the runtime has a signer for `kind` (its `sign_<name>.rs` is a runtime file). A kind
/// without one is generated as unsupported, with a warning.
pub fn has_signer(kind: &SigningKind) -> bool {
    let file = format!("sign_{}.rs", kind.name);
    crate::emit::RUNTIME_FILES.iter().any(|(name, _)| *name == file)
}

/// The variable a literal credential parameter is sent from: `awsv4-secret-key` for `awsv4`'s
/// `secretKey` (as `basic-password` for basic auth's `password`).
pub fn credential_variable(kind: &str, param: &str) -> String {
    let mut out = format!("{kind}-");
    for (i, c) in param.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::is_secret_auth_param;

    #[test]
    fn kinds_are_sorted_with_sorted_params() {
        let names: Vec<&str> = SIGNING_KINDS.iter().map(|k| k.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        for kind in SIGNING_KINDS {
            let mut params = kind.params.to_vec();
            params.sort_unstable();
            params.dedup();
            assert_eq!(params, kind.params, "{}", kind.name);
        }
    }

    /// Which parameters are credentials (sent from `ClientBuilder::secret`, never written into the
    /// crate): exactly these, by the one rule the secret scan of the tests also uses.
    #[test]
    fn credentials_of_each_kind() {
        let expected: &[(&str, &[&str])] = &[
            ("asap", &["privateKey"]),
            ("awsv4", &["accessKey", "secretKey", "sessionToken"]),
            ("digest", &["password", "username"]),
            ("edgegrid", &["accessToken", "clientSecret", "clientToken"]),
            ("hawk", &["authId", "authKey", "user"]),
            ("jwt", &["privateKey", "secret"]),
            ("ntlm", &["password", "username"]),
            ("oauth1", &["consumerKey", "consumerSecret", "privateKey", "token", "tokenSecret", "verifier"]),
        ];
        for (name, credentials) in expected {
            let kind = kind(name).unwrap();
            let secret: Vec<&str> = kind.params.iter().copied().filter(|p| is_secret_auth_param(p)).collect();
            assert_eq!(&secret, credentials, "{name}");
        }
    }

    /// Kinds that share a dependency ask for it alike (the generated crate lists it once), and a
    /// module never takes a kind's feature name.
    #[test]
    fn shared_dependencies_agree_and_kind_names_are_reserved() {
        let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
        for kind in SIGNING_KINDS {
            assert!(crate::plan::RESERVED_MODULES.contains(&kind.name), "{}", kind.name);
            for line in kind.dependencies {
                let name = dependency_name(line);
                let earlier = seen.insert(name, line);
                assert!(earlier.is_none_or(|e| e == *line), "`{name}` differs between kinds: {earlier:?} / {line}");
            }
        }
    }

    #[test]
    fn credential_variables_are_kebab_case() {
        assert_eq!(credential_variable("awsv4", "secretKey"), "awsv4-secret-key");
        assert_eq!(credential_variable("oauth1", "token"), "oauth1-token");
        assert_eq!(credential_variable("edgegrid", "clientSecret"), "edgegrid-client-secret");
        assert_eq!(credential_variable("hawk", "authId"), "hawk-auth-id");
    }

    /// Each kind's feature in the runtime crate is exactly its dependencies (optional there,
    /// with the same specification) and its extra entries.
    #[test]
    fn dependencies_match_the_runtime_crate() {
        let text = include_str!("../runtime/Cargo.toml");
        let manifest: toml::Table = toml::from_str(text).unwrap();
        let features = manifest["features"].as_table().unwrap();
        let deps = manifest["dependencies"].as_table().unwrap();
        let mut runtime_kinds: Vec<&str> = features.keys().map(String::as_str).filter(|f| *f != "default").collect();
        runtime_kinds.sort_unstable();
        let ours: Vec<&str> = SIGNING_KINDS.iter().map(|k| k.name).collect();
        assert_eq!(runtime_kinds, ours, "one runtime feature per signing kind");
        let default: Vec<&str> = features["default"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        for kind in SIGNING_KINDS {
            let mut runtime_entries: Vec<String> =
                features[kind.name].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
            runtime_entries.sort();
            let mut entries = kind.feature_entries();
            entries.sort();
            assert_eq!(entries, runtime_entries, "feature `{}` of the runtime crate", kind.name);
            for line in kind.dependencies {
                let parsed: toml::Table = toml::from_str(line).unwrap();
                let (name, spec) = parsed.into_iter().next().unwrap();
                let mut runtime = deps
                    .get(&name)
                    .unwrap_or_else(|| panic!("{}: `{name}` is not a runtime dependency", kind.name))
                    .as_table()
                    .unwrap()
                    .clone();
                assert_eq!(runtime.remove("optional").and_then(|v| v.as_bool()), Some(true), "{name} must be optional");
                assert_eq!(runtime, *spec.as_table().unwrap(), "{}: `{name}` differs from the runtime's", kind.name);
            }
            for extra in kind.extra_features {
                let every_crate_has = ["reqwest", "serde", "serde_json", "thiserror", "tokio"];
                let known = super::kind(extra).is_some()
                    || extra.split_once('/').is_some_and(|(dep, _)| every_crate_has.contains(&dep));
                assert!(known, "{}: `{extra}` is neither a kind nor a feature of a dependency every crate has", kind.name);
            }
            if !kind.dependencies.is_empty() || !kind.extra_features.is_empty() {
                assert!(default.contains(&kind.name), "the runtime crate builds and tests `{}` by default", kind.name);
            }
        }
    }

    #[test]
    fn kinds_bring_the_kinds_they_build_on() {
        let aws = kind("awsv4").unwrap();
        assert_eq!(with_required(&[aws]), [aws]);
        for each in SIGNING_KINDS {
            let closed = with_required(&[each]);
            for extra in each.extra_features.iter().filter_map(|e| kind(e)) {
                assert!(closed.contains(&extra), "{} needs {}", each.name, extra.name);
            }
        }
    }
}
