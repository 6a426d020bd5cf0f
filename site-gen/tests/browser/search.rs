//! Search in every engine: the `search` fixture book is built and served by `site-gen serve`, and
//! the search box is used as a reader would: `/` to reach it, typing, ↑/↓/Enter/Escape, queries in
//! Latin, Chinese and Cyrillic script, accents, and queries and page text that look like HTML,
//! which must stay text. A page loads nothing of the index until the box is used, and the browser
//! reads words exactly as `site-gen` indexed them. Screenshots: `target/e2e/<engine>/search-*.png`.
//!
//! `first_query_on_a_5000_page_book` (ignored; `make bench BENCH=search` runs it) is the size
//! benchmark: it generates a 5,000-page book and reports what the index weighs and what a first
//! query downloads.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{books, Session};
use serde_json::Value;

use crate::sites::{self, Served};

mod generated_site;

fn search_site() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| sites::serve_copy(books::copy_fixture("search")))
}

/// The file `path` names in the theme's search folder (`/static/search.<hash>/box.js` → `box.js`),
/// named by its content or not.
fn search_script(path: &str) -> Option<&str> {
    let (folder, file) = path.strip_prefix("/static/")?.split_once('/')?;
    let hash = folder.strip_prefix("search")?;
    (hash.is_empty() || hash.strip_prefix('.').is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()))).then_some(file)
}

/// The size of the search engine's scripts in the built `site`: every script of the theme's search
/// folder but `box.js`, which every page loads.
fn engine_size(site: &Path) -> u64 {
    let folders = std::fs::read_dir(site.join("static")).into_iter().flatten().flatten();
    let folder = folders.map(|entry| entry.path()).find(|path| {
        path.file_name().is_some_and(|name| search_script(&format!("/static/{}/x", name.to_string_lossy())).is_some())
    });
    let files = folder.and_then(|folder| std::fs::read_dir(folder).ok()).into_iter().flatten().flatten();
    files.filter(|entry| entry.file_name() != "box.js").filter_map(|entry| entry.metadata().ok()).map(|meta| meta.len()).sum()
}

/// How long a query may take to show its results before the test gives up.
const QUERY_TIMEOUT: Duration = Duration::from_secs(30);

/// What the search panel shows.
const READ_PANEL: &str = r#"
const panel = document.getElementById('search-results');
const text = (el, sel) => { const e = el.querySelector(sel); return e ? e.textContent : ''; };
return {
  state: panel.dataset.state || '',
  query: panel.dataset.query || '',
  hidden: panel.hidden,
  status: text(panel, '.search-status'),
  results: [...panel.querySelectorAll('.search-result')].map(a => ({
    href: a.href,
    title: text(a, '.search-result-title'),
    heading: text(a, '.search-result-heading'),
    snippet: text(a, '.search-result-snippet'),
    marks: [...a.querySelectorAll('mark')].map(m => m.textContent),
    active: a.classList.contains('active'),
    selected: a.getAttribute('aria-selected'),
  })),
  injected: panel.querySelectorAll('script, img, b, iframe, style').length,
  focused: document.activeElement ? document.activeElement.id : '',
  expanded: document.getElementById('search-input').getAttribute('aria-expanded'),
  xss: window.xssFired === true,
};
"#;

/// The site's files the page has fetched so far, as paths.
const FETCHED: &str = r#"
return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);
"#;

async fn panel(s: &Session) -> Value {
    s.execute(READ_PANEL).await
}

/// Types `query` into the (emptied) search box and waits until its results are shown.
async fn search(s: &Session, query: &str) -> Value {
    let input = s.client.find(Locator::Id("search-input")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(query).await.unwrap();
    wait_for_results(s, query).await
}

async fn wait_for_results(s: &Session, query: &str) -> Value {
    let deadline = Instant::now() + QUERY_TIMEOUT;
    loop {
        let state = panel(s).await;
        if state["query"] == query && (state["state"] == "done" || state["state"] == "error") {
            assert_eq!(state["state"], "done", "the search for {query:?} failed: {state:#}");
            return state;
        }
        assert!(Instant::now() < deadline, "no results shown for {query:?}: {state:#}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn press(s: &Session, key: Key) {
    let input = s.client.find(Locator::Id("search-input")).await.unwrap();
    input.send_keys(&key).await.unwrap();
}

/// Waits for the browser to leave `from` and finish loading the new page.
async fn wait_for_navigation(s: &Session, from: &str) -> String {
    let deadline = Instant::now() + QUERY_TIMEOUT;
    loop {
        // Asking while the old page unloads can fail (WebKit: "Callback was not called before
        // the unload event"): the navigation is under way, so ask again.
        let url = s.client.current_url().await.ok().map(|u| u.to_string());
        let ready = s.client.execute("return document.readyState", vec![]).await.ok();
        if let (Some(url), Some(ready)) = (url, ready) {
            if url != from && ready == "complete" {
                return url;
            }
        }
        assert!(Instant::now() < deadline, "Enter did not leave {from}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The element the URL's fragment names, and whether it is in view.
const TARGET_IN_VIEW: &str = r#"
const id = decodeURIComponent(location.hash.slice(1));
const el = document.getElementById(id);
if (!el) return { id, found: false };
const r = el.getBoundingClientRect();
return { id, found: true, inView: r.top >= 0 && r.top < window.innerHeight, text: el.textContent };
"#;

pub async fn search_box_finds_sections_in_any_script_and_keeps_html_as_text(s: &Session) {
    let site = search_site();
    let base = site.base.clone();
    // (The book has no icon: the browser's own request for one is not the search's concern.)
    s.expect_console("/favicon.ico");

    // A page loads the small search script and nothing of the engine or the index.
    s.goto(&format!("{base}/threads.html")).await;
    let fetched: Vec<String> = serde_json::from_value(s.execute(FETCHED).await).unwrap();
    assert!(fetched.iter().any(|p| search_script(p) == Some("box.js")), "{fetched:?}");
    assert!(!fetched.iter().any(|p| p.contains("/search/") || search_script(p).is_some_and(|file| file != "box.js")), "{fetched:?}");

    // `/` puts the cursor in the box; focusing it loads the search and the index's table of shards only.
    s.client.perform_actions(KeyActions::new("keyboard".into()).then(KeyAction::Down { value: '/' }).then(KeyAction::Up { value: '/' })).await.unwrap();
    assert_eq!(panel(s).await["focused"], "search-input");
    let deadline = Instant::now() + QUERY_TIMEOUT;
    loop {
        let fetched: Vec<String> = serde_json::from_value(s.execute(FETCHED).await).unwrap();
        if fetched.iter().any(|p| p == "/search/meta.json") {
            assert!(!fetched.iter().any(|p| p.contains("/search/terms-")), "{fetched:?}");
            break;
        }
        assert!(Instant::now() < deadline, "focusing the box did not load search/meta.json: {fetched:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A word found in a heading and the text: the section comes with its heading and a marked snippet.
    let state = search(s, "mutex").await;
    let first = &state["results"][0];
    assert_eq!(first["href"], format!("{base}/threads.html#locks-and-mutexes"), "{state:#}");
    assert_eq!(first["title"], "Threads");
    assert_eq!(first["heading"], "Locks and mutexes");
    assert!(first["snippet"].as_str().unwrap().contains("A mutex lets one thread"), "{state:#}");
    assert!(first["marks"].as_array().unwrap().iter().any(|m| m == "mutex"), "{state:#}");
    assert_eq!(state["expanded"], "true");
    s.screenshot("search-results").await;

    // All words must match; the last word is a prefix while it is being typed.
    let state = search(s, "mutex deadl").await;
    assert_eq!(state["results"].as_array().unwrap().len(), 1, "{state:#}");
    assert!(state["results"][0]["marks"].as_array().unwrap().iter().any(|m| m == "deadlock"), "{state:#}");
    let state = search(s, "mutex futures").await;
    assert!(state["results"].as_array().unwrap().is_empty(), "{state:#}");
    assert_eq!(state["status"], "No results for “mutex futures”");

    // Titles rank above headings, headings above text.
    let state = search(s, "async").await;
    let hrefs: Vec<&str> = state["results"].as_array().unwrap().iter().map(|r| r["href"].as_str().unwrap()).collect();
    assert_eq!(hrefs[0], format!("{base}/guide/async.html#async-and-await"), "{state:#}");
    assert!(hrefs.contains(&format!("{base}/intro.html#introduction").as_str()), "{state:#}");

    // Accents: "cafe" finds "café", "uber" finds "Über".
    let state = search(s, "cafe").await;
    assert_eq!(state["results"][0]["heading"], "The café problem", "{state:#}");
    assert!(state["results"][0]["marks"].as_array().unwrap().iter().any(|m| m == "café"), "{state:#}");
    let state = search(s, "uber").await;
    assert!(state["results"][0]["marks"].as_array().unwrap().iter().any(|m| m == "Über"), "{state:#}");

    // ↓ ↓ ↑ moves through the results; Enter opens the chosen one at its heading.
    let state = search(s, "thread").await;
    let results = state["results"].as_array().unwrap();
    assert!(results.len() >= 3, "{state:#}");
    press(s, Key::Down).await;
    press(s, Key::Down).await;
    press(s, Key::Up).await;
    let state = panel(s).await;
    let active: Vec<bool> = state["results"].as_array().unwrap().iter().map(|r| r["active"] == true).collect();
    assert_eq!(active.iter().position(|a| *a), Some(0), "{state:#}");
    assert_eq!(state["results"][0]["selected"], "true");
    s.screenshot("search-keyboard").await;
    let target = state["results"][0]["href"].as_str().unwrap().to_owned();
    let from = s.client.current_url().await.unwrap().to_string();
    press(s, Key::Enter).await;
    let url = wait_for_navigation(s, &from).await;
    assert_eq!(url, target);
    let view = s.execute(TARGET_IN_VIEW).await;
    assert_eq!(view["found"], true, "{view:#}");

    // Chinese, from a page in a folder: the bigrams of 死锁 ("deadlock") find the section.
    s.goto(&format!("{base}/guide/async.html")).await;
    let state = search(s, "死锁").await;
    let first = &state["results"][0];
    assert_eq!(first["href"], format!("{base}/chinese.html#locks-zh"), "{state:#}");
    assert_eq!(first["heading"], "线程与锁");
    assert_eq!(first["marks"], serde_json::json!(["死锁"]), "{state:#}");
    s.screenshot("search-cjk").await;
    let from = s.client.current_url().await.unwrap().to_string();
    press(s, Key::Enter).await;
    assert_eq!(wait_for_navigation(s, &from).await, format!("{base}/chinese.html#locks-zh"));
    let view = s.execute(TARGET_IN_VIEW).await;
    assert_eq!(view["text"], "线程与锁", "{view:#}");
    assert_eq!(view["inView"], true, "{view:#}");

    // Cyrillic, typed as a prefix, to a heading whose id is Cyrillic too.
    let state = search(s, "блокир").await;
    let first = &state["results"][0];
    assert_eq!(first["heading"], "Взаимная блокировка", "{state:#}");
    assert!(first["marks"].as_array().unwrap().iter().any(|m| m == "блокировка"), "{state:#}");
    let from = s.client.current_url().await.unwrap().to_string();
    press(s, Key::Enter).await;
    wait_for_navigation(s, &from).await;
    let view = s.execute(TARGET_IN_VIEW).await;
    assert_eq!(view["id"], "взаимная-блокировка", "{view:#}");
    assert_eq!(view["inView"], true, "{view:#}");

    // Queries and page text that look like HTML stay text.
    let state = search(s, "<script>").await;
    let escaping = state["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["href"] == format!("{base}/escaping.html#escaping"))
        .unwrap_or_else(|| panic!("{state:#}"));
    assert!(escaping["snippet"].as_str().unwrap().contains("<script>alert(\"boom\")</script>"), "{state:#}");
    assert!(escaping["snippet"].as_str().unwrap().contains("onerror=\"window.xssFired = true\""), "{state:#}");
    assert_eq!(state["injected"], 0, "{state:#}");
    s.screenshot("search-escaping").await;
    let query = "<img src=x onerror=\"window.xssFired=true\"><b>zzzz</b>";
    let state = search(s, query).await;
    assert_eq!(state["status"], format!("No results for “{query}”"), "{state:#}");
    assert_eq!(state["injected"], 0, "{state:#}");
    assert_eq!(state["xss"], false, "{state:#}");

    // Escape closes the panel, a second Escape empties the box.
    search(s, "thread").await;
    press(s, Key::Escape).await;
    let state = panel(s).await;
    assert_eq!(state["hidden"], true, "{state:#}");
    assert_eq!(state["expanded"], "false");
    press(s, Key::Escape).await;
    let value = s.execute("return document.getElementById('search-input').value").await;
    assert_eq!(value, "");

    // The browser reads words exactly as site-gen indexed them.
    let samples = [
        "The quick (\"brown\") fox can't jump 32.3 feet",
        "tokio::spawn_blocking(f) x86-64 co\u{ad}operate",
        "Über U\u{308}ber Café naïve RÉSUMÉ Ångström ﬁle Ｒｕｓｔ Straße",
        "Потоки и Процессы: ёлка ΣΥΓΧΡΟΝΙΣΜΟΣ συγχρονισμός",
        "Rust的并发，很难。第3章 スレッドを使う ｽﾚｯﾄﾞ 并\u{200d}发 并\u{200b}发",
        "เธรด 스레드 동시성 数学𠀀𠀁 ١٢٣ हिन्दी",
    ];
    for sample in samples {
        let js = s.execute_with("return window.bookSearch.terms(arguments[0])", vec![Value::from(sample)]).await;
        let js: Vec<String> = serde_json::from_value(js).unwrap();
        assert_eq!(js, site_gen::search::tokenise::terms(sample), "search/terms.js and tokenise.rs disagree on {sample:?}");
    }
    // And decodes postings exactly as site-gen writes them.
    postings_read_alike(s).await;

    // Light and dark.
    s.execute("document.documentElement.dataset.theme = 'dark'").await;
    search(s, "scheduler").await;
    s.screenshot("search-dark").await;
    s.execute("document.documentElement.dataset.theme = 'light'").await;

    // On a phone the results take the screen's whole width.
    s.set_viewport(390, 844).await;
    s.goto(&format!("{base}/index.html")).await;
    s.screenshot("search-phone-closed").await;
    s.client.find(Locator::Id("search-input")).await.unwrap().click().await.unwrap();
    let state = search(s, "thread").await;
    assert!(!state["results"].as_array().unwrap().is_empty());
    let layout = s
        .execute(
            "const r = document.getElementById('search-results').getBoundingClientRect(); \
             const b = document.getElementById('search-input').getBoundingClientRect(); \
             return { left: r.left, width: r.width, viewport: document.documentElement.clientWidth, box: b.width };",
        )
        .await;
    assert_eq!(layout["left"].as_f64(), Some(0.0), "{layout:#}");
    assert_eq!(layout["width"].as_f64(), layout["viewport"].as_f64(), "{layout:#}");
    assert!(layout["box"].as_f64().unwrap() > 200.0, "the focused box widens on a phone: {layout:#}");
    s.screenshot("search-phone").await;

    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
}

/// The browser's postings decoder (`window.bookSearch.postings`, search/postings.js) reads what
/// site-gen's encoder writes (site-gen/src/search/postings.rs) as site-gen's decoder does: small
/// and large gaps, every weight, numbers of one to seven digits.
async fn postings_read_alike(s: &Session) {
    use site_gen::search::postings::{decode, encode, Weight};
    let weights = [Weight::Text, Weight::FrequentText, Weight::Heading, Weight::Title];
    let mut cases: Vec<Vec<(u32, Weight)>> = vec![vec![], vec![(0, Weight::Title)], vec![(u32::MAX, Weight::Heading)]];
    let mut section = 0u32;
    let mut gaps = Vec::new();
    for (i, gap) in [0u32, 1, 7, 8, 31, 32, 255, 1_000, 40_000, 1 << 20, 123_456_789].into_iter().enumerate() {
        section += gap;
        gaps.push((section, weights[i % 4]));
    }
    cases.push(gaps);
    cases.push((0..500).map(|i| (i * 3, weights[(i % 4) as usize])).collect());
    for postings in cases {
        let mut text = String::new();
        encode(&postings, &mut text);
        let expected: Vec<u64> = decode(&text).unwrap().iter().flat_map(|&(section, weight)| [u64::from(section), weight as u64]).collect();
        let js = s.execute_with("return window.bookSearch.postings(arguments[0])", vec![Value::from(text.as_str())]).await;
        let js: Vec<u64> = serde_json::from_value(js).unwrap();
        assert_eq!(js, expected, "search/postings.js and postings.rs disagree on {text:?}");
    }
}

/// Types `arguments[0]` into the search box one character every 200 ms, each with the
/// `input` event a key press gives.
const TYPE_STEADILY: &str = r#"
const [query, done] = arguments;
const input = document.getElementById('search-input');
const chars = Array.from(query);
let i = 0;
(function next() {
  if (i === chars.length) return done();
  input.value += chars[i++];
  input.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(next, 200);
})();
"#;

/// The size benchmark: a generated 5,000-page book (about 2,000 words a page). Prints the
/// index's size, its largest file, and what the first query of a fresh reader downloads
/// for several queries typed key by key, and checks the limits: no file over 1 MB and at
/// most 300 KB of index for a first query. (The times it prints are for the build it runs
/// in: use `--release` for representative ones.)
pub async fn first_query_on_a_5000_page_book(s: &Session) {
    let work = tempfile::tempdir().unwrap();
    let book_dir = work.path().join("book");
    let started = Instant::now();
    generated_site::write_book(&book_dir, 5000, 2000, 0x5eed);
    println!("generated the book in {:.1} s", started.elapsed().as_secs_f64());

    let site = work.path().join("site");
    let built = generated_site::build_search_site(&book_dir, &site);
    println!("{built}");

    let address = harness::serve_plain(&site, harness::Plain::Files).await;
    let queries = [
        "thread",
        "mutex deadlock",
        "the scheduler",
        "work stealing queue",
        "what is the difference between a thread and a process",
        "并发",
        "поток",
        "zyxqv",
    ];
    let mut worst = 0u64;
    for query in queries {
        // A fresh page; the query typed a key at a time, steadily, as a reader types (one
        // key every 200 ms, timed in the page), so every search run on the way counts too.
        s.goto(&format!("http://{address}/index.html")).await;
        s.client.find(Locator::Id("search-input")).await.unwrap().click().await.unwrap();
        s.client.execute_async(TYPE_STEADILY, vec![Value::from(query)]).await.unwrap();
        let state = wait_for_results(s, query).await;
        let fetched = s.execute("return performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname, e.encodedBodySize]);").await;
        // What a reader with an empty cache downloads: the files' sizes on disk (the
        // browser's own count is 0 for what it cached during an earlier query).
        let fetched: Vec<(String, u64)> = serde_json::from_value(fetched).unwrap();
        let size = |p: &str| std::fs::metadata(site.join(&p[1..])).map(|m| m.len()).unwrap_or(0);
        let index: Vec<&str> = fetched.iter().map(|(p, _)| p.as_str()).filter(|p| p.starts_with("/search/")).collect();
        let bytes: u64 = index.iter().map(|p| size(p)).sum();
        let gzip: u64 = index.iter().map(|p| generated_site::gzip_size(&site.join(&p[1..]))).sum();
        let largest = index.iter().map(|p| size(p)).max().unwrap_or(0);
        let engine = engine_size(&site);
        let kinds: Vec<String> = ["meta", "terms-", "docs-", "text-"]
            .iter()
            .map(|kind| {
                let files: Vec<&&str> = index.iter().filter(|p| p.starts_with(&format!("/search/{kind}"))).collect();
                let kb = files.iter().map(|p| size(p)).sum::<u64>() as f64 / 1024.0;
                format!("{} {}: {kb:.1} KB", files.len(), kind.trim_end_matches('-'))
            })
            .collect();
        println!(
            "first query {query:?}: {} results; {} index files, {:.1} KB ({:.1} KB gzipped; {}), largest {:.1} KB; \
             search engine JS {:.1} KB",
            state["results"].as_array().unwrap().len(),
            index.len(),
            bytes as f64 / 1024.0,
            gzip as f64 / 1024.0,
            kinds.join(", "),
            largest as f64 / 1024.0,
            engine as f64 / 1024.0,
        );
        worst = worst.max(bytes);
    }
    assert!(built.largest_file <= 1024 * 1024, "a file of the index is over 1 MB: {built}");
    assert!(worst <= 300 * 1024, "a first query downloaded {worst} bytes of index");
}
