//! OAuth 2.0 against Zoho Accounts, through the generated crate's public API only: the six data
//! centres, the authorization URL, code exchange, refresh (explicit, on expiry, after a rejected
//! token, single-flight under concurrency), the token store, and secrets never printed.

mod zoho_support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoho_cliq::v3::chats::{retrieve_all_direct_chats, RetrieveAllDirectChatsQuery};
use zoho_cliq::{Client, ClientDefaults, Environment, Error, OAuth, TokenSet};
use zoho_support::*;

const CODE: &str = "1000.auth-code-0cc175b9c0f1";
const CHATS: &str = "/api/v3/chats";

/// Mounts `GET /api/v3/chats` answering 200 `{"chats": []}` to requests carrying `token`.
async fn mount_chats_for(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path(CHATS))
        .and(header("authorization", auth_header(token).as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "chats": [] })))
        .expect(times)
        .named(format!("chats with {token}"))
        .mount(server)
        .await;
}

async fn list_chats(client: &Client) -> Result<zoho_cliq::v3::chats::RetrieveAllDirectChatsResponse, Error> {
    retrieve_all_direct_chats(client, &RetrieveAllDirectChatsQuery::default()).await
}

/// `expires_at` is `expires_in` (3600 s) after the request, give or take the test's duration.
fn assert_expires_in_an_hour(set: &TokenSet, before: SystemTime) {
    let at = set.expires_at.expect("expires_at from expires_in");
    let after = SystemTime::now();
    assert!(at >= before + Duration::from_secs(3600), "{at:?} vs {before:?}");
    assert!(at <= after + Duration::from_secs(3600), "{at:?} vs {after:?}");
}

#[test]
fn every_environment_carries_the_real_hosts() {
    assert_eq!(Environment::ALL, HOSTS.iter().map(|h| h.0).collect::<Vec<_>>().as_slice());
    assert_eq!(Environment::default(), Environment::Us);
    let names: Vec<&str> = Environment::ALL.iter().map(|e| e.name()).collect();
    assert_eq!(
        names,
        ["Zoho Cliq (US)", "Zoho Cliq (EU)", "Zoho Cliq (IN)", "Zoho Cliq (AU)", "Zoho Cliq (JP)", "Zoho Cliq (CA)"]
    );
    for &(env, accounts, api) in HOSTS {
        let defaults: BTreeMap<&str, &str> = env.defaults().into_iter().collect();
        assert_eq!(defaults, BTreeMap::from([("accounts-url", accounts), ("api-domain", api)]), "{env:?}");
        let client = Client::builder(env).build().unwrap();
        assert_eq!(client.var("accounts-url").as_deref(), Some(accounts), "{env:?}");
        assert_eq!(client.var("api-domain").as_deref(), Some(api), "{env:?}");
        // No credentials come from the environment files.
        for secret in ["client-id", "client-secret", "access-token", "refresh-token", "authorization-code"] {
            assert_eq!(client.var(secret), None, "{env:?}: {secret}");
        }
    }
}

#[test]
fn authorization_url_points_to_each_accounts_host() {
    for &(env, accounts, _) in HOSTS {
        let client = Client::builder(env)
            .oauth(OAuth::new(CLIENT_ID, CLIENT_SECRET).redirect_uri(REDIRECT_URI))
            .build()
            .unwrap();
        let url = client
            .authorization_url(&["ZohoCliq.Chats.READ", "ZohoCliq.Webhooks.CREATE"], Some("st/8=x"), &[("prompt", "consent")])
            .unwrap();
        assert_eq!(
            url,
            format!(
                "{accounts}/oauth/v2/auth?response_type=code&client_id=1000.TESTCLIENTID0000\
                 &scope=ZohoCliq.Chats.READ%2CZohoCliq.Webhooks.CREATE\
                 &redirect_uri=https%3A%2F%2Fapp.example.com%2Fzoho%2Fcallback&access_type=offline\
                 &state=st%2F8%3Dx&prompt=consent"
            ),
            "{env:?}"
        );
        let parsed: wiremock::http::Url = url.parse().unwrap();
        let pairs: Vec<(String, String)> = parsed.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(
            pairs,
            [
                pair("response_type", "code"),
                pair("client_id", CLIENT_ID),
                pair("scope", "ZohoCliq.Chats.READ,ZohoCliq.Webhooks.CREATE"),
                pair("redirect_uri", REDIRECT_URI),
                pair("access_type", "offline"),
                pair("state", "st/8=x"),
                pair("prompt", "consent"),
            ]
        );
    }
}

#[test]
fn authorization_url_defaults_to_every_scope_the_endpoints_need() {
    // Without explicit scopes the collection's scope is requested: comma separated, and it
    // holds the minimum scope (first `ZohoCliq.*` one) of every row of endpoints.tsv.
    let client = Client::builder(Environment::Jp)
        .var("accounts-url", "http://127.0.0.1:9")
        .oauth(OAuth::new(CLIENT_ID, CLIENT_SECRET).redirect_uri(REDIRECT_URI))
        .build()
        .unwrap();
    let url: wiremock::http::Url = client.authorization_url(&[], None, &[]).unwrap().parse().unwrap();
    assert_eq!(url.as_str().split('?').next(), Some("http://127.0.0.1:9/oauth/v2/auth"));
    let query: BTreeMap<String, String> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(query.keys().collect::<Vec<_>>(), ["access_type", "client_id", "redirect_uri", "response_type", "scope"]);
    let scopes: Vec<&str> = query["scope"].split(',').collect();
    assert!(scopes.iter().all(|s| s.starts_with("ZohoCliq.")), "{scopes:?}");
    let tsv = std::fs::read_to_string(integration_tests::shared_dir().join("zoho-cliq/endpoints.tsv")).unwrap();
    for line in tsv.lines().skip(1).filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let minimum = cells[9].split(',').find(|s| s.starts_with("ZohoCliq."));
        if let Some(minimum) = minimum {
            assert!(scopes.contains(&minimum), "`{minimum}` (for {} {}) is not in the default scope", cells[3], cells[4]);
        }
    }
}

#[test]
fn authorization_url_without_a_redirect_uri_is_a_config_error() {
    let client = Client::builder(Environment::Eu).oauth(OAuth::new(CLIENT_ID, CLIENT_SECRET)).build().unwrap();
    let err = client.authorization_url(&[], None, &[]).unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("`redirect-uri`")), "{err:?}");
}

#[tokio::test]
async fn exchange_code_on_every_environment() {
    for &(env, _, api) in HOSTS {
        let server = MockServer::start().await;
        mount_token_endpoint(&server, token_response("1000.exchanged-access", Some("1000.exchanged-refresh")), 1).await;
        let client = Client::builder(env)
            .var("accounts-url", server.uri())
            .oauth(OAuth::new(CLIENT_ID, CLIENT_SECRET).redirect_uri(REDIRECT_URI))
            .build()
            .unwrap();

        let before = SystemTime::now();
        let set = client.exchange_code(CODE).await.unwrap_or_else(|e| panic!("{env:?}: {e:?}"));
        assert_eq!(set.access_token, "1000.exchanged-access");
        assert_eq!(set.refresh_token.as_deref(), Some("1000.exchanged-refresh"));
        assert_eq!(set.token_type.as_deref(), Some("Bearer"));
        assert_expires_in_an_hour(&set, before);
        assert_eq!(client.tokens(), Some(set));

        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{env:?}");
        let request = &requests[0];
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), "/oauth/v2/token");
        assert_eq!(request.url.query(), None, "credentials go in the body, not the URL");
        assert_eq!(zoho_support::header(request, "accept"), "application/json");
        assert_eq!(header_values(request, "authorization"), Vec::<String>::new());
        assert_eq!(
            form_fields(request),
            map(&[
                ("grant_type", "authorization_code"),
                ("code", CODE),
                ("redirect_uri", REDIRECT_URI),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
            ]),
            "{env:?}"
        );
        // The response's generic `api_domain` must not replace the Cliq host.
        assert_eq!(client.var("api-domain").as_deref(), Some(api), "{env:?}");
        server.verify().await;
    }
}

#[tokio::test]
async fn refresh_on_every_environment() {
    for &(env, _, api) in HOSTS {
        let server = MockServer::start().await;
        // Zoho sends no new refresh token on refresh: the old one is kept.
        mount_token_endpoint(&server, token_response("1000.refreshed-access", None), 1).await;
        let client = Client::builder(env)
            .var("accounts-url", server.uri())
            .oauth(OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN))
            .build()
            .unwrap();

        let before = SystemTime::now();
        let set = client.refresh_access_token().await.unwrap_or_else(|e| panic!("{env:?}: {e:?}"));
        assert_eq!(set.access_token, "1000.refreshed-access");
        assert_eq!(set.refresh_token.as_deref(), Some(REFRESH_TOKEN));
        assert_eq!(set.token_type.as_deref(), Some("Bearer"));
        assert_expires_in_an_hour(&set, before);
        assert_eq!(client.tokens(), Some(set));

        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{env:?}");
        assert_eq!(requests[0].method.as_str(), "POST");
        assert_eq!(requests[0].url.path(), "/oauth/v2/token");
        assert_eq!(requests[0].url.query(), None);
        assert_eq!(
            form_fields(&requests[0]),
            map(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", REFRESH_TOKEN),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
            ]),
            "{env:?}"
        );
        assert_eq!(client.var("api-domain").as_deref(), Some(api), "{env:?}");
        server.verify().await;
    }
}

#[tokio::test]
async fn exchanged_tokens_are_used_for_calls_and_refreshed_with_the_new_refresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(|r: &wiremock::Request| String::from_utf8_lossy(&r.body).contains("grant_type=authorization_code"))
        .respond_with(token_response("1000.first-access", Some("1000.issued-refresh")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(|r: &wiremock::Request| String::from_utf8_lossy(&r.body).contains("grant_type=refresh_token"))
        .respond_with(token_response("1000.second-access", None))
        .expect(1)
        .mount(&server)
        .await;
    mount_chats_for(&server, "1000.first-access", 1).await;
    mount_chats_for(&server, "1000.second-access", 1).await;

    // Credentials from variables this time, as the Postman environment names them.
    let client = builder(&server, Environment::Ca)
        .secret("client-id", CLIENT_ID)
        .secret("client-secret", CLIENT_SECRET)
        .var("redirect-uri", REDIRECT_URI)
        .build()
        .unwrap();
    client.exchange_code(CODE).await.unwrap();
    list_chats(&client).await.unwrap();
    client.refresh_access_token().await.unwrap();
    list_chats(&client).await.unwrap();

    let tokens = received_at(&server, "/oauth/v2/token").await;
    assert_eq!(tokens.len(), 2);
    assert_eq!(form_fields(&tokens[0])["client_id"], CLIENT_ID);
    assert_eq!(form_fields(&tokens[0])["client_secret"], CLIENT_SECRET);
    assert_eq!(form_fields(&tokens[0])["redirect_uri"], REDIRECT_URI);
    assert_eq!(form_fields(&tokens[1])["refresh_token"], "1000.issued-refresh");
    server.verify().await;
}

#[tokio::test]
async fn token_endpoint_errors_in_a_200_body_are_oauth_errors() {
    // Zoho answers a bad or reused code with HTTP 200 and an `error` key.
    let server = MockServer::start().await;
    mount_token_endpoint(&server, ResponseTemplate::new(200).set_body_json(json!({ "error": "invalid_code" })), 1).await;
    let client = builder(&server, Environment::In)
        .oauth(OAuth::new(CLIENT_ID, CLIENT_SECRET).redirect_uri(REDIRECT_URI))
        .build()
        .unwrap();
    let err = client.exchange_code(CODE).await.unwrap_err();
    assert!(matches!(&err, Error::OAuth { code: Some(c), .. } if c == "invalid_code"), "{err:?}");
    assert_eq!(err.code(), Some("invalid_code"));
    assert_eq!(client.tokens(), None, "nothing is installed after a failed exchange");
    server.verify().await;
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_before_the_call() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, token_response("1000.new-access", None), 1).await;
    mount_chats_for(&server, "1000.new-access", 1).await;
    let client = builder(&server, Environment::Eu)
        .oauth(
            OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
                .with_access_token("1000.expired-access", Some(SystemTime::now() - Duration::from_secs(30))),
        )
        .build()
        .unwrap();

    list_chats(&client).await.unwrap();

    let requests = received(&server).await;
    let order: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(order, ["/oauth/v2/token", CHATS], "refresh first, then the call");
    assert_eq!(form_fields(&requests[0])["grant_type"], "refresh_token");
    assert_eq!(zoho_support::header(&requests[1], "authorization"), "Zoho-oauthtoken 1000.new-access");
    assert_eq!(client.tokens().unwrap().access_token, "1000.new-access");
    server.verify().await;
}

#[tokio::test]
async fn a_token_expiring_within_a_minute_is_refreshed_and_a_fresh_one_is_not() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, token_response("1000.new-access", None), 1).await;
    mount_chats_for(&server, "1000.new-access", 2).await;
    let client = builder(&server, Environment::Au)
        .oauth(
            OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
                .with_access_token("1000.almost-expired", Some(SystemTime::now() + Duration::from_secs(20))),
        )
        .build()
        .unwrap();
    list_chats(&client).await.unwrap();
    list_chats(&client).await.unwrap(); // the new token lasts an hour: no second refresh
    server.verify().await;
}

#[tokio::test]
async fn a_401_invalid_token_refreshes_once_and_retries_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CHATS))
        .and(header("authorization", "Zoho-oauthtoken 1000.revoked-access"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({ "code": "oauthtoken_invalid", "message": "Invalid OAuth token" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_token_endpoint(&server, token_response("1000.new-access", None), 1).await;
    mount_chats_for(&server, "1000.new-access", 1).await;
    let client = builder(&server, Environment::Us)
        .oauth(
            OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
                .with_access_token("1000.revoked-access", Some(SystemTime::now() + Duration::from_secs(3000))),
        )
        .build()
        .unwrap();

    let chats = list_chats(&client).await.unwrap();
    assert!(chats.chats.is_empty());

    let requests = received(&server).await;
    let order: Vec<(&str, String)> = requests
        .iter()
        .map(|r| (r.url.path(), header_values(r, "authorization").join(",")))
        .collect();
    assert_eq!(
        order,
        [
            (CHATS, "Zoho-oauthtoken 1000.revoked-access".to_owned()),
            ("/oauth/v2/token", String::new()),
            (CHATS, "Zoho-oauthtoken 1000.new-access".to_owned()),
        ]
    );
    server.verify().await;
}

#[tokio::test]
async fn a_token_rejected_again_after_the_refresh_is_returned_as_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CHATS))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({ "code": "oauthtoken_invalid", "message": "Invalid OAuth token" })),
        )
        .expect(2)
        .mount(&server)
        .await;
    mount_token_endpoint(&server, token_response("1000.new-access", None), 1).await;
    let client = api_client(&server);
    let err = list_chats(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.code(), Some("oauthtoken_invalid"));
    assert_eq!(err.message(), Some("Invalid OAuth token"));
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    server.verify().await;
}

#[tokio::test]
async fn a_401_for_a_missing_scope_does_not_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CHATS))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({ "code": "oauthtoken_scope_invalid", "message": "Invalid OAuth scope" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_token_endpoint(&server, token_response("1000.unused", None), 0).await;
    let err = list_chats(&api_client(&server)).await.unwrap_err();
    assert_eq!(err.code(), Some("oauthtoken_scope_invalid"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_calls_share_one_refresh() {
    let server = MockServer::start().await;
    // A slow token endpoint keeps the refresh in flight while the other calls arrive.
    mount_token_endpoint(&server, token_response("1000.shared-access", None).set_delay(Duration::from_millis(40)), 1).await;
    mount_chats_for(&server, "1000.shared-access", 20).await;
    let client = builder(&server, Environment::In)
        .oauth(OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN))
        .build()
        .unwrap();

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list_chats(&client).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task did not panic").expect("call succeeded");
    }
    assert_eq!(received_at(&server, "/oauth/v2/token").await.len(), 1);
    assert_eq!(received_at(&server, CHATS).await.len(), 20);
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_rejections_share_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CHATS))
        .and(header("authorization", "Zoho-oauthtoken 1000.revoked-access"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({ "code": "oauthtoken_invalid", "message": "Invalid OAuth token" })),
        )
        .mount(&server)
        .await;
    mount_token_endpoint(&server, token_response("1000.shared-access", None).set_delay(Duration::from_millis(40)), 1).await;
    mount_chats_for(&server, "1000.shared-access", 20).await;
    let client = builder(&server, Environment::Us)
        .oauth(
            OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
                .with_access_token("1000.revoked-access", None),
        )
        .build()
        .unwrap();

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list_chats(&client).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task did not panic").expect("call succeeded");
    }
    assert_eq!(received_at(&server, "/oauth/v2/token").await.len(), 1);
    server.verify().await;
}

#[tokio::test]
async fn the_token_store_gets_every_new_token_set() {
    let server = MockServer::start().await;
    // The exchanged token expires in 30 s, inside the refresh margin: the next call refreshes.
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(|r: &wiremock::Request| String::from_utf8_lossy(&r.body).contains("grant_type=authorization_code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "1000.first-access",
            "refresh_token": "1000.issued-refresh",
            "token_type": "Bearer",
            "expires_in": 30,
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(|r: &wiremock::Request| String::from_utf8_lossy(&r.body).contains("grant_type=refresh_token"))
        .respond_with(token_response("1000.second-access", None))
        .expect(1)
        .mount(&server)
        .await;
    mount_chats_for(&server, "1000.second-access", 1).await;

    let saved: Arc<Mutex<Vec<TokenSet>>> = Arc::default();
    let sink = saved.clone();
    let store = move |set: &TokenSet| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        sink.lock().unwrap().push(set.clone());
        Ok(())
    };
    let client = builder(&server, Environment::Jp)
        .oauth(OAuth::new(CLIENT_ID, CLIENT_SECRET).redirect_uri(REDIRECT_URI))
        .token_store(Arc::new(store))
        .build()
        .unwrap();

    let first = client.exchange_code(CODE).await.unwrap();
    list_chats(&client).await.unwrap();

    let saved = saved.lock().unwrap().clone();
    assert_eq!(saved.len(), 2, "{saved:?}");
    assert_eq!(saved[0], first);
    assert_eq!(saved[0].access_token, "1000.first-access");
    assert_eq!(saved[0].refresh_token.as_deref(), Some("1000.issued-refresh"));
    assert_eq!(saved[1].access_token, "1000.second-access");
    assert_eq!(saved[1].refresh_token.as_deref(), Some("1000.issued-refresh"), "the refresh token is kept");
    assert_eq!(Some(saved[1].clone()), client.tokens());
    let refreshes = received_at(&server, "/oauth/v2/token").await;
    assert_eq!(form_fields(&refreshes[1])["refresh_token"], "1000.issued-refresh");
    server.verify().await;
}

#[tokio::test]
async fn a_failing_token_store_is_reported_but_the_new_token_is_used() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, token_response("1000.new-access", None), 1).await;
    let client = builder(&server, Environment::Us)
        .oauth(OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN))
        .token_store(Arc::new(|_: &TokenSet| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
            Err("disk full".into())
        }))
        .build()
        .unwrap();
    let err = client.refresh_access_token().await.unwrap_err();
    assert!(matches!(&err, Error::TokenStore(e) if e.to_string() == "disk full"), "{err:?}");
    assert_eq!(client.tokens().unwrap().access_token, "1000.new-access");
    server.verify().await;
}

#[tokio::test]
async fn debug_output_never_contains_secrets() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, token_response("1000.refreshed-secret-access", Some("1000.rotated-secret-refresh")), 1)
        .await;
    let oauth = OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
        .with_access_token(ACCESS_TOKEN, None)
        .redirect_uri(REDIRECT_URI);
    let builder = builder(&server, Environment::Eu)
        .oauth(oauth.clone())
        .secret("client-secret", "variable-secret-9a0364b9")
        .header("X-Extra-Credential", "header-secret-1b6453892");
    let secrets = [
        CLIENT_SECRET,
        REFRESH_TOKEN,
        ACCESS_TOKEN,
        "variable-secret-9a0364b9",
        "header-secret-1b6453892",
        "1000.refreshed-secret-access",
        "1000.rotated-secret-refresh",
    ];
    let check = |what: &str, text: String| {
        for secret in secrets {
            assert!(!text.contains(secret), "{what} prints `{secret}`: {text}");
        }
    };
    check("OAuth", format!("{oauth:?}"));
    check("ClientBuilder", format!("{builder:?} {builder:#?}"));
    let client = builder.build().unwrap();
    check("Client", format!("{client:?} {client:#?}"));
    assert!(format!("{client:?}").contains(CLIENT_ID), "the client id is not secret and helps debugging");

    let set = client.refresh_access_token().await.unwrap();
    check("TokenSet", format!("{set:?}"));
    check("Client after refresh", format!("{client:?} {client:#?}"));
    assert_eq!(client.var("access-token").as_deref(), Some("1000.refreshed-secret-access"));
    server.verify().await;
}
