//! The status and headers of a success, next to its body (`with_response`).

use ::std::cell::RefCell;
use ::std::fmt;
use ::std::future::Future;
use ::std::pin::Pin;
use ::std::sync::{Arc, Mutex};
use ::std::task::{Context, Poll};

use super::*;

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
    corrections: Vec<Correction>,
}

impl<T> Response<T> {
    /// A response of `status` with `data` and no headers, as a test of
    /// your own code would build one.
    pub fn new(status: u16, data: T) -> Self {
        Response {
            status,
            headers: ::reqwest::header::HeaderMap::new(),
            attempts: 1,
            data,
            corrections: Vec::new(),
        }
    }

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

    /// Where the body differed from its description and was read anyway
    /// (docs/decoding.md): empty for a body as described.
    pub fn corrections(&self) -> &[Correction] {
        &self.corrections
    }
}

/// What `with_response` learns of the call: the final response's status,
/// headers and attempts, and the corrections its body was read with.
type Recorded = (u16, ::reqwest::header::HeaderMap, u32, Vec<Correction>);

type ResponseSlot = Arc<Mutex<Option<Recorded>>>;

::std::thread_local! {
    /// Where the response of the call being polled goes, inside `with_response`.
    static RESPONSE_SLOT: RefCell<Option<ResponseSlot>> = const { RefCell::new(None) };
}

/// Record a final response for an enclosing `with_response`, if any.
pub(crate) fn capture(response: &RawResponse) {
    RESPONSE_SLOT.with(|slot| {
        if let Some(slot) = slot.borrow().as_ref() {
            let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
            *guard = Some((
                response.status,
                response.headers.clone(),
                response.attempts,
                Vec::new(),
            ));
        }
    });
}

/// Record the corrections the final response's body was read with.
#[cfg(feature = "needs-json-response")]
pub(crate) fn capture_corrections(corrections: Vec<Correction>) {
    if corrections.is_empty() {
        return;
    }
    RESPONSE_SLOT.with(|slot| {
        if let Some(slot) = slot.borrow().as_ref() {
            let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((.., recorded)) = guard.as_mut() {
                recorded.extend(corrections);
            }
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
/// use intercom_api::{with_response, Error};
///
/// // `call` is any operation's `send()`: `client.<area>().<operation>(…).send()`.
/// async fn rate_limited<T>(call: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
///     let response = with_response(call).await?;
///     println!("{} {:?}", response.status, response.header("x-ratelimit-remaining"));
///     Ok(response.into_inner())
/// }
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
    WithResponse {
        future: Box::pin(future),
        slot: Arc::new(Mutex::new(None)),
    }
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
            Some((status, headers, attempts, corrections)) => Ok(Response {
                status,
                headers,
                attempts,
                data,
                corrections,
            }),
            None => Err(Error::InvalidRequest(
                "with_response: the future made no request".into(),
            )),
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
