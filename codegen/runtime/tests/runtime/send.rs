//! `Client::send`: one endpoint descriptor plus the call's values, as the generated functions
//! send them.

use crate::common::last_request;
use postman_codegen_runtime::runtime::{Body, Client, Endpoint, Error, Operation};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::NO_AUTH;

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .var("tenant", "t 1")
        .build()
        .expect("client");
    (server, client)
}

static PUT_ITEM: Endpoint = Endpoint {
    operation: NO_AUTH,
    method: "PUT",
    url: &["{{api-domain}}/items/", "/parts/", ".json"],
    headers: &[("X-Tenant", "{{tenant}}"), ("Accept", "application/json")],
    query: &[("key", "{{tenant}}")],
    query_order: &["b", "key", "a"],
};

#[tokio::test]
async fn send_builds_the_url_headers_query_and_json_body() {
    let (server, client) = server().await;
    let query = [
        ("a".to_owned(), "1".to_owned()),
        ("b".to_owned(), "x y".to_owned()),
    ];
    client
        .send(
            &PUT_ITEM,
            &["a/b", "c"],
            &query,
            Body::json(&serde_json::json!({"n": 1})),
        )
        .await
        .expect("ok");
    let request = last_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/items/a%2Fb/parts/c.json");
    assert_eq!(request.url.query(), Some("b=x%20y&key=t%201&a=1"));
    assert_eq!(request.headers.get("x-tenant").unwrap(), "t 1");
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(request.body, br#"{"n":1}"#);
}

static POST_TEXT: Endpoint = Endpoint {
    operation: NO_AUTH,
    method: "POST",
    url: &["{{api-domain}}/text"],
    headers: &[("content-type", "application/vnd.x+json")],
    ..Endpoint::DEFAULT
};

#[tokio::test]
async fn a_declared_content_type_is_kept_and_not_repeated() {
    let (server, client) = server().await;
    client
        .send(&POST_TEXT, &[], &[], Body::json(&1))
        .await
        .expect("ok");
    let request = last_request(&server).await;
    let types: Vec<_> = request.headers.get_all("content-type").iter().collect();
    assert_eq!(types, ["application/vnd.x+json"]);
    client
        .send(&POST_TEXT, &[], &[], Body::Bytes(b"raw"))
        .await
        .expect("ok");
    assert_eq!(last_request(&server).await.body, b"raw");
}

static POST_FORM: Endpoint = Endpoint {
    operation: NO_AUTH,
    method: "POST",
    url: &["{{api-domain}}/form"],
    ..Endpoint::DEFAULT
};

#[tokio::test]
async fn forms_and_raw_bodies() {
    #[derive(serde::Serialize)]
    struct Form {
        a: &'static str,
        b: Option<&'static str>,
    }
    let (server, client) = server().await;
    client
        .send(
            &POST_FORM,
            &[],
            &[],
            Body::form(&Form { a: "x y", b: None }),
        )
        .await
        .expect("ok");
    let request = last_request(&server).await;
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(request.body, b"a=x+y");
    client
        .send(
            &POST_FORM,
            &[],
            &[],
            Body::form_raw(&Form {
                a: "x",
                b: Some("&"),
            }),
        )
        .await
        .expect("ok");
    let request = last_request(&server).await;
    assert!(request.headers.get("content-type").is_none());
    assert_eq!(request.body, b"a=x&b=%26");
    // An empty form sends neither body nor Content-Type.
    client
        .send(
            &POST_FORM,
            &[],
            &[],
            Body::form(&std::collections::BTreeMap::<String, String>::new()),
        )
        .await
        .expect("ok");
    let request = last_request(&server).await;
    assert!(request.headers.get("content-type").is_none());
    assert!(request.body.is_empty());
    client
        .send(&POST_FORM, &[], &[], Body::json_raw(&[1, 2]))
        .await
        .expect("ok");
    let request = last_request(&server).await;
    assert!(request.headers.get("content-type").is_none());
    assert_eq!(request.body, b"[1,2]");
}

#[tokio::test]
async fn a_multipart_form_is_built_for_the_call() {
    let (server, client) = server().await;
    let form = || reqwest::multipart::Form::new().text("name", "Ann");
    client
        .send(&POST_FORM, &[], &[], Body::Multipart(&form))
        .await
        .expect("ok");
    let request = last_request(&server).await;
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert!(String::from_utf8_lossy(&request.body).contains("Ann"));
}

static MISSING: Endpoint = Endpoint {
    operation: Operation {
        name: "test::missing",
        ..NO_AUTH
    },
    method: "DELETE",
    url: &["{{api-domain}}/{{region}}/", ""],
    ..Endpoint::DEFAULT
};

#[tokio::test]
async fn a_missing_url_variable_is_a_config_error_and_nothing_is_sent() {
    let (server, client) = server().await;
    let error = client
        .send(&MISSING, &["1"], &[], Body::None)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(m) if m.contains("`region`")),
        "{error:?}"
    );
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}
