//! `book.toml`: the book's settings, with mdBook's key names and defaults.
//!
//! Unknown keys are reported as warnings (a typo should not go unnoticed, but a book
//! written for mdBook with keys we do not use must still build); malformed TOML and
//! values of the wrong type are errors naming `book.toml:line:column`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::diagnostic::Diagnostic;
use crate::core::error::{Error, Result};
use crate::core::fs::{normalized, read_text_file, repository_root, FileProblem, BOOK_FILES_HELP, MAX_TEXT_BYTES};
use crate::load::mdbook_keys::no_effect_warnings;
use crate::load::preprocessors::{preprocessors, Preprocessor};
use crate::load::site_url::SiteUrl;

/// The file name of the configuration, at the book's root.
pub const CONFIG_FILE: &str = "book.toml";

/// How many unknown keys are reported one by one; the rest are counted.
const MAX_KEY_WARNINGS: usize = 100;

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
    /// `ltr` or `rtl`, for `<html dir>`: `[book] text-direction`, else as mdBook derives it
    /// from the language.
    pub text_direction: &'static str,
    /// Where the Markdown lives (`[book] src`, default `content`).
    pub src_dir: PathBuf,
    /// Where the site is written (`[build] build-dir`, default `book`).
    pub build_dir: PathBuf,
    /// The book's own theme folder, if it has one (`[output.html] theme`, default `theme`).
    pub theme_dir: Option<PathBuf>,
    /// Where the book's own build of the demo runtime is (`[build] demos-dir`, default
    /// `demos-wasm/pkg`); without both builds there, the runtime built into `site-gen` is used
    /// ([`DemoRuntime`](crate::render::assets::DemoRuntime)).
    pub demos_dir: PathBuf,
    /// The `[output.html]` settings that change the pages.
    pub html: HtmlOptions,
    /// The external preprocessors to run, in order.
    pub preprocessors: Vec<Preprocessor>,
    /// The whole of `book.toml`, as preprocessors are sent it.
    pub raw: toml::Table,
}

/// `[output.html]` settings that change the pages (besides `theme`).
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// Linked from the top bar of every page.
    pub git_repository_url: Option<String>,
    /// The "Edit this page" link; `{path}` becomes the chapter's file from the book's root.
    pub edit_url_template: Option<String>,
    /// Where the book is published: canonical URLs, `og:url`, `sitemap.xml`, the 404 page's base.
    pub site_url: Option<SiteUrl>,
    /// Style sheets and scripts added to every page: `/`-separated paths from the book's root,
    /// copied to the same paths in the site.
    pub additional_css: Vec<BookFile>,
    pub additional_js: Vec<BookFile>,
    /// Written to a `CNAME` file for GitHub Pages.
    pub cname: Option<String>,
    /// The Markdown file, in the source folder, for the page shown for missing pages.
    /// `None` means `404.md` when it exists, else a built-in page.
    pub input_404: Option<PathBuf>,
    /// Whether the print page (`print.html`, the whole book on one page) is written:
    /// `[output.html.print] enable`, on unless set to `false`.
    pub print: bool,
    /// The Content-Security-Policy of every page (`[output.html] content-security-policy`,
    /// default [`DEFAULT_CSP`]); empty: none.
    pub content_security_policy: String,
    /// mdBook 0.5's Markdown switches, all on unless set to `false`: `smart-punctuation`
    /// (or its old name `curly-quotes`), `definition-lists`, `admonitions`.
    pub smart_punctuation: bool,
    pub definition_lists: bool,
    pub admonitions: bool,
    /// `no-section-label`: chapters are listed without their numbers.
    pub no_section_label: bool,
    /// `math` (or its older name `mathjax-support`): `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]`
    /// become MathML when the site is built.
    pub math: bool,
    /// `[output.html.redirect]`: old page paths (from the site's root, `/`-less, with an
    /// optional `#fragment`) and where each now is, in the order written.
    pub redirects: Vec<(String, String)>,
}

/// The pages' default Content-Security-Policy: scripts only from the site itself (and
/// WebAssembly compilation for the demos), no inline scripts or styles; what authors put
/// in their chapters from elsewhere — images, badges, videos, embedded players — over HTTPS.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data: https:; media-src 'self' data: https:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
     frame-src 'self' https:; object-src 'none'; base-uri 'self'; form-action 'self'";

/// An `[output.html] additional-css`/`additional-js` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookFile {
    /// The file on disk.
    pub file: PathBuf,
    /// Where it is copied in the site: `/`-separated, from the site's root (a path that
    /// leaves the book's folder loses its `../`, as the site has nothing above its root).
    pub site_path: String,
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
    /// mdBook's preprocessors (see `preprocessors.rs`).
    #[serde(default)]
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
    /// `ltr` or `rtl`; mdBook's default follows the language.
    text_direction: Option<TextDirection>,
    /// mdBook's key; accepted for compatibility.
    #[allow(dead_code)]
    multilingual: Option<bool>,
}

/// `[book] text-direction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    Ltr,
    Rtl,
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
    /// Other renderers' outputs, which site-gen does not write (see `mdbook_keys.rs`).
    #[serde(flatten)]
    #[allow(dead_code)]
    others: toml::Table,
}

/// mdBook's `[output.html]`. The keys after `input-404` are accepted so that mdBook books
/// build without warnings, and have no effect here (the README says so).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)]
struct HtmlSection {
    theme: Option<PathBuf>,
    git_repository_url: Option<String>,
    edit_url_template: Option<String>,
    site_url: Option<String>,
    #[serde(default)]
    additional_css: Vec<PathBuf>,
    #[serde(default)]
    additional_js: Vec<PathBuf>,
    cname: Option<String>,
    input_404: Option<PathBuf>,
    content_security_policy: Option<String>,
    git_repository_icon: Option<String>,
    default_theme: Option<String>,
    preferred_dark_theme: Option<String>,
    mathjax_support: Option<bool>,
    /// mdBook's newer name for `mathjax-support`.
    math: Option<bool>,
    definition_lists: Option<bool>,
    admonitions: Option<bool>,
    copy_fonts: Option<bool>,
    no_section_label: Option<bool>,
    smart_punctuation: Option<bool>,
    curly_quotes: Option<bool>,
    hash_files: Option<bool>,
    sidebar_header_nav: Option<bool>,
    live_reload_endpoint: Option<String>,
    #[serde(default)]
    redirect: toml::Table,
    fold: Option<toml::Table>,
    playground: Option<toml::Table>,
    code: Option<toml::Table>,
    search: Option<toml::Table>,
    #[serde(default)]
    print: PrintSection,
}

/// `[output.html.print]`, as in mdBook.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PrintSection {
    /// `false`: no print page (`print.html`) is written.
    enable: Option<bool>,
    /// Accepted for mdBook books; chapters always start a new printed page here.
    #[allow(dead_code)]
    page_break: Option<bool>,
}

impl Config {
    /// Reads `<root>/book.toml` (a missing file means every default). Returns the settings
    /// and any warnings about keys that were ignored.
    pub fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
        let path = root.join(CONFIG_FILE);
        let text = match read_text_file(&path, MAX_TEXT_BYTES) {
            Ok(text) => text,
            Err(FileProblem::Missing) => String::new(),
            Err(FileProblem::NotUtf8 { position }) => {
                return Err(Diagnostic::error(CONFIG_FILE, "book.toml is not valid UTF-8 text")
                    .at_position(position)
                    .with_help("save the file as UTF-8")
                    .into())
            }
            Err(FileProblem::Io(e)) => return Err(Error::io("read", path, e)),
            Err(problem) => return Err(Diagnostic::error(CONFIG_FILE, format!("book.toml {}", problem.describe())).with_help(BOOK_FILES_HELP).into()),
        };
        Config::from_str(root, &text)
    }

    /// Parses the text of `book.toml` for a book whose root is `root`.
    pub fn from_str(root: &Path, text: &str) -> Result<(Config, Vec<Diagnostic>)> {
        let mut ignored = Vec::new();
        let deserializer = toml::de::Deserializer::parse(text).map_err(|e| toml_error(text, e))?;
        let parsed: BookToml = serde_ignored::deserialize(deserializer, |key| {
            // `?` stands for an optional table on the way (`output.html.?.x`): not the author's words.
            ignored.push(key.to_string().split('.').filter(|part| *part != "?").collect::<Vec<_>>().join("."))
        })
        .map_err(|e| toml_error(text, e))?;

        let mut warnings = unknown_key_warnings(text, ignored);

        let book = parsed.book;
        // Without a `src` key, a book written for mdBook keeps its chapters in `src/`.
        let src = book.src.unwrap_or_else(|| {
            let mdbook_layout = !root.join("content/SUMMARY.md").is_file() && root.join("src/SUMMARY.md").is_file();
            PathBuf::from(if mdbook_layout { "src" } else { "content" })
        });
        if let Some(d) = source_folder_problem(root, &src, text) {
            return Err(d.into());
        }
        let build_dir = parsed.build.build_dir.unwrap_or_else(|| PathBuf::from("book"));
        let demos_dir = parsed.build.demos_dir.unwrap_or_else(|| PathBuf::from("demos-wasm/pkg"));
        let html_section = parsed.output.html.unwrap_or_default();
        let theme_dir = match &html_section.theme {
            Some(theme) => Some(root.join(theme)),
            None => Some(root.join("theme")).filter(|t| t.is_dir()),
        };
        let html = html_options(root, &root.join(&src), text, html_section, &mut warnings)?;
        let preprocessors = preprocessors(text, parsed.preprocessor.as_ref()).map_err(Error::Content)?;
        let raw: toml::Table = toml::from_str(text).unwrap_or_default();
        warnings.extend(no_effect_warnings(text, &raw));
        let config = Config {
            root: root.to_path_buf(),
            title: book.title,
            authors: book.authors,
            description: book.description,
            text_direction: text_direction(book.text_direction, book.language.as_deref()),
            language: book.language.unwrap_or_else(|| "en".to_owned()),
            src_dir: root.join(src),
            build_dir: root.join(build_dir),
            theme_dir,
            demos_dir: root.join(demos_dir),
            html,
            preprocessors,
            raw,
        };
        Ok((config, warnings))
    }
}

/// A warning at each of the first [`MAX_KEY_WARNINGS`] unknown keys of `book.toml`, and
/// one that counts the rest.
fn unknown_key_warnings(text: &str, ignored: Vec<String>) -> Vec<Diagnostic> {
    let unlisted = ignored.len().saturating_sub(MAX_KEY_WARNINGS);
    let mut warnings: Vec<Diagnostic> = ignored
        .into_iter()
        .take(MAX_KEY_WARNINGS)
        .map(|key| {
            let d = Diagnostic::warning(CONFIG_FILE, format!("unknown key `{key}` is ignored"))
                .with_help(
                    "known keys: [book] title, authors, description, language, src; \
                     [build] build-dir, demos-dir; [output.html] theme, git-repository-url, \
                     edit-url-template, site-url, additional-css, additional-js, cname, input-404 \
                     (and mdBook's other [output.html] keys, which have no effect)",
                );
            match find_key(text, &key) {
                Some(span) => d.at(text, span),
                None => d,
            }
        })
        .collect();
    if unlisted > 0 {
        warnings.push(Diagnostic::warning(CONFIG_FILE, format!("{unlisted} more unknown keys are ignored")));
    }
    warnings
}

/// Why `[book] src` cannot be the source folder, if it cannot: a file, or a folder that
/// holds the book's root (`..`, `/`), which would put the site inside its own sources and
/// make every file above the book part of it. A missing folder is reported later, as the
/// missing SUMMARY.md it should hold.
fn source_folder_problem(root: &Path, src: &Path, text: &str) -> Option<Diagnostic> {
    let dir = root.join(src);
    let shown = src.display();
    let at_src = |d: Diagnostic| match find_key(text, "book.src") {
        Some(span) => d.at(text, span),
        None => d,
    };
    let meta = std::fs::metadata(&dir).ok()?;
    if !meta.is_dir() {
        let d = Diagnostic::error(CONFIG_FILE, format!("src `{shown}` is a file, not a folder"));
        return Some(at_src(d).with_help("src names the folder that holds SUMMARY.md and the chapters, such as \"content\""));
    }
    let (real_dir, real_root) = (std::fs::canonicalize(&dir).ok()?, std::fs::canonicalize(root).ok()?);
    if real_root.starts_with(&real_dir) && real_root != real_dir {
        let d = Diagnostic::error(CONFIG_FILE, format!("src `{shown}` holds the book's own folder, so every file around the book would be part of it"));
        return Some(at_src(d).with_help("src names a folder inside the book that holds SUMMARY.md and the chapters, such as \"content\""));
    }
    None
}

/// Checks the `[output.html]` values that name an address or files, each problem at its key.
fn html_options(root: &Path, src_dir: &Path, text: &str, html: HtmlSection, warnings: &mut Vec<Diagnostic>) -> Result<HtmlOptions> {
    let mut problems = Vec::new();
    let site_url = match html.site_url.as_deref().map(SiteUrl::parse) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(why)) => {
            problems.push(at_key(text, "site-url", Diagnostic::error(CONFIG_FILE, format!("invalid site-url: {why}"))).with_help(
                "write the address the book is published at, such as \"https://example.org/my-book/\", or only its path, \"/my-book/\"",
            ));
            None
        }
    };
    let mut found = Found { problems: Vec::new(), warnings: Vec::new() };
    let additional_css = book_files(root, text, "additional-css", html.additional_css, &mut found);
    let additional_js = book_files(root, text, "additional-js", html.additional_js, &mut found);
    problems.append(&mut found.problems);
    warnings.append(&mut found.warnings);
    let redirects = redirects(text, html.redirect, &mut problems);
    if let Some(page) = &html.input_404 {
        if !src_dir.join(page).is_file() {
            let d = Diagnostic::error(CONFIG_FILE, format!("input-404 `{}` does not exist in the source folder", page.display()));
            problems.push(at_key(text, "input-404", d).with_help(
                "name a Markdown file in the source folder, such as \"404.md\", or remove the key to use the built-in page",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(HtmlOptions {
        git_repository_url: non_empty(html.git_repository_url),
        edit_url_template: non_empty(html.edit_url_template),
        site_url,
        additional_css,
        additional_js,
        cname: non_empty(html.cname),
        input_404: html.input_404,
        print: html.print.enable.unwrap_or(true),
        smart_punctuation: html.smart_punctuation.or(html.curly_quotes).unwrap_or(true),
        definition_lists: html.definition_lists.unwrap_or(true),
        admonitions: html.admonitions.unwrap_or(true),
        math: html.math.or(html.mathjax_support).unwrap_or(false),
        no_section_label: html.no_section_label.unwrap_or(false),
        content_security_policy: html.content_security_policy.map_or_else(|| DEFAULT_CSP.to_owned(), |p| p.trim().to_owned()),
        redirects,
    })
}

/// The text direction: as set, else right to left for the languages mdBook writes so.
fn text_direction(set: Option<TextDirection>, language: Option<&str>) -> &'static str {
    const RTL: [&str; 10] = ["ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ur"];
    let rtl = match set {
        Some(direction) => direction == TextDirection::Rtl,
        None => language.is_some_and(|l| RTL.contains(&l.split(['-', '_']).next().unwrap_or(l))),
    };
    if rtl { "rtl" } else { "ltr" }
}

/// `[output.html.redirect]`: every value must be a string, the address the old page now is.
fn redirects(text: &str, table: toml::Table, problems: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (from, to) in table {
        match to {
            toml::Value::String(to) => out.push((from.trim_start_matches('/').to_owned(), to)),
            other => problems.push(
                at_key(text, "redirect", Diagnostic::error(CONFIG_FILE, format!("redirect `{from}` must be an address, not a {}", other.type_str())))
                    .with_help("write `\"/old/page.html\" = \"new/page.html\"` under [output.html.redirect]"),
            ),
        }
    }
    out
}

/// What checking the book's files found: problems stop the build, warnings do not.
struct Found {
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// `d` pointed at where `[output.html] key` is written, when it can be found.
fn at_key(text: &str, key: &str, d: Diagnostic) -> Diagnostic {
    match find_key(text, &format!("output.html.{key}")) {
        Some(span) => d.at(text, span),
        None => d,
    }
}

/// The files of `[output.html] key` (paths from the book's root). A missing file is a
/// problem at the key; one outside the repository that holds the book is left out, with a
/// warning (mdBook reads it; this build reads nothing outside the repository).
fn book_files(root: &Path, text: &str, key: &str, paths: Vec<PathBuf>, found: &mut Found) -> Vec<BookFile> {
    let mut out = Vec::new();
    let book = normalized(root);
    let repository = repository_root(&book);
    for path in paths {
        let shown = path.display().to_string();
        let file = normalized(&root.join(&path));
        if !file.starts_with(&repository) {
            let d = Diagnostic::warning(CONFIG_FILE, format!("{key} `{shown}` is outside the repository that holds the book, so it is left out"))
                .with_help("put the file inside the book's repository (the nearest folder with `.git`, else the folder holding book.toml)");
            found.warnings.push(at_key(text, key, d));
        } else if !file.is_file() {
            let d = Diagnostic::error(CONFIG_FILE, format!("{key} `{shown}` does not exist"))
                .with_help(format!("create {shown} (paths are relative to the folder holding book.toml), or remove it from the list"));
            found.problems.push(at_key(text, key, d));
        } else {
            let site_path = site_path(&path);
            out.push(BookFile { file, site_path });
        }
    }
    out
}

/// A book file's path in the site: its normal parts, `/`-separated, `..` taking one off
/// (and none above the root).
fn site_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    parts.join("/")
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
    fn thousands_of_unknown_keys_are_counted_past_the_first_hundred() {
        let text: String = std::iter::once("[book]\n".to_owned()).chain((0..5000).map(|i| format!("k{i} = {i}\n"))).collect();
        let (_, warnings) = load(&text).unwrap();
        assert_eq!(warnings.len(), MAX_KEY_WARNINGS + 1);
        assert!(warnings[0].to_string().starts_with("book.toml:2:1: warning: unknown key `book.k0`"), "{}", warnings[0]);
        assert_eq!(warnings[MAX_KEY_WARNINGS].to_string(), "book.toml: warning: 4900 more unknown keys are ignored");
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
    fn html_output_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("theme")).unwrap();
        std::fs::write(dir.path().join("theme/extra.css"), "").unwrap();
        std::fs::write(dir.path().join("extra.js"), "").unwrap();
        let (c, warnings) = Config::from_str(
            dir.path(),
            "[output.html]\ngit-repository-url = \"https://example.org/repo\"\n\
             edit-url-template = \"https://example.org/repo/edit/main/{path}\"\n\
             site-url = \"https://example.org/lab\"\nadditional-css = [\"./theme/extra.css\"]\n\
             additional-js = [\"theme/../extra.js\"]\ncname = \"lab.example.org\"\n",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(c.html.git_repository_url.as_deref(), Some("https://example.org/repo"));
        assert_eq!(c.html.edit_url_template.as_deref(), Some("https://example.org/repo/edit/main/{path}"));
        assert_eq!(c.html.site_url.unwrap().absolute.as_deref(), Some("https://example.org/lab/"));
        let site_paths = |files: &[BookFile]| files.iter().map(|f| f.site_path.clone()).collect::<Vec<_>>();
        assert_eq!(site_paths(&c.html.additional_css), ["theme/extra.css"]);
        assert_eq!(site_paths(&c.html.additional_js), ["extra.js"]);
        assert_eq!(c.html.cname.as_deref(), Some("lab.example.org"));
    }

    #[test]
    fn missing_additional_files_and_bad_site_urls_name_their_key() {
        let err = load("[output.html]\nsite-url = \"example.org\"\nadditional-css = [\"nope.css\"]\nadditional-js = [\"../x.js\"]\n").unwrap_err();
        let Error::Content(d) = err else { panic!("expected a content error") };
        let lines: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert!(lines[0].starts_with("book.toml:2:1: error: invalid site-url: `example.org` is neither a full address nor a path"), "{lines:?}");
        assert!(lines[1].starts_with("book.toml:3:1: error: additional-css `nope.css` does not exist"), "{lines:?}");
        assert_eq!(lines.len(), 2, "{lines:?}");
        let (_, warnings) = load("[output.html]\nadditional-js = [\"../x.js\"]\n").unwrap();
        let line = warnings[0].to_string();
        assert!(line.starts_with("book.toml:2:1: warning: additional-js `../x.js` is outside the repository that holds the book"), "{line}");
    }

    #[test]
    fn additional_files_inside_the_repository_and_redirects() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("guide")).unwrap();
        std::fs::write(dir.path().join("ferris.css"), "").unwrap();
        let (c, warnings) = Config::from_str(
            &dir.path().join("guide"),
            "[output.html]\nadditional-css = [\"../ferris.css\"]\n[output.html.redirect]\n\"/old.html\" = \"new.html\"\n\"/a/b.html#x\" = \"../c.html#y\"\n",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(c.html.additional_css[0].site_path, "ferris.css");
        let mut redirects = c.html.redirects.clone();
        redirects.sort();
        assert_eq!(redirects, [("a/b.html#x".to_owned(), "../c.html#y".to_owned()), ("old.html".to_owned(), "new.html".to_owned())]);
    }

    #[test]
    fn mdbook_html_keys_are_read_or_named() {
        let (_, warnings) = load(
            "[output.html]\ndefault-theme = \"light\"\npreferred-dark-theme = \"navy\"\nmathjax-support = true\n\
             git-repository-icon = \"fa-github\"\n[output.html.fold]\nenable = true\nlevel = 1\n\
             [output.html.playground]\nrunnable = false\n[output.html.search]\nlimit-results = 20\n\
             [output.html.print]\nenable = false\n",
        )
        .unwrap();
        let keys: Vec<String> = warnings.iter().map(|w| w.message.split('`').nth(1).unwrap_or_default().to_owned()).collect();
        assert_eq!(keys, ["output.html.default-theme", "output.html.preferred-dark-theme", "output.html.git-repository-icon", "output.html.fold", "output.html.playground", "output.html.search"]);
        let (c, _) = load("[output.html.print]\nenable = false\n").unwrap();
        assert!(!c.html.print);
        assert!(load("").unwrap().0.html.print);
        let Err(Error::Content(d)) = load("[output.html.print]\nenable = \"no\"\n") else { panic!("a string is not a switch") };
        assert!(d[0].to_string().starts_with("book.toml:2:"), "{}", d[0]);
        let (_, warnings) = load("[output.html]\ngit-repo-url = \"x\"\n").unwrap();
        assert!(warnings[0].to_string().starts_with("book.toml:2:1: warning: unknown key `output.html.git-repo-url`"), "{}", warnings[0]);
    }

    #[test]
    fn text_direction_follows_the_language_unless_set() {
        assert_eq!(load("").unwrap().0.text_direction, "ltr");
        assert_eq!(load("[book]\nlanguage = \"ar\"\n").unwrap().0.text_direction, "rtl");
        assert_eq!(load("[book]\nlanguage = \"he\"\ntext-direction = \"ltr\"\n").unwrap().0.text_direction, "ltr");
        assert_eq!(load("[book]\ntext-direction = \"rtl\"\n").unwrap().0.text_direction, "rtl");
    }

    #[test]
    fn mdbook_keys_are_accepted_and_named() {
        let (_, warnings) = load(
            "[book]\nmultilingual = false\n[build]\ncreate-missing = false\n\
             [rust]\nedition = \"2021\"\n[preprocessor.links]\n",
        )
        .unwrap();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().all(|w| w.message.contains("has no effect in site-gen")), "{warnings:?}");
    }
}
