//! Options for some calls only: API version, retries, timeout.

use ::std::time::Duration;

use super::*;

/// Settings for some calls only, applied with [`Client::with_options`].
/// Whatever is not set comes from the client.
///
/// ```
/// use intercom_api::{Client, RequestOptions};
/// use std::time::Duration;
///
/// let client = Client::new("my-access-token");
/// let quick = client.with_options(RequestOptions::new().max_retries(0).timeout(Duration::from_secs(2)));
/// assert_eq!(quick.retry_policy().get_max_retries(), client.retry_policy().get_max_retries());
/// assert_eq!(quick.options().clone(), RequestOptions::new().max_retries(0).timeout(Duration::from_secs(2)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) api_version: Option<String>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry_non_idempotent: Option<bool>,
    /// Whether responses are read strictly (see `ClientBuilder::strict`).
    pub(crate) strict: Option<bool>,
    /// Query parameters and headers to add, beyond what the operation declares.
    pub(crate) extra_query: Vec<(String, String)>,
    pub(crate) extra_headers: Vec<(String, String)>,
    /// The page of a walk this request is (see `paginate`).
    pub(crate) step: Option<Step>,
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

    /// Whether a success body that differs from its description fails the
    /// call (`true`) or is read with corrections (`false`); see
    /// `ClientBuilder::strict`.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// Add a query parameter the API description does not declare (the
    /// escape hatch for what it leaves out). It is sent after the
    /// operation's own parameters, encoded like them.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((name.into(), value.into()));
        self
    }

    /// Add a header the API description does not declare. A value with CR,
    /// LF or another control character fails the request with
    /// `Error::InvalidRequest` before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    pub(crate) fn overridden_by(self, other: RequestOptions) -> RequestOptions {
        RequestOptions {
            api_version: other.api_version.or(self.api_version),
            max_retries: other.max_retries.or(self.max_retries),
            timeout: other.timeout.or(self.timeout),
            retry_non_idempotent: other.retry_non_idempotent.or(self.retry_non_idempotent),
            strict: other.strict.or(self.strict),
            extra_query: [self.extra_query, other.extra_query].concat(),
            extra_headers: [self.extra_headers, other.extra_headers].concat(),
            step: other.step.or(self.step),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_win_where_they_are_set() {
        let base = RequestOptions::new().api_version_str("2.10").max_retries(3);
        let over = RequestOptions::new()
            .max_retries(0)
            .timeout(Duration::from_secs(5));
        let both = base.overridden_by(over);
        assert_eq!(both.api_version.as_deref(), Some("2.10"));
        assert_eq!(both.max_retries, Some(0));
        assert_eq!(both.timeout, Some(Duration::from_secs(5)));
    }
}
