//! Retries, backoff, server-requested waits, connection failures and
//! timeouts.

mod common;

use common::{bounded, builder, client, ms, page, TOKEN};
use intercom_api::{models, Error, RequestOptions, ResponseFutureExt, RetryPolicy};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Answers `first` once, then 200 with a page, on `GET /conversations`.
async fn server_with_first(first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/conversations"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/conversations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn waits_as_retry_after_seconds_says_after_429() {
    bounded(async {
        let server =
            server_with_first(ResponseTemplate::new(429).insert_header("Retry-After", "1")).await;
        // A backoff far longer than the test bound: only Retry-After can explain a 1 s wait.
        let client = builder(&server.uri())
            .retry_policy(
                RetryPolicy::new()
                    .initial_backoff(Duration::from_secs(60))
                    .max_backoff(Duration::from_secs(60)),
            )
            .build();
        let started = Instant::now();
        let response = client
            .conversations()
            .list()
            .send()
            .with_response()
            .await
            .unwrap();
        let waited = started.elapsed();
        assert_eq!(response.status, 200);
        assert_eq!(response.attempts, 2);
        assert_eq!(requests(&server).await, 2);
        assert!(waited >= ms(1000) && waited < ms(3000), "waited {waited:?}");
    })
    .await;
}

#[tokio::test]
async fn waits_until_a_retry_after_http_date() {
    bounded(async {
        let at = SystemTime::now() + Duration::from_secs(2);
        let server = server_with_first(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", httpdate::fmt_http_date(at).as_str()),
        )
        .await;
        let client = client(&server.uri()); // backoff of at most 20 ms
        let started = Instant::now();
        let page = client.conversations().list().send().await.unwrap();
        let waited = started.elapsed();
        assert_eq!(page.conversations.len(), 1);
        assert_eq!(requests(&server).await, 2);
        // The date has whole seconds: the wait is between 1 and 2 s.
        assert!(waited >= ms(900) && waited < ms(3000), "waited {waited:?}");
    })
    .await;
}

#[tokio::test]
async fn waits_until_x_ratelimit_reset_after_429() {
    bounded(async {
        let reset = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 2;
        let server = server_with_first(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Reset", reset.to_string().as_str()),
        )
        .await;
        let client = client(&server.uri());
        let started = Instant::now();
        client.conversations().list().send().await.unwrap();
        let waited = started.elapsed();
        assert_eq!(requests(&server).await, 2);
        assert!(waited >= ms(900) && waited < ms(3000), "waited {waited:?}");
    })
    .await;
}

#[tokio::test]
async fn does_not_wait_longer_than_max_retry_wait() {
    bounded(async {
        let server =
            server_with_first(ResponseTemplate::new(429).insert_header("Retry-After", "120")).await;
        let client = builder(&server.uri())
            .retry_policy(RetryPolicy::new().max_retry_wait(Duration::from_secs(5)))
            .build();
        let started = Instant::now();
        let error = client.conversations().list().send().await.unwrap_err();
        assert!(started.elapsed() < ms(1000));
        assert_eq!(error.status(), Some(429));
        let api = error.api_error().unwrap();
        assert_eq!(api.header("retry-after"), Some("120"));
        assert_eq!(api.attempts, 1);
        assert_eq!(requests(&server).await, 1);
    })
    .await;
}

#[tokio::test]
async fn retries_503_twice_then_succeeds() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1", "2"], None)))
            .mount(&server)
            .await;
        let started = Instant::now();
        let response = client(&server.uri())
            .conversations()
            .list()
            .send()
            .with_response()
            .await
            .unwrap();
        assert_eq!(response.attempts, 3);
        assert_eq!(response.data.conversations.len(), 2);
        assert_eq!(requests(&server).await, 3);
        // Two backoffs of at most 10 and 20 ms.
        assert!(started.elapsed() < ms(1000));
    })
    .await;
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
            .mount(&server)
            .await;
        let error = builder(&server.uri())
            .max_retries(1)
            .build()
            .conversations()
            .list()
            .send()
            .await
            .unwrap_err();
        let Error::Api(api) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(api.status, 502);
        assert_eq!(api.attempts, 2);
        assert_eq!(api.body_text(), "bad gateway");
        assert_eq!(requests(&server).await, 2);

        // Per request: no retries at all.
        server.reset().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(502))
            .mount(&server)
            .await;
        let once = client(&server.uri()).with_options(RequestOptions::new().max_retries(0));
        assert_eq!(
            once.conversations()
                .list()
                .send()
                .await
                .unwrap_err()
                .status(),
            Some(502)
        );
        assert_eq!(requests(&server).await, 1);
    })
    .await;
}

fn new_conversation() -> models::CreateConversationRequest {
    serde_json::from_value(json!({"from": {"type": "user", "id": "u1"}, "body": "hello"})).unwrap()
}

#[tokio::test]
async fn post_500_is_not_retried_unless_asked() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&server)
            .await;
        let client = client(&server.uri());
        let body = new_conversation();
        let error = client
            .conversations()
            .create()
            .body(body.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(500));
        assert_eq!(
            requests(&server).await,
            1,
            "a POST must not be repeated after a 500"
        );

        // Opted in for this call: retried (1 + 2 attempts).
        let opted = client.with_options(RequestOptions::new().retry_non_idempotent(true));
        assert_eq!(
            opted
                .conversations()
                .create()
                .body(body.clone())
                .send()
                .await
                .unwrap_err()
                .status(),
            Some(500)
        );
        assert_eq!(requests(&server).await, 4);
        // The client itself is unchanged.
        client
            .conversations()
            .create()
            .body(body.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!(requests(&server).await, 5);
    })
    .await;
}

#[tokio::test]
async fn post_429_is_retried() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/conversations/search"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/conversations/search"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .mount(&server)
            .await;
        let query: models::SearchRequest = serde_json::from_value(
            json!({"query": {"field": "open", "operator": "=", "value": true}}),
        )
        .unwrap();
        let response = client(&server.uri())
            .conversations()
            .search()
            .body(query)
            .send()
            .with_response()
            .await
            .unwrap();
        assert_eq!(response.attempts, 2);
        let sent = server.received_requests().await.unwrap();
        assert_eq!(sent.len(), 2);
        // The same body both times.
        assert_eq!(sent[0].body, sent[1].body);
        assert!(!sent[1].body.is_empty());
    })
    .await;
}

/// A TCP server that resets the first `resets` connections (accepting,
/// then closing with the request unread), then answers 200 with `body`.
async fn resetting_server(resets: usize, body: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = count.fetch_add(1, Ordering::SeqCst);
            if n < resets {
                // Let the request arrive, then close with it unread: the peer sees a reset.
                tokio::time::sleep(ms(20)).await;
                drop(socket);
                continue;
            }
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn connection_reset_is_retried() {
    bounded(async {
        let (url, accepted) = resetting_server(1, page(&["1"], None).to_string()).await;
        let response = client(&url)
            .conversations()
            .list()
            .send()
            .with_response()
            .await
            .unwrap();
        assert_eq!(response.attempts, 2);
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
    })
    .await;
}

#[tokio::test]
async fn connection_resets_end_in_a_transport_error() {
    bounded(async {
        let (url, accepted) = resetting_server(usize::MAX, String::new()).await;
        let error = client(&url)
            .conversations()
            .list()
            .send()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert!(error.is_transport() && !error.is_timeout());
        assert_eq!(error.status(), None);
        assert_eq!(accepted.load(Ordering::SeqCst), 3, "1 attempt + 2 retries");

        // A POST is not repeated after a connection failure.
        let (url, accepted) = resetting_server(usize::MAX, String::new()).await;
        let error = client(&url)
            .conversations()
            .create()
            .body(new_conversation())
            .send()
            .await
            .unwrap_err();
        assert!(error.is_transport(), "{error:?}");
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    })
    .await;
}

#[tokio::test]
async fn slow_response_times_out() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page(&["1"], None))
                    .set_delay(Duration::from_secs(3)),
            )
            .mount(&server)
            .await;
        let client = builder(&server.uri())
            .timeout(ms(200))
            .max_retries(1)
            .build();
        let started = Instant::now();
        let error = client.conversations().list().send().await.unwrap_err();
        let took = started.elapsed();
        let Error::Timeout(timeout) = &error else {
            panic!("{error:?}")
        };
        assert!(error.is_timeout());
        assert_eq!(timeout.limit, Some(ms(200)));
        assert_eq!(timeout.attempts, 2);
        assert!(!timeout.connect);
        assert_eq!(requests(&server).await, 2);
        assert!(took >= ms(400) && took < ms(2000), "took {took:?}");
        assert!(error.to_string().contains("timed out"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn per_request_timeout_overrides_the_clients() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page(&["1"], None))
                    .set_delay(ms(1500)),
            )
            .mount(&server)
            .await;
        let client = client(&server.uri()); // 5 s
        let quick = client.with_options(RequestOptions::new().timeout(ms(100)).max_retries(0));
        assert_eq!(quick.timeout(), ms(100));
        let started = Instant::now();
        assert!(quick
            .conversations()
            .list()
            .send()
            .await
            .unwrap_err()
            .is_timeout());
        assert!(started.elapsed() < ms(1000));
        assert_eq!(requests(&server).await, 1);
        // The client keeps its own timeout: the slow answer arrives.
        assert_eq!(client.timeout(), Duration::from_secs(5));
        client.conversations().list().send().await.unwrap();
        let _ = TOKEN;
    })
    .await;
}
