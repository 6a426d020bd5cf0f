//! Watching the book's files while serving: which folders to watch, and what a changed
//! file means for the site ([`ChangeKind`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use crate::load::book::Book;
use crate::load::config::CONFIG_FILE;
use crate::core::error::{Error, Result};
use crate::load::summary::SUMMARY_FILE;

/// How long a file event waits before it is taken, so that an editor's save (often a
/// burst: truncate and write, or write a temporary file and rename it, within a few
/// milliseconds) comes as one change. A file still being written produces another event,
/// so a read that comes too early is followed by one that does not.
pub const QUIET_TIME: Duration = Duration::from_millis(16);

/// How long to wait, once a batch of changes has come, for the rest of the same save: the
/// debouncer takes each event `QUIET_TIME` after it happened, at ticks of a quarter of
/// that, so a burst can be split across two ticks.
pub const STRAGGLERS: Duration = Duration::from_millis(8);

/// A batch of changed files.
#[derive(Debug)]
pub struct Changes {
    pub paths: Vec<PathBuf>,
    /// When the first of them was reported by the operating system.
    pub since: Instant,
}

/// What a changed file means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// A chapter's Markdown: that chapter's page is rendered again, with the pages of the
    /// chapters that include the file (`included_by`, by index in the book).
    Chapter { index: usize, included_by: Vec<usize> },
    /// `SUMMARY.md`: chapters, titles, order and numbers may all have changed.
    Summary,
    /// `book.toml`.
    Config,
    /// A file of the theme (a template or a static file).
    Theme,
    /// A file of the source folder copied as it is (an image, a download), relative to it.
    ContentFile(String),
    /// A file pulled into chapters by `{{#include}}`; the chapters by index in the book.
    Included(Vec<usize>),
    /// A file SUMMARY.md lists that has no page (a draft by its front matter): it may
    /// have become a page.
    ListedFile,
    /// Nothing the site is made of: the build folder, hidden files, unlisted Markdown.
    Unrelated,
}

impl ChangeKind {
    /// True when the change can touch every page, so the whole book is built again.
    pub fn needs_full_build(&self) -> bool {
        matches!(self, ChangeKind::Summary | ChangeKind::Config | ChangeKind::Theme | ChangeKind::ListedFile)
    }
}

/// The files a book is made of, as known from its last build: what to watch, and what a
/// change to each file means.
#[derive(Debug, Clone)]
pub struct BookFiles {
    root: PathBuf,
    src_dir: PathBuf,
    /// The book's theme folder, or where one would be (`<root>/theme`).
    theme_dir: PathBuf,
    /// Where the site is written: changes there are our own.
    out_dir: PathBuf,
    chapters: HashMap<PathBuf, usize>,
    /// Every file SUMMARY.md links to, pages or not.
    listed: HashSet<PathBuf>,
    /// Included file → the chapters that include it.
    included: HashMap<PathBuf, Vec<usize>>,
}

impl BookFiles {
    /// `includes[i]` lists the files chapter `i` pulls in with `{{#include}}` (absolute paths).
    pub fn new(book: &Book, includes: &[Vec<PathBuf>], out_dir: &Path) -> BookFiles {
        let config = &book.config;
        let chapters =
            book.chapters.iter().enumerate().map(|(i, c)| (config.src_dir.join(&c.source), i)).collect();
        let listed = book
            .summary
            .chapters()
            .into_iter()
            .filter_map(|link| link.location.as_ref())
            .map(|location| config.src_dir.join(location))
            .collect();
        let mut included: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        for (i, files) in includes.iter().enumerate() {
            for file in files {
                let by = included.entry(file.clone()).or_default();
                if !by.contains(&i) {
                    by.push(i);
                }
            }
        }
        BookFiles {
            root: config.root.clone(),
            src_dir: config.src_dir.clone(),
            theme_dir: config.theme_dir.clone().unwrap_or_else(|| config.root.join("theme")),
            out_dir: out_dir.to_path_buf(),
            chapters,
            listed,
            included,
        }
    }

    /// What a change to `path` (absolute, as reported by the watcher) means.
    pub fn classify(&self, path: &Path) -> ChangeKind {
        if !self.is_in_book(path) {
            return ChangeKind::Unrelated;
        }
        if path == self.root.join(CONFIG_FILE) {
            return ChangeKind::Config;
        }
        if path == self.src_dir.join(SUMMARY_FILE) {
            return ChangeKind::Summary;
        }
        if path.starts_with(&self.theme_dir) {
            return ChangeKind::Theme;
        }
        if let Some(&index) = self.chapters.get(path) {
            let included_by = self.included.get(path).cloned().unwrap_or_default();
            return ChangeKind::Chapter { index, included_by };
        }
        if let Some(by) = self.included.get(path) {
            return ChangeKind::Included(by.clone());
        }
        if self.listed.contains(path) {
            return ChangeKind::ListedFile;
        }
        match path.strip_prefix(&self.src_dir) {
            Ok(rel) if rel.as_os_str().is_empty() => ChangeKind::Summary,
            Ok(rel) if rel.extension().is_some_and(|e| e == "md") => ChangeKind::Unrelated,
            Ok(rel) => ChangeKind::ContentFile(crate::core::fs::relative(Path::new(""), rel)),
            Err(_) => ChangeKind::Unrelated,
        }
    }

    /// True for a file in the book's folders that is not hidden and not built: one that a
    /// book whose last build failed may need, whatever it is.
    pub fn is_in_book(&self, path: &Path) -> bool {
        if path.starts_with(&self.out_dir) {
            return false;
        }
        let base = if path.starts_with(&self.theme_dir) { &self.theme_dir } else { &self.root };
        match path.strip_prefix(base) {
            // Editors' swap files, version control, our own staging folders are hidden.
            Ok(rel) => !rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')),
            Err(_) => false,
        }
    }

    /// The folders to watch: the book's root (for book.toml and a theme folder appearing),
    /// the source and theme folders with everything below them, and the folders of
    /// included files that are elsewhere.
    pub fn watch_list(&self) -> BTreeMap<PathBuf, RecursiveMode> {
        let mut list = BTreeMap::new();
        list.insert(self.root.clone(), RecursiveMode::NonRecursive);
        for dir in [&self.src_dir, &self.theme_dir] {
            if dir.is_dir() {
                list.insert(dir.clone(), RecursiveMode::Recursive);
            }
        }
        for file in self.included.keys() {
            let Some(dir) = file.parent() else { continue };
            let covered = dir == self.root || dir.starts_with(&self.src_dir) || dir.starts_with(&self.theme_dir);
            if !covered && dir.is_dir() {
                list.insert(dir.to_path_buf(), RecursiveMode::NonRecursive);
            }
        }
        list
    }
}

/// The default time between two looks at every watched file when polling.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// How changes are noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WatchMode {
    /// The operating system's file events (inotify, FSEvents, …).
    #[default]
    Events,
    /// Looking at every watched file (its modification time and contents) at this interval:
    /// for the file systems that send no events (network shares, some containers' and VMs'
    /// mounts).
    Poll(Duration),
}

/// The debouncer, on the operating system's events or on polling.
enum Debounced {
    Events(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

impl Debounced {
    fn watch(&mut self, dir: &Path, mode: RecursiveMode) -> notify_debouncer_full::notify::Result<()> {
        match self {
            Debounced::Events(d) => d.watch(dir, mode),
            Debounced::Poll(d) => d.watch(dir, mode),
        }
    }

    fn unwatch(&mut self, dir: &Path) -> notify_debouncer_full::notify::Result<()> {
        match self {
            Debounced::Events(d) => d.unwatch(dir),
            Debounced::Poll(d) => d.unwatch(dir),
        }
    }
}

/// The file watcher: reports batches of changed paths on a channel.
pub struct Watcher {
    debouncer: Debounced,
    watching: BTreeMap<PathBuf, RecursiveMode>,
}

impl Watcher {
    /// Starts watching the folders of `files` as `mode` says; changes arrive on the
    /// returned channel.
    pub fn start(files: &BookFiles, mode: WatchMode) -> Result<(Watcher, mpsc::Receiver<Changes>)> {
        let (sender, receiver) = mpsc::channel();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                // Reading a file is reported too (the build reads them all): only writes count.
                let events: Vec<_> = events.into_iter().filter(|e| is_write(&e.event.kind)).collect();
                let Some(since) = events.iter().map(|e| e.time).min() else { return };
                let mut paths: Vec<PathBuf> = events.into_iter().flat_map(|e| e.event.paths).collect();
                paths.sort();
                paths.dedup();
                let _ = sender.send(Changes { paths, since });
            }
            Err(errors) => {
                for e in errors {
                    log::warn!("watching the book's files: {e}");
                }
            }
        };
        let config = notify_debouncer_full::notify::Config::default();
        let debouncer = match mode {
            WatchMode::Events => new_debouncer_opt(QUIET_TIME, None, handler, RecommendedCache::new(), config)
                .map(Debounced::Events),
            WatchMode::Poll(every) => {
                // notify's poller keeps modification times in whole seconds: a second save
                // within the second of the first would go unseen. Comparing the files'
                // contents too sees it, at the cost of reading the watched files each time.
                let config = config.with_poll_interval(every).with_compare_contents(true);
                new_debouncer_opt(QUIET_TIME, None, handler, RecommendedCache::new(), config).map(Debounced::Poll)
            }
        }
        .map_err(|e| Error::io("watch", files.root.clone(), std::io::Error::other(e)))?;
        let mut watcher = Watcher { debouncer, watching: BTreeMap::new() };
        watcher.update(files, true);
        Ok((watcher, receiver))
    }

    /// Watches what `files` needs and stops watching the rest. `afresh` watches every
    /// folder again (after a whole build, folders may have been replaced).
    pub fn update(&mut self, files: &BookFiles, afresh: bool) {
        let wanted = files.watch_list();
        let stale: Vec<PathBuf> = self
            .watching
            .iter()
            .filter(|(dir, mode)| afresh || wanted.get(*dir) != Some(mode))
            .map(|(dir, _)| dir.clone())
            .collect();
        for dir in stale {
            let _ = self.debouncer.unwatch(&dir);
            self.watching.remove(&dir);
        }
        for (dir, mode) in wanted {
            if self.watching.contains_key(&dir) {
                continue;
            }
            match self.debouncer.watch(&dir, mode) {
                Ok(()) => {
                    self.watching.insert(dir, mode);
                }
                Err(e) => log::warn!("cannot watch {}: {e}", dir.display()),
            }
        }
    }
}

/// True for events that can mean a file's contents changed (not for reads).
fn is_write(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::config::Config;

    /// A book with chapters `a.md` and `part/b.md` (which `a.md` includes, with a file outside
    /// the source folder), a draft `c.md` and an unwritten chapter.
    fn files() -> BookFiles {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/part")).unwrap();
        std::fs::write(root.join("content/SUMMARY.md"), "- [A](a.md)\n  - [B](part/b.md)\n- [C](c.md)\n- [D]()\n").unwrap();
        std::fs::write(root.join("content/a.md"), "# A\n").unwrap();
        std::fs::write(root.join("content/part/b.md"), "# B\n").unwrap();
        std::fs::write(root.join("content/c.md"), "---\ndraft: true\n---\n# C\n").unwrap();
        let (config, _) = Config::from_str(root, "[build]\nbuild-dir = \"site\"\n").unwrap();
        let book = Book::load(config).unwrap();
        assert_eq!(book.chapters.len(), 2);
        let includes = vec![vec![root.join("snippets/code.rs"), root.join("content/part/b.md")], vec![]];
        let files = BookFiles::new(&book, &includes, &root.join("site"));
        // Keep the paths meaningful after the folder is gone.
        std::mem::forget(dir);
        files
    }

    #[test]
    fn chapters_summary_config_and_theme() {
        let f = files();
        let root = f.root.clone();
        assert_eq!(f.classify(&root.join("content/a.md")), ChangeKind::Chapter { index: 0, included_by: vec![] });
        assert_eq!(f.classify(&root.join("content/SUMMARY.md")), ChangeKind::Summary);
        assert_eq!(f.classify(&root.join("book.toml")), ChangeKind::Config);
        assert_eq!(f.classify(&root.join("theme/templates/page.html")), ChangeKind::Theme);
        assert_eq!(f.classify(&root.join("theme/static/style.css")), ChangeKind::Theme);
        assert!(ChangeKind::Summary.needs_full_build());
        assert!(ChangeKind::Config.needs_full_build());
        assert!(ChangeKind::Theme.needs_full_build());
        assert!(!ChangeKind::Chapter { index: 0, included_by: vec![] }.needs_full_build());
    }

    #[test]
    fn included_files_name_the_chapters_that_include_them() {
        let f = files();
        let root = f.root.clone();
        assert_eq!(f.classify(&root.join("snippets/code.rs")), ChangeKind::Included(vec![0]));
        // A chapter that another chapter includes renders both.
        assert_eq!(f.classify(&root.join("content/part/b.md")), ChangeKind::Chapter { index: 1, included_by: vec![0] });
    }

    #[test]
    fn content_files_drafts_and_unrelated_files() {
        let f = files();
        let root = f.root.clone();
        assert_eq!(f.classify(&root.join("content/images/dot.svg")), ChangeKind::ContentFile("images/dot.svg".into()));
        assert_eq!(f.classify(&root.join("content/c.md")), ChangeKind::ListedFile);
        assert!(ChangeKind::ListedFile.needs_full_build());
        assert_eq!(f.classify(&root.join("content/notes.md")), ChangeKind::Unrelated);
        assert!(f.is_in_book(&root.join("content/notes.md")), "it matters once a build has failed");
        assert!(!f.is_in_book(&root.join("site/a.html")));
        assert!(!f.is_in_book(&root.join("content/.a.md.swp")));
        assert_eq!(f.classify(&root.join("site/a.html")), ChangeKind::Unrelated, "the build folder is ours");
        assert_eq!(f.classify(&root.join(".site.building-1/a.html")), ChangeKind::Unrelated);
        assert_eq!(f.classify(&root.join("content/.a.md.swp")), ChangeKind::Unrelated);
        assert_eq!(f.classify(&root.join(".git/index")), ChangeKind::Unrelated);
        assert_eq!(f.classify(&root.join("README.md")), ChangeKind::Unrelated);
        assert_eq!(f.classify(&root.join("target/debug/x")), ChangeKind::Unrelated);
        assert_eq!(f.classify(Path::new("/elsewhere/a.md")), ChangeKind::Unrelated);
        // The source folder itself replaced (a checkout): everything may have changed.
        assert_eq!(f.classify(&root.join("content")), ChangeKind::Summary);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify_debouncer_full::notify::event::{CreateKind, ModifyKind};
        assert!(!is_write(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_write(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(is_write(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(is_write(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_write(&EventKind::Create(CreateKind::File)));
        assert!(is_write(&EventKind::Remove(notify_debouncer_full::notify::event::RemoveKind::File)));
    }

    #[test]
    fn watches_root_sources_and_folders_of_included_files() {
        let f = files();
        let root = f.root.clone();
        std::fs::create_dir_all(root.join("snippets")).unwrap();
        let list = f.watch_list();
        assert_eq!(list.get(&root), Some(&RecursiveMode::NonRecursive));
        assert_eq!(list.get(&root.join("content")), Some(&RecursiveMode::Recursive));
        assert_eq!(list.get(&root.join("snippets")), Some(&RecursiveMode::NonRecursive));
        assert!(!list.contains_key(&root.join("theme")), "no theme folder yet: the root's watch sees one appear");
        assert!(!list.contains_key(&root.join("content/part")), "covered by the source folder");
    }
}
