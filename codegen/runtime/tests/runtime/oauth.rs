//! Authorization URL, code exchange, explicit refresh, token responses, stores and redaction.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use postman_codegen_runtime::runtime::token::parse_token_response;
use postman_codegen_runtime::runtime::{
    Client, ClientDefaults, Error, OAuth, OAuth2Spec, TokenSet, TokenStore,
};
use reqwest::StatusCode;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{bodies, refresh_mock, ZOHO};

/// Records every saved token set.
#[derive(Default)]
struct Recorder(Mutex<Vec<TokenSet>>);

impl TokenStore for Recorder {
    fn save(&self, tokens: &TokenSet) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0
            .lock()
            .map_err(|e| e.to_string())?
            .push(tokens.clone());
        Ok(())
    }
}

impl Recorder {
    fn saved(&self) -> Vec<TokenSet> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

struct Zoho;

impl ClientDefaults for Zoho {
    fn defaults(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("accounts-url", "https://accounts.zoho.eu"),
            ("api-domain", "https://cliq.zoho.eu"),
        ]
    }

    fn oauth2_spec(&self) -> Option<&'static OAuth2Spec> {
        Some(&ZOHO)
    }
}

fn accounts(server: &MockServer) -> postman_codegen_runtime::runtime::ClientBuilder {
    Client::builder(Zoho)
        .var("accounts-url", server.uri())
        .var("api-domain", server.uri())
}

#[test]
fn authorization_url_is_encoded() {
    let client = Client::builder(Zoho)
        .oauth(OAuth::new("1000.ABC", "shh").redirect_uri("https://app.example/cb?x=1"))
        .build()
        .expect("client");
    let url = client
        .authorization_url(&[], Some("st&ate"), &[("prompt", "consent")])
        .expect("url");
    assert_eq!(
        url,
        "https://accounts.zoho.eu/oauth/v2/auth?response_type=code&client_id=1000.ABC\
         &scope=ZohoCliq.Channels.READ%2CZohoCliq.Webhooks.CREATE\
         &redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&access_type=offline&state=st%26ate&prompt=consent"
    );
    let url = client
        .authorization_url(&["ZohoCliq.Chats.READ", "ZohoCliq.Users.READ"], None, &[])
        .expect("url");
    assert!(
        url.contains("scope=ZohoCliq.Chats.READ%2CZohoCliq.Users.READ&"),
        "{url}"
    );
    assert!(!url.contains("state="));
}

#[test]
fn authorization_url_uses_variables_and_reports_missing_ones() {
    let client = Client::builder(Zoho)
        .var("client-id", "from-var")
        .build()
        .expect("client");
    // redirect-uri is referenced by the spec but not set
    let err = client.authorization_url(&[], None, &[]).unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("`redirect-uri`")),
        "{err}"
    );

    let client = Client::builder(Zoho)
        .var("client-id", "from-var")
        .var("redirect-uri", "http://localhost/cb")
        .build()
        .expect("client");
    let url = client.authorization_url(&[], None, &[]).expect("url");
    assert!(
        url.contains("client_id=from-var")
            && url.contains("redirect_uri=http%3A%2F%2Flocalhost%2Fcb"),
        "{url}"
    );

    let no_spec = Client::builder(()).build().expect("client");
    assert!(matches!(
        no_spec.authorization_url(&[], None, &[]),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn exchange_code_posts_form_and_stores_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=1000.code"))
        .and(body_string_contains("client_id=cid"))
        .and(body_string_contains("client_secret=csecret"))
        .and(body_string_contains("redirect_uri=https%3A%2F%2Fapp%2Fcb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "acc-1", "refresh_token": "ref-1", "token_type": "Bearer", "expires_in": 3600,
            "api_domain": "https://www.zohoapis.eu"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let store = Arc::new(Recorder::default());
    let client = accounts(&server)
        .oauth(OAuth::new("cid", "csecret").redirect_uri("https://app/cb"))
        .token_store(store.clone())
        .build()
        .expect("client");
    let before = SystemTime::now();
    let tokens = client.exchange_code("1000.code").await.expect("exchanged");
    assert_eq!(tokens.access_token, "acc-1");
    assert_eq!(tokens.refresh_token.as_deref(), Some("ref-1"));
    assert_eq!(tokens.token_type.as_deref(), Some("Bearer"));
    let expires = tokens.expires_at.expect("expiry");
    assert!(
        expires >= before + Duration::from_secs(3599)
            && expires <= SystemTime::now() + Duration::from_secs(3601)
    );
    assert_eq!(store.saved(), vec![tokens.clone()]);
    assert_eq!(client.tokens(), Some(tokens));
    // published for templates
    assert_eq!(client.var("access-token").as_deref(), Some("acc-1"));
    assert_eq!(client.var("refresh-token").as_deref(), Some("ref-1"));
    let ms: u128 = client
        .var("expiry-time")
        .expect("expiry var")
        .parse()
        .expect("ms");
    assert!(ms > 1_700_000_000_000);
    server.verify().await;
}

#[tokio::test]
async fn token_error_with_http_200_is_an_oauth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"error": "invalid_code"})),
        )
        .mount(&server)
        .await;
    let store = Arc::new(Recorder::default());
    let client = accounts(&server)
        .oauth(OAuth::new("cid", "csecret").redirect_uri("x"))
        .token_store(store.clone())
        .build()
        .expect("client");
    let err = client.exchange_code("stale").await.unwrap_err();
    assert!(
        matches!(err, Error::OAuth { code: Some(ref c), .. } if c == "invalid_code"),
        "{err:?}"
    );
    assert!(store.saved().is_empty());
    assert_eq!(client.tokens(), None);
    assert_eq!(client.var("access-token"), None);
}

#[tokio::test]
async fn client_credentials_can_go_in_basic_auth() {
    const BASIC_SPEC: OAuth2Spec = OAuth2Spec {
        client_auth_in_body: false,
        ..ZOHO
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Basic Y2lkOmNzZWNyZXQ="))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "a"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .var("accounts-url", server.uri())
        .oauth(OAuth::from_refresh_token("cid", "csecret", "r"))
        .oauth2_spec(&BASIC_SPEC)
        .build()
        .expect("client");
    client.refresh_access_token().await.expect("refreshed");
    let body = bodies(&server, "/oauth/v2/token").await.remove(0);
    assert!(!body.contains("client_secret"), "{body}");
    server.verify().await;
}

#[tokio::test]
async fn refresh_keeps_refresh_token_and_uses_variables() {
    let server = MockServer::start().await;
    refresh_mock(3600).expect(1).mount(&server).await;
    let store = Arc::new(Recorder::default());
    // Postman-environment style: everything in variables, no OAuth config at all
    let client = accounts(&server)
        .var("client-id", "cid")
        .secret("client-secret", "csecret")
        .secret("refresh-token", "ref-old")
        .token_store(store.clone())
        .build()
        .expect("client");
    let tokens = client.refresh_access_token().await.expect("refreshed");
    assert_eq!(tokens.access_token, "new-token");
    assert_eq!(tokens.refresh_token.as_deref(), Some("ref-old"));
    assert_eq!(store.saved().len(), 1);
    let body = bodies(&server, "/oauth/v2/token").await.remove(0);
    for part in [
        "grant_type=refresh_token",
        "refresh_token=ref-old",
        "client_id=cid",
        "client_secret=csecret",
    ] {
        assert!(body.contains(part), "{body}");
    }
    server.verify().await;
}

#[tokio::test]
async fn rotated_refresh_token_replaces_the_old_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "a2", "refresh_token": "r2"})),
        )
        .mount(&server)
        .await;
    let client = accounts(&server)
        .oauth(OAuth::from_refresh_token("cid", "s", "r1"))
        .build()
        .expect("client");
    client.refresh_access_token().await.expect("refresh");
    client.refresh_access_token().await.expect("refresh");
    let second = bodies(&server, "/oauth/v2/token").await.remove(1);
    assert!(second.contains("refresh_token=r2"), "{second}");
    assert_eq!(client.var("refresh-token").as_deref(), Some("r2"));
}

#[tokio::test]
async fn refresh_without_refresh_token_is_an_oauth_error() {
    let client = Client::builder(Zoho)
        .oauth(OAuth::new("cid", "s"))
        .build()
        .expect("client");
    let err = client.refresh_access_token().await.unwrap_err();
    assert!(matches!(err, Error::OAuth { .. }), "{err:?}");
}

#[tokio::test]
async fn failing_token_store_is_reported_but_tokens_are_used() {
    let server = MockServer::start().await;
    refresh_mock(3600).mount(&server).await;
    let failing = |_: &TokenSet| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        Err("disk full".into())
    };
    let client = accounts(&server)
        .oauth(OAuth::from_refresh_token("cid", "s", "r"))
        .token_store(Arc::new(failing))
        .build()
        .expect("client");
    let err = client.refresh_access_token().await.unwrap_err();
    assert!(matches!(err, Error::TokenStore(_)), "{err:?}");
    assert!(err.to_string().contains("disk full"));
    assert_eq!(
        client.tokens().map(|t| t.access_token).as_deref(),
        Some("new-token")
    );
}

#[test]
fn token_responses_parse() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
    let ok = |body: &str| parse_token_response(StatusCode::OK, body.as_bytes(), now);
    let t = ok(r#"{"access_token":"a","expires_in":"3600","token_type":"Bearer"}"#).expect("ok");
    assert_eq!(t.expires_at, Some(now + Duration::from_secs(3600)));
    let t = ok(r#"{"access_token":"a","expires_in":3600000,"expires_in_sec":3600}"#).expect("ok");
    assert_eq!(t.expires_at, Some(now + Duration::from_secs(3600)));
    let t = ok(r#"{"access_token":"a"}"#).expect("ok");
    assert_eq!(
        (t.expires_at, t.refresh_token, t.token_type),
        (None, None, None)
    );
    assert!(matches!(
        ok(r#"{"expires_in":1}"#),
        Err(Error::OAuth { .. })
    ));
    assert!(matches!(ok("<html>"), Err(Error::OAuth { .. })));
    let err =
        ok(r#"{"error":"invalid_client","error_description":"Client not found"}"#).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Some("invalid_client"), Some("Client not found"))
    );
    let err =
        parse_token_response(StatusCode::BAD_REQUEST, br#"{"message":"nope"}"#, now).unwrap_err();
    assert!(err.to_string().contains("400"), "{err}");
    let err = ok(r#"{"error":{"code":"too_many","message":"slow down"}}"#).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Some("too_many"), Some("slow down"))
    );
}

#[test]
fn debug_never_prints_secrets() {
    let secrets = [
        "client-secret-value",
        "refresh-token-value",
        "access-token-value",
        "var-secret-value",
    ];
    let oauth = OAuth::from_refresh_token("client-id-value", secrets[0], secrets[1])
        .with_access_token(secrets[2], None)
        .redirect_uri("https://app/cb");
    let tokens = TokenSet {
        access_token: secrets[2].into(),
        refresh_token: Some(secrets[1].into()),
        expires_at: None,
        token_type: Some("Bearer".into()),
    };
    let builder = Client::builder(Zoho)
        .secret("client-secret", secrets[3])
        .oauth(oauth.clone())
        .header("X-Key", secrets[3]);
    let builder_dbg = format!("{builder:?}");
    let client = builder.build().expect("client");
    let all = format!("{oauth:?}\n{tokens:?}\n{builder_dbg}\n{client:?}\n{client:#?}");
    for secret in secrets {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
    assert!(
        all.contains("client-id-value")
            && all.contains("<redacted>")
            && all.contains("https://cliq.zoho.eu"),
        "{all}"
    );
}

/// Without a token to manage (no OAuth configuration, no refresh token), each OAuth 2.0 block
/// sends its own token template, as Postman does: folders may hold different tokens, and a
/// block without one sends no credential.
#[tokio::test]
async fn each_block_sends_its_own_token_when_none_is_managed() {
    use postman_codegen_runtime::runtime::{AuthSpec, Operation};
    static FOLDER: OAuth2Spec = OAuth2Spec {
        access_token: "{{token}}",
        header_prefix: "Bearer",
        ..ZOHO
    };
    static NONE: OAuth2Spec = OAuth2Spec {
        access_token: "",
        ..ZOHO
    };
    static OPS: [Operation; 3] = [
        Operation {
            name: "t::collection",
            auth: AuthSpec::OAuth2(&ZOHO),
        },
        Operation {
            name: "t::folder",
            auth: AuthSpec::OAuth2(&FOLDER),
        },
        Operation {
            name: "t::none",
            auth: AuthSpec::OAuth2(&NONE),
        },
    ];
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = accounts(&server)
        .var("access-token", "one")
        .var("token", "two")
        .build()
        .unwrap();
    for op in &OPS {
        crate::common::get(&client, op, "/x").await.unwrap();
    }
    let sent: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        sent,
        [
            Some("Zoho-oauthtoken one".to_owned()),
            Some("Bearer two".to_owned()),
            None
        ]
    );
}
