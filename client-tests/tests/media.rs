//! Bodies and responses that are not JSON, checked on the wire, with the
//! crate generated from `generator/tests/fixtures/media.yaml`: a
//! `multipart/form-data` upload, a binary upload, a text body, a form,
//! a text answer and a binary download.

mod common;

use common::bounded;
use media_api::models::{FilePart, UploadFileRequest};
use media_api::Client;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .token("t")
        .max_retries(0)
        .build()
}

/// The parts of a multipart body: (headers, content) in order.
fn parts(request: &Request) -> Vec<(String, Vec<u8>)> {
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary in the content type");
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut out = Vec::new();
    let mut rest: &[u8] = body;
    // Each part: delimiter CRLF headers CRLF CRLF content CRLF.
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        rest = &rest[2..];
        let head_end = find(rest, b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        rest = &rest[head_end + 4..];
        let next = find(rest, delimiter.as_bytes()).unwrap();
        out.push((head, rest[..next - 2].to_vec()));
        rest = &rest[next..];
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn a_multipart_upload_sends_files_and_fields_as_parts() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/files"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"id": "f1", "name": "report.pdf"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        // Bytes that are not UTF-8, to show they travel untouched.
        let pdf = vec![0x25, 0x50, 0x44, 0x46, 0xff, 0x00, 0x0d, 0x0a];
        let body = UploadFileRequest::new(
            FilePart::new(pdf.clone())
                .file_name("report.pdf")
                .content_type("application/pdf"),
            "Q3 report",
        )
        .tags(["finance", "q3"])
        .extra_files([FilePart::new(b"a,b\n".to_vec()).file_name("data.csv")]);
        let stored = client(&server.uri())
            .files()
            .upload()
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(stored.id, "f1");

        let sent = &server.received_requests().await.unwrap()[0];
        let content_type = sent.headers.get("content-type").unwrap().to_str().unwrap();
        assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
        let got = parts(sent);
        let heads: Vec<&str> = got.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(
            heads,
            [
                "Content-Disposition: form-data; name=\"file\"; filename=\"report.pdf\"\r\nContent-Type: application/pdf",
                "Content-Disposition: form-data; name=\"name\"",
                "Content-Disposition: form-data; name=\"tags\"",
                "Content-Disposition: form-data; name=\"tags\"",
                "Content-Disposition: form-data; name=\"extra_files\"; filename=\"data.csv\"\r\nContent-Type: application/octet-stream",
            ]
        );
        let contents: Vec<&[u8]> = got.iter().map(|(_, c)| c.as_slice()).collect();
        assert_eq!(
            contents,
            [
                pdf.as_slice(),
                b"Q3 report".as_slice(),
                b"finance".as_slice(),
                b"q3".as_slice(),
                b"a,b\n".as_slice(),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_binary_body_is_sent_as_it_is_with_its_media_type() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path("/files/f1/raw"))
            .and(header("content-type", "application/octet-stream"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        client(&server.uri())
            .files()
            .replace_content("f1")
            .body(vec![1_u8, 2, 3, 255])
            .send()
            .await
            .unwrap();
        let sent = &server.received_requests().await.unwrap()[0];
        assert_eq!(sent.body, [1, 2, 3, 255]);
    })
    .await;
}

#[tokio::test]
async fn text_goes_as_text_and_comes_back_as_text() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/notes"))
            .and(header("content-type", "text/plain"))
            .and(body_string("Call the customer back"))
            .respond_with(
                ResponseTemplate::new(200).set_body_string("note 7: Call the customer back"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let note: String = client(&server.uri())
            .notes()
            .create()
            .body("Call the customer back")
            .send()
            .await
            .unwrap();
        assert_eq!(note, "note 7: Call the customer back");
        let sent = &server.received_requests().await.unwrap()[0];
        assert_eq!(sent.headers.get("accept").unwrap(), "text/plain");
    })
    .await;
}

#[tokio::test]
async fn a_form_body_is_url_encoded() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/notes/search"))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .respond_with(ResponseTemplate::new(200).set_body_json(["n1"]))
            .expect(1)
            .mount(&server)
            .await;
        let body = media_api::models::SearchNotesRequest::default()
            .q("late & lost")
            .limit(5)
            .labels(["a", "b"]);
        let ids = client(&server.uri())
            .notes()
            .search()
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(ids, ["n1"]);
        let sent = &server.received_requests().await.unwrap()[0];
        // Pairs in the order serde_json's map keeps (by name, or as declared
        // when a crate of the build turns on its `preserve_order`).
        let text = String::from_utf8_lossy(&sent.body).into_owned();
        let mut pairs: Vec<&str> = text.split('&').collect();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            ["labels=a", "labels=b", "limit=5", "q=late%20%26%20lost"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_binary_download_keeps_every_byte() {
    bounded(async {
        let server = MockServer::start().await;
        let bytes = vec![0x25, 0x50, 0x44, 0x46, 0x00, 0xff];
        Mock::given(method("GET"))
            .and(path("/files/f1/content"))
            .and(header("accept", "application/pdf"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(bytes.clone()))
            .expect(1)
            .mount(&server)
            .await;
        let got = client(&server.uri())
            .files()
            .download("f1")
            .send()
            .await
            .unwrap();
        assert_eq!(got, bytes);
    })
    .await;
}
