//! Signing schemes through the client: templates rendered from the client's variables and
//! secrets, the client's entropy source, and the signed request on the wire (wiremock).

use crate::common::last_request;
use hmac::{Hmac, KeyInit, Mac};
use postman_codegen_runtime::runtime::auth::base64;
use postman_codegen_runtime::runtime::{
    AuthSpec, Client, Error, FixedEntropy, Operation, Seg, SignKind, SignedSpec,
};
use reqwest::Method;
use sha2::{Digest, Sha256};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

static OAUTH1: SignedSpec = SignedSpec {
    kind: SignKind::OAuth1,
    params: &[
        ("consumerKey", "{{consumer-key}}"),
        ("consumerSecret", "{{consumer-secret}}"),
        ("token", "{{token}}"),
        ("tokenSecret", "{{token-secret}}"),
        ("signatureMethod", "PLAINTEXT"),
        ("version", "1.0"),
        ("addParamsToHeader", "false"),
    ],
};
static OAUTH1_OP: Operation = Operation {
    name: "photos::list",
    auth: AuthSpec::Signed(&OAUTH1),
};

static HAWK: SignedSpec = SignedSpec {
    kind: SignKind::Hawk,
    params: &[
        ("authId", "{{hawk-id}}"),
        ("authKey", "{{hawk-key}}"),
        ("algorithm", "sha256"),
        ("nonce", "{{hawk-nonce}}"),
        ("extraData", "some-ext"),
        ("app", "app-1"),
        ("includePayloadHash", "true"),
    ],
};
static HAWK_OP: Operation = Operation {
    name: "items::create",
    auth: AuthSpec::Signed(&HAWK),
};

static EDGEGRID: SignedSpec = SignedSpec {
    kind: SignKind::EdgeGrid,
    params: &[
        ("accessToken", "{{access-token}}"),
        ("clientToken", "{{client-token}}"),
        ("clientSecret", "{{client-secret}}"),
        (
            "baseURL",
            "https://akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net/",
        ),
        ("nonce", "{{eg-nonce}}"),
        ("timestamp", "{{eg-timestamp}}"),
        ("headersToSign", "X-Test1"),
    ],
};
static EDGEGRID_OP: Operation = Operation {
    name: "testapi::t3",
    auth: AuthSpec::Signed(&EDGEGRID),
};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

fn header(request: &wiremock::Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn oauth1_parameters_go_into_the_query_with_a_nonce_from_the_client() {
    let server = server().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("consumer-key", "ck-1")
        .secret("consumer-secret", "cs secret!")
        .secret("token", "tok-1")
        .secret("token-secret", "ts/2")
        .entropy(FixedEntropy::new(1_700_000_000_500, 1))
        .build()
        .expect("client");
    client
        .execute(&OAUTH1_OP, |c| {
            c.request(
                Method::GET,
                &c.url(&[Seg::Lit("{{api-domain}}"), Seg::Lit("/photos")]),
            )
            .query(&[("size", "original")])
        })
        .await
        .expect("ok");
    let request = last_request(&server).await;
    let query = request.url.query().unwrap_or("").to_owned();
    let nonce = query
        .split('&')
        .find_map(|p| p.strip_prefix("oauth_nonce="))
        .expect("a nonce")
        .to_owned();
    assert_eq!(nonce.len(), 11, "{nonce}");
    assert_eq!(
        query,
        format!(
            "size=original&oauth_consumer_key=ck-1&oauth_token=tok-1&oauth_signature_method=PLAINTEXT\
             &oauth_timestamp=1700000000&oauth_nonce={nonce}&oauth_version=1.0\
             &oauth_signature=cs%2520secret%2521%26ts%252F2"
        )
    );
    assert_eq!(header(&request, "authorization"), "");
}

#[tokio::test]
async fn oauth1_without_its_secret_variables_is_a_config_error() {
    let server = server().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .build()
        .expect("client");
    let err = client
        .execute(&OAUTH1_OP, |c| {
            c.request(
                Method::GET,
                &c.url(&[Seg::Lit("{{api-domain}}"), Seg::Lit("/photos")]),
            )
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.starts_with("photos::list: oauth1 auth needs") && m.contains("`consumer-key`")),
        "{err}"
    );
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn hawk_signs_the_wire_request_and_its_json_payload() {
    let server = server().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("hawk-id", "dh37fgj492je")
        .secret("hawk-key", "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn")
        .var("hawk-nonce", "Ab12Cd")
        .entropy(FixedEntropy::new(1_700_000_000_999, 1))
        .build()
        .expect("client");
    client
        .execute(&HAWK_OP, |c| {
            c.request(
                Method::POST,
                &c.url(&[Seg::Lit("{{api-domain}}"), Seg::Lit("/items")]),
            )
            .query(&[("x", "1")])
            .json(&serde_json::json!({"a": 1}))
        })
        .await
        .expect("ok");
    let request = last_request(&server).await;
    let port = server.address().port();

    // The Hawk specification's payload hash and normalized string, computed here.
    let hash = base64(&Sha256::digest(
        b"hawk.1.payload\napplication/json\n{\"a\":1}\n",
    ));
    let normalized =
        format!("hawk.1.header\n1700000000\nAb12Cd\nPOST\n/items?x=1\n127.0.0.1\n{port}\n{hash}\nsome-ext\napp-1\n\n");
    let mut mac =
        Hmac::<Sha256>::new_from_slice(b"werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn").unwrap();
    mac.update(normalized.as_bytes());
    let mac = base64(&mac.finalize().into_bytes());
    assert_eq!(
        header(&request, "authorization"),
        format!(
            r#"Hawk id="dh37fgj492je", ts="1700000000", nonce="Ab12Cd", hash="{hash}", ext="some-ext", mac="{mac}", app="app-1""#
        )
    );
}

#[tokio::test]
async fn edgegrid_signs_with_the_client_headers_and_body() {
    let server = server().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("access-token", "akab-access-token-xxx-xxxxxxxxxxxxxxxx")
        .secret("client-token", "akab-client-token-xxx-xxxxxxxxxxxxxxxx")
        .secret(
            "client-secret",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=",
        )
        .var("eg-nonce", "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
        .var("eg-timestamp", "20140321T19:34:21+0000")
        .header("X-Test1", "t1")
        .build()
        .expect("client");
    client
        .execute(&EDGEGRID_OP, |c| {
            c.request(
                Method::POST,
                &c.url(&[Seg::Lit("{{api-domain}}"), Seg::Lit("/testapi/v1/t3")]),
            )
            .query(&[("p1", "1"), ("p2", "2")])
            .header("content-type", "text/plain")
            .body("datadatadatadatadatadatadatadata")
        })
        .await
        .expect("ok");
    let request = last_request(&server).await;
    // Postman (postman-runtime's edgegrid.js on the same request; with `baseURL` the port of
    // the request is not signed).
    assert_eq!(
        header(&request, "authorization"),
        "EG1-HMAC-SHA256 client_token=akab-client-token-xxx-xxxxxxxxxxxxxxxx;access_token=akab-access-token-xxx-xxxxxxxxxxxxxxxx;timestamp=20140321T19:34:21+0000;nonce=nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx;signature=ICFWeTtU5PZELRVCaTqxZ58dPJs5fBESBfZ+lxiC1AM="
    );
}

#[tokio::test]
async fn edgegrid_nonce_and_timestamp_come_from_the_client_entropy() {
    static GENERATED: SignedSpec = SignedSpec {
        kind: SignKind::EdgeGrid,
        params: &[
            ("accessToken", "at"),
            ("clientToken", "ct"),
            ("clientSecret", "{{client-secret}}"),
        ],
    };
    static OP: Operation = Operation {
        name: "testapi::generated",
        auth: AuthSpec::Signed(&GENERATED),
    };
    let server = server().await;
    let client = Client::builder(())
        .var("api-domain", server.uri())
        .secret("client-secret", "cs")
        .entropy(FixedEntropy::new(951_782_400_000, 3))
        .build()
        .expect("client");
    for _ in 0..2 {
        client
            .execute(&OP, |c| {
                c.request(
                    Method::GET,
                    &c.url(&[Seg::Lit("{{api-domain}}"), Seg::Lit("/t")]),
                )
            })
            .await
            .expect("ok");
    }
    let requests = server.received_requests().await.unwrap_or_default();
    let (first, second) = (
        header(&requests[0], "authorization"),
        header(&requests[1], "authorization"),
    );
    let prefix =
        "EG1-HMAC-SHA256 client_token=ct;access_token=at;timestamp=20000229T00:00:00+0000;nonce=";
    assert!(
        first.starts_with(prefix) && second.starts_with(prefix),
        "{first}\n{second}"
    );
    assert_ne!(first, second, "each request gets a fresh nonce");
}
