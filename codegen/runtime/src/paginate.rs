//! Following a paginated request from page to page, as a stream.
//!
//! A generated crate gets this file (as `src/paginate.rs`) only when one of its requests is
//! paginated, because only then does it depend on `futures-util`. Each generated `_pages`,
//! `_stream` and `_sync` function builds a [`Pager`] (which query field is the cursor, where the
//! next value is, how to take the items out of a typed page) and makes one call here, so the
//! loop and its guards exist once.
//!
//! The loop stops when the next cursor is absent, empty or one it has already sent (a server
//! that repeats a cursor would otherwise be paged forever), and after the first error (yielded
//! as the stream's last element). Every other query parameter, `limit` included, is sent as the
//! caller gave it on every page.

use std::collections::{HashSet, VecDeque};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The stream traits, re-exported so callers need no `futures` dependency of their own:
/// `use my_api::paginate::StreamExt;` gives `.next().await`.
pub use futures_util::stream::{Stream, StreamExt};

use crate::runtime::{Error, ExecuteFuture, Response};

/// Where the next page's cursor comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// A field of the response body, by JSON keys from the root (`&["next_token"]`): the cursor,
    /// or the next page's URL holding it.
    Body(&'static [&'static str]),
    /// The `rel="next"` URL of the `Link` response header: its query parameter named like the
    /// cursor.
    Link,
    /// A field of the last element of the array at `items` (keyset pagination: the next page
    /// starts where the last item of this one is).
    LastItem {
        /// JSON keys of the items array from the root.
        items: &'static [&'static str],
        /// JSON keys of the value inside the last item.
        field: &'static [&'static str],
    },
}

/// The fixed part of a paginated request's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The operation, e.g. `v3::chats::list_chats` (for error messages).
    pub operation: &'static str,
    /// The cursor's query parameter, as sent on the wire.
    pub cursor: &'static str,
    /// Where the next cursor value is.
    pub next: Next,
    /// Where a change feed's new sync token is in the body (`&["sync_token"]`), if it is one.
    pub sync_token: Option<&'static [&'static str]>,
}

/// Sends one page's request with the given query.
pub type SendFn<'a, Q> = Box<dyn Fn(Q) -> ExecuteFuture<'a> + Send + Sync + 'a>;

/// One paginated call: the description, the caller's query, and how to use the typed page.
pub struct Pager<'a, Q, P, I> {
    /// The fixed description.
    pub paging: &'static Paging,
    /// The first page's query; later pages differ only in the cursor field.
    pub query: Q,
    /// Puts a cursor into the query; `false` when the value does not fit the field's type.
    pub set_cursor: fn(&mut Q, String) -> bool,
    /// Takes the items out of a typed page.
    pub items: fn(P) -> Vec<I>,
    /// Sends the request for one page.
    pub send: SendFn<'a, Q>,
}

/// An element of a `_sync` stream: every item of every page, then the feed's new sync token.
#[derive(Debug, Clone, PartialEq)]
pub enum Feed<I> {
    /// An item of a page.
    Item(I),
    /// The sync token of the last page, the stream's last element. Pass it as `sync_token`
    /// next time to get only what changed since. It is not yielded after an error, so a caller
    /// never stores a token that would skip changes it did not receive.
    SyncToken(String),
}

/// Every page, typed, in order.
pub fn pages<'a, Q, P, I>(pager: Pager<'a, Q, P, I>) -> impl Stream<Item = Result<P, Error>> + Send + 'a
where
    Q: Clone + Send + 'a,
    P: DeserializeOwned + Send + 'a,
    I: 'a,
{
    walk(pager).map(|page| page.map(|fetched| fetched.page))
}

/// Every item of every page, in order.
pub fn items<'a, Q, P, I>(pager: Pager<'a, Q, P, I>) -> impl Stream<Item = Result<I, Error>> + Send + 'a
where
    Q: Clone + Send + 'a,
    P: DeserializeOwned + Send + 'a,
    I: Send + 'a,
{
    let take = pager.items;
    walk(pager)
        .map(move |page| {
            let batch: Vec<Result<I, Error>> = match page {
                Ok(fetched) => take(fetched.page).into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            futures_util::stream::iter(batch)
        })
        .flatten()
}

/// Every item of every page, then the last page's sync token (see [`Feed`]).
pub fn sync<'a, Q, P, I>(pager: Pager<'a, Q, P, I>) -> impl Stream<Item = Result<Feed<I>, Error>> + Send + 'a
where
    Q: Clone + Send + 'a,
    P: DeserializeOwned + Send + 'a,
    I: Send + 'a,
{
    let take = pager.items;
    let state = SyncState { pages: Box::pin(walk(pager)), pending: VecDeque::new(), token: None, done: false };
    futures_util::stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(item) = state.pending.pop_front() {
                return Some((Ok(Feed::Item(item)), state));
            }
            if state.done {
                return None;
            }
            match state.pages.next().await {
                Some(Ok(fetched)) => {
                    // A page without a token keeps the one seen before it.
                    state.token = fetched.sync_token.or(state.token.take());
                    state.pending.extend(take(fetched.page));
                }
                Some(Err(error)) => {
                    state.done = true;
                    state.token = None;
                    return Some((Err(error), state));
                }
                None => {
                    state.done = true;
                    let token = state.token.take()?;
                    return Some((Ok(Feed::SyncToken(token)), state));
                }
            }
        }
    })
}

struct SyncState<S, I> {
    pages: std::pin::Pin<Box<S>>,
    pending: VecDeque<I>,
    token: Option<String>,
    done: bool,
}

/// A fetched page and what its body says besides the typed page.
struct Fetched<P> {
    page: P,
    sync_token: Option<String>,
}

enum State<Q> {
    /// Fetch the page for this query.
    Fetch(Q),
    /// Yield this error, then end.
    Fail(Error),
    Done,
}

/// The loop itself: fetch, decode, find the next cursor, stop on absent/empty/repeated ones.
fn walk<'a, Q, P, I>(pager: Pager<'a, Q, P, I>) -> impl Stream<Item = Result<Fetched<P>, Error>> + Send + 'a
where
    Q: Clone + Send + 'a,
    P: DeserializeOwned + Send + 'a,
    I: 'a,
{
    let Pager { paging, query, set_cursor, send, .. } = pager;
    let seen: HashSet<String> = HashSet::new();
    futures_util::stream::unfold((State::Fetch(query), seen, send), move |(state, mut seen, send)| async move {
        let query = match state {
            State::Done => return None,
            State::Fail(error) => return Some((Err(error), (State::Done, seen, send))),
            State::Fetch(query) => query,
        };
        let response = match send(query.clone()).await {
            Ok(response) => response,
            Err(error) => return Some((Err(error), (State::Done, seen, send))),
        };
        let (next, sync_token) = inspect(paging, &response);
        let page = match response.json::<P>() {
            Ok(page) => page,
            Err(error) => return Some((Err(error), (State::Done, seen, send))),
        };
        let state = match next {
            Some(cursor) if !cursor.trim().is_empty() && seen.insert(cursor.clone()) => {
                let mut query = query;
                if set_cursor(&mut query, cursor.clone()) {
                    State::Fetch(query)
                } else {
                    State::Fail(cursor_error(paging, &cursor))
                }
            }
            _ => State::Done,
        };
        Some((Ok(Fetched { page, sync_token }), (state, seen, send)))
    })
}

/// The next cursor and the sync token of a page, read from the raw response (the typed page
/// may not have those fields: the collection's examples need not show them).
fn inspect(paging: &Paging, response: &Response) -> (Option<String>, Option<String>) {
    let needs_body = !matches!(paging.next, Next::Link) || paging.sync_token.is_some();
    let body: Option<Value> = if needs_body { serde_json::from_slice(&response.body).ok() } else { None };
    let body = body.as_ref();
    let next = match paging.next {
        Next::Body(path) => body.and_then(|b| lookup(b, path)).and_then(scalar).and_then(|v| cursor_in(v, paging.cursor)),
        Next::LastItem { items, field } => body
            .and_then(|b| lookup(b, items))
            .and_then(Value::as_array)
            .and_then(|list| list.last())
            .and_then(|item| lookup(item, field))
            .and_then(scalar),
        Next::Link => next_link(&response.headers).and_then(|url| query_value(&url, paging.cursor)),
    };
    let sync_token = paging.sync_token.and_then(|path| body.and_then(|b| lookup(b, path))).and_then(scalar);
    (next, sync_token)
}

/// A body's next value is the cursor itself, or the next page's URL (`"next":
/// "https://…?page=3"`), whose cursor parameter is then the cursor (none: no next page).
fn cursor_in(value: String, cursor: &str) -> Option<String> {
    let url = ["http://", "https://", "/"].iter().any(|p| value.starts_with(p));
    if url {
        query_value(&value, cursor)
    } else {
        Some(value)
    }
}

fn lookup<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, key| value.get(key))
}

/// A cursor is a string or a number (`"abc"`, `1700000000000`); anything else is no cursor.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn cursor_error(paging: &Paging, cursor: &str) -> Error {
    let shown: String = cursor.chars().take(64).collect();
    Error::Decode {
        operation: paging.operation,
        source: serde::de::Error::custom(format_args!(
            "the next page's cursor `{}` is not a valid value for query parameter `{}`",
            shown.escape_debug(),
            paging.cursor
        )),
        body: Vec::new(),
    }
}

/// The target of the first `rel="next"` link of the `Link` headers (RFC 8288:
/// `<url>; rel="next", <url>; rel="last"`; `rel` may list several types).
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(text) = value.to_str() else { continue };
        let mut rest = text;
        while let Some(start) = rest.find('<') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('>') else { break };
            let target = &after[..end];
            let params = &after[end + 1..];
            let params = &params[..params.find('<').unwrap_or(params.len())];
            let is_next = params.split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else { return false };
                name.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_end_matches(',').trim().trim_matches('"').split_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.trim().to_owned());
            }
            rest = &after[end + 1..];
        }
    }
    None
}

/// The value of query parameter `name` in `url` (absolute, or relative to the API).
pub fn query_value(url: &str, name: &str) -> Option<String> {
    // Relative links are resolved against a placeholder origin: only the query matters here.
    let base = reqwest::Url::parse("http://relative.invalid/").ok()?;
    let url = base.join(url).ok()?;
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}
