//! The one error type every generated function returns.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Everything that can go wrong when calling the API.
///
/// `Display` messages never contain credentials: URLs in transport errors lose their query
/// string, and request bodies are never included.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built or sent, or the response could not be read
    /// (DNS, TLS, connection, timeout, invalid header value, ...).
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operation, e.g. `v3::chats::post_message`.
        operation: &'static str,
        /// The underlying HTTP client error (its URL has no query string).
        source: reqwest::Error,
    },
    /// The API answered with a status that is not 2xx.
    #[error("{operation}: HTTP {status}{}", describe(code.as_deref(), message.as_deref()))]
    Api {
        /// The operation, e.g. `v3::chats::post_message`.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The raw response body.
        body: Vec<u8>,
        /// The API's error code, read from a JSON error body when there is one.
        code: Option<String>,
        /// The API's error message, read from a JSON error body when there is one.
        message: Option<String>,
    },
    /// HTTP 429: the rate limit was hit, and any retries allowed by
    /// `ClientBuilder::retry_on_rate_limit` were used up.
    #[error(
        "{operation}: rate limited (HTTP {status}){}{}",
        describe(code.as_deref(), message.as_deref()),
        retry_hint(*retry_after)
    )]
    RateLimited {
        /// The operation, e.g. `v3::chats::post_message`.
        operation: &'static str,
        /// The HTTP status (429).
        status: StatusCode,
        /// How long the server asked to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The raw response body.
        body: Vec<u8>,
        /// The API's error code, read from a JSON error body when there is one.
        code: Option<String>,
        /// The API's error message, read from a JSON error body when there is one.
        message: Option<String>,
    },
    /// A 2xx response body did not match the expected type.
    #[error("{operation}: could not decode the response body: {source}")]
    Decode {
        /// The operation, e.g. `v3::chats::post_message`.
        operation: &'static str,
        /// What did not match.
        source: serde_json::Error,
        /// The raw response body, kept for inspection.
        body: Vec<u8>,
    },
    /// The OAuth token endpoint refused to issue a token (or answered something unreadable).
    #[error("OAuth token request failed: {message}{}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    OAuth {
        /// What went wrong, from the token endpoint's `error_description` when it gave one.
        message: String,
        /// The token endpoint's `error` code, e.g. `invalid_code` or `invalid_client`.
        code: Option<String>,
    },
    /// New tokens were obtained (and are in use), but the `TokenStore` could not save them.
    #[error("new OAuth tokens could not be saved by the token store: {0}")]
    TokenStore(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The client is not configured well enough for this call, e.g. a variable needed for the
    /// URL or the credentials is missing.
    #[error("configuration error: {0}")]
    Config(String),
}

fn describe(code: Option<&str>, message: Option<&str>) -> String {
    match (message, code) {
        (Some(m), Some(c)) => format!(": {m} ({c})"),
        (Some(m), None) => format!(": {m}"),
        (None, Some(c)) => format!(": {c}"),
        (None, None) => String::new(),
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!("; retry after {} s", d.as_secs_f64().ceil()))
        .unwrap_or_default()
}

impl Error {
    /// A transport error whose URL is stripped of query string, fragment and password, since
    /// those can carry credentials (e.g. `?access_token=`).
    pub fn transport(operation: &'static str, mut source: reqwest::Error) -> Self {
        if let Some(url) = source.url_mut() {
            url.set_query(None);
            url.set_fragment(None);
            // Fails only for URLs that cannot have a password, which then have none.
            let _ = url.set_password(None);
        }
        Error::Transport { operation, source }
    }

    /// The error for a non-2xx response: 429 becomes [`Error::RateLimited`], everything else
    /// [`Error::Api`]; `code` and `message` are read from the body with [`error_fields`].
    pub fn from_response(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
        retry_after: Option<Duration>,
    ) -> Self {
        let (code, message) = error_fields(&body);
        let headers = Box::new(headers);
        if status == StatusCode::TOO_MANY_REQUESTS {
            Error::RateLimited {
                operation,
                status,
                retry_after,
                headers,
                body,
                code,
                message,
            }
        } else {
            Error::Api {
                operation,
                status,
                headers,
                body,
                code,
                message,
            }
        }
    }

    /// The operation that failed, when the error belongs to one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Transport { operation, .. }
            | Error::Api { operation, .. }
            | Error::RateLimited { operation, .. }
            | Error::Decode { operation, .. } => Some(operation),
            _ => None,
        }
    }

    /// The HTTP status, for [`Error::Api`] and [`Error::RateLimited`] (and transport errors
    /// that carry one).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::RateLimited { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The API's (or token endpoint's) error code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. }
            | Error::RateLimited { code, .. }
            | Error::OAuth { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The API's error message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. } | Error::RateLimited { message, .. } => message.as_deref(),
            Error::OAuth { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The raw response body, for [`Error::Api`], [`Error::RateLimited`] and [`Error::Decode`].
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api { body, .. }
            | Error::RateLimited { body, .. }
            | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The response headers, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. } | Error::RateLimited { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// How long the server asked to wait, for [`Error::RateLimited`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether this is [`Error::RateLimited`].
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. })
    }

    /// The body of a non-2xx response ([`Error::Api`], [`Error::RateLimited`]) read as JSON
    /// of type `T`, e.g. the `…Error` type generated for the request from its saved error
    /// examples. `None` for other errors, or when the body does not fit `T`.
    pub fn decode_body<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        match self {
            Error::Api { body, .. } | Error::RateLimited { body, .. } => serde_json::from_slice(body).ok(),
            _ => None,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { operation, source } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::Api {
                operation,
                status,
                headers,
                body,
                code,
                message,
            } => f
                .debug_struct("Api")
                .field("operation", operation)
                .field("status", status)
                .field("code", code)
                .field("message", message)
                .field("headers", headers)
                .field("body", &String::from_utf8_lossy(body))
                .finish(),
            Error::RateLimited {
                operation,
                status,
                retry_after,
                headers,
                body,
                code,
                message,
            } => f
                .debug_struct("RateLimited")
                .field("operation", operation)
                .field("status", status)
                .field("retry_after", retry_after)
                .field("code", code)
                .field("message", message)
                .field("headers", headers)
                .field("body", &String::from_utf8_lossy(body))
                .finish(),
            Error::Decode {
                operation,
                source,
                body,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("source", source)
                .field("body", &String::from_utf8_lossy(body))
                .finish(),
            Error::OAuth { message, code } => f
                .debug_struct("OAuth")
                .field("message", message)
                .field("code", code)
                .finish(),
            Error::TokenStore(e) => f.debug_tuple("TokenStore").field(e).finish(),
            Error::Config(m) => f.debug_tuple("Config").field(m).finish(),
        }
    }
}

/// Read an error `code` and `message` from a JSON error body.
///
/// Understands `{"code": .., "message": ..}` (a numeric code is turned into text),
/// `{"error": "..", "error_description": ".."}` (OAuth style) and
/// `{"error": {"code": .., "message": ..}}`. Anything else gives `(None, None)`.
pub fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    let nested = obj.get("error").and_then(serde_json::Value::as_object);
    let code = text(obj.get("code"))
        .or_else(|| text(obj.get("error")))
        .or_else(|| nested.and_then(|n| text(n.get("code"))));
    let message = text(obj.get("message"))
        .or_else(|| text(obj.get("error_description")))
        .or_else(|| nested.and_then(|n| text(n.get("message"))));
    (code, message)
}

/// A JSON string or number as text; anything else is `None`.
fn text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
