//! Many tasks that do nothing but wait: the async-scale demo's workload. Each task waits a
//! seeded latency (spread evenly from 0 to twice the mean), so the same parameters give the same
//! tasks in every mode; what differs is how many wait at once, and what each waiting task costs.
//!
//! A pool of K blocked threads waits for K tasks at a time, so N tasks take about N / K × the
//! mean latency. `pool_estimate_ms` predicts that before a run, so a run that would take minutes
//! is refused with the estimate instead of started.

use super::requests::{Distribution, Requests};

/// The longest a pool run may be expected to take before it is refused, in milliseconds.
pub const POOL_BUDGET_MS: f64 = 15_000.0;

/// The sizes a sweep runs up to `count`: every power of ten from 10 below it, then `count`.
pub fn sweep_sizes(count: u32) -> Vec<u32> {
    let mut sizes: Vec<u32> = std::iter::successors(Some(10u32), |n| n.checked_mul(10)).take_while(|&n| n < count).collect();
    sizes.push(count);
    sizes
}

/// `count` waiting tasks, the same for every mode that runs them.
#[derive(Clone, Copy, Debug)]
pub struct WaitingTasks {
    pub count: u32,
    pub mean_ms: u32,
    pub seed: u64,
}

impl WaitingTasks {
    /// The tasks as requests: a task is a request that only waits.
    pub fn requests(&self) -> Requests {
        Requests { count: self.count, mean_ms: self.mean_ms, distribution: Distribution::Uniform, seed: self.seed }
    }

    /// How long task `index` waits, in whole milliseconds.
    pub fn latency_ms(&self, index: u32) -> u32 {
        self.requests().latency_ms(index)
    }

    /// How long `threads` blocked threads take for every task, when each takes the next task in
    /// order as soon as it is free (the longest any thread is busy): about count / threads × mean.
    pub fn pool_estimate_ms(&self, threads: u32) -> f64 {
        let threads = threads.max(1) as usize;
        let mut free_at = vec![0u64; threads.min(self.count.max(1) as usize)];
        for index in 0..self.count {
            // The thread that is free first takes the next task.
            let (earliest, _) = free_at.iter().enumerate().min_by_key(|&(_, at)| *at).unwrap_or((0, &0));
            free_at[earliest] += u64::from(self.latency_ms(index));
        }
        free_at.into_iter().max().unwrap_or(0) as f64
    }

    /// Why a pool of `threads` should not run these tasks (it would take longer than
    /// `POOL_BUDGET_MS`), or `None`.
    pub fn pool_refusal(&self, threads: u32) -> Option<(f64, String)> {
        let estimate = self.pool_estimate_ms(threads);
        (estimate > POOL_BUDGET_MS).then(|| {
            (
                estimate,
                format!(
                    "refused: {} threads blocked by {} tasks of about {} ms would take about {:.0} s (the limit is {:.0} s)",
                    threads,
                    self.count,
                    self.mean_ms,
                    estimate / 1000.0,
                    POOL_BUDGET_MS / 1000.0
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeps_go_up_in_powers_of_ten_and_end_at_the_count() {
        assert_eq!(sweep_sizes(10), [10]);
        assert_eq!(sweep_sizes(50), [10, 50]);
        assert_eq!(sweep_sizes(1_000), [10, 100, 1_000]);
        assert_eq!(sweep_sizes(100_000), [10, 100, 1_000, 10_000, 100_000]);
        assert_eq!(sweep_sizes(25_000), [10, 100, 1_000, 10_000, 25_000]);
    }

    #[test]
    fn latencies_are_seeded_and_average_the_mean() {
        let tasks = WaitingTasks { count: 10_000, mean_ms: 50, seed: 3 };
        assert_eq!(tasks.latency_ms(17), WaitingTasks { ..tasks }.latency_ms(17));
        assert!((0..tasks.count).all(|i| tasks.latency_ms(i) <= 100));
        let mean = tasks.requests().total_latency_ms() as f64 / f64::from(tasks.count);
        assert!((mean - 50.0).abs() < 1.5, "{mean}");
    }

    #[test]
    fn a_pool_takes_about_count_over_threads_times_the_mean() {
        let tasks = WaitingTasks { count: 1_000, mean_ms: 50, seed: 1 };
        let total = tasks.requests().total_latency_ms() as f64;
        assert_eq!(tasks.pool_estimate_ms(1), total);
        for threads in [2, 8, 16, 64] {
            let estimate = tasks.pool_estimate_ms(threads);
            let ideal = total / f64::from(threads);
            assert!(estimate >= ideal && estimate <= ideal + 100.0, "{threads}: {estimate} vs {ideal}");
        }
    }

    #[test]
    fn more_threads_than_tasks_take_as_long_as_the_slowest_task() {
        let tasks = WaitingTasks { count: 10, mean_ms: 40, seed: 9 };
        let slowest = (0..10).map(|i| tasks.latency_ms(i)).max().unwrap();
        assert_eq!(tasks.pool_estimate_ms(64), f64::from(slowest));
        assert_eq!(WaitingTasks { count: 0, ..tasks }.pool_estimate_ms(4), 0.0);
    }

    #[test]
    fn long_pool_runs_are_refused_with_their_estimate() {
        let tasks = WaitingTasks { count: 10_000, mean_ms: 50, seed: 1 };
        let (estimate, why) = tasks.pool_refusal(16).expect("about 31 s is over the limit");
        assert!(estimate > POOL_BUDGET_MS, "{estimate}");
        assert!(why.contains("16 threads") && why.contains("10000 tasks") && why.contains("limit is 15 s"), "{why}");
        assert!(WaitingTasks { count: 1_000, ..tasks }.pool_refusal(16).is_none());
    }
}
