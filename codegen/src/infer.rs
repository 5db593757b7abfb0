//! Stage 5: JSON samples → types.
//!
//! Every sample of one shape (a request body, its saved examples' request bodies, all saved
//! success responses) is merged into one [`Shape`]: a field present and non-null in every
//! sample is required, anything else is optional; integers and floats merge to floats; an
//! array's element type is the merge of all its elements; shapes that cannot merge become
//! `serde_json::Value`. Shapes are then interned into a [`TypeSpace`]: nested structs with the
//! same structure are emitted once per module and shared.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

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

    /// Whether this is an object with at least one field (what becomes a struct).
    pub fn is_object(&self) -> bool {
        matches!(&self.kind, Kind::Object(o) if !o.fields.is_empty())
    }
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
    /// `Option<T>` (array elements that can be `null`; fields use [`Field::required`]).
    Option(Box<Ty>),
    /// A struct in the type space, by index.
    Struct(usize),
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

    fn warn(&mut self, message: String) {
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

    fn type_override(&mut self, path: &str) -> Option<Ty> {
        let name = self.field(path)?.ty.as_deref()?;
        Some(match name {
            "string" => Ty::String,
            "i64" => Ty::I64,
            "f64" => Ty::F64,
            "bool" => Ty::Bool,
            "value" => Ty::Value,
            other => Ty::Enum(other.to_owned()),
        })
    }
}

/// The structs of one module, deduplicated by structure.
#[derive(Debug, Default)]
pub struct TypeSpace {
    /// Structs in creation order.
    pub structs: Vec<StructDef>,
    /// Type aliases in creation order.
    pub aliases: Vec<Alias>,
    by_structure: BTreeMap<Vec<Field>, usize>,
    taken: BTreeMap<String, ()>,
}

impl TypeSpace {
    /// Reserves a name (e.g. a query struct) so no inferred struct takes it.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned(), ());
    }

    /// Starts the types of the next request: structurally identical nested structs are shared
    /// within one request only, so editing one request's samples never changes another's types.
    pub fn start_operation(&mut self) {
        self.by_structure.clear();
    }

    /// A name nobody has taken yet, derived from `base` deterministically.
    pub fn unique_name(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.taken.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone(), ());
        name
    }

    /// The type for `shape` found at JSON path `root` (`body`, `response`, …); a top-level
    /// object always gets its own struct called `name` (or the override's name).
    pub fn top_level(&mut self, shape: &Shape, name: &str, root: &str, cx: &mut Cx<'_>) -> Ty {
        self.ty(shape, name, root, cx, true)
    }

    /// The error body type of one request, called `name` (or the override's name): a struct
    /// of its own (so one request's examples never change another's type), or an alias when the
    /// body is not an object. Returns the public name and the type it stands for; `None` when
    /// the bodies give no type (only `null`, `{}` or conflicting samples).
    pub fn error_type(&mut self, shape: &Shape, name: &str, docs: String, cx: &mut Cx<'_>) -> Option<(String, Ty)> {
        const ROOT: &str = "error";
        let renamed = cx.type_name(ROOT);
        let name = renamed.unwrap_or(name);
        let overridden = cx.type_override(ROOT);
        if let (None, Kind::Object(object)) = (&overridden, &shape.kind) {
            if !object.fields.is_empty() {
                let fields = self.fields(object, name, ROOT, cx);
                let public = self.named(name, renamed.is_some(), cx);
                self.structs.push(StructDef { name: public.clone(), fields, docs: Some(docs), error: true });
                return Some((public, Ty::Struct(self.structs.len() - 1)));
            }
        }
        let ty = match overridden {
            Some(ty) => ty,
            None => match self.ty(shape, &format!("{name}Body"), ROOT, cx, false) {
                Ty::Value if renamed.is_none() => return None,
                ty => ty,
            },
        };
        let alias = self.named(name, renamed.is_some(), cx);
        self.aliases.push(Alias { name: alias.clone(), ty: ty.clone(), docs });
        Some((alias, ty))
    }

    /// A unique name for a new type; warns when an override's name had to be changed.
    fn named(&mut self, name: &str, from_override: bool, cx: &mut Cx<'_>) -> String {
        let unique = self.unique_name(name);
        if from_override && unique != name {
            cx.warn(format!("type name `{name}` from the overrides is already taken in this module; using `{unique}`"));
        }
        unique
    }

    fn ty(&mut self, shape: &Shape, name: &str, path: &str, cx: &mut Cx<'_>, fresh: bool) -> Ty {
        if let Some(ty) = cx.type_override(path) {
            return ty;
        }
        let renamed = cx.type_name(path);
        let name = renamed.unwrap_or(name);
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
                let inner = self.ty(item, &format!("{name}Item"), &format!("{path}[]"), cx, false);
                let inner = if item.nullable && !matches!(inner, Ty::Value | Ty::Option(_)) {
                    Ty::Option(Box::new(inner))
                } else {
                    inner
                };
                Ty::Vec(Box::new(inner))
            }
            Kind::Object(object) if object.fields.is_empty() => Ty::Value,
            Kind::Object(object) => {
                let fields = self.fields(object, name, path, cx);
                let shared = !fresh && renamed.is_none();
                if shared {
                    if let Some(&existing) = self.by_structure.get(&fields) {
                        return Ty::Struct(existing);
                    }
                }
                let name = self.named(name, renamed.is_some(), cx);
                self.structs.push(StructDef { name, fields: fields.clone(), docs: None, error: false });
                let index = self.structs.len() - 1;
                if shared {
                    self.by_structure.insert(fields, index);
                }
                Ty::Struct(index)
            }
        }
    }

    fn fields(&mut self, object: &Object, parent: &str, path: &str, cx: &mut Cx<'_>) -> Vec<Field> {
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
            let ty = self.ty(shape, &child, &field_path, cx, false);
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
            fields.push(Field { ident: field_ident, wire: key.clone(), ty, required });
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

    #[test]
    fn required_and_optional_from_samples() {
        let samples = [json!({"a": 1, "b": "x", "c": null}), json!({"a": 2.5, "c": "y"})];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let ty = space.top_level(&shape, "Body", "body", &mut cx());
        assert_eq!(ty, Ty::Struct(0));
        let fields = &space.structs[0].fields;
        assert_eq!(fields[0], Field { ident: "a".into(), wire: "a".into(), ty: Ty::F64, required: true });
        assert!(!fields[1].required, "b is missing from one sample");
        assert_eq!(fields[2].ty, Ty::String);
        assert!(!fields[2].required, "c is null in one sample");
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
        let b = Shape::of(&json!({"message": "y"}));
        let c = Shape::of(&json!([1]));
        assert_eq!(space.error_type(&a, "AError", "a".into(), &mut cx()), Some(("AError".to_owned(), Ty::Struct(0))));
        assert_eq!(space.error_type(&b, "BError", "b".into(), &mut cx()), Some(("BError".to_owned(), Ty::Struct(1))));
        assert_eq!(
            space.error_type(&c, "CError", "c".into(), &mut cx()),
            Some(("CError".to_owned(), Ty::Vec(Box::new(Ty::I64))))
        );
        assert_eq!(space.error_type(&Shape::of(&json!({})), "DError", "d".into(), &mut cx()), None);
        assert!(space.structs[0].error && space.structs[1].error);
        let aliases: Vec<&str> = space.aliases.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(aliases, ["CError"]);
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
    fn names_do_not_collide() {
        let mut space = TypeSpace::default();
        space.reserve("GetQuery");
        assert_eq!(space.unique_name("GetQuery"), "GetQuery2");
    }
}
