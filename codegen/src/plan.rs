//! Stage 4 (`names` applied to the IR): every module, function, path-parameter type and shared
//! auth gets its Rust name here, once, deterministically. The emitter only reads these names.

use std::collections::BTreeMap;

use crate::ir::{Api, Module};
use crate::lock::{Entry, Lock};
use crate::names::{assign_unique, ident, Case};

/// Root-level names folders must not take: modules the generated crate defines itself; `lib`,
/// `main` and `bin`, whose files (`src/lib.rs`, `src/main.rs`, `src/bin/`) Cargo reads as the
/// crate root and binary targets; and `default`, because each top-level module is also a Cargo
/// feature of the same name and `default` is Cargo's own.
pub const RESERVED_MODULES: &[&str] =
    &["runtime", "ids", "auth", "environment", "tests", "postman_examples", "lib", "main", "bin", "default", "paginate"];

/// The names of one module and everything in it.
#[derive(Debug)]
pub struct ModulePlan<'a> {
    /// The IR module.
    pub module: &'a Module,
    /// Module identifiers from the crate root (empty for the root).
    pub path: Vec<String>,
    /// Function identifier per operation, in operation order.
    pub functions: Vec<String>,
    /// Sub-modules, in IR order.
    pub children: Vec<ModulePlan<'a>>,
}

impl ModulePlan<'_> {
    /// `v3::chats`
    pub fn rust_path(&self) -> String {
        self.path.join("::")
    }

    /// The file that holds this module, relative to the crate root.
    pub fn file(&self) -> String {
        if self.path.is_empty() {
            "src/lib.rs".to_owned()
        } else if self.children.is_empty() {
            format!("src/{}.rs", self.path.join("/"))
        } else {
            format!("src/{}/mod.rs", self.path.join("/"))
        }
    }
}

/// Names for the whole crate.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The module tree.
    pub root: ModulePlan<'a>,
    /// Path-parameter newtype name → the raw parameter names it stands for.
    pub ids: BTreeMap<String, Vec<String>>,
    /// Const name per shared auth (same order as `Api::shared_auth`).
    pub shared_auth: Vec<String>,
    /// Environment enum variant per environment.
    pub environments: Vec<String>,
}

impl Plan<'_> {
    /// The newtype for a raw path-parameter name.
    pub fn id_type(name: &str) -> String {
        ident(name, Case::UpperCamel)
    }
}

/// Names everything in `api`, keeping the names `lock` gives to items it knows.
pub fn plan<'a>(api: &'a Api, lock: &Lock) -> Plan<'a> {
    let root = plan_module(&api.root, Vec::new(), lock);
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    collect_ids(&api.root, &mut ids);
    let auth_keys: Vec<(String, String)> = api
        .shared_auth
        .iter()
        .map(|a| {
            let base = if a.item_path.is_empty() {
                "COLLECTION".to_owned()
            } else {
                ident(&a.item_path.join(" "), Case::ScreamingSnake)
            };
            (a.item_path.join("/"), base)
        })
        .collect();
    let shared_auth = assign_unique(&auth_keys, Case::ScreamingSnake, &[]);
    Plan { root, ids, shared_auth, environments: environment_variants(api) }
}

fn plan_module<'a>(module: &'a Module, path: Vec<String>, lock: &Lock) -> ModulePlan<'a> {
    let reserved: &[&str] = if path.is_empty() { RESERVED_MODULES } else { &[] };
    let child_keys: Vec<(String, String)> =
        module.modules.iter().map(|m| (m.key.clone(), ident(&m.name, Case::Snake))).collect();
    let child_names = names_with_lock(&child_keys, &lock.modules, reserved);
    let fn_keys: Vec<(String, String)> =
        module.operations.iter().map(|o| (o.key.clone(), ident(&o.name, Case::Snake))).collect();
    let functions = names_with_lock(&fn_keys, &lock.functions, &[]);
    let children = module
        .modules
        .iter()
        .zip(child_names)
        .map(|(child, name)| {
            let mut child_path = path.clone();
            child_path.push(name);
            plan_module(child, child_path, lock)
        })
        .collect();
    ModulePlan { module, path, functions, children }
}

/// Unique snake-case names for sibling items: a locked name is kept when it is still a valid,
/// unreserved identifier that no earlier sibling kept; the others are assigned around them.
fn names_with_lock(items: &[(String, String)], locked: &BTreeMap<String, Entry>, reserved: &[&str]) -> Vec<String> {
    let mut kept: Vec<Option<String>> = vec![None; items.len()];
    let mut taken: Vec<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    for (i, (key, _)) in items.iter().enumerate() {
        if let Some(Entry { name, .. }) = locked.get(key) {
            if ident(name, Case::Snake) == *name && !taken.contains(name) {
                taken.push(name.clone());
                kept[i] = Some(name.clone());
            }
        }
    }
    let fresh: Vec<(String, String)> =
        items.iter().zip(&kept).filter(|(_, k)| k.is_none()).map(|(item, _)| item.clone()).collect();
    let taken_refs: Vec<&str> = taken.iter().map(String::as_str).collect();
    let mut assigned = assign_unique(&fresh, Case::Snake, &taken_refs).into_iter();
    kept.into_iter().map(|k| k.or_else(|| assigned.next()).unwrap_or_default()).collect()
}

impl Plan<'_> {
    /// The lock that records this plan's names.
    pub fn lock(&self) -> Lock {
        let mut lock = Lock::default();
        fill_lock(&self.root, &mut lock);
        lock
    }
}

fn fill_lock(module: &ModulePlan<'_>, lock: &mut Lock) {
    for (op, name) in module.module.operations.iter().zip(&module.functions) {
        lock.functions.insert(op.key.clone(), Entry { name: name.clone(), item: op.item_path.join(" / ") });
    }
    for child in &module.children {
        if let Some(name) = child.path.last() {
            lock.modules
                .insert(child.module.key.clone(), Entry { name: name.clone(), item: child.module.item_path.join(" / ") });
        }
        fill_lock(child, lock);
    }
}

fn collect_ids(module: &Module, ids: &mut BTreeMap<String, Vec<String>>) {
    for op in &module.operations {
        for param in &op.path_params {
            let names = ids.entry(Plan::id_type(&param.name)).or_default();
            if !names.contains(&param.name) {
                names.push(param.name.clone());
                names.sort();
            }
        }
    }
    for child in &module.modules {
        collect_ids(child, ids);
    }
}

/// Variant names for the environments: the words all environment names share are dropped, so
/// "Zoho Cliq (US)" / "Zoho Cliq (EU)" become `Us` / `Eu`.
fn environment_variants(api: &Api) -> Vec<String> {
    let words: Vec<Vec<String>> = api
        .environments
        .iter()
        .map(|e| {
            e.name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let distinct: Vec<String> = if words.len() > 1 {
        words
            .iter()
            .map(|w| {
                let kept: Vec<&str> = w
                    .iter()
                    .filter(|word| !words.iter().all(|other| other.contains(word)))
                    .map(String::as_str)
                    .collect();
                if kept.is_empty() { w.join(" ") } else { kept.join(" ") }
            })
            .collect()
    } else {
        words.iter().map(|w| w.join(" ")).collect()
    };
    let keyed: Vec<(String, String)> = distinct
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("{i:08}"), ident(d, Case::Variant)))
        .collect();
    assign_unique(&keyed, Case::Variant, &[])
}
