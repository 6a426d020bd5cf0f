//! A large book made up from a seed, for measuring the search index (the harness's multilingual
//! generated book: words in a Zipf-like spread over English function words, the book's subject
//! words and a long tail of rarer words, with a chapter in Chinese or Russian now and then), and
//! its search site built through site-gen's library.

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use site_gen::book::Book;
use site_gen::config::Config;
use site_gen::include::expand;
use site_gen::highlight::StyledScopes;
use site_gen::markdown::{render_markdown, RenderedMarkdown};
use site_gen::nav::{Navigation, CONTENTS_SCRIPT};
use site_gen::render::render_page;
use site_gen::search::index_book;
use site_gen::assets::Assets;
use site_gen::theme::Theme;

/// Writes a multilingual book of `chapters` chapters made up from `seed` into `dir`: the
/// harness's generated book (`harness::books::generated`). Its chapters are about 2,000 words:
/// `words` must say so.
pub fn write_book(dir: &Path, chapters: usize, words: usize, seed: u64) {
    debug_assert_eq!(words, 2000, "generated chapters are about 2,000 words");
    harness::books::generated(chapters).seed(seed).multilingual().write(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
}

/// What building the benchmark's site found.
pub struct BuiltSearch {
    pub chapters: usize,
    pub markdown_bytes: usize,
    pub sections: usize,
    pub terms: usize,
    pub files: usize,
    pub total_bytes: usize,
    pub largest_file: usize,
    pub largest_name: String,
    pub render_seconds: f64,
    pub render_cpu_seconds: f64,
    pub index_seconds: f64,
    pub index_cpu_seconds: f64,
}

/// The processor time this process has used so far, all threads together (Linux), so
/// that timings are not skewed by other work on the machine.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    ticks / 100.0
}

impl fmt::Display for BuiltSearch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} chapters, {:.1} MB of Markdown, rendered in {:.2} s ({:.2} s of processor time); search index: \
             {} sections, {} terms, {} files, {:.1} MB in all, largest file {} ({:.1} KB), built in {:.2} s \
             ({:.2} s of processor time)",
            self.chapters,
            self.markdown_bytes as f64 / 1e6,
            self.render_seconds,
            self.render_cpu_seconds,
            self.sections,
            self.terms,
            self.files,
            self.total_bytes as f64 / 1e6,
            self.largest_name,
            self.largest_file as f64 / 1024.0,
            self.index_seconds,
            self.index_cpu_seconds,
        )
    }
}

/// Renders every chapter's Markdown (in parallel, as `site-gen build` does), builds the
/// search index, and writes into `site` the index, the theme's static files and the first
/// chapter as `index.html`: a page to search from, without writing 5,000 pages.
pub fn build_search_site(book_dir: &Path, site: &Path) -> BuiltSearch {
    let (config, _) = Config::load(book_dir).unwrap();
    let book = Book::load(config).unwrap();
    let mut theme = Theme::load(&book.config.root, None).unwrap();
    // The page's templates link the static files by their hashed names (`asset(path=…)`).
    let assets = Assets::prepare(&theme, &book.config.root, &book.config.demos_dir).unwrap();
    assets.register(&mut theme.tera);

    let (started, cpu) = (Instant::now(), cpu_seconds());
    let markdown: Vec<RenderedMarkdown> = book
        .chapters
        .par_iter()
        .map(|c| {
            let path = book.config.src_dir.join(&c.source);
            let expanded = expand(&book.config.root, &path, &c.shown, c.text.clone(), c.body_start).unwrap();
            let mut rendered = render_markdown(&expanded, &StyledScopes::Everything).unwrap();
            rendered.title = expanded.title;
            rendered
        })
        .collect();
    let (render_seconds, render_cpu_seconds) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu);

    let (started, cpu) = (Instant::now(), cpu_seconds());
    let index = index_book(&book, &markdown);
    let (index_seconds, index_cpu_seconds) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu);

    for file in &index.files {
        let path = site.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.text).unwrap();
    }
    for file in &assets.files {
        let path = site.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.bytes).unwrap();
    }
    let nav = Navigation::new(&book, false);
    std::fs::write(site.join(CONTENTS_SCRIPT), nav.script()).unwrap();
    let page = render_page(&theme, &book, &nav, 0, "index.html", &markdown[0], None).unwrap();
    std::fs::write(site.join("index.html"), page).unwrap();

    let largest = index.files.iter().max_by_key(|f| f.text.len()).unwrap();
    BuiltSearch {
        chapters: book.chapters.len(),
        markdown_bytes: book.chapters.iter().map(|c| c.text.len()).sum(),
        sections: index.sections,
        terms: index.terms,
        files: index.files.len(),
        total_bytes: index.files.iter().map(|f| f.text.len()).sum(),
        largest_file: largest.text.len(),
        largest_name: largest.path.clone(),
        render_seconds,
        render_cpu_seconds,
        index_seconds,
        index_cpu_seconds,
    }
}

/// The size of a file once gzipped, as a web server would send it.
pub fn gzip_size(path: &Path) -> u64 {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).unwrap();
    encoder.finish().unwrap().len() as u64
}
