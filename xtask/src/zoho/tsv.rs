//! Reading `endpoints.tsv` and `endpoints.extra.json`, and the small grammars inside their cells
//! (query parameters and body fields).

use anyhow::{bail, ensure, Context, Result};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The TSV header, in order.
pub const COLUMNS: [&str; 11] = [
    "version",
    "module",
    "name",
    "method",
    "path",
    "path_params",
    "query_params",
    "body_kind",
    "body_fields",
    "scopes",
    "source",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    None,
    Json,
    Multipart,
}

/// One TSV row.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line number in the TSV (for error messages).
    pub line: usize,
    /// `v2` or `v3`.
    pub version: String,
    pub module: String,
    pub name: String,
    pub method: String,
    /// Relative path with `:NAME` parameters.
    pub path: String,
    pub path_params: Vec<String>,
    pub query_params: Vec<QueryParam>,
    pub body_kind: BodyKind,
    pub body_fields: Vec<Field>,
    pub scopes: Vec<String>,
    /// The source, without the trailing ` ?`.
    pub source: String,
    /// The source ended with ` ?`.
    pub uncertain: bool,
}

/// A query parameter cell entry: `name:type:required|optional`, or `name:type:required=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    pub name: String,
    pub ty: String,
    pub required: bool,
    /// A fixed value that the source built into the path.
    pub fixed: Option<String>,
}

/// A body field: `name[*][[]]{children}` or `name[*][[]]:type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub required: bool,
    /// `name[]{…}` / `name[]:object`: an array of the described element.
    pub array: bool,
    pub ty: Option<String>,
    pub children: Option<Vec<Field>>,
}

/// One entry of `endpoints.extra.json` (same order as the TSV rows).
#[derive(Debug, Clone, Deserialize)]
pub struct Extra {
    pub version: String,
    pub method: String,
    pub path: String,
    pub name: String,
    pub documented_path: Option<String>,
    #[serde(default)]
    pub header_params: Vec<String>,
    pub threshold: Option<String>,
    pub lock_period: Option<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    pub body_skeleton: Option<Value>,
}

/// Parses the whole TSV (header row included).
pub fn parse_tsv(text: &str) -> Result<Vec<Row>> {
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().context("endpoints.tsv is empty")?;
    let header: Vec<&str> = header.trim_end_matches('\r').split('\t').collect();
    ensure!(
        header == COLUMNS,
        "unexpected endpoints.tsv header: {header:?}"
    );
    let mut rows = Vec::new();
    for (index, line) in lines {
        let line_no = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        ensure!(
            cells.len() == COLUMNS.len(),
            "endpoints.tsv line {line_no}: {} cells, expected {}",
            cells.len(),
            COLUMNS.len()
        );
        let row =
            parse_row(line_no, &cells).with_context(|| format!("endpoints.tsv line {line_no}"))?;
        rows.push(row);
    }
    Ok(rows)
}

fn parse_row(line: usize, c: &[&str]) -> Result<Row> {
    let version = c[0].to_owned();
    ensure!(
        version == "v2" || version == "v3",
        "unknown version {version:?}"
    );
    let method = c[3].to_owned();
    ensure!(
        matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE"),
        "unknown method {method:?}"
    );
    let path = c[4].to_owned();
    ensure!(
        path.starts_with('/') && !path.contains('?'),
        "odd path {path:?}"
    );
    let path_params = split_list(c[5]);
    let in_path: Vec<String> = path
        .split('/')
        .filter_map(|s| s.strip_prefix(':'))
        .map(str::to_owned)
        .collect();
    ensure!(
        in_path == path_params,
        "path_params {path_params:?} do not match path {path}"
    );
    let body_kind = match c[7] {
        "none" => BodyKind::None,
        "json" => BodyKind::Json,
        "multipart" => BodyKind::Multipart,
        other => bail!("unknown body_kind {other:?}"),
    };
    let (source, uncertain) = match c[10].strip_suffix(" ?") {
        Some(s) => (s.to_owned(), true),
        None => (c[10].to_owned(), false),
    };
    Ok(Row {
        line,
        version,
        module: c[1].to_owned(),
        name: c[2].to_owned(),
        method,
        path,
        path_params,
        query_params: parse_query_params(c[6])?,
        body_kind,
        body_fields: parse_fields(c[8])?,
        scopes: split_list(c[9]),
        source,
        uncertain,
    })
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses `name:type:required|optional[,…]`; a fixed value is written `:required=value`.
pub fn parse_query_params(cell: &str) -> Result<Vec<QueryParam>> {
    let mut out: Vec<QueryParam> = Vec::new();
    for token in cell.split(',').filter(|t| !t.trim().is_empty()) {
        let parts: Vec<&str> = token.trim().splitn(3, ':').collect();
        if parts.len() != 3 {
            // A comma inside a fixed value: glue it back onto the previous entry.
            match out.last_mut() {
                Some(QueryParam { fixed: Some(v), .. }) => {
                    v.push(',');
                    v.push_str(token);
                    continue;
                }
                _ => bail!("bad query parameter {token:?} in {cell:?}"),
            }
        }
        let (name, ty, rest) = (parts[0], parts[1], parts[2]);
        ensure!(
            !name.is_empty() && !ty.is_empty(),
            "bad query parameter {token:?}"
        );
        let (required, fixed) = match rest.split_once('=') {
            Some(("required", value)) => (true, Some(value.to_owned())),
            Some(_) => bail!("bad query parameter {token:?}"),
            None => match rest {
                "required" => (true, None),
                "optional" => (false, None),
                _ => bail!("bad query parameter {token:?}"),
            },
        };
        out.push(QueryParam {
            name: name.to_owned(),
            ty: ty.to_owned(),
            required,
            fixed,
        });
    }
    Ok(out)
}

/// Splits at commas that are not inside `{…}` or `<…>`.
fn split_top_level(s: &str) -> Result<Vec<&str>> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        match ch {
            '{' | '<' => depth += 1,
            '}' | '>' => {
                depth -= 1;
                ensure!(depth >= 0, "unbalanced brackets in {s:?}");
            }
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    ensure!(depth == 0, "unbalanced brackets in {s:?}");
    out.push(&s[start..]);
    Ok(out.into_iter().filter(|t| !t.trim().is_empty()).collect())
}

/// Parses a `body_fields` cell.
pub fn parse_fields(cell: &str) -> Result<Vec<Field>> {
    split_top_level(cell)?
        .into_iter()
        .map(parse_field)
        .collect()
}

fn parse_field(token: &str) -> Result<Field> {
    let token = token.trim();
    let end = token.find(['*', '[', '{', ':']).unwrap_or(token.len());
    let name = token[..end].to_owned();
    ensure!(!name.is_empty(), "body field without a name: {token:?}");
    let mut rest = &token[end..];
    let required = match rest.strip_prefix('*') {
        Some(r) => {
            rest = r;
            true
        }
        None => false,
    };
    let array = match rest.strip_prefix("[]") {
        Some(r) => {
            rest = r;
            true
        }
        None => false,
    };
    let (ty, children) = if let Some(inner) = rest.strip_prefix('{') {
        let inner = inner
            .strip_suffix('}')
            .with_context(|| format!("body field {token:?}: unclosed {{"))?;
        (None, Some(parse_fields(inner)?))
    } else if let Some(ty) = rest.strip_prefix(':') {
        (Some(ty.to_owned()), None)
    } else {
        bail!("body field {token:?}: expected `:type` or `{{…}}`");
    };
    Ok(Field {
        name,
        required,
        array,
        ty,
        children,
    })
}

/// The body with only the fields marked required, applied recursively inside required objects
/// and arrays of objects. Fields of the value that the spec does not describe are dropped.
pub fn required_only(fields: &[Field], value: &Value) -> Value {
    filter_body(fields, value, false)
}

/// Like [`required_only`], but optional fields that are objects (or arrays of objects) with a
/// described shape are kept, themselves reduced to their required fields. Together with the full
/// body and [`required_only`], this tells a generic generator which nested fields are required.
pub fn required_with_optional_objects(fields: &[Field], value: &Value) -> Value {
    filter_body(fields, value, true)
}

fn filter_body(fields: &[Field], value: &Value, keep_optional_objects: bool) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, val) in map {
        let Some(field) = fields.iter().find(|f| &f.name == key) else {
            continue;
        };
        let children = field.children.as_deref();
        let keep = field.required || (keep_optional_objects && children.is_some());
        if !keep {
            continue;
        }
        let kept = match (children, val) {
            (Some(children), Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|item| filter_body(children, item, keep_optional_objects))
                    .collect(),
            ),
            (Some(children), Value::Object(_)) => filter_body(children, val, keep_optional_objects),
            _ => val.clone(),
        };
        out.insert(key.clone(), kept);
    }
    Value::Object(out)
}

/// The body with each empty list the TSV types as a list of scalars (`user_ids:array<string>`)
/// given one element, `placeholder(field name, scalar type)`, so that its element type shows.
pub fn fill_scalar_lists(
    fields: &[Field],
    value: &Value,
    placeholder: &dyn Fn(&str, &str) -> Value,
) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, val) in map {
        let field = fields.iter().find(|f| &f.name == key);
        let element_ty = field
            .and_then(|f| f.ty.as_deref())
            .and_then(|t| t.strip_prefix("array<"))
            .and_then(|t| t.strip_suffix('>'))
            .filter(|t| ["string", "integer", "number", "boolean"].contains(t));
        let children = field.and_then(|f| f.children.as_deref());
        let filled = match (val, element_ty, children) {
            (Value::Array(items), Some(ty), _) if items.is_empty() => {
                Value::Array(vec![placeholder(key, ty)])
            }
            (Value::Array(items), _, Some(children)) => Value::Array(
                items
                    .iter()
                    .map(|item| fill_scalar_lists(children, item, placeholder))
                    .collect(),
            ),
            (Value::Object(_), _, Some(children)) => fill_scalar_lists(children, val, placeholder),
            _ => val.clone(),
        };
        out.insert(key.clone(), filled);
    }
    Value::Object(out)
}

/// Dotted paths of every field marked required (`card.theme`, `users[].email_id`).
pub fn required_paths(fields: &[Field]) -> Vec<String> {
    let mut out = Vec::new();
    collect_required(fields, "", &mut out);
    out
}

fn collect_required(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for field in fields {
        let path = format!(
            "{prefix}{}{}",
            field.name,
            if field.array { "[]" } else { "" }
        );
        if field.required {
            out.push(path.clone());
        }
        if let Some(children) = &field.children {
            collect_required(children, &format!("{path}."), out);
        }
    }
}


/// A JSON schema for body fields that no OpenAPI file describes, from their TSV types and `*`
/// marks, so their sample values can be made realistic the same way ([`super::openapi::conform`]).
/// Numbers get `minimum: 1`: the source's placeholder `0` is no real id, time or count.
pub fn fields_schema(fields: &[Field]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let element = match (&field.children, field.ty.as_deref()) {
            (Some(children), _) => fields_schema(children),
            (None, Some(ty)) => scalar_schema(ty),
            (None, None) => serde_json::json!({"type": "object"}),
        };
        let schema = if field.array {
            serde_json::json!({"type": "array", "minItems": 1, "items": element})
        } else {
            element
        };
        if field.required {
            required.push(Value::String(field.name.clone()));
        }
        properties.insert(field.name.clone(), schema);
    }
    serde_json::json!({"type": "object", "properties": properties, "required": required})
}

fn scalar_schema(ty: &str) -> Value {
    if let Some(element) = ty.strip_prefix("array<").and_then(|t| t.strip_suffix('>')) {
        return serde_json::json!({"type": "array", "minItems": 1, "items": scalar_schema(element)});
    }
    match ty {
        "integer" | "number" => serde_json::json!({"type": ty, "minimum": 1}),
        "string" | "boolean" | "object" => serde_json::json!({"type": ty}),
        _ => serde_json::json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_query_params() {
        let q = parse_query_params(
            "limit:integer:optional,primary:boolean:required=true,fields:string:required,source:string:required=remote_tools",
        )
        .unwrap();
        assert_eq!(
            q[0],
            QueryParam {
                name: "limit".into(),
                ty: "integer".into(),
                required: false,
                fixed: None
            }
        );
        assert_eq!(q[1].fixed.as_deref(), Some("true"));
        assert!(q[1].required);
        assert!(q[2].required && q[2].fixed.is_none());
        assert_eq!(q[3].fixed.as_deref(), Some("remote_tools"));
        assert!(parse_query_params("").unwrap().is_empty());
        assert!(parse_query_params("limit:integer:sometimes").is_err());
    }

    #[test]
    fn parses_nested_fields() {
        let f = parse_fields(
            "text:string,card*{theme*:string,options[]{text*:string},sections[]{title:string,fields[]:object}},Custom Field's Uniquename:string,ids:array<string>",
        )
        .unwrap();
        assert_eq!(f.len(), 4);
        assert_eq!(f[1].name, "card");
        assert!(f[1].required && !f[1].array);
        let card = f[1].children.as_ref().unwrap();
        assert_eq!(card[1].name, "options");
        assert!(card[1].array && !card[1].required);
        let sections = card[2].children.as_ref().unwrap();
        assert_eq!(
            sections[1],
            Field {
                name: "fields".into(),
                required: false,
                array: true,
                ty: Some("object".into()),
                children: None
            }
        );
        assert_eq!(f[2].name, "Custom Field's Uniquename");
        assert_eq!(f[3].ty.as_deref(), Some("array<string>"));
        assert_eq!(
            required_paths(&f),
            ["card", "card.theme", "card.options[].text"]
        );
    }

    #[test]
    fn fills_empty_scalar_lists() {
        let fields =
            parse_fields("ids:array<string>,n:array<integer>,any:array<any>,users[]{team_ids:array<string>},kept:array<string>")
                .unwrap();
        let body = json!({"ids": [], "n": [], "any": [], "users": [{"team_ids": []}], "kept": ["a"], "other": []});
        let placeholder = |name: &str, ty: &str| json!(format!("{name}:{ty}"));
        assert_eq!(
            fill_scalar_lists(&fields, &body, &placeholder),
            json!({"ids": ["ids:string"], "n": ["n:integer"], "any": [], "users": [{"team_ids": ["team_ids:string"]}],
                   "kept": ["a"], "other": []})
        );
    }

    #[test]
    fn filters_a_nested_body_to_required_fields() {
        let fields = parse_fields(
            "text:string,card*{theme*:string,title:string,buttons[]{label*:string,action:object}},users[]{email_id*:string,name:string},slides[]{type*:string,data:any}",
        )
        .unwrap();
        let body = json!({
            "text": "hi",
            "card": {"theme": "poll", "title": "t", "buttons": [{"label": "ok", "action": {}}]},
            "users": [{"email_id": "a@b.c", "name": "A"}],
            "slides": []
        });
        assert_eq!(
            required_only(&fields, &body),
            json!({"card": {"theme": "poll"}})
        );
        assert_eq!(
            required_with_optional_objects(&fields, &body),
            json!({
                "card": {"theme": "poll", "buttons": [{"label": "ok"}]},
                "users": [{"email_id": "a@b.c"}],
                "slides": []
            })
        );
        let none_required = parse_fields("a:string,b:integer").unwrap();
        assert_eq!(
            required_only(&none_required, &json!({"a": "x", "b": 1})),
            json!({})
        );
    }
}
