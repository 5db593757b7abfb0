//! Hawk (Postman `hawk`), as postman-runtime's `lib/authorizer/hawk.js` and postman-request's
//! `lib/hawk.js` write it, quirks included:
//!
//! - nothing is signed unless `authId` and `authKey` are set; an existing `Authorization` header
//!   is replaced;
//! - `nonce` (6 letters and digits) is made when empty, `timestamp` (Unix seconds) when it does
//!   not start with a non-zero integer (JavaScript's `parseInt`); a given one is sent as written;
//! - an `algorithm` other than `sha1` or `sha256` sends an empty `Authorization` header;
//! - `includePayloadHash` hashes `hawk.1.payload\n<content type without parameters>\n<body>\n`,
//!   only for a non-empty buffered body (not multipart), with the Content-Type of the request
//!   (Postman sees only a Content-Type the collection declares: the one it adds for a body
//!   comes after signing, while here the request already has the one `.json()`/`.form()` set);
//! - the MAC escapes only the first `\` and the first newline of `ext`, the header every `\` and
//!   `"`; `app` and `dlg` are in the MAC only with an `app`.

use hmac::digest::Digest;
use hmac::{EagerHash, Hmac, KeyInit, Mac};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Request, Url};
use sha1::Sha1;
use sha2::Sha256;

use super::auth::{base64, set_header};
use super::error::Error;
use super::sign::form::{decode, is_form, postman_text};
use super::sign::SignContext;

/// The alphabet of the authorizer's `randomString`.
const NONCE_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The hash functions Hawk allows here (postman-request accepts only these two).
#[derive(Clone, Copy)]
enum Algorithm {
    Sha1,
    Sha256,
}

/// Sign `request` with Hawk (see the module documentation).
pub(crate) fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let p = ctx.params;
    let (id, key) = (p.get("authId"), p.get("authKey"));
    if id.is_empty() || key.is_empty() {
        return Ok(());
    }
    request.headers_mut().remove(AUTHORIZATION);

    let nonce = match p.non_empty("nonce") {
        Some(nonce) => nonce.to_owned(),
        None => make_nonce(ctx),
    };
    let timestamp = match js_parse_int(p.get("timestamp")) {
        Some(n) if n != 0.0 => p.get("timestamp").to_owned(),
        _ => ctx.entropy.now_millis().div_euclid(1000).to_string(),
    };
    let algorithm = match p.get("algorithm") {
        "sha1" => Algorithm::Sha1,
        "sha256" => Algorithm::Sha256,
        // postman-request writes an empty header for any other algorithm.
        _ => {
            request
                .headers_mut()
                .insert(AUTHORIZATION, HeaderValue::from_static(""));
            return Ok(());
        }
    };
    let hash = if p.flag("includePayloadHash") {
        payload_hash(request, algorithm)
    } else {
        None
    };

    let artifacts = Artifacts {
        ts: &timestamp,
        nonce: &nonce,
        method: request.method().as_str(),
        resource: resource(request.url()),
        host: host(request.url()),
        port: port(request.url()),
        hash: hash.as_deref().unwrap_or(""),
        ext: p.get("extraData"),
        app: p.get("app"),
        dlg: p.get("delegation"),
    };
    let header = header(id, key, algorithm, &artifacts);
    set_header(request, AUTHORIZATION, &header, ctx.operation)
}

/// What the MAC covers.
struct Artifacts<'a> {
    ts: &'a str,
    nonce: &'a str,
    method: &'a str,
    resource: String,
    host: String,
    port: u16,
    hash: &'a str,
    ext: &'a str,
    app: &'a str,
    dlg: &'a str,
}

/// `Hawk id="..", ts="..", nonce="..", [hash="..", ][ext="..", ]mac=".."[, app=".."[, dlg=".."]]`.
fn header(id: &str, key: &str, algorithm: Algorithm, a: &Artifacts<'_>) -> String {
    let mac = mac(key, algorithm, a);
    let mut header = format!(r#"Hawk id="{id}", ts="{}", nonce="{}"#, a.ts, a.nonce);
    if !a.hash.is_empty() {
        header.push_str(&format!(r#"", hash="{}"#, a.hash));
    }
    if !a.ext.is_empty() {
        header.push_str(&format!(
            r#"", ext="{}"#,
            a.ext.replace('\\', r"\\").replace('"', r#"\""#)
        ));
    }
    header.push_str(&format!(r#"", mac="{mac}""#));
    if !a.app.is_empty() {
        header.push_str(&format!(r#", app="{}"#, a.app));
        if !a.dlg.is_empty() {
            header.push_str(&format!(r#"", dlg="{}"#, a.dlg));
        }
        header.push('"');
    }
    header
}

/// The request MAC over Hawk's normalized string (`calculateMac`).
fn mac(key: &str, algorithm: Algorithm, a: &Artifacts<'_>) -> String {
    let mut normalized = format!(
        "hawk.1.header\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        a.ts,
        a.nonce,
        a.method.to_uppercase(),
        a.resource,
        a.host.to_lowercase(),
        a.port,
        a.hash
    );
    // JavaScript's `String.replace` with a string pattern replaces the first match only.
    normalized.push_str(&a.ext.replacen('\\', r"\\", 1).replacen('\n', r"\n", 1));
    normalized.push('\n');
    if !a.app.is_empty() {
        normalized.push_str(&format!("{}\n{}\n", a.app, a.dlg));
    }
    match algorithm {
        Algorithm::Sha1 => hmac_base64::<Sha1>(key.as_bytes(), normalized.as_bytes()),
        Algorithm::Sha256 => hmac_base64::<Sha256>(key.as_bytes(), normalized.as_bytes()),
    }
}

fn hmac_base64<D: EagerHash>(key: &[u8], data: &[u8]) -> String
where
    Hmac<D>: KeyInit + Mac,
{
    let mut mac = <Hmac<D> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    base64(&mac.finalize().into_bytes())
}

/// The payload hash of a non-empty buffered body; none for no body, an empty one or a stream.
fn payload_hash(request: &Request, algorithm: Algorithm) -> Option<String> {
    let body = request.body()?.as_bytes().filter(|b| !b.is_empty())?;
    // Postman hashes a urlencoded body as it re-encodes it, not as it is sent.
    let form = is_form(request).then(|| postman_text(&decode(&String::from_utf8_lossy(body))));
    let body = form.as_ref().map_or(body, String::as_bytes);
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_lowercase()
        })
        .unwrap_or_default();
    let parts: [&[u8]; 5] = [
        b"hawk.1.payload\n",
        content_type.as_bytes(),
        b"\n",
        body,
        b"\n",
    ];
    Some(match algorithm {
        Algorithm::Sha1 => base64(&digest_all::<Sha1>(&parts)),
        Algorithm::Sha256 => base64(&digest_all::<Sha256>(&parts)),
    })
}

fn digest_all<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
    let mut hasher = D::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().to_vec()
}

/// Path and query as sent (`pathname + search`).
fn resource(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Host name, without the brackets of an IPv6 address (Node's `hostname`).
fn host(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .to_owned()
}

/// The explicit port, else 80 for `http` and 443 for anything else.
fn port(url: &Url) -> u16 {
    url.port()
        .unwrap_or(if url.scheme() == "http" { 80 } else { 443 })
}

/// JavaScript's `parseInt(text)` (base 10 or `0x` hex): `None` for `NaN`.
fn js_parse_int(text: &str) -> Option<f64> {
    let t = text.trim_start();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, t) = match t.get(..2) {
        Some("0x" | "0X") => (16, &t[2..]),
        _ => (10, t),
    };
    let digits: String = t.chars().take_while(|c| c.is_digit(radix)).collect();
    if digits.is_empty() {
        return None;
    }
    let value = digits.chars().fold(0.0, |acc, c| {
        acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
    });
    Some(if negative { -value } else { value })
}

/// The authorizer's `randomString(6)`.
fn make_nonce(ctx: &SignContext<'_>) -> String {
    (0..6)
        .map(|_| {
            let n = NONCE_CHARS.len() as u64;
            let index = ((u128::from(ctx.entropy.next_u64()) * u128::from(n)) >> 64) as usize;
            char::from(NONCE_CHARS[index])
        })
        .collect()
}
