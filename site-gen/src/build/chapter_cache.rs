//! The chapter cache: what the Markdown step made of each chapter (its HTML for its own
//! page and the print page, headings, text for search, links, demos) and the terms search
//! found in it, kept in the build folder between builds, so that a build after a change to
//! one chapter reads the other chapters back instead of parsing, highlighting and reading
//! their words for search again. Terms are kept with the page title they were read with,
//! and used only under the same title (a title changed in `SUMMARY.md` is not in the key).
//!
//! An entry is a file in [`ENTRIES_DIR`] named by the hash of everything the chapter's HTML
//! is made from: this `site-gen` (the hash of its executable), the stylesheets' highlight
//! selectors, the Markdown switches, every chapter's key on the print page, and the
//! chapter's page, place and text with its `{{#include}}`s expanded. It holds the hash of
//! its key and content, and the image files the chapter measured, with their hashes. An entry
//! is used only when its content checks out and every image is as it was; anything else
//! (a corrupt, truncated or foreign file, a changed image) means the chapter is made
//! again. Chapters with warnings are not kept, so their warnings are always shown.
//!
//! A build reads the entries of the build folder it replaces and writes the entries of
//! the chapters it used into its own, so the cache never holds more than one build's.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::core::hash::{hash_file, Digest, FileHash};
use crate::load::book::Chapter;
use crate::load::include::Expanded;
use crate::parse::highlight::StyledScopes;
use crate::parse::markdown::{ChapterHtml, MarkdownOptions, PagePlace};
use crate::render::print::PrintBook;
use crate::search::PageTerms;
use crate::write::staging::Staging;

use super::warm::{executable_hash, CACHE_DIR};

/// The entries' folder inside [`CACHE_DIR`].
const ENTRIES_DIR: &str = "chapters";

/// The first line of an entry; a different one is an entry of another format.
const HEADER: &str = "site-gen chapter cache 2";

/// The chapter cache of one build: read from the build folder it replaces, written into
/// its staging folder.
pub(crate) struct ChapterCache<'s> {
    /// The last build's entries; `None` when they are not read (`--force`).
    previous: Option<PathBuf>,
    staging: &'s Staging,
    /// The hash of what every chapter's HTML is made from besides the chapter itself.
    shared: Vec<u8>,
    reused: AtomicUsize,
}

/// What an entry holds after its header, as one line of JSON, followed by the chapter's
/// HTML for its own page and for the print page, as they are (`html_bytes` and
/// `print_bytes` long), and its search terms ([`PageTerms::to_bytes`], `terms_bytes` long).
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry<H> {
    /// The image files the chapter measured, with their hashes.
    images: Vec<MeasuredImage>,
    html_bytes: usize,
    print_bytes: usize,
    /// The page title the search terms were read with.
    terms_title: String,
    terms_bytes: usize,
    /// All the rest of the chapter's [`ChapterHtml`].
    chapter: H,
}

/// An image file a chapter measured, with its size and hash (`None`: it could not be read).
type MeasuredImage = (PathBuf, Option<(u64, u128)>);

/// The key of one chapter's entry.
pub(crate) struct EntryKey(String);

/// The terms search found in a chapter, with the page title they were read with.
pub(crate) type TitledTerms = (String, PageTerms);

impl<'s> ChapterCache<'s> {
    /// The cache of a build into `staging`, reading the entries of the build folder it
    /// replaces unless `force`; `None` when this `site-gen` cannot be hashed.
    pub fn open(staging: &'s Staging, styles: &StyledScopes, options: MarkdownOptions, print: &PrintBook, force: bool) -> Option<Self> {
        let executable = executable_hash()?;
        let mut shared = Digest::default();
        shared.add(HEADER.as_bytes()).add(env!("CARGO_PKG_VERSION").as_bytes()).add(&executable.to_le_bytes());
        styles.add_to(&mut shared);
        let switches = [options.smart_punctuation, options.definition_lists, options.admonitions, options.math];
        shared.add(&switches.map(u8::from));
        for (page, key) in print.keys_in_order() {
            shared.add(page.as_bytes()).add(key.as_bytes());
        }
        let previous = (!force).then(|| staging.target().join(CACHE_DIR).join(ENTRIES_DIR));
        Some(ChapterCache { previous, staging, shared: shared.hex().into_bytes(), reused: AtomicUsize::new(0) })
    }

    /// The key of `chapter`'s entry, placed at `place`, with its directives expanded.
    pub fn key(&self, chapter: &Chapter, place: &PagePlace, expanded: &Expanded) -> EntryKey {
        let mut digest = Digest::default();
        digest.add(&self.shared).add(chapter.page.as_bytes()).add(place.root.as_bytes());
        digest.add(place.folder.as_deref().map_or(&b"\0"[..], |f| f.as_os_str().as_encoded_bytes()));
        digest.add(expanded.title.as_deref().map_or(&b"\0"[..], str::as_bytes));
        digest.add(expanded.text.as_bytes());
        EntryKey(digest.hex())
    }

    /// The chapter kept under `key` by the last build, and its search terms, when its entry
    /// checks out and its images are unchanged; the entry is then kept for the next build too.
    pub fn get(&self, key: &EntryKey) -> Option<(ChapterHtml, TitledTerms)> {
        let file = self.previous.as_ref()?.join(&key.0);
        let bytes = std::fs::read(&file).ok()?;
        let (images, html, terms) = read_entry(key, &bytes)?;
        if !images.iter().all(|(path, hash)| image_hash(path) == *hash) {
            return None;
        }
        self.keep(key, &file, &bytes);
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some((html, terms))
    }

    /// Keeps `html`, made for the chapter of `key`, and its search terms, for the next build
    /// (not when it has warnings). A failure to write only loses the entry.
    pub fn put(&self, key: &EntryKey, html: &ChapterHtml, terms: &TitledTerms) {
        if !html.warnings.is_empty() {
            return;
        }
        let images = html.measured.iter().map(|path| (path.clone(), image_hash(path))).collect();
        let _ = self.staging.write(&entry_path(key), &entry_bytes(key, &entry_body(images, html, terms)));
    }

    /// How many chapters were read back from the cache.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Puts the last build's entry `file` (`bytes`) into this build's cache: a hard link
    /// when the file system allows, else a copy.
    fn keep(&self, key: &EntryKey, file: &Path, bytes: &[u8]) {
        let to = self.staging.dir().join(entry_path(key));
        let linked = to.parent().is_some_and(|dir| std::fs::create_dir_all(dir).is_ok()) && std::fs::hard_link(file, &to).is_ok();
        if !linked {
            let _ = self.staging.write(&entry_path(key), bytes);
        }
    }
}

/// Where the entry of `key` is, inside a build folder.
fn entry_path(key: &EntryKey) -> String {
    format!("{CACHE_DIR}/{ENTRIES_DIR}/{}", key.0)
}

/// An entry's bytes: the header, then the hash of the key and `body`, then `body`.
fn entry_bytes(key: &EntryKey, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("{HEADER}\n{}\n", checksum(key, body)).into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// The hash that checks an entry: of its key too, so that an entry copied under another
/// chapter's name is not taken for that chapter's.
fn checksum(key: &EntryKey, body: &[u8]) -> String {
    Digest::default().add(key.0.as_bytes()).add(body).hex()
}

/// An entry's body: the JSON line, then the two HTMLs and the terms.
fn entry_body(images: Vec<MeasuredImage>, html: &ChapterHtml, (title, terms): &TitledTerms) -> Vec<u8> {
    let terms = terms.to_bytes();
    let entry = Entry {
        images,
        html_bytes: html.html.len(),
        print_bytes: html.print_html.len(),
        terms_title: title.clone(),
        terms_bytes: terms.len(),
        chapter: html,
    };
    let Ok(mut body) = serde_json::to_vec(&entry) else { return Vec::new() };
    body.reserve(1 + html.html.len() + html.print_html.len() + terms.len());
    body.push(b'\n');
    body.extend_from_slice(html.html.as_bytes());
    body.extend_from_slice(html.print_html.as_bytes());
    body.extend_from_slice(&terms);
    body
}

/// The images, chapter and terms of the entry of `key` in `bytes`, when its header is this
/// format's, its hash is right and its parts are whole.
fn read_entry(key: &EntryKey, bytes: &[u8]) -> Option<(Vec<MeasuredImage>, ChapterHtml, TitledTerms)> {
    let rest = bytes.strip_prefix(HEADER.as_bytes())?.strip_prefix(b"\n")?;
    let (hash, body) = rest.split_at_checked(32)?;
    let body = body.strip_prefix(b"\n")?;
    if hash != checksum(key, body).as_bytes() {
        return None;
    }
    let line_end = body.iter().position(|&b| b == b'\n')?;
    let entry: Entry<ChapterHtml> = serde_json::from_slice(&body[..line_end]).ok()?;
    let (html, rest) = body[line_end + 1..].split_at_checked(entry.html_bytes)?;
    let (print_html, terms) = rest.split_at_checked(entry.print_bytes)?;
    if terms.len() != entry.terms_bytes {
        return None;
    }
    let html = String::from_utf8(html.to_vec()).ok()?;
    let print_html = String::from_utf8(print_html.to_vec()).ok()?;
    let terms = PageTerms::from_bytes(terms)?;
    Some((entry.images, ChapterHtml { html, print_html, ..entry.chapter }, (entry.terms_title, terms)))
}

/// The size and hash of the image at `path`; `None` when it cannot be read.
fn image_hash(path: &Path) -> Option<(u64, u128)> {
    hash_file(path).ok().map(|FileHash { size, hash }| (size, hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::section_text::SectionText;
    use crate::search::SearchPage;

    #[test]
    fn an_entry_is_read_only_when_it_checks_out() {
        let html = ChapterHtml { html: "<p>x\n</p>".to_owned(), print_html: "<p id=\"p-x\">é</p>".to_owned(), demos: vec!["primes"], ..ChapterHtml::default() };
        let sections = [SectionText { heading: None, text: "Threads share memory.".to_owned() }];
        let terms = PageTerms::of(&SearchPage { path: "x.html", title: "Threads", headings: &[], sections: &sections });
        let body = entry_body(Vec::new(), &html, &("Threads".to_owned(), terms));
        let key = EntryKey("a".repeat(32));
        let good = entry_bytes(&key, &body);
        let (_, read, (title, terms)) = read_entry(&key, &good).expect("a good entry");
        assert_eq!((read.html.as_str(), read.print_html.as_str(), read.demos), (html.html.as_str(), html.print_html.as_str(), vec!["primes"]));
        assert_eq!((title.as_str(), terms.sections, terms.to_bytes().len()), ("Threads", 1, body.len() - body.iter().position(|&b| b == b'\n').unwrap() - 1 - html.html.len() - html.print_html.len()));
        let cut = {
            let mut body = body.clone();
            body.pop();
            entry_bytes(&key, &body)
        };
        assert!(read_entry(&key, &cut).is_none(), "the terms' length is checked");
        let cut_in_a_character = {
            let text = String::from_utf8(body.clone()).unwrap();
            let (line, rest) = text.split_once('\n').unwrap();
            let print_bytes = format!("\"print_bytes\":{}", html.print_html.len());
            let line = line.replace(&print_bytes, &format!("\"print_bytes\":{}", html.print_html.len() - 1));
            entry_bytes(&key, format!("{line}\n{rest}").as_bytes())
        };
        assert!(read_entry(&key, &cut_in_a_character).is_none(), "the print HTML's length is checked");
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(read_entry(&key, &flipped).is_none(), "a changed byte");
        assert!(read_entry(&key, &good[..good.len() - 1]).is_none(), "a truncated entry");
        assert!(read_entry(&key, b"").is_none() && read_entry(&key, HEADER.as_bytes()).is_none());
        assert!(read_entry(&EntryKey("b".repeat(32)), &good).is_none(), "another chapter's entry");
        let other_format = [b"site-gen chapter cache 0".as_slice(), &good[HEADER.len()..]].concat();
        assert!(read_entry(&key, &other_format).is_none(), "another format");
        let unknown_demo = String::from_utf8(body).unwrap().replace("\"primes\"", "\"no-such-demo\"");
        assert!(read_entry(&key, &entry_bytes(&key, unknown_demo.as_bytes())).is_none(), "a demo no longer in the catalogue");
    }
}
