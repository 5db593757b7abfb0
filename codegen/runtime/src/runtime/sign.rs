//! Auth schemes that sign each request or answer a server challenge (Postman's `awsv4`,
//! `oauth1`, `hawk`, `edgegrid`, `digest`, `ntlm`, `jwt`, `asap`): the descriptor the generator
//! emits, the rendered parameters a signer reads, and the dispatch to the signer of each kind.
//!
//! Each kind's signer lives in its own file (`sign_<kind>.rs`) behind a crate feature of the same
//! name, which only crates whose collection uses the kind turn on; the generator copies only the
//! files it needs. A signer reads Postman's own parameter names (as postman-runtime's
//! `lib/authorizer/<kind>.js` does), so the descriptor is just the collection's list.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::header::HeaderMap;
use reqwest::{Request, StatusCode};

use super::auth::render_credential;
use super::dynamic::Entropy;
use super::error::Error;
use super::vars::Vars;

/// A signing auth scheme: its kind and Postman's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedSpec {
    /// Which scheme.
    pub kind: SignKind,
    /// Postman's auth parameters as `(key, template)`, e.g. `("region", "{{aws-region}}")`.
    /// Credentials are always `{{variable}}` references set with `ClientBuilder::secret`.
    pub params: &'static [(&'static str, &'static str)],
}

/// The signing schemes, by Postman auth type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignKind {
    /// `awsv4`: AWS Signature Version 4.
    AwsV4,
    /// `oauth1`: OAuth 1.0a.
    OAuth1,
    /// `hawk`: Hawk.
    Hawk,
    /// `edgegrid`: Akamai EdgeGrid (EG1-HMAC-SHA256).
    EdgeGrid,
    /// `digest`: HTTP Digest (challenge and replay).
    Digest,
    /// `ntlm`: NTLM (three-leg handshake).
    Ntlm,
    /// `jwt`: a JSON Web Token made per request.
    Jwt,
    /// `asap`: Atlassian service-to-service JWT.
    Asap,
}

impl SignKind {
    /// Postman's auth type name, which is also the crate feature that turns the signer on.
    pub fn name(self) -> &'static str {
        match self {
            SignKind::AwsV4 => "awsv4",
            SignKind::OAuth1 => "oauth1",
            SignKind::Hawk => "hawk",
            SignKind::EdgeGrid => "edgegrid",
            SignKind::Digest => "digest",
            SignKind::Ntlm => "ntlm",
            SignKind::Jwt => "jwt",
            SignKind::Asap => "asap",
        }
    }
}

/// The parameters of a [`SignedSpec`] rendered against the client's variables for one request.
///
/// A parameter the collection leaves out reads as `""`, as in Postman. `Debug` prints names only:
/// values may be credentials.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SignParams {
    values: BTreeMap<&'static str, String>,
}

impl SignParams {
    /// Render every template of `spec`; a credential variable that is not set is an
    /// [`Error::Config`] naming it.
    pub fn render(spec: &SignedSpec, vars: &Vars, operation: &str) -> Result<Self, Error> {
        let what = format!("{} auth", spec.kind.name());
        let mut values = BTreeMap::new();
        for (key, template) in spec.params {
            values.insert(*key, render_credential(template, vars, &what, operation)?);
        }
        Ok(SignParams { values })
    }

    /// Parameters from literal pairs (tests, and callers that sign by hand).
    pub fn from_pairs(pairs: &[(&'static str, &str)]) -> Self {
        let values = pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        SignParams { values }
    }

    /// The value of `key`, `""` when absent.
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }

    /// Whether the collection gives `key` at all, even empty (Postman tells the two apart in a
    /// few places, e.g. jwt's `headerPrefix`: absent is `Bearer`, empty is no prefix).
    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The value of `key` if it is present and not empty.
    pub fn non_empty(&self, key: &str) -> Option<&str> {
        Some(self.get(key)).filter(|v| !v.is_empty())
    }

    /// A boolean parameter: Postman stores them as `true`/`false` (strings or JSON booleans).
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key).trim(), "true" | "1")
    }
}

impl fmt::Debug for SignParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

/// What a signer gets besides the request: the rendered parameters, the one injectable source
/// of time and randomness (a [`FixedEntropy`](super::FixedEntropy) in tests), the operation name
/// for errors, and the client's state for challenge schemes.
pub struct SignContext<'a> {
    /// The scheme's parameters, rendered.
    pub params: &'a SignParams,
    /// Clock and random numbers (nonces, timestamps, client challenges).
    pub entropy: Arc<dyn Entropy>,
    /// The operation's path in the generated crate, for error messages.
    pub operation: &'a str,
    /// State kept across calls (digest nonce count, NTLM handshake leg).
    pub sessions: &'a SignSessions,
    /// The descriptor, which keys the state in `sessions`.
    pub spec: &'static SignedSpec,
}

impl SignContext<'_> {
    /// Run `f` on this scheme's state of type `T` (made with `Default` on first use).
    pub fn session<T: Default + Send + 'static, R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.sessions.with(self.spec, f)
    }
}

/// Per-client state of challenge schemes, one value per descriptor. Clones of a client share it.
#[derive(Default)]
pub struct SignSessions {
    states: Mutex<Vec<(usize, Box<dyn Any + Send>)>>,
}

impl SignSessions {
    fn with<T: Default + Send + 'static, R>(
        &self,
        spec: &'static SignedSpec,
        f: impl FnOnce(&mut T) -> R,
    ) -> R {
        let key = std::ptr::from_ref(spec) as usize;
        let mut states = self.states.lock().unwrap_or_else(PoisonError::into_inner);
        let index = match states.iter().position(|(k, s)| *k == key && s.is::<T>()) {
            Some(index) => index,
            None => {
                states.push((key, Box::new(T::default())));
                states.len() - 1
            }
        };
        let state = states[index]
            .1
            .downcast_mut::<T>()
            .expect("the state at this index has type T");
        f(state)
    }
}

impl fmt::Debug for SignSessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignSessions")
    }
}

/// What a challenge scheme wants after a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterResponse {
    /// Hand the response to the caller.
    Done,
    /// Build, sign and send the request again (the next leg of a challenge).
    Replay,
}

/// Sign `request` (its URL, headers and buffered body are final) with the scheme of
/// `ctx.spec`. Schemes that answer a challenge may leave the first request unsigned.
pub fn sign(ctx: &SignContext<'_>, request: &mut Request) -> Result<(), Error> {
    let _ = &request;
    match ctx.spec.kind {
        #[cfg(feature = "awsv4")]
        SignKind::AwsV4 => super::sign_awsv4::sign(ctx, request),
        #[cfg(feature = "oauth1")]
        SignKind::OAuth1 => super::sign_oauth1::sign(ctx, request),
        #[cfg(feature = "hawk")]
        SignKind::Hawk => super::sign_hawk::sign(ctx, request),
        #[cfg(feature = "edgegrid")]
        SignKind::EdgeGrid => super::sign_edgegrid::sign(ctx, request),
        #[cfg(feature = "digest")]
        SignKind::Digest => super::sign_digest::sign(ctx, request),
        #[cfg(feature = "ntlm")]
        SignKind::Ntlm => super::sign_ntlm::sign(ctx, request),
        #[cfg(feature = "jwt")]
        SignKind::Jwt => super::sign_jwt::sign(ctx, request),
        #[cfg(feature = "asap")]
        SignKind::Asap => super::sign_asap::sign(ctx, request),
        #[allow(unreachable_patterns)]
        kind => Err(feature_off(kind, ctx.operation)),
    }
}

/// Tell a challenge scheme about the response to a signed request; other schemes are done.
/// The caller replays at most a few times per call, whatever the scheme answers.
pub fn after_response(
    ctx: &SignContext<'_>,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<AfterResponse, Error> {
    let _ = (status, headers);
    match ctx.spec.kind {
        #[cfg(feature = "digest")]
        SignKind::Digest => super::sign_digest::after_response(ctx, status, headers),
        #[cfg(feature = "ntlm")]
        SignKind::Ntlm => super::sign_ntlm::after_response(ctx, status, headers),
        _ => Ok(AfterResponse::Done),
    }
}

/// The error for a scheme whose feature is off.
fn feature_off(kind: SignKind, operation: &str) -> Error {
    Error::Config(format!(
        "{operation}: `{}` auth needs the crate feature `{}`",
        kind.name(),
        kind.name()
    ))
}

/// Urlencoded bodies as the signers read them (Postman's `urlencoded` body mode).
#[cfg(any(feature = "edgegrid", feature = "hawk", feature = "oauth1"))]
pub(crate) mod form {
    use reqwest::header::CONTENT_TYPE;
    use reqwest::Request;

    #[cfg(any(feature = "edgegrid", feature = "hawk"))]
    use super::super::vars::encode_path_segment;

    /// Whether the body is a buffered urlencoded form: its Content-Type says so.
    pub(crate) fn is_form(request: &Request) -> bool {
        let form_type = request.headers().get(CONTENT_TYPE).is_some_and(|v| {
            let essence = v.to_str().unwrap_or("").split(';').next().unwrap_or("");
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
        form_type && request.body().is_some_and(|b| b.as_bytes().is_some())
    }

    /// The buffered body as text (lossy), `None` without one.
    #[cfg(feature = "oauth1")]
    pub(crate) fn body_text(request: &Request) -> Option<String> {
        let bytes = request.body()?.as_bytes()?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    /// `name=value` pairs split on `&` (node-oauth1's `decodeForm`): empty ones skipped, a
    /// missing value read as empty.
    pub(crate) fn decode(form: &str) -> Vec<(String, String)> {
        form.split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => (decode_percent(k), decode_percent(v)),
                None => (decode_percent(pair), String::new()),
            })
            .collect()
    }

    /// `+` as a space, then `%XX` escapes decoded (a malformed escape is kept as written).
    pub(crate) fn decode_percent(text: &str) -> String {
        let bytes = text.as_bytes();
        let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match (
                bytes[i],
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                (b'+', _, _) => out.push(b' '),
                (b'%', Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                (b, _, _) => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The text Postman hashes for a urlencoded body (hawk, edgegrid): postman-url-encoder's
    /// `encodeQueryString` of the fields as a JavaScript object. A repeated name is written
    /// with its first one, names that are array indices (`0`, `17`) come first in numeric order,
    /// and names and values are RFC 3986 encoded (a space is `%20`).
    #[cfg(any(feature = "edgegrid", feature = "hawk"))]
    pub(crate) fn postman_text(fields: &[(String, String)]) -> String {
        let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
        for (name, value) in fields {
            match grouped.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => values.push(value),
                None => grouped.push((name, vec![value])),
            }
        }
        let index = |name: &str| {
            let canonical =
                name == "0" || (!name.starts_with('0') && name.bytes().all(|b| b.is_ascii_digit()));
            name.parse::<u32>()
                .ok()
                .filter(|&n| canonical && n != u32::MAX)
        };
        // A stable sort: indices first by value, other names in their order.
        grouped.sort_by_key(|(name, _)| index(name).map_or((1, 0), |n| (0, n)));
        let mut out = Vec::new();
        for (name, values) in grouped {
            for value in values {
                out.push(format!(
                    "{}={}",
                    encode_path_segment(name),
                    encode_path_segment(value)
                ));
            }
        }
        out.join("&")
    }
}
