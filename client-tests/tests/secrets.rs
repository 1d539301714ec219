//! The token never shows: not in `Debug`, not in errors, not in tracing
//! output (at TRACE, the client's spans and its HTTP stack's included).

mod common;

use common::{bounded, builder, client, error_list, page, TOKEN};
use intercom_api::{Client, RequestOptions};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[test]
fn debug_output_has_no_token() {
    let builder = Client::builder().token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build();
    let shown = format!(
        "{client:?} {:?}",
        client.with_options(RequestOptions::new().max_retries(1))
    );
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

// A current-thread runtime: the subscriber set for this thread sees
// everything, the HTTP stack's tasks included.
#[tokio::test(flavor = "current_thread")]
async fn tracing_and_errors_have_no_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations/42"))
            .respond_with(
                ResponseTemplate::new(401)
                    .set_body_json(error_list("unauthorized", "Access Token Invalid")),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/tickets/slow"))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
            .mount(&server)
            .await;
        let client = client(&server.uri());

        let api_error = client
            .conversations()
            .retrieve("42")
            .send()
            .await
            .unwrap_err();
        client.conversations().list().send().await.unwrap();
        let transport = builder("http://127.0.0.1:9")
            .max_retries(0)
            .build()
            .conversations()
            .list()
            .send()
            .await
            .unwrap_err();
        let timeout = builder(&server.uri())
            .timeout(Duration::from_millis(100))
            .max_retries(0)
            .build()
            .tickets()
            .retrieve("slow")
            .send()
            .await
            .unwrap_err();

        for error in [
            format!("{api_error} {api_error:?}"),
            format!("{transport} {transport:?}"),
            format!("{timeout} {timeout:?}"),
        ] {
            assert!(!error.contains(TOKEN), "{error}");
        }
        // The server did get the token.
        let sent = server.received_requests().await.unwrap();
        assert!(sent
            .iter()
            .all(|r| r.headers.get("authorization").unwrap() == &format!("Bearer {TOKEN}")));
    })
    .await;

    let logs = captured.text();
    assert!(!logs.contains(TOKEN), "{logs}");
    // The spans are there, with the path template, the attempt and the status.
    assert!(logs.contains("intercom.request"), "{logs}");
    assert!(
        logs.contains(r#"path="/conversations/{conversation_id}""#),
        "{logs}"
    );
    assert!(logs.contains("status=401"), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(
        !logs.contains(r#"path="/conversations/42""#),
        "ids stay out of spans: {logs}"
    );
}
