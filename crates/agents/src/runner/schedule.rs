//! Which waiting call runs next: at most a given number at once, and one
//! at a time per session thread.

use std::collections::{HashSet, VecDeque};

/// Calls waiting to run and the threads running one.
#[derive(Debug)]
pub(super) struct Schedule<C> {
    limit: usize,
    waiting: VecDeque<(Option<String>, C)>,
    busy: HashSet<Option<String>>,
}

impl<C> Schedule<C> {
    /// `limit` calls at most at once (at least one).
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            waiting: VecDeque::new(),
            busy: HashSet::new(),
        }
    }

    /// Queues a call of `thread` (`None`: the primary thread).
    pub(super) fn push(&mut self, thread: Option<String>, call: C) {
        self.waiting.push_back((thread, call));
    }

    /// Drops the waiting calls `keep` refuses.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&C) -> bool) {
        self.waiting.retain(|(_, call)| keep(call));
    }

    /// The next call that may start now, oldest first; its thread is busy
    /// until [`done`](Self::done).
    pub(super) fn next(&mut self) -> Option<(Option<String>, C)> {
        if self.busy.len() >= self.limit {
            return None;
        }
        let at = self
            .waiting
            .iter()
            .position(|(thread, _)| !self.busy.contains(thread))?;
        let (thread, call) = self.waiting.remove(at)?;
        self.busy.insert(thread.clone());
        Some((thread, call))
    }

    /// The call of `thread` finished.
    pub(super) fn done(&mut self, thread: &Option<String>) {
        self.busy.remove(thread);
    }

    /// Whether nothing waits or runs.
    pub(super) fn is_empty(&self) -> bool {
        self.waiting.is_empty() && self.busy.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Schedule;

    fn t(name: &str) -> Option<String> {
        Some(name.to_owned())
    }

    #[test]
    fn up_to_the_limit_and_one_per_thread() {
        let mut schedule = Schedule::new(2);
        schedule.push(None, 1);
        schedule.push(None, 2);
        schedule.push(t("a"), 3);
        schedule.push(t("b"), 4);
        // The primary thread's first call and thread a's; the second call of
        // the primary thread waits for the first.
        assert_eq!(schedule.next(), Some((None, 1)));
        assert_eq!(schedule.next(), Some((t("a"), 3)));
        // The limit is reached.
        assert_eq!(schedule.next(), None);
        schedule.done(&t("a"));
        // The primary thread is still busy: thread b goes first.
        assert_eq!(schedule.next(), Some((t("b"), 4)));
        schedule.done(&None);
        assert_eq!(schedule.next(), Some((None, 2)));
        assert!(!schedule.is_empty());
        schedule.done(&None);
        schedule.done(&t("b"));
        assert!(schedule.is_empty());
    }

    #[test]
    fn a_limit_of_one_runs_calls_serially() {
        let mut schedule = Schedule::new(0);
        schedule.push(t("a"), 1);
        schedule.push(t("b"), 2);
        assert_eq!(schedule.next(), Some((t("a"), 1)));
        assert_eq!(schedule.next(), None);
        schedule.done(&t("a"));
        assert_eq!(schedule.next(), Some((t("b"), 2)));
    }

    #[test]
    fn dropped_calls_never_run() {
        let mut schedule = Schedule::new(4);
        schedule.push(None, 1);
        schedule.push(t("a"), 2);
        schedule.retain(|call| *call != 1);
        assert_eq!(schedule.next(), Some((t("a"), 2)));
        assert_eq!(schedule.next(), None);
    }
}
