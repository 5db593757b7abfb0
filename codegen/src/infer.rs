//! Stage 5: JSON samples → types.
//!
//! Every sample of one shape (a request body, its saved examples' request bodies, all saved
//! success responses) is merged into one [`Shape`]: a field present and non-null in every
//! sample is required, anything else is optional; integers and floats merge to floats; an
//! array's element type is the merge of all its elements; shapes that cannot merge become
//! `serde_json::Value`. Shapes are then interned into a [`TypeSpace`]: nested structs with the
//! same structure are emitted once per module and shared by every request of the module that
//! reads (or sends) them; see [`TypeSpace`] for how their names stay put.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::QueryParam;
use crate::names::{assign_unique, ident, Case};
use crate::overrides::{child_path, FieldOverride, ItemOverride};

/// A merged JSON shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    kind: Kind,
    /// Seen as `null` at least once.
    nullable: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Only `null` (or nothing) seen.
    Never,
    Bool,
    Int,
    Float,
    Str,
    Array(Box<Shape>),
    Object(Object),
    /// Conflicting samples, with the JSON kinds seen.
    Any(BTreeSet<&'static str>),
}

impl Kind {
    /// The JSON kinds this stands for, as named in warnings.
    fn names(&self) -> BTreeSet<&'static str> {
        match self {
            Kind::Never => BTreeSet::new(),
            Kind::Bool => BTreeSet::from(["boolean"]),
            Kind::Int => BTreeSet::from(["integer"]),
            Kind::Float => BTreeSet::from(["number"]),
            Kind::Str => BTreeSet::from(["string"]),
            Kind::Array(_) => BTreeSet::from(["array"]),
            Kind::Object(_) => BTreeSet::from(["object"]),
            Kind::Any(names) => names.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Object {
    /// Fields in order of first appearance, with how many samples had them.
    fields: Vec<(String, Shape, usize)>,
    samples: usize,
}

impl Shape {
    const NEVER: Shape = Shape { kind: Kind::Never, nullable: false };

    /// The shape of one sample.
    pub fn of(value: &Value) -> Shape {
        let kind = match value {
            Value::Null => return Shape { kind: Kind::Never, nullable: true },
            Value::Bool(_) => Kind::Bool,
            // Integers beyond `i64` (only `u64` ones exist in serde_json) are read as floats.
            Value::Number(n) if n.is_f64() || n.as_i64().is_none() => Kind::Float,
            Value::Number(_) => Kind::Int,
            Value::String(_) => Kind::Str,
            Value::Array(items) => {
                Kind::Array(Box::new(items.iter().map(Shape::of).fold(Shape::NEVER, Shape::merge)))
            }
            Value::Object(map) => Kind::Object(Object {
                fields: map.iter().map(|(k, v)| (k.clone(), Shape::of(v), 1)).collect(),
                samples: 1,
            }),
        };
        Shape { kind, nullable: false }
    }

    /// The merge of many samples (`None` when there are none).
    pub fn of_all<'a>(values: impl IntoIterator<Item = &'a Value>) -> Option<Shape> {
        values.into_iter().map(Shape::of).reduce(Shape::merge)
    }

    /// Merges two shapes.
    pub fn merge(self, other: Shape) -> Shape {
        let nullable = self.nullable || other.nullable;
        let kind = match (self.kind, other.kind) {
            (Kind::Never, k) | (k, Kind::Never) => k,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            (Kind::Array(a), Kind::Array(b)) => Kind::Array(Box::new(a.merge(*b))),
            (Kind::Object(a), Kind::Object(b)) => Kind::Object(merge_objects(a, b)),
            (a, b) if a == b => a,
            (a, b) => {
                let mut names = a.names();
                names.extend(b.names());
                Kind::Any(names)
            }
        };
        Shape { kind, nullable }
    }

    /// Whether this becomes a nested Rust type (a `Vec` or a struct).
    fn is_container(&self) -> bool {
        matches!(self.kind, Kind::Array(_)) || self.is_object()
    }

    /// Whether this is an object with at least one field (what becomes a struct).
    pub fn is_object(&self) -> bool {
        matches!(&self.kind, Kind::Object(o) if !o.fields.is_empty())
    }
}

impl Object {
    /// Whether the keys are data rather than field names, so the object is a map: every key
    /// looks like a value ([`data_key`]: `"4435961"`, a UUID, an email address, a date), or
    /// the samples never share a key while their values are objects of one shape
    /// (`{"alice": {…}}`, `{"bob": {…}}`). Conservative: a struct is kept whenever a sample
    /// repeats a key or the values differ in shape; the overrides can force a map.
    fn is_map(&self) -> bool {
        if self.fields.is_empty() {
            return false;
        }
        if self.fields.iter().all(|(key, _, _)| data_key(key)) {
            return true;
        }
        let disjoint = self.samples >= 2 && self.fields.len() >= 2 && self.fields.iter().all(|(_, _, count)| *count == 1);
        disjoint && self.records_of_one_shape()
    }

    /// Every value is a non-empty object, and all have the same keys.
    fn records_of_one_shape(&self) -> bool {
        let mut keys = None;
        self.fields.iter().all(|(_, shape, _)| match &shape.kind {
            Kind::Object(o) if !o.fields.is_empty() && !shape.nullable => {
                let these: BTreeSet<&str> = o.fields.iter().map(|(k, _, _)| k.as_str()).collect();
                *keys.get_or_insert_with(|| these.clone()) == these
            }
            _ => false,
        })
    }

    /// The merge of every value (a map's value type).
    fn values(&self) -> Shape {
        self.fields.iter().map(|(_, shape, _)| shape.clone()).fold(Shape::NEVER, Shape::merge)
    }
}

/// A key that is a value, not a name: digits (`"4435961"`), a UUID, an email address or a
/// date (`2024-05-01`).
fn data_key(key: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    let uuid = {
        let parts: Vec<&str> = key.split('-').collect();
        parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| hex(p, n))
    };
    let email = key.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.contains('@') && !key.contains(char::is_whitespace)
    });
    let date = {
        let parts: Vec<&str> = key.split('-').collect();
        parts.len() == 3 && parts.iter().zip([4, 2, 2]).all(|(p, n)| p.len() == n && digits(p))
    };
    digits(key) || uuid || email || date
}

fn merge_objects(mut a: Object, b: Object) -> Object {
    for (key, shape, count) in b.fields {
        match a.fields.iter_mut().find(|(k, _, _)| *k == key) {
            Some(existing) => {
                let merged = std::mem::replace(&mut existing.1, Shape::NEVER).merge(shape);
                existing.1 = merged;
                existing.2 += count;
            }
            None => a.fields.push((key, shape, count)),
        }
    }
    a.samples += b.samples;
    a
}

/// A Rust type, as data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// `bool`
    Bool,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `String`
    String,
    /// `serde_json::Value`
    Value,
    /// `Vec<T>`
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`: an object whose keys are data (see [`Object::is_map`]).
    Map(Box<Ty>),
    /// `Option<T>` (array elements that can be `null`; fields use [`Field::required`]).
    Option(Box<Ty>),
    /// A struct in the type space, by index.
    Struct(usize),
    /// A type alias in the type space, by index (a top-level type with the structure of an
    /// earlier request's, see [`TypeSpace::top_level`]).
    Alias(usize),
    /// An enum declared in the overrides (defined at the crate root), by name.
    Enum(String),
}

/// A field of a generated struct.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Field {
    /// Rust identifier.
    pub ident: String,
    /// JSON key.
    pub wire: String,
    /// Its type (without the `Option`).
    pub ty: Ty,
    /// Present and non-null in every sample.
    pub required: bool,
    /// Optional, but present in every sample (`null` in some): `None` is sent as `null`, as
    /// the collection sends it, instead of leaving the key out.
    pub keeps_null: bool,
}

/// A generated struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructDef {
    /// UpperCamel name, unique in its module.
    pub name: String,
    /// Fields in sample order.
    pub fields: Vec<Field>,
    /// Documentation (Markdown) instead of the generic line.
    pub docs: Option<String>,
    /// An error body: gets a `from_error` constructor.
    pub error: bool,
    /// Reached from a request body or GraphQL variables: it is written (`Serialize`).
    pub sent: bool,
    /// Reached from a response or error body: it is read (`Deserialize`).
    pub read: bool,
}

/// `pub type Name = Ty;` (an error body that is not an object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// UpperCamel name, unique in its module.
    pub name: String,
    /// The aliased type.
    pub ty: Ty,
    /// Documentation (Markdown).
    pub docs: String,
}

/// What typing one request's samples needs besides them: the Postman item (for warnings) and
/// its overrides. Collects warnings and the paths a type writes back differently.
#[derive(Debug)]
pub struct Cx<'a> {
    item: String,
    overrides: Option<&'a ItemOverride>,
    used: BTreeSet<String>,
    lossy: BTreeSet<String>,
    warnings: Vec<String>,
}

impl<'a> Cx<'a> {
    /// The context of the request at `item_path`.
    pub fn new(item_path: &[String], overrides: Option<&'a ItemOverride>) -> Self {
        Cx { item: item_path.join(" / "), overrides, used: BTreeSet::new(), lossy: BTreeSet::new(), warnings: Vec::new() }
    }

    /// JSON paths under `root` where a value may be written back though the sample lacked it
    /// (fields made required by an override).
    pub fn lossy_paths(&self, root: &str) -> Vec<String> {
        self.lossy
            .iter()
            .filter(|p| p.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '['])))
            .cloned()
            .collect()
    }

    /// The warnings, plus one per override path that matched nothing.
    pub fn finish(mut self) -> Vec<String> {
        if let Some(overrides) = self.overrides {
            let paths = overrides.fields.keys().chain(overrides.types.keys());
            for path in paths.collect::<BTreeSet<_>>() {
                if !self.used.contains(path) {
                    let message = format!("override `{path}` matches no JSON value of the request's samples");
                    self.warn(message);
                }
            }
        }
        self.warnings
    }

    /// The request's overrides.
    pub fn overrides(&self) -> Option<&'a ItemOverride> {
        self.overrides
    }

    pub(crate) fn warn(&mut self, message: String) {
        let line = format!("warning: {}: {message}", self.item);
        if !self.warnings.contains(&line) {
            self.warnings.push(line);
        }
    }

    fn field(&mut self, path: &str) -> Option<&'a FieldOverride> {
        let found = self.overrides?.fields.get(path)?;
        self.used.insert(path.to_owned());
        Some(found)
    }

    fn type_name(&mut self, path: &str) -> Option<&'a str> {
        let found = self.overrides?.types.get(path)?;
        self.used.insert(path.to_owned());
        Some(found)
    }

    /// The type the overrides set at `path`, if any (marks the override used).
    fn type_override(&mut self, path: &str) -> Option<Ty> {
        let name = self.field(path)?.ty.as_deref()?;
        Some(match name {
            "string" => Ty::String,
            "i64" => Ty::I64,
            "f64" => Ty::F64,
            "bool" => Ty::Bool,
            "value" => Ty::Value,
            // Not a type by itself: `TypeSpace::ty` types the values (see `wants_map`).
            "map" => return None,
            other => Ty::Enum(other.to_owned()),
        })
    }

    /// Whether the overrides make the object at `path` a map.
    fn wants_map(&mut self, path: &str) -> bool {
        self.field(path).and_then(|f| f.ty.as_deref()) == Some("map")
    }
}

/// The type of a query parameter: `i64` when every value the collection holds for it is an
/// integer written as Rust writes it back (`20`, not `020` or `+20`), `bool` when every value
/// is `true` or `false`, else `String`; or the type the overrides give `query.<name>`. The
/// text on the wire is then the collection's text exactly. Values with `{{variables}}`, an
/// enabled parameter without a value (sent as `name=`) and opaque names keep `String`.
pub fn query_type(param: &QueryParam, cx: &mut Cx<'_>) -> Ty {
    if let Some(ty) = cx.type_override(&child_path("query", &param.name)) {
        return ty;
    }
    let sends_empty = param.enabled && param.example.is_none();
    let values: Vec<&str> = param.example.iter().chain(&param.samples).map(String::as_str).collect();
    if sends_empty || values.is_empty() || opaque_name(&param.name) {
        return Ty::String;
    }
    if values.iter().all(|v| matches!(*v, "true" | "false")) {
        Ty::Bool
    } else if values.iter().all(|v| v.parse::<i64>().is_ok_and(|n| n.to_string() == *v)) {
        Ty::I64
    } else {
        Ty::String
    }
}

/// Names of identifiers, cursors and codes. Their values are text to the API even when they
/// look like numbers (`user_id=123`, `next_token=1`, `zip=94105`): ids outgrow `i64` or gain
/// prefixes, lists of them are comma-separated, codes keep leading zeros. Typing one `i64`
/// from a numeric example would lock users out of real values; `String` never does.
fn opaque_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with("id") || name.ends_with("ids") || ["token", "cursor", "code", "zip", "phone"].iter().any(|w| name.contains(w))
}

/// An element type that can hold `null` when its samples had one.
fn nullable(ty: Ty, shape: &Shape) -> Ty {
    if shape.nullable && !matches!(ty, Ty::Value | Ty::Option(_)) {
        Ty::Option(Box::new(ty))
    } else {
        ty
    }
}

/// How many arrays and objects a typed value may sit inside. rustc proves auto traits
/// (`Send`, `Sync`) of a type by recursing through it, and each `Vec` level costs it a few of
/// its 128 levels: 45 nested arrays already fail with E0275. No real API nests this deep, so
/// anything deeper is kept as `serde_json::Value` (with a warning) rather than risk a crate
/// that does not compile.
pub const MAX_DEPTH: usize = 24;

/// Where a shape sits: how many arrays/objects enclose it, and whether an object there must
/// get a struct of its own (a top-level type) rather than share one of the same structure.
#[derive(Debug, Clone, Copy)]
struct Nest {
    depth: usize,
    fresh: bool,
}

/// The structs of one module, deduplicated by structure.
///
/// A nested struct (not a request's top-level body, response or error, nor one an override
/// names) is shared by every request of the module whose samples have a nested object of the
/// same structure, sent or read the same way (the two directions never share: a request that
/// starts sending a read type would change its derives). It takes the name its first user gives
/// it (`ListChatsResponseChatsItemCreator`). Review diffs stay local because every shared struct's
/// name is pinned in `names.lock`, keyed by module and a hash of the structure: when the first
/// user goes away or stops sharing, the other users keep the type and its name, and the request
/// that changed gets a struct of its own (a newly split type, numbered around the pinned name);
/// a request added before it shares it under its pinned name. A pinned structure that no request
/// has any more frees its name ([`TypeSpace::with_locked`]), so a type whose only request gained
/// a field keeps its name.
#[derive(Debug, Default)]
pub struct TypeSpace {
    /// Structs in creation order.
    pub structs: Vec<StructDef>,
    /// Type aliases in creation order.
    pub aliases: Vec<Alias>,
    /// Shareable structs by direction (`true`: sent) and fields.
    by_structure: BTreeMap<(bool, Vec<Field>), usize>,
    /// Requests' own structs (top-level and error bodies not named by an override) by
    /// direction, whether an error body, and fields: what a later request's own type aliases.
    own_by_structure: BTreeMap<(bool, bool, Vec<Field>), usize>,
    /// Names given to types so far.
    taken: BTreeSet<String>,
    /// Structure hash → name, from `names.lock`.
    locked: BTreeMap<String, String>,
    /// The names in `locked`: a new shared type does not take one.
    locked_names: BTreeSet<String>,
    /// The structure hash of each shareable struct (by index): its key in `names.lock`.
    shared: BTreeMap<usize, String>,
    /// The direction of the root being typed (`true`: a request body or GraphQL variables).
    sending: bool,
}

/// The first 16 hex digits of the 128-bit FNV-1a hash (one byte at a time) of `text` and a
/// 0 byte. Specified here, not shared with the manifest's hashes: names.lock keys shared types by
/// it, so it must mean the same to every version of the generator.
fn structure_hash(text: &str) -> String {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for &byte in text.as_bytes().iter().chain(&[0]) {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    format!("{hash:032x}")[..16].to_owned()
}

/// Whether a name from the lock (edited by hand, perhaps) can name a struct: UpperCamel ASCII
/// that shadows nothing of the prelude. Not [`ident`]'s fixed point: a numbered name may be
/// longer than the names `ident` makes.
fn valid_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && !crate::names::PRELUDE_NAMES.contains(&name)
}

/// `{id, name, …}`: the JSON keys of a struct (the first eight), as the lock shows them (the
/// same whichever request comes first).
fn describe(fields: &[Field]) -> String {
    let mut keys: Vec<&str> = fields.iter().take(8).map(|f| f.wire.as_str()).collect();
    if fields.len() > 8 {
        keys.push("…");
    }
    format!("{{{}}}", keys.join(", "))
}

/// A shared struct's name to record in `names.lock` (see [`TypeSpace::pinned`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PinnedType {
    /// Hash of its direction and structure.
    pub fingerprint: String,
    /// Its Rust name.
    pub name: String,
    /// What it holds, for readers of the lock: its JSON keys.
    pub item: String,
}

impl TypeSpace {
    /// A type space whose shared structs keep the names `locked` (structure hash → name) gives.
    /// Only the entries for structures in `present` (the module's structures, from a first pass
    /// with [`TypeSpace::fingerprints`]) count: a structure that is gone frees its name, so a type
    /// whose request gained a field keeps its name.
    pub fn with_locked(mut locked: BTreeMap<String, String>, present: &BTreeSet<String>) -> Self {
        locked.retain(|fingerprint, _| present.contains(fingerprint));
        let locked_names = locked.values().cloned().collect();
        TypeSpace { locked, locked_names, ..TypeSpace::default() }
    }

    /// The structure hashes of the shared structs typed so far.
    pub fn fingerprints(&self) -> BTreeSet<String> {
        self.shared.values().cloned().collect()
    }

    /// Reserves a name (e.g. a query struct) so no inferred struct takes it.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// A name nobody has taken yet, derived from `base` deterministically.
    pub fn unique_name(&mut self, base: &str) -> String {
        let name = self.first_free(base, false);
        self.taken.insert(name.clone());
        name
    }

    /// `base`, or `base2`, `base3`… : the first name not taken (nor, with `avoid_locked`,
    /// pinned by the lock for another structure).
    fn first_free(&self, base: &str, avoid_locked: bool) -> String {
        let free = |name: &str| !(self.taken.contains(name) || avoid_locked && self.locked_names.contains(name));
        let mut name = base.to_owned();
        let mut n = 2;
        while !free(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// `ty` itself, or the type an alias of the space stands for.
    pub fn resolve<'t>(&'t self, ty: &'t Ty) -> &'t Ty {
        match ty {
            Ty::Alias(index) => self.resolve(&self.aliases[*index].ty),
            other => other,
        }
    }

    /// The shared structs, to pin in `names.lock`, by structure hash (not by which request came
    /// first). Every one is pinned, even with one user: a request added before it in the folder
    /// would otherwise name it anew.
    pub fn pinned(&self) -> Vec<PinnedType> {
        let mut pinned: Vec<PinnedType> = self
            .shared
            .iter()
            .map(|(&index, fingerprint)| {
                let def = &self.structs[index];
                PinnedType { fingerprint: fingerprint.clone(), name: def.name.clone(), item: describe(&def.fields) }
            })
            .collect();
        pinned.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
        pinned
    }

    /// A stable text of a type, for structure hashes: shared structs by their hash, others by
    /// name (an override's name, or a top-level type's).
    fn type_key(&self, ty: &Ty) -> String {
        match ty {
            Ty::Bool => "bool".into(),
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::String => "string".into(),
            Ty::Value => "value".into(),
            Ty::Vec(item) => format!("[{}]", self.type_key(item)),
            Ty::Map(item) => format!("{{{}}}", self.type_key(item)),
            Ty::Option(item) => format!("?{}", self.type_key(item)),
            Ty::Struct(index) => match self.shared.get(index) {
                Some(fingerprint) => format!("#{fingerprint}"),
                None => format!("struct {}", self.structs[*index].name),
            },
            Ty::Enum(name) => format!("enum {name}"),
            Ty::Alias(index) => format!("alias {}", self.aliases[*index].name),
        }
    }

    /// Hash of a shareable struct's direction and fields (16 hex digits).
    fn fingerprint(&self, sending: bool, fields: &[Field]) -> String {
        let mut text = String::from(if sending { "sent" } else { "read" });
        for f in fields {
            let key = self.type_key(&f.ty);
            text.push_str(&format!("\n{}\0{}\0{}\0{}\0{key}", f.wire, f.ident, f.required, f.keeps_null));
        }
        structure_hash(&text)
    }

    /// The struct with `fields` shared within the module: the existing one, or a new one named
    /// from `base` (or what the lock pins).
    fn shared_struct(&mut self, fields: Vec<Field>, base: &str) -> usize {
        let key = (self.sending, fields);
        if let Some(&existing) = self.by_structure.get(&key) {
            return existing;
        }
        let fingerprint = self.fingerprint(self.sending, &key.1);
        let locked = self.locked.get(&fingerprint).filter(|name| !self.taken.contains(*name) && valid_type_name(name));
        let name = match locked {
            Some(name) => name.clone(),
            None => self.first_free(base, true),
        };
        self.taken.insert(name.clone());
        self.structs.push(StructDef { name, fields: key.1.clone(), docs: None, error: false, sent: false, read: false });
        let index = self.structs.len() - 1;
        self.by_structure.insert(key, index);
        self.shared.insert(index, fingerprint);
        index
    }

    /// The type for `shape` found at JSON path `root` (`body`, `response`, …); a top-level
    /// object always gets its own type called `name` (or the override's name): a struct, or,
    /// when an earlier request of the module has a top-level struct of the same structure sent
    /// or read the same way, an alias of that struct (`pub type UpdateUserResponse =
    /// AddUserResponse;`). Aliases cost the compiler next to nothing; structs with their derives
    /// are most of a generated crate's compile time. Users name the alias as they would the
    /// struct, so when the first request changes shape only the alias turns into a struct.
    pub fn top_level(&mut self, shape: &Shape, name: &str, root: &str, cx: &mut Cx<'_>) -> Ty {
        let sending = matches!(root, "body" | "variables");
        self.sending = sending;
        let ty = self.ty(shape, name, root, cx, Nest { depth: 0, fresh: true });
        self.mark(&ty, sending);
        ty
    }

    /// Marks every struct `ty` reaches as sent (`sent`) or read (otherwise).
    fn mark(&mut self, ty: &Ty, sent: bool) {
        match ty {
            Ty::Vec(item) | Ty::Option(item) | Ty::Map(item) => self.mark(item, sent),
            Ty::Alias(index) => {
                let target = self.aliases[*index].ty.clone();
                self.mark(&target, sent);
            }
            Ty::Struct(index) => {
                let def = &mut self.structs[*index];
                let seen = if sent { std::mem::replace(&mut def.sent, true) } else { std::mem::replace(&mut def.read, true) };
                if !seen {
                    let fields: Vec<Ty> = def.fields.iter().map(|f| f.ty.clone()).collect();
                    for field in &fields {
                        self.mark(field, sent);
                    }
                }
            }
            Ty::Bool | Ty::I64 | Ty::F64 | Ty::String | Ty::Value | Ty::Enum(_) => {}
        }
    }

    /// The error body type of one request, called `name` (or the override's name): a struct
    /// of its own, an alias of an earlier request's error struct of the same structure (see
    /// [`TypeSpace::top_level`]), or an alias when the body is not an object. Returns the public
    /// name and the type it stands for; `None` when the bodies give no type (only `null`, `{}` or
    /// conflicting samples).
    pub fn error_type(&mut self, shape: &Shape, name: &str, docs: String, cx: &mut Cx<'_>) -> Option<(String, Ty)> {
        const ROOT: &str = "error";
        let renamed = cx.type_name(ROOT);
        let name = renamed.unwrap_or(name);
        let overridden = cx.type_override(ROOT);
        self.sending = false;
        if let (None, Kind::Object(object)) = (&overridden, &shape.kind) {
            if !object.fields.is_empty() {
                let fields = self.fields(object, name, ROOT, cx, 1);
                let public = self.named(name, renamed.is_some(), cx);
                // Like top-level types, an error body of an earlier request's structure is an
                // alias of its struct (its `from_error` works through the alias).
                let alias_docs = format!("{docs}\n\nThe same structure as ");
                let def = StructDef { name: public.clone(), fields, docs: Some(docs), error: true, sent: false, read: false };
                let ty = self.own_type(def, renamed.is_none(), |first| format!("{alias_docs}[`{first}`]."));
                self.mark(&ty, false);
                return Some((public, ty));
            }
        }
        let ty = match overridden {
            Some(ty) => ty,
            None => match self.ty(shape, &format!("{name}Body"), ROOT, cx, Nest { depth: 0, fresh: false }) {
                Ty::Value if renamed.is_none() => return None,
                ty => ty,
            },
        };
        self.mark(&ty, false);
        let alias = self.named(name, renamed.is_some(), cx);
        self.aliases.push(Alias { name: alias.clone(), ty: ty.clone(), docs });
        Some((alias, ty))
    }

    /// A request's own type `def` (a top-level or error body, named already): a new struct, or,
    /// when `aliasable` (no override names it) and an earlier request's own struct of the same
    /// direction, kind and fields exists, an alias of that struct documented by `alias_docs`
    /// (given the struct's name).
    fn own_type(&mut self, def: StructDef, aliasable: bool, alias_docs: impl FnOnce(&str) -> String) -> Ty {
        let key = (self.sending, def.error, def.fields.clone());
        if let Some(&first) = self.own_by_structure.get(&key).filter(|_| aliasable) {
            let docs = alias_docs(&self.structs[first].name);
            self.aliases.push(Alias { name: def.name, ty: Ty::Struct(first), docs });
            return Ty::Alias(self.aliases.len() - 1);
        }
        self.structs.push(def);
        let index = self.structs.len() - 1;
        if aliasable {
            self.own_by_structure.insert(key, index);
        }
        Ty::Struct(index)
    }

    /// A unique name for a new type; warns when an override's name had to be changed.
    fn named(&mut self, name: &str, from_override: bool, cx: &mut Cx<'_>) -> String {
        let unique = self.unique_name(name);
        if from_override && unique != name {
            cx.warn(format!("type name `{name}` from the overrides is already taken in this module; using `{unique}`"));
        }
        unique
    }

    fn ty(&mut self, shape: &Shape, name: &str, path: &str, cx: &mut Cx<'_>, nest: Nest) -> Ty {
        if let Some(ty) = cx.type_override(path) {
            return ty;
        }
        let renamed = cx.type_name(path);
        let name = renamed.unwrap_or(name);
        if nest.depth >= MAX_DEPTH && shape.is_container() {
            cx.warn(format!("field `{path}` is nested more than {MAX_DEPTH} arrays or objects deep; typed as serde_json::Value"));
            return Ty::Value;
        }
        let inner = Nest { depth: nest.depth + 1, fresh: false };
        let map = cx.wants_map(path);
        if map && !shape.is_object() {
            cx.warn(format!("override `map` for `{path}`, but no sample has an object with keys there; ignored"));
        }
        match &shape.kind {
            Kind::Never => Ty::Value,
            Kind::Any(kinds) => {
                let kinds: Vec<&str> = kinds.iter().copied().collect();
                cx.warn(format!(
                    "field `{path}` has conflicting types ({}); typed as serde_json::Value",
                    kinds.join(", ")
                ));
                Ty::Value
            }
            Kind::Bool => Ty::Bool,
            Kind::Int => Ty::I64,
            Kind::Float => Ty::F64,
            Kind::Str => Ty::String,
            Kind::Array(item) => {
                let inner_ty = self.ty(item, &format!("{name}Item"), &format!("{path}[]"), cx, inner);
                Ty::Vec(Box::new(nullable(inner_ty, item)))
            }
            Kind::Object(object) if object.fields.is_empty() => Ty::Value,
            Kind::Object(object) if map || object.is_map() => {
                let values = object.values();
                let inner_ty = self.ty(&values, &format!("{name}Value"), &format!("{path}[]"), cx, inner);
                Ty::Map(Box::new(nullable(inner_ty, &values)))
            }
            Kind::Object(object) => {
                let fields = self.fields(object, name, path, cx, inner.depth);
                if !nest.fresh && renamed.is_none() {
                    return Ty::Struct(self.shared_struct(fields, name));
                }
                let name = self.named(name, renamed.is_some(), cx);
                let alias_docs = format!("`{name}`, inferred from the collection's JSON samples: the same structure as ");
                let def = StructDef { name, fields, docs: None, error: false, sent: false, read: false };
                self.own_type(def, renamed.is_none(), |first| format!("{alias_docs}[`{first}`]."))
            }
        }
    }

    /// The fields of `object`, whose values sit `depth` arrays or objects deep.
    fn fields(&mut self, object: &Object, parent: &str, path: &str, cx: &mut Cx<'_>, depth: usize) -> Vec<Field> {
        let keyed: Vec<(String, String)> = object
            .fields
            .iter()
            .map(|(k, _, _)| {
                let rename = cx.field(&child_path(path, k)).and_then(|f| f.rename.clone());
                (k.clone(), rename.unwrap_or_else(|| ident(k, Case::Snake)))
            })
            .collect();
        let idents = assign_unique(&keyed, Case::Snake, &[]);
        let mut fields = Vec::with_capacity(object.fields.len());
        for ((key, shape, count), field_ident) in object.fields.iter().zip(idents) {
            let field_path = child_path(path, key);
            // A part of a longer name needs no keyword escape (`From_` → `MsgFrom`).
            let child = format!("{parent}{}", ident(key, Case::UpperCamel).trim_end_matches('_'));
            let ty = self.ty(shape, &child, &field_path, cx, Nest { depth, fresh: false });
            let everywhere = *count == object.samples;
            let inferred = everywhere && !shape.nullable && shape.kind != Kind::Never;
            let required = match cx.field(&field_path).and_then(|f| f.required) {
                Some(true) if !inferred => {
                    if !everywhere {
                        cx.lossy.insert(field_path.clone());
                    }
                    if shape.nullable && ty != Ty::Value {
                        cx.warn(format!(
                            "override makes `{field_path}` required, but a sample has it `null`, which its type cannot hold"
                        ));
                    }
                    true
                }
                Some(required) => required,
                None => inferred,
            };
            let keeps_null = !required && everywhere && shape.nullable;
            fields.push(Field { ident: field_ident, wire: key.clone(), ty, required, keeps_null });
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overrides::ItemOverride;
    use serde_json::json;

    fn cx() -> Cx<'static> {
        Cx::new(&["Folder".into(), "Request".into()], None)
    }

    /// What is sent derives `Serialize`, what is read `Deserialize`: a body and a response
    /// never share a nested struct, so a struct's derives never depend on another root.
    #[test]
    fn structs_know_whether_they_are_sent_or_read() {
        let mut space = TypeSpace::default();
        let body = Shape::of(&json!({"user": {"id": "1", "name": "a"}, "note": {"text": "x"}}));
        let response = Shape::of(&json!({"data": {"user": {"id": "1", "name": "a"}, "at": 1}}));
        let error = Shape::of(&json!({"code": "E", "detail": {"hint": "h"}}));
        space.top_level(&body, "Body", "body", &mut cx());
        space.top_level(&response, "Response", "response", &mut cx());
        space.error_type(&error, "Error", String::new(), &mut cx());
        let uses: Vec<(&str, bool, bool)> = space.structs.iter().map(|s| (s.name.as_str(), s.sent, s.read)).collect();
        assert_eq!(
            uses,
            [
                ("BodyUser", true, false),
                ("BodyNote", true, false),
                ("Body", true, false),
                ("ResponseDataUser", false, true),
                ("ResponseData", false, true),
                ("Response", false, true),
                ("ErrorDetail", false, true),
                ("Error", false, true),
            ]
        );
    }

    /// Types three requests `a`, `b`, `c` of one module (responses), starting from `lock`;
    /// returns the struct names each response's `creator` field has, and what to pin.
    fn creators(responses: [Value; 3], lock: BTreeMap<String, String>) -> (Vec<String>, Vec<PinnedType>) {
        let shapes: Vec<Shape> = responses.iter().map(Shape::of).collect();
        let mut first_pass = TypeSpace::default();
        for (name, shape) in ["A", "B", "C"].into_iter().zip(&shapes) {
            first_pass.top_level(shape, &format!("{name}Response"), "response", &mut cx());
        }
        let mut space = TypeSpace::with_locked(lock, &first_pass.fingerprints());
        let mut creators = Vec::new();
        for (name, response) in ["A", "B", "C"].into_iter().zip(responses) {
            let mut cx = Cx::new(&[name.to_owned()], None);
            let ty = space.top_level(&Shape::of(&response), &format!("{name}Response"), "response", &mut cx);
            let Ty::Struct(top) = *space.resolve(&ty) else { panic!("{ty:?}") };
            let creator = space.structs[top].fields.iter().find(|f| f.wire == "creator").unwrap();
            let Ty::Struct(index) = creator.ty else { panic!("{creator:?}") };
            creators.push(space.structs[index].name.clone());
        }
        (creators, space.pinned())
    }

    /// The lock's keys must not change with the generator: the hash is pinned here.
    #[test]
    fn structure_hashes_are_fnv1a_and_stable() {
        assert_eq!(structure_hash(""), "d228cb69101a8caf");
        let space = TypeSpace::default();
        let field = Field { ident: "id".into(), wire: "id".into(), ty: Ty::String, required: true, keeps_null: false };
        assert_eq!(space.fingerprint(false, std::slice::from_ref(&field)), "3f1c943b0cc17910");
        assert_ne!(space.fingerprint(true, std::slice::from_ref(&field)), space.fingerprint(false, &[field]));
    }

    fn lock_of(pinned: &[PinnedType]) -> BTreeMap<String, String> {
        pinned.iter().map(|p| (p.fingerprint.clone(), p.name.clone())).collect()
    }

    /// Requests of one module share nested structs of the same structure; the name a second
    /// user pins keeps when the request that named it changes or goes, and a request that stops
    /// sharing gets a type of its own.
    #[test]
    fn nested_structs_are_shared_across_requests_and_pinned() {
        let user = json!({"creator": {"id": "1", "name": "a"}});
        let other = json!({"creator": {"id": "1", "email": "e"}});
        let (names, pinned) = creators([user.clone(), user.clone(), other.clone()], BTreeMap::new());
        assert_eq!(names, ["AResponseCreator", "AResponseCreator", "CResponseCreator"]);
        let pins: Vec<(&str, &str)> = pinned.iter().map(|p| (p.name.as_str(), p.item.as_str())).collect();
        assert!(pins.contains(&("AResponseCreator", "{id, name}")) && pins.len() == 2, "{pins:?}");
        let lock = lock_of(&pinned);

        // A stops sharing: B keeps the pinned type, A gets a new one, numbered around the pin.
        let edited = json!({"creator": {"id": "1", "name": "a", "x": true}});
        let (names, pinned) = creators([edited.clone(), user.clone(), other.clone()], lock.clone());
        assert_eq!(names, ["AResponseCreator2", "AResponseCreator", "CResponseCreator"]);
        // The numbered name is pinned too, so regenerating with this lock changes nothing.
        let again = creators([edited, user.clone(), other.clone()], lock_of(&pinned));
        assert_eq!(again.0, names);
        assert_eq!(lock_of(&again.1), lock_of(&pinned));

        // A goes away (its request now has C's creator): B still says AResponseCreator.
        let (names, _) = creators([other.clone(), user.clone(), other.clone()], lock.clone());
        assert_eq!(names, ["CResponseCreator", "AResponseCreator", "CResponseCreator"]);

        // C's creator (its only user) gains a field: the old structure is gone, its name is free.
        let grown = json!({"creator": {"id": "1", "email": "e", "phone": "p"}});
        let (names, _) = creators([user.clone(), user.clone(), grown], lock.clone());
        assert_eq!(names, ["AResponseCreator", "AResponseCreator", "CResponseCreator"]);

        // Without the lock the first user names it.
        let (names, _) = creators([other.clone(), user.clone(), user], BTreeMap::new());
        assert_eq!(names, ["AResponseCreator", "BResponseCreator", "BResponseCreator"]);
    }

    /// A top-level type with the structure of an earlier request's (same direction) is an alias
    /// of its struct; a body never aliases a response.
    #[test]
    fn top_level_types_of_an_earlier_structure_are_aliases() {
        let mut space = TypeSpace::default();
        let shape = Shape::of(&json!({"id": "1", "tags": [{"t": "x"}]}));
        assert_eq!(space.top_level(&shape, "AResponse", "response", &mut cx()), Ty::Struct(1));
        assert_eq!(space.top_level(&shape, "BResponse", "response", &mut cx()), Ty::Alias(0));
        assert_eq!(space.top_level(&shape, "CBody", "body", &mut cx()), Ty::Struct(3));
        assert_eq!(space.aliases[0].name, "BResponse");
        assert_eq!(space.resolve(&Ty::Alias(0)), &Ty::Struct(1));
        let names: Vec<(&str, bool, bool)> = space.structs.iter().map(|s| (s.name.as_str(), s.sent, s.read)).collect();
        assert_eq!(
            names,
            [("AResponseTagsItem", false, true), ("AResponse", false, true), ("CBodyTagsItem", true, false), ("CBody", true, false)]
        );
    }

    #[test]
    fn required_and_optional_from_samples() {
        let samples = [json!({"a": 1, "b": "x", "c": null}), json!({"a": 2.5, "c": "y"})];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let ty = space.top_level(&shape, "Body", "body", &mut cx());
        assert_eq!(ty, Ty::Struct(0));
        let fields = &space.structs[0].fields;
        assert_eq!(fields[0], Field { ident: "a".into(), wire: "a".into(), ty: Ty::F64, required: true, keeps_null: false });
        assert!(!fields[1].required, "b is missing from one sample");
        assert_eq!(fields[2].ty, Ty::String);
        assert!(!fields[2].required, "c is null in one sample");
        assert!(fields[2].keeps_null, "c is in every sample: None is sent as null");
        assert!(!fields[1].keeps_null, "b is left out when None");
    }

    #[test]
    fn identical_nested_shapes_are_shared_and_conflicts_become_value() {
        let samples = [json!({"from": {"id": 1}, "to": {"id": 2}, "x": [1, "a"]})];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let mut cx = cx();
        space.top_level(&shape, "Msg", "response", &mut cx);
        assert_eq!(space.structs.len(), 2, "{:?}", space.structs);
        let names: Vec<&str> = space.structs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["MsgFrom", "Msg"]);
        let fields = &space.structs[1].fields;
        assert_eq!(fields[0].ty, fields[1].ty);
        assert_eq!(fields[2].ty, Ty::Vec(Box::new(Ty::Value)));
        assert_eq!(
            cx.finish(),
            ["warning: Folder / Request: field `response.x[]` has conflicting types (integer, string); typed as serde_json::Value"]
        );
    }

    #[test]
    fn conflicts_across_samples_name_every_kind_and_the_path() {
        let samples = [
            json!({"data": [{"owner": "a", "n": 1}]}),
            json!({"data": [{"owner": {"id": 1}, "n": 2.5}]}),
            json!({"data": [{"owner": [1], "odd key": 1}]}),
            json!({"data": [{"odd key": true}]}),
        ];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let mut cx = cx();
        space.top_level(&shape, "R", "response", &mut cx);
        assert_eq!(
            cx.finish(),
            [
                "warning: Folder / Request: field `response.data[].owner` has conflicting types (array, object, string); typed as serde_json::Value",
                "warning: Folder / Request: field `response.data[][\"odd key\"]` has conflicting types (boolean, integer); typed as serde_json::Value",
            ]
        );
    }

    #[test]
    fn nullable_array_elements_and_huge_integers() {
        let samples = [json!({"a": [1, null], "b": 18_446_744_073_709_551_615_u64})];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        space.top_level(&shape, "R", "response", &mut cx());
        let fields = &space.structs[0].fields;
        assert_eq!(fields[0].ty, Ty::Vec(Box::new(Ty::Option(Box::new(Ty::I64)))));
        assert_eq!(fields[1].ty, Ty::F64);
    }

    #[test]
    fn error_types_are_per_request_structs_or_aliases() {
        let mut space = TypeSpace::default();
        let a = Shape::of(&json!({"message": "x"}));
        let b = Shape::of(&json!({"message": "y", "code": 1}));
        let c = Shape::of(&json!([1]));
        assert_eq!(space.error_type(&a, "AError", "a".into(), &mut cx()), Some(("AError".to_owned(), Ty::Struct(0))));
        assert_eq!(space.error_type(&b, "BError", "b".into(), &mut cx()), Some(("BError".to_owned(), Ty::Struct(1))));
        // The same structure as an earlier error: an alias of its struct.
        let again = Shape::of(&json!({"message": "z"}));
        assert_eq!(space.error_type(&again, "AgainError", "again".into(), &mut cx()), Some(("AgainError".to_owned(), Ty::Alias(0))));
        assert_eq!(space.aliases[0].ty, Ty::Struct(0));
        assert_eq!(space.aliases[0].docs, "again\n\nThe same structure as [`AError`].");
        assert_eq!(
            space.error_type(&c, "CError", "c".into(), &mut cx()),
            Some(("CError".to_owned(), Ty::Vec(Box::new(Ty::I64))))
        );
        assert_eq!(space.error_type(&Shape::of(&json!({})), "DError", "d".into(), &mut cx()), None);
        assert!(space.structs[0].error && space.structs[1].error);
        let aliases: Vec<&str> = space.aliases.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(aliases, ["AgainError", "CError"]);
    }

    #[test]
    fn overrides_rename_retype_and_require() {
        let text = r#"
            types = { "response" = "Chat", "response.members[]" = "Member" }
            [fields."response.members[].email_id"]
            rename = "email"
            required = true
            [fields."response.kind"]
            type = "ChatKind"
            [fields."response.count"]
            type = "f64"
            required = false
            [fields."response.nothing"]
            required = true
        "#;
        let item: ItemOverride = toml::from_str(text).unwrap();
        let samples = [
            json!({"kind": "direct", "count": 1, "members": [{"email_id": "a@b", "id": 1}]}),
            json!({"kind": "group", "count": 2, "members": [{"id": 2}]}),
        ];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let mut cx = Cx::new(&["F".into(), "R".into()], Some(&item));
        let ty = space.top_level(&shape, "GetChatResponse", "response", &mut cx);
        let chat = match ty {
            Ty::Struct(i) => &space.structs[i],
            other => panic!("{other:?}"),
        };
        assert_eq!(chat.name, "Chat");
        assert_eq!(chat.fields[0].ty, Ty::Enum("ChatKind".into()));
        assert_eq!((&chat.fields[1].ty, chat.fields[1].required), (&Ty::F64, false));
        let member = &space.structs[0];
        assert_eq!(member.name, "Member");
        assert_eq!(member.fields[0].ident, "email");
        assert_eq!(member.fields[0].wire, "email_id");
        assert!(member.fields[0].required);
        assert_eq!(cx.lossy_paths("response"), ["response.members[].email_id"]);
        assert!(cx.lossy_paths("body").is_empty());
        let warnings = cx.finish();
        assert_eq!(warnings, ["warning: F / R: override `response.nothing` matches no JSON value of the request's samples"]);
    }

    #[test]
    fn shapes_nested_too_deep_end_in_value_with_a_warning() {
        let text = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        let shape = Shape::of(&serde_json::from_str(&text).unwrap());
        let mut space = TypeSpace::default();
        let mut arrays_cx = cx();
        let mut ty = space.top_level(&shape, "Body", "body", &mut arrays_cx);
        let mut vecs = 0;
        while let Ty::Vec(item) = ty {
            vecs += 1;
            ty = *item;
        }
        assert_eq!((vecs, ty), (MAX_DEPTH, Ty::Value));
        let path = format!("body{}", "[]".repeat(MAX_DEPTH));
        let expected = format!("field `{path}` is nested more than {MAX_DEPTH} arrays or objects deep");
        assert!(arrays_cx.finish()[0].contains(&expected));

        // Objects count too; a scalar at the limit stays typed.
        let text = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        let shape = Shape::of(&serde_json::from_str(&text).unwrap());
        let mut space = TypeSpace::default();
        let mut objects_cx = cx();
        space.top_level(&shape, "Body", "body", &mut objects_cx);
        assert_eq!(space.structs.len(), MAX_DEPTH);
        assert_eq!(space.structs[0].fields[0].ty, Ty::I64);
        assert!(objects_cx.finish().is_empty());
    }

    fn field_ty(space: &TypeSpace, ty: &Ty, key: &str) -> Ty {
        let Ty::Struct(index) = ty else { panic!("{ty:?}") };
        space.structs[*index].fields.iter().find(|f| f.wire == key).unwrap().ty.clone()
    }

    #[test]
    fn keys_that_are_data_make_a_map() {
        let samples = [
            json!({"teams": {"4435961": "a", "4453461": "b"}, "by_day": {"2024-05-01": 1}, "people": {"a@b.io": {"n": 1}}}),
            json!({"teams": {"77": null}, "by_day": {}, "ids": {"0b9c1b2e-8f3a-4c5d-9e6f-7a8b9c0d1e2f": [1]}}),
        ];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let mut cx = cx();
        let ty = space.top_level(&shape, "R", "response", &mut cx);
        let map = |ty: Ty| Ty::Map(Box::new(ty));
        assert_eq!(field_ty(&space, &ty, "teams"), map(Ty::Option(Box::new(Ty::String))));
        assert_eq!(field_ty(&space, &ty, "by_day"), map(Ty::I64));
        assert_eq!(field_ty(&space, &ty, "ids"), map(Ty::Vec(Box::new(Ty::I64))));
        let Ty::Map(person) = field_ty(&space, &ty, "people") else { panic!() };
        let Ty::Struct(person) = *person else { panic!() };
        assert_eq!(space.structs[person].name, "RPeopleValue");
        assert!(cx.finish().is_empty());
    }

    #[test]
    fn disjoint_keys_with_records_of_one_shape_make_a_map() {
        let samples = [
            json!({"refs": {"ok": {"type": "button", "label": "OK"}, "no": {"type": "button", "label": "No"}}}),
            json!({"refs": {"later": {"type": "button", "label": "Later"}}}),
        ];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let ty = space.top_level(&shape, "B", "body", &mut cx());
        assert!(matches!(field_ty(&space, &ty, "refs"), Ty::Map(_)));
    }

    #[test]
    fn structs_stay_structs() {
        let cases = [
            // One sample: nothing says its keys are data.
            vec![json!({"o": {"alice": {"n": 1}, "bob": {"n": 2}}})],
            // A key seen twice is a field.
            vec![json!({"o": {"a": {"n": 1}, "b": {"n": 2}}}), json!({"o": {"a": {"n": 3}, "c": {"n": 4}}})],
            // Disjoint optional fields of a PATCH body (scalars).
            vec![json!({"o": {"name": "x", "title": "y"}}), json!({"o": {"description": "z"}})],
            // Records of different shapes.
            vec![json!({"o": {"a": {"n": 1}, "b": {"n": 2}}}), json!({"o": {"c": {"m": 1}}})],
            // Names and numbers mixed.
            vec![json!({"o": {"123": 1, "total": 2}})],
        ];
        for samples in cases {
            let shape = Shape::of_all(&samples).unwrap();
            let mut space = TypeSpace::default();
            let ty = space.top_level(&shape, "B", "body", &mut cx());
            assert!(matches!(field_ty(&space, &ty, "o"), Ty::Struct(_)), "{samples:?}");
        }
    }

    #[test]
    fn overrides_force_a_map_and_name_its_values() {
        let text = r#"
            [fields."body.references"]
            type = "map"
            [fields."body.references[].label"]
            required = false
            [fields."body.text"]
            type = "map"
        "#;
        let item: ItemOverride = toml::from_str(text).unwrap();
        let samples = [json!({"text": "hi", "references": {"reference_key": {"type": "button", "label": "x"}}})];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let mut cx = Cx::new(&["F".into(), "R".into()], Some(&item));
        let ty = space.top_level(&shape, "B", "body", &mut cx);
        assert_eq!(field_ty(&space, &ty, "text"), Ty::String);
        let Ty::Map(value) = field_ty(&space, &ty, "references") else { panic!() };
        let Ty::Struct(value) = *value else { panic!() };
        let label = space.structs[value].fields.iter().find(|f| f.wire == "label").unwrap();
        assert!(!label.required, "the override at `body.references[].label` applies to the map's values");
        assert_eq!(
            cx.finish(),
            ["warning: F / R: override `map` for `body.text`, but no sample has an object with keys there; ignored"]
        );
    }

    #[test]
    fn data_keys() {
        for key in ["0", "4435961", "0b9c1b2e-8f3a-4c5d-9e6f-7a8b9c0d1e2f", "a.b@c.io", "2024-05-01"] {
            assert!(data_key(key), "{key}");
        }
        for key in ["", "id", "v2", "12h", "a@b", "x y@c.io", "2024-5-1", "0b9c1b2e-8f3a-4c5d-9e6f", "first-name"] {
            assert!(!data_key(key), "{key}");
        }
    }

    #[test]
    fn query_parameters_are_typed_when_their_text_round_trips() {
        let param = |name: &str, value: &str, samples: &[&str]| QueryParam {
            name: name.into(),
            example: (!value.is_empty()).then(|| value.into()),
            required: !value.is_empty(),
            enabled: true,
            samples: samples.iter().map(|s| s.to_string()).collect(),
            docs: String::new(),
        };
        let cases = [
            (param("limit", "20", &["50"]), Ty::I64),
            (param("from_time", "-1704067200000", &[]), Ty::I64),
            (param("joined", "true", &["false"]), Ty::Bool),
            (param("limit", "020", &[]), Ty::String),
            (param("limit", "+5", &[]), Ty::String),
            (param("limit", "99999999999999999999", &[]), Ty::String),
            (param("limit", "20", &["all"]), Ty::String),
            (param("limit", "{{page_size}}", &[]), Ty::String),
            (param("flag", "True", &[]), Ty::String),
            (param("flag", "true", &["1"]), Ty::String),
            // Enabled without a value: sent as `limit=`.
            (param("limit", "", &["20"]), Ty::String),
            (param("user_ids", "1234567890", &[]), Ty::String),
            (param("chid", "1234567890", &[]), Ty::String),
            (param("next_token", "1", &[]), Ty::String),
            (param("zip", "94105", &[]), Ty::String),
        ];
        for (p, expected) in cases {
            assert_eq!(query_type(&p, &mut cx()), expected, "{p:?}");
        }
        let disabled = QueryParam { enabled: false, required: false, ..param("limit", "", &[]) };
        assert_eq!(query_type(&disabled, &mut cx()), Ty::String);
        let item: ItemOverride = toml::from_str("fields.\"query.limit\" = { type = \"string\" }").unwrap();
        let mut cx = Cx::new(&["F".into(), "R".into()], Some(&item));
        assert_eq!(query_type(&param("limit", "20", &[]), &mut cx), Ty::String);
        assert!(cx.finish().is_empty(), "the override is used");
    }

    #[test]
    fn names_do_not_collide() {
        let mut space = TypeSpace::default();
        space.reserve("GetQuery");
        assert_eq!(space.unique_name("GetQuery"), "GetQuery2");
    }
}
