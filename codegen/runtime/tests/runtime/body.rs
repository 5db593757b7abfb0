//! Request bodies as Postman sends them.

use std::collections::BTreeMap;

use postman_codegen_runtime::runtime::{Client, Seg};
use reqwest::Method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::NO_AUTH;

async fn post_form(form: &BTreeMap<&str, &str>) -> wiremock::Request {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder(()).var("api-domain", server.uri()).build().expect("client");
    let url = client.url(&[Seg::Lit("{{api-domain}}/form")]);
    client
        .execute(&NO_AUTH, |c| c.request(Method::POST, &url).form(form))
        .await
        .expect("ok");
    server.received_requests().await.unwrap_or_default().pop().expect("a request")
}

#[tokio::test]
async fn an_empty_urlencoded_form_sends_no_body_and_no_content_type_like_newman() {
    let request = post_form(&BTreeMap::new()).await;
    assert!(request.headers.get("content-type").is_none(), "{:?}", request.headers);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_urlencoded_form_is_sent_with_its_content_type() {
    let request = post_form(&BTreeMap::from([("a", "x y")])).await;
    assert_eq!(request.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    assert_eq!(request.body, b"a=x+y");
}
