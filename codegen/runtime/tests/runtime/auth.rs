//! Applying each auth kind to requests.

use crate::common::last_request;
use postman_codegen_runtime::runtime::{AuthSpec, Client, Error, OAuth, OAuth2Spec, Operation};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{get, in_an_hour, ZOHO};

static BEARER: Operation = Operation {
    name: "test::bearer",
    auth: AuthSpec::Bearer { token: "{{token}}" },
};
static BASIC: Operation = Operation {
    name: "test::basic",
    auth: AuthSpec::Basic {
        username: "{{user}}",
        password: "{{pass}}",
    },
};
static KEY_HEADER: Operation = Operation {
    name: "test::key_header",
    auth: AuthSpec::ApiKey {
        key: "X-Api-Key",
        value: "{{api-key}}",
        in_query: false,
    },
};
static KEY_QUERY: Operation = Operation {
    name: "test::key_query",
    auth: AuthSpec::ApiKey {
        key: "api_key",
        value: "{{api-key}}",
        in_query: true,
    },
};
static DIGEST: Operation = Operation {
    name: "test::digest",
    auth: AuthSpec::Unsupported { kind: "digest" },
};
const QUERY_SPEC: OAuth2Spec = OAuth2Spec {
    add_to_query: true,
    ..ZOHO
};
static OAUTH_QUERY: Operation = Operation {
    name: "test::oauth_query",
    auth: AuthSpec::OAuth2(&QUERY_SPEC),
};

async fn server_ok() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn bearer_sets_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer tok-123"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("token", "tok-123")
        .build()
        .expect("client");
    get(&client, &BEARER, "/me").await.expect("ok");
    server.verify().await;
}

#[tokio::test]
async fn bearer_with_empty_token_sends_no_header_like_newman() {
    let server = server_ok().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("token", "")
        .build()
        .expect("client");
    get(&client, &BEARER, "/me").await.expect("ok");
    assert!(last_request(&server)
        .await
        .headers
        .get("authorization")
        .is_none());
}

#[tokio::test]
async fn bearer_with_missing_variable_is_a_config_error() {
    let server = server_ok().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .build()
        .expect("client");
    let err = get(&client, &BEARER, "/me").await.unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("`token`") && m.contains("test::bearer")),
        "{err}"
    );
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn basic_sets_base64_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header(
            "authorization",
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        ))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .var("user", "Aladdin")
        .secret("pass", "open sesame")
        .build()
        .expect("client");
    get(&client, &BASIC, "/x").await.expect("ok");
    server.verify().await;
}

#[test]
fn base64_matches_rfc4648_vectors() {
    use postman_codegen_runtime::runtime::auth::base64;
    let cases = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (input, want) in cases {
        assert_eq!(base64(input.as_bytes()), want);
    }
    assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
}

#[tokio::test]
async fn api_key_in_header_and_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/h"))
        .and(header("x-api-key", "k-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/q"))
        .and(query_param("api_key", "k-1"))
        .and(query_param("keep", "yes"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("api-key", "k-1")
        .build()
        .expect("client");
    get(&client, &KEY_HEADER, "/h").await.expect("header");
    get(&client, &KEY_QUERY, "/q?keep=yes")
        .await
        .expect("query");
    server.verify().await;
}

#[tokio::test]
async fn unsupported_auth_uses_default_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Digest custom"))
        .and(header("x-extra", "1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .header("Authorization", "Digest custom")
        .header("X-Extra", "1")
        .build()
        .expect("client");
    get(&client, &DIGEST, "/x").await.expect("ok");
    server.verify().await;
    let dbg = format!("{client:?}");
    assert!(!dbg.contains("Digest custom"), "{dbg}");
}

#[test]
fn invalid_default_header_fails_build() {
    let err = Client::builder(())
        .header("bad header", "x")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    let err = Client::builder(())
        .header("X-Ok", "line\nbreak")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
}

#[tokio::test]
async fn oauth2_uses_prefix_and_var_token_without_oauth_config() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Zoho-oauthtoken from-var"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("access-token", "from-var")
        .build()
        .expect("client");
    get(&client, &crate::common::GET_ME, "/me")
        .await
        .expect("ok");
    server.verify().await;
}

#[tokio::test]
async fn oauth2_token_in_query_when_spec_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("access_token", "tok"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .oauth(OAuth::from_access_token("tok"))
        .build()
        .expect("client");
    get(&client, &OAUTH_QUERY, "/me").await.expect("ok");
    server.verify().await;
    assert!(last_request(&server)
        .await
        .headers
        .get("authorization")
        .is_none());
}

#[tokio::test]
async fn oauth2_without_any_token_is_a_config_error() {
    let server = server_ok().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .build()
        .expect("client");
    let err = get(&client, &crate::common::GET_ME, "/me")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn oauth2_with_configured_token_is_used_as_is() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Zoho-oauthtoken configured"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .oauth(OAuth::new("id", "secret").with_access_token("configured", in_an_hour()))
        .build()
        .expect("client");
    get(&client, &crate::common::GET_ME, "/me")
        .await
        .expect("ok");
    get(&client, &crate::common::GET_ME, "/me")
        .await
        .expect("ok");
    server.verify().await;
}
