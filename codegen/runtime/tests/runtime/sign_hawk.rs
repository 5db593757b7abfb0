//! Hawk signing: the Hawk specification's examples (header and payload), and sha1, `app`/`dlg`,
//! escapes and parameter handling against values Postman produces.
//!
//! Values marked "Postman:" were produced by running postman-runtime 7.x's
//! `lib/authorizer/hawk.js` `sign()` (with postman-request's `lib/hawk.js`) from
//! `tests/newman/node_modules` in Node on a postman-collection `Request` with the same
//! parameters (nonce and timestamp pinned), and printing the `Authorization` header.

use postman_codegen_runtime::runtime::{SignKind, SignedSpec};
use reqwest::Request;

use crate::signing::{authorization, request, sign_with};

static SPEC: SignedSpec = SignedSpec {
    kind: SignKind::Hawk,
    params: &[],
};

/// The credentials of the Hawk specification's examples.
const ID: (&str, &str) = ("authId", "dh37fgj492je");
const KEY: (&str, &str) = ("authKey", "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn");

fn signed(pairs: &[(&'static str, &str)], mut request: Request) -> Request {
    sign_with(&SPEC, pairs, 1_700_000_000_999, &mut request).expect("signs");
    request
}

#[test]
fn hawk_specification_header_example() {
    let pairs = [
        ID,
        KEY,
        ("algorithm", "sha256"),
        ("timestamp", "1353832234"),
        ("nonce", "j4h3g2"),
        ("extraData", "some-app-ext-data"),
    ];
    let req = signed(
        &pairs,
        request(
            "GET",
            "http://example.com:8000/resource/1?b=1&a=2",
            &[],
            None,
        ),
    );
    assert_eq!(
        authorization(&req),
        r#"Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", ext="some-app-ext-data", mac="6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE=""#
    );
}

#[test]
fn hawk_specification_payload_example() {
    let pairs = [
        ID,
        KEY,
        ("algorithm", "sha256"),
        ("timestamp", "1353832234"),
        ("nonce", "j4h3g2"),
        ("extraData", "some-app-ext-data"),
        ("includePayloadHash", "true"),
    ];
    let req = signed(
        &pairs,
        request(
            "POST",
            "http://example.com:8000/resource/1?b=1&a=2",
            &[("content-type", "text/plain")],
            Some("Thank you for flying Hawk"),
        ),
    );
    assert_eq!(
        authorization(&req),
        r#"Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", hash="Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=", ext="some-app-ext-data", mac="aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw=""#
    );
}

#[test]
fn sha1_with_app_delegation_and_escaped_ext() {
    let pairs = [
        ID,
        KEY,
        ("algorithm", "sha1"),
        ("timestamp", "1700000000"),
        ("nonce", "Ab12Cd"),
        ("extraData", r#"say "hi" \ and \ bye"#),
        ("app", "my-app"),
        ("delegation", "dlg-1"),
    ];
    let req = signed(
        &pairs,
        request(
            "GET",
            "https://API.example.com/a%20b/c?x=1&y=a+b",
            &[],
            None,
        ),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"Hawk id="dh37fgj492je", ts="1700000000", nonce="Ab12Cd", ext="say \"hi\" \\ and \\ bye", mac="mXHdaITOqt1a0PwbxbMt7BMwyJE=", app="my-app", dlg="dlg-1""#
    );
}

#[test]
fn sha1_payload_hash_uses_the_bare_lower_case_content_type() {
    let pairs = [
        ID,
        KEY,
        ("algorithm", "sha1"),
        ("timestamp", "1700000000"),
        ("nonce", "Ab12Cd"),
        ("includePayloadHash", "true"),
        ("app", "only-app"),
    ];
    let req = signed(
        &pairs,
        request(
            "PUT",
            "https://example.com/items/9",
            &[("content-type", "Application/JSON; charset=utf-8")],
            Some(r#"{"a":1}"#),
        ),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"Hawk id="dh37fgj492je", ts="1700000000", nonce="Ab12Cd", hash="1Rfk446lhoFmJQTGasZ3HmR8jNM=", mac="ViM7pS8UntzXUVwmfuqBlZUPUTc=", app="only-app""#
    );
}

#[test]
fn no_payload_hash_without_a_body() {
    let pairs = [
        ID,
        KEY,
        ("algorithm", "sha256"),
        ("timestamp", "1700000000"),
        ("nonce", "Ab12Cd"),
        ("includePayloadHash", "true"),
    ];
    let req = signed(&pairs, request("POST", "https://example.com/", &[], None));
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"Hawk id="dh37fgj492je", ts="1700000000", nonce="Ab12Cd", mac="V+AGartv0bAJugksTbp9jlon8FP7UKWMwicpTp+B7Ws=""#
    );
}

#[test]
fn a_timestamp_starting_with_a_number_is_sent_as_written() {
    let pairs = [
        ID,
        KEY,
        ("algorithm", "sha256"),
        ("timestamp", "1700000000abc"),
        ("nonce", "Ab12Cd"),
    ];
    let req = signed(
        &pairs,
        request("GET", "http://127.0.0.1:3000/p?", &[], None),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"Hawk id="dh37fgj492je", ts="1700000000abc", nonce="Ab12Cd", mac="oYeTwoS8Om4hb2Jzig9JOpj9gL7vJydP0uU1Vjo4xnQ=""#
    );
}

#[test]
fn an_unknown_algorithm_sends_an_empty_header() {
    let pairs = [
        ID,
        KEY,
        ("algorithm", "sha512"),
        ("timestamp", "1700000000"),
        ("nonce", "Ab12Cd"),
    ];
    let req = signed(
        &pairs,
        request(
            "GET",
            "https://example.com/",
            &[("authorization", "Bearer old")],
            None,
        ),
    );
    // Postman: an empty Authorization header.
    assert_eq!(
        req.headers()
            .get_all("authorization")
            .iter()
            .collect::<Vec<_>>(),
        [""]
    );
}

#[test]
fn nonce_and_timestamp_come_from_the_entropy_source() {
    for timestamp in ["", "0", "abc", "-0"] {
        let pairs = [ID, KEY, ("algorithm", "sha256"), ("timestamp", timestamp)];
        let one = signed(&pairs, request("GET", "https://example.com/", &[], None));
        let again = signed(&pairs, request("GET", "https://example.com/", &[], None));
        let header = authorization(&one);
        assert_eq!(
            header,
            authorization(&again),
            "the same seed and clock sign the same"
        );
        assert!(
            header.contains(r#"ts="1700000000""#),
            "floor of seconds: {header}"
        );
        let nonce = header
            .split(", ")
            .find_map(|f| f.strip_prefix("nonce=\""))
            .and_then(|f| f.strip_suffix('"'))
            .expect("a nonce");
        assert_eq!(nonce.len(), 6, "{nonce}");
        assert!(nonce.chars().all(|c| c.is_ascii_alphanumeric()), "{nonce}");
    }
}

#[test]
fn nothing_is_signed_without_id_and_key() {
    for pairs in [
        [("authId", ""), KEY, ("algorithm", "sha256")],
        [ID, ("authKey", ""), ("algorithm", "sha256")],
    ] {
        let req = signed(
            &pairs,
            request(
                "GET",
                "https://example.com/",
                &[("authorization", "Basic x")],
                None,
            ),
        );
        assert_eq!(authorization(&req), "Basic x");
    }
}

#[test]
fn a_urlencoded_body_is_hashed_as_postman_re_encodes_it() {
    // Postman hashes `encodeQueryString` of the form as a JavaScript object: array-index names
    // first, a repeated name grouped at its first place, RFC 3986 encoding. Here the text is
    // `2=two&10=ten&name=Ann%20Lee&tag=a%2Ab&tag=c~d&07=x`.
    let pairs = [
        ("authId", "id-1"),
        ("authKey", "key-1"),
        ("algorithm", "sha256"),
        ("nonce", "Ab12Cd"),
        ("timestamp", "1700000000"),
        ("includePayloadHash", "true"),
    ];
    let req = signed(
        &pairs,
        request(
            "POST",
            "https://example.com/f",
            &[("content-type", "application/x-www-form-urlencoded")],
            Some("name=Ann+Lee&10=ten&tag=a*b&2=two&tag=c%7Ed&07=x"),
        ),
    );
    // Postman.
    assert_eq!(
        authorization(&req),
        r#"Hawk id="id-1", ts="1700000000", nonce="Ab12Cd", hash="77Q/gs1BYaPGz08vPnal3suhMzVR2YlWbrGxt9HaGqY=", mac="K82RjxRq0SggVauyltnNXPUiRiLNV9b+pYatxDP/ItE=""#
    );
}
