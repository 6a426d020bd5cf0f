//! The work of a workload's stages (described in `crate::workload`): one unit of compute, one
//! item's stages on a lane, every item one at a time, and one producer with its consumers on
//! threads sharing a queue and a lock. Time, blocking and spawning threads come in as functions,
//! so the same code runs natively in tests and on the browser's threads.

use std::ops::Range;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

use super::timeline::{Span, SpanKind};
use crate::workload::{StageWork, Workload};

/// The numbers one unit of work tests, and where the 64 windows of them start.
const UNIT_WINDOW: u32 = 1024;
const UNIT_FROM: u32 = 1_000_000;
const UNIT_WINDOWS: u32 = 64;
/// A wait for the lock shorter than this is not drawn: taking a free lock costs about nothing.
const LOCK_WAIT_SHOWN_MS: f64 = 0.05;

/// One unit of work: the primes in window `k % 64` of 1,024 numbers from 1,000,000, counted by
/// trial division with odd divisors. The Python twin computes exactly this.
pub fn unit_primes(k: u32) -> u32 {
    let lo = UNIT_FROM + UNIT_WINDOW * (k % UNIT_WINDOWS);
    (lo..lo + UNIT_WINDOW).filter(|&n| is_prime_above_two(n)).count() as u32
}

/// Whether `n` (above 2) is prime: even numbers are not; odd ones are tried by odd divisors.
fn is_prime_above_two(n: u32) -> bool {
    if n % 2 == 0 {
        return false;
    }
    let mut divisor = 3;
    while divisor * divisor <= n {
        if n % divisor == 0 {
            return false;
        }
        divisor += 2;
    }
    true
}

/// What a compute or lock stage of `units` units finds for item `item`.
pub fn stage_sum(item: u32, units: u32) -> u64 {
    (0..units).map(|unit| u64::from(unit_primes(item.wrapping_add(unit)))).sum()
}

/// The total every way of running `workload` must report: the sum over every item and every
/// compute or lock stage.
pub fn expected_total(workload: &Workload) -> u64 {
    (0..workload.items)
        .flat_map(|item| workload.stages.iter().map(move |stage| (item, stage.work)))
        .map(|(item, work)| match work {
            StageWork::Compute { units } | StageWork::Lock { units } => stage_sum(item, units),
            _ => 0,
        })
        .sum()
}

/// The message a send stage sends for `item`: `bytes` bytes.
pub fn message(item: u32, bytes: u32) -> Vec<u8> {
    vec![(item % 251) as u8; bytes as usize]
}

/// Runs the work it is given holding the lock the consumers share.
pub type Hold<'a> = &'a (dyn Fn(&mut dyn FnMut()) + Sync);

/// Where a lane runs: its number on the timeline, the clock every lane shares, how it blocks its
/// thread, and how it holds the lock the consumers share while it works: `None` when no other
/// lane takes it here (one lane alone, or a caller that holds it around the call).
pub struct Lane<'a> {
    pub number: u32,
    pub clock: &'a (dyn Fn() -> f64 + Sync),
    pub block_ms: &'a (dyn Fn(u32) + Sync),
    pub hold: Option<Hold<'a>>,
}

/// Runs stage `stage` of item `item` on `lane`: its spans (a lock stage also has the wait for
/// the lock, when it waited).
pub fn run_stage(workload: &Workload, item: u32, stage: usize, lane: &Lane) -> Vec<Span> {
    let clock = lane.clock;
    let start_ms = clock();
    let span = |kind, value: f64| Span { task: item, lane: lane.number, start_ms, end_ms: clock(), value, kind };
    match workload.stages[stage].work {
        StageWork::Compute { units } => vec![span(SpanKind::Task, stage_sum(item, units) as f64)],
        StageWork::Wait { .. } => {
            let ms = workload.wait_ms(item, stage);
            (lane.block_ms)(ms);
            vec![span(SpanKind::Wait, f64::from(ms))]
        }
        StageWork::Send { bytes } => {
            let sent = message(item, bytes).to_vec();
            vec![span(SpanKind::Send, std::hint::black_box(sent).len() as f64)]
        }
        StageWork::Blocking { ms } => {
            (lane.block_ms)(ms);
            vec![span(SpanKind::Blocking, f64::from(ms))]
        }
        StageWork::Lock { units } => match lane.hold {
            Some(hold) => locked(item, units, hold, lane),
            None => vec![span(SpanKind::Locked, stage_sum(item, units) as f64)],
        },
    }
}

/// A lock stage on a lane that shares the lock: waits for it, then works holding it.
fn locked(item: u32, units: u32, hold: Hold, lane: &Lane) -> Vec<Span> {
    let clock = lane.clock;
    let mut spans = Vec::with_capacity(2);
    let asked_ms = clock();
    hold(&mut || {
        let acquired_ms = clock();
        let waited = acquired_ms - asked_ms;
        if waited >= LOCK_WAIT_SHOWN_MS {
            spans.push(Span { task: item, lane: lane.number, start_ms: asked_ms, end_ms: acquired_ms, value: waited, kind: SpanKind::LockWait });
        }
        let found = stage_sum(item, units) as f64;
        spans.push(Span { task: item, lane: lane.number, start_ms: acquired_ms, end_ms: clock(), value: found, kind: SpanKind::Locked });
    });
    spans
}

/// Runs stages `stages` of item `item` in order on `lane`.
pub fn run_stages(workload: &Workload, item: u32, stages: Range<usize>, lane: &Lane) -> Vec<Span> {
    stages.flat_map(|stage| run_stage(workload, item, stage, lane)).collect()
}

/// How many stages the producer runs (they come first).
pub fn producer_stages(workload: &Workload) -> usize {
    workload.stages.iter().take_while(|stage| stage.producer).count()
}

/// What a run did: its spans, and the most items its queue held at once (none one at a time).
pub struct Run {
    pub spans: Vec<Span>,
    pub peak_queue: Option<u32>,
}

impl Run {
    /// The run's total: what its compute and lock stages found.
    pub fn total(&self) -> u64 {
        total_of(&self.spans)
    }

    /// The milliseconds its spans of `kind` lasted, added up.
    pub fn time_in(&self, kind: SpanKind) -> f64 {
        // A fold from 0.0: an empty `sum` of floats is -0.0, which the page would show as "-0 ms".
        self.spans.iter().filter(|span| span.kind == kind).fold(0.0, |total, span| total + (span.end_ms - span.start_ms))
    }
}

/// What the compute and lock stages among `spans` found.
pub fn total_of(spans: &[Span]) -> u64 {
    spans
        .iter()
        .filter(|span| matches!(span.kind, SpanKind::Task | SpanKind::Locked))
        .map(|span| span.value as u64)
        .sum()
}

/// Every item one after another on `lane`: its producer stages, then its consumer stages.
pub fn run_sequential(workload: &Workload, lane: &Lane) -> Run {
    let spans = (0..workload.items).flat_map(|item| run_stages(workload, item, 0..workload.stages.len(), lane)).collect();
    Run { spans, peak_queue: None }
}

/// A job for one thread of a threaded run.
pub type Job<'a> = Box<dyn FnOnce() + Send + 'a>;

/// One producer (lane 0, when there are producer stages) and `concurrency` consumers, each on a
/// thread `spawn_all` starts (and waits for): the producer puts items in a channel bounded by
/// `queue` (none when 0), the consumers take them, and lock stages share one mutex.
pub fn run_threaded(
    workload: &Workload,
    clock: &(dyn Fn() -> f64 + Sync),
    block_ms: &(dyn Fn(u32) + Sync),
    spawn_all: impl for<'s> FnOnce(Vec<Job<'s>>),
) -> Run {
    let lock = Mutex::new(());
    let hold = |work: &mut dyn FnMut()| {
        let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
        work();
    };
    let spans = Mutex::new(Vec::new());
    let keep = |more: Vec<Span>| spans.lock().unwrap_or_else(PoisonError::into_inner).extend(more);
    let made = producer_stages(workload);
    let (queue, receiver) = Queue::new(workload.queue);
    let sent = AtomicU32::new(0);
    let taking = Mutex::new(Taking { receiver, taken: 0, peak: 0 });
    let first_consumer = u32::from(made > 0);
    let mut jobs: Vec<Job> = Vec::new();
    if made > 0 {
        let lane = Lane { number: 0, clock, block_ms, hold: Some(&hold) };
        let (keep, sent) = (&keep, &sent);
        jobs.push(Box::new(move || produce(workload, &lane, queue, sent, keep)));
    } else {
        for item in 0..workload.items {
            queue.put(item);
        }
        sent.store(workload.items, Ordering::SeqCst);
        drop(queue);
    }
    for consumer in 0..workload.concurrency {
        let (keep, taking, sent, hold) = (&keep, &taking, &sent, &hold);
        jobs.push(Box::new(move || {
            let lane = Lane { number: first_consumer + consumer, clock, block_ms, hold: Some(hold) };
            while let Some(item) = Taking::take(taking, sent) {
                keep(run_stages(workload, item, made..workload.stages.len(), &lane));
            }
        }));
    }
    spawn_all(jobs);
    let peak = taking.into_inner().unwrap_or_else(PoisonError::into_inner).peak;
    Run { spans: spans.into_inner().unwrap_or_else(PoisonError::into_inner), peak_queue: Some(peak) }
}

/// The producer: makes each item on `lane`, puts it in the queue (waiting for room, a `room`
/// span, when it is full), and counts it as `sent`; ends the queue when done.
fn produce(workload: &Workload, lane: &Lane, queue: Queue, sent: &AtomicU32, keep: &dyn Fn(Vec<Span>)) {
    let made = producer_stages(workload);
    for item in 0..workload.items {
        keep(run_stages(workload, item, 0..made, lane));
        let asked_ms = (lane.clock)();
        if queue.put(item) {
            let end_ms = (lane.clock)();
            keep(vec![Span { task: item, lane: lane.number, start_ms: asked_ms, end_ms, value: end_ms - asked_ms, kind: SpanKind::Room }]);
        }
        sent.fetch_add(1, Ordering::SeqCst);
    }
}

/// The consumers' end of the queue, how many items they took, and the most the queue held when
/// one came for an item.
struct Taking {
    receiver: Receiver<u32>,
    taken: u32,
    peak: u32,
}

impl Taking {
    /// The next item, or `None` once the producer is done and the queue is empty. What the queue
    /// held is `sent - taken`, read before taking: the producer counts an item sent only after
    /// it is in the queue, so this never says more than the queue held. (Read after taking, it
    /// could count the item taken and the one the producer put in the room it left: one more
    /// than the bound.) An item taken from a queue that looked empty was in it: at least one.
    fn take(taking: &Mutex<Taking>, sent: &AtomicU32) -> Option<u32> {
        let mut taking = taking.lock().unwrap_or_else(PoisonError::into_inner);
        let before = sent.load(Ordering::SeqCst);
        let item = taking.receiver.recv().ok()?;
        let held = before.saturating_sub(taking.taken).max(1);
        taking.peak = taking.peak.max(held);
        taking.taken += 1;
        Some(item)
    }
}

/// The producer's end of the queue: bounded (a full queue makes it wait) or not.
enum Queue {
    Bounded(SyncSender<u32>),
    Unbounded(Sender<u32>),
}

impl Queue {
    /// A queue holding at most `bound` items (0: no bound), and its consumers' end.
    fn new(bound: u32) -> (Self, Receiver<u32>) {
        if bound == 0 {
            let (sender, receiver) = mpsc::channel();
            (Self::Unbounded(sender), receiver)
        } else {
            let (sender, receiver) = mpsc::sync_channel(bound as usize);
            (Self::Bounded(sender), receiver)
        }
    }

    /// Puts `item` in; whether it had to wait for room. (With every consumer gone, the item is
    /// dropped: the run is failing anyway.)
    fn put(&self, item: u32) -> bool {
        match self {
            Self::Unbounded(sender) => {
                let _ = sender.send(item);
                false
            }
            Self::Bounded(sender) => match sender.try_send(item) {
                Ok(()) | Err(TrySendError::Disconnected(_)) => false,
                Err(TrySendError::Full(item)) => {
                    let _ = sender.send(item);
                    true
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::requests::Distribution;
    use crate::kernels::timeline::monotonic_ms;
    use crate::workload::Stage;

    fn sleep_ms(ms: u32) {
        std::thread::sleep(std::time::Duration::from_millis(u64::from(ms)));
    }

    fn on_std_threads(jobs: Vec<Job<'_>>) {
        std::thread::scope(|scope| {
            for job in jobs {
                scope.spawn(job);
            }
        });
    }

    fn lone_lane() -> Lane<'static> {
        Lane { number: 0, clock: &monotonic_ms, block_ms: &sleep_ms, hold: None }
    }

    fn stage(work: StageWork, producer: bool) -> Stage {
        Stage { work, producer }
    }

    /// A producer waiting, consumers computing, waiting, holding the lock, sending and blocking.
    fn mixed() -> Workload {
        Workload {
            items: 12,
            concurrency: 3,
            queue: 2,
            seed: 5,
            stages: vec![
                stage(StageWork::Wait { mean_ms: 2, distribution: Distribution::Uniform }, true),
                stage(StageWork::Compute { units: 3 }, false),
                stage(StageWork::Lock { units: 2 }, false),
                stage(StageWork::Send { bytes: 1000 }, false),
                stage(StageWork::Blocking { ms: 1 }, false),
            ],
        }
    }

    #[test]
    fn a_unit_counts_the_primes_of_its_window() {
        let window = |k: u32| {
            let lo = 1_000_000 + 1024 * (k % 64);
            (lo..lo + 1024).filter(|&n| (2..n).take_while(|d| d * d <= n).all(|d| n % d != 0)).count() as u32
        };
        for k in [0, 1, 63, 64, 130] {
            assert_eq!(unit_primes(k), window(k), "window of unit {k}");
        }
        assert_eq!(unit_primes(5), unit_primes(69));
        assert_eq!(stage_sum(3, 2), u64::from(unit_primes(3) + unit_primes(4)));
    }

    #[test]
    fn every_way_reports_the_same_total_and_waits_as_drawn() {
        let workload = mixed();
        let sequential = run_sequential(&workload, &lone_lane());
        let threaded = run_threaded(&workload, &monotonic_ms, &sleep_ms, on_std_threads);
        assert_eq!(sequential.total(), expected_total(&workload));
        assert_eq!(threaded.total(), expected_total(&workload));
        assert_eq!(sequential.time_in(SpanKind::LockWait), 0.0, "one lane alone never waits for the lock");
        for run in [&sequential, &threaded] {
            let mut waits: Vec<(u32, u32)> =
                run.spans.iter().filter(|s| s.kind == SpanKind::Wait).map(|s| (s.task, s.value as u32)).collect();
            waits.sort_unstable();
            let drawn: Vec<(u32, u32)> = (0..workload.items).map(|item| (item, workload.wait_ms(item, 0))).collect();
            assert_eq!(waits, drawn);
            let sent = run.spans.iter().filter(|s| s.kind == SpanKind::Send).map(|s| s.value).sum::<f64>();
            assert_eq!(sent, 12_000.0);
        }
    }

    #[test]
    fn the_lock_is_held_by_one_consumer_at_a_time() {
        let workload = Workload { queue: 0, concurrency: 4, stages: vec![stage(StageWork::Lock { units: 20 }, false)], ..mixed() };
        let run = run_threaded(&workload, &monotonic_ms, &sleep_ms, on_std_threads);
        let mut held: Vec<(f64, f64)> = run.spans.iter().filter(|s| s.kind == SpanKind::Locked).map(|s| (s.start_ms, s.end_ms)).collect();
        assert_eq!(held.len(), 12);
        held.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(held.windows(2).all(|pair| pair[0].1 <= pair[1].0), "two consumers held the lock at once: {held:?}");
        assert!(run.time_in(SpanKind::LockWait) > 0.0, "four consumers queued for one lock");
        assert_eq!(run.peak_queue, Some(12), "without a producer every item is queued at the start");
    }

    #[test]
    fn a_full_queue_taken_from_by_many_consumers_never_reports_more_than_its_bound() {
        // The producer waits for room most of the time, so each take lets it put another item
        // at once: counted after the take, that item and the one taken made the bound plus one.
        let workload = Workload {
            items: 400,
            concurrency: 4,
            queue: 3,
            seed: 1,
            stages: vec![stage(StageWork::Compute { units: 1 }, true), stage(StageWork::Compute { units: 3 }, false)],
        };
        for _ in 0..5 {
            let run = run_threaded(&workload, &monotonic_ms, &sleep_ms, on_std_threads);
            assert!((1..=3).contains(&run.peak_queue.unwrap()), "peak {:?} with a bound of 3", run.peak_queue);
        }
    }

    #[test]
    fn a_bounded_queue_makes_a_fast_producer_wait_for_room() {
        let workload = Workload {
            items: 10,
            concurrency: 1,
            queue: 2,
            seed: 1,
            stages: vec![stage(StageWork::Compute { units: 1 }, true), stage(StageWork::Blocking { ms: 5 }, false)],
        };
        let run = run_threaded(&workload, &monotonic_ms, &sleep_ms, on_std_threads);
        assert_eq!(run.total(), expected_total(&workload));
        let peak = run.peak_queue.unwrap();
        assert_eq!(peak, 2, "a consumer slower than the producer finds the queue full");
        assert!(run.time_in(SpanKind::Room) > 5.0, "the producer never waited for room: {:?}", run.spans);
        let unbounded = run_threaded(&Workload { queue: 0, ..workload }, &monotonic_ms, &sleep_ms, on_std_threads);
        assert!(unbounded.peak_queue.unwrap() > 2, "without a bound the producer runs ahead");
        assert!(unbounded.time_in(SpanKind::Room).is_sign_positive() && unbounded.time_in(SpanKind::Room) == 0.0);
    }

    #[test]
    fn threads_overlap_their_waits() {
        let workload = Workload {
            items: 8,
            concurrency: 4,
            queue: 0,
            seed: 1,
            stages: vec![stage(StageWork::Wait { mean_ms: 20, distribution: Distribution::Fixed }, false)],
        };
        let started = monotonic_ms();
        run_threaded(&workload, &monotonic_ms, &sleep_ms, on_std_threads);
        let took = monotonic_ms() - started;
        assert!(took < 120.0, "eight 20 ms waits on four threads took {took:.0} ms");
    }
}
