//! File helpers that know nothing of books: reading a text file with a located error,
//! listing the files under a folder, and relative, `/`-separated paths.

use std::path::{Component, Path, PathBuf};

use super::diagnostic::{display_path, position_of, Diagnostic};
use super::error::{Error, Result};

/// Reads a text file of the book: `None` when it does not exist; an error naming the
/// line and column of the first bad byte when it is not UTF-8.
pub fn read_text(root: &Path, path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes());
                let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
                Err(Diagnostic::error(display_path(root, path), "this file is not valid UTF-8 text")
                    .at_position(position_of(&lossy, prefix.len()))
                    .with_help("save the file as UTF-8")
                    .into())
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => Err(Diagnostic::error(
            display_path(root, path),
            "this is a folder, not a Markdown file",
        )
        .into()),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// True when a relative path stays inside the folder it is relative to.
pub fn is_inside(path: &Path) -> bool {
    let mut depth = 0i32;
    for c in path.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// The repository that holds the book at `book` (an absolute path): the nearest folder at
/// or above it with a `.git`, else the book's own folder. A book may read files from
/// anywhere inside it, and from nowhere else.
pub fn repository_root(book: &Path) -> PathBuf {
    book.ancestors().find(|dir| dir.join(".git").exists()).unwrap_or(book).to_path_buf()
}

/// `path` with `.` and `..` resolved by name (no file system access), relative paths
/// against the current folder.
pub fn normalized(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every file below `dir` (none when it does not exist), in a stable order.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| Error::io("read the folder", &d, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read the folder", &d, e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| Error::io("inspect", &path, e))?;
            if kind.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A relative path with `/` separators.
pub fn slash_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_paths() {
        assert!(is_inside(Path::new("a/../b.md")));
        assert!(!is_inside(Path::new("../b.md")));
        assert!(!is_inside(Path::new("a/../../b.md")));
        assert!(!is_inside(Path::new("/etc/passwd")));
    }

    #[test]
    fn relative_paths_are_slash_separated() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/c/d.png")), "c/d.png");
        assert_eq!(slash_path(Path::new("c/d.md")), "c/d.md");
        assert!(is_hidden("a/.b/c") && is_hidden(".git") && !is_hidden("a/b.c"));
    }
}
