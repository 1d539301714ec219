//! The client, its configuration and its builder: how each request is
//! sent, with its retries, its timeout and its span.

use ::std::fmt;
use ::std::sync::{Arc, Mutex};
use ::std::time::{Duration, SystemTime};

use ::tracing::Instrument;

use super::*;

/// A bearer token; never shown by `Debug`.
#[derive(Clone)]
struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An Intercom API client.
///
/// Cheap to clone: clones share one connection pool and one configuration.
/// Build one with [`Client::builder`], [`Client::new`] or
/// [`Client::from_env`]; change settings for some calls with
/// [`Client::with_options`]. The token is never shown by `Debug`.
///
/// # Configuration
///
/// ```
/// use std::time::Duration;
///
/// // The token comes from `INTERCOM_ACCESS_TOKEN` when `token` is not called.
/// let client = intercom_api::Client::builder()
///     .token("my-access-token")
///     .base_url("https://api.example.com/") // or `.region(…)`, where the API has regions
///     .user_agent("my-app/1.0")
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30))
///     .max_retries(3)
///     .build();
/// assert_eq!(client.base_url(), "https://api.example.com");
///
/// // Settings for some calls only: a cheap clone (the connection pool is
/// // shared) on which every operation method is available.
/// let once = client.with_options(intercom_api::RequestOptions::new().max_retries(0).timeout(Duration::from_secs(5)));
/// assert_eq!(once.timeout(), Duration::from_secs(5));
/// assert_eq!(client.timeout(), Duration::from_secs(30));
/// ```
///
/// # Per-request options
///
/// [`Client::with_options`] returns a cheap clone (the connection pool is
/// shared) whose calls use the given overrides ([`RequestOptions`]); every
/// operation method is available on it, and each request builder has
/// `.options(…)` for one call.
///
/// # Status and headers of a success
///
/// Wrap any call in [`with_response`] (or call
/// [`ResponseFutureExt::with_response`] on it) to get a [`Response`] with the
/// status, the headers and the number of attempts next to the parsed body.
/// Errors carry the same in [`ApiError`].
///
/// ```no_run
/// use intercom_api::{Error, ResponseFutureExt};
///
/// // `call` is any operation's `send()`: `client.<area>().<operation>(…).send()`.
/// async fn show<T: std::fmt::Debug>(call: impl std::future::Future<Output = Result<T, Error>>) -> Result<(), Error> {
///     let response = call.with_response().await?;
///     println!("{} after {} attempt(s), request id {:?}", response.status, response.attempts, response.request_id());
///     println!("{:?}", response.data);
///     Ok(())
/// }
/// ```
///
/// # Pagination
///
/// List operations (a response with `pages` or `scroll_param`) have two
/// more methods on their request builder: `pages()`, a stream of pages, and
/// `items()`, a stream of items. Pages are fetched as they are read, each
/// with the continuation the page before carries (a scroll parameter, a
/// cursor, or the next page number). The streams own their request
/// (`'static`), so a function can return one.
///
/// ```no_run
/// use intercom_api::{BoxStream, Error, TryStreamExt};
///
/// // `items` is a list's `items()`: `client.<area>().<list>().items()`.
/// async fn print_all<T: std::fmt::Debug>(mut items: BoxStream<'static, Result<T, Error>>) -> Result<(), Error> {
///     while let Some(item) = items.try_next().await? {
///         println!("{item:?}");
///     }
///     Ok(())
/// }
/// ```
///
/// # Timeouts
///
/// [`ClientBuilder::connect_timeout`] (10 s by default) bounds establishing a
/// connection; [`ClientBuilder::timeout`] (60 s by default, or
/// [`RequestOptions::timeout`]) bounds each attempt, from sending the
/// request to the end of the response body. Either ends the attempt with
/// [`Error::Timeout`] (retried like a connection failure).
///
/// # Retries
///
/// A request is retried (see [`RetryPolicy`]; 2 retries by default) when the
/// API answers 429 or a 5xx status, when the connection fails and when an
/// attempt times out. The wait before a retry is what the server asks for
/// (`Retry-After`, in seconds or as an HTTP date, or, with a 429,
/// `X-RateLimit-Reset` in Unix seconds) or else an exponential backoff with
/// full jitter. When the server asks for more than
/// [`RetryPolicy::max_retry_wait`], the response is returned as it is.
/// `POST` and `PATCH` are retried only after a 429 (the request was not
/// processed), unless [`RetryPolicy::retry_non_idempotent`] or
/// [`RequestOptions::retry_non_idempotent`] says otherwise.
///
/// # Tracing
///
/// Each call runs in an `intercom.request` span (level INFO) with the fields
/// `method`, `path` (the template, such as `/conversations/{conversation_id}`,
/// so no ids), `attempt` and `status`; each retry is a DEBUG event with the
/// reason and the wait. The token, the query and the bodies are never
/// recorded.
#[derive(Clone)]
pub struct Client {
    config: Arc<Config>,
    options: RequestOptions,
}

struct Config {
    http: ::reqwest::Client,
    base_url: String,
    token: Option<Token>,
    version_header: Option<&'static str>,
    version: Option<String>,
    user_agent: String,
    connect_timeout: Option<Duration>,
    timeout: Duration,
    retry: RetryPolicy,
    /// Wait out an exhausted rate limit before sending (see `ClientBuilder::pace`).
    pace: bool,
    /// Fail on a response that differs from its description (see `ClientBuilder::strict`).
    strict: bool,
    /// The rate limit the last response reported, shared by every clone.
    last_limit: Mutex<Option<RateLimit>>,
    /// The mock that answers instead of the network (`mock::Mock::client`).
    #[cfg(feature = "mock")]
    mock: Option<Arc<MockState>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url)
            .field("token", &self.config.token)
            .field("version", &self.api_version())
            .field("user_agent", &self.config.user_agent)
            .field("connect_timeout", &self.config.connect_timeout)
            .field("timeout", &self.timeout())
            .field("retry", &self.config.retry)
            .field("options", &self.options)
            .finish()
    }
}

impl Client {
    // `new`, `from_env`, `builder` and `TOKEN_ENV_VAR` are the generated
    // crate's (its `lib.rs`): they start from its API's defaults
    // (`ClientBuilder::new`).

    /// A client with `defaults` and the token in the environment variable
    /// they name; fails when the variable is unset or empty.
    pub(crate) fn from_env_with(defaults: ApiDefaults) -> Result<Self, EnvError> {
        let token = token_from_env(defaults.token_env).ok_or(EnvError {
            var: defaults.token_env,
        })?;
        Ok(ClientBuilder::new(defaults).token(token).build())
    }

    /// A clone of this client whose calls use `options` (over any options
    /// this client already has). Cheap: the connection pool is shared.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            config: Arc::clone(&self.config),
            options: self.options.clone().overridden_by(options),
        }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The API version sent with requests, if any.
    pub fn api_version(&self) -> Option<&str> {
        self.options
            .api_version
            .as_deref()
            .or(self.config.version.as_deref())
    }

    /// The `User-Agent` sent with requests.
    pub fn user_agent(&self) -> &str {
        &self.config.user_agent
    }

    /// How long one attempt may take, from sending the request to the end of
    /// the response body.
    pub fn timeout(&self) -> Duration {
        self.options.timeout.unwrap_or(self.config.timeout)
    }

    /// The retry policy (before per-request options).
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.config.retry
    }

    /// The per-request options this client applies.
    pub fn options(&self) -> &RequestOptions {
        &self.options
    }

    /// A clone whose requests are `step` of a walk over a list's pages: they
    /// carry its continuation, and record the next one.
    #[cfg(feature = "needs-paging")]
    pub(crate) fn with_step(&self, step: Step) -> Client {
        let mut options = self.options.clone();
        options.step = Some(step);
        Client {
            config: Arc::clone(&self.config),
            options,
        }
    }

    /// Send `request`, retrying as the policy says; any status is returned
    /// as a response, for the operation to interpret.
    pub(crate) async fn execute(&self, mut request: Request) -> Result<RawResponse, Error> {
        if let Some(step) = &self.options.step {
            step.apply(&mut request)?;
        }
        for (name, value) in &self.options.extra_query {
            request.query.push((name.clone(), value.clone()));
        }
        for (name, value) in &self.options.extra_headers {
            header_safe(&format!("header `{name}`"), value)?;
            request.extra_headers.push((name.clone(), value.clone()));
        }
        let span = ::tracing::info_span!(
            "intercom.request",
            method = %request.method,
            path = request.template,
            attempt = ::tracing::field::Empty,
            status = ::tracing::field::Empty,
        );
        if self.config.pace {
            self.wait_for_rate_limit().await;
        }
        let mut response = self.send_with_retries(&request).instrument(span).await;
        if let Ok(raw) = response.as_mut() {
            if let Some(step) = self
                .options
                .step
                .as_ref()
                .filter(|_| (200..300).contains(&raw.status))
            {
                step.record(&raw.body);
            }
            // A page's reading leaves what it could not read in its step.
            #[cfg(feature = "needs-paging")]
            {
                raw.step = self.options.step.clone();
            }
            let limit = RateLimit::from_headers(&raw.headers);
            if limit != RateLimit::default() {
                if let Ok(mut last) = self.config.last_limit.lock() {
                    *last = Some(limit);
                }
            }
        }
        response
    }

    /// With pacing on: wait until the window resets when the last response
    /// said none is left.
    async fn wait_for_rate_limit(&self) {
        let last = self.config.last_limit.lock().ok().and_then(|l| *l);
        let Some(RateLimit {
            remaining: Some(0),
            reset: Some(reset),
            ..
        }) = last
        else {
            return;
        };
        let wait = reset
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        let wait = wait.min(self.config.retry.max_retry_wait);
        if !wait.is_zero() {
            ::tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "rate limit exhausted; waiting for the window to reset"
            );
            ::tokio::time::sleep(wait).await;
        }
    }

    async fn send_with_retries(&self, request: &Request) -> Result<RawResponse, Error> {
        let policy = &self.config.retry;
        let max_retries = self.options.max_retries.unwrap_or(policy.max_retries);
        let unsafe_ok = self
            .options
            .retry_non_idempotent
            .unwrap_or(policy.retry_non_idempotent);
        let may_repeat = unsafe_ok || is_idempotent(&request.method);
        let timeout = self.timeout();
        let span = ::tracing::Span::current();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let can_retry = attempt <= max_retries;
            match self.attempt(request, timeout).await {
                Ok(mut response) => {
                    span.record("status", response.status);
                    let retryable = match response.status {
                        429 => true,
                        500..=599 => may_repeat,
                        _ => false,
                    };
                    if can_retry && retryable {
                        match policy.wait_after(&response, attempt, SystemTime::now()) {
                            Some(wait) => {
                                ::tracing::debug!(
                                    status = response.status,
                                    attempt,
                                    wait_ms = wait.as_millis() as u64,
                                    "retrying after a retryable status"
                                );
                                ::tokio::time::sleep(wait).await;
                                continue;
                            }
                            None => {
                                ::tracing::debug!(status = response.status, attempt, "not retrying: the server asks to wait longer than max_retry_wait");
                            }
                        }
                    }
                    response.attempts = attempt;
                    response.strict = self.options.strict.unwrap_or(self.config.strict);
                    capture(&response);
                    return Ok(response);
                }
                Err(error) => {
                    let transient = match &error {
                        Error::Timeout(_) => true,
                        Error::Transport(e) => e.is_connect() || e.is_request() || e.is_body(),
                        _ => false,
                    };
                    if can_retry && transient && may_repeat {
                        let wait = policy.backoff(attempt);
                        ::tracing::debug!(
                            attempt,
                            wait_ms = wait.as_millis() as u64,
                            timeout = error.is_timeout(),
                            "retrying after a connection failure"
                        );
                        ::tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(match error {
                        Error::Timeout(mut t) => {
                            t.attempts = attempt;
                            Error::Timeout(t)
                        }
                        other => other,
                    });
                }
            }
        }
    }

    /// One attempt: build the request, send it, read the whole body, all
    /// within `timeout`.
    async fn attempt(&self, request: &Request, timeout: Duration) -> Result<RawResponse, Error> {
        let built = self.build(request).map_err(|e| {
            // reqwest says "builder error"; its causes say what (an invalid URL or header).
            let e = e.without_url();
            let mut message = e.to_string();
            let mut cause = ::std::error::Error::source(&e);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            Error::InvalidRequest(message)
        })?;
        #[cfg(feature = "mock")]
        if let Some(mock) = &self.config.mock {
            return mock.exchange(request, &built);
        }
        let exchange = async {
            let response = self.config.http.execute(built).await?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok::<_, ::reqwest::Error>(RawResponse {
                status,
                headers,
                body: body.to_vec(),
                attempts: 1,
                strict: false,
                #[cfg(feature = "needs-paging")]
                step: None,
            })
        };
        match ::tokio::time::timeout(timeout, exchange).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) if e.is_timeout() => Err(Error::Timeout(Box::new(TimeoutError {
                limit: if e.is_connect() {
                    self.config.connect_timeout
                } else {
                    None
                },
                connect: e.is_connect(),
                attempts: 1,
                source: Some(e),
            }))),
            Ok(Err(e)) => Err(Error::Transport(e)),
            Err(_) => Err(Error::Timeout(Box::new(TimeoutError {
                limit: Some(timeout),
                connect: false,
                attempts: 1,
                source: None,
            }))),
        }
    }

    fn build(&self, request: &Request) -> Result<::reqwest::Request, ::reqwest::Error> {
        let url = format!("{}{}", self.config.base_url, request.path);
        let mut builder = self
            .config
            .http
            .request(request.method.clone(), url)
            .header(
                ::reqwest::header::USER_AGENT,
                self.config.user_agent.as_str(),
            );
        // An operation may take `Accept` as a parameter of its own; then that one is sent.
        if !request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
        {
            builder = builder.header(::reqwest::header::ACCEPT, request.accept);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(token) = &self.config.token {
            // Marked sensitive by reqwest: left out of its `Debug` output.
            builder = builder.bearer_auth(&token.0);
        }
        if let (Some(header), Some(version)) = (self.config.version_header, self.api_version()) {
            builder = builder.header(header, version);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        for (name, value) in &request.extra_headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if !request.cookies.is_empty() {
            let cookies: Vec<String> = request
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            builder = builder.header(::reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some((content_type, body)) = &request.body {
            builder = builder
                .header(::reqwest::header::CONTENT_TYPE, content_type.as_str())
                .body(body.clone());
        }
        builder.build()
    }
}

fn token_from_env(var: &str) -> Option<String> {
    ::std::env::var(var).ok().filter(|t| !t.trim().is_empty())
}

fn is_idempotent(method: &::reqwest::Method) -> bool {
    !matches!(*method, ::reqwest::Method::POST | ::reqwest::Method::PATCH)
}

/// [`Client::from_env`] found no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    /// The variable that was read.
    pub var: &'static str,
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the environment variable {} is not set", self.var)
    }
}

impl ::std::error::Error for EnvError {}

/// Configuration for a [`Client`].
///
/// | setting | default |
/// | --- | --- |
/// | [`token`](Self::token) | `INTERCOM_ACCESS_TOKEN` from the environment, else none |
/// | [`base_url`](Self::base_url) / `region` | the first server of the API description |
/// | [`api_version_str`](Self::api_version_str) / `api_version` | the version of the API description |
/// | [`user_agent`](Self::user_agent) | `intercom-api-rust/<crate version>` |
/// | [`connect_timeout`](Self::connect_timeout) | 10 s |
/// | [`timeout`](Self::timeout) | 60 s per attempt |
/// | [`max_retries`](Self::max_retries) / [`retry_policy`](Self::retry_policy) | 2 retries, see [`RetryPolicy`] |
/// | [`http_client`](Self::http_client) | a new `reqwest::Client` |
/// | [`pace`](Self::pace) | off |
/// | [`strict`](Self::strict) | off: a response that differs from its description is read with corrections |
pub struct ClientBuilder {
    defaults: ApiDefaults,
    base_url: Option<String>,
    token: Option<Token>,
    version: Option<String>,
    http: Option<::reqwest::Client>,
    user_agent: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    pace: bool,
    strict: bool,
    #[cfg(feature = "mock")]
    mock: Option<Arc<MockState>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("version", &self.version)
            .field("user_agent", &self.user_agent)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("http_client", &self.http.is_some())
            .finish()
    }
}

/// What a generated crate tells the runtime about its API: where requests
/// go and which version header they carry, unless a client is told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiDefaults {
    /// The first server of the API description.
    pub base_url: &'static str,
    /// The header that carries the API version, if the API has one.
    pub version_header: Option<&'static str>,
    /// The version sent in that header unless the client is told another.
    pub version: Option<&'static str>,
    /// The environment variable the token is read from (`Client::from_env`,
    /// and `ClientBuilder::build` without a token).
    pub token_env: &'static str,
}

impl ClientBuilder {
    /// A builder that starts from `defaults` (the generated crate's
    /// `Client::builder` calls it with its API's).
    pub(crate) fn new(defaults: ApiDefaults) -> Self {
        ClientBuilder {
            defaults,
            base_url: None,
            token: None,
            version: None,
            http: None,
            user_agent: None,
            connect_timeout: None,
            timeout: None,
            retry: RetryPolicy::default(),
            pace: false,
            strict: false,
            #[cfg(feature = "mock")]
            mock: None,
        }
    }

    /// How long establishing a connection may take, by default.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// How long one attempt may take, by default.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// The bearer token to authenticate with. Without it, `build` reads
    /// the environment variable `Client::TOKEN_ENV_VAR` names.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Token(token.into()));
        self
    }

    /// Send requests to this base URL instead of the default server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into().trim_end_matches('/').into());
        self
    }

    /// The API version to send (as a raw string; see also `api_version`).
    pub fn api_version_str(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// The `User-Agent` to send (default `<crate name>-rust/<crate version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How long establishing a connection may take (default 10 s). Not
    /// applied to a client given with [`http_client`](Self::http_client),
    /// which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, from sending the request to the end
    /// of the response body (default 60 s). Retries get the same time each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed request is retried (default 2; 0 disables
    /// retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// When and how requests are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Use this `reqwest::Client` (for its proxies, TLS settings, connection
    /// pool). Its own timeouts apply too.
    pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Pace the client by the API's rate limit: once a response says no
    /// request is left in the window (`X-RateLimit-Remaining: 0`), the next
    /// request waits until the window resets (`X-RateLimit-Reset`, at most
    /// the retry policy's `max_retry_wait`) instead of being refused with a
    /// 429. Off by default.
    pub fn pace(mut self, pace: bool) -> Self {
        self.pace = pace;
        self
    }

    /// Read responses strictly: a success body that differs from its
    /// description (a member of another type, a required member absent or
    /// `null`, a list object for an array) fails the call with
    /// [`Error::Decode`] naming where, instead of being read with
    /// corrections (docs/decoding.md; `Response::corrections` lists them).
    /// A value an enum does not list is not a difference: it reads as
    /// `Unknown`. Off by default; [`RequestOptions::strict`] sets it for
    /// some calls.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Answer requests from `mock` instead of the network.
    #[cfg(feature = "mock")]
    pub(crate) fn mock(mut self, mock: Arc<MockState>) -> Self {
        self.mock = Some(mock);
        self
    }

    /// The client.
    ///
    /// # Panics
    ///
    /// Like `reqwest::Client::new`, when no `http_client` was given and the
    /// TLS backend cannot be initialized.
    pub fn build(self) -> Client {
        let connect_timeout = match self.http {
            Some(_) => self.connect_timeout,
            None => Some(
                self.connect_timeout
                    .unwrap_or(Self::DEFAULT_CONNECT_TIMEOUT),
            ),
        };
        let http = match self.http {
            Some(http) => http,
            None => ::reqwest::Client::builder()
                .connect_timeout(connect_timeout.unwrap_or(Self::DEFAULT_CONNECT_TIMEOUT))
                .build()
                .expect("the HTTP client cannot be initialized (TLS backend)"),
        };
        Client {
            config: Arc::new(Config {
                http,
                base_url: self
                    .base_url
                    .unwrap_or_else(|| self.defaults.base_url.into()),
                token: self
                    .token
                    .or_else(|| token_from_env(self.defaults.token_env).map(Token)),
                version_header: self.defaults.version_header,
                version: self
                    .version
                    .or_else(|| self.defaults.version.map(String::from)),
                user_agent: self.user_agent.unwrap_or_else(|| {
                    concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION")).into()
                }),
                connect_timeout,
                timeout: self.timeout.unwrap_or(Self::DEFAULT_TIMEOUT),
                retry: self.retry,
                pace: self.pace,
                strict: self.strict,
                last_limit: Mutex::new(None),
                #[cfg(feature = "mock")]
                mock: self.mock,
            }),
            options: RequestOptions::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TEST_API;

    fn client() -> Client {
        ClientBuilder::new(TEST_API)
            .token("secret")
            .user_agent("tests/1")
            .build()
    }

    #[test]
    fn a_client_starts_from_its_api_defaults() {
        let c = client();
        assert_eq!(c.base_url(), "https://api.example.com");
        assert_eq!(c.api_version(), Some("1.0"));
        let other = ClientBuilder::new(TEST_API)
            .base_url("http://localhost:1/")
            .api_version_str("2.0")
            .build();
        assert_eq!(other.base_url(), "http://localhost:1");
        assert_eq!(other.api_version(), Some("2.0"));
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn a_request_carries_the_version_header_and_its_parameters() {
        let mut request = Request::new(::reqwest::Method::GET, "/things/{id}", "/things/a%2Fb");
        request.query("q", "x&y").unwrap();
        request.header("X-Reason", "why").unwrap();
        request.cookie("session", "a;b").unwrap();
        let built = client().build(&request).unwrap();
        assert_eq!(
            built.url().as_str(),
            "https://api.example.com/things/a%2Fb?q=x%26y"
        );
        let header = |name: &str| {
            built
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        };
        assert_eq!(header("example-version").as_deref(), Some("1.0"));
        assert_eq!(header("x-reason").as_deref(), Some("why"));
        assert_eq!(header("cookie").as_deref(), Some("session=a%3Bb"));
        assert_eq!(header("user-agent").as_deref(), Some("tests/1"));
        assert_eq!(header("authorization").as_deref(), Some("Bearer secret"));
    }

    #[test]
    fn an_api_without_a_version_header_sends_none() {
        let api = ApiDefaults {
            version_header: None,
            version: None,
            ..TEST_API
        };
        let request = Request::new(::reqwest::Method::GET, "/", "/");
        let built = ClientBuilder::new(api)
            .token("t")
            .build()
            .build(&request)
            .unwrap();
        assert!(built.headers().get("example-version").is_none());
    }
}
