//! The one error type every call returns, and what it carries.

use ::std::fmt;
use ::std::time::Duration;

use super::*;

/// What went wrong with a call: one type for every operation, so `?`
/// carries it across calls.
///
/// ```
/// use intercom_api::Error;
///
/// // `result` is what any operation's `send().await` returns.
/// fn explain<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
///     match result {
///         Ok(value) => format!("{value:?}"),
///         Err(Error::Api(e)) if e.status == 404 => "not found".to_string(),
///         Err(Error::Api(e)) => e
///             .errors()
///             .iter()
///             .map(|item| format!("{}: {}", item.code.as_deref().unwrap_or("?"), item.message.as_deref().unwrap_or("")))
///             .collect::<Vec<_>>()
///             .join("; "),
///         Err(Error::Timeout(t)) => format!("timed out after {} attempt(s)", t.attempts),
///         Err(e) => e.to_string(),
///     }
/// }
///
/// let refused: Result<(), Error> = Err(Error::InvalidRequest("listThings: parameter `q` is required and was not set".into()));
/// assert_eq!(explain(refused), "invalid request: listThings: parameter `q` is required and was not set");
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
    /// A walk over a list's pages could not go on: the API sent a
    /// continuation a second time (the pages would repeat), or a page of a
    /// scroll failed (a scroll cannot be resumed). The pages before it were
    /// returned.
    Pagination(Box<PaginationError>),
    /// The request could not be built, and nothing was sent: a required
    /// parameter or body that was not set; a path value that would change
    /// the route (empty, `.` or `..`); a header, cookie or part header value
    /// with CR, LF or another control character; a value that cannot be
    /// serialized (or a NaN or infinite number). The message names the
    /// parameter or part.
    InvalidRequest(String),
}

impl Error {
    /// The error an API answer of `status` with one error `code` and
    /// `message` gives (an `error.list` body), as the client would return
    /// it: for tests of code that handles errors, and for a mock's
    /// `fails`.
    ///
    /// ```
    /// let error = intercom_api::Error::api(404, "not_found", "Resource Not Found");
    /// assert_eq!(error.status(), Some(404));
    /// let api = error.api_error().unwrap();
    /// assert_eq!(api.errors()[0].code.as_deref(), Some("not_found"));
    /// assert_eq!(error.to_string(), "the API answered 404: not_found (Resource Not Found)");
    /// ```
    pub fn api(status: u16, code: &str, message: &str) -> Error {
        let body = ::serde_json::json!({
            "type": "error.list",
            "request_id": null,
            "errors": [{"code": code, "message": message}],
        });
        let body = ::serde_json::to_vec(&body).unwrap_or_default();
        Error::Api(Box::new(ApiError {
            status,
            request_id: None,
            headers: ::reqwest::header::HeaderMap::new(),
            list: ErrorList::parse(&body),
            body,
            attempts: 1,
        }))
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Pagination(e) => e.source.as_ref().and_then(Error::status),
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

    /// The body that could not be read, when that is what went wrong.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }

    /// The request id Intercom assigned, when the API answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
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
            Error::Pagination(e) => write!(f, "pagination: {}", e.message),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
        }
    }
}

impl ::std::error::Error for Error {
    fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Timeout(e) => e
                .source
                .as_ref()
                .map(|s| s as &(dyn ::std::error::Error + 'static)),
            Error::Pagination(e) => e
                .source
                .as_ref()
                .map(|s| s as &(dyn ::std::error::Error + 'static)),
            _ => None,
        }
    }
}

/// Why a walk over a list's pages stopped with an error.
#[derive(Debug)]
#[non_exhaustive]
pub struct PaginationError {
    pub message: String,
    /// The error of the page that failed, for a scroll.
    pub source: Option<Error>,
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
    pub(crate) fn parse(body: &[u8]) -> Option<ErrorList> {
        let value: ::serde_json::Value = ::serde_json::from_slice(body).ok()?;
        let text = |v: &::serde_json::Value, key: &str| {
            v.get(key).and_then(|x| x.as_str()).map(String::from)
        };
        let errors = value.get("errors").and_then(|e| e.as_array());
        if value.get("type").and_then(|t| t.as_str()) != Some("error.list") && errors.is_none() {
            return None;
        }
        Some(ErrorList {
            request_id: text(&value, "request_id"),
            errors: errors
                .into_iter()
                .flatten()
                .map(|item| ErrorItem {
                    code: text(item, "code"),
                    message: text(item, "message"),
                    field: text(item, "field"),
                })
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
        f.write_str(if self.connect {
            "timed out connecting"
        } else {
            "timed out"
        })?;
        if let Some(limit) = self.limit {
            write!(f, " after {limit:?}")?;
        }
        write!(
            f,
            " ({} attempt{})",
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

/// A success response whose body could not be read as its documented type,
/// even with corrections (docs/decoding.md), or differed from it in a
/// strict call. It keeps the whole answer: nothing of what arrived is lost.
///
/// ```
/// use intercom_api::{serde_json, DecodeError};
///
/// // As a test of your own code would build one.
/// let error = DecodeError::new(200, "the body", "expected an object", br#"["a"]"#.to_vec())
///     .request_id("req-1");
/// assert_eq!(error.to_string(), "cannot read the 200 response (the body): expected an object");
/// assert_eq!(error.body_json(), Some(serde_json::json!(["a"])));
/// assert_eq!(error.body_as::<Vec<String>>().unwrap(), ["a"]);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    pub status: u16,
    /// Where in the body the first difference is, e.g.
    /// `conversations[3].id`, or `the body` for the body itself.
    pub path: String,
    pub message: String,
    /// The body as received, whole.
    pub body: Vec<u8>,
    /// The request id Intercom assigned (`X-Request-Id`), when it sent one.
    pub request_id: Option<String>,
    /// The headers of the response.
    pub headers: ::reqwest::header::HeaderMap,
    /// For an item of a page that could not be read (`items()`,
    /// `Page::unread`): its index in the page's list as it arrived; `body`
    /// is then the item, as it arrived, and `path` is where in the page.
    pub item: Option<usize>,
}

impl DecodeError {
    /// An error of a body that could not be read (for tests of code that
    /// handles one): no request id, no headers.
    pub fn new(
        status: u16,
        path: impl Into<String>,
        message: impl Into<String>,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        DecodeError {
            status,
            path: path.into(),
            message: message.into(),
            body: body.into(),
            request_id: None,
            headers: ::reqwest::header::HeaderMap::new(),
            item: None,
        }
    }

    /// Of the item at this index of a page's list (`body` is the item).
    pub fn item(mut self, index: usize) -> Self {
        self.item = Some(index);
        self
    }

    /// With this request id.
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// With these response headers.
    pub fn headers(mut self, headers: ::reqwest::header::HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// The body as text (lossy for bytes that are not UTF-8).
    pub fn body_text(&self) -> ::std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body as a JSON value, when it is JSON.
    pub fn body_json(&self) -> Option<::serde_json::Value> {
        ::serde_json::from_slice(&self.body).ok()
    }

    /// The body read as any `T`: a type of your own, or a model read
    /// another way.
    pub fn body_as<T: ::serde::de::DeserializeOwned>(&self) -> Result<T, ::serde_json::Error> {
        ::serde_json::from_slice(&self.body)
    }

    /// A header of the response, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message.lines().next().unwrap_or_default();
        if let Some(index) = self.item {
            write!(
                f,
                "cannot read item {index} of a page (the {} response) at `{}`: {message}",
                self.status, self.path
            )
        } else if self.path == ROOT {
            write!(
                f,
                "cannot read the {} response ({}): {message}",
                self.status, self.path
            )
        } else {
            write!(
                f,
                "cannot read the {} response at `{}`: {message}",
                self.status, self.path
            )
        }
    }
}

/// How a path names the body itself.
pub(crate) const ROOT: &str = "the body";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_list_is_read() {
        let body = br#"{"type":"error.list","request_id":"r1","errors":[{"code":"not_found","message":"Gone","field":"id"}]}"#;
        let list = ErrorList::parse(body).unwrap();
        assert_eq!(list.request_id.as_deref(), Some("r1"));
        assert_eq!(list.errors[0].code.as_deref(), Some("not_found"));
        assert_eq!(list.errors[0].field.as_deref(), Some("id"));
        assert_eq!(
            ErrorList::parse(br#"{"errors":[]}"#).map(|l| l.errors.len()),
            Some(0)
        );
        assert_eq!(ErrorList::parse(br#"{"type":"conversation"}"#), None);
        assert_eq!(ErrorList::parse(b"<html>"), None);
    }

    #[test]
    fn an_invalid_request_says_why() {
        let e = Error::InvalidRequest("path parameter `id`: \"..\" would change the route".into());
        assert_eq!(
            e.to_string(),
            "invalid request: path parameter `id`: \"..\" would change the route"
        );
        assert_eq!(e.status(), None);
        assert!(!e.is_transport() && !e.is_timeout());
    }
}
