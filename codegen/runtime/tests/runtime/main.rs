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
#[cfg(feature = "awsv4")]
mod sign_awsv4;
mod vars;
