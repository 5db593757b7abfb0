//! List every direct chat of the user, page by page.
//!
//! `GET /api/v3/chats` has no page token: it pages by time. Each request asks for `limit`
//! chats whose last message is older than `modified_before` (epoch milliseconds); the next page
//! continues from the oldest `last_modified_time` seen. A page shorter than `limit` is the last.
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

use std::collections::HashSet;

use zoho_cliq::v3::chats::{retrieve_all_direct_chats, RetrieveAllDirectChatsQuery};
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

    let mut seen = HashSet::new();
    let mut modified_before: Option<i64> = None;
    let mut pages = 0;
    loop {
        let query = RetrieveAllDirectChatsQuery {
            limit: i64::try_from(page_size).ok(),
            modified_before,
            ..Default::default()
        };
        let page = retrieve_all_direct_chats(&client, &query).await?;
        pages += 1;
        let mut oldest: Option<i64> = None;
        for chat in &page.chats {
            if let Ok(time) = chat.last_modified_time.parse::<i64>() {
                oldest = Some(oldest.map_or(time, |o| o.min(time)));
            }
            // Pages may overlap on equal timestamps: print each chat once.
            if seen.insert(chat.chat_id.clone()) {
                println!(
                    "{}\t{}\t{}\t{} participant(s)",
                    chat.chat_id, chat.chat_type, chat.name, chat.participant_count
                );
            }
        }
        // `modified_before` is exclusive: start the next page 1 ms after the oldest chat so
        // chats sharing its timestamp are not skipped (they are printed once, see `seen`).
        // The last page is short; stop too when the cursor would not move back in time.
        match oldest.map(|t| t + 1) {
            Some(next) if page.chats.len() >= page_size && modified_before.is_none_or(|b| next < b) => {
                modified_before = Some(next);
            }
            _ => break,
        }
    }
    println!("{} chat(s) in {pages} page(s) ({}).", seen.len(), env.name());
    Ok(())
}

fn required(name: &str) -> Result<String, BoxError> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("set the environment variable {name}").into())
}
