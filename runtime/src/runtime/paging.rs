//! Pagination: the walk over a list's pages, following what each response
//! carries (a scroll parameter, a cursor, or a page number), and the stream
//! of the pages' items.
//!
//! The generated crate says, per list operation, which continuations its
//! requests can carry and where ([`Walk`], decided by the generator from the
//! response's shape and Intercom's documented conventions); the walk sends,
//! response by response, the one the server actually gave.

#[cfg(feature = "needs-paging")]
use ::std::collections::HashSet;
#[cfg(feature = "needs-paging")]
use ::std::future::Future;
use ::std::sync::{Arc, Mutex};

#[cfg(feature = "needs-paging")]
use ::futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::*;

/// Where a request carries a continuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Which of these a crate constructs follows the styles its lists
// continue by: those it does not use are never constructed.
#[allow(dead_code)]
pub(crate) enum Place {
    /// This query parameter (replacing any value the request has).
    Query(&'static str),
    /// This path of properties in the JSON body (created where missing).
    Body(&'static [&'static str]),
}

/// How a continuation's value is read from a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Which of these a crate constructs follows the styles its lists
// continue by: those it does not use are never constructed.
#[allow(dead_code)]
pub(crate) enum Read {
    /// A non-empty string at this path, sent back as it is (a cursor, a scroll parameter).
    Token(&'static [&'static str]),
    /// A page number at the first path and the number of pages at the
    /// second: the next page, while there is one.
    PageNumber(&'static [&'static str], &'static [&'static str]),
}

/// One way a list continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Continuation {
    /// Where a response carries it.
    pub(crate) read: Read,
    /// Where the next request sends it.
    pub(crate) send: Place,
    /// Whether a walk can go on after an error (a scroll cannot: it must start again).
    pub(crate) resumable: bool,
}

/// The continuations a list operation's requests can carry, in the order a
/// response is read for them: the first one it carries is sent; and where
/// a page holds its items.
#[derive(Debug)]
pub(crate) struct Walk {
    pub(crate) continuations: &'static [Continuation],
    /// The path of keys to the page's list of items (`["conversations"]`):
    /// an item that cannot be read is left out of it, not the page.
    #[cfg_attr(not(feature = "needs-paging"), allow(dead_code))]
    pub(crate) items: &'static [&'static str],
}

/// What the next request sends: a continuation (an index into
/// [`Walk::continuations`]) and its value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Next {
    index: usize,
    value: String,
}

impl Walk {
    /// What `body` (a success response) says comes next, if anything.
    pub(crate) fn next(&self, body: &[u8]) -> Option<Next> {
        let wanted: Vec<&str> = self
            .continuations
            .iter()
            .flat_map(|c| match c.read {
                Read::Token(path) => vec![path[0]],
                Read::PageNumber(page, last) => vec![page[0], last[0]],
            })
            .collect();
        let top = top_level(body, &wanted)?;
        let at = |path: &[&str]| -> Option<&::serde_json::Value> {
            let (first, rest) = path.split_first()?;
            rest.iter()
                .try_fold(top.get(*first)?, |node, key| node.get(key))
        };
        self.continuations
            .iter()
            .enumerate()
            .find_map(|(index, c)| {
                let value = match c.read {
                    Read::Token(path) => at(path)?.as_str().filter(|s| !s.is_empty())?.to_string(),
                    Read::PageNumber(page, last) => {
                        let (page, last) = (at(page)?.as_i64()?, at(last)?.as_i64()?);
                        (page < last).then(|| (page + 1).to_string())?
                    }
                };
                Some(Next { index, value })
            })
    }

    /// Put `next` in `request`, where its continuation goes.
    fn apply(&self, next: &Next, request: &mut Request) -> Result<(), Error> {
        let Some(c) = self.continuations.get(next.index) else {
            return Ok(());
        };
        let value = match c.read {
            // A page number is a number in a JSON body.
            Read::PageNumber(..) => next
                .value
                .parse::<i64>()
                .map(::serde_json::Value::from)
                .unwrap_or_else(|_| next.value.clone().into()),
            Read::Token(_) => ::serde_json::Value::String(next.value.clone()),
        };
        match c.send {
            Place::Query(name) => {
                request.query.retain(|(key, _)| key != name);
                request.query.push((name.to_string(), next.value.clone()));
                Ok(())
            }
            Place::Body(path) => request
                .set_body_value(path, value)
                .map_err(Error::InvalidRequest),
        }
    }
}

/// The top-level members of a JSON object named in `keys`; the others are
/// skipped without being built.
fn top_level(body: &[u8], keys: &[&str]) -> Option<::serde_json::Map<String, ::serde_json::Value>> {
    struct Members<'k>(&'k [&'k str]);
    impl<'de> ::serde::de::Visitor<'de> for Members<'_> {
        type Value = ::serde_json::Map<String, ::serde_json::Value>;
        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: ::serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = ::serde_json::Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if self.0.contains(&key.as_str()) {
                    out.insert(key, map.next_value()?);
                } else {
                    map.next_value::<::serde::de::IgnoredAny>()?;
                }
            }
            Ok(out)
        }
    }
    let mut de = ::serde_json::Deserializer::from_slice(body);
    ::serde::Deserializer::deserialize_map(&mut de, Members(keys)).ok()
}

/// One page request of a walk: the continuation it sends (none for the
/// first page, which is the request as the user built it), and where
/// `Client::execute` leaves what the response says comes next and the
/// reading of the page what it left out.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) walk: &'static Walk,
    send: Option<Next>,
    next: Arc<Mutex<Option<Next>>>,
    #[cfg(feature = "needs-paging")]
    read: Arc<Mutex<PageRead>>,
}

/// Steps are options of a request: equal when they send the same.
impl PartialEq for Step {
    fn eq(&self, other: &Self) -> bool {
        ::std::ptr::eq(self.walk, other.walk) && self.send == other.send
    }
}

impl Eq for Step {}

impl Step {
    /// Before sending: put the continuation in the request.
    pub(crate) fn apply(&self, request: &mut Request) -> Result<(), Error> {
        match &self.send {
            Some(next) => self.walk.apply(next, request),
            None => Ok(()),
        }
    }

    /// After a success: record what the response says comes next.
    pub(crate) fn record(&self, body: &[u8]) {
        if let Ok(mut slot) = self.next.lock() {
            *slot = self.walk.next(body);
        }
    }

    #[cfg(feature = "needs-paging")]
    fn take_next(&self) -> Option<Next> {
        self.next.lock().ok().and_then(|mut slot| slot.take())
    }

    /// After reading the page: what it left out, and its corrections.
    #[cfg(feature = "needs-paging")]
    pub(crate) fn record_read(&self, read: PageRead) {
        if let Ok(mut slot) = self.read.lock() {
            *slot = read;
        }
    }

    #[cfg(feature = "needs-paging")]
    fn take_read(&self) -> PageRead {
        self.read
            .lock()
            .map(|mut slot| ::std::mem::take(&mut *slot))
            .unwrap_or_default()
    }

    #[cfg(feature = "needs-paging")]
    fn new(walk: &'static Walk, send: Option<Next>) -> Self {
        Step {
            walk,
            send,
            next: Arc::default(),
            read: Arc::default(),
        }
    }
}

/// The pages of a list: `fetch(step)` sends the request with `step` in its
/// options (see [`Client::with_step`]) and reads the page, leaving out the
/// items it cannot read ([`Page::unread`]). The walk ends after a page
/// that carries no continuation, after an empty page (`items(page) == 0`
/// and no item left out), and after the first error; a continuation the
/// server already sent ends it with an error (it would send the same pages
/// again), and so does an error in a walk that cannot be resumed (a scroll).
#[cfg(feature = "needs-paging")]
pub(crate) fn paginate<P, F, Fut>(
    walk: &'static Walk,
    fetch: F,
    items: fn(&P) -> usize,
) -> BoxStream<'static, Result<Page<P>, Error>>
where
    F: FnMut(Step) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P, Error>> + Send + 'static,
    P: Send + 'static,
{
    struct State<F> {
        fetch: F,
        send: Option<Next>,
        seen: HashSet<Next>,
        failure: Option<Error>,
        done: bool,
    }
    let state = State {
        fetch,
        send: None,
        seen: HashSet::new(),
        failure: None,
        done: false,
    };
    stream::unfold(state, move |mut state| async move {
        if let Some(error) = state.failure.take() {
            state.done = true;
            return Some((Err(error), state));
        }
        if state.done {
            return None;
        }
        let sent = state.send.take();
        let step = Step::new(walk, sent.clone());
        let result = (state.fetch)(step.clone()).await;
        let page = match result {
            Ok(page) => Page::read(page, step.take_read()),
            Err(error) => {
                state.done = true;
                let resumable = sent.as_ref().and_then(|n| walk.continuations.get(n.index)).map_or(true, |c| c.resumable);
                let error = if resumable {
                    error
                } else {
                    Error::Pagination(Box::new(PaginationError {
                        message: "a page of a scroll failed; a scroll cannot be resumed: start the walk again".into(),
                        source: Some(error),
                    }))
                };
                return Some((Err(error), state));
            }
        };
        match step.take_next() {
            _ if items(&page) == 0 && page.unread().is_empty() => state.done = true,
            None => state.done = true,
            Some(next) if state.seen.contains(&next) => {
                state.failure = Some(Error::Pagination(Box::new(PaginationError {
                    message: format!("the API sent the continuation `{}` a second time: the walk stops here, as the pages would repeat", next.value),
                    source: None,
                })));
            }
            Some(next) => {
                state.seen.insert(next.clone());
                state.send = Some(next);
            }
        }
        Some((Ok(page), state))
    })
    .boxed()
}

/// The items of each page, one by one, in the order they arrived: an item
/// that could not be read is an `Error::Decode` in its place, and the walk
/// goes on.
#[cfg(feature = "needs-paging")]
pub(crate) fn items<'a, P, I, F>(
    pages: BoxStream<'a, Result<Page<P>, Error>>,
    of_page: F,
) -> BoxStream<'a, Result<I, Error>>
where
    F: Fn(P) -> Vec<I> + Send + 'a,
    P: Send + 'a,
    I: Send + 'a,
{
    pages
        .map_ok(move |page| {
            let (data, unread) = page.into_parts();
            stream::iter(in_place(of_page(data), unread))
        })
        .try_flatten()
        .boxed()
}

/// The items read and those left out (by their index as they arrived),
/// merged in the order they arrived, lazily: only `next` is generic, and
/// it is small (the decision is [`Unread::take`]'s).
#[cfg(feature = "needs-paging")]
fn in_place<I>(read: Vec<I>, unread: Vec<DecodeError>) -> InPlace<I> {
    InPlace {
        read: read.into_iter(),
        unread: Unread {
            left: unread.into_iter(),
            pending: None,
            at: 0,
        },
    }
}

#[cfg(feature = "needs-paging")]
struct InPlace<I> {
    read: ::std::vec::IntoIter<I>,
    unread: Unread,
}

/// The items left out of a page, and where the merge is.
#[cfg(feature = "needs-paging")]
struct Unread {
    left: ::std::vec::IntoIter<DecodeError>,
    pending: Option<DecodeError>,
    /// The index (as the items arrived) of the next item to yield.
    at: usize,
}

#[cfg(feature = "needs-paging")]
impl Unread {
    /// The error of the item left out at the current place, if it is one
    /// (any that remain once the items read are all yielded).
    fn take(&mut self, read_done: bool) -> Option<Error> {
        if self.pending.is_none() {
            self.pending = self.left.next();
        }
        let due = self
            .pending
            .as_ref()
            .is_some_and(|e| read_done || e.item.unwrap_or(0) <= self.at);
        if !due {
            return None;
        }
        self.at += 1;
        self.pending.take().map(|e| Error::Decode(Box::new(e)))
    }
}

#[cfg(feature = "needs-paging")]
impl<I> Iterator for InPlace<I> {
    type Item = Result<I, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.unread.take(false) {
            return Some(Err(error));
        }
        match self.read.next() {
            Some(item) => {
                self.unread.at += 1;
                Some(Ok(item))
            }
            None => self.unread.take(true).map(Err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::serde_json::json;

    const SCROLL: Continuation = Continuation {
        read: Read::Token(&["scroll_param"]),
        send: Place::Query("scroll_param"),
        resumable: false,
    };
    const CURSOR: Continuation = Continuation {
        read: Read::Token(&["pages", "next", "starting_after"]),
        send: Place::Query("starting_after"),
        resumable: true,
    };
    const BODY_CURSOR: Continuation = Continuation {
        read: Read::Token(&["pages", "next", "starting_after"]),
        send: Place::Body(&["pagination", "starting_after"]),
        resumable: true,
    };
    const PAGE: Continuation = Continuation {
        read: Read::PageNumber(&["pages", "page"], &["pages", "total_pages"]),
        send: Place::Query("page"),
        resumable: true,
    };
    static LIST: Walk = Walk {
        continuations: &[SCROLL, CURSOR, PAGE],
        items: &["data"],
    };
    static SEARCH: Walk = Walk {
        continuations: &[BODY_CURSOR, PAGE],
        items: &["data"],
    };

    fn next(walk: &Walk, body: ::serde_json::Value) -> Option<(usize, String)> {
        walk.next(body.to_string().as_bytes())
            .map(|n| (n.index, n.value))
    }

    #[test]
    fn a_response_is_read_for_the_first_continuation_it_carries() {
        let both = json!({"scroll_param": "s1", "pages": {"next": {"starting_after": "c1"}, "page": 1, "total_pages": 3}});
        assert_eq!(next(&LIST, both), Some((0, "s1".into())));
        let cursor = json!({"data": [1], "pages": {"next": {"starting_after": "c1"}, "page": 1, "total_pages": 3}});
        assert_eq!(next(&LIST, cursor), Some((1, "c1".into())));
        // Page numbers alone (and `next` as a URL string): the next page, while there is one.
        assert_eq!(
            next(
                &LIST,
                json!({"pages": {"next": "https://x/?page=2", "page": 1, "total_pages": 3}})
            ),
            Some((2, "2".into()))
        );
        assert_eq!(
            next(&LIST, json!({"pages": {"page": 3, "total_pages": 3}})),
            None
        );
        assert_eq!(
            next(&LIST, json!({"scroll_param": "", "pages": {"next": null}})),
            None
        );
        assert_eq!(next(&LIST, json!([1, 2])), None);
    }

    #[test]
    fn a_continuation_goes_where_the_operation_sends_it() {
        let mut request = Request::new(::reqwest::Method::GET, "/things", "/things");
        request.query("starting_after", "mine").unwrap();
        request.query("per_page", &5).unwrap();
        LIST.apply(
            &Next {
                index: 1,
                value: "c2".into(),
            },
            &mut request,
        )
        .unwrap();
        assert_eq!(
            request.query,
            [
                ("per_page".to_string(), "5".to_string()),
                ("starting_after".into(), "c2".into())
            ]
        );

        let mut search = Request::new(::reqwest::Method::POST, "/things/search", "/things/search");
        search.body(
            "application/json",
            br#"{"query":{},"pagination":{"per_page":5}}"#.to_vec(),
        );
        SEARCH
            .apply(
                &Next {
                    index: 0,
                    value: "c2".into(),
                },
                &mut search,
            )
            .unwrap();
        let body: ::serde_json::Value = ::serde_json::from_slice(&search.body.unwrap().1).unwrap();
        assert_eq!(
            body,
            json!({"query": {}, "pagination": {"per_page": 5, "starting_after": "c2"}})
        );
    }

    /// `body` as the client reads a page for `step`: what comes next is
    /// recorded, and the items of `data` that are strings, which stand for
    /// items that cannot be read, are left out (each a `DecodeError` whose
    /// body is the item).
    fn read_page(step: &Step, mut body: ::serde_json::Value) -> ::serde_json::Value {
        step.record(body.to_string().as_bytes());
        if let Some(items) = body["data"].as_array_mut() {
            let mut unread = Vec::new();
            for (index, item) in ::std::mem::take(items).into_iter().enumerate() {
                if item.is_string() {
                    let e =
                        DecodeError::new(200, format!("data[{index}]"), "cannot", item.to_string());
                    unread.push(e.item(index));
                } else {
                    items.push(item);
                }
            }
            step.record_read(PageRead {
                unread,
                corrections: Vec::new(),
            });
        }
        body
    }

    /// A walk over `pages` (each a response body); returns what the stream
    /// yields (item counts, or errors) and the continuation each request sent.
    async fn walk(
        walk: &'static Walk,
        pages: Vec<::serde_json::Value>,
        fail_at: Option<usize>,
    ) -> (Vec<Result<usize, String>>, Vec<Option<String>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&sent);
        let pages = Arc::new(pages);
        let mut n = 0;
        let fetch = move |step: Step| {
            let (pages, log, at) = (Arc::clone(&pages), Arc::clone(&log), n);
            n += 1;
            async move {
                log.lock()
                    .unwrap()
                    .push(step.send.as_ref().map(|s| s.value.clone()));
                if Some(at) == fail_at {
                    return Err(Error::InvalidRequest(format!("page {at}")));
                }
                Ok(read_page(&step, pages[at].clone()))
            }
        };
        let count = |page: &::serde_json::Value| page["data"].as_array().map_or(0, Vec::len);
        let out = paginate(walk, fetch, count)
            .map(|r| {
                r.map(|p| count(&p) + p.unread().len())
                    .map_err(|e| e.to_string())
            })
            .collect()
            .await;
        let sent = sent.lock().unwrap().clone();
        (out, sent)
    }

    fn cursor_page(items: usize, next: Option<&str>) -> ::serde_json::Value {
        json!({"data": vec![0; items], "pages": {"next": next.map(|c| json!({"starting_after": c})), "page": 1, "total_pages": 9}})
    }

    #[tokio::test]
    async fn the_walk_sends_what_each_response_gave_and_stops() {
        // Cursors, then a page without one (a page number is not followed
        // where a cursor was expected: `page < total_pages` counts only when
        // the response carries no cursor).
        let pages = vec![
            cursor_page(2, Some("a")),
            cursor_page(2, Some("b")),
            json!({"data": [0], "pages": {"page": 3, "total_pages": 3}}),
        ];
        let (out, sent) = walk(&LIST, pages, None).await;
        assert_eq!(out, [Ok(2), Ok(2), Ok(1)]);
        assert_eq!(sent, [None, Some("a".into()), Some("b".into())]);

        // Page numbers.
        let numbered = |page: i64| json!({"data": [0], "pages": {"page": page, "total_pages": 3}});
        let (out, sent) = walk(&LIST, vec![numbered(1), numbered(2), numbered(3)], None).await;
        assert_eq!(out, [Ok(1), Ok(1), Ok(1)]);
        assert_eq!(sent, [None, Some("2".into()), Some("3".into())]);

        // An empty page ends it, whatever it carries.
        let (out, _) = walk(
            &LIST,
            vec![cursor_page(1, Some("a")), cursor_page(0, Some("b"))],
            None,
        )
        .await;
        assert_eq!(out, [Ok(1), Ok(0)]);
    }

    #[tokio::test]
    async fn a_repeated_continuation_is_an_error_not_a_silent_stop() {
        let pages = vec![
            cursor_page(1, Some("a")),
            cursor_page(1, Some("a")),
            cursor_page(1, None),
        ];
        let (out, sent) = walk(&LIST, pages, None).await;
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!(out[..2], [Ok(1), Ok(1)]);
        assert!(
            out[2].as_ref().unwrap_err().contains("`a` a second time"),
            "{out:?}"
        );
        assert_eq!(sent.len(), 2);
    }

    #[tokio::test]
    async fn an_error_ends_the_walk_and_a_failed_scroll_says_to_start_again() {
        let pages = vec![cursor_page(1, Some("a")), cursor_page(1, None)];
        let (out, _) = walk(&LIST, pages, Some(1)).await;
        assert_eq!(out, [Ok(1), Err("invalid request: page 1".into())]);

        let scroll = vec![
            json!({"data": [0], "scroll_param": "s1"}),
            json!({"data": [0], "scroll_param": "s2"}),
        ];
        let (out, _) = walk(&LIST, scroll, Some(1)).await;
        assert_eq!(out[0], Ok(1));
        assert!(
            out[1]
                .as_ref()
                .unwrap_err()
                .contains("start the walk again"),
            "{out:?}"
        );
    }

    #[tokio::test]
    async fn an_item_that_cannot_be_read_is_an_error_in_its_place_and_the_walk_goes_on() {
        // Page 1: items 0 and 2 read, item 1 does not; page 2: none reads,
        // which is no empty page: the walk goes on to page 3.
        let pages = vec![
            json!({"data": [0, "bad", 2], "pages": {"next": {"starting_after": "a"}}}),
            json!({"data": ["bad", "worse"], "pages": {"next": {"starting_after": "b"}}}),
            json!({"data": [5], "pages": {"next": null}}),
        ];
        let (out, sent) = walk(&LIST, pages.clone(), None).await;
        assert_eq!(out, [Ok(3), Ok(2), Ok(1)]);
        assert_eq!(sent.len(), 3);

        let pages = Arc::new(pages);
        let mut n = 0;
        let fetch = move |step: Step| {
            let (pages, at) = (Arc::clone(&pages), n);
            n += 1;
            async move { Ok::<_, Error>(read_page(&step, pages[at].clone())) }
        };
        let count = |page: &::serde_json::Value| page["data"].as_array().map_or(0, Vec::len);
        let stream = paginate(&LIST, fetch, count);
        let items: Vec<Result<i64, String>> = items(stream, |page| {
            page["data"].as_array().cloned().unwrap_or_default()
        })
        .map(|r| match r {
            Ok(v) => Ok(v.as_i64().unwrap()),
            Err(e) => {
                let d = e.decode_error().unwrap();
                Err(format!("{} {}", d.item.unwrap(), d.body_text()))
            }
        })
        .collect()
        .await;
        assert_eq!(
            items,
            [
                Ok(0),
                Err("1 \"bad\"".into()),
                Ok(2),
                Err("0 \"bad\"".into()),
                Err("1 \"worse\"".into()),
                Ok(5)
            ]
        );
    }

    #[test]
    fn steps_are_equal_when_they_send_the_same() {
        let step = |walk: &'static Walk, value: Option<&str>| {
            Step::new(
                walk,
                value.map(|v| Next {
                    index: 0,
                    value: v.into(),
                }),
            )
        };
        assert_eq!(step(&LIST, Some("a")), step(&LIST, Some("a")));
        assert_ne!(step(&LIST, Some("a")), step(&LIST, Some("b")));
        assert_ne!(step(&LIST, Some("a")), step(&SEARCH, Some("a")));
        assert_eq!(step(&LIST, None), step(&LIST, None));
    }

    #[test]
    fn a_page_keeps_what_its_read_found() {
        let correction = Correction {
            path: "data[0].id".into(),
            kind: CorrectionKind::Converted,
            model: "Thing",
            expected: "a string",
            found: "an integer",
            arrived: None,
        };
        let read = PageRead {
            unread: vec![DecodeError::new(200, "data[1]", "no", "1").item(1)],
            corrections: vec![correction.clone()],
        };
        let page = Page::read(7, read);
        assert_eq!(page.corrections(), [correction]);
        assert_eq!(page.unread()[0].item, Some(1));
        assert_eq!(*page, 7);
        let built = Page::new(1).with_unread(DecodeError::new(200, "x", "y", "2").item(2));
        assert_eq!(built.unread().len(), 1);
        assert!(built.corrections().is_empty());
        assert_eq!(built.into_inner(), 1);
    }

    #[test]
    fn items_left_out_go_back_in_their_place() {
        let error = |at: usize| DecodeError::new(200, "x", "y", "1").item(at);
        let merged = |read: Vec<i32>, unread: Vec<usize>| -> Vec<Result<i32, usize>> {
            in_place(read, unread.into_iter().map(error).collect())
                .map(|r| r.map_err(|e| e.decode_error().unwrap().item.unwrap()))
                .collect()
        };
        assert_eq!(merged(vec![1, 2], vec![]), [Ok(1), Ok(2)]);
        assert_eq!(merged(vec![1, 2], vec![0]), [Err(0), Ok(1), Ok(2)]);
        assert_eq!(
            merged(vec![1, 2], vec![1, 3]),
            [Ok(1), Err(1), Ok(2), Err(3)]
        );
        assert_eq!(merged(vec![], vec![0, 1]), [Err(0), Err(1)]);
        assert_eq!(
            merged(vec![1, 2], vec![0, 1]),
            [Err(0), Err(1), Ok(1), Ok(2)]
        );
        assert_eq!(merged(vec![1], vec![2]), [Ok(1), Err(2)]);
    }
}
