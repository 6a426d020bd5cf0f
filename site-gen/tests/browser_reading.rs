//! The reading features in a real browser: the `reading` fixture book is built and served
//! by `site-gen serve`, and headless Chromium checks what a reader sees, wide and at phone
//! width, in light and dark (the system's setting and the toggle): heading links, the
//! page's table of contents following the scroll, admonitions, highlighted code with
//! readable colours, `/` focusing the search box, and the print page.
//!
//! Screenshots are saved as `target/e2e/reading-*.png` to be looked at.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`make setup-test`).

mod common;

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use common::{copy_tree, devtools, emulate_color_scheme, emulate_media, screenshot, serve, severe_log_entries, start_browser, wait_until};

/// Long enough for a page to settle after a scroll; only a bound, not a timed assertion.
const SETTLE: Duration = Duration::from_secs(10);

/// Colour and visibility functions shared by the scripts below.
const COLOUR: &str = r#"
function parse(c) {
  let m = c.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/);
  if (m) return [m[1] / 255, m[2] / 255, m[3] / 255];
  m = c.match(/^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)/);
  if (m) return [+m[1], +m[2], +m[3]];
  throw new Error('unknown colour ' + c);
}
function lum(c) {
  const f = v => v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
}
function contrast(a, b) {
  const x = lum(parse(a)), y = lum(parse(b));
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
function visible(el) {
  if (!el) return false;
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && r.right > 0 && r.left < innerWidth
    && el.checkVisibility({ visibilityProperty: true });
}
"#;

/// What a reader of a chapter page sees.
const READ_CHAPTER: &str = r#"
const toc = document.querySelector('.page-toc');
const compact = document.querySelector('.page-toc-compact');
const sidebar = document.getElementById('sidebar');
const page = getComputedStyle(document.body).backgroundColor;
const code = [...document.querySelectorAll('pre.highlight')].map(pre => {
  const background = getComputedStyle(pre).backgroundColor;
  const colours = {};
  // Text in a span, or directly in the block (in the text colour: no span for it).
  for (const span of pre.querySelectorAll('code, span')) {
    if (![...span.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const c = getComputedStyle(span).color;
    colours[c] = contrast(c, background);
  }
  return { language: pre.firstElementChild.className, visible: visible(pre), colours };
});
const admonitions = [...document.querySelectorAll('.admonition')].map(a => {
  const title = a.querySelector('.admonition-title');
  const background = getComputedStyle(a).backgroundColor;
  return {
    kind: a.className, title: title.textContent, visible: visible(a),
    icon: visible(a.querySelector('svg.admonition-icon')),
    titleRatio: contrast(getComputedStyle(title).color, background),
    textRatio: contrast(getComputedStyle(a.querySelector('p:not(.admonition-title)')).color, background),
    border: getComputedStyle(a).borderLeftColor,
  };
});
const anchors = [...document.querySelectorAll('.anchor')];
const tocLink = toc && toc.querySelector('a:not(.active)');
const active = toc && toc.querySelector('a.active');
return {
  theme: document.documentElement.dataset.theme || null,
  pageLuminance: lum(parse(page)),
  width: innerWidth,
  overflow: document.documentElement.scrollWidth - innerWidth,
  tocVisible: visible(toc),
  tocInView: !!toc && toc.getBoundingClientRect().top >= 0 && toc.getBoundingClientRect().top < innerHeight,
  tocLinks: toc ? toc.querySelectorAll('a').length : 0,
  tocLinkRatio: tocLink ? contrast(getComputedStyle(tocLink).color, page) : 0,
  tocActiveRatio: active ? contrast(getComputedStyle(active).color, page) : 0,
  active: [...document.querySelectorAll('.page-toc a.active')].map(a => a.getAttribute('href')),
  activeAria: active ? active.getAttribute('aria-current') : null,
  compactVisible: visible(compact),
  compactOpen: compact ? compact.querySelector('details').open : null,
  compactLinksVisible: compact ? [...compact.querySelectorAll('a')].filter(visible).length : 0,
  sidebarVisible: visible(sidebar),
  anchors: anchors.length,
  anchorsPointAtHeadings: anchors.every(a => /^H[1-6]$/.test((document.getElementById(decodeURIComponent(a.hash.slice(1))) || {}).tagName)),
  anchorNames: [...new Set(anchors.map(a => a.getAttribute('aria-label')))],
  headingNames: [...document.querySelectorAll('.chapter h2')].map(h => h.textContent),
  keyword: getComputedStyle(document.querySelector('code.language-python .hl-keyword')).color,
  noteTitle: getComputedStyle(document.querySelector('.admonition-note .admonition-title')).color,
  code, admonitions,
};
"#;

/// The chapters in the sidebar (as paths) and the one marked as the page being read.
const READ_SIDEBAR: &str = r#"
const sidebar = document.getElementById('sidebar');
const current = [...sidebar.querySelectorAll('a[aria-current="page"]')];
return {
  links: [...sidebar.querySelectorAll('a')].map(a => new URL(a.href).pathname),
  current: current.map(a => new URL(a.href).pathname),
  currentIsActive: current.length === 1 && current[0].classList.contains('active'),
  currentRatio: current.length ? contrast(getComputedStyle(current[0]).color, getComputedStyle(current[0]).backgroundColor) : 0,
};
"#;

async fn read_sidebar(client: &Client) -> Value {
    wait_until(client, "return document.querySelectorAll('#sidebar a').length > 0", "toc.js filling the sidebar", SETTLE).await;
    client.execute(&format!("{COLOUR}{READ_SIDEBAR}"), vec![]).await.unwrap()
}

async fn read_chapter(client: &Client) -> Value {
    client.execute(&format!("{COLOUR}{READ_CHAPTER}"), vec![]).await.unwrap()
}

/// Every highlighted block shows several colours, each readable on the block (WCAG AA).
fn assert_code_readable(state: &Value, mode: &str) {
    let code = state["code"].as_array().unwrap();
    assert_eq!(code.len(), 8, "{mode}: eight highlighted blocks: {code:#?}");
    for block in code {
        assert_eq!(block["visible"], true, "{mode}: {block:#}");
        let colours = block["colours"].as_object().unwrap();
        assert!(colours.len() >= 3, "{mode}: {} is barely highlighted: {block:#}", block["language"]);
        for (colour, ratio) in colours {
            assert!(ratio.as_f64().unwrap() >= 4.5, "{mode}: {colour} in {} has contrast {ratio}", block["language"]);
        }
    }
}

fn assert_admonitions_readable(state: &Value, mode: &str) {
    let admonitions = state["admonitions"].as_array().unwrap();
    let titles: Vec<&str> = admonitions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Note", "Tip", "Important", "Warning", "Caution"], "{mode}");
    let mut borders = std::collections::HashSet::new();
    for a in admonitions {
        assert_eq!(a["visible"], true, "{mode}: {a:#}");
        assert_eq!(a["icon"], true, "{mode}: no icon: {a:#}");
        assert!(a["titleRatio"].as_f64().unwrap() >= 4.5, "{mode}: {a:#}");
        assert!(a["textRatio"].as_f64().unwrap() >= 4.5, "{mode}: {a:#}");
        borders.insert(a["border"].as_str().unwrap().to_owned());
    }
    assert_eq!(borders.len(), 5, "{mode}: each kind has its own colour: {borders:?}");
}

async fn press(client: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.unwrap();
}

/// Moves the mouse over the (sticky) top bar, so that nothing on the page is hovered.
async fn pointer_to_top_bar(client: &Client) {
    let title = client.find(Locator::Css(".book-title")).await.unwrap();
    let away = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement { element: title, duration: None, x: 0.0, y: 0.0 });
    client.perform_actions(away).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_features_in_chromium() {
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("book");
    copy_tree(&common::fixture("reading"), &book);
    let (_server, address) = serve(&book, &work.path().join("site"));
    let (_driver, client) = start_browser(&work.path().join("profile"), 1280, 900).await;
    let chapter = format!("http://{address}/reading.html");

    // Wide, light: the table of contents beside the text, marking the first section.
    emulate_color_scheme(&client, "light").await;
    client.goto(&chapter).await.unwrap();
    let light = read_chapter(&client).await;
    assert_eq!(light["theme"], Value::Null);
    assert!(light["pageLuminance"].as_f64().unwrap() > 0.8, "{light:#}");
    assert_eq!(light["tocVisible"], true, "{light:#}");
    assert_eq!(light["compactVisible"], false, "{light:#}");
    assert_eq!(light["tocLinks"], 13, "{light:#}");
    assert_eq!(light["active"], json!(["#admonitions"]), "{light:#}");
    assert_eq!(light["activeAria"], "location");
    assert!(light["tocLinkRatio"].as_f64().unwrap() >= 4.5 && light["tocActiveRatio"].as_f64().unwrap() >= 4.5, "{light:#}");
    assert_eq!(light["sidebarVisible"], true);
    assert_eq!(light["overflow"], 0, "nothing sticks out sideways: {light:#}");
    // Heading links: one per heading, each with a name, none inside its heading.
    assert_eq!(light["anchors"], 14, "{light:#}");
    assert_eq!(light["anchorsPointAtHeadings"], true);
    assert_eq!(light["anchorNames"], json!(["Link to this section"]));
    assert_eq!(light["headingNames"][0], "Admonitions", "a heading's name is its own text");
    assert_eq!(light["keyword"], "rgb(180, 35, 90)", "light keywords use --hl-keyword");
    assert_code_readable(&light, "light");
    assert_admonitions_readable(&light, "light");
    screenshot(&client, "reading-light-wide").await;

    // The sidebar, filled from the shared toc.js: every chapter, this page marked.
    let sidebar = read_sidebar(&client).await;
    assert_eq!(sidebar["links"], json!(["/intro.html", "/reading.html", "/guide/nested.html", "/short.html"]), "{sidebar:#}");
    assert_eq!(sidebar["current"], json!(["/reading.html"]), "{sidebar:#}");
    assert_eq!(sidebar["currentIsActive"], true, "{sidebar:#}");
    assert!(sidebar["currentRatio"].as_f64().unwrap() >= 4.5, "{sidebar:#}");
    // A page in a folder: links still lead to the chapters, its own marked.
    client.goto(&format!("http://{address}/guide/nested.html")).await.unwrap();
    let nested = read_sidebar(&client).await;
    assert_eq!(nested["links"], sidebar["links"], "{nested:#}");
    assert_eq!(nested["current"], json!(["/guide/nested.html"]), "{nested:#}");
    screenshot(&client, "reading-sidebar-nested").await;
    // Without JavaScript the sidebar frames toc.html: the same chapters, opening in the page.
    client.goto(&format!("http://{address}/toc.html")).await.unwrap();
    let frame = client
        .execute(
            "return { links: [...document.querySelectorAll('a')].map(a => new URL(a.href).pathname), \
             target: document.querySelector('base').target, visible: document.querySelector('a').getBoundingClientRect().height > 0 }",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(frame["links"], sidebar["links"], "{frame:#}");
    assert_eq!(frame["target"], "_parent");
    assert_eq!(frame["visible"], true);
    // …and a page with scripts off shows that frame in its sidebar.
    devtools(&client, "Emulation.setScriptExecutionDisabled", json!({ "value": true })).await;
    client.goto(&format!("http://{address}/guide/nested.html")).await.unwrap();
    let frame = client.find(Locator::Css("#sidebar iframe.toc-frame")).await.unwrap();
    let (_, _, width, height) = frame.rectangle().await.unwrap();
    assert!(width > 100.0 && height > 100.0, "the frame fills the sidebar: {width}×{height}");
    screenshot(&client, "reading-sidebar-no-javascript").await;
    devtools(&client, "Emulation.setScriptExecutionDisabled", json!({ "value": false })).await;
    client.goto(&chapter).await.unwrap();

    // A heading's link shows on hover.
    let hidden = client.execute("return getComputedStyle(document.querySelector('#admonitions + .anchor')).opacity", vec![]).await.unwrap();
    assert_eq!(hidden, "0");
    let heading = client.find(Locator::Css("#admonitions")).await.unwrap();
    let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement { element: heading, duration: None, x: 0.0, y: 0.0 });
    client.perform_actions(hover).await.unwrap();
    let shown = client.execute("return getComputedStyle(document.querySelector('#admonitions + .anchor')).opacity", vec![]).await.unwrap();
    assert_eq!(shown, "1", "the link shows when the heading is hovered");
    // …and on keyboard focus.
    client.execute("document.querySelector('#python + .anchor').focus()", vec![]).await.unwrap();
    let focused = client.execute("return getComputedStyle(document.querySelector('#python + .anchor')).opacity", vec![]).await.unwrap();
    assert_eq!(focused, "1", "the link shows when focused");

    // Scrolling marks the section in view; the table of contents stays in view.
    client.execute("document.getElementById('rust').scrollIntoView()", vec![]).await.unwrap();
    wait_until(&client, "return !!document.querySelector('.page-toc a.active[href=\"#rust\"]')", "marking Rust", SETTLE).await;
    let scrolled = read_chapter(&client).await;
    assert_eq!(scrolled["active"], json!(["#rust"]));
    assert_eq!(scrolled["tocInView"], true, "the table of contents is sticky: {scrolled:#}");
    screenshot(&client, "reading-light-code").await;

    // The toggle switches to dark; highlighting, admonitions and the contents follow.
    client.find(Locator::Id("theme-toggle")).await.unwrap().click().await.unwrap();
    let dark = read_chapter(&client).await;
    assert_eq!(dark["theme"], "dark");
    assert!(dark["pageLuminance"].as_f64().unwrap() < 0.05, "{dark:#}");
    assert_eq!(dark["keyword"], "rgb(255, 143, 171)", "dark keywords use the dark --hl-keyword");
    assert_ne!(dark["noteTitle"], light["noteTitle"]);
    assert!(dark["tocLinkRatio"].as_f64().unwrap() >= 4.5 && dark["tocActiveRatio"].as_f64().unwrap() >= 4.5, "{dark:#}");
    assert_code_readable(&dark, "dark (toggle)");
    assert_admonitions_readable(&dark, "dark (toggle)");
    screenshot(&client, "reading-dark-code").await;
    client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    screenshot(&client, "reading-dark-wide").await;

    // The system's dark setting, with no choice remembered, gives the same colours.
    client.execute("localStorage.removeItem('theme')", vec![]).await.unwrap();
    emulate_color_scheme(&client, "dark").await;
    client.goto(&chapter).await.unwrap();
    let system = read_chapter(&client).await;
    assert_eq!(system["theme"], Value::Null, "no choice remembered");
    assert_eq!(system["keyword"], dark["keyword"]);
    assert_eq!(system["noteTitle"], dark["noteTitle"]);
    assert_code_readable(&system, "dark (system)");
    // The toggle then chooses light over the system's dark.
    client.find(Locator::Id("theme-toggle")).await.unwrap().click().await.unwrap();
    let chosen = read_chapter(&client).await;
    assert_eq!(chosen["theme"], "light");
    assert_eq!(chosen["keyword"], light["keyword"]);
    assert_eq!(chosen["noteTitle"], light["noteTitle"]);
    client.execute("localStorage.removeItem('theme')", vec![]).await.unwrap();
    emulate_color_scheme(&client, "light").await;

    // "/" focuses the search box, but not while typing elsewhere.
    client.goto(&chapter).await.unwrap();
    client
        .execute("document.querySelector('.top-bar').insertAdjacentHTML('beforeend', '<textarea id=\"notes\"></textarea>')", vec![])
        .await
        .unwrap();
    press(&client, '/').await;
    let focus = client.execute("const a = document.activeElement; return [a.id, a.value]", vec![]).await.unwrap();
    assert_eq!(focus, json!(["search-input", ""]), "/ focuses the search box and is not typed into it");
    client.execute("document.getElementById('notes').focus()", vec![]).await.unwrap();
    press(&client, '/').await;
    let typing = client.execute("const a = document.activeElement; return [a.id, a.value]", vec![]).await.unwrap();
    assert_eq!(typing, json!(["notes", "/"]), "/ typed in a text field stays there");

    // A short page has no table of contents.
    client.goto(&format!("http://{address}/short.html")).await.unwrap();
    let short = client.execute("return document.querySelectorAll('.page-toc, .page-toc-compact').length", vec![]).await.unwrap();
    assert_eq!(short, 0);

    // Phone width: the sidebar is closed, the contents are folded above the text.
    devtools(&client, "Emulation.setDeviceMetricsOverride", json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true })).await;
    client.goto(&chapter).await.unwrap();
    pointer_to_top_bar(&client).await;
    let phone = read_chapter(&client).await;
    assert_eq!(phone["width"], 390, "{phone:#}");
    assert_eq!(phone["sidebarVisible"], false, "{phone:#}");
    assert_eq!(phone["tocVisible"], false, "{phone:#}");
    assert_eq!(phone["compactVisible"], true, "{phone:#}");
    assert_eq!(phone["compactOpen"], false, "{phone:#}");
    assert_eq!(phone["compactLinksVisible"], 0, "{phone:#}");
    assert_eq!(phone["overflow"], 0, "nothing sticks out sideways: {phone:#}");
    assert_code_readable(&phone, "phone");
    assert_admonitions_readable(&phone, "phone");
    screenshot(&client, "reading-phone").await;
    client.find(Locator::Css(".page-toc-compact summary")).await.unwrap().click().await.unwrap();
    let opened = read_chapter(&client).await;
    assert_eq!(opened["compactOpen"], true);
    assert_eq!(opened["compactLinksVisible"], 13, "{opened:#}");
    screenshot(&client, "reading-phone-contents").await;
    pointer_to_top_bar(&client).await;
    client.execute("document.getElementById('code-in-eight-languages').scrollIntoView()", vec![]).await.unwrap();
    screenshot(&client, "reading-phone-code").await;
    client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    client.find(Locator::Id("sidebar-toggle")).await.unwrap().click().await.unwrap();
    let opened = "return document.getElementById('sidebar').getBoundingClientRect().left >= 0";
    wait_until(&client, opened, "the sidebar sliding in", SETTLE).await;
    let expanded = client.execute("return document.getElementById('sidebar-toggle').getAttribute('aria-expanded')", vec![]).await.unwrap();
    assert_eq!(expanded, "true");
    screenshot(&client, "reading-phone-sidebar").await;
    client.find(Locator::Id("sidebar-toggle")).await.unwrap().click().await.unwrap();

    // The print page: every chapter, images loading, every link within it landing.
    devtools(&client, "Emulation.clearDeviceMetricsOverride", json!({})).await;
    client.goto(&chapter).await.unwrap();
    client.find(Locator::Id("print-link")).await.unwrap().click().await.unwrap();
    wait_until(&client, "return location.pathname === '/print.html' && document.readyState === 'complete'", "opening print.html", SETTLE).await;
    const READ_PRINT: &str = r##"
const sections = [...document.querySelectorAll('section.print-chapter')];
const image = document.querySelector('img[src="guide/images/pic.svg"]');
const links = [...document.querySelectorAll('main a[href^="#"]')];
return {
  sections: sections.map(s => s.id),
  breaks: sections.map(s => getComputedStyle(s).breakBefore),
  image: !!image && image.complete && image.naturalWidth > 0,
  links: links.length,
  broken: links.filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map(a => a.getAttribute('href')),
  topBar: visible(document.querySelector('.top-bar')),
  anchorsShown: [...document.querySelectorAll('.anchor')].filter(a => getComputedStyle(a).display !== 'none').length,
  highlighted: document.querySelectorAll('pre.highlight').length,
};
"##;
    let print = client.execute(&format!("{COLOUR}{READ_PRINT}"), vec![]).await.unwrap();
    assert_eq!(print["sections"], json!(["intro", "reading", "guide-nested", "short"]), "{print:#}");
    assert_eq!(print["image"], true, "the nested chapter's image loads from print.html: {print:#}");
    assert!(print["links"].as_u64().unwrap() > 20, "{print:#}");
    assert_eq!(print["broken"], json!([]), "{print:#}");
    assert_eq!(print["topBar"], true);
    assert_eq!(print["highlighted"], 8);
    screenshot(&client, "reading-print").await;
    client.execute("document.getElementById('guide-nested').scrollIntoView()", vec![]).await.unwrap();
    screenshot(&client, "reading-print-nested").await;
    // Printed: each chapter on a new page, no top bar, no heading links.
    emulate_media(&client, "print").await;
    let printed = client.execute(&format!("{COLOUR}{READ_PRINT}"), vec![]).await.unwrap();
    assert_eq!(printed["breaks"], json!(["auto", "page", "page", "page"]), "{printed:#}");
    assert_eq!(printed["topBar"], false);
    assert_eq!(printed["anchorsShown"], 0);
    client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    screenshot(&client, "reading-print-media").await;
    emulate_media(&client, "").await;

    // The book has no favicon; the browser asking for one is not the pages' error.
    let errors: Vec<String> = severe_log_entries(&client).await.into_iter().filter(|e| !e.contains("/favicon.ico")).collect();
    assert!(errors.is_empty(), "the pages logged errors: {errors:#?}");
    client.close().await.unwrap();
}
