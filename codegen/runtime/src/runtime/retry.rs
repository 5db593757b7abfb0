//! Retrying rate-limited (429) and unavailable (503) responses with backoff.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// When and how long to wait before sending a rate-limited request again.
///
/// Off by default (`max_retries == 0`); see `ClientBuilder::retry_on_rate_limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times one call may be re-sent after a 429 or 503.
    pub max_retries: u32,
    /// The first backoff delay when the server sends no `Retry-After`; it doubles each retry.
    pub base_delay: Duration,
    /// The longest the client waits before one retry. When `Retry-After` asks for more, the
    /// client does not wait at all but returns the error at once, with `retry_after` set.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 0,
            base_delay: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Whether a response with this status may be retried: 429 Too Many Requests and
    /// 503 Service Unavailable.
    pub fn retries_status(status: StatusCode) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
    }

    /// How long to wait before retry number `retry` (0 for the first), or `None` to give up:
    /// the retries are used up, or the server's `Retry-After` is longer than `max_wait`.
    /// Without `Retry-After` the delay is `base_delay * 2^retry`, capped at `max_wait`.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if retry >= self.max_retries {
            return None;
        }
        match retry_after {
            Some(wait) if wait > self.max_wait => None,
            Some(wait) => Some(wait),
            None => {
                let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
                Some(self.base_delay.saturating_mul(factor).min(self.max_wait))
            }
        }
    }
}

/// The wait a response's `Retry-After` header asks for: delay-seconds, or an HTTP date
/// (a date in the past means no wait). `None` when absent or unreadable.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parse an HTTP date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) or asctime (`Sun Nov  6 08:49:37 1994`).
pub fn parse_http_date(s: &str) -> Option<SystemTime> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let (mut day, mut month, mut year, mut time) = (None, None, None, None);
    for token in s.split([' ', ',', '-']).filter(|t| !t.is_empty()) {
        let lower = token.to_ascii_lowercase();
        if token.contains(':') {
            let mut parts = token.split(':').map(|p| p.parse::<u64>().ok());
            let (h, m, sec) = (parts.next()??, parts.next()??, parts.next()??);
            (h < 24 && m < 60 && sec < 61).then_some(())?;
            time = Some(h * 3600 + m * 60 + sec);
        } else if let Some(i) = MONTHS.iter().position(|m| lower == *m) {
            month = Some(i as i64 + 1);
        } else if let Ok(n) = token.parse::<i64>() {
            // In all three formats the day comes before the year.
            if day.is_none() && token.len() <= 2 {
                day = Some(n);
            } else if token.len() == 2 {
                year = Some(if n >= 70 { 1900 + n } else { 2000 + n });
            } else {
                year = Some(n);
            }
        }
        // Anything else (weekday, `GMT`) is ignored.
    }
    let (day, month, year, time) = (day?, month?, year?, time?);
    (1..=31).contains(&day).then_some(())?;
    let days = days_from_civil(year, month, day);
    let secs = u64::try_from(days)
        .ok()?
        .checked_mul(86_400)?
        .checked_add(time)?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
