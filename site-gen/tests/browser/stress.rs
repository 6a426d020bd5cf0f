//! Every demo at the catalogue's largest value of every parameter (`make stress`: ignored by
//! `make test`, as it takes minutes per engine): each page of a generated book opened with
//! `?autorun` in a browser of its own; every mode must finish or be refused with a reason, the
//! modes must agree, and one above each largest value must be refused in the page, for every
//! number of every demo. Screenshots: `target/e2e/<engine>/stress-*.png`.

use std::time::{Duration, Instant};

use demos_wasm::ParamKind;
use harness::{books, Session};
use serde_json::{json, Value};

/// Long enough for the slowest demo at its limits on a slow two-core machine.
const TIMEOUT: Duration = Duration::from_secs(300);

/// The largest value the catalogue allows for `demo`'s parameter `param`.
fn largest(demo: &str, param: &str) -> i64 {
    demos_wasm::find(demo).and_then(|spec| spec.int_bounds(param)).unwrap_or_else(|| panic!("{demo}.{param} is no number")).1
}

/// The pages of the stress book: (page, demo, the `demo` block's other lines). Every number a
/// page sets is the catalogue's largest (the gil demo has a page per kind of work: each shows
/// only the controls its work uses).
fn pages() -> Vec<(&'static str, &'static str, String)> {
    let at_most = |demo: &str, params: &[&str]| -> String {
        params.iter().map(|param| format!("{param} = {}\n", largest(demo, param))).collect()
    };
    vec![
        ("primes", "primes", at_most("primes", &["n", "chunks", "workers"])),
        ("io-bound", "io-bound", format!("distribution = \"exponential\"\n{}", at_most("io-bound", &["requests", "mean_ms", "workers"]))),
        ("gil-cpu", "gil", format!("work = \"cpu\"\nswitch_ms = 1\n{}", at_most("gil", &["n", "tasks", "workers"]))),
        ("gil-io", "gil", format!("work = \"io\"\nswitch_ms = 1\n{}", at_most("gil", &["tasks", "wait_ms", "workers"]))),
        ("race", "race", at_most("race", &["increments", "workers"])),
        ("ipc-cost", "ipc-cost", format!("min_kb = 1\n{}", at_most("ipc-cost", &["max_kb", "sizes", "repeats"]))),
        ("responsiveness", "responsiveness", at_most("responsiveness", &["n", "chunks"])),
        ("async-scale", "async-scale", at_most("async-scale", &["tasks", "mean_ms", "workers", "max_processes"])),
        ("hybrid", "hybrid", at_most("hybrid", &["items", "fetch_ms", "chunk", "store_ms", "workers"])),
    ]
}

/// The `demos` fixture book (for its settings) with a page per demo at its limits instead of its
/// own pages, served for this test.
fn stress_book() -> crate::sites::Served {
    let book = books::copy_fixture("demos");
    let content = book.path().join("content");
    std::fs::remove_dir_all(&content).unwrap();
    std::fs::create_dir_all(&content).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (page, demo, lines) in pages() {
        std::fs::write(content.join(format!("{page}.md")), format!("# {page} at its limits\n\n```demo\nname = \"{demo}\"\n{lines}```\n")).unwrap();
        summary.push_str(&format!("[{page}]({page}.md)\n"));
    }
    std::fs::write(content.join("SUMMARY.md"), summary).unwrap();
    crate::sites::serve_copy(book)
}

/// The first demo on the page: its state, error, rows; or why the page cannot answer (a
/// crashed tab does not answer at all).
async fn read(s: &Session, what: &str) -> Value {
    const READ: &str = r#"
      const d = document.querySelector('[data-demo]');
      const error = d.querySelector('.demo-error');
      return {
        status: d.dataset.status, phase: d.dataset.phase ?? null, agree: d.dataset.agree ?? null,
        state: d.querySelector('.demo-state')?.textContent ?? null,
        error: error && !error.hidden ? error.textContent : null,
        rows: [...d.querySelectorAll('[data-mode]')].map(r => ({
          mode: r.dataset.mode, status: r.dataset.status, ms: r.dataset.ms === undefined ? null : Number(r.dataset.ms),
          result: r.dataset.result ?? null, refused: r.dataset.refused ?? null,
        })),
      };"#;
    s.client.execute(READ, vec![]).await.unwrap_or_else(|e| panic!("{}: {what}: the page no longer answers (did the tab crash?): {e}", s.engine.name()))
}

/// Waits until the first demo on the page is done or failed; returns what `read` reads.
async fn finished(s: &Session, what: &str) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let demo = read(s, what).await;
        if demo["status"] == "done" || demo["status"] == "error" {
            return demo;
        }
        assert!(Instant::now() < deadline, "{what} did not finish within {TIMEOUT:?}: {demo:#}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn rows(demo: &Value) -> &Vec<Value> {
    demo["rows"].as_array().unwrap()
}

/// Types `value` into each named control of the first demo (skipping hidden ones), presses Run
/// and returns what `.demo-invalid` then says, per control: the refusals of out-of-range values.
async fn refusals(s: &Session, values: &Value) -> Value {
    const REFUSE: &str = r#"
      const [values, done] = [arguments[0], arguments[arguments.length - 1]];
      const d = document.querySelector('[data-demo]');
      const invalid = d.querySelector('.demo-invalid');
      const out = {};
      (async () => {
        for (const [name, value] of Object.entries(values)) {
          const input = d.querySelector(`input[name="${name}"]`);
          if (input.closest('label').hidden) continue;
          const before = input.value;
          input.value = String(value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          d.querySelector('.demo-run').click();
          // The Run press is handled in the page's turn for runs: wait for its answer.
          while (invalid.hidden) await new Promise((resolve) => setTimeout(resolve, 20));
          out[name] = { refusal: invalid.textContent, status: d.dataset.status };
          // Putting the value back clears the refusal (the controls are checked as they change).
          input.value = before;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          while (!invalid.hidden) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        done(out);
      })();"#;
    s.client.execute_async(REFUSE, vec![values.clone()]).await.unwrap()
}

pub async fn every_demo_at_its_largest_parameters(s: &Session) {
    let site = stress_book();
    let mut report = Vec::new();
    let mut covered: Vec<(String, String)> = Vec::new();
    for (page, demo, _) in pages() {
        // A browser of its own for each page: browsers free the address space of ended workers'
        // WebAssembly memories only some time after they end, so a page opened straight after
        // another's 32 workers may find too little left for its own.
        let fresh = Session::start(s.engine).await;
        let started = Instant::now();
        fresh.goto(&site.url(&format!("{page}.html?autorun"))).await;
        let result = finished(&fresh, page).await;
        let took = started.elapsed();
        assert_finished_or_refused(s, page, &result);
        fresh.screenshot_of("figure.demo", 0, &format!("stress-{page}")).await;
        report.push(format!("{page}: {:.1} s in all, page included ({})", took.as_secs_f64(), row_times(&result)));
        covered.extend(one_above_each_largest_is_refused(&fresh, page, demo).await);
        // The tab is alive and the demo still runs after all that.
        assert_eq!(read(&fresh, page).await["status"], "done", "{}: {page}", s.engine.name());
        fresh.assert_quiet().await;
        fresh.end().await;
    }
    for spec in demos_wasm::catalogue() {
        for param in spec.params.iter().filter(|p| matches!(p.kind, ParamKind::Int { .. })) {
            assert!(covered.contains(&(spec.name.to_owned(), param.name.to_owned())), "{}.{}: one above the largest value was never tried", spec.name, param.name);
        }
    }
    println!("{}: every demo at its largest parameters:\n{}", s.engine.name(), report.join("\n"));
}

/// Every mode finished or said why it would not (where the engine has no shared memory, the
/// modes that need it say so); none failed; the modes that ran agree.
fn assert_finished_or_refused(s: &Session, page: &str, result: &Value) {
    assert_eq!(result["status"], "done", "{}: {page}: {result:#}", s.engine.name());
    for row in rows(result) {
        match row["status"].as_str() {
            Some("done") => assert!(row["result"].is_string(), "{page}: {row:#}"),
            Some("refused") => assert!(row["refused"].as_str().is_some_and(|r| !r.is_empty()), "{page}: {row:#}"),
            Some("unavailable") if !crate::page::shares_memory(s.engine) => {}
            _ => panic!("{}: {page}: a mode neither finished nor was refused: {result:#}", s.engine.name()),
        }
    }
    assert_eq!(result["agree"], "true", "{}: {page}: {result:#}", s.engine.name());
}

fn row_times(result: &Value) -> String {
    let modes: Vec<String> = rows(result)
        .iter()
        .map(|r| match r["ms"].as_f64() {
            Some(ms) => format!("{} {:.0} ms", r["mode"].as_str().unwrap(), ms),
            None => format!("{} {}", r["mode"].as_str().unwrap(), r["status"].as_str().unwrap_or_default()),
        })
        .collect();
    modes.join(", ")
}

/// One above each largest value is refused with a message; nothing runs. Returns the
/// (demo, parameter) pairs tried.
async fn one_above_each_largest_is_refused(s: &Session, page: &str, demo: &str) -> Vec<(String, String)> {
    let spec = demos_wasm::find(demo).unwrap();
    let above: serde_json::Map<String, Value> = spec
        .params
        .iter()
        .filter_map(|param| match param.kind {
            ParamKind::Int { max, .. } => Some((param.name.to_owned(), json!(max + 1))),
            _ => None,
        })
        .collect();
    let answers = refusals(s, &Value::Object(above)).await;
    let mut covered = Vec::new();
    for (name, answer) in answers.as_object().unwrap() {
        let (min, max) = spec.int_bounds(name).unwrap();
        let range = format!("from {} to {}", group(min), group(max));
        assert!(answer["refusal"].as_str().is_some_and(|r| r.starts_with("Not run:") && r.contains(&range)), "{page}.{name}: {answer:#}");
        assert_ne!(answer["status"], "running", "{page}.{name}: {answer:#}");
        covered.push((demo.to_owned(), name.clone()));
    }
    covered
}

/// 20000000 as "20,000,000", as the page writes numbers.
fn group(value: i64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
