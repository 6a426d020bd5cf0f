//! The search index made while the pages are rendered, a batch of pages at a time: each
//! page's terms are gathered and merged into the book's postings, and its sections'
//! headings and text written out in `docs-N.json` and `text-N.json` files as soon as a
//! file is full, so a book's text is never held twice and its postings only once; the
//! term index ([`super::index`]) is cut into its shards at the end, once every page's
//! terms are in. The files are the same, byte for byte, as indexing the whole book at
//! once ([`SearchIndex::build`](super::SearchIndex::build)).

use std::hash::Hasher;

use rayon::prelude::*;

use super::fnv::{fnv, FastMap, Fnv};
use super::index::{docs_file, meta_file, term_shards, text_file, Counts, IndexFile, SearchPage, DOCS_PER_FILE, TEXTS_PER_FILE};
use super::page_terms::{PageTerms, Scratch, MERGE_BUCKETS};
use super::postings::PostingList;
use crate::core::error::Result;

/// One section waiting for its `docs-N.json` file: its page's address and title, and its
/// heading's id and text (empty before a page's first heading).
#[derive(Clone)]
pub(super) struct PendingDoc {
    pub page: String,
    pub title: String,
    pub id: String,
    pub heading: String,
}

/// One bucket of the book's terms (by hash), each with its postings (sections numbered
/// through the book).
type Bucket = FastMap<String, PostingList>;

/// The index so far: the book's postings, the sections not yet in a full file, and each
/// written file's hash (for the build's fingerprint in `meta.json`).
pub struct Indexer {
    buckets: Vec<Bucket>,
    sections: u32,
    docs: Vec<PendingDoc>,
    texts: Vec<String>,
    docs_hashes: Vec<u64>,
    texts_hashes: Vec<u64>,
}

impl Default for Indexer {
    fn default() -> Self {
        Indexer {
            buckets: (0..MERGE_BUCKETS).map(|_| Bucket::default()).collect(),
            sections: 0,
            docs: Vec::new(),
            texts: Vec::new(),
            docs_hashes: Vec::new(),
            texts_hashes: Vec::new(),
        }
    }
}

impl Indexer {
    /// Adds `pages` (the next pages in reading order): merges their terms into the book's
    /// postings, and hands `write` every docs and text file that is now full.
    pub fn add_pages(&mut self, pages: &[SearchPage<'_>], write: &mut impl FnMut(IndexFile) -> Result<()>) -> Result<()> {
        self.add_pages_with(pages, Vec::new(), write)
    }

    /// [`Indexer::add_pages`], where `known` gives the terms already read of some pages
    /// (in the same order; `None`, or missing at the end: read them now).
    pub fn add_pages_with(&mut self, pages: &[SearchPage<'_>], mut known: Vec<Option<PageTerms>>, write: &mut impl FnMut(IndexFile) -> Result<()>) -> Result<()> {
        known.resize_with(pages.len(), || None);
        let terms: Vec<PageTerms> = pages
            .par_iter()
            .zip(known)
            .map_init(Scratch::default, |s, (page, known)| known.unwrap_or_else(|| PageTerms::collect(page, s)))
            .collect();
        self.merge(&terms);
        for page in pages {
            for section in page.sections {
                let (id, heading) = match section.heading.and_then(|h| page.headings.get(h)) {
                    Some(h) => (h.id.clone(), h.text.clone()),
                    None => (String::new(), String::new()),
                };
                self.docs.push(PendingDoc { page: page.path.to_owned(), title: page.title.to_owned(), id, heading });
                self.texts.push(super::index::snippet_text(&section.text).to_owned());
            }
        }
        self.write_full(false, write)
    }

    /// Merges the next pages' terms into the book's postings, bucket by bucket in parallel;
    /// within a bucket the pages come in reading order, so every term's sections stay in
    /// increasing order.
    fn merge(&mut self, per_page: &[PageTerms]) {
        let mut first_sections = Vec::with_capacity(per_page.len());
        for page in per_page {
            first_sections.push(self.sections);
            self.sections += page.sections;
        }
        self.buckets.par_iter_mut().enumerate().for_each(|(bucket, merged)| {
            for (page, &first) in per_page.iter().zip(&first_sections) {
                for (term, postings) in page.bucket(bucket) {
                    if !merged.contains_key(term) {
                        merged.insert(term.to_owned(), PostingList::default());
                    }
                    let list = merged.get_mut(term).expect("just inserted");
                    for &(section, weight) in postings {
                        list.push(section + first, weight);
                    }
                }
            }
        });
    }

    /// Writes the docs and text files that are full (with `all`, the last ones too).
    fn write_full(&mut self, all: bool, write: &mut impl FnMut(IndexFile) -> Result<()>) -> Result<()> {
        let ready = |pending: usize, per_file: usize| if all { pending } else { pending / per_file * per_file };
        let docs: Vec<PendingDoc> = self.docs.drain(..ready(self.docs.len(), DOCS_PER_FILE)).collect();
        let first = self.docs_hashes.len();
        let files: Vec<IndexFile> = docs.par_chunks(DOCS_PER_FILE).enumerate().map(|(n, chunk)| docs_file(first + n, chunk)).collect();
        emit(files, &mut self.docs_hashes, write)?;
        let texts: Vec<String> = self.texts.drain(..ready(self.texts.len(), TEXTS_PER_FILE)).collect();
        let first = self.texts_hashes.len();
        let files: Vec<IndexFile> = texts.par_chunks(TEXTS_PER_FILE).enumerate().map(|(n, chunk)| text_file(first + n, chunk)).collect();
        emit(files, &mut self.texts_hashes, write)
    }

    /// Writes the last docs and text files, the term index's shards and `meta.json`;
    /// returns how many sections and terms the index holds.
    pub fn finish(mut self, write: &mut impl FnMut(IndexFile) -> Result<()>) -> Result<Counts> {
        self.write_full(true, write)?;
        let mut terms_hashes = Vec::new();
        let terms = std::mem::take(&mut self.buckets).into_iter().flatten().collect();
        let built = term_shards(terms, self.sections as usize, &mut |file| {
            terms_hashes.push(file_hash(&file));
            write(file)
        })?;
        let mut fingerprint = Fnv::default();
        for hash in terms_hashes.iter().chain(&self.docs_hashes).chain(&self.texts_hashes) {
            fingerprint.write_u64(*hash);
        }
        write(meta_file(&built, format!("{:016x}", fingerprint.finish())))?;
        Ok(Counts { sections: self.sections as usize, terms: built.terms })
    }
}

/// Hands `write` each of `files`, in order, keeping its hash in `hashes`.
fn emit(files: Vec<IndexFile>, hashes: &mut Vec<u64>, write: &mut impl FnMut(IndexFile) -> Result<()>) -> Result<()> {
    hashes.extend(files.par_iter().map(file_hash).collect::<Vec<u64>>());
    files.into_iter().try_for_each(write)
}

/// A file's part of the build's fingerprint.
fn file_hash(file: &IndexFile) -> u64 {
    fnv(file.text.as_bytes()) ^ fnv(file.path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::Heading;
    use crate::parse::section_text::SectionText;
    use crate::search::SearchIndex;

    /// `count` pages of seven sections each (a heading for all but the first), with words
    /// that repeat across pages, so files and postings cross every batch's boundary.
    fn pages(count: usize) -> (Vec<String>, Vec<Vec<Heading>>, Vec<Vec<SectionText>>) {
        let paths = (0..count).map(|p| format!("part/page-{p}.html")).collect();
        let headings = (0..count)
            .map(|p| (0..6).map(|h| Heading { level: 2, id: format!("h{h}"), text: format!("Heading {h} of page {p}") }).collect())
            .collect();
        let sections = (0..count)
            .map(|p| {
                (0..7)
                    .map(|s| SectionText {
                        heading: (s > 0).then(|| s - 1),
                        text: format!("thread {p} process {s} word{} async word{} lock", p % 5, (p * 7 + s) % 11),
                    })
                    .collect()
            })
            .collect();
        (paths, headings, sections)
    }

    #[test]
    fn adding_pages_in_batches_writes_the_same_files_as_indexing_them_at_once() {
        let (paths, headings, sections) = pages(61);
        let all: Vec<SearchPage<'_>> = (0..paths.len())
            .map(|p| SearchPage { path: &paths[p], title: "A page", headings: &headings[p], sections: &sections[p] })
            .collect();
        let whole = SearchIndex::build(&all);
        assert!(whole.files.iter().filter(|f| f.path.contains("/text-")).count() > 20, "several text files");
        for batch in [1, 3, 17, 60] {
            let mut files = Vec::new();
            let mut indexer = Indexer::default();
            let mut keep = |file: IndexFile| {
                files.push(file);
                Ok(())
            };
            for pages in all.chunks(batch) {
                indexer.add_pages(pages, &mut keep).unwrap();
            }
            let counts = indexer.finish(&mut keep).unwrap();
            assert_eq!((counts.sections, counts.terms), (whole.sections, whole.terms));
            files.sort_by(|a, b| a.path.cmp(&b.path));
            let mut expected: Vec<&IndexFile> = whole.files.iter().collect();
            expected.sort_by(|a, b| a.path.cmp(&b.path));
            assert_eq!(files.len(), expected.len(), "batches of {batch}");
            for (got, want) in files.iter().zip(expected) {
                assert_eq!((&got.path, &got.text), (&want.path, &want.text), "batches of {batch}");
            }
        }
    }
}
