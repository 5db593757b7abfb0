//! Authorize with Zoho Accounts, then post a message to a Cliq channel.
//!
//! Configuration comes from environment variables:
//!
//! | variable | meaning |
//! |----------|---------|
//! | `ZOHO_CLIENT_ID`, `ZOHO_CLIENT_SECRET` | the client from the Zoho API console (required) |
//! | `ZOHO_DC` | data centre: `us` (default), `eu`, `in`, `au`, `jp` or `ca` |
//! | `ZOHO_REDIRECT_URI` | the redirect URI registered for the client (not needed for a Self Client) |
//! | `ZOHO_REFRESH_TOKEN` | a refresh token, if you already have one |
//! | `ZOHO_AUTH_CODE` | an authorization code to exchange for tokens (valid for about 2 minutes) |
//! | `ZOHO_TOKEN_FILE` | where tokens are kept between runs (default `zoho-cliq-tokens.json`) |
//! | `ZOHO_CHANNEL` | the channel's unique name (required to send) |
//! | `ZOHO_MESSAGE` | the text to send (default: a greeting) |
//!
//! First run without tokens: the example prints the authorization URL. Open it, consent, and
//! run again with `ZOHO_AUTH_CODE` set to the `code` of the redirect. The tokens are saved to
//! the token file, and from then on the client refreshes the access token by itself (and the
//! file store saves every new one).
//!
//! ```sh
//! ZOHO_DC=eu ZOHO_CLIENT_ID=... ZOHO_CLIENT_SECRET=... ZOHO_CHANNEL=general \
//!     cargo run --example send_message
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zoho_cliq::v3::messages::{
    post_message_in_a_channel_with_channel_unique_name,
    PostMessageInAChannelWithChannelUniqueNameBody,
    PostMessageInAChannelWithChannelUniqueNameQuery,
};
use zoho_cliq::{ChannelUniqueName, Client, Environment, OAuth, TokenSet, TokenStore};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The scope posting to a channel needs (see the function's documentation).
const SCOPES: &[&str] = &["ZohoCliq.Webhooks.CREATE"];

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let env = data_centre(std::env::var("ZOHO_DC").ok().as_deref())?;
    let client_id = required("ZOHO_CLIENT_ID")?;
    let client_secret = required("ZOHO_CLIENT_SECRET")?;
    let redirect_uri = optional("ZOHO_REDIRECT_URI").unwrap_or_default();
    let token_file = PathBuf::from(
        optional("ZOHO_TOKEN_FILE").unwrap_or_else(|| "zoho-cliq-tokens.json".to_owned()),
    );

    // Saved tokens win over a refresh token from the environment: they are newer.
    let mut oauth = OAuth::new(client_id, client_secret);
    let env_refresh_token = optional("ZOHO_REFRESH_TOKEN");
    let saved = FileTokenStore::load(&token_file)?;
    let have_tokens = saved.is_some() || env_refresh_token.is_some();
    if let Some(refresh_token) = env_refresh_token {
        oauth = oauth.with_refresh_token(refresh_token);
    }
    if let Some(tokens) = saved {
        // Keeps the refresh token above when the file has none.
        oauth = oauth.with_tokens(tokens);
    }

    let client = Client::builder(env)
        // Empty for a Self Client: then no redirect_uri is sent.
        .var("redirect-uri", redirect_uri.as_str())
        .oauth(oauth)
        .token_store(Arc::new(FileTokenStore { path: token_file.clone() }))
        .retry_on_rate_limit(2)
        .build()?;

    if !have_tokens {
        match optional("ZOHO_AUTH_CODE") {
            Some(code) => {
                let tokens = client.exchange_code(&code).await?;
                if tokens.refresh_token.is_none() {
                    eprintln!(
                        "note: Zoho sent no refresh token (it does so only on first consent); \
                         add `prompt=consent` to the authorization URL to get a new one"
                    );
                }
                println!("Tokens saved to {}", token_file.display());
            }
            None => {
                if redirect_uri.is_empty() {
                    eprintln!(
                        "note: ZOHO_REDIRECT_URI is not set; the consent page needs it (or use a \
                         Self Client from the API console and pass its code as ZOHO_AUTH_CODE)"
                    );
                }
                let url = client.authorization_url(SCOPES, None, &[("prompt", "consent")])?;
                println!("No tokens yet. Open this URL, consent, and run again with ZOHO_AUTH_CODE=<code>:");
                println!("{url}");
                return Ok(());
            }
        }
    }

    let channel = ChannelUniqueName::from(required("ZOHO_CHANNEL")?);
    let text = optional("ZOHO_MESSAGE").unwrap_or_else(|| "Hello from zoho-cliq!".to_owned());
    post_message_in_a_channel_with_channel_unique_name(
        &client,
        &channel,
        &PostMessageInAChannelWithChannelUniqueNameQuery::default(),
        &PostMessageInAChannelWithChannelUniqueNameBody {
            text,
            ..Default::default()
        },
    )
    .await?;
    println!("Message sent to #{channel} ({}).", env.name());
    Ok(())
}

/// The data centre named by `ZOHO_DC` (US when unset).
fn data_centre(name: Option<&str>) -> Result<Environment, BoxError> {
    Ok(match name.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("us") | Some("com") => Environment::Us,
        Some("eu") => Environment::Eu,
        Some("in") => Environment::In,
        Some("au") => Environment::Au,
        Some("jp") => Environment::Jp,
        Some("ca") => Environment::Ca,
        Some(other) => {
            return Err(format!("ZOHO_DC: unknown data centre `{other}` (us, eu, in, au, jp or ca)").into())
        }
    })
}

fn required(name: &str) -> Result<String, BoxError> {
    optional(name).ok_or_else(|| format!("set the environment variable {name}").into())
}

fn optional(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Keeps the tokens in a JSON file, readable only by the current user on Unix.
struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// The tokens saved by an earlier run, if any.
    fn load(path: &Path) -> Result<Option<TokenSet>, BoxError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", path.display()).into()),
        };
        let value: serde_json::Value = serde_json::from_str(&text)?;
        let text_field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let Some(access_token) = text_field("access_token") else {
            return Ok(None);
        };
        Ok(Some(TokenSet {
            access_token,
            refresh_token: text_field("refresh_token"),
            expires_at: value
                .get("expires_at")
                .and_then(|v| v.as_u64())
                .map(|secs| UNIX_EPOCH + Duration::from_secs(secs)),
            token_type: text_field("token_type"),
        }))
    }
}

impl TokenStore for FileTokenStore {
    fn save(&self, tokens: &TokenSet) -> Result<(), BoxError> {
        let expires_at = tokens
            .expires_at
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        let json = serde_json::json!({
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": expires_at,
            "token_type": tokens.token_type,
            "saved_at": SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
        });
        // Write a temporary file and rename it, so a crash never leaves half a file.
        let tmp = self.path.with_extension("tmp");
        write_private(&tmp, serde_json::to_string_pretty(&json)?.as_bytes())?;
        std::fs::rename(&tmp, &self.path)?;
        Ok(())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
