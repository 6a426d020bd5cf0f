//! `book.toml`: the book's settings, with mdBook's key names and defaults.
//!
//! Unknown keys are reported as warnings (a typo should not go unnoticed, but a book
//! written for mdBook with keys we do not use must still build); malformed TOML and
//! values of the wrong type are errors naming `book.toml:line:column`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

/// The file name of the configuration, at the book's root.
pub const CONFIG_FILE: &str = "book.toml";

/// The book's settings, with every path made absolute against the book's root.
#[derive(Debug, Clone)]
pub struct Config {
    /// The book's root: the folder holding `book.toml`.
    pub root: PathBuf,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    /// The language of the text, for `<html lang>`.
    pub language: String,
    /// Where the Markdown lives (`[book] src`, default `content`).
    pub src_dir: PathBuf,
    /// Where the site is written (`[build] build-dir`, default `book`).
    pub build_dir: PathBuf,
    /// The book's own theme folder, if it has one (`[output.html] theme`, default `theme`).
    pub theme_dir: Option<PathBuf>,
    /// Where the built demo runtime is (`[build] demos-dir`, default `demos-wasm/pkg`).
    pub demos_dir: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct BookToml {
    #[serde(default)]
    book: BookSection,
    #[serde(default)]
    build: BuildSection,
    #[serde(default)]
    output: OutputSection,
    /// mdBook preprocessors and Rust settings are accepted and not used.
    #[serde(default)]
    #[allow(dead_code)]
    preprocessor: Option<toml::Table>,
    #[serde(default)]
    #[allow(dead_code)]
    rust: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct BookSection {
    title: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    description: Option<String>,
    language: Option<String>,
    src: Option<PathBuf>,
    /// mdBook's key; accepted for compatibility.
    #[allow(dead_code)]
    multilingual: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct BuildSection {
    build_dir: Option<PathBuf>,
    demos_dir: Option<PathBuf>,
    /// mdBook's keys; accepted for compatibility.
    #[allow(dead_code)]
    create_missing: Option<bool>,
    #[allow(dead_code)]
    use_default_preprocessors: Option<bool>,
    #[allow(dead_code)]
    extra_watch_dirs: Option<Vec<PathBuf>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OutputSection {
    html: Option<HtmlSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct HtmlSection {
    theme: Option<PathBuf>,
}

impl Config {
    /// Reads `<root>/book.toml` (a missing file means every default). Returns the settings
    /// and any warnings about keys that were ignored.
    pub fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                Diagnostic::error(CONFIG_FILE, "book.toml is not valid UTF-8 text")
                    .at_position(crate::diagnostic::position_of(
                        &String::from_utf8_lossy(e.as_bytes()),
                        e.utf8_error().valid_up_to(),
                    ))
                    .with_help("save the file as UTF-8")
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io("read", path, e)),
        };
        Config::from_str(root, &text)
    }

    /// Parses the text of `book.toml` for a book whose root is `root`.
    pub fn from_str(root: &Path, text: &str) -> Result<(Config, Vec<Diagnostic>)> {
        let mut ignored = Vec::new();
        let deserializer = toml::de::Deserializer::parse(text).map_err(|e| toml_error(text, e))?;
        let parsed: BookToml = serde_ignored::deserialize(deserializer, |key| {
            ignored.push(key.to_string())
        })
        .map_err(|e| toml_error(text, e))?;

        let warnings = ignored
            .into_iter()
            .map(|key| {
                let d = Diagnostic::warning(CONFIG_FILE, format!("unknown key `{key}` is ignored"))
                    .with_help(
                        "known keys: [book] title, authors, description, language, src; \
                         [build] build-dir, demos-dir; [output.html] theme",
                    );
                match find_key(text, &key) {
                    Some(span) => d.at(text, span),
                    None => d,
                }
            })
            .collect();

        let book = parsed.book;
        let src = book.src.unwrap_or_else(|| PathBuf::from("content"));
        let build_dir = parsed.build.build_dir.unwrap_or_else(|| PathBuf::from("book"));
        let demos_dir = parsed.build.demos_dir.unwrap_or_else(|| PathBuf::from("demos-wasm/pkg"));
        let theme_dir = match parsed.output.html.and_then(|h| h.theme) {
            Some(theme) => Some(root.join(theme)),
            None => Some(root.join("theme")).filter(|t| t.is_dir()),
        };
        let config = Config {
            root: root.to_path_buf(),
            title: book.title,
            authors: book.authors,
            description: book.description,
            language: book.language.unwrap_or_else(|| "en".to_owned()),
            src_dir: root.join(src),
            build_dir: root.join(build_dir),
            theme_dir,
            demos_dir: root.join(demos_dir),
        };
        Ok((config, warnings))
    }
}

fn toml_error(text: &str, e: toml::de::Error) -> Error {
    let message = e.message().trim().to_owned();
    let d = Diagnostic::error(CONFIG_FILE, format!("invalid book.toml: {message}"))
        .with_help("see the book.toml reference in the README: [book], [build] and [output.html]");
    match e.span() {
        Some(span) => d.at(text, span).into(),
        None => d.into(),
    }
}

/// Finds where a dotted key such as `book.titel` is written, to point a warning at it.
fn find_key(text: &str, dotted: &str) -> Option<std::ops::Range<usize>> {
    let last = dotted.rsplit('.').next()?;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let key_here = trimmed.starts_with(last)
            && trimmed[last.len()..].trim_start().starts_with('=');
        let table_here = trimmed.starts_with('[') && trimmed.contains(dotted);
        if key_here || table_here {
            let start = offset + indent;
            let len = if key_here { last.len() } else { trimmed.trim_end().len() };
            return Some(start..start + len);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<(Config, Vec<Diagnostic>)> {
        Config::from_str(Path::new("/b"), text)
    }

    #[test]
    fn empty_file_gives_defaults() {
        let (c, warnings) = load("").unwrap();
        assert!(warnings.is_empty());
        assert_eq!(c.src_dir, Path::new("/b/content"));
        assert_eq!(c.build_dir, Path::new("/b/book"));
        assert_eq!(c.demos_dir, Path::new("/b/demos-wasm/pkg"));
        assert_eq!(c.language, "en");
        assert_eq!(c.title, None);
    }

    #[test]
    fn reads_book_and_build_sections() {
        let (c, warnings) = load(
            "[book]\ntitle = \"T\"\nauthors = [\"A\", \"B\"]\ndescription = \"D\"\n\
             language = \"fr\"\nsrc = \"src\"\n[build]\nbuild-dir = \"out\"\n",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(c.title.as_deref(), Some("T"));
        assert_eq!(c.authors, ["A", "B"]);
        assert_eq!(c.description.as_deref(), Some("D"));
        assert_eq!(c.language, "fr");
        assert_eq!(c.src_dir, Path::new("/b/src"));
        assert_eq!(c.build_dir, Path::new("/b/out"));
    }

    #[test]
    fn unknown_keys_warn_with_their_line() {
        let (_, warnings) = load("[book]\ntitle = \"T\"\ntitel = \"x\"\n[colour]\nx = 1\n").unwrap();
        let lines: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("book.toml:3:1: warning: unknown key `book.titel`"), "{lines:?}");
        assert!(lines[1].starts_with("book.toml:4:1: warning: unknown key `colour`"), "{lines:?}");
    }

    #[test]
    fn malformed_toml_names_line_and_column() {
        let err = load("[book]\ntitle = \"T\"\nauthors = [\"A\"\n").unwrap_err();
        let Error::Content(d) = err else { panic!("expected a content error") };
        assert!(d[0].to_string().starts_with("book.toml:3:"), "{}", d[0]);
        assert!(d[0].is_error());
    }

    #[test]
    fn wrong_type_names_line_and_column() {
        let err = load("[book]\ntitle = 3\n").unwrap_err();
        let Error::Content(d) = err else { panic!("expected a content error") };
        let line = d[0].to_string();
        assert!(line.starts_with("book.toml:2:9: error:"), "{line}");
        assert!(line.contains("string"), "{line}");
    }

    #[test]
    fn mdbook_keys_are_accepted_quietly() {
        let (_, warnings) = load(
            "[book]\nmultilingual = false\n[build]\ncreate-missing = false\n\
             [rust]\nedition = \"2021\"\n[preprocessor.links]\n",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
