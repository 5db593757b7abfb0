//! Retrying 429 and 503 responses.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use postman_codegen_runtime::runtime::retry::{parse_http_date, retry_after};
use postman_codegen_runtime::runtime::{Client, Error, RetryPolicy};
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::StatusCode;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{get, NO_AUTH};

fn limited() -> ResponseTemplate {
    ResponseTemplate::new(429)
        .set_body_string(r#"{"code":"rate_limit_exceeded","message":"Too many requests"}"#)
}

async fn client(server: &MockServer, retries: u32) -> Client {
    Client::builder(())
        .var("api-domain", server.uri())
        .retry_on_rate_limit(retries)
        .retry_base_delay(Duration::from_millis(10))
        .build()
        .expect("client")
}

#[tokio::test]
async fn retries_after_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(limited().insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, 2).await;
    let started = Instant::now();
    let resp = get(&client, &NO_AUTH, "/x")
        .await
        .expect("succeeds after retry");
    assert_eq!(resp.text().expect("text"), "ok");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    server.verify().await;
}

#[tokio::test]
async fn exhausted_retries_give_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(limited())
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server, 2).await;
    let err = get(&client, &NO_AUTH, "/x").await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert!(matches!(
        err,
        Error::RateLimited { status: StatusCode::TOO_MANY_REQUESTS, retry_after: None, ref code, .. }
            if code.as_deref() == Some("rate_limit_exceeded")
    ));
    assert_eq!(err.message(), Some("Too many requests"));
    server.verify().await;
}

#[tokio::test]
async fn without_retries_429_is_rate_limited_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(limited().insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, 0).await;
    let err = get(&client, &NO_AUTH, "/x").await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert!(err.to_string().contains("retry after 30 s"), "{err}");
    server.verify().await;
}

#[tokio::test]
async fn retry_after_longer_than_max_wait_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(limited().insert_header("Retry-After", "600"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, 3).await;
    let started = Instant::now();
    let err = get(&client, &NO_AUTH, "/x").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(600)));
    server.verify().await;
}

#[tokio::test]
async fn retries_503_and_reports_api_error_when_exhausted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server, 1).await;
    get(&client, &NO_AUTH, "/x")
        .await
        .expect("second attempt succeeds");
    let err = get(&client, &NO_AUTH, "/x").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: StatusCode::SERVICE_UNAVAILABLE,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        4
    );
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, 3).await;
    assert!(get(&client, &NO_AUTH, "/x").await.is_err());
    server.verify().await;
}

#[test]
fn backoff_doubles_and_is_capped() {
    let policy = RetryPolicy {
        max_retries: 40,
        base_delay: Duration::from_secs(1),
        max_wait: Duration::from_secs(10),
    };
    let delays: Vec<_> = (0..5).map(|n| policy.delay(n, None)).collect();
    let secs = |s| Some(Duration::from_secs(s));
    assert_eq!(delays, vec![secs(1), secs(2), secs(4), secs(8), secs(10)]);
    assert_eq!(policy.delay(39, None), secs(10));
    assert_eq!(policy.delay(40, None), None);
    assert_eq!(policy.delay(0, secs(3)), secs(3));
    assert_eq!(policy.delay(0, secs(11)), None);
    assert_eq!(RetryPolicy::default().max_retries, 0);
    assert_eq!(RetryPolicy::default().delay(0, None), None);
}

#[test]
fn http_dates_parse() {
    let want = UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(want));
    assert_eq!(
        parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
        Some(want)
    );
    assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(want));
    assert_eq!(
        parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT"),
        Some(UNIX_EPOCH + Duration::from_secs(1_709_164_800))
    );
    assert_eq!(parse_http_date("garbage"), None);
    assert_eq!(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"), None);
}

#[test]
fn retry_after_reads_seconds_and_dates() {
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
    let mut headers = HeaderMap::new();
    assert_eq!(retry_after(&headers, now), None);
    headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
    assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(120)));
    headers.insert(
        RETRY_AFTER,
        HeaderValue::from_static("Sun, 06 Nov 1994 08:50:07 GMT"),
    );
    assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
    headers.insert(
        RETRY_AFTER,
        HeaderValue::from_static("Sun, 06 Nov 1994 08:00:00 GMT"),
    );
    assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
    headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
    assert_eq!(retry_after(&headers, SystemTime::now()), None);
}
