//! Stage 4 (`names` applied to the IR): every module, function, path-parameter type and shared
//! auth gets its Rust name here, once, deterministically. The emitter only reads these names.

use std::collections::BTreeMap;

use crate::ir::{Api, Module};
use crate::names::{assign_unique, ident, Case};

/// Root-level names the generated crate defines itself; folders and ids must not take them.
pub const RESERVED_MODULES: &[&str] = &["runtime", "ids", "auth", "environment", "tests", "postman_examples"];

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

/// Names everything in `api`.
pub fn plan(api: &Api) -> Plan<'_> {
    let root = plan_module(&api.root, Vec::new());
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

fn plan_module(module: &Module, path: Vec<String>) -> ModulePlan<'_> {
    let reserved: &[&str] = if path.is_empty() { RESERVED_MODULES } else { &[] };
    let child_keys: Vec<(String, String)> =
        module.modules.iter().map(|m| (m.key.clone(), ident(&m.name, Case::Snake))).collect();
    let child_names = assign_unique(&child_keys, Case::Snake, reserved);
    let fn_keys: Vec<(String, String)> =
        module.operations.iter().map(|o| (o.key.clone(), ident(&o.name, Case::Snake))).collect();
    let functions = assign_unique(&fn_keys, Case::Snake, &[]);
    let children = module
        .modules
        .iter()
        .zip(child_names)
        .map(|(child, name)| {
            let mut child_path = path.clone();
            child_path.push(name);
            plan_module(child, child_path)
        })
        .collect();
    ModulePlan { module, path, functions, children }
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
        .map(|(i, d)| (format!("{i:08}"), ident(d, Case::UpperCamel)))
        .collect();
    assign_unique(&keyed, Case::UpperCamel, &[])
}
