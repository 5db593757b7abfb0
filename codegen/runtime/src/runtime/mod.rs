//! Runtime support for the generated API client: variables, authentication, OAuth 2.0 with
//! refresh, retries on rate limits, responses and errors.
//!
//! The generator copies these files verbatim into every generated crate as `src/runtime/`.

pub mod auth;
pub mod client;
pub mod dynamic;
pub mod error;
pub mod execute;
pub mod file;
pub mod oauth;
pub mod path_param;
pub mod response;
pub mod retry;
pub mod send;
pub mod sign;
#[cfg(feature = "asap")]
mod sign_asap;
#[cfg(feature = "awsv4")]
mod sign_awsv4;
#[cfg(feature = "digest")]
mod sign_digest;
#[cfg(feature = "edgegrid")]
mod sign_edgegrid;
#[cfg(feature = "hawk")]
mod sign_hawk;
#[cfg(feature = "jwt")]
mod sign_jwt;
#[cfg(feature = "ntlm")]
mod sign_ntlm;
#[cfg(feature = "oauth1")]
mod sign_oauth1;
pub mod token;
pub mod vars;

pub use auth::{AuthSpec, OAuth2Spec};
pub use dynamic::{Entropy, FixedEntropy, SystemEntropy};
pub use client::{Client, ClientBuilder, ClientDefaults, Operation, Seg, UnknownEnvironment};
pub use error::Error;
pub use execute::{BuildFn, ExecuteFuture};
pub use file::FilePart;
pub use oauth::{OAuth, TokenSet, TokenStore};
pub use path_param::{PathParam, PathParamKind};
pub use response::Response;
pub use retry::RetryPolicy;
pub use send::{Body, Endpoint};
pub use sign::{AfterResponse, SignContext, SignKind, SignParams, SignSessions, SignedSpec};
pub use vars::{encode_path_segment, encode_query_component, form_text, query_pairs, render, Vars};
