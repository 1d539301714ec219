//! Values in a request cannot change its route or its shape (issue 18).
//!
//! A local server records each request exactly as it arrives (the request
//! line, the header lines and the body, as bytes), so a value is checked
//! where its template put it, not after a URL parser has tidied it. Each
//! hostile value is either refused with `Error::InvalidRequest` before
//! anything is sent, or arrives as one encoded value in its place.
//!
//! The crates: `media-api` (from `generator/tests/fixtures/media.yaml`: an
//! integer and a string path parameter, a header, query parameters, a
//! cookie, a multipart upload and a form) and the shipped `intercom-api`.

mod common;

use common::bounded;
use media_api::models::{FilePart, SearchNotesRequest, UploadFileRequest};
use media_api::{Error, PathValue};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Raw {
    /// `DELETE /notes/42/labels/x HTTP/1.1`
    line: String,
    /// The header lines, as sent (names lower-cased by the client).
    headers: Vec<String>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Vec<&str> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.headers
            .iter()
            .filter(|h| h.to_ascii_lowercase().starts_with(&prefix))
            .map(|h| h[prefix.len()..].trim())
            .collect()
    }
}

/// A server on a free port that answers every request with `status` and
/// `body` (JSON) and records it.
struct Recorder {
    url: String,
    seen: Arc<Mutex<Vec<Raw>>>,
}

impl Recorder {
    async fn start(status: u16, body: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    while let Some(raw) = read_request(&mut socket).await {
                        log.lock().unwrap().push(raw);
                        let answer = if body.is_empty() {
                            format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\n\r\n")
                        } else {
                            format!(
                                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            )
                        };
                        if socket.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Recorder { url, seen }
    }

    fn requests(&self) -> Vec<Raw> {
        self.seen.lock().unwrap().clone()
    }

    fn only(&self) -> Raw {
        let all = self.requests();
        assert_eq!(all.len(), 1, "expected one request, got {all:#?}");
        all[0].clone()
    }

    fn media(&self) -> media_api::Client {
        media_api::Client::builder()
            .base_url(&self.url)
            .token("t")
            .max_retries(0)
            .build()
    }

    fn intercom(&self) -> intercom_api::Client {
        intercom_api::Client::builder()
            .base_url(&self.url)
            .token("t")
            .max_retries(0)
            .build()
    }
}

/// Read one HTTP/1.1 request (head, then a `content-length` body).
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Raw> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0u8; 4096];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let line = lines.next()?.to_string();
    let headers: Vec<String> = lines.map(str::to_string).collect();
    let length = headers
        .iter()
        .find_map(|h| {
            let (name, value) = h.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Raw {
        line,
        headers,
        body,
    })
}

fn invalid(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::InvalidRequest(message)) => message,
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_sending() {
    bounded(async {
        let server = Recorder::start(204, "").await;
        let notes = server.media();
        for bad in ["..", ".", ""] {
            let message = invalid(notes.notes().remove_label(42, bad).send().await);
            assert!(message.contains("path parameter `label`"), "{message}");
            let message = invalid(notes.notes().remove_label(bad, "x").send().await);
            assert!(message.contains("path parameter `note_id`"), "{message}");
        }
        // The shipped crate: `..` would turn "remove a tag from a
        // conversation" into `DELETE /conversations/42/`.
        let sent = server
            .intercom()
            .tags()
            .detach_from_conversation("42", "..")
            .send()
            .await;
        let Err(intercom_api::Error::InvalidRequest(message)) = sent else {
            panic!("expected Error::InvalidRequest, got {sent:?}");
        };
        assert!(message.contains("`tag_id`"), "{message}");
        assert!(server.requests().is_empty(), "{:#?}", server.requests());
    })
    .await;
}

#[tokio::test]
async fn a_path_value_stays_one_segment_whatever_it_holds() {
    bounded(async {
        let server = Recorder::start(204, "").await;
        let client = server.media();
        let notes = client.notes();
        // `/`, `?`, `#`, `%`, an encoded dot, a space, non-ASCII, CR/LF.
        notes
            .remove_label(42, "a/b?c#d%2e%2E. é\r\n")
            .send()
            .await
            .unwrap();
        // Dots inside a value are not dot segments.
        notes.remove_label(7, "...").send().await.unwrap();
        notes.remove_label(7, ".x.").send().await.unwrap();
        let lines: Vec<String> = server.requests().into_iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            [
                "DELETE /notes/42/labels/a%2Fb%3Fc%23d%252e%252E.%20%C3%A9%0D%0A HTTP/1.1",
                "DELETE /notes/7/labels/... HTTP/1.1",
                "DELETE /notes/7/labels/.x. HTTP/1.1",
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn ids_are_taken_as_users_hold_them() {
    bounded(async {
        let server = Recorder::start(204, "").await;
        let client = server.media();
        let notes = client.notes();
        // `note_id` is declared an integer, `label` a string: either takes
        // strings and integers of any width, owned or borrowed.
        let id_as_text: String = "42".into();
        notes.remove_label(42_i64, "x").send().await.unwrap();
        notes.remove_label(42_u32, 7_u8).send().await.unwrap();
        notes
            .remove_label(&id_as_text, &id_as_text)
            .send()
            .await
            .unwrap();
        notes
            .remove_label(id_as_text.as_str(), 42_usize)
            .send()
            .await
            .unwrap();
        let lines: Vec<String> = server.requests().into_iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            [
                "DELETE /notes/42/labels/x HTTP/1.1",
                "DELETE /notes/42/labels/7 HTTP/1.1",
                "DELETE /notes/42/labels/42 HTTP/1.1",
                "DELETE /notes/42/labels/42 HTTP/1.1",
            ]
        );
        assert_eq!(42_i64.to_path_value(), "42");
    })
    .await;
}

#[tokio::test]
async fn an_id_read_from_one_operation_is_passed_to_another() {
    bounded(async {
        let page = common::page(&["512"], None).to_string();
        let server = Recorder::start(200, Box::leak(page.into_boxed_str())).await;
        let client = server.intercom();
        let page = client.conversations().list().send().await.unwrap();
        let first = &page.conversations[0];
        // The id as the API returned it, whatever type `retrieve` declares:
        // no parsing. (The answer is a page again, so it does not read.)
        let _ = client.conversations().retrieve(&first.id).send().await;
        let lines: Vec<String> = server.requests().into_iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            [
                "GET /conversations HTTP/1.1",
                "GET /conversations/512 HTTP/1.1",
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn header_values_with_cr_or_lf_are_refused_and_name_the_header() {
    bounded(async {
        let server = Recorder::start(204, "").await;
        let client = server.media();
        let notes = client.notes();
        for bad in ["ok\r\nX-Injected: 1", "ok\nX-Injected: 1", "ok\r", "nul\0"] {
            let message = invalid(notes.remove_label(1, "x").x_audit_reason(bad).send().await);
            assert!(message.contains("header `X-Audit-Reason`"), "{message}");
        }
        assert!(server.requests().is_empty());
        // A tab and non-ASCII text are sent as they are.
        notes
            .remove_label(1, "x")
            .x_audit_reason("asked\tby café")
            .send()
            .await
            .unwrap();
        let raw = server.only();
        assert_eq!(raw.header("x-audit-reason"), ["asked\tby café"]);
        assert!(raw.header("x-injected").is_empty());
    })
    .await;
}

#[tokio::test]
async fn query_values_stay_in_their_parameter() {
    bounded(async {
        let server = Recorder::start(204, "").await;
        let client = server.media();
        let notes = client.notes();
        notes
            .remove_label(1, "x")
            .notify(["a&b=c", "d\r\ne", "#f?"])
            .weight(1.5)
            .send()
            .await
            .unwrap();
        assert_eq!(
            server.only().line,
            "DELETE /notes/1/labels/x?notify=a%26b%3Dc&notify=d%0D%0Ae&notify=%23f%3F&weight=1.5 HTTP/1.1"
        );
        // A number JSON cannot hold is an error naming the parameter, not a
        // parameter left out.
        let message = invalid(notes.remove_label(1, "x").weight(f64::NAN).send().await);
        assert!(message.contains("query parameter `weight`"), "{message}");
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_cookie_value_cannot_add_a_cookie_or_a_header() {
    bounded(async {
        let server = Recorder::start(204, "").await;
        server
            .media()
            .notes()
            .remove_label(1, "x")
            .session("a; admin=1\r\nX-Injected: 1")
            .send()
            .await
            .unwrap();
        let raw = server.only();
        assert_eq!(
            raw.header("cookie"),
            ["session=a%3B%20admin=1%0D%0AX-Injected:%201"]
        );
        assert!(raw.header("x-injected").is_empty());
    })
    .await;
}

/// The header lines of each part of a multipart body.
fn part_heads(raw: &Raw) -> Vec<String> {
    let content_type = raw.header("content-type")[0].to_string();
    let boundary = content_type.split("boundary=").nth(1).unwrap().to_string();
    let body = String::from_utf8_lossy(&raw.body).into_owned();
    body.split(&format!("--{boundary}"))
        .skip(1)
        .filter(|part| !part.starts_with("--"))
        .map(|part| {
            let part = part.strip_prefix("\r\n").unwrap();
            part[..part.find("\r\n\r\n").unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn multipart_names_and_file_names_cannot_add_header_lines_or_parts() {
    bounded(async {
        let server = Recorder::start(200, r#"{"id":"f1"}"#).await;
        let client = server.media();
        let files = client.files();
        let hostile = "evil\"; name=\"x\r\nContent-Type: text/html\r\n\r\n<script>";
        // A file name that is not UTF-8, as a caller turns an `OsStr` into one.
        let lossy = String::from_utf8_lossy(b"r\xe9sum\xe9.pdf").into_owned();
        let mut body = UploadFileRequest::new(
            FilePart::new(b"pdf".to_vec()).file_name(hostile),
            "n",
        )
        .extra_files([
            FilePart::new(b"1".to_vec()).file_name("résumé.pdf"),
            FilePart::new(b"2".to_vec()).file_name(lossy),
        ]);
        body.additional_properties
            .insert(format!("k{hostile}"), serde_json::json!("v"));
        files.upload().body(body).send().await.unwrap();
        let raw = server.only();
        assert_eq!(
            part_heads(&raw),
            [
                "Content-Disposition: form-data; name=\"file\"; filename=\"evil%22; name=%22x%0D%0AContent-Type: text/html%0D%0A%0D%0A<script>\"\r\nContent-Type: application/octet-stream",
                "Content-Disposition: form-data; name=\"name\"",
                "Content-Disposition: form-data; name=\"extra_files\"; filename=\"résumé.pdf\"\r\nContent-Type: application/octet-stream",
                "Content-Disposition: form-data; name=\"extra_files\"; filename=\"r\u{fffd}sum\u{fffd}.pdf\"\r\nContent-Type: application/octet-stream",
                "Content-Disposition: form-data; name=\"kevil%22; name=%22x%0D%0AContent-Type: text/html%0D%0A%0D%0A<script>\"",
            ]
        );

        // A content type is a header value: CR or LF in it is refused.
        let bad = UploadFileRequest::new(
            FilePart::new(b"pdf".to_vec()).content_type("text/plain\r\nX-Injected: 1"),
            "n",
        );
        let message = invalid(files.upload().body(bad).send().await);
        assert!(message.contains("content type of part `file`"), "{message}");
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn form_names_and_values_cannot_add_fields() {
    bounded(async {
        let server = Recorder::start(200, "[]").await;
        let mut body = SearchNotesRequest::default()
            .q("a&b=c+d e%")
            .labels(["x&y", "é"]);
        body.additional_properties
            .insert("k&injected=1".into(), serde_json::json!("v\r\n"));
        server
            .media()
            .notes()
            .search()
            .body(body)
            .send()
            .await
            .unwrap();
        // The fields' order follows serde_json's map (sorted, or in insertion
        // order when a crate of the build turns on `preserve_order`); the
        // pairs, and the order of a repeated key's values, do not.
        let body = String::from_utf8(server.only().body).unwrap();
        let mut pairs: Vec<&str> = body.split('&').collect();
        pairs.sort_by_key(|pair| pair.split('=').next().unwrap_or_default().to_string());
        assert_eq!(
            pairs,
            [
                "k%26injected%3D1=v%0D%0A",
                "labels=x%26y",
                "labels=%C3%A9",
                "q=a%26b%3Dc%2Bd%20e%25",
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn client_settings_that_cannot_be_headers_are_refused_with_the_cause() {
    bounded(async {
        let server = Recorder::start(204, "").await;
        let client = media_api::Client::builder()
            .base_url(&server.url)
            .token("t")
            .user_agent("app/1.0\r\nX-Injected: 1")
            .max_retries(0)
            .build();
        let message = invalid(client.notes().remove_label(1, "x").send().await);
        assert!(message.contains("header value"), "{message}");
        assert!(server.requests().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_transport_error_says_what_failed() {
    bounded(async {
        // A port nothing listens on: bind one, then close it.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let client = media_api::Client::builder()
            .base_url(&url)
            .token("t")
            .max_retries(0)
            .build();
        let error = client
            .notes()
            .remove_label(1, "x")
            .send()
            .await
            .unwrap_err();
        assert!(error.is_transport(), "{error:?}");
        let text = error.to_string();
        // reqwest's own message, then its causes down to the refused connection.
        assert!(
            text.starts_with("transport error: error sending request"),
            "{text}"
        );
        assert!(text.to_lowercase().contains("refused"), "{text}");
    })
    .await;
}
