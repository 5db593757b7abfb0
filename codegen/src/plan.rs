//! Stage 4 (`names` applied to the IR): every module, function, path-parameter type and shared
//! auth gets its Rust name here, once, deterministically. The emitter only reads these names.

use std::collections::BTreeMap;

use crate::ir::{Api, Module, Operation};
use crate::lock::{Entry, Lock};
use crate::names::{assign_unique, ident, Case};

/// Root-level names folders must not take: modules the generated crate defines itself; `lib`,
/// `main` and `bin`, whose files (`src/lib.rs`, `src/main.rs`, `src/bin/`) Cargo reads as the
/// crate root and binary targets; and `default`, because each top-level module is also a Cargo
/// feature of the same name and `default` is Cargo's own.
pub const RESERVED_MODULES: &[&str] =
    &["runtime", "ids", "auth", "environment", "tests", "postman_examples", "lib", "main", "bin", "default", "paginate",
      // Cargo features of the signing auth kinds (`crate::signing`): a module must not take their names.
      "asap", "awsv4", "digest", "edgegrid", "hawk", "jwt", "ntlm", "oauth1"];

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
    let here = Some(module.rust_path());
    for (op, name) in module.module.operations.iter().zip(&module.functions) {
        let entry = Entry { name: name.clone(), item: op.item_path.join(" / "), module: here.clone() };
        lock.functions.insert(op.key.clone(), entry);
    }
    for child in &module.children {
        if let Some(name) = child.path.last() {
            let entry = Entry { name: name.clone(), item: child.module.item_path.join(" / "), module: here.clone() };
            lock.modules.insert(child.module.key.clone(), entry);
        }
        fill_lock(child, lock);
    }
}

/// Key prefix of a module the lock needs that no folder, present or recorded, stands for (a
/// hand-edited lock): a control character, so no item path or Postman id that matters is one.
const KEPT_MODULE_KEY: &str = "\u{1}module ";

/// Rebuilds the module tree so every item the lock records a module for sits in that Rust module,
/// wherever its Postman folder now is: a request or folder moved in Postman keeps its Rust path
/// until `--rename`. Items the lock does not place (new ones, or every item of a lock written
/// before module paths were recorded) sit in the module of their Postman folder, so new folders
/// get new modules. A module the lock still places something in stays even when its folder is
/// gone; one it places nothing in and no folder stands for is left out.
///
/// A lock edited into a cycle (a folder placed inside itself) cannot loop: an item whose place
/// is still being decided when it is needed as a parent goes to the crate root instead.
pub fn place(mut api: Api, lock: &Lock) -> Api {
    let records_modules = lock.modules.values().chain(lock.functions.values()).any(|e| e.module.is_some());
    if !records_modules {
        return api;
    }
    let root = std::mem::take(&mut api.root);
    let mut placer = Placer::new(root, lock);
    for node in 1..placer.nodes.len() {
        placer.resolve(node);
    }
    let ops = std::mem::take(&mut placer.ops);
    let mut ops_at: Vec<Vec<Operation>> = Vec::new();
    let mut placed = Vec::new();
    for (op, folder) in ops {
        let node = match lock.functions.get(&op.key).and_then(|e| valid_module_path(e.module.as_deref()?)) {
            Some(path) => {
                let node = placer.node_at(&path);
                if placer.resolve(node) { node } else { folder }
            }
            None => folder,
        };
        placed.push((op, node));
    }
    // Nodes made for the operations' paths need their parents too.
    for node in 1..placer.nodes.len() {
        placer.resolve(node);
    }
    ops_at.resize_with(placer.nodes.len(), Vec::new);
    for (op, node) in placed {
        ops_at[node].push(op);
    }
    for ops in &mut ops_at {
        ops.sort_by_key(|op| op.order);
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); placer.nodes.len()];
    for node in 1..placer.nodes.len() {
        children[placer.parent[node].unwrap_or(0)].push(node);
    }
    let mut shells: Vec<Option<Module>> = placer.nodes.into_iter().map(|n| Some(n.shell)).collect();
    let kept = placer.kept;
    api.root = build(0, &mut shells, &mut ops_at, &children, &kept).unwrap_or_default();
    api
}

/// A module of the placed tree: a folder (or the root), or one only the lock still needs.
struct Node {
    shell: Module,
    /// Where the lock puts it (a module path), if it does.
    locked_in: Option<String>,
    /// Its Postman parent (folders only).
    postman_parent: usize,
}

struct Placer<'l> {
    lock: &'l Lock,
    nodes: Vec<Node>,
    parent: Vec<Option<usize>>,
    deciding: Vec<bool>,
    /// Module path → the node the lock gives that path.
    by_path: BTreeMap<String, usize>,
    /// Nodes only the lock needs (no folder stands for them).
    kept: Vec<bool>,
    /// Every operation with its Postman folder's node.
    ops: Vec<(Operation, usize)>,
    /// The keys of the collection's folders.
    present: std::collections::BTreeSet<String>,
}

impl<'l> Placer<'l> {
    fn new(mut root: Module, lock: &'l Lock) -> Self {
        let folders = std::mem::take(&mut root.modules);
        let root_ops = std::mem::take(&mut root.operations);
        let mut placer = Placer {
            lock,
            nodes: vec![Node { shell: root, locked_in: None, postman_parent: 0 }],
            parent: vec![Some(0)],
            deciding: vec![false],
            by_path: BTreeMap::new(),
            kept: vec![false],
            ops: root_ops.into_iter().map(|op| (op, 0)).collect(),
            present: std::collections::BTreeSet::new(),
        };
        for folder in folders {
            placer.add_folder(folder, 0);
        }
        placer
    }

    /// Adds a folder and everything under it, depth first (so node order is collection order).
    fn add_folder(&mut self, mut folder: Module, postman_parent: usize) {
        let node = self.nodes.len();
        self.present.insert(folder.key.clone());
        let entry = self.lock.modules.get(&folder.key);
        let locked_in = entry.and_then(|e| valid_module_path(e.module.as_deref()?));
        if let Some(path) = entry.and_then(Entry::rust_path).filter(|_| locked_in.is_some()) {
            self.by_path.entry(path).or_insert(node);
        }
        let subfolders = std::mem::take(&mut folder.modules);
        let ops = std::mem::take(&mut folder.operations);
        self.nodes.push(Node { shell: folder, locked_in, postman_parent });
        self.parent.push(None);
        self.deciding.push(false);
        self.kept.push(false);
        self.ops.extend(ops.into_iter().map(|op| (op, node)));
        for sub in subfolders {
            self.add_folder(sub, node);
        }
    }

    /// The node the lock gives module path `path`, made when no folder stands for it.
    fn node_at(&mut self, path: &str) -> usize {
        if path.is_empty() {
            return 0;
        }
        if let Some(&node) = self.by_path.get(path) {
            return node;
        }
        let (parent_path, name) = path.rsplit_once("::").unwrap_or(("", path));
        // A removed folder's own entry, when the lock still has it: its key and item path.
        let recorded = self
            .lock
            .modules
            .iter()
            .find(|(key, e)| e.rust_path().as_deref() == Some(path) && !self.present.contains(*key));
        let (key, item) = match recorded {
            Some((key, entry)) => (key.clone(), entry.item.clone()),
            None => (format!("{KEPT_MODULE_KEY}{path}"), String::new()),
        };
        let folder_name = item.rsplit(" / ").next().filter(|n| !n.is_empty()).unwrap_or(name).to_owned();
        let shell = Module {
            name: folder_name,
            key,
            item_path: if item.is_empty() { Vec::new() } else { vec![item] },
            docs: format!(
                "Requests `names.lock` keeps at `{path}`: their Postman folder moved or is gone. \
                 Regenerate with `--rename` to move them to their folders' modules."
            ),
            ..Module::default()
        };
        let node = self.nodes.len();
        self.nodes.push(Node { shell, locked_in: Some(parent_path.to_owned()), postman_parent: 0 });
        self.parent.push(None);
        self.deciding.push(false);
        self.kept.push(true);
        self.by_path.insert(path.to_owned(), node);
        node
    }

    /// Decides `node`'s parent; false when it is being decided already (a cycle).
    fn resolve(&mut self, node: usize) -> bool {
        if self.parent[node].is_some() {
            return true;
        }
        if self.deciding[node] {
            return false;
        }
        self.deciding[node] = true;
        let wanted = match self.nodes[node].locked_in.clone() {
            Some(path) => self.node_at(&path),
            None => self.nodes[node].postman_parent,
        };
        let parent = if wanted != node && self.resolve(wanted) { wanted } else { 0 };
        self.parent[node] = Some(parent);
        true
    }
}

/// The placed module `node` with its operations and sub-modules; `None` for a module only the
/// lock needed that ends up empty.
fn build(
    node: usize,
    shells: &mut [Option<Module>],
    ops: &mut [Vec<Operation>],
    children: &[Vec<usize>],
    kept: &[bool],
) -> Option<Module> {
    let mut module = shells[node].take()?;
    module.operations = std::mem::take(&mut ops[node]);
    module.modules = children[node].iter().filter_map(|&child| build(child, shells, ops, children, kept)).collect();
    if kept[node] && module.operations.is_empty() && module.modules.is_empty() {
        return None;
    }
    Some(module)
}

/// A recorded module path the plan can give: snake-case identifiers, the first not one the
/// crate root reserves. Anything else (a hand edit) is ignored.
fn valid_module_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some(String::new());
    }
    let segments: Vec<&str> = path.split("::").collect();
    let valid = segments.iter().all(|s| !s.is_empty() && ident(s, Case::Snake) == *s)
        && !RESERVED_MODULES.contains(&segments[0]);
    valid.then(|| path.to_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(key: &str, modules: Vec<Module>, ops: &[&str]) -> Module {
        let operations = ops
            .iter()
            .enumerate()
            .map(|(order, k)| Operation { name: (*k).to_owned(), key: (*k).to_owned(), order, ..Operation::default() })
            .collect();
        Module { name: key.to_owned(), key: key.to_owned(), item_path: vec![key.to_owned()], modules, operations, ..Module::default() }
    }

    fn entry(name: &str, module: &str) -> Entry {
        Entry { name: name.to_owned(), item: String::new(), module: Some(module.to_owned()) }
    }

    /// Every function's Rust path, sorted.
    fn paths(api: &Api, lock: &Lock) -> Vec<String> {
        let mut out = Vec::new();
        let planned = plan(api, lock).lock();
        for (key, e) in &planned.functions {
            out.push(format!("{key}={}", e.rust_path().unwrap()));
        }
        out.sort();
        out
    }

    #[test]
    fn a_lock_edited_into_a_cycle_or_with_bad_paths_still_places_everything_once() {
        let api = Api { root: folder("", vec![folder("a", vec![folder("b", vec![], &["op"])], &[])], &["top"]), ..Api::default() };
        let mut lock = Lock::default();
        // `a` inside its own child `b`, `b` inside `a`; `top` in a path that is no identifier.
        lock.modules.insert("a".into(), entry("a", "a::b"));
        lock.modules.insert("b".into(), entry("b", "a"));
        lock.functions.insert("op".into(), entry("op", "a::b"));
        lock.functions.insert("top".into(), entry("top", "Not Valid::x"));
        let placed = place(api, &lock);
        let all = paths(&placed, &lock);
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all.contains(&"top=top".to_owned()), "{all:?}");
    }

    #[test]
    fn a_module_only_the_lock_needs_is_made_under_its_recorded_parents() {
        // `op` was in `v1::old`; both folders are gone.
        let api = Api { root: folder("", vec![folder("new", vec![], &[])], &["op"]), ..Api::default() };
        let mut lock = Lock::default();
        lock.modules.insert("gone".into(), Entry { name: "old".into(), item: "V1 / Old".into(), module: Some("v1".into()) });
        lock.functions.insert("op".into(), entry("op", "v1::old"));
        let placed = place(api, &lock);
        assert_eq!(paths(&placed, &lock), ["op=v1::old::op"]);
        let planned = plan(&placed, &lock).lock();
        assert_eq!(planned.modules["gone"].item, "V1 / Old", "the removed folder's entry is kept");
        assert_eq!(planned.modules["new"].rust_path().as_deref(), Some("new"));
        assert!(planned.modules.keys().any(|k| k.starts_with(KEPT_MODULE_KEY)), "`v1` is kept under a key no item has");
    }
}
