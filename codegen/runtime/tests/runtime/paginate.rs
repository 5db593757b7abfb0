//! `paginate`: the cursor loop behind generated `_pages`, `_stream` and `_sync` functions,
//! driven the way generated code drives it, against wiremock servers.

use postman_codegen_runtime::paginate::{self, Feed, Next, Pager, Paging, StreamExt};
use postman_codegen_runtime::runtime::{AuthSpec, Client, Error, Operation, Seg};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

static LIST: Operation = Operation {
    name: "test::list_items",
    auth: AuthSpec::None,
};

/// A query struct as the generator emits it.
#[derive(Debug, Clone, Default, Serialize)]
struct ListQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified_before: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ListPage {
    data: Option<Vec<Item>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
struct Item {
    id: String,
    #[serde(default)]
    time: String,
}

const BODY: Paging = Paging {
    operation: "test::list_items",
    cursor: "next_token",
    next: Next::Body(&["next_token"]),
    sync_token: Some(&["sync_token"]),
};
const KEYSET: Paging = Paging {
    operation: "test::list_items",
    cursor: "modified_before",
    next: Next::LastItem {
        items: &["data"],
        field: &["time"],
    },
    sync_token: None,
};
const LINK: Paging = Paging {
    operation: "test::list_items",
    cursor: "page",
    next: Next::Link,
    sync_token: None,
};

fn pager<'a>(
    client: &'a Client,
    paging: &'static Paging,
    query: ListQuery,
    set_cursor: fn(&mut ListQuery, String) -> bool,
) -> Pager<'a, ListQuery, ListPage, Item> {
    Pager {
        paging,
        query,
        set_cursor,
        items: |page| page.data.unwrap_or_default(),
        send: Box::new(move |query| {
            Box::pin(async move {
                client
                    .execute(&LIST, |c| {
                        c.request(
                            Method::GET,
                            &c.url(&[Seg::Lit("{{api-domain}}"), Seg::Lit("/items")]),
                        )
                        .query(&query)
                    })
                    .await
            })
        }),
    }
}

fn by_token(query: &mut ListQuery, cursor: String) -> bool {
    query.next_token = Some(cursor);
    true
}

fn by_time(query: &mut ListQuery, cursor: String) -> bool {
    match cursor.parse() {
        Ok(time) => {
            query.modified_before = Some(time);
            true
        }
        Err(_) => false,
    }
}

fn by_page(query: &mut ListQuery, cursor: String) -> bool {
    cursor.parse().map(|page| query.page = Some(page)).is_ok()
}

fn items(ids: &[&str]) -> serde_json::Value {
    json!(ids
        .iter()
        .map(|id| json!({ "id": id, "time": format!("{}", 100 - id.len()) }))
        .collect::<Vec<_>>())
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .build()
        .expect("client");
    (server, client)
}

async fn page(server: &MockServer, token: Option<&str>, status: u16, body: serde_json::Value) {
    let mock = Mock::given(method("GET")).and(path("/items"));
    let mock = match token {
        Some(token) => mock.and(query_param("next_token", token)),
        None => mock.and(query_param_is_missing("next_token")),
    };
    mock.respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

fn ids(items: &[Result<Item, Error>]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i.as_ref()
                .map(|i| i.id.clone())
                .unwrap_or_else(|e| format!("error: {e}"))
        })
        .collect()
}

/// The query strings the server received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn three_pages_keep_the_other_parameters_and_the_limit() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a", "b"]), "next_token": "t2" }),
    )
    .await;
    page(
        &server,
        Some("t2"),
        200,
        json!({ "data": items(&["c", "d"]), "next_token": "t3" }),
    )
    .await;
    page(&server, Some("t3"), 200, json!({ "data": items(&["e"]) })).await;
    let query = ListQuery {
        limit: Some(2),
        sync_token: Some("s0".into()),
        ..Default::default()
    };
    let got: Vec<_> = paginate::items(pager(&client, &BODY, query, by_token))
        .collect()
        .await;
    assert_eq!(ids(&got), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        queries(&server).await,
        [
            "limit=2&sync_token=s0",
            "limit=2&next_token=t2&sync_token=s0",
            "limit=2&next_token=t3&sync_token=s0"
        ]
    );
}

#[tokio::test]
async fn pages_yields_whole_typed_pages() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a", "b"]), "next_token": "t2" }),
    )
    .await;
    page(
        &server,
        Some("t2"),
        200,
        json!({ "data": items(&["c"]), "next_token": null }),
    )
    .await;
    let pages: Vec<_> = paginate::pages(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().data.as_ref().unwrap().len())
        .collect();
    assert_eq!(sizes, [2, 1]);
}

#[tokio::test]
async fn an_empty_last_page_and_an_empty_cursor_end_the_stream() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a"]), "next_token": "t2" }),
    )
    .await;
    page(
        &server,
        Some("t2"),
        200,
        json!({ "data": [], "next_token": "" }),
    )
    .await;
    let got: Vec<_> = paginate::items(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    assert_eq!(ids(&got), ["a"]);
    assert_eq!(queries(&server).await.len(), 2);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a"]), "next_token": "t2" }),
    )
    .await;
    page(
        &server,
        Some("t2"),
        200,
        json!({ "data": items(&["b"]), "next_token": "t3" }),
    )
    .await;
    // Back to an earlier cursor: following it would loop forever.
    page(
        &server,
        Some("t3"),
        200,
        json!({ "data": items(&["c"]), "next_token": "t2" }),
    )
    .await;
    let got: Vec<_> = paginate::items(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    assert_eq!(ids(&got), ["a", "b", "c"]);
    assert_eq!(
        queries(&server).await.len(),
        3,
        "every mock expects exactly one call"
    );
}

#[tokio::test]
async fn an_error_on_page_two_is_the_last_element() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a", "b"]), "next_token": "t2" }),
    )
    .await;
    page(
        &server,
        Some("t2"),
        500,
        json!({ "code": "oops", "message": "broken" }),
    )
    .await;
    let got: Vec<_> = paginate::items(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    assert_eq!(got.len(), 3);
    assert_eq!(ids(&got[..2]), ["a", "b"]);
    let error = got[2].as_ref().unwrap_err();
    assert_eq!(error.code(), Some("oops"));
    assert_eq!(error.operation(), Some("test::list_items"));
}

#[tokio::test]
async fn a_page_that_does_not_decode_is_an_error() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": "not a list", "next_token": "t2" }),
    )
    .await;
    let got: Vec<_> = paginate::pages(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    assert_eq!(got.len(), 1);
    assert!(matches!(got[0], Err(Error::Decode { .. })), "{:?}", got[0]);
}

#[tokio::test]
async fn numeric_cursors_are_sent_as_their_text() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a"]), "next_token": 20 }),
    )
    .await;
    page(&server, Some("20"), 200, json!({ "data": items(&["b"]) })).await;
    let got: Vec<_> = paginate::items(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    assert_eq!(ids(&got), ["a", "b"]);
}

#[tokio::test]
async fn a_next_url_in_the_body_gives_its_cursor_parameter() {
    let (server, client) = server().await;
    let next = |token: &str| format!("{}/items?next_token={token}&limit=2", server.uri());
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a"]), "next_token": next("t%202") }),
    )
    .await;
    page(
        &server,
        Some("t 2"),
        200,
        json!({ "data": items(&["b"]), "next_token": "/items?limit=2" }),
    )
    .await;
    let got: Vec<_> = paginate::items(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    assert_eq!(
        ids(&got),
        ["a", "b"],
        "a next URL without the cursor ends the stream"
    );
}

#[tokio::test]
async fn keyset_pages_continue_from_the_last_item() {
    let (server, client) = server().await;
    let at = |before: Option<&str>| {
        let mock = Mock::given(method("GET"))
            .and(path("/items"))
            .and(query_param("limit", "2"));
        match before {
            Some(b) => mock.and(query_param("modified_before", b)),
            None => mock.and(query_param_is_missing("modified_before")),
        }
    };
    let ok = |body| ResponseTemplate::new(200).set_body_json(body);
    at(None)
        .respond_with(ok(
            json!({ "data": [{ "id": "a", "time": "300" }, { "id": "b", "time": "200" }] }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    at(Some("200"))
        .respond_with(ok(json!({ "data": [{ "id": "c", "time": "100" }] })))
        .expect(1)
        .mount(&server)
        .await;
    // An empty page has no last item: the end.
    at(Some("100"))
        .respond_with(ok(json!({ "data": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let query = ListQuery {
        limit: Some(2),
        ..Default::default()
    };
    let got: Vec<_> = paginate::items(pager(&client, &KEYSET, query, by_time))
        .collect()
        .await;
    assert_eq!(ids(&got), ["a", "b", "c"]);
}

#[tokio::test]
async fn a_cursor_that_does_not_fit_the_field_is_an_error_after_its_page() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [{ "id": "a", "time": "yesterday" }] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = paginate::items(pager(&client, &KEYSET, ListQuery::default(), by_time))
        .collect()
        .await;
    assert_eq!(got.len(), 2);
    let message = got[1].as_ref().unwrap_err().to_string();
    assert!(
        message.contains("`yesterday`") && message.contains("`modified_before`"),
        "{message}"
    );
}

#[tokio::test]
async fn link_headers_give_the_next_page() {
    let (server, client) = server().await;
    let link =
        |next: &str| format!("<{next}>; rel=\"next\", <http://x/items?page=9>; rel=\"last\"");
    Mock::given(method("GET"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    link(&format!("{}/items?per_page=2&page=2", server.uri())),
                )
                .set_body_json(json!({ "data": items(&["a", "b"]) })),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Link", "</items?page=3>; rel=\"prev next\"")
                .set_body_json(json!({ "data": items(&["c"]) })),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Link", "</items?page=1>; rel=\"first\"")
                .set_body_json(json!({ "data": items(&["d"]) })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = paginate::items(pager(&client, &LINK, ListQuery::default(), by_page))
        .collect()
        .await;
    assert_eq!(ids(&got), ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn sync_yields_the_items_then_the_last_sync_token() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a"]), "next_token": "t2", "sync_token": "s1" }),
    )
    .await;
    page(
        &server,
        Some("t2"),
        200,
        json!({ "data": items(&["b"]), "sync_token": "s2" }),
    )
    .await;
    let got: Vec<_> = paginate::sync(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    let got: Vec<Feed<String>> = got
        .into_iter()
        .map(|f| f.unwrap())
        .map(|f| match f {
            Feed::Item(item) => Feed::Item(item.id),
            Feed::SyncToken(token) => Feed::SyncToken(token),
        })
        .collect();
    assert_eq!(
        got,
        [
            Feed::Item("a".into()),
            Feed::Item("b".into()),
            Feed::SyncToken("s2".into())
        ]
    );
}

#[tokio::test]
async fn sync_hands_back_no_token_after_an_error() {
    let (server, client) = server().await;
    page(
        &server,
        None,
        200,
        json!({ "data": items(&["a"]), "next_token": "t2", "sync_token": "s1" }),
    )
    .await;
    page(&server, Some("t2"), 503, json!({})).await;
    let got: Vec<_> = paginate::sync(pager(&client, &BODY, ListQuery::default(), by_token))
        .collect()
        .await;
    assert_eq!(got.len(), 2);
    assert!(matches!(got[0], Ok(Feed::Item(_))));
    assert!(got[1].is_err());
}

#[test]
fn link_header_parsing() {
    let mut headers = reqwest::header::HeaderMap::new();
    assert_eq!(paginate::next_link(&headers), None);
    headers.append("link", "<https://a/x?page=1>; rel=prev".parse().unwrap());
    headers.append("link", "garbage <unterminated".parse().unwrap());
    headers.append(
        "link",
        r#"<https://a/x?b=1&page=2&c=3>; title="x, y"; REL="Next""#
            .parse()
            .unwrap(),
    );
    let next = paginate::next_link(&headers).unwrap();
    assert_eq!(next, "https://a/x?b=1&page=2&c=3");
    assert_eq!(paginate::query_value(&next, "page").as_deref(), Some("2"));
    assert_eq!(
        paginate::query_value("/x?cursor=a%20b", "cursor").as_deref(),
        Some("a b")
    );
    assert_eq!(paginate::query_value("/x", "cursor"), None);
}
