//! Review-friendly regeneration on a real collection (a copy of the corpus' Okta collection,
//! edited in each test): names survive renames, moves, reorders and collisions through
//! `names.lock`; a one-request change touches only that request's lines; and the surface diff
//! classifies each kind of change.

use std::path::Path;

use integration_tests::corpus_dir;
use postman_codegen::emit::Files;
use postman_codegen::surface::{self, Kind};
use postman_codegen::Generator;
use serde_json::{json, Value};

const OKTA: &str = "api-evangelist--okta--okta-user-api.postman_collection.json";
const MODULE: &str = "src/user.rs";
const ROUNDTRIP: &str = "tests/examples_roundtrip.rs";

fn okta() -> Value {
    serde_json::from_slice(&std::fs::read(corpus_dir().join(OKTA)).unwrap()).unwrap()
}

/// Generates from `collection`, keeping names from `lock` (the text of a previous names.lock).
fn generate(dir: &Path, collection: &Value, lock: Option<&str>) -> Files {
    let path = dir.join("okta.postman_collection.json");
    std::fs::write(&path, serde_json::to_vec_pretty(collection).unwrap()).unwrap();
    let lock_path = dir.join("names.lock");
    match lock {
        Some(text) => std::fs::write(&lock_path, text).unwrap(),
        None => {
            let _ = std::fs::remove_file(&lock_path);
        }
    }
    Generator::new().collection(&path).crate_name("okta").lock_file(&lock_path).generate_files().unwrap().files
}

fn requests(collection: &mut Value) -> &mut Vec<Value> {
    collection["item"][0]["item"].as_array_mut().unwrap()
}

fn functions(files: &Files) -> Vec<String> {
    files["surface.txt"].lines().map(|l| l.split('\t').next().unwrap().to_owned()).collect()
}

/// Files that differ, and for each the lines removed and added (one contiguous hunk: the
/// common prefix and suffix are stripped).
fn changed(old: &Files, new: &Files) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    for name in old.keys().chain(new.keys()).collect::<std::collections::BTreeSet<_>>() {
        let a: Vec<&str> = old.get(name).map(|t| t.lines().collect()).unwrap_or_default();
        let b: Vec<&str> = new.get(name).map(|t| t.lines().collect()).unwrap_or_default();
        if a == b {
            continue;
        }
        let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
        let removed = a[prefix..a.len() - suffix].iter().map(|l| l.trim().to_owned()).collect();
        let added = b[prefix..b.len() - suffix].iter().map(|l| l.trim().to_owned()).collect();
        out.push((name.clone(), removed, added));
    }
    out
}

fn changed_files(old: &Files, new: &Files) -> Vec<String> {
    changed(old, new).into_iter().map(|(name, _, _)| name).collect()
}

#[test]
fn generation_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let first = generate(dir.path(), &okta(), None);
    let second = generate(dir.path(), &okta(), None);
    assert_eq!(first, second);
}

#[test]
fn renaming_a_request_keeps_its_rust_name_and_changes_only_its_docs() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    requests(&mut collection)[0]["name"] = json!("List every user");
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(functions(&before), functions(&after), "no Rust item is renamed");
    let diff = changed(&before, &after);
    let files: Vec<&str> = diff.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(files, ["names.lock", MODULE, ROUNDTRIP]);
    let (_, removed, added) = &diff[1];
    assert_eq!(removed, &["/// Postman item: User / Okta List Users"]);
    assert_eq!(added, &["/// Postman item: User / List every user"]);
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].kind, changes[0].item.as_str()), (Kind::Docs, "user::okta_list_users"));
    // Asked for explicitly, the new name is taken; the diff of the two crates matches them by
    // Postman id: a rename (with the request's own types), not a removal plus an addition.
    let renamed = generate(dir.path(), &collection, None);
    assert!(functions(&renamed).contains(&"user::list_every_user".to_owned()));
    let changes = surface::diff_files(&before, &renamed);
    let text = surface::render_text("okta", &changes);
    assert!(text.contains("breaking  user::okta_list_users: renamed to `user::list_every_user`   (User / List every user)"), "{text}");
    assert!(text.contains("breaking  user::OktaListUsersQuery: type renamed to `user::ListEveryUserQuery`"), "{text}");
    assert!(changes.iter().all(|c| c.what.contains("renamed to") || c.kind == Kind::Docs), "{text}");
}

/// Takes the request with `id` out of the User folder.
fn take_request(collection: &mut Value, id: &str) -> Value {
    let index = requests(collection).iter().position(|r| r["id"] == id).expect("request in the User folder");
    requests(collection).remove(index)
}

/// The second "Okta Expire Password" of the User folder: `user::okta_expire_password_2`.
const EXPIRE_2: &str = "d489ac7e-b810-492e-aeb9-af7a28dcf09c";

#[test]
fn moving_a_request_keeps_its_rust_path_until_rename() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    assert!(functions(&before).contains(&"user::okta_expire_password_2".to_owned()));
    // To the top level, as in the issue: the Rust path stays, only its docs name the new place.
    let moved = take_request(&mut collection, EXPIRE_2);
    collection["item"].as_array_mut().unwrap().push(moved);
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(functions(&after), functions(&before), "every Rust path is kept");
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!((changes[0].kind, changes[0].item.as_str()), (Kind::Docs, "user::okta_expire_password_2"));
    assert!(after["names.lock"].contains(&format!("[functions.{EXPIRE_2}]\nname = \"okta_expire_password_2\"\nitem = \"Okta Expire Password\"\nmodule = \"user\"\n")));
    // Regenerating from that lock changes nothing more.
    assert_eq!(generate(dir.path(), &collection, Some(&after["names.lock"])), after);
    // --rename takes the place Postman gives it now.
    let renamed = generate(dir.path(), &collection, None);
    assert!(functions(&renamed).contains(&"okta_expire_password".to_owned()), "{:?}", functions(&renamed));
}

#[test]
fn moving_and_renaming_a_request_into_a_new_folder_keeps_its_rust_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    let mut moved = take_request(&mut collection, EXPIRE_2);
    moved["name"] = json!("Expire a password (legacy)");
    collection["item"].as_array_mut().unwrap().push(json!({"id": "folder-archive", "name": "Archive", "item": [moved]}));
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(functions(&after), functions(&before), "every Rust path is kept");
    // The new folder is a new (here empty) module; nothing else is reported but the docs.
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    let summary: Vec<(Kind, &str, &str)> = changes.iter().map(|c| (c.kind, c.item.as_str(), c.what.as_str())).collect();
    assert_eq!(
        summary,
        [(Kind::Additive, "archive", "new module"), (Kind::Docs, "user::okta_expire_password_2", "documentation changed")]
    );
}

#[test]
fn a_new_folder_with_new_requests_gets_a_new_module() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    let mut fresh = requests(&mut collection)[0].clone();
    fresh["id"] = json!("00000000-0000-4000-8000-000000000001");
    fresh["name"] = json!("List admins");
    collection["item"].as_array_mut().unwrap().push(json!({"id": "folder-admin", "name": "Admin", "item": [fresh]}));
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    let mut expected = functions(&before);
    expected.push("admin::list_admins".to_owned());
    expected.sort();
    assert_eq!(functions(&after), expected);
}

#[test]
fn renaming_and_moving_a_folder_keeps_every_rust_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    collection["item"][0]["name"] = json!("People");
    let kept = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(functions(&kept), functions(&before), "a renamed folder keeps its module");
    // Into a new folder: the module stays at the crate root; the new folder is a new module.
    let folder = collection["item"].as_array_mut().unwrap().remove(0);
    collection["item"].as_array_mut().unwrap().push(json!({"id": "folder-directory", "name": "Directory", "item": [folder]}));
    let moved = generate(dir.path(), &collection, Some(&kept["names.lock"]));
    assert_eq!(functions(&moved), functions(&before), "a moved folder keeps its module path");
    assert!(moved.contains_key("src/directory.rs") && moved.contains_key("src/user.rs"));
    let renamed = generate(dir.path(), &collection, None);
    assert!(functions(&renamed).contains(&"directory::people::clear_user_sessions".to_owned()), "--rename follows Postman");
    let text = surface::render_text("okta", &surface::diff_files(&before, &renamed));
    assert!(text.contains("breaking  user: module renamed to `directory::people`"), "{text}");
    assert!(text.contains("breaking  user::okta_list_users: renamed to `directory::people::okta_list_users`"), "{text}");
    assert!(!text.contains("removed"), "{text}");
}

#[test]
fn reordering_requests_and_folders_keeps_every_rust_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    collection["item"].as_array_mut().unwrap().push(json!({"id": "folder-b", "name": "B", "item": []}));
    let before = generate(dir.path(), &collection, None);
    requests(&mut collection).reverse();
    collection["item"].as_array_mut().unwrap().reverse();
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(functions(&after), functions(&before));
    assert_eq!(before["names.lock"], after["names.lock"], "the lock does not depend on order");
}

#[test]
fn an_emptied_module_stays_while_the_lock_puts_anything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    // Every request to the top level, the User folder deleted: the `user` module stays.
    let folder = collection["item"].as_array_mut().unwrap().remove(0);
    let all = folder["item"].as_array().unwrap().clone();
    collection["item"] = json!(all);
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(functions(&after), functions(&before));
    assert!(after[MODULE].contains("//! Requests `names.lock` keeps at `user`"), "{}", &after[MODULE][..400]);
    assert!(after[MODULE].contains("//! Postman folder: User\n"), "the folder it stood for is named");
    assert_eq!(generate(dir.path(), &collection, Some(&after["names.lock"])), after, "stable from its own lock");
    // Once nothing is locked into it, it goes.
    collection["item"] = json!(all[..1]);
    let last = generate(dir.path(), &collection, Some(&after["names.lock"]));
    assert_eq!(functions(&last), ["user::okta_list_users"]);
    collection["item"] = json!([]);
    let empty = generate(dir.path(), &collection, Some(&last["names.lock"]));
    assert!(!empty.contains_key(MODULE) && !empty["names.lock"].contains("[modules."), "{}", empty["names.lock"]);
}

#[test]
fn a_lock_without_module_paths_regenerates_the_same_crate() {
    let dir = tempfile::tempdir().unwrap();
    let collection = okta();
    let before = generate(dir.path(), &collection, None);
    let old_lock: String = before["names.lock"].lines().filter(|l| !l.starts_with("module = ")).map(|l| format!("{l}\n")).collect();
    assert_ne!(old_lock, before["names.lock"]);
    assert_eq!(generate(dir.path(), &collection, Some(&old_lock)), before, "same names, and the lock gains the module paths");
}

#[test]
fn a_colliding_new_request_does_not_rename_the_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    let mut twin = requests(&mut collection)[0].clone();
    twin["id"] = json!("00000000-0000-4000-8000-000000000000");
    requests(&mut collection).insert(0, twin);
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    let mut expected = functions(&before);
    expected.push("user::okta_list_users_2".to_owned());
    expected.sort();
    assert_eq!(functions(&after), expected);
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    assert!(changes.iter().all(|c| c.kind == Kind::Additive), "{changes:?}");
    assert!(changes.iter().any(|c| c.item == "user::okta_list_users_2" && c.what == "new function"));
}

#[test]
fn adding_a_query_parameter_touches_only_that_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    let query = requests(&mut collection)[0]["request"]["url"]["query"].as_array_mut().unwrap();
    query.push(json!({"key": "expand", "value": "groups", "disabled": true}));
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    let diff = changed(&before, &after);
    assert_eq!(changed_files(&before, &after), [MODULE]);
    let (_, removed, added) = &diff[0];
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        &[
            "/// Example: `groups`",
            "#[serde(skip_serializing_if = \"::std::option::Option::is_none\")]",
            "pub expand: ::std::option::Option<::std::string::String>,",
        ]
    );
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, Kind::Additive);
    assert_eq!(changes[0].what, "new optional field `expand`");
}

#[test]
fn adding_and_deleting_requests() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    let removed = requests(&mut collection).remove(3);
    let removed_name = removed["name"].as_str().unwrap().to_owned();
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(changed_files(&before, &after), ["names.lock", "src/postman_examples.rs", MODULE, "surface.txt", ROUNDTRIP]);
    assert_eq!(functions(&after).len(), functions(&before).len() - 1);
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    assert!(changes.iter().all(|c| c.kind == Kind::Breaking), "{changes:?}");
    let function = changes.iter().find(|c| c.what == "function removed or renamed").expect("the function is reported");
    assert_eq!(function.postman, format!("User / {removed_name}"));
    // Besides the function, only its own types go.
    let prefix = function.item.rsplit("::").next().unwrap().replace('_', "");
    for change in changes.iter().filter(|c| c.what != "function removed or renamed") {
        let ty = change.item.rsplit("::").next().unwrap().to_ascii_lowercase();
        assert!(ty.starts_with(&prefix), "{change:?} is not a type of the removed request");
        assert_eq!(change.what, "type removed or renamed");
    }
    assert!(!after["names.lock"].contains(removed["id"].as_str().unwrap()), "removed items leave the lock");

    // Adding it back restores the same surface.
    requests(&mut collection).insert(3, removed);
    let again = generate(dir.path(), &collection, Some(&after["names.lock"]));
    assert_eq!(functions(&again), functions(&before));
}

#[test]
fn adding_a_body_field_is_reported_and_local() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = okta();
    let before = generate(dir.path(), &collection, None);
    let index = requests(&mut collection)
        .iter()
        .position(|r| r["request"]["body"]["mode"] == "raw" && r["request"]["method"] == "POST")
        .expect("a POST with a JSON body");
    let body = requests(&mut collection)[index]["request"]["body"]["raw"].as_str().unwrap().to_owned();
    let mut value: Value = serde_json::from_str(&body).unwrap();
    value["nickname"] = json!("Ace");
    requests(&mut collection)[index]["request"]["body"]["raw"] = json!(value.to_string());
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    let files = changed_files(&before, &after);
    assert_eq!(files, ["src/postman_examples.rs", MODULE, ROUNDTRIP], "only this request's lines change");
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    assert!(
        changes.iter().any(|c| c.what.contains("field `nickname`")),
        "{}",
        surface::render_text("okta", &changes)
    );
}

/// A folder of three requests whose responses each carry a `creator` object of one structure,
/// and fields of their own.
fn sharing_collection() -> Value {
    let request = |id: &str, name: &str, path: &str, own: &str, creator: Value| {
        let body = json!({ own: 1, "creator": creator });
        json!({
            "id": id,
            "name": name,
            "request": { "method": "GET", "url": { "raw": format!("https://api.example.com/{path}"), "host": ["api", "example", "com"], "path": [path] } },
            "response": [{ "name": "ok", "code": 200, "header": [{"key": "Content-Type", "value": "application/json"}], "body": body.to_string() }]
        })
    };
    let creator = json!({"id": "u1", "name": "Ann"});
    json!({
        "info": { "name": "Sharing", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "item": [{ "id": "folder", "name": "Chats", "item": [
            request("a", "List chats", "chats", "count", creator.clone()),
            request("b", "Get chat", "chat", "size", creator.clone()),
            request("c", "Get message", "message", "length", creator),
        ]}]
    })
}

fn struct_count(files: &Files) -> usize {
    files["src/chats.rs"].matches("pub struct ").count()
}

/// Nested types of one structure are one struct per module; when the request that named it
/// changes or goes away, the others keep it (its name is pinned in names.lock), and the diff
/// touches only the changed request's lines plus its newly split type.
#[test]
fn requests_share_nested_types_and_a_change_to_one_stays_local() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = sharing_collection();
    let before = generate(dir.path(), &collection, None);
    assert_eq!(before["src/chats.rs"].matches("pub creator: ListChatsResponseCreator,").count(), 3);
    assert_eq!(struct_count(&before), 4, "three responses and one shared creator");
    assert!(before["names.lock"].contains("name = \"ListChatsResponseCreator\""), "a shared type is pinned");

    // The first request's creator gains a field: it gets a struct of its own.
    let edited = json!({"count": 1, "creator": {"id": "u1", "name": "Ann", "email": "a@example.com"}});
    collection["item"][0]["item"][0]["response"][0]["body"] = json!(edited.to_string());
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(after["src/chats.rs"].matches("pub creator: ListChatsResponseCreator,").count(), 2);
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    let text = surface::render_text("sharing", &changes);
    assert!(changes.iter().all(|c| c.item.starts_with("chats::ListChatsResponse")), "{text}");
    assert!(text.contains("additive  chats::ListChatsResponseCreator2: new type"), "{text}");
    for (file, removed, added) in changed(&before, &after) {
        let lines = removed.iter().chain(&added);
        let foreign = lines.filter(|l| l.contains("GetChat") || l.contains("GetMessage") || l.contains("get_chat") || l.contains("get_message"));
        assert_eq!(foreign.count(), 0, "{file}: {removed:?} -> {added:?}");
    }
    // Regenerating with the lock just written changes nothing.
    let again = generate(dir.path(), &collection, Some(&after["names.lock"]));
    assert_eq!(changed_files(&after, &again), Vec::<String>::new());

    // The first request goes away: the others keep the shared type's name.
    requests(&mut collection).remove(0);
    let removed = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert_eq!(removed["src/chats.rs"].matches("pub creator: ListChatsResponseCreator,").count(), 2);
    let changes = surface::diff(&surface::read(&before), &surface::read(&removed));
    let text = surface::render_text("sharing", &changes);
    assert!(changes.iter().all(|c| c.item.starts_with("chats::ListChatsResponse") || c.item == "chats::list_chats"), "{text}");
    assert!(!text.contains("ListChatsResponseCreator"), "{text}");
}

/// Two requests with the same response structure: the second's type is an alias of the first's
/// struct. When the first changes, the second's alias becomes a struct of the same name and
/// fields: no change for its callers.
#[test]
fn an_aliased_response_type_keeps_its_name_and_fields_when_the_first_request_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = sharing_collection();
    let same = json!({"count": 1, "creator": {"id": "u1", "name": "Ann"}}).to_string();
    collection["item"][0]["item"][1]["response"][0]["body"] = json!(same);
    let before = generate(dir.path(), &collection, None);
    assert!(before["src/chats.rs"].contains("pub type GetChatResponse = ListChatsResponse;"));

    let edited = json!({"count": 1, "total": 2, "creator": {"id": "u1", "name": "Ann"}});
    collection["item"][0]["item"][0]["response"][0]["body"] = json!(edited.to_string());
    let after = generate(dir.path(), &collection, Some(&before["names.lock"]));
    assert!(after["src/chats.rs"].contains("pub struct GetChatResponse {"));
    let changes = surface::diff(&surface::read(&before), &surface::read(&after));
    let text = surface::render_text("sharing", &changes);
    assert!(changes.iter().all(|c| c.item.starts_with("chats::ListChats") || c.kind == Kind::Docs), "{text}");
    assert!(text.contains("additive  chats::ListChatsResponse: new optional field `total`") || text.contains("chats::ListChatsResponse: new required field `total`"), "{text}");
}
