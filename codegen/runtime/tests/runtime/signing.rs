//! Helpers for the signer tests: sign one request directly (no server) with pinned parameters,
//! and read what the signer wrote.

use std::sync::Arc;

use postman_codegen_runtime::runtime::sign::sign;
use postman_codegen_runtime::runtime::{
    Error, FixedEntropy, SignContext, SignParams, SignSessions, SignedSpec,
};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, Request, Url};

/// A request as the client has it when it signs: method, URL, headers and a buffered body.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Request {
    let method = Method::from_bytes(method.as_bytes()).expect("a valid method");
    let mut request = Request::new(method, Url::parse(url).expect("a valid URL"));
    for (name, value) in headers {
        request.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
            HeaderValue::from_str(value).expect("a valid header value"),
        );
    }
    if let Some(body) = body {
        *request.body_mut() = Some(body.to_owned().into());
    }
    request
}

/// Sign `request` with `spec`'s kind and the literal parameters `pairs`, the clock at
/// `now_millis` and random numbers from seed 7.
pub fn sign_with(
    spec: &'static SignedSpec,
    pairs: &[(&'static str, &str)],
    now_millis: i64,
    request: &mut Request,
) -> Result<(), Error> {
    let params = SignParams::from_pairs(pairs);
    let sessions = SignSessions::default();
    let ctx = SignContext {
        params: &params,
        entropy: Arc::new(FixedEntropy::new(now_millis, 7)),
        operation: "test::signed",
        sessions: &sessions,
        spec,
    };
    sign(&ctx, request)
}

/// The `Authorization` header, `""` when there is none.
pub fn authorization(request: &Request) -> &str {
    request
        .headers()
        .get(AUTHORIZATION)
        .map_or("", |v| v.to_str().expect("an ASCII header"))
}

/// The buffered body as text, `""` when there is none.
#[cfg(feature = "oauth1")]
pub fn body_text(request: &Request) -> String {
    request
        .body()
        .and_then(|b| b.as_bytes())
        .map(|b| String::from_utf8(b.to_vec()).expect("a UTF-8 body"))
        .unwrap_or_default()
}
