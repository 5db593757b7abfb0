//! Postman's `awsv4` auth: AWS Signature Version 4, computed by AWS's own signer (`aws-sigv4`)
//! and applied as postman-runtime's `lib/authorizer/aws4.js` (with npm `aws4`) applies it.
//!
//! - Parameters: `accessKey`, `secretKey`, `sessionToken`, `service` (default `execute-api`),
//!   `region` (default `us-east-1`), `addAuthDataToQuery`.
//! - First the request's own `Authorization`, `X-Amz-Date`, `X-Amz-Security-Token` and
//!   `X-Amz-Content-Sha256` headers and its `X-Amz-Security-Token`, `-Date`, `-Algorithm`,
//!   `-Credential`, `-SignedHeaders` and `-Signature` query parameters are removed (a user's
//!   `X-Amz-Expires` stays). Every other header is signed, except those aws4 ignores
//!   (`Connection`, `User-Agent`, `Expect`, `Range`, ...), plus `Host`.
//! - The time is the client's clock ([`Entropy`](super::Entropy)), unless the request has a
//!   `Date` header: aws4 signs at that time.
//! - In headers: `X-Amz-Content-Sha256` is the hex SHA-256 of a buffered, non-empty body (none
//!   for an empty or multipart body, except that `s3` always gets one, of the empty body then),
//!   then `X-Amz-Date`, `X-Amz-Security-Token` and `Authorization`.
//! - In the query: `X-Amz-Security-Token`, `X-Amz-Expires=86400` (`s3` only, when the request
//!   has none), `X-Amz-Date`, `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-SignedHeaders`
//!   and `X-Amz-Signature`, appended in that order. The payload is not hashed: `s3` signs
//!   `UNSIGNED-PAYLOAD`, other services the hash of the empty body (as aws4, which is not given
//!   the body).
//!
//! The canonical path and query are aws4's (`s3`: decoded and encoded once, no normalisation;
//! others: `//`, `.` and `..` resolved, each segment encoded again; query keys without a name
//! dropped, `s3` keeps the first value of a repeated key); `aws-sigv4` is handed them ready, with
//! its own path normalisation and encoding off, and computes the canonical headers, the string to
//! sign, the signing key and the signature.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign as sigv4_sign, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use reqwest::header::{HeaderName, HeaderValue, DATE};
use reqwest::{Request, Url};
use sha2::{Digest, Sha256};

use super::dynamic::iso_timestamp;
use super::error::Error;
use super::sign::SignContext;

/// Headers postman-runtime removes before signing.
const REMOVED_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// Query parameters postman-runtime removes before signing.
const REMOVED_PARAMS: &[&str] = &[
    "X-Amz-Security-Token",
    "X-Amz-Date",
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
];

/// Headers aws4 never signs (its `HEADERS_TO_IGNORE`).
const IGNORED_HEADERS: &[&str] = &[
    "authorization",
    "connection",
    "x-amzn-trace-id",
    "user-agent",
    "expect",
    "presigned-expires",
    "range",
];

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// How long an `s3` query signature is valid when the request does not say (aws4's default).
const S3_EXPIRES: &str = "86400";

/// Sign `request` as Postman's `awsv4` auth does.
pub(crate) fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let params = ctx.params;
    let fail = |what: &str| Error::Config(format!("{}: awsv4 auth: {what}", ctx.operation));
    let service = params.non_empty("service").unwrap_or("execute-api");
    let region = params.non_empty("region").unwrap_or("us-east-1");
    let s3 = service == "s3";
    let in_query = params.flag("addAuthDataToQuery");
    let token = params.non_empty("sessionToken");

    for name in REMOVED_HEADERS {
        request.headers_mut().remove(*name);
    }
    remove_query_params(request.url_mut(), REMOVED_PARAMS);
    let time = signing_time(ctx, request)?;
    let date_time = amz_date_time(time);

    let payload = if in_query {
        if s3 {
            UNSIGNED_PAYLOAD.to_owned()
        } else {
            sha256_hex(b"")
        }
    } else {
        let body = request.body().and_then(|b| b.as_bytes()).filter(|b| !b.is_empty());
        let hash = match body {
            Some(bytes) => Some(sha256_hex(bytes)),
            None if s3 => Some(sha256_hex(b"")),
            None => None,
        };
        match hash {
            Some(hash) => {
                let value = HeaderValue::from_str(&hash).expect("hex is a valid header value");
                request.headers_mut().insert("x-amz-content-sha256", value);
                hash
            }
            None => sha256_hex(b""),
        }
    };

    let mut excluded: Vec<Cow<'static, str>> = IGNORED_HEADERS.iter().map(|h| Cow::Borrowed(*h)).collect();
    let mut signed_headers = String::new();
    if in_query {
        // aws-sigv4 adds `x-amz-date` to the headers it signs; in the query it is a parameter.
        excluded.push(Cow::Borrowed("x-amz-date"));
        signed_headers = query_signed_headers(request);
        let scope = format!("{}/{}/{region}/{service}/aws4_request", params.get("accessKey"), &date_time[..8]);
        let mut added: Vec<(&str, &str)> = Vec::new();
        if let Some(token) = token {
            added.push(("X-Amz-Security-Token", token));
        }
        if s3 && !query_has(request.url(), "X-Amz-Expires") {
            added.push(("X-Amz-Expires", S3_EXPIRES));
        }
        added.extend([
            ("X-Amz-Date", date_time.as_str()),
            ("X-Amz-Algorithm", ALGORITHM),
            ("X-Amz-Credential", scope.as_str()),
            ("X-Amz-SignedHeaders", signed_headers.as_str()),
        ]);
        append_query(request.url_mut(), &added);
    }

    let canonical_uri = canonical_uri(request.url(), s3);
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .map(|(name, value)| Ok((name.as_str(), value.to_str().map_err(|_| fail(&format!("the `{name}` header is not visible ASCII")))?)))
        .collect::<Result<_, Error>>()?;
    let identity = Credentials::new(
        params.get("accessKey"),
        params.get("secretKey"),
        if in_query { None } else { token.map(str::to_owned) },
        None,
        "postman-awsv4",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    settings.signature_location = SignatureLocation::Headers;
    settings.excluded_headers = Some(excluded);
    let signing_params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| fail(&e.to_string()))?
        .into();
    let signable = SignableRequest::new(
        request.method().as_str(),
        canonical_uri,
        headers.into_iter(),
        SignableBody::Precomputed(payload),
    )
    .map_err(|e| fail(&e.to_string()))?;
    let (instructions, signature) = sigv4_sign(signable, &signing_params)
        .map_err(|e| fail(&e.to_string()))?
        .into_parts();
    let (signed, _) = instructions.into_parts();

    if in_query {
        // What aws-sigv4 signed must be what the query announces.
        let authorization = signed.iter().find(|h| h.name() == "authorization").map(|h| h.value()).unwrap_or_default();
        if !authorization.contains(&format!("SignedHeaders={signed_headers},")) {
            return Err(fail("the signed headers differ from X-Amz-SignedHeaders"));
        }
        append_query(request.url_mut(), &[("X-Amz-Signature", &signature)]);
        return Ok(());
    }
    for header in signed {
        let name = HeaderName::from_static(header.name());
        let mut value = HeaderValue::from_str(header.value())
            .map_err(|_| fail(&format!("the `{name}` value is not a valid header value")))?;
        value.set_sensitive(header.sensitive() || name == "authorization");
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

/// The `Date` header's time if the request has one (aws4 signs at that time), else the clock.
fn signing_time(ctx: &SignContext<'_>, request: &Request) -> Result<SystemTime, Error> {
    if let Some(date) = request.headers().get(DATE) {
        let text = date.to_str().unwrap_or_default();
        return httpdate::parse_http_date(text).map_err(|_| {
            Error::Config(format!(
                "{}: awsv4 auth: the `Date` header `{text}` is not an HTTP date",
                ctx.operation
            ))
        });
    }
    let millis = ctx.entropy.now_millis().max(0).unsigned_abs();
    Ok(UNIX_EPOCH + Duration::from_millis(millis))
}

/// `YYYYMMDDTHHMMSSZ`, as aws4 makes it from `toISOString()`.
fn amz_date_time(time: SystemTime) -> String {
    let millis = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let iso = iso_timestamp(i64::try_from(millis).unwrap_or(i64::MAX));
    let seconds = iso.split('.').next().unwrap_or_default();
    let mut out: String = seconds.chars().filter(|c| *c != '-' && *c != ':').collect();
    out.push('Z');
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The `X-Amz-SignedHeaders` of a query signature: the request's header names in lower case
/// but the ignored ones, and `host`, sorted.
fn query_signed_headers(request: &Request) -> String {
    let mut names: Vec<String> = request
        .headers()
        .keys()
        .map(|n| n.as_str().to_ascii_lowercase())
        .filter(|n| !IGNORED_HEADERS.contains(&n.as_str()) && n != "x-amz-date")
        .collect();
    names.push("host".to_owned());
    names.sort();
    names.dedup();
    names.join(";")
}

/// RFC 3986 encoding (everything but `A-Z a-z 0-9 - . _ ~`), aws4's `encodeRfc3986Full`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoding as `decodeURIComponent` (bytes that do not form UTF-8 are replaced).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
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

/// The query string's pairs as Node's `querystring.parse` reads them (`+` is a space).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(&key.replace('+', " ")), decode(&value.replace('+', " ")))
        })
        .collect()
}

fn query_has(url: &Url, key: &str) -> bool {
    query_pairs(url.query().unwrap_or_default()).iter().any(|(k, v)| k == key && !v.is_empty())
}

/// aws4's canonical path and query, as a URI for `aws-sigv4` (which then leaves them as they are).
fn canonical_uri(url: &Url, s3: bool) -> String {
    let mut path = url.path().to_owned();
    if path != "/" {
        if !s3 {
            while path.contains("//") {
                path = path.replace("//", "/");
            }
        }
        let mut pieces: Vec<String> = Vec::new();
        for piece in path.split('/') {
            if !s3 && piece == ".." {
                pieces.pop();
            } else if s3 || piece != "." {
                let piece = if s3 { decode(&piece.replace('+', " ")) } else { piece.to_owned() };
                pieces.push(encode(&piece));
            }
        }
        path = pieces.join("/");
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        if s3 {
            path = path.replace("%2F", "/");
        }
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in query_pairs(url.query().unwrap_or_default()) {
        if key.is_empty() || (s3 && pairs.iter().any(|(k, _)| *k == encode(&key))) {
            continue;
        }
        pairs.push((encode(&key), encode(&value)));
    }
    pairs.sort();
    let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let mut uri = format!("{}://{authority}{path}", url.scheme());
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&query.join("&"));
    }
    uri
}

/// Drops the query parameters named `keys` (compared as written), keeping the others as they are.
fn remove_query_params(url: &mut Url, keys: &[&str]) {
    let Some(query) = url.query() else { return };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !keys.contains(&pair.split_once('=').map_or(*pair, |(k, _)| k)))
        .collect();
    if kept.len() == query.split('&').count() {
        return;
    }
    let kept = kept.join("&");
    url.set_query(if kept.is_empty() { None } else { Some(&kept) });
}

/// Appends `pairs` to the query, keys as they are and values encoded as aws4 encodes them.
fn append_query(url: &mut Url, pairs: &[(&str, &str)]) {
    let added: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    let query = match url.query() {
        Some(existing) if !existing.is_empty() => format!("{existing}&{}", added.join("&")),
        _ => added.join("&"),
    };
    url.set_query(Some(&query));
}
