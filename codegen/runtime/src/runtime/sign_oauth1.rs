//! OAuth 1.0a (Postman `oauth1`), signed as postman-runtime's `lib/authorizer/oauth1.js` signs
//! with node-oauth1 1.3.0, quirks included:
//!
//! - nothing is signed unless `consumerKey` and the secret of the method (`consumerSecret`, or
//!   `privateKey` for RSA) are set;
//! - an existing `Authorization` header and `oauth_*` query and form parameters are dropped first;
//! - `nonce` (11 characters of node-oauth1's alphabet, which has no `Y` and no `j`) and
//!   `timestamp` (Unix seconds) are made only when the collection leaves them empty;
//! - blank parameters are neither signed nor sent unless `addEmptyParamsToSign`; the body hash,
//!   callback and verifier only when not empty; an empty `signatureMethod` signs with HMAC-SHA1
//!   (and is then only in the base string);
//! - the base string has the URL without its default port (80 and 443 whatever the scheme), the
//!   query and form parameters decoded (`+` is a space) and everything RFC 3986 encoded;
//! - the query is re-encoded to RFC 3986 (`a+b` is sent as `a%20b`);
//! - the parameters go into `Authorization: OAuth realm="..",oauth_consumer_key="..",..` with
//!   `addParamsToHeader`, else into a urlencoded body of a PUT or POST, else into the query
//!   (a body is urlencoded when its Content-Type says so; an empty form, which the client drops
//!   before signing, is none);
//! - `includeBodyHash` adds `oauth_body_hash` (base64 of the hash named by the method's suffix)
//!   for bodies that are not urlencoded: the hash of `""` without a body, none for multipart.

use hmac::digest::{Digest, OutputSizeUser};
use hmac::{EagerHash, Hmac, KeyInit, Mac};
use reqwest::header::AUTHORIZATION;
use reqwest::{Body, Request, Url};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{AssociatedOid, DecodePrivateKey};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::PrivateKey;
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use super::auth::{base64, set_header};
use super::error::Error;
use super::sign::form::{body_text, decode as decode_form, decode_percent, is_form};
use super::sign::SignContext;
use super::vars::{encode_path_segment as percent_encode, form_text};

/// The parameters Postman removes from the request before it signs (and then adds).
const OAUTH_PARAMS: [&str; 10] = [
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_version",
    "oauth_signature",
    "oauth_callback",
    "oauth_verifier",
    "oauth_body_hash",
];

/// node-oauth1's `OAuth.nonce.CHARS`, typos and all.
const NONCE_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXTZabcdefghiklmnopqrstuvwxyz";

/// Sign `request` with OAuth 1.0a (see the module documentation).
pub(crate) fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let p = ctx.params;
    let method_name = p.get("signatureMethod");
    let mut parts = method_name.split('-');
    let is_rsa = parts.next().is_some_and(|a| a.eq_ignore_ascii_case("RSA"));
    let hash_name = parts.next().filter(|h| !h.is_empty());
    if p.get("consumerKey").is_empty()
        || (!is_rsa && p.get("consumerSecret").is_empty())
        || (is_rsa && p.get("privateKey").is_empty())
    {
        return Ok(());
    }

    request.headers_mut().remove(AUTHORIZATION);
    remove_query_params(request.url_mut());
    let form = is_form(request);
    if form {
        remove_form_params(request);
    }

    let nonce = match p.non_empty("nonce") {
        Some(nonce) => nonce.to_owned(),
        None => make_nonce(ctx),
    };
    let timestamp = match p.non_empty("timestamp") {
        Some(ts) => ts.to_owned(),
        None => ctx.entropy.now_millis().div_euclid(1000).to_string(),
    };
    // Postman drops blank parameters before it signs, unless told to sign empty ones.
    let keep_empty = p.flag("addEmptyParamsToSign");
    let kept = |raw: &str| (keep_empty || !raw.trim().is_empty()).then(|| raw.to_owned());
    let truthy = |raw: &str| kept(raw).filter(|v| !v.is_empty());

    let body_hash = match hash_name {
        Some(hash) if !form && p.flag("includeBodyHash") => body_hash(request, hash),
        _ => None,
    };

    let mut oauth: Vec<(&'static str, String)> = Vec::new();
    for (name, raw) in [
        ("oauth_consumer_key", p.get("consumerKey")),
        ("oauth_token", p.get("token")),
        ("oauth_signature_method", method_name),
        ("oauth_timestamp", timestamp.as_str()),
        ("oauth_nonce", nonce.as_str()),
        ("oauth_version", p.get("version")),
    ] {
        if let Some(value) = kept(raw) {
            oauth.push((name, value));
        }
    }
    if let Some(hash) = body_hash {
        oauth.push(("oauth_body_hash", hash));
    }
    for (name, key) in [
        ("oauth_callback", "callback"),
        ("oauth_verifier", "verifier"),
    ] {
        if let Some(value) = truthy(p.get(key)) {
            oauth.push((name, value));
        }
    }

    let body_params = if form {
        decode_form(body_text(request).as_deref().unwrap_or(""))
    } else {
        Vec::new()
    };

    // node-oauth1 signs with HMAC-SHA1 when the method is empty, and says so in the base string
    // (only there: the parameters Postman sends are its own list).
    let mut signed: Vec<(String, String)> = oauth
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    let method = match signed
        .iter_mut()
        .find(|(k, _)| k == "oauth_signature_method")
    {
        Some((_, v)) if !v.is_empty() => v.clone(),
        Some((_, v)) => {
            *v = "HMAC-SHA1".to_owned();
            v.clone()
        }
        None => {
            signed.push(("oauth_signature_method".to_owned(), "HMAC-SHA1".to_owned()));
            "HMAC-SHA1".to_owned()
        }
    };
    signed.extend(body_params);

    let base = base_string(request.method().as_str(), request.url(), signed);
    let secrets = Secrets {
        consumer_secret: kept(p.get("consumerSecret")).unwrap_or_default(),
        token_secret: kept(p.get("tokenSecret")).unwrap_or_default(),
        private_key: kept(p.get("privateKey")).unwrap_or_default(),
    };
    let signature = signature(&method, &base, &secrets, ctx.operation)?;
    oauth.push(("oauth_signature", signature));

    reencode_query(request.url_mut());
    if p.flag("addParamsToHeader") {
        let realm = kept(p.get("realm"));
        let header =
            authorization_header(realm.as_deref(), &oauth, p.flag("disableHeaderEncoding"));
        set_header(request, AUTHORIZATION, &header, ctx.operation)?;
    } else if form
        && ["PUT", "POST"]
            .iter()
            .any(|m| request.method().as_str().contains(m))
    {
        let mut fields = serde_json::Map::new();
        for (k, v) in &oauth {
            fields.insert((*k).to_owned(), serde_json::Value::String(v.clone()));
        }
        let mut body = body_text(request).unwrap_or_default();
        if !body.is_empty() {
            body.push('&');
        }
        body.push_str(&form_text(&fields));
        *request.body_mut() = Some(Body::from(body));
    } else {
        let url = request.url_mut();
        let mut query = url.query().unwrap_or("").to_owned();
        for (k, v) in &oauth {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&percent_encode(k));
            query.push('=');
            query.push_str(&percent_encode(v));
        }
        url.set_query(Some(&query));
    }
    Ok(())
}

/// The signing secrets. Not `Debug`: they are credentials.
struct Secrets {
    consumer_secret: String,
    token_secret: String,
    private_key: String,
}

/// The signature of `base` with the method `name` (node-oauth1's registered methods).
fn signature(name: &str, base: &str, secrets: &Secrets, operation: &str) -> Result<String, Error> {
    let key = format!(
        "{}&{}",
        percent_encode(&secrets.consumer_secret),
        percent_encode(&secrets.token_secret)
    );
    let name = name.strip_suffix("-Accessor").unwrap_or(name);
    Ok(match name {
        "PLAINTEXT" => key,
        "HMAC-SHA1" => hmac_base64::<Sha1>(key.as_bytes(), base.as_bytes()),
        "HMAC-SHA256" => hmac_base64::<Sha256>(key.as_bytes(), base.as_bytes()),
        "HMAC-SHA512" => hmac_base64::<Sha512>(key.as_bytes(), base.as_bytes()),
        "RSA-SHA1" => rsa_base64::<Sha1>(&secrets.private_key, base, operation)?,
        "RSA-SHA256" => rsa_base64::<Sha256>(&secrets.private_key, base, operation)?,
        "RSA-SHA512" => rsa_base64::<Sha512>(&secrets.private_key, base, operation)?,
        _ => {
            return Err(Error::Config(format!(
                "{operation}: oauth1 auth: unsupported signature method `{name}` (use HMAC-SHA1, \
                 HMAC-SHA256, HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512 or PLAINTEXT)"
            )))
        }
    })
}

fn hmac_base64<D: EagerHash>(key: &[u8], data: &[u8]) -> String
where
    Hmac<D>: KeyInit + Mac,
{
    let mut mac = <Hmac<D> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    base64(&mac.finalize().into_bytes())
}

/// RSASSA-PKCS1-v1_5 with `D`, as Node's `crypto.createSign('RSA-SHA…').sign(pem)`; the key is a
/// PEM PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) RSA private key.
fn rsa_base64<D>(pem: &str, base: &str, operation: &str) -> Result<String, Error>
where
    D: Digest + AssociatedOid + OutputSizeUser,
    SigningKey<D>: Signer<rsa::pkcs1v15::Signature>,
{
    let pem = pem.trim();
    let key = PrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| PrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| {
            Error::Config(format!(
                "{operation}: oauth1 auth: the private key is not an unencrypted PEM RSA private \
                 key (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`)"
            ))
        })?;
    let signature = SigningKey::<D>::new(key)
        .try_sign(base.as_bytes())
        .map_err(|_| Error::Config(format!("{operation}: oauth1 auth: RSA signing failed")))?;
    Ok(base64(&signature.to_bytes()))
}

/// `oauth_body_hash`: base64 of the hash named `hash` (`SHA1`, `SHA256`, `SHA512`) of the body;
/// of `""` without one; none for a streamed (multipart) body, which Postman does not hash.
fn body_hash(request: &Request, hash: &str) -> Option<String> {
    let bytes = match request.body() {
        None => &[][..],
        Some(body) => body.as_bytes()?,
    };
    Some(match hash.to_ascii_uppercase().as_str() {
        "SHA1" => base64(&Sha1::digest(bytes)),
        "SHA256" => base64(&Sha256::digest(bytes)),
        "SHA512" => base64(&Sha512::digest(bytes)),
        _ => return None,
    })
}

/// `METHOD&url&params`, node-oauth1's `getBaseString` of Postman's message: `params` are the
/// OAuth and form parameters, to which the URL's query parameters are added.
fn base_string(method: &str, url: &Url, params: Vec<(String, String)>) -> String {
    let mut all = decode_form(url.query().unwrap_or(""));
    all.extend(params);
    let mut sortable: Vec<(String, String, String)> = all
        .into_iter()
        .filter(|(k, _)| k != "oauth_signature")
        .map(|(k, v)| {
            let (ek, ev) = (percent_encode(&k), percent_encode(&v));
            (format!("{ek} {ev}"), ek, ev)
        })
        .collect();
    sortable.sort_by(|a, b| a.0.cmp(&b.0));
    let normalized = sortable
        .iter()
        .map(|(_, k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        percent_encode(&method.to_uppercase()),
        percent_encode(&base_url(url)),
        percent_encode(&normalized)
    )
}

/// Scheme, host and path, lower-case but for the path; ports 80 and 443 are dropped whatever
/// the scheme (`getOAuth1BaseUrl`).
fn base_url(url: &Url) -> String {
    let host = url.host_str().unwrap_or("").to_lowercase();
    let authority = match url.port() {
        None | Some(80 | 443) => host,
        Some(port) => format!("{host}:{port}"),
    };
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    format!("{}://{authority}{path}", url.scheme().to_lowercase())
}

/// `Authorization: OAuth realm="..",oauth_..="..",..` (node-oauth1's `getAuthorizationHeader`):
/// empty values are left out, values trimmed, names and values RFC 3986 encoded unless
/// `disableHeaderEncoding`.
fn authorization_header(realm: Option<&str>, params: &[(&str, String)], raw: bool) -> String {
    let mut fields = Vec::new();
    if let Some(realm) = realm.filter(|r| !r.trim().is_empty()) {
        let realm = if raw {
            realm.to_owned()
        } else {
            percent_encode(realm)
        };
        fields.push(format!("realm=\"{realm}\""));
    }
    for (name, value) in params {
        if value.is_empty() || !name.starts_with("oauth_") {
            continue;
        }
        let value = value.trim();
        if raw {
            fields.push(format!("{name}=\"{value}\""));
        } else {
            fields.push(format!(
                "{}=\"{}\"",
                percent_encode(name),
                percent_encode(value)
            ));
        }
    }
    format!("OAuth {}", fields.join(","))
}

/// Drop `oauth_*` query parameters (compared as written, as Postman's `removeQueryParams`).
fn remove_query_params(url: &mut Url) {
    let Some(query) = url.query() else { return };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !OAUTH_PARAMS.contains(&pair.split('=').next().unwrap_or("")))
        .collect();
    if kept.len() != query.split('&').count() {
        let kept = kept.join("&");
        url.set_query(if kept.is_empty() { None } else { Some(&kept) });
    }
}

/// Drop `oauth_*` fields from a urlencoded body; the other fields are kept as written.
fn remove_form_params(request: &mut Request) {
    let Some(body) = body_text(request) else {
        return;
    };
    let pairs: Vec<&str> = body.split('&').collect();
    let kept: Vec<&str> = pairs
        .iter()
        .copied()
        .filter(|pair| {
            let name = decode_percent(pair.split('=').next().unwrap_or(""));
            !OAUTH_PARAMS.contains(&name.as_str())
        })
        .collect();
    if kept.len() != pairs.len() {
        *request.body_mut() = Some(Body::from(kept.join("&")));
    }
}

/// Rewrite the query with RFC 3986 encoding (`updateQueryParamEncoding`): each parameter is
/// decoded (`+` is a space) and encoded again; a name without `=` stays without one.
fn reencode_query(url: &mut Url) {
    let Some(query) = url.query().filter(|q| !q.is_empty()) else {
        return;
    };
    let pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => format!(
                "{}={}",
                percent_encode(&decode_percent(k)),
                percent_encode(&decode_percent(v))
            ),
            None => percent_encode(&decode_percent(pair)),
        })
        .collect();
    url.set_query(Some(&pairs.join("&")));
}

/// `OAuth.nonce(11)`: 11 characters of [`NONCE_CHARS`].
fn make_nonce(ctx: &SignContext<'_>) -> String {
    (0..11)
        .map(|_| {
            let n = NONCE_CHARS.len() as u64;
            let index = ((u128::from(ctx.entropy.next_u64()) * u128::from(n)) >> 64) as usize;
            char::from(NONCE_CHARS[index])
        })
        .collect()
}
