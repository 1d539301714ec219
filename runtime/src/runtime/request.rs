//! A request as an operation describes it, and a response as received.

use super::*;

/// A request as the operation describes it, so that each attempt can build
/// it anew.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: ::reqwest::Method,
    /// The path template, as in the API description (for tracing).
    pub(crate) template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    /// Headers from `RequestOptions::header` (checked when added).
    pub(crate) extra_headers: Vec<(String, String)>,
    pub(crate) body: Option<(String, Vec<u8>)>,
    /// The media type to ask for (`Accept`).
    pub(crate) accept: &'static str,
}

impl Request {
    pub(crate) fn new(
        method: ::reqwest::Method,
        template: &'static str,
        path: impl Into<String>,
    ) -> Self {
        Request {
            method,
            template,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            extra_headers: Vec::new(),
            body: None,
            accept: "application/json",
        }
    }

    /// Ask for another media type than JSON (text and file downloads).
    #[cfg(feature = "needs-accept")]
    pub(crate) fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// Add a query parameter (see [`push_query`]).
    #[cfg(feature = "needs-query-param")]
    pub(crate) fn query<T: ::serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        push_query(&mut self.query, name, value)
    }

    /// Add a header parameter; an error for a value a header cannot carry.
    #[cfg(feature = "needs-header-param")]
    pub(crate) fn header<T: ::serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let text = header_text(name, value)?;
        self.headers.push((name, text));
        Ok(())
    }

    /// Add a cookie parameter (all of them go in one `Cookie` header).
    #[cfg(feature = "needs-cookie-param")]
    pub(crate) fn cookie<T: ::serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let text = cookie_text(name, value)?;
        self.cookies.push((name, text));
        Ok(())
    }

    /// Set the body.
    #[cfg(feature = "needs-body")]
    pub(crate) fn body(&mut self, content_type: impl Into<String>, body: Vec<u8>) {
        self.body = Some((content_type.into(), body));
    }

    /// Set `value` at `path` in the JSON body (an empty object if none).
    pub(crate) fn set_body_value(
        &mut self,
        path: &[&str],
        value: ::serde_json::Value,
    ) -> Result<(), String> {
        let mut json = match &self.body {
            Some((_, bytes)) => ::serde_json::from_slice(bytes).map_err(|e| e.to_string())?,
            None => ::serde_json::Value::Object(::serde_json::Map::new()),
        };
        let mut node = &mut json;
        for key in path {
            if node.is_null() {
                *node = ::serde_json::Value::Object(::serde_json::Map::new());
            }
            let object = node
                .as_object_mut()
                .ok_or_else(|| format!("the body has no object at `{key}`"))?;
            node = object
                .entry(key.to_string())
                .or_insert(::serde_json::Value::Null);
        }
        *node = value;
        let content_type = self
            .body
            .take()
            .map_or_else(|| "application/json".to_string(), |(c, _)| c);
        self.body = Some((
            content_type,
            ::serde_json::to_vec(&json).map_err(|e| e.to_string())?,
        ));
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
    /// Whether a body that differs from its description fails the call
    /// instead of being read with corrections (`ClientBuilder::strict`).
    pub strict: bool,
    /// The step of a walk over a list's pages this is a page of: its items
    /// are read one by one when the page cannot be read whole.
    #[cfg(feature = "needs-paging")]
    pub(crate) step: Option<Step>,
}

impl RawResponse {
    /// The body read as a `T` (docs/decoding.md): tolerantly unless the
    /// call is strict; the corrections go to an enclosing `with_response`.
    #[cfg(feature = "needs-json-response")]
    pub(crate) fn json<T: ::serde::de::DeserializeOwned + Described>(&self) -> Result<T, Error> {
        let mut slot = None;
        self.read_json(T::node(), &mut into_slot(&mut slot))?;
        taken(slot).map_err(|e| self.decode_failure(&e))
    }

    /// What [`json`](Self::json) does, with its type's decoder (compiled
    /// once, not per type): a page of a list is read so that an item that
    /// cannot be read is left out, and its step records it.
    #[cfg(feature = "needs-json-response")]
    fn read_json(&self, node: Declared, read: &mut ReadText<'_>) -> Result<(), Error> {
        #[cfg(feature = "needs-paging")]
        if let Some(step) = &self.step {
            let (corrections, unread) =
                decode_page_with(&self.body, self.strict, node, step.walk.items, read)
                    .map_err(|e| self.decode_failure(&e))?;
            capture_corrections(corrections.clone());
            step.record_read(PageRead {
                unread: unread.into_iter().map(|u| u.into_error(self)).collect(),
                corrections,
            });
            return Ok(());
        }
        let corrections = decode_with(&self.body, self.strict, node, read)
            .map_err(|e| self.decode_failure(&e))?;
        capture_corrections(corrections);
        Ok(())
    }

    /// The whole answer, with where it could not be read.
    #[cfg(feature = "needs-json-response")]
    fn decode_failure(&self, e: &::serde_json::Error) -> Error {
        Error::Decode(Box::new(self.answered(decode_error(
            self.status,
            &self.body,
            e,
        ))))
    }

    /// `error` with this response's headers and request id.
    #[cfg(feature = "needs-json-response")]
    pub(crate) fn answered(&self, mut error: DecodeError) -> DecodeError {
        error.request_id = request_id(&self.headers).map(String::from);
        error.headers(self.headers.clone())
    }

    #[cfg(feature = "needs-text-response")]
    pub(crate) fn text(&self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    #[cfg(feature = "needs-bytes-response")]
    pub(crate) fn bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.body.clone())
    }

    #[cfg(feature = "needs-empty-response")]
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
                    .and_then(|v| {
                        v.get("request_id")
                            .and_then(|r| r.as_str())
                            .map(String::from)
                    })
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

pub(crate) fn request_id(headers: &::reqwest::header::HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

const MAX_BODY_IN_ERROR: usize = 4096;

pub(crate) fn truncated(body: &[u8]) -> String {
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
