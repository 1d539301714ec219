//! An in-process stand-in for the API, for tests of code that uses the
//! client (the `mock` feature): a [`Mock`] answers each request from the
//! answers queued for its operation, without a network.
//!
//! The seam is where the HTTP exchange happens (`Client::attempt`):
//! building and encoding the request, paging, retries, rate limits and
//! reading the answer are the production code. Nothing waits on I/O, so a
//! test under tokio's paused clock takes no real time, retries included.
//!
//! The generated crate's `mock` module lists its operations (named as the
//! client calls them, `conversations().retrieve()`), adds a typed
//! expectation per operation, and the description's examples.

use ::std::collections::HashMap;
use ::std::fmt;
use ::std::marker::PhantomData;
use ::std::sync::{Arc, Mutex, MutexGuard};

use ::serde_json::Value;

use super::*;

/// An operation as the mock knows it: how the client calls it, and its
/// method and path template.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MockOperation {
    pub(crate) call: &'static str,
    pub(crate) method: &'static str,
    pub(crate) template: &'static str,
}

/// An in-process stand-in for the API: [`client`](Mock::client) gives a
/// `Client` whose requests it answers, each from the answers queued for
/// its operation (`mock.conversations().retrieve().returns(…)`), and
/// [`requests`](Mock::requests) lists what was sent.
///
/// Clones share their answers and their record of requests.
#[derive(Clone)]
pub struct Mock {
    state: Arc<MockState>,
}

pub(crate) struct MockState {
    operations: &'static [MockOperation],
    /// Each operation's example answer (`with_examples`), by call.
    examples: HashMap<&'static str, MockReply>,
    expectations: Mutex<Vec<Arc<MockExpectation>>>,
    requests: Mutex<Vec<MockRequest>>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock")
            .field("operations", &self.state.operations.len())
            .field("examples", &self.state.examples.len())
            .field("expectations", &lock(&self.state.expectations).len())
            .field("requests", &lock(&self.state.requests).len())
            .finish()
    }
}

/// A lock that a panic elsewhere (a test's failed assertion) does not poison.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Mock {
    /// A mock of `operations`, answering with `examples` (lines of
    /// `call<TAB>status<TAB>content type<TAB>body`) where nothing is queued.
    pub(crate) fn of(operations: &'static [MockOperation], examples: Option<&'static str>) -> Mock {
        let examples = examples
            .into_iter()
            .flat_map(str::lines)
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut fields = line.splitn(4, '\t');
                let call = fields.next()?;
                let status = fields.next()?.parse().ok()?;
                let content_type = fields.next()?;
                let body = fields.next().unwrap_or_default().as_bytes().to_vec();
                let call = operations.iter().find(|o| o.call == call)?.call;
                Some((
                    call,
                    MockReply::with(status, Vec::new(), content_type, Ok(body)),
                ))
            })
            .collect();
        Mock {
            state: Arc::new(MockState {
                operations,
                examples,
                expectations: Mutex::new(Vec::new()),
                requests: Mutex::new(Vec::new()),
            }),
        }
    }

    /// `builder` with this mock answering its client's requests.
    pub(crate) fn attach(&self, builder: ClientBuilder) -> ClientBuilder {
        builder
            .base_url("http://mock.invalid")
            .token("mock-token")
            .mock(Arc::clone(&self.state))
    }

    /// Every request the mock's clients sent, in order (each attempt of a
    /// retried call is one).
    pub fn requests(&self) -> Vec<MockRequest> {
        lock(&self.state.requests).clone()
    }

    /// The expectation of `call` that answers every request of it (the one
    /// expectation per operation without a `when`).
    pub(crate) fn expect<T>(&self, call: &'static str, reply: fn(T) -> MockReply) -> Expect<T> {
        let mut expectations = lock(&self.state.expectations);
        let found = expectations
            .iter()
            .find(|e| e.call == call && e.when.is_none())
            .cloned();
        let expectation = found.unwrap_or_else(|| {
            let e = Arc::new(MockExpectation {
                call,
                when: None,
                answers: Mutex::new(MockAnswers::default()),
            });
            expectations.push(Arc::clone(&e));
            e
        });
        Expect {
            mock: self.clone(),
            expectation,
            reply,
            _value: PhantomData,
        }
    }
}

impl MockState {
    /// The answer to `request` (built as `built`): what the first
    /// expectation of its operation that accepts it gives, else its example.
    pub(crate) fn exchange(
        &self,
        request: &Request,
        built: &::reqwest::Request,
    ) -> Result<RawResponse, Error> {
        let method = request.method.as_str();
        let operation = self
            .operations
            .iter()
            .find(|o| o.method == method && o.template == request.template);
        let call = operation.map_or("", |o| o.call);
        let sent = MockRequest::of(call, request, built);
        lock(&self.requests).push(sent.clone());
        let expectations: Vec<Arc<MockExpectation>> = lock(&self.expectations)
            .iter()
            .filter(|e| e.call == call)
            .cloned()
            .collect();
        // Those with a `when` first, in the order they were made.
        let chosen = expectations
            .iter()
            .filter(|e| e.when.is_some())
            .chain(expectations.iter().filter(|e| e.when.is_none()))
            .find(|e| e.accepts(&sent));
        match chosen {
            Some(e) => e.next(),
            None => match self.examples.get(call) {
                Some(reply) => reply.response(),
                None if call.is_empty() => Err(Error::InvalidRequest(format!(
                    "mock: no operation of this crate is `{method} {}`",
                    request.template
                ))),
                None => Err(Error::InvalidRequest(format!(
                    "mock: no answer for `{call}` ({method} {}): queue one with `mock.{call}.returns(…)` (or `.fails`, `.responds`), or use `Mock::with_examples()`",
                    request.template
                ))),
            },
        }
    }
}

/// An answer of the API as the mock gives it: a status, headers and a
/// body, read by the client as a response (the body is an error when the
/// value could not be written).
#[derive(Debug, Clone)]
pub(crate) struct MockReply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Result<Vec<u8>, String>,
}

impl MockReply {
    /// `body` of `media_type` (none for an empty one), after `headers`.
    fn with(
        status: u16,
        headers: Vec<(String, String)>,
        media_type: &str,
        body: Result<Vec<u8>, String>,
    ) -> MockReply {
        let content_type =
            (!media_type.is_empty()).then(|| ("content-type".to_string(), media_type.to_string()));
        MockReply {
            status,
            headers: headers.into_iter().chain(content_type).collect(),
            body,
        }
    }

    /// A value as a JSON body.
    #[cfg(feature = "needs-json-response")]
    pub(crate) fn json<T: ::serde::Serialize>(status: u16, value: &T) -> MockReply {
        let body = ::serde_json::to_vec(value).map_err(|e| e.to_string());
        MockReply::with(status, Vec::new(), "application/json", body)
    }

    /// A text body.
    #[cfg(feature = "needs-text-response")]
    pub(crate) fn text(status: u16, text: String) -> MockReply {
        MockReply::with(status, Vec::new(), "text/plain", Ok(text.into_bytes()))
    }

    /// A body of bytes.
    #[cfg(feature = "needs-bytes-response")]
    pub(crate) fn bytes(status: u16, bytes: Vec<u8>) -> MockReply {
        MockReply::with(status, Vec::new(), "application/octet-stream", Ok(bytes))
    }

    /// No body.
    #[cfg(feature = "needs-empty-response")]
    pub(crate) fn empty(status: u16, _: ()) -> MockReply {
        MockReply::with(status, Vec::new(), "", Ok(Vec::new()))
    }

    fn response(&self) -> Result<RawResponse, Error> {
        let body = self.body.clone().map_err(|e| {
            Error::InvalidRequest(format!("mock: the queued value cannot be written: {e}"))
        })?;
        let mut headers = ::reqwest::header::HeaderMap::new();
        for (name, value) in &self.headers {
            let parsed = (
                ::reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                ::reqwest::header::HeaderValue::from_str(value),
            );
            let (Ok(name), Ok(value)) = parsed else {
                return Err(Error::InvalidRequest(format!(
                    "mock: the queued header `{name}` cannot be sent"
                )));
            };
            headers.append(name, value);
        }
        Ok(RawResponse {
            status: self.status,
            headers,
            body,
            attempts: 1,
            strict: false,
            #[cfg(feature = "needs-paging")]
            step: None,
        })
    }
}

/// One answer queued on an expectation.
enum MockAnswer {
    Reply(MockReply),
    Fail(Error),
}

/// The answers of an expectation, given in order, the last one repeating.
#[derive(Default)]
struct MockAnswers {
    queued: Vec<MockAnswer>,
    given: usize,
}

/// What decides which requests an expectation answers.
type MockPredicate = Box<dyn Fn(&MockRequest) -> bool + Send + Sync>;

struct MockExpectation {
    call: &'static str,
    when: Option<MockPredicate>,
    answers: Mutex<MockAnswers>,
}

impl MockExpectation {
    fn accepts(&self, request: &MockRequest) -> bool {
        !lock(&self.answers).queued.is_empty() && self.when.as_ref().map_or(true, |w| w(request))
    }

    fn next(&self) -> Result<RawResponse, Error> {
        let mut answers = lock(&self.answers);
        let at = answers.given.min(answers.queued.len().saturating_sub(1));
        answers.given += 1;
        match answers.queued.get(at) {
            Some(MockAnswer::Reply(reply)) => reply.response(),
            Some(MockAnswer::Fail(error)) => Err(again(error, self.call)),
            None => Err(Error::InvalidRequest(format!(
                "mock: no answer queued for `{}`",
                self.call
            ))),
        }
    }
}

/// The error `error` once more (a queued error repeats). A transport
/// error cannot be made again: its repetition says so.
fn again(error: &Error, call: &str) -> Error {
    match error {
        Error::Api(e) => Error::Api(e.clone()),
        Error::Decode(e) => Error::Decode(e.clone()),
        Error::InvalidRequest(m) => Error::InvalidRequest(m.clone()),
        Error::Timeout(t) => Error::Timeout(Box::new(TimeoutError {
            limit: t.limit,
            connect: t.connect,
            attempts: t.attempts,
            source: None,
        })),
        Error::Pagination(p) => Error::Pagination(Box::new(PaginationError {
            message: p.message.clone(),
            source: p.source.as_ref().map(|s| again(s, call)),
        })),
        Error::Transport(e) => Error::InvalidRequest(format!(
            "mock: the transport error queued for `{call}` ({e}) cannot be given twice: queue it again"
        )),
    }
}

/// The answers of one operation (`mock.conversations().retrieve()`), for
/// every request of it or, with [`when`](Expect::when), for some. Each of
/// `returns`, `fails` and `responds` queues one answer: they are given in
/// order, and the last one repeats (until another is queued).
pub struct Expect<T> {
    mock: Mock,
    expectation: Arc<MockExpectation>,
    reply: fn(T) -> MockReply,
    _value: PhantomData<fn(T)>,
}

impl<T> fmt::Debug for Expect<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expect")
            .field("call", &self.expectation.call)
            .field("when", &self.expectation.when.is_some())
            .field("queued", &lock(&self.expectation.answers).queued.len())
            .finish()
    }
}

impl<T> Expect<T> {
    fn queue(&self, answer: MockAnswer) -> &Self {
        lock(&self.expectation.answers).queued.push(answer);
        self
    }

    /// Answer with this success value, as the API would send it (written
    /// as the operation's body, and read back by the client).
    pub fn returns(&self, value: T) -> &Self {
        self.queue(MockAnswer::Reply((self.reply)(value)))
    }

    /// Fail with this error, e.g. `Error::api(404, "not_found", "…")`: the
    /// call returns it (a timeout is retried as one would be).
    pub fn fails(&self, error: Error) -> &Self {
        self.queue(MockAnswer::Fail(error))
    }

    /// Answer with this status, headers and JSON body, read by the client
    /// as any response (a 429 with `X-RateLimit-Reset` is retried, a body
    /// that differs from its description is read with corrections).
    pub fn responds(&self, status: u16, headers: &[(&str, &str)], json: Value) -> &Self {
        let headers = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let body = ::serde_json::to_vec(&json).map_err(|e| e.to_string());
        self.queue(MockAnswer::Reply(MockReply::with(
            status,
            headers,
            "application/json",
            body,
        )))
    }

    /// A new expectation of this operation that answers only the requests
    /// `predicate` accepts. Expectations with a predicate are asked first,
    /// in the order they were made; the one without answers the others.
    pub fn when(
        &self,
        predicate: impl Fn(&MockRequest) -> bool + Send + Sync + 'static,
    ) -> Expect<T> {
        let expectation = Arc::new(MockExpectation {
            call: self.expectation.call,
            when: Some(Box::new(predicate)),
            answers: Mutex::new(MockAnswers::default()),
        });
        lock(&self.mock.state.expectations).push(Arc::clone(&expectation));
        Expect {
            mock: self.mock.clone(),
            expectation,
            reply: self.reply,
            _value: PhantomData,
        }
    }

    /// How many requests this expectation answered.
    pub fn calls(&self) -> usize {
        lock(&self.expectation.answers).given
    }
}

/// A request as a mock's client sent it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MockRequest {
    /// The operation, as the client calls it (`conversations().retrieve()`).
    pub operation: &'static str,
    pub method: String,
    /// The path as sent (percent-encoded), e.g. `/conversations/123`.
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers, lower-case names; the token is redacted.
    pub headers: Vec<(String, String)>,
    /// The body as JSON (a body that is not JSON is a string of its text).
    pub body: Option<Value>,
}

impl MockRequest {
    fn of(operation: &'static str, request: &Request, built: &::reqwest::Request) -> MockRequest {
        let headers = built
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = if name == ::reqwest::header::AUTHORIZATION {
                    "[redacted]".to_string()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_string(), value)
            })
            .collect();
        let query = built
            .url()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let body = request.body.as_ref().map(|(_, bytes)| {
            ::serde_json::from_slice(bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
        });
        MockRequest {
            operation,
            method: request.method.as_str().to_string(),
            path: built.url().path().to_string(),
            query,
            headers,
            body,
        }
    }

    /// A query parameter's value (the first, when it repeats).
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value (the first, when it repeats); any case of the name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::futures_util::TryStreamExt;
    use ::serde_json::json;
    use ::std::time::Duration;

    static OPERATIONS: &[MockOperation] = &[
        MockOperation {
            call: "things().retrieve()",
            method: "GET",
            template: "/things/{id}",
        },
        MockOperation {
            call: "things().list()",
            method: "GET",
            template: "/things",
        },
        MockOperation {
            call: "things().create()",
            method: "POST",
            template: "/things",
        },
    ];

    fn mock() -> Mock {
        Mock::of(OPERATIONS, None)
    }

    fn client(mock: &Mock) -> Client {
        mock.attach(ClientBuilder::new(crate::TEST_API)).build()
    }

    fn retrieve(mock: &Mock) -> Expect<Value> {
        mock.expect("things().retrieve()", |v| MockReply::json(200, &v))
    }

    /// `GET /things/{id}` as a generated operation sends it, read as JSON.
    async fn get(client: &Client, id: &str) -> Result<Value, Error> {
        let request = Request::new(
            ::reqwest::Method::GET,
            "/things/{id}",
            format!("/things/{id}"),
        );
        let response = client.execute(request).await?;
        match response.status {
            200..=299 => response.json(),
            _ => Err(response.api_error()),
        }
    }

    #[tokio::test]
    async fn answers_are_given_in_order_and_the_last_repeats() {
        let mock = mock();
        let expect = retrieve(&mock);
        expect
            .returns(json!({"id": "a"}))
            .fails(Error::api(404, "not_found", "Gone"))
            .returns(json!({"id": "b"}));
        let client = client(&mock);
        assert_eq!(get(&client, "1").await.unwrap(), json!({"id": "a"}));
        let error = get(&client, "2").await.unwrap_err();
        assert_eq!(error.status(), Some(404));
        assert_eq!(
            error.api_error().unwrap().errors()[0].code.as_deref(),
            Some("not_found")
        );
        assert_eq!(get(&client, "3").await.unwrap(), json!({"id": "b"}));
        assert_eq!(get(&client, "4").await.unwrap(), json!({"id": "b"}));
        assert_eq!(expect.calls(), 4);
        // The same operation's expectation again is the same queue: an
        // answer queued after the others were given is given next.
        retrieve(&mock).returns(json!({"id": "c"}));
        assert_eq!(get(&client, "5").await.unwrap(), json!({"id": "c"}));
        let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(
            paths,
            [
                "/things/1",
                "/things/2",
                "/things/3",
                "/things/4",
                "/things/5"
            ]
        );
    }

    #[tokio::test]
    async fn an_error_repeats_as_itself() {
        let mock = mock();
        retrieve(&mock).fails(Error::api(403, "forbidden", "No"));
        let client = client(&mock);
        for _ in 0..2 {
            let error = get(&client, "1").await.unwrap_err();
            assert_eq!(error.status(), Some(403), "{error}");
        }
    }

    #[tokio::test]
    async fn when_answers_the_requests_it_accepts_before_the_default() {
        let mock = mock();
        let expect = retrieve(&mock);
        expect.returns(json!({"id": "any"}));
        expect
            .when(|r| r.path.ends_with("/vip"))
            .returns(json!({"id": "vip"}));
        // A predicate without answers answers nothing.
        let _ = expect.when(|_| true);
        let client = client(&mock);
        assert_eq!(get(&client, "vip").await.unwrap(), json!({"id": "vip"}));
        assert_eq!(get(&client, "other").await.unwrap(), json!({"id": "any"}));
    }

    #[tokio::test]
    async fn a_request_nothing_answers_fails_at_once_naming_its_operation() {
        let mock = mock();
        let client = client(&mock);
        let error = get(&client, "1").await.unwrap_err();
        let message = error.to_string();
        assert!(message.contains("`things().retrieve()`"), "{message}");
        assert!(
            message.contains("mock.things().retrieve().returns"),
            "{message}"
        );
        // Not retried: an invalid request is final.
        assert_eq!(mock.requests().len(), 1);
        let unknown = Request::new(::reqwest::Method::DELETE, "/nowhere", "/nowhere");
        let error = client.execute(unknown).await.unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("no operation of this crate is `DELETE /nowhere`"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn each_operation_has_its_own_answers_and_is_shown_by_its_counts() {
        let mock = mock();
        let retrieve = retrieve(&mock);
        retrieve.returns(json!({"id": "one"}));
        let create = mock.expect("things().create()", |v: Value| MockReply::json(201, &v));
        create.returns(json!({"id": "new"}));
        let client = client(&mock);
        assert_eq!(get(&client, "1").await.unwrap(), json!({"id": "one"}));
        let request = Request::new(::reqwest::Method::POST, "/things", "/things");
        let created = client.execute(request).await.unwrap();
        assert_eq!(created.status, 201);
        assert_eq!((retrieve.calls(), create.calls()), (1, 1));
        let shown = format!("{mock:?}");
        assert!(
            shown.contains("operations: 3") && shown.contains("requests: 2"),
            "{shown}"
        );
        let shown = format!("{retrieve:?}");
        assert!(
            shown.contains("things().retrieve()") && shown.contains("queued: 1"),
            "{shown}"
        );
    }

    #[tokio::test]
    async fn examples_answer_where_nothing_is_queued() {
        let examples = "# a marker line\nthings().retrieve()\t200\tapplication/json\t{\"id\":\"example\"}\nthings().create()\t204\t\t\nnot().listed()\t200\t\t{}\n";
        let mock = Mock::of(OPERATIONS, Some(examples));
        let client = client(&mock);
        assert_eq!(get(&client, "1").await.unwrap(), json!({"id": "example"}));
        let request = Request::new(::reqwest::Method::POST, "/things", "/things");
        let created = client.execute(request).await.unwrap();
        assert_eq!(created.status, 204);
        assert!(
            created.headers.get("content-type").is_none(),
            "no body, no media type"
        );
        let request = Request::new(::reqwest::Method::GET, "/things/{id}", "/things/2");
        let read = client.execute(request).await.unwrap();
        assert_eq!(read.headers["content-type"], "application/json");
        retrieve(&mock).returns(json!({"id": "queued"}));
        assert_eq!(get(&client, "1").await.unwrap(), json!({"id": "queued"}));
    }

    #[tokio::test]
    async fn the_token_is_redacted_and_the_request_is_recorded_as_sent() {
        let mock = mock();
        mock.expect("things().create()", |v: Value| MockReply::json(201, &v))
            .returns(json!({"id": "new"}));
        let client = mock
            .attach(ClientBuilder::new(crate::TEST_API))
            .token("very-secret")
            .build();
        let mut request = Request::new(::reqwest::Method::POST, "/things", "/things");
        request.query("dry_run", &true).unwrap();
        request.body("application/json", br#"{"name":"x"}"#.to_vec());
        let response = client.execute(request).await.unwrap();
        assert_eq!(response.status, 201);
        let sent = mock.requests().remove(0);
        assert_eq!(sent.operation, "things().create()");
        assert_eq!(
            (sent.method.as_str(), sent.path.as_str()),
            ("POST", "/things")
        );
        assert_eq!(sent.query("dry_run"), Some("true"));
        assert_eq!(sent.body, Some(json!({"name": "x"})));
        assert_eq!(sent.header("Authorization"), Some("[redacted]"));
        assert_eq!(sent.header("example-version"), Some("1.0"));
        assert!(!format!("{sent:?}").contains("very-secret"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_is_retried_after_its_reset_without_waiting() {
        let mock = mock();
        let reset = ::std::time::SystemTime::now()
            .duration_since(::std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 30;
        retrieve(&mock)
            .responds(
                429,
                &[("X-RateLimit-Reset", &reset.to_string())],
                json!({"type": "error.list", "errors": []}),
            )
            .returns(json!({"id": "a"}));
        let client = client(&mock);
        let started = ::std::time::Instant::now();
        assert_eq!(get(&client, "1").await.unwrap(), json!({"id": "a"}));
        assert_eq!(mock.requests().len(), 2);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn a_walk_asks_again_while_a_queued_page_carries_a_cursor() {
        static WALK: Walk = Walk {
            continuations: &[Continuation {
                read: Read::Token(&["pages", "next", "starting_after"]),
                send: Place::Query("starting_after"),
                resumable: true,
            }],
            items: &["data"],
        };
        let mock = mock();
        mock.expect("things().list()", |v: Value| MockReply::json(200, &v))
            .returns(json!({"data": [1, 2], "pages": {"next": {"starting_after": "c1"}}}))
            .returns(json!({"data": [3], "pages": {}}));
        let client = client(&mock);
        let fetch = move |step: Step| {
            let client = client.with_step(step);
            async move {
                let request = Request::new(::reqwest::Method::GET, "/things", "/things");
                client.execute(request).await?.json::<Value>()
            }
        };
        let items: Vec<Value> = items(
            paginate(&WALK, fetch, |p: &Value| {
                p["data"].as_array().map_or(0, Vec::len)
            }),
            |p: Value| p["data"].as_array().cloned().unwrap_or_default(),
        )
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, [json!(1), json!(2), json!(3)]);
        let cursors: Vec<Option<String>> = mock
            .requests()
            .iter()
            .map(|r| r.query("starting_after").map(String::from))
            .collect();
        assert_eq!(cursors, [None, Some("c1".into())]);
    }
}
