//! The serde model of Postman collection (v2.0 / v2.1) and environment files.
//!
//! Lenient where Postman itself is lenient: scalars that may be written as strings, numbers,
//! booleans or `null` are read as `Option<String>`; lists that may be `null` are read as empty;
//! fields that exist in two spellings (`header` as a list or a string, `url` as an object or a
//! string, auth parameters as a list or an object) are read by the visitors in `lenient`.
//! Unknown fields are ignored everywhere.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess};
use serde::Deserialize;
use serde_json::Value;

use super::lenient::{
    bool_or_string, deserialize_via_string_or, list_or_null, opt_scalar_string, StringOr,
};

deserialize_via_string_or!(
    Request, Url, StringOrList, PathSegments, PathSegment, Headers, Description, Script
);

/// A whole collection file.
#[derive(Debug, Deserialize, Default)]
pub struct Collection {
    #[serde(default)]
    pub info: Option<Info>,
    #[serde(default, deserialize_with = "opt_list")]
    pub item: Option<Vec<Item>>,
    #[serde(default)]
    pub auth: Option<Auth>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub variable: Vec<Variable>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub event: Vec<Event>,
    /// v1 collections have `requests`/`order`/`folders` at the top level.
    #[serde(default)]
    pub requests: Option<IgnoredAny>,
    #[serde(default)]
    pub order: Option<IgnoredAny>,
    /// A common mistake (and some exporters) write `items` instead of `item`.
    #[serde(default)]
    pub items: Option<IgnoredAny>,
    /// Environment files have `values`: used to say "this is an environment, not a collection".
    #[serde(default)]
    pub values: Option<IgnoredAny>,
    /// The Postman API wraps exports as `{"collection": {...}}`.
    #[serde(default)]
    pub collection: Option<Box<Collection>>,
}

/// `info` block.
#[derive(Debug, Deserialize, Default)]
pub struct Info {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub name: Option<String>,
    #[serde(default, rename = "_postman_id", deserialize_with = "opt_scalar_string")]
    pub postman_id: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub schema: Option<String>,
    /// Pre-release exports wrote the schema here.
    #[serde(default, rename = "_postman_schema", deserialize_with = "opt_scalar_string")]
    pub postman_schema: Option<String>,
    #[serde(default)]
    pub description: Option<Description>,
}

/// A folder (has `item`) or a request (has `request`).
#[derive(Debug, Deserialize, Default)]
pub struct Item {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub id: Option<String>,
    #[serde(default, rename = "_postman_id", deserialize_with = "opt_scalar_string")]
    pub postman_id: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<Description>,
    #[serde(default, deserialize_with = "opt_list")]
    pub item: Option<Vec<Item>>,
    #[serde(default)]
    pub request: Option<Request>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub response: Vec<ResponseExample>,
    #[serde(default)]
    pub auth: Option<Auth>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub event: Vec<Event>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub variable: Vec<Variable>,
    /// Kept as JSON: only the settings that change what is sent matter here
    /// (`disableBodyPruning`, `disabledSystemHeaders`), and a setting of the wrong type should
    /// not make the whole collection unreadable.
    #[serde(default, rename = "protocolProfileBehavior")]
    pub protocol_profile_behavior: Option<serde_json::Value>,
}

impl Item {
    /// The id Postman gave the item, if any.
    pub fn stable_id(&self) -> Option<&str> {
        self.id.as_deref().or(self.postman_id.as_deref())
    }

    /// The item's own `protocolProfileBehavior` setting `key`, if it has one.
    pub fn behavior(&self, key: &str) -> Option<&serde_json::Value> {
        self.protocol_profile_behavior.as_ref()?.get(key)
    }
}

/// A request: an object, or a bare URL string.
#[derive(Debug)]
pub enum Request {
    Url(String),
    Full(Box<RequestObject>),
}

impl<'de> StringOr<'de> for Request {
    const EXPECTING: &'static str = "a request object or a URL string";
    fn from_string(s: String) -> Self {
        Request::Url(s)
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        RequestObject::deserialize(MapAccessDeserializer::new(map)).map(|r| Request::Full(Box::new(r)))
    }
}

/// The object form of a request.
#[derive(Debug, Deserialize, Default)]
pub struct RequestObject {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub method: Option<String>,
    #[serde(default)]
    pub url: Option<Url>,
    #[serde(default)]
    pub header: Option<Headers>,
    #[serde(default)]
    pub body: Option<Body>,
    #[serde(default)]
    pub auth: Option<Auth>,
    #[serde(default)]
    pub description: Option<Description>,
}

/// `url`: a string, or an object.
#[derive(Debug)]
pub enum Url {
    Raw(String),
    Object(Box<UrlObject>),
}

impl<'de> StringOr<'de> for Url {
    const EXPECTING: &'static str = "a URL string or a URL object";
    fn from_string(s: String) -> Self {
        Url::Raw(s)
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        UrlObject::deserialize(MapAccessDeserializer::new(map)).map(|u| Url::Object(Box::new(u)))
    }
}

/// The object form of `url`.
#[derive(Debug, Deserialize, Default)]
pub struct UrlObject {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub raw: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub protocol: Option<String>,
    #[serde(default)]
    pub host: Option<StringOrList>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub port: Option<String>,
    #[serde(default)]
    pub path: Option<PathSegments>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub query: Vec<KeyValue>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub variable: Vec<Variable>,
}

/// `"a.b.c"` or `["a", "b", "c"]` (`host`, script `exec`).
#[derive(Debug)]
pub enum StringOrList {
    One(String),
    Many(Vec<Scalar>),
}

impl<'de> StringOr<'de> for StringOrList {
    const EXPECTING: &'static str = "a string or a list of strings";
    fn from_string(s: String) -> Self {
        StringOrList::One(s)
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Vec::<Scalar>::deserialize(SeqAccessDeserializer::new(seq)).map(StringOrList::Many)
    }
}

/// A scalar read leniently as text (`null` is `None`).
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(transparent)]
pub struct Scalar(#[serde(deserialize_with = "opt_scalar_string")] pub Option<String>);

/// `path`: `"a/b"` or a list of segments (strings or `{type, value}` objects).
#[derive(Debug)]
pub enum PathSegments {
    One(String),
    Many(Vec<PathSegment>),
}

impl<'de> StringOr<'de> for PathSegments {
    const EXPECTING: &'static str = "a path string or a list of path segments";
    fn from_string(s: String) -> Self {
        PathSegments::One(s)
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Vec::<PathSegment>::deserialize(SeqAccessDeserializer::new(seq)).map(PathSegments::Many)
    }
}

/// One path segment: a string, or `{type, value}`.
#[derive(Debug)]
pub struct PathSegment(pub String);

impl<'de> StringOr<'de> for PathSegment {
    const EXPECTING: &'static str = "a path segment string or object";
    fn from_string(s: String) -> Self {
        PathSegment(s)
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        #[derive(Deserialize)]
        struct Object {
            #[serde(default, deserialize_with = "opt_scalar_string")]
            value: Option<String>,
        }
        let object = Object::deserialize(MapAccessDeserializer::new(map))?;
        Ok(PathSegment(object.value.unwrap_or_default()))
    }
}

/// A query parameter, header, or urlencoded field.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct KeyValue {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub key: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub value: Option<String>,
    #[serde(default, deserialize_with = "bool_or_string")]
    pub disabled: bool,
    #[serde(default)]
    pub description: Option<Description>,
}

/// Headers: a list of key/value objects, or the raw `Name: value\n` text form.
#[derive(Debug)]
pub enum Headers {
    List(Vec<KeyValue>),
    Text(String),
}

impl<'de> StringOr<'de> for Headers {
    const EXPECTING: &'static str = "a list of headers or a header string";
    fn from_string(s: String) -> Self {
        Headers::Text(s)
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Vec::<KeyValue>::deserialize(SeqAccessDeserializer::new(seq)).map(Headers::List)
    }
}

impl Headers {
    /// The headers as key/value pairs, whichever form they were written in.
    pub fn to_list(&self) -> Vec<KeyValue> {
        match self {
            Headers::List(list) => list.clone(),
            Headers::Text(text) => text
                .lines()
                .filter_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    Some(KeyValue {
                        key: Some(key.trim().to_owned()),
                        value: Some(value.trim().to_owned()),
                        ..KeyValue::default()
                    })
                })
                .collect(),
        }
    }
}

/// A request body.
#[derive(Debug, Deserialize, Default)]
pub struct Body {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub mode: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub raw: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub urlencoded: Vec<KeyValue>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub formdata: Vec<FormParam>,
    #[serde(default)]
    pub file: Option<FileRef>,
    #[serde(default)]
    pub graphql: Option<GraphQl>,
    #[serde(default)]
    pub options: Option<BodyOptions>,
    #[serde(default, deserialize_with = "bool_or_string")]
    pub disabled: bool,
}

/// `body.options`.
#[derive(Debug, Deserialize, Default)]
pub struct BodyOptions {
    #[serde(default)]
    pub raw: Option<RawOptions>,
}

/// `body.options.raw`.
#[derive(Debug, Deserialize, Default)]
pub struct RawOptions {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub language: Option<String>,
}

/// `body.file`.
#[derive(Debug, Deserialize, Default)]
pub struct FileRef {
    #[serde(default)]
    pub src: Option<Value>,
}

/// `body.graphql`.
#[derive(Debug, Deserialize, Default)]
pub struct GraphQl {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub query: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub variables: Option<String>,
}

/// A `formdata` part.
#[derive(Debug, Deserialize, Default)]
pub struct FormParam {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub key: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub value: Option<String>,
    #[serde(default)]
    pub src: Option<Value>,
    #[serde(default, rename = "type", deserialize_with = "opt_scalar_string")]
    pub kind: Option<String>,
    #[serde(default, rename = "contentType", deserialize_with = "opt_scalar_string")]
    pub content_type: Option<String>,
    #[serde(default, deserialize_with = "bool_or_string")]
    pub disabled: bool,
    #[serde(default)]
    pub description: Option<Description>,
}

/// An auth block: `type` plus parameters under a key named like the type, either as a list of
/// `{key, value}` (v2.1) or as an object (v2.0).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Auth {
    #[serde(default, rename = "type", deserialize_with = "opt_scalar_string")]
    pub kind: Option<String>,
    #[serde(flatten)]
    pub params: serde_json::Map<String, Value>,
}

impl Auth {
    /// The parameters of the block's own type, as ordered key/value pairs.
    pub fn parameters(&self) -> Vec<(String, String)> {
        let Some(kind) = &self.kind else { return Vec::new() };
        match self.params.get(kind) {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|entry| {
                    let key = entry.get("key")?.as_str()?.to_owned();
                    Some((key, scalar_to_string(entry.get("value")?)))
                })
                .collect(),
            Some(Value::Object(map)) => {
                map.iter().map(|(k, v)| (k.clone(), scalar_to_string(v))).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Renders a JSON scalar the way Postman shows it (objects/arrays as JSON text).
pub fn scalar_to_string(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// A collection, folder or environment variable.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Variable {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub key: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub value: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_scalar_string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "bool_or_string")]
    pub disabled: bool,
    #[serde(default)]
    pub description: Option<Description>,
}

impl Variable {
    /// The variable's name (`key`, or `id` in old exports).
    pub fn name(&self) -> Option<&str> {
        self.key.as_deref().or(self.id.as_deref())
    }
}

/// An event script (`prerequest` / `test`); kept as text.
#[derive(Debug, Deserialize, Default)]
pub struct Event {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub listen: Option<String>,
    #[serde(default)]
    pub script: Option<Script>,
}

/// The script of an event (a string is a reference to a script stored elsewhere).
#[derive(Debug, Default)]
pub struct Script {
    pub exec: Option<StringOrList>,
}

impl<'de> StringOr<'de> for Script {
    const EXPECTING: &'static str = "a script object or a script id";
    fn from_string(_reference: String) -> Self {
        Script::default()
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        #[derive(Deserialize)]
        struct Object {
            #[serde(default)]
            exec: Option<StringOrList>,
        }
        let object = Object::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Script { exec: object.exec })
    }
}

/// A saved example response.
#[derive(Debug, Deserialize, Default)]
pub struct ResponseExample {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub name: Option<String>,
    #[serde(default, rename = "originalRequest")]
    pub original_request: Option<Request>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub code: Option<String>,
    #[serde(default)]
    pub header: Option<Headers>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub body: Option<String>,
    #[serde(default, rename = "_postman_previewlanguage", deserialize_with = "opt_scalar_string")]
    pub preview_language: Option<String>,
}

/// `description`: a string, or `{content, type}`.
#[derive(Debug, Clone)]
pub struct Description(pub String);

impl<'de> StringOr<'de> for Description {
    const EXPECTING: &'static str = "a description string or {content, type} object";
    fn from_string(s: String) -> Self {
        Description(s)
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        #[derive(Deserialize)]
        struct Object {
            #[serde(default, deserialize_with = "opt_scalar_string")]
            content: Option<String>,
        }
        let object = Object::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Description(object.content.unwrap_or_default()))
    }
}

impl Description {
    /// The description's text.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// An environment or globals file.
#[derive(Debug, Deserialize, Default)]
pub struct Environment {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub values: Vec<EnvValue>,
    /// The Postman API wraps exports as `{"environment": {...}}`.
    #[serde(default)]
    pub environment: Option<Box<Environment>>,
}

/// One environment value.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct EnvValue {
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub key: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub value: Option<String>,
    #[serde(default = "yes", deserialize_with = "bool_or_string")]
    pub enabled: bool,
    #[serde(default, rename = "type", deserialize_with = "opt_scalar_string")]
    pub kind: Option<String>,
}

fn yes() -> bool {
    true
}

/// `Option<Vec<T>>` that also takes `null` as "absent".
fn opt_list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(deserializer)
}
