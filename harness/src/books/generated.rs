//! Books made up from a seed: chapters of about 2,000 words with headings, lists, a table, links
//! to other chapters and 2–4 code blocks, laid out so that both `site-gen` and mdBook build the
//! same folder (and, optionally, as a Hugo site with the same pages). The same seed gives the
//! same book, byte for byte: the benchmarks compare tools and runs on it.
//!
//! ```no_run
//! # let dir = std::path::Path::new("book");
//! harness::books::generated(1000).seed(1).write(dir).unwrap();
//! ```
//!
//! [`Generated::multilingual`] writes the book a search index is measured on instead: English in
//! its natural proportions over a long tail of rarer words, and a chapter in 25 in Chinese and
//! one in 25 in Russian.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::words::*;

/// Chapters per folder, so that the book has some depth; the first of each is the part's page.
pub const CHAPTERS_PER_PART: usize = 50;

/// A book of `pages` chapters, from seed 1 unless told otherwise.
pub fn generated(pages: usize) -> Generated {
    Generated { pages, seed: 1, multilingual: false, vocabulary: OnceLock::new() }
}

/// A generated book, to write as a `site-gen`/mdBook book or as a Hugo site.
#[derive(Debug)]
pub struct Generated {
    pages: usize,
    seed: u64,
    multilingual: bool,
    vocabulary: OnceLock<Vocabulary>,
}

/// The long tails of a multilingual book, made once per book from its seed.
#[derive(Debug)]
struct Vocabulary {
    tail: Vec<String>,
    cyrillic_tail: Vec<String>,
}

impl Generated {
    /// The seed the book is made from.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self.vocabulary = OnceLock::new();
        self
    }

    /// English in its natural proportions (function words, the book's subject words, each
    /// chapter's own topic words and a long tail of 40,000 rarer made-up words, each by a Zipf-like
    /// spread), and one chapter in 25 in Chinese and one in 25 in Russian: a realistic load for a
    /// search index.
    pub fn multilingual(mut self) -> Self {
        self.multilingual = true;
        self
    }

    /// Writes `book.toml` and `content/` (`SUMMARY.md` and the chapters) into `dir`, which must
    /// not exist or be empty.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let content = dir.join("content");
        std::fs::create_dir_all(&content)?;
        let pages = self.pages;
        std::fs::write(
            dir.join("book.toml"),
            format!("[book]\ntitle = \"Generated book of {pages} pages\"\nauthors = [\"Generator\"]\nsrc = \"content\"\n\n[build]\nbuild-dir = \"book\"\n"),
        )?;
        let mut summary = String::from("# Summary\n\n");
        for i in 0..pages {
            let part = i / CHAPTERS_PER_PART;
            if i % CHAPTERS_PER_PART == 0 {
                let _ = writeln!(summary, "- [Part {}](part{part:03}/index.md)", part + 1);
            } else {
                let _ = writeln!(summary, "    - [{}]({})", self.title(i), chapter_file(i).display());
            }
        }
        std::fs::write(content.join("SUMMARY.md"), summary)?;
        for i in 0..pages {
            let path = content.join(chapter_file(i));
            std::fs::create_dir_all(path.parent().unwrap_or(&content))?;
            std::fs::write(path, self.chapter(i))?;
        }
        Ok(())
    }

    /// Writes the same chapters as a Hugo site (front matter, a minimal layout) into `dir`.
    pub fn write_hugo(&self, dir: &Path) -> std::io::Result<()> {
        let content = dir.join("content");
        std::fs::create_dir_all(dir.join("layouts/_default"))?;
        std::fs::write(dir.join("hugo.toml"), "baseURL = \"http://localhost/\"\ntitle = \"Generated\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n[markup.highlight]\nnoClasses = false\n")?;
        std::fs::write(
            dir.join("layouts/_default/single.html"),
            "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><nav>{{ range .Site.RegularPages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav><main>{{ .Content }}</main></body></html>\n",
        )?;
        std::fs::write(dir.join("layouts/_default/list.html"), "<!DOCTYPE html><html><body>{{ .Content }}</body></html>\n")?;
        for i in 0..self.pages {
            let path = content.join(chapter_file(i));
            std::fs::create_dir_all(path.parent().unwrap_or(&content))?;
            let path = if path.file_name().is_some_and(|n| n == "index.md") { path.with_file_name("_index.md") } else { path };
            let body = self.chapter(i).replace(".md)", "/)").replace(".md#", "/#");
            std::fs::write(path, format!("---\ntitle: \"{}\"\n---\n{body}", self.title(i)))?;
        }
        Ok(())
    }

    /// Chapter `i`'s title.
    pub fn title(&self, i: usize) -> String {
        let prose = self.prose(i);
        let mut rng = rng_for(self.seed.wrapping_add(1), i);
        let n = rng.random_range(2..5);
        let mut words: Vec<String> = (0..n).map(|_| prose.word(&mut rng).to_owned()).collect();
        if let Some(first) = words.first_mut() {
            *first = capitalise(first);
        }
        format!("{} {i}", words.join(prose.space()))
    }

    /// Chapter `i`'s Markdown.
    pub fn chapter(&self, i: usize) -> String {
        let prose = self.prose(i);
        let pages = self.pages;
        let mut rng = rng_for(self.seed, i);
        let mut out = String::with_capacity(16 * 1024);
        let _ = writeln!(out, "# {}\n", self.title(i));
        let sections = rng.random_range(5..8);
        let code_blocks = rng.random_range(2..=4);
        let table_at = rng.random_range(0..sections);
        for s in 0..sections {
            let _ = writeln!(out, "## {} {s}\n", prose.heading(&mut rng, 2, 5));
            for _ in 0..rng.random_range(2..4) {
                out.push_str(&prose.paragraph(&mut rng, i, pages));
            }
            if s < code_blocks {
                let (lang, lines) = CODE[rng.random_range(0..CODE.len())];
                let _ = writeln!(out, "```{lang}");
                for _ in 0..rng.random_range(4..12) {
                    let _ = writeln!(out, "{}", lines[rng.random_range(0..lines.len())]);
                }
                out.push_str("```\n\n");
            }
            if s == table_at {
                out.push_str("| mode | workers | time (ms) | speed-up |\n|---|---:|---:|---:|\n");
                for mode in ["sequential", "threads", "processes", "async"] {
                    let _ = writeln!(out, "| {mode} | {} | {} | {:.1}× |", rng.random_range(1..9), rng.random_range(10..5000), rng.random_range(0.5..4.0));
                }
                out.push('\n');
            }
            if rng.random_bool(0.6) {
                let _ = writeln!(out, "### {}\n", prose.heading(&mut rng, 2, 4));
                for n in 1..=rng.random_range(3..6) {
                    let marker = if s % 2 == 0 { "-".to_owned() } else { format!("{n}.") };
                    let _ = writeln!(out, "{marker} {}", prose.sentence(&mut rng, 5, 12));
                }
                out.push('\n');
                out.push_str(&prose.paragraph(&mut rng, i, pages));
            }
        }
        out
    }

    /// The words chapter `i` is written in.
    fn prose(&self, i: usize) -> Prose<'_> {
        if !self.multilingual {
            return Prose::Plain;
        }
        let vocabulary = self.vocabulary.get_or_init(|| Vocabulary::new(self.seed));
        match i % 25 {
            7 => Prose::Chinese,
            13 => Prose::Russian { tail: &vocabulary.cyrillic_tail },
            _ => {
                let mut rng = rng_for(self.seed.wrapping_add(2), i);
                let topic = (0..8).map(|_| vocabulary.tail[rng.random_range(0..vocabulary.tail.len())].as_str()).collect();
                Prose::English { tail: &vocabulary.tail, topic }
            }
        }
    }
}

/// Where chapter `i` is, under the book's `content/`: `part010/page00501.md`, or the part's page
/// `part010/index.md` for every 50th.
pub fn chapter_file(i: usize) -> PathBuf {
    let part = i / CHAPTERS_PER_PART;
    if i % CHAPTERS_PER_PART == 0 {
        PathBuf::from(format!("part{part:03}/index.md"))
    } else {
        PathBuf::from(format!("part{part:03}/page{i:05}.md"))
    }
}

impl Vocabulary {
    fn new(seed: u64) -> Vocabulary {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x766f_6361_6275_6c61);
        Vocabulary { tail: tail_words(40_000, SYLLABLES, &mut rng), cyrillic_tail: tail_words(3_000, CYRILLIC_SYLLABLES, &mut rng) }
    }
}

/// The long tail of a vocabulary: `count` different made-up words of two to four syllables.
fn tail_words(count: usize, syllables: &[&str], rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let word: String = (0..rng.random_range(2..=4)).map(|_| syllables[rng.random_range(0..syllables.len())]).collect();
        if seen.insert(word.clone()) {
            out.push(word);
        }
    }
    out
}

/// The words of one chapter.
enum Prose<'a> {
    /// `WORDS`, evenly spread: the benchmark's books.
    Plain,
    /// Function words, subject words, the chapter's topic and the long tail.
    English { tail: &'a [String], topic: Vec<&'a str> },
    Chinese,
    Russian { tail: &'a [String] },
}

impl<'a> Prose<'a> {
    fn word(&self, rng: &mut ChaCha8Rng) -> &'a str {
        match self {
            Prose::Plain => WORDS[rng.random_range(0..WORDS.len())],
            Prose::English { tail, topic } => match rng.random_range(0..100) {
                0..45 => FUNCTION_WORDS[zipf(rng, FUNCTION_WORDS.len())],
                45..65 => SUBJECT_WORDS[zipf(rng, SUBJECT_WORDS.len())],
                65..72 => topic[rng.random_range(0..topic.len())],
                _ => &tail[zipf(rng, tail.len())],
            },
            Prose::Chinese if rng.random_bool(0.55) => CHINESE_WORDS[zipf(rng, CHINESE_WORDS.len())],
            Prose::Chinese => CHINESE_FILLERS[rng.random_range(0..CHINESE_FILLERS.len())],
            Prose::Russian { tail } => match rng.random_range(0..10) {
                0..=3 => RUSSIAN_FILLERS[rng.random_range(0..RUSSIAN_FILLERS.len())],
                4..=6 => RUSSIAN_WORDS[zipf(rng, RUSSIAN_WORDS.len())],
                _ => &tail[zipf(rng, tail.len())],
            },
        }
    }

    /// Between words: Chinese has nothing there.
    fn space(&self) -> &'static str {
        match self {
            Prose::Chinese => "",
            _ => " ",
        }
    }

    fn full_stop(&self) -> &'static str {
        match self {
            Prose::Chinese => "。",
            _ => ".",
        }
    }

    fn sentence(&self, rng: &mut ChaCha8Rng, min: usize, max: usize) -> String {
        let n = rng.random_range(min..=max);
        let mut s = capitalise(self.word(rng));
        for _ in 1..n {
            s.push_str(self.space());
            s.push_str(self.word(rng));
        }
        s.push_str(self.full_stop());
        s
    }

    /// A heading's text: a short sentence without its full stop.
    fn heading(&self, rng: &mut ChaCha8Rng, min: usize, max: usize) -> String {
        capitalise(&self.sentence(rng, min, max)).trim_end_matches(self.full_stop()).to_owned()
    }

    fn paragraph(&self, rng: &mut ChaCha8Rng, i: usize, pages: usize) -> String {
        let mut p = String::new();
        for k in 0..rng.random_range(4..8) {
            let mut s = self.sentence(rng, 8, 22);
            if k == 1 && rng.random_bool(0.5) {
                let target = rng.random_range(0..pages);
                let link = if target / CHAPTERS_PER_PART == i / CHAPTERS_PER_PART {
                    format!("page{target:05}.md")
                } else {
                    format!("../part{:03}/page{target:05}.md", target / CHAPTERS_PER_PART)
                };
                let link = if target % CHAPTERS_PER_PART == 0 { link.replace(&format!("page{target:05}"), "index") } else { link };
                s = format!("See [chapter {target}]({link}) for more. {s}");
            }
            if k == 2 {
                s = s.replacen(' ', " `spawn()` ", 1);
            }
            if k == 3 {
                s = s.replacen(' ', " **really** ", 1);
            }
            p.push_str(&s);
            p.push(' ');
        }
        p.push_str("\n\n");
        p
    }
}

fn rng_for(seed: u64, i: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// A rank from 0 to n - 1, rank r about 1 / (r + 1) as likely as rank 0.
fn zipf(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let u: f64 = rng.random();
    (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_book() {
        assert_eq!(generated(100).seed(7).chapter(3), generated(100).seed(7).chapter(3));
        assert_ne!(generated(100).seed(7).chapter(3), generated(100).seed(8).chapter(3));
    }

    /// The benchmarks compare runs over time on these books: a change to the generator that
    /// changes them is a change to every figure measured before it.
    #[test]
    fn the_benchmark_books_do_not_change() {
        let book = generated(260).seed(1);
        let all: String = (0..260).map(|i| book.chapter(i) + &book.title(i)).collect();
        assert_eq!(fnv1a(all.as_bytes()), 6_415_802_732_355_349_428, "the books of seed 1 changed");
    }

    #[test]
    fn chapters_are_about_two_thousand_words_with_code_and_a_table() {
        for book in [generated(1000), generated(1000).multilingual()] {
            for i in (0..20).filter(|i| i % 25 != 7) {
                let text = book.chapter(i);
                let words = text.split_whitespace().count();
                assert!((1200..=3200).contains(&words), "chapter {i}: {words} words");
                let fences = text.matches("```").count() / 2;
                assert!((2..=4).contains(&fences), "chapter {i}: {fences} code blocks");
                assert!(text.contains("| mode | workers |"));
            }
        }
    }

    #[test]
    fn a_multilingual_book_has_chinese_and_russian_chapters_and_a_long_tail() {
        let book = generated(100).multilingual().seed(5);
        assert!(book.chapter(7).contains('并') || book.chapter(7).contains('线'), "{}", book.chapter(7));
        assert!(book.chapter(13).contains("поток") || book.chapter(13).contains("процесс"), "{}", book.chapter(13));
        let english = book.chapter(3);
        let distinct: std::collections::HashSet<&str> = english.split_whitespace().collect();
        assert!(distinct.len() > 300, "{} distinct words", distinct.len());
        assert_eq!(generated(100).multilingual().seed(5).chapter(3), english);
    }

    #[test]
    fn generated_book_lists_every_chapter() {
        let dir = tempfile::tempdir().unwrap();
        generated(120).write(dir.path()).unwrap();
        let summary = std::fs::read_to_string(dir.path().join("content/SUMMARY.md")).unwrap();
        assert_eq!(summary.matches("](").count(), 120);
        assert!(dir.path().join("content/part002/page00119.md").is_file());
        assert!(dir.path().join("content/part001/index.md").is_file());
        assert_eq!(chapter_file(119), Path::new("part002/page00119.md"));
    }

    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    }
}
