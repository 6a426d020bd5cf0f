//! What a run records for its timeline: one span per piece of work, on a lane (a thread, a
//! worker or the page's own thread), on a clock every lane shares.

/// What a lane was doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// Working on a task (a chunk, a request, a batch of increments).
    Task = 0,
    /// Waiting for a simulated I/O request to answer.
    Wait = 1,
    /// Holding the simulated global interpreter lock.
    Hold = 2,
    /// Waiting for an item to be fetched (the I/O before a pipeline's CPU stage).
    Fetch = 3,
    /// Waiting for an item to be stored (the I/O after a pipeline's CPU stage).
    Store = 4,
    /// Copying a message to send it on (a workload's send stage).
    Send = 5,
    /// Working while holding a lock every consumer shares (a workload's lock stage).
    Locked = 6,
    /// Waiting for a lock another lane holds.
    LockWait = 7,
    /// Blocked in a call that holds the thread (a workload's blocking stage).
    Blocking = 8,
    /// A producer waiting for room in a full queue (backpressure).
    Room = 9,
}

impl SpanKind {
    /// Every kind, in the order of its number: the page names them from this list.
    pub const ALL: [SpanKind; 10] = [
        SpanKind::Task,
        SpanKind::Wait,
        SpanKind::Hold,
        SpanKind::Fetch,
        SpanKind::Store,
        SpanKind::Send,
        SpanKind::Locked,
        SpanKind::LockWait,
        SpanKind::Blocking,
        SpanKind::Room,
    ];

    /// The name the page's timeline knows the kind by.
    pub fn name(self) -> &'static str {
        match self {
            SpanKind::Task => "task",
            SpanKind::Wait => "wait",
            SpanKind::Hold => "hold",
            SpanKind::Fetch => "fetch",
            SpanKind::Store => "store",
            SpanKind::Send => "send",
            SpanKind::Locked => "lock",
            SpanKind::LockWait => "lock-wait",
            SpanKind::Blocking => "blocking",
            SpanKind::Room => "room",
        }
    }
}

/// One span of one lane: times are milliseconds on the shared clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// Which task (chunk, request, batch) this span belongs to.
    pub task: u32,
    /// Which lane ran it: a thread of the pool, a worker, or 0 for a lone thread.
    pub lane: u32,
    pub start_ms: f64,
    pub end_ms: f64,
    /// What the task found or did (primes counted, milliseconds waited, increments made).
    pub value: f64,
    pub kind: SpanKind,
}

impl Span {
    /// Runs `work` as task `task` on `lane`, timed by `clock`; its answer is the span's value.
    pub fn time<T: Into<f64> + Copy>(task: u32, lane: u32, clock: &dyn Fn() -> f64, work: impl FnOnce() -> T) -> (T, Span) {
        let start_ms = clock();
        let answer = work();
        let end_ms = clock();
        (answer, Span { task, lane, start_ms, end_ms, value: answer.into(), kind: SpanKind::Task })
    }
}

/// A clock for native tests and native callers: milliseconds since the first call.
/// (`Instant` does not exist on wasm32-unknown-unknown; the pages use `performance.now()`.)
#[cfg(not(target_arch = "wasm32"))]
pub fn monotonic_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_numbered_in_the_order_of_all() {
        for (number, kind) in SpanKind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, number, "{}", kind.name());
        }
    }

    #[test]
    fn a_timed_task_starts_before_it_ends_and_keeps_its_answer() {
        let (answer, span) = Span::time(3, 1, &monotonic_ms, || 42u32);
        assert_eq!(answer, 42);
        assert_eq!((span.task, span.lane, span.value, span.kind), (3, 1, 42.0, SpanKind::Task));
        assert!(span.start_ms <= span.end_ms);
    }
}
