//! `site-gen clean`: removes a build folder, and only a build folder. A folder is one when
//! it carries the marker file every build writes ([`MARKER_FILE`]); anything else (a file,
//! a symbolic link, a folder of someone else's files, a folder holding the book itself) is
//! refused and left as it is. The folder's lock is taken first, so a build writing it at
//! that moment finishes before the folder goes.

use std::path::{Path, PathBuf};

use crate::core::error::{Error, Result};
use crate::load::config::Config;
use crate::write::lock::{BuildLock, LOCK_WAIT};
use crate::write::staging::{clean_up_after_killed_builds, MARKER_FILE};

/// What `clean` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cleaned {
    /// The build folder was removed.
    Removed(PathBuf),
    /// There was no build folder to remove.
    Missing(PathBuf),
}

/// Removes the build folder of the book at `root`: `dest` when given (relative to the
/// current folder, as `build -d` takes it), else the book's `[build] build-dir`. The
/// staging folders that killed builds left beside it go too.
pub fn clean(root: &Path, dest: Option<&Path>) -> Result<Cleaned> {
    let (config, _) = Config::load(root)?;
    let target = dest.map(Path::to_path_buf).unwrap_or_else(|| config.build_dir.clone());
    let target = std::path::absolute(&target).map_err(|e| Error::io("resolve", &target, e))?;
    check_not_book(&config, &target)?;
    check_removable(&target)?;
    if !target.parent().is_some_and(Path::is_dir) {
        return Ok(Cleaned::Missing(target));
    }
    let _lock = BuildLock::acquire(&target, LOCK_WAIT)?;
    clean_up_after_killed_builds(&target);
    // Checked again under the lock: the build that held it may have replaced the folder.
    if std::fs::symlink_metadata(&target).is_err() {
        return Ok(Cleaned::Missing(target));
    }
    check_removable(&target)?;
    remove_build_folder(&target)?;
    Ok(Cleaned::Removed(target))
}

/// Refuses anything at `target` but a build folder; nothing there is fine.
fn check_removable(target: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(target) else { return Ok(()) };
    let refuse = |why: String| Err(Error::Usage(format!("refusing to remove {}: {why}", target.display())));
    if meta.file_type().is_symlink() {
        return refuse("it is a symbolic link, not a build folder".to_owned());
    }
    if !meta.is_dir() {
        return refuse("it is a file, not a build folder".to_owned());
    }
    if !is_build_folder(target) {
        return refuse(format!(
            "it was not written by site-gen (no {MARKER_FILE} file in it); remove it yourself if it should go"
        ));
    }
    Ok(())
}

/// True for a folder that a build wrote: it holds the marker file (a regular file).
fn is_build_folder(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER_FILE)).is_ok_and(|m| m.is_file())
}

/// Refuses a folder that is or holds the book's root, source or theme folder (a book.toml
/// pointing its build-dir at `.`, a marker copied by hand).
fn check_not_book(config: &Config, target: &Path) -> Result<()> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let target_c = canonical(target);
    let protected = [
        ("the book's root", Some(&config.root)),
        ("the source folder", Some(&config.src_dir)),
        ("the theme folder", config.theme_dir.as_ref()),
    ];
    for (what, dir) in protected {
        let Some(dir) = dir else { continue };
        if canonical(dir).starts_with(&target_c) {
            return Err(Error::Usage(format!(
                "refusing to remove {}: it is or contains {what} ({})",
                target.display(),
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Removes everything in `dir` but the marker, then the marker and the folder: a removal
/// that fails halfway leaves a folder that is still known as a build folder, so that
/// `clean` can be run again.
fn remove_build_folder(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read the folder", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read the folder", dir, e))?;
        if entry.file_name() == MARKER_FILE {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let removed = if is_dir { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        removed.map_err(|e| Error::io("remove", &path, e))?;
    }
    let marker = dir.join(MARKER_FILE);
    std::fs::remove_file(&marker).map_err(|e| Error::io("remove", &marker, e))?;
    std::fs::remove_dir(dir).map_err(|e| Error::io("remove", dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[build]\nbuild-dir = \"out\"\n").unwrap();
        dir
    }

    #[test]
    fn removes_a_build_folder_and_nothing_else() {
        let dir = book();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("static")).unwrap();
        std::fs::write(out.join(MARKER_FILE), "").unwrap();
        std::fs::write(out.join("static/a.css"), "a").unwrap();
        std::fs::write(out.join("index.html"), "i").unwrap();
        assert_eq!(clean(dir.path(), None).unwrap(), Cleaned::Removed(out.clone()));
        assert!(!out.exists());
        assert!(dir.path().join("book.toml").is_file());
        assert!(!crate::write::lock::lock_path(&out).exists(), "the lock file goes too");
        assert_eq!(clean(dir.path(), None).unwrap(), Cleaned::Missing(out));
    }

    #[test]
    fn the_staging_folders_of_killed_builds_go_too() {
        let dir = book();
        let left = dir.path().join(format!(".out.building-{}", u32::MAX));
        std::fs::create_dir(&left).unwrap();
        std::fs::write(left.join(MARKER_FILE), "").unwrap();
        let other = dir.path().join(".out.building-notes");
        std::fs::create_dir(&other).unwrap();
        assert_eq!(clean(dir.path(), None).unwrap(), Cleaned::Missing(dir.path().join("out")));
        assert!(!left.exists(), "a killed build's staging folder is removed");
        assert!(other.is_dir(), "a folder that only looks like one stays");
    }

    #[test]
    fn refuses_folders_without_the_marker_files_and_links() {
        let dir = book();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = clean(dir.path(), None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("not written by site-gen"), "{err}");
        assert!(out.join("notes.txt").is_file());

        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(clean(dir.path(), Some(&file)).unwrap_err().to_string().contains("is a file"));

        let built = dir.path().join("built");
        std::fs::create_dir(&built).unwrap();
        std::fs::write(built.join(MARKER_FILE), "").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&built, &link).unwrap();
        assert!(clean(dir.path(), Some(&link)).unwrap_err().to_string().contains("symbolic link"));
        assert!(built.join(MARKER_FILE).is_file());
    }

    #[test]
    fn refuses_the_book_itself_even_with_a_marker() {
        let dir = book();
        std::fs::write(dir.path().join(MARKER_FILE), "").unwrap();
        let err = clean(dir.path(), Some(dir.path())).unwrap_err();
        assert!(err.to_string().contains("the book's root"), "{err}");
        assert!(dir.path().join("book.toml").is_file());
    }
}
