//! Overrides: what the collection cannot say about its types, written by hand in
//! `collection/codegen.toml` (see the README's "Overrides" section).
//!
//! ```toml
//! [crate.enums.ChatType]
//! values = ["direct", "group", "channel"]
//!
//! [crate.overrides."Chats / Create chat"]          # Postman item id, or item path
//! types = { "response" = "Chat" }                   # rename the type at a JSON path
//! fields."body.users[].email_id" = { rename = "email", required = true }
//! fields."response.chat_type" = { type = "ChatType" }
//! fields."query.limit" = { type = "string" }        # a query parameter's type
//! ```
//!
//! JSON paths start at `body` (the JSON request body), `variables` (GraphQL variables),
//! `response` (the merged success responses) or `error` (the merged 4xx/5xx responses), or
//! name a query parameter (`query.<name>`, only its `type`: string, i64, bool or an enum); `.key`
//! selects a field (`["key"]` when the key holds `.`, `[`, `]`, `"`, `\` or whitespace) and `[]`
//! the elements of an array or the values of a map. Nothing here knows any particular API.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::ir::{Module, Operation};
use crate::names::{ident, Case};

/// The roots a JSON path may start at.
pub const ROOTS: &[&str] = &["body", "variables", "response", "error", "query"];

/// The types a query parameter may be given: each writes back the text it was read from.
const QUERY_TYPES: &[&str] = &["string", "i64", "bool"];

/// Built-in type names for `type = "..."`.
pub const BUILTIN_TYPES: &[&str] = &["string", "i64", "f64", "bool", "value", "map"];

/// Root-level names every generated crate defines (declared enums must not take them).
const CRATE_NAMES: &[&str] = &[
    "Client", "ClientBuilder", "ClientDefaults", "Environment", "Error", "FilePart", "OAuth",
    "Response", "TokenSet", "TokenStore", "UnknownEnvironment",
];

/// Every override of one crate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Declared enums by Rust type name.
    pub enums: BTreeMap<String, EnumDecl>,
    /// Per-request overrides, keyed by Postman item id or item path (`Folder / Request`).
    pub items: BTreeMap<String, ItemOverride>,
}

/// A declared string enum: one variant per value, plus `Unknown(String)` for values the
/// server adds later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumDecl {
    /// The wire values, in order.
    pub values: Vec<EnumValue>,
    /// Documentation (Markdown).
    #[serde(default)]
    pub docs: String,
}

/// One value of an enum: `"paid"`, or `{ value = "paid", docs = "…" }` to document it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "EnumValueForm")]
pub struct EnumValue {
    /// The value on the wire.
    pub value: String,
    /// Documentation of this value (Markdown); empty for none.
    pub docs: String,
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "a string, or a table `{ value = \"…\", docs = \"…\" }`")]
enum EnumValueForm {
    Plain(String),
    Documented { value: String, #[serde(default)] docs: String },
}

impl From<EnumValueForm> for EnumValue {
    fn from(form: EnumValueForm) -> Self {
        match form {
            EnumValueForm::Plain(value) => EnumValue { value, docs: String::new() },
            EnumValueForm::Documented { value, docs } => EnumValue { value, docs },
        }
    }
}

impl From<&str> for EnumValue {
    fn from(value: &str) -> Self {
        EnumValue { value: value.to_owned(), docs: String::new() }
    }
}

/// The overrides of one request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemOverride {
    /// Leave the request out of the generated crate.
    #[serde(default)]
    pub skip: bool,
    /// JSON path of an object (or the root) → the name of its generated type.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// JSON path of a field (or array element, or root) → what to change.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldOverride>,
    /// How the request pages, or `false` for no stream functions (see [`crate::paging`]).
    #[serde(default)]
    pub pagination: Option<crate::paging::PaginationOverride>,
}

/// What to change about one field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOverride {
    /// The Rust field name (the JSON key stays the same).
    #[serde(default)]
    pub rename: Option<String>,
    /// `string`, `i64`, `f64`, `bool`, `value`, a declared enum, or `map` (an object whose keys
    /// are data: `BTreeMap<String, T>`, `T` inferred from its values, at `path[]`).
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// `true`: a plain field; `false`: an `Option`.
    #[serde(default)]
    pub required: Option<bool>,
    /// With `type = "enum"`: the values of an enum declared right here (see
    /// [`Overrides::with_inline_enums`]).
    #[serde(default)]
    pub values: Option<Vec<EnumValue>>,
    /// With `type = "enum"`: the enum's type name (default: the field's key in UpperCamelCase).
    #[serde(default)]
    pub name: Option<String>,
    /// With `type = "enum"`: the enum's documentation.
    #[serde(default)]
    pub docs: Option<String>,
}

/// The `type` that declares an enum inline.
pub const INLINE_ENUM: &str = "enum";

impl Overrides {
    /// Whether there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.enums.is_empty() && self.items.is_empty()
    }

    /// Declares every inline enum (`type = "enum"` with `values`) under `enums` and points its
    /// field at it, then validates the result. The enum is named by `name`, or by the field's
    /// key (`body.chat_type` → `ChatType`, `query.sort` → `Sort`); inline enums of one name and
    /// the same values are one type. Two with one name and different values are an error rather
    /// than a numbered name, so adding a request never renames another request's enum.
    pub fn with_inline_enums(&self) -> Result<Overrides, String> {
        let mut out = self.clone();
        for (key, item) in &mut out.items {
            for (path, field) in &mut item.fields {
                let at = |what: String| format!("overrides.\"{key}\": `{path}`: {what}");
                let inline = field.ty.as_deref() == Some(INLINE_ENUM);
                if !inline {
                    if field.values.is_some() || field.name.is_some() || field.docs.is_some() {
                        return Err(at("`values`, `name` and `docs` belong to `type = \"enum\"`".into()));
                    }
                    continue;
                }
                let values = field.values.take().ok_or_else(|| at("`type = \"enum\"` needs `values`".into()))?;
                let last_key = segments(path).into_iter().rev().find(|s| s != "[]").unwrap_or_else(|| path.clone());
                let name = field.name.take().unwrap_or_else(|| ident(&last_key, Case::UpperCamel));
                let decl = EnumDecl { values, docs: field.docs.take().unwrap_or_default() };
                match out.enums.get(&name) {
                    Some(existing) if existing.values != decl.values => {
                        return Err(at(format!(
                            "enum `{name}` is declared elsewhere with other values; give this one its own `name`"
                        )));
                    }
                    Some(_) => {}
                    None => {
                        out.enums.insert(name.clone(), decl);
                    }
                }
                field.ty = Some(name);
            }
        }
        out.validate()?;
        Ok(out)
    }

    /// Checks names, types and paths; the message names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        for (name, decl) in &self.enums {
            if ident(name, Case::UpperCamel) != *name || CRATE_NAMES.contains(&name.as_str()) {
                return Err(format!("enum name `{name}` must be an UpperCamelCase type name not used by the crate itself"));
            }
            if decl.values.is_empty() {
                return Err(format!("enum `{name}` has no `values`"));
            }
            let distinct: BTreeSet<&String> = decl.values.iter().map(|v| &v.value).collect();
            if distinct.len() != decl.values.len() {
                return Err(format!("enum `{name}` lists a value twice"));
            }
        }
        for (key, item) in &self.items {
            let at = |what: String| format!("overrides.\"{key}\": {what}");
            item.pagination.as_ref().map_or(Ok(()), crate::paging::validate).map_err(at)?;
            for (path, name) in &item.types {
                check_path(path).map_err(at)?;
                if ident(name, Case::UpperCamel) != *name {
                    return Err(at(format!("type name `{name}` for `{path}` is not an UpperCamelCase identifier")));
                }
                if self.enums.contains_key(name) || CRATE_NAMES.contains(&name.as_str()) {
                    return Err(at(format!("type name `{name}` for `{path}` is taken")));
                }
            }
            for (path, field) in &item.fields {
                check_path(path).map_err(at)?;
                check_query_override(path, field, &self.enums).map_err(at)?;
                if let Some(rename) = &field.rename {
                    if ident(rename, Case::Snake) != *rename {
                        return Err(at(format!("field name `{rename}` for `{path}` is not a snake_case identifier")));
                    }
                }
                if let Some(ty) = &field.ty {
                    if !BUILTIN_TYPES.contains(&ty.as_str()) && !self.enums.contains_key(ty) {
                        return Err(at(format!(
                            "unknown type `{ty}` for `{path}`: use {} or an enum declared under `enums`",
                            BUILTIN_TYPES.join(", ")
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// The overrides of one request: by item id first, then by item path.
    pub fn for_operation(&self, op: &Operation) -> Option<&ItemOverride> {
        self.items.get(&op.key).or_else(|| self.items.get(&op.item_path.join(" / ")))
    }

    /// Removes skipped requests from `root`; returns a warning for every key that matches no
    /// request.
    pub fn apply_skips(&self, root: &mut Module) -> Vec<String> {
        let mut matched = BTreeSet::new();
        self.skip_in(root, &mut matched);
        self.items
            .keys()
            .filter(|key| !matched.contains(key.as_str()))
            .map(|key| format!("warning: codegen overrides: `{key}` matches no request (use the Postman item id or the item path `Folder / Request`)"))
            .collect()
    }

    fn skip_in<'a>(&'a self, module: &mut Module, matched: &mut BTreeSet<&'a str>) {
        module.operations.retain(|op| {
            let mut skip = false;
            for key in [op.key.clone(), op.item_path.join(" / ")] {
                if let Some((key, item)) = self.items.get_key_value(&key) {
                    matched.insert(key.as_str());
                    skip |= item.skip;
                }
            }
            !skip
        });
        for child in &mut module.modules {
            self.skip_in(child, matched);
        }
    }
}

/// A query parameter's override (`query.<name>`) sets only its type, to one that writes back
/// the text it was read from (an `f64` or a JSON value would not).
fn check_query_override(path: &str, field: &FieldOverride, enums: &BTreeMap<String, EnumDecl>) -> Result<(), String> {
    if path.split(['.', '[']).next() != Some("query") {
        return Ok(());
    }
    if segments(path).len() != 1 || path.ends_with("[]") {
        return Err(format!("`{path}` must name one query parameter: `query.<name>`"));
    }
    if field.rename.is_some() || field.required.is_some() {
        return Err(format!("`{path}`: a query parameter's override may only set `type`"));
    }
    match &field.ty {
        Some(ty) if QUERY_TYPES.contains(&ty.as_str()) || enums.contains_key(ty) => Ok(()),
        Some(ty) => Err(format!("type `{ty}` for `{path}`: a query parameter may be {} or an enum", QUERY_TYPES.join(", "))),
        None => Err(format!("`{path}` sets no `type`")),
    }
}

/// A JSON path must start at one of [`ROOTS`] and be well formed.
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    let root = path.split(['.', '[']).next().unwrap_or_default();
    if !ROOTS.contains(&root) {
        return Err(format!("JSON path `{path}` must start with one of {}", ROOTS.join(", ")));
    }
    let mut rest = &path[root.len()..];
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[]") {
            rest = after;
        } else if let Some(after) = rest.strip_prefix("[\"") {
            let end = after.find("\"]").ok_or_else(|| format!("JSON path `{path}`: unterminated `[\"`"))?;
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return Err(format!("JSON path `{path}` has an empty key"));
            }
            rest = &after[end..];
        } else {
            return Err(format!("JSON path `{path}` is not of the form `root.key[].key`"));
        }
    }
    Ok(())
}

/// The path of field `key` under `parent`, in the syntax overrides and warnings use.
pub fn child_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty() && !key.chars().any(|c| matches!(c, '.' | '[' | ']' | '"' | '\\') || c.is_whitespace() || c.is_control());
    if plain {
        format!("{parent}.{key}")
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_default();
        format!("{parent}[{quoted}]")
    }
}

/// The keys of a JSON path after its root, with `[]` for "every element":
/// `response.data[][\"a b\"]` → `["data", "[]", "a b"]`.
pub fn segments(path: &str) -> Vec<String> {
    let root = path.split(['.', '[']).next().unwrap_or_default();
    let mut rest = &path[root.len()..];
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[]") {
            out.push("[]".to_owned());
            rest = after;
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find("\"]").map(|e| e + 1).unwrap_or(after.len());
            out.push(serde_json::from_str(&after[..end]).unwrap_or_default());
            rest = after.get(end + 1..).unwrap_or_default();
        } else {
            let after = rest.strip_prefix('.').unwrap_or(rest);
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Overrides {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            enums: BTreeMap<String, EnumDecl>,
            #[serde(default)]
            overrides: BTreeMap<String, ItemOverride>,
        }
        let file: File = toml::from_str(text).unwrap();
        Overrides { enums: file.enums, items: file.overrides }
    }

    #[test]
    fn paths() {
        assert_eq!(child_path("body", "users"), "body.users");
        assert_eq!(child_path("body.users[]", "first name"), "body.users[][\"first name\"]");
        for good in ["body", "response.data[].id", "error.a[\"b.c\"].d", "variables[]"] {
            check_path(good).unwrap();
        }
        for bad in ["data.id", "body..x", "body.x[\"y", "bodyx", "response x"] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        assert_eq!(segments("response.data[][\"a b\"].c"), ["data", "[]", "a b", "c"]);
        assert!(segments("body").is_empty());
    }

    #[test]
    fn validation_names_the_key() {
        let o = parse("[enums.Kind]\nvalues = [\"a\", \"b\"]\n[overrides.\"F / R\"]\nfields.\"body.x\" = { type = \"Kind\" }\n");
        o.validate().unwrap();
        let o = parse("[overrides.\"F / R\"]\nfields.\"body.x\" = { type = \"Nope\" }\n");
        let err = o.validate().unwrap_err();
        assert!(err.contains("overrides.\"F / R\"") && err.contains("unknown type `Nope`"), "{err}");
        let o = parse("[overrides.r]\ntypes.\"body\" = \"not_camel\"\n");
        assert!(o.validate().unwrap_err().contains("not an UpperCamelCase"));
        let o = parse("[enums.Error]\nvalues = [\"a\"]\n");
        assert!(o.validate().is_err());
        let o = parse("[enums.E]\nvalues = []\n");
        assert!(o.validate().unwrap_err().contains("no `values`"));
        let o = parse("[overrides.r]\nfields.\"data.x\" = { required = true }\n");
        assert!(o.validate().unwrap_err().contains("must start with"));
        parse("[overrides.r]\nfields.\"query.limit\" = { type = \"i64\" }\n").validate().unwrap();
        for (bad, needle) in [
            ("fields.\"query.a.b\" = { type = \"i64\" }", "must name one query parameter"),
            ("fields.\"query\" = { type = \"i64\" }", "must name one query parameter"),
            ("fields.\"query.a\" = { type = \"f64\" }", "may be string, i64, bool or an enum"),
            ("fields.\"query.a\" = { rename = \"b\" }", "may only set `type`"),
        ] {
            let err = parse(&format!("[overrides.r]\n{bad}\n")).validate().unwrap_err();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }

    #[test]
    fn inline_enums_are_declared_named_and_shared() {
        let o = parse(
            "[overrides.\"F / A\".fields]\n\
             \"body.chat_type\" = { type = \"enum\", values = [\"direct\", { value = \"group\", docs = \"Many people.\" }] }\n\
             \"query.sort\" = { type = \"enum\", name = \"SortOrder\", docs = \"How.\", values = [\"asc\", \"desc\"] }\n\
             \"response.tags[]\" = { type = \"enum\", values = [\"x\"] }\n\
             [overrides.\"F / B\".fields]\n\
             \"response.data[].chat_type\" = { type = \"enum\", values = [\"direct\", { value = \"group\", docs = \"Many people.\" }] }\n",
        )
        .with_inline_enums()
        .unwrap();
        assert_eq!(o.enums.keys().collect::<Vec<_>>(), ["ChatType", "SortOrder", "Tags"]);
        let chat = &o.enums["ChatType"];
        assert_eq!(chat.values, [EnumValue::from("direct"), EnumValue { value: "group".into(), docs: "Many people.".into() }]);
        assert_eq!(o.enums["SortOrder"].docs, "How.");
        let field = |item: &str, path: &str| o.items[item].fields[path].clone();
        assert_eq!(field("F / A", "body.chat_type").ty.as_deref(), Some("ChatType"));
        assert_eq!(field("F / B", "response.data[].chat_type").ty.as_deref(), Some("ChatType"));
        assert_eq!(field("F / A", "query.sort"), FieldOverride { ty: Some("SortOrder".into()), ..Default::default() });

        for (bad, needle) in [
            ("\"body.a\" = { type = \"enum\" }", "needs `values`"),
            ("\"body.a\" = { type = \"string\", values = [\"x\"] }", "belong to `type = \"enum\"`"),
            ("\"body.a\" = { type = \"enum\", values = [] }", "no `values`"),
            ("\"body.a\" = { type = \"enum\", values = [\"x\", \"x\"] }", "lists a value twice"),
            ("\"body.a\" = { type = \"enum\", values = [\"x\"] }\n\"body.b.a\" = { type = \"enum\", values = [\"y\"] }", "declared elsewhere with other values"),
            ("\"body.error\" = { type = \"enum\", values = [\"x\"] }", "enum name `Error`"),
        ] {
            let err = parse(&format!("[overrides.r.fields]\n{bad}\n")).with_inline_enums().unwrap_err();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }

    #[test]
    fn skips_by_id_or_path_and_reports_unmatched_keys() {
        let op = |name: &str, key: &str| Operation {
            name: name.into(),
            key: key.into(),
            item_path: vec!["F".into(), name.into()],
            ..Default::default()
        };
        let mut root = Module { operations: vec![op("A", "id-a"), op("B", "id-b"), op("C", "id-c")], ..Default::default() };
        let o = parse("[overrides.id-a]\nskip = true\n[overrides.\"F / B\"]\nskip = true\n[overrides.\"F / C\"]\n[overrides.nothing]\nskip = true\n");
        let warnings = o.apply_skips(&mut root);
        let names: Vec<&str> = root.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["C"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("`nothing` matches no request"), "{warnings:?}");
        assert!(o.for_operation(&root.operations[0]).is_some());
    }
}
