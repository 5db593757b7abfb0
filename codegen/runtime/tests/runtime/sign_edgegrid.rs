//! EdgeGrid signing: Akamai's published test vectors (the `testdata.json` of their EdgeGrid
//! client libraries), and Postman's own rules (`baseURL`, header lists, `maxBodySize`, generated
//! nonce and timestamp) against values Postman produces.
//!
//! Values marked "Postman:" were produced by running postman-runtime 7.x's
//! `lib/authorizer/edgegrid.js` `sign()` from `tests/newman/node_modules` in Node on a
//! postman-collection `Request` with the same parameters, and printing the signature.

use postman_codegen_runtime::runtime::{SignKind, SignedSpec};
use reqwest::Request;

use crate::signing::{authorization, request, sign_with};

static SPEC: SignedSpec = SignedSpec {
    kind: SignKind::EdgeGrid,
    params: &[],
};

const HOST: &str = "https://akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net";
const PREFIX: &str = "EG1-HMAC-SHA256 client_token=akab-client-token-xxx-xxxxxxxxxxxxxxxx;access_token=akab-access-token-xxx-xxxxxxxxxxxxxxxx;timestamp=20140321T19:34:21+0000;nonce=nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx;signature=";

/// The credentials, nonce and timestamp of Akamai's test data.
const CREDENTIALS: [(&str, &str); 5] = [
    ("accessToken", "akab-access-token-xxx-xxxxxxxxxxxxxxxx"),
    ("clientToken", "akab-client-token-xxx-xxxxxxxxxxxxxxxx"),
    (
        "clientSecret",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=",
    ),
    ("nonce", "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
    ("timestamp", "20140321T19:34:21+0000"),
];

fn signed(extra: &[(&'static str, &str)], mut request: Request) -> Request {
    let mut pairs = CREDENTIALS.to_vec();
    pairs.extend_from_slice(extra);
    sign_with(&SPEC, &pairs, 1_700_000_000_999, &mut request).expect("signs");
    request
}

/// The signature of an Akamai test case (headers to sign X-Test1..3, max body 2048).
fn akamai(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> String {
    let extra = [
        ("headersToSign", "X-Test1,X-Test2,X-Test3"),
        ("maxBodySize", "2048"),
    ];
    let req = signed(
        &extra,
        request(method, &format!("{HOST}{path}"), headers, body),
    );
    let header = authorization(&req);
    header
        .strip_prefix(PREFIX)
        .unwrap_or_else(|| panic!("{header}"))
        .to_owned()
}

#[test]
fn akamai_test_vectors() {
    assert_eq!(
        akamai("GET", "/", &[], None),
        "tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU="
    );
    assert_eq!(
        akamai("GET", "/testapi/v1/t1?p1=1&p2=2", &[], None),
        "hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA="
    );
    assert_eq!(
        akamai(
            "POST",
            "/testapi/v1/t3",
            &[],
            Some("datadatadatadatadatadatadatadata")
        ),
        "hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4=",
        "POST inside limit"
    );
    for len in [2048, 2049] {
        assert_eq!(
            akamai("POST", "/testapi/v1/t3", &[], Some(&"d".repeat(len))),
            "6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY=",
            "POST too large / length equals max_body ({len} bytes)"
        );
    }
    assert_eq!(
        akamai("POST", "/testapi/v1/t6", &[], Some("")),
        "1gEDxeQGD5GovIkJJGcBaKnZ+VaPtrc4qBUHixjsPCQ=",
        "POST empty body"
    );
    assert_eq!(
        akamai(
            "GET",
            "/testapi/v1/t4",
            &[("X-Test1", "test-simple-header")],
            None
        ),
        "8F9AybcRw+PLxnvT+H0JRkjROrrUgsxJTnRXMzqvcwY=",
        "Simple header signing with GET"
    );
    assert_eq!(
        akamai(
            "GET",
            "/testapi/v1/t4",
            &[("X-Test1", "\"     test-header-with-spaces     \"")],
            None
        ),
        "ucq2AbjCNtobHfCTuS38fdkl5UDdWHZhQX46fYR8CqI=",
        "Header containing spaces"
    );
    // Postman signs this one (the Python library refuses the value).
    assert_eq!(
        akamai(
            "GET",
            "/testapi/v1/t4",
            &[("X-Test1", "     first-thing      second-thing")],
            None
        ),
        "WtnneL539UadAAOJwnsXvPqT4Kt6z7HMgBEwAFpt3+c=",
        "Header with leading and interior spaces"
    );
    let out_of_order = [("X-Test2", "t2"), ("X-Test1", "t1"), ("X-Test3", "t3")];
    assert_eq!(
        akamai("GET", "/testapi/v1/t4", &out_of_order, None),
        "Wus73Nx8jOYM+kkBFF2q8D1EATRIMr0WLWwpLBgkBqY=",
        "Headers out of order"
    );
    let extra = [
        ("X-Test2", "t2"),
        ("X-Test1", "t1"),
        ("X-Test3", "t3"),
        ("X-Extra", "this won't be included"),
    ];
    assert_eq!(
        akamai("GET", "/testapi/v1/t5", &extra, None),
        "Knd/jc0A5Ghhizjayr0AUUvl2MZjBpS3FDSzvtq4Ixc=",
        "Extra header"
    );
    assert_eq!(
        akamai(
            "PUT",
            "/testapi/v1/t6",
            &[],
            Some("PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP")
        ),
        "GNBWEYSEWOLtu+7dD52da2C39aX/Jchpon3K/AmBqBU=",
        "PUT test: only a POST's body is hashed"
    );
}

fn signature(req: &Request) -> &str {
    authorization(req)
        .split("signature=")
        .nth(1)
        .expect("a signature")
}

#[test]
fn base_url_gives_the_signed_host() {
    let extra = [
        (
            "baseURL",
            "https://akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net/",
        ),
        ("headersToSign", " x-test2 , X-Test1"),
    ];
    let req = signed(
        &extra,
        request(
            "GET",
            "http://localhost:8080/testapi/v1/t4?b=2&a=1",
            &[("X-Test1", "t1"), ("X-Test2", "t2")],
            None,
        ),
    );
    // Postman.
    assert_eq!(
        signature(&req),
        "wZL1pfI5mw3NWsy5nm2RKLWAN9oYxXp12t2ypyuOABQ="
    );
}

#[test]
fn a_header_sent_twice_is_not_signed_and_a_blank_one_is_empty() {
    let req = signed(
        &[("headersToSign", "X-Test1,X-Test2")],
        request(
            "GET",
            &format!("{HOST}/t"),
            &[("X-Test1", "a"), ("X-Test1", "b"), ("X-Test2", "   ")],
            None,
        ),
    );
    // Postman.
    assert_eq!(
        signature(&req),
        "V9wfHknchC7nOMjjPekViII1bMmwBOlsVSX1MCV9eyc="
    );
}

#[test]
fn max_body_size_defaults_to_128_kib_and_zero_hashes_nothing() {
    let req = signed(
        &[],
        request(
            "POST",
            &format!("{HOST}/big"),
            &[],
            Some(&"z".repeat(131_073)),
        ),
    );
    // Postman.
    assert_eq!(
        signature(&req),
        "+TCbDC7SzEiE8Iib4/tj34pb8J281SStfqxacaK4QJo="
    );
    let req = signed(
        &[("maxBodySize", "0")],
        request("POST", &format!("{HOST}/big"), &[], Some("abc")),
    );
    // Postman.
    assert_eq!(
        signature(&req),
        "tzNdtB5Dx83FJUc7FRPy5p7YEtJF3muf+2dJmBU2vlA="
    );
}

#[test]
fn the_request_host_keeps_its_port() {
    let req = signed(
        &[],
        request("DELETE", "http://127.0.0.1:9000/x/y", &[], None),
    );
    // Postman.
    assert_eq!(
        signature(&req),
        "zYUaPzN30pJ9AF2ia0Tp6fuzBgvdIpUW9WeYppgtUbE="
    );
}

#[test]
fn nonce_and_timestamp_come_from_the_entropy_source() {
    let pairs = [
        ("accessToken", "at"),
        ("clientToken", "ct"),
        ("clientSecret", "cs"),
    ];
    let mut one = request("GET", "https://example.com/", &[], None);
    sign_with(&SPEC, &pairs, 1_700_000_000_999, &mut one).unwrap();
    let mut again = request("GET", "https://example.com/", &[], None);
    sign_with(&SPEC, &pairs, 1_700_000_000_999, &mut again).unwrap();
    let header = authorization(&one);
    assert_eq!(
        header,
        authorization(&again),
        "the same seed and clock sign the same"
    );
    assert!(header.starts_with("EG1-HMAC-SHA256 client_token=ct;access_token=at;timestamp=20231114T22:13:20+0000;nonce="), "{header}");
    let nonce = header
        .split(";nonce=")
        .nth(1)
        .and_then(|n| n.split(';').next())
        .unwrap();
    let groups: Vec<usize> = nonce.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{nonce}");
    assert_eq!(&nonce[14..15], "4", "a UUID v4: {nonce}");
}

#[test]
fn nothing_is_signed_without_the_three_credentials() {
    for missing in ["accessToken", "clientToken", "clientSecret"] {
        let pairs: Vec<_> = CREDENTIALS
            .iter()
            .map(|&(k, v)| (k, if k == missing { "" } else { v }))
            .collect();
        let mut req = request(
            "GET",
            "https://example.com/",
            &[("authorization", "Basic x")],
            None,
        );
        sign_with(&SPEC, &pairs, 0, &mut req).unwrap();
        assert_eq!(authorization(&req), "Basic x", "without {missing}");
    }
}

#[test]
fn a_urlencoded_body_is_hashed_as_postman_re_encodes_it() {
    // See the hawk test of the same name: the hashed text is
    // `2=two&10=ten&name=Ann%20Lee&tag=a%2Ab&tag=c~d&07=x`, not the body as sent.
    let pairs = [
        ("accessToken", "at"),
        ("clientToken", "ct"),
        ("clientSecret", "cs"),
        ("nonce", "n-1"),
        ("timestamp", "20140321T19:34:21+0000"),
    ];
    let mut req = request(
        "POST",
        "https://example.com/f",
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("name=Ann+Lee&10=ten&tag=a*b&2=two&tag=c%7Ed&07=x"),
    );
    sign_with(&SPEC, &pairs, 0, &mut req).unwrap();
    // Postman.
    assert_eq!(
        signature(&req),
        "Pd2wcp8gNDceQ5b5Cuxfp3mllT6XlFGb6nslhtooH0k="
    );
}
