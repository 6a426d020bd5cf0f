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
    /// The parameters an author may set, in the order they are shown.
    pub params: &'static [ParamSpec],
}

/// One parameter of a demo.
#[derive(Debug)]
pub struct ParamSpec {
    /// The key in the `demo` block and in `data-params`.
    pub name: &'static str,
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
}

/// The ways a demo can run its work; each becomes one row of its results table.
pub const MODES: &[&str] = &["sequential", "threads", "processes", "async"];

static CATALOGUE: &[DemoSpec] = &[DemoSpec {
    name: "primes",
    title: "Counting primes",
    summary: "Counts the primes below n by sieving n in independent chunks, \
              once per way of running them, and compares the wall times.",
    params: &[
        ParamSpec {
            name: "n",
            help: "count the primes below this number",
            kind: ParamKind::Int {
                min: 1_000,
                max: 100_000_000,
                default: Some(5_000_000),
            },
        },
        ParamSpec {
            name: "chunks",
            help: "how many independent tasks the range is split into",
            kind: ParamKind::Int {
                min: 1,
                max: 4096,
                default: Some(64),
            },
        },
        ParamSpec {
            name: "workers",
            help: "how many threads or worker processes run the tasks (default: the reader's CPU count)",
            kind: ParamKind::Int {
                min: 1,
                max: 64,
                default: None,
            },
        },
        ParamSpec {
            name: "modes",
            help: "which ways of running the work to compare",
            kind: ParamKind::Choices {
                allowed: MODES,
                default: MODES,
            },
        },
    ],
}];

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
                assert!(!param.help.is_empty(), "{}.{}", demo.name, param.name);
            }
        }
    }

    #[test]
    fn find_returns_the_named_demo_or_none() {
        assert_eq!(find("primes").map(|demo| demo.name), Some("primes"));
        assert!(find("no-such-demo").is_none());
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
