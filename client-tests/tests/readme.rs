//! The generated README's snippets, compiled (their calls are never made:
//! no network), and the configuration they show, checked.

#![allow(dead_code, unused_variables)]

mod common;

use intercom_api::{
    models, Client, Error, RequestOptions, ResponseFutureExt, RetryPolicy, TryStreamExt,
};
use std::time::Duration;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

fn configuration() -> Result<Client, AnyError> {
    let client = intercom_api::Client::builder()
        .token("my-access-token")
        .region(intercom_api::Region::Au)
        .user_agent("my-app/1.0")
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .max_retries(3)
        .build();
    let _from_env = intercom_api::Client::from_env();
    Ok(client)
}

async fn corrections<T>(
    call: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let response = call.with_response().await?;
    for correction in response.corrections() {
        // e.g. "`conversations[3].admin_assignee_id`: expected an integer, found a string (converted)"
        eprintln!("{correction}");
    }
    Ok(response.into_inner())
}

// Fail instead, naming where the body differs: for the client, or for some calls.
fn strict(client: &Client) -> (Client, Client) {
    let strict = Client::builder()
        .token("my-access-token")
        .strict(true)
        .build();
    (
        strict,
        client.with_options(RequestOptions::new().strict(true)),
    )
}

fn per_request(client: &Client) -> Client {
    client.with_options(
        RequestOptions::new()
            .api_version_str("2.14")
            .max_retries(0)
            .timeout(Duration::from_secs(5))
            .retry_non_idempotent(true),
    )
}

fn retries() -> Client {
    intercom_api::Client::builder()
        .retry_policy(
            RetryPolicy::new()
                .max_retries(4)
                .initial_backoff(Duration::from_millis(200))
                .max_backoff(Duration::from_secs(5))
                .max_retry_wait(Duration::from_secs(30)),
        )
        .build()
}

async fn pagination(client: &Client) -> Result<(), AnyError> {
    let mut items = client.conversations().list().items();
    while let Some(item) = items.try_next().await? {
        println!("{item:?}");
    }
    let pages: Vec<_> = client.conversations().list().pages().try_collect().await?;
    Ok(())
}

async fn status_and_headers(client: &Client) -> Result<(), AnyError> {
    let response = client.conversations().list().send().with_response().await?;
    println!(
        "{} {:?} {:?}",
        response.status,
        response.request_id(),
        response.header("x-ratelimit-remaining")
    );
    let body = response.into_inner();
    let again = intercom_api::with_response(client.conversations().retrieve("1").send()).await?;
    Ok(())
}

async fn errors(client: &Client) {
    match client.conversations().list().send().await {
        Ok(page) => println!("{page:?}"),
        Err(intercom_api::Error::Api(e)) if e.status == 429 => {
            println!("rate limited after {} attempts", e.attempts)
        }
        Err(intercom_api::Error::Api(e)) => {
            for item in e.errors() {
                println!("{:?}: {:?}", item.code, item.message);
            }
        }
        Err(e) if e.is_timeout() => println!("timed out"),
        Err(e) => println!("{e}"),
    }
}

#[test]
fn the_readme_configuration_is_what_the_client_has() {
    let client = configuration().unwrap();
    assert_eq!(client.base_url(), intercom_api::Region::Au.base_url());
    assert_eq!(client.user_agent(), "my-app/1.0");
    assert_eq!(client.timeout(), Duration::from_secs(30));
    assert_eq!(client.retry_policy().get_max_retries(), 3);
    assert_eq!(client.api_version(), intercom_api::DEFAULT_API_VERSION);

    let once = per_request(&client);
    assert_eq!(once.api_version(), Some("2.14"));
    assert_eq!(once.timeout(), Duration::from_secs(5));
    assert_eq!(
        client.api_version(),
        Some("2.11"),
        "the original is unchanged"
    );
    let typed =
        client.with_options(RequestOptions::new().api_version(models::IntercomVersion::V2_10));
    assert_eq!(typed.api_version(), Some("2.10"));

    let policy = retries().retry_policy().clone();
    assert_eq!(
        policy,
        RetryPolicy::new()
            .max_retries(4)
            .initial_backoff(Duration::from_millis(200))
            .max_backoff(Duration::from_secs(5))
            .max_retry_wait(Duration::from_secs(30))
    );

    // The documented defaults.
    let default = Client::builder().token("t").build();
    assert_eq!(default.base_url(), intercom_api::DEFAULT_BASE_URL);
    assert_eq!(
        default.user_agent(),
        format!("intercom-api-rust/{}", common::crate_version())
    );
    assert_eq!(default.timeout(), Duration::from_secs(60));
    assert_eq!(
        intercom_api::ClientBuilder::DEFAULT_CONNECT_TIMEOUT,
        Duration::from_secs(10)
    );
    assert_eq!(default.retry_policy(), &RetryPolicy::default());
    assert_eq!(RetryPolicy::default().get_max_retries(), 2);
    assert_eq!(
        RetryPolicy::default().get_initial_backoff(),
        Duration::from_millis(500)
    );
    assert_eq!(
        RetryPolicy::default().get_max_backoff(),
        Duration::from_secs(20)
    );
    assert_eq!(
        RetryPolicy::default().get_max_retry_wait(),
        Duration::from_secs(60)
    );
    assert!(!RetryPolicy::default().get_retry_non_idempotent());
    assert_eq!(RetryPolicy::none().get_max_retries(), 0);

    // Errors can go into boxed errors that cross threads.
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Error>();
}
