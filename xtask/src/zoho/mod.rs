//! Authoring tool for our own Zoho Cliq Postman v2.1 collection and environments.
//!
//! Input (the facts, read-only): `endpoints.tsv`, `endpoints.extra.json`, `oauth.md` and the
//! OpenAPI files under `openapi/v2` and `openapi/v3` of the shared `zoho-cliq` folder.
//! Output: `<out>/zoho-cliq.postman_collection.json` and
//! `<out>/environments/<dc>.postman_environment.json`, deterministic (stable name-based UUIDs,
//! ordered maps, pretty JSON with a trailing newline).
//!
//! Required vs optional is written as data a generic generator understands: optional query
//! parameters and form parts are disabled, and every JSON-body request carries a saved example
//! "Required fields only" whose `originalRequest` body holds only the fields the TSV marks `*`.
//! Shapes are written the same way: where a body or documented response has empty lists or
//! objects that the TSV or the OpenAPI schema describe, a saved example holds a copy with them
//! filled in (one element per list), so a generator can type their elements.

mod enums;
mod openapi;
mod postman;
mod tsv;
mod uuid;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{ensure, Context, Result};
use serde_json::{json, Value};

use self::openapi::Specs;
use self::postman::{DataCentre, Stats};
use self::tsv::{Extra, Row};

const COLLECTION_FILE: &str = "zoho-cliq.postman_collection.json";
const OVERRIDES_FILE: &str = "zoho-cliq.overrides.toml";
const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
const EXPECTED_ROWS: usize = 315;
const EXPECTED_V2: usize = 157;
const EXPECTED_V3: usize = 158;
const EXPECTED_BULK_EXPORT: usize = 4;
/// The data centres of the environment set, in file order.
const DATA_CENTRES: [&str; 6] = ["us", "eu", "in", "au", "jp", "ca"];

/// Everything the tool produces, before writing.
pub struct Authored {
    pub collection: Value,
    /// `(file stem, environment)`.
    pub environments: Vec<(String, Value)>,
    pub stats: Stats,
    /// `(version, module, request count)` in folder order.
    pub modules: Vec<(String, String, usize)>,
    /// `zoho-cliq.overrides.toml`, and its numbers of enums and field overrides.
    pub overrides: (String, usize, usize, usize),
}

/// Builds the collection and environments from `shared_dir` and writes them under `out_dir`.
pub fn author(shared_dir: &Path, out_dir: &Path) -> Result<()> {
    let authored = build(shared_dir, &hand_written_maps(&out_dir.join("codegen.toml"))?)?;
    let env_dir = out_dir.join("environments");
    std::fs::create_dir_all(&env_dir).with_context(|| format!("creating {}", env_dir.display()))?;

    let mut written = Vec::new();
    let collection_path = out_dir.join(COLLECTION_FILE);
    written.push(write_json(&collection_path, &authored.collection)?);
    for (stem, env) in &authored.environments {
        written.push(write_json(
            &env_dir.join(format!("{stem}.postman_environment.json")),
            env,
        )?);
    }

    let s = &authored.stats;
    println!("author-zoho: {} requests (+3 OAuth requests)", s.requests);
    println!(
        "  with a documented success example: {}; with an error example: {}",
        s.with_success_example, s.with_error_example
    );
    println!(
        "  documented examples: {} ({} built from schema property examples); required-fields samples: {} ({} with optional objects)",
        s.documented_examples, s.synthesized_examples, s.required_only_examples, s.nested_required_examples
    );
    println!(
        "  saved examples with empty lists and objects filled in from the TSV and schemas: {}",
        s.filled_examples
    );
    println!("  saved examples with another `oneOf` alternative of the body: {}", s.alternative_examples);
    let generic: Vec<String> = s
        .generic_path_values
        .iter()
        .map(|(k, n)| format!("{k}×{n}"))
        .collect();
    println!(
        "  path parameters with placeholder values: {}",
        generic.join(", ")
    );
    for (version, module, n) in &authored.modules {
        println!("  {version} / {module}: {n}");
    }
    let (overrides, enum_count, field_count, optional_count) = &authored.overrides;
    println!("  enums from the OpenAPI files: {enum_count}, used by {field_count} field and query overrides");
    println!("  body fields the OpenAPI files leave optional but every sample has (`required = false`): {optional_count}");
    let overrides_path = out_dir.join(OVERRIDES_FILE);
    std::fs::write(&overrides_path, overrides).with_context(|| format!("writing {}", overrides_path.display()))?;
    written.push((overrides_path.display().to_string(), overrides.len()));
    for (path, bytes) in written {
        println!("  wrote {} ({bytes} bytes)", path);
    }
    Ok(())
}

fn write_json(path: &Path, value: &Value) -> Result<(String, usize)> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
    Ok((path.display().to_string(), text.len()))
}

/// `(item path, JSON path)` of the `type = "map"` overrides in the hand-written codegen.toml.
fn hand_written_maps(config: &Path) -> Result<BTreeSet<(String, String)>> {
    let mut maps = BTreeSet::new();
    let Ok(text) = std::fs::read_to_string(config) else {
        return Ok(maps);
    };
    let value: toml::Value = toml::from_str(&text).with_context(|| format!("parsing {}", config.display()))?;
    for entry in value.get("crate").and_then(toml::Value::as_array).into_iter().flatten() {
        for (item, o) in entry.get("overrides").and_then(toml::Value::as_table).into_iter().flatten() {
            for (path, field) in o.get("fields").and_then(toml::Value::as_table).into_iter().flatten() {
                if field.get("type").and_then(toml::Value::as_str) == Some("map") {
                    maps.insert((item.clone(), path.clone()));
                }
            }
        }
    }
    Ok(maps)
}

/// Builds everything in memory, with the sanity checks. `maps`: see [`hand_written_maps`].
pub fn build(shared_dir: &Path, maps: &BTreeSet<(String, String)>) -> Result<Authored> {
    let read = |name: &str| {
        let path = shared_dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let rows = tsv::parse_tsv(&read("endpoints.tsv")?)?;
    let extras: Vec<Extra> = serde_json::from_str(&read("endpoints.extra.json")?)
        .context("parsing endpoints.extra.json")?;
    check_rows(&rows, &extras)?;
    let specs = Specs::load(&shared_dir.join("openapi"))?;
    let data_centres = parse_hosts(&read("oauth.md")?)?;

    let scopes: Vec<String> = rows
        .iter()
        .flat_map(|r| r.scopes.iter())
        .filter(|s| s.starts_with("ZohoCliq."))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    // version -> modules in order of first appearance -> request items.
    let mut folders: Vec<(String, Vec<ModuleFolder<'_>>)> =
        vec![("v2".to_owned(), Vec::new()), ("v3".to_owned(), Vec::new())];
    let mut stats = Stats::default();
    let mut used_operations: BTreeMap<String, usize> = BTreeMap::new();
    let mut enum_places = enums::Collector::new(maps.clone());
    let id_examples = specs.id_examples();
    for (row, extra) in rows.iter().zip(&extras) {
        let found = specs
            .find(row, extra)
            .with_context(|| format!("TSV line {}", row.line))?;
        if let Some((key, _)) = &found {
            let uses = used_operations.entry(key.clone()).or_default();
            *uses += 1;
            ensure!(*uses == 1, "operation {key} is used by more than one row");
        }
        let item = postman::request_item(row, extra, found.as_ref().map(|(_, op)| op), &id_examples, &mut stats)
            .with_context(|| format!("TSV line {} ({})", row.line, row.name))?;
        if let Some((_, op)) = &found {
            let item_path = format!("{} / {} / {}", row.version.to_ascii_uppercase(), row.module, row.name);
            enum_places.collect(&item_path, op, &item);
        }
        let modules = &mut folders
            .iter_mut()
            .find(|(v, _)| *v == row.version)
            .context("unknown version")?
            .1;
        match modules
            .iter_mut()
            .find(|m| m.first_row.module == row.module)
        {
            Some(folder) => folder.items.push(item),
            None => modules.push(ModuleFolder {
                items: vec![item],
                first_row: row,
            }),
        }
    }

    let mut modules_report = Vec::new();
    let mut top = vec![postman::oauth_folder(&scopes)?];
    for (version, modules) in folders {
        let upper = version.to_ascii_uppercase();
        let mut module_items = Vec::new();
        for ModuleFolder { items, first_row } in modules {
            let module = &first_row.module;
            let (docs, confirmed) = postman::docs_page(first_row)?;
            modules_report.push((version.clone(), module.clone(), items.len()));
            module_items.push(json!({
                "id": uuid::stable_id(&format!("folder/{upper}/{module}")),
                "name": module,
                "description": format!(
                    "{module}: {} request(s) of the Zoho Cliq {version} API.\n\n**Docs:** {docs}{}",
                    items.len(),
                    if confirmed { "" } else { " (address inferred, not confirmed)" }
                ),
                "item": items,
            }));
        }
        top.push(json!({
            "id": uuid::stable_id(&format!("folder/{upper}")),
            "name": upper,
            "description": version_description(&version),
            "item": module_items,
        }));
    }

    let collection = json!({
        "info": {
            "_postman_id": uuid::stable_id("collection"),
            "name": "Zoho Cliq REST APIs",
            "description": COLLECTION_DESCRIPTION,
            "schema": SCHEMA,
        },
        "item": top,
        "auth": postman::collection_auth(&scopes),
    });
    check_collection(&collection, &rows)?;

    let environments = data_centres
        .iter()
        .map(|dc| (dc.code.clone(), postman::environment(dc)))
        .collect();
    Ok(Authored {
        collection,
        environments,
        stats,
        modules: modules_report,
        overrides: enum_places.render()?,
    })
}

/// The requests of one module folder, and the row that opened it.
struct ModuleFolder<'a> {
    items: Vec<Value>,
    first_row: &'a Row,
}

const COLLECTION_DESCRIPTION: &str = "Zoho Cliq REST API, versions 2 and 3, as a Postman v2.1 \
collection: one folder per module, one request per documented endpoint or variant, and an \
**OAuth** folder.\n\n\
**Setup:** import the environment of your data centre (US, EU, IN, AU, JP or CA), fill in \
`client-id`, `client-secret`, `redirect-uri` and `authorization-code`, then run **OAuth → \
Generate Access Token**. Its test script stores `access-token`, `refresh-token` and \
`expiry-time`. Every other request inherits the collection's OAuth 2.0 auth and sends \
`Authorization: Zoho-oauthtoken {{access-token}}`. Access tokens last one hour; run **Refresh \
Access Token** once `expiry-time` has passed.\n\n\
**Conventions:** URLs are `{{api-domain}}/api/v2/…` and `{{api-domain}}/api/v3/…`, except v2 \
Bulk Export (`{{api-domain}}/company/:COMPANY_ID/maintenanceapi/v2/…`). Optional query \
parameters and form parts are present but disabled. Each JSON-body request has a saved \
example **Required fields only** whose request body holds just the documented required fields, \
and, where the body's lists or objects are empty, **All fields, lists and objects filled in** \
(one element per list, built from the documented field types and schemas); the other saved \
examples are the documented responses (plus a copy with its empty lists filled in from the \
response schema, where it describes them). Path variables hold example or \
placeholder values: replace them with real ids.\n\n\
Each request's description gives the scope to request (the first `ZohoCliq.*` one), the \
documented rate limit (requests per minute and the lock period after exceeding it, answered \
with HTTP 429) and the docs page. Descriptions marked **Uncertain** flag requests whose method, \
path or body could not be confirmed from Zoho's own schemas.\n\n\
Generated by `cargo xtask author-zoho`; do not edit by hand.";

fn version_description(version: &str) -> String {
    match version {
        "v2" => "Zoho Cliq REST API v2 (`{{api-domain}}/api/v2`). Still fully supported; many \
                 organisation modules exist only here. Bulk Export calls are rooted at the \
                 domain: `{{api-domain}}/company/:COMPANY_ID/maintenanceapi/v2/…`."
            .to_owned(),
        _ => format!(
            "Zoho Cliq REST API {version} (`{{{{api-domain}}}}/api/{version}`). Message formats, \
             buttons, mentions and cards are variants of the message-post requests, each with \
             its own body."
        ),
    }
}

/// TSV and extra.json agree, with the expected counts.
fn check_rows(rows: &[Row], extras: &[Extra]) -> Result<()> {
    ensure!(
        rows.len() == EXPECTED_ROWS,
        "{} TSV rows, expected {EXPECTED_ROWS}",
        rows.len()
    );
    let v2 = rows.iter().filter(|r| r.version == "v2").count();
    let v3 = rows.iter().filter(|r| r.version == "v3").count();
    ensure!(
        v2 == EXPECTED_V2 && v3 == EXPECTED_V3,
        "v2 {v2} / v3 {v3} rows, expected 157 / 158"
    );
    ensure!(
        extras.len() == rows.len(),
        "endpoints.extra.json has {} entries for {} rows",
        extras.len(),
        rows.len()
    );
    for (row, extra) in rows.iter().zip(extras) {
        ensure!(
            (&row.version, &row.method, &row.path, &row.name)
                == (&extra.version, &extra.method, &extra.path, &extra.name),
            "TSV line {}: extra.json entry is {} {} {} {:?}",
            row.line,
            extra.version,
            extra.method,
            extra.path,
            extra.name
        );
    }
    let bulk = rows
        .iter()
        .filter(|r| r.module == postman::BULK_EXPORT_MODULE)
        .count();
    ensure!(
        bulk == EXPECTED_BULK_EXPORT,
        "{bulk} Bulk Export rows, expected {EXPECTED_BULK_EXPORT}"
    );
    Ok(())
}

/// Every row became exactly one request, in the right folder, and all ids are unique.
fn check_collection(collection: &Value, rows: &[Row]) -> Result<()> {
    fn walk(item: &Value, ids: &mut Vec<String>) {
        if let Some(id) = item.get("id").and_then(Value::as_str) {
            ids.push(id.to_owned());
        }
        for child in item
            .get("item")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(child, ids);
        }
        for example in item
            .get("response")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = example.get("id").and_then(Value::as_str) {
                ids.push(id.to_owned());
            }
        }
    }
    let mut ids = Vec::new();
    walk(collection, &mut ids);
    let unique: BTreeSet<&String> = ids.iter().collect();
    ensure!(unique.len() == ids.len(), "duplicate ids in the collection");

    let top = collection["item"].as_array().context("no items")?;
    let names: Vec<&str> = top.iter().filter_map(|f| f["name"].as_str()).collect();
    ensure!(
        names == ["OAuth", "V2", "V3"],
        "top-level folders are {names:?}"
    );
    for (folder, version, expected) in [(&top[1], "v2", EXPECTED_V2), (&top[2], "v3", EXPECTED_V3)]
    {
        let mut requests = BTreeSet::new();
        for module in folder["item"].as_array().context("no modules")? {
            for request in module["item"].as_array().context("no requests")? {
                ensure!(
                    request.get("request").is_some(),
                    "nested folder in {version}"
                );
                ensure!(
                    requests.insert(request["id"].as_str().unwrap_or_default().to_owned()),
                    "duplicate request id"
                );
            }
        }
        let wanted: BTreeSet<String> = rows
            .iter()
            .filter(|r| r.version == version)
            .map(|r| uuid::stable_id(&postman::request_key(r)))
            .collect();
        ensure!(
            wanted.len() == expected,
            "{version}: {} distinct row keys",
            wanted.len()
        );
        ensure!(
            requests == wanted,
            "{version}: requests do not map one-to-one onto TSV rows"
        );
    }
    Ok(())
}

/// The six data centres' hosts from the table in `oauth.md` §1.
fn parse_hosts(oauth_md: &str) -> Result<Vec<DataCentre>> {
    let mut found = BTreeMap::new();
    for line in oauth_md.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() < 3 {
            continue;
        }
        let code = cells[0].to_ascii_lowercase();
        if !DATA_CENTRES.contains(&code.as_str()) {
            continue;
        }
        let host = |cell: &str| cell.trim_matches('`').trim_end_matches('/').to_owned();
        let (api_domain, accounts_url) = (host(cells[1]), host(cells[2]));
        ensure!(
            api_domain.starts_with("https://") && accounts_url.starts_with("https://accounts."),
            "oauth.md: odd hosts for {code}: {api_domain} / {accounts_url}"
        );
        ensure!(
            found
                .insert(code.clone(), (api_domain, accounts_url))
                .is_none(),
            "oauth.md: {code} twice"
        );
    }
    DATA_CENTRES
        .iter()
        .map(|code| {
            let (api_domain, accounts_url) = found
                .remove(*code)
                .with_context(|| format!("oauth.md: no hosts for {code}"))?;
            Ok(DataCentre {
                code: (*code).to_owned(),
                api_domain,
                accounts_url,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_host_table() {
        let md = "| DC | Cliq | Accounts | Token |\n|----|---|---|---|\n\
                  | US | `https://cliq.zoho.com` | `https://accounts.zoho.com` | x |\n\
                  | EU | `https://cliq.zoho.eu` | `https://accounts.zoho.eu` | x |\n\
                  | IN | `https://cliq.zoho.in` | `https://accounts.zoho.in` | x |\n\
                  | AU | `https://cliq.zoho.com.au` | `https://accounts.zoho.com.au` | x |\n\
                  | JP | `https://cliq.zoho.jp` | `https://accounts.zoho.jp` | x |\n\
                  | CA | `https://cliq.zohocloud.ca` | `https://accounts.zohocloud.ca` | x |\n";
        let dcs = parse_hosts(md).unwrap();
        assert_eq!(dcs.len(), 6);
        assert_eq!(dcs[5].api_domain, "https://cliq.zohocloud.ca");
        assert_eq!(dcs[0].accounts_url, "https://accounts.zoho.com");
        assert!(
            parse_hosts("| US | `https://cliq.zoho.com` | `https://accounts.zoho.com` |").is_err()
        );
    }

    /// Runs against the real shared data when it is present next to the workspace.
    #[test]
    fn builds_deterministically_from_the_shared_data() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/zoho-cliq");
        if !shared.join("endpoints.tsv").exists() {
            eprintln!("skipping: {} not found", shared.display());
            return;
        }
        let a = build(&shared, &BTreeSet::new()).unwrap();
        let b = build(&shared, &BTreeSet::new()).unwrap();
        assert_eq!(a.collection, b.collection);
        assert_eq!(a.stats.requests, EXPECTED_ROWS);
        assert_eq!(a.environments.len(), 6);
    }
}
