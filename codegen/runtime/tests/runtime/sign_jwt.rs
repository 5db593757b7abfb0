//! JWT and ASAP tokens: byte for byte as postman-runtime makes them where signatures are
//! deterministic (HMAC, RSA PKCS#1 v1.5), verified with the public key where they are not.

use postman_codegen_runtime::runtime::{
    AuthSpec, Client, Error, FixedEntropy, Operation, SignKind, SignedSpec,
};
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair, UnparsedPublicKey};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::get;

const RSA_PEM: &str = include_str!("keys/test-rsa-2048.pem");
const P256_PEM: &str = include_str!("keys/test-ec-p256.pem");
const P384_PEM: &str = include_str!("keys/test-ec-p384.pem");
const POSTMAN_TOKENS: &str = include_str!("keys/postman-tokens.txt");
const NOW_MILLIS: i64 = 1_700_000_000_123;

fn postman_token(index: usize) -> &'static str {
    POSTMAN_TOKENS.lines().nth(index).unwrap()
}

macro_rules! op {
    ($name:ident, $kind:ident, [$($k:literal => $v:literal),* $(,)?]) => {
        static $name: Operation = Operation {
            name: concat!("test::", stringify!($name)),
            auth: AuthSpec::Signed(&SignedSpec { kind: SignKind::$kind, params: &[$(($k, $v)),*] }),
        };
    };
}

op!(RS256, Jwt, ["algorithm" => "RS256", "privateKey" => "{{key}}", "header" => r#"{"typ":"JWT"}"#,
    "payload" => r#"{"sub":"s","n":1.50}"#]);
op!(RS512, Jwt, ["algorithm" => "RS512", "privateKey" => "{{key}}", "payload" => "{}"]);
op!(PS256, Jwt, ["algorithm" => "PS256", "privateKey" => "{{key}}", "payload" => r#"{"a":1}"#]);
op!(PS384, Jwt, ["algorithm" => "PS384", "privateKey" => "{{key}}", "payload" => r#"{"a":1}"#]);
op!(PS512, Jwt, ["algorithm" => "PS512", "privateKey" => "{{key}}", "payload" => r#"{"a":1}"#]);
op!(ES256, Jwt, ["algorithm" => "ES256", "privateKey" => "{{key}}", "payload" => r#"{"a":1}"#]);
op!(ES384, Jwt, ["algorithm" => "ES384", "privateKey" => "{{key}}", "payload" => r#"{"a":1}"#]);
op!(HS256, Jwt, ["algorithm" => "HS256", "secret" => "{{key}}", "payload" => r#"{"a":1}"#,
    "addTokenTo" => "queryParam"]);
op!(ASAP_CLAIMS, Asap, ["alg" => "RS256", "kid" => "svc/key1", "iss" => "svc", "aud" => "api",
    "privateKey" => "{{key}}", "claims" => r#"{"jti":"fixed-jti","extra":true}"#]);
op!(ASAP_OVERRIDES, Asap, ["kid" => "svc/key1", "iss" => "svc", "aud" => "api", "sub" => "who",
    "exp" => "60", "privateKey" => "{{key}}", "claims" => r#"{"jti":"j2","iat":1600000000,"aud":"other"}"#]);
op!(ASAP_DATA_URI, Asap, ["kid" => "svc/key1", "iss" => "svc", "aud" => "api",
    "privateKey" => "{{key}}", "claims" => r#"{"jti":"j3"}"#]);
op!(ASAP_DEFAULTS, Asap, ["kid" => "k", "iss" => "svc", "aud" => "api", "privateKey" => "{{key}}"]);
op!(ASAP_NO_AUD, Asap, ["kid" => "k", "iss" => "svc", "privateKey" => "{{key}}"]);

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, key: &str) -> Client {
    Client::builder(())
        .var("api-domain", server.uri())
        .secret("key", key)
        .entropy(FixedEntropy::new(NOW_MILLIS, 11))
        .build()
        .unwrap()
}

/// The token the server received in `Authorization: Bearer …` (or the `token` query parameter).
async fn token(op: &'static Operation, key: &str) -> String {
    let server = server().await;
    get(&client(&server, key), op, "/a").await.unwrap();
    let request = server.received_requests().await.unwrap().pop().unwrap();
    match request.headers.get("authorization") {
        Some(v) => v
            .to_str()
            .unwrap()
            .strip_prefix("Bearer ")
            .unwrap()
            .to_owned(),
        None => request
            .url
            .query_pairs()
            .find(|(k, _)| k == "token")
            .unwrap()
            .1
            .into_owned(),
    }
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    decode_base64url(&body.replace('+', "-").replace('/', "_"))
}

fn decode_base64url(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for b in s.bytes().take_while(|b| *b != b'=') {
        acc = (acc << 6) | ALPHABET.iter().position(|a| *a == b).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Split a token and check its signature with `public_key` under `algorithm`.
fn verify(
    token: &str,
    algorithm: &'static dyn signature::VerificationAlgorithm,
    public_key: &[u8],
) -> (String, String) {
    let (input, sig) = token.rsplit_once('.').unwrap();
    UnparsedPublicKey::new(algorithm, public_key)
        .verify(input.as_bytes(), &decode_base64url(sig))
        .unwrap_or_else(|_| panic!("bad signature: {token}"));
    let (header, payload) = input.split_once('.').unwrap();
    (
        String::from_utf8(decode_base64url(header)).unwrap(),
        String::from_utf8(decode_base64url(payload)).unwrap(),
    )
}

fn rsa_public() -> Vec<u8> {
    RsaKeyPair::from_pkcs8(&pem_der(RSA_PEM))
        .unwrap()
        .public()
        .as_ref()
        .to_vec()
}

#[tokio::test]
async fn rsa_pkcs1_tokens_match_postman() {
    assert_eq!(token(&RS256, RSA_PEM).await, postman_token(0));
    assert_eq!(token(&RS512, RSA_PEM).await, postman_token(1));
    let (header, payload) = verify(
        postman_token(0),
        &signature::RSA_PKCS1_2048_8192_SHA256,
        &rsa_public(),
    );
    assert_eq!(
        (header.as_str(), payload.as_str()),
        (r#"{"typ":"JWT","alg":"RS256"}"#, r#"{"sub":"s","n":1.5}"#)
    );
}

#[tokio::test]
async fn pss_and_ecdsa_tokens_verify() {
    let rsa = rsa_public();
    for (op, alg, algorithm) in [
        (&PS256, "PS256", &signature::RSA_PSS_2048_8192_SHA256),
        (&PS384, "PS384", &signature::RSA_PSS_2048_8192_SHA384),
        (&PS512, "PS512", &signature::RSA_PSS_2048_8192_SHA512),
    ] {
        let (header, payload) = verify(&token(op, RSA_PEM).await, algorithm, &rsa);
        assert_eq!(header, format!(r#"{{"alg":"{alg}"}}"#));
        assert_eq!(payload, r#"{"a":1}"#);
    }
    let rng = ring::rand::SystemRandom::new();
    for (op, pem, signing, verifying) in [
        (
            &ES256,
            P256_PEM,
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &signature::ECDSA_P256_SHA256_FIXED,
        ),
        (
            &ES384,
            P384_PEM,
            &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            &signature::ECDSA_P384_SHA384_FIXED,
        ),
    ] {
        let public = EcdsaKeyPair::from_pkcs8(signing, &pem_der(pem), &rng)
            .unwrap()
            .public_key()
            .as_ref()
            .to_vec();
        verify(&token(op, pem).await, verifying, &public);
    }
}

#[tokio::test]
async fn hmac_token_in_the_query() {
    let token = token(&HS256, "secret").await;
    verify_hmac(&token, b"secret");
}

fn verify_hmac(token: &str, secret: &[u8]) {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    ring::hmac::verify(&key, input.as_bytes(), &decode_base64url(sig)).unwrap();
}

#[tokio::test]
async fn a_key_of_the_wrong_kind_is_a_config_error() {
    let server = server().await;
    let err = get(&client(&server, P256_PEM), &RS256, "/a")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.starts_with("test::RS256: jwt auth:")),
        "{err:?}"
    );
    assert!(!format!("{err:?}").contains("PRIVATE KEY"), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn asap_tokens_match_postman() {
    assert_eq!(token(&ASAP_CLAIMS, RSA_PEM).await, postman_token(2));
    assert_eq!(token(&ASAP_OVERRIDES, RSA_PEM).await, postman_token(3));
    let data_uri = format!("data:application/pkcs8;kid=svc%2Fkey1;base64,{}", {
        let body: String = RSA_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        body
    });
    assert_eq!(token(&ASAP_DATA_URI, &data_uri).await, postman_token(4));
}

#[tokio::test]
async fn asap_default_claims() {
    let (header, payload) = verify(
        &token(&ASAP_DEFAULTS, RSA_PEM).await,
        &signature::RSA_PKCS1_2048_8192_SHA256,
        &rsa_public(),
    );
    assert_eq!(header, r#"{"alg":"RS256","kid":"k"}"#);
    let claims: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let keys: Vec<&str> = claims
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["iat", "iss", "sub", "jti", "aud", "exp"]);
    assert_eq!(claims["iat"], 1_700_000_000);
    assert_eq!(claims["exp"], 1_700_003_600);
    assert_eq!(claims["iss"], "svc");
    assert_eq!(claims["sub"], "svc");
    assert_eq!(claims["aud"], "api");
    let jti = claims["jti"].as_str().unwrap();
    assert_eq!((jti.len(), &jti[14..15]), (36, "4"), "{jti}");

    let server = server().await;
    let err = get(&client(&server, RSA_PEM), &ASAP_NO_AUD, "/a")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("test::ASAP_NO_AUD: asap auth:")),
        "{err:?}"
    );
}
