//! The HTTP runtime every generated operation goes through: configuration,
//! sending, and turning responses into typed results or errors.

use ::std::fmt;
use ::std::string::String;
use ::std::vec::Vec;

/// Seconds since the Unix epoch, as Intercom sends timestamps.
pub type UnixTimestamp = i64;

/// An Intercom API client.
///
/// Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    http: ::reqwest::Client,
    base_url: String,
    token: ::std::option::Option<String>,
    version: ::std::option::Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("version", &self.version)
            .finish()
    }
}

impl Client {
    /// A client for the default server that authenticates with `token`.
    pub fn new(token: impl ::std::convert::Into<String>) -> Self {
        Self::builder().token(token).build()
    }

    /// Start configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The API version sent with every request, if any.
    pub fn api_version(&self) -> ::std::option::Option<&str> {
        self.version.as_deref()
    }

    pub(crate) fn request(&self, method: ::reqwest::Method, path: &str) -> ::reqwest::RequestBuilder {
        let mut request = self.http.request(method, format!("{}{}", self.base_url, path));
        if let ::std::option::Option::Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let (::std::option::Option::Some(header), ::std::option::Option::Some(version)) =
            (crate::VERSION_HEADER, &self.version)
        {
            request = request.header(header, version.as_str());
        }
        request.header(::reqwest::header::ACCEPT, "application/json")
    }

    pub(crate) async fn execute<E>(&self, request: ::reqwest::RequestBuilder) -> ::std::result::Result<RawResponse, Error<E>> {
        let response = request.send().await.map_err(Error::Transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        ::std::result::Result::Ok(RawResponse { status, headers, body: body.to_vec() })
    }
}

/// Configuration for a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: ::std::option::Option<String>,
    token: ::std::option::Option<String>,
    version: ::std::option::Option<String>,
    http: ::std::option::Option<::reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("version", &self.version)
            .finish()
    }
}

impl ClientBuilder {
    /// The bearer token to authenticate with.
    pub fn token(mut self, token: impl ::std::convert::Into<String>) -> Self {
        self.token = ::std::option::Option::Some(token.into());
        self
    }

    /// Send requests to this base URL instead of the default server.
    pub fn base_url(mut self, url: impl ::std::convert::Into<String>) -> Self {
        self.base_url = ::std::option::Option::Some(url.into().trim_end_matches('/').into());
        self
    }

    /// The API version to send (as a raw string; see also `api_version`).
    pub fn api_version_str(mut self, version: impl ::std::convert::Into<String>) -> Self {
        self.version = ::std::option::Option::Some(version.into());
        self
    }

    /// Use this `reqwest::Client` (for its timeouts, proxies, TLS settings).
    pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
        self.http = ::std::option::Option::Some(http);
        self
    }

    pub fn build(self) -> Client {
        Client {
            http: self.http.unwrap_or_default(),
            base_url: self.base_url.unwrap_or_else(|| crate::DEFAULT_BASE_URL.into()),
            token: self.token,
            version: self.version.or_else(|| crate::DEFAULT_API_VERSION.map(String::from)),
        }
    }
}

/// A response as received: status, headers and body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: ::reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub(crate) fn json<T: ::serde::de::DeserializeOwned, E>(&self) -> ::std::result::Result<T, Error<E>> {
        let deserializer = &mut ::serde_json::Deserializer::from_slice(&self.body);
        ::serde_path_to_error::deserialize(deserializer).map_err(|e| {
            Error::Decode(::std::boxed::Box::new(DecodeError {
                status: self.status,
                path: e.path().to_string(),
                message: e.inner().to_string(),
                body: truncated(&self.body),
            }))
        })
    }

    pub(crate) fn text<E>(&self) -> ::std::result::Result<String, Error<E>> {
        ::std::result::Result::Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    pub(crate) fn bytes<E>(&self) -> ::std::result::Result<Vec<u8>, Error<E>> {
        ::std::result::Result::Ok(self.body.clone())
    }

    pub(crate) fn empty<E>(&self) -> ::std::result::Result<(), Error<E>> {
        ::std::result::Result::Ok(())
    }

    /// An API error, its body parsed by `parse` when it can be.
    pub(crate) fn api_error<E>(self, parse: impl FnOnce(&[u8]) -> ::std::option::Option<E>) -> Error<E> {
        let body = parse(&self.body);
        let request_id = self
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(String::from)
            .or_else(|| {
                ::serde_json::from_slice::<::serde_json::Value>(&self.body)
                    .ok()
                    .and_then(|v| v.get("request_id").and_then(|r| r.as_str()).map(String::from))
            });
        Error::Api(::std::boxed::Box::new(ApiError { status: self.status, body, request_id, headers: self.headers, raw: truncated(&self.body) }))
    }
}

/// Parse a JSON error body as `T`, if it is one.
pub(crate) fn parse_json<T: ::serde::de::DeserializeOwned>(body: &[u8]) -> ::std::option::Option<T> {
    ::serde_json::from_slice(body).ok()
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

/// What went wrong with a call.
///
/// `E` is the operation's error body type: what the API documents it sends
/// with a non-success status.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ::serde_json::Value> {
    /// The API answered with a non-success status.
    Api(::std::boxed::Box<ApiError<E>>),
    /// The request could not be sent or the response not received
    /// (connection, TLS, timeout).
    Transport(::reqwest::Error),
    /// A success response whose body does not match the documented type.
    Decode(::std::boxed::Box<DecodeError>),
    /// The request could not be built (for example, a body that cannot be serialized).
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> ::std::option::Option<u16> {
        match self {
            Error::Api(e) => ::std::option::Option::Some(e.status),
            Error::Decode(e) => ::std::option::Option::Some(e.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidRequest(_) => ::std::option::Option::None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "the API answered {}", e.status)?;
                if let ::std::option::Option::Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                match &e.body {
                    ::std::option::Option::Some(body) => write!(f, ": {body:?}"),
                    ::std::option::Option::None => write!(f, ": {}", e.raw),
                }
            }
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Decode(e) => write!(f, "{e}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
        }
    }
}

impl<E: fmt::Debug> ::std::error::Error for Error<E> {
    fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => ::std::option::Option::Some(e),
            _ => ::std::option::Option::None,
        }
    }
}

/// A non-success response from the API.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError<E> {
    pub status: u16,
    /// The body, parsed as the type the API documents for this status.
    pub body: ::std::option::Option<E>,
    /// The request id Intercom assigned, from the headers or the body.
    pub request_id: ::std::option::Option<String>,
    pub headers: ::reqwest::header::HeaderMap,
    /// The body as text (truncated to 4 KiB).
    pub raw: String,
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

/// Serialize a request body.
pub(crate) fn body_json<T: ::serde::Serialize, E>(body: &T) -> ::std::result::Result<Vec<u8>, Error<E>> {
    ::serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(e.to_string()))
}

/// Add a parameter to a query: scalars as text, arrays as repeated keys,
/// objects as one pair per property (`form` style, exploded); nulls are left out.
pub(crate) fn push_query<T: ::serde::Serialize>(pairs: &mut Vec<(String, String)>, name: &str, value: &T) {
    match ::serde_json::to_value(value) {
        ::std::result::Result::Ok(::serde_json::Value::Array(items)) => {
            for item in items {
                if let ::std::option::Option::Some(text) = scalar_text(&item) {
                    pairs.push((name.into(), text));
                }
            }
        }
        ::std::result::Result::Ok(::serde_json::Value::Object(map)) => {
            for (key, item) in map {
                if let ::std::option::Option::Some(text) = scalar_text(&item) {
                    pairs.push((key, text));
                }
            }
        }
        ::std::result::Result::Ok(other) => {
            if let ::std::option::Option::Some(text) = scalar_text(&other) {
                pairs.push((name.into(), text));
            }
        }
        ::std::result::Result::Err(_) => {}
    }
}

/// A value as it goes in a path, query or header: strings bare, the rest as JSON.
pub(crate) fn scalar_text(value: &::serde_json::Value) -> ::std::option::Option<String> {
    match value {
        ::serde_json::Value::Null => ::std::option::Option::None,
        ::serde_json::Value::String(s) => ::std::option::Option::Some(s.clone()),
        other => ::std::option::Option::Some(other.to_string()),
    }
}

/// A value as one percent-encoded path segment.
pub(crate) fn path_segment<T: ::serde::Serialize>(value: &T) -> String {
    let text = ::serde_json::to_value(value).ok().and_then(|v| scalar_text(&v)).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Add a header parameter.
pub(crate) fn push_header<T: ::serde::Serialize>(
    request: ::reqwest::RequestBuilder,
    name: &str,
    value: &T,
) -> ::reqwest::RequestBuilder {
    match ::serde_json::to_value(value).ok().and_then(|v| scalar_text(&v)) {
        ::std::option::Option::Some(text) => request.header(name, text),
        ::std::option::Option::None => request,
    }
}
