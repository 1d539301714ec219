//! Every way an Intercom list pages, on the wire (issue 20), with the crate
//! generated from `generator/tests/fixtures/paging.yaml`: a cursor in the
//! query, a cursor in a search body, page numbers by GET and on a POST list
//! without a body, a scroll, a list whose description declares no
//! continuation (and whose server answers with cursors), and items inside
//! an object. Each test checks what the request for each page carried and
//! where, that every item arrives in order, and that the walk stops exactly.

mod common;

use common::bounded;
use futures::{StreamExt, TryStreamExt};
use paging_api::models::{Item, SearchItemsRequest, SearchItemsRequestPagination};
use paging_api::{Client, Error, RequestOptions};
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .token("t")
        .max_retries(0)
        .build()
}

/// A server that answers every request with `answer(request)`.
async fn serve(
    answer: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Every query pair of each request the server received, in order.
async fn queries(server: &MockServer) -> Vec<Vec<(String, String)>> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A page of items `ids`, with `pages` as given.
fn items_page(ids: &[&str], pages: Value) -> ResponseTemplate {
    let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    ResponseTemplate::new(200).set_body_json(json!({"type": "list", "data": data, "pages": pages}))
}

fn ids(items: Vec<Item>) -> Vec<String> {
    items.into_iter().map(|i| i.id).collect()
}

/// Cursors: the first page has none; `c1`, then `c2`, then the last page.
fn by_cursor(cursor: Option<&str>) -> ResponseTemplate {
    match cursor {
        None => items_page(
            &["1", "2"],
            json!({"page": 1, "total_pages": 3, "next": {"starting_after": "c1"}}),
        ),
        Some("c1") => items_page(
            &["3", "4"],
            json!({"page": 2, "total_pages": 3, "next": {"starting_after": "c2"}}),
        ),
        Some("c2") => items_page(&["5"], json!({"page": 3, "total_pages": 3, "next": null})),
        Some(other) => {
            ResponseTemplate::new(400).set_body_string(format!("unknown cursor {other}"))
        }
    }
}

/// Page numbers: pages 1 to 3 of 3, no cursor.
fn by_number(page: Option<String>) -> ResponseTemplate {
    match page.as_deref() {
        None | Some("1") => items_page(
            &["1", "2"],
            json!({"page": 1, "per_page": 2, "total_pages": 3}),
        ),
        Some("2") => items_page(
            &["3", "4"],
            json!({"page": 2, "per_page": 2, "total_pages": 3}),
        ),
        Some("3") => items_page(&["5"], json!({"page": 3, "per_page": 2, "total_pages": 3})),
        Some(other) => ResponseTemplate::new(400).set_body_string(format!("no page {other}")),
    }
}

#[tokio::test]
async fn a_cursor_in_the_query() {
    bounded(async {
        let server = serve(|r| by_cursor(query(r, "starting_after").as_deref())).await;
        let items = client(&server.uri())
            .items()
            .list()
            .per_page(2)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items), ["1", "2", "3", "4", "5"]);
        assert_eq!(
            queries(&server).await,
            [
                pairs(&[("per_page", "2")]),
                pairs(&[("per_page", "2"), ("starting_after", "c1")]),
                pairs(&[("per_page", "2"), ("starting_after", "c2")]),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_cursor_in_a_search_body() {
    bounded(async {
        let server = serve(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            by_cursor(body["pagination"]["starting_after"].as_str())
        })
        .await;
        let search = SearchItemsRequest::default()
            .query("x")
            .pagination(SearchItemsRequestPagination::default().per_page(2));
        let items = client(&server.uri())
            .items()
            .search()
            .body(search)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items), ["1", "2", "3", "4", "5"]);
        let bodies: Vec<Value> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        assert_eq!(
            bodies,
            [
                json!({"query": "x", "pagination": {"per_page": 2}}),
                json!({"query": "x", "pagination": {"per_page": 2, "starting_after": "c1"}}),
                json!({"query": "x", "pagination": {"per_page": 2, "starting_after": "c2"}}),
            ]
        );
        // The cursor goes in the body, not the query.
        assert!(queries(&server).await.iter().all(Vec::is_empty));
    })
    .await;
}

#[tokio::test]
async fn page_numbers_by_get() {
    bounded(async {
        let server = serve(|r| by_number(query(r, "page"))).await;
        let items = client(&server.uri())
            .items()
            .list_numbered()
            .per_page(2)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items), ["1", "2", "3", "4", "5"]);
        assert_eq!(
            queries(&server).await,
            [
                pairs(&[("per_page", "2")]),
                pairs(&[("per_page", "2"), ("page", "2")]),
                pairs(&[("per_page", "2"), ("page", "3")]),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn page_numbers_on_a_post_list_without_a_body() {
    bounded(async {
        let server = serve(|r| {
            assert_eq!(r.method.as_str(), "POST");
            assert!(r.body.is_empty(), "a list without a body gets none");
            by_number(query(r, "page"))
        })
        .await;
        // Starting from page 2 the user asked for.
        let items = client(&server.uri())
            .items()
            .list_all()
            .page(2)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items), ["3", "4", "5"]);
        assert_eq!(
            queries(&server).await,
            [pairs(&[("page", "2")]), pairs(&[("page", "3")])]
        );
    })
    .await;
}

#[tokio::test]
async fn a_scroll_ends_on_an_empty_page() {
    bounded(async {
        let server = serve(|r| {
            let (ids, next): (&[&str], &str) = match query(r, "scroll_param").as_deref() {
                None => (&["1", "2"], "s1"),
                Some("s1") => (&["3"], "s2"),
                // The scroll is over: an empty page, with a parameter still.
                _ => (&[], "s3"),
            };
            let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
            ResponseTemplate::new(200)
                .set_body_json(json!({"type": "list", "data": data, "scroll_param": next}))
        })
        .await;
        let items = client(&server.uri())
            .items()
            .scroll()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items), ["1", "2", "3"]);
        assert_eq!(
            queries(&server).await,
            [
                pairs(&[]),
                pairs(&[("scroll_param", "s1")]),
                pairs(&[("scroll_param", "s2")])
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_failed_scroll_page_says_the_walk_must_start_again() {
    bounded(async {
        let server = serve(|r| match query(r, "scroll_param") {
            None => ResponseTemplate::new(200)
                .set_body_json(json!({"data": [{"id": "1"}], "scroll_param": "s1"})),
            Some(_) => ResponseTemplate::new(500),
        })
        .await;
        let got: Vec<Result<paging_api::Page<paging_api::models::ScrollItemsResponse>, Error>> =
            client(&server.uri())
                .items()
                .scroll()
                .pages()
                .collect()
                .await;
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        let error = got[1].as_ref().unwrap_err();
        assert!(matches!(error, Error::Pagination(_)), "{error:?}");
        assert!(
            error.to_string().contains("start the walk again"),
            "{error}"
        );
        assert_eq!(error.status(), Some(500));
    })
    .await;
}

#[tokio::test]
async fn an_undeclared_cursor_is_followed_before_page_numbers() {
    bounded(async {
        // The description declares no parameter; the server shows page
        // numbers and answers with cursors, as `GET /contacts` does.
        let server = serve(|r| {
            assert!(
                query(r, "page").is_none(),
                "a cursor was given: no page number"
            );
            by_cursor(query(r, "starting_after").as_deref())
        })
        .await;
        let items = client(&server.uri())
            .items()
            .list_contacts()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items), ["1", "2", "3", "4", "5"]);
        assert_eq!(
            queries(&server).await,
            [
                pairs(&[]),
                pairs(&[("starting_after", "c1")]),
                pairs(&[("starting_after", "c2")])
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn items_inside_an_object() {
    bounded(async {
        let server = serve(|r| {
            let (ids, page): (&[&str], i64) = match query(r, "page").as_deref() {
                None => (&["a", "b"], 1),
                _ => (&["c"], 2),
            };
            let articles: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
            ResponseTemplate::new(200).set_body_json(json!({
                "data": {"articles": articles, "highlights": ["not an item"]},
                "pages": {"page": page, "total_pages": 2},
            }))
        })
        .await;
        let items = client(&server.uri())
            .items()
            .search_articles()
            .phrase("x")
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items), ["a", "b", "c"]);
        assert_eq!(
            queries(&server).await,
            [
                pairs(&[("phrase", "x")]),
                pairs(&[("phrase", "x"), ("page", "2")])
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_repeated_page_number_is_an_error() {
    bounded(async {
        // A server that ignores `page` and always answers page 1 of 3.
        let server = serve(|_| items_page(&["1"], json!({"page": 1, "total_pages": 3}))).await;
        let got: Vec<Result<usize, String>> = client(&server.uri())
            .items()
            .list_numbered()
            .pages()
            .map(|p| {
                p.map(|p| p.data.as_ref().map_or(0, Vec::len))
                    .map_err(|e| e.to_string())
            })
            .collect()
            .await;
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[..2], [Ok(1), Ok(1)]);
        assert!(
            got[2].as_ref().unwrap_err().contains("`2` a second time"),
            "{got:?}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn options_add_what_a_description_leaves_out() {
    bounded(async {
        let server = serve(|r| by_cursor(query(r, "starting_after").as_deref())).await;
        let options = RequestOptions::new()
            .query("order", "desc&x=1")
            .header("X-Trace", "t1");
        let items = client(&server.uri())
            .items()
            .list()
            .options(options)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(items).len(), 5);
        let received = server.received_requests().await.unwrap();
        for r in &received {
            assert_eq!(query(r, "order").as_deref(), Some("desc&x=1"));
            assert_eq!(r.headers.get("x-trace").unwrap(), "t1");
        }
        // A header value that would end its line is refused before sending.
        let bad = RequestOptions::new().header("X-Trace", "a\r\nX-Injected: 1");
        let sent = client(&server.uri())
            .items()
            .list()
            .options(bad)
            .send()
            .await;
        assert!(
            matches!(sent, Err(Error::InvalidRequest(ref m)) if m.contains("header `X-Trace`")),
            "{sent:?}"
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            received.len()
        );
    })
    .await;
}
