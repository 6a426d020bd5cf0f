//! The book as read from disk: its settings, its table of contents and every chapter's
//! Markdown, each chapter knowing the page it becomes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::load::config::Config;
use crate::core::diagnostic::{display_path, Diagnostic};
use crate::core::error::{Error, Result};
use crate::core::fs::{is_inside, read_text, read_text_file, FileProblem, BOOK_FILES_HELP, MAX_TEXT_BYTES};
use crate::load::front_matter::{split_front_matter, FrontMatter};
use crate::load::summary::{parse_summary_with_warnings, ChapterLink, Summary, SUMMARY_FILE};

/// The largest chapter file read (every text file of a book has the same limit).
pub const MAX_CHAPTER_BYTES: u64 = MAX_TEXT_BYTES;

/// One chapter with a page (draft chapters have none and are not listed here).
#[derive(Debug, Clone)]
pub struct Chapter {
    pub title: String,
    /// The Markdown file, relative to the source folder.
    pub source: PathBuf,
    /// The page, relative to the site's root, with `/` separators (`threads/gil.html`).
    pub page: String,
    pub number: Option<Vec<u32>>,
    /// The file as shown in messages (relative to the book's root).
    pub shown: PathBuf,
    /// The file's whole text, front matter included.
    pub text: Arc<str>,
    /// Where the Markdown starts, after any front matter.
    pub body_start: usize,
    pub front: FrontMatter,
}

impl Chapter {
    /// `"1.2. "` for numbered chapters, empty for the others.
    pub fn number_label(&self) -> String {
        number_label(self.number.as_deref())
    }
}

/// `"1.2. "` for `[1, 2]`.
pub fn number_label(number: Option<&[u32]>) -> String {
    match number {
        Some(n) => n.iter().map(|i| format!("{i}.")).collect::<Vec<_>>().join("") + " ",
        None => String::new(),
    }
}

/// The whole book, loaded.
#[derive(Debug, Clone)]
pub struct Book {
    pub config: Config,
    pub summary: Summary,
    /// Chapters with pages, in reading order.
    pub chapters: Vec<Chapter>,
    /// What SUMMARY.md holds that is left out of the table of contents.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the chapter `link` of SUMMARY.md (`summary_name`) points at: `None` for a draft,
/// problems at the link's line when its file is missing, too large or outside the book.
fn read_chapter(config: &Config, summary_name: &Path, link: &ChapterLink) -> Result<Option<Chapter>> {
    let Some(location) = &link.location else { return Ok(None) };
    let point = |d: Diagnostic| Error::Content(vec![d.at_position(link.position)]);
    if !is_inside(location) {
        return Err(point(
            Diagnostic::error(summary_name, format!("chapter `{}` points outside the source folder: {}", link.title, location.display()))
                .with_help("chapter files must be inside the source folder"),
        ));
    }
    let path = config.src_dir.join(location);
    let file = || display_path(&config.root, &path).display().to_string();
    let markdown = match read_text_file(&path, MAX_CHAPTER_BYTES) {
        Ok(text) => text,
        Err(FileProblem::Missing) => {
            return Err(point(
                Diagnostic::error(summary_name, format!("chapter `{}` is listed, but its file {} does not exist", link.title, file()))
                    .with_help(format!("create the file, fix the path, or write `[{}]()` to list it as a draft", link.title)),
            ))
        }
        Err(FileProblem::TooLarge { bytes, .. }) => {
            return Err(point(
                Diagnostic::error(
                    summary_name,
                    format!("{} is {:.1} MiB; chapters may be at most {} MiB", file(), bytes as f64 / (1 << 20) as f64, MAX_CHAPTER_BYTES >> 20),
                )
                .with_help("split it into several chapters"),
            ))
        }
        Err(FileProblem::NotUtf8 { position }) => {
            return Err(Diagnostic::error(display_path(&config.root, &path), "this file is not valid UTF-8 text")
                .at_position(position)
                .with_help("save the file as UTF-8")
                .into())
        }
        Err(FileProblem::Io(e)) => return Err(Error::io("read", &path, e)),
        Err(problem) => {
            return Err(point(
                Diagnostic::error(summary_name, format!("chapter `{}` is listed, but its file {} {}", link.title, file(), problem.describe()))
                    .with_help(BOOK_FILES_HELP),
            ))
        }
    };
    let shown = display_path(&config.root, &path);
    let (front, body_start) = split_front_matter(&shown, &markdown).map_err(|d| Error::Content(vec![d]))?;
    if front.draft {
        return Ok(None);
    }
    Ok(Some(Chapter {
        title: link.title.clone(),
        source: location.clone(),
        page: page_path(location),
        number: link.number.clone(),
        shown,
        text: markdown.into(),
        body_start,
        front,
    }))
}

impl Book {
    /// Reads SUMMARY.md and every chapter it lists. Every missing or unreadable chapter
    /// is reported, each at its line in SUMMARY.md.
    pub fn load(config: Config) -> Result<Book> {
        let summary_path = config.src_dir.join(SUMMARY_FILE);
        let summary_name = display_path(&config.root, &summary_path);
        let summary_text = match read_text(&config.root, &summary_path)? {
            Some(text) => text,
            None => {
                return Err(Diagnostic::error(&summary_name, "the book has no table of contents")
                    .with_help(format!(
                        "create {} listing the chapters, such as `- [Introduction](intro.md)`",
                        summary_name.display()
                    ))
                    .into())
            }
        };
        let (mut summary, warnings) = parse_summary_with_warnings(&summary_name, &summary_text).map_err(|d| Error::from(*d))?;
        if config.html.no_section_label {
            summary.drop_numbers();
        }

        // The chapters' files are read in parallel, then taken in the book's order.
        let links: Vec<&ChapterLink> = summary.chapters().into_iter().filter(|link| link.location.is_some()).collect();
        let read: Vec<Result<Option<Chapter>>> = links.par_iter().map(|link| read_chapter(&config, &summary_name, link)).collect();
        let mut problems = Vec::new();
        let mut chapters = Vec::new();
        let mut pages: HashMap<String, PathBuf> = HashMap::new();
        for (link, chapter) in links.into_iter().zip(read) {
            let chapter = match chapter {
                Ok(Some(chapter)) => chapter,
                Ok(None) => continue,
                Err(Error::Content(mut d)) => {
                    problems.append(&mut d);
                    continue;
                }
                Err(e) => return Err(e),
            };
            if let Some(earlier) = pages.insert(chapter.page.clone(), chapter.source.clone()) {
                problems.push(
                    Diagnostic::error(&summary_name, format!("two chapters would both become the page {}", chapter.page))
                        .with_help(format!("{} is already listed; each chapter needs its own file", earlier.display()))
                        .at_position(link.position),
                );
                continue;
            }
            chapters.push(chapter);
        }
        if !problems.is_empty() {
            return Err(Error::Content(problems));
        }
        Ok(Book { config, summary, chapters, warnings })
    }

    /// Reads chapter `index` from its file again, as [`Book::load`] read it: with the same
    /// limits and the same problems, at its line in SUMMARY.md. `None` when it has become a
    /// draft.
    pub fn read_chapter_again(&self, index: usize) -> Result<Option<Chapter>> {
        let source = &self.chapters[index].source;
        let link = self.summary.chapters().into_iter().find(|link| link.location.as_ref() == Some(source));
        let Some(link) = link else { return Ok(None) };
        let summary_name = display_path(&self.config.root, &self.config.src_dir.join(SUMMARY_FILE));
        read_chapter(&self.config, &summary_name, link)
    }

    /// The page each chapter file becomes, by source path.
    pub fn pages_by_source(&self) -> HashMap<&Path, &str> {
        self.chapters.iter().map(|c| (c.source.as_path(), c.page.as_str())).collect()
    }

    /// The book's title, or a stand-in when `book.toml` has none.
    pub fn title(&self) -> &str {
        self.config.title.as_deref().unwrap_or("Untitled book")
    }
}

/// `intro.md` → `intro.html`; `README.md` and `index.md` → `index.html` in their folder.
pub fn page_path(source: &Path) -> String {
    let mut parts: Vec<String> =
        source.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut() {
        let stem = last.strip_suffix(".md").unwrap_or(last).to_owned();
        *last = if stem == "README" || stem == "index" { "index.html".to_owned() } else { format!("{stem}.html") };
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(page_path(Path::new("intro.md")), "intro.html");
        assert_eq!(page_path(Path::new("a/b.md")), "a/b.html");
        assert_eq!(page_path(Path::new("README.md")), "index.html");
        assert_eq!(page_path(Path::new("a/index.md")), "a/index.html");
    }

    #[test]
    fn number_labels() {
        assert_eq!(number_label(Some(&[1, 2])), "1.2. ");
        assert_eq!(number_label(None), "");
    }
}
