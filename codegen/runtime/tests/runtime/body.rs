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
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .build()
        .expect("client");
    let url = client.url(&[Seg::Lit("{{api-domain}}/form")]);
    client
        .execute(&NO_AUTH, |c| c.request(Method::POST, &url).form(form))
        .await
        .expect("ok");
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .pop()
        .expect("a request")
}

#[tokio::test]
async fn an_empty_urlencoded_form_sends_no_body_and_no_content_type_like_newman() {
    let request = post_form(&BTreeMap::new()).await;
    assert!(
        request.headers.get("content-type").is_none(),
        "{:?}",
        request.headers
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_urlencoded_form_is_sent_with_its_content_type() {
    let request = post_form(&BTreeMap::from([("a", "x y")])).await;
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(request.body, b"a=x+y");
}

#[test]
fn form_text_keeps_field_order_and_encodes_like_reqwest() {
    #[derive(serde::Serialize)]
    struct Form {
        zeta: &'static str,
        alpha: Option<&'static str>,
        tags: Vec<i64>,
        note: Option<&'static str>,
        flag: bool,
    }
    let form = Form {
        zeta: "a b&c=d/é",
        alpha: Some("*-._~"),
        tags: vec![1, 2],
        note: None,
        flag: true,
    };
    assert_eq!(
        postman_codegen_runtime::runtime::form_text(&form),
        "zeta=a+b%26c%3Dd%2F%C3%A9&alpha=*-._%7E&tags=1&tags=2&flag=true"
    );
}
