//! OAuth 1.0a signing: the published examples (OAuth Core 1.0 appendix A, RFC 5849 section 3.4,
//! Twitter's "Creating a signature"), and the other methods, placements and quirks against
//! values Postman produces.
//!
//! Values marked "Postman:" were produced by running postman-runtime 7.x's
//! `lib/authorizer/oauth1.js` `sign()` (node-oauth1 1.3.0) from `tests/newman/node_modules` in
//! Node on a postman-collection `Request` with the same parameters (nonce and timestamp pinned),
//! and printing `request.url.toString()`, the `Authorization` header and the urlencoded body.

use hmac::{Hmac, KeyInit, Mac};
use postman_codegen_runtime::runtime::auth::base64;
use postman_codegen_runtime::runtime::{Error, SignKind, SignedSpec};
use reqwest::Request;

use crate::signing::{authorization, body_text, request, sign_with};

static SPEC: SignedSpec = SignedSpec {
    kind: SignKind::OAuth1,
    params: &[],
};

const PKCS8: &str = include_str!("keys/test_rsa_pkcs8.pem");
const PKCS1: &str = include_str!("keys/test_rsa_pkcs1.pem");

fn signed(pairs: &[(&'static str, &str)], mut request: Request) -> Request {
    sign_with(&SPEC, pairs, 1_700_000_000_000, &mut request).expect("signs");
    request
}

fn hmac_sha1(key: &str, data: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    base64(&mac.finalize().into_bytes())
}

/// `oauth_signature` of an `Authorization: OAuth ...` header, percent-decoded.
fn header_signature(header: &str) -> String {
    let encoded = header
        .split(',')
        .find_map(|f| f.strip_prefix("oauth_signature=\""))
        .and_then(|f| f.strip_suffix('"'))
        .expect("a signature field");
    encoded
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=")
}

/// The parameters every Postman-produced case below shares.
const BASE: [(&str, &str); 7] = [
    ("consumerKey", "ck-1"),
    ("consumerSecret", "cs secret!"),
    ("token", "tok-1"),
    ("tokenSecret", "ts/2"),
    ("timestamp", "1700000000"),
    ("nonce", "n0Nce123"),
    ("version", "1.0"),
];

fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut pairs: Vec<_> = BASE
        .iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .copied()
        .collect();
    pairs.extend_from_slice(extra);
    pairs
}

const JSON_BODY: &str = r#"{"name":"Ann","tags":["x y"]}"#;

#[test]
fn oauth_core_photos_example() {
    // OAuth Core 1.0 appendix A.5: base string (A.5.1) and signature (A.5.2).
    const BASE_STRING: &str = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal";
    assert_eq!(
        hmac_sha1("kd94hf93k423kf44&pfkkdhi9sl3r4s00", BASE_STRING),
        "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
    );
    let pairs = [
        ("consumerKey", "dpf43f3p2l4k3l03"),
        ("consumerSecret", "kd94hf93k423kf44"),
        ("token", "nnch734d00sl2jdk"),
        ("tokenSecret", "pfkkdhi9sl3r4s00"),
        ("signatureMethod", "HMAC-SHA1"),
        ("timestamp", "1191242096"),
        ("nonce", "kllo9940pd9333jh"),
        ("version", "1.0"),
        ("addParamsToHeader", "true"),
        ("realm", "http://photos.example.net/"),
    ];
    let url = "http://photos.example.net/photos?file=vacation.jpg&size=original";
    let req = signed(&pairs, request("GET", url, &[], None));
    // Postman: the same header.
    assert_eq!(
        authorization(&req),
        r#"OAuth realm="http%3A%2F%2Fphotos.example.net%2F",oauth_consumer_key="dpf43f3p2l4k3l03",oauth_token="nnch734d00sl2jdk",oauth_signature_method="HMAC-SHA1",oauth_timestamp="1191242096",oauth_nonce="kllo9940pd9333jh",oauth_version="1.0",oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D""#
    );
    assert_eq!(req.url().as_str(), url);
}

#[test]
fn rfc5849_base_string_example() {
    // RFC 5849 section 3.4.1.1: query with escapes, an empty value, a form body `c2&a3=2+q`
    // (a name without `=`, a `+` for a space), realm only in the header, no version.
    const BASE_STRING: &str = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";
    let pairs = [
        ("consumerKey", "9djdj82h48djs9d2"),
        ("consumerSecret", "j49sk3j29djd"),
        ("token", "kkk9d7dh3k39sjv7"),
        ("tokenSecret", "dh893hdasih9"),
        ("signatureMethod", "HMAC-SHA1"),
        ("timestamp", "137131201"),
        ("nonce", "7d8f3e4a"),
        ("realm", "Example"),
        ("addParamsToHeader", "true"),
    ];
    let req = signed(
        &pairs,
        request(
            "POST",
            "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            &[("content-type", "application/x-www-form-urlencoded")],
            Some("c2&a3=2+q"),
        ),
    );
    let header = authorization(&req);
    assert!(header.starts_with(r#"OAuth realm="Example",oauth_consumer_key="9djdj82h48djs9d2",oauth_token="kkk9d7dh3k39sjv7",oauth_signature_method="HMAC-SHA1",oauth_timestamp="137131201",oauth_nonce="7d8f3e4a",oauth_signature=""#), "{header}");
    assert_eq!(
        header_signature(header),
        hmac_sha1("j49sk3j29djd&dh893hdasih9", BASE_STRING)
    );
    assert_eq!(
        body_text(&req),
        "c2&a3=2+q",
        "with a header, the body is left alone"
    );
}

#[test]
fn twitter_signature_example() {
    // Twitter developer docs, "Creating a signature": signature hCtSmYh+iHYCEqBWrE7C7hYmtUk=.
    let pairs = [
        ("consumerKey", "xvz1evFS4wEEPTGEFPHBog"),
        (
            "consumerSecret",
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        ),
        (
            "token",
            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        ),
        ("tokenSecret", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"),
        ("signatureMethod", "HMAC-SHA1"),
        ("timestamp", "1318622958"),
        ("nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
        ("version", "1.0"),
        ("addParamsToHeader", "true"),
    ];
    let req = signed(
        &pairs,
        request(
            "POST",
            "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
            &[("content-type", "application/x-www-form-urlencoded")],
            Some("status=Hello+Ladies+%2B+Gentlemen%2C+a+signed+OAuth+request%21"),
        ),
    );
    // Postman: the same header.
    assert_eq!(
        authorization(&req),
        r#"OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog",oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",oauth_signature_method="HMAC-SHA1",oauth_timestamp="1318622958",oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",oauth_version="1.0",oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D""#
    );
}

#[test]
fn hmac_sha256_in_the_query_reencodes_it() {
    let req = signed(
        &with(&[("signatureMethod", "HMAC-SHA256")]),
        request(
            "GET",
            "https://Api.Example.com:8443/v1/items?q=a+b&tilde=%7E&star=*&flag&empty=",
            &[],
            None,
        ),
    );
    // Postman (its URL keeps the host's case; reqwest lower-cases it).
    assert_eq!(
        req.url().as_str(),
        "https://api.example.com:8443/v1/items?q=a%20b&tilde=~&star=%2A&flag&empty=&oauth_consumer_key=ck-1&oauth_token=tok-1&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000&oauth_nonce=n0Nce123&oauth_version=1.0&oauth_signature=VnuxMkkXqC3Gd9qzdAkN8AbOAVHYtM%2F5QjZG6dWinYc%3D"
    );
    assert_eq!(authorization(&req), "");
}

#[test]
fn hmac_sha512_header_with_body_hash_realm_callback_and_verifier() {
    let req = signed(
        &with(&[
            ("signatureMethod", "HMAC-SHA512"),
            ("addParamsToHeader", "true"),
            ("includeBodyHash", "true"),
            ("realm", "Photos Realm"),
            ("callback", "https://cb.example/ret?x=1"),
            ("verifier", "v 123"),
        ]),
        request(
            "POST",
            "http://example.com:80/upload",
            &[("content-type", "application/json")],
            Some(JSON_BODY),
        ),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"OAuth realm="Photos%20Realm",oauth_consumer_key="ck-1",oauth_token="tok-1",oauth_signature_method="HMAC-SHA512",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_version="1.0",oauth_body_hash="%2FY6n7B%2BNv%2F1E9OT7NtV8FUr1ZDGWZT2t8wlZzuJuh%2BVRrOVX%2FOMRsgv5HVE2SXaM8bpIhtWrntaC9b50OBIWIA%3D%3D",oauth_callback="https%3A%2F%2Fcb.example%2Fret%3Fx%3D1",oauth_verifier="v%20123",oauth_signature="Sp7MunNHbxp67uqTOh4t%2BajK326P7q%2B3%2FyBUpaWQxksuCgO2nqQVteyheaAmYbpnre74yIKFhpPRnzVx0vkjPA%3D%3D""#
    );
    assert_eq!(body_text(&req), JSON_BODY);
    assert_eq!(req.url().as_str(), "http://example.com/upload");
}

#[test]
fn plaintext_signature_is_the_encoded_key() {
    let req = signed(
        &with(&[
            ("signatureMethod", "PLAINTEXT"),
            ("addParamsToHeader", "true"),
        ]),
        request("GET", "https://example.com/", &[], None),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"OAuth oauth_consumer_key="ck-1",oauth_token="tok-1",oauth_signature_method="PLAINTEXT",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_version="1.0",oauth_signature="cs%2520secret%2521%26ts%252F2""#
    );
}

#[test]
fn rsa_sha1_with_a_pkcs8_key() {
    let req = signed(
        &with(&[
            ("consumerSecret", ""),
            ("tokenSecret", ""),
            ("privateKey", PKCS8),
            ("signatureMethod", "RSA-SHA1"),
            ("addParamsToHeader", "true"),
        ]),
        request("GET", "https://example.com/photos?size=original", &[], None),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"OAuth oauth_consumer_key="ck-1",oauth_token="tok-1",oauth_signature_method="RSA-SHA1",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_version="1.0",oauth_signature="P1uCQGA%2BRA8k0%2B%2BGx8puDCJyDhT%2BDp0rlGRe%2Fn%2FHwq11%2BQjOJSs9EszGfvYXbtlMsnEKT9TVJQsDOslFanOdVPo3XguJzUWEHJxMYJgtb0wWzosHykWmCiDnBf%2B5WnGmEx2Pu8LycepkZ3w%2FT3P6R3Ns2RsKt8ygIx9kaiIeZhevnsYbUdD7z7%2B4iHY473DJk6%2B8j3YfnVnIVS9Ejr5emddl4xoDVL%2BixubvQ%2FE89l4arWRw2XyY%2FrbhrpU8oRMtLlzHqXHXn56P0%2Fu%2FoWc2kUZeRo%2Fge7URv4WNPf8bMjX%2FvzPRIY9Wrpjn0vUbj8iC5j9AVNzYDiTiNTJZwfXDCA%3D%3D""#
    );
}

#[test]
fn rsa_sha256_with_a_pkcs1_key_and_body_hash() {
    let req = signed(
        &with(&[
            ("consumerSecret", ""),
            ("privateKey", PKCS1),
            ("signatureMethod", "RSA-SHA256"),
            ("addParamsToHeader", "true"),
            ("includeBodyHash", "true"),
        ]),
        request(
            "PUT",
            "https://example.com/doc",
            &[("content-type", "application/json")],
            Some(JSON_BODY),
        ),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"OAuth oauth_consumer_key="ck-1",oauth_token="tok-1",oauth_signature_method="RSA-SHA256",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_version="1.0",oauth_body_hash="kjrO0gcZf3YiMdnDCMPiNYdN4%2B1B3tIJhfDQ0YV3Iks%3D",oauth_signature="er7WrwNGf%2F9PZzBY3LfrOCEuyRHh4fJXz1eiNlLJRoVS%2BAk%2BUe3ISFzxrCgJQ3IJa6IxDLKgsG2oFfUnBWtv8emFCJyqGtkgBIttat31Kkg0PhtOLK5BbwhbOCwFHCTkQYSBHZO4EweOKtghI5RSH11M6Jp9Tkp1Lwth1r1ZBRhuyCdcHGT59l10YFRRKolAL9q97OU7fzKif1UkZQvLl7x5D855v3FMHSJu3qjQfTvDpsAfZk9tn3HTo4ce%2FrdzAPzyHBWBobdYM9bgGCxLoK4G%2FsdJV2hhPBh7ayoUeGLMbOZTuO8LbZvZ2yDcj%2B8ShuaOUZ7WotW0MKkZRt4Evg%3D%3D""#
    );
}

#[test]
fn rsa_sha512_in_the_query() {
    let req = signed(
        &with(&[("privateKey", PKCS8), ("signatureMethod", "RSA-SHA512")]),
        request("DELETE", "https://example.com/doc/7", &[], None),
    );
    // Postman.
    assert_eq!(
        req.url().as_str(),
        "https://example.com/doc/7?oauth_consumer_key=ck-1&oauth_token=tok-1&oauth_signature_method=RSA-SHA512&oauth_timestamp=1700000000&oauth_nonce=n0Nce123&oauth_version=1.0&oauth_signature=O7iCqA3VG3TtkwAf0TwuBBrOz1i3JiEdT8luhUHMZ36T7ejBy0pE23Vdyb6suNk8yRJKXneKwJGzeu6QNie92CwERBaujvPzSdX2LahuQOBJgc87FrxSulE2e2hAdDQkWLYD5BkWopRq9JPK78lVeTF04JL26VWQkQfGeB1ciKJ7bXCIzOXL4L40ZCEJNqLqsFFeKGuPPh%2FJAhW7jpEQkybhXu8Y959eNxXseJaP3Xuqd5t5FkdrXB%2B4cy1j0pTv9Hrjf5ILRtaTvX1qkxm0z8xbK7J4EcG88xHN1xSrVS1WPjZoprbP0%2FUhVN%2FXE4EQYbNtZNRecFPUEfZ7bGF6qQ%3D%3D"
    );
}

#[test]
fn post_with_a_form_body_gets_the_parameters_in_the_body() {
    let req = signed(
        &with(&[("signatureMethod", "HMAC-SHA1")]),
        request(
            "POST",
            "https://example.com/form?page=2",
            &[("content-type", "application/x-www-form-urlencoded")],
            Some("name=Ann+Lee&oauth_token=stale&note=a%2Bb%3Dc"),
        ),
    );
    // Postman: fields name, note, then the OAuth ones; signature fre68/Y32wGzpcahEZrnaajaY0w=.
    assert_eq!(
        body_text(&req),
        "name=Ann+Lee&note=a%2Bb%3Dc&oauth_consumer_key=ck-1&oauth_token=tok-1&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_nonce=n0Nce123&oauth_version=1.0&oauth_signature=fre68%2FY32wGzpcahEZrnaajaY0w%3D"
    );
    assert_eq!(req.url().as_str(), "https://example.com/form?page=2");
    assert_eq!(authorization(&req), "");
}

#[test]
fn empty_parameters_are_signed_when_asked_but_never_sent() {
    let req = signed(
        &with(&[
            ("token", ""),
            ("version", ""),
            ("signatureMethod", "HMAC-SHA1"),
            ("addEmptyParamsToSign", "true"),
            ("addParamsToHeader", "true"),
        ]),
        request("GET", "https://example.com/x", &[], None),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"OAuth oauth_consumer_key="ck-1",oauth_signature_method="HMAC-SHA1",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_signature="EjMh40bj0XR6%2Fc2E%2Ff80qZ1x9X8%3D""#
    );
}

#[test]
fn an_empty_method_signs_hmac_sha1_without_sending_the_method() {
    let req = signed(
        &with(&[("signatureMethod", ""), ("addParamsToHeader", "true")]),
        request("GET", "https://example.com/x", &[], None),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"OAuth oauth_consumer_key="ck-1",oauth_token="tok-1",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_version="1.0",oauth_signature="2tZzQ1U8Yvvs%2BOT4zIn4fM8HaL0%3D""#
    );
}

#[test]
fn blank_parameters_and_stale_oauth_query_parameters_are_dropped() {
    let req = signed(
        &with(&[
            ("token", "  "),
            ("version", ""),
            ("signatureMethod", "HMAC-SHA1"),
        ]),
        request(
            "GET",
            "https://example.com/x?oauth_nonce=old&keep=1",
            &[("authorization", "Bearer stale")],
            None,
        ),
    );
    // Postman.
    assert_eq!(
        req.url().as_str(),
        "https://example.com/x?keep=1&oauth_consumer_key=ck-1&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_nonce=n0Nce123&oauth_signature=yd3do6lwulMg741wWqgH15MIETE%3D"
    );
    assert_eq!(
        authorization(&req),
        "",
        "the old Authorization header is removed"
    );
}

#[test]
fn header_encoding_can_be_disabled_and_port_443_is_dropped_on_http() {
    let req = signed(
        &with(&[
            ("consumerKey", "ck key"),
            ("signatureMethod", "HMAC-SHA1"),
            ("addParamsToHeader", "true"),
            ("disableHeaderEncoding", "true"),
            ("realm", "r e"),
        ]),
        request("GET", "http://example.com:443/x", &[], None),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"OAuth realm="r e",oauth_consumer_key="ck key",oauth_token="tok-1",oauth_signature_method="HMAC-SHA1",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_version="1.0",oauth_signature="8z5NGUrT2FZqu6ZagWrMZjYij6c=""#
    );
}

#[test]
fn body_hash_without_a_body_is_the_hash_of_nothing() {
    let req = signed(
        &with(&[
            ("signatureMethod", "HMAC-SHA256"),
            ("includeBodyHash", "true"),
        ]),
        request("GET", "https://example.com/x", &[], None),
    );
    // Postman.
    assert_eq!(
        req.url().as_str(),
        "https://example.com/x?oauth_consumer_key=ck-1&oauth_token=tok-1&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000&oauth_nonce=n0Nce123&oauth_version=1.0&oauth_body_hash=47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3hSuFU%3D&oauth_signature=W5dzg%2FnB%2FETJX%2BqKnJ%2BYwxqTnl8sMBOX6PK9nhJme6E%3D"
    );
}

#[test]
fn nonce_and_timestamp_come_from_the_entropy_source() {
    let pairs = [
        ("consumerKey", "ck"),
        ("consumerSecret", "cs"),
        ("signatureMethod", "HMAC-SHA1"),
        ("addParamsToHeader", "true"),
    ];
    let one = signed(&pairs, request("GET", "https://example.com/", &[], None));
    let again = signed(&pairs, request("GET", "https://example.com/", &[], None));
    let header = authorization(&one);
    assert_eq!(
        header,
        authorization(&again),
        "the same seed and clock sign the same"
    );
    assert!(
        header.contains(r#"oauth_timestamp="1700000000""#),
        "{header}"
    );
    let nonce = header
        .split(',')
        .find_map(|f| f.strip_prefix("oauth_nonce=\""))
        .and_then(|f| f.strip_suffix('"'))
        .expect("a nonce");
    const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXTZabcdefghiklmnopqrstuvwxyz";
    assert_eq!(nonce.len(), 11, "{nonce}");
    assert!(nonce.chars().all(|c| ALPHABET.contains(c)), "{nonce}");
}

#[test]
fn nothing_is_signed_without_the_key_and_its_secret() {
    for pairs in [
        vec![
            ("consumerKey", ""),
            ("consumerSecret", "cs"),
            ("signatureMethod", "HMAC-SHA1"),
        ],
        vec![
            ("consumerKey", "ck"),
            ("consumerSecret", ""),
            ("signatureMethod", "HMAC-SHA1"),
        ],
        vec![
            ("consumerKey", "ck"),
            ("consumerSecret", "cs"),
            ("signatureMethod", "RSA-SHA256"),
        ],
    ] {
        let req = signed(
            &pairs,
            request(
                "GET",
                "https://example.com/?a=1",
                &[("authorization", "Basic x")],
                None,
            ),
        );
        assert_eq!(req.url().as_str(), "https://example.com/?a=1");
        assert_eq!(
            authorization(&req),
            "Basic x",
            "an unsigned request is left as it was"
        );
    }
}

#[test]
fn errors_name_the_operation_and_not_the_secrets() {
    let mut req = request("GET", "https://example.com/", &[], None);
    let err = sign_with(
        &SPEC,
        &[
            ("consumerKey", "ck"),
            ("consumerSecret", "hunter2"),
            ("signatureMethod", "HMAC-MD5"),
        ],
        0,
        &mut req,
    )
    .unwrap_err();
    let Error::Config(message) = err else {
        panic!("a config error")
    };
    assert!(
        message.starts_with("test::signed: oauth1 auth: unsupported signature method `HMAC-MD5`"),
        "{message}"
    );
    assert!(!message.contains("hunter2"));

    let mut req = request("GET", "https://example.com/", &[], None);
    let err = sign_with(
        &SPEC,
        &[
            ("consumerKey", "ck"),
            ("privateKey", "not-a-key-s3cret"),
            ("signatureMethod", "RSA-SHA1"),
        ],
        0,
        &mut req,
    )
    .unwrap_err();
    let Error::Config(message) = err else {
        panic!("a config error")
    };
    assert!(
        message.starts_with("test::signed: oauth1 auth: the private key is not"),
        "{message}"
    );
    assert!(!message.contains("s3cret"));
}

#[test]
fn non_ascii_and_reserved_characters_are_encoded_as_node_oauth1_does() {
    let base = [
        ("consumerKey", "ck-ü"),
        ("consumerSecret", "sëcret"),
        ("token", "tok 1"),
        ("tokenSecret", "ts*2"),
        ("timestamp", "1700000000"),
        ("nonce", "n0Nce123"),
        ("version", "1.0"),
    ];
    let mut pairs = base.to_vec();
    pairs.extend([
        ("signatureMethod", "HMAC-SHA1"),
        ("addParamsToHeader", "true"),
        ("realm", "ré alm"),
        ("callback", "oob"),
    ]);
    let req = signed(
        &pairs,
        request(
            "GET",
            "https://example.com/p%C3%A4th/x?name=J%C3%BCrgen&emoji=%F0%9F%98%80&sp=%20x&plus=a%2Bb&q=%3D%26&t=~!*'()",
            &[],
            None,
        ),
    );
    // Postman.
    assert_eq!(
        req.url().as_str(),
        "https://example.com/p%C3%A4th/x?name=J%C3%BCrgen&emoji=%F0%9F%98%80&sp=%20x&plus=a%2Bb&q=%3D%26&t=~%21%2A%27%28%29"
    );
    assert_eq!(
        authorization(&req),
        r#"OAuth realm="r%C3%A9%20alm",oauth_consumer_key="ck-%C3%BC",oauth_token="tok%201",oauth_signature_method="HMAC-SHA1",oauth_timestamp="1700000000",oauth_nonce="n0Nce123",oauth_version="1.0",oauth_callback="oob",oauth_signature="MMEEseBNc5JBRAgWD5tVVcWuTA4%3D""#
    );

    let mut pairs = base.to_vec();
    pairs.push(("signatureMethod", "HMAC-SHA256"));
    let req = signed(
        &pairs,
        request(
            "PUT",
            "https://example.com/f",
            &[("content-type", "application/x-www-form-urlencoded")],
            Some("n%C3%A4me=J%C3%BCrgen+%F0%9F%98%80&x=%21*%27%28%29%7E"),
        ),
    );
    // Postman: signature 3ez/0UdoFwPrl6axD9mHAE+OjsktXtaanHykLYd+z/w= appended to the form (in
    // the body's own encoding).
    assert_eq!(
        body_text(&req),
        "n%C3%A4me=J%C3%BCrgen+%F0%9F%98%80&x=%21*%27%28%29%7E&oauth_consumer_key=ck-%C3%BC&oauth_token=tok+1&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000&oauth_nonce=n0Nce123&oauth_version=1.0&oauth_signature=3ez%2F0UdoFwPrl6axD9mHAE%2BOjsktXtaanHykLYd%2Bz%2Fw%3D"
    );
}
