//! Building the search index: every section's terms gathered page by page in parallel,
//! merged into one inverted index, and cut into the small files the browser fetches only
//! as a query needs them (see the [module overview](super)).

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use super::indexer::{Indexer, PendingDoc};
use super::postings::PostingList;
use crate::core::error::Result;
use crate::parse::markdown::Heading;
use crate::parse::section_text::SectionText;

/// The folder of the index in the built site.
pub const SEARCH_DIR: &str = "search";
/// The one file a query always needs: what the other files hold.
pub const META_FILE: &str = "search/meta.json";
/// The version of the file formats, checked by `theme/static/search/index-files.js`.
pub const FORMAT_VERSION: u32 = 1;
/// Shards of the term index are cut near this many bytes (a single term's postings may
/// make one larger).
pub const SHARD_BYTES: usize = 16 * 1024;
/// Sections per `docs-N.json` file (about 60 bytes each: a file of about 8 KB).
pub const DOCS_PER_FILE: usize = 128;
/// Sections per `text-N.json` file. With a section of about 1 KB of text (a page of 2,400
/// words has about ten), a file is about 16 KB, and the index adds under one file a page
/// to the site: the ten results a query shows first fetch at most ten such files.
pub const TEXTS_PER_FILE: usize = 16;
/// In an index of at least this many sections, a term found in half of them or more is
/// *common* (like "the"): a query skips it when it has other words, because it would
/// download a large list of postings to filter out almost nothing.
pub const COMMON_MIN_SECTIONS: usize = 1000;
/// A section's text is kept for snippets up to this many bytes (all of it is indexed).
pub const MAX_SNIPPET_TEXT: usize = 32 * 1024;

/// One page as search sees it.
pub struct SearchPage<'a> {
    /// The page's path from the site's root (`threads/gil.html`).
    pub path: &'a str,
    pub title: &'a str,
    pub headings: &'a [Heading],
    pub sections: &'a [SectionText],
}

/// One file of the index.
#[derive(Debug, Clone)]
pub struct IndexFile {
    /// Relative to the site's root, `/`-separated.
    pub path: String,
    pub text: String,
}

/// The finished index: the files to write into the site.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    pub files: Vec<IndexFile>,
    /// How many sections (search results) the index holds.
    pub sections: usize,
    /// How many distinct terms.
    pub terms: usize,
}

/// What `search/meta.json` says.
#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    /// Changes whenever any file of the index changes; the browser adds it to every URL
    /// it fetches so that no file is mixed with one from an older build.
    build: String,
    sections: usize,
    docs_per_file: usize,
    texts_per_file: usize,
    /// The first term of each `terms-N.json` shard, in order.
    shards: Vec<&'a str>,
    /// The common terms (see [`COMMON_MIN_SECTIONS`]), in order.
    common: Vec<&'a str>,
}

/// What a `docs-N.json` file holds: its sections' pages and headings.
#[derive(Serialize)]
struct DocsFile<'a> {
    /// `[path, title]` of each page with a section in this file.
    pages: Vec<(&'a str, &'a str)>,
    /// `[page (index into pages), heading id, heading text]` of each section; the id and
    /// text are empty for the text before a page's first heading.
    docs: Vec<(usize, &'a str, &'a str)>,
}

/// Every term with its postings, sections numbered through the book.
pub(super) type Postings = Vec<(String, PostingList)>;

/// How many sections and distinct terms an index holds.
pub struct Counts {
    pub sections: usize,
    pub terms: usize,
}

/// What `meta.json` says of the term index, once its shards are written.
pub(super) struct TermIndex {
    /// The first term of each shard, in order.
    shard_starts: Vec<String>,
    /// The common terms (see [`COMMON_MIN_SECTIONS`]), in order.
    common: Vec<String>,
    sections: usize,
    pub terms: usize,
}

impl SearchIndex {
    /// Builds the index of `pages`, in reading order, all at once: the files are the same
    /// as when the pages are added a batch at a time ([`Indexer`]), in the order `meta.json`,
    /// the term shards, the docs files, the text files.
    pub fn build(pages: &[SearchPage<'_>]) -> SearchIndex {
        let mut files = Vec::new();
        let mut keep = |file: IndexFile| {
            files.push(file);
            Ok(())
        };
        let mut indexer = Indexer::default();
        let counts = indexer.add_pages(pages, &mut keep).and_then(|()| indexer.finish(&mut keep));
        let counts = counts.expect("keeping index files in memory cannot fail");
        let kind = |f: &IndexFile| ["meta", "terms-", "docs-", "text-"].iter().position(|k| f.path[SEARCH_DIR.len() + 1..].starts_with(k));
        files.sort_by_key(kind);
        SearchIndex { files, sections: counts.sections, terms: counts.terms }
    }
}

/// Terms encoded at once (in parallel) before they are added to the shards.
const TERMS_AT_ONCE: usize = 4096;

/// The term index (every term of a book of `sections` sections) cut into `terms-N.json`
/// shards of about [`SHARD_BYTES`], each handed to `write` as soon as it is full.
pub(super) fn term_shards(mut terms: Postings, sections: usize, write: &mut impl FnMut(IndexFile) -> Result<()>) -> Result<TermIndex> {
    // JavaScript compares strings by UTF-16 code units; sort the same way so the
    // browser can find a term's shard by comparing it with the shards' first terms.
    terms.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut shard_starts: Vec<String> = Vec::new();
    let mut shard = String::new();
    for (first, batch) in terms.chunks(TERMS_AT_ONCE).enumerate() {
        let entries: Vec<String> = batch.par_iter().map(|(term, postings)| term_entry(term, postings)).collect();
        for (i, entry) in entries.iter().enumerate() {
            // The file is `{` + entries joined by commas + `}`.
            if !shard.is_empty() && shard.len() + 1 + entry.len() + 2 > SHARD_BYTES {
                write(shard_file(shard_starts.len() - 1, &shard))?;
                shard.clear();
            }
            if shard.is_empty() {
                shard_starts.push(terms[first * TERMS_AT_ONCE + i].0.clone());
            } else {
                shard.push(',');
            }
            shard.push_str(entry);
        }
    }
    if !shard.is_empty() {
        write(shard_file(shard_starts.len() - 1, &shard))?;
    }
    let common = if sections >= COMMON_MIN_SECTIONS {
        terms.iter().filter(|(_, postings)| postings.count * 2 >= sections).map(|(term, _)| term.clone()).collect()
    } else {
        Vec::new()
    };
    Ok(TermIndex { shard_starts, common, sections, terms: terms.len() })
}

/// One term's entry in its shard: `"term":"postings"`.
fn term_entry(term: &str, postings: &PostingList) -> String {
    let mut entry = serde_json::to_string(term).expect("a string serialises");
    entry.push_str(":\"");
    entry.push_str(&postings.text);
    entry.push('"');
    entry
}

/// `meta.json`, with the build's `fingerprint`.
pub(super) fn meta_file(index: &TermIndex, fingerprint: String) -> IndexFile {
    let meta = Meta {
        version: FORMAT_VERSION,
        build: fingerprint,
        sections: index.sections,
        docs_per_file: DOCS_PER_FILE,
        texts_per_file: TEXTS_PER_FILE,
        shards: index.shard_starts.iter().map(String::as_str).collect(),
        common: index.common.iter().map(String::as_str).collect(),
    };
    IndexFile { path: META_FILE.to_owned(), text: to_json(&meta) }
}

/// The `docs-N.json` file `n`: its sections' pages and headings.
pub(super) fn docs_file(n: usize, sections: &[PendingDoc]) -> IndexFile {
    let mut file = DocsFile { pages: Vec::new(), docs: Vec::with_capacity(sections.len()) };
    let mut last_page: Option<&str> = None;
    for doc in sections {
        if last_page != Some(doc.page.as_str()) {
            file.pages.push((&doc.page, &doc.title));
            last_page = Some(&doc.page);
        }
        file.docs.push((file.pages.len() - 1, &doc.id, &doc.heading));
    }
    IndexFile { path: format!("{SEARCH_DIR}/docs-{n}.json"), text: to_json(&file) }
}

/// The `text-N.json` file `n`: its sections' text, for snippets.
pub(super) fn text_file(n: usize, texts: &[String]) -> IndexFile {
    IndexFile { path: format!("{SEARCH_DIR}/text-{n}.json"), text: to_json(&texts) }
}

fn shard_file(n: usize, entries: &str) -> IndexFile {
    let mut text = String::with_capacity(entries.len() + 2);
    let _ = write!(text, "{{{entries}}}");
    IndexFile { path: format!("{SEARCH_DIR}/terms-{n}.json"), text }
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("index files serialise")
}

/// A section's text as kept for snippets: cut at [`MAX_SNIPPET_TEXT`] bytes.
pub(super) fn snippet_text(text: &str) -> &str {
    if text.len() <= MAX_SNIPPET_TEXT {
        return text;
    }
    let mut end = MAX_SNIPPET_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::{AssetSource, Theme};
    use crate::search::postings::{decode, Weight};
    use serde_json::Value;

    /// The theme's search script reads the files of this version and refuses others: the
    /// version it expects is the one written here.
    #[test]
    fn the_search_script_reads_this_format_version() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), None).unwrap();
        let scripts: Vec<String> = theme
            .assets
            .iter()
            .filter(|(path, _)| path.ends_with(".js"))
            .filter_map(|(_, source)| match source {
                AssetSource::BuiltIn(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
                AssetSource::File(_) => None,
            })
            .collect();
        let declared: Vec<&str> = scripts
            .iter()
            .flat_map(|s| s.match_indices("FORMAT_VERSION = ").map(move |(at, found)| &s[at + found.len()..]))
            .map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap_or_default())
            .collect();
        assert_eq!(declared, [FORMAT_VERSION.to_string()], "the theme's scripts declare FORMAT_VERSION as {declared:?}");
    }

    fn heading(id: &str, text: &str) -> Heading {
        Heading { level: 2, id: id.into(), text: text.into() }
    }

    fn section(heading: Option<usize>, text: &str) -> SectionText {
        SectionText { heading, text: text.into() }
    }

    fn file<'a>(index: &'a SearchIndex, path: &str) -> &'a str {
        &index.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}")).text
    }

    fn json(index: &SearchIndex, path: &str) -> Value {
        serde_json::from_str(file(index, path)).unwrap()
    }

    /// The postings of `term`, looked up the way the browser does: through the shards'
    /// first terms in meta.json.
    fn lookup(index: &SearchIndex, term: &str) -> Option<Vec<(u32, Weight)>> {
        let meta = json(index, META_FILE);
        let starts: Vec<&str> = meta["shards"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        let key: Vec<u16> = term.encode_utf16().collect();
        let n = starts.iter().rposition(|s| s.encode_utf16().collect::<Vec<_>>() <= key).unwrap_or(0);
        let shard = json(index, &format!("search/terms-{n}.json"));
        shard.get(term).map(|p| decode(p.as_str().unwrap()).unwrap())
    }

    fn two_pages() -> (Vec<Heading>, Vec<SectionText>, Vec<Heading>, Vec<SectionText>) {
        let h1 = vec![heading("threads", "Threads"), heading("the-gil", "The GIL")];
        let s1 = vec![
            section(Some(0), "A thread runs code. Threads share memory."),
            section(Some(1), "The lock lets one thread run Python at a time: lock, lock, lock."),
        ];
        let h2 = vec![heading("并发", "并发与并行")];
        let s2 = vec![section(None, "Intro with a thread."), section(Some(0), "Потоки работают вместе. Über alles.")];
        (h1, s1, h2, s2)
    }

    #[test]
    fn every_term_points_at_its_sections_with_weights() {
        let (h1, s1, h2, s2) = two_pages();
        let pages = [
            SearchPage { path: "threads.html", title: "Threads", headings: &h1, sections: &s1 },
            SearchPage { path: "more/中文.html", title: "More <b>\"quoted\"</b>", headings: &h2, sections: &s2 },
        ];
        let index = SearchIndex::build(&pages);
        assert_eq!(index.sections, 4);
        // Title beats heading beats text; three or more times in the text is frequent.
        assert_eq!(lookup(&index, "threads"), Some(vec![(0, Weight::Title)]));
        assert_eq!(lookup(&index, "thread"), Some(vec![(0, Weight::Text), (1, Weight::Text), (2, Weight::Text)]));
        assert_eq!(lookup(&index, "gil"), Some(vec![(1, Weight::Heading)]));
        assert_eq!(lookup(&index, "lock"), Some(vec![(1, Weight::FrequentText)]));
        assert_eq!(lookup(&index, "并发"), Some(vec![(3, Weight::Heading)]));
        assert_eq!(lookup(&index, "потоки"), Some(vec![(3, Weight::Text)]));
        assert_eq!(lookup(&index, "uber"), Some(vec![(3, Weight::Text)]));
        assert_eq!(lookup(&index, "quoted"), Some(vec![(2, Weight::Title)]));
        assert_eq!(lookup(&index, "nowhere"), None);

        // The document table: pages once per file, headings by section.
        let docs = json(&index, "search/docs-0.json");
        assert_eq!(docs["pages"], serde_json::json!([["threads.html", "Threads"], ["more/中文.html", "More <b>\"quoted\"</b>"]]));
        assert_eq!(docs["docs"], serde_json::json!([[0, "threads", "Threads"], [0, "the-gil", "The GIL"], [1, "", ""], [1, "并发", "并发与并行"]]));
        // The texts, for snippets.
        let texts = json(&index, "search/text-0.json");
        assert_eq!(texts[1], "The lock lets one thread run Python at a time: lock, lock, lock.");

        let meta = json(&index, META_FILE);
        assert_eq!(meta["version"], FORMAT_VERSION);
        assert_eq!(meta["sections"], 4);
        assert_eq!(meta["docs_per_file"], DOCS_PER_FILE);
        assert_eq!(meta["build"].as_str().unwrap().len(), 16);
        assert_eq!(meta["common"], serde_json::json!([]), "a small book has no common terms");
    }

    #[test]
    fn a_large_index_is_cut_into_shards_in_term_order() {
        // 3,000 pages, each with its own rare words and some shared ones.
        let headings = vec![heading("part", "Part")];
        let texts: Vec<Vec<SectionText>> = (0..3000)
            .map(|i| vec![section(Some(0), &format!("common words here word{i} term{} другое{} 字{}", i % 97, i % 13, i % 7))])
            .collect();
        let titles: Vec<String> = (0..3000).map(|i| format!("Page {i}")).collect();
        let paths: Vec<String> = (0..3000).map(|i| format!("p{i}.html")).collect();
        let pages: Vec<SearchPage<'_>> = (0..3000)
            .map(|i| SearchPage { path: &paths[i], title: &titles[i], headings: &headings, sections: &texts[i] })
            .collect();
        let index = SearchIndex::build(&pages);
        let meta = json(&index, META_FILE);
        let starts: Vec<String> = meta["shards"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
        assert!(starts.len() > 2, "{starts:?}");
        let mut sorted = starts.clone();
        sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        assert_eq!(starts, sorted, "shards follow term order");

        let mut seen = 0;
        for (n, start) in starts.iter().enumerate() {
            let text = file(&index, &format!("search/terms-{n}.json"));
            assert!(text.len() <= SHARD_BYTES, "shard {n} is {} bytes", text.len());
            let shard: serde_json::Map<String, Value> = serde_json::from_str(text).unwrap();
            let mut keys: Vec<&String> = shard.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            assert_eq!(keys[0], start, "shard {n} starts with its listed term");
            if let Some(next) = starts.get(n + 1) {
                assert!(keys.last().unwrap().encode_utf16().lt(next.encode_utf16()));
            }
            seen += shard.len();
        }
        assert_eq!(seen, index.terms);
        assert_eq!(lookup(&index, "word2999"), Some(vec![(2999, Weight::Text)]));
        assert_eq!(lookup(&index, "common").unwrap().len(), 3000);
        assert_eq!(lookup(&index, "другое5").unwrap().len(), 3000 / 13 + 1);
        assert_eq!(lookup(&index, "page").unwrap()[7], (7, Weight::Title));
        // Terms in half the sections or more are listed as common.
        assert_eq!(meta["common"], serde_json::json!(["common", "here", "page", "part", "words", "字"]));
        // Docs and texts files cover every section, in fixed-size chunks.
        let last = 2999 / DOCS_PER_FILE;
        assert_eq!(json(&index, &format!("search/docs-{last}.json"))["docs"].as_array().unwrap().len(), 3000 - last * DOCS_PER_FILE);
        assert!(index.files.iter().any(|f| f.path == format!("search/text-{}.json", 2999 / TEXTS_PER_FILE)));
    }

    #[test]
    fn the_build_fingerprint_follows_the_content() {
        let (h1, s1, _, _) = two_pages();
        let build = |title: &str| {
            let pages = [SearchPage { path: "a.html", title, headings: &h1, sections: &s1 }];
            json(&SearchIndex::build(&pages), META_FILE)["build"].as_str().unwrap().to_owned()
        };
        assert_eq!(build("One"), build("One"), "the same book gives the same index");
        assert_ne!(build("One"), build("Two"));
    }

    #[test]
    fn long_texts_are_cut_for_snippets_at_a_character_boundary() {
        let long = "é".repeat(MAX_SNIPPET_TEXT);
        let cut = snippet_text(&long);
        assert!(cut.len() <= MAX_SNIPPET_TEXT && cut.len() > MAX_SNIPPET_TEXT - 2);
        assert_eq!(snippet_text("short"), "short");
    }

    #[test]
    fn an_empty_book_has_an_empty_index() {
        let index = SearchIndex::build(&[]);
        assert_eq!(index.files.len(), 1);
        assert_eq!(json(&index, META_FILE)["shards"], serde_json::json!([]));
    }
}
