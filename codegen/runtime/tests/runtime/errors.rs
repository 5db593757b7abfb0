//! Mapping responses to `Response` and `Error`, and decoding.

use postman_codegen_runtime::runtime::error::error_fields;
use postman_codegen_runtime::runtime::{AuthSpec, Client, Error, Operation};
use reqwest::StatusCode;
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{get, NO_AUTH};

async fn client_for(server: &MockServer) -> Client {
    Client::builder(())
        .var("api-domain", server.uri())
        .build()
        .expect("client")
}

async fn respond(status: u16, body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    (server, client)
}

#[tokio::test]
async fn zoho_error_body_is_mapped() {
    let body = r#"{"code":"chat_not_found","message":"The chat does not exist."}"#;
    let (_server, client) = respond(404, body).await;
    let err = get(&client, &NO_AUTH, "/chats/x").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some("chat_not_found"));
    assert_eq!(err.message(), Some("The chat does not exist."));
    assert_eq!(err.body(), Some(body.as_bytes()));
    assert_eq!(err.operation(), Some("test::no_auth"));
    let shown = err.to_string();
    assert!(
        shown.contains("test::no_auth")
            && shown.contains("404")
            && shown.contains("chat_not_found"),
        "{shown}"
    );
    assert!(matches!(err, Error::Api { .. }));
}

#[test]
fn error_fields_understands_the_common_shapes() {
    let f = |s: &str| error_fields(s.as_bytes());
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        f(r#"{"code":1012,"message":"m"}"#),
        (some("1012"), some("m"))
    );
    assert_eq!(
        f(r#"{"error":"invalid_client","error_description":"bad"}"#),
        (some("invalid_client"), some("bad"))
    );
    assert_eq!(
        f(r#"{"error":{"code":"pin_not_found","message":"no pin"}}"#),
        (some("pin_not_found"), some("no pin"))
    );
    assert_eq!(f(r#"{"message":"only"}"#), (None, some("only")));
    assert_eq!(f("not json"), (None, None));
    assert_eq!(f("[1,2]"), (None, None));
    assert_eq!(f(""), (None, None));
}

#[tokio::test]
async fn non_json_error_body_is_kept() {
    let (_server, client) = respond(500, "<html>oops</html>").await;
    let err = get(&client, &NO_AUTH, "/x").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.code(), None);
    assert_eq!(err.body(), Some(&b"<html>oops</html>"[..]));
}

#[derive(Debug, Deserialize, PartialEq)]
struct Chat {
    id: String,
}

#[tokio::test]
async fn json_decodes_and_decode_error_keeps_body() {
    let (_server, client) = respond(200, r#"{"id":"CT_1"}"#).await;
    let chat: Chat = get(&client, &NO_AUTH, "/c")
        .await
        .expect("ok")
        .json()
        .expect("decodes");
    assert_eq!(chat, Chat { id: "CT_1".into() });

    let (_server, client) = respond(200, r#"{"name":"no id"}"#).await;
    let err = get(&client, &NO_AUTH, "/c")
        .await
        .expect("ok")
        .json::<Chat>()
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
    assert_eq!(err.body(), Some(&br#"{"name":"no id"}"#[..]));
    assert!(err.to_string().contains("could not decode"), "{err}");
}

#[tokio::test]
async fn empty_body_decodes_as_null() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let resp = get(&client, &NO_AUTH, "/d").await.expect("ok");
    assert_eq!(resp.status, StatusCode::NO_CONTENT);
    resp.json::<()>().expect("unit");
    let none: Option<Chat> = get(&client, &NO_AUTH, "/d")
        .await
        .expect("ok")
        .json()
        .expect("option");
    assert_eq!(none, None);
    get(&client, &NO_AUTH, "/d")
        .await
        .expect("ok")
        .empty()
        .expect("empty");
    let err = get(&client, &NO_AUTH, "/d")
        .await
        .expect("ok")
        .json::<Chat>()
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
}

#[tokio::test]
async fn text_and_bytes() {
    let (_server, client) = respond(200, "héllo").await;
    assert_eq!(
        get(&client, &NO_AUTH, "/t")
            .await
            .expect("ok")
            .text()
            .expect("utf8"),
        "héllo"
    );
    assert_eq!(
        get(&client, &NO_AUTH, "/t").await.expect("ok").bytes(),
        "héllo".as_bytes()
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0xff, 0xfe]))
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let err = get(&client, &NO_AUTH, "/t")
        .await
        .expect("ok")
        .text()
        .unwrap_err();
    assert_eq!(err.body(), Some(&[0xff, 0xfe][..]));
}

static QUERY_KEY: Operation = Operation {
    name: "test::query_key",
    auth: AuthSpec::ApiKey {
        key: "key",
        value: "{{k}}",
        in_query: true,
    },
};

#[tokio::test]
async fn transport_error_hides_query_credentials() {
    // A port nobody listens on: bind, take the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client = Client::builder(())
        .var("api-domain", format!("http://127.0.0.1:{port}"))
        .secret("k", "very-secret-key")
        .build()
        .expect("client");
    let err = get(&client, &QUERY_KEY, "/x").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("very-secret-key"), "{shown}");
    assert!(shown.contains("test::query_key"), "{shown}");
}

#[tokio::test]
async fn unresolved_url_is_a_transport_builder_error() {
    let client = Client::builder(()).build().expect("client");
    let err = get(&client, &NO_AUTH, "/x").await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { ref source, .. } if source.is_builder()),
        "{err:?}"
    );
}

#[test]
fn error_stays_small() {
    assert!(
        std::mem::size_of::<Error>() <= 128,
        "{}",
        std::mem::size_of::<Error>()
    );
}

#[tokio::test]
async fn path_is_requested() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/a%20b"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    client
        .execute(&NO_AUTH, |c| {
            let url = c.url(&[
                postman_codegen_runtime::runtime::Seg::Lit("{{api-domain}}/api/v3/"),
                postman_codegen_runtime::runtime::Seg::Param("a b"),
            ]);
            c.request(reqwest::Method::GET, &url)
        })
        .await
        .expect("ok");
    server.verify().await;
}

#[tokio::test]
async fn error_bodies_decode_into_typed_error_bodies() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct ChatError {
        code: String,
        #[serde(default)]
        message: Option<String>,
    }
    let body = r#"{"code":"chat_not_found","message":"gone"}"#;
    let (_server, client) = respond(404, body).await;
    let err = get(&client, &NO_AUTH, "/chats/x").await.unwrap_err();
    assert_eq!(
        err.decode_body::<ChatError>(),
        Some(ChatError {
            code: "chat_not_found".into(),
            message: Some("gone".into())
        })
    );
    assert_eq!(
        err.decode_body::<Vec<u8>>(),
        None,
        "a body of another shape"
    );

    let (_server, client) = respond(429, r#"{"code":"slow_down"}"#).await;
    let err = get(&client, &NO_AUTH, "/chats/x").await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(
        err.decode_body::<ChatError>().map(|e| e.code),
        Some("slow_down".to_owned())
    );

    assert_eq!(Error::Config("x".into()).decode_body::<ChatError>(), None);
}
