//! The site as last built, kept in memory while serving (the book, the theme, the
//! navigation, every chapter's links and anchors), so that an edited chapter goes through
//! the build's chapter step again — its pages rendered, its links checked at once —
//! instead of the whole book.
//!
//! The build folder is the one `build` writes. A whole build goes through
//! [`Staging`](crate::write::staging::Staging) and replaces the folder only when it succeeded;
//! a single page is written beside its old version and renamed over it. Either way a
//! failed build leaves the last good site in place, on disk and in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::build::chapter::{broken_links, render_chapter, ChapterOutput};
use crate::build::{build_into_staging, Built};
use crate::core::diagnostic::{display_path, Diagnostic};
use crate::core::error::{Error, Result};
use crate::core::fs::{read_bytes, slash_path};
use crate::parse::python_twin::GeneratedTwin;
use crate::render::page::Page;
use crate::render::site_files::not_found_source;
use crate::write::staging::{remove_file, replace_file, replace_file_with_copy};

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

/// What a batch of changed files asks for.
#[derive(Default)]
struct Updates {
    /// Something every page may show changed.
    whole_book: bool,
    /// Chapters to render again, by index in the book.
    chapters: BTreeSet<usize>,
    /// Files of the source folder copied as they are: where they are, and relative to it.
    content_files: Vec<(PathBuf, String)>,
}

/// The last good site, and what is wrong with the book's files now, if anything.
pub struct LiveSite {
    built: Built,
    out_dir: PathBuf,
    files: BookFiles,
    swap: SwapLock,
    /// Why the last whole build failed, while it does.
    build_problems: Option<Error>,
    /// Chapters whose last edit could not be rendered; their last good pages stay.
    chapter_problems: BTreeMap<usize, Vec<Diagnostic>>,
}

impl LiveSite {
    /// Builds the book at `root` (an absolute path) into `dest` (default: its build-dir).
    /// Returns the site and the whole build's warnings, broken links included.
    pub fn build(root: &Path, dest: Option<&Path>, swap: SwapLock) -> Result<(LiveSite, Vec<Diagnostic>)> {
        let (mut built, out_dir) = whole_build(root, dest, &swap)?;
        let mut warnings = std::mem::take(&mut built.warnings);
        warnings.extend(built.all_broken_links().cloned());
        let files = book_files(&built, &out_dir);
        let live = LiveSite { built, out_dir, files, swap, build_problems: None, chapter_problems: BTreeMap::new() };
        Ok((live, warnings))
    }

    /// The build folder being served.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The paths of the build folder named by their content (files, and folders ending in
    /// `/`), as the last good whole build named them.
    pub fn immutable_paths(&self) -> &[String] {
        &self.built.site.assets.immutable
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

    /// The links and images of the site served that point at nothing: warnings, which do
    /// not keep a page from being written. None while the whole book cannot be built.
    pub fn warnings(&self) -> Vec<Problem> {
        if self.build_problems.is_some() {
            return Vec::new();
        }
        self.built.all_broken_links().map(Problem::from).collect()
    }

    /// Brings the site up to date with the changed files `paths` (absolute paths).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Outcome {
        let mut outcome = Outcome::default();
        let Some(changes) = self.classify(paths, &mut outcome) else { return outcome };
        // While the last whole build failed, what is in memory may not match the files.
        if changes.whole_book || self.build_problems.is_some() {
            return self.build_whole_book(outcome);
        }
        match self.apply_to_pages(changes, &mut outcome) {
            Ok(()) => {
                outcome.site_changed = outcome.pages + outcome.files > 0;
                outcome
            }
            Err(WholeBookNeeded) => self.build_whole_book(outcome),
        }
    }

    /// What the changed files `paths` mean; `None` when none matters. The files that
    /// matter are listed in `outcome`.
    fn classify(&self, paths: &[PathBuf], outcome: &mut Outcome) -> Option<Updates> {
        let mut changes = Updates::default();
        let root = &self.built.site.book.config.root;
        for path in paths {
            let kind = self.files.classify(path);
            // While the last whole build failed, what is known of the book may be out of
            // date: any file of the book may be the one that fixes it.
            let counts = kind != ChangeKind::Unrelated || (self.build_problems.is_some() && self.files.is_in_book(path));
            if !counts {
                continue;
            }
            log::debug!("{} changed: {kind:?}", path.display());
            outcome.changed.push(display_path(root, path).display().to_string());
            changes.whole_book |= kind.needs_full_build();
            match kind {
                ChangeKind::Chapter { index, included_by } => {
                    changes.chapters.insert(index);
                    changes.chapters.extend(included_by);
                }
                ChangeKind::Included(by) => changes.chapters.extend(by),
                ChangeKind::ContentFile(relative) => changes.content_files.push((path.clone(), relative)),
                _ => {}
            }
        }
        (!outcome.changed.is_empty()).then_some(changes)
    }

    /// Copies the changed content files and renders the changed chapters again.
    fn apply_to_pages(&mut self, mut changes: Updates, outcome: &mut Outcome) -> Result<(), WholeBookNeeded> {
        // A broken chapter is tried again on every change: what it was missing may be back.
        changes.chapters.extend(self.chapter_problems.keys().copied());
        for (path, relative) in changes.content_files {
            outcome.files += usize::from(self.update_content_file(&path, &relative)?);
        }
        let mut includes_changed = false;
        for index in changes.chapters {
            let included = self.built.chapters[index].included.clone();
            if let Some(pages) = self.render_chapter_again(index)? {
                outcome.pages += pages;
                includes_changed |= self.built.chapters[index].included != included;
            }
        }
        if includes_changed {
            self.files = book_files(&self.built, &self.out_dir);
        }
        Ok(())
    }

    fn build_whole_book(&mut self, mut outcome: Outcome) -> Outcome {
        outcome.whole_book = true;
        outcome.pages = 0;
        outcome.files = 0;
        let root = self.built.site.book.config.root.clone();
        self.chapter_problems.clear();
        match LiveSite::build(&root, Some(&self.out_dir), self.swap.clone()) {
            Ok((live, warnings)) => {
                outcome.pages = live.built.site.book.chapters.len();
                outcome.site_changed = true;
                outcome.warnings = warnings;
                *self = live;
            }
            Err(e) => self.build_problems = Some(e),
        }
        outcome
    }

    /// Reads chapter `index` from its file again and puts it through the chapter step,
    /// as a build does: its pages are written, and its links checked at once. `Ok(None)`
    /// when the chapter has problems now (they are kept, and its last good pages stay).
    fn render_chapter_again(&mut self, index: usize) -> Result<Option<usize>, WholeBookNeeded> {
        self.chapter_problems.remove(&index);
        let book = &self.built.site.book;
        if !book.config.preprocessors.is_empty() {
            // Preprocessors see the whole book: they run again over all of it.
            return Err(WholeBookNeeded);
        }
        let file = book.config.src_dir.join(&book.chapters[index].source);
        if !file.exists() {
            // Gone: the whole build reports it at its line in SUMMARY.md.
            return Err(WholeBookNeeded);
        }
        let edited = match book.read_chapter_again(index) {
            Ok(Some(chapter)) => chapter,
            // The chapter leaves the book (a draft now): the sidebar and neighbours change.
            Ok(None) => return Err(WholeBookNeeded),
            Err(Error::Content(problems)) => return Ok(self.chapter_failed(index, problems)),
            Err(e) => {
                let problem = Diagnostic::error(&book.chapters[index].shown, e.to_string());
                return Ok(self.chapter_failed(index, vec![problem]));
            }
        };
        let previous = std::mem::replace(&mut self.built.site.book.chapters[index], edited);
        let written = render_chapter(&self.built.site, index).and_then(|output| {
            if (!output.html.demos.is_empty() && !self.built.has_demos) || self.has_new_twin(&output.html.twins) {
                return Ok(None);
            }
            self.write_pages(&output.pages, &previous.shown).map(|written| Some((output, written)))
        });
        match written {
            Ok(Some((output, written))) => {
                self.chapter_rendered(index, output);
                Ok(Some(written))
            }
            // The book's first demo, or a workload's new Python twin: the demo runtime or the
            // twin must be written too.
            Ok(None) => {
                self.built.site.book.chapters[index] = previous;
                Err(WholeBookNeeded)
            }
            Err(problems) => {
                self.built.site.book.chapters[index] = previous;
                Ok(self.chapter_failed(index, problems))
            }
        }
    }

    /// Whether `twins` has one no page had when the site was written (a workload's new stages).
    fn has_new_twin(&self, twins: &[GeneratedTwin]) -> bool {
        let written = self.built.chapters.iter().chain(&self.built.not_found).flat_map(|c| &c.html.twins);
        let written: Vec<&str> = written.map(|twin| twin.file.as_str()).collect();
        twins.iter().any(|twin| !written.contains(&twin.file.as_str()))
    }

    /// Writes a chapter's pages over their old versions; returns how many changed.
    fn write_pages(&self, pages: &[Page], shown: &Path) -> Result<usize, Vec<Diagnostic>> {
        let mut written = 0;
        for page in pages {
            // Saved again unchanged (or one save reported twice): nothing to reload.
            if std::fs::read(self.out_dir.join(&page.path)).is_ok_and(|old| old == page.html.as_bytes()) {
                continue;
            }
            replace_file(&self.out_dir, &page.path, page.html.as_bytes()).map_err(|e| vec![Diagnostic::error(shown, e.to_string())])?;
            written += 1;
        }
        Ok(written)
    }

    /// Keeps chapter `index`'s new output and checks links: the chapter's own at once,
    /// and every page's when the chapter's anchors changed (a link to one of them may
    /// have broken, or been mended).
    fn chapter_rendered(&mut self, index: usize, mut output: ChapterOutput) {
        output.pages.clear();
        output.html.html = String::new();
        output.html.print_html = String::new();
        let built = &mut self.built;
        let chapter = &built.site.book.chapters[index];
        let anchors_changed = output.html.anchors != built.chapters[index].html.anchors;
        if anchors_changed {
            built.targets.replace_anchors(&slash_path(&chapter.source), output.html.anchors.iter().cloned());
        }
        built.broken_links[index] = output.broken_links(&built.targets, chapter);
        built.chapters[index] = output;
        if anchors_changed {
            recheck_links(built);
        }
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
            if read_bytes(path, u64::MAX).ok().is_some_and(|new| std::fs::read(&copied).is_ok_and(|old| old == new)) {
                return Ok(false);
            }
            return match replace_file_with_copy(&self.built.site.book.config.root, &self.out_dir, relative, path) {
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
fn whole_build(root: &Path, dest: Option<&Path>, swap: &SwapLock) -> Result<(Built, PathBuf)> {
    let (built, staging) = build_into_staging(root, dest)?;
    let out_dir = {
        let _swapping = swap.blocking_write();
        staging.commit()?
    };
    // As the watcher reports paths: with no `..` in it and symbolic links resolved.
    let out_dir = std::fs::canonicalize(&out_dir).unwrap_or(out_dir);
    Ok((built, out_dir))
}

/// The book's files as `built` knows them, the chapters' includes with them.
fn book_files(built: &Built, out_dir: &Path) -> BookFiles {
    let includes: Vec<Vec<PathBuf>> = built.chapters.iter().map(|c| c.included.clone()).collect();
    BookFiles::new(&built.site.book, &includes, out_dir)
}

/// Checks every page's links again, against the targets as they are now.
fn recheck_links(built: &mut Built) {
    let targets = &built.targets;
    let chapters = &built.site.book.chapters;
    built.broken_links = built.chapters.par_iter().zip(chapters).map(|(output, chapter)| output.broken_links(targets, chapter)).collect();
    if let Some(output) = &built.not_found {
        built.not_found_broken_links = broken_links(targets, &not_found_source(&built.site.book), output);
    }
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
        let root = live.built.site.book.config.root.clone();
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
        let root = live.built.site.book.config.root.clone();
        std::fs::write(root.join("content/preface.md"), "# Preface\n\nNew preface.\n").unwrap();
        let outcome = live.apply(&[root.join("content/preface.md")]);
        assert_eq!(outcome.pages, 2);
        assert!(std::fs::read_to_string(live.out_dir().join("index.html")).unwrap().contains("New preface."));
    }

    #[test]
    fn a_broken_chapter_keeps_its_last_good_page_until_fixed() {
        let (_dir, mut live) = built();
        let root = live.built.site.book.config.root.clone();
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
    fn a_broken_link_is_reported_as_soon_as_it_is_saved() {
        let (_dir, mut live) = built();
        let root = live.built.site.book.config.root.clone();
        assert!(live.warnings().is_empty());
        std::fs::write(root.join("content/basics.md"), "# Basics\n\n## Lists\n\nSee [the missing chapter](missing.md).\n").unwrap();
        let outcome = live.apply(&[root.join("content/basics.md")]);
        // A warning: the page is written all the same, as `build` writes it.
        assert_eq!((outcome.pages, outcome.site_changed), (1, true), "{outcome:?}");
        assert!(std::fs::read_to_string(live.out_dir().join("basics.html")).unwrap().contains("the missing chapter"));
        assert!(live.problems().is_empty());
        let warnings = live.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].place, "content/basics.md:5:5");
        assert!(warnings[0].text.contains("warning") && warnings[0].text.contains("there is no content/missing.md"), "{}", warnings[0].text);

        std::fs::write(root.join("content/basics.md"), "# Basics\n\n## Lists\n\nSee [the demo](demo.md).\n").unwrap();
        live.apply(&[root.join("content/basics.md")]);
        assert!(live.warnings().is_empty(), "{:?}", live.warnings());
    }

    #[test]
    fn a_removed_heading_breaks_the_links_to_it_from_other_chapters() {
        let (_dir, mut live) = built();
        let root = live.built.site.book.config.root.clone();
        // The preface links to `basics.md#lists`.
        std::fs::write(root.join("content/basics.md"), "# Basics\n\nNo lists any more.\n").unwrap();
        live.apply(&[root.join("content/basics.md")]);
        let warnings = live.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].place.starts_with("content/preface.md:3:"), "{warnings:?}");
        assert!(warnings[0].text.contains("has no heading or anchor `#lists`"), "{}", warnings[0].text);

        std::fs::write(root.join("content/basics.md"), "# Basics\n\n## Lists\n\nBack.\n").unwrap();
        live.apply(&[root.join("content/basics.md")]);
        assert!(live.warnings().is_empty(), "{:?}", live.warnings());
    }

    #[test]
    fn a_chapter_past_the_size_limit_keeps_its_last_good_page() {
        let (_dir, mut live) = built();
        let root = live.built.site.book.config.root.clone();
        let page = live.out_dir().join("basics.html");
        let good = std::fs::read_to_string(&page).unwrap();
        let huge = "# Basics\n\n".to_owned() + &"A line of text that goes on.\n".repeat(600_000);
        assert!(huge.len() as u64 > crate::load::book::MAX_CHAPTER_BYTES);
        std::fs::write(root.join("content/basics.md"), huge).unwrap();
        let outcome = live.apply(&[root.join("content/basics.md")]);
        assert!(!outcome.site_changed && !outcome.whole_book, "{outcome:?}");
        let problems = live.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        // As a build reports it: at the chapter's line in SUMMARY.md.
        assert!(problems[0].place.starts_with("content/SUMMARY.md:5:"), "{problems:?}");
        assert!(problems[0].text.contains("chapters may be at most 16 MiB"), "{}", problems[0].text);
        assert_eq!(std::fs::read_to_string(&page).unwrap(), good);
    }

    #[test]
    fn an_included_file_renders_the_chapters_that_include_it() {
        let (_dir, mut live) = built();
        let root = live.built.site.book.config.root.clone();
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
        let root = live.built.site.book.config.root.clone();
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
        let root = live.built.site.book.config.root.clone();
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
