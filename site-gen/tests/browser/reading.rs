//! The reading features of the `reading` fixture book in every engine, as a reader sees them,
//! wide and at a phone's width, light and dark (the theme's toggle; the system's setting too in
//! Chromium, which can emulate it): heading links, the page's table of contents following the
//! scroll, the sidebar filled from `toc.js` (and framing `toc.html` without JavaScript, in
//! Chromium), admonitions, highlighted code with readable colours, `/` focusing the search box,
//! and the print page (printed, in Chromium). Screenshots: `target/e2e/<engine>/reading-*.png`.

use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::Locator;
use harness::browser::Engine;
use harness::{books, Session};
use serde_json::{json, Value};

use crate::page::click;
use crate::sites::{self, Served};

fn reading_site() -> &'static Served {
    static SITE: OnceLock<Served> = OnceLock::new();
    SITE.get_or_init(|| sites::serve_copy(books::copy_fixture("reading")))
}

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
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
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

async fn read_sidebar(s: &Session) -> Value {
    s.wait_until("return document.querySelectorAll('#sidebar a').length > 0", "toc.js filling the sidebar", SETTLE).await;
    s.execute(&format!("{COLOUR}{READ_SIDEBAR}")).await
}

async fn read_chapter(s: &Session) -> Value {
    s.execute(&format!("{COLOUR}{READ_CHAPTER}")).await
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

async fn press(s: &Session, key: char) {
    let keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    s.client.perform_actions(keys).await.unwrap();
}

/// Moves the mouse over the (sticky) top bar, so that nothing on the page is hovered.
async fn pointer_to_top_bar(s: &Session) {
    let title = s.client.find(Locator::Css(".book-title")).await.unwrap();
    let away = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement { element: title, duration: None, x: 0.0, y: 0.0 });
    s.client.perform_actions(away).await.unwrap();
}

pub async fn reading_features(s: &Session) {
    let site = reading_site();
    // The book has no favicon of its own; the print page's request for one is not a page's error.
    s.expect_console("/favicon.ico");
    if s.engine == Engine::Chromium {
        s.emulate_color_scheme("light").await;
    }
    let light = wide_and_light(s, site).await;
    sidebar(s, site).await;
    heading_links_and_scrolling(s, site).await;
    let dark = dark_by_the_toggle(s, &light).await;
    if s.engine == Engine::Chromium {
        dark_by_the_system(s, site, &light, &dark).await;
    }
    search_key_and_short_pages(s, site).await;
    phone(s, site).await;
    print_page(s, site).await;
}

/// Wide, light: the table of contents beside the text, marking the first section.
async fn wide_and_light(s: &Session, site: &Served) -> Value {
    s.goto(&site.url("reading.html")).await;
    // The page's scripts are modules, run once the page is parsed: the section in view is
    // marked a moment after loading.
    s.wait_until("return !!document.querySelector('.page-toc a.active')", "marking the section in view", SETTLE).await;
    let light = read_chapter(s).await;
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
    s.screenshot("reading-light-wide").await;
    light
}

/// The sidebar, filled from the shared toc.js: every chapter, this page marked; without
/// JavaScript (Chromium, which can switch it off), it frames toc.html.
async fn sidebar(s: &Session, site: &Served) {
    let sidebar = read_sidebar(s).await;
    assert_eq!(sidebar["links"], json!(["/intro.html", "/reading.html", "/guide/nested.html", "/short.html"]), "{sidebar:#}");
    assert_eq!(sidebar["current"], json!(["/reading.html"]), "{sidebar:#}");
    assert_eq!(sidebar["currentIsActive"], true, "{sidebar:#}");
    assert!(sidebar["currentRatio"].as_f64().unwrap() >= 4.5, "{sidebar:#}");
    // A page in a folder: links still lead to the chapters, its own marked.
    s.goto(&site.url("guide/nested.html")).await;
    let nested = read_sidebar(s).await;
    assert_eq!(nested["links"], sidebar["links"], "{nested:#}");
    assert_eq!(nested["current"], json!(["/guide/nested.html"]), "{nested:#}");
    s.screenshot("reading-sidebar-nested").await;
    s.goto(&site.url("toc.html")).await;
    let frame = s
        .execute("return { links: [...document.querySelectorAll('a')].map(a => new URL(a.href).pathname), \
                  target: document.querySelector('base').target, visible: document.querySelector('a').getBoundingClientRect().height > 0 }")
        .await;
    assert_eq!(frame["links"], sidebar["links"], "{frame:#}");
    assert_eq!(frame["target"], "_parent");
    assert_eq!(frame["visible"], true);
    if s.engine != Engine::Chromium {
        return;
    }
    s.devtools("Emulation.setScriptExecutionDisabled", json!({ "value": true })).await;
    s.goto(&site.url("guide/nested.html")).await;
    let frame = s.client.find(Locator::Css("#sidebar iframe.toc-frame")).await.unwrap();
    let (_, _, width, height) = frame.rectangle().await.unwrap();
    assert!(width > 100.0 && height > 100.0, "the frame fills the sidebar: {width}×{height}");
    s.screenshot("reading-sidebar-no-javascript").await;
    s.devtools("Emulation.setScriptExecutionDisabled", json!({ "value": false })).await;
}

/// A heading's link shows on hover and on focus; scrolling marks the section in view.
async fn heading_links_and_scrolling(s: &Session, site: &Served) {
    s.goto(&site.url("reading.html")).await;
    let opacity = "return getComputedStyle(document.querySelector('#admonitions + .anchor')).opacity";
    assert_eq!(s.execute(opacity).await, "0");
    let heading = s.client.find(Locator::Css("#admonitions")).await.unwrap();
    let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement { element: heading, duration: None, x: 0.0, y: 0.0 });
    s.client.perform_actions(hover).await.unwrap();
    s.wait_until(&format!("{opacity} === '1'"), "the link showing on hover", SETTLE).await;
    s.execute("document.querySelector('#python + .anchor').focus()").await;
    let focused = s.execute("return getComputedStyle(document.querySelector('#python + .anchor')).opacity").await;
    assert_eq!(focused, "1", "the link shows when focused");

    s.execute("document.getElementById('rust').scrollIntoView()").await;
    s.wait_until("return !!document.querySelector('.page-toc a.active[href=\"#rust\"]')", "marking Rust", SETTLE).await;
    let scrolled = read_chapter(s).await;
    assert_eq!(scrolled["active"], json!(["#rust"]));
    assert_eq!(scrolled["tocInView"], true, "the table of contents is sticky: {scrolled:#}");
    s.screenshot("reading-light-code").await;
}

/// The toggle switches to dark; highlighting, admonitions and the contents follow.
async fn dark_by_the_toggle(s: &Session, light: &Value) -> Value {
    click(s, "#theme-toggle").await;
    let dark = read_chapter(s).await;
    assert_eq!(dark["theme"], "dark");
    assert!(dark["pageLuminance"].as_f64().unwrap() < 0.05, "{dark:#}");
    assert_eq!(dark["keyword"], "rgb(255, 143, 171)", "dark keywords use the dark --hl-keyword");
    assert_ne!(dark["noteTitle"], light["noteTitle"]);
    assert!(dark["tocLinkRatio"].as_f64().unwrap() >= 4.5 && dark["tocActiveRatio"].as_f64().unwrap() >= 4.5, "{dark:#}");
    assert_code_readable(&dark, "dark (toggle)");
    assert_admonitions_readable(&dark, "dark (toggle)");
    s.screenshot("reading-dark-code").await;
    s.execute("window.scrollTo(0, 0)").await;
    s.screenshot("reading-dark-wide").await;
    s.execute("localStorage.removeItem('theme')").await;
    dark
}

/// The system's dark setting, with no choice remembered, gives the same colours; the toggle then
/// chooses light over it (Chromium: the others cannot emulate the system's setting).
async fn dark_by_the_system(s: &Session, site: &Served, light: &Value, dark: &Value) {
    s.emulate_color_scheme("dark").await;
    s.goto(&site.url("reading.html")).await;
    let system = read_chapter(s).await;
    assert_eq!(system["theme"], Value::Null, "no choice remembered");
    assert_eq!(system["keyword"], dark["keyword"]);
    assert_eq!(system["noteTitle"], dark["noteTitle"]);
    assert_code_readable(&system, "dark (system)");
    click(s, "#theme-toggle").await;
    let chosen = read_chapter(s).await;
    assert_eq!(chosen["theme"], "light");
    assert_eq!(chosen["keyword"], light["keyword"]);
    assert_eq!(chosen["noteTitle"], light["noteTitle"]);
    s.execute("localStorage.removeItem('theme')").await;
    s.emulate_color_scheme("light").await;
}

/// "/" focuses the search box, but not while typing elsewhere; a short page has no contents.
async fn search_key_and_short_pages(s: &Session, site: &Served) {
    s.goto(&site.url("reading.html")).await;
    s.execute("document.querySelector('.top-bar').insertAdjacentHTML('beforeend', '<textarea id=\"notes\"></textarea>')").await;
    press(s, '/').await;
    let focus = s.execute("const a = document.activeElement; return [a.id, a.value]").await;
    assert_eq!(focus, json!(["search-input", ""]), "/ focuses the search box and is not typed into it");
    s.execute("document.getElementById('notes').focus()").await;
    press(s, '/').await;
    let typing = s.execute("const a = document.activeElement; return [a.id, a.value]").await;
    assert_eq!(typing, json!(["notes", "/"]), "/ typed in a text field stays there");

    s.goto(&site.url("short.html")).await;
    let short = s.execute("return document.querySelectorAll('.page-toc, .page-toc-compact').length").await;
    assert_eq!(short, 0);
}

/// A phone's width: the sidebar is closed, the contents are folded above the text.
async fn phone(s: &Session, site: &Served) {
    let framed = s.open_as_phone(&site.url("reading.html")).await;
    if !framed {
        pointer_to_top_bar(s).await;
    }
    let phone = read_chapter(s).await;
    assert_eq!(phone["width"], 390, "{phone:#}");
    assert_eq!(phone["sidebarVisible"], false, "{phone:#}");
    assert_eq!(phone["tocVisible"], false, "{phone:#}");
    assert_eq!(phone["compactVisible"], true, "{phone:#}");
    assert_eq!(phone["compactOpen"], false, "{phone:#}");
    assert_eq!(phone["compactLinksVisible"], 0, "{phone:#}");
    assert_eq!(phone["overflow"], 0, "nothing sticks out sideways: {phone:#}");
    assert_code_readable(&phone, "phone");
    assert_admonitions_readable(&phone, "phone");
    s.screenshot("reading-phone").await;
    click(s, ".page-toc-compact summary").await;
    let opened = read_chapter(s).await;
    assert_eq!(opened["compactOpen"], true);
    assert_eq!(opened["compactLinksVisible"], 13, "{opened:#}");
    s.screenshot("reading-phone-contents").await;
    if !framed {
        pointer_to_top_bar(s).await;
    }
    s.execute("document.getElementById('code-in-eight-languages').scrollIntoView()").await;
    s.screenshot("reading-phone-code").await;
    s.execute("window.scrollTo(0, 0)").await;
    click(s, "#sidebar-toggle").await;
    let opened = "return document.getElementById('sidebar').getBoundingClientRect().left >= 0";
    s.wait_until(opened, "the sidebar sliding in", SETTLE).await;
    let expanded = s.execute("return document.getElementById('sidebar-toggle').getAttribute('aria-expanded')").await;
    assert_eq!(expanded, "true");
    s.screenshot("reading-phone-sidebar").await;
    click(s, "#sidebar-toggle").await;
    s.set_viewport(harness::browser::DESKTOP.0, harness::browser::DESKTOP.1).await;
}

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

/// The print page: every chapter, images loading, every link within it landing; printed (in
/// Chromium, which can emulate print media), each chapter on a new page without the top bar.
async fn print_page(s: &Session, site: &Served) {
    s.goto(&site.url("reading.html")).await;
    click(s, "#print-link").await;
    s.wait_until("return location.pathname === '/print.html' && document.readyState === 'complete'", "opening print.html", SETTLE).await;
    let print = s.execute(&format!("{COLOUR}{READ_PRINT}")).await;
    assert_eq!(print["sections"], json!(["intro", "reading", "guide-nested", "short"]), "{print:#}");
    assert_eq!(print["image"], true, "the nested chapter's image loads from print.html: {print:#}");
    assert!(print["links"].as_u64().unwrap() > 20, "{print:#}");
    assert_eq!(print["broken"], json!([]), "{print:#}");
    assert_eq!(print["topBar"], true);
    assert_eq!(print["highlighted"], 8);
    s.screenshot("reading-print").await;
    s.execute("document.getElementById('guide-nested').scrollIntoView()").await;
    s.screenshot("reading-print-nested").await;
    if s.engine != Engine::Chromium {
        return;
    }
    s.emulate_media("print").await;
    let printed = s.execute(&format!("{COLOUR}{READ_PRINT}")).await;
    assert_eq!(printed["breaks"], json!(["auto", "page", "page", "page"]), "{printed:#}");
    assert_eq!(printed["topBar"], false);
    assert_eq!(printed["anchorsShown"], 0);
    s.execute("window.scrollTo(0, 0)").await;
    s.screenshot("reading-print-media").await;
    s.emulate_media("").await;
}
