//! The page and item streams of list (query cursor) and search (body
//! cursor) operations.

mod common;

use common::{bounded, client, page};
use futures::{StreamExt, TryStreamExt};
use intercom_api::models;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn mount_list_page(server: &MockServer, cursor: Option<&str>, body: Value) {
    let mock = Mock::given(method("GET"))
        .and(path("/conversations"))
        .and(query_param("per_page", "2"));
    let mock = match cursor {
        Some(c) => mock.and(query_param("starting_after", c)),
        None => mock.and(query_param_is_missing("starting_after")),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn cursors_sent(requests: &[Request]) -> Vec<Option<String>> {
    requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "starting_after")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

#[tokio::test]
async fn list_streams_three_pages_then_stops_without_a_cursor() {
    bounded(async {
        let server = MockServer::start().await;
        mount_list_page(&server, None, page(&["1", "2"], Some("c1"))).await;
        mount_list_page(&server, Some("c1"), page(&["3", "4"], Some("c2"))).await;
        mount_list_page(&server, Some("c2"), page(&["5", "6"], None)).await;
        let client = client(&server.uri());

        let ids: Vec<String> = client
            .conversations()
            .list()
            .per_page(2)
            .items()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);
        let sent = server.received_requests().await.unwrap();
        assert_eq!(
            cursors_sent(&sent),
            [None, Some("c1".into()), Some("c2".into())]
        );

        // The page stream: three pages, in order.
        let pages: Vec<_> = client
            .conversations()
            .list()
            .per_page(2)
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].conversations[1].id, "6");
    })
    .await;
}

#[tokio::test]
async fn list_starts_from_the_given_cursor() {
    bounded(async {
        let server = MockServer::start().await;
        mount_list_page(&server, Some("c2"), page(&["5", "6"], None)).await;
        let ids: Vec<String> = client(&server.uri())
            .conversations()
            .list()
            .per_page(2)
            .starting_after("c2")
            .items()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, ["5", "6"]);
    })
    .await;
}

/// A repeated cursor is an error, not a silent stop: stopping in silence
/// would hide the items the API did not send (this changed with issue 20;
/// the stream used to end without a word).
#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    bounded(async {
        let server = MockServer::start().await;
        mount_list_page(&server, None, page(&["1", "2"], Some("c1"))).await;
        // The server hands back the cursor it was given: following it would loop.
        mount_list_page(&server, Some("c1"), page(&["3", "4"], Some("c1"))).await;
        let got: Vec<Result<usize, String>> = client(&server.uri())
            .conversations()
            .list()
            .per_page(2)
            .pages()
            .map(|p| p.map(|p| p.conversations.len()).map_err(|e| e.to_string()))
            .collect()
            .await;
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[..2], [Ok(2), Ok(2)]);
        assert!(
            got[2].as_ref().unwrap_err().contains("`c1` a second time"),
            "{got:?}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_pages_before_it() {
    bounded(async {
        let server = MockServer::start().await;
        mount_list_page(&server, None, page(&["1", "2"], Some("c1"))).await;
        Mock::given(method("GET"))
            .and(query_param("starting_after", "c1"))
            .respond_with(
                ResponseTemplate::new(404).set_body_json(common::error_list("not_found", "gone")),
            )
            .mount(&server)
            .await;
        let results: Vec<_> = client(&server.uri())
            .conversations()
            .list()
            .per_page(2)
            .pages()
            .collect()
            .await;
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok());
        assert_eq!(results[1].as_ref().unwrap_err().status(), Some(404));
    })
    .await;
}

/// Matches a search whose body has this `pagination.starting_after`.
fn search_cursor(expected: Option<&'static str>) -> impl Fn(&Request) -> bool + Send + Sync {
    move |request: &Request| {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        body.pointer("/pagination/starting_after")
            .and_then(Value::as_str)
            == expected
    }
}

#[tokio::test]
async fn search_sends_the_cursor_in_the_body() {
    bounded(async {
        let server = MockServer::start().await;
        for (cursor, ids, next) in [
            (None, ["1", "2"], Some("s1")),
            (Some("s1"), ["3", "4"], Some("s2")),
            (Some("s2"), ["5", "6"], None),
        ] {
            Mock::given(method("POST"))
                .and(path("/conversations/search"))
                .and(search_cursor(cursor))
                .respond_with(ResponseTemplate::new(200).set_body_json(page(&ids, next)))
                .expect(1)
                .mount(&server)
                .await;
        }
        let query: models::SearchRequest = serde_json::from_value(json!({
            "query": {"field": "open", "operator": "=", "value": true},
            "pagination": {"per_page": 2},
        }))
        .unwrap();
        let ids: Vec<String> = client(&server.uri())
            .conversations()
            .search()
            .body(query.clone())
            .items()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);

        // Each request keeps the query and the page size; only the cursor changes.
        let sent = server.received_requests().await.unwrap();
        let bodies: Vec<Value> = sent
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        for body in &bodies {
            assert_eq!(
                body["query"],
                json!({"field": "open", "operator": "=", "value": true})
            );
            assert_eq!(body["pagination"]["per_page"], 2);
        }
        assert_eq!(bodies[2]["pagination"]["starting_after"], "s2");
    })
    .await;
}

/// The walk of `GET /conversations` over three pages where item 1 of the
/// first page has a numeric `id` (a string is declared), and the second
/// page's first item is no conversation at all.
async fn serve_pages_with_unreadable_items() -> MockServer {
    let server = MockServer::start().await;
    let mut first = page(&["1", "2", "3"], Some("c1"));
    first["conversations"][1]["id"] = json!(2);
    let mut second = page(&["x", "5"], Some("c2"));
    second["conversations"][0] = json!("not a conversation");
    let third = page(&["6"], None);
    for (cursor, body) in [(None, first), (Some("c1"), second), (Some("c2"), third)] {
        let mock = Mock::given(method("GET")).and(path("/conversations"));
        let mock = match cursor {
            Some(c) => mock.and(query_param("starting_after", c)),
            None => mock.and(query_param_is_missing("starting_after")),
        };
        mock.respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-page")
                .set_body_json(body),
        )
        .mount(&server)
        .await;
    }
    server
}

/// What `items()` yields: each item's id, or the index, path and JSON of
/// an item that could not be read.
async fn walk_items(client: intercom_api::Client) -> Vec<Result<String, (usize, String, Value)>> {
    client
        .conversations()
        .list()
        .items()
        .map(|r| match r {
            Ok(c) => Ok(c.id),
            Err(e) => {
                let d = e.decode_error().expect("an item error is a decode error");
                assert_eq!(d.request_id.as_deref(), Some("req-page"));
                assert_eq!(d.status, 200);
                assert!(
                    e.to_string()
                        .starts_with(&format!("cannot read item {} of a page", d.item.unwrap())),
                    "{e}"
                );
                Err((d.item.unwrap(), d.path.clone(), d.body_json().unwrap()))
            }
        })
        .collect()
        .await
}

#[tokio::test]
async fn one_unreadable_item_never_costs_the_page_or_the_walk() {
    bounded(async {
        let server = serve_pages_with_unreadable_items().await;
        // Strictly: the numeric id differs from its description, so that
        // item is left out, in its place; the walk goes on to the end.
        let strict = common::builder(&server.uri()).strict(true).build();
        let got = walk_items(strict.clone()).await;
        assert_eq!(
            got,
            [
                Ok("1".into()),
                Err((1, "conversations[1].id".into(), {
                    let mut c = common::conversation("2");
                    c["id"] = json!(2);
                    c
                })),
                Ok("3".into()),
                Err((0, "conversations[0]".into(), json!("not a conversation"))),
                Ok("5".into()),
                Ok("6".into()),
            ]
        );

        // Tolerantly, the id converts; only what no rule reads is left out.
        let got = walk_items(client(&server.uri())).await;
        let ids: Vec<_> = got.iter().map(|r| r.as_ref().map_err(|e| e.0)).collect();
        assert_eq!(
            ids,
            [
                Ok(&"1".to_string()),
                Ok(&"2".into()),
                Ok(&"3".into()),
                Err(0),
                Ok(&"5".into()),
                Ok(&"6".into())
            ]
        );

        // Page by page: each page reads with its readable items and says
        // which it left out.
        let pages: Vec<_> = strict
            .conversations()
            .list()
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 3);
        let ids: Vec<&str> = pages[0]
            .conversations
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["1", "3"]);
        let unread: Vec<_> = pages[0]
            .unread()
            .iter()
            .map(|d| (d.item, d.path.as_str()))
            .collect();
        assert_eq!(unread, [(Some(1), "conversations[1].id")]);
        assert_eq!(pages[1].unread().len(), 1);
        assert!(pages[2].unread().is_empty());
        // A tolerant page lists its corrections; items left out are not among them.
        let pages: Vec<_> = client(&server.uri())
            .conversations()
            .list()
            .pages()
            .try_collect()
            .await
            .unwrap();
        let paths: Vec<&str> = pages[0]
            .corrections()
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(paths, ["conversations[1].id"]);
        assert!(pages[1].corrections().is_empty());
        assert_eq!(pages[1].unread()[0].path, "conversations[0]");
        assert_eq!(pages[1].clone().into_inner().conversations.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_page_whose_own_members_cannot_be_read_fails_whole() {
    bounded(async {
        let server = MockServer::start().await;
        let mut body = page(&["1", "2"], None);
        body["pages"] = json!("not pages");
        mount_list_page(&server, None, body).await;
        let strict = common::builder(&server.uri()).strict(true).build();
        let got: Vec<Result<String, String>> = strict
            .conversations()
            .list()
            .per_page(2)
            .items()
            .map(|r| {
                r.map(|c| c.id)
                    .map_err(|e| e.decode_error().unwrap().path.clone())
            })
            .collect()
            .await;
        assert_eq!(got, [Err("pages".into())]);
    })
    .await;
}
