//! A response that differs from its description (docs/decoding.md), over
//! the wire: each kind of drift reads tolerantly, lands where the
//! description puts it, is listed in `Response::corrections()`, and is
//! written back as it arrived; a strict call fails naming its path.

mod common;

use common::{bounded, client, conversation, page};
use intercom_api::{models, Client, CorrectionKind, Error, RequestOptions, ResponseFutureExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers `GET /conversations/c1` with `body`.
async fn serving(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/conversations/c1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-drift")
                .set_body_json(body),
        )
        .mount(&server)
        .await;
    server
}

/// The conversation read tolerantly, with its corrections as (path, kind).
async fn read(body: Value) -> (models::Conversation, Vec<(String, CorrectionKind)>) {
    let server = serving(body).await;
    let response = client(&server.uri())
        .conversations()
        .retrieve("c1")
        .send()
        .with_response()
        .await
        .unwrap();
    let corrections = response
        .corrections()
        .iter()
        .map(|c| (c.path.clone(), c.kind))
        .collect();
    (response.into_inner(), corrections)
}

/// The strict call's decode error, as (path, message).
async fn strictly(body: Value) -> (String, String) {
    let server = serving(body).await;
    let strict = client(&server.uri()).with_options(RequestOptions::new().strict(true));
    match strict.conversations().retrieve("c1").send().await {
        Err(Error::Decode(e)) => (e.path.clone(), e.message.clone()),
        other => panic!("a strict read of a drifted body fails: {other:?}"),
    }
}

/// JSON with explicit nulls dropped: an optional `null` is written back
/// as absent, as it always was.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => m
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect(),
        Value::Array(a) => a.into_iter().map(without_nulls).collect(),
        other => other,
    }
}

#[tokio::test]
async fn a_body_as_described_has_no_corrections() {
    bounded(async {
        let (read, corrections) = read(conversation("c1")).await;
        assert!(corrections.is_empty(), "{corrections:?}");
        assert_eq!(serde_json::to_value(&read).unwrap(), conversation("c1"));
    })
    .await;
}

#[tokio::test]
async fn scalars_of_another_kind_read_as_declared() {
    bounded(async {
        let mut body = conversation("c1");
        body["id"] = json!(12345);
        body["admin_assignee_id"] = json!("991");
        body["team_assignee_id"] = json!(7.0);
        body["read"] = json!("true");
        let (read, corrections) = read(body.clone()).await;
        assert_eq!(read.id, "12345");
        assert_eq!(read.admin_assignee_id, Some(991));
        assert_eq!(read.team_assignee_id, Some(7));
        assert!(read.read);
        assert_eq!(
            corrections,
            [
                ("id".to_string(), CorrectionKind::Converted),
                ("read".to_string(), CorrectionKind::Converted),
                ("admin_assignee_id".to_string(), CorrectionKind::Converted),
                ("team_assignee_id".to_string(), CorrectionKind::Converted),
            ]
        );
        // Written back in the declared types: the same values, as text or numbers.
        let written = serde_json::to_value(&read).unwrap();
        assert_eq!(written["id"], "12345");
        assert_eq!(written["admin_assignee_id"], 991);
        assert_eq!(written["read"], true);
        // Strictly, the first difference in the body's order (which depends
        // on serde_json's `preserve_order`, on in some builds).
        let at = strictly(body).await.0;
        assert!(["id", "admin_assignee_id"].contains(&at.as_str()), "{at}");
    })
    .await;
}

#[tokio::test]
async fn a_required_member_absent_or_null_takes_a_stand_in_never_written() {
    bounded(async {
        let mut body = conversation("c1");
        body.as_object_mut().unwrap().remove("created_at");
        body["open"] = Value::Null;
        let (read, corrections) = read(body.clone()).await;
        assert_eq!((read.created_at, read.open), (0, false));
        assert_eq!(
            corrections,
            [
                ("created_at".to_string(), CorrectionKind::Missing),
                ("open".to_string(), CorrectionKind::Null),
            ]
        );
        // Absent stays absent, null stays null.
        assert_eq!(serde_json::to_value(&read).unwrap(), body);
        let (at, message) = strictly(body.clone()).await;
        assert_eq!(at, "open");
        assert!(message.contains("null"), "{message}");
        body["open"] = json!(true);
        let (at, message) = strictly(body).await;
        assert_eq!(at, "the body");
        assert!(message.contains("created_at"), "{message}");
    })
    .await;
}

#[tokio::test]
async fn a_member_of_another_shape_is_kept_as_it_arrived() {
    bounded(async {
        let mut body = conversation("c1");
        // A list where an object is declared, an object where a string is,
        // a list where a map is.
        body["tags"] = json!(["vip", "billing"]);
        body["title"] = json!({"text": "Refund"});
        body["custom_attributes"] = json!([1, 2]);
        let (read, corrections) = read(body.clone()).await;
        assert_eq!(read.tags, None);
        assert_eq!(read.title, None);
        assert!(read.custom_attributes.is_empty());
        assert_eq!(
            corrections.iter().map(|(_, k)| *k).collect::<Vec<_>>(),
            [CorrectionKind::Mismatched; 3]
        );
        // Nothing is lost: each member is written back as it arrived, once.
        assert_eq!(serde_json::to_value(&read).unwrap(), body);
        let text = serde_json::to_string(&read).unwrap();
        assert_eq!(text.matches("\"tags\"").count(), 1, "{text}");
        assert_eq!(strictly(body).await.0, "custom_attributes");
    })
    .await;
}

#[tokio::test]
async fn an_item_that_does_not_fit_costs_only_itself() {
    bounded(async {
        let mut body = conversation("c1");
        body["tags"] = json!({"type": "tag.list", "tags": [
            {"type": "tag", "id": 1, "name": "vip"},
            [{"type": "tag", "id": "2", "name": "billing"}],
            {"type": "tag", "id": "3", "name": "churn"},
        ]});
        let (read, corrections) = read(body.clone()).await;
        let tags = &read.tags.as_ref().expect("the tag list reads").tags;
        let ids: Vec<&str> = tags.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(
            corrections,
            [
                ("tags.tags[0].id".to_string(), CorrectionKind::Converted),
                ("tags.tags[1]".to_string(), CorrectionKind::LeftOut),
            ]
        );
        // Written back, the list is as it arrived: the item left out, and
        // the first item's id as the number it was.
        assert_eq!(serde_json::to_value(&read).unwrap(), body);
    })
    .await;
}

#[tokio::test]
async fn a_body_that_cannot_be_read_is_whole_in_the_error() {
    bounded(async {
        let server = MockServer::start().await;
        // About 6 KB, and a list where the conversation is declared.
        let body = json!([conversation("c1"), "x".repeat(6_000)]);
        Mock::given(method("GET"))
            .and(path("/conversations/c1"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("X-Request-Id", "req-whole")
                    .insert_header("X-Extra", "kept")
                    .set_body_json(&body),
            )
            .mount(&server)
            .await;
        let error = client(&server.uri())
            .conversations()
            .retrieve("c1")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.request_id(), Some("req-whole"));
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.path, "the body");
        assert_eq!(decode.body_json(), Some(body.clone()));
        assert!(decode.body.len() > 6_000);
        assert_eq!(decode.header("x-extra"), Some("kept"));
        assert_eq!(decode.body_as::<Vec<Value>>().unwrap().len(), 2);
        // One short line.
        let line = error.to_string();
        assert!(
            line.starts_with("cannot read the 200 response (the body): "),
            "{line}"
        );
        assert!(line.len() < 200 && !line.contains('\n'), "{line}");
    })
    .await;
}

#[tokio::test]
async fn one_drifted_item_of_a_page_costs_only_its_member() {
    bounded(async {
        let server = MockServer::start().await;
        let mut body = page(&["1", "2", "3"], None);
        body["conversations"][1]["source"] = json!("email");
        Mock::given(method("GET"))
            .and(path("/conversations"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let response = client(&server.uri())
            .conversations()
            .list()
            .send()
            .with_response()
            .await
            .unwrap();
        let paths: Vec<&str> = response
            .corrections()
            .iter()
            .map(|c: &intercom_api::Correction| c.path.as_str())
            .collect();
        assert_eq!(paths, ["conversations[1].source"]);
        assert_eq!(response.corrections()[0].model, "ConversationListItem");
        let conversations = &response.data.conversations;
        assert_eq!(conversations.len(), 3);
        assert_eq!(conversations[2].id, "3");
        assert_eq!(
            without_nulls(serde_json::to_value(&response.data).unwrap()),
            body
        );
    })
    .await;
}

#[tokio::test]
async fn a_post_whose_answer_drifted_still_succeeds() {
    bounded(async {
        let server = MockServer::start().await;
        let mut answer = conversation("c1");
        answer["id"] = json!(42);
        answer["updated_at"] = json!("1700000000");
        Mock::given(method("POST"))
            .and(path("/conversations/c1/reply"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .expect(1)
            .mount(&server)
            .await;
        let reply = models::AdminReplyConversationRequest::new(
            models::AdminReplyConversationRequestMessageType::Comment,
            "991",
        );
        let read = client(&server.uri())
            .conversations()
            .reply("c1")
            .body(reply)
            .send()
            .await
            .unwrap();
        assert_eq!((read.id.as_str(), read.updated_at), ("42", 1_700_000_000));
    })
    .await;
}

#[tokio::test]
async fn a_strict_client_fails_and_a_call_can_relax_it() {
    bounded(async {
        let mut body = conversation("c1");
        body["id"] = json!(1);
        let server = serving(body).await;
        let strict: Client = common::builder(&server.uri()).strict(true).build();
        let error = strict
            .conversations()
            .retrieve("c1")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::Decode(e) if e.path == "id"),
            "{error:?}"
        );
        let relaxed = strict.with_options(RequestOptions::new().strict(false));
        assert_eq!(
            relaxed
                .conversations()
                .retrieve("c1")
                .send()
                .await
                .unwrap()
                .id,
            "1"
        );
    })
    .await;
}

#[tokio::test]
async fn an_unknown_enum_value_is_no_correction_and_reads_strictly() {
    bounded(async {
        let mut body = conversation("c1");
        body["state"] = json!("archived");
        let (read, corrections) = read(body.clone()).await;
        assert_eq!(
            read.state,
            models::ConversationState::Unknown("archived".into())
        );
        assert!(corrections.is_empty());
        let server = serving(body).await;
        let strict = common::builder(&server.uri()).strict(true).build();
        assert!(strict.conversations().retrieve("c1").send().await.is_ok());
    })
    .await;
}

#[test]
fn a_list_object_reads_where_an_array_is_declared() {
    let body = json!({"type": "list", "data": [{"type": "tag", "id": 7, "name": "vip"}]});
    let bytes = serde_json::to_vec(&body).unwrap();
    let read = intercom_api::from_json::<Vec<models::Tag>>(&bytes, false).unwrap();
    assert_eq!(read.value.len(), 1);
    assert_eq!(read.value[0].id, "7");
    assert_eq!(
        read.corrections
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect::<Vec<_>>(),
        [
            ("the body", CorrectionKind::ListObject),
            ("[0].id", CorrectionKind::Converted)
        ]
    );
    assert!(intercom_api::from_json::<Vec<models::Tag>>(&bytes, true).is_err());
}
