//! What the criterion benches share: [`ThreadCpu`], a criterion measurement
//! of the benchmark thread's CPU time.

use std::time::Duration;

use claude_rs_bench::clock::thread_cpu_time;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Criterion's measurement of the calling thread's CPU time
/// ([`thread_cpu_time`]) in place of wall time: for a benchmark whose work
/// runs on the calling thread (plain code, or a current-thread runtime), it
/// is the time on one core, without the time other processes or the
/// hypervisor took the core away. Figures are nanoseconds and print as
/// criterion prints wall time.
pub(crate) struct ThreadCpu;

/// Criterion's own formatter of nanoseconds (and of elements or bytes per
/// second) serves this measurement, whose values are nanoseconds too.
static NANOSECONDS: WallTime = WallTime;

impl Measurement for ThreadCpu {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_time()
    }

    fn end(&self, start: Duration) -> Duration {
        thread_cpu_time().saturating_sub(start)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        NANOSECONDS.formatter()
    }
}
