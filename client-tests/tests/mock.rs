//! The `mock` feature as a user's tests meet it: typed answers, queued
//! pages walked by the production paging (a cursor in a search body),
//! `when`, a strict client, items left out of a page, and what was sent.

mod common;

use futures::{StreamExt, TryStreamExt};
use intercom_api::mock::Mock;
use intercom_api::{models, Error, RequestOptions};
use paging_api::models::{SearchItemsRequest, SearchItemsRequestPagination};
use serde_json::json;

#[tokio::test]
async fn a_typed_answer_reads_back_as_the_value_queued() {
    let mock = Mock::new();
    let conversation: models::Conversation =
        serde_json::from_value(common::conversation("c1")).unwrap();
    mock.conversations()
        .retrieve()
        .returns(conversation.clone());
    let client = mock.client();
    let read = client.conversations().retrieve("c1").send().await.unwrap();
    assert_eq!(read, conversation);
    let sent = mock.requests();
    assert_eq!(sent[0].operation, "conversations().retrieve()");
    assert_eq!(
        (sent[0].method.as_str(), sent[0].path.as_str()),
        ("GET", "/conversations/c1")
    );
    assert_eq!(sent[0].header("intercom-version"), client.api_version());
}

#[tokio::test]
async fn when_picks_the_requests_of_one_id() {
    let mock = Mock::new();
    let retrieve = mock.conversations().retrieve();
    retrieve.fails(Error::api(404, "not_found", "Resource Not Found"));
    retrieve
        .when(|r| r.path.ends_with("/c1"))
        .responds(200, &[], common::conversation("c1"));
    let client = mock.client();
    assert_eq!(
        client
            .conversations()
            .retrieve("c1")
            .send()
            .await
            .unwrap()
            .id,
        "c1"
    );
    let error = client
        .conversations()
        .retrieve("c2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.api_error().unwrap().errors()[0].code.as_deref(),
        Some("not_found")
    );
    assert_eq!(retrieve.calls(), 1);
}

#[tokio::test]
async fn queued_pages_are_walked_with_the_cursor_in_the_search_body() {
    let mock = paging_api::mock::Mock::new();
    let page = |ids: &[&str], next: Option<&str>| {
        let items: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({"data": items, "pages": {"next": next.map(|c| json!({"starting_after": c}))}})
    };
    mock.items()
        .search()
        .responds(200, &[], page(&["1", "2"], Some("c1")))
        .responds(200, &[], page(&["3"], None));
    let search = SearchItemsRequest::default()
        .query("x")
        .pagination(SearchItemsRequestPagination::default().per_page(2));
    let ids: Vec<String> = mock
        .client()
        .items()
        .search()
        .body(search)
        .items()
        .map_ok(|item| item.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2", "3"]);
    let bodies: Vec<_> = mock.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(
        bodies,
        [
            Some(json!({"query": "x", "pagination": {"per_page": 2}})),
            Some(json!({"query": "x", "pagination": {"per_page": 2, "starting_after": "c1"}})),
        ]
    );
}

#[tokio::test]
async fn a_drifted_answer_is_read_tolerantly_or_fails_a_strict_client() {
    let mock = Mock::new();
    let mut drifted = common::conversation("c1");
    drifted["id"] = json!(7);
    mock.conversations().retrieve().responds(200, &[], drifted);
    let read = mock
        .client()
        .conversations()
        .retrieve("c1")
        .send()
        .await
        .unwrap();
    assert_eq!(read.id, "7");
    let strict = mock.builder().strict(true).build();
    let error = strict
        .conversations()
        .retrieve("c1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.decode_error().unwrap().path, "id");
    // Per call, too.
    let relaxed = strict.with_options(RequestOptions::new().strict(false));
    assert!(relaxed.conversations().retrieve("c1").send().await.is_ok());
}

#[tokio::test]
async fn an_item_that_cannot_be_read_is_an_error_in_its_place() {
    let mock = Mock::new();
    let mut page = common::page(&["1", "2"], None);
    page["conversations"][0] = json!("not a conversation");
    mock.conversations().list().responds(200, &[], page);
    let got: Vec<Result<String, usize>> = mock
        .client()
        .conversations()
        .list()
        .items()
        .map_ok(|c| c.id)
        .map_err(|e| e.decode_error().and_then(|d| d.item).unwrap())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(got, [Err(0), Ok("2".to_string())]);
}

#[tokio::test]
async fn without_an_answer_a_call_fails_at_once_and_examples_answer_any_call() {
    let mock = Mock::new();
    let body = models::AttachTagToConversationRequest::new("t1", "a1");
    let call = mock.client().tags().attach_to_conversation("c1");
    let error = call.body(body.clone()).send().await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`tags().attach_to_conversation()`"),
        "{error}"
    );
    let offline = Mock::with_examples();
    let call = offline.client().tags().attach_to_conversation("c1");
    let tag = call.body(body).send().await.unwrap();
    assert_eq!(tag.name, "Manual tag", "the description's example");
}

/// Every list takes the page size and the continuations Intercom documents,
/// declared or not (generator/conventions/pagination.yaml): in the query, or
/// in `pagination` of a JSON body, where the walk carries them too.
#[tokio::test]
async fn undeclared_page_size_and_cursor_are_sent_where_the_convention_puts_them() {
    let mock = paging_api::mock::Mock::new();
    let page = json!({"data": [{"id": "1"}], "pages": {}});
    mock.items()
        .list_contacts()
        .responds(200, &[], page.clone());
    mock.items().find().responds(200, &[], page);
    let client = mock.client();
    let listed = client
        .items()
        .list_contacts()
        .per_page(5)
        .starting_after("c0");
    listed.send().await.unwrap();
    let find = paging_api::models::FindItemsRequest::with_query("x");
    let found = client
        .items()
        .find()
        .body(find)
        .per_page(5)
        .starting_after("c0");
    found.send().await.unwrap();
    let sent = mock.requests();
    assert_eq!(sent[0].query("per_page"), Some("5"));
    assert_eq!(sent[0].query("starting_after"), Some("c0"));
    assert_eq!(
        sent[1].body,
        Some(json!({"query": "x", "pagination": {"per_page": 5, "starting_after": "c0"}}))
    );
    assert!(sent[1].query.is_empty());
}

/// A body whose description requires one of several sets of properties is
/// built by a constructor per set, and one with none set (read from JSON,
/// which stays possible) is refused before anything is sent.
#[tokio::test]
async fn a_body_without_a_required_set_is_refused_before_sending() {
    let mock = paging_api::mock::Mock::new();
    mock.items()
        .find()
        .responds(200, &[], json!({"data": [], "pages": {}}));
    let client = mock.client();
    let tagged = paging_api::models::FindItemsRequest::with_tag("t");
    client.items().find().body(tagged).send().await.unwrap();
    let empty: paging_api::models::FindItemsRequest = serde_json::from_value(json!({})).unwrap();
    let error = client.items().find().body(empty).send().await.unwrap_err();
    assert!(
        matches!(error, paging_api::Error::InvalidRequest(_)),
        "{error:?}"
    );
    assert!(error.to_string().contains("`query`; `tag`"), "{error}");
    assert_eq!(
        mock.requests().len(),
        1,
        "nothing sent for the refused body"
    );
}
