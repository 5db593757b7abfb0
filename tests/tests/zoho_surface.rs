//! `generated/zoho-cliq/surface.txt` lists one function per row of
//! `../shared/zoho-cliq/endpoints.tsv` (plus the three OAuth requests), in the right module and
//! with the right method and path, so coverage cannot silently drop.

use std::collections::BTreeMap;

use integration_tests::{repo_root, shared_dir, snake};

/// `(version, module, METHOD, path)` → how many times it occurs.
type Multiset = BTreeMap<(String, String, String, String), usize>;


/// A TSV path (`/chats/:CHAT_ID/messages`) as surface.txt writes it after the base URL.
fn surface_path(version: &str, module: &str, path: &str) -> String {
    let braced: Vec<String> = path
        .split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => seg.to_owned(),
        })
        .collect();
    let braced = braced.join("/");
    if module == "Maintenance - Bulk Export" {
        // Rooted at the domain, not at /api/v2 (README, "TSV columns and conventions").
        assert!(braced.starts_with("/company/{COMPANY_ID}/maintenanceapi/v2/"), "{braced}");
        braced
    } else {
        format!("/api/{version}{braced}")
    }
}

fn tsv_rows() -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(shared_dir().join("zoho-cliq/endpoints.tsv")).expect("endpoints.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    assert_eq!(
        header,
        [
            "version", "module", "name", "method", "path", "path_params", "query_params", "body_kind", "body_fields",
            "scopes", "source"
        ]
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "row has {} cells: {line}", cells.len());
            header.iter().zip(cells).map(|(h, c)| ((*h).to_owned(), c.to_owned())).collect()
        })
        .collect()
}

/// `(rust path, METHOD, path, signature)` per surface.txt line.
fn surface_lines() -> Vec<[String; 4]> {
    let text = std::fs::read_to_string(repo_root().join("generated/zoho-cliq/surface.txt")).expect("surface.txt");
    text.lines()
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 4, "four tab-separated columns: {line}");
            [cells[0], cells[1], cells[2], cells[3]].map(str::to_owned)
        })
        .collect()
}

fn add(set: &mut Multiset, key: (String, String, String, String)) {
    *set.entry(key).or_default() += 1;
}

#[test]
fn the_tsv_has_the_documented_row_counts() {
    let rows = tsv_rows();
    assert_eq!(rows.len(), 315);
    assert_eq!(rows.iter().filter(|r| r["version"] == "v2").count(), 157);
    assert_eq!(rows.iter().filter(|r| r["version"] == "v3").count(), 158);
}

#[test]
fn surface_has_one_function_per_endpoint_row() {
    let rows = tsv_rows();
    let surface = surface_lines();
    assert_eq!(surface.len(), rows.len() + 3, "one line per TSV row plus the 3 OAuth requests");

    let mut expected = Multiset::new();
    for row in &rows {
        let (version, module) = (&row["version"], &row["module"]);
        add(
            &mut expected,
            (version.clone(), snake(module), row["method"].clone(), surface_path(version, module, &row["path"])),
        );
    }
    let mut actual = Multiset::new();
    let mut oauth = Vec::new();
    for [rust_path, method, path, _] in &surface {
        let parts: Vec<&str> = rust_path.split("::").collect();
        match parts.as_slice() {
            ["oauth", function] => oauth.push(((*function).to_owned(), method.clone(), path.clone())),
            [version, module, _function] => {
                add(&mut actual, ((*version).to_owned(), (*module).to_owned(), method.clone(), path.clone()))
            }
            _ => panic!("unexpected Rust path `{rust_path}`"),
        }
    }

    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, n)| actual.get(*k).copied().unwrap_or(0) < **n)
        .map(|(k, n)| format!("{k:?}: TSV {n}, surface {}", actual.get(k).copied().unwrap_or(0)))
        .collect();
    let extra: Vec<_> = actual
        .iter()
        .filter(|(k, n)| expected.get(*k).copied().unwrap_or(0) < **n)
        .map(|(k, n)| format!("{k:?}: surface {n}, TSV {}", expected.get(k).copied().unwrap_or(0)))
        .collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing:\n{}\nextra:\n{}", missing.join("\n"), extra.join("\n"));
    assert_eq!(actual, expected);

    let post = |f: &str, p: &str| (f.to_owned(), "POST".to_owned(), p.to_owned());
    oauth.sort();
    assert_eq!(
        oauth,
        [
            post("generate_access_token", "/oauth/v2/token"),
            post("refresh_access_token", "/oauth/v2/token"),
            post("revoke_refresh_token", "/oauth/v2/token/revoke"),
        ]
    );
}

#[test]
fn surface_is_sorted_and_names_are_unique() {
    let surface = surface_lines();
    let names: Vec<&str> = surface.iter().map(|l| l[0].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "surface.txt is sorted");
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "every function name is unique");
    for [name, method, path, signature] in &surface {
        let function = name.rsplit("::").next().unwrap();
        assert!(signature.starts_with(&format!("pub async fn {function}(client: &Client")), "{signature}");
        assert!(["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()), "{name}: {method}");
        assert!(path.starts_with('/') && !path.contains(':'), "{name}: {path}");
    }
}

#[test]
fn path_parameters_are_typed_ids() {
    // Each `{NAME}` in a path is a parameter of the id type named after it (`{CHAT_ID}` →
    // `&ChatId`), in path order.
    for [name, _, path, signature] in surface_lines() {
        let params: Vec<&str> =
            path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
        let mut rest = signature.as_str();
        for param in params {
            let ty: String = param
                .split('_')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase()).unwrap_or_default()
                })
                .collect();
            let arg = format!("{}: &{ty}", param.to_ascii_lowercase());
            let at = rest.find(&arg).unwrap_or_else(|| panic!("{name}: `{arg}` (in order) in `{signature}`"));
            rest = &rest[at + arg.len()..];
        }
    }
}

/// A program picks its data centre from configuration by the environment file's short name.
#[test]
fn environments_parse_and_print_by_short_name() {
    use zoho_cliq::Environment;
    assert_eq!(Environment::SHORT_NAMES, ["us", "eu", "in", "au", "jp", "ca"]);
    for env in Environment::ALL {
        assert_eq!(env.to_string().parse::<Environment>(), Ok(*env));
    }
    assert_eq!("EU".parse::<Environment>(), Ok(Environment::Eu));
    let err = "mars".parse::<Environment>().unwrap_err();
    assert_eq!(err.to_string(), "unknown environment `mars`: use one of us, eu, in, au, jp, ca");
}

/// Path ids are distinct types (README: "a `UserId` does not fit" where a `&ChatId` is
/// expected), built from text, printed and serialized as it.
#[test]
fn path_ids_are_distinct_types_of_their_text() {
    use std::any::TypeId;
    use zoho_cliq::{ChatId, UserId};
    assert_ne!(TypeId::of::<ChatId>(), TypeId::of::<UserId>());
    let id = ChatId::from("CT_1");
    assert_eq!((id.to_string().as_str(), id.as_ref()), ("CT_1", "CT_1"));
    assert_eq!(format!("{id:?}"), r#"ChatId("CT_1")"#);
    assert_eq!(serde_json::to_string(&id).unwrap(), r#""CT_1""#);
    assert_eq!(serde_json::from_str::<ChatId>(r#""CT_1""#).unwrap(), id);
}

/// One Cargo feature per module (`v3-chats`), each turned on by its version's feature, which
/// `default` lists (README: "Pay for the modules you use").
#[test]
fn a_feature_per_module_turned_on_by_its_version() {
    let cargo: toml::Table = std::fs::read_to_string(repo_root().join("generated/zoho-cliq/Cargo.toml")).unwrap().parse().unwrap();
    let features = cargo["features"].as_table().unwrap();
    let list = |name: &str| -> Vec<String> {
        features[name].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(list("default"), ["oauth", "v2", "v3"]);
    let mut modules = std::collections::BTreeSet::new();
    for [name, ..] in surface_lines() {
        let path: Vec<&str> = name.split("::").collect();
        if path.len() == 3 {
            modules.insert((path[0].to_owned(), format!("{}-{}", path[0], path[1].replace('_', "-"))));
        }
    }
    assert!(modules.len() > 40, "{modules:?}");
    for (version, feature) in &modules {
        assert!(list(version).contains(feature), "`{version}` turns on `{feature}`");
        assert!(list(feature).is_empty(), "{feature}");
    }
    assert!(modules.contains(&("v3".to_owned(), "v3-dnd-settings".to_owned())));
}

/// One type per structure (README, "One type per structure in a module"): no two inferred
/// structs of a module have the same derives and fields, unless one is a request's top-level type
/// and the other nested (the two are never shared: a nested type that named another request's
/// top-level struct would change with that request). The second request of a structure gets an
/// alias. Query and form structs are built from parameters, one per request, and not shared.
#[test]
fn no_module_repeats_an_inferred_struct() {
    use quote::ToTokens;
    let src = repo_root().join("generated/zoho-cliq/src");
    let mut files = vec![src.clone()];
    let (mut structs, mut aliases) = (0, 0);
    while let Some(path) = files.pop() {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "runtime") {
                continue;
            }
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let inferred: Vec<&syn::ItemStruct> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) if !s.ident.to_string().ends_with("Query") && !s.ident.to_string().ends_with("Form") => Some(s),
                _ => None,
            })
            .collect();
        aliases += file.items.iter().filter(|item| matches!(item, syn::Item::Type(_))).count();
        structs += inferred.len();
        // A nested struct is the type of some field.
        let field_types: String = inferred.iter().map(|s| s.fields.to_token_stream().to_string()).collect();
        let nested = |name: &str| field_types.split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == name);
        let mut seen: BTreeMap<(String, bool), String> = BTreeMap::new();
        for s in inferred {
            let name = s.ident.to_string();
            let derives: Vec<String> =
                s.attrs.iter().filter(|a| !a.path().is_ident("doc")).map(|a| a.to_token_stream().to_string()).collect();
            let shape = format!("{derives:?} {}", s.fields.to_token_stream());
            if let Some(first) = seen.insert((shape, nested(&name)), name.clone()) {
                panic!("{}: {name} repeats {first}", path.display());
            }
        }
    }
    assert!(structs > 500 && aliases > 100, "{structs} structs, {aliases} aliases");
}
