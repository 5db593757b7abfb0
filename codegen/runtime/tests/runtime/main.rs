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
#[cfg(feature = "awsv4")]
mod sign_awsv4;
#[cfg(feature = "digest")]
mod sign_digest;
#[cfg(feature = "edgegrid")]
mod sign_edgegrid;
#[cfg(feature = "hawk")]
mod sign_hawk;
#[cfg(feature = "asap")]
mod sign_jwt;
#[cfg(feature = "ntlm")]
mod sign_ntlm;
#[cfg(feature = "oauth1")]
mod sign_oauth1;
#[cfg(all(feature = "edgegrid", feature = "hawk", feature = "oauth1"))]
mod sign_vs_postman;
#[cfg(all(feature = "edgegrid", feature = "hawk", feature = "oauth1"))]
mod signed_client;
#[cfg(any(feature = "edgegrid", feature = "hawk", feature = "oauth1"))]
mod signing;
mod vars;
