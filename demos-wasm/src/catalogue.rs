//! The demos a chapter can embed, with the parameters an author may set on each.
//!
//! The site generator checks every `demo` block in the book against this list, and the
//! WebAssembly surface checks the numbers it is given against the same bounds.

/// One demo: what a chapter names in its `demo` block, and what the reader sees.
#[derive(Debug)]
pub struct DemoSpec {
    /// The name used in a `demo` block and in `data-demo` on the page.
    pub name: &'static str,
    /// A short title for the figure caption.
    pub title: &'static str,
    /// One sentence saying what the demo shows.
    pub summary: &'static str,
    /// The ways this demo runs its work: one results row each, in this order.
    pub modes: &'static [ModeSpec],
    /// The parameters an author may set, in the order they are shown.
    pub params: &'static [ParamSpec],
    /// When the page says the modes agree (`data-agree="true"`), in the reader's words.
    pub agreement: &'static str,
    /// The mode the others' speed-ups are measured against ([`speedup`]): on the page (through
    /// `data-spec`), in `make claims`, and in the demo's Python twin (which the tests hold to it).
    pub baseline: &'static str,
}

/// One way of running a demo's work: a row of its results table (`data-mode`).
#[derive(Debug)]
pub struct ModeSpec {
    pub name: &'static str,
    /// A few words under the mode's name.
    pub about: &'static str,
}

/// One parameter of a demo.
#[derive(Debug)]
pub struct ParamSpec {
    /// The key in the `demo` block, in `data-params`, and in the page's query string
    /// (`?primes.n=3000000`).
    pub name: &'static str,
    /// A few words labelling the parameter's control on the page.
    pub label: &'static str,
    /// What the parameter means, for authors' error messages and the reader's controls.
    pub help: &'static str,
    /// Which values are allowed, and the default.
    pub kind: ParamKind,
}

/// The values a parameter may take.
#[derive(Debug)]
pub enum ParamKind {
    /// An integer in min..=max; `default: None` means "decided in the browser" (e.g. workers = navigator.hardwareConcurrency).
    Int {
        min: i64,
        max: i64,
        default: Option<i64>,
    },
    /// One of `allowed` (a string).
    Choice {
        allowed: &'static [&'static str],
        default: &'static str,
    },
    /// On or off (`true` or `false`).
    Switch { default: bool },
    /// A non-empty list of distinct choices from `allowed`.
    Choices {
        allowed: &'static [&'static str],
        default: &'static [&'static str],
    },
}

impl DemoSpec {
    /// The parameter called `name`, if this demo has one.
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|param| param.name == name)
    }

    /// The bounds of the integer parameter `name`, if this demo has one.
    pub fn int_bounds(&self, name: &str) -> Option<(i64, i64)> {
        match self.param(name).map(|param| &param.kind) {
            Some(ParamKind::Int { min, max, .. }) => Some((*min, *max)),
            _ => None,
        }
    }

    /// The mode called `name`, if this demo has one.
    pub fn mode(&self, name: &str) -> Option<&'static ModeSpec> {
        self.modes.iter().find(|mode| mode.name == name)
    }
}

/// The four ways of running independent tasks that most demos compare.
pub const MODES: &[&str] = &["sequential", "threads", "processes", "async"];

const WORKERS: ParamSpec = ParamSpec {
    name: "workers",
    label: "workers",
    help: "how many threads or worker processes run the tasks (default: the reader's CPU count)",
    kind: ParamKind::Int { min: 1, max: MOST_WORKERS, default: None },
};

const fn modes_param(allowed: &'static [&'static str]) -> ParamSpec {
    ParamSpec {
        name: "modes",
        label: "modes",
        help: "which ways of running the work to compare",
        kind: ParamKind::Choices { allowed, default: allowed },
    }
}

const IO_MODES: &[&str] = &["sequential", "threads", "processes", "async"];
const GIL_MODES: &[&str] = &["sequential", "threads", "processes"];
const RACE_MODES: &[&str] = &["sequential", "unsafe", "lock", "atomic", "processes"];
const IPC_MODES: &[&str] = &["copy", "transfer", "shared"];
const RESPONSIVENESS_MODES: &[&str] = &["blocking", "yielding", "worker"];
const SCALE_MODES: &[&str] = &["async", "threads", "processes"];
const HYBRID_MODES: &[&str] = &["async", "threads", "async-processes"];

/// The most workers a demo may start for its processes: each is a WebAssembly instance of its own,
/// and the browser reserves address space for each instance's memory, so a tab runs out of it
/// (the instance fails to start) somewhere past a hundred, sooner with several demos on a page.
pub const MOST_WORKERS: i64 = 32;

/// The largest `n` the responsiveness demo counts primes below: its blocking mode freezes the
/// page for the whole count, which must stay within a second or so on a laptop (a few on a phone).
pub const RESPONSIVENESS_MAX_N: i64 = 5_000_000;

const SEED: ParamSpec = ParamSpec {
    name: "seed",
    label: "seed",
    help: "picks the latencies: the same seed gives the same work",
    kind: ParamKind::Int { min: 0, max: 999_999, default: Some(1) },
};

static CATALOGUE: &[DemoSpec] = &[
    DemoSpec {
        name: "primes",
        title: "Counting primes",
        summary: "Counts the primes below n by trial division in independent chunks, once per way \
                  of running them, and compares the wall times.",
        modes: &[
            ModeSpec { name: "sequential", about: "one worker, one thread" },
            ModeSpec { name: "threads", about: "threads sharing memory (rayon)" },
            ModeSpec { name: "processes", about: "separate workers, messages only" },
            ModeSpec { name: "async", about: "the page’s thread, yielding between chunks" },
        ],
        params: &[
            ParamSpec {
                name: "n",
                label: "count primes below",
                help: "count the primes below this number",
                kind: ParamKind::Int { min: 1_000, max: 20_000_000, default: Some(5_000_000) },
            },
            ParamSpec {
                name: "chunks",
                label: "chunks",
                help: "how many independent tasks the range is split into",
                kind: ParamKind::Int { min: 1, max: 4096, default: Some(64) },
            },
            WORKERS,
            modes_param(MODES),
        ],
        agreement: "every mode counts the same number of primes",
        baseline: "sequential",
    },
    DemoSpec {
        name: "io-bound",
        title: "Waiting for requests",
        summary: "Handles simulated requests whose latencies come from a seeded distribution: one \
                  at a time, on blocked threads, in worker processes, and all at once on an event loop.",
        modes: &[
            ModeSpec { name: "sequential", about: "one worker, blocked by each request in turn" },
            ModeSpec { name: "threads", about: "a pool of threads, each blocked by its request" },
            ModeSpec { name: "processes", about: "separate workers, each awaiting one request at a time" },
            ModeSpec { name: "async", about: "the page’s thread, every request in flight at once" },
        ],
        params: &[
            ParamSpec {
                name: "requests",
                label: "requests",
                help: "how many requests to handle",
                kind: ParamKind::Int { min: 1, max: 400, default: Some(40) },
            },
            ParamSpec {
                name: "mean_ms",
                label: "mean latency (ms)",
                help: "the mean latency of a request, in milliseconds (bounded: one at a time, 400 requests \
                       of 100 ms wait 40 seconds)",
                kind: ParamKind::Int { min: 1, max: 100, default: Some(25) },
            },
            ParamSpec {
                name: "distribution",
                label: "latencies",
                help: "how latencies spread around the mean: all equal, evenly from 0 to twice the \
                       mean, or mostly quick with a few slow ones",
                kind: ParamKind::Choice { allowed: &["fixed", "uniform", "exponential"], default: "exponential" },
            },
            ParamSpec {
                name: "seed",
                label: "seed",
                help: "picks the latencies: the same seed gives the same requests",
                kind: ParamKind::Int { min: 0, max: 999_999, default: Some(1) },
            },
            ParamSpec {
                name: "workers",
                label: "workers",
                help: "how many threads or worker processes wait for requests",
                kind: ParamKind::Int { min: 1, max: MOST_WORKERS, default: Some(8) },
            },
            modes_param(IO_MODES),
        ],
        agreement: "every mode handles every request once: the latencies they waited add up to the same total",
        baseline: "sequential",
    },
    DemoSpec {
        name: "gil",
        title: "A global interpreter lock",
        summary: "Runs tasks on threads that must hold one lock to compute, as CPython's threads \
                  do, handing it over every switch interval and while waiting for I/O.",
        modes: &[
            ModeSpec { name: "sequential", about: "one thread, the lock all to itself" },
            ModeSpec { name: "threads", about: "threads taking turns with the lock" },
            ModeSpec { name: "processes", about: "separate workers, one lock each" },
        ],
        params: &[
            ParamSpec {
                name: "work",
                label: "work",
                help: "what the tasks do: compute only (cpu), or compute a little and wait for a request (io)",
                kind: ParamKind::Choice { allowed: &["cpu", "io"], default: "cpu" },
            },
            ParamSpec {
                name: "gil",
                label: "GIL",
                help: "whether threads must hold the lock to compute",
                kind: ParamKind::Switch { default: true },
            },
            ParamSpec {
                name: "n",
                label: "count primes below",
                help: "cpu work: the tasks count the primes below this number between them",
                kind: ParamKind::Int { min: 1_000, max: 20_000_000, default: Some(3_000_000) },
            },
            ParamSpec {
                name: "tasks",
                label: "tasks",
                help: "how many tasks the work is split into",
                kind: ParamKind::Int { min: 1, max: 256, default: Some(16) },
            },
            ParamSpec {
                name: "wait_ms",
                label: "I/O wait (ms)",
                help: "io work: how long each task waits for its request, in milliseconds (bounded: one \
                       at a time, 256 tasks of 100 ms wait 26 seconds)",
                kind: ParamKind::Int { min: 1, max: 100, default: Some(40) },
            },
            ParamSpec {
                name: "switch_ms",
                label: "switch interval (ms)",
                help: "the switch interval: how long a thread keeps the lock while another waits, in milliseconds",
                kind: ParamKind::Int { min: 1, max: 100, default: Some(5) },
            },
            WORKERS,
            modes_param(GIL_MODES),
        ],
        agreement: "every mode counts the same number of primes",
        baseline: "sequential",
    },
    DemoSpec {
        name: "race",
        title: "A race condition",
        summary: "Threads add one to a shared counter many times: reading and then writing loses \
                  updates; a lock or an atomic add does not; processes each count on their own.",
        modes: &[
            ModeSpec { name: "sequential", about: "one thread adds every one" },
            ModeSpec { name: "unsafe", about: "threads read, then write: no lock" },
            ModeSpec { name: "lock", about: "threads read and write holding a lock" },
            ModeSpec { name: "atomic", about: "threads add with one atomic instruction" },
            ModeSpec { name: "processes", about: "separate workers, own counters, sums merged" },
        ],
        params: &[
            ParamSpec {
                name: "increments",
                label: "increments each",
                help: "how many times each thread or worker adds one",
                kind: ParamKind::Int { min: 1, max: 10_000_000, default: Some(1_000_000) },
            },
            WORKERS,
            modes_param(RACE_MODES),
        ],
        agreement: "every safe mode (all but unsafe) ends with the expected count, workers × increments; \
                    the unsafe mode's shortfall is shown as lost updates and does not count against agreement",
        baseline: "sequential",
    },
    DemoSpec {
        name: "ipc-cost",
        title: "The cost of sending data",
        summary: "Sends payloads of growing size to a worker and back: copied each way, handed over \
                  (ownership transferred), or shared in place. Each round trip is timed several \
                  times per size; the chart shows the median against the size, both on log scales.",
        modes: &[
            ModeSpec { name: "copy", about: "processes: copied each way" },
            ModeSpec { name: "transfer", about: "processes: handed over, not copied" },
            ModeSpec { name: "shared", about: "threads: shared, read in place" },
        ],
        params: &[
            ParamSpec {
                name: "min_kb",
                label: "smallest (KB)",
                help: "the smallest payload, in kilobytes",
                kind: ParamKind::Int { min: 1, max: 65_536, default: Some(1) },
            },
            ParamSpec {
                name: "max_kb",
                label: "largest (KB)",
                help: "the largest payload, in kilobytes (at most 65,536: 64 MB)",
                kind: ParamKind::Int { min: 1, max: 65_536, default: Some(65_536) },
            },
            ParamSpec {
                name: "sizes",
                label: "sizes",
                help: "how many sizes to try, evenly spaced on a log scale from the smallest to the largest",
                kind: ParamKind::Int { min: 1, max: 17, default: Some(9) },
            },
            ParamSpec {
                name: "repeats",
                label: "repeats",
                help: "how many timed round trips per size (the median is shown)",
                kind: ParamKind::Int { min: 1, max: 25, default: Some(5) },
            },
            modes_param(IPC_MODES),
        ],
        agreement: "every mode's worker receives the same bytes: the checksums it computes add up to the same total",
        baseline: "copy",
    },
    DemoSpec {
        name: "responsiveness",
        title: "Keeping the page responsive",
        summary: "Counts primes while a meter draws the gaps between the page's frames: on the page's \
                  thread without ever yielding, yielding to the event loop between chunks, and in a worker.",
        modes: &[
            ModeSpec { name: "blocking", about: "page’s thread, never yields" },
            ModeSpec { name: "yielding", about: "page’s thread, yields between chunks" },
            ModeSpec { name: "worker", about: "a worker; the page stays free" },
        ],
        params: &[
            ParamSpec {
                name: "n",
                label: "count primes below",
                help: "count the primes below this number (bounded: the blocking mode freezes the page meanwhile)",
                kind: ParamKind::Int { min: 1_000, max: RESPONSIVENESS_MAX_N, default: Some(3_000_000) },
            },
            ParamSpec {
                name: "chunks",
                label: "chunks",
                help: "how many pieces the count is split into: the yielding mode lets the page draw between them",
                kind: ParamKind::Int { min: 1, max: 4096, default: Some(200) },
            },
            modes_param(RESPONSIVENESS_MODES),
        ],
        agreement: "every mode counts the same number of primes",
        baseline: "blocking",
    },
    DemoSpec {
        name: "async-scale",
        title: "Ten to a hundred thousand waiting tasks",
        summary: "Starts N tasks that only wait (seeded latencies): all at once as async tasks on one \
                  thread, on a pool of K blocked threads, and on one new worker each; times every \
                  power of ten up to N and says what each way costs.",
        modes: &[
            ModeSpec { name: "async", about: "the page’s thread, every task in flight at once" },
            ModeSpec { name: "threads", about: "a pool of K threads, each blocked by its task" },
            ModeSpec { name: "processes", about: "one new worker per task, start-up included" },
        ],
        params: &[
            ParamSpec {
                name: "tasks",
                label: "tasks (N)",
                help: "how many tasks wait at the largest size; the sweep also runs every power of ten below it",
                kind: ParamKind::Int { min: 10, max: 100_000, default: Some(1_000) },
            },
            ParamSpec {
                name: "mean_ms",
                label: "mean wait (ms)",
                help: "the mean latency a task waits for, in milliseconds (spread evenly from 0 to twice it)",
                kind: ParamKind::Int { min: 1, max: 1_000, default: Some(50) },
            },
            SEED,
            ParamSpec {
                name: "workers",
                label: "pool threads (K)",
                help: "how many threads the thread pool has",
                kind: ParamKind::Int { min: 1, max: 64, default: Some(16) },
            },
            ParamSpec {
                name: "max_processes",
                label: "most workers",
                help: "the most workers the one-worker-per-task mode may start; more tasks than this are refused",
                kind: ParamKind::Int { min: 1, max: MOST_WORKERS * 2, default: Some(MOST_WORKERS * 2) },
            },
            ParamSpec {
                name: "sweep",
                label: "sweep",
                help: "also run every power of ten below N, for the chart of completion time against N",
                kind: ParamKind::Switch { default: true },
            },
            modes_param(SCALE_MODES),
        ],
        agreement: "every mode that ran completed all N tasks; a mode refused above its limit says why and \
                    does not count against agreement",
        baseline: "threads",
    },
    DemoSpec {
        name: "hybrid",
        title: "Fetch, compute, store",
        summary: "A pipeline: each item is fetched (a simulated wait), processed (primes counted in \
                  its chunk: CPU-bound) and stored (another wait) — all async on one thread, on a pool \
                  of threads, or with async I/O on the page feeding a pool of worker processes.",
        modes: &[
            ModeSpec { name: "async", about: "the page’s thread: the CPU stage blocks the loop" },
            ModeSpec { name: "threads", about: "a pool of K threads, each item start to end" },
            ModeSpec { name: "async-processes", about: "async I/O on the page, CPU stage in K workers" },
        ],
        params: &[
            ParamSpec {
                name: "items",
                label: "items",
                help: "how many items go through the pipeline",
                kind: ParamKind::Int { min: 1, max: 200, default: Some(24) },
            },
            ParamSpec {
                name: "fetch_ms",
                label: "fetch (ms)",
                help: "the mean latency of fetching an item, in milliseconds",
                kind: ParamKind::Int { min: 1, max: 1_000, default: Some(40) },
            },
            ParamSpec {
                name: "chunk",
                label: "numbers per item",
                help: "the CPU stage: how many numbers of each item are tested for primality",
                kind: ParamKind::Int { min: 1_000, max: 200_000, default: Some(60_000) },
            },
            ParamSpec {
                name: "store_ms",
                label: "store (ms)",
                help: "the mean latency of storing an item, in milliseconds",
                kind: ParamKind::Int { min: 1, max: 1_000, default: Some(20) },
            },
            SEED,
            WORKERS,
            modes_param(HYBRID_MODES),
        ],
        agreement: "every mode stored every item once: the checksum over the stored prime counts is the same",
        baseline: "async",
    },
    DemoSpec {
        name: "workload",
        title: "A workload of your own",
        summary: "Runs the stages a chapter describes (compute, wait, send, lock, a blocking call) for \
                  every item: one at a time, on threads, in worker processes, as async tasks, and as \
                  async tasks that hand blocking calls to a pool.",
        modes: &[
            ModeSpec { name: "sequential", about: "one worker, one item at a time" },
            ModeSpec { name: "threads", about: "threads sharing memory and one lock" },
            ModeSpec { name: "processes", about: "separate workers, messages only" },
            ModeSpec { name: "async", about: "tasks on the page’s thread" },
            ModeSpec { name: "async-pool", about: "tasks on the page’s thread, blocking calls handed to workers" },
        ],
        params: &[
            ParamSpec {
                name: "items",
                label: "items",
                help: "how many items pass through the stages",
                kind: ParamKind::Int { min: 1, max: crate::workload::MOST_ITEMS as i64, default: Some(40) },
            },
            ParamSpec {
                name: "concurrency",
                label: "at once",
                help: "how many items are worked on at once: threads, worker processes or tasks",
                kind: ParamKind::Int { min: 1, max: crate::workload::MOST_CONCURRENCY as i64, default: Some(4) },
            },
            ParamSpec {
                name: "queue",
                label: "queue bound",
                help: "the most items made but not yet taken by a consumer (0: no bound)",
                kind: ParamKind::Int { min: 0, max: crate::workload::MOST_ITEMS as i64, default: Some(0) },
            },
            SEED,
            modes_param(crate::workload::WORKLOAD_MODES),
        ],
        agreement: "every mode ran every stage of every item once: the same work done, the same bytes sent, the same time waited",
        baseline: "sequential",
    },
];

/// How many times faster a mode that took `ms` ran than the baseline mode, which took
/// `baseline_ms`: `None` when `ms` is not above 0. The page (`theme/static/demos/figure/speedup.js`)
/// and the Python twins compute the same; the tests hold them to this.
pub fn speedup(baseline_ms: f64, ms: f64) -> Option<f64> {
    (ms > 0.0).then(|| baseline_ms / ms)
}

/// Every demo, in a stable order.
pub fn catalogue() -> &'static [DemoSpec] {
    CATALOGUE
}

/// The demo called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static DemoSpec> {
    CATALOGUE.iter().find(|demo| demo.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_names_are_unique() {
        let mut seen = HashSet::new();
        for demo in catalogue() {
            assert!(seen.insert(demo.name), "demo {:?} listed twice", demo.name);
        }
    }

    #[test]
    fn param_names_are_unique_within_each_demo() {
        for demo in catalogue() {
            let mut seen = HashSet::new();
            for param in demo.params {
                assert!(
                    seen.insert(param.name),
                    "{}: parameter {:?} listed twice",
                    demo.name,
                    param.name
                );
            }
        }
    }

    #[test]
    fn every_default_is_allowed() {
        for demo in catalogue() {
            for param in demo.params {
                let at = format!("{}.{}", demo.name, param.name);
                match &param.kind {
                    ParamKind::Int { min, max, default } => {
                        assert!(min <= max, "{at}: empty range {min}..={max}");
                        if let Some(value) = default {
                            assert!((min..=max).contains(&value), "{at}: default {value} out of range");
                        }
                    }
                    ParamKind::Choice { allowed, default } => {
                        assert!(allowed.contains(default), "{at}: default {default:?} not allowed");
                        let distinct: HashSet<_> = allowed.iter().collect();
                        assert_eq!(distinct.len(), allowed.len(), "{at}: repeated allowed choice");
                    }
                    ParamKind::Switch { .. } => {}
                    ParamKind::Choices { allowed, default } => {
                        assert!(!default.is_empty(), "{at}: empty default");
                        let distinct: HashSet<_> = default.iter().collect();
                        assert_eq!(distinct.len(), default.len(), "{at}: repeated default choice");
                        for choice in *default {
                            assert!(allowed.contains(choice), "{at}: default {choice:?} not allowed");
                        }
                        let distinct: HashSet<_> = allowed.iter().collect();
                        assert_eq!(distinct.len(), allowed.len(), "{at}: repeated allowed choice");
                    }
                }
            }
        }
    }

    #[test]
    fn every_demo_has_a_title_and_summary() {
        for demo in catalogue() {
            assert!(!demo.title.is_empty() && !demo.summary.is_empty(), "{}", demo.name);
            for param in demo.params {
                assert!(!param.help.is_empty() && !param.label.is_empty(), "{}.{}", demo.name, param.name);
            }
        }
    }

    #[test]
    fn every_demo_lists_its_modes_and_offers_exactly_them() {
        for demo in catalogue() {
            assert!(!demo.modes.is_empty(), "{}", demo.name);
            let names: Vec<_> = demo.modes.iter().map(|mode| mode.name).collect();
            let distinct: HashSet<_> = names.iter().collect();
            assert_eq!(distinct.len(), names.len(), "{}: repeated mode", demo.name);
            assert!(demo.modes.iter().all(|mode| !mode.about.is_empty()), "{}", demo.name);
            assert!(!demo.agreement.is_empty(), "{}", demo.name);
            match demo.param("modes").map(|param| &param.kind) {
                Some(ParamKind::Choices { allowed, .. }) => assert_eq!(*allowed, names.as_slice(), "{}", demo.name),
                other => panic!("{}: `modes` must be a list of choices, not {other:?}", demo.name),
            }
        }
    }

    #[test]
    fn every_demo_measures_speed_ups_against_one_of_its_modes() {
        for demo in catalogue() {
            assert!(demo.mode(demo.baseline).is_some(), "{}: baseline {:?} is not one of its modes", demo.name, demo.baseline);
        }
        assert_eq!(speedup(30.0, 10.0), Some(3.0));
        assert_eq!(speedup(30.0, 0.0), None);
    }

    #[test]
    fn names_are_safe_in_attributes_and_query_strings() {
        let plain = |name: &str| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '_');
        for demo in catalogue() {
            assert!(plain(demo.name), "{}", demo.name);
            for name in demo.params.iter().map(|p| p.name).chain(demo.modes.iter().map(|m| m.name)) {
                assert!(plain(name), "{}.{name}", demo.name);
            }
        }
    }

    #[test]
    fn the_kernels_know_every_choice_the_catalogue_offers() {
        use crate::kernels::{gil::Work, requests::Distribution};
        let choices = |demo: &str, param: &str| match find(demo).and_then(|d| d.param(param)).map(|p| &p.kind) {
            Some(ParamKind::Choice { allowed, .. }) => allowed.to_vec(),
            other => panic!("{demo}.{param}: {other:?}"),
        };
        assert_eq!(choices("io-bound", "distribution"), Distribution::NAMES);
        assert_eq!(choices("gil", "work"), Work::NAMES);
    }

    #[test]
    fn find_returns_the_named_demo_or_none() {
        for name in ["primes", "io-bound", "gil", "race", "ipc-cost", "responsiveness", "async-scale", "hybrid"] {
            assert_eq!(find(name).map(|demo| demo.name), Some(name));
        }
        assert!(find("no-such-demo").is_none());
    }

    #[test]
    fn ipc_cost_sends_at_most_64_mb_and_its_default_sizes_span_1_kb_to_64_mb() {
        use crate::kernels::payload::{self, KB, LARGEST_BYTES, MOST_SIZES};
        let ipc = find("ipc-cost").expect("ipc-cost is in the catalogue");
        for name in ["min_kb", "max_kb"] {
            assert_eq!(ipc.int_bounds(name), Some((1, i64::from(LARGEST_BYTES / KB))), "{name}");
        }
        assert_eq!(ipc.int_bounds("sizes"), Some((1, i64::from(MOST_SIZES))));
        let default = |name: &str| match ipc.param(name).map(|param| &param.kind) {
            Some(ParamKind::Int { default: Some(value), .. }) => *value as u32,
            other => panic!("{name}: {other:?}"),
        };
        let sizes = payload::sizes(default("min_kb"), default("max_kb"), default("sizes"));
        assert_eq!((sizes[0], *sizes.last().unwrap()), (KB, LARGEST_BYTES));
    }

    #[test]
    fn responsiveness_bounds_how_long_the_page_can_freeze() {
        let demo = find("responsiveness").expect("responsiveness is in the catalogue");
        let (_, max_n) = demo.int_bounds("n").unwrap();
        assert_eq!(max_n, RESPONSIVENESS_MAX_N);
        // The blocking mode freezes the page for the whole count: far less work than the primes
        // demo allows (which runs it in workers).
        let (_, primes_max_n) = find("primes").unwrap().int_bounds("n").unwrap();
        assert!(max_n * 4 <= primes_max_n, "{max_n}");
    }

    #[test]
    fn primes_has_the_documented_parameters() {
        let primes = find("primes").expect("primes is in the catalogue");
        let names: Vec<_> = primes.params.iter().map(|param| param.name).collect();
        assert_eq!(names, ["n", "chunks", "workers", "modes"]);
        assert!(matches!(
            primes.param("workers").map(|param| &param.kind),
            Some(ParamKind::Int { default: None, .. })
        ));
    }
}
