//! The calling thread's CPU time, to the nanosecond.
//!
//! Wall time counts every moment a thread waited for a core: on a shared
//! machine, the time given to other processes; on a virtual one, also the
//! time the hypervisor gave to other machines (steal). A benchmark of one
//! core's work on a current-thread runtime reads its own thread's CPU time
//! instead, which counts neither. It still counts a core made slower by
//! its neighbours (shared caches, clock speed), so figures taken at
//! different times are compared with care; runs taken in turns compare
//! well. (`/proc/thread-self/schedstat` would do without `unsafe`, but it
//! advances only at the scheduler's tick, 4 ms here.)

// The one call into the C library (`clock_gettime`, with
// `CLOCK_THREAD_CPUTIME_ID`) needs `unsafe`; the package allows it module by
// module (see `alloc`).
#![allow(unsafe_code)]

use std::time::Duration;

/// CPU time the calling thread has used so far (user and system), from
/// `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`. Outside 64-bit Linux, where the
/// call is not declared here, it is the time since the first call.
pub fn thread_cpu_time() -> Duration {
    imp::now()
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod imp {
    use std::time::Duration;

    /// `struct timespec` of 64-bit Linux: two C longs.
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }

    /// `CLOCK_THREAD_CPUTIME_ID` in Linux's `<time.h>`.
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }

    pub(super) fn now() -> Duration {
        let mut time = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `time` is a live, writable `timespec` laid out as the C
        // library expects on 64-bit Linux; the call writes only into it.
        let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
        match (
            status,
            u64::try_from(time.tv_sec),
            u32::try_from(time.tv_nsec),
        ) {
            (0, Ok(seconds), Ok(nanos)) => Duration::new(seconds, nanos),
            // The clock exists on every Linux since 2.6.12; a failure leaves
            // the benchmark without a reading, which shows as zero time.
            _ => Duration::ZERO,
        }
    }
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
mod imp {
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    pub(super) fn now() -> Duration {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::thread_cpu_time;
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    /// Busy work is counted (never more than the wall time it took: one
    /// thread runs on one core at a time); a sleep is not.
    #[test]
    fn counts_this_threads_work_and_not_its_sleep() {
        let (wall, cpu) = (Instant::now(), thread_cpu_time());
        let mut x = 0u64;
        while wall.elapsed() < Duration::from_millis(20) {
            x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
        let (worked, took) = (thread_cpu_time() - cpu, wall.elapsed());
        assert!(worked > Duration::ZERO, "no CPU time counted");
        assert!(
            worked <= took + Duration::from_millis(1),
            "{worked:?} in {took:?}"
        );

        if cfg!(all(target_os = "linux", target_pointer_width = "64")) {
            let before = thread_cpu_time();
            std::thread::sleep(Duration::from_millis(30));
            let slept = thread_cpu_time() - before;
            assert!(
                slept < Duration::from_millis(10),
                "sleep counted: {slept:?}"
            );
        }
    }
}
