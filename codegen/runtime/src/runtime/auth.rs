//! How a request is authenticated: the descriptors the generator emits, and applying the
//! static kinds (bearer, basic, API key) to a request.

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Request;

use super::error::Error;
use super::sign::SignedSpec;
use super::vars::{render_strict, Vars};

/// The authentication of one operation, as declared in the collection.
///
/// Every `&'static str` is a template rendered against the client's variables at send time,
/// e.g. `"{{access-token}}"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthSpec {
    /// No authentication (`noauth`, or none declared).
    None,
    /// `Authorization: Bearer <token>`; nothing is sent when the token renders empty.
    Bearer {
        /// Template of the token.
        token: &'static str,
    },
    /// `Authorization: Basic base64(username:password)`; nothing is sent when both render empty.
    Basic {
        /// Template of the user name.
        username: &'static str,
        /// Template of the password.
        password: &'static str,
    },
    /// A header `key: value`, or a query parameter `key=value`; nothing is sent when the key
    /// renders empty.
    ApiKey {
        /// Template of the header or query parameter name.
        key: &'static str,
        /// Template of the value.
        value: &'static str,
        /// Whether the key goes into the query string instead of a header.
        in_query: bool,
    },
    /// OAuth 2.0 access token, refreshed by the client when it has an `OAuth` configuration.
    OAuth2(&'static OAuth2Spec),
    /// A scheme that signs each request or answers a server challenge (awsv4, oauth1, hawk,
    /// edgegrid, digest, ntlm, jwt, asap), see [`sign`](super::sign).
    Signed(&'static SignedSpec),
    /// An auth type the runtime has no signer for (the generator warns about it): the caller
    /// supplies the headers, e.g. with `ClientBuilder::header`.
    Unsupported {
        /// The Postman auth type, e.g. `digest`.
        kind: &'static str,
    },
}

/// The OAuth 2.0 settings of a collection (Postman `oauth2` auth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuth2Spec {
    /// Template of the access token, e.g. `"{{access-token}}"`; the variable it names is what
    /// a refresh updates.
    pub access_token: &'static str,
    /// The `Authorization` scheme, e.g. `"Bearer"` or `"Zoho-oauthtoken"`.
    pub header_prefix: &'static str,
    /// Send the token as `?access_token=` instead of a header (Postman `addTokenTo=queryParams`).
    pub add_to_query: bool,
    /// Template of the authorization endpoint, e.g. `"{{accounts-url}}/oauth/v2/auth"`.
    pub auth_url: &'static str,
    /// Template of the token endpoint, e.g. `"{{accounts-url}}/oauth/v2/token"`.
    pub token_url: &'static str,
    /// The default scope string, comma or space separated as the API wants.
    pub scope: &'static str,
    /// Template of the client id, e.g. `"{{client-id}}"`.
    pub client_id: &'static str,
    /// Template of the client secret, e.g. `"{{client-secret}}"`.
    pub client_secret: &'static str,
    /// Template of the redirect URI.
    pub redirect_uri: &'static str,
    /// Template naming the refresh-token variable, e.g. `"{{refresh-token}}"` (`""` if none).
    pub refresh_token: &'static str,
    /// Name of the variable holding the expiry in epoch milliseconds, e.g. `"expiry-time"`
    /// (`""` if none).
    pub expiry_time: &'static str,
    /// Send the client credentials in the form body (Postman `client_authentication=body`)
    /// instead of HTTP basic authentication.
    pub client_auth_in_body: bool,
}

/// Render a credential template; a missing variable is a [`Error::Config`] naming it.
pub fn render_credential(
    template: &str,
    vars: &Vars,
    what: &str,
    operation: &str,
) -> Result<String, Error> {
    render_strict(template, vars).map_err(|missing| {
        let names = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        Error::Config(format!(
            "{operation}: {what} needs the variable(s) {names}; set them with ClientBuilder::secret or ClientBuilder::var"
        ))
    })
}

/// Apply bearer, basic or API-key auth to `req`. `None`, `Unsupported`, `OAuth2` (which the
/// client handles, since it may need a refresh) and `Signed` (signed last, once the request is
/// final) leave the request unchanged.
pub fn apply_static(
    spec: &AuthSpec,
    vars: &Vars,
    operation: &str,
    req: &mut Request,
) -> Result<(), Error> {
    match *spec {
        AuthSpec::Bearer { token } => {
            let token = render_credential(token, vars, "bearer auth", operation)?;
            if !token.is_empty() {
                set_header(req, AUTHORIZATION, &format!("Bearer {token}"), operation)?;
            }
        }
        AuthSpec::Basic { username, password } => {
            let user = render_credential(username, vars, "basic auth", operation)?;
            let pass = render_credential(password, vars, "basic auth", operation)?;
            if !(user.is_empty() && pass.is_empty()) {
                let encoded = base64(format!("{user}:{pass}").as_bytes());
                set_header(req, AUTHORIZATION, &format!("Basic {encoded}"), operation)?;
            }
        }
        AuthSpec::ApiKey {
            key,
            value,
            in_query,
        } => {
            let key = render_credential(key, vars, "API key auth", operation)?;
            let value = render_credential(value, vars, "API key auth", operation)?;
            if key.is_empty() {
                return Ok(());
            }
            if in_query {
                add_query(req, &key, &value);
            } else {
                let name = HeaderName::from_bytes(key.as_bytes()).map_err(|_| {
                    Error::Config(format!(
                        "{operation}: API key name `{key}` is not a valid header name"
                    ))
                })?;
                set_header(req, name, &value, operation)?;
            }
        }
        AuthSpec::None
        | AuthSpec::OAuth2(_)
        | AuthSpec::Signed(_)
        | AuthSpec::Unsupported { .. } => {}
    }
    Ok(())
}

/// Set (replace) a header holding a credential; it is marked sensitive.
pub fn set_header(
    req: &mut Request,
    name: HeaderName,
    value: &str,
    operation: &str,
) -> Result<(), Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::Config(format!(
            "{operation}: the `{name}` credential contains characters not allowed in a header"
        ))
    })?;
    value.set_sensitive(true);
    req.headers_mut().insert(name, value);
    Ok(())
}

/// Append `key=value` to the request's query string (form-encoded).
pub fn add_query(req: &mut Request, key: &str, value: &str) {
    req.url_mut().query_pairs_mut().append_pair(key, value);
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
pub fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Node's `Buffer.from(s, 'base64')`: both alphabets, other characters skipped, `=` ends it.
pub fn decode_base64_lenient(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
