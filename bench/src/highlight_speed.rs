//! `book-bench highlight`: site-gen's highlighter alone on each sample of its highlighting
//! tests (`site-gen/tests/fixtures/highlight/`), with syntect and with the engine books are
//! built with (tree-sitter for Rust, Python, JavaScript and TOML), printing the median
//! throughput of each and the ratio, and how long each engine's first block of each language
//! took (loading its grammar: syntect's whole set on its first block, python's).

use std::path::Path;
use std::time::{Duration, Instant};

use site_gen::highlight::{highlight_code_with, Engine, StyledScopes};

use crate::measure::median;

/// The samples measured: the fence's language and the file.
const SAMPLES: &[(&str, &str)] =
    &[("python", "sample.py"), ("rust", "sample.rs"), ("js", "sample.js"), ("toml", "sample.toml"), ("c", "sample.c"), ("sh", "sample.sh")];

pub fn highlight_speed(repository: &Path, runs: usize) -> Result<(), String> {
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
    let css = read(&repository.join("theme/static/style.css"))?;
    let styles = StyledScopes::from_stylesheets([css.as_str()]);
    println!("{:<12} {:>8} {:>14} {:>14} {:>7} {:>18} {:>18}", "sample", "bytes", "syntect MB/s", "books' MB/s", "ratio", "syntect first ms", "books' first ms");
    for &(language, file) in SAMPLES {
        let code = read(&repository.join("site-gen/tests/fixtures/highlight").join(file))?;
        let mut throughput = [0.0; 2];
        let mut first = [Duration::ZERO; 2];
        for ((engine, figure), first) in [Engine::Syntect, Engine::Preferred].into_iter().zip(&mut throughput).zip(&mut first) {
            let once = || std::hint::black_box(highlight_code_with(engine, language, &code, &styles));
            let start = Instant::now();
            once();
            *first = start.elapsed();
            // Warm-up, and how many rounds make a run of about 200 ms.
            let start = Instant::now();
            let mut warm_up = 0u32;
            while start.elapsed() < Duration::from_millis(100) {
                once();
                warm_up += 1;
            }
            let rounds = warm_up * 2;
            let times = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    (0..rounds).for_each(|_| {
                        once();
                    });
                    start.elapsed()
                })
                .collect();
            *figure = (code.len() as f64 * f64::from(rounds)) / median(times).as_secs_f64() / 1e6;
        }
        println!(
            "{file:<12} {:>8} {:>14.1} {:>14.1} {:>6.1}x {:>18.1} {:>18.1}",
            code.len(),
            throughput[0],
            throughput[1],
            throughput[1] / throughput[0],
            first[0].as_secs_f64() * 1e3,
            first[1].as_secs_f64() * 1e3
        );
    }
    Ok(())
}
