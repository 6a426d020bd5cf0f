//! File helpers that know nothing of books: reading a file of the book with every guard it
//! needs (only regular files, never blocking on a named pipe or reading a device, at most
//! a given size, UTF-8 with any byte-order mark dropped), listing the files under a
//! folder, and relative, `/`-separated paths.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::diagnostic::{display_path, position_of, Diagnostic, Position};
use super::error::{Error, Result};

/// The largest text file of a book that is read: a chapter, SUMMARY.md, an included file, a
/// template, book.toml. Far past any page a reader's browser could open, so a file this
/// large is a mistake (a generated or binary file listed by accident), not a chapter.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Why a file of the book could not be read.
#[derive(Debug)]
pub enum FileProblem {
    /// Nothing is there (or a folder on the way is a file).
    Missing,
    Folder,
    /// A symbolic link to a folder: folders are not followed through links (one could lead
    /// back to itself, or to `/`).
    LinkToFolder,
    /// Something that is not a file: a named pipe, a device or a socket (what it is).
    NotAFile(&'static str),
    /// A symbolic link that leads, through others, back to itself.
    LinkLoop,
    /// Larger than the limit the reader was given.
    TooLarge { bytes: u64, limit: u64 },
    /// Not UTF-8: where the first bad byte is.
    NotUtf8 { position: Position },
    /// Reading failed for a reason outside the book (permissions, the disk).
    Io(std::io::Error),
}

impl FileProblem {
    /// What is wrong, to follow the file's name: "is a named pipe (FIFO), not a file".
    pub fn describe(&self) -> String {
        match self {
            FileProblem::Missing => "does not exist".to_owned(),
            FileProblem::Folder => "is a folder, not a file".to_owned(),
            FileProblem::LinkToFolder => "is a symbolic link to a folder, which is not followed".to_owned(),
            FileProblem::NotAFile(what) => format!("is {what}, not a file"),
            FileProblem::LinkLoop => "is a symbolic link that leads back to itself (a loop of links)".to_owned(),
            FileProblem::TooLarge { bytes, limit } => {
                format!("is {}; files of a book are read up to {}", size(*bytes), size(*limit))
            }
            FileProblem::NotUtf8 { .. } => "is not valid UTF-8 text".to_owned(),
            FileProblem::Io(e) => format!("cannot be read: {e}"),
        }
    }
}

/// `16 MiB`, `19.1 MiB`, `512 bytes`.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes < MIB {
        format!("{bytes} bytes")
    } else if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// What a file that is not a regular file or a folder is, in an author's words.
fn kind_of(file_type: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_file() {
        None
    } else if file_type.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if file_type.is_char_device() || file_type.is_block_device() {
        Some("a device")
    } else if file_type.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    }
}

fn problem_of(e: std::io::Error) -> FileProblem {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound | ErrorKind::NotADirectory => FileProblem::Missing,
        ErrorKind::IsADirectory => FileProblem::Folder,
        _ if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => FileProblem::LinkLoop,
        _ => FileProblem::Io(e),
    }
}

/// Opens `path` (symbolic links followed) for reading when it is a regular file; refuses
/// anything else before reading a byte: a named pipe would block forever, a device
/// (`/dev/zero`) never ends. The type is checked before opening (opening some devices does
/// something) and again on the open file (it may have been swapped in between), which is
/// opened without blocking in case it has become a pipe.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), FileProblem> {
    use std::os::unix::fs::OpenOptionsExt;
    let before = std::fs::metadata(path).map_err(problem_of)?;
    if before.is_dir() {
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        return Err(if link { FileProblem::LinkToFolder } else { FileProblem::Folder });
    }
    if let Some(what) = kind_of(before.file_type()) {
        return Err(FileProblem::NotAFile(what));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(problem_of)?;
    let meta = file.metadata().map_err(FileProblem::Io)?;
    if meta.is_dir() {
        return Err(FileProblem::Folder);
    }
    if let Some(what) = kind_of(meta.file_type()) {
        return Err(FileProblem::NotAFile(what));
    }
    Ok((file, meta))
}

/// The bytes of the regular file `path`, at most `limit` of them (a file growing while it
/// is read is cut off there, and refused).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, FileProblem> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(FileProblem::TooLarge { bytes: meta.len(), limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(FileProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(FileProblem::TooLarge { bytes: (bytes.len() as u64).max(meta.len()), limit });
    }
    Ok(bytes)
}

/// The text of the regular file `path`, at most `limit` bytes of UTF-8; a byte-order mark
/// at its start is dropped (editors on Windows write one; it is not part of the text).
pub fn read_text_file(path: &Path, limit: u64) -> Result<String, FileProblem> {
    let bytes = read_bytes(path, limit)?;
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes());
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            return Err(FileProblem::NotUtf8 { position: position_of(&lossy, prefix.len()) });
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Reads a text file of the book (at most [`MAX_TEXT_BYTES`]): `None` when it does not
/// exist; a problem in the file when it cannot be a text file of the book (not UTF-8,
/// with the line and column of the first bad byte; a folder, a pipe, a device, a loop of
/// links, too large); an I/O error when reading it failed.
pub fn read_text(root: &Path, path: &Path) -> Result<Option<String>> {
    match read_text_file(path, MAX_TEXT_BYTES) {
        Ok(text) => Ok(Some(text)),
        Err(FileProblem::Missing) => Ok(None),
        Err(FileProblem::Io(e)) => Err(Error::io("read", path, e)),
        Err(FileProblem::NotUtf8 { position }) => Err(Diagnostic::error(display_path(root, path), "this file is not valid UTF-8 text")
            .at_position(position)
            .with_help("save the file as UTF-8")
            .into()),
        Err(problem) => {
            Err(Diagnostic::error(display_path(root, path), format!("this {}", problem.describe())).with_help(BOOK_FILES_HELP).into())
        }
    }
}

/// What a file of the book must be.
pub const BOOK_FILES_HELP: &str = "the files of a book must be regular files of text (a symbolic link to one will do)";

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
