//! `tests/examples_roundtrip.rs`: the proof that the inferred types fit the collection. Every
//! saved example body (success and error) and every JSON request body sample that has a
//! generated type is read into it and written back, and must come out equal (after the
//! normalisation documented in the generated file). An integration test, so users' normal
//! builds never compile it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::infer::{Cx, Ty, TypeSpace};
use crate::ir::Operation;
use crate::names::{assign_unique, ident, Case as NameCase};

use super::types::ty_tokens_at;

/// The generated file's path in the crate.
pub const FILE: &str = "tests/examples_roundtrip.rs";

/// The type a sample is checked against.
#[derive(Debug, Clone)]
pub enum CaseTy {
    /// An inferred type of the module's type space.
    Inferred(Ty),
    /// A struct of the module that is not inferred (the GraphQL body), by name.
    Named(String),
}

/// One sample and the type it must round-trip through.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Where the sample comes from, for failure messages.
    pub label: String,
    /// The type.
    pub ty: CaseTy,
    /// The sample as compact JSON.
    pub json: String,
    /// JSON paths (after the root) removed from both sides before comparing.
    pub ignore: Vec<Vec<String>>,
}

impl Sample {
    /// A case for `value`, unless the type is `serde_json::Value` (nothing to prove).
    pub fn new(label: String, ty: &CaseTy, value: &Value, ignore: &[String]) -> Option<Sample> {
        if matches!(ty, CaseTy::Inferred(Ty::Value)) {
            return None;
        }
        let ignore = ignore.iter().map(|p| crate::overrides::segments(p)).collect();
        Some(Sample { label, ty: ty.clone(), json: serde_json::to_string(value).ok()?, ignore })
    }
}

/// The request body samples: the request's own body, then the bodies of its saved examples'
/// original requests.
pub fn request_cases(op: &Operation, samples: &[Value], ty: &Ty, cx: &Cx<'_>) -> Vec<Sample> {
    let ty = CaseTy::Inferred(ty.clone());
    let ignore = cx.lossy_paths("body");
    let item = op.item_path.join(" / ");
    samples
        .iter()
        .enumerate()
        .filter_map(|(index, sample)| {
            let label = if index == 0 {
                format!("{item}: request body")
            } else {
                format!("{item}: request body of saved example {index}")
            };
            Sample::new(label, &ty, sample, &ignore)
        })
        .collect()
}

/// The saved examples' response bodies: the success ones, or (`errors`) the 4xx/5xx ones.
pub fn response_cases(op: &Operation, ty: &Ty, cx: &Cx<'_>, errors: bool) -> Vec<Sample> {
    let ty = CaseTy::Inferred(ty.clone());
    let ignore = cx.lossy_paths(if errors { "error" } else { "response" });
    let item = op.item_path.join(" / ");
    op.examples
        .iter()
        .filter(|e| if errors { e.is_error() } else { e.is_success() })
        .filter_map(|example| {
            let status = example.status.map(|s| format!(" ({s})")).unwrap_or_default();
            let label = format!("{item}: example `{}`{status}", example.name);
            Sample::new(label, &ty, &example.body, &ignore)
        })
        .collect()
}

/// The GraphQL body, `{"query": …, "variables": …}`, against its struct.
pub fn graphql_case(op: &Operation, name: &str, query: &str, variables: Option<&Value>) -> Option<Sample> {
    let mut body = serde_json::Map::new();
    body.insert("query".to_owned(), Value::String(query.to_owned()));
    if let Some(variables) = variables {
        body.insert("variables".to_owned(), variables.clone());
    }
    let label = format!("{}: GraphQL body", op.item_path.join(" / "));
    Sample::new(label, &CaseTy::Named(name.to_owned()), &Value::Object(body), &[])
}

/// The round-trip test of one module.
pub struct ModuleTest {
    /// `v3::chats` (empty for the crate root).
    pub rust_path: String,
    /// The Cargo feature that gates the module, if any.
    pub feature: Option<String>,
    /// One `check::<T>(…)` call per distinct (type, sample).
    pub checks: Vec<TokenStream>,
}

/// The `check` calls for a module's cases, with types named from outside the crate; the same
/// sample for the same type is checked once.
pub fn checks(cases: &[Sample], space: &TypeSpace, krate: &str, rust_path: &str) -> Vec<TokenStream> {
    let krate_tokens: TokenStream = krate.parse().unwrap_or_default();
    let module: TokenStream = if rust_path.is_empty() {
        format!("{krate}::").parse().unwrap_or_default()
    } else {
        format!("{krate}::{rust_path}::").parse().unwrap_or_default()
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for case in cases {
        let ty = match &case.ty {
            CaseTy::Inferred(ty) => ty_tokens_at(ty, space, &module, &krate_tokens),
            CaseTy::Named(name) => {
                let name = format_ident!("{}", name);
                quote! { #module #name }
            }
        };
        if !seen.insert((ty.to_string(), case.json.clone(), case.ignore.clone())) {
            continue;
        }
        let label = &case.label;
        let json = &case.json;
        let ignore = case.ignore.iter().map(|path| quote! { &[#(#path),*] });
        out.push(quote! { check::<#ty>(&mut failures, #label, #json, &[#(#ignore),*]); });
    }
    out
}

/// The whole test file, or `None` when no module has a case.
pub fn test_file(modules: &[ModuleTest]) -> Option<TokenStream> {
    let modules: Vec<&ModuleTest> = modules.iter().filter(|m| !m.checks.is_empty()).collect();
    if modules.is_empty() {
        return None;
    }
    let keyed: Vec<(String, String)> = modules
        .iter()
        .map(|m| {
            let base = if m.rust_path.is_empty() { "root".to_owned() } else { m.rust_path.replace("::", " ") };
            (m.rust_path.clone(), ident(&base, NameCase::Snake))
        })
        .collect();
    let names = assign_unique(&keyed, NameCase::Snake, &["check", "normalize", "remove", "difference"]);
    let tests = modules.iter().zip(names).map(|(module, name)| {
        let name = format_ident!("{}", name);
        let cfg = module.feature.as_ref().map(|f| quote! { #[cfg(feature = #f)] });
        let checks = &module.checks;
        quote! {
            #cfg
            #[test]
            fn #name() {
                let mut failures = ::std::vec::Vec::new();
                #(#checks)*
                assert!(failures.is_empty(), "{} example(s) do not round-trip:\n{}", failures.len(), failures.join("\n"));
            }
        }
    });
    Some(quote! {
        //! Round-trip proof: every saved example body (success and error responses) and every
        //! JSON request body sample of the collection that has a generated type is read into
        //! that type and written back. The JSON written must equal the example after this
        //! normalisation, which covers what the types drop by design:
        //!
        //! - object keys whose value is `null` are removed on both sides: optional fields read
        //!   `null` as `None` and leave `None` out when writing;
        //! - numbers compare by value, so `1` equals `1.0`: a field typed `f64` (integers and
        //!   floats seen in the samples) writes whole numbers as `1.0`;
        //! - key order is ignored;
        //! - the JSON paths listed with a check are removed on both sides: fields an override
        //!   made required although some examples lack them (they are written with their
        //!   default value).
        //!
        //! Empty objects and arrays are kept and compared as they are. Unknown fields cannot
        //! occur: every key of every sample is a field of its type.

        use ::serde_json::Value;

        #[allow(dead_code)]
        fn normalize(value: Value) -> Value {
            match value {
                Value::Object(map) => Value::Object(
                    map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, normalize(v))).collect(),
                ),
                Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
                Value::Number(n) => n.as_f64().map_or(Value::Number(n), Value::from),
                other => other,
            }
        }

        /// Removes `path` (`[]`: every element of an array or value of a map) from `value`.
        #[allow(dead_code)]
        fn remove(value: &mut Value, path: &[&str]) {
            let Some((first, rest)) = path.split_first() else { return };
            match value {
                Value::Array(items) if *first == "[]" => {
                    for item in items {
                        remove(item, rest);
                    }
                }
                Value::Object(map) if *first == "[]" => {
                    for item in map.values_mut() {
                        remove(item, rest);
                    }
                }
                Value::Object(map) if rest.is_empty() => {
                    map.remove(*first);
                }
                Value::Object(map) => {
                    if let ::std::option::Option::Some(inner) = map.get_mut(*first) {
                        remove(inner, rest);
                    }
                }
                _ => {}
            }
        }

        /// Where `written` first differs from `expected`.
        #[allow(dead_code)]
        fn difference(expected: &Value, written: &Value, path: &str) -> ::std::string::String {
            match (expected, written) {
                (Value::Object(a), Value::Object(b)) => {
                    for (key, value) in a {
                        match b.get(key) {
                            ::std::option::Option::Some(other) if other == value => {}
                            ::std::option::Option::Some(other) => return difference(value, other, &::std::format!("{path}.{key}")),
                            ::std::option::Option::None => return ::std::format!("`{path}.{key}` is missing"),
                        }
                    }
                    let added: ::std::vec::Vec<&::std::string::String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
                    ::std::format!("`{path}` gained {added:?}")
                }
                (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                    for (index, (x, y)) in a.iter().zip(b).enumerate() {
                        if x != y {
                            return difference(x, y, &::std::format!("{path}[{index}]"));
                        }
                    }
                    ::std::string::String::new()
                }
                _ => ::std::format!("`{path}` is {written}, expected {expected}"),
            }
        }

        /// Reads `json` as `T`, writes it back and compares (see the file's documentation).
        #[allow(dead_code)]
        fn check<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
            failures: &mut ::std::vec::Vec<::std::string::String>,
            label: &str,
            json: &str,
            ignore: &[&[&str]],
        ) {
            let typed: T = match ::serde_json::from_str(json) {
                ::std::result::Result::Ok(typed) => typed,
                ::std::result::Result::Err(e) => {
                    failures.push(::std::format!("{label}: does not deserialize: {e}"));
                    return;
                }
            };
            let written = match ::serde_json::to_value(&typed) {
                ::std::result::Result::Ok(written) => written,
                ::std::result::Result::Err(e) => {
                    failures.push(::std::format!("{label}: does not serialize: {e}"));
                    return;
                }
            };
            let mut expected = normalize(::serde_json::from_str(json).expect("examples are valid JSON"));
            let mut written = normalize(written);
            for path in ignore {
                remove(&mut expected, path);
                remove(&mut written, path);
            }
            if expected != written {
                failures.push(::std::format!("{label}: {}", difference(&expected, &written, "$")));
            }
        }

        #(#tests)*
    })
}
