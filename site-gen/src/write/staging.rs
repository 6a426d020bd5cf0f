//! Writing the site safely: everything goes into a staging folder beside the build
//! folder, which replaces the previous build only once the whole build has succeeded.
//!
//! A build that fails leaves the previous output exactly as it was. A build folder is only
//! ever replaced when it is empty or carries our marker file, and never when it is (or
//! holds) the book's own sources: `site-gen` never deletes a file it did not write.

use std::path::{Path, PathBuf};

use crate::load::config::Config;
use crate::core::error::{Error, Result};

/// The file that marks a folder as written by `site-gen`.
pub const MARKER_FILE: &str = ".site-gen-output";

const MARKER_TEXT: &str = "This folder is written by site-gen and replaced on every build.\n";

/// A build in progress: a staging folder that becomes the build folder on [`Staging::commit`].
/// Dropped without committing, it removes itself.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `target` may be replaced, then creates a staging folder beside it.
    pub fn new(config: &Config, target: &Path) -> Result<Staging> {
        let target = absolute(target)?;
        check_target(config, &target)?;
        let parent = target.parent().ok_or_else(|| Error::Usage(format!("cannot build into {}", target.display())))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create the folder", parent, e))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io("remove the old staging folder", &dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create the folder", &dir, e))?;
        std::fs::write(dir.join(MARKER_FILE), MARKER_TEXT).map_err(|e| Error::io("write", dir.join(MARKER_FILE), e))?;
        Ok(Staging { dir, target, committed: false })
    }

    /// Writes `bytes` at `relative` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create the folder", parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io("write", &path, e))
    }

    /// Creates the file `relative` inside the staging folder, to be written piece by piece.
    pub fn create(&self, relative: &str) -> Result<std::io::BufWriter<std::fs::File>> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create the folder", parent, e))?;
        }
        let file = std::fs::File::create(&path).map_err(|e| Error::io("write", &path, e))?;
        Ok(std::io::BufWriter::with_capacity(1 << 16, file))
    }

    /// Copies the file `from` to `relative` inside the staging folder.
    pub fn copy(&self, from: &Path, relative: &str) -> Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create the folder", parent, e))?;
        }
        std::fs::copy(from, &path).map(|_| ()).map_err(|e| Error::io("copy", from, e))
    }

    /// Puts the finished build in place of the previous one.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        let had_previous = self.target.exists();
        if had_previous {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io("move the previous build aside", &self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_previous {
                // Put the previous build back so the reader still has a site.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io("move the new build into place", &self.target, e));
        }
        self.committed = true;
        if had_previous {
            let _ = std::fs::remove_dir_all(&old);
        }
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

/// Replaces one file of a finished build folder `out_dir` with `bytes`: they are written
/// beside it under a hidden name, then renamed over it, so a reader fetching the file at
/// that moment gets the old file or the new one, never half of one.
pub fn replace_file(out_dir: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    let (path, temporary) = replacement_paths(out_dir, relative)?;
    let written = std::fs::write(&temporary, bytes).map_err(|e| Error::io("write", &temporary, e));
    finish_replacement(written, &temporary, &path)
}

/// Like [`replace_file`], with the contents of the file `from`.
pub fn replace_file_with_copy(out_dir: &Path, relative: &str, from: &Path) -> Result<()> {
    let (path, temporary) = replacement_paths(out_dir, relative)?;
    let copied = std::fs::copy(from, &temporary).map(|_| ()).map_err(|e| Error::io("copy", from, e));
    finish_replacement(copied, &temporary, &path)
}

/// Removes one file from a finished build folder, if it is there.
pub fn remove_file(out_dir: &Path, relative: &str) -> Result<()> {
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

/// Refuses build folders that would overwrite the book itself or files we did not write.
fn check_target(config: &Config, target: &Path) -> Result<()> {
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
    fn replacing_one_file_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        replace_file(dir.path(), "a/b.html", b"one").unwrap();
        replace_file(dir.path(), "a/b.html", b"two").unwrap();
        assert_eq!(std::fs::read(dir.path().join("a/b.html")).unwrap(), b"two");
        let source = dir.path().join("source.png");
        std::fs::write(&source, b"png").unwrap();
        replace_file_with_copy(dir.path(), "a/c.png", &source).unwrap();
        assert_eq!(std::fs::read(dir.path().join("a/c.png")).unwrap(), b"png");
        assert!(replace_file_with_copy(dir.path(), "a/d.png", &dir.path().join("missing")).is_err());
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
