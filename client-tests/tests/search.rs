//! Typed search queries on the wire: the body each query writes, as
//! Intercom's examples write theirs, and the limits refused before
//! anything is sent (`search-api`, generated from
//! `generator/tests/fixtures/search.yaml`, answered by its mock).

use futures::TryStreamExt;
use search_api::contacts::search as contacts;
use search_api::conversations::search as conversations;
use search_api::mock::Mock;
use search_api::models;
use search_api::Error;
use serde_json::{json, Value};

/// The JSON body of the one request `query` makes.
async fn sent(query: contacts::Query) -> Result<Value, Error> {
    let mock = Mock::new();
    mock.contacts()
        .search()
        .returns(models::ContactList::default());
    mock.client()
        .contacts()
        .search()
        .query(query)
        .send()
        .await?;
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/contacts/search");
    Ok(requests[0].body.clone().unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_single_filter() {
    let body = sent(contacts::email().in_(["a@x.com", "b@x.com"]))
        .await
        .unwrap();
    assert_eq!(
        body,
        json!({"query": {"field": "email", "operator": "IN", "value": ["a@x.com", "b@x.com"]}})
    );
}

#[tokio::test]
async fn an_or_of_an_equal_and_an_in() {
    let query = contacts::role()
        .eq(contacts::Role::Lead)
        .or(contacts::owner_id().in_([17, 42]));
    assert_eq!(
        sent(query).await.unwrap(),
        json!({"query": {"operator": "OR", "value": [
            {"field": "role", "operator": "=", "value": "lead"},
            {"field": "owner_id", "operator": "IN", "value": [17, 42]},
        ]}})
    );
}

/// Intercom's own example writes a date as a string of its Unix seconds.
#[tokio::test]
async fn an_and_of_a_date_and_a_custom_attribute() {
    let query = contacts::created_at()
        .gt(1306054154)
        .and(contacts::custom_attribute("plan").eq("pro"));
    assert_eq!(
        sent(query).await.unwrap(),
        json!({"query": {"operator": "AND", "value": [
            {"field": "created_at", "operator": ">", "value": "1306054154"},
            {"field": "custom_attributes.plan", "operator": "=", "value": "pro"},
        ]}})
    );
}

#[tokio::test]
async fn a_field_by_name_and_the_body_beside_the_query() {
    let mock = Mock::new();
    mock.conversations()
        .search()
        .returns(models::ConversationList::default());
    let body = models::SearchRequest::new(serde_json::Map::new())
        .pagination(models::SearchRequestPagination::default().per_page(5));
    mock.client()
        .conversations()
        .search()
        .body(body)
        .query(
            conversations::field("custom_attributes.tier")
                .eq(json!(3))
                .and(conversations::source_type().ne(conversations::SourceType::Email)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].body,
        Some(json!({
            "query": {"operator": "AND", "value": [
                {"field": "custom_attributes.tier", "operator": "=", "value": 3},
                {"field": "source.type", "operator": "!=", "value": "email"},
            ]},
            "pagination": {"per_page": 5},
        }))
    );
}

fn refused(result: Result<Value, Error>, says: &str) {
    match result {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains(says), "{message}")
        }
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn fifteen_filters_in_a_group_are_sent_sixteen_refused() {
    let filters = |n: i64| (0..n).map(|i| contacts::owner_id().eq(i));
    let body = sent(contacts::or(filters(15))).await.unwrap();
    assert_eq!(body["query"]["value"].as_array().map(Vec::len), Some(15));
    refused(sent(contacts::or(filters(16))).await, "at most 15");
    // Chaining counts the same.
    let chained = filters(16).reduce(|a, b| a.or(b)).unwrap();
    refused(sent(chained).await, "16 filters");
}

#[tokio::test]
async fn two_levels_are_sent_three_refused() {
    let pair = || contacts::email().eq("a").or(contacts::email().eq("b"));
    let two = pair().and(pair());
    let body = sent(two).await.unwrap();
    assert_eq!(body["query"]["value"][1]["operator"], "OR");
    let three = contacts::and([pair().and(pair()), contacts::name().eq("x")]);
    refused(sent(three).await, "3 levels deep");
}

/// A refused query sends nothing: the mock sees no request.
#[tokio::test]
async fn a_refused_query_sends_nothing() {
    let mock = Mock::new();
    mock.contacts()
        .search()
        .returns(models::ContactList::default());
    let result = mock
        .client()
        .contacts()
        .search()
        .query(contacts::or([]))
        .send()
        .await;
    assert!(matches!(result, Err(Error::InvalidRequest(_))));
    assert!(mock.requests().is_empty());
}

/// The query stays when the walk sends the next page (its cursor goes in
/// the body beside it).
#[tokio::test]
async fn pages_keep_the_query() {
    let mock = Mock::new();
    let page = |number: i64, next: Option<&str>| {
        json!({"type": "list", "data": [{"id": "c"}], "total_count": 2,
               "pages": {"type": "pages", "page": number, "per_page": 1, "total_pages": 2,
                         "next": next.map(|n| json!({"starting_after": n}))}})
    };
    let search = mock.contacts().search();
    search.responds(200, &[], page(1, Some("cursor-2")));
    search.responds(200, &[], page(2, None));
    let items: Vec<models::Contact> = mock
        .client()
        .contacts()
        .search()
        .query(contacts::email().eq("a@x.com"))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    let sent = mock.requests();
    assert_eq!(sent.len(), 2);
    let query = json!({"field": "email", "operator": "=", "value": "a@x.com"});
    assert_eq!(sent[0].body.as_ref().unwrap()["query"], query);
    assert_eq!(sent[1].body.as_ref().unwrap()["query"], query);
    assert_eq!(
        sent[1].body.as_ref().unwrap()["pagination"]["starting_after"],
        "cursor-2"
    );
}
