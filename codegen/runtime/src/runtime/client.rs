//! The client: configuration, variables, URL building and request starting.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::auth::{AuthSpec, OAuth2Spec};
use super::error::Error;
use super::oauth::{OAuth, TokenStore};
use super::retry::RetryPolicy;
use super::sign::SignSessions;
use super::token::OAuthState;
use super::vars::{encode_path_segment, encode_query_component, render, render_strict, Vars, REDACTED};

/// Default variable values for a client, e.g. the hosts of one data centre. Generated
/// environment enums implement this; `()` means no defaults.
pub trait ClientDefaults {
    /// `(variable name, value)` pairs; none of them is secret.
    fn defaults(&self) -> Vec<(&'static str, &'static str)>;

    /// The collection's OAuth 2.0 settings, used by `Client::authorization_url`,
    /// `Client::exchange_code` and `Client::refresh_access_token`.
    fn oauth2_spec(&self) -> Option<&'static OAuth2Spec> {
        None
    }
}

impl ClientDefaults for () {
    fn defaults(&self) -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }
}

/// The error of parsing an environment from its short name (`"eu".parse::<Environment>()`): the
/// name given and the ones the crate knows, so a misconfigured program says what would work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnvironment {
    /// The name that was given.
    pub given: String,
    /// Every valid short name, in the order of the environment files.
    pub known: &'static [&'static str],
}

impl std::fmt::Display for UnknownEnvironment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown environment `{}`: use one of {}", self.given.escape_debug(), self.known.join(", "))
    }
}

impl std::error::Error for UnknownEnvironment {}

/// One piece of a request URL, see [`Client::url`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    /// Template text, e.g. `"{{api-domain}}/api/v3/chats/"`: variables are rendered, nothing
    /// is encoded.
    Lit(&'a str),
    /// A path parameter value, percent-encoded as one path segment.
    Param(&'a str),
}

/// What the runtime needs to know about one API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The operation's path in the generated crate, e.g. `"v3::chats::post_message"`.
    pub name: &'static str,
    /// How its requests are authenticated.
    pub auth: AuthSpec,
}

/// An API client: cheap to clone (clones share configuration, variables and tokens),
/// `Send + Sync`. `Debug` never prints secrets.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) vars: RwLock<Vars>,
    pub(crate) headers: HeaderMap,
    pub(crate) retry: RetryPolicy,
    pub(crate) oauth: OAuthState,
    /// State of challenge auth schemes (digest nonce count, NTLM leg).
    pub(crate) sessions: SignSessions,
}

impl Client {
    /// Start configuring a client, with `defaults` as the initial variables.
    pub fn builder(defaults: impl ClientDefaults) -> ClientBuilder {
        let mut vars = Vars::new();
        for (name, value) in defaults.defaults() {
            vars.set(name, value, false);
        }
        ClientBuilder {
            vars,
            headers: Vec::new(),
            http: None,
            oauth: None,
            store: None,
            retry: RetryPolicy::default(),
            spec: defaults.oauth2_spec(),
        }
    }

    /// The current value of a variable (tokens obtained by the client included).
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars().get(name).map(str::to_owned)
    }

    /// Build a URL from parts: [`Seg::Lit`] parts are templates rendered against the variables
    /// (not encoded; unknown variables stay `{{name}}`), [`Seg::Param`] parts are percent-encoded
    /// as one path segment.
    pub fn url(&self, parts: &[Seg<'_>]) -> String {
        let vars = self.vars();
        let mut url = String::new();
        for part in parts {
            match part {
                Seg::Lit(t) => url.push_str(&render(t, &vars)),
                Seg::Param(p) => url.push_str(&encode_path_segment(p)),
            }
        }
        url
    }

    /// Like [`Client::url`], but a variable that is not set is an [`Error::Config`] naming it.
    pub fn try_url(&self, parts: &[Seg<'_>]) -> Result<String, Error> {
        let vars = self.vars();
        let mut url = String::new();
        let mut missing: Vec<String> = Vec::new();
        for part in parts {
            match part {
                Seg::Lit(t) => match render_strict(t, &vars) {
                    Ok(s) => url.push_str(&s),
                    Err(names) => {
                        for name in names {
                            if !missing.contains(&name) {
                                missing.push(name);
                            }
                        }
                    }
                },
                Seg::Param(p) => url.push_str(&encode_path_segment(p)),
            }
        }
        if missing.is_empty() {
            Ok(url)
        } else {
            let names = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            Err(Error::Config(format!(
                "the URL needs the variable(s) {names}; set them with ClientBuilder::var"
            )))
        }
    }

    /// `url` with its query string, as Postman writes it: the query struct's `typed` pairs (see
    /// [`query_pairs`](super::vars::query_pairs)) and the `templates` rendered now (values such
    /// as `{{api_key}}` the client holds), in the collection's `order` of names (names it does
    /// not list go last), each name and value encoded by
    /// [`encode_query_component`](super::vars::encode_query_component).
    pub fn with_query(
        &self,
        url: &str,
        typed: &[(String, String)],
        templates: &[(&str, &str)],
        order: &[&str],
    ) -> String {
        let vars = self.vars();
        let mut pairs: Vec<(&str, std::borrow::Cow<'_, str>)> = typed
            .iter()
            .map(|(k, v)| (k.as_str(), std::borrow::Cow::Borrowed(v.as_str())))
            .collect();
        pairs.extend(templates.iter().map(|(k, v)| (*k, std::borrow::Cow::Owned(render(v, &vars)))));
        let rank = |name: &str| order.iter().position(|o| *o == name).unwrap_or(order.len());
        // Stable: repeated names keep their own order.
        pairs.sort_by_key(|(name, _)| rank(name));
        let mut out = String::with_capacity(url.len() + 16 * pairs.len());
        out.push_str(url);
        for (i, (name, value)) in pairs.iter().enumerate() {
            out.push(if i == 0 && !url.contains('?') { '?' } else { '&' });
            out.push_str(&encode_query_component(name, true));
            out.push('=');
            out.push_str(&encode_query_component(value, false));
        }
        out
    }

    /// Render a template against the variables (for header values and constant query values);
    /// unknown variables stay `{{name}}`.
    pub fn render(&self, template: &str) -> String {
        render(template, &self.vars())
    }

    /// Start a request to an absolute URL, with the client's default headers.
    pub fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.inner
            .http
            .request(method, url)
            .headers(self.inner.headers.clone())
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The retry policy for rate-limited responses.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    pub(crate) fn vars(&self) -> RwLockReadGuard<'_, Vars> {
        self.inner
            .vars
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn vars_mut(&self) -> RwLockWriteGuard<'_, Vars> {
        self.inner
            .vars
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("vars", &*self.vars())
            .field("headers", &HeaderNames(&self.inner.headers))
            .field("retry", &self.inner.retry)
            .field("oauth", &self.inner.oauth)
            .finish()
    }
}

/// Prints header names with redacted values.
struct HeaderNames<'a>(&'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k.as_str(), REDACTED)))
            .finish()
    }
}

/// Configures a [`Client`]; made by [`Client::builder`]. `Debug` never prints secrets.
pub struct ClientBuilder {
    vars: Vars,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    oauth: Option<OAuth>,
    store: Option<Arc<dyn TokenStore>>,
    retry: RetryPolicy,
    spec: Option<&'static OAuth2Spec>,
}

impl ClientBuilder {
    /// Set a configuration variable, e.g. `.var("api-domain", "https://cliq.example.com")`.
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.set(name, value, false);
        self
    }

    /// Set a credential variable, e.g. `.secret("token", "...")`; it is never printed.
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.set(name, value, true);
        self
    }

    /// Make Postman's dynamic values (`{{$guid}}`, `{{$timestamp}}`, `{{$randomInt}}` …) from
    /// this clock and random source instead of the system's, e.g. a
    /// [`FixedEntropy`](super::FixedEntropy) so that tests see the same values on every run.
    pub fn entropy(mut self, entropy: impl super::dynamic::Entropy + 'static) -> Self {
        self.vars.set_entropy(entropy);
        self
    }

    /// Use this HTTP client (for proxies, timeouts, TLS settings...). The default one has a
    /// 30 s connect timeout, a 120 s read timeout and follows redirects.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Send this header with every request, e.g. credentials for an auth type the runtime does
    /// not implement. Its value is never printed; an invalid name or value fails `build`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Use these OAuth 2.0 credentials for operations with OAuth 2.0 auth.
    pub fn oauth(mut self, oauth: OAuth) -> Self {
        self.oauth = Some(oauth);
        self
    }

    /// Save tokens here after every code exchange and refresh.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Re-send a call up to `max_retries` times after HTTP 429 or 503, waiting as `Retry-After`
    /// says, or with exponential backoff (1 s, 2 s, 4 s... by default) when it says nothing.
    /// When `Retry-After` asks for longer than the maximum wait (60 s by default), the error is
    /// returned at once. Off by default.
    pub fn retry_on_rate_limit(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// The first backoff delay when a 429/503 has no `Retry-After` (default 1 s).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// The longest wait before one retry (default 60 s).
    pub fn retry_max_wait(mut self, wait: Duration) -> Self {
        self.retry.max_wait = wait;
        self
    }

    /// The OAuth 2.0 settings for `Client::authorization_url`, `Client::exchange_code` and
    /// `Client::refresh_access_token` (overrides `ClientDefaults::oauth2_spec`).
    pub fn oauth2_spec(mut self, spec: &'static OAuth2Spec) -> Self {
        self.spec = Some(spec);
        self
    }

    /// Finish the configuration.
    pub fn build(self) -> Result<Client, Error> {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "the value of header `{name}` is not a valid header value"
                ))
            })?;
            value.set_sensitive(true);
            headers.append(header, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .connect_timeout(Duration::from_secs(30))
                .read_timeout(Duration::from_secs(120))
                .build()
                .map_err(|e| Error::Config(format!("could not create the HTTP client: {e}")))?,
        };
        let oauth = OAuthState::new(self.oauth.unwrap_or_default(), self.store, self.spec);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                vars: RwLock::new(self.vars),
                headers,
                retry: self.retry,
                oauth,
                sessions: SignSessions::default(),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vars", &self.vars)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(n, _)| (n.as_str(), REDACTED))
                    .collect::<Vec<_>>(),
            )
            .field("oauth", &self.oauth)
            .field("token_store", &self.store.is_some())
            .field("retry", &self.retry)
            .field("oauth2_spec", &self.spec.is_some())
            .finish()
    }
}
