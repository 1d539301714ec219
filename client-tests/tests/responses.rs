//! What calls return: API errors, bodies that do not parse, bodies with
//! more than the types describe, status and headers of successes, and the
//! headers every request carries.

mod common;

use common::{bounded, client, conversation, error_list, page};
use intercom_api::{models, with_response, Client, Error, RequestOptions, ResponseFutureExt};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn error_list_body_is_parsed() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations/123"))
            .respond_with(
                ResponseTemplate::new(404)
                    .insert_header("X-Request-Id", "req-42")
                    .set_body_json(error_list(
                        "conversation_not_found",
                        "Conversation not found",
                    )),
            )
            .mount(&server)
            .await;
        let error = client(&server.uri())
            .conversations()
            .retrieve("123")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.request_id(), Some("req-42"));
        let Error::Api(api) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(api.attempts, 1, "a 404 is not retried");
        assert_eq!(api.header("x-request-id"), Some("req-42"));
        // The error list, parsed whatever the operation...
        let list = api.list.as_ref().unwrap();
        assert_eq!(list.errors.len(), 1);
        // ...typed as the operation documents its error body...
        let body: models::ErrorModel = api.body_as().unwrap();
        assert_eq!(body.errors[0].code, "conversation_not_found");
        assert_eq!(
            body.errors[0].message.as_deref(),
            Some("Conversation not found")
        );
        // ...and through the accessor.
        let items = api.errors();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].code.as_deref(), Some("conversation_not_found"));
        let text = error.to_string();
        assert!(
            text.contains("404")
                && text.contains("req-42")
                && text.contains("conversation_not_found"),
            "{text}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn request_id_falls_back_to_the_body() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(401)
                    .set_body_json(error_list("unauthorized", "Access Token Invalid")),
            )
            .mount(&server)
            .await;
        let error = client(&server.uri())
            .conversations()
            .list()
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.request_id(), Some("req-in-body"));
    })
    .await;
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                r#"{"type":"conversation.list","conversations":[{"id":"#,
                "application/json",
            ))
            .mount(&server)
            .await;
        let error = client(&server.uri())
            .conversations()
            .list()
            .send()
            .await
            .unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.status, 200);
        assert!(
            decode
                .body_text()
                .starts_with(r#"{"type":"conversation.list""#),
            "{}",
            decode.body_text()
        );
        assert_eq!(error.status(), Some(200));
        assert!(!error.is_timeout() && !error.is_transport());
    })
    .await;
}

#[tokio::test]
async fn a_wrong_type_is_a_decode_error_with_its_path_when_strict() {
    bounded(async {
        let server = MockServer::start().await;
        let mut body = page(&["1", "2"], None);
        body["conversations"][1]["id"] = json!(12345);
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        // Tolerantly (the default) it reads: tests/drift.rs.
        let error = common::builder(&server.uri())
            .strict(true)
            .build()
            .conversations()
            .list()
            .send()
            .await
            .unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.path, "conversations[1].id");
        // The path says where; the line and column of the body do not repeat it.
        assert_eq!(
            decode.message,
            "invalid type: integer `12345`, expected a string"
        );
        assert!(error.to_string().contains("conversations[1].id"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_long_body_is_truncated_in_errors() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(500).set_body_string("x".repeat(100_000)))
            .mount(&server)
            .await;
        let client = client(&server.uri()).with_options(RequestOptions::new().max_retries(0));
        let error = client.conversations().list().send().await.unwrap_err();
        // The body is kept whole; the message shows the start of it.
        assert_eq!(error.api_error().unwrap().body.len(), 100_000);
        let text = error.to_string();
        assert!(
            text.len() < 5_000 && text.ends_with("(100000 bytes in all)"),
            "{}",
            text.len()
        );
    })
    .await;
}

#[tokio::test]
async fn unknown_fields_and_enum_values_are_kept() {
    bounded(async {
        let server = MockServer::start().await;
        let mut item = conversation("1");
        item["state"] = json!("archived");
        item["brand_new_field"] = json!({"nested": [1, 2]});
        let mut body = page(&[], None);
        body["conversations"] = json!([item]);
        body["pages"]["cursor_kind"] = json!("opaque");
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let page = client(&server.uri())
            .conversations()
            .list()
            .send()
            .await
            .unwrap();
        let c = &page.conversations[0];
        assert_eq!(
            c.state,
            models::ConversationState::Unknown("archived".into())
        );
        assert_eq!(
            c.additional_properties["brand_new_field"],
            json!({"nested": [1, 2]})
        );
        assert_eq!(
            page.pages.as_ref().unwrap().additional_properties["cursor_kind"],
            "opaque"
        );
        // Nothing is lost: written back, it is what the server sent.
        assert_eq!(serde_json::to_value(&page).unwrap(), body);
    })
    .await;
}

#[tokio::test]
async fn with_response_gives_status_headers_and_attempts() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("X-Request-Id", "req-list")
                    .insert_header("X-RateLimit-Remaining", "83")
                    .set_body_json(page(&["1"], None)),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/conversations/search"))
            .respond_with(
                ResponseTemplate::new(201)
                    .insert_header("X-Request-Id", "req-search")
                    .set_body_json(page(&["2"], None)),
            )
            .mount(&server)
            .await;
        let client = client(&server.uri());
        let query: models::SearchRequest = serde_json::from_value(
            json!({"query": {"field": "open", "operator": "=", "value": true}}),
        )
        .unwrap();

        // Two calls at once, on the client and on a per-request clone: each gets its own response.
        let tuned = client.with_options(RequestOptions::new().max_retries(0));
        let (list, search) = tokio::join!(
            client.conversations().list().send().with_response(),
            with_response(tuned.conversations().search().body(query.clone()).send()),
        );
        let (list, search) = (list.unwrap(), search.unwrap());
        assert_eq!((list.status, list.attempts), (200, 1));
        assert_eq!(list.request_id(), Some("req-list"));
        assert_eq!(list.header("x-ratelimit-remaining"), Some("83"));
        assert_eq!(search.status, 201);
        assert_eq!(search.request_id(), Some("req-search"));
        assert_eq!(search.into_inner().conversations[0].id, "2");

        // Without a request there is no response to report.
        let nothing = with_response(async { Ok::<_, Error>(()) }).await;
        assert!(matches!(nothing, Err(Error::InvalidRequest(_))));
    })
    .await;
}

#[tokio::test]
async fn every_request_carries_token_version_and_user_agent() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(header(
                "authorization",
                format!("Bearer {}", common::TOKEN).as_str(),
            ))
            .and(header("intercom-version", "2.11"))
            .and(header(
                "user-agent",
                format!("intercom-api-rust/{}", common::crate_version()).as_str(),
            ))
            .and(header("accept", "application/json"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("intercom-version", "2.10"))
            .and(header("user-agent", "my-app/2.0"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .expect(2)
            .mount(&server)
            .await;

        let client = client(&server.uri());
        assert_eq!(client.api_version(), Some("2.11"));
        client.conversations().list().send().await.unwrap();

        let custom = common::builder(&server.uri())
            .user_agent("my-app/2.0")
            .api_version(models::IntercomVersion::V2_10)
            .build();
        custom.conversations().list().send().await.unwrap();

        // Per request: another version for one call, the client unchanged.
        let older = Client::builder()
            .base_url(server.uri())
            .token(common::TOKEN)
            .user_agent("my-app/2.0")
            .build()
            .with_options(RequestOptions::new().api_version(models::IntercomVersion::V2_10));
        assert_eq!(older.api_version(), Some("2.10"));
        older.conversations().list().send().await.unwrap();
        assert_eq!(client.api_version(), Some("2.11"));
    })
    .await;
}

#[tokio::test]
async fn query_path_and_body_are_sent_as_the_operation_says() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations/a%2Fb"))
            .and(wiremock::matchers::query_param("display_as", "plaintext"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&server)
            .await;
        // The error is not the point: the request is, on each of the 3 attempts.
        let _ = client(&server.uri())
            .conversations()
            .retrieve("a/b")
            .display_as("plaintext")
            .send()
            .await
            .unwrap_err();
        let sent = server.received_requests().await.unwrap();
        assert_eq!(sent.len(), 3);
        assert!(sent.iter().all(|r| r.url.path() == "/conversations/a%2Fb"));
    })
    .await;
}
