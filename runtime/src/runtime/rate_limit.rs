//! The rate limit the API reports with each response.

use ::std::time::{Duration, SystemTime, UNIX_EPOCH};

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
        let number =
            |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset")
                .and_then(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limit_headers_are_read() {
        let mut headers = ::reqwest::header::HeaderMap::new();
        headers.insert("x-ratelimit-limit", "100".parse().unwrap());
        headers.insert("x-ratelimit-remaining", " 0 ".parse().unwrap());
        headers.insert("x-ratelimit-reset", "60".parse().unwrap());
        let limit = RateLimit::from_headers(&headers);
        assert_eq!((limit.limit, limit.remaining), (Some(100), Some(0)));
        assert_eq!(limit.reset, UNIX_EPOCH.checked_add(Duration::from_secs(60)));
        assert_eq!(
            RateLimit::from_headers(&::reqwest::header::HeaderMap::new()),
            RateLimit::default()
        );
    }
}
