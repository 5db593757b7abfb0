//! HTTP Digest auth (`digest`), as postman-runtime's `lib/authorizer/digest.js` does it.
//!
//! Parameters: `username`, `password`, `realm`, `nonce`, `algorithm` (`MD5` when empty,
//! `MD5-sess`, `SHA-256`, `SHA-256-sess`, `SHA-512-256`, `SHA-512-256-sess`), `qop` (`auth`,
//! `auth-int`; any other value signs without qop, as RFC 2069), `nonceCount`, `clientNonce`,
//! `opaque`, `disableRetryRequest`. The digest URI is always the request's path and query
//! (Postman ignores a `uri` parameter).
//!
//! Flow, as Postman's: a request is signed only once `realm` and `nonce` are known (from the
//! collection or learned from a challenge); otherwise it goes unsigned. A 401 or 403 with a
//! `WWW-Authenticate: Digest …` header teaches the client `nonce`, `realm`, `opaque` and `qop`
//! (quoted values only; `algorithm` is never learned), with a new 8-character client nonce and
//! nonce count `00000001` when there is a qop, and the request is replayed, unless every value the
//! challenge carries is already known (then the 401 is the answer: a stale nonce is not renewed,
//! as in Postman) or `disableRetryRequest` is set. Any other response moves the nonce count on
//! by one. Learned values are kept per client and auth definition and replace only parameters
//! the collection leaves empty.

use std::collections::BTreeMap;

use md5::Md5;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::{Request, StatusCode};
use sha2::{Digest, Sha256, Sha512_256};

use super::error::Error;
use super::sign::{AfterResponse, SignContext};

/// Postman's client nonce alphabet.
const NONCE_ALPHABET: &[u8; 62] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// What a client learned from challenges: Postman's "system" auth parameters.
#[derive(Default)]
struct Learned {
    values: BTreeMap<&'static str, String>,
}

impl Learned {
    /// The learned value of `key`, else the collection's.
    fn get<'a>(&'a self, ctx: &'a SignContext<'_>, key: &str) -> &'a str {
        self.values
            .get(key)
            .map_or_else(|| ctx.params.get(key), String::as_str)
    }

    /// Postman's `auth.set`: replaces a learned value or an empty collection parameter only.
    fn set(&mut self, ctx: &SignContext<'_>, key: &'static str, value: String) {
        if self.values.contains_key(key) || ctx.params.get(key).is_empty() {
            self.values.insert(key, value);
        }
    }
}

#[derive(Clone, Copy)]
enum Hash {
    Md5,
    Sha256,
    Sha512_256,
}

impl Hash {
    fn hex(self, data: &[u8]) -> String {
        match self {
            Hash::Md5 => hex(&Md5::digest(data)),
            Hash::Sha256 => hex(&Sha256::digest(data)),
            Hash::Sha512_256 => hex(&Sha512_256::digest(data)),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The values of one signature (Postman's `computeHeader` parameters).
struct Fields<'a> {
    algorithm: &'a str,
    hash: Hash,
    username: &'a str,
    realm: &'a str,
    password: &'a str,
    method: &'a str,
    uri: &'a str,
    nonce: &'a str,
    nonce_count: &'a str,
    client_nonce: &'a str,
    opaque: &'a str,
    qop: &'a str,
    /// The body's hash for `auth-int` (`undefined` where Postman has none, e.g. multipart).
    body_hash: &'a str,
}

/// The `Authorization` header value, field for field as Postman writes it.
fn header(f: &Fields<'_>) -> String {
    let h = |s: &str| f.hash.hex(s.as_bytes());
    let a1 = if f.algorithm.ends_with("-sess") {
        let a0 = h(&format!("{}:{}:{}", f.username, f.realm, f.password));
        format!("{a0}:{}:{}", f.nonce, f.client_nonce)
    } else {
        format!("{}:{}:{}", f.username, f.realm, f.password)
    };
    let a2 = if f.qop == "auth-int" {
        format!("{}:{}:{}", f.method, f.uri, f.body_hash)
    } else {
        format!("{}:{}", f.method, f.uri)
    };
    let (ha1, ha2) = (h(&a1), h(&a2));
    let with_qop = f.qop == "auth" || f.qop == "auth-int";
    let response = if with_qop {
        h(&format!(
            "{ha1}:{}:{}:{}:{}:{ha2}",
            f.nonce, f.nonce_count, f.client_nonce, f.qop
        ))
    } else {
        h(&format!("{ha1}:{}:{ha2}", f.nonce))
    };
    let mut out = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\"",
        f.username, f.realm, f.nonce, f.uri
    );
    if !f.algorithm.is_empty() {
        out.push_str(&format!(", algorithm=\"{}\"", f.algorithm));
    }
    if with_qop {
        out.push_str(&format!(", qop={}", f.qop));
    }
    if with_qop || f.algorithm == "MD5-sess" {
        if !f.nonce_count.is_empty() {
            out.push_str(&format!(", nc={}", f.nonce_count));
        }
        out.push_str(&format!(", cnonce=\"{}\"", f.client_nonce));
    }
    out.push_str(&format!(", response=\"{response}\""));
    if !f.opaque.is_empty() {
        out.push_str(&format!(", opaque=\"{}\"", f.opaque));
    }
    out
}

/// Sign `request` once `realm` and `nonce` are known; otherwise leave it unsigned.
pub(crate) fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let value = ctx.session(|learned: &mut Learned| -> Result<Option<String>, Error> {
        let get = |key| learned.get(ctx, key);
        if get("nonce").is_empty() || get("realm").is_empty() || get("username").is_empty() {
            return Ok(None);
        }
        let (algorithm, hash) = match get("algorithm") {
            "" | "MD5" => ("MD5", Hash::Md5),
            "MD5-sess" => ("MD5-sess", Hash::Md5),
            a @ ("SHA-256" | "SHA-256-sess") => (a, Hash::Sha256),
            a @ ("SHA-512-256" | "SHA-512-256-sess") => (a, Hash::Sha512_256),
            other => {
                return Err(Error::Config(format!(
                    "{}: digest auth: unsupported algorithm `{other}` (use MD5, MD5-sess, SHA-256, \
                     SHA-256-sess, SHA-512-256 or SHA-512-256-sess)",
                    ctx.operation
                )))
            }
        };
        let url = request.url();
        let uri = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let qop = get("qop");
        let body_hash = if qop == "auth-int" {
            match request.body() {
                None => hash.hex(b""),
                Some(body) => body
                    .as_bytes()
                    .map_or_else(|| "undefined".to_owned(), |b| hash.hex(b)),
            }
        } else {
            String::new()
        };
        Ok(Some(header(&Fields {
            algorithm,
            hash,
            username: get("username"),
            realm: get("realm"),
            password: get("password"),
            method: request.method().as_str(),
            uri: &uri,
            nonce: get("nonce"),
            nonce_count: get("nonceCount"),
            client_nonce: get("clientNonce"),
            opaque: get("opaque"),
            qop,
            body_hash: &body_hash,
        })))
    })?;
    if let Some(value) = value {
        let mut value = HeaderValue::from_str(&value).map_err(|_| {
            Error::Config(format!(
                "{}: digest auth: a parameter contains characters not allowed in a header",
                ctx.operation
            ))
        })?;
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
    }
    Ok(())
}

/// Learn from a challenge and ask for a replay, or count a nonce use.
pub(crate) fn after_response(
    ctx: &SignContext<'_>,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<AfterResponse, Error> {
    if ctx.params.flag("disableRetryRequest") {
        return Ok(AfterResponse::Done);
    }
    let challenge = headers.get_all(WWW_AUTHENTICATE).iter().find_map(|v| {
        let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
        v.to_ascii_lowercase().starts_with("digest ").then_some(v)
    });
    ctx.session(|learned: &mut Learned| {
        let challenge = challenge.filter(|_| matches!(status.as_u16(), 401 | 403));
        let Some(challenge) = challenge else {
            let next = increase_nonce_count(learned.get(ctx, "nonceCount"));
            learned.set(ctx, "nonceCount", next);
            return Ok(AfterResponse::Done);
        };
        let mut offered: Vec<(&'static str, String)> = vec![
            ("nonce", quoted_field(&challenge, "nonce")),
            ("realm", quoted_field(&challenge, "realm")),
        ];
        let opaque = quoted_field(&challenge, "opaque");
        if !opaque.is_empty() {
            offered.push(("opaque", opaque));
        }
        let qop = quoted_field(&challenge, "qop");
        let has_qop = !qop.is_empty() || !learned.get(ctx, "qop").is_empty();
        if !qop.is_empty() {
            offered.push(("qop", qop));
        }
        if has_qop {
            offered.push(("clientNonce", client_nonce(ctx)));
            offered.push(("nonceCount", "00000001".to_owned()));
        }
        if offered
            .iter()
            .all(|(key, _)| !learned.get(ctx, key).is_empty())
        {
            return Ok(AfterResponse::Done);
        }
        for (key, value) in offered {
            learned.set(ctx, key, value);
        }
        Ok(AfterResponse::Replay)
    })
}

/// The first `name="value"` of a challenge (case-insensitive name, quoted values only, as
/// Postman's regular expressions), `""` when absent.
fn quoted_field(challenge: &str, name: &str) -> String {
    let lower = challenge.to_ascii_lowercase();
    let Some(start) = lower.find(&format!("{name}=\"")) else {
        return String::new();
    };
    let rest = &challenge[start + name.len() + 2..];
    rest.find('"')
        .map_or_else(String::new, |end| rest[..end].to_owned())
}

/// Eight characters of Postman's alphabet.
fn client_nonce(ctx: &SignContext<'_>) -> String {
    (0..8)
        .map(|_| {
            // As `Math.random() * 62 | 0`: 53 random bits as a fraction.
            let fraction = (ctx.entropy.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            char::from(NONCE_ALPHABET[(fraction * 62.0) as usize % 62])
        })
        .collect()
}

/// Postman's `increaseNonceCount`: the decimal number at the start of `nc` plus one, padded to
/// eight digits; `00000001` when `nc` has no number.
fn increase_nonce_count(nc: &str) -> String {
    let trimmed = nc.trim_start();
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 {
        return "00000001".to_owned();
    }
    let n: i128 = digits[..end].parse().unwrap_or(i128::MAX - 1);
    let next = if negative { 1 - n } else { n + 1 };
    format!("{next:08}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::sign::{SignKind, SignParams, SignSessions, SignedSpec};
    use crate::runtime::FixedEntropy;
    use std::sync::Arc;

    static SPEC: SignedSpec = SignedSpec {
        kind: SignKind::Digest,
        params: &[],
    };

    const RFC7616_NONCE: &str = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    const RFC7616_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    const RFC7616_OPAQUE: &str = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

    fn signed(
        pairs: &[(&'static str, &str)],
        method: &str,
        url: &str,
        body: Option<&str>,
    ) -> Option<String> {
        let params = SignParams::from_pairs(pairs);
        let sessions = SignSessions::default();
        let ctx = SignContext {
            params: &params,
            entropy: Arc::new(FixedEntropy::new(0, 1)),
            operation: "test::op",
            sessions: &sessions,
            spec: &SPEC,
        };
        let mut request = Request::new(method.parse().unwrap(), url.parse().unwrap());
        if let Some(body) = body {
            *request.body_mut() = Some(body.to_owned().into());
        }
        sign(&ctx, &mut request).unwrap();
        request
            .headers()
            .get(AUTHORIZATION)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    fn rfc7616(algorithm: &'static str, qop: &'static str) -> Vec<(&'static str, &'static str)> {
        vec![
            ("algorithm", algorithm),
            ("username", "Mufasa"),
            ("realm", "http-auth@example.org"),
            ("password", "Circle of Life"),
            ("nonce", RFC7616_NONCE),
            ("nonceCount", "00000001"),
            ("clientNonce", RFC7616_CNONCE),
            ("opaque", RFC7616_OPAQUE),
            ("qop", qop),
        ]
    }

    fn expected(algorithm: &str, qop: &str, response: &str) -> String {
        let qop = if qop.is_empty() {
            String::new()
        } else {
            format!(", qop={qop}, nc=00000001, cnonce=\"{RFC7616_CNONCE}\"")
        };
        format!(
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", nonce=\"{RFC7616_NONCE}\", \
             uri=\"/dir/index.html\", algorithm=\"{algorithm}\"{qop}, response=\"{response}\", \
             opaque=\"{RFC7616_OPAQUE}\""
        )
    }

    /// RFC 7616 section 3.9.1, MD5 and SHA-256.
    #[test]
    fn rfc7616_examples() {
        let url = "http://www.example.org/dir/index.html";
        assert_eq!(
            signed(&rfc7616("MD5", "auth"), "GET", url, None).unwrap(),
            expected("MD5", "auth", "8ca523f5e9506fed4657c9700eebdbec")
        );
        assert_eq!(
            signed(&rfc7616("SHA-256", "auth"), "GET", url, None).unwrap(),
            expected(
                "SHA-256",
                "auth",
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
            )
        );
        // An empty algorithm is MD5, and is written out.
        assert_eq!(
            signed(&rfc7616("", "auth"), "GET", url, None).unwrap(),
            expected("MD5", "auth", "8ca523f5e9506fed4657c9700eebdbec")
        );
    }

    /// RFC 2617 section 3.5.
    #[test]
    fn rfc2617_example() {
        let header = signed(
            &[
                ("username", "Mufasa"),
                ("realm", "testrealm@host.com"),
                ("password", "Circle Of Life"),
                ("nonce", "dcd98b7102dd2f0e8b11d0f600bfb0c093"),
                ("nonceCount", "00000001"),
                ("clientNonce", "0a4f113b"),
                ("opaque", "5ccc069c403ebaf9f0171e9517f40e41"),
                ("qop", "auth"),
            ],
            "GET",
            "http://www.nowhere.org/dir/index.html",
            None,
        )
        .unwrap();
        assert_eq!(
            header,
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", \
             nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", algorithm=\"MD5\", \
             qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", \
             opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""
        );
    }

    /// Values computed by postman-runtime's `computeHeader` (Newman 6) for the same inputs.
    #[test]
    fn postman_computed_values() {
        let url = "http://www.example.org/dir/index.html";
        for (algorithm, response) in [
            (
                "SHA-512-256",
                "430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0",
            ),
            (
                "SHA-512-256-sess",
                "3f2a34f923c38b0fb26dce2fdfc2ce326c23cecf86fbb1444f3e51fbbc2cb92e",
            ),
            ("MD5-sess", "e783283f46242139c486a698fec7211d"),
        ] {
            assert_eq!(
                signed(&rfc7616(algorithm, "auth"), "GET", url, None).unwrap(),
                expected(algorithm, "auth", response)
            );
        }
        // A qop Postman does not know (here both offered) signs as RFC 2069, without qop fields.
        assert_eq!(
            signed(&rfc7616("MD5", "auth,auth-int"), "GET", url, None).unwrap(),
            expected("MD5", "", "7b2cc3b30e75b4777ea31027084363fd")
        );
        // MD5-sess without qop still sends the client nonce (and no nc when it is empty).
        let mut pairs = rfc7616("MD5-sess", "");
        pairs.retain(|(k, _)| *k != "nonceCount");
        assert_eq!(
            signed(&pairs, "GET", url, None).unwrap(),
            format!(
                "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", nonce=\"{RFC7616_NONCE}\", \
                 uri=\"/dir/index.html\", algorithm=\"MD5-sess\", cnonce=\"{RFC7616_CNONCE}\", \
                 response=\"37a7f42db2090a3fcac4e26e747d4fc8\", opaque=\"{RFC7616_OPAQUE}\""
            )
        );
        // auth-int hashes the body.
        assert_eq!(
            signed(
                &rfc7616("SHA-256", "auth-int"),
                "POST",
                url,
                Some("{\"a\":1}")
            )
            .unwrap(),
            expected(
                "SHA-256",
                "auth-int",
                "193d6834c8f5b21e6b707fdd7de62ad0b3514493466cf33958098aa6d3836274"
            )
        );
    }

    #[test]
    fn unsigned_until_realm_and_nonce_are_known() {
        let url = "http://example.org/a";
        assert_eq!(
            signed(&[("username", "u"), ("password", "p")], "GET", url, None),
            None
        );
        assert_eq!(
            signed(&[("username", "u"), ("realm", "r")], "GET", url, None),
            None
        );
        assert!(signed(
            &[("username", "u"), ("realm", "r"), ("nonce", "n")],
            "GET",
            url,
            None
        )
        .is_some());
    }

    #[test]
    fn unsupported_algorithm_is_a_config_error() {
        let params = SignParams::from_pairs(&[
            ("username", "u"),
            ("realm", "r"),
            ("nonce", "n"),
            ("algorithm", "SHA-1"),
        ]);
        let sessions = SignSessions::default();
        let ctx = SignContext {
            params: &params,
            entropy: Arc::new(FixedEntropy::new(0, 1)),
            operation: "test::op",
            sessions: &sessions,
            spec: &SPEC,
        };
        let mut request =
            Request::new(reqwest::Method::GET, "http://example.org/".parse().unwrap());
        let err = sign(&ctx, &mut request).unwrap_err();
        assert!(
            matches!(&err, Error::Config(m) if m.contains("test::op") && m.contains("SHA-1")),
            "{err:?}"
        );
    }

    #[test]
    fn challenge_fields_and_nonce_counts() {
        let challenge = "Digest realm=\"a, b\", QOP=\"auth\", nonce=\"xyz\", opaque=\"o\"";
        assert_eq!(quoted_field(challenge, "realm"), "a, b");
        assert_eq!(quoted_field(challenge, "qop"), "auth");
        assert_eq!(quoted_field(challenge, "nonce"), "xyz");
        assert_eq!(quoted_field("Digest qop=auth", "qop"), "");
        assert_eq!(increase_nonce_count(""), "00000001");
        assert_eq!(increase_nonce_count("00000001"), "00000002");
        assert_eq!(increase_nonce_count("00000009"), "00000010");
        assert_eq!(increase_nonce_count("12abc"), "00000013");
        assert_eq!(increase_nonce_count("x"), "00000001");
    }
}
