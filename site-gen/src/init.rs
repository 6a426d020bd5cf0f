//! `site-gen init`: a new book that builds and serves at once — `book.toml`, the table of
//! contents and a first chapter with a live demo. It never overwrites a file: when any of
//! the files it would write already exists, it writes nothing and names them.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::error::{Error, Result};

/// The files of a new book, relative to its root.
pub const NEW_BOOK_FILES: [&str; 3] = ["book.toml", "content/SUMMARY.md", "content/introduction.md"];

/// Creates a new book in `dir` (created when missing) titled `title`, or, with no title,
/// named after the folder. Returns the files written.
pub fn init(dir: &Path, title: Option<&str>) -> Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!("{} is a file; give a folder for the new book", dir.display())));
    }
    let title = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_owned(),
        None => title_from_folder(dir),
    };
    let contents = [book_toml(&title), SUMMARY.to_owned(), INTRODUCTION.to_owned()];

    let existing: Vec<String> = NEW_BOOK_FILES
        .iter()
        .filter(|f| dir.join(f).symlink_metadata().is_ok())
        .map(|f| dir.join(f).display().to_string())
        .collect();
    if !existing.is_empty() {
        let (names, verb) = if existing.len() == 1 { (existing[0].clone(), "exists") } else { (existing.join(", "), "exist") };
        return Err(Error::Usage(format!(
            "{names} already {verb}; `site-gen init` never overwrites a file, so nothing was written \
             (choose an empty or new folder, or move the file{} away)",
            if existing.len() == 1 { "" } else { "s" }
        )));
    }

    let content = dir.join("content");
    std::fs::create_dir_all(&content).map_err(|e| Error::io("create the folder", &content, e))?;
    let mut written = Vec::new();
    for (name, text) in NEW_BOOK_FILES.iter().zip(contents) {
        let path = dir.join(name);
        // `create_new` refuses a file that appeared since the check above.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io("create", &path, e))?;
        file.write_all(text.as_bytes()).map_err(|e| Error::io("write", &path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// `my-first_book` → `My first book`.
fn title_from_folder(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "My book".to_owned(),
    }
}

fn book_toml(title: &str) -> String {
    // A TOML string, quoted and escaped by the TOML library.
    let title = toml::Value::String(title.to_owned()).to_string();
    format!(
        "[book]\ntitle = {title}\nauthors = []\nlanguage = \"en\"\nsrc = \"content\"\n\n\
         [build]\nbuild-dir = \"book\"\n\
         # The demos run on the demo runtime built into site-gen. To run them on one of your own\n\
         # build instead (`make demos` in the site-gen repository), name its folder:\n\
         # demos-dir = \"demos-wasm/pkg\"\n"
    )
}

const SUMMARY: &str = "# Summary\n\n[Introduction](introduction.md)\n";

const INTRODUCTION: &str = "# Introduction

Welcome! Every chapter of this book is a Markdown file in `content/`, and
`content/SUMMARY.md` lists the chapters in reading order.

## A live demo

The block below runs in the reader's browser: it counts the primes below `n`
sequentially, on threads that share memory, on workers that only exchange messages,
and as async tasks, and shows how long each took.

```demo
name = \"primes\"
n = 2000000
```

## Next steps

- Add a chapter: write `content/next.md` and list it in `content/SUMMARY.md`.
- Link to another chapter by its file, as in `[Next](next.md)`, or to a heading
  on this page, as in [the demo](#a-live-demo).
- Run `site-gen check` to find broken links, and `site-gen serve` to read the book.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_folder_name() {
        assert_eq!(title_from_folder(Path::new("/x/my-first_book")), "My first book");
        assert_eq!(title_from_folder(Path::new("/x/über")), "Über");
    }

    #[test]
    fn titles_are_escaped_in_book_toml() {
        let text = book_toml("A \"quoted\" \\ title");
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["book"]["title"].as_str(), Some("A \"quoted\" \\ title"));
        // No demos-dir: a new book, wherever it is, runs its demos on the built-in runtime.
        assert!(parsed["build"].get("demos-dir").is_none(), "{text}");
    }

    #[test]
    fn writes_the_files_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("new/book");
        let written = init(&book, Some("T")).unwrap();
        assert_eq!(written.len(), 3);
        assert!(book.join("content/introduction.md").is_file());

        let err = init(&book, None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let message = err.to_string();
        assert!(message.contains("book.toml, "), "{message}");
        assert!(message.contains("already exist; `site-gen init` never overwrites a file"), "{message}");
    }

    #[test]
    fn a_file_is_not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "").unwrap();
        assert!(init(&dir.path().join("f"), None).unwrap_err().to_string().contains("is a file"));
    }
}
