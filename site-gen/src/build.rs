//! The build pipeline, as a list of named, timed steps:
//! load settings → read the book → load the theme → render pages → write the site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::book::Book;
use crate::config::Config;
use crate::diagnostic::{display_path, Diagnostic};
use crate::error::{Error, Result};
use crate::include::expand;
use crate::markdown::{render_markdown, RenderedMarkdown};
use crate::output::Staging;
use crate::render::render_page;
use crate::theme::{files_under, AssetSource, Theme};

/// The folders of the demo runtime: the threaded build and the single-threaded fallback.
pub const DEMO_BUILDS: [&str; 2] = ["threads", "single"];

/// One finished page.
pub struct Page {
    /// Relative to the site's root, `/`-separated.
    pub path: String,
    pub html: String,
}

/// The whole site, rendered in memory.
pub struct Site {
    pub book: Book,
    pub theme: Theme,
    pub pages: Vec<Page>,
    /// True when any page embeds a demo (the demo runtime is then copied).
    pub has_demos: bool,
    pub warnings: Vec<Diagnostic>,
    pub steps: Vec<(&'static str, Duration)>,
    /// The search index's files.
    pub search: crate::search::SearchIndex,
}

/// What a finished build reports.
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    pub steps: Vec<(&'static str, Duration)>,
}

/// Loads and renders the book at `root` without writing anything.
pub fn render_site(root: &Path) -> Result<Site> {
    let mut steps = Vec::new();
    let mut timer = Instant::now();
    let mut lap = |name: &'static str, steps: &mut Vec<(&'static str, Duration)>| {
        steps.push((name, timer.elapsed()));
        timer = Instant::now();
    };

    let (config, mut warnings) = Config::load(root)?;
    lap("read book.toml", &mut steps);
    let book = Book::load(config)?;
    lap("read chapters", &mut steps);
    let theme = Theme::load(&book.config.root, book.config.theme_dir.as_deref())?;
    lap("load theme", &mut steps);

    let rendered: Vec<std::result::Result<RenderedMarkdown, Vec<Diagnostic>>> =
        book.chapters.par_iter().map(|c| render_chapter(&book, c)).collect();
    let mut problems = Vec::new();
    let mut markdown = Vec::with_capacity(rendered.len());
    for r in rendered {
        match r {
            Ok(m) => markdown.push(m),
            Err(mut d) => problems.append(&mut d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    lap("render Markdown", &mut steps);

    let front_page = front_page(&book);
    let results: Vec<std::result::Result<Page, Diagnostic>> = (0..book.chapters.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut paths = vec![book.chapters[i].page.clone()];
            if i == 0 {
                if let FrontPage::Copy = front_page {
                    paths.push("index.html".to_owned());
                }
            }
            let (book, theme, markdown) = (&book, &theme, &markdown);
            paths.into_iter().map(move |path| {
                render_page(theme, book, i, &path, &markdown[i]).map(|html| Page { path, html })
            })
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len() + 1);
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    if let FrontPage::Redirect(target) = front_page {
        pages.push(Page { path: "index.html".to_owned(), html: redirect_html(&target) });
    }
    lap("render pages", &mut steps);
    let search = crate::search::index_book(&book, &markdown);
    lap("index for search", &mut steps);

    let has_demos = markdown.iter().any(|m| !m.demos.is_empty());
    if has_demos && !DEMO_BUILDS.iter().all(|b| book.config.demos_dir.join(b).is_dir()) {
        warnings.push(
            Diagnostic::warning(
                display_path(&book.config.root, &book.config.demos_dir),
                "the demo runtime is not built, so the demos on these pages will not run",
            )
            .with_help("build it with `make demos` (or set [build] demos-dir in book.toml)"),
        );
    }
    Ok(Site { book, theme, pages, has_demos, warnings, steps, search })
}

/// Expands a chapter's directives and renders its Markdown.
fn render_chapter(book: &Book, chapter: &crate::book::Chapter) -> std::result::Result<RenderedMarkdown, Vec<Diagnostic>> {
    let path = book.config.src_dir.join(&chapter.source);
    let expanded = expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start)?;
    let mut rendered = render_markdown(&expanded)?;
    rendered.title = expanded.title;
    Ok(rendered)
}

/// Builds the book at `root` into `dest` (default: the book's `build-dir`). The previous
/// build is replaced only when everything succeeded.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<BuildReport> {
    let mut site = render_site(root)?;
    let started = Instant::now();
    let target = dest.map(Path::to_path_buf).unwrap_or_else(|| site.book.config.build_dir.clone());
    let staging = Staging::new(&site.book.config, &target)?;

    for page in &site.pages {
        staging.write(&page.path, page.html.as_bytes())?;
    }
    for file in &site.search.files {
        staging.write(&file.path, file.text.as_bytes())?;
    }
    for (path, source) in &site.theme.assets {
        let out = format!("static/{path}");
        match source {
            AssetSource::BuiltIn(bytes) => staging.write(&out, bytes)?,
            AssetSource::File(file) => staging.copy(file, &out)?,
        }
    }
    copy_book_files(&site.book.config, &staging)?;
    if site.has_demos {
        for build in DEMO_BUILDS {
            let dir = site.book.config.demos_dir.join(build);
            for file in files_under(&dir)? {
                let rel = relative(&dir, &file);
                if is_hidden(&rel) {
                    continue;
                }
                staging.copy(&file, &format!("static/demos/pkg/{build}/{rel}"))?;
            }
        }
    }
    site.steps.push(("write site", started.elapsed()));
    let pages = site.pages.len();
    let out_dir = staging.commit()?;
    Ok(BuildReport { out_dir, pages, warnings: site.warnings, steps: site.steps })
}

/// Checks the book at `root` without writing anything; returns the warnings.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>> {
    render_site(root).map(|site| site.warnings)
}

/// Copies the source folder's other files (images, downloads) beside the pages.
fn copy_book_files(config: &Config, staging: &Staging) -> Result<()> {
    for file in files_under(&config.src_dir)? {
        let rel = relative(&config.src_dir, &file);
        if is_hidden(&rel) || rel.ends_with(".md") {
            continue;
        }
        staging.copy(&file, &rel)?;
    }
    Ok(())
}

/// Files and folders whose names start with a dot are the build's own bookkeeping.
fn is_hidden(relative: &str) -> bool {
    relative.split('/').any(|part| part.starts_with('.'))
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// How `index.html` comes about.
enum FrontPage {
    /// A chapter already is `index.html` (or the book is empty).
    Exists,
    /// The first chapter is at the top level: render it a second time as `index.html`.
    Copy,
    /// The first chapter is in a folder: `index.html` sends the reader there.
    Redirect(String),
}

fn front_page(book: &Book) -> FrontPage {
    match book.chapters.first() {
        None => FrontPage::Exists,
        Some(_) if book.chapters.iter().any(|c| c.page == "index.html") => FrontPage::Exists,
        Some(first) if !first.page.contains('/') => FrontPage::Copy,
        Some(first) => FrontPage::Redirect(first.page.clone()),
    }
}

fn redirect_html(target: &str) -> String {
    let mut href = String::new();
    crate::markdown::escape_attr(&mut href, target);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirecting…</title>\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\"></head>\
         <body><p><a href=\"{href}\">Continue to the first chapter</a></p></body></html>\n"
    )
}
