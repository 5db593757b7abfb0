//! Obtaining OAuth 2.0 tokens: the authorization URL, the token endpoint (code exchange and
//! refresh), single-flight refresh shared by concurrent calls, and publishing tokens to the
//! variables so templates see them.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, ACCEPT, WWW_AUTHENTICATE};
use reqwest::StatusCode;

use super::auth::{render_credential, OAuth2Spec};
use super::client::Client;
use super::error::Error;
use super::oauth::{expires_within, OAuth, TokenSet, TokenStore};
use super::vars::{render, render_strict, single_var, Vars};

/// A token that expires within this margin is refreshed before use.
pub const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

const EXCHANGE_OP: &str = "oauth::exchange_code";
const REFRESH_OP: &str = "oauth::refresh_access_token";

/// The client's OAuth state, shared by its clones.
pub(crate) struct OAuthState {
    tokens: Mutex<Tokens>,
    /// Held while talking to the token endpoint, so concurrent callers share one refresh.
    refresh_lock: tokio::sync::Mutex<()>,
    /// The collection's OAuth 2.0 settings: from the builder, else the first operation seen.
    spec: Mutex<Option<&'static OAuth2Spec>>,
    store: Option<Arc<dyn TokenStore>>,
}

struct Tokens {
    config: OAuth,
    token_type: Option<String>,
    /// Bumped whenever a new access token is installed.
    generation: u64,
    /// Bumped whenever a refresh finishes, successfully or not.
    attempts: u64,
    /// `(message, code)` of the last refresh when it failed, shared with concurrent waiters.
    last_failure: Option<(String, Option<String>)>,
}

/// The access token as seen at one moment.
struct Snapshot {
    token: Option<String>,
    expires_at: Option<SystemTime>,
    generation: u64,
    attempts: u64,
}

impl OAuthState {
    pub(crate) fn new(
        config: OAuth,
        store: Option<Arc<dyn TokenStore>>,
        spec: Option<&'static OAuth2Spec>,
    ) -> Self {
        let tokens = Tokens {
            config,
            token_type: None,
            generation: 0,
            attempts: 0,
            last_failure: None,
        };
        Self {
            tokens: Mutex::new(tokens),
            refresh_lock: tokio::sync::Mutex::new(()),
            spec: Mutex::new(spec),
            store,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Tokens> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn spec(&self) -> Option<&'static OAuth2Spec> {
        *self.spec.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn remember(&self, spec: &'static OAuth2Spec) {
        self.spec
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(spec);
    }
}

impl fmt::Debug for OAuthState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tokens = self.lock();
        f.debug_struct("OAuthState")
            .field("config", &tokens.config)
            .field("token_type", &tokens.token_type)
            .field("generation", &tokens.generation)
            .field("token_store", &self.store.is_some())
            .finish()
    }
}

/// Whether a response says the access token is invalid or expired: a 401 whose body or
/// `WWW-Authenticate` header mentions `invalid` and `token`, or `expired` (case-insensitive),
/// but not a missing scope (refreshing cannot fix that).
pub fn token_rejected(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> bool {
    if status != StatusCode::UNAUTHORIZED {
        return false;
    }
    let mut text = String::from_utf8_lossy(body).to_lowercase();
    for value in headers.get_all(WWW_AUTHENTICATE) {
        text.push(' ');
        text.push_str(&String::from_utf8_lossy(value.as_bytes()).to_lowercase());
    }
    !text.contains("scope")
        && (text.contains("invalid") && text.contains("token") || text.contains("expired"))
}

impl Client {
    /// The URL to send the user to for consent (authorization-code flow): the collection's
    /// authorization URL with `response_type=code`, `client_id`, `scope`, `redirect_uri`,
    /// `access_type=offline`, `state` and `extra`, properly encoded.
    ///
    /// `scopes` empty means the collection's default scope; otherwise they are joined with
    /// `,` when the default scope is comma separated, else with a space.
    pub fn authorization_url(
        &self,
        scopes: &[&str],
        state: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Result<String, Error> {
        let spec = self.oauth_spec()?;
        let client_id = self.client_id(spec, "authorization_url")?;
        let redirect_uri = self.redirect_uri(spec, "authorization_url")?;
        let vars = self.vars();
        let base = render_credential(
            spec.auth_url,
            &vars,
            "the OAuth authorization URL",
            "authorization_url",
        )?;
        let mut url = reqwest::Url::parse(&base).map_err(|e| {
            Error::Config(format!(
                "the OAuth authorization URL `{base}` is not valid: {e}"
            ))
        })?;
        let scope = if scopes.is_empty() {
            render(spec.scope, &vars)
        } else {
            scopes.join(if spec.scope.contains(',') { "," } else { " " })
        };
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", &client_id);
            if !scope.is_empty() {
                query.append_pair("scope", &scope);
            }
            if let Some(uri) = &redirect_uri {
                query.append_pair("redirect_uri", uri);
            }
            query.append_pair("access_type", "offline");
            if let Some(state) = state {
                query.append_pair("state", state);
            }
            for (key, value) in extra {
                query.append_pair(key, value);
            }
        }
        Ok(url.into())
    }

    /// Exchange an authorization code for tokens (`grant_type=authorization_code`), start using
    /// them, and save them in the token store.
    pub async fn exchange_code(&self, code: &str) -> Result<TokenSet, Error> {
        let spec = self.oauth_spec()?;
        let _guard = self.inner.oauth.refresh_lock.lock().await;
        let mut form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
        ];
        if let Some(uri) = self.redirect_uri(spec, EXCHANGE_OP)? {
            form.push(("redirect_uri", uri));
        }
        let set = self.token_request(spec, EXCHANGE_OP, form).await?;
        self.commit(spec, set)
    }

    /// Get a new access token with the refresh token (`grant_type=refresh_token`) now, start
    /// using it, and save it in the token store. The refresh token is kept when the server
    /// sends no new one.
    pub async fn refresh_access_token(&self) -> Result<TokenSet, Error> {
        let spec = self.oauth_spec()?;
        let _guard = self.inner.oauth.refresh_lock.lock().await;
        self.refresh_locked(spec).await
    }

    /// The tokens currently in use, if there is an access token.
    pub fn tokens(&self) -> Option<TokenSet> {
        let tokens = self.inner.oauth.lock();
        let access_token = tokens.config.access_token.clone()?;
        Some(TokenSet {
            access_token,
            refresh_token: tokens.config.refresh_token.clone(),
            expires_at: tokens.config.expires_at,
            token_type: tokens.token_type.clone(),
        })
    }

    /// The access token to send for an operation with `spec`, and its generation; refreshed
    /// first when missing or about to expire (and refreshing is possible). `None`: send no
    /// credential (the token variable is set but empty, as Newman does).
    pub(crate) async fn access_token_for(
        &self,
        operation: &'static str,
        spec: &'static OAuth2Spec,
    ) -> Result<Option<(String, u64)>, Error> {
        self.inner.oauth.remember(spec);
        let can_refresh = self.refresh_token(spec).is_some();
        if !can_refresh && self.inner.oauth.lock().config.access_token.is_none() {
            return self.own_token(operation, spec);
        }
        let snap = self.snapshot(spec);
        if let Some(token) = &snap.token {
            // Fresh; or expired by our clock with nothing to refresh it: let the server decide.
            if !can_refresh || !expires_within(snap.expires_at, EXPIRY_MARGIN) {
                self.publish_access_token(spec, token);
                return Ok(Some((token.clone(), snap.generation)));
            }
        }
        if !can_refresh {
            return self.own_token(operation, spec);
        }
        self.refresh_shared(spec, snap, false).await.map(Some)
    }

    /// No token to manage: each auth block sends its own token template, as Postman does (a
    /// collection may give folders different tokens, or a request none: `None`).
    fn own_token(&self, operation: &str, spec: &'static OAuth2Spec) -> Result<Option<(String, u64)>, Error> {
        let rendered = render_strict(spec.access_token, &self.vars());
        match rendered {
            Ok(token) if token.is_empty() => Ok(None),
            Ok(token) => Ok(Some((token, self.inner.oauth.lock().generation))),
            Err(_) => Err(Error::Config(format!(
                "{operation}: no OAuth access token; configure ClientBuilder::oauth with \
                 OAuth::from_refresh_token (or OAuth::from_access_token), or set the token variable"
            ))),
        }
    }

    /// After the API rejected the token of `generation`: refresh once (unless a concurrent call
    /// already did). `false` when there is no refresh token to refresh with.
    pub(crate) async fn refresh_after_rejection(
        &self,
        spec: &'static OAuth2Spec,
        generation: u64,
    ) -> Result<bool, Error> {
        if self.refresh_token(spec).is_none() {
            return Ok(false);
        }
        let mut snap = self.snapshot(spec);
        snap.generation = generation;
        self.refresh_shared(spec, snap, true).await.map(|_| true)
    }

    /// Single flight: wait for the refresh lock; if another caller refreshed meanwhile use its
    /// result (token or failure), else refresh.
    async fn refresh_shared(
        &self,
        spec: &'static OAuth2Spec,
        seen: Snapshot,
        force: bool,
    ) -> Result<(String, u64), Error> {
        let _guard = self.inner.oauth.refresh_lock.lock().await;
        {
            let tokens = self.inner.oauth.lock();
            if tokens.attempts != seen.attempts {
                if let Some((message, code)) = &tokens.last_failure {
                    return Err(Error::OAuth {
                        message: message.clone(),
                        code: code.clone(),
                    });
                }
            }
            if let Some(token) = &tokens.config.access_token {
                let fresh = if force {
                    tokens.generation != seen.generation
                } else {
                    !expires_within(tokens.config.expires_at, EXPIRY_MARGIN)
                };
                if fresh {
                    return Ok((token.clone(), tokens.generation));
                }
            }
        }
        let set = self.refresh_locked(spec).await?;
        let generation = self.inner.oauth.lock().generation;
        Ok((set.access_token, generation))
    }

    /// Refresh; the caller holds the refresh lock. Records the attempt and any failure for
    /// concurrent waiters.
    async fn refresh_locked(&self, spec: &'static OAuth2Spec) -> Result<TokenSet, Error> {
        let result = match self.refresh_token(spec) {
            None => Err(Error::OAuth {
                message:
                    "no refresh token is configured (use OAuth::from_refresh_token, or exchange an \
                          authorization code first)"
                        .to_owned(),
                code: None,
            }),
            Some(refresh) => {
                let form = vec![
                    ("grant_type", "refresh_token".to_owned()),
                    ("refresh_token", refresh.clone()),
                ];
                self.token_request(spec, REFRESH_OP, form)
                    .await
                    .map(|mut set| {
                        set.refresh_token = set.refresh_token.or(Some(refresh));
                        set
                    })
            }
        };
        match result {
            Ok(set) => {
                self.inner.oauth.lock().attempts += 1;
                self.commit(spec, set)
            }
            Err(e) => {
                let failure = match &e {
                    Error::OAuth { message, code } => (message.clone(), code.clone()),
                    other => (format!("the token refresh failed: {other}"), None),
                };
                let mut tokens = self.inner.oauth.lock();
                tokens.attempts += 1;
                tokens.last_failure = Some(failure);
                Err(e)
            }
        }
    }

    /// POST a form to the token endpoint with the client credentials, and read the tokens.
    async fn token_request(
        &self,
        spec: &'static OAuth2Spec,
        operation: &'static str,
        mut form: Vec<(&'static str, String)>,
    ) -> Result<TokenSet, Error> {
        let client_id = self.client_id(spec, operation)?;
        let client_secret = self.client_secret(spec, operation)?;
        let url = render_credential(
            spec.token_url,
            &self.vars(),
            "the OAuth token URL",
            operation,
        )?;
        let mut request = self
            .inner
            .http
            .post(&url)
            .header(ACCEPT, "application/json");
        if spec.client_auth_in_body {
            form.push(("client_id", client_id));
            if !client_secret.is_empty() {
                form.push(("client_secret", client_secret));
            }
        } else {
            request = request.basic_auth(client_id, Some(client_secret));
        }
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|e| Error::transport(operation, e))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| Error::transport(operation, e))?;
        parse_token_response(status, &body, SystemTime::now())
    }

    /// Start using `set`: update the state, publish it to the variables, save it.
    fn commit(&self, spec: &'static OAuth2Spec, mut set: TokenSet) -> Result<TokenSet, Error> {
        {
            let mut tokens = self.inner.oauth.lock();
            if set.refresh_token.is_none() {
                set.refresh_token = tokens.config.refresh_token.clone();
            }
            tokens.config.access_token = Some(set.access_token.clone());
            tokens.config.expires_at = set.expires_at;
            tokens.config.refresh_token = set.refresh_token.clone();
            tokens.token_type = set.token_type.clone();
            tokens.generation += 1;
            tokens.last_failure = None;
        }
        publish(&mut self.vars_mut(), spec, &set);
        if let Some(store) = &self.inner.oauth.store {
            store.save(&set).map_err(Error::TokenStore)?;
        }
        Ok(set)
    }

    /// Make a configured token visible to templates (when the variable does not hold it yet).
    fn publish_access_token(&self, spec: &'static OAuth2Spec, token: &str) {
        if let Some(name) = single_var(spec.access_token) {
            if self.vars().get(name) != Some(token) {
                self.vars_mut().set(name, token, true);
            }
        }
    }

    /// The current token; adopts one from the variables (with their expiry) the first time.
    fn snapshot(&self, spec: &'static OAuth2Spec) -> Snapshot {
        let snap = |tokens: &Tokens| Snapshot {
            token: tokens.config.access_token.clone(),
            expires_at: tokens.config.expires_at,
            generation: tokens.generation,
            attempts: tokens.attempts,
        };
        let first = snap(&self.inner.oauth.lock());
        if first.token.is_some() {
            return first;
        }
        let from_vars = {
            let vars = self.vars();
            render_strict(spec.access_token, &vars)
                .ok()
                .filter(|t| !t.is_empty())
                .map(|t| (t, expiry_from_vars(spec, &vars)))
        };
        let mut tokens = self.inner.oauth.lock();
        if let Some((token, expires_at)) = from_vars {
            if tokens.config.access_token.is_none() {
                tokens.config.access_token = Some(token);
                tokens.config.expires_at = expires_at;
            }
        }
        snap(&tokens)
    }

    /// The refresh token: configured or obtained, else the collection's variable.
    fn refresh_token(&self, spec: &'static OAuth2Spec) -> Option<String> {
        if let Some(token) = self.inner.oauth.lock().config.refresh_token.clone() {
            return Some(token);
        }
        if spec.refresh_token.is_empty() {
            return None;
        }
        render_strict(spec.refresh_token, &self.vars())
            .ok()
            .filter(|t| !t.is_empty())
    }

    /// The client id: configured, else the collection's variable.
    fn client_id(&self, spec: &'static OAuth2Spec, operation: &str) -> Result<String, Error> {
        let id = self.inner.oauth.lock().config.client_id.clone();
        let id = if id.is_empty() {
            render_credential(
                spec.client_id,
                &self.vars(),
                "the OAuth client id",
                operation,
            )?
        } else {
            id
        };
        if id.is_empty() {
            return Err(Error::Config(format!(
                "{operation}: no OAuth client id; use OAuth::new(client_id, client_secret)"
            )));
        }
        Ok(id)
    }

    /// The client secret (may be empty): configured, else the collection's variable.
    fn client_secret(&self, spec: &'static OAuth2Spec, operation: &str) -> Result<String, Error> {
        let secret = self.inner.oauth.lock().config.client_secret.clone();
        if secret.is_empty() {
            render_credential(
                spec.client_secret,
                &self.vars(),
                "the OAuth client secret",
                operation,
            )
        } else {
            Ok(secret)
        }
    }

    /// The redirect URI: configured, else the collection's (`None` when it has none).
    fn redirect_uri(
        &self,
        spec: &'static OAuth2Spec,
        operation: &str,
    ) -> Result<Option<String>, Error> {
        if let Some(uri) = self.inner.oauth.lock().config.redirect_uri.clone() {
            return Ok(Some(uri));
        }
        let uri = render_credential(
            spec.redirect_uri,
            &self.vars(),
            "the OAuth redirect URI",
            operation,
        )?;
        Ok((!uri.is_empty()).then_some(uri))
    }

    fn oauth_spec(&self) -> Result<&'static OAuth2Spec, Error> {
        self.inner.oauth.spec().ok_or_else(|| {
            Error::Config(
                "no OAuth 2.0 settings: this API declares none (or set them with ClientBuilder::oauth2_spec)"
                    .to_owned(),
            )
        })
    }
}

/// Write the tokens into the variables the collection names, so templates see them: the
/// access token, the expiry (epoch ms) and the refresh token.
fn publish(vars: &mut Vars, spec: &OAuth2Spec, set: &TokenSet) {
    if let Some(name) = single_var(spec.access_token) {
        vars.set(name, set.access_token.as_str(), true);
    }
    if !spec.expiry_time.is_empty() {
        if let Some(ms) = set
            .expires_at
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
        {
            vars.set(spec.expiry_time, ms.as_millis().to_string(), false);
        }
    }
    if let (Some(name), Some(refresh)) = (single_var(spec.refresh_token), &set.refresh_token) {
        vars.set(name, refresh.as_str(), true);
    }
}

/// The expiry stored in the collection's expiry variable (epoch ms), if any.
fn expiry_from_vars(spec: &OAuth2Spec, vars: &Vars) -> Option<SystemTime> {
    if spec.expiry_time.is_empty() {
        return None;
    }
    let ms = vars.get(spec.expiry_time)?.trim().parse::<f64>().ok()?;
    let secs = Duration::try_from_secs_f64(ms / 1000.0).ok()?;
    UNIX_EPOCH.checked_add(secs)
}

/// Read a token endpoint response. An `error` key is a failure whatever the status (Zoho
/// answers `{"error":"invalid_code"}` with HTTP 200). `expires_in` may be a number or a string;
/// Zoho's older `expires_in_sec` wins when present (its `expires_in` was in milliseconds).
pub fn parse_token_response(
    status: StatusCode,
    body: &[u8],
    now: SystemTime,
) -> Result<TokenSet, Error> {
    let oauth_error = |message: String, code: Option<String>| Error::OAuth { message, code };
    let value = serde_json::from_slice::<serde_json::Value>(body).ok();
    let Some(obj) = value.as_ref().and_then(serde_json::Value::as_object) else {
        return Err(oauth_error(
            format!("the token endpoint answered HTTP {status} without a JSON object"),
            None,
        ));
    };
    if let Some(error) = obj.get("error").filter(|e| !e.is_null()) {
        let nested = error.as_object();
        let code = json_text(Some(error)).or_else(|| nested.and_then(|n| json_text(n.get("code"))));
        let message = json_text(obj.get("error_description"))
            .or_else(|| nested.and_then(|n| json_text(n.get("message"))))
            .unwrap_or_else(|| format!("the token endpoint refused the request (HTTP {status})"));
        return Err(oauth_error(message, code));
    }
    if !status.is_success() {
        return Err(oauth_error(
            format!("the token endpoint answered HTTP {status}"),
            None,
        ));
    }
    let access_token = json_text(obj.get("access_token"))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            oauth_error(
                "the token endpoint answered without an access_token".to_owned(),
                None,
            )
        })?;
    let expires_in = seconds(obj.get("expires_in_sec")).or_else(|| seconds(obj.get("expires_in")));
    Ok(TokenSet {
        access_token,
        refresh_token: json_text(obj.get("refresh_token")).filter(|t| !t.is_empty()),
        expires_at: expires_in.and_then(|d| now.checked_add(d)),
        token_type: json_text(obj.get("token_type")),
    })
}

fn json_text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn seconds(v: Option<&serde_json::Value>) -> Option<Duration> {
    let secs = match v? {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    Duration::try_from_secs_f64(secs).ok()
}
