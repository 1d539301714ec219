//! The builder API as a user writes it: nested bodies from constructors,
//! setters that take owned or convertible values, a stream returned from a
//! function, one error type across operations, required parts checked
//! before sending. Each checks what goes on the wire.

mod common;

use common::{bounded, client, error_list, page};
use intercom_api::models::{
    MultipleFilterSearchRequest, MultipleFilterSearchRequestOperator, SearchRequest,
    SingleFilterSearchRequest, SingleFilterSearchRequestOperator, StartingAfterPaging,
};
use intercom_api::{models, BoxStream, Client, Error, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_two_filter_search_is_built_from_constructors_and_sent_as_written() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/conversations/search"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .expect(1)
            .mount(&server)
            .await;
        let open = SingleFilterSearchRequest::default()
            .field("open")
            .operator(SingleFilterSearchRequestOperator::Eq)
            .value(true);
        let recent = SingleFilterSearchRequest::default()
            .field("created_at")
            .operator(SingleFilterSearchRequestOperator::Gt)
            .value(1_700_000_000_i64);
        let query = MultipleFilterSearchRequest::default()
            .operator(MultipleFilterSearchRequestOperator::And)
            .value([open, recent]);
        let page = client(&server.uri())
            .conversations()
            .search()
            .body(SearchRequest::new(query).pagination(StartingAfterPaging::new(5)))
            .send()
            .await
            .unwrap();
        assert_eq!(page.conversations.len(), 1);

        let sent = server.received_requests().await.unwrap();
        let body: Value = serde_json::from_slice(&sent[0].body).unwrap();
        assert_eq!(
            body,
            json!({
                "query": {"operator": "AND", "value": [
                    {"field": "open", "operator": "=", "value": true},
                    {"field": "created_at", "operator": ">", "value": 1_700_000_000},
                ]},
                "pagination": {"per_page": 5},
            })
        );
    })
    .await;
}

#[tokio::test]
async fn a_reply_body_needs_only_its_required_fields() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/conversations/c%201/reply"))
            .respond_with(ResponseTemplate::new(200).set_body_json(common::conversation("c 1")))
            .expect(1)
            .mount(&server)
            .await;
        // The one-value `type: admin` is filled in; `admin_id` takes text or a number.
        let reply = models::AdminReplyConversationRequest::new(
            models::AdminReplyConversationRequestMessageType::Comment,
            "991",
        )
        .body("Thanks!");
        client(&server.uri())
            .conversations()
            .reply("c 1")
            .body(reply)
            .send()
            .await
            .unwrap();
        let sent = server.received_requests().await.unwrap();
        let body: Value = serde_json::from_slice(&sent[0].body).unwrap();
        assert_eq!(
            body,
            json!({"message_type": "comment", "type": "admin", "admin_id": "991", "body": "Thanks!"})
        );
    })
    .await;
}

#[tokio::test]
async fn setters_take_convertible_values_and_send_them_as_query_parameters() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .and(query_param("per_page", "5"))
            .and(query_param("starting_after", "abc"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .expect(1)
            .mount(&server)
            .await;
        let cursor = String::from("abc");
        client(&server.uri())
            .conversations()
            .list()
            .per_page(5_i32) // any integer that converts into i64
            .starting_after(cursor) // owned, or &str
            .send()
            .await
            .unwrap();
    })
    .await;
}

/// A helper that returns a stream: it owns its request and a client handle,
/// so it outlives the `Client` it came from.
fn every_conversation(
    client: &Client,
) -> BoxStream<'static, Result<models::ConversationListItem, Error>> {
    client.conversations().list().per_page(2).items()
}

#[tokio::test]
async fn a_stream_returned_from_a_function_outlives_its_client() {
    bounded(async {
        let server = MockServer::start().await;
        for (cursor, ids, next) in [
            (None, ["1", "2"], Some("c1")),
            (Some("c1"), ["3", "4"], None),
        ] {
            let mut mock = Mock::given(method("GET")).and(path("/conversations"));
            if let Some(c) = cursor {
                mock = mock.and(query_param("starting_after", c));
            }
            mock.respond_with(ResponseTemplate::new(200).set_body_json(page(&ids, next)))
                .up_to_n_times(1)
                .mount(&server)
                .await;
        }
        let stream = {
            let client = client(&server.uri());
            every_conversation(&client)
        };
        let ids: Vec<String> = stream.map_ok(|c| c.id).try_collect().await.unwrap();
        assert_eq!(ids, ["1", "2", "3", "4"]);
    })
    .await;
}

/// Two different operations in one function: `?` carries either's error.
async fn first_conversation_and_ticket(client: &Client) -> Result<(usize, String), Error> {
    let page = client.conversations().list().send().await?;
    let ticket = client.tickets().retrieve("t1").send().await?;
    Ok((page.conversations.len(), format!("{:?}", ticket.id)))
}

#[tokio::test]
async fn one_error_type_crosses_operations_with_the_question_mark() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/tickets/t1"))
            .respond_with(
                ResponseTemplate::new(404)
                    .insert_header("x-request-id", "req-t1")
                    .set_body_json(error_list("ticket_not_found", "Ticket not found")),
            )
            .mount(&server)
            .await;
        let error = first_conversation_and_ticket(&client(&server.uri()))
            .await
            .unwrap_err();
        let Error::Api(api) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(
            (api.status, api.request_id.as_deref()),
            (404, Some("req-t1"))
        );
        assert_eq!(api.errors()[0].code.as_deref(), Some("ticket_not_found"));
        // The body is kept as received, and reads as the documented model.
        let typed: models::ErrorModel = api.body_as().unwrap();
        assert_eq!(typed.errors[0].code, "ticket_not_found");
        // Into a boxed error, like any other.
        let boxed: Box<dyn std::error::Error + Send + Sync> = error.into();
        assert!(boxed.to_string().contains("ticket_not_found"), "{boxed}");
    })
    .await;
}

#[tokio::test]
async fn a_missing_required_body_fails_before_anything_is_sent() {
    bounded(async {
        let server = MockServer::start().await;
        let error = client(&server.uri())
            .conversations()
            .search()
            .send()
            .await
            .unwrap_err();
        let Error::InvalidRequest(message) = &error else {
            panic!("{error:?}")
        };
        assert!(
            message.contains("searchConversations") && message.contains("body"),
            "{message}"
        );
        assert!(server.received_requests().await.unwrap().is_empty());
    })
    .await;
}
