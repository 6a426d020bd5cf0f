//! The hybrid demo's work: a pipeline whose items are fetched (a simulated wait), processed
//! (primes counted by trial division in a chunk the fetch chose: CPU-bound) and stored (another
//! wait). Latencies and chunks are seeded, so every mode does the same work; the checksum over
//! what was stored says whether every item went through once.

use std::ops::Range;

use super::primes;
use super::requests::{Distribution, Requests};
use super::seeded;
use super::timeline::{Span, SpanKind};

/// Where fetched chunks may start: numbers of this size cost the same to test, give or take.
const CHUNKS_FROM: u32 = 1_000_000;
const CHUNKS_SPREAD: u64 = 10_000_000;
/// Keeps the fetch latencies, the store latencies and the chunks apart under one seed.
const STORE_SEED: u64 = 0x5704_E000;
const CHUNK_SEED: u64 = 0xC4C4_0000;

/// `items` items to fetch, process and store.
#[derive(Clone, Copy, Debug)]
pub struct Pipeline {
    pub items: u32,
    pub fetch_ms: u32,
    pub store_ms: u32,
    /// How many numbers each item's chunk holds (the CPU stage's size).
    pub chunk: u32,
    pub seed: u64,
}

impl Pipeline {
    fn fetches(&self) -> Requests {
        Requests { count: self.items, mean_ms: self.fetch_ms, distribution: Distribution::Uniform, seed: self.seed }
    }

    fn stores(&self) -> Requests {
        Requests { count: self.items, mean_ms: self.store_ms, distribution: Distribution::Uniform, seed: self.seed ^ STORE_SEED }
    }

    /// How long fetching item `index` takes, in milliseconds.
    pub fn fetch_latency_ms(&self, index: u32) -> u32 {
        self.fetches().latency_ms(index)
    }

    /// How long storing item `index` takes, in milliseconds.
    pub fn store_latency_ms(&self, index: u32) -> u32 {
        self.stores().latency_ms(index)
    }

    /// The numbers item `index` brings: a chunk of `chunk` numbers starting where its seed says.
    pub fn chunk_of(&self, index: u32) -> Range<u32> {
        let start = CHUNKS_FROM + (seeded::mix(self.seed ^ CHUNK_SEED, u64::from(index)) % CHUNKS_SPREAD) as u32;
        start..start.saturating_add(self.chunk)
    }

    /// The CPU stage: how many primes item `index`'s chunk holds.
    pub fn process(&self, index: u32) -> u64 {
        primes::count_primes_in(self.chunk_of(index))
    }

    /// What storing item `index` with `primes` adds to the checksum: the count weighted by the
    /// item's number, so a missing, repeated or mixed-up item changes the sum.
    pub fn checksum_term(index: u32, primes: u64) -> u64 {
        (u64::from(index) + 1) * primes
    }

    /// The checksum of a run that stored every item once.
    pub fn expected_checksum(&self) -> u64 {
        (0..self.items).map(|index| Self::checksum_term(index, self.process(index))).sum()
    }

    /// Processes item `index` on `lane`: one `Task` span whose value is the primes counted.
    pub fn process_timed(&self, index: u32, lane: u32, clock: &dyn Fn() -> f64) -> Span {
        Span::time(index, lane, clock, || self.process(index) as f64).1
    }

    /// Runs item `index` start to end on `lane`, blocking the thread for both waits: a `Fetch`,
    /// a `Task` and a `Store` span. The store's value is the primes stored.
    pub fn run_item_blocking(&self, index: u32, lane: u32, clock: &dyn Fn() -> f64, block_ms: &dyn Fn(u32)) -> [Span; 3] {
        let wait = |kind: SpanKind, latency: u32, value: f64| {
            let start_ms = clock();
            block_ms(latency);
            Span { task: index, lane, start_ms, end_ms: clock(), value, kind }
        };
        let fetch = wait(SpanKind::Fetch, self.fetch_latency_ms(index), f64::from(self.fetch_latency_ms(index)));
        let process = self.process_timed(index, lane, clock);
        let store = wait(SpanKind::Store, self.store_latency_ms(index), process.value);
        [fetch, process, store]
    }
}

/// The checksum of the stored items among `spans`.
pub fn checksum(spans: &[Span]) -> u64 {
    spans
        .iter()
        .filter(|span| span.kind == SpanKind::Store)
        .map(|span| Pipeline::checksum_term(span.task, span.value as u64))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::timeline::monotonic_ms;

    fn pipeline() -> Pipeline {
        Pipeline { items: 12, fetch_ms: 20, store_ms: 10, chunk: 5_000, seed: 4 }
    }

    #[test]
    fn chunks_are_seeded_sized_and_in_range() {
        let p = pipeline();
        for index in 0..p.items {
            let chunk = p.chunk_of(index);
            assert_eq!(chunk.len(), 5_000);
            assert!(chunk.start >= CHUNKS_FROM && u64::from(chunk.start) < u64::from(CHUNKS_FROM) + CHUNKS_SPREAD);
            assert_eq!(chunk, p.chunk_of(index));
        }
        assert_ne!(p.chunk_of(0), p.chunk_of(1));
        assert_ne!(p.chunk_of(0), Pipeline { seed: 5, ..p }.chunk_of(0));
    }

    #[test]
    fn processing_counts_the_primes_of_the_chunk() {
        let p = pipeline();
        let chunk = p.chunk_of(3);
        assert_eq!(p.process(3), chunk.filter(|&k| primes::is_prime(k)).count() as u64);
        assert!(p.process(3) > 100, "numbers near ten million: about one in sixteen is prime");
    }

    #[test]
    fn fetch_and_store_latencies_differ_and_stay_within_twice_their_means() {
        let p = pipeline();
        let fetches: Vec<_> = (0..p.items).map(|i| p.fetch_latency_ms(i)).collect();
        let stores: Vec<_> = (0..p.items).map(|i| p.store_latency_ms(i)).collect();
        assert!(fetches.iter().all(|&ms| ms <= 40) && stores.iter().all(|&ms| ms <= 20));
        assert_ne!(fetches, stores.iter().map(|ms| ms * 2).collect::<Vec<_>>());
    }

    #[test]
    fn an_item_run_start_to_end_fetches_processes_and_stores_in_order() {
        let p = pipeline();
        let waited = std::cell::RefCell::new(Vec::new());
        let [fetch, process, store] = p.run_item_blocking(5, 2, &monotonic_ms, &|ms| waited.borrow_mut().push(ms));
        assert_eq!([fetch.kind, process.kind, store.kind], [SpanKind::Fetch, SpanKind::Task, SpanKind::Store]);
        assert!(fetch.end_ms <= process.start_ms && process.end_ms <= store.start_ms);
        assert!([&fetch, &process, &store].iter().all(|span| span.task == 5 && span.lane == 2));
        assert_eq!(*waited.borrow(), [p.fetch_latency_ms(5), p.store_latency_ms(5)]);
        assert_eq!(store.value, p.process(5) as f64);
    }

    #[test]
    fn the_checksum_of_every_item_once_is_the_expected_one_and_notices_a_missing_item() {
        let p = pipeline();
        let no_wait = |_: u32| {};
        let mut spans: Vec<Span> = (0..p.items).rev().flat_map(|i| p.run_item_blocking(i, i % 3, &monotonic_ms, &no_wait)).collect();
        assert_eq!(checksum(&spans), p.expected_checksum());
        spans.retain(|span| span.task != 7);
        assert_ne!(checksum(&spans), p.expected_checksum());
    }
}
