//! "Compare with CPython" on the gil page of the `demos` fixture book, in every engine: after the
//! browser's run, the command the figure shows (`python3 gil.py … --json --trace`) is run for
//! real on this machine's `python3`, and what it prints is typed into the figure's textarea. The
//! figure then shows a row per CPython mode (`[data-cpython-mode]` with `data-ms` as printed and
//! the browser's `data-browser-ms`), CPython's timelines with a bar per task on the browser's
//! time scale, and the differences (`[data-difference]`): where a process's first task began,
//! CPython against this browser, and — when the trace shows it — the threads taking turns under
//! the GIL. The second figure (I/O tasks) takes its output as a file (`<input type=file>`); on the
//! async-scale page, whose twin starts a process per task on the clock, the figure says how long
//! each took to start; the race's twin (its output dropped on the section as a file), whose threads modes are `unsafe` and `lock`, has a mode
//! CPython cannot run (`atomic`): its row says so, and it has no timeline.
//! Malformed JSON, another demo's output and an output without a trace each say what was
//! expected, and the demo still runs. The page's `figure/cpython-trace.js` is also checked on
//! made-up traces. Screenshots: `target/e2e/<engine>/cpython-*.png`.

use std::path::Path;
use std::process::Command;

use fantoccini::Locator;
use harness::{repo_root, Session};
use serde_json::{json, Value};

use crate::page::*;
use crate::phones::{phone_problems, MEASURE};
use crate::sites;

/// What figure `arguments[0]` shows of a CPython comparison.
const READ_CPYTHON: &str = r#"
const d = document.querySelectorAll('[data-demo]')[arguments[0]];
const section = d.querySelector('[data-cpython]');
const message = d.querySelector('[data-cpython-message]');
const axisEnd = (chart) => [...chart.querySelectorAll('.tl-tick')].map((t) => t.getAttribute('x') + ':' + t.textContent).join(' ');
const own = [...d.querySelectorAll('.demo-timelines:not(.demo-timelines-shared):not(.demo-timelines-cpython) .demo-timeline')];
const cpython = [...d.querySelectorAll('[data-cpython-timelines] .demo-timeline')];
return {
  state: section?.dataset.cpython ?? null,
  command: d.querySelector('.demo-cpython-command')?.textContent ?? null,
  message: message && !message.hidden ? message.textContent : null,
  rows: [...d.querySelectorAll('[data-cpython-mode]')].map((r) => ({
    mode: r.dataset.cpythonMode,
    ms: r.dataset.ms === undefined ? null : Number(r.dataset.ms),
    browserMs: r.dataset.browserMs === undefined ? null : Number(r.dataset.browserMs),
    result: r.dataset.result ?? null,
  })),
  timelines: cpython.map((t) => ({
    mode: t.dataset.timelineMode,
    lanes: Number(t.dataset.lanes),
    labels: [...t.querySelectorAll('.tl-label')].map((l) => l.textContent),
    bars: t.querySelectorAll('.tl-bar').length,
    ticks: axisEnd(t),
  })),
  ownTicks: own.map(axisEnd),
  label: d.querySelector('.demo-cpython-block:not([hidden]) .demo-cpython-label')?.textContent ?? null,
  differences: [...d.querySelectorAll('[data-difference]')].map((li) => ({ kind: li.dataset.kind, text: li.textContent })),
  status: d.dataset.status,
  browser: Object.fromEntries([...d.querySelectorAll('[data-mode][data-ms]')].map((r) => [r.dataset.mode, Number(r.dataset.ms)])),
};
"#;

/// The page's cpython-trace.js on made-up traces: what each case gives and what it should.
const MATH: &str = r#"
const runner = [...document.scripts].find((s) => /\/runner\.[^/]*js$|\/runner\.js$/.test(s.src));
return import(new URL('figure/cpython-trace.js', runner.src).href).then((m) => {
  const event = (task, lane, start, end, cpu, kind = 'task') => ({ task, lane, kind, start, end, cpu });
  const output = (traces) => JSON.stringify({ demo: 'gil', params: {}, rows: traces.map((t) => ({ mode: t.mode, ms: t.ms, workers: t.lanes })),
    trace: traces.map(({ ms, ...t }) => ({ clock: 'perf_counter', pool: 'warm', ...t })) });
  const read = (text) => m.readCPythonOutput(text, { demo: 'gil', modes: ['sequential', 'threads', 'processes'], command: 'python3 gil.py' });
  const kinds = (traces) => m.differences(read(output(traces)).output, null, {}).map((d) => d.kind).join(',');
  // Two threads' bars overlap but they compute 100 ms in 100 ms: turns.
  const turns = [{ mode: 'threads', ms: 100, lanes: 2, events: [event(0, 0, 0, 100, 50), event(1, 1, 0, 100, 50)] }];
  // Two processes compute 190 ms in 100 ms: at once; their first tasks began at 3 and 5 ms.
  const parallel = [{ mode: 'processes', ms: 100, lanes: 2, events: [event(0, 0, 3, 98, 95), event(1, 1, 5, 100, 95)] }];
  // Threads that wait side by side.
  const waits = [{ mode: 'threads', ms: 100, lanes: 3, events: [0, 1, 2].map((i) => event(i, i, 1, 95, 1, 'wait')) }];
  // Threads computing 180 ms in 100 ms: a CPython without its GIL.
  const free = [{ mode: 'threads', ms: 100, lanes: 2, events: [event(0, 0, 0, 100, 90), event(1, 1, 0, 100, 90)] }];
  const badLane = output([{ mode: 'threads', ms: 10, lanes: 1, events: [event(0, 3, 0, 5, 1)] }]);
  const backwards = output([{ mode: 'threads', ms: 10, lanes: 1, events: [event(0, 0, 5, 2, 1)] }]);
  const start = m.differences(read(output(parallel)).output, null, {}).find((d) => d.kind === 'process-start')?.text ?? '';
  return [
    { name: 'turns', want: 'gil', got: kinds(turns) },
    { name: 'parallel', want: 'parallel,process-start', got: kinds(parallel) },
    { name: 'waits', want: 'overlap', got: kinds(waits) },
    { name: 'free-threaded', want: 'parallel', got: kinds(free) },
    { name: 'first start', want: true, got: start.includes('3.0 ms') && start.includes('5.0 ms') },
    { name: 'lane out of range', want: true, got: /events\[0\]: "lane" must be a lane from 0 to 0/.test(read(badLane).error ?? '') },
    { name: 'end before start', want: true, got: /events\[0\]: "start" and "end"/.test(read(backwards).error ?? '') },
    { name: 'empty', want: true, got: /Nothing to compare yet/.test(read('  ').error ?? '') },
    { name: 'speed', want: 'speed', got: m.differences(read(output(turns)).output, { threads: { ms: 20 } }, {}).map((d) => d.kind).filter((k) => k === 'speed').join() },
    { name: 'params', want: 'params', got: m.differences({ ...read(output(turns)).output, params: { n: 5 } }, null, { n: 6 }).map((d) => d.kind).filter((k) => k === 'params').join() },
  ];
});
"#;

/// Runs the figure's command (`python3 <demo>.py … --json --trace`) in the twins' folder; its JSON.
fn run_command(command: &str) -> (String, Value) {
    let words: Vec<&str> = command.split(' ').collect();
    assert_eq!(words.first(), Some(&"python3"), "{command}");
    let started = std::time::Instant::now();
    let out = Command::new("python3")
        .args(&words[1..])
        .current_dir(repo_root().join("demos-wasm/python"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{command}: {}\n{stdout}{}", out.status, String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{command} printed no JSON ({e}): {stdout}"));
    println!("{command}: {} ms", started.elapsed().as_millis());
    (stdout, json)
}

/// Whether the trace's threads computed one at a time: the sentence the figure must then show.
fn took_turns(json: &Value) -> bool {
    let Some(threads) = json["trace"].as_array().and_then(|t| t.iter().find(|t| t["mode"] == "threads")) else { return false };
    let ms = json["rows"].as_array().unwrap().iter().find(|r| r["mode"] == "threads").unwrap()["ms"].as_f64().unwrap();
    let events = threads["events"].as_array().unwrap();
    let cpu: f64 = events.iter().map(|e| e["cpu"].as_f64().unwrap()).sum();
    threads["lanes"].as_u64().unwrap() >= 2 && events.iter().all(|e| e["kind"] == "task") && cpu <= ms * 1.15
}

/// Opens figure `index`'s comparison, types `text` into its textarea and presses Compare.
async fn paste(s: &Session, index: usize, text: &str) {
    s.execute_with("const d = document.querySelectorAll('[data-demo]')[arguments[0]]; d.querySelector('[data-cpython]').open = true; \
                    d.querySelector('[data-cpython-input]').value = '';", vec![json!(index)]).await;
    let areas = s.client.find_all(Locator::Css("[data-cpython-input]")).await.unwrap();
    areas[index].send_keys(text).await.unwrap_or_else(|e| panic!("{}: typing into the textarea: {e}", s.engine.name()));
    let buttons = s.client.find_all(Locator::Css("[data-cpython-compare]")).await.unwrap();
    buttons[index].click().await.unwrap();
}

/// Puts `text` into figure `index`'s textarea at once (for inputs a test need not type) and presses Compare.
async fn put(s: &Session, index: usize, text: &str) {
    s.execute_with("const d = document.querySelectorAll('[data-demo]')[arguments[0]]; d.querySelector('[data-cpython]').open = true; \
                    d.querySelector('[data-cpython-input]').value = arguments[1]; d.querySelector('[data-cpython-compare]').click();",
        vec![json!(index), json!(text)]).await;
}

/// Drops a file holding `text` on figure `index`'s section, as a reader dragging it there would.
async fn drop_file(s: &Session, index: usize, text: &str) {
    s.execute_with("const section = document.querySelectorAll('[data-cpython]')[arguments[0]]; section.open = true; \
                    const data = new DataTransfer(); data.items.add(new File([arguments[1]], 'race.json', { type: 'application/json' })); \
                    section.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true })); \
                    section.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));",
        vec![json!(index), json!(text)]).await;
    s.wait_until(&format!("return document.querySelectorAll('[data-cpython]')[{index}].dataset.cpython !== 'empty'"), "the dropped file is read", TIMEOUT).await;
}

/// Checks what figure `index` shows against the twin's `json`: rows, a timeline per mode with a
/// bar per task, on the browser's scale, and the differences; `browser_ran`: whether the browser ran
/// any of the modes first. Returns what it shows.
async fn check_shown(s: &Session, index: usize, json: &Value, browser_ran: bool) -> Value {
    let engine = s.engine.name();
    // A chart first drawn before its box had its width is drawn again once it has (ResizeObserver).
    let same_scale = format!(
        "const d = document.querySelectorAll('[data-demo]')[{index}];          const ticks = [...d.querySelectorAll('.demo-timeline')].map((t) => [...t.querySelectorAll('.tl-tick')].map((k) => k.getAttribute('x') + k.textContent).join());          return ticks.length > 0 && ticks.every((t) => t === ticks[0]);"
    );
    let settled = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while s.execute(&same_scale).await != Value::Bool(true) && std::time::Instant::now() < settled {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let shown = s.execute_with(READ_CPYTHON, vec![json!(index)]).await;
    assert_eq!(shown["state"], "loaded", "{engine}: {shown:#}");
    assert!(shown["message"].is_null(), "{engine}: {shown:#}");
    let rows = json["rows"].as_array().unwrap();
    let shown_rows = shown["rows"].as_array().unwrap();
    assert_eq!(shown_rows.len(), rows.len(), "{engine}: {shown:#}");
    for (row, got) in rows.iter().zip(shown_rows) {
        assert_eq!(got["mode"], row["mode"], "{engine}: {shown:#}");
        assert_eq!(got["ms"].as_f64(), row["ms"].as_f64(), "{engine}: {shown:#}");
        let result = (!row["result"].is_null()).then(|| row["result"].to_string());
        assert_eq!(got["result"].as_str(), result.as_deref(), "{engine}: {shown:#}");
        // The browser's time beside CPython's wherever this browser ran the mode (WebKit runs no threads).
        assert_eq!(got["browserMs"].as_f64(), shown["browser"][row["mode"].as_str().unwrap()].as_f64(), "{engine}: {shown:#}");
    }
    let traces = json["trace"].as_array().unwrap();
    let timelines = shown["timelines"].as_array().unwrap();
    assert_eq!(timelines.len(), traces.len(), "{engine}: {shown:#}");
    for (trace, timeline) in traces.iter().zip(timelines) {
        assert_eq!(timeline["mode"], trace["mode"], "{engine}: {shown:#}");
        assert_eq!(timeline["lanes"], trace["lanes"], "{engine}: {shown:#}");
        assert_eq!(timeline["bars"].as_u64(), Some(trace["events"].as_array().unwrap().len() as u64), "{engine}: {shown:#}");
        let labels: Vec<&str> = timeline["labels"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        let lane = match trace["mode"].as_str().unwrap() { "threads" | "unsafe" | "lock" => "thread 1", "processes" => "worker 1", _ => "main" };
        assert!(labels.contains(&lane), "{engine}: {} lanes are {labels:?}", trace["mode"]);
    }
    // One axis: every chart, the browser's and CPython's, has the same ticks at the same places.
    let mut ticks: Vec<&str> = timelines.iter().map(|t| t["ticks"].as_str().unwrap()).collect();
    ticks.extend(shown["ownTicks"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()));
    assert!(ticks.windows(2).all(|pair| pair[0] == pair[1]), "{engine}: the timelines are not on one scale: {ticks:#?}");
    assert!(shown["label"].as_str().unwrap_or("").starts_with("CPython 3."), "{engine}: {shown:#}");
    let kinds: Vec<&str> = shown["differences"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"process-start"), "{engine}: {shown:#}");
    let both_ran = rows.iter().any(|row| !row["ms"].is_null() && shown["browser"].get(row["mode"].as_str().unwrap()).is_some());
    assert_eq!(kinds.contains(&"speed"), both_ran, "{engine}: {shown:#}");
    assert_eq!(both_ran, browser_ran, "{engine}: {shown:#}");
    shown
}

pub async fn compare_with_cpython(s: &Session) {
    let engine = s.engine.name();
    let site = sites::demos();
    open_demo(s, &site.url("gil.html")).await;
    let math = s.execute(MATH).await;
    let wrong: Vec<String> = math.as_array().unwrap().iter().filter(|c| c["want"] != c["got"]).map(|c| c.to_string()).collect();
    assert!(wrong.is_empty(), "{engine}: cpython-trace.js:\n{}", wrong.join("\n"));

    run_page(s, &site.url("gil.html?autorun")).await;
    let before = s.execute_with(READ_CPYTHON, vec![json!(0)]).await;
    assert_eq!(before["state"], "empty", "{engine}: {before:#}");
    let command = before["command"].as_str().unwrap().to_owned();
    assert!(command.starts_with("python3 gil.py --work cpu") && command.ends_with(" --json --trace"), "{engine}: {command}");
    let (text, json) = run_command(&command);
    paste(s, 0, &text).await;
    let shown = check_shown(s, 0, &json, true).await;
    let kinds: Vec<&str> = shown["differences"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.contains(&"gil"), took_turns(&json), "{engine}: {shown:#}\n{json}");
    println!("{engine}: {}", shown["differences"].as_array().unwrap().iter().map(|d| d["text"].as_str().unwrap()).collect::<Vec<_>>().join("\n  "));
    screenshot_of_part(s, "[data-cpython]", "cpython-compared").await;
    screenshot_of_part(s, ".demo-timeline-section", "cpython-timelines").await;

    // The I/O figure: its output as a file.
    let io_command = s.execute_with(READ_CPYTHON, vec![json!(1)]).await["command"].as_str().unwrap().to_owned();
    let (io_text, io_json) = run_command(&io_command);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gil-io.json");
    std::fs::write(&file, &io_text).unwrap();
    choose_file(s, 1, &file).await;
    s.wait_until("return document.querySelectorAll('[data-cpython]')[1].dataset.cpython !== 'empty'", "the chosen file is read", TIMEOUT).await;
    let io_shown = check_shown(s, 1, &io_json, true).await;
    let io_kinds: Vec<&str> = io_shown["differences"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert!(!io_kinds.contains(&"gil"), "{engine}: I/O tasks are not said to take turns: {io_shown:#}");

    // What cannot be shown says what was expected; what was shown stays; Run still works.
    let mut other = json.clone();
    other["demo"] = json!("primes");
    let mut untraced = json.clone();
    untraced.as_object_mut().unwrap().remove("trace");
    open_demo(s, &site.url("gil.html")).await;
    for (what, input, says) in [
        ("malformed", text[..text.len() / 2].to_owned(), "That is not JSON"),
        ("another demo's", other.to_string(), "the primes demo's twin, but this figure is the gil demo"),
        ("untraced", untraced.to_string(), "no trace (it was run without --trace)"),
    ] {
        put(s, 0, &input).await;
        let shown = s.execute_with(READ_CPYTHON, vec![json!(0)]).await;
        assert_eq!(shown["state"], "invalid", "{engine}: {what}: {shown:#}");
        let message = shown["message"].as_str().unwrap_or_else(|| panic!("{engine}: {what}: no message: {shown:#}"));
        assert!(message.contains(says) && message.contains("--json --trace"), "{engine}: {what}: {message}");
        assert!(shown["rows"].as_array().unwrap().is_empty() && shown["timelines"].as_array().unwrap().is_empty(), "{engine}: {what}: {shown:#}");
    }
    screenshot_of_part(s, "[data-cpython]", "cpython-invalid").await;
    // The command follows the controls, as the twin's does.
    set_input(s, "tasks", "6").await;
    let follows = s.execute_with(READ_CPYTHON, vec![json!(0)]).await;
    assert!(follows["command"].as_str().unwrap().contains("--tasks 6 "), "{engine}: {follows:#}");
    put(s, 0, &text).await;
    check_shown(s, 0, &json, false).await;
    put(s, 0, "{").await;
    let kept = s.execute_with(READ_CPYTHON, vec![json!(0)]).await;
    assert_eq!(kept["state"], "loaded", "{engine}: {kept:#}");
    assert!(kept["message"].as_str().unwrap_or("").contains("the last one that could be read"), "{engine}: {kept:#}");
    s.execute("document.querySelector('.demo-run').scrollIntoView({ block: 'center' })").await;
    click(s, ".demo-run").await;
    s.wait_until("return document.querySelector('[data-demo]').dataset.status === 'done'", "the run after a comparison", TIMEOUT).await;
    let after = s.execute_with(READ_CPYTHON, vec![json!(0)]).await;
    assert!(after["rows"].as_array().unwrap().iter().any(|r| r["browserMs"].is_number()), "{engine}: {after:#}");

    // Processes started on the clock (async-scale's, one per task): how long each took to start.
    open_demo(s, &site.url("async-scale.html")).await;
    let scale_command = s.execute_with(READ_CPYTHON, vec![json!(0)]).await["command"].as_str().unwrap().to_owned();
    let (scale_text, scale_json) = run_command(&scale_command);
    put(s, 0, &scale_text).await;
    let scale = check_shown(s, 0, &scale_json, false).await;
    let start = scale["differences"].as_array().unwrap().iter().find(|d| d["kind"] == "process-start").unwrap()["text"].as_str().unwrap();
    assert!(start.starts_with("Each process took about "), "{engine}: {start}");
    let overlap = scale["differences"].as_array().unwrap().iter().filter(|d| d["kind"] == "overlap").count();
    println!("{engine}: {start} ({overlap} sentences about waits overlapping)");
    screenshot_of_part(s, ".demo-cpython-block", "cpython-async-scale-timelines").await;

    // The race: its threads modes are `unsafe` and `lock`, and it has a mode CPython cannot run.
    open_demo(s, &site.url("race.html")).await;
    let race_command = s.execute_with(READ_CPYTHON, vec![json!(0)]).await["command"].as_str().unwrap().to_owned();
    let (race_text, race_json) = run_command(&race_command);
    drop_file(s, 0, &race_text).await;
    let race = check_shown(s, 0, &race_json, false).await;
    let atomic = race["rows"].as_array().unwrap().iter().find(|r| r["mode"] == "atomic");
    assert!(atomic.is_some_and(|r| r["ms"].is_null()), "{engine}: {race:#}");

    // At a phone's size.
    s.open_as_phone(&site.url("gil.html?autorun")).await;
    wait_for_demos(s, "gil on a phone").await;
    put(s, 0, &text).await;
    check_shown(s, 0, &json, true).await;
    let measured = s.execute(MEASURE).await;
    let problems = phone_problems("gil (compared with CPython)", &measured);
    screenshot_of_part(s, "[data-cpython]", "cpython-phone").await;
    screenshot_of_part(s, ".demo-timeline-section", "cpython-phone-timelines").await;
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
    assert!(problems.is_empty(), "{engine}: compared with CPython at a phone's size:\n{}", problems.join("\n"));
}

/// Chooses `file` in figure `index`'s file input, as a reader would.
async fn choose_file(s: &Session, index: usize, file: &Path) {
    s.execute_with("document.querySelectorAll('[data-cpython]')[arguments[0]].open = true", vec![json!(index)]).await;
    let inputs = s.client.find_all(Locator::Css("[data-cpython-file]")).await.unwrap();
    inputs[index].send_keys(&file.to_string_lossy()).await.unwrap_or_else(|e| panic!("{}: choosing {}: {e}", s.engine.name(), file.display()));
}
