//! The build pipeline, as a list of named, timed steps:
//! load settings → read the book → load the theme → render chapters (each chapter's
//! Markdown, its page and its part of the print page, chapters in parallel, each page
//! written as soon as it is rendered) → check links → write the rest of the site.
//!
//! Nothing grows with the book but the book itself: the navigation is rendered once and
//! shared by every page (see `nav.rs`), pages are written as they are rendered rather than
//! held, and the print page is written chapter by chapter.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::book::Book;
use crate::config::Config;
use crate::diagnostic::{display_path, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::highlight::StyledScopes;
use crate::include::{expand, Expanded};
use crate::links::{check_page_links, LinkRef, LinkTargets};
use crate::markdown::{parse_chapter, render_markdown, OwnPage, RenderedMarkdown};
use crate::nav::{Navigation, CONTENTS_PAGE, CONTENTS_SCRIPT};
use crate::output::Staging;
use crate::print::{PrintBook, PrintPage, PRINT_PAGE};
use crate::render::{render_not_found, render_page};
use crate::theme::{files_under, AssetSource, Theme};

/// The folders of the demo runtime: the threaded build and the single-threaded fallback.
pub const DEMO_BUILDS: [&str; 2] = ["threads", "single"];

/// Chapters rendered together before their part of the print page is written: enough to
/// keep every core busy, few enough that their HTML takes little memory.
const CHAPTERS_AT_ONCE: usize = 256;

/// One finished page.
pub struct Page {
    /// Relative to the site's root, `/`-separated.
    pub path: String,
    pub html: String,
}

/// The whole site, rendered (and, when building, written to a staging folder).
pub struct Site {
    pub book: Book,
    pub theme: Theme,
    /// The sidebar, rendered once for every page.
    pub nav: Navigation,
    /// The highlighting the site's stylesheets can show.
    pub styles: StyledScopes,
    /// The print page's path, when the book has one (a chapter may take its place).
    pub print_page: Option<&'static str>,
    /// How many pages were rendered: the chapters' pages, `index.html` and the print page.
    pub pages: usize,
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

/// What the later steps need of one rendered chapter (its HTML is already written).
struct ChapterDone {
    /// The page's title, headings and sections' text, for the search index.
    title: String,
    headings: Vec<crate::markdown::Heading>,
    sections: Vec<crate::search::SectionText>,
    links: Vec<LinkRef>,
    anchors: Vec<String>,
    has_demos: bool,
    /// Where each part of the chapter's text came from, for messages about its links.
    source_map: Expanded,
}

/// Loads and renders the book at `root`, writing nothing: what `check` does.
pub fn render_site(root: &Path) -> Result<Site> {
    render(root, None).map(|(site, _)| site)
}

/// Renders the book at `root` into a staging folder for `dest` (default: the book's
/// `build-dir`), ready to be committed in place of the previous build.
pub fn render_and_stage(root: &Path, dest: Option<&Path>) -> Result<(Site, Staging)> {
    let (site, staging) = render(root, Some(dest))?;
    let staging = staging.ok_or_else(|| Error::Usage("nothing was written".to_owned()))?;
    Ok((site, staging))
}

/// Renders the book at `root`; with `dest`, writes it into a staging folder for `dest`.
fn render(root: &Path, dest: Option<Option<&Path>>) -> Result<(Site, Option<Staging>)> {
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

    // A chapter whose page is print.html takes the place of the print page, and one at
    // toc.html the place of the contents page.
    let print_page = match book.config.html.print {
        true => generated_page(&book, PRINT_PAGE, "print page", "a print page of the whole book", &mut warnings),
        false => None,
    };
    let contents_page = generated_page(&book, CONTENTS_PAGE, "page of contents for readers without JavaScript", "that page", &mut warnings);
    let nav = Navigation::new(&book, contents_page.is_some());
    let styles = styled_scopes(&book, &theme);
    let print = PrintBook::new(&book);
    let front_page = front_page(&book);
    let staging = match dest {
        Some(dest) => Some(Staging::new(&book.config, &dest.map(Path::to_path_buf).unwrap_or_else(|| book.config.build_dir.clone()))?),
        None => None,
    };

    // The print page is written chapter by chapter; its template needs every title first.
    let titles: Vec<Option<String>> = book.chapters.par_iter().map(|c| directive_title(&book, c)).collect();
    let titles: Vec<Option<&str>> = titles.iter().map(Option::as_deref).collect();
    let mut print_out = match print_page {
        Some(path) => {
            let page = PrintPage::new(&theme, &book, &print, &titles)?;
            match &staging {
                Some(staging) => Some((page, staging.create(path)?)),
                // Checking: the template renders; the page itself is not needed.
                None => None,
            }
        }
        None => None,
    };

    let chapter_count = book.chapters.len();
    let mut chapters: Vec<ChapterDone> = Vec::with_capacity(chapter_count);
    let mut problems = Vec::new();
    let mut pages = 0;
    for start in (0..chapter_count).step_by(CHAPTERS_AT_ONCE) {
        let rendered: Vec<Result<(ChapterDone, String, usize)>> = (start..chapter_count.min(start + CHAPTERS_AT_ONCE))
            .into_par_iter()
            .map(|i| {
                let site = SiteParts { theme: &theme, book: &book, nav: &nav, styles: &styles, print: &print, front_page: &front_page, print_page };
                render_and_write_chapter(&site, i, staging.as_ref())
            })
            .collect();
        for r in rendered {
            match r {
                Ok((done, print_html, written)) => {
                    pages += written;
                    if let Some((page, _)) = &mut print_out {
                        page.push(print_html);
                    }
                    chapters.push(done);
                }
                Err(Error::Content(mut d)) => problems.append(&mut d),
                Err(e) => return Err(e),
            }
        }
        if let Some((page, file)) = &mut print_out {
            let ready = page.take_ready();
            file.write_all(&ready).map_err(|e| Error::io("write", Path::new(PRINT_PAGE), e))?;
        }
    }
    let not_found_markdown = match render_not_found_markdown(&book, &styles) {
        Ok(m) => m,
        Err(mut d) => {
            problems.append(&mut d);
            None
        }
    };
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    lap("render chapters", &mut steps);

    let has_404_chapter = book.chapters.iter().any(|c| c.page == NOT_FOUND_PAGE);
    let html = &book.config.html;
    let sitemap = html.site_url.as_ref().and_then(|s| crate::site_url::sitemap(s, book.chapters.iter().map(|c| c.page.as_str())));
    let mut generated = vec![Page { path: CONTENTS_SCRIPT.to_owned(), html: nav.script() }];
    if let Some(path) = contents_page {
        generated.push(Page { path: path.to_owned(), html: nav.contents_page_html(&book) });
    }
    if let Some(xml) = sitemap {
        generated.push(Page { path: "sitemap.xml".to_owned(), html: xml });
    }
    if let Some(cname) = &html.cname {
        generated.push(Page { path: "CNAME".to_owned(), html: format!("{cname}\n") });
    }
    generated.extend(crate::isolation::isolation_files(&theme));

    let anchors: Vec<&[String]> = chapters.iter().map(|c| c.anchors.as_slice()).collect();
    let targets = link_targets(&book, &theme, &anchors, not_found_markdown.as_ref(), &front_page, &generated, print_page)?;
    let mut broken_links: Vec<Diagnostic> = chapters
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, c)| {
            let from = slash_path(&book.chapters[i].source);
            check_page_links(&targets, &from, &c.links, &c.source_map, Severity::Warning)
        })
        .collect();
    if let Some((m, text)) = &not_found_markdown {
        broken_links.extend(check_page_links(&targets, &not_found_source(&book), &m.links, text, Severity::Warning));
    }
    lap("check links", &mut steps);

    if let FrontPage::Redirect(target) = &front_page {
        pages += 1;
        if let Some(staging) = &staging {
            staging.write("index.html", redirect_html(target).as_bytes())?;
        }
    }
    if !has_404_chapter {
        let base = html.site_url.as_ref().map_or("/", |s| s.path.as_str());
        let page = render_not_found(&theme, &book, &nav, base, not_found_markdown.as_ref().map(|(m, _)| m))?;
        generated.insert(0, Page { path: NOT_FOUND_PAGE.to_owned(), html: page });
    }
    if let Some((page, mut file)) = print_out.take() {
        let rest = page.finish(&theme, &book, &print, &titles)?;
        file.write_all(&rest).and_then(|()| file.flush()).map_err(|e| Error::io("write", Path::new(PRINT_PAGE), e))?;
        pages += 1;
    } else if print_page.is_some() {
        pages += 1;
    }
    let search = {
        let pages: Vec<crate::search::SearchPage<'_>> = book
            .chapters
            .iter()
            .zip(&chapters)
            .map(|(chapter, c)| crate::search::SearchPage {
                path: &chapter.page,
                title: &c.title,
                headings: &c.headings,
                sections: &c.sections,
            })
            .collect();
        crate::search::SearchIndex::build(&pages)
    };
    lap("index for search", &mut steps);
    let has_demos = chapters.iter().any(|c| c.has_demos) || not_found_markdown.as_ref().is_some_and(|(m, _)| !m.demos.is_empty());
    if let Some(staging) = &staging {
        write_rest(staging, &book, &theme, &generated, &search, has_demos)?;
    }
    lap("write site", &mut steps);

    if has_demos && !DEMO_BUILDS.iter().all(|b| book.config.demos_dir.join(b).is_dir()) {
        warnings.push(
            Diagnostic::warning(
                display_path(&book.config.root, &book.config.demos_dir),
                "the demo runtime is not built, so the demos on these pages will not run",
            )
            .with_help("build it with `make demos` (or set [build] demos-dir in book.toml)"),
        );
    }
    let site = Site { book, theme, nav, styles, print_page, pages, has_demos, warnings, broken_links, steps , search };
    Ok((site, staging))
}

/// `path` when the book generates that page; `None`, with a warning, when a chapter's
/// page is already there.
fn generated_page(book: &Book, path: &'static str, what: &str, lost: &str, warnings: &mut Vec<Diagnostic>) -> Option<&'static str> {
    match book.chapters.iter().find(|c| c.page == path) {
        _ if book.chapters.is_empty() => None,
        Some(c) => {
            warnings.push(
                Diagnostic::warning(&c.shown, format!("this chapter's page is {path}, so the book has no {what}"))
                    .with_help(format!("give the chapter's file another name to get {lost}")),
            );
            None
        }
        None => Some(path),
    }
}

/// A chapter's `{{#title}}`, found without rendering it (problems are reported when it is).
fn directive_title(book: &Book, chapter: &crate::book::Chapter) -> Option<String> {
    if !chapter.text[chapter.body_start..].contains("{{#") {
        return None;
    }
    let path = book.config.src_dir.join(&chapter.source);
    expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start).ok()?.title
}

/// What every chapter's page is rendered with.
struct SiteParts<'a> {
    theme: &'a Theme,
    book: &'a Book,
    nav: &'a Navigation,
    styles: &'a StyledScopes,
    print: &'a PrintBook,
    front_page: &'a FrontPage,
    print_page: Option<&'a str>,
}

/// The highlighting the site's stylesheets can show: the theme's CSS files and templates
/// and the book's `additional-css` (all of it when one cannot be read).
fn styled_scopes(book: &Book, theme: &Theme) -> StyledScopes {
    let mut sheets: Vec<String> = theme.sources.values().map(|(_, text)| text.clone()).collect();
    for (path, source) in &theme.assets {
        if !path.ends_with(".css") {
            continue;
        }
        match source {
            AssetSource::BuiltIn(bytes) => sheets.push(String::from_utf8_lossy(bytes).into_owned()),
            AssetSource::File(file) => match std::fs::read_to_string(file) {
                Ok(text) => sheets.push(text),
                Err(_) => return StyledScopes::Everything,
            },
        }
    }
    for path in &book.config.html.additional_css {
        match std::fs::read_to_string(book.config.root.join(path)) {
            Ok(text) => sheets.push(text),
            Err(_) => return StyledScopes::Everything,
        }
    }
    StyledScopes::from_stylesheets(sheets.iter().map(String::as_str))
}

/// Renders chapter `index`, writes its pages into `staging` (when building), and returns
/// what the later steps need, its print HTML and how many pages it made.
fn render_and_write_chapter(site: &SiteParts<'_>, index: usize, staging: Option<&Staging>) -> Result<(ChapterDone, String, usize)> {
    let SiteParts { theme, book, nav, styles, print, front_page, print_page } = *site;
    let (markdown, mut source_map) = render_chapter(book, &book.chapters[index], print, styles).map_err(Error::Content)?;
    let mut problems = Vec::new();
    let mut written = 0;
    for page in render_chapter_pages(theme, book, nav, index, &markdown, front_page, print_page) {
        match page {
            Ok(page) => {
                if let Some(staging) = staging {
                    staging.write(&page.path, page.html.as_bytes())?;
                }
                written += 1;
            }
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    source_map.forget_text();
    let title = crate::render::page_title(&book.chapters[index], &markdown).to_owned();
    let RenderedMarkdown { print_html, demos, links, anchors, headings, sections, .. } = markdown;
    Ok((ChapterDone { title, headings, sections, links, anchors, has_demos: !demos.is_empty(), source_map }, print_html, written))
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
    nav: &Navigation,
    index: usize,
    markdown: &RenderedMarkdown,
    front_page: &FrontPage,
    print_page: Option<&str>,
) -> Vec<std::result::Result<Page, Diagnostic>> {
    chapter_page_paths(book, index, front_page)
        .into_iter()
        .map(|path| render_page(theme, book, nav, index, &path, markdown, print_page).map(|html| Page { path, html }))
        .collect()
}

/// Expands a chapter's directives and renders its Markdown, for its own page and for the
/// print page; the expanded text is kept to point problems found later at the file they
/// were written in.
pub fn render_chapter(
    book: &Book,
    chapter: &crate::book::Chapter,
    print: &PrintBook,
    styles: &StyledScopes,
) -> std::result::Result<(RenderedMarkdown, Expanded), Vec<Diagnostic>> {
    let path = book.config.src_dir.join(&chapter.source);
    let expanded = expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start)?;
    let document = parse_chapter(&expanded, styles)?;
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
fn render_not_found_markdown(book: &Book, styles: &StyledScopes) -> std::result::Result<Option<(RenderedMarkdown, Expanded)>, Vec<Diagnostic>> {
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
    let mut rendered = render_markdown(&expanded, styles)?;
    rendered.title = expanded.title.clone();
    Ok(Some((rendered, expanded)))
}

/// Everything the book's links may point at.
fn link_targets(
    book: &Book,
    theme: &Theme,
    anchors: &[&[String]],
    not_found: Option<&(RenderedMarkdown, Expanded)>,
    front_page: &FrontPage,
    generated: &[Page],
    print_page: Option<&str>,
) -> Result<LinkTargets> {
    let config = &book.config;
    let files = files_under(&config.src_dir)?.into_iter().map(|f| relative(&config.src_dir, &f)).filter(|f| !is_hidden(f));
    let src_shown = slash_path(&display_path(&config.root, &config.src_dir));
    let mut targets = LinkTargets::new(&src_shown, files);
    for (chapter, anchors) in book.chapters.iter().zip(anchors) {
        targets.add_page(&slash_path(&chapter.source), &chapter.page, anchors.iter().cloned());
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
    if let Some(path) = print_page {
        targets.add_generated(path);
    }
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
    let (mut site, staging) = render_and_stage(root, dest)?;
    site.warnings.append(&mut site.broken_links);
    if options.deny_warnings && !site.warnings.is_empty() {
        // Dropped uncommitted, the staging folder goes: the previous build stays as it was.
        drop(staging);
        let problems = site.warnings.into_iter().map(|d| Diagnostic { severity: Severity::Error, ..d }).collect();
        return Err(Error::Content(problems));
    }
    let out_dir = staging.commit()?;
    Ok(BuildReport { out_dir, pages: site.pages, warnings: site.warnings, steps: site.steps })
}

/// Writes what is not a chapter's page: the generated files, the theme's static files, the
/// book's other files and the demo runtime.
fn write_rest(staging: &Staging, book: &Book, theme: &Theme, generated: &[Page], search: &crate::search::SearchIndex, has_demos: bool) -> Result<()> {
    for page in generated {
        staging.write(&page.path, page.html.as_bytes())?;
    }
    for file in &search.files {
        staging.write(&file.path, file.text.as_bytes())?;
    }
    for (path, source) in &theme.assets {
        let out = format!("static/{path}");
        match source {
            AssetSource::BuiltIn(bytes) => staging.write(&out, bytes)?,
            AssetSource::File(file) => staging.copy(file, &out)?,
        }
    }
    copy_book_files(&book.config, staging)?;
    let html = &book.config.html;
    for path in html.additional_css.iter().chain(&html.additional_js) {
        staging.copy(&book.config.root.join(path), path)?;
    }
    if has_demos {
        for build in DEMO_BUILDS {
            let dir = book.config.demos_dir.join(build);
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
    Ok(())
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
