//! Sending one operation: authentication, retries on rate limits, refresh on a rejected token,
//! and mapping the response to `Response` or `Error`.

use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Request, RequestBuilder};

use super::auth::{add_query, apply_static, set_header, AuthSpec, OAuth2Spec};
use super::client::{Client, Operation};
use super::error::Error;
use super::response::Response;
use super::retry::{retry_after, RetryPolicy};
use super::sign::{after_response, sign, AfterResponse, SignContext, SignParams, SignedSpec};
use super::token::token_rejected;

/// The request-building closure of one call, type-erased so `execute` is compiled once.
pub type BuildFn<'a> = dyn Fn(&Client) -> RequestBuilder + Send + Sync + 'a;

/// The future returned by [`Client::execute_dyn`].
pub type ExecuteFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send + 'a>>;

impl Client {
    /// Send a call of `op`: apply its auth (refreshing the OAuth token when needed), send,
    /// retry per the retry policy, refresh and retry once when the API rejects the token, and
    /// map a non-2xx response to an [`Error`].
    ///
    /// `build` is called once per attempt, so bodies are rebuilt for each retry.
    pub async fn execute<F>(&self, op: &'static Operation, build: F) -> Result<Response, Error>
    where
        F: Fn(&Client) -> RequestBuilder + Send + Sync,
    {
        self.execute_dyn(op, &build).await
    }

    /// [`Client::execute`] with a type-erased closure.
    pub fn execute_dyn<'a>(
        &'a self,
        op: &'static Operation,
        build: &'a BuildFn<'a>,
    ) -> ExecuteFuture<'a> {
        Box::pin(self.run(op, build))
    }

    async fn run(&self, op: &'static Operation, build: &BuildFn<'_>) -> Result<Response, Error> {
        let mut retries = 0;
        let mut refreshed = false;
        let mut legs = 0;
        loop {
            // The token comes first, so that templates rendered by `build` see a fresh one.
            let token = match op.auth {
                AuthSpec::OAuth2(spec) => self
                    .access_token_for(op.name, spec)
                    .await?
                    .map(|t| (spec, t)),
                _ => None,
            };
            let mut request = build(self)
                .build()
                .map_err(|e| Error::transport(op.name, e))?;
            drop_empty_form(&mut request);
            self.authorize(op, token.as_ref(), &mut request)?;
            let signed = self.sign(op, &mut request)?;
            let mut response = self
                .inner
                .http
                .execute(request)
                .await
                .map_err(|e| Error::transport(op.name, e))?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body: Vec<u8> = response
                .bytes()
                .await
                .map_err(|e| Error::transport(op.name, e))?
                .into();
            if let Some((spec, params)) = &signed {
                let ctx = self.sign_context(op, spec, params);
                if after_response(&ctx, status, &headers)? == AfterResponse::Replay
                    && legs < MAX_CHALLENGE_LEGS
                {
                    legs += 1;
                    // hyper hands a finished HTTP/1.1 connection back to reqwest's pool from a
                    // background task; a short pause lets it get there, so that the next leg
                    // takes that connection instead of racing a new one (NTLM authenticates
                    // the connection).
                    tokio::time::sleep(REPLAY_PAUSE).await;
                    continue;
                }
            }
            if status.is_success() {
                return Ok(Response::new(op.name, status, headers, body));
            }
            if let (Some((spec, (_, generation))), false) = (token, refreshed) {
                if token_rejected(status, &headers, &body)
                    && self.refresh_after_rejection(spec, generation).await?
                {
                    refreshed = true;
                    continue;
                }
            }
            let wait = retry_after(&headers, SystemTime::now());
            if RetryPolicy::retries_status(status) {
                if let Some(delay) = self.inner.retry.delay(retries, wait) {
                    retries += 1;
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            return Err(Error::from_response(op.name, status, headers, body, wait));
        }
    }

    /// Sign the finished request when the operation's auth is a signing scheme; returns the
    /// descriptor and rendered parameters for the challenge step after the response.
    fn sign(
        &self,
        op: &'static Operation,
        request: &mut Request,
    ) -> Result<Option<(&'static SignedSpec, SignParams)>, Error> {
        let AuthSpec::Signed(spec) = op.auth else {
            return Ok(None);
        };
        let params = SignParams::render(spec, &self.vars(), op.name)?;
        let ctx = self.sign_context(op, spec, &params);
        sign(&ctx, request)?;
        Ok(Some((spec, params)))
    }

    /// What a signer of `op` sees.
    fn sign_context<'a>(
        &'a self,
        op: &'static Operation,
        spec: &'static SignedSpec,
        params: &'a SignParams,
    ) -> SignContext<'a> {
        SignContext {
            params,
            entropy: self.vars().entropy(),
            operation: op.name,
            sessions: &self.inner.sessions,
            spec,
        }
    }

    /// Apply the operation's auth: the OAuth 2.0 `token` (and its generation) when there is
    /// one, else the static credentials.
    fn authorize(
        &self,
        op: &'static Operation,
        token: Option<&(&'static OAuth2Spec, (String, u64))>,
        request: &mut Request,
    ) -> Result<(), Error> {
        let Some((spec, (token, _))) = token else {
            return apply_static(&op.auth, &self.vars(), op.name, request);
        };
        if spec.add_to_query {
            add_query(request, "access_token", token);
        } else {
            let prefix = spec.header_prefix.trim();
            let value = if prefix.is_empty() {
                token.clone()
            } else {
                format!("{prefix} {token}")
            };
            set_header(request, AUTHORIZATION, &value, op.name)?;
        }
        Ok(())
    }
}

/// How many times one call is replayed to answer an auth challenge (NTLM needs two: the
/// negotiate and the authenticate legs).
const MAX_CHALLENGE_LEGS: u32 = 3;

/// The pause before a challenge replay (see `run`).
const REPLAY_PAUSE: std::time::Duration = std::time::Duration::from_millis(1);

/// A urlencoded body with no fields is not sent, nor its Content-Type (as Postman does):
/// `RequestBuilder::form` sets both even when the form is empty.
pub fn drop_empty_form(request: &mut Request) {
    let empty = request
        .body()
        .is_some_and(|body| body.as_bytes().is_some_and(<[u8]>::is_empty));
    let form = request
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/x-www-form-urlencoded");
    if empty && form {
        request.headers_mut().remove(CONTENT_TYPE);
        *request.body_mut() = None;
    }
}
