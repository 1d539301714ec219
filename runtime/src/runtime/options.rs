//! Options for some calls only: API version, retries, timeout.

use ::std::time::Duration;

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
    pub(crate) api_version: Option<String>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) body_cursor: Option<BodyCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyCursor {
    pub(crate) path: &'static [&'static str],
    pub(crate) value: String,
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

    pub(crate) fn overridden_by(self, other: RequestOptions) -> RequestOptions {
        RequestOptions {
            api_version: other.api_version.or(self.api_version),
            max_retries: other.max_retries.or(self.max_retries),
            timeout: other.timeout.or(self.timeout),
            retry_non_idempotent: other.retry_non_idempotent.or(self.retry_non_idempotent),
            body_cursor: other.body_cursor.or(self.body_cursor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_win_where_they_are_set() {
        let base = RequestOptions::new().api_version_str("2.10").max_retries(3);
        let over = RequestOptions::new().max_retries(0).timeout(Duration::from_secs(5));
        let both = base.overridden_by(over);
        assert_eq!(both.api_version.as_deref(), Some("2.10"));
        assert_eq!(both.max_retries, Some(0));
        assert_eq!(both.timeout, Some(Duration::from_secs(5)));
    }
}
