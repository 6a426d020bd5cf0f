//! "Predict, then run" on the `predict` fixture book (small parameters), in every engine, through
//! the DOM contract of `[data-predict]`: the reader answers the questions (a mode, a guessed
//! speed-up), runs, and the figure scores the guess against this run's own rows (the fastest
//! `data-ms`, the `demoRun` speed-up), explains it (cores and workers; in WebKit, which shares no
//! memory, why threads could not run; the GIL on the gil page), and adds it to the book's tally,
//! which survives a reload and another page. Skipping the questions, `?autorun` and "Guess
//! again" work, and every article of the book asks before its main demo. The scoring,
//! explanations and tally are also checked on made-up runs by importing the page's own modules,
//! the tally with a localStorage that throws. Screenshots: `target/e2e/<engine>/predict-*.png`.

use std::sync::OnceLock;

use fantoccini::Locator;
use harness::{books, Session};
use serde_json::Value;

use crate::page::*;
use crate::phones::{phone_problems, MEASURE};
use crate::sites::{self, Served};

/// The `predict` fixture: a primes page asking both questions, a gil page asking for threads' speed-up.
fn site() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| sites::serve_copy(books::copy_fixture("predict")))
}

/// What the first figure's prediction shows, beside the run it scored.
const READ_PREDICTION: &str = r#"
const d = document.querySelector('[data-demo]');
const p = d.querySelector('[data-predict]');
const t = p.querySelector('[data-predict-tally]');
const number = (v) => v === undefined ? null : Number(v);
const rows = [...d.querySelectorAll('tr[data-mode]')].filter((r) => r.dataset.ms !== undefined);
const fastest = rows.reduce((best, r) => best === null || Number(r.dataset.ms) < Number(best.dataset.ms) ? r : best, null);
return {
  status: d.dataset.status,
  asks: p.dataset.asks, speedupMode: p.dataset.speedupMode ?? null,
  predictedWinner: p.dataset.predictedWinner ?? null, predictedSpeedup: number(p.dataset.predictedSpeedup),
  result: p.dataset.predictionResult ?? null,
  winnerResult: p.dataset.winnerResult ?? null, speedupResult: p.dataset.speedupResult ?? null,
  measuredWinner: p.dataset.measuredWinner ?? null, measuredSpeedup: number(p.dataset.measuredSpeedup),
  score: number(p.dataset.score), scored: number(p.dataset.scored),
  verdict: p.querySelector('[data-predict-score]').hidden ? null : p.querySelector('[data-predict-score]').textContent,
  explanation: p.querySelector('[data-predict-explanation]').hidden ? null : p.querySelector('[data-predict-explanation]').textContent,
  tally: { right: number(t.dataset.right), total: number(t.dataset.total), stored: t.dataset.stored, text: t.textContent },
  options: [...p.querySelectorAll('select[name=predict-winner] option')].map((o) => o.value),
  disabled: [...p.querySelectorAll('select, input')].map((f) => f.disabled),
  again: !p.querySelector('.demo-predict-again').hidden,
  fastestRow: fastest?.dataset.mode ?? null,
  runSpeedups: d.demoRun?.speedups ?? null,
  unavailable: [...d.querySelectorAll('tr[data-status=unavailable]')].map((r) => r.dataset.mode),
  cores: navigator.hardwareConcurrency,
};
"#;

pub async fn predict_then_run(s: &Session) {
    let engine = s.engine.name();
    let site = site();
    // A fresh tally for this engine's run.
    open_prediction(s, &site.url("primes.html")).await;
    s.execute("localStorage.clear()").await;
    open_prediction(s, &site.url("primes.html")).await;
    let before = s.execute(READ_PREDICTION).await;
    assert_eq!(before["asks"], "winner speedup", "{engine}: {before:#}");
    assert_eq!(before["speedupMode"], "threads", "{engine}: {before:#}");
    assert_eq!(before["options"], serde_json::json!(["", "sequential", "threads", "processes", "async"]), "{engine}: {before:#}");
    assert_eq!((before["tally"]["total"].as_f64(), before["tally"]["stored"].as_str()), (Some(0.0), Some("true")), "{engine}: {before:#}");
    assert!(before["result"].is_null() && before["verdict"].is_null(), "{engine}: scored before any run: {before:#}");
    screenshot_demo(s, 0, "predict-primes-question").await;

    // Answer: processes wins (a mode every engine runs), threads 2× faster.
    answer(s, Some("processes"), Some("2")).await;
    let answered = s.execute(READ_PREDICTION).await;
    assert_eq!((answered["predictedWinner"].as_str(), answered["predictedSpeedup"].as_f64()), (Some("processes"), Some(2.0)), "{engine}: {answered:#}");
    click(s, ".demo-run").await;
    let scored = wait_for_score(s).await;
    check_scored_primes(s, &scored, "processes", 2.0);
    println!("{engine}: primes: {} | {} | {}", scored["verdict"], scored["explanation"], scored["tally"]["text"]);
    screenshot_demo(s, 0, "predict-primes-scored").await;

    // The tally survives a reload, and counts for another page of the book.
    let tally = scored["tally"].clone();
    open_prediction(s, &site.url("primes.html")).await;
    let reloaded = s.execute(READ_PREDICTION).await;
    assert_eq!(reloaded["tally"], tally, "{engine}: the tally after a reload: {reloaded:#}");
    assert!(reloaded["result"].is_null(), "{engine}: a reloaded page starts unanswered: {reloaded:#}");
    gil_page(s, &tally).await;
    guess_again(s).await;
    autorun_skips(s).await;
    on_a_phone(s).await;
    check_modules(s).await;
    every_article_asks_first(s).await;
}

/// The book's articles each ask before their main demo, where the text says; Async and Choosing
/// also ask before their workloads (one blocking call in async code; backpressure), in the order
/// of the page.
async fn every_article_asks_first(s: &Session) {
    let book = sites::real_book();
    let articles: [(&str, &[&str]); 7] = [
        ("start-here", &["winner speedup"]),
        ("measuring", &["speedup"]),
        ("threads", &["winner speedup"]),
        ("processes", &["speedup"]),
        ("async", &["winner", "winner"]),
        ("choosing", &["speedup", "winner"]),
        ("how-the-lab-works", &["speedup"]),
    ];
    for (page, asks) in articles {
        open_prediction(s, &book.url(&format!("{page}.html"))).await;
        let every = format!("return document.querySelectorAll('[data-predict] [data-predict-tally]').length >= {}", asks.len());
        s.wait_until(&every, "every question block of the page", TIMEOUT).await;
        let found = s.execute("return [...document.querySelectorAll('[data-predict]')].map((p) => p.dataset.asks)").await;
        assert_eq!(found, serde_json::json!(asks), "{}: {page}", s.engine.name());
        if page == "start-here" {
            s.execute("document.querySelector('[data-predict]').scrollIntoView({ block: 'start' }); scrollBy(0, -70)").await;
            s.screenshot("predict-start-here").await;
        }
    }
}

/// The primes prediction after a run: the verdict follows the run's own rows and speed-ups.
fn check_scored_primes(s: &Session, p: &Value, winner_guess: &str, speedup_guess: f64) {
    let engine = s.engine.name();
    assert_eq!(p["status"], "done", "{engine}: {p:#}");
    assert_eq!(p["measuredWinner"], p["fastestRow"], "{engine}: the winner is not the row with the shortest wall time: {p:#}");
    let winner = if p["measuredWinner"] == winner_guess { "right" } else { "wrong" };
    assert_eq!(p["winnerResult"], winner, "{engine}: {p:#}");
    let verdict = p["verdict"].as_str().unwrap();
    assert!(verdict.contains(&format!("You picked {winner_guess}")), "{engine}: {verdict}");
    if shares_memory(s.engine) {
        let measured = p["runSpeedups"]["threads"].as_f64().unwrap();
        assert!((p["measuredSpeedup"].as_f64().unwrap() - measured).abs() < 1e-3, "{engine}: {p:#}");
        let off = (speedup_guess / measured).max(measured / speedup_guess);
        assert_eq!(p["speedupResult"], if off <= 1.25 { "right" } else { "wrong" }, "{engine}: {p:#}");
        assert_eq!(p["scored"], 2.0, "{engine}: {p:#}");
        assert!(verdict.contains("You guessed threads 2× faster than sequential; this machine gave"), "{engine}: {verdict}");
        let explanation = p["explanation"].as_str().unwrap();
        assert!(explanation.contains("logical core"), "{engine}: the explanation names no cores: {explanation}");
        assert!(explanation.contains("hreads ran on 2 workers"), "{engine}: {explanation}");
    } else {
        // WebKit: no SharedArrayBuffer, so no threads: that answer does not count, and says why.
        assert_eq!(p["unavailable"], serde_json::json!(["threads"]), "{engine}: {p:#}");
        assert_eq!(p["speedupResult"], "unscored", "{engine}: {p:#}");
        assert!(p["measuredSpeedup"].is_null(), "{engine}: {p:#}");
        assert_eq!(p["scored"], 1.0, "{engine}: {p:#}");
        assert!(verdict.contains("this machine could not measure it"), "{engine}: {verdict}");
        assert_threads_unavailable_explained(s, p);
    }
    let right = [p["winnerResult"].as_str(), p["speedupResult"].as_str()].iter().filter(|r| **r == Some("right")).count() as f64;
    assert_eq!(p["score"].as_f64(), Some(right), "{engine}: {p:#}");
    assert_eq!(p["result"], if right == p["scored"].as_f64().unwrap() { "right" } else { "wrong" }, "{engine}: {p:#}");
    assert_eq!((p["tally"]["right"].as_f64(), p["tally"]["total"].as_f64()), (Some(right), p["scored"].as_f64()), "{engine}: {p:#}");
    let words = format!("Your predictions in this book: {right} of {} right.", p["scored"]);
    assert_eq!(p["tally"]["text"], words, "{engine}: {p:#}");
    assert!(p["disabled"].as_array().unwrap().iter().all(|d| d == true) && p["again"] == true, "{engine}: a scored guess is locked: {p:#}");
}

fn assert_threads_unavailable_explained(s: &Session, p: &Value) {
    let explanation = p["explanation"].as_str().unwrap_or_default();
    assert!(explanation.contains("The threads mode could not run here") && explanation.contains("SharedArrayBuffer"),
        "{}: no reason for the missing threads: {explanation}", s.engine.name());
    assert!(!explanation.contains("COOP"), "{}: blames the server: {explanation}", s.engine.name());
}

/// The gil page: the tally carried over; a run without answers is skipped and counts nothing;
/// then a guess of threads' speed-up under the GIL is scored, explained by the GIL (or, in
/// WebKit, by the missing threads, and not counted).
async fn gil_page(s: &Session, tally: &Value) {
    let engine = s.engine.name();
    open_prediction(s, &site().url("gil.html")).await;
    let fresh = s.execute(READ_PREDICTION).await;
    assert_eq!(fresh["tally"], *tally, "{engine}: another page of the book keeps the tally: {fresh:#}");
    assert_eq!(fresh["asks"], "speedup", "{engine}: {fresh:#}");

    click(s, ".demo-run").await;
    let skipped = wait_for_score(s).await;
    assert_eq!(skipped["result"], "skipped", "{engine}: {skipped:#}");
    assert_eq!(skipped["speedupResult"], "skipped", "{engine}: {skipped:#}");
    assert_eq!(skipped["scored"], 0.0, "{engine}: {skipped:#}");
    assert_eq!(skipped["tally"], *tally, "{engine}: a skipped prediction counts nothing: {skipped:#}");
    assert!(skipped["verdict"].as_str().unwrap().starts_with("No guess this time."), "{engine}: {skipped:#}");
    assert!(skipped["disabled"].as_array().unwrap().iter().all(|d| d == false) && skipped["again"] == false, "{engine}: {skipped:#}");

    answer(s, None, Some("1.5")).await;
    click(s, ".demo-run").await;
    s.wait_until("return document.querySelector('[data-predict]').dataset.predictionResult !== 'skipped' && document.querySelector('[data-demo]').dataset.status === 'done'",
        "the guess scored", TIMEOUT).await;
    let p = s.execute(READ_PREDICTION).await;
    println!("{engine}: gil: {} | {}", p["verdict"], p["explanation"]);
    let total = tally["total"].as_f64().unwrap();
    if shares_memory(s.engine) {
        let measured = p["runSpeedups"]["threads"].as_f64().unwrap();
        let off = (1.5 / measured).max(measured / 1.5);
        assert_eq!(p["result"], if off <= 1.25 { "right" } else { "wrong" }, "{engine}: {p:#}");
        let explanation = p["explanation"].as_str().unwrap();
        assert!(explanation.starts_with("With the GIL on, only one thread may compute at a time"), "{engine}: {explanation}");
        assert_eq!(p["tally"]["total"].as_f64(), Some(total + 1.0), "{engine}: {p:#}");
    } else {
        assert_eq!(p["result"], "unscored", "{engine}: {p:#}");
        assert_threads_unavailable_explained(s, &p);
        assert_eq!(p["tally"], *tally, "{engine}: an answer this browser cannot score counts nothing: {p:#}");
        assert_eq!(p["again"], false, "{engine}: an unscored guess stays open: {p:#}");
    }
    screenshot_demo(s, 0, "predict-gil").await;
}

/// "Guess again" after a scored prediction: the fields open and empty, the last scores cleared.
async fn guess_again(s: &Session) {
    let engine = s.engine.name();
    open_prediction(s, &site().url("primes.html")).await;
    answer(s, Some("sequential"), None).await;
    click(s, ".demo-run").await;
    let scored = wait_for_score(s).await;
    assert!(scored["result"] == "right" || scored["result"] == "wrong", "{engine}: {scored:#}");
    assert_eq!(scored["speedupResult"], "skipped", "{engine}: an unanswered question is skipped: {scored:#}");
    click(s, ".demo-predict-again").await;
    let again = s.execute(READ_PREDICTION).await;
    assert!(again["result"].is_null() && again["predictedWinner"].is_null() && again["verdict"].is_null(), "{engine}: {again:#}");
    assert!(again["disabled"].as_array().unwrap().iter().all(|d| d == false), "{engine}: {again:#}");
    assert_eq!(again["tally"], scored["tally"], "{engine}: the tally keeps what was scored: {again:#}");
}

/// `?autorun` runs at once, before anyone could answer: skipped, and the demo done as ever.
async fn autorun_skips(s: &Session) {
    s.goto(&site().url("primes.html?autorun")).await;
    let p = wait_for_score(s).await;
    assert_eq!((p["status"].as_str(), p["result"].as_str()), (Some("done"), Some("skipped")), "{}: {p:#}", s.engine.name());
}

/// At a phone's width: the questions fit, every field big enough to touch.
async fn on_a_phone(s: &Session) {
    let url = site().url("primes.html");
    s.open_as_phone(&url).await;
    s.wait_until("return document.querySelector('[data-predict]') !== null", "the questions", TIMEOUT).await;
    answer(s, Some("threads"), Some("3")).await;
    click(s, ".demo-run").await;
    wait_for_score(s).await;
    let measured = s.execute(MEASURE).await;
    assert_eq!(measured["width"], 390, "{}: not a phone's width: {measured:#}", s.engine.name());
    let problems = phone_problems("primes (predict)", &measured);
    screenshot_demo(s, 0, "predict-primes-phone").await;
    // Clear of the page's top bar.
    s.execute("document.querySelector('[data-predict]').scrollIntoView({ block: 'start' }); scrollBy(0, -70)").await;
    s.screenshot("predict-primes-phone-question").await;
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{}: the prediction at a phone's size:\n{}", s.engine.name(), problems.join("\n"));
}

/// Opens `url` and waits for its prediction's questions.
async fn open_prediction(s: &Session, url: &str) {
    open_demo(s, url).await;
    s.wait_until("return document.querySelector('[data-predict] [data-predict-tally]') !== null", "the questions before the run", TIMEOUT).await;
}

/// Picks `winner` and types `speedup` into the first figure's questions, as a reader would.
async fn answer(s: &Session, winner: Option<&str>, speedup: Option<&str>) {
    if let Some(mode) = winner {
        let select = s.client.find(Locator::Css("select[name=predict-winner]")).await.unwrap();
        select.select_by_value(mode).await.unwrap_or_else(|e| panic!("{}: choosing {mode}: {e}", s.engine.name()));
    }
    if let Some(text) = speedup {
        let input = s.client.find(Locator::Css("input[name=predict-speedup]")).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }
}

/// Waits until the first figure's run is over and its prediction has a result.
async fn wait_for_score(s: &Session) -> Value {
    s.wait_until(
        "const d = document.querySelector('[data-demo]'); return ['done', 'error'].includes(d.dataset.status) && d.querySelector('[data-predict]')?.dataset.predictionResult !== undefined",
        "the prediction's score", TIMEOUT).await;
    s.execute(READ_PREDICTION).await
}

/// The page's own predict-score.js, predict-explain.js and predict-tally.js, imported beside the
/// runner, on made-up runs: each case gives what it got and what it should be.
const MODULES: &str = r#"
const runner = [...document.scripts].find((s) => /\/runner\.[^/]*js$|\/runner\.js$/.test(s.src));
const load = (name) => import(new URL(`figure/${name}`, runner.src).href);
return Promise.all(['predict-score.js', 'predict-explain.js', 'predict-tally.js'].map(load)).then(([score, explain, tally]) => {
const run = { baseline: 'sequential', job: { workers: 4 },
  results: { sequential: { ms: 100, workers: 1 }, threads: { ms: 40, workers: 4 }, processes: { ms: 50, workers: 4 } },
  speedups: { sequential: 1, threads: 2.5, processes: 2 } };
const both = score.scorePrediction({ winner: true, speedup: 'threads' }, { winner: 'threads', speedup: 3 }, run);
const off = score.scorePrediction({ winner: true, speedup: 'threads' }, { winner: 'processes', speedup: 4 }, run);
const none = score.scorePrediction({ winner: true, speedup: 'threads' }, { winner: null, speedup: null }, run);
const noThreads = { ...run, results: { sequential: run.results.sequential, processes: run.results.processes }, speedups: { sequential: 1, processes: 2 } };
const lost = score.scorePrediction({ speedup: 'threads' }, { speedup: 2 }, noThreads);
const facts = { demo: 'primes', job: run.job, run, cores: 2, unavailable: {} };
const ceiling = explain.explainSpeedup(off.speedup, facts);
const amdahl = explain.explainSpeedup(score.scoreSpeedup('processes', 2, { ...run, speedups: { processes: 1.25 } }), { ...facts, cores: 8 });
const gil = explain.explainSpeedup(score.scoreSpeedup('threads', 2, { ...run, speedups: { threads: 1.05 } }), { ...facts, demo: 'gil', job: { work: 'cpu', gil: true, workers: 4 } });
const missing = explain.explainSpeedup(lost.speedup, { ...facts, run: noThreads, unavailable: { threads: 'unavailable — this browser offers no SharedArrayBuffer, so workers cannot share memory' } });
const noisy = explain.explainSpeedup(score.scoreSpeedup('threads', 1, { ...run, speedups: { threads: 1.6 } }), { ...facts, demo: 'gil', job: { work: 'cpu', gil: true } });
const slower = explain.explainSpeedup(score.scoreSpeedup('threads', 2, { ...run, speedups: { threads: 0.78 } }), facts);
const waits = explain.explainWinner(score.scoreWinner('threads', { ...run, results: { ...run.results, async: { ms: 10, workers: 1 } } }), { ...facts, demo: 'io-bound' });
// A localStorage that throws, as private windows may: the tally stays on the page and says why.
const key = 'test-key-' + Math.random();
const saved = Object.getOwnPropertyDescriptor(window, 'localStorage');
Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
let refused;
try {
  tally.addToTally(2, 1, key);
  refused = tally.readTally(key);
} finally {
  if (saved) Object.defineProperty(window, 'localStorage', saved); else delete window.localStorage;
}
const kept = tally.addToTally(3, 2, key);
const again = tally.addToTally(1, 1, key);
localStorage.removeItem(key);
return [
  { name: 'guess parsed', want: 2.5, got: score.parseGuess(' 2,5× ') },
  { name: 'nonsense refused', want: null, got: score.parseGuess('lots') },
  { name: 'zero refused', want: null, got: score.parseGuess('0') },
  { name: 'fastest', want: 'threads', got: score.fastestMode(run.results) },
  { name: 'both right', want: 'right 2/2', got: `${both.result} ${both.right}/${both.scored}` },
  { name: '3 vs 2.5 is within 25%', want: 'right', got: both.speedup.result },
  { name: '4 vs 2.5 is not', want: 'wrong', got: off.speedup.result },
  { name: 'wrong winner', want: 'wrong 0/2', got: `${off.result} ${off.right}/${off.scored}` },
  { name: 'nothing answered', want: 'skipped 0', got: `${none.result} ${none.scored}` },
  { name: 'threads did not run', want: 'unscored unscored 0', got: `${lost.result} ${lost.speedup.result} ${lost.scored}` },
  { name: 'times', want: '1.8× 12× 0.8× 1.0×', got: [1.83, 12.2, 0.78, 0.951].map(score.formatTimes).join(' ') },
  { name: 'slower than one worker', want: true, got: slower.includes('it gave 0.8×, slower than sequential: handing out chunks') },
  { name: 'Amdahl backwards', want: 0.2, got: Number(score.serialShare(1 / (0.2 + 0.8 / 4), 4).toFixed(6)) },
  { name: 'ceiling of 2 cores', want: true, got: ceiling.includes('Threads ran on 4 workers and this machine has 2 logical cores (workers beyond the cores only take turns), so 2× is the ceiling') },
  { name: 'Amdahl in words', want: true, got: amdahl.includes('the ideal was 4×') && amdahl.includes("as if 73% of the job had run on one lane (Amdahl's law") && amdahl.includes('sending each task') },
  { name: 'the GIL', want: true, got: gil.startsWith('With the GIL on, only one thread may compute at a time, so 4 workers take turns') },
  { name: 'above the ceiling', want: true, got: noisy.includes('It gave 1.6×, more than 1× allows: the sequential run, which ran first, was slower this time') },
  { name: 'no threads here', want: true, got: missing.startsWith('The threads mode could not run here: this browser offers no SharedArrayBuffer') },
  { name: 'waits need no cores', want: true, got: waits.startsWith('Async won: it kept every request in flight at once') },
  { name: 'refused storage: not stored', want: 'false 1/2', got: `${refused.stored} ${refused.right}/${refused.total}` },
  { name: 'refused storage says why', want: true, got: tally.describeTally(refused).includes('cannot be kept for the whole book: this browser refuses this page its storage (SecurityError)') },
  { name: 'stored again', want: 'true 2/3 3/4', got: `${kept.stored} ${kept.right}/${kept.total} ${again.right}/${again.total}` },
  { name: 'tally words', want: 'Your predictions in this book: 3 of 4 right.', got: tally.describeTally(again) },
  { name: 'damaged tally starts again', want: '0/0', got: (({ right, total }) => `${right}/${total}`)(tally.parseTally('{"right":5,"total":2}')) },
  { name: "the book's own key", want: true, got: tally.tallyKey().endsWith(':/:Predictions fixture') },
];
});
"#;

async fn check_modules(s: &Session) {
    open_prediction(s, &site().url("primes.html")).await;
    let cases = s.execute(MODULES).await;
    let wrong: Vec<String> = cases.as_array().unwrap().iter()
        .filter(|case| case["want"] != case["got"])
        .map(|case| format!("{}: want {}, got {}", case["name"], case["want"], case["got"]))
        .collect();
    assert!(wrong.is_empty(), "{}: the prediction's modules:\n{}", s.engine.name(), wrong.join("\n"));
}
