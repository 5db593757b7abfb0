//! Stage 6: tokens → files. Every Rust file is built with `quote!` and formatted with
//! `prettyplease`; the result is a map from path (relative to the crate root) to contents.

mod crate_files;
mod docs;
mod enums;
mod examples;
mod operation;
mod roundtrip;
mod runtime_files;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::{Error, Result};
use crate::infer::{Cx, TypeSpace};
use crate::ir::Api;
use crate::overrides::Overrides;
use crate::parse::printable;
use crate::plan::{ModulePlan, Plan};

pub use runtime_files::{PAGINATE_FILE, RUNTIME_FILES};

/// Generated files: path relative to the crate root → contents.
pub type Files = BTreeMap<String, String>;

/// What the emitter needs besides the IR.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Cargo package name.
    pub crate_name: String,
    /// Shown in the `@generated` header (file name of the collection).
    pub source: String,
    /// Type overrides and declared enums.
    pub overrides: Overrides,
}

/// What emitting a module tree collects besides files.
#[derive(Default)]
struct Collected {
    surface: Vec<String>,
    warnings: Vec<String>,
    tests: Vec<roundtrip::ModuleTest>,
    /// Some request pages (the crate gets `src/paginate.rs` and `futures-util`).
    paginated: bool,
    /// The root module's items, for `lib.rs` (written last: it depends on `paginated`).
    root_body: Option<TokenStream>,
}

/// Emits the whole crate; also returns the warnings of type inference (conflicting samples,
/// overrides that match nothing).
pub fn emit(api: &Api, plan: &Plan<'_>, options: &EmitOptions) -> Result<(Files, Vec<String>)> {
    let mut files = Files::new();
    for name in options.overrides.enums.keys() {
        if plan.ids.contains_key(name) {
            return Err(Error::Config(format!(
                "overrides: enum `{name}` has the name of a path parameter type; choose another name"
            )));
        }
    }
    let mut collected = Collected::default();
    emit_module(&plan.root, plan, options, &mut files, &mut collected, None)?;
    let Collected { mut surface, warnings, tests, paginated, root_body } = collected;
    if let Some(body) = root_body {
        let lib = crate_files::lib_rs(api, plan, body, paginated);
        files.insert("src/lib.rs".to_owned(), render(options, "src/lib.rs", lib)?);
    }
    if let Some(tokens) = roundtrip::test_file(&tests) {
        files.insert(roundtrip::FILE.to_owned(), render(options, roundtrip::FILE, tokens)?);
    }
    crate_files::add(api, plan, options, paginated, &mut files)?;
    if paginated {
        files.insert("src/paginate.rs".to_owned(), header(options, PAGINATE_FILE));
    }
    files.insert(
        "src/postman_examples.rs".to_owned(),
        render(options, "src/postman_examples.rs", examples::examples_rs(plan, &options.overrides))?,
    );
    surface.sort();
    let mut text = surface.join("\n");
    text.push('\n');
    files.insert("surface.txt".to_owned(), text);
    for (name, contents) in RUNTIME_FILES {
        files.insert(format!("src/runtime/{name}"), header(options, contents));
    }
    Ok((files, warnings))
}

fn emit_module(
    module: &ModulePlan<'_>,
    plan: &Plan<'_>,
    options: &EmitOptions,
    files: &mut Files,
    collected: &mut Collected,
    feature: Option<String>,
) -> Result<()> {
    let rust_path = module.rust_path();
    let mut space = TypeSpace::default();
    if module.path.is_empty() {
        for name in options.overrides.enums.keys() {
            space.reserve(name);
        }
    }
    let mut extras = Vec::new();
    let mut functions = Vec::new();
    let mut cases = Vec::new();
    for (op, fn_name) in module.module.operations.iter().zip(&module.functions) {
        space.start_operation();
        let mut cx = Cx::new(&op.item_path, options.overrides.for_operation(op));
        let emitted = operation::emit_operation(
            op,
            fn_name,
            module,
            plan,
            &mut space,
            &mut extras,
            &mut cx,
        );
        collected.paginated |= emitted.paginated;
        collected.warnings.extend(cx.finish());
        let signature = signature_text(&emitted.signature, &module.file())?;
        let full_path = if rust_path.is_empty() { fn_name.clone() } else { format!("{rust_path}::{fn_name}") };
        // Method and path are the collection's text: escaped, so a line stays one line of four
        // columns and shows every character (bidi controls too).
        let (method, path) = (printable(&op.method, usize::MAX), printable(&op.path_template(), usize::MAX));
        collected.surface.push(format!("{full_path}\t{method}\t{path}\t{signature}"));
        functions.push(emitted.function);
        cases.extend(emitted.cases);
    }
    let krate = options.crate_name.replace('-', "_");
    collected.tests.push(roundtrip::ModuleTest {
        rust_path: rust_path.clone(),
        feature: feature.clone(),
        checks: roundtrip::checks(&cases, &space, &krate, &rust_path),
    });
    let children = module.children.iter().map(|child| {
        let name = format_ident!("{}", child.path.last().map(String::as_str).unwrap_or_default());
        let docs = docs::doc_attrs(&crate::docs::inline_text(&child.module.name));
        let cfg = (module.path.is_empty()).then(|| {
            let feature = crate_files::feature_name(child);
            quote! { #[cfg(feature = #feature)] }
        });
        quote! { #cfg #docs pub mod #name; }
    });
    let structs = types::structs(&space);
    let extra_structs = types::extras(&extras);
    let declared_enums = module.path.is_empty().then(|| enums::enums(&options.overrides));
    // Moved, not interpolated: `quote!` would copy every token of every function once more.
    let mut body: TokenStream = children.collect();
    body.extend(functions);
    body.extend([extra_structs, structs]);
    body.extend(declared_enums);
    if module.path.is_empty() {
        collected.root_body = Some(body);
    } else {
        let docs = module_docs(module);
        let mut file = docs;
        file.extend([body]);
        files.insert(module.file(), render(options, &module.file(), file)?);
    }
    for child in &module.children {
        let feature = feature.clone().or_else(|| Some(crate_files::feature_name(child)));
        emit_module(child, plan, options, files, collected, feature)?;
    }
    Ok(())
}

fn module_docs(module: &ModulePlan<'_>) -> TokenStream {
    let m = module.module;
    let mut text = if m.docs.is_empty() { crate::docs::inline_text(&m.name) } else { m.docs.clone() };
    if text.trim().is_empty() {
        text = format!("Requests of folder `{}`.", module.path.join("::"));
    }
    text.push_str(&format!("\n\nPostman folder: {}", crate::docs::inline_text(&m.item_path.join(" / "))));
    let lines = text.trim().lines().map(|line| {
        let line = docs::doc_line(line);
        quote! { #![doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Formats tokens as a Rust file with the `@generated` header.
pub(crate) fn render(options: &EmitOptions, file: &str, tokens: TokenStream) -> Result<String> {
    let parsed: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::Emit { file: file.to_owned(), message: e.to_string() })?;
    Ok(header(options, &prettyplease::unparse(&parsed)))
}

fn header(options: &EmitOptions, contents: &str) -> String {
    format!(
        "// @generated by postman-codegen from {}. Do not edit by hand: run `cargo xtask codegen`.\n{contents}",
        options.source
    )
}

/// The one-line signature for `surface.txt`: prettyplease's text on one line, without the
/// spaces and trailing commas it adds where it breaks a long signature or type over lines
/// (`Vec<\n    Vec<i64>,\n>`), so the same signature always reads the same.
fn signature_text(tokens: &TokenStream, file: &str) -> Result<String> {
    let parsed: syn::File = syn::parse2(tokens.clone())
        .map_err(|e| Error::Emit { file: file.to_owned(), message: e.to_string() })?;
    let text = prettyplease::unparse(&parsed);
    let text = text.split(" {}").next().unwrap_or(&text);
    Ok(text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(", )", ")")
        .replace("< ", "<")
        .replace(", >", ">")
        .replace(" >", ">"))
}
