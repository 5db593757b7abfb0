//! `src/postman_examples.rs` (behind the `postman-examples` feature): every request called with
//! the values the collection itself holds — path variable values, enabled query values, bodies —
//! rendered with the client's variables exactly as Newman renders them. It documents how to
//! call each function and drives the wire-conformance tests against Newman.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use crate::ir::{Body, Operation};
use crate::names::{assign_unique, ident, Case};
use crate::plan::{ModulePlan, Plan};

/// The feature that enables the module.
pub const FEATURE: &str = "postman-examples";

struct Entry<'a> {
    op: &'a Operation,
    rust_path: String,
    feature: Option<String>,
}

/// The module's tokens.
pub fn examples_rs(plan: &Plan<'_>) -> TokenStream {
    let mut entries = Vec::new();
    collect(&plan.root, None, &mut entries);
    entries.sort_by_key(|e| e.op.order);
    let keyed: Vec<(String, String)> =
        entries.iter().map(|e| (e.rust_path.clone(), ident(&e.rust_path.replace("::", " "), Case::Snake))).collect();
    let names = assign_unique(&keyed, Case::Snake, &["run_all", "example_value", "skipped"]);

    let mut functions = Vec::new();
    let mut calls = Vec::new();
    let mut skipped = Vec::new();
    for (entry, name) in entries.iter().zip(&names) {
        let rust_path = &entry.rust_path;
        let cfg = entry.feature.as_ref().map(|f| quote! { #[cfg(feature = #f)] });
        let args = match arguments(entry.op) {
            Ok(args) => args,
            Err(reason) => {
                skipped.push(quote! { #cfg (#rust_path, #reason), });
                continue;
            }
        };
        let fn_ident = format_ident!("{}", name);
        let path: syn::Path = match syn::parse_str(&format!("crate::{rust_path}")) {
            Ok(path) => path,
            Err(_) => continue,
        };
        let doc = format!(" Calls [`crate::{rust_path}`] with the collection's values.");
        functions.push(quote! {
            #cfg
            #[doc = #doc]
            pub async fn #fn_ident(client: &crate::Client) -> ::std::result::Result<(), crate::Error> {
                #path(client, #(#args),*).await?;
                ::std::result::Result::Ok(())
            }
        });
        calls.push(quote! {
            #cfg
            outcomes.push((#rust_path, #fn_ident(client).await));
        });
    }
    quote! {
        //! Every request called with the values the collection holds (enable the
        //! `postman-examples` feature). Values are rendered with the client's variables first,
        //! as Newman renders `{{variables}}`.

        /// Requests without an example call, with the reason.
        pub const SKIPPED: &[(&str, &str)] = &[#(#skipped)*];

        /// Parses a JSON example after rendering its `{{variables}}` with the client's values.
        pub fn example_value<T: ::serde::de::DeserializeOwned>(
            client: &crate::Client,
            template: &str,
        ) -> ::std::result::Result<T, crate::Error> {
            ::serde_json::from_str(&client.render(template))
                .map_err(|e| crate::Error::Config(::std::format!("example value does not fit its type: {e}")))
        }

        #(#functions)*

        /// Runs every example in collection order; returns each request's outcome.
        pub async fn run_all(client: &crate::Client) -> ::std::vec::Vec<(&'static str, ::std::result::Result<(), crate::Error>)> {
            #[allow(unused_mut)]
            let mut outcomes = ::std::vec::Vec::new();
            #(#calls)*
            outcomes
        }
    }
}

fn collect<'a>(module: &ModulePlan<'a>, feature: Option<String>, out: &mut Vec<Entry<'a>>) {
    for (op, name) in module.module.operations.iter().zip(&module.functions) {
        let rust_path = if module.path.is_empty() { name.clone() } else { format!("{}::{name}", module.rust_path()) };
        out.push(Entry { op, rust_path, feature: feature.clone() });
    }
    for child in &module.children {
        let feature = feature.clone().or_else(|| Some(super::crate_files::feature_name(child)));
        collect(child, feature, out);
    }
}

/// The argument expressions after `client`, or why the request has no example.
fn arguments(op: &Operation) -> Result<Vec<TokenStream>, String> {
    let mut args = Vec::new();
    for param in &op.path_params {
        let ty = format_ident!("{}", Plan::id_type(&param.name));
        // Postman sends `:name` itself when the variable has no value.
        let value = param.example.clone().unwrap_or_else(|| format!(":{}", param.name));
        args.push(quote! { &crate::ids::#ty::from(client.render(#value)) });
    }
    if !op.query.is_empty() {
        let mut object = Map::new();
        for q in op.query.iter().filter(|q| q.enabled) {
            object.insert(q.name.clone(), Value::String(q.example.clone().unwrap_or_default()));
        }
        let json = Value::Object(object).to_string();
        args.push(quote! { &example_value(client, #json)? });
    }
    match &op.body {
        Body::None => {}
        Body::Json { raw, .. } => args.push(quote! { &example_value(client, #raw)? }),
        Body::Text { example } => args.push(quote! { &client.render(#example) }),
        Body::UrlEncoded { fields } => {
            let mut object = Map::new();
            for f in fields.iter().filter(|f| f.required) {
                object.insert(f.name.clone(), Value::String(f.example.clone().unwrap_or_default()));
            }
            let json = Value::Object(object).to_string();
            args.push(quote! { &example_value(client, #json)? });
        }
        Body::GraphQl { query, variables } => {
            let mut object = Map::new();
            object.insert("query".into(), Value::String(query.clone()));
            if let Some(variables) = variables {
                object.insert("variables".into(), variables.clone());
            }
            let json = Value::Object(object).to_string();
            args.push(quote! { &example_value(client, #json)? });
        }
        Body::FormData { .. } => return Err("multipart body: Newman reads file parts from the tester's disk".into()),
        Body::File => return Err("binary file body: Newman reads it from the tester's disk".into()),
    }
    Ok(args)
}
