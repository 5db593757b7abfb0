//! Synthetic collections of any size, made of real requests: every request of the corpus and of
//! the Zoho collection that has a JSON body or a saved JSON example, taken in turn, renamed to be
//! unique and filed in nested folders (area / group / resource, 25 requests per resource).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

/// Requests per leaf folder, leaf folders per group, groups per area.
const PER_RESOURCE: usize = 25;
const RESOURCES_PER_GROUP: usize = 4;
const GROUPS_PER_AREA: usize = 5;

/// The requests synthetic collections are made from, and the variables they refer to.
pub struct Pool {
    items: Vec<Value>,
    variables: Vec<Value>,
}

impl Pool {
    /// Collects the requests of every readable collection among `sources`.
    pub fn from_files(sources: &[PathBuf]) -> Result<Pool> {
        let mut items = Vec::new();
        let mut variables = Vec::new();
        let mut seen_vars = BTreeSet::new();
        for path in sources {
            let Ok(bytes) = std::fs::read(path) else { continue };
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let Ok(mut root) = serde_json::from_slice::<Value>(bytes) else { continue };
            if root.get("item").is_none() {
                if let Some(inner) = root.get_mut("collection").map(Value::take) {
                    root = inner;
                }
            }
            let Some(list) = root.get("item").and_then(Value::as_array) else { continue };
            collect(list, &mut items);
            for var in root.get("variable").and_then(Value::as_array).into_iter().flatten() {
                let key = var.get("key").or_else(|| var.get("id")).and_then(Value::as_str).unwrap_or_default();
                if !key.is_empty() && seen_vars.insert(key.to_owned()) {
                    variables.push(var.clone());
                }
            }
        }
        if items.is_empty() {
            bail!("no request with a JSON body or example in {} files", sources.len());
        }
        Ok(Pool { items, variables })
    }

    /// How many distinct requests the pool holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// A collection of `requests` requests, as pretty-printed JSON (as Postman exports it).
    pub fn collection(&self, requests: usize) -> Result<Vec<u8>> {
        let mut areas = Vec::new();
        let mut next = 0;
        let mut area_index = 0;
        while next < requests {
            area_index += 1;
            let mut groups = Vec::new();
            for group_index in 1..=GROUPS_PER_AREA {
                let mut resources = Vec::new();
                for resource_index in 1..=RESOURCES_PER_GROUP {
                    let mut leaf = Vec::new();
                    while leaf.len() < PER_RESOURCE && next < requests {
                        leaf.push(self.request(next));
                        next += 1;
                    }
                    if !leaf.is_empty() {
                        resources.push(folder(&format!("Resource {area_index}.{group_index}.{resource_index}"), leaf));
                    }
                }
                if !resources.is_empty() {
                    groups.push(folder(&format!("Group {area_index}.{group_index}"), resources));
                }
            }
            areas.push(folder(&format!("Area {area_index}"), groups));
        }
        let collection = json!({
            "info": {
                "name": format!("Synthetic {requests}"),
                "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
            },
            "item": areas,
            "variable": self.variables,
        });
        Ok(serde_json::to_vec_pretty(&collection)?)
    }

    /// Request number `n`: pool item `n mod len`, named uniquely, without its ids.
    fn request(&self, n: usize) -> Value {
        let mut item = self.items[n % self.items.len()].clone();
        if let Some(object) = item.as_object_mut() {
            let name = object.get("name").and_then(Value::as_str).unwrap_or("request").to_owned();
            object.insert("name".into(), Value::String(format!("{name} {}", n + 1)));
            strip_ids(object);
            for response in object.get_mut("response").and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(response) = response.as_object_mut() {
                    strip_ids(response);
                }
            }
        }
        item
    }
}

/// Writes a collection of each size into `dir`; returns (requests, path) pairs.
pub fn write_all(pool: &Pool, sizes: &[usize], dir: &Path) -> Result<Vec<(usize, PathBuf)>> {
    let mut out = Vec::new();
    for &size in sizes {
        let path = dir.join(format!("synthetic-{size}.postman_collection.json"));
        std::fs::write(&path, pool.collection(size)?).with_context(|| format!("writing {}", path.display()))?;
        out.push((size, path));
    }
    Ok(out)
}

/// The number of requests in a collection file (0 if it is not one).
pub fn count_requests(path: &Path) -> usize {
    fn count(items: &[Value]) -> usize {
        items
            .iter()
            .map(|i| match i.get("item").and_then(Value::as_array) {
                Some(children) => count(children),
                None => usize::from(i.get("request").is_some()),
            })
            .sum()
    }
    let Ok(bytes) = std::fs::read(path) else { return 0 };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let Ok(root) = serde_json::from_slice::<Value>(bytes) else { return 0 };
    let root = if root.get("item").is_none() { root.get("collection").unwrap_or(&root) } else { &root };
    root.get("item").and_then(Value::as_array).map_or(0, |items| count(items))
}

fn folder(name: &str, items: Vec<Value>) -> Value {
    json!({ "name": name, "item": items })
}

fn strip_ids(object: &mut Map<String, Value>) {
    object.remove("id");
    object.remove("_postman_id");
}

/// Requests (not folders) with a JSON raw body or a saved example with a JSON body.
fn collect(items: &[Value], out: &mut Vec<Value>) {
    for item in items {
        if let Some(children) = item.get("item").and_then(Value::as_array) {
            collect(children, out);
        } else if item.get("request").is_some() && (has_json_body(item) || has_json_example(item)) {
            out.push(item.clone());
        }
    }
}

fn looks_json(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with('{') || text.starts_with('[')
}

fn has_json_body(item: &Value) -> bool {
    let body = &item["request"]["body"];
    body["mode"] == "raw" && body["raw"].as_str().is_some_and(looks_json)
}

fn has_json_example(item: &Value) -> bool {
    item["response"].as_array().is_some_and(|r| r.iter().any(|e| e["body"].as_str().is_some_and(looks_json)))
}
