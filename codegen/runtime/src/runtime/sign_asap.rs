//! Atlassian S2S auth (`asap`), as postman-runtime's `lib/authorizer/asap.js` makes it: a JWT
//! signed for every request, sent as `Authorization: Bearer <token>`. Built on the `jwt` signer
//! (the `asap` feature turns `jwt` on).
//!
//! Parameters: `alg` (default `RS256`; `RS*`, `PS*`, `ES256`, `ES384`), `kid`, `iss`, `sub`
//! (defaults to the issuer), `aud`, `exp` (seconds of validity, default 3600), `privateKey`
//! (a PKCS#8 PEM, or a data URI `data:application/pkcs8;kid=<kid>;base64,<DER>` whose `kid`
//! must match), `claims` (a JSON object: its `iss`, `sub`, `aud`, `jti`, `iat`, `exp` and `kid`
//! win over the parameters, and it is the token's payload).
//!
//! Claims as Postman writes them: the `claims` object, then `iat`, `iss`, `sub`, `jti`, `aud`,
//! `exp` (a claim already there keeps its place). `iat` is the client's clock in seconds, `jti`
//! a UUID v4 from the client's `Entropy`.

use reqwest::Request;
use serde_json::{Map, Value};

use super::error::Error;
use super::sign::SignContext;
use super::sign_jwt::{
    config, js_number, make_token, set_authorization, truthy, unsupported, Alg, Key,
};

const DEFAULT_EXPIRY: i64 = 3600;

/// Sign a token and put it in the `Authorization` header.
pub(crate) fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let p = ctx.params;
    let err = |m: &str| config(ctx, "asap", m);
    let claims = match p.get("claims").trim() {
        "" => Map::new(),
        text => match serde_json::from_str(text) {
            Ok(Value::Object(claims)) => claims,
            Ok(_) => return Err(err("the claims are not a JSON object")),
            Err(e) => return Err(err(&format!("failed to parse the claims ({e})"))),
        },
    };
    // `claims.x || params.x`, with JavaScript truthiness.
    let pick = |key: &str| -> Option<Value> {
        claims
            .get(key)
            .filter(|v| truthy(v))
            .cloned()
            .or_else(|| p.non_empty(key).map(|v| Value::String(v.to_owned())))
    };
    let claim = |key: &str| claims.get(key).filter(|v| truthy(v)).cloned();
    let issuer = pick("iss");
    let subject = pick("sub").or_else(|| issuer.clone());
    let audience = pick("aud");
    let jti = claim("jti")
        .or_else(|| super::dynamic::value("$guid", ctx.entropy.as_ref()).map(Value::String));
    let now = ctx.entropy.now_millis().div_euclid(1000);
    let issued_at = claim("iat").unwrap_or_else(|| Value::from(now));
    let expiry = p
        .non_empty("exp")
        .and_then(js_parse_int)
        .filter(|e| *e != 0)
        .unwrap_or(DEFAULT_EXPIRY);
    let expires = claim("exp")
        .and_then(|v| js_parse_int(&js_string(&v)))
        .filter(|e| *e != 0)
        .unwrap_or(now + expiry);
    let kid = claim("kid").or_else(|| p.non_empty("kid").map(|v| Value::String(v.to_owned())));
    let alg_name = p.non_empty("alg").unwrap_or("RS256");
    let (Some(kid), Some(issuer), Some(audience), Some(jti)) = (kid, issuer, audience, jti) else {
        return Err(err(
            "one or more of the required claims (kid, iss, aud) is missing",
        ));
    };
    let private_key = p.get("privateKey");
    if private_key.is_empty() {
        return Err(err(
            "one or more of the required claims (privateKey) is missing",
        ));
    }
    let alg = match Alg::parse(alg_name) {
        Some(Alg::Hs(_)) | None => return Err(err(&unsupported(alg_name))),
        Some(alg) => alg,
    };
    let key = parse_private_key(&js_string(&kid), private_key)
        .map_err(|m| err(&format!("failed to parse the private key: {m}")))?;
    let header = Map::from_iter([
        ("alg".to_owned(), Value::String(alg_name.to_owned())),
        ("kid".to_owned(), kid),
    ]);
    let mut payload = claims.clone();
    payload.insert("iat".to_owned(), issued_at);
    payload.insert("iss".to_owned(), issuer);
    payload.insert("sub".to_owned(), subject.unwrap_or(Value::Null));
    payload.insert("jti".to_owned(), jti);
    payload.insert("aud".to_owned(), audience);
    payload.insert("exp".to_owned(), Value::from(expires));
    let token = make_token(alg, &key, &header, &payload)
        .map_err(|m| err(&format!("failed to sign the request with the key: {m}")))?;
    set_authorization(ctx, "asap", request, &format!("Bearer {token}"))
}

/// `String(v)` in JavaScript, for the values a claim can hold.
fn js_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if i.unsigned_abs() <= 1 << 53 => i.to_string(),
            (_, Some(f)) => js_number(f),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// `parseInt(s, 10)`: an optional sign and the leading decimal digits; `None` when there are none.
fn js_parse_int(s: &str) -> Option<i64> {
    let s = s.trim_start();
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let end = rest
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len());
    let n: i64 = rest[..end].parse().ok()?;
    Some(if negative { -n } else { n })
}

/// The key as Postman reads it: newlines dropped, surrounding double quotes dropped,
/// URI-decoded; a `data:` URI holds DER of an RSA key, anything else is a PKCS#8 PEM.
fn parse_private_key(kid: &str, text: &str) -> Result<Key, String> {
    let text = text.replace('\n', "");
    let text = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains(['\r', '\u{2028}', '\u{2029}']) => inner.to_owned(),
        _ => text,
    };
    let text = decode_uri_component(&text).ok_or("it is not validly URI-encoded")?;
    let Some(uri) = text.strip_prefix("data:") else {
        return Ok(Key::Pem(text));
    };
    let rest = uri
        .strip_prefix("application/pkcs8;kid=")
        .ok_or("malformed data URI")?;
    let (uri_kid, data) = rest.split_once(";base64,").ok_or("malformed data URI")?;
    let kid_ok = |c: char| c.is_ascii_alphanumeric() || "_.-+/".contains(c);
    let data_ok = |c: char| c.is_ascii_alphanumeric() || "+/=".contains(c);
    if uri_kid.is_empty()
        || !uri_kid.chars().all(kid_ok)
        || data.is_empty()
        || !data.chars().all(data_ok)
    {
        return Err("malformed data URI".to_owned());
    }
    if uri_kid != kid {
        return Err("the key id does not match the one in the data URI".to_owned());
    }
    Ok(Key::RsaDer(super::auth::decode_base64_lenient(data)))
}

/// JavaScript's `decodeURIComponent`; `None` where it throws.
fn decode_uri_component(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_and_strings() {
        assert_eq!(js_parse_int("60"), Some(60));
        assert_eq!(js_parse_int(" 12abc"), Some(12));
        assert_eq!(js_parse_int("abc"), None);
        assert_eq!(js_parse_int("-5"), Some(-5));
        assert_eq!(js_string(&serde_json::json!(1700000000)), "1700000000");
        assert_eq!(js_string(&serde_json::json!("x")), "x");
    }

    #[test]
    fn private_key_forms() {
        assert!(
            matches!(parse_private_key("k", "\"-----BEGIN PRIVATE KEY-----\nAB\n\""), Ok(Key::Pem(p)) if p == "-----BEGIN PRIVATE KEY-----AB")
        );
        assert!(
            matches!(parse_private_key("k/1", "data%3Aapplication%2Fpkcs8%3Bkid%3Dk%2F1%3Bbase64%2CAAEC"), Ok(Key::RsaDer(d)) if d == [0, 1, 2])
        );
        assert!(parse_private_key("other", "data:application/pkcs8;kid=k;base64,AAEC").is_err());
        assert!(parse_private_key("k", "data:application/pkcs8;kid=k;base64,A A").is_err());
        assert!(parse_private_key("k", "%E0%A4%A").is_err());
    }
}
