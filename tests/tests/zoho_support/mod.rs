//! Shared helpers for the `zoho_*` tests: a client pointed at a local wiremock server, canned
//! token responses, and [`Call`], which checks one generated function's request exactly.
//!
//! Every test file includes this with `mod zoho_support;`; not every file uses every helper.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, SystemTime};

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use zoho_cliq::{Client, Environment, Error, OAuth};

pub const CLIENT_ID: &str = "1000.TESTCLIENTID0000";
pub const CLIENT_SECRET: &str = "client-secret-d41d8cd98f";
pub const REFRESH_TOKEN: &str = "1000.refresh-token-5f4dcc3b5a";
pub const ACCESS_TOKEN: &str = "1000.access-token-e99a18c428";
pub const REDIRECT_URI: &str = "https://app.example.com/zoho/callback";

/// The `Authorization` header Cliq expects for `token`.
pub fn auth_header(token: &str) -> String {
    format!("Zoho-oauthtoken {token}")
}

/// `(accounts-url, api-domain)` of each data centre, from `oauth.md` §1.
pub const HOSTS: &[(Environment, &str, &str)] = &[
    (Environment::Us, "https://accounts.zoho.com", "https://cliq.zoho.com"),
    (Environment::Eu, "https://accounts.zoho.eu", "https://cliq.zoho.eu"),
    (Environment::In, "https://accounts.zoho.in", "https://cliq.zoho.in"),
    (Environment::Au, "https://accounts.zoho.com.au", "https://cliq.zoho.com.au"),
    (Environment::Jp, "https://accounts.zoho.jp", "https://cliq.zoho.jp"),
    (Environment::Ca, "https://accounts.zohocloud.ca", "https://cliq.zohocloud.ca"),
];

/// A client for `server`: both hosts point at it, and it holds a valid access token (one hour
/// left) plus a refresh token.
pub fn api_client(server: &MockServer) -> Client {
    builder(server, Environment::Us)
        .oauth(
            OAuth::from_refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
                .with_access_token(ACCESS_TOKEN, Some(SystemTime::now() + Duration::from_secs(3600))),
        )
        .build()
        .expect("client builds")
}

/// A builder for `env` with both hosts overridden to `server`.
pub fn builder(server: &MockServer, env: Environment) -> zoho_cliq::ClientBuilder {
    Client::builder(env).var("accounts-url", server.uri()).var("api-domain", server.uri())
}

/// A Zoho Accounts token response (`expires_in` 3600 s, `token_type` Bearer, and the generic
/// `api_domain` that must not be used as the Cliq host).
pub fn token_response(access_token: &str, refresh_token: Option<&str>) -> ResponseTemplate {
    let mut body = serde_json::json!({
        "access_token": access_token,
        "api_domain": "https://www.zohoapis.com",
        "token_type": "Bearer",
        "expires_in": 3600,
    });
    if let Some(refresh) = refresh_token {
        body["refresh_token"] = Value::from(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// Mounts the token endpoint (`POST /oauth/v2/token`) answering `response`, expected `times`.
pub async fn mount_token_endpoint(server: &MockServer, response: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(response)
        .expect(times)
        .named("token endpoint")
        .mount(server)
        .await;
}

/// All requests the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The received requests to `path`, in order.
pub async fn received_at(server: &MockServer, wanted: &str) -> Vec<Request> {
    received(server).await.into_iter().filter(|r| r.url.path() == wanted).collect()
}

/// Every value of header `name`.
pub fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("header is ASCII").to_owned())
        .collect()
}

/// The single value of header `name` (panics when absent or repeated).
pub fn header(request: &Request, name: &str) -> String {
    let values = header_values(request, name);
    assert_eq!(values.len(), 1, "header `{name}` should appear once, got {values:?}");
    values.into_iter().next().unwrap()
}

/// The `application/x-www-form-urlencoded` body as a map (panics on repeated keys).
pub fn form_fields(request: &Request) -> BTreeMap<String, String> {
    assert_eq!(header(request, "content-type"), "application/x-www-form-urlencoded");
    let mut fields = BTreeMap::new();
    let url = format!("http://form.invalid/?{}", String::from_utf8_lossy(&request.body));
    let parsed: wiremock::http::Url = url.parse().expect("form body parses as a query");
    for (k, v) in parsed.query_pairs() {
        let previous = fields.insert(k.into_owned(), v.into_owned());
        assert!(previous.is_none(), "form field repeated in {:?}", String::from_utf8_lossy(&request.body));
    }
    fields
}

/// A map from string pairs, for comparing with [`form_fields`].
pub fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// A short description of requests, for failure messages.
pub fn describe(requests: &[Request]) -> String {
    requests
        .iter()
        .map(|r| format!("{} {} body={:?}", r.method, r.url, String::from_utf8_lossy(&r.body)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the request body must be.
#[derive(Debug, Clone)]
enum Body {
    /// No body and no `Content-Type`.
    Empty,
    /// Exactly this JSON, sent as `Content-Type: application/json`.
    Json(Value),
    /// A `multipart/form-data` body; the test inspects it.
    Multipart,
}

/// The exact request one generated function must send, and the answer to give it.
///
/// `Call::new("POST", "/api/v3/chats").json(json!({...})).run(|c| async move { ... })` starts a
/// mock server that answers only that method, path, query string and body (once), calls the
/// function with a client holding [`ACCESS_TOKEN`], and then asserts the recorded request field
/// by field: method, path, raw query string, `Authorization`, `Content-Type` and body.
#[derive(Debug)]
pub struct Call {
    method: &'static str,
    path: &'static str,
    query: &'static str,
    body: Body,
    content_type: Option<&'static str>,
    response: (u16, Option<Value>),
}

impl Call {
    /// A request `method path` with no query string and no body.
    pub fn new(method: &'static str, path: &'static str) -> Self {
        Call { method, path, query: "", body: Body::Empty, content_type: None, response: (200, Some(Value::Object(Default::default()))) }
    }

    /// The exact raw query string (without `?`), as percent-encoded on the wire.
    pub fn query(mut self, query: &'static str) -> Self {
        self.query = query;
        self
    }

    /// The exact JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = Body::Json(body);
        self
    }

    /// A `Content-Type` header sent without a body (Bulk Export picks its format with it).
    pub fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// A multipart body, checked by the caller on the returned request.
    pub fn multipart(mut self) -> Self {
        self.body = Body::Multipart;
        self
    }

    /// Answer with this status and JSON body (default: 200 `{}`).
    pub fn respond(mut self, status: u16, body: Value) -> Self {
        self.response = (status, Some(body));
        self
    }

    /// Answer with this status and no body (e.g. 204).
    pub fn respond_empty(mut self, status: u16) -> Self {
        self.response = (status, None);
        self
    }

    /// Run `call` against a fresh mock server and check the request; returns the function's
    /// result and the request as received.
    pub async fn run<T, F, Fut>(self, call: F) -> (T, Request)
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let server = MockServer::start().await;
        let mut template = ResponseTemplate::new(self.response.0);
        if let Some(body) = &self.response.1 {
            template = template.set_body_json(body.clone());
        }
        let query = self.query;
        let expected_body = self.body.clone();
        Mock::given(method(self.method))
            .and(path(self.path))
            .and(move |r: &Request| r.url.query().unwrap_or("") == query)
            .and(move |r: &Request| match &expected_body {
                Body::Json(v) => serde_json::from_slice::<Value>(&r.body).ok().as_ref() == Some(v),
                Body::Empty => r.body.is_empty(),
                Body::Multipart => true,
            })
            .respond_with(template)
            .expect(1)
            .named(format!("{} {}", self.method, self.path))
            .mount(&server)
            .await;

        let result = call(api_client(&server)).await;
        let requests = received(&server).await;
        let value = match result {
            Ok(value) => value,
            Err(e) => panic!("{} {}: the call failed: {e:?}\nreceived:\n{}", self.method, self.path, describe(&requests)),
        };
        assert_eq!(requests.len(), 1, "exactly one request:\n{}", describe(&requests));
        let request = requests.into_iter().next().unwrap();
        assert_eq!(request.method.as_str(), self.method, "method");
        assert_eq!(request.url.path(), self.path, "path");
        assert_eq!(request.url.query().unwrap_or(""), self.query, "query string");
        assert_eq!(header(&request, "authorization"), auth_header(ACCESS_TOKEN), "Authorization");
        assert!(header(&request, "user-agent").starts_with("zoho-cliq/"), "User-Agent");
        let content_type = header_values(&request, "content-type");
        match &self.body {
            Body::Empty => {
                let expected: Vec<String> = self.content_type.iter().map(|c| (*c).to_owned()).collect();
                assert_eq!(content_type, expected, "Content-Type without a body");
                assert_eq!(String::from_utf8_lossy(&request.body), "", "no body");
            }
            Body::Json(expected) => {
                assert_eq!(content_type, ["application/json"], "Content-Type");
                let actual: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
                assert_eq!(&actual, expected, "JSON body");
            }
            Body::Multipart => {
                assert_eq!(content_type.len(), 1, "one Content-Type: {content_type:?}");
                assert!(
                    content_type[0].starts_with("multipart/form-data; boundary="),
                    "Content-Type: {content_type:?}"
                );
            }
        }
        server.verify().await;
        (value, request)
    }
}

/// Asserts that `tested` lists exactly the modules of `generated/zoho-cliq/src/<version>` and that
/// `this_file` (the calling test file's text) calls a function of each.
pub fn assert_every_module_tested(version: &str, tested: &[&str], this_file: &str) {
    let dir = integration_tests::repo_root().join("generated/zoho-cliq/src").join(version);
    let mut modules: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_owned())
        .filter(|m| m != "mod")
        .collect();
    modules.sort();
    assert_eq!(modules, tested);
    for module in tested {
        assert!(this_file.contains(&format!("{version}::{module}::")), "no call of {version}::{module} in this file");
    }
}
