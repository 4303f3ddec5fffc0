//! [`Backoff`]: how long to wait before trying again.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Exponential backoff with jitter: before the `n`-th retry (0 for the
/// first), `min(initial * 2^n, max)`, less up to a quarter at random so that
/// clients that failed together do not come back together.
///
/// ```
/// use std::time::Duration;
/// use claude_rs_client::Backoff;
///
/// let backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(10));
/// for n in 0..10 {
///     let delay = backoff.delay(n);
///     let full = Duration::from_millis(500 * 2u64.pow(n)).min(Duration::from_secs(10));
///     assert!(delay <= full && delay >= full * 3 / 4);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
}

impl Backoff {
    /// The retry loop's delays when the server names none: 0.5 s doubling
    /// to 8 s, as the official SDKs wait.
    pub const RETRY: Backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(8));

    /// A dropped session stream's reconnects: 0.5 s doubling to 10 s.
    pub const RECONNECT: Backoff =
        Backoff::new(Duration::from_millis(500), Duration::from_secs(10));

    /// Delays starting at `initial` and doubling up to `max`.
    pub const fn new(initial: Duration, max: Duration) -> Self {
        Self { initial, max }
    }

    /// The delay before retry `n` (0 for the first), jittered.
    pub fn delay(&self, n: u32) -> Duration {
        self.delay_with(n, jitter())
    }

    /// The delay before retry `n` with `random` in `[0, 1)` as the jitter.
    pub(crate) fn delay_with(&self, n: u32, random: f64) -> Duration {
        let full = self.initial.as_secs_f64() * 2f64.powi(n.min(1000) as i32);
        let capped = full.min(self.max.as_secs_f64());
        Duration::from_secs_f64(capped * (1.0 - 0.25 * random.clamp(0.0, 1.0)))
    }
}

/// A uniform number in `[0, 1)` from the standard library's random hasher keys.
fn jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x9E37_79B9_7F4A_7C15);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_less_up_to_a_quarter() {
        let expected = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0];
        for (n, &secs) in expected.iter().enumerate() {
            let n = n as u32;
            assert_eq!(
                Backoff::RETRY.delay_with(n, 0.0),
                Duration::from_secs_f64(secs),
                "retry {n}"
            );
            let low = Backoff::RETRY.delay_with(n, 0.999_999);
            assert!(
                low >= Duration::from_secs_f64(secs * 0.75) && low < Duration::from_secs_f64(secs)
            );
        }
        assert_eq!(
            Backoff::RETRY.delay_with(u32::MAX, 0.0),
            Duration::from_secs(8)
        );
        assert_eq!(
            Backoff::RECONNECT.delay_with(4, 0.0),
            Duration::from_secs(8)
        );
        assert_eq!(
            Backoff::RECONNECT.delay_with(5, 0.0),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn jitter_is_in_range() {
        for _ in 0..100 {
            assert!((0.0..1.0).contains(&jitter()));
        }
    }
}
