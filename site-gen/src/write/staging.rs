//! Writing the site safely: everything goes into a staging folder beside the build
//! folder, which replaces the previous build only once the whole build has succeeded.
//!
//! A build that fails leaves the previous output exactly as it was. A build folder is only
//! ever replaced when it is empty or carries our marker file, and never when it is (or
//! holds) the book's own sources: `site-gen` never deletes a file it did not write.
//!
//! One build at a time writes a build folder ([`BuildLock`]). A build that was killed
//! leaves its staging folder behind; the next build into the same folder removes it (and,
//! if the kill came between the two renames of a swap, puts the previous build back). The
//! swap itself is one atomic exchange of the two folders where the system has one
//! (Linux's `renameat2`), so that at every moment the build folder is a complete site.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::core::diagnostic::{display_path, Diagnostic};
use crate::core::error::{Error, Result};
use crate::core::fs::{open_regular, FileProblem};
use crate::core::hash::{hash_bytes, FileHash};
use crate::load::config::Config;
use crate::write::lock::{BuildLock, LOCK_WAIT};

/// The file that marks a folder as written by `site-gen`.
pub const MARKER_FILE: &str = ".site-gen-output";

const MARKER_TEXT: &str = "This folder is written by site-gen and replaced on every build.\n";

/// A build in progress: a staging folder that becomes the build folder on [`Staging::commit`].
/// Dropped without committing, it removes itself.
pub struct Staging {
    dir: PathBuf,
    /// The hash of each file written whole with [`Staging::write`], by its relative path,
    /// so that the build's record need not read it back.
    written: Mutex<HashMap<String, FileHash>>,
    target: PathBuf,
    /// The book's root, to name the book's files in problems.
    root: PathBuf,
    committed: bool,
    _lock: BuildLock,
}

impl Staging {
    /// Checks that `target` may be replaced, takes its lock (waiting for another build
    /// writing it), removes what killed builds left there, then creates a staging folder
    /// beside it.
    pub fn new(config: &Config, target: &Path) -> Result<Staging> {
        let target = absolute(target)?;
        check_not_sources(config, &target)?;
        let parent = target.parent().ok_or_else(|| Error::Usage(format!("cannot build into {}", target.display())))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create the folder", parent, kept_as_it_was(&target, e)))?;
        let lock = BuildLock::acquire(&target, LOCK_WAIT).map_err(|e| match e {
            Error::Io { path, action, source } => Error::Io { path, action, source: kept_as_it_was(&target, source) },
            other => other,
        })?;
        clean_up_after_killed_builds(&target);
        check_replaceable(&target)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = parent.join(format!(".{name}{STAGING_INFIX}{}", std::process::id()));
        let kept = |e| kept_as_it_was(&target, e);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io("remove the old staging folder", &dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create the folder", &dir, kept(e)))?;
        let written = Mutex::default();
        let staging = Staging { dir, written, target: target.clone(), root: config.root.clone(), committed: false, _lock: lock };
        let marker = staging.dir.join(MARKER_FILE);
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io("write", &marker, kept(e)))?;
        Ok(staging)
    }

    /// The staging folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The build folder this build replaces when it is committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` at `relative` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.prepare(relative)?;
        std::fs::write(&path, bytes).map_err(|e| self.write_error(&path, e))?;
        self.written_hashes().insert(relative.to_owned(), hash_bytes(bytes));
        Ok(())
    }

    /// The size and hash of the file at `relative`, when it was written whole with
    /// [`Staging::write`] and not since by other means.
    pub fn written_hash(&self, relative: &str) -> Option<FileHash> {
        self.written_hashes().get(relative).copied()
    }

    fn written_hashes(&self) -> std::sync::MutexGuard<'_, HashMap<String, FileHash>> {
        self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Creates the file `relative` inside the staging folder, to be written piece by piece.
    pub fn create(&self, relative: &str) -> Result<std::io::BufWriter<std::fs::File>> {
        self.written_hashes().remove(relative);
        let path = self.prepare(relative)?;
        let file = std::fs::File::create(&path).map_err(|e| self.write_error(&path, e))?;
        Ok(std::io::BufWriter::with_capacity(1 << 16, file))
    }

    /// Copies the file `from` (a file of the book) to `relative` inside the staging folder.
    /// Only regular files are copied: a named pipe, a device or a loop of links in the
    /// book is a problem in the book.
    pub fn copy(&self, from: &Path, relative: &str) -> Result<()> {
        self.written_hashes().remove(relative);
        let path = self.prepare(relative)?;
        copy_file(&self.root, from, &path).map_err(|e| match e {
            CopyError::Write(e) => self.write_error(&path, e),
            CopyError::Source(e) => e,
        })
    }

    /// The path of `relative` inside the staging folder, its folders created.
    fn prepare(&self, relative: &str) -> Result<PathBuf> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| self.write_error(parent, e))?;
        }
        Ok(path)
    }

    /// A write into the staging folder failed (a full disk, a folder that cannot be
    /// written): the error says the previous build is as it was.
    fn write_error(&self, path: &Path, e: std::io::Error) -> Error {
        Error::io("write", path, kept_as_it_was(&self.target, e))
    }

    /// Puts the finished build in place of the previous one.
    pub fn commit(mut self) -> Result<PathBuf> {
        let had_previous = std::fs::symlink_metadata(&self.target).is_ok();
        if !had_previous {
            std::fs::rename(&self.dir, &self.target)
                .map_err(|e| Error::io("move the new build into place", &self.target, kept_as_it_was(&self.target, e)))?;
            self.committed = true;
            return Ok(self.target.clone());
        }
        if exchange(&self.dir, &self.target)? {
            // The staging folder's name now holds the previous build.
            self.committed = true;
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(self.target.clone());
        }
        // No atomic exchange here: two renames, the previous build aside in between (a build
        // killed there leaves it under `.old`, which the next build puts back).
        let old = self.dir.with_file_name(format!(
            "{}{OLD_SUFFIX}",
            self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        std::fs::rename(&self.target, &old)
            .map_err(|e| Error::io("move the previous build aside", &self.target, kept_as_it_was(&self.target, e)))?;
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            // Put the previous build back so the reader still has a site.
            let _ = std::fs::rename(&old, &self.target);
            return Err(Error::io("move the new build into place", &self.target, kept_as_it_was(&self.target, e)));
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&old);
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Between a build folder's name and the process id in its staging folder's name:
/// `.book.building-1234` for `book`.
const STAGING_INFIX: &str = ".building-";

/// After a staging folder's name: the previous build, set aside during a swap.
const OLD_SUFFIX: &str = ".old";

/// Swaps the folders `new` and `target` in one step. `Ok(false)` where the system or the
/// file system cannot.
fn exchange(new: &Path, target: &Path) -> Result<bool> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP || e == Errno::OPNOTSUPP => Ok(false),
            Err(e) => Err(Error::io("move the new build into place", target, kept_as_it_was(target, e.into()))),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (new, target);
        Ok(false)
    }
}

/// `e`, saying that the build folder `target` was left as it was.
fn kept_as_it_was(target: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{e}; {} is as it was before this build", target.display()))
}

/// Removes the staging folders that builds into `target` left when they were killed
/// (only folders named as ours and either empty or carrying our marker), after putting
/// back a previous build that one of them had set aside when `target` is missing. The
/// caller holds the build folder's lock, so no live build is using them.
pub(crate) fn clean_up_after_killed_builds(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else { return };
    let prefix = format!(".{}{STAGING_INFIX}", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let file_name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = file_name.strip_prefix(&prefix) else { return false };
            let pid = rest.strip_suffix(OLD_SUFFIX).unwrap_or(rest);
            !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        })
        .map(|e| e.path())
        .filter(|dir| dir.join(MARKER_FILE).is_file() || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()))
        .collect();
    stale.sort();
    if std::fs::symlink_metadata(target).is_err() {
        let set_aside = stale.iter().position(|d| d.to_string_lossy().ends_with(OLD_SUFFIX) && d.join(MARKER_FILE).is_file());
        if let Some(old) = set_aside.map(|i| stale.remove(i)) {
            if std::fs::rename(&old, target).is_ok() {
                eprintln!("note: put back the previous build of {}, which a build stopped halfway had set aside", target.display());
            }
        }
    }
    for dir in stale {
        if std::fs::remove_dir_all(&dir).is_ok() {
            log::info!("removed {}, left by a build that was stopped", dir.display());
        }
    }
}

/// Why a copy failed: the book's file (a problem in the book, or reading it), or the write.
enum CopyError {
    Source(Error),
    Write(std::io::Error),
}

/// Copies the book's file `from` (its root `root`, to name it) to `to`: only a regular file.
fn copy_file(root: &Path, from: &Path, to: &Path) -> Result<(), CopyError> {
    let (mut source, _) = open_regular(from).map_err(|problem| CopyError::Source(not_copied(root, from, problem)))?;
    let mut file = std::fs::File::create(to).map_err(CopyError::Write)?;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Source(Error::io("read", from, e))),
        };
        file.write_all(&buffer[..n]).map_err(CopyError::Write)?;
    }
    Ok(())
}

/// The problem with a file of the book that cannot be copied into the site.
fn not_copied(root: &Path, from: &Path, problem: FileProblem) -> Error {
    let shown = display_path(root, from);
    match problem {
        FileProblem::Io(e) => Error::io("read", from, e),
        FileProblem::Missing if std::fs::symlink_metadata(from).is_err() => {
            Error::io("copy", from, std::io::Error::from(std::io::ErrorKind::NotFound))
        }
        FileProblem::Missing => Diagnostic::error(shown, "this is a symbolic link to nothing")
            .with_help("point the link at a file, or remove it")
            .into(),
        FileProblem::LinkToFolder => Diagnostic::error(shown, format!("this {}", FileProblem::LinkToFolder.describe()))
            .with_help("move or copy the folder itself into the source folder, or remove the link")
            .into(),
        problem => Diagnostic::error(shown, format!("this {}", problem.describe()))
            .with_help("only files become part of the site: remove it, or move it out of the book's folders")
            .into(),
    }
}

/// Replaces one file of a finished build folder `out_dir` (under its lock) with `bytes`: they are written
/// beside it under a hidden name, then renamed over it, so a reader fetching the file at
/// that moment gets the old file or the new one, never half of one.
pub fn replace_file(out_dir: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    let _lock = BuildLock::acquire(out_dir, LOCK_WAIT)?;
    let (path, temporary) = replacement_paths(out_dir, relative)?;
    let written = std::fs::write(&temporary, bytes).map_err(|e| Error::io("write", &temporary, e));
    finish_replacement(written, &temporary, &path)
}

/// Like [`replace_file`], with the contents of the book's file `from` (`root`: the book's root).
pub fn replace_file_with_copy(root: &Path, out_dir: &Path, relative: &str, from: &Path) -> Result<()> {
    let _lock = BuildLock::acquire(out_dir, LOCK_WAIT)?;
    let (path, temporary) = replacement_paths(out_dir, relative)?;
    let copied = copy_file(root, from, &temporary).map_err(|e| match e {
        CopyError::Write(e) => Error::io("write", &temporary, e),
        CopyError::Source(e) => e,
    });
    finish_replacement(copied, &temporary, &path)
}

/// Removes one file from a finished build folder, if it is there.
pub fn remove_file(out_dir: &Path, relative: &str) -> Result<()> {
    let _lock = BuildLock::acquire(out_dir, LOCK_WAIT)?;
    let path = out_dir.join(relative);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io("remove", &path, e)),
        _ => Ok(()),
    }
}

fn replacement_paths(out_dir: &Path, relative: &str) -> Result<(PathBuf, PathBuf)> {
    let path = out_dir.join(relative);
    let parent = path.parent().unwrap_or(out_dir);
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create the folder", parent, e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = parent.join(format!(".{name}.{}.new", std::process::id()));
    Ok((path, temporary))
}

fn finish_replacement(written: Result<()>, temporary: &Path, path: &Path) -> Result<()> {
    let renamed = written.and_then(|()| std::fs::rename(temporary, path).map_err(|e| Error::io("replace", path, e)));
    if renamed.is_err() {
        let _ = std::fs::remove_file(temporary);
    }
    renamed
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| Error::io("resolve", path, e))
}

/// Refuses build folders that would overwrite the book itself.
fn check_not_sources(config: &Config, target: &Path) -> Result<()> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    let target_c = canonical(target);
    let protected = [
        ("the book's root", Some(config.root.clone())),
        ("the source folder", Some(config.src_dir.clone())),
        ("the theme folder", config.theme_dir.clone()),
    ];
    for (what, dir) in protected {
        let Some(dir) = dir else { continue };
        let dir_c = canonical(&dir);
        if dir_c.starts_with(&target_c) {
            return Err(Error::Usage(format!(
                "refusing to build into {}: it is or contains {what} ({}); choose another build-dir",
                target.display(),
                dir.display()
            )));
        }
        if what == "the source folder" && target_c.starts_with(&dir_c) {
            return Err(Error::Usage(format!(
                "refusing to build into {}: it is inside the source folder ({}); choose a build-dir outside it",
                target.display(),
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Refuses a build folder holding files we did not write.
fn check_replaceable(target: &Path) -> Result<()> {
    if target.exists() {
        if !target.is_dir() {
            return Err(Error::Usage(format!("refusing to build into {}: it is a file, not a folder", target.display())));
        }
        let empty = std::fs::read_dir(target).map_err(|e| Error::io("read the folder", target, e))?.next().is_none();
        if !empty && !target.join(MARKER_FILE).is_file() {
            return Err(Error::Usage(format!(
                "refusing to replace {}: it is not empty and was not written by site-gen (no {MARKER_FILE} file); \
                 move its files away or choose another build-dir",
                target.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(root: &Path) -> Config {
        Config::from_str(root, "").unwrap().0
    }

    #[test]
    fn commit_replaces_the_previous_build() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let target = dir.path().join("book");
        let s = Staging::new(&c, &target).unwrap();
        s.write("a/b.html", b"one").unwrap();
        s.commit().unwrap();
        let s = Staging::new(&c, &target).unwrap();
        s.write("c.html", b"two").unwrap();
        s.commit().unwrap();
        assert!(!target.join("a/b.html").exists());
        assert_eq!(std::fs::read(target.join("c.html")).unwrap(), b"two");
        assert!(target.join(MARKER_FILE).is_file());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["book"], "no staging folders left behind");
    }

    #[test]
    fn a_file_written_whole_is_known_by_its_hash_until_written_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        std::fs::write(dir.path().join("picture.svg"), "<svg/>").unwrap();
        let s = Staging::new(&c, &dir.path().join("book")).unwrap();
        s.write("a/b.html", b"one").unwrap();
        s.write("a/c.html", b"two").unwrap();
        s.write("a/d.html", b"three").unwrap();
        let on_disk = |relative: &str| crate::core::hash::hash_file(&s.dir().join(relative)).unwrap();
        assert_eq!(s.written_hash("a/b.html"), Some(on_disk("a/b.html")));
        s.write("a/b.html", b"one again").unwrap();
        assert_eq!(s.written_hash("a/b.html"), Some(on_disk("a/b.html")), "the last write counts");
        s.copy(&dir.path().join("picture.svg"), "a/c.html").unwrap();
        std::io::Write::write_all(&mut s.create("a/d.html").unwrap(), b"four").unwrap();
        assert_eq!((s.written_hash("a/c.html"), s.written_hash("a/d.html")), (None, None), "copied over, or written piece by piece");
        assert_eq!(s.written_hash("a/e.html"), None);
    }

    #[test]
    fn an_abandoned_build_leaves_the_previous_one() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let target = dir.path().join("book");
        let s = Staging::new(&c, &target).unwrap();
        s.write("index.html", b"good").unwrap();
        s.commit().unwrap();
        let s = Staging::new(&c, &target).unwrap();
        s.write("index.html", b"half").unwrap();
        drop(s);
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"good");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_next_build_removes_what_killed_builds_left() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let target = dir.path().join("book");
        Staging::new(&c, &target).unwrap().commit().unwrap();
        let stale = dir.path().join(".book.building-99999");
        std::fs::create_dir_all(stale.join("a")).unwrap();
        std::fs::write(stale.join(MARKER_FILE), MARKER_TEXT).unwrap();
        std::fs::write(stale.join("a/half.html"), "half").unwrap();
        std::fs::create_dir(dir.path().join(".book.building-99998")).unwrap();
        // Not ours: other names, or a folder of the same name without our marker.
        for other in [".book.building-x", ".other.building-1", ".book.building-5"] {
            std::fs::create_dir(dir.path().join(other)).unwrap();
            std::fs::write(dir.path().join(other).join("keep.txt"), "mine").unwrap();
        }
        let s = Staging::new(&c, &target).unwrap();
        s.commit().unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, [".book.building-5", ".book.building-x", ".other.building-1", "book"]);
    }

    #[test]
    fn a_build_killed_between_the_two_renames_gets_the_previous_build_back() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let target = dir.path().join("book");
        let s = Staging::new(&c, &target).unwrap();
        s.write("index.html", b"previous").unwrap();
        s.commit().unwrap();
        // As a build killed after moving the previous build aside leaves it.
        std::fs::rename(&target, dir.path().join(".book.building-4242.old")).unwrap();
        let s = Staging::new(&c, &target).unwrap();
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"previous", "put back before the new build starts");
        drop(s);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_says_the_build_folder_is_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let target = dir.path().join("book");
        let s = Staging::new(&c, &target).unwrap();
        std::fs::write(s.dir.join("taken"), "a file where a folder should go").unwrap();
        let err = s.write("taken/page.html", b"x").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains(&format!("{} is as it was before this build", target.display())), "{err}");
    }

    #[test]
    fn only_regular_files_are_copied() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let s = Staging::new(&c, &dir.path().join("book")).unwrap();
        let pipe = dir.path().join("pipe");
        rustix::fs::mknodat(rustix::fs::CWD, &pipe, rustix::fs::FileType::Fifo, rustix::fs::Mode::from_raw_mode(0o600), 0).unwrap();
        let err = s.copy(&pipe, "pipe").unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert!(err.to_string().contains("pipe: this is a named pipe (FIFO), not a file"), "{err}");
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero")).unwrap();
        assert!(s.copy(&dir.path().join("zero"), "zero").unwrap_err().to_string().contains("is a device"));
        std::os::unix::fs::symlink(".", dir.path().join("here")).unwrap();
        assert!(s.copy(&dir.path().join("here"), "here").unwrap_err().to_string().contains("here: this is a symbolic link to a folder, which is not followed"));
        std::os::unix::fs::symlink("nowhere", dir.path().join("dangling")).unwrap();
        assert!(s.copy(&dir.path().join("dangling"), "d").unwrap_err().to_string().contains("a symbolic link to nothing"));
    }

    #[test]
    fn replacing_one_file_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        replace_file(dir.path(), "a/b.html", b"one").unwrap();
        replace_file(dir.path(), "a/b.html", b"two").unwrap();
        assert_eq!(std::fs::read(dir.path().join("a/b.html")).unwrap(), b"two");
        let source = dir.path().join("source.png");
        std::fs::write(&source, b"png").unwrap();
        replace_file_with_copy(dir.path(), dir.path(), "a/c.png", &source).unwrap();
        assert_eq!(std::fs::read(dir.path().join("a/c.png")).unwrap(), b"png");
        assert!(replace_file_with_copy(dir.path(), dir.path(), "a/d.png", &dir.path().join("missing")).is_err());
        let mut names: Vec<_> = std::fs::read_dir(dir.path().join("a")).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["b.html", "c.png"]);
        remove_file(dir.path(), "a/c.png").unwrap();
        remove_file(dir.path(), "a/c.png").unwrap();
        assert!(!dir.path().join("a/c.png").exists());
    }

    #[test]
    fn refuses_folders_we_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let target = dir.path().join("mine");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("notes.txt"), b"keep me").unwrap();
        let err = Staging::new(&c, &target).err().unwrap();
        assert!(err.to_string().contains("was not written by site-gen"), "{err}");
        assert_eq!(std::fs::read(target.join("notes.txt")).unwrap(), b"keep me");
    }

    #[test]
    fn refuses_the_book_root_and_sources() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let c = config(dir.path());
        for target in [dir.path().to_path_buf(), dir.path().join("content"), dir.path().join("content/out")] {
            let err = Staging::new(&c, &target).err().unwrap();
            assert!(err.to_string().contains("refusing to build into"), "{err}");
            assert_eq!(err.exit_code(), 2);
        }
    }
}
