//! A simulated global interpreter lock (GIL), as in CPython: a thread must hold the one lock to
//! compute, hands it over every switch interval when another thread is waiting for it, and lets
//! go of it while it waits for I/O.
//!
//! The lock is a ticket lock (a `Mutex` and a `Condvar`), so threads get it in the order they
//! asked: a holder that gives it up at the end of its interval queues behind the waiting threads,
//! which is CPython's "forced switching". Every stretch a lane held the lock is recorded as a
//! `Hold` span, so the timeline shows who held the GIL when.

use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::primes;
use super::timeline::{Span, SpanKind};

/// What each task of the demo spends its time on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Computing only: counting primes by trial division.
    Cpu,
    /// A little computing, then waiting for a simulated request, then a little more computing.
    Io,
}

impl Work {
    /// The names a `demo` block and the page use, in catalogue order.
    pub const NAMES: [&'static str; 2] = ["cpu", "io"];

    /// The kind of work called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "cpu" => Some(Self::Cpu),
            "io" => Some(Self::Io),
            _ => None,
        }
    }
}

/// Numbers tested by each I/O-bound task, half before and half after its wait.
pub const IO_NUMBERS_PER_TASK: u32 = 4_000;

/// Numbers tested between looks at the clock (a few tens of microseconds of work).
const SLICE: u32 = 256;

/// One run of the demo: `tasks` tasks of `work`, with or without the lock.
#[derive(Clone, Copy, Debug)]
pub struct GilJob {
    pub work: Work,
    /// With `Cpu`: the tasks count the primes below `n` between them.
    pub n: u32,
    pub tasks: u32,
    /// With `Io`: how long each task waits for its request.
    pub wait_ms: u32,
    /// Whether the lock exists at all (off: every thread computes whenever it likes).
    pub gil: bool,
    /// How long a holder keeps the lock while another thread waits for it.
    pub switch_ms: f64,
}

impl GilJob {
    /// The numbers task `index` tests, as (before its wait, after its wait).
    fn ranges(&self, index: u32) -> (Range<u32>, Range<u32>) {
        match self.work {
            Work::Cpu => (primes::chunk(self.n, self.tasks, index), 0..0),
            Work::Io => {
                let start = index.saturating_mul(IO_NUMBERS_PER_TASK);
                let middle = start.saturating_add(IO_NUMBERS_PER_TASK / 2);
                (start..middle, middle..start.saturating_add(IO_NUMBERS_PER_TASK))
            }
        }
    }

    /// What every mode must report: the primes all tasks count together.
    pub fn expected_total(&self) -> u64 {
        match self.work {
            Work::Cpu => primes::count_primes_in(0..self.n),
            Work::Io => primes::count_primes_in(0..self.tasks.saturating_mul(IO_NUMBERS_PER_TASK)),
        }
    }

    /// Runs task `index` on `lane`, taking and giving back `gil` as a CPython thread would.
    /// Returns the task's spans: its holds of the lock, its wait (I/O only), and the task itself
    /// (whose value is the primes it counted).
    pub fn run_task(&self, gil: &Gil, index: u32, lane: u32, clock: &dyn Fn() -> f64, block_ms: &dyn Fn(u32)) -> Vec<Span> {
        let mut task = self.begin_task(gil, index, lane, clock);
        if task.waits() {
            let start_ms = clock();
            block_ms(self.wait_ms);
            task.waited(start_ms, clock());
        }
        self.finish_task(gil, task, clock)
    }

    /// The first part of task `index`: takes the lock and computes up to the task's wait (all of
    /// it for CPU-bound work); with I/O-bound work, lets go of the lock for the wait. The caller
    /// then waits (`TaskInProgress::waits`) — blocking the thread or awaiting a timer, which on a
    /// lane of its own takes the same time — and calls `finish_task`.
    pub fn begin_task(&self, gil: &Gil, index: u32, lane: u32, clock: &dyn Fn() -> f64) -> TaskInProgress {
        let mut spans = Vec::new();
        let start_ms = clock();
        let (before, _) = self.ranges(index);
        let mut holding = gil.acquire(lane, index, clock);
        let primes = self.compute(gil, before, &mut holding, clock, &mut spans);
        let holding = if self.work == Work::Io {
            gil.release(holding, clock, &mut spans);
            None
        } else {
            Some(holding)
        };
        TaskInProgress { index, lane, start_ms, primes, holding, spans, wait_ms: self.wait_ms }
    }

    /// The rest of a task after its wait: takes the lock again if it let go of it, computes the
    /// second part, gives the lock back and returns every span of the task.
    pub fn finish_task(&self, gil: &Gil, task: TaskInProgress, clock: &dyn Fn() -> f64) -> Vec<Span> {
        let TaskInProgress { index, lane, start_ms, mut primes, holding, mut spans, .. } = task;
        let holding = match holding {
            Some(holding) => holding,
            None => {
                let mut holding = gil.acquire(lane, index, clock);
                primes += self.compute(gil, self.ranges(index).1, &mut holding, clock, &mut spans);
                holding
            }
        };
        gil.release(holding, clock, &mut spans);
        let value = primes as f64;
        spans.push(Span { task: index, lane, start_ms, end_ms: clock(), value, kind: SpanKind::Task });
        spans
    }

    /// Counts the primes in `range` while holding the lock, handing it over at the end of each
    /// switch interval in which another thread asked for it.
    fn compute(&self, gil: &Gil, range: Range<u32>, holding: &mut Holding, clock: &dyn Fn() -> f64, spans: &mut Vec<Span>) -> u64 {
        let mut primes = 0;
        let mut start = range.start;
        while start < range.end {
            let end = range.end.min(start.saturating_add(SLICE));
            primes += primes::count_primes_in(start..end);
            start = end;
            if gil.enabled && gil.is_wanted() && clock() - holding.since_ms >= self.switch_ms {
                let (lane, task) = (holding.lane, holding.task);
                gil.release(*holding, clock, spans);
                *holding = gil.acquire(lane, task, clock);
            }
        }
        primes
    }
}

/// The simulated global interpreter lock, shared by the threads of one run.
pub struct Gil {
    enabled: bool,
    queue: Mutex<Queue>,
    turn: Condvar,
    /// Threads waiting for the lock: what the holder looks at to decide whether to hand it over.
    waiting: AtomicU32,
}

/// Who holds the lock and whose turn is next (a ticket lock: first come, first served).
struct Queue {
    held: bool,
    next_ticket: u64,
    now_serving: u64,
}

/// A lane's current hold of the lock: when it began, for the switch interval and the timeline.
#[derive(Clone, Copy, Debug)]
pub struct Holding {
    lane: u32,
    task: u32,
    since_ms: f64,
}

/// A task between its two parts: what `GilJob::begin_task` computed, and the lock it still holds
/// (none while it waits for I/O).
#[derive(Debug)]
pub struct TaskInProgress {
    index: u32,
    lane: u32,
    start_ms: f64,
    primes: u64,
    holding: Option<Holding>,
    spans: Vec<Span>,
    wait_ms: u32,
}

impl TaskInProgress {
    /// Whether the task now waits for its request (I/O-bound work) before `finish_task`.
    pub fn waits(&self) -> bool {
        self.holding.is_none()
    }

    /// The milliseconds the task's request takes.
    pub fn wait_ms(&self) -> u32 {
        self.wait_ms
    }

    /// Records the task's wait, from `start_ms` to `end_ms`.
    pub fn waited(&mut self, start_ms: f64, end_ms: f64) {
        let (task, lane, value) = (self.index, self.lane, f64::from(self.wait_ms));
        self.spans.push(Span { task, lane, start_ms, end_ms, value, kind: SpanKind::Wait });
    }
}

impl Gil {
    /// A lock for one run; `enabled: false` makes taking and giving it back do nothing.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            queue: Mutex::new(Queue { held: false, next_ticket: 0, now_serving: 0 }),
            turn: Condvar::new(),
            waiting: AtomicU32::new(0),
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a thread is waiting for the lock.
    fn is_wanted(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0
    }

    /// Waits for the lock, in turn, and takes it.
    pub fn acquire(&self, lane: u32, task: u32, clock: &dyn Fn() -> f64) -> Holding {
        if self.enabled {
            let mut queue = self.queue();
            let ticket = queue.next_ticket;
            queue.next_ticket += 1;
            self.waiting.fetch_add(1, Ordering::Relaxed);
            while queue.held || queue.now_serving != ticket {
                queue = self.turn.wait(queue).unwrap_or_else(PoisonError::into_inner);
            }
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            queue.held = true;
            queue.now_serving += 1;
        }
        Holding { lane, task, since_ms: clock() }
    }

    /// Gives the lock back and records how long it was held.
    pub fn release(&self, holding: Holding, clock: &dyn Fn() -> f64, spans: &mut Vec<Span>) {
        if !self.enabled {
            return;
        }
        let end_ms = clock();
        self.queue().held = false;
        self.turn.notify_all();
        spans.push(Span {
            task: holding.task,
            lane: holding.lane,
            start_ms: holding.since_ms,
            end_ms,
            value: 0.0,
            kind: SpanKind::Hold,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::timeline::monotonic_ms;
    use std::sync::Arc;

    fn job(work: Work, gil: bool) -> GilJob {
        GilJob { work, n: 60_000, tasks: 8, wait_ms: 2, gil, switch_ms: 0.2 }
    }

    /// Runs `job` on `threads` threads taking tasks from a shared queue; returns every span.
    fn run_on_threads(job: GilJob, threads: u32) -> Vec<Span> {
        let gil = Arc::new(Gil::new(job.gil));
        let next = Arc::new(AtomicU32::new(0));
        let handles: Vec<_> = (0..threads)
            .map(|lane| {
                let (gil, next) = (Arc::clone(&gil), Arc::clone(&next));
                std::thread::spawn(move || {
                    let mut spans = Vec::new();
                    let sleep = |ms: u32| std::thread::sleep(std::time::Duration::from_millis(u64::from(ms)));
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        if index >= job.tasks {
                            return spans;
                        }
                        spans.extend(job.run_task(&gil, index, lane, &monotonic_ms, &sleep));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().unwrap()).collect()
    }

    fn total(spans: &[Span]) -> u64 {
        spans.iter().filter(|s| s.kind == SpanKind::Task).map(|s| s.value as u64).sum()
    }

    fn holds(spans: &[Span]) -> Vec<&Span> {
        let mut holds: Vec<&Span> = spans.iter().filter(|s| s.kind == SpanKind::Hold).collect();
        holds.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        holds
    }

    #[test]
    fn names_round_trip() {
        for name in Work::NAMES {
            assert!(Work::from_name(name).is_some(), "{name}");
        }
        assert_eq!(Work::from_name("gpu"), None);
    }

    #[test]
    fn every_mode_counts_the_same_primes() {
        for work in [Work::Cpu, Work::Io] {
            for gil in [true, false] {
                let job = job(work, gil);
                let expected = job.expected_total();
                assert!(expected > 0);
                assert_eq!(total(&run_on_threads(job, 1)), expected, "{work:?} gil={gil} on 1 thread");
                assert_eq!(total(&run_on_threads(job, 3)), expected, "{work:?} gil={gil} on 3 threads");
            }
        }
    }

    #[test]
    fn a_task_in_two_parts_matches_a_task_run_whole() {
        // What a worker that awaits a timer does: the first part, its own wait, the rest.
        for work in [Work::Cpu, Work::Io] {
            let job = job(work, true);
            let gil = Gil::new(true);
            let mut spans = Vec::new();
            for index in 0..job.tasks {
                let mut task = job.begin_task(&gil, index, 0, &monotonic_ms);
                assert_eq!(task.waits(), work == Work::Io);
                if task.waits() {
                    let start = monotonic_ms();
                    std::thread::sleep(std::time::Duration::from_millis(u64::from(task.wait_ms())));
                    task.waited(start, monotonic_ms());
                }
                spans.extend(job.finish_task(&gil, task, &monotonic_ms));
            }
            assert_eq!(total(&spans), job.expected_total(), "{work:?}");
            let waits = spans.iter().filter(|s| s.kind == SpanKind::Wait).count();
            assert_eq!(waits, if work == Work::Io { 8 } else { 0 }, "{work:?}");
            assert_eq!(total(&spans), total(&run_on_threads(job, 1)), "{work:?}");
        }
    }

    #[test]
    fn io_tasks_wait_once_each_without_the_lock() {
        let spans = run_on_threads(job(Work::Io, true), 2);
        let waits: Vec<&Span> = spans.iter().filter(|s| s.kind == SpanKind::Wait).collect();
        assert_eq!(waits.len(), 8);
        for wait in waits {
            let holding_then = holds(&spans).into_iter().any(|h| {
                h.lane == wait.lane && h.start_ms < wait.end_ms && wait.start_ms < h.end_ms
            });
            assert!(!holding_then, "a lane held the lock while it waited: {wait:?}");
        }
    }

    #[test]
    fn with_the_gil_no_two_threads_hold_it_at_once() {
        let spans = run_on_threads(job(Work::Cpu, true), 3);
        let holds = holds(&spans);
        assert!(!holds.is_empty());
        for pair in holds.windows(2) {
            assert!(pair[0].end_ms <= pair[1].start_ms, "overlapping holds: {:?}", pair);
        }
    }

    #[test]
    fn the_holder_hands_the_lock_over_when_another_thread_waits() {
        // Tasks long enough for several switch intervals each.
        let job = GilJob { n: 400_000, tasks: 2, ..job(Work::Cpu, true) };
        let spans = run_on_threads(job, 2);
        let holds = holds(&spans);
        let hand_offs = holds.windows(2).filter(|pair| pair[0].lane != pair[1].lane).count();
        assert!(hand_offs >= 2, "the lock never changed hands: {holds:?}");
    }

    #[test]
    fn without_the_gil_nothing_is_held() {
        let spans = run_on_threads(job(Work::Io, false), 2);
        assert!(holds(&spans).is_empty());
    }

    #[test]
    fn alone_a_thread_keeps_the_lock_for_its_whole_task() {
        let job = job(Work::Cpu, true);
        let gil = Gil::new(true);
        let spans = job.run_task(&gil, 3, 0, &monotonic_ms, &|_| {});
        assert_eq!(holds(&spans).len(), 1, "{spans:?}");
    }
}
