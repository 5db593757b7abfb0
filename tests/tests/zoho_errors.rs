//! Error mapping of Cliq responses (the `{"code", "message"}` bodies of `oauth.md` §8) and
//! retries on rate limits (§9), through the generated crate's public API.

mod zoho_support;

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoho_cliq::v2::channels::{list_all_channels, ListAllChannelsQuery};
use zoho_cliq::v3::chats::{retrieve_chat_details, RetrieveChatDetailsQuery};
use zoho_cliq::{ChatId, Client, Error};
use zoho_support::*;

const CHAT: &str = "/api/v3/chats/CT_1001";

async fn chat_details(client: &Client) -> Result<zoho_cliq::v3::chats::RetrieveChatDetailsResponse, Error> {
    retrieve_chat_details(client, &ChatId::from("CT_1001"), &RetrieveChatDetailsQuery::default()).await
}

async fn answer(server: &MockServer, response: ResponseTemplate, times: u64) {
    Mock::given(method("GET")).and(path(CHAT)).respond_with(response).expect(times).mount(server).await;
}

#[tokio::test]
async fn a_cliq_error_body_becomes_error_api_with_code_and_message() {
    let server = MockServer::start().await;
    let body = json!({ "code": "input_invalid", "message": "The input is invalid." });
    answer(&server, ResponseTemplate::new(400).set_body_json(&body).insert_header("x-request-id", "req-77"), 1).await;
    let err = chat_details(&api_client(&server)).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.code(), Some("input_invalid"));
    assert_eq!(err.message(), Some("The input is invalid."));
    assert_eq!(err.operation(), Some("v3::chats::retrieve_chat_details"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(err.body().unwrap()).unwrap(), body);
    assert_eq!(err.headers().unwrap()["x-request-id"], "req-77");
    assert!(!err.is_rate_limited());
    assert_eq!(err.retry_after(), None);
    match &err {
        Error::Api { status, code, message, .. } => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(code.as_deref(), Some("input_invalid"));
            assert_eq!(message.as_deref(), Some("The input is invalid."));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "v3::chats::retrieve_chat_details: HTTP 400 Bad Request: The input is invalid. (input_invalid)"
    );
    server.verify().await;
}

#[tokio::test]
async fn numeric_and_nested_error_codes_are_read_as_text() {
    let cases = [
        (404, json!({ "code": 1012, "message": "Chat not found" }), "1012", "Chat not found"),
        (403, json!({ "error": { "code": "pin_not_allowed", "message": "Not allowed" } }), "pin_not_allowed", "Not allowed"),
        (500, json!({ "message": "Internal error", "code": "operation_failed" }), "operation_failed", "Internal error"),
    ];
    for (status, body, code, message) in cases {
        let server = MockServer::start().await;
        answer(&server, ResponseTemplate::new(status).set_body_json(body), 1).await;
        let err = chat_details(&api_client(&server)).await.unwrap_err();
        assert!(matches!(err, Error::Api { .. }), "{err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.message(), Some(message));
        server.verify().await;
    }
}

#[tokio::test]
async fn a_non_json_error_body_is_kept_raw() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"), 1).await;
    let err = chat_details(&api_client(&server)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.code(), None);
    assert_eq!(err.message(), None);
    assert_eq!(err.body(), Some(&b"<html>Bad gateway</html>"[..]));
    server.verify().await;
}

#[tokio::test]
async fn http_429_is_rate_limited_with_retry_after() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "120")
            .set_body_json(json!({ "code": "too_many_requests", "message": "Too many requests. Try again later." })),
        1, // retries are off by default: one request only
    )
    .await;
    let err = chat_details(&api_client(&server)).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.code(), Some("too_many_requests"));
    assert_eq!(err.message(), Some("Too many requests. Try again later."));
    match &err {
        Error::RateLimited { retry_after, operation, .. } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(120)));
            assert_eq!(*operation, "v3::chats::retrieve_chat_details");
        }
        other => panic!("expected Error::RateLimited, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn a_rate_limited_call_is_retried_and_then_succeeds() {
    let server = MockServer::start().await;
    // First answer 429 (no Retry-After: backoff from the base delay), then 200.
    Mock::given(method("GET"))
        .and(path(CHAT))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({ "message": "Too many requests" })))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    answer(&server, ResponseTemplate::new(200).set_body_json(json!({ "type": "chat", "data": { "chat_id": "CT_1001", "name": "Ops" } })), 1).await;
    let client = builder(&server, zoho_cliq::Environment::Us)
        .oauth(zoho_cliq::OAuth::from_access_token(ACCESS_TOKEN))
        .retry_on_rate_limit(3)
        .retry_base_delay(Duration::from_millis(2))
        .build()
        .unwrap();
    let details = chat_details(&client).await.unwrap();
    assert_eq!(details.type_, "chat");
    assert_eq!(details.data.chat_id, "CT_1001");
    assert_eq!(details.data.name, "Ops");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(header(r, "authorization"), auth_header(ACCESS_TOKEN), "the retry is authorized too");
    }
    server.verify().await;
}

#[tokio::test]
async fn retry_after_zero_is_honoured_and_retries_run_out() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(429).insert_header("Retry-After", "0"), 3).await;
    let client = builder(&server, zoho_cliq::Environment::Us)
        .oauth(zoho_cliq::OAuth::from_access_token(ACCESS_TOKEN))
        .retry_on_rate_limit(2)
        .build()
        .unwrap();
    let err = chat_details(&client).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    server.verify().await; // 1 call + 2 retries
}

#[tokio::test]
async fn a_retry_after_longer_than_the_maximum_wait_fails_at_once() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(429).insert_header("Retry-After", "600"), 1).await;
    let client = builder(&server, zoho_cliq::Environment::Us)
        .oauth(zoho_cliq::OAuth::from_access_token(ACCESS_TOKEN))
        .retry_on_rate_limit(5)
        .retry_max_wait(Duration::from_secs(60))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = chat_details(&client).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "did not wait");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(600)));
    server.verify().await;
}

#[tokio::test]
async fn a_503_is_retried_like_a_429() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CHAT))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    answer(&server, ResponseTemplate::new(200).set_body_json(json!({ "data": { "chat_id": "CT_1001" } })), 1).await;
    let client = builder(&server, zoho_cliq::Environment::Us)
        .oauth(zoho_cliq::OAuth::from_access_token(ACCESS_TOKEN))
        .retry_on_rate_limit(1)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    assert_eq!(chat_details(&client).await.unwrap().data.chat_id, "CT_1001");
    server.verify().await;
}

#[tokio::test]
async fn a_2xx_body_of_the_wrong_shape_is_a_decode_error_that_keeps_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/channels"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"channels\": \"not a list\"}"))
        .expect(1)
        .mount(&server)
        .await;
    let err = list_all_channels(&api_client(&server), &ListAllChannelsQuery::default()).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.operation(), Some("v2::channels::list_all_channels"));
    assert_eq!(err.body(), Some(&b"{\"channels\": \"not a list\"}"[..]));
    server.verify().await;
}

#[tokio::test]
async fn a_call_without_any_token_is_a_config_error_and_sends_nothing() {
    let server = MockServer::start().await;
    let client = builder(&server, zoho_cliq::Environment::Us).build().unwrap();
    let err = chat_details(&client).await.unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("no OAuth access token")), "{err:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_unset_api_domain_is_a_config_error_naming_it() {
    let client = Client::builder(())
        .oauth(zoho_cliq::OAuth::from_access_token(ACCESS_TOKEN))
        .build()
        .unwrap();
    let err = chat_details(&client).await.unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("`api-domain`")), "{err:?}");
}
