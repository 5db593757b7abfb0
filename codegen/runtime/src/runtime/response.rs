//! A successful (2xx) response, read in full, and its decoding.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::Error;

/// A 2xx response whose body has been read.
#[derive(Clone)]
pub struct Response {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
    operation: &'static str,
}

impl Response {
    /// A response of `operation` (used in error messages).
    pub fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Self {
        Self {
            status,
            headers,
            body,
            operation,
        }
    }

    /// The operation this response belongs to, e.g. `v3::chats::post_message`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Decode the body as JSON.
    ///
    /// An empty (or all-whitespace) body decodes as JSON `null`, so `()` and `Option<T>` work for
    /// 204 responses. On failure the error keeps the raw body.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let empty = self.body.iter().all(u8::is_ascii_whitespace);
        let input: &[u8] = if empty { b"null" } else { &self.body };
        serde_json::from_slice(input).map_err(|source| Error::Decode {
            operation: self.operation,
            source,
            body: self.body,
        })
    }

    /// The body as UTF-8 text (a [`Error::Decode`] when it is not valid UTF-8).
    pub fn text(self) -> Result<String, Error> {
        String::from_utf8(self.body).map_err(|e| Error::Decode {
            operation: self.operation,
            source: serde::de::Error::custom(format_args!(
                "response body is not UTF-8: {}",
                e.utf8_error()
            )),
            body: e.into_bytes(),
        })
    }

    /// Ignore the body.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The raw body.
    pub fn bytes(self) -> Vec<u8> {
        self.body
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}
