//! Stage 5: JSON samples → types.
//!
//! Every sample of one shape (a request body, its saved examples' request bodies, all saved
//! success responses) is merged into one [`Shape`]: a field present and non-null in every
//! sample is required, anything else is optional; integers and floats merge to floats; an
//! array's element type is the merge of all its elements; shapes that cannot merge become
//! `serde_json::Value`. Shapes are then interned into a [`TypeSpace`]: nested structs with the
//! same structure are emitted once per module and shared.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::names::{assign_unique, ident, Case};

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
    /// Conflicting samples.
    Any,
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
            Value::Number(n) if n.is_f64() => Kind::Float,
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
            _ => Kind::Any,
        };
        Shape { kind, nullable }
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
    /// A struct in the type space, by index.
    Struct(usize),
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
}

/// The structs of one module, deduplicated by structure.
#[derive(Debug, Default)]
pub struct TypeSpace {
    /// Structs in creation order.
    pub structs: Vec<StructDef>,
    by_structure: BTreeMap<Vec<Field>, usize>,
    taken: BTreeMap<String, ()>,
}

impl TypeSpace {
    /// Reserves a name (e.g. a query struct) so no inferred struct takes it.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned(), ());
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

    /// The type for `shape`; a top-level object always gets its own struct called `name`.
    pub fn top_level(&mut self, shape: &Shape, name: &str) -> Ty {
        match &shape.kind {
            Kind::Object(object) if !object.fields.is_empty() => {
                let fields = self.fields(object, name);
                let name = self.unique_name(name);
                self.structs.push(StructDef { name, fields });
                Ty::Struct(self.structs.len() - 1)
            }
            _ => self.ty(shape, name),
        }
    }

    fn ty(&mut self, shape: &Shape, name: &str) -> Ty {
        match &shape.kind {
            Kind::Never | Kind::Any => Ty::Value,
            Kind::Bool => Ty::Bool,
            Kind::Int => Ty::I64,
            Kind::Float => Ty::F64,
            Kind::Str => Ty::String,
            Kind::Array(item) => Ty::Vec(Box::new(self.ty(item, &format!("{name}Item")))),
            Kind::Object(object) if object.fields.is_empty() => Ty::Value,
            Kind::Object(object) => {
                let fields = self.fields(object, name);
                if let Some(&existing) = self.by_structure.get(&fields) {
                    return Ty::Struct(existing);
                }
                let name = self.unique_name(name);
                self.structs.push(StructDef { name, fields: fields.clone() });
                let index = self.structs.len() - 1;
                self.by_structure.insert(fields, index);
                Ty::Struct(index)
            }
        }
    }

    fn fields(&mut self, object: &Object, parent: &str) -> Vec<Field> {
        let keyed: Vec<(String, String)> =
            object.fields.iter().map(|(k, _, _)| (k.clone(), ident(k, Case::Snake))).collect();
        let idents = assign_unique(&keyed, Case::Snake, &[]);
        object
            .fields
            .iter()
            .zip(idents)
            .map(|((key, shape, count), field_ident)| {
                // A part of a longer name needs no keyword escape (`From_` → `MsgFrom`).
                let child = format!("{parent}{}", ident(key, Case::UpperCamel).trim_end_matches('_'));
                Field {
                    ident: field_ident,
                    wire: key.clone(),
                    ty: self.ty(shape, &child),
                    required: *count == object.samples && !shape.nullable && shape.kind != Kind::Never,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn required_and_optional_from_samples() {
        let samples = [json!({"a": 1, "b": "x", "c": null}), json!({"a": 2.5, "c": "y"})];
        let shape = Shape::of_all(&samples).unwrap();
        let mut space = TypeSpace::default();
        let ty = space.top_level(&shape, "Body");
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
        space.top_level(&shape, "Msg");
        assert_eq!(space.structs.len(), 2, "{:?}", space.structs);
        let names: Vec<&str> = space.structs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["MsgFrom", "Msg"]);
        let fields = &space.structs[1].fields;
        assert_eq!(fields[0].ty, fields[1].ty);
        assert_eq!(fields[2].ty, Ty::Vec(Box::new(Ty::Value)));
    }

    #[test]
    fn names_do_not_collide() {
        let mut space = TypeSpace::default();
        space.reserve("GetQuery");
        assert_eq!(space.unique_name("GetQuery"), "GetQuery2");
    }
}
