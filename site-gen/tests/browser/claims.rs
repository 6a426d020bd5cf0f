//! The text's inline claims (`{{#claim …}}`), in every engine, on a copy of the `demos` fixture
//! book whose primes, race and gil pages make claims about their demos (small parameters):
//! before a run each badge is `waiting` and its button brings the demo into view; after a run
//! each badge's `data-claim-status` and `data-claim-speedup` (or counts) are those the figure's
//! own rows give by the book's rule, a claim about other parameters waits for a run with them,
//! and where a mode cannot run (threads in WebKit, which has no SharedArrayBuffer) the badge
//! says so with the figure's own reason. The page's verdict module (`figure/claim-verdict.js`)
//! is held to the book's (`site_gen::claims::Verdict`, which `make claims` uses). Screenshots:
//! `target/e2e/<engine>/claims-*.png` (before a run, after one, the race in the dark theme, and
//! at a phone's width).

use std::sync::OnceLock;

use fantoccini::Locator;
use harness::{books, Session};
use serde_json::{json, Value};
use site_gen::claims::Verdict;

use crate::page::*;
use crate::phones::{phone_problems, MEASURE};
use crate::sites::{self, Served};

const PRIMES: &str = r#"# Primes

Threads share the job between the cores {{#claim primes threads faster python=same}}, processes
too {{#claim primes processes faster python=faster}}, and async only takes turns on one thread
{{#claim primes async same}}. With three workers, threads still win
{{#claim primes threads faster workers=3}}.

```demo
name = "primes"
n = 300000
chunks = 16
workers = 2
```
"#;

const RACE: &str = r#"# A race

Without a lock, updates are lost {{#claim race unsafe loses python=loses}}; with one, none are
{{#claim race lock exact}}.

```demo
name = "race"
increments = 300000
workers = 2
```
"#;

/// The paragraph that holds the page's claims.
const CLAIMS_PARAGRAPH: &str = "p:has(> .claim)";

/// The fixture book with claims in its text, served once for the run.
fn claims_book() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| {
        let book = books::copy_fixture("demos");
        std::fs::write(book.path().join("content/primes.md"), PRIMES).unwrap();
        std::fs::write(book.path().join("content/race.md"), RACE).unwrap();
        sites::serve_copy(book)
    })
}

/// Every badge on the page, and the rows of the demo it names.
const READ_CLAIMS: &str = r#"
const number = (v) => v === undefined ? null : Number(v);
return [...document.querySelectorAll('[data-claim]')].map((b) => {
  const figure = document.querySelector(`[data-demo="${b.dataset.claimDemo}"]`);
  const rows = Object.fromEntries([...figure.querySelectorAll('[data-mode]')].map((r) => [r.dataset.mode, {
    status: r.dataset.status, ms: number(r.dataset.ms), result: number(r.dataset.result), expected: number(r.dataset.expected),
    workers: number(r.dataset.workers), reason: r.querySelector('.demo-unavailable')?.textContent ?? null,
  }]));
  return {
    demo: b.dataset.claimDemo, mode: b.dataset.claimMode, expect: b.dataset.claimExpect, baseline: b.dataset.claimBaseline,
    params: JSON.parse(b.dataset.claimParams), status: b.dataset.claimStatus, speedup: number(b.dataset.claimSpeedup),
    result: number(b.dataset.claimResult), expected: number(b.dataset.claimExpected),
    outcome: b.querySelector('.claim-outcome')?.textContent ?? null, button: b.querySelector('.claim-go')?.textContent ?? null,
    buttonShown: (b.querySelector('.claim-go')?.getBoundingClientRect().width ?? 0) > 0,
    rows, job: figure.demoRun?.job ?? null,
  };
});
"#;

pub async fn claims_in_the_text(s: &Session) {
    let site = claims_book();
    let engine = s.engine.name();
    open_demo(s, &site.url("primes.html")).await;
    let before = claims(s).await;
    assert_eq!(before.len(), 4, "{engine}: {before:#?}");
    for claim in &before {
        assert_eq!(claim["status"], "waiting", "{engine}: {claim:#}");
        assert_eq!((claim["button"].as_str(), claim["buttonShown"].as_bool()), (Some("run the demo to check"), Some(true)), "{engine}: {claim:#}");
    }
    screenshot_of_claims(s, "claims-waiting").await;
    button_brings_the_demo_into_view(s).await;

    s.goto(&site.url("primes.html?autorun")).await;
    wait_for_demos(s, "the primes page").await;
    let after = claims(s).await;
    for claim in &after[..3] {
        check_against_rows(s, claim);
    }
    // Where the browser shares no memory, the threads claim cannot be checked, and says why.
    assert_eq!(after[0]["status"] == "unavailable", !shares_memory(s.engine), "{engine}: {:#}", after[0]);
    // The fourth claim is about 3 workers; the page ran 2.
    let three = &after[3];
    assert_eq!(three["status"], "waiting", "{engine}: {three:#}");
    assert_eq!(three["outcome"], "(the last run had workers = 2)", "{engine}: {three:#}");
    assert_eq!(three["buttonShown"], true, "{engine}: {three:#}");
    screenshot_of_claims(s, "claims-primes").await;
    check_verdicts(s).await;

    set_input(s, "workers", "3").await;
    click(s, ".demo-run").await;
    s.wait_until("return document.querySelector('[data-demo]').demoRun?.job.workers === 3", "a run with 3 workers", TIMEOUT).await;
    wait_for_demos(s, "the primes page, 3 workers").await;
    // Now the claim about 3 workers is decided; the others, about any run, follow the latest.
    let three_workers = claims(s).await;
    for claim in &three_workers {
        check_against_rows(s, claim);
    }
    println!("{engine}: with 3 workers: {}", summary(&three_workers[3..]).join("; "));

    s.goto(&site.url("race.html?autorun")).await;
    wait_for_demos(s, "the race page").await;
    let race = claims(s).await;
    for claim in &race {
        check_against_rows(s, claim);
    }
    screenshot_of_claims(s, "claims-race").await;
    toggle_theme(s).await;
    screenshot_of_claims(s, "claims-race-dark").await;
    toggle_theme(s).await;
    println!("{engine}: {}", summary(&after).join("; "));
    println!("{engine}: {}", summary(&race).join("; "));

    // At a phone's size: the badges wrap with the text; nothing sideways.
    s.open_as_phone(&site.url("primes.html?autorun")).await;
    wait_for_demos(s, "the primes page on a phone").await;
    for claim in &claims(s).await[..3] {
        check_against_rows(s, claim);
    }
    let measured = s.execute(MEASURE).await;
    let problems = phone_problems("primes (claims)", &measured);
    screenshot_of_claims(s, "claims-primes-phone").await;
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{engine}: claims at a phone's size:\n{}", problems.join("\n"));
    s.assert_quiet().await;
}

/// The paragraph of claims alone, in the middle of the window (clear of the page's top bar);
/// where the engine cannot take one element (WebKit in the phone's frame), the window.
async fn screenshot_of_claims(s: &Session, name: &str) {
    s.execute_with("document.querySelector(arguments[0]).scrollIntoView({ block: 'center' })", vec![json!(CLAIMS_PARAGRAPH)]).await;
    // Painted after the scroll (WebKit takes black pictures of what it has not painted yet).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    if s.engine == harness::Engine::WebKit {
        s.screenshot(name).await;
        return;
    }
    let paragraph = s.client.find(Locator::Css(CLAIMS_PARAGRAPH)).await.unwrap_or_else(|e| panic!("{}: no claims: {e}", s.engine.name()));
    match paragraph.screenshot().await {
        Ok(png) => std::fs::write(harness::browser::screenshot_dir(s.engine).join(format!("{name}.png")), png).unwrap(),
        Err(_) => {
            s.screenshot(name).await;
        }
    }
}

async fn claims(s: &Session) -> Vec<Value> {
    s.execute(READ_CLAIMS).await.as_array().expect("a list of claims").clone()
}

fn summary(claims: &[Value]) -> Vec<String> {
    claims.iter().map(|c| format!("{} {} {}: {} ({})", c["demo"], c["mode"], c["expect"], c["status"], c["outcome"].as_str().unwrap_or(""))).collect()
}

/// The badge says what the figure's rows say, by the book's rule: the mode unavailable, with
/// the row's reason; else the speed-up over the baseline row (or the counts) and whether the
/// verdict holds for it.
fn check_against_rows(s: &Session, claim: &Value) {
    let engine = s.engine.name();
    let mode = claim["mode"].as_str().unwrap();
    let row = &claim["rows"][mode];
    let outcome = claim["outcome"].as_str().unwrap_or_default();
    assert!(!claim["buttonShown"].as_bool().unwrap() || claim["status"] == "waiting", "{engine}: {claim:#}");
    if row["status"] == "unavailable" {
        assert!(!shares_memory(s.engine), "{engine}: {mode} unavailable: {claim:#}");
        assert_eq!(claim["status"], "unavailable", "{engine}: {claim:#}");
        let reason = row["reason"].as_str().unwrap().trim_start_matches("unavailable — ");
        assert!(reason.starts_with("this browser offers no SharedArrayBuffer"), "{engine}: {claim:#}");
        assert_eq!(outcome, format!("Can't check here: {reason}"), "{engine}: {claim:#}");
        return;
    }
    assert_eq!(row["status"], "done", "{engine}: {claim:#}");
    let expect = Verdict::ALL.into_iter().find(|v| v.name() == claim["expect"]).unwrap();
    if expect.is_count() {
        let (result, expected) = (row["result"].as_f64().unwrap(), row["expected"].as_f64().unwrap());
        assert_eq!((claim["result"].as_f64(), claim["expected"].as_f64()), (Some(result), Some(expected)), "{engine}: {claim:#}");
        let held = expect.holds_for_count(result, expected);
        assert_eq!(claim["status"], if held { "held" } else { "not-held" }, "{engine}: {claim:#}");
        assert!(outcome.starts_with(if held { "Held here: " } else { "Not here: " }), "{engine}: {claim:#}");
        return;
    }
    let baseline = &claim["rows"][claim["baseline"].as_str().unwrap()];
    let speedup = baseline["ms"].as_f64().unwrap() / row["ms"].as_f64().unwrap();
    let shown = claim["speedup"].as_f64().unwrap_or_else(|| panic!("{engine}: no speed-up: {claim:#}"));
    assert!((shown - speedup).abs() <= 0.002 * speedup, "{engine}: the badge says {shown}, the rows {speedup}: {claim:#}");
    assert!(outcome.contains(&format!("{shown:.2}×")), "{engine}: {claim:#}");
    let held = expect.holds_for_speedup(shown);
    assert_eq!(claim["status"], if held { "held" } else { "not-held" }, "{engine}: {claim:#}");
    if held {
        assert_eq!(outcome, format!("Held here: {shown:.2}×"), "{engine}: {claim:#}");
    } else {
        let workers = row["workers"].as_f64().unwrap();
        let reason = outcome.split_once("×, ").map(|(_, why)| why).unwrap_or_default();
        assert!(reason == "on this machine, at these settings" || (expect == Verdict::Faster && reason.ends_with(&format!("fewer than the {workers} workers"))),
            "{engine}: not held for no true reason: {claim:#}");
    }
}

/// The badge's button scrolls the demo into view and puts the keyboard on its Run button.
async fn button_brings_the_demo_into_view(s: &Session) {
    s.execute("scrollTo(0, 0); document.querySelector('.claim-go').click()").await;
    s.wait_until(
        "const r = document.querySelector('[data-demo]').getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight / 2 && document.activeElement?.classList.contains('demo-run')",
        "the demo in view after the badge's button",
        std::time::Duration::from_secs(10),
    )
    .await;
}

/// The page's claim-verdict.js gives the book's answers on speed-ups around each threshold and
/// on counts, and says why a claim did not hold when something known explains it.
async fn check_verdicts(s: &Session) {
    let speedups = [0.5, 0.79, 0.7999, 0.8, 1.0, 1.2499, 1.25, 1.2501, 3.0];
    let counts = [(10.0, 12.0), (12.0, 12.0), (13.0, 12.0)];
    let script = r#"
const runner = [...document.scripts].find((s) => /\/runner\.[^/]*js$|\/runner\.js$/.test(s.src));
return import(new URL('figure/claim-verdict.js', runner.src).href).then((v) => {
  const [speedups, counts] = arguments;
  const out = {};
  for (const expect of ['faster', 'same', 'slower', 'loses', 'exact']) {
    out[expect] = { speedups: speedups.map((x) => v.speedupHolds(expect, x)), counts: counts.map(([r, e]) => v.countHolds(expect, r, e)) };
  }
  out.thresholds = [v.FASTER, v.SLOWER];
  out.outcomes = [
    v.claimOutcome({ mode: 'threads', expect: 'faster', run: { speedup: 1.1, workers: 4 }, cores: 2 }),
    v.claimOutcome({ mode: 'threads', expect: 'faster', run: { speedup: 1.1, workers: 2 }, cores: 2 }),
    v.claimOutcome({ mode: 'threads', expect: 'faster', run: { speedup: 1.9, workers: 4 }, cores: 2 }),
    v.claimOutcome({ mode: 'threads', expect: 'faster', unavailable: 'no SharedArrayBuffer here', run: null }),
    v.claimOutcome({ mode: 'threads', expect: 'faster', run: null }),
    v.claimOutcome({ mode: 'unsafe', expect: 'loses', run: { result: 1500, expected: 2000 } }),
    v.claimOutcome({ mode: 'lock', expect: 'exact', run: { result: 1999, expected: 2000 } }),
  ];
  return out;
});
"#;
    let found = s.execute_with(script, vec![json!(speedups), json!(counts)]).await;
    assert_eq!(found["thresholds"], json!([site_gen::claims::FASTER, site_gen::claims::SLOWER]), "{}", s.engine.name());
    let outcomes: Vec<(&str, &str)> = found["outcomes"].as_array().unwrap().iter().map(|o| (o["status"].as_str().unwrap(), o["text"].as_str().unwrap())).collect();
    assert_eq!(
        outcomes,
        [
            ("not-held", "Not here: 1.10×, this machine has 2 logical cores, fewer than the 4 workers"),
            ("not-held", "Not here: 1.10×, on this machine, at these settings"),
            ("held", "Held here: 1.90×"),
            ("unavailable", "Can't check here: no SharedArrayBuffer here"),
            ("waiting", "The last run has no result for threads: run the demo again to check"),
            ("held", "Held here: 500 of 2,000 updates lost"),
            ("not-held", "Not here: 1 of 2,000 updates lost, on this machine, at these settings"),
        ],
        "{}",
        s.engine.name()
    );
    for verdict in Verdict::ALL {
        let want = json!({
            "speedups": speedups.map(|x| verdict.holds_for_speedup(x)),
            "counts": counts.map(|(r, e)| verdict.holds_for_count(r, e)),
        });
        assert_eq!(found[verdict.name()], want, "{}: {}", s.engine.name(), verdict.name());
    }
}
