//! `src/postman_examples.rs` (behind the `postman-examples` feature): every request called with
//! the values the collection itself holds — path variable values, enabled query values, bodies —
//! rendered with the client's variables exactly as Newman renders them, and the files the
//! collection names read from a directory (as Newman reads them from its working directory). It
//! documents how to call each function and drives the wire-conformance tests against Newman.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use crate::infer::{Cx, Ty};
use crate::ir::{Body, FormField, Operation};
use crate::names::{assign_unique, ident, Case};
use crate::overrides::Overrides;
use crate::plan::{ModulePlan, Plan};

use super::features::Features;
use super::operation::QueryField;

/// The feature that enables the module.
pub const FEATURE: &str = "postman-examples";

struct Entry<'a> {
    op: &'a Operation,
    rust_path: String,
    feature: Option<String>,
}

/// The module's tokens (`overrides` may set the types of query parameters).
pub fn examples_rs(plan: &Plan<'_>, features: &Features, overrides: &Overrides) -> TokenStream {
    let mut entries = Vec::new();
    collect(&plan.root, features, &mut entries);
    entries.sort_by_key(|e| e.op.order);
    let keyed: Vec<(String, String)> =
        entries.iter().map(|e| (e.rust_path.clone(), ident(&e.rust_path.replace("::", " "), Case::Snake))).collect();
    let names = assign_unique(&keyed, Case::Snake, &["run_all", "example_value", "skipped"]);

    let mut functions = Vec::new();
    let mut calls = Vec::new();
    let mut skipped = Vec::new();
    let mut reads_files = false;
    for (entry, name) in entries.iter().zip(&names) {
        let rust_path = &entry.rust_path;
        let cfg = entry.feature.as_ref().map(|f| quote! { #[cfg(feature = #f)] });
        let mut cx = Cx::new(&entry.op.item_path, overrides.for_operation(entry.op));
        let args = match arguments(entry.op, &mut cx) {
            Ok((args, files)) => {
                reads_files |= files;
                (args, files)
            }
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
        let (args, files) = args;
        let body = call_tokens(&path, &args);
        let (files_param, files_arg) = if files {
            (quote! { , files: &::std::path::Path }, quote! { , files })
        } else {
            (quote! {}, quote! {})
        };
        functions.push(quote! {
            #cfg
            #[doc = #doc]
            pub async fn #fn_ident(client: &crate::Client #files_param) -> ::std::result::Result<(), crate::Error> {
                #body
                ::std::result::Result::Ok(())
            }
        });
        calls.push(quote! {
            #cfg
            outcomes.push((#rust_path, #fn_ident(client #files_arg).await));
        });
    }
    let example_file = reads_files.then(|| {
        quote! {
            /// The bytes of a file the collection names (`src`), read from `files` as Newman reads
            /// it from its working directory; an absolute path (written on the collection author's
            /// machine) is read from below `files` too.
            pub fn example_file(files: &::std::path::Path, src: &str) -> ::std::result::Result<::std::vec::Vec<u8>, crate::Error> {
                ::std::fs::read(files.join(src.trim_start_matches(['/', '\\'])))
                    .map_err(|e| crate::Error::Config(::std::format!("example file `{src}`: {e}")))
            }
        }
    });
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

        #example_file

        #(#functions)*

        /// Runs every example in collection order; returns each request's outcome. The files
        /// the collection's multipart parts and binary bodies name are read from `files`.
        // `client` is unused when no request is compiled in (none at all, or features off), and
        // `files` when no example reads a file.
        #[allow(unused_variables)]
        pub async fn run_all(client: &crate::Client, files: &::std::path::Path) -> ::std::vec::Vec<(&'static str, ::std::result::Result<(), crate::Error>)> {
            #[allow(unused_mut)]
            let mut outcomes = ::std::vec::Vec::new();
            #(#calls)*
            outcomes
        }
    }
}

/// Hashes what [`examples_rs`] reads of a request (with its module's names and feature), for the
/// file's key (see `cache.rs`): a change to a request's docs, responses, headers or auth keeps
/// the file. Keep in step with `collect` and `arguments`.
pub fn hash_request<H: std::hash::Hasher>(op: &Operation, state: &mut H) {
    use std::hash::Hash;
    (op.order, &op.item_path, &op.key, &op.path_params, &op.query, &op.body).hash(state);
}

fn collect<'a>(module: &ModulePlan<'a>, features: &Features, out: &mut Vec<Entry<'a>>) {
    let feature = features.of(module);
    for (op, name) in module.module.operations.iter().zip(&module.functions) {
        let rust_path = if module.path.is_empty() { name.clone() } else { format!("{}::{name}", module.rust_path()) };
        out.push(Entry { op, rust_path, feature: feature.clone() });
    }
    for child in &module.children {
        collect(child, features, out);
    }
}

/// One argument of an example call.
enum Arg {
    /// An expression (a reference).
    Expr(TokenStream),
    /// A struct set field by field (`field = value`): a multipart body, or a query or form
    /// whose names repeat (a JSON example cannot hold them twice).
    Fields(Vec<(String, TokenStream)>),
}

/// The arguments after `client` and whether they read files, or why the request has no example.
fn arguments(op: &Operation, cx: &mut Cx<'_>) -> Result<(Vec<Arg>, bool), String> {
    let mut args = Vec::new();
    for param in &op.path_params {
        let ty = format_ident!("{}", Plan::id_type(&param.name));
        // Postman sends `:name` itself when the variable has no value.
        let value = param.example.clone().unwrap_or_else(|| format!(":{}", param.name));
        args.push(Arg::Expr(quote! { &crate::ids::#ty::from(client.render(#value)) }));
    }
    if !op.query.is_empty() {
        args.push(query_argument(&super::operation::query_fields(&op.query, cx))?);
    }
    match &op.body {
        Body::None => {}
        Body::Json { raw, .. } => {
            let raw = strip_json_comments(raw);
            args.push(Arg::Expr(quote! { &example_value(client, #raw)? }));
        }
        Body::Text { example } => args.push(Arg::Expr(quote! { &client.render(#example) })),
        Body::UrlEncoded { fields } if repeats(fields.iter().map(|f| &f.name)) => args.push(Arg::Fields(form_fields(fields))),
        Body::UrlEncoded { fields } => {
            let mut object = Map::new();
            for f in fields.iter().filter(|f| f.required) {
                object.insert(f.name.clone(), Value::String(f.example.clone().unwrap_or_default()));
            }
            let json = Value::Object(object).to_string();
            args.push(Arg::Expr(quote! { &example_value(client, #json)? }));
        }
        Body::GraphQl { query, variables } => {
            let mut object = Map::new();
            object.insert("query".into(), Value::String(query.clone()));
            if let Some(variables) = variables {
                object.insert("variables".into(), variables.clone());
            }
            let json = Value::Object(object).to_string();
            args.push(Arg::Expr(quote! { &example_value(client, #json)? }));
        }
        // Nothing to send: the function takes no body (see `operation.rs`).
        Body::FormData { fields } if fields.is_empty() => {}
        Body::FormData { fields } => args.push(Arg::Fields(form_fields(fields))),
        Body::File { src: Some(src) } => args.push(Arg::Expr(quote! { &example_file(files, #src)? })),
        // No file chosen in the collection: Postman sends an empty body.
        Body::File { src: None } => args.push(Arg::Expr(quote! { &[] as &[u8] })),
    }
    let files = match &op.body {
        Body::FormData { fields } => fields.iter().any(|f| f.file && f.required && f.src.is_some()),
        Body::File { src } => src.is_some(),
        _ => false,
    };
    Ok((args, files))
}

/// The query struct with the collection's enabled values, as JSON of the fields' types (the
/// struct reads it back to the same text on the wire).
fn query_argument(fields: &[QueryField]) -> Result<Arg, String> {
    let enabled = fields.iter().filter(|f| f.param.enabled);
    if repeats(fields.iter().map(|f| &f.param.name)) {
        let mut set = Vec::new();
        for field in enabled {
            let value = typed_value(field)?;
            let expr = match value {
                Value::String(text) if matches!(field.ty, Ty::Enum(_)) => {
                    quote! { ::std::convert::From::from(client.render(#text).as_str()) }
                }
                Value::String(text) => quote! { client.render(#text) },
                Value::Bool(b) => quote! { #b },
                other => {
                    let n = other.as_i64().unwrap_or_default();
                    quote! { #n }
                }
            };
            let expr = if field.param.required { expr } else { quote! { ::std::option::Option::Some(#expr) } };
            set.push((field.ident.clone(), expr));
        }
        return Ok(Arg::Fields(set));
    }
    let mut object = Map::new();
    for field in enabled {
        object.insert(field.param.name.clone(), typed_value(field)?);
    }
    let json = Value::Object(object).to_string();
    Ok(Arg::Expr(quote! { &example_value(client, #json)? }))
}

/// A query field's collection value as JSON of its type, or why it does not fit the type.
fn typed_value(field: &QueryField) -> Result<Value, String> {
    let text = field.param.example.clone().unwrap_or_default();
    let typed = match field.ty {
        Ty::I64 => text.parse::<i64>().ok().map(Value::from),
        Ty::Bool => text.parse::<bool>().ok().map(Value::from),
        _ => Some(Value::String(text.clone())),
    };
    typed.ok_or_else(|| format!("query parameter `{}`: the collection's value `{text}` does not fit its type", field.param.name))
}

/// The enabled fields of a form or multipart struct, with the field names `types.rs` gives them.
fn form_fields(fields: &[FormField]) -> Vec<(String, TokenStream)> {
    let keyed: Vec<(String, String)> =
        fields.iter().enumerate().map(|(i, f)| (format!("{i:06}"), ident(&f.name, Case::Snake))).collect();
    let idents = assign_unique(&keyed, Case::Snake, &[]);
    fields
        .iter()
        .zip(idents)
        .filter(|(f, _)| f.required)
        .map(|(f, id)| {
            if f.file {
                return (id, file_part(f));
            }
            let value = f.example.clone().unwrap_or_default();
            (id, quote! { client.render(#value) })
        })
        .collect()
}

/// A file part as Postman sends it: the file the collection names, under its file name and with
/// the part's content type (by the file's extension when the collection sets none); without a
/// file, an empty part with an empty file name.
fn file_part(field: &FormField) -> TokenStream {
    let Some(src) = &field.src else {
        return quote! { crate::runtime::FilePart::new("", ::std::vec::Vec::new()) };
    };
    let file_name = src.rsplit(['/', '\\']).next().unwrap_or(src);
    let content_type = field.content_type.clone().unwrap_or_else(|| super::mime::for_file(src).to_owned());
    quote! { crate::runtime::FilePart::new(#file_name, example_file(files, #src)?).content_type(#content_type) }
}

/// Whether a name occurs twice.
fn repeats<'a>(names: impl Iterator<Item = &'a String>) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    names.into_iter().any(|n| !seen.insert(n))
}

/// The body of an example function: the call, with struct arguments set field by field first.
fn call_tokens(path: &syn::Path, args: &[Arg]) -> TokenStream {
    if args.iter().all(|a| matches!(a, Arg::Expr(_))) {
        let exprs = args.iter().map(|a| match a {
            Arg::Expr(e) => e.clone(),
            Arg::Fields(_) => unreachable!(),
        });
        return quote! { #path(client, #(#exprs),*).await?; };
    }
    let names: Vec<_> = (0..args.len()).map(|i| format_ident!("arg{}", i)).collect();
    let mut lets = Vec::new();
    let mut sets = Vec::new();
    let mut refs = Vec::new();
    for (arg, name) in args.iter().zip(&names) {
        match arg {
            Arg::Expr(e) => {
                lets.push(quote! { let #name = #e; });
                refs.push(quote! { #name });
            }
            Arg::Fields(fields) => {
                let mutability = (!fields.is_empty()).then(|| quote! { mut });
                lets.push(quote! { let #mutability #name = ::std::default::Default::default(); });
                refs.push(quote! { &#name });
                for (field, value) in fields {
                    let field = format_ident!("{}", field);
                    sets.push(quote! { #name.#field = #value; });
                }
            }
        }
    }
    // The structs' types come from the function's signature: the closure (never called) fixes
    // them before their fields are set.
    quote! {
        #(#lets)*
        let _infer = || #path(client, #(#refs),*);
        #(#sets)*
        #path(client, #(#refs),*).await?;
    }
}

/// `//` and `/* */` comments removed from JSON text (outside strings), as Postman removes them
/// from a JSON body before sending it.
fn strip_json_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                for n in chars.by_ref() {
                    if previous == '*' && n == '/' {
                        break;
                    }
                    previous = n;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strip_json_comments;

    #[test]
    fn json_comments_are_stripped_outside_strings() {
        assert_eq!(strip_json_comments("{\"a\": \"x // y\", // c\n \"b\": /* d */ {{n}}}"), "{\"a\": \"x // y\", \n \"b\":  {{n}}}");
        assert_eq!(strip_json_comments("{\"a\": \"q\\\"//\"}"), "{\"a\": \"q\\\"//\"}");
    }
}
