//! Pagination: which requests page with a cursor, and how (see the README's "Pagination").
//!
//! Detected from the collection: a query parameter named like a cursor (`next_token`, `cursor`,
//! `page`, …) whose next value the success examples carry, in the body (`next_token`,
//! `next_cursor`, a `next` URL) or in a `Link: <…>; rel="next"` header, plus the array of items.
//! An item's `pagination` override sets it explicitly or turns it off:
//!
//! ```toml
//! pagination = { cursor = "query.next_token", next = "response.next_token", items = "response.data" }
//! pagination = { cursor = "query.modified_before", next = "response.chats[].last_modified_time" }
//! pagination = { cursor = "query.page", next = "header.link" }
//! pagination = false
//! ```
//!
//! `next = "response.<array>[].<field>"` is the keyset kind: the next page's cursor is that field
//! of the page's last item. Nothing here knows any particular API.

use std::fmt;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::infer::{Ty, TypeSpace};
use crate::ir::Operation;
use crate::overrides::segments;

/// Query parameter names that carry a page cursor, normalized (lower case, no `_`/`-`).
const CURSOR_NAMES: &[&str] = &[
    "nexttoken", "pagetoken", "nextpagetoken", "cursor", "after", "startingafter", "marker",
    "continuationtoken", "offset", "page", "startcursor",
];

/// Preferred names of the items array when a page has several arrays, normalized.
const ITEM_NAMES: &[&str] = &["data", "items", "results", "list", "entries", "records", "values"];

/// `pagination` in an item's overrides: `false` (no stream functions, whatever detection
/// finds) or a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaginationOverride {
    /// `pagination = false`.
    Off,
    /// `pagination = { cursor = …, next = …, items = …, sync = … }`.
    Spec(PaginationSpec),
}

/// An explicit description of a paginated request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationSpec {
    /// `query.<name>`: the cursor's query parameter.
    pub cursor: String,
    /// `response.<path>` (a body field), `response.<array>[].<field>` (the last item's field:
    /// keyset) or `header.link` (the `rel="next"` URL's parameter named like the cursor).
    pub next: String,
    /// `response` or `response.<path>`: the array of items (detected when left out).
    #[serde(default)]
    pub items: Option<String>,
    /// `response.<path>`: a change feed's new sync token (`_sync` is generated when set, or when
    /// the request has a `sync_token` query parameter).
    #[serde(default)]
    pub sync: Option<String>,
}

impl<'de> Deserialize<'de> for PaginationOverride {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PaginationOverride;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`false` or a table { cursor, next, items, sync }")
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
                if value {
                    Err(E::custom("`pagination = true` is what detection does anyway: use `false` or a table { cursor, next, items, sync }"))
                } else {
                    Ok(PaginationOverride::Off)
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                PaginationSpec::deserialize(de::value::MapAccessDeserializer::new(map)).map(PaginationOverride::Spec)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Checks an override's paths; the message names what is wrong.
pub fn validate(pagination: &PaginationOverride) -> Result<(), String> {
    let PaginationOverride::Spec(spec) = pagination else { return Ok(()) };
    let cursor = &spec.cursor;
    if root(cursor) != "query" || segments(cursor).len() != 1 || cursor.contains('[') {
        return Err(format!("pagination: `cursor = \"{cursor}\"` must name one query parameter: `query.<name>`"));
    }
    if !spec.next.eq_ignore_ascii_case("header.link") {
        let next = &spec.next;
        response_path(next).map_err(|e| format!("pagination: `next = \"{next}\"`: {e}, or be `header.link`"))?;
        let keys = segments(next);
        let arrays = keys.iter().filter(|k| *k == "[]").count();
        let keyset_ok = arrays == 1 && keys.last().is_some_and(|k| k != "[]");
        if keys.is_empty() || (arrays > 0 && !keyset_ok) {
            return Err(format!(
                "pagination: `next = \"{next}\"` must be a field (`response.next_token`) or one field of the last item (`response.data[].id`)"
            ));
        }
        if let (true, Some(items)) = (arrays == 1, &spec.items) {
            let array = next.split("[]").next().unwrap_or_default();
            if items != array {
                return Err(format!("pagination: `next = \"{next}\"` takes the last item of `{array}`, but `items = \"{items}\"`"));
            }
        }
    }
    for (key, path) in [("items", &spec.items), ("sync", &spec.sync)] {
        if let Some(path) = path {
            response_path(path).map_err(|e| format!("pagination: `{key} = \"{path}\"`: {e}"))?;
            if path.contains("[]") {
                return Err(format!("pagination: `{key} = \"{path}\"` must not go through an array (`[]`)"));
            }
        }
    }
    if spec.sync.as_deref() == Some("response") {
        return Err("pagination: `sync = \"response\"` must name a field".to_owned());
    }
    Ok(())
}

fn root(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or_default()
}

fn response_path(path: &str) -> Result<(), String> {
    crate::overrides::check_path(path)?;
    if root(path) != "response" {
        return Err("must start with `response`".to_owned());
    }
    Ok(())
}

/// A query field as the emitter names and types it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryFieldRef {
    /// Rust field name.
    pub ident: String,
    /// Wire name.
    pub wire: String,
    /// `String`, `i64`, … (see [`crate::infer::query_type`]).
    pub ty: Ty,
    /// A plain field, not an `Option`.
    pub required: bool,
}

/// Where the next cursor comes from (mirrors the runtime's `paginate::Next`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPlan {
    /// A body field, by JSON keys.
    Body(Vec<String>),
    /// The `Link` header's `rel="next"` URL.
    Link,
    /// A field of the last item of the items array.
    LastItem(Vec<String>),
}

/// How one request pages: everything the emitter needs.
#[derive(Debug, Clone)]
pub struct PagingPlan {
    /// The cursor's query field.
    pub cursor: QueryFieldRef,
    /// Where its next value is.
    pub next: NextPlan,
    /// JSON keys of the items array (empty: the page is the array).
    pub items: Vec<String>,
    /// `|page| page.data.unwrap_or_default()`: takes the items out of a typed page.
    pub items_expr: TokenStream,
    /// The item type.
    pub item: Ty,
    /// JSON keys of the sync token, for change feeds.
    pub sync: Option<Vec<String>>,
}

impl PagingPlan {
    /// The runtime's `Paging` descriptor.
    pub fn descriptor(&self, operation: &str) -> TokenStream {
        let keys = |keys: &[String]| quote! { &[#(#keys),*] };
        let next = match &self.next {
            NextPlan::Body(path) => {
                let path = keys(path);
                quote! { crate::paginate::Next::Body(#path) }
            }
            NextPlan::Link => quote! { crate::paginate::Next::Link },
            NextPlan::LastItem(field) => {
                let (items, field) = (keys(&self.items), keys(field));
                quote! { crate::paginate::Next::LastItem { items: #items, field: #field } }
            }
        };
        let sync = match &self.sync {
            Some(path) => {
                let path = keys(path);
                quote! { ::std::option::Option::Some(#path) }
            }
            None => quote! { ::std::option::Option::None },
        };
        let cursor = &self.cursor.wire;
        quote! {
            crate::paginate::Paging { operation: #operation, cursor: #cursor, next: #next, sync_token: #sync }
        }
    }

    /// The body of `set_cursor: |query, cursor| …`.
    pub fn set_cursor(&self) -> TokenStream {
        let field = format_ident!("{}", self.cursor.ident);
        let wrap = |value: TokenStream| if self.cursor.required { value } else { quote! { ::std::option::Option::Some(#value) } };
        if self.cursor.ty == Ty::String {
            let value = wrap(quote! { cursor });
            return quote! { { query.#field = #value; true } };
        }
        let value = wrap(quote! { value });
        // A number: a value that does not read as one ends the stream with an error.
        quote! {
            match cursor.parse() {
                ::std::result::Result::Ok(value) => { query.#field = #value; true }
                ::std::result::Result::Err(_) => false,
            }
        }
    }

    /// One line for the docs: where the cursor comes from.
    pub fn describe(&self) -> String {
        let shown = |keys: &[String]| if keys.is_empty() { "the body".to_owned() } else { format!("`{}`", keys.join(".")) };
        let cursor = &self.cursor.wire;
        match &self.next {
            NextPlan::Body(path) => format!("`{cursor}` set to the page's {}", shown(path)),
            NextPlan::Link => format!("`{cursor}` set from the `rel=\"next\"` URL of the `Link` header"),
            NextPlan::LastItem(field) => {
                format!("`{cursor}` set to {} of the page's last item", shown(field))
            }
        }
    }
}

/// Decides whether `op` pages, from its override or its samples. `response` is its typed
/// success body. `Err` is a warning: an override that cannot apply, or an ambiguous page.
pub fn plan(
    op: &Operation,
    pagination: Option<&PaginationOverride>,
    query: &[QueryFieldRef],
    response: Option<&Ty>,
    space: &TypeSpace,
) -> Result<Option<PagingPlan>, String> {
    match pagination {
        Some(PaginationOverride::Off) => Ok(None),
        Some(PaginationOverride::Spec(spec)) => from_spec(spec, query, response, space).map(Some),
        None => detect(op, query, response, space),
    }
}

fn from_spec(spec: &PaginationSpec, query: &[QueryFieldRef], response: Option<&Ty>, space: &TypeSpace) -> Result<PagingPlan, String> {
    let name = segments(&spec.cursor).pop().unwrap_or_default();
    let cursor = query
        .iter()
        .find(|q| q.wire == name)
        .ok_or_else(|| format!("pagination: the request has no query parameter `{name}`"))?;
    check_cursor_type(cursor)?;
    let response = response.ok_or("pagination: the request has no JSON success example to type its pages")?;
    let (next, items_path) = if spec.next.eq_ignore_ascii_case("header.link") {
        (NextPlan::Link, spec.items.clone())
    } else if spec.next.contains("[]") {
        let (array, field) = spec.next.split_once("[]").unwrap_or_default();
        (NextPlan::LastItem(segments(&format!("response{field}"))), Some(array.to_owned()))
    } else {
        (NextPlan::Body(segments(&spec.next)), spec.items.clone())
    };
    let items = match items_path {
        Some(path) => segments(&path),
        None => detect_items_in_type(response, space).ok_or("pagination: set `items`: the page has no single array of items")?,
    };
    let (items_expr, item) = items_access(response, &items, space)
        .ok_or_else(|| format!("pagination: `{}` is not an array of the typed response", show("response", &items)))?;
    let sync = match &spec.sync {
        Some(path) => Some(segments(path)),
        None => default_sync(query, &[]),
    };
    Ok(PagingPlan { cursor: cursor.clone(), next, items, items_expr, item, sync })
}

fn show(root: &str, keys: &[String]) -> String {
    keys.iter().fold(root.to_owned(), |path, key| crate::overrides::child_path(&path, key))
}

fn check_cursor_type(cursor: &QueryFieldRef) -> Result<(), String> {
    match cursor.ty {
        Ty::String | Ty::I64 => Ok(()),
        _ => Err(format!("pagination: query parameter `{}` is not a string or an integer", cursor.wire)),
    }
}

fn normalized(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// A `sync_token` query parameter makes a change feed; its new value is the body's key of the
/// same name (or one the samples show, like `syncToken`).
fn default_sync(query: &[QueryFieldRef], samples: &[&Value]) -> Option<Vec<String>> {
    let param = query.iter().find(|q| normalized(&q.wire) == "synctoken")?;
    let shown = samples
        .iter()
        .filter_map(|v| v.as_object())
        .flat_map(|o| o.keys())
        .find(|k| normalized(k) == "synctoken");
    Some(vec![shown.cloned().unwrap_or_else(|| param.wire.clone())])
}

fn detect(op: &Operation, query: &[QueryFieldRef], response: Option<&Ty>, space: &TypeSpace) -> Result<Option<PagingPlan>, String> {
    let candidates: Vec<&QueryFieldRef> =
        query.iter().filter(|q| CURSOR_NAMES.contains(&normalized(&q.wire).as_str()) && check_cursor_type(q).is_ok()).collect();
    let Some(response) = response else { return Ok(None) };
    if candidates.is_empty() {
        return Ok(None);
    }
    let links: Vec<String> = op.link_headers.iter().filter_map(|h| next_link(h)).collect();
    let samples: Vec<&Value> = op.success_samples().collect();
    let mut found = None;
    for cursor in &candidates {
        if links.iter().any(|url| query_has(url, &cursor.wire)) {
            found = Some(((*cursor).clone(), NextPlan::Link));
            break;
        }
        if let Some(path) = body_next(&samples, &cursor.wire) {
            found = Some(((*cursor).clone(), NextPlan::Body(path)));
            break;
        }
    }
    let Some((cursor, next)) = found else { return Ok(None) };
    let Some(items) = detect_items_in_type(response, space) else {
        return Err(format!(
            "query parameter `{}` looks like a page cursor, but the page has no single array of items: set `pagination` in the overrides (or `pagination = false`)",
            cursor.wire
        ));
    };
    let Some((items_expr, item)) = items_access(response, &items, space) else { return Ok(None) };
    let sync = default_sync(query, &samples);
    Ok(Some(PagingPlan { cursor, next, items, items_expr, item, sync }))
}

/// The JSON keys of a body field that holds the next value of `cursor` in some success
/// sample: `next_token` for `next_token`, `next_cursor`/`next`/`meta.next_page` and the like,
/// searched through objects (not arrays) three levels deep.
fn body_next(samples: &[&Value], cursor: &str) -> Option<Vec<String>> {
    let n = normalized(cursor);
    let names = [n.clone(), format!("next{n}"), "next".into(), "nextcursor".into(), "nexttoken".into(), "nextpagetoken".into(), "nextpage".into()];
    fn search(value: &Value, names: &[String], path: &mut Vec<String>, depth: usize) -> Option<Vec<String>> {
        let object = value.as_object()?;
        for name in names {
            for (key, value) in object {
                let scalar = matches!(value, Value::String(_) | Value::Number(_) | Value::Null);
                if scalar && normalized(key) == *name {
                    let mut found = path.clone();
                    found.push(key.clone());
                    return Some(found);
                }
            }
        }
        if depth == 0 {
            return None;
        }
        for (key, value) in object {
            path.push(key.clone());
            let found = search(value, names, path, depth - 1);
            path.pop();
            if found.is_some() {
                return found;
            }
        }
        None
    }
    samples.iter().find_map(|s| search(s, &names, &mut Vec::new(), 2))
}

/// The items array of a typed page: the page itself when it is an array; else its one array
/// field, or among several the one named like items (`data`, `items`, …), or the one array of
/// objects.
fn detect_items_in_type(response: &Ty, space: &TypeSpace) -> Option<Vec<String>> {
    let Ty::Struct(index) = space.resolve(response) else {
        return matches!(response, Ty::Vec(_)).then(Vec::new);
    };
    let arrays: Vec<_> = space.structs[*index].fields.iter().filter(|f| matches!(f.ty, Ty::Vec(_))).collect();
    let pick = match arrays.as_slice() {
        [one] => Some(*one),
        [] => None,
        several => several
            .iter()
            .find(|f| ITEM_NAMES.contains(&normalized(&f.wire).as_str()))
            .or_else(|| {
                let objects: Vec<_> = several.iter().filter(|f| matches!(&f.ty, Ty::Vec(e) if matches!(**e, Ty::Struct(_)))).collect();
                (objects.len() == 1).then(|| objects[0])
            })
            .copied(),
    };
    pick.map(|f| vec![f.wire.clone()])
}

/// `page.a.b` (with `Option`s unwrapped to an empty list) and the element type, when `keys`
/// lead to an array of the typed page.
fn items_access(response: &Ty, keys: &[String], space: &TypeSpace) -> Option<(TokenStream, Ty)> {
    let mut expr = quote! { page };
    let mut optional = false;
    let mut ty = response;
    for key in keys {
        let Ty::Struct(index) = space.resolve(ty) else { return None };
        let field = space.structs[*index].fields.iter().find(|f| f.wire == *key)?;
        let ident = format_ident!("{}", field.ident);
        expr = match (optional, field.required) {
            (false, _) => quote! { #expr.#ident },
            (true, true) => quote! { #expr.map(|v| v.#ident) },
            (true, false) => quote! { #expr.and_then(|v| v.#ident) },
        };
        optional |= !field.required;
        ty = &field.ty;
    }
    let Ty::Vec(item) = ty else { return None };
    if optional {
        expr = quote! { #expr.unwrap_or_default() };
    }
    let take = if keys.is_empty() { quote! { ::std::convert::identity } } else { quote! { |page| #expr } };
    Some((take, (**item).clone()))
}

/// The target of the first `rel="next"` link in a `Link` header value.
pub fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let params = &after[end + 1..];
        let params = &params[..params.find('<').unwrap_or(params.len())];
        let is_next = params.split(';').any(|param| {
            param.split_once('=').is_some_and(|(name, value)| {
                name.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_end_matches(',').trim().trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(after[..end].trim().to_owned());
        }
        rest = &after[end + 1..];
    }
    None
}

fn query_has(url: &str, name: &str) -> bool {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').any(|pair| pair.split('=').next() == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PaginationOverride, String> {
        #[derive(Deserialize)]
        struct T {
            pagination: PaginationOverride,
        }
        toml::from_str::<T>(text).map(|t| t.pagination).map_err(|e| e.to_string())
    }

    #[test]
    fn overrides_parse_and_validate() {
        assert_eq!(parse("pagination = false").unwrap(), PaginationOverride::Off);
        assert!(parse("pagination = true").unwrap_err().contains("use `false` or a table"));
        assert!(parse("pagination = { cursor = \"query.a\", nxt = \"x\" }").unwrap_err().contains("unknown field `nxt`"));
        let ok = [
            "pagination = { cursor = \"query.next_token\", next = \"response.next_token\", items = \"response.data\" }",
            "pagination = { cursor = \"query.modified_before\", next = \"response.chats[].last_modified_time\" }",
            "pagination = { cursor = \"query.modified_before\", next = \"response.chats[].t\", items = \"response.chats\" }",
            "pagination = { cursor = \"query.page\", next = \"header.link\", items = \"response\" }",
            "pagination = { cursor = \"query.next_token\", next = \"response.meta.next\", sync = \"response.sync_token\" }",
        ];
        for text in ok {
            validate(&parse(text).unwrap()).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
        let bad = [
            ("cursor = \"body.a\", next = \"response.n\"", "must name one query parameter"),
            ("cursor = \"query.a.b\", next = \"response.n\"", "must name one query parameter"),
            ("cursor = \"query.a\", next = \"body.n\"", "must start with `response`, or be `header.link`"),
            ("cursor = \"query.a\", next = \"response\"", "must be a field"),
            ("cursor = \"query.a\", next = \"response.d[]\"", "must be a field"),
            ("cursor = \"query.a\", next = \"response.d[].e[].f\"", "must be a field"),
            ("cursor = \"query.a\", next = \"response.d[].t\", items = \"response.e\"", "takes the last item of `response.d`"),
            ("cursor = \"query.a\", next = \"response.n\", items = \"response.d[]\"", "must not go through an array"),
            ("cursor = \"query.a\", next = \"response.n\", sync = \"error.s\"", "must start with `response`"),
        ];
        for (text, needle) in bad {
            let err = validate(&parse(&format!("pagination = {{ {text} }}")).unwrap()).unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn body_cursors_and_links_are_found() {
        let samples = [serde_json::json!({ "data": [], "meta": { "next_cursor": "x" } })];
        assert_eq!(body_next(&samples.iter().collect::<Vec<_>>(), "cursor"), Some(vec!["meta".into(), "next_cursor".into()]));
        let samples = [serde_json::json!({ "data": [], "next_token": null })];
        assert_eq!(body_next(&samples.iter().collect::<Vec<_>>(), "next_token"), Some(vec!["next_token".into()]));
        assert_eq!(body_next(&[&serde_json::json!({ "next": { "a": 1 } })], "page"), None);
        let link = r#"<https://x/a?page=2&per_page=5>; rel="next", <https://x/a?page=9>; rel="last""#;
        let next = next_link(link).unwrap();
        assert!(query_has(&next, "page") && !query_has(&next, "cursor"));
        assert_eq!(next_link(r#"<https://x/a?page=1>; rel="prev""#), None);
    }
}
