//! One page's terms, gathered while the pages are read in parallel: every distinct term
//! with the page's sections that hold it and how strongly. A page's terms are packed into
//! a few flat buffers (a book has millions of term-and-page pairs, and one allocation for
//! each would cost more than reading the words), and split into buckets by hash so that
//! the whole book's terms can be merged bucket by bucket, in parallel.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::fnv::{fnv, AlreadyHashed};
use super::index::SearchPage;
use super::postings::Weight;
use super::tokenise::tokenise;

/// How many buckets a page's terms are split into.
pub const MERGE_BUCKETS: usize = 64;

/// One page's terms.
pub struct PageTerms {
    /// The page's distinct terms, one after another.
    text: String,
    /// Each term's place in `text` and its postings' place in `postings`, by bucket.
    terms: Vec<PageTerm>,
    /// Where each bucket's terms start in `terms`; the last entry is where they end.
    bucket_starts: Vec<u32>,
    /// `(section within the page, weight)`, term after term, each term's in section order.
    postings: Vec<(u32, Weight)>,
    /// How many sections the page has.
    pub sections: u32,
}

struct PageTerm {
    text: (u32, u32),
    postings: (u32, u32),
}

/// What a section has of one term while it is being read.
#[derive(Clone, Copy, Default)]
struct Seen {
    count: u32,
    heading: bool,
    title: bool,
}

/// The working space of one thread, kept from page to page.
#[derive(Default)]
pub struct Scratch {
    /// A term's hash (moved on past any collision) → its number on this page.
    slots: HashMap<u64, u32, BuildHasherDefault<AlreadyHashed>>,
    text: String,
    spans: Vec<(u32, u32)>,
    hashes: Vec<u64>,
    seen: Vec<Seen>,
    touched: Vec<u32>,
    /// `(term, section, weight)` in section order.
    found: Vec<(u32, u32, Weight)>,
}

impl Scratch {
    fn clear(&mut self) {
        self.slots.clear();
        self.text.clear();
        self.spans.clear();
        self.hashes.clear();
        self.seen.clear();
        self.touched.clear();
        self.found.clear();
    }

    /// The page's number for `term`, given it if new.
    fn id(&mut self, term: &str) -> u32 {
        let hash = fnv(term.as_bytes());
        let mut slot = hash;
        loop {
            match self.slots.get(&slot) {
                Some(&id) => {
                    let (start, end) = self.spans[id as usize];
                    if &self.text[start as usize..end as usize] == term {
                        return id;
                    }
                    slot = slot.wrapping_add(1);
                }
                None => {
                    let id = self.spans.len() as u32;
                    let start = self.text.len() as u32;
                    self.text.push_str(term);
                    self.spans.push((start, self.text.len() as u32));
                    self.hashes.push(hash);
                    self.seen.push(Seen::default());
                    self.slots.insert(slot, id);
                    return id;
                }
            }
        }
    }

    fn note(&mut self, term: &str, mark: fn(&mut Seen)) {
        let id = self.id(term);
        let seen = &mut self.seen[id as usize];
        if seen.count == 0 && !seen.heading && !seen.title {
            self.touched.push(id);
        }
        mark(seen);
    }

    /// Records the weights of the terms seen in `section`, ready for the next one.
    fn end_section(&mut self, section: u32) {
        for &id in &self.touched {
            let seen = std::mem::take(&mut self.seen[id as usize]);
            let weight = if seen.title {
                Weight::Title
            } else if seen.heading {
                Weight::Heading
            } else if seen.count >= 3 {
                Weight::FrequentText
            } else {
                Weight::Text
            };
            self.found.push((id, section, weight));
        }
        self.touched.clear();
    }
}

/// Little-endian `u32`s read off the front of some bytes.
struct Numbers<'a>(&'a [u8]);

impl Numbers<'_> {
    fn next(&mut self) -> Option<u32> {
        let (number, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*number))
    }
}

/// The weight written as `byte`.
fn weight_of(byte: u8) -> Option<Weight> {
    [Weight::Text, Weight::FrequentText, Weight::Heading, Weight::Title].into_iter().find(|&w| w as u8 == byte)
}

/// The bucket of a term with hash `hash`. The merge's maps index by the hash's low bits,
/// so the bucket is chosen by all of them mixed, or each map would crowd its terms into
/// a few of its slots.
fn bucket_of(hash: u64) -> usize {
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize % MERGE_BUCKETS
}

impl PageTerms {
    /// [`PageTerms::collect`] with a working space of its own.
    pub fn of(page: &SearchPage<'_>) -> PageTerms {
        PageTerms::collect(page, &mut Scratch::default())
    }

    /// Reads the page's title (into its first section), headings and text.
    pub fn collect(page: &SearchPage<'_>, scratch: &mut Scratch) -> PageTerms {
        scratch.clear();
        for (i, section) in page.sections.iter().enumerate() {
            if i == 0 {
                tokenise(page.title, |t| scratch.note(t, |s| s.title = true));
            }
            if let Some(h) = section.heading.and_then(|h| page.headings.get(h)) {
                tokenise(&h.text, |t| scratch.note(t, |s| s.heading = true));
            }
            tokenise(&section.text, |t| scratch.note(t, |s| s.count += 1));
            scratch.end_section(i as u32);
        }

        // Postings grouped by term (a counting sort keeps each term's in section order).
        let count = scratch.spans.len();
        let mut starts = vec![0u32; count + 1];
        for &(id, _, _) in &scratch.found {
            starts[id as usize + 1] += 1;
        }
        for i in 0..count {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut postings = vec![(0, Weight::Text); scratch.found.len()];
        for &(id, section, weight) in &scratch.found {
            postings[next[id as usize] as usize] = (section, weight);
            next[id as usize] += 1;
        }

        // Terms ordered by bucket.
        let buckets: Vec<usize> = scratch.hashes.iter().map(|&h| bucket_of(h)).collect();
        let mut bucket_starts = vec![0u32; MERGE_BUCKETS + 1];
        for &b in &buckets {
            bucket_starts[b + 1] += 1;
        }
        for b in 0..MERGE_BUCKETS {
            bucket_starts[b + 1] += bucket_starts[b];
        }
        let mut place = bucket_starts.clone();
        let mut order = vec![0u32; count];
        for (id, &b) in buckets.iter().enumerate() {
            order[place[b] as usize] = id as u32;
            place[b] += 1;
        }
        let terms = order
            .iter()
            .map(|&id| PageTerm { text: scratch.spans[id as usize], postings: (starts[id as usize], starts[id as usize + 1]) })
            .collect();

        PageTerms { text: scratch.text.clone(), terms, bucket_starts, postings, sections: page.sections.len() as u32 }
    }

    /// The page's terms as bytes, to be kept between builds ([`PageTerms::from_bytes`]
    /// reads them back): little-endian counts and numbers, then the terms' text.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20 + self.terms.len() * 16 + self.bucket_starts.len() * 4 + self.postings.len() * 5 + self.text.len());
        let mut put = |n: u32| out.extend_from_slice(&n.to_le_bytes());
        put(self.sections);
        put(self.terms.len() as u32);
        put(self.postings.len() as u32);
        put(self.text.len() as u32);
        for term in &self.terms {
            [term.text.0, term.text.1, term.postings.0, term.postings.1].into_iter().for_each(&mut put);
        }
        self.bucket_starts.iter().copied().for_each(&mut put);
        for &(section, _) in &self.postings {
            put(section);
        }
        out.extend(self.postings.iter().map(|&(_, weight)| weight as u8));
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// The terms [`PageTerms::to_bytes`] wrote, when `bytes` hold them whole and every
    /// place in them is within bounds; `None` otherwise.
    pub fn from_bytes(bytes: &[u8]) -> Option<PageTerms> {
        let mut reader = Numbers(bytes);
        let [sections, terms, postings, text] = [(); 4].map(|()| reader.next());
        let (sections, terms, postings, text) = (sections?, terms? as usize, postings? as usize, text? as usize);
        let terms: Vec<PageTerm> = (0..terms)
            .map(|_| Some(PageTerm { text: (reader.next()?, reader.next()?), postings: (reader.next()?, reader.next()?) }))
            .collect::<Option<_>>()?;
        let bucket_starts: Vec<u32> = (0..=MERGE_BUCKETS).map(|_| reader.next()).collect::<Option<_>>()?;
        let sections_of: Vec<u32> = (0..postings).map(|_| reader.next()).collect::<Option<_>>()?;
        let (weights, text_bytes) = reader.0.split_at_checked(postings)?;
        let text = std::str::from_utf8(text_bytes).ok().filter(|t| t.len() == text)?.to_owned();
        let weights = weights.iter().map(|&w| weight_of(w)).collect::<Option<Vec<Weight>>>()?;
        let page = PageTerms { text, terms, bucket_starts, postings: sections_of.into_iter().zip(weights).collect(), sections };
        page.is_whole().then_some(page)
    }

    /// True when every place this page's terms give is within its buffers.
    fn is_whole(&self) -> bool {
        let in_text = |(start, end): (u32, u32)| start <= end && self.text.get(start as usize..end as usize).is_some();
        let in_postings = |(start, end): (u32, u32)| start <= end && end as usize <= self.postings.len();
        self.bucket_starts.first() == Some(&0)
            && self.bucket_starts.windows(2).all(|w| w[0] <= w[1])
            && self.bucket_starts.last().is_some_and(|&end| end as usize == self.terms.len())
            && self.terms.iter().all(|t| in_text(t.text) && in_postings(t.postings))
            && self.postings.iter().all(|&(section, _)| section < self.sections)
    }

    /// The terms of bucket `bucket`, each with its postings.
    pub fn bucket(&self, bucket: usize) -> impl Iterator<Item = (&str, &[(u32, Weight)])> {
        let range = self.bucket_starts[bucket] as usize..self.bucket_starts[bucket + 1] as usize;
        self.terms[range].iter().map(|t| {
            (&self.text[t.text.0 as usize..t.text.1 as usize], &self.postings[t.postings.0 as usize..t.postings.1 as usize])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::Heading;
    use crate::parse::section_text::SectionText;
    use std::collections::BTreeMap;

    fn all(terms: &PageTerms) -> BTreeMap<String, Vec<(u32, Weight)>> {
        (0..MERGE_BUCKETS).flat_map(|b| terms.bucket(b).map(|(t, p)| (t.to_owned(), p.to_vec()))).collect()
    }

    #[test]
    fn every_term_once_with_its_sections_and_weights() {
        let headings = vec![Heading { level: 2, id: "locks".into(), text: "Locks".into() }];
        let sections = vec![
            SectionText { heading: None, text: "A thread, a lock.".into() },
            SectionText { heading: Some(0), text: "lock lock lock thread".into() },
        ];
        let page = SearchPage { path: "p.html", title: "Threads", headings: &headings, sections: &sections };
        let mut scratch = Scratch::default();
        let terms = PageTerms::collect(&page, &mut scratch);
        assert_eq!(terms.sections, 2);
        let found = all(&terms);
        assert_eq!(found["threads"], [(0, Weight::Title)]);
        assert_eq!(found["thread"], [(0, Weight::Text), (1, Weight::Text)]);
        assert_eq!(found["lock"], [(0, Weight::Text), (1, Weight::FrequentText)]);
        assert_eq!(found["locks"], [(1, Weight::Heading)]);
        assert_eq!(found["a"], [(0, Weight::Text)]);
        assert_eq!(found.len(), 5);

        // The same scratch serves the next page from a clean start.
        let other = [SectionText { heading: None, text: "Other words".into() }];
        let page = SearchPage { path: "q.html", title: "Q", headings: &[], sections: &other };
        let found = all(&PageTerms::collect(&page, &mut scratch));
        assert_eq!(found.keys().collect::<Vec<_>>(), ["other", "q", "words"]);
    }

    #[test]
    fn terms_read_back_from_their_bytes_are_the_same_and_damaged_bytes_are_refused() {
        let headings = vec![Heading { level: 2, id: "gil".into(), text: "The GIL, «ещё»".into() }];
        let sections = vec![
            SectionText { heading: None, text: "Threads share one interpreter lock.".into() },
            SectionText { heading: Some(0), text: "lock lock lock 線程 process".into() },
        ];
        let page = SearchPage { path: "p.html", title: "Threads", headings: &headings, sections: &sections };
        let terms = PageTerms::collect(&page, &mut Scratch::default());
        let bytes = terms.to_bytes();
        let read = PageTerms::from_bytes(&bytes).expect("whole bytes");
        assert_eq!((all(&read), read.sections), (all(&terms), terms.sections));
        for cut in 0..bytes.len() {
            assert!(PageTerms::from_bytes(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        assert!(PageTerms::from_bytes(&[bytes.as_slice(), b"x"].concat()).is_none(), "a byte too many");
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x80;
            // Whatever a changed byte gives, reading it never panics, and what it gives is whole.
            if let Some(read) = PageTerms::from_bytes(&damaged) {
                let _ = all(&read);
            }
        }
    }

    #[test]
    fn terms_whose_hashes_collide_stay_apart() {
        let mut scratch = Scratch::default();
        let a = scratch.id("alpha");
        // Occupy the slot "beta" would take with a different term's number.
        let slot = fnv(b"beta");
        scratch.slots.insert(slot, a);
        let b = scratch.id("beta");
        assert_ne!(a, b);
        assert_eq!(scratch.id("beta"), b);
        assert_eq!(scratch.id("alpha"), a);
    }
}
