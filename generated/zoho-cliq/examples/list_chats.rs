//! List every direct chat of the user, with the generated stream.
//!
//! `GET /api/v3/chats` has no page token: it pages by time. Each request asks for `limit`
//! chats whose last message is older than `modified_before` (epoch milliseconds).
//! `retrieve_all_direct_chats_stream` (from the `pagination` override in
//! `collection/codegen.toml`) sends the next request with `modified_before` set to the
//! `last_modified_time` of the page's last (oldest) chat, and stops at an empty page or when the
//! time does not move on. `modified_before` is exclusive, so a chat sharing that exact
//! millisecond with the last chat of a full page is not listed.
//!
//! Configuration comes from environment variables: `ZOHO_CLIENT_ID`, `ZOHO_CLIENT_SECRET`,
//! `ZOHO_REFRESH_TOKEN` (required), `ZOHO_DC` (`us` by default, or `eu`, `in`, `au`, `jp`, `ca`)
//! and `ZOHO_PAGE_SIZE` (1 to 100, default 50). The refresh token needs the scope
//! `ZohoCliq.Chats.READ`; run the `send_message` example to obtain one.
//!
//! ```sh
//! ZOHO_DC=eu ZOHO_CLIENT_ID=... ZOHO_CLIENT_SECRET=... ZOHO_REFRESH_TOKEN=... \
//!     cargo run --example list_chats
//! ```

use std::pin::pin;

use zoho_cliq::paginate::StreamExt;
use zoho_cliq::v3::chats::{retrieve_all_direct_chats_stream, RetrieveAllDirectChatsQuery};
use zoho_cliq::{Client, Environment, OAuth};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // `Environment` parses its short names (`us`, `eu`, …); an unknown one lists the valid ones.
    let env: Environment = match std::env::var("ZOHO_DC") {
        Ok(dc) => dc.parse().map_err(|e| format!("ZOHO_DC: {e}"))?,
        Err(_) => Environment::Us,
    };
    let page_size: usize = match std::env::var("ZOHO_PAGE_SIZE") {
        Ok(v) => v.parse().map_err(|e| format!("ZOHO_PAGE_SIZE: {e}"))?,
        Err(_) => 50,
    };
    let page_size = page_size.clamp(1, 100);

    let client = Client::builder(env)
        .oauth(OAuth::from_refresh_token(
            required("ZOHO_CLIENT_ID")?,
            required("ZOHO_CLIENT_SECRET")?,
            required("ZOHO_REFRESH_TOKEN")?,
        ))
        .retry_on_rate_limit(3)
        .build()?;

    let query = RetrieveAllDirectChatsQuery { limit: i64::try_from(page_size).ok(), ..Default::default() };
    let mut chats = pin!(retrieve_all_direct_chats_stream(&client, &query));
    let mut count = 0;
    while let Some(chat) = chats.next().await {
        let chat = chat?;
        count += 1;
        println!("{}\t{}\t{}\t{} participant(s)", chat.chat_id, chat.chat_type, chat.name, chat.participant_count);
    }
    println!("{count} chat(s) ({}).", env.name());
    Ok(())
}

fn required(name: &str) -> Result<String, BoxError> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("set the environment variable {name}").into())
}
