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
    // `pub type A = B;` of a struct `B` of the same module (a request whose type has the
    // structure of an earlier request's): `A` offers what `B` does.
    let mut aliases: Vec<(String, String, String)> = Vec::new();
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
                syn::Item::Type(t) if matches!(t.vis, syn::Visibility::Public(_)) => {
                    if let syn::Type::Path(target) = &*t.ty {
                        if let Some(target) = target.path.get_ident().filter(|_| target.qself.is_none()) {
                            let alias = join(&module, &t.ident.to_string());
                            aliases.push((alias, join(&module, &target.to_string()), docs_of(&t.attrs)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (alias, target, docs) in aliases {
        if let Some(target) = surface.structs.get(&target) {
            let fields = target.fields.clone();
            surface.structs.insert(alias, Struct { fields, docs });
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

/// The Rust paths that changed under the same Postman id, from the two crates' `names.lock`.
#[derive(Debug, Default)]
struct Renames {
    /// Old function path → (new path, Postman item path).
    functions: BTreeMap<String, (String, String)>,
    /// Old module path → new module path.
    modules: BTreeMap<String, String>,
}

fn lock_of(files: &Files) -> Option<crate::lock::Lock> {
    crate::lock::Lock::parse(files.get(crate::lock::FILE)?, crate::lock::FILE).ok()
}

fn renames(old: &Files, new: &Files, old_surface: &Surface, new_surface: &Surface) -> Renames {
    let mut out = Renames::default();
    // Locks written before module paths were recorded cannot say where an item was: no renames.
    let (Some(old_lock), Some(new_lock)) = (lock_of(old), lock_of(new)) else { return out };
    for (key, before) in &old_lock.functions {
        let Some(after) = new_lock.functions.get(key) else { continue };
        let (Some(from), Some(to)) = (before.rust_path(), after.rust_path()) else { continue };
        if from != to && old_surface.functions.contains_key(&from) && new_surface.functions.contains_key(&to) {
            out.functions.insert(from, (to, after.item.clone()));
        }
    }
    for (key, before) in &old_lock.modules {
        let Some(after) = new_lock.modules.get(key) else { continue };
        let (Some(from), Some(to)) = (before.rust_path(), after.rust_path()) else { continue };
        if from != to && old_surface.modules.contains(&from) && new_surface.modules.contains(&to) {
            out.modules.insert(from, to);
        }
    }
    out
}

fn split_path(path: &str) -> (&str, &str) {
    path.rsplit_once("::").unwrap_or(("", path))
}

/// The classified changes between two generated crates' files (`src/**/*.rs` and
/// `names.lock`). An item whose Rust path changed under the same Postman id (the locks say so)
/// is reported once as renamed (breaking: callers must change the path), and the rest of its
/// changes are reported under its new path, instead of a removal plus an addition. Types named
/// after a renamed function (`OktaListUsersQuery` → `ListEveryUserQuery`) count as renamed with it.
pub fn diff_files(old: &Files, new: &Files) -> Vec<Change> {
    let (old_surface, new_surface) = (read(old), read(new));
    let renames = renames(old, new, &old_surface, &new_surface);
    if renames.functions.is_empty() && renames.modules.is_empty() {
        return diff(&old_surface, &new_surface);
    }
    let mut renamed_types: BTreeMap<String, String> = BTreeMap::new();
    let mut moved = old_surface.clone();
    moved.modules = old_surface.modules.iter().map(|m| renames.modules.get(m).cloned().unwrap_or_else(|| m.clone())).collect();
    moved.functions = old_surface
        .functions
        .iter()
        .map(|(path, f)| (renames.functions.get(path).map(|(to, _)| to.clone()).unwrap_or_else(|| path.clone()), f.clone()))
        .collect();
    // Where a type of the old crate went: into its renamed module, or renamed with its function.
    let type_target = |path: &str, exists: &dyn Fn(&str) -> bool| -> Option<String> {
        if exists(path) {
            return None;
        }
        let (module, name) = split_path(path);
        let mut candidates = Vec::new();
        if let Some(to) = renames.modules.get(module) {
            candidates.push(format!("{to}::{name}"));
        }
        for (from, (to, _)) in &renames.functions {
            let ((from_module, from_fn), (to_module, to_fn)) = (split_path(from), split_path(to));
            let (from_type, to_type) = (crate::names::ident(from_fn, crate::names::Case::UpperCamel), crate::names::ident(to_fn, crate::names::Case::UpperCamel));
            if module == from_module {
                if let Some(rest) = name.strip_prefix(&from_type) {
                    let target = format!("{to_type}{rest}");
                    candidates.push(if to_module.is_empty() { target } else { format!("{to_module}::{target}") });
                }
            }
        }
        candidates.into_iter().find(|c| exists(c))
    };
    let new_has_struct = |p: &str| new_surface.structs.contains_key(p) && !old_surface.structs.contains_key(p);
    moved.structs = BTreeMap::new();
    for (path, s) in &old_surface.structs {
        let target = type_target(path, &|p: &str| if p == path { new_surface.structs.contains_key(p) } else { new_has_struct(p) });
        if let Some(to) = &target {
            renamed_types.insert(path.clone(), to.clone());
        }
        moved.structs.insert(target.unwrap_or_else(|| path.clone()), s.clone());
    }
    let new_has_enum = |p: &str| new_surface.enums.contains_key(p) && !old_surface.enums.contains_key(p);
    moved.enums = BTreeMap::new();
    for (path, e) in &old_surface.enums {
        let target = type_target(path, &|p: &str| if p == path { new_surface.enums.contains_key(p) } else { new_has_enum(p) });
        if let Some(to) = &target {
            renamed_types.insert(path.clone(), to.clone());
        }
        moved.enums.insert(target.unwrap_or_else(|| path.clone()), e.clone());
    }
    // References to renamed types (field, parameter and return types) read as the new names.
    let names: BTreeMap<String, String> = renamed_types
        .iter()
        .map(|(from, to)| (split_path(from).1.to_owned(), split_path(to).1.to_owned()))
        .filter(|(from, to)| from != to)
        .collect();
    if !names.is_empty() {
        for f in moved.functions.values_mut() {
            for (_, ty) in &mut f.params {
                *ty = rename_idents(ty, &names);
            }
            f.output = rename_idents(&f.output, &names);
        }
        for s in moved.structs.values_mut() {
            for ty in s.fields.values_mut() {
                *ty = rename_idents(ty, &names);
            }
        }
    }
    let mut changes = diff(&moved, &new_surface);
    for (from, (to, item)) in &renames.functions {
        changes.push(Change { kind: Kind::Breaking, item: from.clone(), what: format!("renamed to `{to}`"), postman: item.clone() });
    }
    for (from, to) in &renames.modules {
        changes.push(Change { kind: Kind::Breaking, item: from.clone(), what: format!("module renamed to `{to}`"), postman: String::new() });
    }
    for (from, to) in &renamed_types {
        changes.push(Change { kind: Kind::Breaking, item: from.clone(), what: format!("type renamed to `{to}`"), postman: String::new() });
    }
    changes.sort();
    changes.dedup();
    changes
}

/// `text` (a type as tokens) with every identifier that `names` maps replaced, whole words only.
fn rename_idents(text: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(names.get(word.as_str()).map(String::as_str).unwrap_or(word));
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Reads the files of a generated crate directory that carry its surface (`src/**/*.rs`) and
/// its `names.lock` (which says which items are the same Postman item).
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
    match std::fs::read_to_string(dir.join(crate::lock::FILE)) {
        Ok(text) => {
            files.insert(crate::lock::FILE.to_owned(), text);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(crate::Error::Io { path: dir.join(crate::lock::FILE), source }),
    }
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

    /// A struct that becomes an alias of a struct of the same fields (its request now has the
    /// structure of an earlier one) offers the same surface; an alias of another shape does not.
    #[test]
    fn an_alias_of_a_struct_of_the_same_fields_is_no_change() {
        let old = read(&files("pub struct A { pub x: i64 }\npub struct B { pub x: i64 }\npub struct C { pub y: i64 }"));
        let new = read(&files("pub struct A { pub x: i64 }\npub type B = A;\npub type C = A;"));
        assert_eq!(
            render_text("x", &diff(&old, &new)),
            "x: 2 breaking, 0 additive, 0 docs\n\
             \x20 breaking  C: field `y` removed\n\
             \x20 breaking  C: new required field `x`\n"
        );
    }
}
