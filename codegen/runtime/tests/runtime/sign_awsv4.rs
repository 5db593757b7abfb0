//! `awsv4` auth: AWS's published SigV4 test suite (credentials `AKIDEXAMPLE`, region
//! `us-east-1`, service `service`, 2015-08-30T12:36:00Z), values computed by npm `aws4` 1.13.2
//! (what postman-runtime signs with) for Postman's input, and a signed call through the client.

use std::sync::Arc;

use postman_codegen_runtime::runtime::sign::sign;
use postman_codegen_runtime::runtime::{
    AuthSpec, Client, FixedEntropy, Operation, SignContext, SignKind, SignParams, SignSessions, SignedSpec,
};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Request};
use wiremock::matchers::{header as has_header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static SPEC: SignedSpec = SignedSpec { kind: SignKind::AwsV4, params: &[] };

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z, the test suite's time.
const SUITE_MILLIS: i64 = 1_440_938_160_000;
/// The suite's time as a `Date` header (aws4 then signs at it, and signs the header).
const SUITE_DATE: &str = "Sun, 30 Aug 2015 12:36:00 GMT";
const TOKEN: &str = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

fn request(method: Method, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Request {
    let mut request = Request::new(method, url.parse().unwrap());
    for (name, value) in headers {
        request
            .headers_mut()
            .append(HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_str(value).unwrap());
    }
    if let Some(body) = body {
        *request.body_mut() = Some(body.to_owned().into());
    }
    request
}

fn try_sign(request: &mut Request, params: &[(&'static str, &str)]) -> Result<(), postman_codegen_runtime::runtime::Error> {
    let mut pairs = vec![("accessKey", AKID), ("secretKey", SECRET), ("region", "us-east-1"), ("service", "service")];
    pairs.extend_from_slice(params);
    let params = SignParams::from_pairs(&pairs);
    let sessions = SignSessions::default();
    let ctx = SignContext {
        params: &params,
        entropy: Arc::new(FixedEntropy::new(SUITE_MILLIS, 1)),
        operation: "test::aws",
        sessions: &sessions,
        spec: &SPEC,
    };
    sign(&ctx, request)
}

fn signed(method: Method, url: &str, headers: &[(&str, &str)], body: Option<&str>, params: &[(&'static str, &str)]) -> Request {
    let mut request = request(method, url, headers, body);
    try_sign(&mut request, params).unwrap();
    request
}

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or_default()
}

fn authorization(date: &str, scope: &str, signed_headers: &str, signature: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{date}/{scope}/aws4_request, SignedHeaders={signed_headers}, Signature={signature}")
}

fn suite(signed_headers: &str, signature: &str) -> String {
    authorization("20150830", "us-east-1/service", signed_headers, signature)
}

#[test]
fn suite_get_vanilla() {
    let request = signed(Method::GET, "https://example.amazonaws.com/", &[], None, &[]);
    assert_eq!(header(&request, "x-amz-date"), "20150830T123600Z");
    assert_eq!(
        header(&request, "authorization"),
        suite("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    );
    assert!(request.headers().get("x-amz-content-sha256").is_none(), "no body, no hash header");
    assert!(request.headers().get("authorization").unwrap().is_sensitive());
}

#[test]
fn suite_get_vanilla_query_order_key_case() {
    let request = signed(Method::GET, "https://example.amazonaws.com/?Param2=value2&Param1=value1", &[], None, &[]);
    assert_eq!(
        header(&request, "authorization"),
        suite("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    );
    assert_eq!(request.url().query(), Some("Param2=value2&Param1=value1"), "the query stays as it was");
}

#[test]
fn suite_get_vanilla_with_session_token() {
    let request = signed(Method::GET, "https://example.amazonaws.com/", &[], None, &[("sessionToken", TOKEN)]);
    assert_eq!(header(&request, "x-amz-security-token"), TOKEN);
    assert_eq!(
        header(&request, "authorization"),
        suite("host;x-amz-date;x-amz-security-token", "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
    );
}

/// Paths: `//` collapsed, unreserved characters as they are. (The suite's `get-space-*` cases
/// start from an unencoded space, which a URL never holds; aws4 encodes an encoded path again.)
#[test]
fn suite_get_slashes_normalized_and_unreserved() {
    let request = signed(Method::GET, "https://example.amazonaws.com//example//", &[], None, &[]);
    assert_eq!(
        header(&request, "authorization"),
        suite("host;x-amz-date", "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84")
    );
    let unreserved = "https://example.amazonaws.com/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let request = signed(Method::GET, unreserved, &[], None, &[]);
    assert_eq!(
        header(&request, "authorization"),
        suite("host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
    );
}

/// A buffered body is hashed into `X-Amz-Content-Sha256`, which is signed (the suite's
/// `sign_body` variant).
#[test]
fn suite_post_x_www_form_urlencoded() {
    let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", "13")];
    let request = signed(Method::POST, "https://example.amazonaws.com/", &headers, Some("Param1=value1"), &[]);
    assert_eq!(header(&request, "x-amz-content-sha256"), "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    assert_eq!(
        header(&request, "authorization"),
        suite(
            "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
            "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
        )
    );
}

/// The suite's query signatures include `X-Amz-Expires=3600`: Postman signs a user's
/// `X-Amz-Expires` along (it adds none itself for services but s3).
#[test]
fn suite_query_signatures() {
    let request = signed(
        Method::GET,
        "https://example.amazonaws.com/?X-Amz-Expires=3600",
        &[],
        None,
        &[("addAuthDataToQuery", "true")],
    );
    assert_eq!(
        request.url().query(),
        Some(
            "X-Amz-Expires=3600&X-Amz-Date=20150830T123600Z&X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d"
        )
    );
    assert!(request.headers().is_empty(), "nothing goes into the headers");
    let request = signed(
        Method::GET,
        "https://example.amazonaws.com/?X-Amz-Expires=3600",
        &[],
        None,
        &[("addAuthDataToQuery", "true"), ("sessionToken", TOKEN)],
    );
    let query = request.url().query().unwrap();
    assert!(query.starts_with(&format!("X-Amz-Expires=3600&X-Amz-Security-Token={TOKEN}&X-Amz-Date=")), "{query}");
    assert!(query.ends_with("&X-Amz-Signature=7ff2b50b376cb4d151970630573d6291dc128cc5c2a12ffb237f73cc53f67b6c"), "{query}");
}

/// The `Date` header sets the time (and is signed); the request's old auth data is removed
/// first; header values are trimmed and their spaces collapsed. Value computed by aws4.
#[test]
fn aws4_date_header_and_old_auth_data() {
    let headers = [
        ("Date", "Wed, 02 Dec 2026 08:00:00 GMT"),
        ("Authorization", "old"),
        ("X-Amz-Date", "19990101T000000Z"),
        ("X-Amz-Content-Sha256", "old"),
        ("X-Test", "  a   b  "),
    ];
    let request = signed(
        Method::GET,
        "https://api.example.com/aws/items?b=2&X-Amz-Signature=old&a=1%20x&X-Amz-Credential=old",
        &headers,
        None,
        &[("region", "eu-west-1"), ("service", "")],
    );
    assert_eq!(header(&request, "x-amz-date"), "20261202T080000Z");
    assert_eq!(request.url().query(), Some("b=2&a=1%20x"));
    assert!(request.headers().get("x-amz-content-sha256").is_none());
    assert_eq!(
        header(&request, "authorization"),
        authorization(
            "20261202",
            "eu-west-1/execute-api",
            "date;host;x-amz-date;x-test",
            "1f1c9a705a4e3ba44cbc06df6c9ed863d31375f2cc5929ef87973652fce240fc"
        )
    );
}

/// aws4's canonical path (`//`, `.` and `..` resolved, segments encoded again), query (sorted,
/// nameless keys dropped, `+` a space) and host with its port.
#[test]
fn aws4_canonical_path_query_and_port() {
    let request = signed(
        Method::GET,
        "https://h.example.com:8443/a//b/./c/../d%20e/(x)?b=2&=x&a=1&a=0&c&q=a+b%2Fc",
        &[("Date", SUITE_DATE)],
        None,
        &[("service", "execute-api")],
    );
    assert_eq!(
        header(&request, "authorization"),
        authorization(
            "20150830",
            "us-east-1/execute-api",
            "date;host;x-amz-date",
            "6ee0d9dda3b2dce714406ccdd96f6472a51463bb679bec6d6b093db1e4145c28"
        )
    );
}

/// s3 in headers: the path is decoded and encoded once (`+` is a space, `%2F` a slash), and a
/// hash header goes along even without a body. Value computed by aws4.
#[test]
fn aws4_s3_headers() {
    let request = signed(Method::GET, "https://bucket.s3.amazonaws.com/a+b/c%2Fd", &[("Date", SUITE_DATE)], None, &[("service", "s3")]);
    assert_eq!(header(&request, "x-amz-content-sha256"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(
        header(&request, "authorization"),
        authorization(
            "20150830",
            "us-east-1/s3",
            "date;host;x-amz-content-sha256;x-amz-date",
            "8092da8f51e8f20068551eda9ec4c2faf9c2fc721c1c82389ca7ea71e95911ac"
        )
    );
}

/// s3 in the query: `X-Amz-Expires=86400` and an unsigned payload. Value computed by aws4.
#[test]
fn aws4_s3_query() {
    let request = signed(
        Method::PUT,
        "https://bucket.s3.amazonaws.com/some%20key.txt",
        &[("Date", SUITE_DATE), ("Content-Type", "text/plain")],
        Some("hello s3"),
        &[("service", "s3"), ("addAuthDataToQuery", "true")],
    );
    assert_eq!(
        request.url().query(),
        Some(
            "X-Amz-Expires=86400&X-Amz-Date=20150830T123600Z&X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=content-type%3Bdate%3Bhost\
             &X-Amz-Signature=534322792c852e455c286a9c0ddde185a16b7e832e51a43ef10c42f7350a5caa"
        )
    );
    assert!(request.headers().get("x-amz-content-sha256").is_none());
}

/// The session token goes into the query, encoded, before the date. Value computed by aws4.
#[test]
fn aws4_query_with_session_token() {
    let request = signed(
        Method::GET,
        "https://h.example.com/q?page=2",
        &[("Date", SUITE_DATE)],
        Some("a body aws4 never sees in the query mode"),
        &[("service", "execute-api"), ("addAuthDataToQuery", "true"), ("sessionToken", "the/session+token=")],
    );
    assert_eq!(
        request.url().query(),
        Some(
            "page=2&X-Amz-Security-Token=the%2Fsession%2Btoken%3D&X-Amz-Date=20150830T123600Z&X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-SignedHeaders=date%3Bhost\
             &X-Amz-Signature=614980a0d36dc5cbb261d08ad73a4a3f94bbce3d807494d82b3ad434cb71f0e4"
        )
    );
}

#[test]
fn an_unreadable_date_header_is_an_error_naming_the_operation() {
    let mut request = request(Method::GET, "https://h.example.com/", &[("Date", "yesterday")], None);
    let err = try_sign(&mut request, &[]).unwrap_err().to_string();
    assert!(err.contains("test::aws") && err.contains("`Date`"), "{err}");
    assert!(!err.contains(SECRET));
}

static AWS: SignedSpec = SignedSpec {
    kind: SignKind::AwsV4,
    params: &[
        ("accessKey", "{{aws-access-key}}"),
        ("region", "eu-west-1"),
        ("secretKey", "{{aws-secret-key}}"),
        ("service", "execute-api"),
    ],
};
static SIGNED_OP: Operation = Operation { name: "test::signed", auth: AuthSpec::Signed(&AWS) };

/// Through the client: credentials from secrets, time from the client's entropy, the body
/// hashed, and a missing secret is an error naming it.
#[tokio::test]
async fn client_signs_with_its_secrets_and_clock() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .and(has_header("x-amz-date", "20150830T123600Z"))
        .and(has_header("x-amz-content-sha256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(())
        .secret("aws-access-key", AKID)
        .secret("aws-secret-key", SECRET)
        .entropy(FixedEntropy::new(SUITE_MILLIS, 7))
        .build()
        .unwrap();
    let uri = server.uri();
    let response = client
        .execute(&SIGNED_OP, move |c| c.request(Method::POST, &format!("{uri}/items")).body("Param1=value1"))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let received = &server.received_requests().await.unwrap()[0];
    let auth = received.headers.get("authorization").unwrap().to_str().unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="), "{auth}");

    let without = Client::builder(()).build().unwrap();
    let err = without
        .execute(&SIGNED_OP, |c| c.request(Method::GET, "http://unused.invalid/"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("test::signed") && err.contains("aws-access-key"), "{err}");
}

/// What Newman (postman-runtime 7.39.1) sent for the three `awsv4` requests of
/// `tests/fixtures/signing-auth.postman_collection.json` to `http://127.0.0.1:18765` (their
/// `Date` header pins the time): the same headers, query and signatures.
#[test]
fn newman_values_of_the_signing_fixture() {
    let fixture = |request: &mut Request, params: &[(&'static str, &str)]| {
        let mut pairs = vec![("accessKey", "AKIDFIXTURE0SIGNING"), ("secretKey", "fixture-aws-secret-key/K7MDENG+bPxRfiCY")];
        pairs.extend_from_slice(params);
        let params = SignParams::from_pairs(&pairs);
        let sessions = SignSessions::default();
        let ctx = SignContext {
            params: &params,
            entropy: Arc::new(FixedEntropy::new(0, 1)),
            operation: "fixture",
            sessions: &sessions,
            spec: &SPEC,
        };
        sign(&ctx, request).unwrap();
    };
    let date = ("Date", "Wed, 02 Dec 2026 08:00:00 GMT");

    let mut get = request(Method::GET, "http://127.0.0.1:18765/aws/items?b=2&a=1%20x", &[date], None);
    fixture(&mut get, &[("region", "eu-west-1"), ("service", "execute-api")]);
    assert_eq!(
        header(&get, "authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDFIXTURE0SIGNING/20261202/eu-west-1/execute-api/aws4_request, SignedHeaders=date;host;x-amz-date, Signature=8b7389e5d68f9d6fd634da9f8b0b64705d60ea1ba03cca834ed610158e449ddf"
    );

    let mut query = request(Method::GET, "http://127.0.0.1:18765/aws/query?page=2", &[date], None);
    fixture(
        &mut query,
        &[("sessionToken", "fixture-aws-session-token"), ("region", "us-east-1"), ("service", "execute-api"), ("addAuthDataToQuery", "true")],
    );
    assert_eq!(
        query.url().query(),
        Some(
            "page=2&X-Amz-Security-Token=fixture-aws-session-token&X-Amz-Date=20261202T080000Z&X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDFIXTURE0SIGNING%2F20261202%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-SignedHeaders=date%3Bhost\
             &X-Amz-Signature=d5d204a015f5018fe6c078bdc850912947ebec417f66d5599a293269dfd757ba"
        )
    );

    let mut put = request(Method::PUT, "http://127.0.0.1:18765/bucket/some%20key.txt", &[date, ("Content-Type", "text/plain")], Some("hello s3"));
    fixture(&mut put, &[("region", "us-east-1"), ("service", "s3")]);
    assert_eq!(header(&put, "x-amz-content-sha256"), "f2ff189a4ef686231302becc266e6c8d5eee814b868d11631f7660073fc9b613");
    assert_eq!(
        header(&put, "authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDFIXTURE0SIGNING/20261202/us-east-1/s3/aws4_request, SignedHeaders=content-type;date;host;x-amz-content-sha256;x-amz-date, Signature=561d08bd65a11cc7b0bbaafebafc9e71b8f20e010b693f7d52de8bea0ecd21e4"
    );
}
