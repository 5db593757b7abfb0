//! Pagination in `generated/zoho-cliq`: every endpoint of `../shared/zoho-cliq/endpoints.tsv`
//! that takes `next_token` has `_pages` and `_stream` functions (and `_sync` when it also takes
//! `sync_token`), checked against the TSV as the surface test does; and the generated functions
//! page correctly against a wiremock server.

mod zoho_support;

use std::collections::BTreeMap;

use integration_tests::{repo_root, shared_dir, snake};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoho_cliq::paginate::{Feed, StreamExt};
use zoho_cliq::v3::bots::{list_all_bots_pages, list_all_bots_stream, list_all_bots_sync, ListAllBotsQuery};
use zoho_cliq::v3::chats::{retrieve_all_direct_chats_stream, RetrieveAllDirectChatsQuery};
use zoho_cliq::v3::reminders::{get_reminders_in_a_chat_stream, GetRemindersInAChatQuery};
use zoho_cliq::ChatId;
use zoho_support::*;

/// The TSV's rows as column → cell.
fn tsv_rows() -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(shared_dir().join("zoho-cliq/endpoints.tsv")).expect("endpoints.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|line| header.iter().zip(line.split('\t')).map(|(h, c)| ((*h).to_owned(), c.to_owned())).collect())
        .collect()
}


/// The query parameter names of a TSV row (`limit:integer:optional,next_token:…`).
fn query_params(row: &BTreeMap<String, String>) -> Vec<String> {
    row["query_params"].split(',').filter_map(|p| p.split(':').next()).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

/// The public functions of a generated module file.
fn public_functions(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("generated/zoho-cliq/src").join(file)).expect(file);
    let parsed = syn::parse_file(&text).expect("generated file parses");
    parsed
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_next_token_endpoint_has_stream_functions() {
    let surface = std::fs::read_to_string(repo_root().join("generated/zoho-cliq/surface.txt")).expect("surface.txt");
    let rows: Vec<_> = tsv_rows().into_iter().filter(|r| query_params(r).iter().any(|p| p == "next_token")).collect();
    assert_eq!(rows.len(), 22, "the TSV's next_token endpoints");
    let mut checked = 0;
    let mut feeds = 0;
    for row in &rows {
        let (version, module) = (&row["version"], snake(&row["module"]));
        let braced: Vec<String> = row["path"]
            .split('/')
            .map(|seg| seg.strip_prefix(':').map_or_else(|| seg.to_owned(), |name| format!("{{{name}}}")))
            .collect();
        let url = format!("/api/{version}{}", braced.join("/"));
        // The request function of this row: same module, method and path.
        let function = surface
            .lines()
            .map(|line| line.split('\t').collect::<Vec<_>>())
            .find(|cells| {
                cells[0].starts_with(&format!("{version}::{module}::")) && cells[1] == row["method"] && cells[2] == url
            })
            .map(|cells| cells[0].rsplit("::").next().unwrap_or_default().to_owned())
            .unwrap_or_else(|| panic!("no function for {version} {module} {} {url}", row["method"]));
        let functions = public_functions(&format!("{version}/{module}.rs"));
        let mut expected = vec![format!("{function}_pages"), format!("{function}_stream")];
        if query_params(row).iter().any(|p| p == "sync_token") {
            expected.push(format!("{function}_sync"));
            feeds += 1;
        }
        for name in expected {
            assert!(functions.contains(&name), "{version}::{module}::{name} is missing ({})", row["name"]);
        }
        checked += 1;
    }
    assert_eq!((checked, feeds), (22, 14));
}

fn bots(names: &[&str]) -> serde_json::Value {
    json!(names.iter().map(|n| json!({ "unique_name": n, "name": n })).collect::<Vec<_>>())
}

async fn bots_page(server: &MockServer, token: Option<&str>, response: ResponseTemplate) {
    bots_page_times(server, token, response, 1).await;
}

async fn bots_page_times(server: &MockServer, token: Option<&str>, response: ResponseTemplate, times: u64) {
    let mock = Mock::given(method("GET")).and(path("/api/v3/bots")).and(query_param("limit", "2"));
    let mock = match token {
        Some(token) => mock.and(query_param("next_token", token)),
        None => mock.and(query_param_is_missing("next_token")),
    };
    mock.respond_with(response).expect(times).mount(server).await;
}

fn ok(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn list_all_bots_stream_follows_next_token_with_the_same_limit() {
    let server = MockServer::start().await;
    // Each page twice: once for `_stream`, once for `_pages`.
    bots_page_times(&server, None, ok(json!({ "data": bots(&["a", "b"]), "next_token": "n2" })), 2).await;
    bots_page_times(&server, Some("n2"), ok(json!({ "data": bots(&["c", "d"]), "next_token": "n3" })), 2).await;
    bots_page_times(&server, Some("n3"), ok(json!({ "data": [], "next_token": "" })), 2).await;
    let client = api_client(&server);
    let query = ListAllBotsQuery { limit: Some(2), ..Default::default() };
    let names: Vec<String> =
        list_all_bots_stream(&client, &query).map(|bot| bot.expect("bot").unique_name).collect().await;
    assert_eq!(names, ["a", "b", "c", "d"]);
    let pages: Vec<_> = list_all_bots_pages(&client, &query).collect().await;
    assert_eq!(pages.len(), 3, "the same three pages, the last one empty");
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.iter().all(|r| r.headers["authorization"] == auth_header(ACCESS_TOKEN).as_str()));
}

#[tokio::test]
async fn an_error_on_page_two_ends_the_stream_with_it() {
    let server = MockServer::start().await;
    bots_page(&server, None, ok(json!({ "data": bots(&["a"]), "next_token": "n2" }))).await;
    let error = json!({ "code": "internal_error", "message": "Try again later." });
    bots_page(&server, Some("n2"), ResponseTemplate::new(500).set_body_json(error)).await;
    let client = api_client(&server);
    let query = ListAllBotsQuery { limit: Some(2), ..Default::default() };
    let got: Vec<_> = list_all_bots_stream(&client, &query).collect().await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].as_ref().expect("first bot").unique_name, "a");
    let err = got[1].as_ref().expect_err("page 2 fails");
    assert_eq!(err.code(), Some("internal_error"));
    assert_eq!(err.operation(), Some("v3::bots::list_all_bots"));
}

#[tokio::test]
async fn a_repeated_next_token_is_not_followed_again() {
    let server = MockServer::start().await;
    bots_page(&server, None, ok(json!({ "data": bots(&["a"]), "next_token": "n2" }))).await;
    bots_page(&server, Some("n2"), ok(json!({ "data": bots(&["b"]), "next_token": "n2" }))).await;
    let client = api_client(&server);
    let query = ListAllBotsQuery { limit: Some(2), ..Default::default() };
    let got: Vec<_> = list_all_bots_stream(&client, &query).collect().await;
    assert_eq!(got.len(), 2);
    server.verify().await;
}

#[tokio::test]
async fn list_all_bots_sync_hands_back_the_new_sync_token() {
    let server = MockServer::start().await;
    let page = |token: Option<&str>| {
        let mock = Mock::given(method("GET")).and(path("/api/v3/bots")).and(query_param("sync_token", "old"));
        match token {
            Some(token) => mock.and(query_param("next_token", token)),
            None => mock.and(query_param_is_missing("next_token")),
        }
    };
    page(None).respond_with(ok(json!({ "data": bots(&["a"]), "next_token": "n2", "sync_token": "mid" }))).expect(1).mount(&server).await;
    page(Some("n2")).respond_with(ok(json!({ "data": bots(&["b"]), "sync_token": "new" }))).expect(1).mount(&server).await;
    let client = api_client(&server);
    let query = ListAllBotsQuery { sync_token: Some("old".into()), ..Default::default() };
    let feed: Vec<_> = list_all_bots_sync(&client, &query).map(|f| f.expect("feed element")).collect().await;
    let shown: Vec<String> = feed
        .iter()
        .map(|f| match f {
            Feed::Item(bot) => bot.unique_name.clone(),
            Feed::SyncToken(token) => format!("token {token}"),
        })
        .collect();
    assert_eq!(shown, ["a", "b", "token new"]);
}

#[tokio::test]
async fn an_override_gives_next_token_paging_where_the_examples_show_one_page() {
    let server = MockServer::start().await;
    let at = |token: Option<&str>| {
        let mock = Mock::given(method("GET")).and(path("/api/v3/chats/CT_1/reminders")).and(query_param("limit", "1"));
        match token {
            Some(token) => mock.and(query_param("next_token", token)),
            None => mock.and(query_param_is_missing("next_token")),
        }
    };
    at(None).respond_with(ok(json!({ "list": [{ "id": "r1" }], "next_token": "n2" }))).expect(1).mount(&server).await;
    at(Some("n2")).respond_with(ok(json!({ "list": [{ "id": "r2" }] }))).expect(1).mount(&server).await;
    let client = api_client(&server);
    let query = GetRemindersInAChatQuery { limit: 1, ..Default::default() };
    let got: Vec<_> = get_reminders_in_a_chat_stream(&client, &ChatId::from("CT_1"), &query).collect().await;
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(Result::is_ok));
}

#[tokio::test]
async fn direct_chats_page_by_the_last_chats_modified_time() {
    let server = MockServer::start().await;
    let at = |before: Option<&str>| {
        let mock = Mock::given(method("GET")).and(path("/api/v3/chats")).and(query_param("limit", "2"));
        match before {
            Some(before) => mock.and(query_param("modified_before", before)),
            None => mock.and(query_param_is_missing("modified_before")),
        }
    };
    let chat = |id: &str, time: &str| json!({ "chat_id": id, "last_modified_time": time });
    at(None)
        .respond_with(ok(json!({ "chats": [chat("c1", "1700000000300"), chat("c2", "1700000000200")] })))
        .expect(1)
        .mount(&server)
        .await;
    at(Some("1700000000200"))
        .respond_with(ok(json!({ "chats": [chat("c3", "1700000000100")] })))
        .expect(1)
        .mount(&server)
        .await;
    at(Some("1700000000100")).respond_with(ok(json!({ "chats": [] }))).expect(1).mount(&server).await;
    let client = api_client(&server);
    let query = RetrieveAllDirectChatsQuery { limit: Some(2), ..Default::default() };
    let ids: Vec<String> =
        retrieve_all_direct_chats_stream(&client, &query).map(|c| c.expect("chat").chat_id).collect().await;
    assert_eq!(ids, ["c1", "c2", "c3"]);
}
