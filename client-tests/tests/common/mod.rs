//! Shared helpers: a client pointed at a local server with small backoffs,
//! fixture bodies, and a time bound for every test.

#![allow(dead_code)]

use intercom_api::{Client, ClientBuilder, RetryPolicy};
use serde_json::{json, Value};
use std::future::Future;
use std::time::Duration;

pub const TOKEN: &str = "tok_SECRET_8f3a1c";

/// Every test body runs under this bound, so a hang fails instead of
/// stalling the suite.
pub async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), future)
        .await
        .expect("the test took longer than 15 s")
}

/// The shipped crate's version, as its manifest says (its user agent
/// carries it; `regen` raises it as the crate's API changes).
pub fn crate_version() -> String {
    include_str!("../../../generated/Cargo.toml")
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("generated/Cargo.toml has a version")
        .to_string()
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A builder for `base_url` with retries that wait at most 20 ms.
pub fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::new()
                .initial_backoff(ms(10))
                .max_backoff(ms(20)),
        )
}

pub fn client(base_url: &str) -> Client {
    builder(base_url).build()
}

/// A conversation as the list returns it.
pub fn conversation(id: &str) -> Value {
    json!({
        "type": "conversation",
        "id": id,
        "created_at": 1,
        "updated_at": 1,
        "open": true,
        "state": "open",
        "read": false,
        "source": {
            "type": "conversation",
            "id": "s1",
            "delivered_as": "customer_initiated",
            "subject": "",
            "author": {"type": "user", "id": "u1", "name": "A", "email": "a@example.com"},
            "redacted": false,
        },
        "contacts": {"type": "contact.list", "contacts": []},
        "custom_attributes": {},
    })
}

/// A page of conversations, with a next cursor, or none (then it is the
/// last page: page 3 of 3, so the walk does not ask for a page number).
pub fn page(ids: &[&str], next: Option<&str>) -> Value {
    let number = if next.is_some() { 1 } else { 3 };
    let mut page = json!({
        "type": "conversation.list",
        "conversations": ids.iter().map(|id| conversation(id)).collect::<Vec<_>>(),
        "total_count": 6,
        "pages": {"type": "pages", "page": number, "per_page": 2, "total_pages": 3},
    });
    if let Some(cursor) = next {
        page["pages"]["next"] = json!({"per_page": 2, "starting_after": cursor});
    }
    page
}

pub fn error_list(code: &str, message: &str) -> Value {
    json!({
        "type": "error.list",
        "request_id": "req-in-body",
        "errors": [{"code": code, "message": message}],
    })
}
