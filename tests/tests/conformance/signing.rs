//! Signed requests (AWS v4, OAuth 1.0, Hawk, EdgeGrid, digest, NTLM, JWT) verified instead of
//! compared byte for byte: their signatures depend on the time, a nonce or a server challenge,
//! so the harness recomputes each one from the canary secrets and the request as it arrived,
//! on both sides, and compares everything else exactly.
//!
//! These verifiers are written from the specifications (AWS Signature Version 4, RFC 5849,
//! the Hawk and EdgeGrid documentation, RFC 7616, MS-NLMP, RFC 7519), not from the runtime's
//! signers. For digest and NTLM the recorder plays the server ([`Challenger`]): an unsigned
//! request gets a `401` with a fixed challenge, and the signed replay is the request compared.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use md5::Md5;
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512, Sha512_256};

use super::compare::{form_decode, Wire};
use super::recorder::Recorded;

/// The signing auth of one request: Postman's auth type and its parameters as Newman rendered
/// them (credentials hold the canary values both sides get).
#[derive(Debug, Clone)]
pub struct SignAuth {
    pub kind: String,
    pub params: BTreeMap<String, String>,
}

impl SignAuth {
    fn get(&self, key: &str) -> &str {
        self.params.get(key).map_or("", String::as_str)
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key) == "true"
    }

    /// Whether the first request goes out unsigned and the server's challenge is answered
    /// (NTLM always; digest without a preset realm and nonce).
    pub fn challenge(&self) -> Option<Challenge> {
        match self.kind.as_str() {
            "ntlm" => Some(Challenge::Ntlm),
            "digest" if self.get("realm").is_empty() || self.get("nonce").is_empty() => Some(Challenge::Digest),
            _ => None,
        }
    }
}

/// Postman's auth types whose requests are signed.
pub const KINDS: &[&str] = &["awsv4", "digest", "edgegrid", "hawk", "jwt", "ntlm", "oauth1"];

/// The credential parameters of each signing kind: the generator sends them from variables
/// (`ClientBuilder::secret`), a literal one from `<kind>-<param>`; the others (nonce, timestamp,
/// region …) are written into the crate.
const CREDENTIALS: &[(&str, &[&str])] = &[
    ("awsv4", &["accessKey", "secretKey", "sessionToken"]),
    ("digest", &["password", "username"]),
    ("edgegrid", &["accessToken", "clientSecret", "clientToken"]),
    ("hawk", &["authId", "authKey", "user"]),
    ("jwt", &["privateKey", "secret"]),
    ("ntlm", &["password", "username"]),
    ("oauth1", &["consumerKey", "consumerSecret", "privateKey", "token", "tokenSecret", "verifier"]),
];

/// Whether `param` of signing auth `kind` is a credential.
pub fn is_credential(kind: &str, param: &str) -> bool {
    CREDENTIALS.iter().any(|(k, params)| *k == kind && params.contains(&param))
}

/// What the recorder answers an unsigned request of a challenged auth with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Challenge {
    Digest,
    Ntlm,
}

/// The digest challenge the recorder sends.
pub const DIGEST_REALM: &str = "conformance@recorder";
pub const DIGEST_NONCE: &str = "5f2b8e0c9d1a4e7b8c3d6f0a1b2c3d4e";
pub const DIGEST_OPAQUE: &str = "0c1d2e3f4a5b6c7d";
/// The NTLM server challenge and target names the recorder sends.
pub const NTLM_CHALLENGE: [u8; 8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
const NTLM_TARGET: &str = "CONFORMANCE";
const NTLM_SERVER: &str = "RECORDER";

/// The recorder's side of the challenges: which Newman requests (by marker) are challenged, and
/// the requests (method, path and query) learned from them, which the generated side's recorder
/// challenges too (it runs after Newman).
#[derive(Debug, Default)]
pub struct Challenger {
    pub by_order: BTreeMap<usize, Challenge>,
    learned: Mutex<BTreeMap<(String, String), Challenge>>,
}

impl Challenger {
    pub fn new(by_order: BTreeMap<usize, Challenge>) -> Challenger {
        Challenger { by_order, learned: Mutex::default() }
    }

    /// The `401` challenge for `request`, if it gets one: `WWW-Authenticate`'s value.
    pub fn respond(&self, request: &Recorded, marker: Option<usize>) -> Option<String> {
        let target = (request.method.clone(), path_and_query(request));
        let authorization = request.header("authorization");
        if let Some(auth) = authorization {
            // NTLM's second leg: the negotiate message gets the challenge.
            let message = auth.strip_prefix("NTLM ").and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())?;
            return (message.get(8..12) == Some(&[1, 0, 0, 0])).then(|| format!("NTLM {}", ntlm_type2()));
        }
        let known = marker.and_then(|m| self.by_order.get(&m).copied());
        let mut learned = self.learned.lock().unwrap();
        let challenge = match known {
            Some(c) => {
                learned.insert(target, c);
                c
            }
            None => *learned.get(&target)?,
        };
        Some(match challenge {
            Challenge::Digest => format!("Digest realm=\"{DIGEST_REALM}\", nonce=\"{DIGEST_NONCE}\", qop=\"auth\", opaque=\"{DIGEST_OPAQUE}\""),
            Challenge::Ntlm => "NTLM".to_owned(),
        })
    }
}

fn path_and_query(request: &Recorded) -> String {
    match &request.query {
        Some(q) => format!("{}?{q}", request.path),
        None => request.path.clone(),
    }
}

/// The NTLM challenge (type 2) message, base64: Unicode, NTLM, extended session security and
/// target info (so that clients answer with NTLMv2), with the fixed server challenge.
fn ntlm_type2() -> String {
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let target = utf16(NTLM_TARGET);
    let mut info = Vec::new();
    for (id, value) in [(2u16, NTLM_TARGET), (1u16, NTLM_SERVER)] {
        let v = utf16(value);
        info.extend(id.to_le_bytes());
        info.extend((v.len() as u16).to_le_bytes());
        info.extend(v);
    }
    info.extend([0, 0, 0, 0]);
    let flags: u32 = 0x0000_0001 | 0x0000_0004 | 0x0000_0200 | 0x0000_8000 | 0x0001_0000 | 0x0008_0000 | 0x0080_0000;
    let header = 48u32;
    let mut m = b"NTLMSSP\0".to_vec();
    m.extend(2u32.to_le_bytes());
    m.extend((target.len() as u16).to_le_bytes());
    m.extend((target.len() as u16).to_le_bytes());
    m.extend(header.to_le_bytes());
    m.extend(flags.to_le_bytes());
    m.extend(NTLM_CHALLENGE);
    m.extend([0; 8]);
    m.extend((info.len() as u16).to_le_bytes());
    m.extend((info.len() as u16).to_le_bytes());
    m.extend((header + target.len() as u32).to_le_bytes());
    m.extend(target);
    m.extend(info);
    base64::engine::general_purpose::STANDARD.encode(m)
}

/// The parts of a signed request that depend on the time, a nonce or the body and are checked
/// by verification instead: header names, query and form parameter names (lower case).
fn signature_parts(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "awsv4" => (
            &["authorization", "x-amz-date", "x-amz-content-sha256"],
            &["x-amz-date", "x-amz-credential", "x-amz-signedheaders", "x-amz-signature", "x-amz-expires"],
        ),
        "oauth1" => (&["authorization"], &["oauth_*"]),
        _ => (&["authorization"], &[]),
    }
}

/// `wire` without the parts [`verify`] checks (for `jwt` also the query parameter it may be
/// sent in).
pub fn strip(wire: &Wire, auth: &SignAuth) -> Wire {
    let (headers, params) = signature_parts(&auth.kind);
    let jwt_param = (auth.kind == "jwt" && auth.get("addTokenTo") == "queryParam")
        .then(|| if auth.get("queryParamKey").is_empty() { "token".to_owned() } else { auth.get("queryParamKey").to_owned() });
    let drop = |name: &str| {
        let lower = name.to_ascii_lowercase();
        params.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => lower.starts_with(prefix),
            None => lower == *p,
        }) || jwt_param.as_deref() == Some(name)
    };
    let mut out = wire.clone();
    out.headers.retain(|name, _| !headers.contains(&name.as_str()));
    out.query.retain(|(k, _)| !drop(k));
    if let super::compare::BodyView::Form(pairs) = &mut out.body {
        pairs.retain(|(k, _)| !drop(k));
    }
    out
}

/// Whether `request` carries anything of `auth`'s signature (an `Authorization` header, or
/// `oauth_*` / `X-Amz-*` / the JWT parameter in the query or the form body). Newman sends none
/// when the auth block cannot sign (a Hawk block without its algorithm, say): then neither may
/// the generated client, and the request is compared as it is.
pub fn has_signature(auth: &SignAuth, request: &Recorded) -> bool {
    if request.header("authorization").is_some() {
        return true;
    }
    let jwt_key = Some(auth.get("queryParamKey")).filter(|k| !k.is_empty()).unwrap_or("token");
    query_pairs(request).iter().chain(form_pairs(request).iter()).any(|(k, _)| match auth.kind.as_str() {
        "oauth1" => k.starts_with("oauth_"),
        "awsv4" => k.to_ascii_lowercase().starts_with("x-amz-"),
        "jwt" => k == jwt_key,
        _ => false,
    })
}

/// Checks the signature of `request` (sent to `recorder`, `http://…` or `https://…`):
/// `Ok(what was verified)` or `Err(why not)`.
pub fn verify(auth: &SignAuth, request: &Recorded, recorder: &str) -> Result<String, String> {
    let scheme = recorder.split_once("://").map_or("http", |(s, _)| s);
    match auth.kind.as_str() {
        "awsv4" => verify_awsv4(auth, request),
        "oauth1" => verify_oauth1(auth, request, scheme),
        "hawk" => verify_hawk(auth, request, scheme),
        "edgegrid" => verify_edgegrid(auth, request, scheme),
        "digest" => verify_digest(auth, request),
        "ntlm" => verify_ntlm(auth, request),
        "jwt" => verify_jwt(auth, request),
        other => Err(format!("no verifier for `{other}`")),
    }
}

type HmacSha1 = Hmac<Sha1>;
type HmacSha256 = Hmac<Sha256>;
type HmacSha512 = Hmac<Sha512>;

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hmac_with(algorithm: &str, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    Some(match algorithm {
        "sha1" => {
            let mut mac = HmacSha1::new_from_slice(key).ok()?;
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        "sha256" => hmac_sha256(key, data),
        "sha384" => {
            let mut mac = Hmac::<Sha384>::new_from_slice(key).ok()?;
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        "sha512" => {
            let mut mac = HmacSha512::new_from_slice(key).ok()?;
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        "md5" => {
            let mut mac = Hmac::<Md5>::new_from_slice(key).ok()?;
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        _ => return None,
    })
}

fn hash_with(algorithm: &str, data: &[u8]) -> Option<Vec<u8>> {
    Some(match algorithm {
        "sha1" => Sha1::digest(data).to_vec(),
        "sha256" => Sha256::digest(data).to_vec(),
        "sha512" => Sha512::digest(data).to_vec(),
        "sha512-256" => Sha512_256::digest(data).to_vec(),
        "md5" => Md5::digest(data).to_vec(),
        _ => return None,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// RFC 3986 percent-encoding: everything but the unreserved characters, upper-case hex.
fn rfc3986(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `key="value"` pairs of an auth header after its scheme (`,` or `;` separated).
fn auth_params(text: &str, separator: char) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = text;
    while !rest.trim().is_empty() {
        let trimmed = rest.trim_start_matches([' ', separator]);
        let Some((key, after)) = trimmed.split_once('=') else { break };
        let (value, tail) = match after.strip_prefix('"') {
            Some(quoted) => match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            },
            None => after.split_once(separator).map_or((after, ""), |(v, t)| (v, t)),
        };
        out.insert(key.trim().to_owned(), value.trim().to_owned());
        rest = tail;
    }
    out
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(what())
    }
}

fn query_pairs(request: &Recorded) -> Vec<(String, String)> {
    request
        .query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

fn form_pairs(request: &Recorded) -> Vec<(String, String)> {
    let urlencoded = request.header("content-type").is_some_and(|c| c.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return Vec::new();
    }
    String::from_utf8_lossy(&request.body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

/// AWS Signature Version 4, in the `Authorization` header or the query string.
fn verify_awsv4(auth: &SignAuth, request: &Recorded) -> Result<String, String> {
    let region = Some(auth.get("region")).filter(|r| !r.is_empty()).unwrap_or("us-east-1");
    let service = Some(auth.get("service")).filter(|s| !s.is_empty()).unwrap_or("execute-api");
    let query = query_pairs(request);
    let from_query = |name: &str| query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let (credential, signed_headers, signature, amz_date, in_query) = match request.header("authorization") {
        Some(header) => {
            let rest = header.strip_prefix("AWS4-HMAC-SHA256 ").ok_or("Authorization is not AWS4-HMAC-SHA256")?;
            let p = auth_params(rest, ',');
            let date = request.header("x-amz-date").ok_or("no X-Amz-Date header")?.to_owned();
            (p.get("Credential").cloned().unwrap_or_default(), p.get("SignedHeaders").cloned().unwrap_or_default(), p.get("Signature").cloned().unwrap_or_default(), date, false)
        }
        None => {
            let signature = from_query("X-Amz-Signature").ok_or("no Authorization header and no X-Amz-Signature parameter")?;
            check(from_query("X-Amz-Algorithm").as_deref() == Some("AWS4-HMAC-SHA256"), || "X-Amz-Algorithm is not AWS4-HMAC-SHA256".into())?;
            (
                from_query("X-Amz-Credential").unwrap_or_default(),
                from_query("X-Amz-SignedHeaders").unwrap_or_default(),
                signature,
                from_query("X-Amz-Date").ok_or("no X-Amz-Date parameter")?,
                true,
            )
        }
    };
    let scope: Vec<&str> = credential.split('/').collect();
    check(scope.len() == 5 && scope[4] == "aws4_request", || format!("credential `{credential}` has no scope"))?;
    check(scope[0] == auth.get("accessKey"), || format!("access key `{}` is not the canary's", scope[0]))?;
    check(scope[2] == region && scope[3] == service, || format!("scope {}/{} is not {region}/{service}", scope[2], scope[3]))?;
    check(amz_date.len() == 16 && amz_date.starts_with(scope[1]), || format!("X-Amz-Date `{amz_date}` does not match the scope date"))?;
    let token = auth.get("sessionToken");
    if !token.is_empty() {
        let sent = request.header("x-amz-security-token").map(str::to_owned).or_else(|| from_query("X-Amz-Security-Token"));
        check(sent.as_deref() == Some(token), || "X-Amz-Security-Token is not the session token".into())?;
    }
    // Canonical request.
    let s3 = service == "s3";
    let mut segments: Vec<String> = Vec::new();
    let raw_path = if s3 { request.path.clone() } else { collapse_slashes(&request.path) };
    for piece in raw_path.split('/').skip(1) {
        if !s3 && piece == ".." {
            segments.pop();
        } else if s3 || piece != "." {
            let piece = if s3 { form_decode(piece) } else { piece.to_owned() };
            segments.push(rfc3986(&piece));
        }
    }
    let mut path = format!("/{}", segments.join("/"));
    if s3 {
        path = path.replace("%2F", "/");
    }
    let mut pairs: Vec<(String, String)> =
        query.iter().filter(|(k, _)| !(in_query && k == "X-Amz-Signature")).map(|(k, v)| (rfc3986(k), rfc3986(v))).collect();
    pairs.sort();
    let canonical_query = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';').filter(|n| !n.is_empty()) {
        let values: Vec<String> = request.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| collapse_spaces(v)).collect();
        check(!values.is_empty(), || format!("signed header `{name}` was not sent"))?;
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    check(signed_headers.split(';').any(|n| n == "host"), || "the Host header is not signed".into())?;
    let body_hash = hex(&Sha256::digest(&request.body));
    let payload = match request.header("x-amz-content-sha256") {
        Some(h) => {
            check(h == "UNSIGNED-PAYLOAD" || h == body_hash, || "X-Amz-Content-Sha256 is not the body's hash".into())?;
            h.to_owned()
        }
        None if in_query && s3 => "UNSIGNED-PAYLOAD".to_owned(),
        None => hex(&Sha256::digest(b"")),
    };
    let canonical = format!("{}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload}", request.method);
    let scope_text = scope[1..].join("/");
    let string_to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope_text}\n{}", hex(&Sha256::digest(canonical.as_bytes())));
    let mut key = hmac_sha256(format!("AWS4{}", auth.get("secretKey")).as_bytes(), scope[1].as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac_sha256(&key, part.as_bytes());
    }
    let expected = hex(&hmac_sha256(&key, string_to_sign.as_bytes()));
    check(expected == signature, || format!("signature {signature} is not {expected} (canonical request {canonical:?})"))?;
    Ok(format!("awsv4 in the {} (signed headers {signed_headers})", if in_query { "query" } else { "header" }))
}

fn collapse_slashes(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// OAuth 1.0 (RFC 5849): the `Authorization: OAuth …` header, or `oauth_*` parameters in the
/// query or the form body.
fn verify_oauth1(auth: &SignAuth, request: &Recorded, scheme: &str) -> Result<String, String> {
    let query = query_pairs(request);
    let form = form_pairs(request);
    let (oauth, place): (Vec<(String, String)>, &str) = match request.header("authorization").and_then(|h| h.strip_prefix("OAuth ")) {
        Some(rest) => {
            let p = auth_params(rest, ',');
            (p.into_iter().filter(|(k, _)| k != "realm").map(|(k, v)| (form_decode(&k), form_decode(&v))).collect(), "header")
        }
        None => {
            let in_query: Vec<(String, String)> = query.iter().filter(|(k, _)| k.starts_with("oauth_")).cloned().collect();
            if in_query.is_empty() {
                (form.iter().filter(|(k, _)| k.starts_with("oauth_")).cloned().collect(), "body")
            } else {
                (in_query, "query")
            }
        }
    };
    let get = |name: &str| oauth.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let signature = get("oauth_signature").ok_or("no oauth_signature")?.to_owned();
    let method = get("oauth_signature_method").unwrap_or("");
    let wanted = Some(auth.get("signatureMethod")).filter(|m| !m.is_empty()).unwrap_or("HMAC-SHA1");
    check(method == wanted, || format!("oauth_signature_method `{method}` is not `{wanted}`"))?;
    check(get("oauth_consumer_key") == Some(auth.get("consumerKey")), || "oauth_consumer_key is not the canary's".into())?;
    if !auth.get("token").is_empty() {
        check(get("oauth_token") == Some(auth.get("token")), || "oauth_token is not the canary's".into())?;
    }
    let host = request.header("host").ok_or("no Host header")?.to_ascii_lowercase();
    let host = match (scheme, host.rsplit_once(':')) {
        ("http", Some((h, "80"))) | ("https", Some((h, "443"))) => h.to_owned(),
        _ => host,
    };
    let base_url = format!("{scheme}://{host}{}", request.path);
    let mut params: Vec<(String, String)> = query
        .iter()
        .filter(|(k, _)| place != "query" || !k.starts_with("oauth_"))
        .chain(form.iter().filter(|(k, _)| place != "body" || !k.starts_with("oauth_")))
        .chain(oauth.iter().filter(|(k, _)| k != "oauth_signature"))
        .map(|(k, v)| (rfc3986(k), rfc3986(v)))
        .collect();
    params.sort();
    let normalized = params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let base = format!("{}&{}&{}", request.method.to_ascii_uppercase(), rfc3986(&base_url), rfc3986(&normalized));
    let key = format!("{}&{}", rfc3986(auth.get("consumerSecret")), rfc3986(auth.get("tokenSecret")));
    let expected = match method {
        "PLAINTEXT" => key,
        "HMAC-SHA1" => b64(&hmac_with("sha1", key.as_bytes(), base.as_bytes()).unwrap()),
        "HMAC-SHA256" => b64(&hmac_with("sha256", key.as_bytes(), base.as_bytes()).unwrap()),
        "HMAC-SHA512" => b64(&hmac_with("sha512", key.as_bytes(), base.as_bytes()).unwrap()),
        // RSA needs the public key of the private key the collection holds: checked for shape only.
        rsa if rsa.starts_with("RSA-") => {
            check(base64::engine::general_purpose::STANDARD.decode(&signature).is_ok_and(|s| s.len() >= 128), || {
                "the RSA signature is not a base64 signature".into()
            })?;
            return Ok(format!("oauth1 {rsa} in the {place}: parameters checked, RSA signature not recomputed"));
        }
        other => return Err(format!("unknown oauth_signature_method `{other}`")),
    };
    check(expected == signature, || format!("oauth_signature `{signature}` is not `{expected}` (base string {base:?})"))?;
    if let Some(hash) = get("oauth_body_hash") {
        let algorithm = match method {
            m if m.ends_with("256") => "sha256",
            m if m.ends_with("512") => "sha512",
            _ => "sha1",
        };
        check(hash == b64(&hash_with(algorithm, &request.body).unwrap()), || "oauth_body_hash is not the body's hash".into())?;
    }
    Ok(format!("oauth1 {method} in the {place}"))
}

fn host_and_port(request: &Recorded, scheme: &str) -> Result<(String, String), String> {
    let host = request.header("host").ok_or("no Host header")?;
    Ok(match host.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h.to_owned(), p.to_owned()),
        _ => (host.to_owned(), if scheme == "https" { "443" } else { "80" }.to_owned()),
    })
}

/// Hawk: the MAC over the normalized request string, and the payload hash when sent.
fn verify_hawk(auth: &SignAuth, request: &Recorded, scheme: &str) -> Result<String, String> {
    let header = request.header("authorization").and_then(|h| h.strip_prefix("Hawk ")).ok_or("no `Authorization: Hawk` header")?;
    let p = auth_params(header, ',');
    let field = |k: &str| p.get(k).map_or("", String::as_str);
    check(field("id") == auth.get("authId"), || format!("id `{}` is not the canary's", field("id")))?;
    let algorithm = Some(auth.get("algorithm")).filter(|a| !a.is_empty()).unwrap_or("sha256");
    let (host, port) = host_and_port(request, scheme)?;
    let hash = field("hash");
    if !hash.is_empty() {
        let content_type = request.header("content-type").unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let mut payload = format!("hawk.1.payload\n{content_type}\n").into_bytes();
        payload.extend(&request.body);
        payload.push(b'\n');
        let expected = b64(&hash_with(algorithm, &payload).ok_or("unknown Hawk algorithm")?);
        check(hash == expected, || format!("payload hash `{hash}` is not `{expected}`"))?;
    } else {
        check(!auth.flag("includePayloadHash"), || "includePayloadHash is on but no hash was sent".into())?;
    }
    let mut normalized = format!(
        "hawk.1.header\n{}\n{}\n{}\n{}\n{host}\n{port}\n{hash}\n{}\n",
        field("ts"),
        field("nonce"),
        request.method,
        path_and_query(request),
        field("ext").replace('\\', "\\\\").replace('\n', "\\n")
    );
    if let Some(app) = p.get("app") {
        normalized.push_str(&format!("{app}\n{}\n", field("dlg")));
    }
    let expected = b64(&hmac_with(algorithm, auth.get("authKey").as_bytes(), normalized.as_bytes()).ok_or("unknown Hawk algorithm")?);
    check(field("mac") == expected, || format!("mac `{}` is not `{expected}`", field("mac")))?;
    Ok(format!("hawk {algorithm}{}", if hash.is_empty() { "" } else { " with payload hash" }))
}

/// Akamai EdgeGrid (EG1-HMAC-SHA256).
fn verify_edgegrid(auth: &SignAuth, request: &Recorded, scheme: &str) -> Result<String, String> {
    let header = request.header("authorization").ok_or("no Authorization header")?;
    let rest = header.strip_prefix("EG1-HMAC-SHA256 ").ok_or("Authorization is not EG1-HMAC-SHA256")?;
    let (prefix, signature) = header.rsplit_once("signature=").ok_or("no signature")?;
    let p = auth_params(rest, ';');
    let field = |k: &str| p.get(k).map_or("", String::as_str);
    check(field("client_token") == auth.get("clientToken"), || "client_token is not the canary's".into())?;
    check(field("access_token") == auth.get("accessToken"), || "access_token is not the canary's".into())?;
    let host = match auth.get("baseURL") {
        "" => request.header("host").ok_or("no Host header")?.to_owned(),
        base => base.split_once("://").map_or(base, |(_, h)| h).split('/').next().unwrap_or("").to_owned(),
    };
    let mut canonical = Vec::new();
    for name in auth.get("headersToSign").split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let lower = name.to_ascii_lowercase();
        if let Some(value) = request.headers.iter().find(|(n, _)| *n == lower).map(|(_, v)| collapse_spaces(v)) {
            if !value.is_empty() {
                canonical.push(format!("{lower}:{value}"));
            }
        }
    }
    let max = auth.get("maxBodySize").parse::<usize>().unwrap_or(131_072);
    let body_hash = if request.method == "POST" && !request.body.is_empty() {
        b64(&Sha256::digest(&request.body[..request.body.len().min(max)]))
    } else {
        String::new()
    };
    let data = [request.method.as_str(), scheme, &host, &path_and_query(request), &canonical.join("\t"), &body_hash, prefix].join("\t");
    let key = b64(&hmac_sha256(auth.get("clientSecret").as_bytes(), field("timestamp").as_bytes()));
    let expected = b64(&hmac_sha256(key.as_bytes(), data.as_bytes()));
    check(signature == expected, || format!("signature `{signature}` is not `{expected}`"))?;
    Ok(format!("edgegrid ({} signed header(s))", canonical.len()))
}

/// HTTP digest (RFC 7616 / 2617): the response hash from the canary password.
fn verify_digest(auth: &SignAuth, request: &Recorded) -> Result<String, String> {
    let header = request.header("authorization").and_then(|h| h.strip_prefix("Digest ")).ok_or("no `Authorization: Digest` header")?;
    let p = auth_params(header, ',');
    let field = |k: &str| p.get(k).map_or("", String::as_str);
    check(field("username") == auth.get("username"), || format!("username `{}` is not the canary's", field("username")))?;
    let uri = path_and_query(request);
    check(field("uri") == uri, || format!("uri `{}` is not the request's `{uri}`", field("uri")))?;
    if auth.challenge().is_some() {
        check(field("nonce") == DIGEST_NONCE && field("realm") == DIGEST_REALM, || "nonce or realm is not the recorder's challenge".into())?;
        check(field("opaque") == DIGEST_OPAQUE, || "opaque is not the recorder's".into())?;
    } else {
        check(field("nonce") == auth.get("nonce") && field("realm") == auth.get("realm"), || "nonce or realm is not the preset one".into())?;
    }
    let algorithm = Some(field("algorithm")).filter(|a| !a.is_empty()).unwrap_or("MD5");
    let (name, sess) = match algorithm.to_ascii_uppercase().strip_suffix("-SESS") {
        Some(base) => (base.to_owned(), true),
        None => (algorithm.to_ascii_uppercase(), false),
    };
    let hash_name = match name.as_str() {
        "MD5" => "md5",
        "SHA-256" => "sha256",
        "SHA-512-256" => "sha512-256",
        other => return Err(format!("unknown digest algorithm `{other}`")),
    };
    let h = |text: String| hex(&hash_with(hash_name, text.as_bytes()).unwrap());
    let mut ha1 = h(format!("{}:{}:{}", field("username"), field("realm"), auth.get("password")));
    if sess {
        ha1 = h(format!("{ha1}:{}:{}", field("nonce"), field("cnonce")));
    }
    let ha2 = h(format!("{}:{}", request.method, field("uri")));
    let expected = match field("qop") {
        "" => h(format!("{ha1}:{}:{ha2}", field("nonce"))),
        qop => h(format!("{ha1}:{}:{}:{}:{qop}:{ha2}", field("nonce"), field("nc"), field("cnonce"))),
    };
    check(field("response") == expected, || format!("response `{}` is not `{expected}`", field("response")))?;
    Ok(format!("digest {algorithm}{}", if auth.challenge().is_some() { " answering the recorder's challenge" } else { "" }))
}

/// NTLM: the NTLMv2 proof of the authenticate (type 3) message from the canary password and
/// the recorder's server challenge.
fn verify_ntlm(auth: &SignAuth, request: &Recorded) -> Result<String, String> {
    let header = request.header("authorization").and_then(|h| h.strip_prefix("NTLM ")).ok_or("no `Authorization: NTLM` header")?;
    let m = base64::engine::general_purpose::STANDARD.decode(header.trim()).map_err(|e| format!("not base64: {e}"))?;
    check(m.starts_with(b"NTLMSSP\0") && m.get(8..12) == Some(&[3, 0, 0, 0]), || "not an NTLM authenticate message".into())?;
    let field = |at: usize| -> Result<&[u8], String> {
        let len = u16::from_le_bytes([m[at], m[at + 1]]) as usize;
        let offset = u32::from_le_bytes([m[at + 4], m[at + 5], m[at + 6], m[at + 7]]) as usize;
        m.get(offset..offset + len).ok_or_else(|| "a field lies outside the message".to_owned())
    };
    let utf16 = |b: &[u8]| String::from_utf16_lossy(&b.chunks(2).map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect::<Vec<_>>());
    let (nt, domain, user) = (field(20)?, field(28)?, field(36)?);
    let (domain, user) = (utf16(domain), utf16(user));
    let (want_domain, want_user) = match (auth.get("domain"), auth.get("username")) {
        ("", u) => match u.split_once('\\') {
            Some((d, u)) => (d.to_owned(), u.to_owned()),
            None => match u.split_once('@') {
                Some((u, d)) => (d.to_owned(), u.to_owned()),
                None => (String::new(), u.to_owned()),
            },
        },
        (d, u) => (d.to_owned(), u.to_owned()),
    };
    check(user == want_user, || format!("user `{user}` is not the canary's"))?;
    check(domain.eq_ignore_ascii_case(&want_domain), || format!("domain `{domain}` is not `{want_domain}`"))?;
    check(nt.len() > 24, || "not an NTLMv2 response".into())?;
    let (proof, blob) = nt.split_at(16);
    let password: Vec<u8> = auth.get("password").encode_utf16().flat_map(u16::to_le_bytes).collect();
    let nt_hash = md4::Md4::digest(&password);
    let identity: Vec<u8> = format!("{}{domain}", user.to_uppercase()).encode_utf16().flat_map(u16::to_le_bytes).collect();
    let key = hmac_with("md5", &nt_hash, &identity).unwrap();
    let mut challenge_blob = NTLM_CHALLENGE.to_vec();
    challenge_blob.extend(blob);
    let expected = hmac_with("md5", &key, &challenge_blob).unwrap();
    check(proof == expected.as_slice(), || "the NTProofStr is not the canary password's".into())?;
    Ok("ntlm NTLMv2 answering the recorder's challenge".to_owned())
}

/// JWT: the HMAC over `header.payload` (HS256/384/512) and the claims the collection sets.
fn verify_jwt(auth: &SignAuth, request: &Recorded) -> Result<String, String> {
    let token = if auth.get("addTokenTo") == "queryParam" {
        let key = Some(auth.get("queryParamKey")).filter(|k| !k.is_empty()).unwrap_or("token");
        query_pairs(request).into_iter().find(|(k, _)| k == key).map(|(_, v)| v).ok_or("no token query parameter")?
    } else {
        let prefix = Some(auth.get("headerPrefix")).filter(|p| !p.is_empty()).unwrap_or("Bearer");
        let header = request.header("authorization").ok_or("no Authorization header")?;
        header.strip_prefix(prefix).map(|t| t.trim().to_owned()).ok_or_else(|| format!("Authorization does not start with `{prefix}`"))?
    };
    let parts: Vec<&str> = token.split('.').collect();
    check(parts.len() == 3, || "not a JWT".into())?;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header: Value = serde_json::from_slice(&url.decode(parts[0]).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let payload: Value = serde_json::from_slice(&url.decode(parts[1]).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let algorithm = header["alg"].as_str().unwrap_or("");
    check(algorithm == auth.get("algorithm"), || format!("alg `{algorithm}` is not `{}`", auth.get("algorithm")))?;
    // (A payload with a `{{variable}}` Newman rendered is not compared.)
    if let Ok(wanted) = serde_json::from_str::<Value>(auth.get("payload")).map_err(drop).and_then(|v| if auth.get("payload").contains("{{") { Err(()) } else { Ok(v) }) {
        check(payload == wanted, || format!("payload {payload} is not the collection's {wanted}"))?;
    }
    let hash = match algorithm {
        "HS256" => "sha256",
        "HS384" => "sha384",
        "HS512" => "sha512",
        other => return Ok(format!("jwt {other}: claims checked, signature not recomputed (needs the public key)")),
    };
    let secret = if auth.flag("isSecretBase64Encoded") {
        base64::engine::general_purpose::STANDARD.decode(auth.get("secret")).map_err(|e| e.to_string())?
    } else {
        auth.get("secret").as_bytes().to_vec()
    };
    let expected = url.encode(hmac_with(hash, &secret, format!("{}.{}", parts[0], parts[1]).as_bytes()).unwrap());
    check(parts[2] == expected, || "the JWT signature is not the canary secret's".into())?;
    Ok(format!("jwt {algorithm}"))
}

/// The effective signing auth of every request of a Newman copy (by request order), its
/// parameters rendered with `variables` (the copy's environment over its collection variables).
pub fn signing_auths(copy: &Value, environment: &Value) -> BTreeMap<usize, SignAuth> {
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    for list in [copy.get("variable"), environment.get("values")] {
        for v in list.and_then(Value::as_array).into_iter().flatten() {
            if let Some(key) = v.get("key").and_then(Value::as_str) {
                let value = match v.get("value") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                vars.insert(key.to_owned(), value);
            }
        }
    }
    let mut out = BTreeMap::new();
    let mut order = 0usize;
    walk_auth(copy.get("item").and_then(Value::as_array).map_or(&[][..], Vec::as_slice), copy.get("auth"), &vars, &mut order, &mut out);
    out
}

fn walk_auth(items: &[Value], inherited: Option<&Value>, vars: &BTreeMap<String, String>, order: &mut usize, out: &mut BTreeMap<usize, SignAuth>) {
    for item in items {
        let own = item.get("auth").filter(|a| !a.is_null());
        if let Some(children) = item.get("item").and_then(Value::as_array) {
            walk_auth(children, own.or(inherited), vars, order, out);
            continue;
        }
        let Some(request) = item.get("request").filter(|r| !r.is_null()) else { continue };
        let n = *order;
        *order += 1;
        let auth = request.get("auth").filter(|a| !a.is_null()).or(inherited);
        let Some(auth) = auth else { continue };
        let Some(kind) = auth.get("type").and_then(Value::as_str).filter(|k| KINDS.contains(k)) else { continue };
        let mut params = BTreeMap::new();
        match auth.get(kind) {
            Some(Value::Array(list)) => {
                for p in list {
                    if let Some(key) = p.get("key").and_then(Value::as_str) {
                        params.insert(key.to_owned(), render(&scalar(p.get("value")), vars));
                    }
                }
            }
            Some(Value::Object(map)) => {
                for (key, value) in map {
                    params.insert(key.clone(), render(&scalar(Some(value)), vars));
                }
            }
            _ => {}
        }
        out.insert(n, SignAuth { kind: kind.to_owned(), params });
    }
}

fn scalar(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(Value::Object(_) | Value::Array(_)) => value.map(Value::to_string).unwrap_or_default(),
        Some(other) => other.to_string(),
    }
}

/// `{{variables}}` replaced by their values (nested ones too), unknown ones kept.
fn render(template: &str, vars: &BTreeMap<String, String>) -> String {
    let mut text = template.to_owned();
    for _ in 0..5 {
        let mut out = String::new();
        let mut rest = text.as_str();
        let mut changed = false;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else { break };
            out.push_str(&rest[..start]);
            match vars.get(after[..end].trim()) {
                Some(value) => {
                    out.push_str(value);
                    changed = true;
                }
                None => out.push_str(&rest[start..start + end + 4]),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        text = out;
        if !changed {
            break;
        }
    }
    text
}

/// The variables that hold the signing auths' credentials: a `{{variable}}` a credential
/// parameter names, or the one the generator sends a literal credential from
/// (`<kind>-<param in kebab case>`, as `awsv4-secret-key`), which the Newman copy names too.
pub fn credential_vars(collection: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    visit_auths(collection, &mut |kind, key, value| {
        if is_credential(kind, key) && !value.is_empty() {
            let refs = postman_codegen::resolve::references(value);
            if refs.is_empty() {
                out.insert(credential_variable(kind, key));
            } else {
                out.extend(refs.into_iter().filter(|r| !r.starts_with('$')).map(str::to_owned));
            }
        }
    });
    out
}

/// Calls `f(kind, key, value)` for every parameter of every signing auth block.
fn visit_auths(value: &Value, f: &mut dyn FnMut(&str, &str, &str)) {
    match value {
        Value::Object(map) => {
            if let Some(auth) = map.get("auth") {
                if let Some(kind) = auth.get("type").and_then(Value::as_str).filter(|k| KINDS.contains(k)) {
                    match auth.get(kind) {
                        Some(Value::Array(list)) => {
                            for p in list {
                                if let Some(key) = p.get("key").and_then(Value::as_str) {
                                    f(kind, key, &scalar(p.get("value")));
                                }
                            }
                        }
                        Some(Value::Object(params)) => {
                            for (key, v) in params {
                                f(kind, key, &scalar(Some(v)));
                            }
                        }
                        _ => {}
                    }
                }
            }
            map.values().for_each(|v| visit_auths(v, f));
        }
        Value::Array(list) => list.iter().for_each(|v| visit_auths(v, f)),
        _ => {}
    }
}

/// The variable the generator sends a literal credential parameter from (`awsv4-secret-key`).
pub use postman_codegen::signing::credential_variable;

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of AWS's documentation (GET with a query, `iam` in `us-east-1`).
    #[test]
    fn awsv4_documentation_example() {
        let request = Recorded {
            method: "GET".into(),
            path: "/".into(),
            query: Some("Action=ListUsers&Version=2010-05-08".into()),
            headers: vec![
                ("host".into(), "iam.amazonaws.com".into()),
                ("content-type".into(), "application/x-www-form-urlencoded; charset=utf-8".into()),
                ("x-amz-date".into(), "20150830T123600Z".into()),
                (
                    "authorization".into(),
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
                     SignedHeaders=content-type;host;x-amz-date, \
                     Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
                        .into(),
                ),
            ],
            body: Vec::new(),
            challenged: false,
        };
        let mut params = BTreeMap::new();
        params.insert("accessKey".into(), "AKIDEXAMPLE".into());
        params.insert("secretKey".into(), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into());
        params.insert("region".into(), "us-east-1".into());
        params.insert("service".into(), "iam".into());
        let auth = SignAuth { kind: "awsv4".into(), params };
        assert!(verify(&auth, &request, "https://iam.amazonaws.com").is_ok(), "{:?}", verify(&auth, &request, "https://x"));
        let mut wrong = auth.clone();
        wrong.params.insert("secretKey".into(), "other".into());
        assert!(verify(&wrong, &request, "https://iam.amazonaws.com").is_err());
    }

    /// RFC 7616's MD5 example (section 3.9.1).
    #[test]
    fn digest_rfc_example() {
        let header = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=MD5, \
                      nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", \
                      qop=auth, response=\"8ca523f5e9506fed4657c9700eebdbec\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        let request = Recorded {
            method: "GET".into(),
            path: "/dir/index.html".into(),
            query: None,
            headers: vec![("authorization".into(), header.into())],
            body: Vec::new(),
            challenged: false,
        };
        let mut params = BTreeMap::new();
        params.insert("username".into(), "Mufasa".into());
        params.insert("password".into(), "Circle of Life".into());
        params.insert("realm".into(), "http-auth@example.org".into());
        params.insert("nonce".into(), "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v".into());
        let auth = SignAuth { kind: "digest".into(), params };
        assert_eq!(verify(&auth, &request, "http://x"), Ok("digest MD5".to_owned()));
    }
}
