//! The site as last built, kept in memory while serving (the book, the theme and the
//! navigation), so that an edited chapter renders one page again instead
//! of the whole book.
//!
//! The build folder is the one `build` writes. A whole build goes through
//! [`Staging`](crate::output::Staging) and replaces the folder only when it succeeded;
//! a single page is written beside its old version and renamed over it. Either way a
//! failed build leaves the last good site in place, on disk and in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::book::{read_text, Book};
use crate::print::PrintBook;
use crate::build::{front_page, render_and_stage, render_chapter, render_chapter_pages, FrontPage, Site};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::front_matter::split_front_matter;
use crate::include::expand;
use crate::output::{remove_file, replace_file, replace_file_with_copy};

use super::reload::Problem;
use super::watch::{BookFiles, ChangeKind};

/// Held for reading while a request opens a file of the build folder, and for writing
/// while a whole build takes the folder's place, so that no request falls between the
/// two renames that swap the folders.
pub type SwapLock = Arc<tokio::sync::RwLock<()>>;

/// What applying a batch of changes did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The book files that changed and matter, as shown to the author.
    pub changed: Vec<String>,
    /// Chapter pages written again (a whole build counts every page).
    pub pages: usize,
    /// Other files copied into or removed from the build folder.
    pub files: usize,
    /// The whole book was built (successfully or not).
    pub whole_book: bool,
    /// The build folder changed: open pages reload.
    pub site_changed: bool,
    /// Warnings of a whole build.
    pub warnings: Vec<Diagnostic>,
}

/// Why one chapter cannot be handled alone.
struct WholeBookNeeded;

/// The last good site, and what is wrong with the book's files now, if anything.
pub struct LiveSite {
    site: Site,
    out_dir: PathBuf,
    front_page: FrontPage,
    /// The files each chapter includes (absolute paths).
    includes: Vec<Vec<PathBuf>>,
    files: BookFiles,
    swap: SwapLock,
    /// Why the last whole build failed, while it does.
    build_problems: Option<Error>,
    /// Chapters whose last edit could not be rendered; their last good pages stay.
    chapter_problems: BTreeMap<usize, Vec<Diagnostic>>,
}

impl LiveSite {
    /// Builds the book at `root` (an absolute path) into `dest` (default: its build-dir).
    /// Returns the site and the whole build's warnings.
    pub fn build(root: &Path, dest: Option<&Path>, swap: SwapLock) -> Result<(LiveSite, Vec<Diagnostic>)> {
        let (mut site, out_dir) = whole_build(root, dest, &swap)?;
        let warnings = std::mem::take(&mut site.warnings);
        let includes = (0..site.book.chapters.len()).map(|i| included_files(&site.book, i)).collect::<Vec<_>>();
        let files = BookFiles::new(&site.book, &includes, &out_dir);
        let front_page = front_page(&site.book);
        let live = LiveSite {
            site,
            out_dir,
            front_page,
            includes,
            files,
            swap,
            build_problems: None,
            chapter_problems: BTreeMap::new(),
        };
        Ok((live, warnings))
    }

    /// The build folder being served.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The book's files as of the last good build.
    pub fn files(&self) -> &BookFiles {
        &self.files
    }

    /// Everything wrong with the book's files now (empty when the site is up to date).
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = match &self.build_problems {
            Some(e) => Problem::all_of(e),
            None => Vec::new(),
        };
        problems.extend(self.chapter_problems.values().flatten().map(Problem::from));
        problems
    }

    /// Brings the site up to date with the changed files `paths` (absolute paths).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Outcome {
        let mut outcome = Outcome::default();
        let mut chapters = BTreeSet::new();
        let mut content_files = Vec::new();
        let mut whole_book = false;
        let root = self.site.book.config.root.clone();
        for path in paths {
            let kind = self.files.classify(path);
            // While the last whole build failed, what is known of the book may be out of
            // date: any file of the book may be the one that fixes it.
            let counts = kind != ChangeKind::Unrelated || (self.build_problems.is_some() && self.files.is_in_book(path));
            if !counts {
                continue;
            }
            log::debug!("{} changed: {kind:?}", path.display());
            outcome.changed.push(crate::diagnostic::display_path(&root, path).display().to_string());
            whole_book |= kind.needs_full_build();
            match kind {
                ChangeKind::Chapter { index, included_by } => {
                    chapters.insert(index);
                    chapters.extend(included_by);
                }
                ChangeKind::Included(by) => chapters.extend(by),
                ChangeKind::ContentFile(relative) => content_files.push((path.clone(), relative)),
                _ => {}
            }
        }
        if outcome.changed.is_empty() {
            return outcome;
        }
        // While the last whole build failed, what is in memory may not match the files.
        if whole_book || self.build_problems.is_some() {
            return self.build_whole_book(outcome);
        }
        // A broken chapter is tried again on every change: what it was missing may be back.
        chapters.extend(self.chapter_problems.keys().copied());
        for (path, relative) in content_files {
            match self.update_content_file(&path, &relative) {
                Ok(changed) => outcome.files += usize::from(changed),
                Err(WholeBookNeeded) => return self.build_whole_book(outcome),
            }
        }
        let mut includes_changed = false;
        for index in chapters {
            match self.render_chapter_again(index) {
                Ok(Some(pages)) => {
                    outcome.pages += pages;
                    let includes = included_files(&self.site.book, index);
                    includes_changed |= includes != self.includes[index];
                    self.includes[index] = includes;
                }
                Ok(None) => {}
                Err(WholeBookNeeded) => return self.build_whole_book(outcome),
            }
        }
        if includes_changed {
            self.files = BookFiles::new(&self.site.book, &self.includes, &self.out_dir);
        }
        outcome.site_changed = outcome.pages + outcome.files > 0;
        outcome
    }

    fn build_whole_book(&mut self, mut outcome: Outcome) -> Outcome {
        outcome.whole_book = true;
        outcome.pages = 0;
        outcome.files = 0;
        let root = self.site.book.config.root.clone();
        self.chapter_problems.clear();
        match LiveSite::build(&root, Some(&self.out_dir), self.swap.clone()) {
            Ok((live, warnings)) => {
                outcome.pages = live.site.book.chapters.len();
                outcome.site_changed = true;
                outcome.warnings = warnings;
                *self = live;
            }
            Err(e) => self.build_problems = Some(e),
        }
        outcome
    }

    /// Renders chapter `index` from its file again and writes its pages. `Ok(None)` when
    /// the chapter has problems now (they are kept, and its last good pages stay).
    fn render_chapter_again(&mut self, index: usize) -> Result<Option<usize>, WholeBookNeeded> {
        self.chapter_problems.remove(&index);
        let book = &self.site.book;
        let chapter = &book.chapters[index];
        let path = book.config.src_dir.join(&chapter.source);
        let text = match read_text(&book.config.root, &path) {
            Ok(Some(text)) => text,
            // Gone: the whole build reports it at its line in SUMMARY.md.
            Ok(None) => return Err(WholeBookNeeded),
            Err(Error::Content(problems)) => return Ok(self.chapter_failed(index, problems)),
            Err(e) => return Ok(self.chapter_failed(index, vec![Diagnostic::error(&chapter.shown, e.to_string())])),
        };
        let (front, body_start) = match split_front_matter(&chapter.shown, &text) {
            Ok(split) => split,
            Err(d) => return Ok(self.chapter_failed(index, vec![d])),
        };
        if front.draft {
            // The chapter leaves the book: the sidebar and neighbours change.
            return Err(WholeBookNeeded);
        }
        let mut edited = chapter.clone();
        edited.text = Arc::from(text);
        edited.front = front;
        edited.body_start = body_start;
        let markdown = match render_chapter(book, &edited, &PrintBook::new(book), &self.site.styles).map(|(markdown, _)| markdown) {
            Ok(markdown) => markdown,
            Err(problems) => return Ok(self.chapter_failed(index, problems)),
        };
        if !markdown.demos.is_empty() && !self.site.has_demos {
            // The book's first demo: the demo runtime must be copied too.
            return Err(WholeBookNeeded);
        }

        let previous = std::mem::replace(&mut self.site.book.chapters[index], edited);
        let rendered = render_chapter_pages(&self.site.theme, &self.site.book, &self.site.nav, index, &markdown, &self.front_page, self.site.print_page);
        let mut pages = Vec::with_capacity(rendered.len());
        let mut problems = Vec::new();
        for page in rendered {
            match page {
                Ok(page) => pages.push(page),
                Err(d) => problems.push(d),
            }
        }
        let mut written = 0;
        if problems.is_empty() {
            for page in &pages {
                // Saved again unchanged (or one save reported twice): nothing to reload.
                if std::fs::read(self.out_dir.join(&page.path)).is_ok_and(|old| old == page.html.as_bytes()) {
                    continue;
                }
                match replace_file(&self.out_dir, &page.path, page.html.as_bytes()) {
                    Ok(()) => written += 1,
                    Err(e) => problems.push(Diagnostic::error(&previous.shown, e.to_string())),
                }
            }
        }
        if !problems.is_empty() {
            self.site.book.chapters[index] = previous;
            return Ok(self.chapter_failed(index, problems));
        }
        Ok(Some(written))
    }

    fn chapter_failed(&mut self, index: usize, problems: Vec<Diagnostic>) -> Option<usize> {
        self.chapter_problems.insert(index, problems);
        None
    }

    /// Copies a changed file of the source folder into the build folder, or removes it
    /// there when it is gone. Returns whether the build folder changed.
    fn update_content_file(&self, path: &Path, relative: &str) -> Result<bool, WholeBookNeeded> {
        if path.is_dir() {
            // A new folder of files: simplest to take everything in it at once.
            return Err(WholeBookNeeded);
        }
        if path.is_file() {
            let copied = self.out_dir.join(relative);
            if std::fs::read(path).ok().is_some_and(|new| std::fs::read(&copied).is_ok_and(|old| old == new)) {
                return Ok(false);
            }
            return match replace_file_with_copy(&self.out_dir, relative, path) {
                Ok(()) => Ok(true),
                // Gone again already (an editor's temporary file): its removal follows.
                Err(e) => {
                    log::debug!("{e}");
                    Ok(false)
                }
            };
        }
        let copied = self.out_dir.join(relative);
        if copied.is_dir() {
            return Err(WholeBookNeeded);
        }
        if copied.is_file() {
            return Ok(remove_file(&self.out_dir, relative).is_ok());
        }
        Ok(false)
    }
}

/// Builds the whole book into a staging folder and puts it in place of the build folder.
fn whole_build(root: &Path, dest: Option<&Path>, swap: &SwapLock) -> Result<(Site, PathBuf)> {
    let (site, staging) = render_and_stage(root, dest)?;
    let out_dir = {
        let _swapping = swap.blocking_write();
        staging.commit()?
    };
    // As the watcher reports paths: with no `..` in it and symbolic links resolved.
    let out_dir = std::fs::canonicalize(&out_dir).unwrap_or(out_dir);
    Ok((site, out_dir))
}

/// The files chapter `index` pulls in with `{{#include}}`, as absolute paths.
fn included_files(book: &Book, index: usize) -> Vec<PathBuf> {
    let chapter = &book.chapters[index];
    if !chapter.text[chapter.body_start..].contains("{{#") {
        return Vec::new();
    }
    let path = book.config.src_dir.join(&chapter.source);
    let Ok(expanded) = expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for segment in &expanded.segments {
        let file = book.config.root.join(&segment.file);
        if segment.file != chapter.shown && !files.contains(&file) {
            files.push(file);
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the fixture book in a temporary folder, built.
    fn built() -> (tempfile::TempDir, LiveSite) {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        copy_tree(&fixture, dir.path());
        std::fs::create_dir_all(dir.path().join("snippets")).unwrap();
        std::fs::write(dir.path().join("snippets/note.md"), "Included text one.\n").unwrap();
        let colophon = dir.path().join("content/colophon.md");
        let text = std::fs::read_to_string(&colophon).unwrap();
        std::fs::write(&colophon, format!("{text}\n{{{{#include ../snippets/note.md}}}}\n")).unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let (live, _) = LiveSite::build(&root, None, SwapLock::default()).unwrap();
        (dir, live)
    }

    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy_tree(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }

    fn modified(path: &Path) -> std::time::SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn an_edited_chapter_renders_only_its_page() {
        let (_dir, mut live) = built();
        let root = live.site.book.config.root.clone();
        let out = live.out_dir().to_path_buf();
        let before = modified(&out.join("preface.html"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(root.join("content/basics.md"), "# Basics\n\nEdited text.\n").unwrap();
        let outcome = live.apply(&[root.join("content/basics.md")]);
        assert_eq!((outcome.pages, outcome.whole_book, outcome.site_changed), (1, false, true), "{outcome:?}");
        assert!(std::fs::read_to_string(out.join("basics.html")).unwrap().contains("Edited text."));
        assert_eq!(modified(&out.join("preface.html")), before, "other pages are not written");
        assert!(live.problems().is_empty());

        // Saved again unchanged: nothing is written, open pages need not reload.
        let outcome = live.apply(&[root.join("content/basics.md")]);
        assert_eq!((outcome.pages, outcome.site_changed), (0, false), "{outcome:?}");
        assert_eq!(outcome.changed, ["content/basics.md"]);
    }

    #[test]
    fn the_first_chapter_also_renders_the_front_page() {
        let (_dir, mut live) = built();
        let root = live.site.book.config.root.clone();
        std::fs::write(root.join("content/preface.md"), "# Preface\n\nNew preface.\n").unwrap();
        let outcome = live.apply(&[root.join("content/preface.md")]);
        assert_eq!(outcome.pages, 2);
        assert!(std::fs::read_to_string(live.out_dir().join("index.html")).unwrap().contains("New preface."));
    }

    #[test]
    fn a_broken_chapter_keeps_its_last_good_page_until_fixed() {
        let (_dir, mut live) = built();
        let root = live.site.book.config.root.clone();
        let page = live.out_dir().join("basics.html");
        let good = std::fs::read_to_string(&page).unwrap();
        std::fs::write(root.join("content/basics.md"), "# Basics\n\n```demo\nname = \"nope\"\n```\n").unwrap();
        let outcome = live.apply(&[root.join("content/basics.md")]);
        assert!(!outcome.site_changed);
        let problems = live.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].place.starts_with("content/basics.md:4:"), "{problems:?}");
        assert_eq!(std::fs::read_to_string(&page).unwrap(), good);

        // Another chapter still renders while this one is broken.
        std::fs::write(root.join("content/colophon.md"), "# Colophon\n\nStill here.\n").unwrap();
        let outcome = live.apply(&[root.join("content/colophon.md")]);
        assert_eq!(outcome.pages, 1);
        assert_eq!(live.problems().len(), 1);

        std::fs::write(root.join("content/basics.md"), "# Basics\n\nFixed.\n").unwrap();
        let outcome = live.apply(&[root.join("content/basics.md")]);
        assert!(outcome.site_changed);
        assert!(live.problems().is_empty());
        assert!(std::fs::read_to_string(&page).unwrap().contains("Fixed."));
    }

    #[test]
    fn an_included_file_renders_the_chapters_that_include_it() {
        let (_dir, mut live) = built();
        let root = live.site.book.config.root.clone();
        assert!(std::fs::read_to_string(live.out_dir().join("colophon.html")).unwrap().contains("Included text one."));
        std::fs::write(root.join("snippets/note.md"), "Included text two.\n").unwrap();
        let outcome = live.apply(&[root.join("snippets/note.md")]);
        assert_eq!((outcome.pages, outcome.whole_book), (1, false));
        assert!(std::fs::read_to_string(live.out_dir().join("colophon.html")).unwrap().contains("Included text two."));
        assert!(live.files().watch_list().contains_key(&root.join("snippets")));
    }

    #[test]
    fn summary_changes_build_the_whole_book_and_failures_keep_the_last_good_one() {
        let (_dir, mut live) = built();
        let root = live.site.book.config.root.clone();
        let summary = root.join("content/SUMMARY.md");
        let good = std::fs::read_to_string(&summary).unwrap();
        std::fs::write(&summary, good.replace("- [Demo page](demo.md)\n", "- [Demo page](demo.md)\n- [Missing](missing.md)\n")).unwrap();
        let outcome = live.apply(std::slice::from_ref(&summary));
        assert!(outcome.whole_book && !outcome.site_changed);
        assert!(live.problems()[0].place.starts_with("content/SUMMARY.md:"), "{:?}", live.problems());
        assert!(live.out_dir().join("basics.html").is_file(), "the last good build stays");

        // While the whole build fails, any change builds the whole book again.
        std::fs::write(root.join("content/missing.md"), "# Missing\n").unwrap();
        let outcome = live.apply(&[root.join("content/missing.md")]);
        assert!(outcome.whole_book && outcome.site_changed, "{outcome:?} {:?}", live.problems());
        assert!(live.problems().is_empty());
        assert!(live.out_dir().join("missing.html").is_file());
        assert!(matches!(live.files().classify(&root.join("content/missing.md")), ChangeKind::Chapter { .. }));
    }

    #[test]
    fn content_files_are_copied_and_removed() {
        let (_dir, mut live) = built();
        let root = live.site.book.config.root.clone();
        let image = root.join("content/images/new.svg");
        std::fs::write(&image, "<svg/>").unwrap();
        let outcome = live.apply(std::slice::from_ref(&image));
        assert_eq!((outcome.files, outcome.pages), (1, 0));
        assert!(live.out_dir().join("images/new.svg").is_file());
        std::fs::remove_file(&image).unwrap();
        live.apply(std::slice::from_ref(&image));
        assert!(!live.out_dir().join("images/new.svg").exists());
        let outcome = live.apply(&[root.join("README.md"), live.out_dir().join("basics.html")]);
        assert!(outcome.changed.is_empty() && !outcome.site_changed);
    }
}
