//! The build pipeline, as a list of named, timed steps:
//! load settings → read the book → load the theme → render Markdown → check links →
//! render pages (each chapter's page and the print page) → write the site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::book::Book;
use crate::config::Config;
use crate::diagnostic::{display_path, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::include::{expand, Expanded};
use crate::links::{check_page_links, LinkTargets};
use crate::markdown::{parse_chapter, render_markdown, OwnPage, RenderedMarkdown};
use crate::output::Staging;
use crate::print::{render_print_page, PrintBook, PRINT_PAGE};
use crate::render::{render_not_found, render_page};
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
    /// Every chapter's rendered Markdown, in the order of `book.chapters`.
    pub markdown: Vec<RenderedMarkdown>,
    /// The print page's path, when the book has one (a chapter may take its place).
    pub print_page: Option<&'static str>,
    pub pages: Vec<Page>,
    /// Files made from the book's settings rather than its chapters: `404.html`, and
    /// `sitemap.xml` and `CNAME` when asked for.
    pub generated: Vec<Page>,
    /// True when any page embeds a demo (the demo runtime is then copied).
    pub has_demos: bool,
    /// Problems that do not stop a build. Broken links are kept apart, in `broken_links`.
    pub warnings: Vec<Diagnostic>,
    /// Links and images that point at nothing (as warnings): `build` reports them with
    /// the other warnings, `check` as errors.
    pub broken_links: Vec<Diagnostic>,
    pub steps: Vec<(&'static str, Duration)>,
    /// The search index's files.
    pub search: crate::search::SearchIndex,
}

/// How strict a build is.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Fail (exit 1, nothing written) when there is any warning, broken links included.
    pub deny_warnings: bool,
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

    // A chapter whose page is print.html takes the place of the print page.
    let print_page = match book.chapters.iter().find(|c| c.page == PRINT_PAGE) {
        _ if book.chapters.is_empty() => None,
        Some(c) => {
            warnings.push(
                Diagnostic::warning(&c.shown, format!("this chapter's page is {PRINT_PAGE}, so the book has no print page"))
                    .with_help("give the chapter's file another name to get a print page of the whole book"),
            );
            None
        }
        None => Some(PRINT_PAGE),
    };
    let print = PrintBook::new(&book);
    let rendered: Vec<std::result::Result<(RenderedMarkdown, Expanded), Vec<Diagnostic>>> =
        book.chapters.par_iter().map(|c| render_chapter(&book, c, &print)).collect();
    let mut problems = Vec::new();
    let mut markdown = Vec::with_capacity(rendered.len());
    let mut texts = Vec::with_capacity(rendered.len());
    for r in rendered {
        match r {
            Ok((m, text)) => {
                markdown.push(m);
                texts.push(text);
            }
            Err(mut d) => problems.append(&mut d),
        }
    }
    let not_found_markdown = match render_not_found_markdown(&book) {
        Ok(m) => m,
        Err(mut d) => {
            problems.append(&mut d);
            None
        }
    };
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    lap("render Markdown", &mut steps);

    let front_page = front_page(&book);
    let has_404_chapter = book.chapters.iter().any(|c| c.page == NOT_FOUND_PAGE);
    let html = &book.config.html;
    let sitemap = html.site_url.as_ref().and_then(|s| crate::site_url::sitemap(s, book.chapters.iter().map(|c| c.page.as_str())));
    let mut generated = Vec::new();
    if let Some(xml) = sitemap {
        generated.push(Page { path: "sitemap.xml".to_owned(), html: xml });
    }
    if let Some(cname) = &html.cname {
        generated.push(Page { path: "CNAME".to_owned(), html: format!("{cname}\n") });
    }
    generated.extend(crate::isolation::isolation_files(&theme));

    let targets = link_targets(&book, &theme, &markdown, not_found_markdown.as_ref(), &front_page, &generated)?;
    let mut broken_links: Vec<Diagnostic> = (0..book.chapters.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let from = slash_path(&book.chapters[i].source);
            check_page_links(&targets, &from, &markdown[i].links, &texts[i], Severity::Warning)
        })
        .collect();
    if let Some((m, text)) = &not_found_markdown {
        broken_links.extend(check_page_links(&targets, &not_found_source(&book), &m.links, text, Severity::Warning));
    }
    lap("check links", &mut steps);

    let results: Vec<std::result::Result<Page, Diagnostic>> = (0..book.chapters.len())
        .into_par_iter()
        .flat_map_iter(|i| render_chapter_pages(&theme, &book, i, &markdown[i], &front_page, print_page))
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
    if !has_404_chapter {
        let base = html.site_url.as_ref().map_or("/", |s| s.path.as_str());
        let page = render_not_found(&theme, &book, base, not_found_markdown.as_ref().map(|(m, _)| m))?;
        generated.insert(0, Page { path: NOT_FOUND_PAGE.to_owned(), html: page });
    }
    if let Some(path) = print_page {
        let html = render_print_page(&theme, &book, &print, &markdown)?;
        pages.push(Page { path: path.to_owned(), html });
    }
    lap("render pages", &mut steps);
    let search = crate::search::index_book(&book, &markdown);
    lap("index for search", &mut steps);

    let has_demos = markdown.iter().chain(not_found_markdown.as_ref().map(|(m, _)| m)).any(|m| !m.demos.is_empty());
    if has_demos && !DEMO_BUILDS.iter().all(|b| book.config.demos_dir.join(b).is_dir()) {
        warnings.push(
            Diagnostic::warning(
                display_path(&book.config.root, &book.config.demos_dir),
                "the demo runtime is not built, so the demos on these pages will not run",
            )
            .with_help("build it with `make demos` (or set [build] demos-dir in book.toml)"),
        );
    }
    Ok(Site { book, theme, markdown, pages, generated, print_page, has_demos, warnings, broken_links, steps, search })
}

/// The pages chapter `index` is written to: its own, and `index.html` as well when it is
/// the book's top-level first chapter.
pub fn chapter_page_paths(book: &Book, index: usize, front_page: &FrontPage) -> Vec<String> {
    let mut paths = vec![book.chapters[index].page.clone()];
    if index == 0 && matches!(front_page, FrontPage::Copy) {
        paths.push("index.html".to_owned());
    }
    paths
}

/// Renders chapter `index` (its Markdown already rendered) into each of its pages.
pub fn render_chapter_pages(
    theme: &Theme,
    book: &Book,
    index: usize,
    markdown: &RenderedMarkdown,
    front_page: &FrontPage,
    print_page: Option<&str>,
) -> Vec<std::result::Result<Page, Diagnostic>> {
    chapter_page_paths(book, index, front_page)
        .into_iter()
        .map(|path| render_page(theme, book, index, &path, markdown, print_page).map(|html| Page { path, html }))
        .collect()
}

/// Expands a chapter's directives and renders its Markdown, for its own page and for the
/// print page; the expanded text is kept to point problems found later at the file they
/// were written in.
pub fn render_chapter(
    book: &Book,
    chapter: &crate::book::Chapter,
    print: &PrintBook,
) -> std::result::Result<(RenderedMarkdown, Expanded), Vec<Diagnostic>> {
    let path = book.config.src_dir.join(&chapter.source);
    let expanded = expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start)?;
    let document = parse_chapter(&expanded)?;
    let html = document.to_html(&OwnPage);
    let print_html = document.to_html(&print.chapter(&chapter.page));
    let rendered = RenderedMarkdown {
        html,
        print_html,
        headings: document.headings,
        demos: document.demos,
        title: expanded.title.clone(),
        links: document.links,
        anchors: document.anchors,
        sections: document.sections,
    };
    Ok((rendered, expanded))
}

/// The page served for addresses that do not exist.
pub const NOT_FOUND_PAGE: &str = "404.html";

/// The book's Markdown for the 404 page (`[output.html] input-404`, default `404.md`), relative to the source folder.
fn not_found_source(book: &Book) -> String {
    book.config.html.input_404.as_deref().map_or_else(|| "404.md".to_owned(), slash_path)
}

/// The book's own 404 page, rendered, when it has one.
fn render_not_found_markdown(book: &Book) -> std::result::Result<Option<(RenderedMarkdown, Expanded)>, Vec<Diagnostic>> {
    let config = &book.config;
    let path = config.src_dir.join(not_found_source(book));
    let text: std::sync::Arc<str> = match crate::book::read_text(&config.root, &path) {
        Ok(Some(text)) => text.into(),
        Ok(None) => return Ok(None),
        Err(Error::Content(d)) => return Err(d),
        Err(e) => return Err(vec![Diagnostic::error(display_path(&config.root, &path), e.to_string())]),
    };
    let shown = display_path(&config.root, &path);
    let expanded = expand(&config.root, &path, &shown, text, 0)?;
    let mut rendered = render_markdown(&expanded)?;
    rendered.title = expanded.title.clone();
    Ok(Some((rendered, expanded)))
}

/// Everything the book's links may point at.
fn link_targets(
    book: &Book,
    theme: &Theme,
    markdown: &[RenderedMarkdown],
    not_found: Option<&(RenderedMarkdown, Expanded)>,
    front_page: &FrontPage,
    generated: &[Page],
) -> Result<LinkTargets> {
    let config = &book.config;
    let files = files_under(&config.src_dir)?.into_iter().map(|f| relative(&config.src_dir, &f)).filter(|f| !is_hidden(f));
    let src_shown = slash_path(&display_path(&config.root, &config.src_dir));
    let mut targets = LinkTargets::new(&src_shown, files);
    for (chapter, m) in book.chapters.iter().zip(markdown) {
        targets.add_page(&slash_path(&chapter.source), &chapter.page, m.anchors.iter().cloned());
    }
    if let Some((m, _)) = not_found {
        targets.add_page(&not_found_source(book), NOT_FOUND_PAGE, m.anchors.iter().cloned());
    }
    for link in book.summary.chapters() {
        if let Some(location) = &link.location {
            targets.add_listed(&slash_path(location));
        }
    }
    match (front_page, book.chapters.first()) {
        (FrontPage::Copy, Some(first)) => targets.add_alias("index.html", &slash_path(&first.source)),
        _ => targets.add_generated("index.html"),
    }
    targets.add_generated(NOT_FOUND_PAGE);
    for page in generated {
        targets.add_generated(&page.path);
    }
    for path in theme.assets.keys() {
        targets.add_generated(&format!("static/{path}"));
    }
    for path in config.html.additional_css.iter().chain(&config.html.additional_js) {
        targets.add_generated(path);
    }
    Ok(targets)
}

/// A relative path with `/` separators.
fn slash_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Builds the book at `root` into `dest` (default: the book's `build-dir`). The previous
/// build is replaced only when everything succeeded.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<BuildReport> {
    build_with(root, dest, BuildOptions::default())
}

/// [`build`], with options.
pub fn build_with(root: &Path, dest: Option<&Path>, options: BuildOptions) -> Result<BuildReport> {
    let mut site = render_site(root)?;
    site.warnings.append(&mut site.broken_links);
    if options.deny_warnings && !site.warnings.is_empty() {
        let problems = site.warnings.into_iter().map(|d| Diagnostic { severity: Severity::Error, ..d }).collect();
        return Err(Error::Content(problems));
    }
    let started = Instant::now();
    let staging = stage_site(&site, dest)?;
    site.steps.push(("write site", started.elapsed()));
    let pages = site.pages.len();
    let out_dir = staging.commit()?;
    Ok(BuildReport { out_dir, pages, warnings: site.warnings, steps: site.steps })
}

/// The folder a build writes to: `dest`, else the book's `build-dir`.
pub fn out_dir(site: &Site, dest: Option<&Path>) -> PathBuf {
    dest.map(Path::to_path_buf).unwrap_or_else(|| site.book.config.build_dir.clone())
}

/// Writes the whole rendered site into a staging folder beside its build folder, ready to
/// be committed in place of the previous build.
pub fn stage_site(site: &Site, dest: Option<&Path>) -> Result<Staging> {
    let staging = Staging::new(&site.book.config, &out_dir(site, dest))?;
    for page in site.pages.iter().chain(&site.generated) {
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
    let html = &site.book.config.html;
    for path in html.additional_css.iter().chain(&html.additional_js) {
        staging.copy(&site.book.config.root.join(path), path)?;
    }
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
        // The demos' Python twins, for the "download" link beside each.
        for (name, code) in crate::python_twin::scripts() {
            staging.write(&format!("static/demos/python/{}", crate::python_twin::file_name(name)), code.as_bytes())?;
        }
    }
    Ok(staging)
}

/// Checks the book at `root` without writing anything; returns the warnings. Broken links
/// are errors here, listed after the warnings.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>> {
    let site = render_site(root)?;
    if site.broken_links.is_empty() {
        return Ok(site.warnings);
    }
    let mut problems = site.warnings;
    problems.extend(site.broken_links.into_iter().map(|d| Diagnostic { severity: Severity::Error, ..d }));
    Err(Error::Content(problems))
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
pub fn is_hidden(relative: &str) -> bool {
    relative.split('/').any(|part| part.starts_with('.'))
}

/// `path` relative to `base`, `/`-separated.
pub fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// How `index.html` comes about.
pub enum FrontPage {
    /// A chapter already is `index.html` (or the book is empty).
    Exists,
    /// The first chapter is at the top level: render it a second time as `index.html`.
    Copy,
    /// The first chapter is in a folder: `index.html` sends the reader there.
    Redirect(String),
}

pub fn front_page(book: &Book) -> FrontPage {
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
