//! The project README's Rust example (the generated crate at a glance),
//! compiled against the shipped crate (never run: no network); a test
//! checks that it is the README's, whitespace aside.

#![allow(dead_code, unused_variables, unused_mut)]

// As the README writes it, not as rustfmt would.
#[rustfmt::skip]
async fn example() -> Result<(), Box<dyn std::error::Error>> {
    use intercom_api::{models, Client, Region, RequestOptions, ResponseFutureExt, TryStreamExt};

    let client = Client::builder()          // token: given, or $INTERCOM_ACCESS_TOKEN
        .region(Region::Eu)
        .max_retries(3)                     // 429 and 5xx, backoff with jitter, Retry-After honoured
        .build();
    let page = client.conversations().list().per_page(20).send().await?;   // setters, then send()
    let mut all = client.conversations().list().per_page(50).items();      // every item, page by page ('static)
    while let Some(conversation) = all.try_next().await? { /* … */ }
    let reply = client
        .conversations()
        .reply("123")                                                        // path parameters: arguments
        .body(models::AdminReplyConversationRequest::new(models::AdminReplyConversationRequestMessageType::Comment, "admin-1"))
        .options(RequestOptions::new().max_retries(0))                      // this request only
        .send()
        .await?;
    let with_headers = client.conversations().list().send().with_response().await?; // status, headers, data
    Ok(())
}

/// Each ```` ```rust ```` block of README.md, whitespace removed.
fn readme_blocks() -> Vec<String> {
    let readme = include_str!("../../README.md");
    let mut blocks = Vec::new();
    let mut block: Option<String> = None;
    for line in readme.lines() {
        match (&mut block, line) {
            (None, "```rust") => block = Some(String::new()),
            (Some(text), "```") => blocks.push(std::mem::take(text)),
            (Some(text), line) => text.push_str(line),
            (None, _) => {}
        }
        if line == "```" {
            block = None;
        }
    }
    blocks
        .into_iter()
        .map(|b| b.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

#[test]
fn the_readme_examples_are_the_ones_compiled_here() {
    let here: String = include_str!("project_readme.rs")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let blocks = readme_blocks();
    assert!(!blocks.is_empty(), "README.md has a Rust example");
    for block in blocks {
        assert!(
            here.contains(&block),
            "README.md's example is not compiled here:\n{block}"
        );
    }
}
