//! JWT bearer auth (`jwt`), as postman-runtime's `lib/authorizer/jwt.js` (with `jose`) makes it:
//! a token signed anew for every request.
//!
//! Parameters: `algorithm` (`HS256`, `HS384`, `HS512` with `secret`, read as base64 when
//! `isSecretBase64Encoded`; `RS256`, `RS384`, `RS512`, `PS256`, `PS384`, `PS512`, `ES256`, `ES384`
//! with `privateKey`, a PKCS#8 PEM `-----BEGIN PRIVATE KEY-----`; `ES512` is not supported),
//! `header` (a JSON object; its `alg` is replaced by `algorithm`, nothing else is added, not
//! even `typ`), `payload` (a JSON object, sent as given), `addTokenTo` (`header`, the default, as
//! `Authorization: <headerPrefix> <token>` with `headerPrefix` `Bearer` when absent and no prefix
//! when empty; or `queryParam`, as the query parameter `queryParamKey`, default `token`,
//! replacing one of that name).
//!
//! Header and payload are written as JavaScript's `JSON.stringify(JSON.parse(…))` writes them:
//! compact, keys in their order except that integer-like keys come first in ascending order,
//! numbers as JavaScript prints them (`1.0` is `1`, integers past 2^53 are rounded).
//!
//! Signatures are made with `ring` (already compiled into every client, for TLS): PSS salts and
//! ECDSA nonces come from the operating system's secure random generator, not from the client's
//! `Entropy`, which is not meant for secrets. HMAC and RSA PKCS#1 v1.5 signatures are
//! deterministic.
//!
//! Where Postman only warns and sends the request unsigned (an unknown algorithm, a missing
//! secret or key, JSON that does not parse), the client fails with `Error::Config` instead.

use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::Request;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};
use serde_json::{Map, Value};

use super::auth::{base64, decode_base64_lenient};
use super::error::Error;
use super::sign::SignContext;
use super::vars::encode_query_component;

/// Sign a token and add it to the request.
pub(crate) fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let p = ctx.params;
    let algorithm = p.get("algorithm");
    if Alg::parse(algorithm).is_none() && algorithm != "ES512" {
        return Err(config(ctx, "jwt", &unsupported(algorithm)));
    }
    let key = if algorithm.starts_with("HS") {
        let secret = p.get("secret");
        if secret.is_empty() {
            return Err(config(ctx, "jwt", "the secret is empty"));
        }
        if p.flag("isSecretBase64Encoded") {
            Key::Secret(decode_base64_lenient(secret))
        } else {
            Key::Secret(secret.as_bytes().to_vec())
        }
    } else {
        if p.get("privateKey").is_empty() {
            return Err(config(ctx, "jwt", "the private key is empty"));
        }
        Key::Pem(p.get("privateKey").to_owned())
    };
    let alg = Alg::parse(algorithm).ok_or_else(|| config(ctx, "jwt", &unsupported(algorithm)))?;
    let header = match parse_json(p.get("header").trim(), ctx, "header")? {
        Value::Object(mut header) => {
            header.insert("alg".to_owned(), Value::String(algorithm.to_owned()));
            header
        }
        v if !truthy(&v) => {
            Map::from_iter([("alg".to_owned(), Value::String(algorithm.to_owned()))])
        }
        _ => return Err(config(ctx, "jwt", "the header is not a JSON object")),
    };
    let payload = match p.get("payload").trim() {
        "" => Map::new(),
        text => match parse_json(text, ctx, "payload")? {
            Value::Object(payload) => payload,
            _ => return Err(config(ctx, "jwt", "the payload is not a JSON object")),
        },
    };
    let token = make_token(alg, &key, &header, &payload).map_err(|m| config(ctx, "jwt", &m))?;
    match p.non_empty("addTokenTo").unwrap_or("header") {
        "header" => {
            let prefix = if p.has("headerPrefix") {
                p.get("headerPrefix")
            } else {
                "Bearer"
            };
            let value = if prefix.is_empty() {
                token
            } else {
                format!("{prefix} {token}")
            };
            set_authorization(ctx, "jwt", request, &value)?;
        }
        "queryParam" => {
            let name = p.non_empty("queryParamKey").unwrap_or("token");
            replace_query_param(request, name, &token);
        }
        _ => {}
    }
    Ok(())
}

/// The JWS algorithms supported here.
#[derive(Clone, Copy)]
pub(crate) enum Alg {
    Hs(&'static ring::hmac::Algorithm),
    Rsa(&'static dyn signature::RsaEncoding),
    Ec(&'static signature::EcdsaSigningAlgorithm),
}

impl Alg {
    /// The algorithm named `name`; `None` for names Postman rejects and for `ES512`.
    pub(crate) fn parse(name: &str) -> Option<Alg> {
        Some(match name {
            "HS256" => Alg::Hs(&ring::hmac::HMAC_SHA256),
            "HS384" => Alg::Hs(&ring::hmac::HMAC_SHA384),
            "HS512" => Alg::Hs(&ring::hmac::HMAC_SHA512),
            "RS256" => Alg::Rsa(&signature::RSA_PKCS1_SHA256),
            "RS384" => Alg::Rsa(&signature::RSA_PKCS1_SHA384),
            "RS512" => Alg::Rsa(&signature::RSA_PKCS1_SHA512),
            "PS256" => Alg::Rsa(&signature::RSA_PSS_SHA256),
            "PS384" => Alg::Rsa(&signature::RSA_PSS_SHA384),
            "PS512" => Alg::Rsa(&signature::RSA_PSS_SHA512),
            "ES256" => Alg::Ec(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
            "ES384" => Alg::Ec(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
            _ => return None,
        })
    }
}

/// The signing key as the collection gives it.
pub(crate) enum Key {
    /// An HMAC secret.
    Secret(Vec<u8>),
    /// A PKCS#8 PEM text.
    Pem(String),
    /// An RSA key already decoded to DER (PKCS#8, or PKCS#1 `RSAPrivateKey`): `asap` data URIs.
    #[cfg_attr(not(feature = "asap"), allow(dead_code))]
    RsaDer(Vec<u8>),
}

/// The message for an algorithm this client cannot sign with.
pub(crate) fn unsupported(name: &str) -> String {
    if name == "ES512" {
        "the algorithm ES512 is not supported by this client (use ES256, ES384, RS*, PS* or HS*)"
            .to_owned()
    } else {
        format!("invalid algorithm `{name}`")
    }
}

/// `header.payload.signature`.
pub(crate) fn make_token(
    alg: Alg,
    key: &Key,
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
) -> Result<String, String> {
    let mut input = base64url(js_json(&Value::Object(header.clone())).as_bytes());
    input.push('.');
    input.push_str(&base64url(
        js_json(&Value::Object(payload.clone())).as_bytes(),
    ));
    let signature = sign_bytes(alg, key, input.as_bytes())?;
    input.push('.');
    input.push_str(&base64url(&signature));
    Ok(input)
}

fn sign_bytes(alg: Alg, key: &Key, data: &[u8]) -> Result<Vec<u8>, String> {
    let rng = SystemRandom::new();
    match (alg, key) {
        (Alg::Hs(algorithm), Key::Secret(secret)) => Ok(ring::hmac::sign(
            &ring::hmac::Key::new(*algorithm, secret),
            data,
        )
        .as_ref()
        .to_vec()),
        (Alg::Rsa(encoding), Key::Pem(_) | Key::RsaDer(_)) => {
            let pair = match key {
                Key::RsaDer(der) => {
                    RsaKeyPair::from_pkcs8(der).or_else(|_| RsaKeyPair::from_der(der))
                }
                _ => RsaKeyPair::from_pkcs8(&pem_der(key)?),
            }
            .map_err(|e| format!("the private key is not a usable RSA key ({e})"))?;
            let mut signature = vec![0; pair.public().modulus_len()];
            pair.sign(encoding, &rng, data, &mut signature)
                .map_err(|_| "signing with the RSA key failed".to_owned())?;
            Ok(signature)
        }
        (Alg::Ec(algorithm), Key::Pem(_)) => {
            let pair = EcdsaKeyPair::from_pkcs8(algorithm, &pem_der(key)?, &rng).map_err(|e| {
                format!("the private key is not an EC key of the algorithm's curve ({e})")
            })?;
            let signature = pair
                .sign(&rng, data)
                .map_err(|_| "signing with the EC key failed".to_owned())?;
            Ok(signature.as_ref().to_vec())
        }
        _ => Err("the key does not suit the algorithm".to_owned()),
    }
}

/// The DER inside a PKCS#8 PEM, read as `jose`'s `importPKCS8` reads it.
fn pem_der(key: &Key) -> Result<Vec<u8>, String> {
    const BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
    const END: &str = "-----END PRIVATE KEY-----";
    let Key::Pem(pem) = key else {
        return Err("the key is not a PEM text".to_owned());
    };
    if !pem.starts_with(BEGIN) {
        return Err(format!(
            "the private key must be a PKCS#8 PEM starting with `{BEGIN}`"
        ));
    }
    let body: String = pem
        .replace(BEGIN, "")
        .replace(END, "")
        .split_whitespace()
        .collect();
    Ok(decode_base64_lenient(&body))
}

/// `JSON.parse` of a parameter; an empty text is `null`.
fn parse_json(text: &str, ctx: &SignContext<'_>, what: &str) -> Result<Value, Error> {
    if text.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text)
        .map_err(|e| config(ctx, "jwt", &format!("the {what} is not valid JSON ({e})")))
}

/// JavaScript truthiness of a JSON value.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

pub(crate) fn config(ctx: &SignContext<'_>, kind: &str, message: &str) -> Error {
    Error::Config(format!("{}: {kind} auth: {message}", ctx.operation))
}

/// Replace the `Authorization` header.
pub(crate) fn set_authorization(
    ctx: &SignContext<'_>,
    kind: &str,
    request: &mut Request,
    value: &str,
) -> Result<(), Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        config(
            ctx,
            kind,
            "the header prefix has characters not allowed in a header",
        )
    })?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}

/// Drop the query parameters named `name` and append `name=value`; the others stay as sent.
fn replace_query_param(request: &mut Request, name: &str, value: &str) {
    let url = request.url_mut();
    let mut parts: Vec<String> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|part| !part.is_empty())
        .filter(|part| percent_decode(part.split('=').next().unwrap_or("")) != name)
        .map(str::to_owned)
        .collect();
    parts.push(format!(
        "{}={}",
        encode_query_component(name, true),
        encode_query_component(value, false)
    ));
    url.set_query(Some(&parts.join("&")));
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Base64url without padding.
pub(crate) fn base64url(data: &[u8]) -> String {
    base64(data)
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect()
}


/// `JSON.stringify` of a value that `JSON.parse` made.
pub(crate) fn js_json(value: &Value) -> String {
    let mut out = String::new();
    write_js_json(value, &mut out);
    out
}

fn write_js_json(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => {
            out.push_str(&serde_json::to_string(value).unwrap_or_default());
        }
        Value::Number(n) => {
            const SAFE: u64 = 1 << 53;
            match (n.as_u64(), n.as_i64()) {
                (Some(u), _) if u <= SAFE => out.push_str(&u.to_string()),
                (_, Some(i)) if i.unsigned_abs() <= SAFE => out.push_str(&i.to_string()),
                _ => out.push_str(&js_number(n.as_f64().unwrap_or(0.0))),
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // JavaScript objects list array-index keys first, ascending.
            let mut indices: Vec<(u32, &String, &Value)> = map
                .iter()
                .filter_map(|(k, v)| array_index(k).map(|i| (i, k, v)))
                .collect();
            indices.sort_by_key(|(i, _, _)| *i);
            let others = map.iter().filter(|(k, _)| array_index(k).is_none());
            out.push('{');
            let entries = indices.into_iter().map(|(_, k, v)| (k, v)).chain(others);
            for (i, (k, v)) in entries.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write_js_json(v, out);
            }
            out.push('}');
        }
    }
}

/// A canonical array index: `0`, or digits without a leading zero, below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty()
        || (key.len() > 1 && key.starts_with('0'))
        || !key.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    key.parse::<u32>().ok().filter(|i| *i != u32::MAX)
}

/// JavaScript's `Number.prototype.toString()` of a finite number.
pub(crate) fn js_number(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return "0".to_owned();
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exp.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let sign = if e < 0 { '-' } else { '+' };
        let mantissa = if k == 1 {
            digits.clone()
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        format!("{mantissa}e{sign}{}", e.abs())
    };
    if f < 0.0 {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::sign::{SignKind, SignParams, SignSessions, SignedSpec};
    use crate::runtime::FixedEntropy;
    use std::sync::Arc;

    static SPEC: SignedSpec = SignedSpec {
        kind: SignKind::Jwt,
        params: &[],
    };

    fn signed(pairs: &[(&'static str, &str)], url: &str) -> Result<Request, Error> {
        let params = SignParams::from_pairs(pairs);
        let sessions = SignSessions::default();
        let ctx = SignContext {
            params: &params,
            entropy: Arc::new(FixedEntropy::new(0, 1)),
            operation: "test::op",
            sessions: &sessions,
            spec: &SPEC,
        };
        let mut request = Request::new(reqwest::Method::GET, url.parse().unwrap());
        sign(&ctx, &mut request)?;
        Ok(request)
    }

    fn authorization(r: &Request) -> &str {
        r.headers()[AUTHORIZATION].to_str().unwrap()
    }

    const JWT_IO_PAYLOAD: &str = r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#;

    /// The jwt.io HS256 example.
    #[test]
    fn jwt_io_hs256() {
        let r = signed(
            &[
                ("algorithm", "HS256"),
                ("secret", "your-256-bit-secret"),
                ("header", r#"{"alg":"HS256","typ":"JWT"}"#),
                ("payload", JWT_IO_PAYLOAD),
            ],
            "http://example.org/a",
        )
        .unwrap();
        assert_eq!(
            authorization(&r),
            "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
             eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.\
             SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        );
    }

    /// Tokens as postman-runtime (Newman 6, jose 4) makes them for the same parameters.
    #[test]
    fn postman_layouts() {
        // No header: only `alg`; `alg` of the header replaced in place; keys reordered as JS.
        let cases = [
            (
                vec![("algorithm", "HS384"), ("secret", "c2VjcmV0"), ("isSecretBase64Encoded", "true"),
                     ("payload", r#"{"b":1.0,"2":[1e21,1e-7,0.000025],"1":12345678901234567890}"#),
                     ("headerPrefix", "")],
                "eyJhbGciOiJIUzM4NCJ9.eyIxIjoxMjM0NTY3ODkwMTIzNDU2NzAwMCwiMiI6WzFlKzIxLDFlLTcsMC4wMDAwMjVdLCJiIjoxfQ.vPftdu847dXO0MrKr2Vw7ITrbxggQFr9ipD2DRf3T--8aStv8tWLUVXl2A132Spd",
            ),
            (
                vec![("algorithm", "HS512"), ("secret", "secret"), ("header", r#" {"typ":"JWT","alg":"none","kid":"k"} "#),
                     ("payload", ""), ("headerPrefix", "JWT")],
                "JWT eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiIsImtpZCI6ImsifQ.e30.9By0djJfEpGiQszAoLF3eFgehrFDymWb2izc5hRv4lS-zt-b9bDzwhufGZLHif-CYp889VUVjO9nYCQF_PLu7Q",
            ),
        ];
        for (pairs, expected) in cases {
            let r = signed(&pairs, "http://example.org/a").unwrap();
            assert_eq!(authorization(&r), expected);
        }
    }

    #[test]
    fn token_in_the_query() {
        let r = signed(
            &[
                ("algorithm", "HS256"),
                ("secret", "s"),
                ("addTokenTo", "queryParam"),
                ("queryParamKey", "jwt"),
            ],
            "http://example.org/a?x=1%202&jwt=old&y",
        )
        .unwrap();
        let query = r.url().query().unwrap();
        assert_eq!(
            query,
            "x=1%202&y&jwt=eyJhbGciOiJIUzI1NiJ9.e30.F9yvvLLMLF5UKVPXzrWpnyAZsW8frF0MjE-S7oHI7u4"
        );
        assert!(r.headers().get(AUTHORIZATION).is_none());
    }

    #[test]
    fn config_errors() {
        let url = "http://example.org/a";
        for (pairs, needle) in [
            (vec![("algorithm", "HS256")], "secret"),
            (
                vec![("algorithm", "XS256"), ("secret", "s")],
                "invalid algorithm",
            ),
            (vec![("algorithm", "ES512"), ("privateKey", "k")], "ES512"),
            (
                vec![("algorithm", "RS256"), ("privateKey", "not a pem")],
                "PKCS#8",
            ),
            (
                vec![("algorithm", "HS256"), ("secret", "s"), ("payload", "[1]")],
                "payload",
            ),
            (
                vec![("algorithm", "HS256"), ("secret", "s"), ("header", "{")],
                "header",
            ),
        ] {
            let err = signed(&pairs, url).unwrap_err();
            assert!(
                matches!(&err, Error::Config(m) if m.starts_with("test::op: jwt auth:") && m.contains(needle)),
                "{err:?}"
            );
        }
    }

    #[test]
    fn js_numbers() {
        for (f, s) in [
            (1.0, "1"),
            (1e21, "1e+21"),
            (1e-7, "1e-7"),
            (2.5e-5, "0.000025"),
            (0.1, "0.1"),
            (-1.5e300, "-1.5e+300"),
            (123456789012345680000.0, "123456789012345680000"),
            (-0.0, "0"),
        ] {
            assert_eq!(js_number(f), s);
        }
    }
}
