//! Automatic refresh: before expiry, after a rejected token, and single flight.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use postman_codegen_runtime::runtime::{Client, Error, OAuth, TokenSet};
use reqwest::StatusCode;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{bodies, expired, get, in_an_hour, refresh_mock, GET_ME};

fn api_ok(token: &str) -> Mock {
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header(
            "authorization",
            format!("Zoho-oauthtoken {token}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
}

fn invalid_token() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(
        serde_json::json!({"code": "oauthtoken_invalid", "message": "Invalid OAuth token"}),
    )
}

fn client(server: &MockServer, oauth: OAuth) -> Client {
    Client::builder(())
        .var("api-domain", server.uri())
        .var("accounts-url", server.uri())
        .oauth(oauth)
        .build()
        .expect("client")
}

#[tokio::test]
async fn refreshes_before_first_call_and_before_expiry() {
    let server = MockServer::start().await;
    // the new token expires in 30 s: inside the 60 s margin, so the next call refreshes again
    refresh_mock(30).expect(2).mount(&server).await;
    api_ok("new-token").expect(2).mount(&server).await;
    let client = client(&server, OAuth::from_refresh_token("cid", "s", "r"));
    assert_eq!(client.var("access-token"), None);
    get(&client, &GET_ME, "/me").await.expect("first call");
    assert_eq!(client.var("access-token").as_deref(), Some("new-token"));
    let expiry: u128 = client
        .var("expiry-time")
        .expect("expiry")
        .parse()
        .expect("ms");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("now")
        .as_millis();
    assert!(expiry > now && expiry <= now + 31_000, "{expiry} vs {now}");
    get(&client, &GET_ME, "/me").await.expect("second call");
    server.verify().await;
}

#[tokio::test]
async fn fresh_token_is_not_refreshed() {
    let server = MockServer::start().await;
    refresh_mock(3600).expect(0).mount(&server).await;
    api_ok("current").expect(3).mount(&server).await;
    let client = client(
        &server,
        OAuth::from_refresh_token("cid", "s", "r").with_access_token("current", in_an_hour()),
    );
    for _ in 0..3 {
        get(&client, &GET_ME, "/me").await.expect("call");
    }
    server.verify().await;
}

#[tokio::test]
async fn expired_token_without_refresh_token_is_sent_anyway() {
    let server = MockServer::start().await;
    api_ok("old").expect(1).mount(&server).await;
    let client = client(
        &server,
        OAuth::from_access_token("old").with_access_token("old", expired()),
    );
    get(&client, &GET_ME, "/me").await.expect("server decides");
    server.verify().await;
}

#[tokio::test]
async fn token_and_expiry_are_adopted_from_variables() {
    let server = MockServer::start().await;
    refresh_mock(3600).expect(1).mount(&server).await;
    api_ok("new-token").expect(1).mount(&server).await;
    let past_ms = (SystemTime::now() - Duration::from_secs(10))
        .duration_since(UNIX_EPOCH)
        .expect("now")
        .as_millis();
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .var("accounts-url", server.uri())
        .var("client-id", "cid")
        .secret("client-secret", "s")
        .secret("refresh-token", "r")
        .secret("access-token", "stale")
        .var("expiry-time", past_ms.to_string())
        .build()
        .expect("client");
    get(&client, &GET_ME, "/me").await.expect("refreshed first");
    server.verify().await;
}

#[tokio::test]
async fn rejected_token_is_refreshed_once_and_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Zoho-oauthtoken revoked"))
        .respond_with(invalid_token())
        .expect(1)
        .mount(&server)
        .await;
    refresh_mock(3600).expect(1).mount(&server).await;
    api_ok("new-token").expect(1).mount(&server).await;
    let store = Arc::new(std::sync::Mutex::new(Vec::<TokenSet>::new()));
    let saved = store.clone();
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .var("accounts-url", server.uri())
        .oauth(
            OAuth::from_refresh_token("cid", "s", "r").with_access_token("revoked", in_an_hour()),
        )
        .token_store(Arc::new(
            move |t: &TokenSet| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
                saved.lock().map_err(|e| e.to_string())?.push(t.clone());
                Ok(())
            },
        ))
        .build()
        .expect("client");
    let resp = get(&client, &GET_ME, "/me")
        .await
        .expect("retried with new token");
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(store.lock().map(|v| v.len()).unwrap_or(0), 1);
    server.verify().await;
}

#[tokio::test]
async fn rejection_after_refresh_does_not_loop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(invalid_token())
        .expect(2)
        .mount(&server)
        .await;
    refresh_mock(3600).expect(1).mount(&server).await;
    let client = client(
        &server,
        OAuth::from_refresh_token("cid", "s", "r").with_access_token("old", in_an_hour()),
    );
    let err = get(&client, &GET_ME, "/me").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.code(), Some("oauthtoken_invalid"));
    server.verify().await;
}

#[tokio::test]
async fn other_401s_are_not_refreshed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"code": "oauthtoken_scope_invalid", "message": "Invalid OAuth scope"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    refresh_mock(3600).expect(0).mount(&server).await;
    let client = client(
        &server,
        OAuth::from_refresh_token("cid", "s", "r").with_access_token("old", in_an_hour()),
    );
    let err = get(&client, &GET_ME, "/me").await.unwrap_err();
    assert_eq!(err.code(), Some("oauthtoken_scope_invalid"));
    server.verify().await;
}

#[tokio::test]
async fn expired_message_and_www_authenticate_count_as_rejection() {
    for response in [
        ResponseTemplate::new(401).set_body_string("INVALID_OAUTHTOKEN"),
        ResponseTemplate::new(401)
            .set_body_json(serde_json::json!({"message": "The token has Expired"})),
        ResponseTemplate::new(401)
            .insert_header("WWW-Authenticate", r#"Bearer error="invalid_token""#),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(header("authorization", "Zoho-oauthtoken old"))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
        refresh_mock(3600).expect(1).mount(&server).await;
        api_ok("new-token").expect(1).mount(&server).await;
        let client = client(
            &server,
            OAuth::from_refresh_token("cid", "s", "r").with_access_token("old", None),
        );
        get(&client, &GET_ME, "/me").await.expect("refreshed");
        server.verify().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_share_one_refresh() {
    let server = MockServer::start().await;
    slow_refresh().expect(1).mount(&server).await;
    api_ok("new-token").expect(20).mount(&server).await;
    let client = client(
        &server,
        OAuth::from_refresh_token("cid", "s", "r").with_access_token("old", expired()),
    );
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client, &GET_ME, "/me").await.map(|r| r.status) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("joined").expect("call"), StatusCode::OK);
    }
    server.verify().await;
    assert_eq!(bodies(&server, "/oauth/v2/token").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_rejections_share_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Zoho-oauthtoken revoked"))
        .respond_with(invalid_token())
        .mount(&server)
        .await;
    slow_refresh().expect(1).mount(&server).await;
    api_ok("new-token").expect(20).mount(&server).await;
    let client = client(
        &server,
        OAuth::from_refresh_token("cid", "s", "r").with_access_token("revoked", in_an_hour()),
    );
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client, &GET_ME, "/me").await.map(|r| r.status) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("joined").expect("call"), StatusCode::OK);
    }
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_waiters_share_a_refresh_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"error": "invalid_client"}))
                .set_delay(Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    api_ok("new-token").expect(0).mount(&server).await;
    let client = client(&server, OAuth::from_refresh_token("cid", "s", "r"));
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client, &GET_ME, "/me").await.map(|r| r.status) })
        })
        .collect();
    for call in calls {
        let err = call.await.expect("joined").unwrap_err();
        assert!(
            matches!(err, Error::OAuth { code: Some(ref c), .. } if c == "invalid_client"),
            "{err:?}"
        );
    }
    server.verify().await;
}

/// A slow token endpoint, so concurrent callers pile up behind the refresh.
fn slow_refresh() -> Mock {
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "new-token", "expires_in": 3600}))
                .set_delay(Duration::from_millis(200)),
        )
}

#[tokio::test]
async fn templates_rendered_while_building_see_the_refreshed_token() {
    let server = MockServer::start().await;
    refresh_mock(3600).expect(1).mount(&server).await;
    Mock::given(method("GET"))
        .and(header("x-token", "new-token"))
        .and(header("authorization", "Zoho-oauthtoken new-token"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, OAuth::from_refresh_token("cid", "s", "r"));
    client
        .execute(&GET_ME, |c| {
            c.request(reqwest::Method::GET, &c.render("{{api-domain}}/me"))
                .header("X-Token", c.render("{{access-token}}"))
        })
        .await
        .expect("ok");
    server.verify().await;
}

#[tokio::test]
async fn configured_token_is_published_to_its_variable() {
    let server = MockServer::start().await;
    api_ok("configured").expect(1).mount(&server).await;
    let client = client(&server, OAuth::from_access_token("configured"));
    get(&client, &GET_ME, "/me").await.expect("ok");
    assert_eq!(client.var("access-token").as_deref(), Some("configured"));
    assert!(!format!("{client:?}").contains("configured"));
    server.verify().await;
}
