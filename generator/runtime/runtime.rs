//! The HTTP runtime every generated operation goes through: configuration,
//! retries, timeouts, tracing, pagination, and turning responses into typed
//! results or errors.

// Each generated crate uses the helpers its operations need.
#![allow(dead_code)]

use ::std::cell::RefCell;
use ::std::fmt;
use ::std::future::Future;
use ::std::pin::Pin;
use ::std::string::String;
use ::std::sync::{Arc, Mutex};
use ::std::task::{Context, Poll};
use ::std::time::{Duration, SystemTime, UNIX_EPOCH};
use ::std::vec::Vec;

use ::futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use ::tracing::Instrument;

/// `as_str`, `From<&str>`, `Display`, `FromStr` and serde for a string enum
/// of `models`, from its `VALUES` table: written once here, not in every enum.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unknown(value) => value,
                    known => Self::VALUES
                        .iter()
                        .find(|(variant, _)| variant == known)
                        .map_or("", |(_, value)| value),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::VALUES
                    .iter()
                    .find(|(_, known)| *known == value)
                    .map_or_else(|| Self::Unknown(::std::string::String::from(value)), |(variant, _)| variant.clone())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::runtime::Shape for $name {
            fn fit(value: &::serde_json::Value) -> ::std::option::Option<$crate::runtime::Fit> {
                let text = value.as_str()?;
                let listed = Self::VALUES.iter().any(|(_, known)| *known == text);
                ::std::option::Option::Some($crate::runtime::Fit::new(0, usize::from(listed)))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            // Not `Self::Err`: a variant may be named `Err`.
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                // A visitor, so that a known value is read without allocating a String.
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<$name, E> {
                        ::std::result::Result::Ok(<$name>::from(value))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// `Shape` for a struct of `models` that is an alternative of a union: its
/// property names, the ones it cannot do without, its one-value properties.
#[allow(unused_macros)]
macro_rules! object_shape {
    ($name:ident, [$($field:literal),*], [$($required:literal),*], [$(($key:literal, $value:literal)),*]) => {
        impl $crate::runtime::Shape for $name {
            fn fit(value: &::serde_json::Value) -> ::std::option::Option<$crate::runtime::Fit> {
                $crate::runtime::object_fit(value, &[$($field),*], &[$($required),*], &[$(($key, $value)),*])
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use object_shape;

/// How well a JSON value fits a type: to read a union as the alternative
/// the data is. More is better: fewer keys the type would leave unread
/// first, then more keys (or listed values) it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    unread: usize,
    read: usize,
}

impl Fit {
    pub fn new(unread: usize, read: usize) -> Self {
        Fit { unread, read }
    }
}

impl PartialOrd for Fit {
    fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fit {
    fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
        other.unread.cmp(&self.unread).then(self.read.cmp(&other.read))
    }
}

/// A type a union may hold, and how well a JSON value fits it (`None`: it cannot be that).
pub trait Shape {
    fn fit(value: &::serde_json::Value) -> Option<Fit>;
}

/// The fit of an object for a struct with these property names, required
/// ones, and one-value properties (`type: "admin"`): `None` when it is no
/// object, lacks a required property, or has another one-value value.
pub(crate) fn object_fit(value: &::serde_json::Value, fields: &[&str], required: &[&str], constants: &[(&str, &str)]) -> Option<Fit> {
    let map = value.as_object()?;
    if required.iter().any(|r| !matches!(map.get(*r), Some(v) if !v.is_null())) {
        return None;
    }
    if constants.iter().any(|(k, v)| map.get(*k).is_some_and(|x| x.as_str() != Some(v))) {
        return None;
    }
    let read = map.keys().filter(|k| fields.contains(&k.as_str())).count();
    Some(Fit::new(map.len() - read, read))
}

/// Fits for the alternatives that are no named type.
pub(crate) fn fit_string(value: &::serde_json::Value) -> Option<Fit> {
    value.is_string().then_some(Fit::new(0, 1))
}
pub(crate) fn fit_integer(value: &::serde_json::Value) -> Option<Fit> {
    (value.is_i64() || value.is_u64()).then_some(Fit::new(0, 1))
}
pub(crate) fn fit_number(value: &::serde_json::Value) -> Option<Fit> {
    value.is_number().then_some(Fit::new(0, 1))
}
pub(crate) fn fit_boolean(value: &::serde_json::Value) -> Option<Fit> {
    value.is_boolean().then_some(Fit::new(0, 1))
}
pub(crate) fn fit_array(value: &::serde_json::Value) -> Option<Fit> {
    value.is_array().then_some(Fit::new(0, 1))
}
pub(crate) fn fit_object(value: &::serde_json::Value) -> Option<Fit> {
    value.is_object().then_some(Fit::new(0, 1))
}
pub(crate) fn fit_any(_: &::serde_json::Value) -> Option<Fit> {
    Some(Fit::new(0, 0))
}

/// The best fit of any of `fits` (for a union that is itself an alternative).
pub(crate) fn best_fit(value: &::serde_json::Value, fits: &[FitFn]) -> Option<Fit> {
    fits.iter().filter_map(|f| f(value)).max()
}

/// How well a value fits an alternative.
pub(crate) type FitFn = fn(&::serde_json::Value) -> Option<Fit>;

/// Read a value as an alternative.
pub(crate) type ReadFn<U> = fn(::serde_json::Value) -> Result<U, ::serde_json::Error>;

/// Read `value` as the alternative it fits best (the first listed among
/// equals) that reads it; as `unknown` when none does.
pub(crate) fn pick<U>(value: ::serde_json::Value, alternatives: &[(FitFn, ReadFn<U>)], unknown: fn(::serde_json::Value) -> U) -> U {
    let mut ranked: Vec<(Fit, usize)> = alternatives
        .iter()
        .enumerate()
        .filter_map(|(i, (fit, _))| fit(&value).map(|f| (f, i)))
        .collect();
    // Best fit first; among equals, the one listed first.
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in ranked {
        if let Ok(read) = (alternatives[i].1)(value.clone()) {
            return read;
        }
    }
    unknown(value)
}

/// Seconds since the Unix epoch, as Intercom sends timestamps.
pub type UnixTimestamp = i64;

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
/// ```no_run
/// use std::time::Duration;
///
/// // The token comes from `INTERCOM_ACCESS_TOKEN` when `token` is not called.
/// let client = intercom_api::Client::builder()
///     .token("my-access-token")
///     .base_url("https://api.eu.intercom.io") // or `.region(intercom_api::Region::Eu)`
///     .user_agent("my-app/1.0")
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30))
///     .max_retries(3)
///     .build();
/// # drop(client);
/// ```
///
/// # Per-request options
///
/// [`Client::with_options`] returns a cheap clone (the connection pool is
/// shared) whose calls use the given overrides; every operation method is
/// available on it.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use intercom_api::RequestOptions;
/// use std::time::Duration;
///
/// let once = client.with_options(
///     RequestOptions::new()
///         .api_version_str("2.11")
///         .max_retries(0)
///         .timeout(Duration::from_secs(5)),
/// );
/// let page = once.conversations().list().per_page(5).send().await?;
/// # drop(page);
/// # Ok(())
/// # }
/// ```
///
/// # Status and headers of a success
///
/// Wrap any call in [`with_response`] (or call
/// [`ResponseFutureExt::with_response`] on it) to get a [`Response`] with the
/// status, the headers and the number of attempts next to the parsed body.
/// Errors carry the same in [`ApiError`].
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use intercom_api::ResponseFutureExt;
///
/// let response = client.conversations().list().send().with_response().await?;
/// println!("{} after {} attempt(s), request id {:?}", response.status, response.attempts, response.request_id());
/// println!("{} conversations", response.data.conversations.len());
/// # Ok(())
/// # }
/// ```
///
/// # Pagination
///
/// Operations that page with a cursor (`starting_after` in the query, or in
/// `pagination` of the body, and `pages.next.starting_after` in the
/// response) have two more methods on their request builder: `pages()`, a
/// stream of pages, and `items()`, a stream of items. Pages are fetched as
/// they are read. The streams own their request (`'static`), so a function
/// can return one.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use intercom_api::TryStreamExt;
///
/// let mut conversations = client.conversations().list().per_page(50).items();
/// while let Some(conversation) = conversations.try_next().await? {
///     println!("{:?}", conversation.id);
/// }
/// # Ok(())
/// # }
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
    version: Option<String>,
    user_agent: String,
    connect_timeout: Option<Duration>,
    timeout: Duration,
    retry: RetryPolicy,
    /// Wait out an exhausted rate limit before sending (see `ClientBuilder::pace`).
    pace: bool,
    /// The rate limit the last response reported, shared by every clone.
    last_limit: Mutex<Option<RateLimit>>,
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
    /// The environment variable [`Client::from_env`] and
    /// [`ClientBuilder::build`] read the token from.
    pub const TOKEN_ENV_VAR: &'static str = "INTERCOM_ACCESS_TOKEN";

    /// A client for the default server that authenticates with `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self::builder().token(token).build()
    }

    /// A client for the default server with the token in the
    /// `INTERCOM_ACCESS_TOKEN` environment variable.
    ///
    /// Fails when the variable is unset or empty.
    pub fn from_env() -> Result<Self, EnvError> {
        let token = token_from_env().ok_or(EnvError { var: Self::TOKEN_ENV_VAR })?;
        Ok(Self::builder().token(token).build())
    }

    /// Start configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A clone of this client whose calls use `options` (over any options
    /// this client already has). Cheap: the connection pool is shared.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client { config: Arc::clone(&self.config), options: self.options.clone().overridden_by(options) }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The API version sent with requests, if any.
    pub fn api_version(&self) -> Option<&str> {
        self.options.api_version.as_deref().or(self.config.version.as_deref())
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

    /// A clone whose requests get `value` at `path` in their JSON body
    /// (how search pagination sends its cursor).
    pub(crate) fn with_body_cursor(&self, path: &'static [&'static str], value: String) -> Client {
        let mut options = self.options.clone();
        options.body_cursor = Some(BodyCursor { path, value });
        Client { config: Arc::clone(&self.config), options }
    }

    /// Send `request`, retrying as the policy says; any status is returned
    /// as a response, for the operation to interpret.
    pub(crate) async fn execute(&self, mut request: Request) -> Result<RawResponse, Error> {
        if let Some(cursor) = &self.options.body_cursor {
            request.set_body_value(cursor.path, &cursor.value).map_err(Error::InvalidRequest)?;
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
        let response = self.send_with_retries(&request).instrument(span).await;
        if let Ok(raw) = &response {
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
        let Some(RateLimit { remaining: Some(0), reset: Some(reset), .. }) = last else {
            return;
        };
        let wait = reset.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO);
        let wait = wait.min(self.config.retry.max_retry_wait);
        if !wait.is_zero() {
            ::tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limit exhausted; waiting for the window to reset");
            ::tokio::time::sleep(wait).await;
        }
    }

    async fn send_with_retries(&self, request: &Request) -> Result<RawResponse, Error> {
        let policy = &self.config.retry;
        let max_retries = self.options.max_retries.unwrap_or(policy.max_retries);
        let unsafe_ok = self.options.retry_non_idempotent.unwrap_or(policy.retry_non_idempotent);
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
                                ::tracing::debug!(status = response.status, attempt, wait_ms = wait.as_millis() as u64, "retrying after a retryable status");
                                ::tokio::time::sleep(wait).await;
                                continue;
                            }
                            None => {
                                ::tracing::debug!(status = response.status, attempt, "not retrying: the server asks to wait longer than max_retry_wait");
                            }
                        }
                    }
                    response.attempts = attempt;
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
                        ::tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, timeout = error.is_timeout(), "retrying after a connection failure");
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
        let exchange = async {
            let response = self.config.http.execute(built).await?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok::<_, ::reqwest::Error>(RawResponse { status, headers, body: body.to_vec(), attempts: 1 })
        };
        match ::tokio::time::timeout(timeout, exchange).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) if e.is_timeout() => Err(Error::Timeout(Box::new(TimeoutError {
                limit: if e.is_connect() { self.config.connect_timeout } else { None },
                connect: e.is_connect(),
                attempts: 1,
                source: Some(e),
            }))),
            Ok(Err(e)) => Err(Error::Transport(e)),
            Err(_) => Err(Error::Timeout(Box::new(TimeoutError { limit: Some(timeout), connect: false, attempts: 1, source: None }))),
        }
    }

    fn build(&self, request: &Request) -> Result<::reqwest::Request, ::reqwest::Error> {
        let url = format!("{}{}", self.config.base_url, request.path);
        let mut builder = self
            .config
            .http
            .request(request.method.clone(), url)
            .header(::reqwest::header::USER_AGENT, self.config.user_agent.as_str());
        // An operation may take `Accept` as a parameter of its own; then that one is sent.
        if !request.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("accept")) {
            builder = builder.header(::reqwest::header::ACCEPT, request.accept);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(token) = &self.config.token {
            // Marked sensitive by reqwest: left out of its `Debug` output.
            builder = builder.bearer_auth(&token.0);
        }
        if let (Some(header), Some(version)) = (crate::VERSION_HEADER, self.api_version()) {
            builder = builder.header(header, version);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        if !request.cookies.is_empty() {
            let cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
            builder = builder.header(::reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some((content_type, body)) = &request.body {
            builder = builder.header(::reqwest::header::CONTENT_TYPE, content_type.as_str()).body(body.clone());
        }
        builder.build()
    }
}

fn token_from_env() -> Option<String> {
    ::std::env::var(Client::TOKEN_ENV_VAR).ok().filter(|t| !t.trim().is_empty())
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
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<Token>,
    version: Option<String>,
    http: Option<::reqwest::Client>,
    user_agent: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    pace: bool,
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

impl ClientBuilder {
    /// How long establishing a connection may take, by default.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// How long one attempt may take, by default.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// The bearer token to authenticate with. Without it, `build` reads
    /// `INTERCOM_ACCESS_TOKEN`.
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

    /// The `User-Agent` to send (default `intercom-api-rust/<crate version>`).
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

    /// The client.
    ///
    /// # Panics
    ///
    /// Like `reqwest::Client::new`, when no `http_client` was given and the
    /// TLS backend cannot be initialized.
    pub fn build(self) -> Client {
        let connect_timeout = match self.http {
            Some(_) => self.connect_timeout,
            None => Some(self.connect_timeout.unwrap_or(Self::DEFAULT_CONNECT_TIMEOUT)),
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
                base_url: self.base_url.unwrap_or_else(|| crate::DEFAULT_BASE_URL.into()),
                token: self.token.or_else(|| token_from_env().map(Token)),
                version: self.version.or_else(|| crate::DEFAULT_API_VERSION.map(String::from)),
                user_agent: self
                    .user_agent
                    .unwrap_or_else(|| format!("intercom-api-rust/{}", env!("CARGO_PKG_VERSION"))),
                connect_timeout,
                timeout: self.timeout.unwrap_or(Self::DEFAULT_TIMEOUT),
                retry: self.retry,
                pace: self.pace,
                last_limit: Mutex::new(None),
            }),
            options: RequestOptions::default(),
        }
    }
}

/// When and how a request is retried.
///
/// Defaults: 2 retries; backoff from 500 ms doubling up to 20 s, each wait
/// drawn at random between zero and that ceiling ("full jitter"); server
/// waits (`Retry-After`, `X-RateLimit-Reset`) honoured up to 60 s; `POST` and
/// `PATCH` retried only after a 429.
///
/// ```
/// use intercom_api::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::new()
///     .max_retries(4)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(5))
///     .max_retry_wait(Duration::from_secs(30));
/// assert_eq!(policy.get_max_retries(), 4);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_wait: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: Self::DEFAULT_MAX_RETRIES,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
            max_retry_wait: Self::DEFAULT_MAX_RETRY_WAIT,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Retries after the first attempt, by default.
    pub const DEFAULT_MAX_RETRIES: u32 = 2;
    /// The backoff ceiling before the first retry, by default.
    pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
    /// The largest backoff ceiling, by default.
    pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);
    /// The longest server-requested wait that is honoured, by default.
    pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(60);

    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries at all.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// How many times a request is retried after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff ceiling before the first retry; it doubles with each
    /// retry, up to `max_backoff`.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff ceiling.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest wait a server may ask for (`Retry-After`,
    /// `X-RateLimit-Reset`); when it asks for more, the response is returned
    /// without retrying.
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = wait;
        self
    }

    /// Also retry `POST` and `PATCH` after 5xx statuses, connection failures
    /// and timeouts, which may repeat their effect (default: only after 429).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// See [`max_retries`](Self::max_retries).
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// See [`initial_backoff`](Self::initial_backoff).
    pub fn get_initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// See [`max_backoff`](Self::max_backoff).
    pub fn get_max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// See [`max_retry_wait`](Self::max_retry_wait).
    pub fn get_max_retry_wait(&self) -> Duration {
        self.max_retry_wait
    }

    /// See [`retry_non_idempotent`](Self::retry_non_idempotent).
    pub fn get_retry_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The wait before retry number `retry` (from 1): uniform between zero
    /// and `min(max_backoff, initial_backoff * 2^(retry - 1))`.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(20);
        let ceiling = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(::fastrand::u64(0..=nanos))
    }

    /// The wait before retrying after `response`: the server's, if it gives
    /// one (`None` when that is more than `max_retry_wait`), else the backoff.
    fn wait_after(&self, response: &RawResponse, retry: u32, now: SystemTime) -> Option<Duration> {
        let asked = retry_after(&response.headers, now).or_else(|| {
            if response.status == 429 {
                rate_limit_reset(&response.headers, now)
            } else {
                None
            }
        });
        match asked {
            Some(wait) if wait > self.max_retry_wait => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry)),
        }
    }
}

/// `Retry-After`: delay seconds, or an HTTP date (IMF-fixdate).
fn retry_after(headers: &::reqwest::header::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(::reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `X-RateLimit-Reset`: when the rate limit window resets, in Unix seconds.
fn rate_limit_reset(headers: &::reqwest::header::HeaderMap, now: SystemTime) -> Option<Duration> {
    let reset: u64 = headers.get("x-ratelimit-reset")?.to_str().ok()?.trim().parse().ok()?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The rate limit the API reported with a response (`X-RateLimit-Limit`,
/// `-Remaining` and `-Reset`); a field is `None` when its header is absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// When the window resets.
    pub reset: Option<SystemTime>,
}

impl RateLimit {
    /// The rate limit in `headers`.
    pub fn from_headers(headers: &::reqwest::header::HeaderMap) -> Self {
        let number = |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset").and_then(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s))),
        }
    }
}

/// An IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
fn parse_http_date(text: &str) -> Option<SystemTime> {
    let (_weekday, rest) = text.split_once(", ")?;
    let mut parts = rest.split(' ');
    let day: u32 = parts.next()?.parse().ok()?;
    let month: u32 = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let hour: u64 = clock.next()?.parse().ok()?;
    let minute: u64 = clock.next()?.parse().ok()?;
    let second: u64 = clock.next()?.parse().ok()?;
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days since 1970-01-01 in the proleptic Gregorian calendar.
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((i64::from(month) + 9) % 12) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = u64::try_from(era * 146_097 + day_of_era - 719_468).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(days * 86_400 + hour * 3_600 + minute * 60 + second))
}

/// Settings for some calls only, applied with [`Client::with_options`].
/// Whatever is not set comes from the client.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use intercom_api::RequestOptions;
/// use std::time::Duration;
///
/// let quick = client.with_options(RequestOptions::new().max_retries(0).timeout(Duration::from_secs(2)));
/// let conversation = quick.conversations().retrieve("123").send().await?;
/// # drop(conversation);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    api_version: Option<String>,
    max_retries: Option<u32>,
    timeout: Option<Duration>,
    retry_non_idempotent: Option<bool>,
    body_cursor: Option<BodyCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct BodyCursor {
    path: &'static [&'static str],
    value: String,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API version to send (as a raw string; see also `api_version`).
    pub fn api_version_str(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// How many times a failed request is retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// How long one attempt may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Whether `POST` and `PATCH` are retried after 5xx statuses, connection
    /// failures and timeouts (for example when the call is idempotent by
    /// other means).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = Some(retry);
        self
    }

    fn overridden_by(self, other: RequestOptions) -> RequestOptions {
        RequestOptions {
            api_version: other.api_version.or(self.api_version),
            max_retries: other.max_retries.or(self.max_retries),
            timeout: other.timeout.or(self.timeout),
            retry_non_idempotent: other.retry_non_idempotent.or(self.retry_non_idempotent),
            body_cursor: other.body_cursor.or(self.body_cursor),
        }
    }
}

/// A request as the operation describes it, so that each attempt can build
/// it anew.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    method: ::reqwest::Method,
    /// The path template, as in the API description (for tracing).
    template: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(&'static str, String)>,
    body: Option<(String, Vec<u8>)>,
    /// The media type to ask for (`Accept`).
    accept: &'static str,
}

impl Request {
    pub(crate) fn new(method: ::reqwest::Method, template: &'static str, path: impl Into<String>) -> Self {
        Request {
            method,
            template,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: "application/json",
        }
    }

    /// Ask for another media type than JSON (text and file downloads).
    pub(crate) fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// Add a query parameter (see [`push_query`]).
    pub(crate) fn query<T: ::serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        push_query(&mut self.query, name, value)
    }

    /// Add a header parameter; an error for a value a header cannot carry.
    pub(crate) fn header<T: ::serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let text = header_text(name, value)?;
        self.headers.push((name, text));
        Ok(())
    }

    /// Add a cookie parameter (all of them go in one `Cookie` header).
    pub(crate) fn cookie<T: ::serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let text = cookie_text(name, value)?;
        self.cookies.push((name, text));
        Ok(())
    }

    /// Set the body.
    pub(crate) fn body(&mut self, content_type: impl Into<String>, body: Vec<u8>) {
        self.body = Some((content_type.into(), body));
    }

    /// Set `value` at `path` in the JSON body (an empty object if none).
    fn set_body_value(&mut self, path: &[&str], value: &str) -> Result<(), String> {
        let mut json = match &self.body {
            Some((_, bytes)) => ::serde_json::from_slice(bytes).map_err(|e| e.to_string())?,
            None => ::serde_json::Value::Object(::serde_json::Map::new()),
        };
        let mut node = &mut json;
        for key in path {
            if node.is_null() {
                *node = ::serde_json::Value::Object(::serde_json::Map::new());
            }
            let object = node.as_object_mut().ok_or_else(|| format!("the body has no object at `{key}`"))?;
            node = object.entry(key.to_string()).or_insert(::serde_json::Value::Null);
        }
        *node = ::serde_json::Value::String(value.into());
        let content_type = self.body.take().map_or_else(|| "application/json".to_string(), |(c, _)| c);
        self.body = Some((content_type, ::serde_json::to_vec(&json).map_err(|e| e.to_string())?));
        Ok(())
    }
}

/// A response as received: status, headers and body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: ::reqwest::header::HeaderMap,
    pub body: Vec<u8>,
    /// How many attempts it took.
    pub attempts: u32,
}

impl RawResponse {
    pub(crate) fn json<T: ::serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let deserializer = &mut ::serde_json::Deserializer::from_slice(&self.body);
        ::serde_path_to_error::deserialize(deserializer).map_err(|e| {
            Error::Decode(Box::new(DecodeError {
                status: self.status,
                path: e.path().to_string(),
                message: e.inner().to_string(),
                body: truncated(&self.body),
            }))
        })
    }

    pub(crate) fn text(&self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    pub(crate) fn bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.body.clone())
    }

    pub(crate) fn empty(&self) -> Result<(), Error> {
        Ok(())
    }

    /// The API error this non-success response is.
    pub(crate) fn api_error(self) -> Error {
        let list = ErrorList::parse(&self.body);
        let request_id = request_id(&self.headers)
            .map(String::from)
            .or_else(|| list.as_ref().and_then(|l| l.request_id.clone()))
            .or_else(|| {
                ::serde_json::from_slice::<::serde_json::Value>(&self.body)
                    .ok()
                    .and_then(|v| v.get("request_id").and_then(|r| r.as_str()).map(String::from))
            });
        Error::Api(Box::new(ApiError {
            status: self.status,
            request_id,
            headers: self.headers,
            list,
            body: self.body,
            attempts: self.attempts,
        }))
    }
}

fn request_id(headers: &::reqwest::header::HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

const MAX_BODY_IN_ERROR: usize = 4096;

fn truncated(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= MAX_BODY_IN_ERROR {
        return text.into_owned();
    }
    let mut end = MAX_BODY_IN_ERROR;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], body.len())
}

/// What went wrong with a call: one type for every operation, so `?`
/// carries it across calls.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) {
/// use intercom_api::Error;
///
/// match client.conversations().retrieve("123").send().await {
///     Ok(conversation) => println!("{conversation:?}"),
///     Err(Error::Api(e)) if e.status == 404 => println!("no such conversation"),
///     Err(Error::Api(e)) => {
///         for item in e.errors() {
///             println!("{}: {}", item.code.as_deref().unwrap_or("?"), item.message.as_deref().unwrap_or(""));
///         }
///     }
///     Err(Error::Timeout(t)) => println!("timed out after {} attempt(s)", t.attempts),
///     Err(e) => println!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status (after any retries).
    Api(Box<ApiError>),
    /// The request could not be sent or the response not received
    /// (connection refused or reset, DNS, TLS), after any retries.
    Transport(::reqwest::Error),
    /// An attempt took longer than allowed (after any retries).
    Timeout(Box<TimeoutError>),
    /// A success response whose body does not match the documented type.
    Decode(Box<DecodeError>),
    /// The request could not be built, and nothing was sent: a required
    /// parameter or body that was not set; a path value that would change
    /// the route (empty, `.` or `..`); a header, cookie or part header value
    /// with CR, LF or another control character; a value that cannot be
    /// serialized (or a NaN or infinite number). The message names the
    /// parameter or part.
    InvalidRequest(String),
}

impl Error {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Timeout(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Transport(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether the request failed below HTTP (connection, DNS, TLS).
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// The API error, when the API answered with a non-success status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The request id Intercom assigned, when the API answered.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.request_id.as_deref())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "{e}"),
            Error::Transport(e) => {
                // reqwest's own message is general ("error sending request"): add its causes.
                write!(f, "transport error: {e}")?;
                let mut cause = ::std::error::Error::source(e);
                while let Some(c) = cause {
                    write!(f, ": {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::Timeout(e) => write!(f, "{e}"),
            Error::Decode(e) => write!(f, "{e}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
        }
    }
}

impl ::std::error::Error for Error {
    fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Timeout(e) => e.source.as_ref().map(|s| s as &(dyn ::std::error::Error + 'static)),
            _ => None,
        }
    }
}

/// A non-success response from the API.
///
/// Intercom answers errors with an `error.list` body; it is parsed into
/// [`ApiError::list`] whenever the body is one. The body as received is
/// kept in [`ApiError::body`], and [`ApiError::body_as`] reads it as any
/// type (the error model an operation documents, for example).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    pub status: u16,
    /// The request id Intercom assigned, from the headers or the body.
    pub request_id: Option<String>,
    pub headers: ::reqwest::header::HeaderMap,
    /// The `error.list` body, when the body is one.
    pub list: Option<ErrorList>,
    /// The body as received.
    pub body: Vec<u8>,
    /// How many attempts were made.
    pub attempts: u32,
}

/// An Intercom `error.list` body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorList {
    pub request_id: Option<String>,
    pub errors: Vec<ErrorItem>,
}

impl ErrorList {
    /// `body` as an error list: a JSON object of type `error.list`, or one
    /// with an `errors` array.
    fn parse(body: &[u8]) -> Option<ErrorList> {
        let value: ::serde_json::Value = ::serde_json::from_slice(body).ok()?;
        let text = |v: &::serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(String::from);
        let errors = value.get("errors").and_then(|e| e.as_array());
        if value.get("type").and_then(|t| t.as_str()) != Some("error.list") && errors.is_none() {
            return None;
        }
        Some(ErrorList {
            request_id: text(&value, "request_id"),
            errors: errors
                .into_iter()
                .flatten()
                .map(|item| ErrorItem { code: text(item, "code"), message: text(item, "message"), field: text(item, "field") })
                .collect(),
        })
    }
}

/// One entry of an Intercom `error.list` body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorItem {
    /// The error code, such as `not_found` or `parameter_invalid`.
    pub code: Option<String>,
    pub message: Option<String>,
    /// The parameter the error is about, when the API names one.
    pub field: Option<String>,
}

impl ApiError {
    /// The rate limit the API reported with this error.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The entries of the `error.list` body (none when the body is not one).
    pub fn errors(&self) -> &[ErrorItem] {
        self.list.as_ref().map_or(&[], |l| l.errors.as_slice())
    }

    /// The body as text (lossy for bytes that are not UTF-8).
    pub fn body_text(&self) -> ::std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body read as JSON of type `T`, when it is one.
    pub fn body_as<T: ::serde::de::DeserializeOwned>(&self) -> Option<T> {
        ::serde_json::from_slice(&self.body).ok()
    }

    /// A header of the response, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        let errors = self.errors();
        if !errors.is_empty() {
            for (i, e) in errors.iter().enumerate() {
                let sep = if i == 0 { ": " } else { "; " };
                write!(f, "{sep}{}", e.code.as_deref().unwrap_or("error"))?;
                if let Some(message) = &e.message {
                    write!(f, " ({message})")?;
                }
            }
            return Ok(());
        }
        if self.body.is_empty() {
            return Ok(());
        }
        write!(f, ": {}", truncated(&self.body))
    }
}

/// An attempt that took too long.
#[derive(Debug)]
#[non_exhaustive]
pub struct TimeoutError {
    /// The limit that was reached, when known.
    pub limit: Option<Duration>,
    /// Whether it was establishing the connection that took too long.
    pub connect: bool,
    /// How many attempts were made.
    pub attempts: u32,
    /// The HTTP client's error, when it was the one to time out.
    pub source: Option<::reqwest::Error>,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.connect { "timed out connecting" } else { "timed out" })?;
        if let Some(limit) = self.limit {
            write!(f, " after {limit:?}")?;
        }
        write!(f, " ({} attempt{})", self.attempts, if self.attempts == 1 { "" } else { "s" })
    }
}

/// A success response whose body did not match the documented type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    pub status: u16,
    /// Where in the body the mismatch is, e.g. `conversations[3].id`.
    pub path: String,
    pub message: String,
    /// The body as text (truncated to 4 KiB).
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the {} response at `{}`: {}", self.status, self.path, self.message)
    }
}

/// A success, with the status and headers it came with.
///
/// Made by [`with_response`] or [`ResponseFutureExt::with_response`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    pub status: u16,
    pub headers: ::reqwest::header::HeaderMap,
    /// How many attempts it took.
    pub attempts: u32,
    /// The parsed body.
    pub data: T,
}

impl<T> Response<T> {
    /// The rate limit the API reported with this response.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The parsed body.
    pub fn into_inner(self) -> T {
        self.data
    }

    /// A header, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The request id Intercom assigned (`X-Request-Id`).
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

type ResponseSlot = Arc<Mutex<Option<(u16, ::reqwest::header::HeaderMap, u32)>>>;

::std::thread_local! {
    /// Where the response of the call being polled goes, inside `with_response`.
    static RESPONSE_SLOT: RefCell<Option<ResponseSlot>> = const { RefCell::new(None) };
}

/// Record a final response for an enclosing `with_response`, if any.
fn capture(response: &RawResponse) {
    RESPONSE_SLOT.with(|slot| {
        if let Some(slot) = slot.borrow().as_ref() {
            let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
            *guard = Some((response.status, response.headers.clone(), response.attempts));
        }
    });
}

/// Restores the previous slot when a poll ends (even by panic).
struct SlotScope(Option<ResponseSlot>);

impl SlotScope {
    fn enter(slot: ResponseSlot) -> Self {
        SlotScope(RESPONSE_SLOT.with(|s| s.replace(Some(slot))))
    }
}

impl Drop for SlotScope {
    fn drop(&mut self) {
        let previous = self.0.take();
        RESPONSE_SLOT.with(|s| *s.borrow_mut() = previous);
    }
}

/// Run a call and return its result with the status and headers of its
/// response (the last attempt's).
///
/// Works with every operation, and with a client from
/// [`Client::with_options`]:
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let response = intercom_api::with_response(client.conversations().retrieve("123").send()).await?;
/// println!("{} {:?}", response.status, response.header("x-ratelimit-remaining"));
/// let conversation = response.into_inner();
/// # drop(conversation);
/// # Ok(())
/// # }
/// ```
///
/// The response is recorded by the call itself while `future` is polled, so
/// it is exactly this call's, whatever else runs concurrently. A future that
/// makes several calls gets the last one's; one that made none fails with
/// [`Error::InvalidRequest`].
pub fn with_response<F, T>(future: F) -> WithResponse<F>
where
    F: Future<Output = Result<T, Error>>,
{
    WithResponse { future: Box::pin(future), slot: Arc::new(Mutex::new(None)) }
}

/// The future [`with_response`] returns.
#[must_use = "futures do nothing unless polled"]
pub struct WithResponse<F> {
    future: Pin<Box<F>>,
    slot: ResponseSlot,
}

impl<F> fmt::Debug for WithResponse<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithResponse").finish_non_exhaustive()
    }
}

impl<F, T> Future for WithResponse<F>
where
    F: Future<Output = Result<T, Error>>,
{
    type Output = Result<Response<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let result = {
            let _scope = SlotScope::enter(Arc::clone(&this.slot));
            match this.future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => result,
            }
        };
        let recorded = this.slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        Poll::Ready(result.and_then(|data| match recorded {
            Some((status, headers, attempts)) => Ok(Response { status, headers, attempts, data }),
            None => Err(Error::InvalidRequest("with_response: the future made no request".into())),
        }))
    }
}

/// `.with_response()` on any call: see [`with_response`].
pub trait ResponseFutureExt<T>: Future<Output = Result<T, Error>> + Sized {
    /// The call's result with the status and headers of its response.
    fn with_response(self) -> WithResponse<Self> {
        with_response(self)
    }
}

impl<F, T> ResponseFutureExt<T> for F where F: Future<Output = Result<T, Error>> {}

/// The pages of a cursor-paginated operation: `fetch(cursor)` gets a page,
/// `next_cursor` reads the cursor of the page after it. Stops after a page
/// without a cursor, or whose cursor was already used (the API would send
/// the same pages again), and after the first error.
pub(crate) fn paginate<'a, P, F, Fut, N>(start: Option<String>, fetch: F, next_cursor: N) -> BoxStream<'a, Result<P, Error>>
where
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
    N: Fn(&P) -> Option<String> + Send + 'a,
    P: Send + 'a,
{
    struct State<F, N> {
        fetch: F,
        next_cursor: N,
        cursor: Option<String>,
        seen: ::std::collections::HashSet<String>,
        done: bool,
    }
    let seen = start.iter().cloned().collect();
    let state = State { fetch, next_cursor, cursor: start, seen, done: false };
    stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let result = (state.fetch)(state.cursor.take()).await;
        match &result {
            Ok(page) => match (state.next_cursor)(page).filter(|c| !c.is_empty()) {
                Some(cursor) if state.seen.insert(cursor.clone()) => state.cursor = Some(cursor),
                Some(_) => {
                    ::tracing::warn!("the API sent a cursor it had sent before; stopping the pagination");
                    state.done = true;
                }
                None => state.done = true,
            },
            Err(_) => state.done = true,
        }
        Some((result, state))
    })
    .boxed()
}

/// The items of each page, one by one.
pub(crate) fn items<'a, P, I, F>(pages: BoxStream<'a, Result<P, Error>>, of_page: F) -> BoxStream<'a, Result<I, Error>>
where
    F: Fn(P) -> Vec<I> + Send + 'a,
    P: Send + 'a,
    I: Send + 'a,
{
    pages.map_ok(move |page| stream::iter(of_page(page).into_iter().map(Ok))).try_flatten().boxed()
}

/// A file to upload (a `format: binary` property of a `multipart/form-data`
/// body, or a binary body): its bytes, and optionally the file name and
/// media type sent with them.
///
/// ```
/// let part = intercom_api::FilePart::new(b"hello".to_vec())
///     .file_name("hello.txt")
///     .content_type("text/plain");
/// assert_eq!(part.bytes, b"hello");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FilePart {
    pub bytes: Vec<u8>,
    /// Sent as the part's `filename` (default: `file`).
    pub file_name: Option<String>,
    /// Sent as the part's `Content-Type` (default: `application/octet-stream`).
    pub content_type: Option<String>,
}

impl FilePart {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&[u8]> for FilePart {
    fn from(bytes: &[u8]) -> Self {
        FilePart::new(bytes)
    }
}

/// In a JSON body or response, a binary property is its text.
impl ::serde::Serialize for FilePart {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> ::serde::Deserialize<'de> for FilePart {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <String as ::serde::Deserialize>::deserialize(deserializer)?;
        Ok(FilePart::new(text.into_bytes()))
    }
}

/// A `multipart/form-data` body, part by part (RFC 7578, with names and file
/// names escaped as browsers do: `"` as `%22`, CR as `%0D`, LF as `%0A`, so
/// no name can end its header line or start another; other characters,
/// non-ASCII ones included, are sent as UTF-8).
pub(crate) struct Multipart {
    boundary: String,
    bytes: Vec<u8>,
}

/// A part's name or file name, escaped for its quoted header parameter.
fn part_name(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

impl Multipart {
    pub(crate) fn new() -> Self {
        let boundary = format!("intercom-{:016x}{:016x}", ::fastrand::u64(..), ::fastrand::u64(..));
        Multipart { boundary, bytes: Vec::new() }
    }

    fn head(&mut self, name: &str, file: Option<&FilePart>) -> Result<(), Error> {
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, part_name(name));
        if let Some(file) = file {
            let file_name = part_name(file.file_name.as_deref().unwrap_or("file"));
            let media = file.content_type.as_deref().unwrap_or("application/octet-stream");
            header_safe(&format!("the content type of part `{name}`"), media)?;
            head.push_str(&format!("; filename=\"{file_name}\"\r\nContent-Type: {media}"));
        }
        head.push_str("\r\n\r\n");
        self.bytes.extend_from_slice(head.as_bytes());
        Ok(())
    }

    /// A text part per value: scalars as text, arrays one part per item,
    /// objects as JSON; a null (absent) value adds none.
    pub(crate) fn text<T: ::serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let value = ::serde_json::to_value(value).map_err(|e| Error::InvalidRequest(format!("part `{name}`: the value cannot be serialized: {e}")))?;
        for text in form_texts(&value) {
            self.head(name, None)?;
            self.bytes.extend_from_slice(text.as_bytes());
            self.bytes.extend_from_slice(b"\r\n");
        }
        Ok(())
    }

    /// A file part.
    pub(crate) fn file(&mut self, name: &str, file: &FilePart) -> Result<(), Error> {
        self.head(name, Some(file))?;
        self.bytes.extend_from_slice(&file.bytes);
        self.bytes.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// Every top-level property of `value` as a text part (for a body that is not a struct).
    pub(crate) fn properties<T: ::serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match ::serde_json::to_value(value) {
            Ok(::serde_json::Value::Object(map)) => {
                for (name, item) in &map {
                    self.text(name, item)?;
                }
                Ok(())
            }
            Ok(_) => Err(Error::InvalidRequest("a multipart body must be an object".into())),
            Err(e) => Err(Error::InvalidRequest(format!("the multipart body cannot be serialized: {e}"))),
        }
    }

    /// The content type (with the boundary) and the bytes.
    pub(crate) fn finish(mut self) -> (String, Vec<u8>) {
        self.bytes.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.bytes)
    }
}

/// An `application/x-www-form-urlencoded` body: each top-level property
/// (arrays as repeated keys, objects as JSON), names and values
/// percent-encoded but for RFC 3986's unreserved characters, so no value
/// can add a field.
pub(crate) fn body_form<T: ::serde::Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, Error> {
    let value = ::serde_json::to_value(body).map_err(|e| Error::InvalidRequest(format!("the form body cannot be serialized: {e}")))?;
    let ::serde_json::Value::Object(map) = value else {
        return Err(Error::InvalidRequest("a form body must be an object".into()));
    };
    let mut pairs: Vec<String> = Vec::new();
    for (name, item) in &map {
        for text in form_texts(item) {
            pairs.push(format!("{}={}", percent_encode(name, unreserved), percent_encode(&text, unreserved)));
        }
    }
    Ok(pairs.join("&").into_bytes())
}

/// A form field's values as text: an array one per item, an object as
/// JSON, a scalar as [`scalar_text`] writes it; nulls are left out.
fn form_texts(value: &::serde_json::Value) -> Vec<String> {
    let items = match value {
        ::serde_json::Value::Array(items) => items.as_slice(),
        other => ::std::slice::from_ref(other),
    };
    items
        .iter()
        .filter_map(|item| match item {
            ::serde_json::Value::Object(_) => Some(item.to_string()),
            other => scalar_text(other),
        })
        .collect()
}

/// A required parameter or body of a request builder, or the error that
/// says it was not set (before anything is sent).
pub(crate) fn required<T>(value: Option<T>, operation: &str, what: &str) -> Result<T, Error> {
    value.ok_or_else(|| Error::InvalidRequest(format!("{operation}: {what} is required and was not set")))
}

/// Serialize a request body.
pub(crate) fn body_json<T: ::serde::Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, Error> {
    ::serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(e.to_string()))
}

/// A value that can be a path parameter: a string or an integer, whatever
/// the API description declares for that parameter (its docs say which), so
/// an id read from one operation can be passed to another as it is.
///
/// Each value becomes exactly one path segment: every byte other than
/// `A`–`Z`, `a`–`z`, `0`–`9`, `-`, `.`, `_` and `~` is percent-encoded (so
/// `/`, `?`, `#` and `%` cannot change the route), and an empty value, `.`
/// or `..` is refused with [`Error::InvalidRequest`] before anything is
/// sent, since URL parsers would turn it into another route.
///
/// ```
/// use intercom_api::PathValue;
///
/// assert_eq!("123".to_path_value(), "123");
/// assert_eq!(123_i64.to_path_value(), "123");
/// assert_eq!(String::from("a/b").to_path_value(), "a/b"); // encoded when sent
/// ```
pub trait PathValue {
    /// The value as text, before it is percent-encoded.
    fn to_path_value(&self) -> String;
}

impl PathValue for str {
    fn to_path_value(&self) -> String {
        self.to_owned()
    }
}

impl PathValue for String {
    fn to_path_value(&self) -> String {
        self.clone()
    }
}

impl PathValue for ::std::borrow::Cow<'_, str> {
    fn to_path_value(&self) -> String {
        self.to_string()
    }
}

impl<T: PathValue + ?Sized> PathValue for &T {
    fn to_path_value(&self) -> String {
        (**self).to_path_value()
    }
}

impl<T: PathValue + ?Sized> PathValue for Box<T> {
    fn to_path_value(&self) -> String {
        (**self).to_path_value()
    }
}

impl<T: PathValue + ?Sized> PathValue for Arc<T> {
    fn to_path_value(&self) -> String {
        (**self).to_path_value()
    }
}

macro_rules! integer_path_values {
    ($($t:ty),*) => {$(
        impl PathValue for $t {
            fn to_path_value(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

integer_path_values!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// Percent-encode every byte of `text` that `keep` does not keep.
fn percent_encode(text: &str, keep: fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if keep(byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// RFC 3986's unreserved characters: the only bytes a path segment or a
/// form field keeps as they are.
fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// A value as text for `what` (a parameter, a part): strings bare, numbers
/// and booleans as JSON; an error when it does not serialize or has no
/// value (a NaN or infinite number serializes as `null`).
fn value_text<T: ::serde::Serialize + ?Sized>(what: &str, value: &T) -> Result<::serde_json::Value, Error> {
    let value = ::serde_json::to_value(value).map_err(|e| Error::InvalidRequest(format!("{what}: the value cannot be serialized: {e}")))?;
    if value.is_null() {
        return Err(Error::InvalidRequest(format!("{what}: the value is null (a NaN or infinite number?) and cannot be sent")));
    }
    Ok(value)
}

/// Path parameter `name`'s value as one percent-encoded segment; an error
/// for a value that does not serialize, is not a scalar, or is empty, `.`
/// or `..` (see [`PathValue`]).
pub(crate) fn path_segment<T: ::serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    let what = format!("path parameter `{name}`");
    let text = match value_text(&what, value)? {
        ::serde_json::Value::String(s) => s,
        ::serde_json::Value::Array(_) | ::serde_json::Value::Object(_) => {
            return Err(Error::InvalidRequest(format!("{what}: a list or an object cannot be one path segment")));
        }
        other => other.to_string(),
    };
    if matches!(text.as_str(), "" | "." | "..") {
        return Err(Error::InvalidRequest(format!("{what}: {text:?} would change the route (an empty value, `.` and `..` are refused)")));
    }
    Ok(percent_encode(&text, unreserved))
}

/// Refuse text that would end a header line or start another (CR, LF, NUL
/// and the other control characters but tab).
fn header_safe(what: &str, text: &str) -> Result<(), Error> {
    match text.chars().find(|c| c.is_ascii_control() && *c != '\t') {
        Some(c) => Err(Error::InvalidRequest(format!("{what}: the value holds the control character {c:?}, which a header cannot carry"))),
        None => Ok(()),
    }
}

/// A header parameter's value (`simple` style: a list comma-separated).
fn header_text<T: ::serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    let what = format!("header `{name}`");
    let text = match value_text(&what, value)? {
        ::serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(&other).unwrap_or_default(),
    };
    header_safe(&what, &text)?;
    Ok(text)
}

/// A cookie's value: bytes a cookie cannot hold (RFC 6265's `cookie-octet`
/// excludes controls, space, `"`, `,`, `;` and `\`) percent-encoded, and `%`
/// with them.
fn cookie_text<T: ::serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    let what = format!("cookie `{name}`");
    let text = match value_text(&what, value)? {
        ::serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(&other).unwrap_or_default(),
    };
    Ok(percent_encode(&text, |b| b.is_ascii_graphic() && !matches!(b, b'"' | b',' | b';' | b'\\' | b'%')))
}

/// Add a parameter to a query: scalars as text, arrays as repeated keys,
/// objects as one pair per property (`form` style, exploded); null members
/// of an object are left out (absent fields). The query string is encoded
/// when the request is built, so no value can add a parameter.
pub(crate) fn push_query<T: ::serde::Serialize + ?Sized>(pairs: &mut Vec<(String, String)>, name: &str, value: &T) -> Result<(), Error> {
    match value_text(&format!("query parameter `{name}`"), value)? {
        ::serde_json::Value::Array(items) => {
            for item in items {
                if let Some(text) = scalar_text(&item) {
                    pairs.push((name.into(), text));
                }
            }
        }
        ::serde_json::Value::Object(map) => {
            for (key, item) in map {
                if let Some(text) = scalar_text(&item) {
                    pairs.push((key, text));
                }
            }
        }
        other => pairs.extend(scalar_text(&other).map(|text| (name.into(), text))),
    }
    Ok(())
}

/// A value as it goes in a query, header or form field: strings bare, the
/// rest as JSON; `None` for null (an absent value).
pub(crate) fn scalar_text(value: &::serde_json::Value) -> Option<String> {
    match value {
        ::serde_json::Value::Null => None,
        ::serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
