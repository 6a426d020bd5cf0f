//! The search index of a whole build: the `search` fixture book is built with the real
//! `site-gen` binary, and the files under `search/` are read the way the browser reads
//! them, to find words of several scripts at their pages and headings.

use std::path::{Path, PathBuf};

use harness::BookTest;
use serde_json::Value;
use site_gen::search::postings::decode;

use crate::{book, named_asset};

/// Builds a copy of the fixture book `name`; returns the book and the built site.
fn build(name: &str) -> (BookTest, PathBuf) {
    let book = book(name);
    book.build();
    let site = book.path().join("out");
    (book, site)
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Where a term is found, as `page#heading` links, looked up as the search engine does.
fn find(site: &Path, term: &str) -> Vec<String> {
    let meta = json(&site.join("search/meta.json"));
    let shards: Vec<&str> = meta["shards"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    let key: Vec<u16> = term.encode_utf16().collect();
    let n = shards.iter().rposition(|s| s.encode_utf16().collect::<Vec<_>>() <= key).unwrap_or(0);
    let shard = json(&site.join(format!("search/terms-{n}.json")));
    let Some(postings) = shard.get(term) else { return Vec::new() };
    let per_file = meta["docs_per_file"].as_u64().unwrap() as u32;
    decode(postings.as_str().unwrap())
        .unwrap()
        .into_iter()
        .map(|(section, _)| {
            let docs = json(&site.join(format!("search/docs-{}.json", section / per_file)));
            let doc = &docs["docs"][(section % per_file) as usize];
            let page = &docs["pages"][doc[0].as_u64().unwrap() as usize];
            format!("{}#{}", page[0].as_str().unwrap(), doc[1].as_str().unwrap())
        })
        .collect()
}

#[test]
fn the_index_finds_words_of_every_script_at_their_headings() {
    let (_dir, site) = build("search");
    let meta = json(&site.join("search/meta.json"));
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["sections"], 16, "one section per heading: {meta:#}");

    assert_eq!(find(&site, "mutex"), ["threads.html#locks-and-mutexes"]);
    assert_eq!(find(&site, "cafe"), ["threads.html#the-café-problem"], "accents are folded");
    assert_eq!(find(&site, "spawn"), ["guide/async.html#futures"], "code is indexed, split at `_`");
    assert_eq!(find(&site, "死锁"), ["chinese.html#locks-zh"]);
    assert_eq!(find(&site, "блокировка"), ["russian.html#взаимная-блокировка"]);
    assert_eq!(find(&site, "script"), ["intro.html#how-to-read-it", "escaping.html#escaping", "escaping.html#script-tags"]);
    assert!(find(&site, "Mutex").is_empty(), "terms are lower case");

    // The section texts keep what the page shows as text, for snippets.
    let texts: Vec<Value> = (0..).map(|n| site.join(format!("search/text-{n}.json"))).take_while(|p| p.is_file()).map(|p| json(&p)).collect();
    assert!(!texts.is_empty(), "the texts are written");
    let all = texts.iter().flat_map(|t| t.as_array().unwrap());
    assert!(all.into_iter().any(|t| t.as_str().unwrap().contains("<script>alert(\"boom\")</script>")), "{texts:#?}");

    // Every file the meta names is there, and none is large.
    for n in 0..meta["shards"].as_array().unwrap().len() {
        assert!(site.join(format!("search/terms-{n}.json")).is_file());
    }
    for entry in std::fs::read_dir(site.join("search")).unwrap() {
        let entry = entry.unwrap();
        assert!(entry.metadata().unwrap().len() < 64 * 1024, "{:?} is large for this book", entry.file_name());
    }
}

#[test]
fn pages_carry_the_search_box_but_not_the_index() {
    let (_dir, site) = build("search");
    for page in ["intro.html", "guide/async.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(html.contains(r#"<label class="visually-hidden" for="search-input">Search the book</label>"#), "{html}");
        assert!(html.contains(r#"<input id="search-input" type="search""#), "{html}");
        let root = if page.contains('/') { "../" } else { "" };
        let script = named_asset(&html, &format!("<script type=\"module\" src=\"{root}"), "static/search.", "/box.js")
            .unwrap_or_else(|| panic!("{html}"));
        // The small script loads with the page; the engine beside it loads only when the box is used.
        let engine = script.replace("/box.js", "/engine.js");
        assert!(!html.contains("engine.js") && !html.contains("search/meta.json"), "the engine and the index load only when used");
        assert!(site.join(&script).is_file() && site.join(&engine).is_file());
    }
}

#[test]
fn the_same_book_gives_the_same_index() {
    let (_a, first) = build("search");
    let (_b, second) = build("search");
    assert_eq!(json(&first.join("search/meta.json")), json(&second.join("search/meta.json")));
}

#[test]
fn every_fixture_book_gets_an_index() {
    // The basic fixture has a demo, raw HTML, nested chapters and a front page copy.
    let (_dir, site) = build("basic");
    let meta = json(&site.join("search/meta.json"));
    assert!(meta["sections"].as_u64().unwrap() > 5, "{meta:#}");
    assert!(find(&site, "welcome").iter().any(|l| l.starts_with("preface.html")), "{:?}", find(&site, "welcome"));
    assert!(!find(&site, "welcome").iter().any(|l| l.starts_with("index.html")), "the front page copy is not indexed twice");
}

