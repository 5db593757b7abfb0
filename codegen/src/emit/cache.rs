//! The module cache of a warm regeneration. Building a module's tokens (type inference, `quote!`,
//! the `surface.txt` signatures) costs far more than reading the collection, so a module whose
//! *input* is unchanged is not emitted at all: its formatted file is reused (the manifest records
//! the module's key as the file's input hash, and the hash of the text written), and what
//! emitting it gives the other files (its `surface.txt` lines, warnings, whether it pages, the
//! fingerprint of its round-trip checks) comes from a record in [`crate::write::CACHE`].
//!
//! A module's key fingerprints everything [`super::emit_module`] reads for it: its IR (requests,
//! docs, names), its path and function names, its children's names, docs and feature gates, its
//! feature, the shared auth names, every override, the crate name and the `@generated` header,
//! and the generator's version. The names `names.lock` pins for the module's shared types are
//! not in the key (a first generation writes them, and the next must find the same manifest):
//! a record is reused only when the lock pins exactly the types it recorded, which is what the
//! module gives again (regenerating with the lock a generation wrote is a fixed point). Equal keys mean equal output; a record is reused only under its
//! own key, so a stale or foreign cache file only costs time.

use std::collections::BTreeMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

use crate::fingerprint::Fingerprint;
use crate::infer::PinnedType;
use crate::plan::{ModulePlan, Plan};

use super::features::Features;
use super::{Collected, EmitOptions};

/// What emitting one module gave besides its file, under the key of its input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The module's key (see the module docs).
    pub key: String,
    /// Its `surface.txt` lines, in request order.
    pub surface: Vec<String>,
    /// The warnings of its type inference.
    pub warnings: Vec<String>,
    /// Some request of it pages.
    pub paginated: bool,
    /// The fingerprint of its round-trip checks' token text.
    pub checks: String,
    /// Its shared nested types for `names.lock`.
    #[serde(default)]
    pub types: Vec<PinnedType>,
}

/// The cache file's contents: module file → record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    modules: BTreeMap<String, Record>,
}

const HEADER: &str = "# postman-codegen module cache (regenerated on every run; safe to delete) ";

impl Records {
    /// Reads a cache file's text; anything unreadable or altered (its checksum is off) is an
    /// empty cache.
    pub fn parse(text: &str) -> Records {
        let Some((first, json)) = text.split_once('\n') else { return Records::default() };
        if first.strip_prefix(HEADER) != Some(checksum(json).as_str()) {
            return Records::default();
        }
        serde_json::from_str(json).unwrap_or_default()
    }

    /// The cache file's text.
    pub fn render(&self) -> String {
        let json = serde_json::to_string(self).expect("records serialize");
        format!("{HEADER}{}\n{json}", checksum(&json))
    }
}

fn checksum(json: &str) -> String {
    let mut fingerprint = Fingerprint::new("cache");
    json.hash(&mut fingerprint);
    fingerprint.hex()
}

/// One module as this run emitted or reused it, in tree order.
#[derive(Debug)]
pub struct Made {
    file: String,
    rust_path: String,
    feature: Option<String>,
    record: Record,
}

/// The cache's state during one emit.
#[derive(Debug, Default)]
pub struct Run {
    /// The earlier run's records, when they may be reused.
    previous: Records,
    /// What every key starts from: what all modules share (header, crate name, overrides …).
    base: Option<Fingerprint>,
    /// The key of `src/postman_examples.rs`, fed module by module.
    examples: Option<Fingerprint>,
    /// Every module so far, in tree order.
    pub made: Vec<Made>,
    /// Module file → key, the manifest's input hash of the files emitted.
    pub keys: BTreeMap<String, String>,
    /// Files whose text was reused: (path, text, key).
    pub reused: Vec<(String, String, String)>,
    /// How many modules were reused (their round-trip checks were not built).
    pub modules_reused: usize,
}

/// Where a module's emitting started, to record what it added.
pub struct Mark {
    key: String,
    surface: usize,
    warnings: usize,
    paginated: bool,
}

impl Run {
    /// A run that reuses the records of `options.previous` when `reuse` is set.
    pub fn new(plan: &Plan<'_>, options: &EmitOptions, reuse: bool) -> Run {
        let previous = match &options.previous {
            Some(previous) if reuse => Records::parse(previous.cache_text()),
            _ => Records::default(),
        };
        let mut base = Fingerprint::new("module");
        options.generated_header().hash(&mut base);
        options.crate_name.hash(&mut base);
        // Debug text: complete, and overrides are small.
        format!("{:?}", options.overrides).hash(&mut base);
        plan.shared_auth.hash(&mut base);
        let mut examples = base.clone();
        "examples".hash(&mut examples);
        Run { previous, base: Some(base), examples: Some(examples), ..Run::default() }
    }

    /// The module's key; also feeds the examples' key with what they read of it.
    fn key(&mut self, module: &ModulePlan<'_>, features: &Features) -> String {
        let mut key = self.base.clone().unwrap_or_default();
        let examples = self.examples.get_or_insert_with(Fingerprint::default);
        let names = (&module.path, &module.functions, features.of(module));
        names.hash(&mut key);
        names.hash(examples);
        let m = module.module;
        (&m.name, &m.key, &m.item_path, &m.docs, &m.operations).hash(&mut key);
        for op in &m.operations {
            super::examples::hash_request(op, examples);
        }
        for child in &module.children {
            (&child.path, &child.module.name).hash(&mut key);
            features.gate(child).map(|gate| gate.to_string()).hash(&mut key);
        }
        key.hex()
    }

    /// The input of `tests/examples_roundtrip.rs`: every module's path, feature and checks.
    pub fn roundtrip_key(&self) -> String {
        let mut key = self.base.clone().unwrap_or_default();
        "roundtrip".hash(&mut key);
        for made in &self.made {
            (&made.rust_path, &made.feature, &made.record.checks).hash(&mut key);
        }
        key.hex()
    }

    /// The input of `src/postman_examples.rs`: what it reads of every module and request (see
    /// `examples::hash_request`), and the overrides.
    pub fn examples_key(&self) -> String {
        self.examples.clone().unwrap_or_default().hex()
    }

    /// The records of this run, for the next one.
    pub fn records(&self) -> Records {
        let modules = self.made.iter().filter(|m| !m.rust_path.is_empty()).map(|m| (m.file.clone(), m.record.clone()));
        Records { modules: modules.collect() }
    }
}

/// The input hash of a module's file: its key and the shared type names it gave (which the
/// lock may change without changing the key).
fn file_key(key: &str, types: &[PinnedType]) -> String {
    let mut fingerprint = Fingerprint::new("module file");
    (key, types).hash(&mut fingerprint);
    fingerprint.hex()
}

/// Whether `names.lock` pins exactly the shared types `record` gave (see the module docs).
fn pins_match(record: &Record, module: &ModulePlan<'_>, options: &EmitOptions) -> bool {
    let recorded: BTreeMap<String, String> = record.types.iter().map(|p| (p.fingerprint.clone(), p.name.clone())).collect();
    recorded == options.locked_types.types_of(&module.rust_path())
}

impl Collected {
    /// Starts `module`: when its file and record can be reused, adds what it gave and returns
    /// `None` (nothing left to emit for it, its children aside); else returns where it starts.
    /// The crate root is always emitted (`lib.rs` is made of its items and the crate's).
    pub(super) fn start(&mut self, module: &ModulePlan<'_>, features: &Features, options: &EmitOptions) -> Option<Mark> {
        let key = self.cache.key(module, features);
        let file = module.file();
        let previous = self.cache.previous.modules.get(&file);
        let reusable = previous.filter(|r| !module.path.is_empty() && r.key == key && pins_match(r, module, options));
        let reused = reusable.and_then(|record| {
            let file_key = file_key(&key, &record.types);
            let text = options.previous.as_ref()?.reuse(&file, &file_key)?;
            Some((record.clone(), file_key, text))
        });
        if let Some((record, file_key, text)) = reused {
            self.surface.extend(record.surface.iter().cloned());
            self.warnings.extend(record.warnings.iter().cloned());
            self.paginated |= record.paginated;
            self.pin(module, &record.types);
            self.cache.reused.push((file.clone(), text, file_key));
            self.cache.modules_reused += 1;
            self.cache.made.push(Made { file, rust_path: module.rust_path(), feature: features.of(module), record });
            return None;
        }
        let paginated = std::mem::take(&mut self.paginated);
        Some(Mark { key, surface: self.surface.len(), warnings: self.warnings.len(), paginated })
    }

    /// Adds `module`'s shared types to the new `names.lock`.
    fn pin(&mut self, module: &ModulePlan<'_>, types: &[PinnedType]) {
        let rust_path = module.rust_path();
        for pinned in types {
            let entry = crate::lock::Entry { name: pinned.name.clone(), item: pinned.item.clone(), module: Some(rust_path.clone()) };
            self.types.insert(crate::lock::type_key(&rust_path, &pinned.fingerprint), entry);
        }
    }

    /// Records what `module` (emitted since `mark`, its children not yet) gave, its shared
    /// types `types` too.
    pub(super) fn finish(&mut self, module: &ModulePlan<'_>, features: &Features, mark: Mark, types: Vec<PinnedType>) {
        let mut checks = Fingerprint::new("checks");
        for check in self.tests.last().map(|t| t.checks.as_slice()).unwrap_or_default() {
            check.to_string().hash(&mut checks);
        }
        self.pin(module, &types);
        let record = Record {
            key: mark.key,
            surface: self.surface[mark.surface..].to_vec(),
            warnings: self.warnings[mark.warnings..].to_vec(),
            paginated: self.paginated,
            checks: checks.hex(),
            types,
        };
        self.paginated |= mark.paginated;
        let file = module.file();
        if !module.path.is_empty() {
            self.cache.keys.insert(file.clone(), file_key(&record.key, &record.types));
        }
        self.cache.made.push(Made { file, rust_path: module.rust_path(), feature: features.of(module), record });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records() -> Records {
        let record = Record {
            key: "k".into(),
            surface: vec!["a::f\tGET\t/\tpub async fn f()".into()],
            warnings: vec!["warning: x".into()],
            paginated: true,
            checks: "c".into(),
            types: vec![PinnedType { fingerprint: "0123456789abcdef".into(), name: "ChatCreator".into(), item: "{id, name}".into() }],
        };
        Records { modules: BTreeMap::from([("src/a.rs".to_owned(), record)]) }
    }

    #[test]
    fn records_read_back_and_an_altered_file_is_empty() {
        let text = records().render();
        assert_eq!(Records::parse(&text), records());
        let altered = text.replace("warning: x", "warning: y");
        assert_eq!(Records::parse(&altered), Records::default());
        assert_eq!(Records::parse(""), Records::default());
        assert_eq!(Records::parse("garbage\n{}"), Records::default());
    }
}
