//! Integration tests of the runtime, against wiremock servers.

mod auth;
mod body;
mod common;
mod dynamic;
mod errors;
mod oauth;
mod oauth_refresh;
mod paginate;
mod path_param;
mod retry;
mod send;
mod vars;
