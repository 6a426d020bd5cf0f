//! The build pipeline, as a list of named, timed steps ([`build_site`]):
//! read book.toml → read chapters → run preprocessors (`book.toml`'s `[preprocessor.NAME]`,
//! over mdBook's JSON protocol) → load theme → render pages (every chapter through the
//! one chapter step, [`chapter`], in parallel, each page written as soon as it is rendered;
//! the print page chapter by chapter; the search index's headings and text a batch of
//! chapters at a time; the 404 page and the other generated files) → check links → index
//! for search (the term index, once every page's terms are in) → write site.
//!
//! Nothing grows with the book but the book itself and the search index's postings: the
//! navigation is rendered once and shared by every page (see `render/nav.rs`), pages are
//! written as they are rendered rather than held, the print page is written chapter by
//! chapter, and a chapter's text for search is written and dropped with its batch.
//!
//! `build` commits the staging folder in place of the build folder, `check` writes nothing,
//! and `serve` keeps the [`Built`] site to render edited chapters again with the same step.

pub(crate) mod chapter;
mod chapter_cache;
mod pages;
mod preprocess;
pub(crate) mod warm;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::links::LinkTargets;
use crate::check::targets::{link_targets, SiteOutline};
use crate::core::diagnostic::{display_path, Diagnostic, Severity};
use crate::core::error::{Error, Result};
use crate::core::fs::{files_under, is_hidden, read_text_file, relative, MAX_TEXT_BYTES};
use crate::load::book::Book;
use crate::load::config::Config;
use crate::parse::highlight::StyledScopes;
use crate::parse::markdown::MarkdownOptions;
use crate::parse::python_twin::{self, GeneratedTwin};
use crate::render::assets::{Assets, DemoRuntime};
use crate::render::nav::{Navigation, CONTENTS_PAGE};
use crate::render::print::{PrintBook, PRINT_PAGE};
use crate::render::site_files::{front_page, not_found_source, redirect_pages, FrontPage};
use crate::load::config::CONFIG_FILE;
use crate::load::mdbook_keys::NO_EFFECT;
use crate::render::theme::{AssetSource, Theme};
use crate::search::Indexer;
use crate::write::staging::Staging;

use chapter::{broken_links, ChapterOutput};
use chapter_cache::ChapterCache;
use pages::{render_pages, Pages};

/// The book and what every one of its pages is rendered with, made once per build.
pub(crate) struct Site {
    pub book: Book,
    pub theme: Theme,
    /// The theme's static files and the demo runtime, minified and named by their content.
    pub assets: Assets,
    /// The sidebar, rendered once for every page.
    pub nav: Navigation,
    /// The highlighting the site's stylesheets can show.
    pub styles: StyledScopes,
    /// Every chapter's key on the print page.
    pub print: PrintBook,
    /// How `index.html` comes about.
    pub front_page: FrontPage,
    /// The print page's path, when the book has one (a chapter may take its place).
    pub print_page: Option<&'static str>,
    /// The page of contents for readers without JavaScript, when the book has one.
    pub contents_page: Option<&'static str>,
    /// `[output.html.redirect]`'s pages: path and HTML.
    pub redirects: Vec<(String, String)>,
}

/// A whole build: the site, every chapter's output, and what the steps found.
pub(crate) struct Built {
    pub site: Site,
    /// Every chapter's output, in the book's order, its pages already written.
    pub chapters: Vec<ChapterOutput>,
    /// The book's own page for missing addresses (`404.md`), when it has one.
    pub not_found: Option<ChapterOutput>,
    /// Everything the links may point at.
    pub targets: LinkTargets,
    /// Links and images that point at nothing (as warnings), chapter by chapter: `build`
    /// reports them with the other warnings, `check` as errors.
    pub broken_links: Vec<Vec<Diagnostic>>,
    /// The same, in the book's own page for missing addresses.
    pub not_found_broken_links: Vec<Diagnostic>,
    /// Problems that do not stop a build, besides broken links.
    pub warnings: Vec<Diagnostic>,
    /// How many pages were rendered: the chapters' pages, `index.html` and the print page.
    pub pages: usize,
    /// How many chapters were read back from the chapter cache rather than made again.
    pub reused: usize,
    /// True when any page embeds a demo (the demo runtime is then copied).
    pub has_demos: bool,
    pub steps: Vec<(&'static str, Duration)>,
}

impl Built {
    /// Every broken link, chapter by chapter, then the page for missing addresses'.
    pub fn all_broken_links(&self) -> impl Iterator<Item = &Diagnostic> {
        self.broken_links.iter().flatten().chain(&self.not_found_broken_links)
    }
}

/// How strict a build is.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Fail (exit 1, nothing written) when there is any warning, broken links included.
    pub deny_warnings: bool,
    /// Build without running the book's `[preprocessor.NAME]` commands (with a warning).
    pub no_preprocessors: bool,
    /// Build even when nothing changed since the last build (see [`warm`]).
    pub force: bool,
}

/// What a finished build reports.
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    pub steps: Vec<(&'static str, Duration)>,
    /// True when nothing had changed since the last build, which was left as it was.
    pub up_to_date: bool,
    /// How many chapters were unchanged and read back from the last build's chapter cache
    /// (see `build/chapter_cache.rs`) rather than parsed and highlighted again.
    pub chapters_reused: usize,
}

/// Builds the book at `root` into `dest` (default: the book's `build-dir`). The previous
/// build is replaced only when everything succeeded, and left as it is when nothing
/// changed since (see [`warm`]).
pub fn build_with(root: &Path, dest: Option<&Path>, options: BuildOptions) -> Result<BuildReport> {
    let mut steps = Steps::default();
    let before = match steps.time("check cache", || warm::check(root, dest, options))? {
        warm::Warm::UpToDate(report) => return Ok(report),
        warm::Warm::Build(before) => before,
    };
    let (mut built, staging) = build_site(root, Some(dest), options)?;
    let staging = staging.ok_or_else(|| Error::Usage("nothing was written".to_owned()))?;
    let mut warnings = built.warnings.clone();
    warnings.extend(built.all_broken_links().cloned());
    if options.deny_warnings && !warnings.is_empty() {
        // Dropped uncommitted, the staging folder goes: the previous build stays as it was.
        drop(staging);
        return Err(Error::Content(warnings.into_iter().map(as_error).collect()));
    }
    if let (Some(before), true) = (&before, warnings.is_empty()) {
        let included = warm::included_files(&built);
        steps.time("record cache", || warm::record(&staging, &built.site.book.config, before, &included, built.pages))?;
    }
    let out_dir = staging.commit()?;
    steps.0.splice(1..1, built.steps.drain(..));
    Ok(BuildReport { out_dir, pages: built.pages, warnings, steps: steps.0, up_to_date: false, chapters_reused: built.reused })
}

/// Checks the book at `root` without writing anything; returns the warnings. Broken links
/// are errors here, listed after the warnings.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>> {
    check_with(root, BuildOptions::default())
}

/// [`check`], with the preprocessors left out when `options` says so.
pub fn check_with(root: &Path, options: BuildOptions) -> Result<Vec<Diagnostic>> {
    let (built, _) = build_site(root, None, options)?;
    if built.all_broken_links().next().is_none() {
        return Ok(built.warnings);
    }
    let broken: Vec<Diagnostic> = built.all_broken_links().cloned().map(as_error).collect();
    let mut problems = built.warnings;
    problems.extend(broken);
    Err(Error::Content(problems))
}

/// `error`, with `warnings` listed after its problems when it is the book's content that
/// failed, so that a failed build reports what it found on the way too.
fn with_warnings(error: Error, warnings: &[Diagnostic]) -> Error {
    match error {
        Error::Content(mut problems) => {
            problems.extend(warnings.iter().cloned());
            Error::Content(problems)
        }
        other => other,
    }
}

fn as_error(d: Diagnostic) -> Diagnostic {
    Diagnostic { severity: Severity::Error, ..d }
}

/// Builds the book at `root` into a staging folder for `dest` (default: the book's
/// `build-dir`), ready to be committed in place of the previous build.
pub(crate) fn build_into_staging(root: &Path, dest: Option<&Path>) -> Result<(Built, Staging)> {
    let (built, staging) = build_site(root, Some(dest), BuildOptions::default())?;
    let staging = staging.ok_or_else(|| Error::Usage("nothing was written".to_owned()))?;
    Ok((built, staging))
}

/// The pipeline: every step named and timed. With `dest`, the site is written into a
/// staging folder for `dest` (`Some(None)`: the book's build-dir); without, nothing is
/// written (`check`).
fn build_site(root: &Path, dest: Option<Option<&Path>>, options: BuildOptions) -> Result<(Built, Option<Staging>)> {
    let mut steps = Steps::default();
    let (config, mut warnings) = steps.time("read book.toml", || Config::load(root))?;
    let mut book = steps.time("read chapters", || Book::load(config))?;
    warnings.extend(book.warnings.iter().cloned());
    if options.no_preprocessors {
        warnings.extend(preprocess::not_run(&book));
    } else {
        steps.time("run preprocessors", || preprocess::run_preprocessors(&mut book, &mut warnings))?;
    }
    let site = steps.time("load theme", || Site::load(book, &mut warnings))?;
    // The search index is made while the pages are rendered, when the site is written.
    let mut search = dest.map(|_| Indexer::default());
    let (pages, staging, reused) = steps
        .time("render pages", || {
            let staging = staging_for(&site.book, dest)?;
            let cache = staging.as_ref().and_then(|staging| ChapterCache::open(staging, &site.styles, MarkdownOptions::of(&site.book.config.html), &site.print, options.force));
            let pages = render_pages(&site, staging.as_ref(), search.as_mut(), cache.as_ref())?;
            let reused = cache.as_ref().map_or(0, ChapterCache::reused);
            drop(cache);
            Ok((pages, staging, reused))
        })
        .map_err(|e| with_warnings(e, &warnings))?;
    let (targets, broken, not_found_broken) = steps.time("check links", || check_links(&site, &pages))?;
    if let (Some(staging), Some(search)) = (&staging, search) {
        steps.time("index for search", || search.finish(&mut |file| staging.write(&file.path, file.text.as_bytes())))?;
        steps.time("write site", || write_site(staging, &site, &pages))?;
    }
    warnings.extend(pages.chapters.iter().chain(&pages.not_found).flat_map(|c| c.html.warnings.iter().cloned()));
    warnings.extend(missing_demo_runtime(&site.book, pages.has_demos));
    let Pages { chapters, not_found, count, has_demos, .. } = pages;
    let built = Built {
        site,
        chapters,
        not_found,
        targets,
        broken_links: broken,
        not_found_broken_links: not_found_broken,
        warnings,
        pages: count,
        reused,
        has_demos,
        steps: steps.0,
    };
    Ok((built, staging))
}

/// The build's steps, each with the time it took.
#[derive(Default)]
struct Steps(Vec<(&'static str, Duration)>);

impl Steps {
    /// Runs the step `name`, timing it.
    fn time<T>(&mut self, name: &'static str, step: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = step();
        self.0.push((name, started.elapsed()));
        out
    }
}

impl Site {
    /// Loads the theme and makes what every page of `book` is rendered with. A chapter
    /// whose page is print.html takes the place of the print page, and one at toc.html
    /// the place of the contents page (with a warning in `warnings`).
    fn load(book: Book, warnings: &mut Vec<Diagnostic>) -> Result<Site> {
        let mut theme = Theme::load(&book.config.root, book.config.theme_dir.as_deref())?;
        warnings.extend(handlebars_theme(&book.config));
        let assets = Assets::prepare(&theme, &book.config.root, &book.config.demos_dir)?;
        assets.register(&mut theme.tera);
        let print_page = match book.config.html.print {
            true => generated_page(&book, PRINT_PAGE, "print page", "a print page of the whole book", warnings),
            false => None,
        };
        let contents_page = generated_page(&book, CONTENTS_PAGE, "page of contents for readers without JavaScript", "that page", warnings);
        let (redirects, problems) = redirect_pages(&book);
        for problem in problems {
            warnings.push(Diagnostic::warning(CONFIG_FILE, problem).with_help("see [output.html.redirect] in book.toml"));
        }
        Ok(Site {
            redirects,
            nav: Navigation::new(&book, contents_page.is_some()),
            styles: styled_scopes(&book, &theme),
            print: PrintBook::new(&book),
            front_page: front_page(&book),
            print_page,
            contents_page,
            theme,
            assets,
            book,
        })
    }
}

/// A warning for each of mdBook's Handlebars templates (`theme/*.hbs`) in the book's theme
/// folder: site-gen's templates are Tera (`theme/templates/page.html`).
fn handlebars_theme(config: &Config) -> Vec<Diagnostic> {
    let Some(dir) = &config.theme_dir else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".hbs")).collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let shown = display_path(&config.root, &dir.join(&name));
            Diagnostic::warning(shown, format!("mdBook's Handlebars template `{name}` {NO_EFFECT}: its templates are Tera"))
                .with_help("to change the pages, copy site-gen's theme/templates/page.html into the book's theme folder and edit it")
        })
        .collect()
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
            AssetSource::File(file) => match read_text_file(file, MAX_TEXT_BYTES) {
                Ok(text) => sheets.push(text),
                Err(_) => return StyledScopes::Everything,
            },
        }
    }
    for css in &book.config.html.additional_css {
        match read_text_file(&css.file, MAX_TEXT_BYTES) {
            Ok(text) => sheets.push(text),
            Err(_) => return StyledScopes::Everything,
        }
    }
    StyledScopes::from_stylesheets(sheets.iter().map(String::as_str))
}

/// The staging folder for `dest` (`Some(None)`: the book's build-dir), or none when
/// nothing is written.
fn staging_for(book: &Book, dest: Option<Option<&Path>>) -> Result<Option<Staging>> {
    let Some(dest) = dest else { return Ok(None) };
    let target = dest.map(Path::to_path_buf).unwrap_or_else(|| book.config.build_dir.clone());
    Staging::new(&book.config, &target).map(Some)
}

/// Gathers everything the links may point at and checks every page's links against it.
/// Returns the targets, the broken links chapter by chapter, and those of the page for
/// missing addresses.
fn check_links(site: &Site, pages: &Pages) -> Result<(LinkTargets, Vec<Vec<Diagnostic>>, Vec<Diagnostic>)> {
    let outline = SiteOutline {
        assets: &site.assets,
        front_page: &site.front_page,
        print_page: site.print_page,
        generated: &pages.generated,
        not_found_anchors: pages.not_found.as_ref().map(|n| n.html.anchors.as_slice()),
    };
    let anchors = pages.chapters.iter().map(|c| c.html.anchors.as_slice());
    let targets = link_targets(&site.book, anchors, &outline)?;
    let book = &site.book;
    let broken: Vec<Vec<Diagnostic>> =
        pages.chapters.par_iter().zip(&book.chapters).map(|(output, chapter)| output.broken_links(&targets, chapter)).collect();
    let not_found_broken = match &pages.not_found {
        Some(output) => broken_links(&targets, &not_found_source(book), output),
        None => Vec::new(),
    };
    Ok((targets, broken, not_found_broken))
}

/// Writes what is not a chapter's page (nor the search index, written as it is made): the
/// generated files, the theme's static files (the demo runtime's builds among them when a page has a demo), the
/// book's other files and the demos' Python twins.
fn write_site(staging: &Staging, site: &Site, pages: &Pages) -> Result<()> {
    for page in &pages.generated {
        staging.write(&page.path, page.html.as_bytes())?;
    }
    for file in site.assets.files.iter().filter(|f| pages.has_demos || !f.demo_runtime) {
        staging.write(&file.path, &file.bytes)?;
    }
    let config = &site.book.config;
    copy_book_files(config, staging)?;
    for file in config.html.additional_css.iter().chain(&config.html.additional_js) {
        staging.copy(&file.file, &file.site_path)?;
    }
    if pages.has_demos {
        let made = pages.chapters.iter().chain(&pages.not_found).flat_map(|c| &c.html.twins);
        write_python_twins(staging, &site.styles, made)?;
    }
    Ok(())
}

/// Copies the source folder's other files (images, downloads) beside the pages; every one
/// that is not a file (a pipe, a device, a loop of links) is reported.
fn copy_book_files(config: &Config, staging: &Staging) -> Result<()> {
    let mut problems = Vec::new();
    for file in files_under(&config.src_dir)? {
        let rel = relative(&config.src_dir, &file);
        if is_hidden(&rel) || rel.ends_with(".md") {
            continue;
        }
        match staging.copy(&file, &rel) {
            Err(Error::Content(mut found)) => problems.append(&mut found),
            other => other?,
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Content(problems))
    }
}

/// The demos' Python twins, and those `made` for the pages' blocks (each once), each beside its
/// highlighted HTML (as JSON): the figure's download link gives the script, and the page
/// fetches the HTML when the reader opens the twin.
fn write_python_twins<'t>(staging: &Staging, styles: &StyledScopes, made: impl Iterator<Item = &'t GeneratedTwin>) -> Result<()> {
    let mut scripts: BTreeMap<String, &str> =
        python_twin::scripts().into_iter().map(|(name, code)| (python_twin::file_name(name), code)).collect();
    for twin in made {
        scripts.entry(twin.file.clone()).or_insert(&twin.code);
    }
    let twins: Vec<(String, &str, String)> = scripts
        .into_par_iter()
        .map(|(file, code)| {
            let json = python_twin::highlighted_json(&file, code, styles);
            (file, code, json)
        })
        .collect();
    for (file, code, json) in twins {
        staging.write(&format!("{}/{file}", python_twin::TWINS_DIR), code.as_bytes())?;
        staging.write(&format!("{}/{file}.json", python_twin::TWINS_DIR), json.as_bytes())?;
    }
    Ok(())
}

/// A warning when pages embed demos but there is no demo runtime: neither in the book's
/// `demos-dir` nor built into `site-gen`.
fn missing_demo_runtime(book: &Book, has_demos: bool) -> Option<Diagnostic> {
    if !has_demos || !matches!(DemoRuntime::find(&book.config.demos_dir), DemoRuntime::Missing(_)) {
        return None;
    }
    let d = Diagnostic::warning(
        display_path(&book.config.root, &book.config.demos_dir),
        "the demo runtime is not built, so the demos on these pages will not run",
    );
    Some(d.with_help(
        "build it with `make demos` (or set [build] demos-dir in book.toml), or install a site-gen that carries it (`make install`)",
    ))
}
