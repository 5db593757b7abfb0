//! Digest auth against a server that challenges and checks the response hash itself.

use md5::{Digest, Md5};
use postman_codegen_runtime::runtime::{
    AuthSpec, Client, Error, FixedEntropy, Operation, SignKind, SignedSpec,
};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::get;

static SPEC: SignedSpec = SignedSpec {
    kind: SignKind::Digest,
    params: &[
        ("username", "{{digest-user}}"),
        ("password", "{{digest-password}}"),
        ("realm", ""),
        ("nonce", ""),
        ("algorithm", "MD5"),
        ("qop", ""),
        ("nonceCount", ""),
        ("clientNonce", ""),
        ("opaque", ""),
    ],
};
static DIGEST: Operation = Operation {
    name: "test::digest",
    auth: AuthSpec::Signed(&SPEC),
};

static NO_RETRY_SPEC: SignedSpec = SignedSpec {
    kind: SignKind::Digest,
    params: &[
        ("username", "{{digest-user}}"),
        ("password", "{{digest-password}}"),
        ("disableRetryRequest", "true"),
    ],
};
static NO_RETRY: Operation = Operation {
    name: "test::digest_no_retry",
    auth: AuthSpec::Signed(&NO_RETRY_SPEC),
};

const REALM: &str = "api@example.org";
const NONCE: &str = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
const OPAQUE: &str = "5ccc069c403ebaf9f0171e9517f40e41";

/// A server that knows the password: challenges requests without a valid digest response.
struct DigestServer {
    password: &'static str,
}

fn md5_hex(s: &str) -> String {
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The value of `name=` in a Digest header, quoted or not.
fn field<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .trim_start_matches("Digest ")
        .split(", ")
        .find_map(|part| {
            let (k, v) = part.split_once('=')?;
            (k == name).then(|| v.trim_matches('"'))
        })
}

impl Respond for DigestServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let challenge = ResponseTemplate::new(401).insert_header(
            "WWW-Authenticate",
            format!(
                "Digest realm=\"{REALM}\", qop=\"auth\", nonce=\"{NONCE}\", opaque=\"{OPAQUE}\""
            ),
        );
        let Some(header) = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        else {
            return challenge;
        };
        let f = |name| field(header, name).unwrap_or_default();
        let uri = match request.url.query() {
            Some(q) => format!("{}?{q}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        let ha1 = md5_hex(&format!("{}:{REALM}:{}", f("username"), self.password));
        let ha2 = md5_hex(&format!("{}:{uri}", request.method));
        let expected = md5_hex(&format!(
            "{ha1}:{NONCE}:{}:{}:auth:{ha2}",
            f("nc"),
            f("cnonce")
        ));
        let valid = f("response") == expected
            && f("uri") == uri
            && f("realm") == REALM
            && f("opaque") == OPAQUE
            && f("qop") == "auth"
            && f("algorithm") == "MD5";
        if valid {
            ResponseTemplate::new(200).set_body_string("welcome")
        } else {
            challenge
        }
    }
}

async fn server(password: &'static str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(DigestServer { password })
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, password: &str) -> Client {
    Client::builder(())
        .var("api-domain", server.uri())
        .secret("digest-user", "Mufasa")
        .secret("digest-password", password)
        .entropy(FixedEntropy::new(1_700_000_000_000, 7))
        .build()
        .unwrap()
}

async fn authorizations(server: &MockServer) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn challenge_then_signed_replay_then_signed_directly() {
    let server = server("Circle Of Life").await;
    let client = client(&server, "Circle Of Life");

    let response = get(&client, &DIGEST, "/dir/index.html?a=1").await.unwrap();
    assert_eq!(response.text().unwrap(), "welcome");
    let sent = authorizations(&server).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0], None, "the first request goes unsigned");
    let first = sent[1].as_deref().unwrap();
    assert!(first.starts_with(&format!(
        "Digest username=\"Mufasa\", realm=\"{REALM}\", nonce=\"{NONCE}\", uri=\"/dir/index.html?a=1\", \
         algorithm=\"MD5\", qop=auth, nc=00000001, cnonce=\""
    )), "{first}");
    let cnonce = field(first, "cnonce").unwrap();
    assert_eq!(cnonce.len(), 8);
    assert!(
        cnonce.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{cnonce}"
    );
    assert!(
        first.ends_with(&format!("\", opaque=\"{OPAQUE}\"")),
        "{first}"
    );

    // The next call is signed at once, with the next nonce count and the same client nonce.
    get(&client, &DIGEST, "/other").await.unwrap();
    let sent = authorizations(&server).await;
    assert_eq!(sent.len(), 3, "{sent:?}");
    let second = sent[2].as_deref().unwrap();
    assert_eq!(field(second, "nc"), Some("00000002"));
    assert_eq!(field(second, "cnonce"), Some(cnonce));
    assert_eq!(field(second, "uri"), Some("/other"));

    // A clone shares the learned nonce.
    get(&client.clone(), &DIGEST, "/other").await.unwrap();
    let sent = authorizations(&server).await;
    assert_eq!(field(sent[3].as_deref().unwrap(), "nc"), Some("00000003"));
}

#[tokio::test]
async fn a_wrong_password_is_replayed_once_then_the_401_is_returned() {
    let server = server("Circle Of Life").await;
    let client = client(&server, "wrong");
    let err = get(&client, &DIGEST, "/dir").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    let sent = authorizations(&server).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[1].is_some());
    // Debug output never shows the password.
    assert!(!format!("{err:?}{client:?}").contains("wrong\""));
}

#[tokio::test]
async fn disable_retry_request_returns_the_challenge() {
    let server = server("Circle Of Life").await;
    let client = client(&server, "Circle Of Life");
    let err = get(&client, &NO_RETRY, "/dir").await.unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(authorizations(&server).await, vec![None]);
}
