//! Simulated I/O: `count` requests, each answering after a latency drawn from a seeded
//! distribution. Handling a request is nothing but waiting for it, which is the point: the CPU
//! is idle, so what matters is how many requests are waited for at once.

use super::seeded;
use super::timeline::{Span, SpanKind};

/// How request latencies are spread around their mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distribution {
    /// Every request takes exactly the mean.
    Fixed,
    /// Evenly spread from 0 to twice the mean.
    Uniform,
    /// Mostly quick with a few slow ones (exponential, cut off at ten times the mean).
    Exponential,
}

impl Distribution {
    /// The names a `demo` block and the page use, in catalogue order.
    pub const NAMES: [&'static str; 3] = ["fixed", "uniform", "exponential"];

    /// The distribution called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "fixed" => Some(Self::Fixed),
            "uniform" => Some(Self::Uniform),
            "exponential" => Some(Self::Exponential),
            _ => None,
        }
    }
}

/// The longest an exponential latency may be, in means: keeps a run's length predictable.
const EXPONENTIAL_CUTOFF: f64 = 10.0;

/// A batch of simulated requests, the same for every mode that handles it.
#[derive(Clone, Copy, Debug)]
pub struct Requests {
    pub count: u32,
    pub mean_ms: u32,
    pub distribution: Distribution,
    pub seed: u64,
}

impl Requests {
    /// How long request `index` takes to answer, in whole milliseconds.
    pub fn latency_ms(&self, index: u32) -> u32 {
        let mean = f64::from(self.mean_ms);
        let u = seeded::unit(self.seed, u64::from(index));
        let latency = match self.distribution {
            Distribution::Fixed => mean,
            Distribution::Uniform => 2.0 * mean * u,
            Distribution::Exponential => (-mean * (1.0 - u).ln()).min(EXPONENTIAL_CUTOFF * mean),
        };
        latency.round() as u32
    }

    /// The sum of every latency: what a one-at-a-time run spends waiting, and the result every
    /// mode must report.
    pub fn total_latency_ms(&self) -> u64 {
        (0..self.count).map(|index| u64::from(self.latency_ms(index))).sum()
    }

    /// Handles the requests `indices` one after another on `lane`, blocking the thread for each
    /// with `block_ms`. One `Wait` span per request; its value is the latency.
    pub fn handle_blocking(
        &self,
        indices: impl IntoIterator<Item = u32>,
        lane: u32,
        clock: &dyn Fn() -> f64,
        block_ms: &dyn Fn(u32),
    ) -> Vec<Span> {
        indices.into_iter().map(|index| self.handle_one_blocking(index, lane, clock, block_ms)).collect()
    }

    /// Handles request `index` on `lane` by blocking for its latency.
    pub fn handle_one_blocking(&self, index: u32, lane: u32, clock: &dyn Fn() -> f64, block_ms: &dyn Fn(u32)) -> Span {
        let latency = self.latency_ms(index);
        let start_ms = clock();
        block_ms(latency);
        Span { task: index, lane, start_ms, end_ms: clock(), value: f64::from(latency), kind: SpanKind::Wait }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::timeline::monotonic_ms;

    fn requests(distribution: Distribution) -> Requests {
        Requests { count: 2_000, mean_ms: 40, distribution, seed: 7 }
    }

    fn mean_latency(requests: &Requests) -> f64 {
        requests.total_latency_ms() as f64 / f64::from(requests.count)
    }

    #[test]
    fn names_round_trip() {
        for name in Distribution::NAMES {
            assert!(Distribution::from_name(name).is_some(), "{name}");
        }
        assert_eq!(Distribution::from_name("normal"), None);
    }

    #[test]
    fn fixed_latencies_are_the_mean() {
        let fixed = requests(Distribution::Fixed);
        assert!((0..100).all(|i| fixed.latency_ms(i) == 40));
        assert_eq!(fixed.total_latency_ms(), 80_000);
    }

    #[test]
    fn uniform_latencies_stay_within_twice_the_mean_and_average_the_mean() {
        let uniform = requests(Distribution::Uniform);
        assert!((0..uniform.count).all(|i| uniform.latency_ms(i) <= 80));
        assert!((mean_latency(&uniform) - 40.0).abs() < 2.0, "{}", mean_latency(&uniform));
    }

    #[test]
    fn exponential_latencies_average_the_mean_and_are_cut_off() {
        let exponential = requests(Distribution::Exponential);
        assert!((0..exponential.count).all(|i| exponential.latency_ms(i) <= 400));
        assert!((mean_latency(&exponential) - 40.0).abs() < 3.0, "{}", mean_latency(&exponential));
        let quick = (0..exponential.count).filter(|&i| exponential.latency_ms(i) < 40).count();
        assert!(quick > 1_100, "most requests are quicker than the mean: {quick}");
    }

    #[test]
    fn the_same_seed_gives_the_same_latencies_and_another_seed_does_not() {
        let a = requests(Distribution::Exponential);
        let b = Requests { seed: 8, ..a };
        let latencies = |r: &Requests| (0..50).map(|i| r.latency_ms(i)).collect::<Vec<_>>();
        assert_eq!(latencies(&a), latencies(&a.clone()));
        assert_ne!(latencies(&a), latencies(&b));
    }

    #[test]
    fn blocking_handles_each_request_once_and_waits_its_latency() {
        let r = Requests { count: 6, mean_ms: 3, distribution: Distribution::Uniform, seed: 1 };
        let waited = std::cell::RefCell::new(Vec::new());
        let spans = r.handle_blocking([4, 0, 2], 1, &monotonic_ms, &|ms| waited.borrow_mut().push(ms));
        assert_eq!(spans.iter().map(|s| s.task).collect::<Vec<_>>(), [4, 0, 2]);
        assert_eq!(*waited.borrow(), [r.latency_ms(4), r.latency_ms(0), r.latency_ms(2)]);
        for span in &spans {
            assert_eq!((span.lane, span.kind), (1, SpanKind::Wait));
            assert_eq!(span.value, f64::from(r.latency_ms(span.task)));
        }
    }

    #[test]
    fn split_between_lanes_the_values_add_up_to_the_total() {
        let r = requests(Distribution::Exponential);
        let r = Requests { count: 30, ..r };
        let no_wait = |_: u32| {};
        let lanes: f64 = (0..3)
            .flat_map(|lane| r.handle_blocking((lane..r.count).step_by(3), lane, &monotonic_ms, &no_wait))
            .map(|span| span.value)
            .sum();
        assert_eq!(lanes as u64, r.total_latency_ms());
    }
}
