//! The API surface of a generated crate, read back from its files with `syn`, and the
//! classified difference between two surfaces (`postman-codegen diff`).
//!
//! Reading the emitted code (instead of the IR) means the diff works on any two generated
//! crates, including ones checked in by an older version of the generator.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use quote::ToTokens;

use crate::emit::Files;

/// A public function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// `(name, type)` of each parameter.
    pub params: Vec<(String, String)>,
    /// Return type.
    pub output: String,
    /// Doc text.
    pub docs: String,
    /// The Postman item path named in the docs.
    pub item: String,
}

/// A public struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Struct {
    /// Field name → type.
    pub fields: BTreeMap<String, String>,
    /// Doc text (struct and fields).
    pub docs: String,
}

/// Everything public a crate offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Module paths.
    pub modules: BTreeSet<String>,
    /// Full path → function.
    pub functions: BTreeMap<String, Function>,
    /// Full path → struct.
    pub structs: BTreeMap<String, Struct>,
    /// Full path → enum variants.
    pub enums: BTreeMap<String, BTreeSet<String>>,
}

fn tokens(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string().replace(' ', "")
}

fn docs_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn module_of(file: &str) -> Option<String> {
    let path = file.strip_prefix("src/")?.strip_suffix(".rs")?;
    if path.starts_with("runtime/") || path == "postman_examples" || path == "ids" || path == "auth" || path == "paginate" {
        return None;
    }
    let path = path.strip_suffix("/mod").unwrap_or(path);
    Some(if path == "lib" { String::new() } else { path.replace('/', "::") })
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() { name.to_owned() } else { format!("{module}::{name}") }
}

/// Reads the surface of a generated crate's files.
pub fn read(files: &Files) -> Surface {
    let mut surface = Surface::default();
    for (file, text) in files {
        let Some(module) = module_of(file) else { continue };
        let Ok(parsed) = syn::parse_file(text) else { continue };
        if !module.is_empty() {
            surface.modules.insert(module.clone());
        }
        for item in parsed.items {
            match item {
                syn::Item::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => {
                    let docs = docs_of(&f.attrs);
                    let item = docs
                        .lines()
                        .find_map(|l| l.trim().strip_prefix("Postman item: "))
                        .unwrap_or("")
                        .to_owned();
                    let params = f
                        .sig
                        .inputs
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::FnArg::Typed(pt) => Some((tokens(&pt.pat), tokens(&pt.ty))),
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    let output = tokens(&f.sig.output);
                    surface.functions.insert(join(&module, &f.sig.ident.to_string()), Function { params, output, docs, item });
                }
                syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                    let mut docs = docs_of(&s.attrs);
                    let mut fields = BTreeMap::new();
                    for (i, field) in s.fields.iter().enumerate() {
                        let name = field.ident.as_ref().map(|i| i.to_string()).unwrap_or_else(|| i.to_string());
                        docs.push_str(&docs_of(&field.attrs));
                        fields.insert(name, tokens(&field.ty));
                    }
                    surface.structs.insert(join(&module, &s.ident.to_string()), Struct { fields, docs });
                }
                syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
                    let variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
                    surface.enums.insert(join(&module, &e.ident.to_string()), variants);
                }
                _ => {}
            }
        }
    }
    surface
}

/// How a change affects callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Callers may stop compiling or behave differently.
    Breaking,
    /// New things; existing callers are unaffected.
    Additive,
    /// Only documentation changed.
    Docs,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
            Kind::Docs => "docs",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Its class.
    pub kind: Kind,
    /// The Rust item.
    pub item: String,
    /// What changed.
    pub what: String,
    /// The Postman item path, when known.
    pub postman: String,
}

fn is_optional(ty: &str) -> bool {
    ty.starts_with("Option<") || ty.starts_with("::std::option::Option<")
}

/// The classified changes from `old` to `new`, sorted (breaking first).
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |kind, item: &str, what: String, postman: &str| {
        out.push(Change { kind, item: item.to_owned(), what, postman: postman.to_owned() })
    };
    for module in new.modules.difference(&old.modules) {
        push(Kind::Additive, module, "new module".into(), "");
    }
    for module in old.modules.difference(&new.modules) {
        push(Kind::Breaking, module, "module removed".into(), "");
    }
    for (path, f) in &old.functions {
        match new.functions.get(path) {
            None => push(Kind::Breaking, path, "function removed or renamed".into(), &f.item),
            Some(g) => {
                for (name, ty) in &g.params {
                    match f.params.iter().find(|(n, _)| n == name) {
                        None => push(Kind::Breaking, path, format!("parameter `{name}` added"), &g.item),
                        Some((_, old_ty)) if old_ty != ty => {
                            push(Kind::Breaking, path, format!("parameter `{name}` type changed from `{old_ty}` to `{ty}`"), &g.item)
                        }
                        _ => {}
                    }
                }
                for (name, _) in &f.params {
                    if !g.params.iter().any(|(n, _)| n == name) {
                        push(Kind::Breaking, path, format!("parameter `{name}` removed"), &g.item);
                    }
                }
                if f.output != g.output {
                    push(Kind::Breaking, path, format!("return type changed from `{}` to `{}`", f.output, g.output), &g.item);
                }
                if f.params == g.params && f.output == g.output && f.docs != g.docs {
                    push(Kind::Docs, path, "documentation changed".into(), &g.item);
                }
            }
        }
    }
    for (path, g) in &new.functions {
        if !old.functions.contains_key(path) {
            push(Kind::Additive, path, "new function".into(), &g.item);
        }
    }
    for (path, s) in &old.structs {
        match new.structs.get(path) {
            None => push(Kind::Breaking, path, "type removed or renamed".into(), ""),
            Some(t) => {
                for (field, ty) in &s.fields {
                    match t.fields.get(field) {
                        None => push(Kind::Breaking, path, format!("field `{field}` removed"), ""),
                        Some(new_ty) if new_ty != ty => {
                            let what = if is_optional(ty) && !is_optional(new_ty) {
                                format!("field `{field}` is now required")
                            } else {
                                format!("field `{field}` type changed from `{ty}` to `{new_ty}`")
                            };
                            push(Kind::Breaking, path, what, "")
                        }
                        _ => {}
                    }
                }
                for (field, ty) in &t.fields {
                    if !s.fields.contains_key(field) {
                        if is_optional(ty) {
                            push(Kind::Additive, path, format!("new optional field `{field}`"), "");
                        } else {
                            push(Kind::Breaking, path, format!("new required field `{field}`"), "");
                        }
                    }
                }
                if s.fields == t.fields && s.docs != t.docs {
                    push(Kind::Docs, path, "documentation changed".into(), "");
                }
            }
        }
    }
    for path in new.structs.keys() {
        if !old.structs.contains_key(path) {
            push(Kind::Additive, path, "new type".into(), "");
        }
    }
    for (path, old_variants) in &old.enums {
        if let Some(new_variants) = new.enums.get(path) {
            for v in old_variants.difference(new_variants) {
                push(Kind::Breaking, path, format!("variant `{v}` removed"), "");
            }
            for v in new_variants.difference(old_variants) {
                push(Kind::Additive, path, format!("new variant `{v}`"), "");
            }
        } else {
            push(Kind::Breaking, path, "enum removed".into(), "");
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Reads the files of a generated crate directory that carry its surface (`src/**/*.rs`).
pub fn read_dir(dir: &std::path::Path) -> crate::Result<Files> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, files: &mut Files) -> crate::Result<()> {
        let io = |source| crate::Error::Io { path: dir.to_owned(), source };
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_dir() {
                walk(root, &path, files)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| crate::Error::Io { path: path.clone(), source })?;
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let key = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                files.insert(key, text);
            }
        }
        Ok(())
    }
    let mut files = Files::new();
    let src = dir.join("src");
    if !src.is_dir() {
        return Err(crate::Error::Config(format!("{}: not a generated crate (no src/ directory)", dir.display())));
    }
    walk(dir, &src, &mut files)?;
    Ok(files)
}

/// `name: N breaking, N additive, N docs` and one line per change.
pub fn render_text(name: &str, changes: &[Change]) -> String {
    let count = |k| changes.iter().filter(|c| c.kind == k).count();
    let mut out = format!(
        "{name}: {} breaking, {} additive, {} docs\n",
        count(Kind::Breaking),
        count(Kind::Additive),
        count(Kind::Docs)
    );
    for c in changes {
        let postman = if c.postman.is_empty() { String::new() } else { format!("   ({})", c.postman) };
        let _ = writeln!(out, "  {:<9} {}: {}{postman}", c.kind.label(), c.item, c.what);
    }
    out
}

/// A Markdown table for a pull request.
pub fn render_markdown(name: &str, changes: &[Change]) -> String {
    let mut out = format!("### API changes in `{name}`\n\n");
    if changes.is_empty() {
        out.push_str("No changes to the API surface.\n");
        return out;
    }
    out.push_str("| kind | Rust item | change | Postman item |\n|---|---|---|---|\n");
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    for c in changes {
        let _ = writeln!(out, "| {} | `{}` | {} | {} |", c.kind.label(), cell(&c.item), cell(&c.what), cell(&c.postman));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(lib: &str) -> Files {
        let mut f = Files::new();
        f.insert("src/lib.rs".into(), lib.into());
        f
    }

    #[test]
    fn classifies_changes() {
        let old = read(&files(
            "/// Postman item: A / Get\npub async fn get(client: &Client) -> Result<(), Error> {}\n\
             pub async fn gone() {}\npub struct Body { pub a: String, pub b: Option<String> }",
        ));
        let new = read(&files(
            "/// Postman item: A / Get\npub async fn get(client: &Client, query: &Q) -> Result<(), Error> {}\n\
             pub async fn added() {}\npub struct Body { pub a: String, pub c: Option<i64>, pub d: i64 }",
        ));
        let text = render_text("x", &diff(&old, &new));
        assert_eq!(
            text,
            "x: 4 breaking, 2 additive, 0 docs\n\
             \x20 breaking  Body: field `b` removed\n\
             \x20 breaking  Body: new required field `d`\n\
             \x20 breaking  get: parameter `query` added   (A / Get)\n\
             \x20 breaking  gone: function removed or renamed\n\
             \x20 additive  Body: new optional field `c`\n\
             \x20 additive  added: new function\n"
        );
    }
}
