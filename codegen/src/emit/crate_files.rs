//! The crate-level files: `Cargo.toml`, `lib.rs`, `ids.rs`, `auth.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Api;
use crate::plan::Plan;
use crate::signing::{dependency_name, SigningKind};

use super::features::Features;
use crate::toml_text::basic_string;

use super::docs::{doc_attrs, doc_line};
use super::operation::{auth_tokens, oauth2_tokens, signed_spec_tokens};
use crate::ir::Auth;
use super::{EmitOptions, Files, Unformatted};

/// Adds `Cargo.toml`, and `src/ids.rs` and `src/auth.rs` to format.
#[allow(clippy::too_many_arguments)]
pub fn add(
    api: &Api,
    plan: &Plan<'_>,
    features: &Features,
    options: &EmitOptions,
    paginated: bool,
    roundtrip: bool,
    signing: &[&SigningKind],
    files: &mut Files,
    unformatted: &mut Unformatted,
) {
    files.insert("Cargo.toml".to_owned(), cargo_toml(api, features, options, paginated, roundtrip, signing));
    unformatted.push(("src/ids.rs".to_owned(), ids_rs(plan).to_string()));
    if !api.shared_auth.is_empty() {
        unformatted.push(("src/auth.rs".to_owned(), auth_rs(api, plan).to_string()));
    }
}

fn cargo_toml(
    api: &Api,
    modules: &Features,
    options: &EmitOptions,
    paginated: bool,
    roundtrip: bool,
    signing: &[&SigningKind],
) -> String {
    let mut features = modules.top_level();
    features.extend(signing.iter().map(|k| k.name.to_owned()));
    let description = if api.name.is_empty() {
        "Typed client generated from a Postman collection".to_owned()
    } else {
        format!("Typed client for {}, generated from its Postman collection", api.name.replace(['\n', '\r'], " "))
    };
    let mut out = String::new();
    out.push_str(&format!("# {}\n", options.generated_header()));
    out.push_str("[package]\n");
    out.push_str(&format!("name = {}\n", basic_string(&options.crate_name)));
    out.push_str("version = \"0.1.0\"\nedition = \"2021\"\n");
    out.push_str(&format!("description = {}\n", basic_string(&description)));
    out.push_str("license = \"MIT OR Apache-2.0\"\n\n");
    out.push_str("[features]\n");
    let quoted: Vec<String> = features.iter().map(|f| basic_string(f)).collect();
    out.push_str(&format!("default = [{}]\n", quoted.join(", ")));
    out.push_str("# Every request called with the collection's values (documentation, conformance tests).\n");
    out.push_str(&format!(
        "{} = [{}]\n",
        basic_string(super::examples::FEATURE),
        basic_string(super::types::ROUNDTRIP_FEATURE)
    ));
    out.push_str(
        "# The derives the client does not need: `Deserialize` on what it only sends, `Serialize` on\n\
         # what it only reads, `PartialEq` (the round-trip test and `postman-examples` use them).\n",
    );
    out.push_str(&format!("{} = []\n", basic_string(super::types::ROUNDTRIP_FEATURE)));
    out.push_str(&modules.cargo_lines());
    if !signing.is_empty() {
        out.push_str("# The signers of the collection's auth schemes (src/runtime/sign_<kind>.rs).\n");
    }
    for kind in signing {
        let entries: Vec<String> = kind.feature_entries().iter().map(|e| basic_string(e)).collect();
        out.push_str(&format!("{} = [{}]\n", basic_string(kind.name), entries.join(", ")));
    }
    out.push_str("\n[dependencies]\n");
    let mut signer_deps: Vec<&str> = signing.iter().flat_map(|k| k.dependencies.iter().copied()).collect();
    signer_deps.sort_by_key(|d| dependency_name(d));
    signer_deps.dedup_by_key(|d| dependency_name(d));
    if paginated {
        out.push_str(
            "# The `_pages`/`_stream`/`_sync` functions of paginated requests return streams (`src/paginate.rs`).\n\
             futures-util = { version = \"0.3\", default-features = false }\n",
        );
    }
    out.push_str(
        "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"json\", \"multipart\"] }\n\
         serde = { version = \"1\", features = [\"derive\"] }\n\
         serde_json = \"1\"\n\
         thiserror = \"2\"\n\
         tokio = { version = \"1\", features = [\"sync\", \"time\"] }\n",
    );
    if !signer_deps.is_empty() {
        out.push_str("# The signers' dependencies, each turned on by the feature of its auth scheme.\n");
    }
    for dep in signer_deps {
        out.push_str(&optional_dependency(dep));
        out.push('\n');
    }
    out.push_str(
        "\n[dev-dependencies]\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    );
    // The runtime declares a module per signing kind; the kinds this crate has no feature for
    // are known cfg values all the same.
    let unused: Vec<String> = crate::signing::SIGNING_KINDS
        .iter()
        .filter(|k| !signing.iter().any(|s| s.name == k.name))
        .map(|k| format!("\"{}\"", k.name))
        .collect();
    if !unused.is_empty() {
        out.push_str(&format!(
            "\n[lints.rust]\n# Signing auth schemes this collection does not use (src/runtime/mod.rs names them all).\n\
             unexpected_cfgs = {{ level = \"warn\", check-cfg = ['cfg(feature, values({}))'] }}\n",
            unused.join(", ")
        ));
    }
    if roundtrip {
        out.push_str(&format!(
            "\n[[test]]\nname = \"examples_roundtrip\"\nrequired-features = [{}]\n",
            basic_string(super::types::ROUNDTRIP_FEATURE)
        ));
    }
    out
}

/// A dependency line of [`SigningKind::dependencies`] (an inline table) made optional.
fn optional_dependency(line: &str) -> String {
    let (name, spec) = line.split_once('=').expect("a dependency line is `name = { … }`");
    let inner = spec.trim().strip_prefix('{').and_then(|s| s.strip_suffix('}')).expect("an inline table").trim();
    if inner.is_empty() {
        format!("{} = {{ optional = true }}", name.trim())
    } else {
        format!("{} = {{ {inner}, optional = true }}", name.trim())
    }
}

/// `lib.rs`: crate docs, modules, re-exports, the environment enum and root-level requests.
pub fn lib_rs(api: &Api, plan: &Plan<'_>, body: TokenStream, paginated: bool) -> TokenStream {
    let mut docs = if api.docs.is_empty() { String::new() } else { format!("{}\n\n", api.docs) };
    docs.push_str(&format!(
        "Typed client for the {} API, generated by postman-codegen from its Postman collection.",
        crate::docs::inline_text(if api.name.is_empty() { "unnamed" } else { &api.name })
    ));
    let crate_docs = docs.trim().lines().map(|line| {
        let line = doc_line(line);
        quote! { #![doc = #line] }
    });
    let auth_mod = (!api.shared_auth.is_empty()).then(|| quote! { mod auth; });
    let paginate_mod = paginated.then(|| {
        quote! {
            /// Streams over paginated requests: `Stream`, `StreamExt` (for `.next().await`) and
            /// [`Feed`](paginate::Feed), the items of a change feed followed by its new sync token.
            pub mod paginate;
        }
    });
    let ids_use = (!plan.ids.is_empty()).then(|| quote! { pub use ids::*; });
    let environment = environment_enum(api, plan);
    quote! {
        #(#crate_docs)*
        #![allow(clippy::module_inception)]

        pub mod runtime;
        pub mod ids;
        #auth_mod
        #paginate_mod
        #[cfg(feature = "postman-examples")]
        pub mod postman_examples;

        #ids_use
        pub use runtime::{Client, ClientBuilder, ClientDefaults, Error, FilePart, OAuth, Response, TokenSet, TokenStore, UnknownEnvironment};

        #environment
        #body
    }
}

fn environment_enum(api: &Api, plan: &Plan<'_>) -> TokenStream {
    let variants: Vec<_> = plan.environments.iter().map(|v| format_ident!("{}", v)).collect();
    let docs = api.environments.iter().map(|e| {
        let mut text = format!("Environment `{}`.", e.name.replace('`', "'"));
        for (name, value) in &e.values {
            text.push_str(&format!("\n- `{}` = `{}`", name.replace('`', "'"), value.replace('`', "'")));
        }
        doc_attrs(&crate::docs::to_rustdoc(&text))
    });
    let names = api.environments.iter().map(|e| e.name.as_str());
    let arms = api.environments.iter().zip(&variants).map(|(e, v)| {
        let pairs = e.values.iter().map(|(k, val)| quote! { (#k, #val) });
        quote! { Environment::#v => ::std::vec![#(#pairs),*], }
    });
    let name_arms = variants.iter().zip(names).map(|(v, n)| quote! { Environment::#v => #n, });
    let shorts: Vec<&str> = api.environments.iter().map(|e| e.short_name.as_str()).collect();
    let listed = shorts.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    let from_str_doc = doc_attrs(&format!(
        "Picks an environment by its short name ({listed}; ASCII case is ignored), e.g. from \
         configuration: `\"{}\".parse::<Environment>()`.",
        shorts.first().copied().unwrap_or_default()
    ));
    let oauth2 = api.shared_auth.iter().zip(&plan.shared_auth).find(|(a, _)| matches!(a.auth, Auth::OAuth2(_))).map(|(_, name)| {
        let spec_ident = format_ident!("{}_OAUTH2", name);
        quote! {
            fn oauth2_spec(&self) -> ::std::option::Option<&'static runtime::OAuth2Spec> {
                ::std::option::Option::Some(auth::#spec_ident)
            }
        }
    });
    let first = variants.first().map(|v| quote! { #[default] #v }).into_iter();
    let rest = variants.iter().skip(1);
    let docs: Vec<_> = docs.collect();
    let first_doc = docs.first().cloned().into_iter();
    let rest_docs = docs.iter().skip(1);
    quote! {
        /// The environments the collection ships with: each variant carries the non-secret
        /// values of its environment file (base URLs and other configuration). Override any of
        /// them, or point the client at a custom domain, with [`ClientBuilder::var`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum Environment {
            #(#first_doc #first,)*
            #(#rest_docs #rest,)*
        }

        impl Environment {
            /// Every environment, in the order of the environment files.
            pub const ALL: &'static [Environment] = &[#(Environment::#variants),*];

            /// The environments' short names (their files' names), in the order of [`Self::ALL`].
            pub const SHORT_NAMES: &'static [&'static str] = &[#(#shorts),*];

            /// The environment's name, as in its file.
            pub fn name(self) -> &'static str {
                match self { #(#name_arms)* }
            }

            /// The short name [`FromStr`](::std::str::FromStr) and [`Display`](::std::fmt::Display) use.
            pub fn short_name(self) -> &'static str {
                match self { #(Environment::#variants => #shorts,)* }
            }
        }

        impl ::std::str::FromStr for Environment {
            type Err = runtime::UnknownEnvironment;

            #from_str_doc
            fn from_str(name: &str) -> ::std::result::Result<Self, Self::Err> {
                Environment::ALL
                    .iter()
                    .copied()
                    .find(|e| e.short_name().eq_ignore_ascii_case(name))
                    .ok_or_else(|| runtime::UnknownEnvironment { given: name.to_owned(), known: Environment::SHORT_NAMES })
            }
        }

        impl ::std::fmt::Display for Environment {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.short_name())
            }
        }

        impl runtime::ClientDefaults for Environment {
            fn defaults(&self) -> ::std::vec::Vec<(&'static str, &'static str)> {
                match self { #(#arms)* }
            }
            #oauth2
        }
    }
}

fn ids_rs(plan: &Plan<'_>) -> TokenStream {
    if plan.ids.is_empty() {
        return quote! {
            //! Typed path parameters (this collection has none).
        };
    }
    let aliases = plan.ids.iter().map(|(name, raw)| {
        let ident = format_ident!("{}", name);
        let listed = raw.iter().map(|r| format!("`{}`", r.replace('`', "'"))).collect::<Vec<_>>().join(", ");
        let doc = doc_line(&format!("Path parameter {listed}."));
        quote! {
            #[doc = #doc]
            pub type #ident = crate::runtime::PathParam<kinds::#ident>;
        }
    });
    let kinds = plan.ids.keys().map(|name| {
        let ident = format_ident!("{}", name);
        let doc = doc_line(&format!("Marks [`{name}`](super::{name})."));
        quote! {
            #[doc = #doc]
            pub enum #ident {}
            impl crate::runtime::PathParamKind for #ident {
                const NAME: &'static str = #name;
            }
        }
    });
    quote! {
        //! Typed path parameters: one type per parameter name, so an id of one kind cannot be
        //! passed where another is expected. Each is a [`PathParam`](crate::runtime::PathParam)
        //! of its own marker type: `ChatId::from("…")`, `Display`, `AsRef<str>`, and serde reads
        //! and writes it as a plain string.

        #(#aliases)*

        /// The marker types that keep the kinds of path parameters apart.
        pub mod kinds {
            #(#kinds)*
        }
    }
}

fn auth_rs(api: &Api, plan: &Plan<'_>) -> TokenStream {
    let consts = api.shared_auth.iter().zip(&plan.shared_auth).map(|(shared, name)| {
        let ident = format_ident!("{}", name);
        let (oauth2_const, spec) = match &shared.auth {
            Auth::OAuth2(oauth2) => {
                let spec_ident = format_ident!("{}_OAUTH2", name);
                let tokens = oauth2_tokens(oauth2);
                (
                    Some(quote! {
                        /// The OAuth 2.0 settings of this auth.
                        pub(crate) const #spec_ident: &crate::runtime::OAuth2Spec = &#tokens;
                    }),
                    quote! { crate::runtime::AuthSpec::OAuth2(#spec_ident) },
                )
            }
            Auth::Signed { kind, params } => {
                // A static, so that every request of this auth shares one descriptor (the
                // client keeps challenge state, such as a digest nonce count, per descriptor).
                let spec_ident = format_ident!("{}_SIGNED", name);
                let tokens = signed_spec_tokens(kind, params);
                (
                    Some(quote! {
                        /// The signing scheme of this auth.
                        pub(crate) static #spec_ident: crate::runtime::SignedSpec = #tokens;
                    }),
                    quote! { crate::runtime::AuthSpec::Signed(&#spec_ident) },
                )
            }
            other => (None, auth_tokens(other)),
        };
        let origin = if shared.item_path.is_empty() {
            "the collection".to_owned()
        } else {
            format!("folder `{}`", shared.item_path.join(" / ").replace('`', "'"))
        };
        let doc = doc_line(&format!("Auth defined on {origin}, inherited by its requests."));
        quote! {
            #oauth2_const
            #[doc = #doc]
            pub(crate) const #ident: crate::runtime::AuthSpec = #spec;
        }
    });
    quote! {
        //! Auth schemes defined on the collection and its folders.
        // A build with some module features off may use none of an auth's requests.
        #![allow(dead_code)]
        #(#consts)*
    }
}
