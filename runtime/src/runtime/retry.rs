//! When and how a request is retried, and how long to wait: the server's
//! `Retry-After` (seconds or an HTTP date) and `X-RateLimit-Reset`, else
//! exponential backoff with full jitter.

use ::std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;

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
    pub(crate) max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    pub(crate) max_retry_wait: Duration,
    pub(crate) retry_non_idempotent: bool,
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
        Self {
            max_retries: 0,
            ..Self::default()
        }
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
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(::fastrand::u64(0..=nanos))
    }

    /// The wait before retrying after `response`: the server's, if it gives
    /// one (`None` when that is more than `max_retry_wait`), else the backoff.
    pub(crate) fn wait_after(
        &self,
        response: &RawResponse,
        retry: u32,
        now: SystemTime,
    ) -> Option<Duration> {
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
    let value = headers
        .get(::reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `X-RateLimit-Reset`: when the rate limit window resets, in Unix seconds.
fn rate_limit_reset(headers: &::reqwest::header::HeaderMap, now: SystemTime) -> Option<Duration> {
    let reset: u64 = headers
        .get("x-ratelimit-reset")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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
    UNIX_EPOCH.checked_add(Duration::from_secs(
        days * 86_400 + hour * 3_600 + minute * 60 + second,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> ::reqwest::header::HeaderMap {
        let mut map = ::reqwest::header::HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    fn response(status: u16, pairs: &[(&'static str, &str)]) -> RawResponse {
        RawResponse {
            strict: false,
            status,
            headers: headers(pairs),
            body: Vec::new(),
            attempts: 1,
            step: None,
        }
    }

    #[test]
    fn backoff_is_jittered_below_a_doubling_ceiling() {
        let policy = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(250));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(30) <= Duration::from_millis(250));
        }
    }

    #[test]
    fn http_dates_are_read() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            UNIX_EPOCH.checked_add(Duration::from_secs(784_111_777))
        );
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(UNIX_EPOCH)
        );
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "06 Nov 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_server_says_how_long_to_wait() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let policy = RetryPolicy::new().max_retry_wait(Duration::from_secs(30));
        assert_eq!(
            policy.wait_after(&response(503, &[("retry-after", "7")]), 1, now),
            Some(Duration::from_secs(7))
        );
        let date = response(503, &[("retry-after", "Thu, 01 Jan 1970 00:16:50 GMT")]);
        assert_eq!(
            policy.wait_after(&date, 1, now),
            Some(Duration::from_secs(10))
        );
        // `X-RateLimit-Reset` counts only with a 429.
        let reset = [("x-ratelimit-reset", "1005")];
        assert_eq!(
            policy.wait_after(&response(429, &reset), 1, now),
            Some(Duration::from_secs(5))
        );
        assert!(
            policy.wait_after(&response(503, &reset), 1, now).unwrap() <= policy.get_max_backoff()
        );
        // Longer than allowed: no retry.
        assert_eq!(
            policy.wait_after(&response(429, &[("retry-after", "31")]), 1, now),
            None
        );
    }
}
