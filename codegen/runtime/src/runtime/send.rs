//! One call of a generated request function: the request's constants (an [`Endpoint`], one
//! `static` per function) plus the caller's values, sent by [`Client::send`], which is compiled
//! once for every request (nothing in it is generic).

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, RequestBuilder};

use super::auth::AuthSpec;
use super::client::{Client, Operation, Seg};
use super::error::Error;
use super::response::Response;
use super::vars::form_text;

/// What one request sends on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The operation's name (for errors) and auth.
    pub operation: Operation,
    /// The HTTP method, e.g. `"GET"` (any HTTP token).
    pub method: &'static str,
    /// The URL around the path parameters: `url[0]`, path parameter 0, `url[1]`, parameter 1,
    /// … Each piece is a template rendered against the variables (not encoded); a variable that
    /// is not set fails the call with an [`Error::Config`] naming it.
    pub url: &'static [&'static str],
    /// Headers in order, `(name, value)`; a value with `{{` is rendered at each attempt.
    pub headers: &'static [(&'static str, &'static str)],
    /// Query parameters whose values are rendered from the client's variables at each attempt
    /// (values such as `{{api_key}}`), `(name, value template)`.
    pub query: &'static [(&'static str, &'static str)],
    /// The collection's order of query parameter names, where rendered parameters mix with
    /// typed ones (see [`Client::with_query`]).
    pub query_order: &'static [&'static str],
}

impl Endpoint {
    /// The fields a request does not need to spell out: no headers, no rendered query
    /// parameters (and an unnamed, unauthenticated `GET` of an empty URL).
    pub const DEFAULT: Endpoint = Endpoint {
        operation: Operation {
            name: "",
            auth: AuthSpec::None,
        },
        method: "GET",
        url: &[],
        headers: &[],
        query: &[],
        query_order: &[],
    };
}

/// The body of one call.
pub enum Body<'a> {
    /// No body.
    None,
    /// JSON, sent with `Content-Type: application/json` unless the request declares one.
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded` text, sent with that Content-Type unless the request
    /// declares one (an empty form is not sent at all, as Postman does).
    Form(String),
    /// Bytes sent as they are, with no Content-Type added.
    Raw(Vec<u8>),
    /// Borrowed bytes (a text or file body), sent as they are.
    Bytes(&'a [u8]),
    /// A multipart form, built again for each attempt.
    Multipart(&'a (dyn Fn() -> reqwest::multipart::Form + Send + Sync)),
}

impl Body<'_> {
    /// `value` as a JSON body. Serializing a generated type cannot fail (its maps have string
    /// keys).
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Self {
        Body::Json(serde_json::to_vec(value).unwrap_or_default())
    }

    /// `value` as JSON, sent without a Content-Type (the request turns Postman's off).
    pub fn json_raw<T: serde::Serialize + ?Sized>(value: &T) -> Self {
        Body::Raw(serde_json::to_vec(value).unwrap_or_default())
    }

    /// A form struct as an urlencoded body (see [`form_text`]).
    pub fn form<T: serde::Serialize + ?Sized>(form: &T) -> Self {
        Body::Form(form_text(form))
    }

    /// A form struct as urlencoded text sent without a Content-Type.
    pub fn form_raw<T: serde::Serialize + ?Sized>(form: &T) -> Self {
        Body::Raw(form_text(form).into_bytes())
    }

    /// The Content-Type this body brings when the request declares none.
    fn content_type(&self) -> Option<&'static str> {
        match self {
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
            _ => None,
        }
    }

    fn add_to(&self, request: RequestBuilder) -> RequestBuilder {
        match self {
            Body::None => request,
            Body::Json(bytes) | Body::Raw(bytes) => request.body(bytes.clone()),
            Body::Form(text) => request.body(text.clone()),
            Body::Bytes(bytes) => request.body(bytes.to_vec()),
            Body::Multipart(form) => request.multipart(form()),
        }
    }
}

impl Client {
    /// Send one call of `endpoint`: `path` holds the path parameter values in URL order (each
    /// percent-encoded as one path segment), `query` the typed query pairs in the collection's
    /// order (see [`query_pairs`](super::vars::query_pairs)), `body` the body. Auth, retries,
    /// token refresh and errors as [`Client::execute`].
    pub async fn send(
        &self,
        endpoint: &'static Endpoint,
        path: &[&str],
        query: &[(String, String)],
        body: Body<'_>,
    ) -> Result<Response, Error> {
        let url = self.endpoint_url(endpoint.url, path)?;
        let method = Method::from_bytes(endpoint.method.as_bytes()).unwrap_or(Method::GET);
        let declared = |name: &str| name.eq_ignore_ascii_case(CONTENT_TYPE.as_str());
        let content_type = body.content_type().filter(|_| {
            !self.inner.headers.contains_key(CONTENT_TYPE)
                && !endpoint.headers.iter().any(|(name, _)| declared(name))
        });
        let build = |c: &Client| {
            let url = c.with_query(&url, query, endpoint.query, endpoint.query_order);
            let mut request = c.request(method.clone(), &url);
            for (name, value) in endpoint.headers {
                request = if value.contains("{{") {
                    request.header(*name, c.render(value))
                } else {
                    request.header(*name, *value)
                };
            }
            if let Some(content_type) = content_type {
                request = request.header(CONTENT_TYPE, content_type);
            }
            body.add_to(request)
        };
        self.execute_dyn(&endpoint.operation, &build).await
    }

    /// The URL of one call: the `url` templates rendered strictly, with the `path` values
    /// between them (see [`Client::try_url`]).
    fn endpoint_url(&self, url: &[&str], path: &[&str]) -> Result<String, Error> {
        let mut parts = Vec::with_capacity(url.len() + path.len());
        for (i, piece) in url.iter().enumerate() {
            if i > 0 {
                parts.push(Seg::Param(path.get(i - 1).copied().unwrap_or_default()));
            }
            parts.push(Seg::Lit(piece));
        }
        self.try_url(&parts)
    }
}
