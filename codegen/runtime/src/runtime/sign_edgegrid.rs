//! Akamai EdgeGrid (Postman `edgegrid`, `EG1-HMAC-SHA256`), as postman-runtime's
//! `lib/authorizer/edgegrid.js` signs:
//!
//! - nothing is signed unless `accessToken`, `clientToken` and `clientSecret` are set; an
//!   existing `Authorization` header is replaced;
//! - `nonce` (a UUID v4) and `timestamp` (`20240102T03:04:05+0000`, UTC) are made when empty;
//! - the signed host is `baseURL`'s host (with its port) when given, else the request's;
//! - `headersToSign` is a comma-separated list: each header present once with a non-empty value
//!   is signed as `name:value` (lower-case name, value trimmed, whitespace runs as one space);
//! - only a POST's body is hashed (base64 SHA-256 of its first `maxBodySize` bytes, default
//!   131072): none for an empty body or a multipart stream.

use hmac::digest::Digest;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::AUTHORIZATION;
use reqwest::{Request, Url};
use sha2::Sha256;

use super::auth::{base64, set_header};
use super::dynamic;
use super::error::Error;
use super::sign::form::{decode, is_form, postman_text};
use super::sign::SignContext;

/// The default `maxBodySize`: 128 KiB.
const MAX_BODY_SIZE: f64 = 131_072.0;

/// Sign `request` with EdgeGrid (see the module documentation).
pub(crate) fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let p = ctx.params;
    let (access, client, secret) = (
        p.get("accessToken"),
        p.get("clientToken"),
        p.get("clientSecret"),
    );
    if access.is_empty() || client.is_empty() || secret.is_empty() {
        return Ok(());
    }
    request.headers_mut().remove(AUTHORIZATION);

    let nonce = match p.non_empty("nonce") {
        Some(nonce) => nonce.to_owned(),
        None => dynamic::value("$guid", ctx.entropy.as_ref()).unwrap_or_default(),
    };
    let timestamp = match p.non_empty("timestamp") {
        Some(ts) => ts.to_owned(),
        None => timestamp(ctx.entropy.now_millis()),
    };
    let host = match p.non_empty("baseURL") {
        Some(base) => base_host(base),
        None => authority(request.url()),
    };
    let body_hash = if request.method().as_str() == "POST" {
        body_hash(request, p.non_empty("maxBodySize"))
    } else {
        None
    };

    let auth = format!("EG1-HMAC-SHA256 client_token={client};access_token={access};timestamp={timestamp};nonce={nonce};");
    let url = request.url();
    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let data = [
        request.method().as_str(),
        url.scheme(),
        &host,
        if path.is_empty() { "/" } else { &path },
        &canonical_headers(request, p.get("headersToSign")),
        body_hash.as_deref().unwrap_or(""),
        &auth,
    ]
    .join("\t");
    let signing_key = hmac_sha256_base64(secret.as_bytes(), timestamp.as_bytes());
    let signature = hmac_sha256_base64(signing_key.as_bytes(), data.as_bytes());
    set_header(
        request,
        AUTHORIZATION,
        &format!("{auth}signature={signature}"),
        ctx.operation,
    )
}

fn hmac_sha256_base64(key: &[u8], data: &[u8]) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    base64(&mac.finalize().into_bytes())
}

/// EdgeGrid's `yyyyMMddTHH:mm:ss+0000` in UTC.
fn timestamp(now_millis: i64) -> String {
    // `2024-01-02T03:04:05.678Z`
    let iso = dynamic::iso_timestamp(now_millis);
    let (date, time) = iso.split_once('T').unwrap_or((&iso, ""));
    format!(
        "{}T{}+0000",
        date.replace('-', ""),
        time.get(..8).unwrap_or(time)
    )
}

/// The host (and explicit port) of `baseURL`, read as `http://` when it has no scheme.
fn base_host(base: &str) -> String {
    let base = base.trim();
    let parsed = if base.contains("://") {
        Url::parse(base)
    } else {
        Url::parse(&format!("http://{base}"))
    };
    match parsed {
        Ok(url) => authority(&url),
        Err(_) => base.to_owned(),
    }
}

/// `host[:port]`, the port only when it is not the scheme's default (Node's `url.host`).
fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// The signed headers, TAB-separated, in the order of `headers_to_sign`.
fn canonical_headers(request: &Request, headers_to_sign: &str) -> String {
    let mut out = Vec::new();
    for name in headers_to_sign.split(',') {
        let name = name.trim().to_lowercase();
        if name.is_empty() {
            continue;
        }
        let mut values = request.headers().get_all(name.as_str()).iter();
        // Postman reads a header present twice as a list, which it does not sign.
        let (Some(value), None) = (values.next(), values.next()) else {
            continue;
        };
        let value = String::from_utf8_lossy(value.as_bytes());
        if value.is_empty() {
            continue;
        }
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push(format!("{name}:{value}"));
    }
    out.join("\t")
}

/// Base64 SHA-256 of the body's first `max_body_size` bytes (JavaScript number rules: an
/// unparsable size hashes it all, zero or less hashes nothing); none without a buffered body.
fn body_hash(request: &Request, max_body_size: Option<&str>) -> Option<String> {
    let body = request.body()?.as_bytes().filter(|b| !b.is_empty())?;
    // Postman hashes a urlencoded body as it re-encodes it, not as it is sent.
    let form = is_form(request).then(|| postman_text(&decode(&String::from_utf8_lossy(body))));
    let body = form.as_ref().map_or(body, String::as_bytes);
    let size = max_body_size.map_or(MAX_BODY_SIZE, js_number);
    let hashed: &[u8] = if size <= 0.0 {
        &[]
    } else if (body.len() as f64) > size {
        &body[..size as usize]
    } else {
        body
    };
    Some(base64(&Sha256::digest(hashed)))
}

/// JavaScript's `Number(text)` for decimal text (`NaN` for anything else).
fn js_number(text: &str) -> f64 {
    let text = text.trim();
    if text.is_empty() {
        return 0.0;
    }
    text.parse::<f64>()
        .ok()
        .filter(|_| !text.contains(['i', 'I', 'n', 'N']))
        .unwrap_or(f64::NAN)
}
