//! Workloads: work an author describes in a `workload` demo block instead of writing a kernel.
//!
//! A workload is `items` passing through a list of stages. Stages marked `on = "producer"` make
//! each item, one item after another, on one producer; the rest (the consumer stages) are run by
//! up to `concurrency` consumers at once, which take items from a queue the producer fills. With
//! `queue` above 0 the queue holds at most that many items and a producer that gets ahead waits
//! for room (backpressure); with 0 it has no bound. Without producer stages every item is ready
//! at the start.
//!
//! This module is the description and its rules, shared by the site generator (which checks a
//! block at build time and names the key at fault) and the WebAssembly surface (which checks
//! what the page hands it). The stages' work is done by `kernels::workload`.

use crate::kernels::requests::Distribution;
use crate::kernels::seeded;

/// The most items a workload may have.
pub const MOST_ITEMS: u32 = 1_000;
/// The most items in flight at once (threads, worker processes, or tasks).
pub const MOST_CONCURRENCY: u32 = 32;
/// The most stages one item passes through.
pub const MOST_STAGES: usize = 8;
/// The most work units in one compute or lock stage (one unit is about [`UNIT_MS`]).
pub const MOST_UNITS: u32 = 5_000;
/// The longest mean of a wait stage, in milliseconds.
pub const MOST_WAIT_MS: u32 = 5_000;
/// The longest blocking call, in milliseconds: on the page's own thread it freezes the page.
pub const MOST_BLOCKING_MS: u32 = 1_000;
/// The largest message a send stage sends, in bytes (4 MiB).
pub const MOST_BYTES: u32 = 4 * 1024 * 1024;
/// About how long one unit of work takes in a browser, in milliseconds: 0.107 ms measured over
/// 800 units one at a time in Chromium on a two-core machine (0.086 ms natively), rounded up.
pub const UNIT_MS: f64 = 0.11;
/// About how fast a message is copied between workers, in bytes per millisecond (1 GB/s).
pub const BYTES_PER_MS: f64 = 1_000_000.0;
/// The longest a workload may take one item at a time, in milliseconds: its slowest way of
/// running then stays near this, and all five ways together within about 30 seconds.
pub const MOST_SEQUENTIAL_MS: f64 = 6_000.0;

/// The ways a workload can run, in the order the page shows them.
pub const WORKLOAD_MODES: &[&str] = &["sequential", "threads", "processes", "async", "async-pool"];

/// A workload, as an author describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub items: u32,
    pub concurrency: u32,
    /// The most items made but not yet taken by a consumer; 0 for no bound.
    pub queue: u32,
    pub seed: u32,
    pub stages: Vec<Stage>,
}

/// One stage every item passes through.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stage {
    pub work: StageWork,
    /// Whether the producer runs this stage (it makes the items) or the consumers do.
    pub producer: bool,
}

/// What a stage does with an item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StageWork {
    /// Computes `units` units of work (counting primes in a fixed window each).
    Compute { units: u32 },
    /// Waits without using the CPU (simulated I/O) for a seeded time around `mean_ms`.
    Wait { mean_ms: u32, distribution: Distribution },
    /// Sends a message of `bytes` bytes to the next stage (copied between processes).
    Send { bytes: u32 },
    /// Takes the one lock every consumer shares and computes `units` units holding it.
    Lock { units: u32 },
    /// Calls something that blocks its thread for `ms` milliseconds: in async code, the whole
    /// event loop stops, unless the call is handed to a pool of threads.
    Blocking { ms: u32 },
}

/// The key a problem is about: a top-level key, or a key of stage `index` (from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Top(&'static str),
    Stage(usize, &'static str),
}

/// A rule a workload breaks: where, what is wrong, and what would be valid.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub at: Field,
    pub message: String,
    pub help: String,
}

/// The stage kinds, as a block names them.
pub const KINDS: &[&str] = &["compute", "wait", "send", "lock", "blocking"];

impl StageWork {
    /// The name a block gives this kind (`kind = "wait"`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Compute { .. } => "compute",
            Self::Wait { .. } => "wait",
            Self::Send { .. } => "send",
            Self::Lock { .. } => "lock",
            Self::Blocking { .. } => "blocking",
        }
    }

    /// The keys a stage of `kind` may have besides `kind` and `on`, the first one required.
    pub fn keys_of(kind: &str) -> Option<&'static [&'static str]> {
        match kind {
            "compute" | "lock" => Some(&["units"]),
            "wait" => Some(&["mean_ms", "distribution"]),
            "send" => Some(&["bytes"]),
            "blocking" => Some(&["ms"]),
            _ => None,
        }
    }

    /// About how long this stage takes for one item, in milliseconds, alone on a lane.
    fn estimated_ms(&self) -> f64 {
        match *self {
            Self::Compute { units } | Self::Lock { units } => f64::from(units) * UNIT_MS,
            Self::Wait { mean_ms, .. } => f64::from(mean_ms),
            Self::Send { bytes } => f64::from(bytes) / BYTES_PER_MS,
            Self::Blocking { ms } => f64::from(ms),
        }
    }
}

impl Workload {
    /// Every rule this workload breaks (none: it may run).
    pub fn check(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut top = |name: &'static str, value: u32, min: u32, max: u32, help: &str| {
            if !(min..=max).contains(&value) {
                problems.push(Problem {
                    at: Field::Top(name),
                    message: format!("`{name}` = {value} is out of range: it must be between {min} and {max}"),
                    help: help.to_owned(),
                });
            }
        };
        top("items", self.items, 1, MOST_ITEMS, "`items`: how many items pass through the stages");
        top("concurrency", self.concurrency, 1, MOST_CONCURRENCY, "`concurrency`: how many items are worked on at once");
        top("queue", self.queue, 0, MOST_ITEMS, "`queue`: the most items waiting between producer and consumers (0: no bound)");
        top("seed", self.seed, 0, 999_999, "`seed`: picks the waits; the same seed gives the same workload");
        for (index, stage) in self.stages.iter().enumerate() {
            problems.extend(stage_problem(index, stage));
        }
        problems.extend(self.shape_problems());
        if problems.is_empty() {
            problems.extend(self.time_problem());
        }
        problems
    }

    /// Stages in an order that cannot run, and settings that can never matter.
    fn shape_problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.stages.is_empty() || self.stages.len() > MOST_STAGES {
            problems.push(Problem {
                at: Field::Top("stage"),
                message: format!("a workload has 1 to {MOST_STAGES} stages, not {}", self.stages.len()),
                help: "add one `[[stage]]` table per stage, such as `[[stage]]` then `kind = \"compute\"` and `units = 100`".into(),
            });
        }
        if let Some(late) = self.stages.iter().enumerate().skip_while(|(_, s)| s.producer).find(|(_, s)| s.producer) {
            problems.push(Problem {
                at: Field::Stage(late.0, "on"),
                message: "a producer stage comes after a consumer stage".into(),
                help: "the producer makes each item before the consumers take it: put the stages with `on = \"producer\"` first".into(),
            });
        }
        if !self.stages.is_empty() && self.stages.iter().all(|s| s.producer) {
            problems.push(Problem {
                at: Field::Top("stage"),
                message: "every stage is a producer stage, so nothing consumes the items".into(),
                help: "leave `on` out of the stages the consumers run (`on = \"consumer\"` is the default)".into(),
            });
        }
        if self.queue > 0 && !self.has_producer() {
            problems.push(Problem {
                at: Field::Top("queue"),
                message: format!("`queue` = {} bounds a queue no producer fills: every item is ready at the start", self.queue),
                help: "mark the first stages `on = \"producer\"`, or leave `queue` out".into(),
            });
        } else if self.queue >= self.items && self.queue > 0 {
            problems.push(Problem {
                at: Field::Top("queue"),
                message: format!("`queue` = {} never fills with {} items, so it bounds nothing", self.queue, self.items),
                help: format!("pick a bound below {} items, or 0 for no bound", self.items),
            });
        }
        problems
    }

    /// Too much work: more than [`MOST_SEQUENTIAL_MS`] one item at a time.
    fn time_problem(&self) -> Option<Problem> {
        let per_item: f64 = self.stages.iter().map(|s| s.work.estimated_ms()).sum();
        let total = self.estimated_sequential_ms();
        (total > MOST_SEQUENTIAL_MS).then(|| Problem {
            at: Field::Top("items"),
            message: format!(
                "this workload would take about {:.1} s one item at a time ({} items × {:.0} ms)",
                total / 1000.0,
                self.items,
                per_item
            ),
            help: format!(
                "keep it under {:.0} s, so every way of running it finishes in about 30 s: fewer items, or smaller stages \
                 (a compute unit is about {UNIT_MS} ms)",
                MOST_SEQUENTIAL_MS / 1000.0
            ),
        })
    }

    /// About how long the workload takes one item at a time, in milliseconds (waits as drawn).
    pub fn estimated_sequential_ms(&self) -> f64 {
        let mut total = 0.0;
        for (index, stage) in self.stages.iter().enumerate() {
            total += match stage.work {
                StageWork::Wait { .. } => (0..self.items).map(|item| f64::from(self.wait_ms(item, index))).sum(),
                work => work.estimated_ms() * f64::from(self.items),
            };
        }
        total
    }

    /// Whether a producer makes the items (some stage is `on = "producer"`).
    pub fn has_producer(&self) -> bool {
        self.stages.iter().any(|s| s.producer)
    }

    /// Whether some stage is a blocking call (the async-with-a-pool way then differs from async).
    pub fn has_blocking(&self) -> bool {
        self.stages.iter().any(|s| matches!(s.work, StageWork::Blocking { .. }))
    }

    /// How long item `item` waits in stage `stage` (a wait stage), in whole milliseconds: seeded,
    /// the same in every mode and in the Python twin (`seeded::unit(seed, item * 16 + stage)`).
    /// 0 for a stage that is not a wait.
    pub fn wait_ms(&self, item: u32, stage: usize) -> u32 {
        let StageWork::Wait { mean_ms, distribution } = self.stages[stage].work else { return 0 };
        let mean = f64::from(mean_ms);
        let u = seeded::unit(u64::from(self.seed), u64::from(item) * 16 + stage as u64);
        let drawn = match distribution {
            Distribution::Fixed => mean,
            Distribution::Uniform => 2.0 * mean * u,
            Distribution::Exponential => (-mean * (1.0 - u).ln()).min(10.0 * mean),
        };
        drawn.round() as u32
    }

    /// The stages as the page hands them to the WebAssembly module: four numbers per stage,
    /// `[kind, producer, a, b]` with kind 0 compute (a = units), 1 wait (a = mean_ms, b = the
    /// distribution's index in `Distribution::NAMES`), 2 send (a = bytes), 3 lock (a = units),
    /// 4 blocking (a = ms); producer 1 or 0.
    pub fn flat_stages(&self) -> Vec<u32> {
        self.stages
            .iter()
            .flat_map(|stage| {
                let (kind, a, b) = match stage.work {
                    StageWork::Compute { units } => (0, units, 0),
                    StageWork::Wait { mean_ms, distribution } => (1, mean_ms, distribution_index(distribution)),
                    StageWork::Send { bytes } => (2, bytes, 0),
                    StageWork::Lock { units } => (3, units, 0),
                    StageWork::Blocking { ms } => (4, ms, 0),
                };
                [kind, u32::from(stage.producer), a, b]
            })
            .collect()
    }

    /// A workload from the page's numbers ([`Workload::flat_stages`]), checked: the first
    /// problem's message if it breaks a rule.
    pub fn from_flat(items: u32, concurrency: u32, queue: u32, seed: u32, flat: &[u32]) -> Result<Self, String> {
        if flat.len() % 4 != 0 {
            return Err(format!("the stages must be 4 numbers each, not {} numbers", flat.len()));
        }
        let stages = flat
            .chunks_exact(4)
            .map(|s| {
                let work = match s[0] {
                    0 => StageWork::Compute { units: s[2] },
                    1 => StageWork::Wait {
                        mean_ms: s[2],
                        distribution: *[Distribution::Fixed, Distribution::Uniform, Distribution::Exponential]
                            .get(s[3] as usize)
                            .ok_or_else(|| format!("unknown distribution number {}", s[3]))?,
                    },
                    2 => StageWork::Send { bytes: s[2] },
                    3 => StageWork::Lock { units: s[2] },
                    4 => StageWork::Blocking { ms: s[2] },
                    other => return Err(format!("unknown stage kind number {other}")),
                };
                Ok(Stage { work, producer: s[1] == 1 })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let workload = Self { items, concurrency, queue, seed, stages };
        match workload.check().into_iter().next() {
            Some(problem) => Err(problem.message),
            None => Ok(workload),
        }
    }
}

fn distribution_index(distribution: Distribution) -> u32 {
    match distribution {
        Distribution::Fixed => 0,
        Distribution::Uniform => 1,
        Distribution::Exponential => 2,
    }
}

/// The size of a stage of `kind`: its key, the smallest and largest value, and what it means.
pub fn size_of(kind: &str) -> Option<(&'static str, u32, u32, &'static str)> {
    match kind {
        "compute" => Some(("units", 1, MOST_UNITS, "units of work (one is about 0.11 ms)")),
        "lock" => Some(("units", 1, MOST_UNITS, "units of work done holding the lock")),
        "wait" => Some(("mean_ms", 1, MOST_WAIT_MS, "the mean wait, in milliseconds")),
        "send" => Some(("bytes", 1, MOST_BYTES, "the message's size in bytes (at most 4 MiB)")),
        "blocking" => Some(("ms", 1, MOST_BLOCKING_MS, "how long the call blocks, in milliseconds")),
        _ => None,
    }
}

/// A stage's size out of range.
fn stage_problem(index: usize, stage: &Stage) -> Option<Problem> {
    let value = match stage.work {
        StageWork::Compute { units } | StageWork::Lock { units } => units,
        StageWork::Wait { mean_ms, .. } => mean_ms,
        StageWork::Send { bytes } => bytes,
        StageWork::Blocking { ms } => ms,
    };
    let (key, min, max, what) = size_of(stage.work.kind())?;
    (!(min..=max).contains(&value)).then(|| Problem {
        at: Field::Stage(index, key),
        message: format!("a {} stage's `{key}` = {value} is out of range: it must be between {min} and {max}", stage.work.kind()),
        help: format!("`{key}`: {what}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(work: StageWork) -> Stage {
        Stage { work, producer: false }
    }

    fn workload(stages: Vec<Stage>) -> Workload {
        Workload { items: 40, concurrency: 4, queue: 0, seed: 1, stages }
    }

    #[test]
    fn a_plain_workload_breaks_no_rule() {
        let w = workload(vec![stage(StageWork::Wait { mean_ms: 20, distribution: Distribution::Exponential }), stage(StageWork::Compute { units: 50 })]);
        assert_eq!(w.check(), vec![]);
    }

    #[test]
    fn out_of_range_sizes_name_their_stage_and_key() {
        let w = workload(vec![stage(StageWork::Compute { units: 0 }), stage(StageWork::Send { bytes: MOST_BYTES + 1 })]);
        let at: Vec<Field> = w.check().into_iter().map(|p| p.at).collect();
        assert_eq!(at, vec![Field::Stage(0, "units"), Field::Stage(1, "bytes")]);
    }

    #[test]
    fn producer_stages_come_first_and_a_queue_needs_a_producer() {
        let mut w = workload(vec![stage(StageWork::Compute { units: 1 }), Stage { work: StageWork::Compute { units: 1 }, producer: true }]);
        w.queue = 4;
        let at: Vec<Field> = w.check().into_iter().map(|p| p.at).collect();
        assert_eq!(at, vec![Field::Stage(1, "on")]);
        w.stages.swap(0, 1);
        assert_eq!(w.check(), vec![]);
        w.queue = 40;
        assert_eq!(w.check()[0].at, Field::Top("queue"));
        w.stages[1].producer = false;
        w.stages[0].producer = false;
        w.queue = 4;
        assert!(w.check()[0].message.contains("no producer fills"));
    }

    #[test]
    fn too_much_work_is_refused_with_the_estimate() {
        let w = workload(vec![stage(StageWork::Blocking { ms: 1_000 })]);
        let problems = w.check();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("about 40.0 s"), "{}", problems[0].message);
    }

    #[test]
    fn waits_are_seeded_and_flat_stages_round_trip() {
        let w = workload(vec![
            Stage { work: StageWork::Wait { mean_ms: 20, distribution: Distribution::Uniform }, producer: true },
            stage(StageWork::Lock { units: 3 }),
            stage(StageWork::Blocking { ms: 5 }),
            stage(StageWork::Send { bytes: 100 }),
        ]);
        assert_eq!(w.wait_ms(3, 0), w.wait_ms(3, 0));
        assert_eq!(w.wait_ms(3, 1), 0);
        assert!((0..40).all(|i| w.wait_ms(i, 0) <= 40));
        let back = Workload::from_flat(40, 4, 0, 1, &w.flat_stages()).unwrap();
        assert_eq!(back, w);
        assert!(Workload::from_flat(40, 4, 0, 1, &[9, 0, 1, 0]).is_err());
    }
}
