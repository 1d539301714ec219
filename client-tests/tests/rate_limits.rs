//! Rate limits: the `X-RateLimit-*` headers as typed values on responses
//! and errors, and a client that paces itself when the window is spent.

mod common;

use common::{bounded, builder, page};
use intercom_api::{RateLimit, ResponseFutureExt};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn limited(status: u16, remaining: u64, reset: u64) -> ResponseTemplate {
    let template = ResponseTemplate::new(status)
        .insert_header("X-RateLimit-Limit", "1000")
        .insert_header("X-RateLimit-Remaining", remaining.to_string().as_str())
        .insert_header("X-RateLimit-Reset", reset.to_string().as_str());
    if status == 200 {
        template.set_body_json(page(&["1"], None))
    } else {
        template.set_body_json(serde_json::json!({"type": "error.list", "errors": [{"code": "not_found", "message": "no"}]}))
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn rate_limits_are_typed_on_responses_and_errors() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(limited(200, 999, 1_700_000_000))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/conversations/404"))
            .respond_with(limited(404, 998, 1_700_000_000))
            .mount(&server)
            .await;
        let client = builder(&server.uri()).build();
        let response = client
            .conversations()
            .list()
            .send()
            .with_response()
            .await
            .unwrap();
        let limit: RateLimit = response.rate_limit();
        assert_eq!(limit.limit, Some(1000));
        assert_eq!(limit.remaining, Some(999));
        assert_eq!(
            limit.reset,
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        let error = client
            .conversations()
            .retrieve("404")
            .send()
            .await
            .unwrap_err();
        let limit = error.api_error().expect("an API error").rate_limit();
        assert_eq!((limit.limit, limit.remaining), (Some(1000), Some(998)));
    })
    .await;
}

/// A burst: the first answer says the window is spent until the next
/// second but one; with pacing on, the second request waits for it.
#[tokio::test]
async fn a_paced_client_waits_for_the_window_to_reset() {
    bounded(async {
        for pace in [false, true] {
            let server = MockServer::start().await;
            let reset = now_secs() + 2;
            Mock::given(method("GET"))
                .and(path("/conversations"))
                .respond_with(limited(200, 0, reset))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .and(path("/conversations"))
                .respond_with(limited(200, 999, reset + 60))
                .mount(&server)
                .await;
            let client = builder(&server.uri()).pace(pace).build();
            client.conversations().list().send().await.unwrap();
            let started = Instant::now();
            client.conversations().list().send().await.unwrap();
            let waited = started.elapsed();
            let sent_at = SystemTime::now();
            if pace {
                // Sent once the reset second had come.
                assert!(
                    sent_at >= UNIX_EPOCH + Duration::from_secs(reset) - Duration::from_millis(50),
                    "sent before the reset: {waited:?}"
                );
                assert!(
                    waited >= Duration::from_millis(900),
                    "paced, but waited only {waited:?}"
                );
            } else {
                assert!(
                    waited < Duration::from_millis(900),
                    "not paced, yet waited {waited:?}"
                );
            }
        }
    })
    .await;
}
