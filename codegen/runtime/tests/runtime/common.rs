//! Shared fixtures: a Zoho-like OAuth 2.0 spec, operations, and request helpers.

use std::time::{Duration, SystemTime};

use postman_codegen_runtime::runtime::{
    AuthSpec, Client, Error, OAuth2Spec, Operation, Response, Seg,
};
use reqwest::Method;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const ZOHO: OAuth2Spec = OAuth2Spec {
    access_token: "{{access-token}}",
    header_prefix: "Zoho-oauthtoken",
    add_to_query: false,
    auth_url: "{{accounts-url}}/oauth/v2/auth",
    token_url: "{{accounts-url}}/oauth/v2/token",
    scope: "ZohoCliq.Channels.READ,ZohoCliq.Webhooks.CREATE",
    client_id: "{{client-id}}",
    client_secret: "{{client-secret}}",
    redirect_uri: "{{redirect-uri}}",
    refresh_token: "{{refresh-token}}",
    expiry_time: "expiry-time",
    client_auth_in_body: true,
};

pub static GET_ME: Operation = Operation {
    name: "v3::users::get_me",
    auth: AuthSpec::OAuth2(&ZOHO),
};
pub static NO_AUTH: Operation = Operation {
    name: "test::no_auth",
    auth: AuthSpec::None,
};

/// GET `{{api-domain}}<path>` as `op`.
pub async fn get(client: &Client, op: &'static Operation, p: &str) -> Result<Response, Error> {
    client
        .execute(op, |c| {
            c.request(
                Method::GET,
                &c.url(&[Seg::Lit("{{api-domain}}"), Seg::Lit(p)]),
            )
        })
        .await
}

/// An `expires_at` in the past / far future.
pub fn expired() -> Option<SystemTime> {
    SystemTime::now().checked_sub(Duration::from_secs(3600))
}

pub fn in_an_hour() -> Option<SystemTime> {
    SystemTime::now().checked_add(Duration::from_secs(3600))
}

/// A token endpoint answering a refresh with `new-token`.
pub fn refresh_mock(expires_in: u64) -> Mock {
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "new-token",
            "api_domain": "https://www.zohoapis.com",
            "token_type": "Bearer",
            "expires_in": expires_in,
        })))
}

/// The bodies of the requests `server` received at `p`.
pub async fn bodies(server: &MockServer, p: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect()
}

/// The last request `server` received.
pub async fn last_request(server: &MockServer) -> wiremock::Request {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .pop()
        .expect("a request")
}
