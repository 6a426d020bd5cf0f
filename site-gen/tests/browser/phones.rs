//! Every demo of the `demos` fixture book at a phone's size (390 × 844 CSS pixels), in every
//! engine, after a run: nothing needs scrolling sideways (the page, the figure, or any part of it),
//! every control a finger uses is at least 44 × 44 pixels, and the timelines stay readable — within
//! the screen's width, their labels at least 11 pixels tall, each lane at least as tall as its label (12 pixels).
//! Screenshots: `target/e2e/<engine>/phone-*.png`.

use harness::Session;
use serde_json::Value;

use crate::page::*;
use crate::sites;

/// What stands out sideways, what is too small to touch, and how the timelines read.
pub(crate) const MEASURE: &str = r#"
const doc = document.documentElement;
const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
const name = (e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '')
  + (e.name ? `[name=${e.name}]` : '') + (e.textContent.trim() ? ` "${e.textContent.trim().slice(0, 30)}"` : '');
const wide = [];
if (doc.scrollWidth > doc.clientWidth + 1) wide.push(`the page: ${doc.scrollWidth} > ${doc.clientWidth}`);
// (Code scrolls sideways by design, as code does everywhere: its lines are not the figure's.)
const reported = [];
for (const figure of document.querySelectorAll('figure.demo')) {
  for (const e of [figure, ...figure.querySelectorAll('*')]) {
    if (!shown(e) || e.closest('pre') || reported.some((outer) => outer.contains(e))) continue;
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    if (r.right > doc.clientWidth + 1) {
      wide.push(`${name(e)} ends at ${Math.round(r.right)}`);
      reported.push(e);
    } else if (/(auto|scroll)/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1) {
      wide.push(`${name(e)} scrolls: ${e.scrollWidth} > ${e.clientWidth}`);
      reported.push(e);
    }
  }
}
// A control's touch target: the control, or the label around it (a tap on the label works it).
const small = [];
const controls = document.querySelectorAll('figure.demo :is(button, input, select, summary, a[href], textarea), .top-bar :is(button, a[href], input)');
for (const control of controls) {
  if (!shown(control)) continue;
  const target = control.closest('label') ?? control;
  const r = target.getBoundingClientRect();
  if (r.width < 43.5 || r.height < 43.5) small.push(`${name(control)}: ${Math.round(r.width)} × ${Math.round(r.height)}`);
}
const timelines = [...document.querySelectorAll('.demo-timeline svg')].filter(shown).map((svg) => {
  const r = svg.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('text')].filter(shown).map((t) => t.getBoundingClientRect().height);
  const lanes = [...svg.querySelectorAll('rect.tl-lane')].map((lane) => lane.getBoundingClientRect().height);
  return { fits: r.left >= -1 && r.right <= doc.clientWidth + 1, smallestLabel: Math.min(...labels), thinnestLane: Math.min(...lanes), labels: labels.length };
});
return { width: innerWidth, wide, small, timelines };
"#;

pub async fn every_demo_fits_a_phone(s: &Session) {
    let site = sites::demos();
    let mut problems = Vec::new();
    for page in ["primes", "io-bound", "gil", "race", "async-scale", "hybrid", "ipc-cost", "responsiveness"] {
        s.open_as_phone(&site.url(&format!("{page}.html?autorun"))).await;
        let demos = wait_for_demos(s, page).await;
        assert!(demos.iter().all(|d| d["status"] == "done"), "{}: {page}: {demos:#?}", s.engine.name());
        let measured = s.execute(MEASURE).await;
        assert_eq!(measured["width"], 390, "{}: {page}: not a phone's width: {measured:#}", s.engine.name());
        problems.extend(phone_problems(page, &measured));
        screenshot_demo(s, 0, &format!("phone-{page}")).await;
    }
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{}: at a phone's size:\n{}", s.engine.name(), problems.join("\n"));
}

/// What the measurements of `page` say is wrong, one line each.
pub(crate) fn phone_problems(page: &str, measured: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for wide in measured["wide"].as_array().unwrap() {
        problems.push(format!("{page}: sideways: {}", wide.as_str().unwrap()));
    }
    for small in measured["small"].as_array().unwrap() {
        problems.push(format!("{page}: smaller than 44 × 44: {}", small.as_str().unwrap()));
    }
    for timeline in measured["timelines"].as_array().unwrap() {
        if timeline["fits"] != true {
            problems.push(format!("{page}: a timeline is wider than the screen: {timeline}"));
        }
        if timeline["labels"].as_u64().unwrap_or(0) > 0 && timeline["smallestLabel"].as_f64().unwrap_or(0.0) < 11.0 {
            problems.push(format!("{page}: a timeline label is under 11 px: {timeline}"));
        }
        if timeline["thinnestLane"].as_f64().unwrap_or(0.0) < 11.5 {
            problems.push(format!("{page}: a timeline lane is under 12 px: {timeline}"));
        }
    }
    problems
}
