//! OAuth 2.0 credentials the client is configured with, the tokens it obtains, and where it
//! saves them.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::vars::REDACTED;

/// OAuth 2.0 credentials for `ClientBuilder::oauth`.
///
/// With a refresh token the client obtains access tokens itself (before the first call, shortly
/// before expiry, and once when the API rejects a token). Empty client id or secret fall back to
/// the variables named by the collection (e.g. `client-id`). `Debug` redacts the secrets.
#[derive(Clone, Default)]
pub struct OAuth {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) refresh_token: Option<String>,
    pub(crate) access_token: Option<String>,
    pub(crate) expires_at: Option<SystemTime>,
    pub(crate) redirect_uri: Option<String>,
}

impl OAuth {
    /// Client credentials without tokens yet: use `Client::authorization_url` and
    /// `Client::exchange_code` to get some.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            ..Self::default()
        }
    }

    /// Client credentials and a refresh token: the client fetches access tokens as needed.
    pub fn from_refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        Self::new(client_id, client_secret).with_refresh_token(refresh_token)
    }

    /// Only an access token, of unknown expiry: it is used until the API rejects it, and cannot
    /// be refreshed.
    pub fn from_access_token(token: impl Into<String>) -> Self {
        Self {
            access_token: Some(token.into()),
            ..Self::default()
        }
    }

    /// The redirect URI registered for the client (overrides the collection's).
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Start with this access token (e.g. one saved by a `TokenStore`), valid until `expires_at`
    /// (`None`: unknown, used until the API rejects it).
    pub fn with_access_token(
        mut self,
        token: impl Into<String>,
        expires_at: Option<SystemTime>,
    ) -> Self {
        self.access_token = Some(token.into());
        self.expires_at = expires_at;
        self
    }

    /// Use this refresh token.
    pub fn with_refresh_token(mut self, token: impl Into<String>) -> Self {
        self.refresh_token = Some(token.into());
        self
    }

    /// Start with tokens saved earlier by a `TokenStore`.
    pub fn with_tokens(mut self, tokens: TokenSet) -> Self {
        self.access_token = Some(tokens.access_token);
        self.expires_at = tokens.expires_at;
        if tokens.refresh_token.is_some() {
            self.refresh_token = tokens.refresh_token;
        }
        self
    }
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.client_id)
            .field("client_secret", &redact(&self.client_secret))
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| REDACTED),
            )
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| REDACTED),
            )
            .field("expires_at", &self.expires_at)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

fn redact(s: &str) -> &'static str {
    if s.is_empty() {
        ""
    } else {
        REDACTED
    }
}

/// Tokens returned by the token endpoint. `Debug` redacts the tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// The access token.
    pub access_token: String,
    /// The refresh token: the new one when the server sent one, else the one in use.
    pub refresh_token: Option<String>,
    /// When the access token expires, from `expires_in`.
    pub expires_at: Option<SystemTime>,
    /// The `token_type` the server reported, e.g. `Bearer`.
    pub token_type: Option<String>,
}

impl TokenSet {
    /// Whether the access token expires within `margin` from now (`false` when the expiry is
    /// unknown).
    pub fn expires_within(&self, margin: Duration) -> bool {
        expires_within(self.expires_at, margin)
    }
}

/// Whether `expires_at` is known and within `margin` from now.
pub fn expires_within(expires_at: Option<SystemTime>, margin: Duration) -> bool {
    expires_at.is_some_and(|at| at <= SystemTime::now() + margin)
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &REDACTED)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| REDACTED),
            )
            .field("expires_at", &self.expires_at)
            .field("token_type", &self.token_type)
            .finish()
    }
}

/// Persists tokens, e.g. to a file or a secrets manager.
///
/// `save` is called after every successful code exchange and refresh, with the complete set
/// (including the refresh token kept from before when the server sent no new one). It runs
/// while other calls wait for the new token, so keep it quick. A closure
/// `Fn(&TokenSet) -> Result<(), Box<dyn Error + Send + Sync>>` is a `TokenStore` too.
pub trait TokenStore: Send + Sync {
    /// Save `tokens`; an error is reported as `Error::TokenStore` (the tokens are used anyway).
    fn save(&self, tokens: &TokenSet) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;
}

impl<F> TokenStore for F
where
    F: Fn(&TokenSet) -> Result<(), Box<dyn std::error::Error + Send + Sync>> + Send + Sync,
{
    fn save(&self, tokens: &TokenSet) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self(tokens)
    }
}
