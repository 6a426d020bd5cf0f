//! A race condition on purpose: threads add one to a shared counter, many times each.
//!
//! `Racy` reads the counter, does a little work, and writes back what it read plus one: when
//! another thread writes in between, one of the two additions is lost. `Locked` does the same
//! under a lock, `Atomic` adds with one indivisible instruction; both lose nothing. The racy
//! counter uses atomic loads and stores (Rust forbids a true data race), which keeps every read
//! and write whole but, as in the Python `counter += 1` it stands for, not the pair.
//!
//! A timed run also records a sample of its additions as they really happened ([`Sample`]: what
//! a thread read, what the counter held just before it wrote back, and what it wrote), about
//! [`SAMPLES_PER_BATCH`] per batch, so a replay can show a lost update step by step. Only the
//! sampled additions read the clock, and each reads the counter once more just before writing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use super::timeline::{Span, SpanKind};

/// How each thread adds one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// Read, work, write: additions can be lost.
    Racy,
    /// Read, work, write while holding a mutex.
    Locked,
    /// Work, then one atomic add.
    Atomic,
}

/// A counter the threads of one run share.
#[derive(Default)]
pub struct Counter {
    value: AtomicU64,
    locked: Mutex<u64>,
}

/// The pieces a lane's increments are timed in, for the timeline.
pub const BATCHES: u32 = 8;

/// About how many additions of each batch are recorded as samples.
pub const SAMPLES_PER_BATCH: u32 = 32;

/// One addition as it really happened, on the shared clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The lane (thread) that made it.
    pub lane: u32,
    /// Just before the thread read the counter.
    pub read_ms: f64,
    /// The value it read.
    pub seen: u64,
    /// Just after it wrote back.
    pub write_ms: f64,
    /// What the counter held just before the write: more than `seen` when other threads added
    /// in between, whose additions this write erases.
    pub before: u64,
    /// The value it wrote.
    pub wrote: u64,
}

/// "A little work" between reading and writing: long enough that threads do overlap there.
fn think(x: u64) -> u64 {
    let mut h = x;
    for _ in 0..8 {
        h = std::hint::black_box(h ^ (h << 13));
        h ^= h >> 7;
    }
    h
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// The counter's value once every thread is done.
    pub fn value(&self) -> u64 {
        self.value.load(Ordering::SeqCst) + *self.locked.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds one, `times` times, the `how` way.
    pub fn add(&self, how: Counting, times: u32) {
        for _ in 0..times {
            match how {
                Counting::Racy => {
                    let seen = self.value.load(Ordering::Relaxed);
                    std::hint::black_box(think(seen));
                    self.value.store(seen + 1, Ordering::Relaxed);
                }
                Counting::Locked => {
                    let mut value = self.locked.lock().unwrap_or_else(PoisonError::into_inner);
                    let seen = *value;
                    std::hint::black_box(think(seen));
                    *value = seen + 1;
                }
                Counting::Atomic => {
                    std::hint::black_box(think(u64::from(times)));
                    self.value.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    /// Adds one the `how` way, recording when and what was read and written.
    fn add_sampled(&self, how: Counting, lane: u32, clock: &dyn Fn() -> f64) -> Sample {
        match how {
            Counting::Racy => {
                let read_ms = clock();
                let seen = self.value.load(Ordering::Relaxed);
                std::hint::black_box(think(seen));
                let before = self.value.load(Ordering::Relaxed);
                self.value.store(seen + 1, Ordering::Relaxed);
                Sample { lane, read_ms, seen, write_ms: clock(), before, wrote: seen + 1 }
            }
            Counting::Locked => {
                let mut value = self.locked.lock().unwrap_or_else(PoisonError::into_inner);
                let read_ms = clock();
                let seen = *value;
                std::hint::black_box(think(seen));
                let before = *value;
                *value = seen + 1;
                Sample { lane, read_ms, seen, write_ms: clock(), before, wrote: seen + 1 }
            }
            Counting::Atomic => {
                std::hint::black_box(think(1));
                let read_ms = clock();
                let before = self.value.fetch_add(1, Ordering::Relaxed);
                Sample { lane, read_ms, seen: before, write_ms: clock(), before, wrote: before + 1 }
            }
        }
    }

    /// Adds one `times` times the `how` way, recording about `SAMPLES_PER_BATCH` of them.
    fn add_sampling(&self, how: Counting, times: u32, lane: u32, clock: &dyn Fn() -> f64, samples: &mut Vec<Sample>) {
        let every = (times / SAMPLES_PER_BATCH).max(1);
        let mut left = times;
        while left > 0 {
            let plain = (every - 1).min(left - 1);
            self.add(how, plain);
            samples.push(self.add_sampled(how, lane, clock));
            left -= plain + 1;
        }
    }

    /// One lane's share of a run: `increments` additions in `BATCHES` timed pieces (task numbers
    /// `first_task..first_task + BATCHES`; each span's value is the additions it made), and the
    /// sampled additions.
    pub fn add_timed(&self, how: Counting, increments: u32, lane: u32, first_task: u32, clock: &dyn Fn() -> f64) -> (Vec<Span>, Vec<Sample>) {
        let mut samples = Vec::new();
        let spans = (0..BATCHES)
            .map(|batch| {
                let times = share(increments, BATCHES, batch);
                let start_ms = clock();
                self.add_sampling(how, times, lane, clock, &mut samples);
                let task = first_task.saturating_add(batch);
                Span { task, lane, start_ms, end_ms: clock(), value: f64::from(times), kind: SpanKind::Task }
            })
            .collect();
        (spans, samples)
    }
}

/// Piece `index` of `total` split into `parts` near-equal whole parts.
pub fn share(total: u32, parts: u32, index: u32) -> u32 {
    let parts = u64::from(parts.max(1));
    let at = |i: u64| u64::from(total) * i.min(parts) / parts;
    (at(u64::from(index) + 1) - at(u64::from(index))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::timeline::monotonic_ms;
    use std::sync::{Arc, Barrier};

    /// `threads` threads each adding `increments` times, started together; the final count.
    fn race(how: Counting, threads: u32, increments: u32) -> u64 {
        let counter = Arc::new(Counter::new());
        let start = Arc::new(Barrier::new(threads as usize));
        let handles: Vec<_> = (0..threads)
            .map(|lane| {
                let (counter, start) = (Arc::clone(&counter), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    counter.add_timed(how, increments, lane, lane * BATCHES, &monotonic_ms).0
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        counter.value()
    }

    #[test]
    fn shares_add_up() {
        for (total, parts) in [(0, 8), (7, 8), (100, 8), (1_000_001, 8), (5, 1), (5, 0)] {
            let sum: u32 = (0..parts.max(1)).map(|i| share(total, parts, i)).sum();
            assert_eq!(sum, total, "{total} in {parts}");
        }
    }

    #[test]
    fn one_thread_never_loses_an_addition() {
        for how in [Counting::Racy, Counting::Locked, Counting::Atomic] {
            assert_eq!(race(how, 1, 10_000), 10_000, "{how:?}");
        }
    }

    #[test]
    fn the_lock_and_the_atomic_lose_nothing_on_many_threads() {
        assert_eq!(race(Counting::Locked, 4, 20_000), 80_000);
        assert_eq!(race(Counting::Atomic, 4, 20_000), 80_000);
    }

    #[test]
    fn racing_threads_never_count_more_than_they_add() {
        // Whether additions are lost depends on the machine's scheduling, so only the bound is
        // certain; the browser test and the page show the loss.
        assert!(race(Counting::Racy, 4, 20_000) <= 80_000);
    }

    #[test]
    fn timed_batches_cover_every_addition() {
        let counter = Counter::new();
        let (spans, _) = counter.add_timed(Counting::Atomic, 1_003, 2, 16, &monotonic_ms);
        assert_eq!(spans.len(), BATCHES as usize);
        assert_eq!(spans.iter().map(|s| s.value).sum::<f64>(), 1_003.0);
        assert_eq!(spans.iter().map(|s| s.task).collect::<Vec<_>>(), (16..24).collect::<Vec<_>>());
        assert!(spans.iter().all(|s| s.lane == 2));
        assert_eq!(counter.value(), 1_003);
    }

    #[test]
    fn samples_are_real_additions_in_order() {
        for how in [Counting::Racy, Counting::Locked, Counting::Atomic] {
            let counter = Counter::new();
            let (_, samples) = counter.add_timed(how, 10_000, 1, 8, &monotonic_ms);
            // About SAMPLES_PER_BATCH per batch, never more than one per addition.
            assert!(samples.len() >= (BATCHES * SAMPLES_PER_BATCH) as usize / 2, "{how:?}: {}", samples.len());
            assert!(samples.len() <= 10_000, "{how:?}");
            // One thread alone: every read is the counter's true value, and nothing is lost.
            for pair in samples.windows(2) {
                assert!(pair[0].wrote <= pair[1].seen, "{how:?}: {pair:?}");
                assert!(pair[0].write_ms <= pair[1].read_ms, "{how:?}: {pair:?}");
            }
            for sample in &samples {
                assert_eq!((sample.lane, sample.before, sample.wrote), (1, sample.seen, sample.seen + 1), "{how:?}");
                assert!(sample.read_ms <= sample.write_ms, "{how:?}");
            }
            assert_eq!(samples.last().unwrap().wrote, 10_000, "{how:?}: the last addition is sampled");
        }
    }

    #[test]
    fn a_batch_smaller_than_the_sampling_is_sampled_whole() {
        let counter = Counter::new();
        let (_, samples) = counter.add_timed(Counting::Racy, 8 * 3, 0, 0, &monotonic_ms);
        assert_eq!(samples.iter().map(|s| s.wrote).collect::<Vec<_>>(), (1..=24).collect::<Vec<_>>());
    }
}
