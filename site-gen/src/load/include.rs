//! mdBook's text directives, expanded before Markdown is read: `{{#include file}}` (whole
//! file, `file:2`, `file::10`, `file:2:`, `file:2:10`, or `file:anchor` between
//! `ANCHOR: anchor` and `ANCHOR_END: anchor` lines), `{{#rustdoc_include …}}` (the same
//! here) and `{{#title …}}`; and `{{#demo-reference}}`, which becomes the reference of
//! every demo's parameters, made from the demos' own definitions. A backslash before the braces (`\{{#include x}}`) keeps a
//! directive as text.
//!
//! The expanded text remembers where each piece came from, so a problem found later
//! (say, in a demo block pulled in by an include) still names the right file and line.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::core::diagnostic::{display_path, Diagnostic, LineIndex};
use crate::core::fs::{read_text_file, FileProblem, MAX_TEXT_BYTES};
use crate::load::demo_reference::reference_markdown;

/// Included Markdown may include more, this many levels deep.
const MAX_DEPTH: usize = 10;

/// The most text a chapter's includes may pull in, all together: a file included many
/// times over (a few files including each other ten times each make billions of copies)
/// stops here, far past any page a browser can open.
pub const MAX_INCLUDED_BYTES: usize = 32 << 20;

/// The most directives expanded in one chapter, its included files' included.
pub const MAX_DIRECTIVES: usize = 10_000;

/// A piece of the expanded text and where it came from.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The byte range in the expanded text.
    pub expanded: Range<usize>,
    /// The file it came from, as shown in messages.
    pub file: PathBuf,
    /// That file's whole text.
    pub source: SourceText,
    /// Where the piece starts in that file.
    pub offset: usize,
}

/// A file's whole text, shared by the pieces taken from it, with its lines indexed once,
/// when a problem is first placed in it.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<str>,
    lines: Arc<OnceLock<LineIndex>>,
}

impl SourceText {
    pub fn new(text: Arc<str>) -> SourceText {
        SourceText { text, lines: Arc::default() }
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

impl std::ops::Deref for SourceText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

/// A chapter's text with every directive expanded.
#[derive(Debug, Clone, Default)]
pub struct Expanded {
    pub text: String,
    pub segments: Vec<Segment>,
    /// The page title set by `{{#title …}}`, if any.
    pub title: Option<String>,
}

impl Expanded {
    /// Text with no directives, starting at `offset` in `file`.
    pub fn plain(file: &Path, source: Arc<str>, offset: usize) -> Expanded {
        let text = source[offset..].to_owned();
        let segments = vec![Segment { expanded: 0..text.len(), file: file.to_path_buf(), source: SourceText::new(source), offset }];
        Expanded { text, segments, title: None }
    }

    /// Drops the expanded text, keeping where each piece came from: all that
    /// [`Expanded::diagnostic`] needs once the chapter is rendered. (A chapter without
    /// directives then holds no copy of its file's text.)
    pub fn forget_text(&mut self) {
        self.text = String::new();
    }

    /// A problem at `span` of the expanded text, pointed at the file and line it came from.
    pub fn diagnostic(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let segment = self
            .segments
            .iter()
            .rev()
            .find(|s| s.expanded.start <= span.start)
            .or(self.segments.first());
        match segment {
            Some(s) => {
                let start = s.offset + (span.start - s.expanded.start).min(s.expanded.len());
                let end = s.offset + (span.end.max(span.start) - s.expanded.start).min(s.expanded.len());
                Diagnostic::error(&s.file, message).at_indexed(&s.source, s.source.lines(), start..end.max(start))
            }
            None => Diagnostic::error("", message),
        }
    }

    /// Text made by the build (not read from a file), placed where the directive at
    /// `at` in `source` stood; problems in it point at the directive.
    fn push_generated(&mut self, file: &Path, source: &SourceText, at: usize, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.segments.push(Segment { expanded: start..self.text.len(), file: file.to_path_buf(), source: source.clone(), offset: at });
    }

    /// Appends another expansion's text and where it came from.
    fn append(&mut self, inner: Expanded) {
        let base = self.text.len();
        self.text.push_str(&inner.text);
        self.segments.extend(inner.segments.into_iter().map(|mut s| {
            s.expanded = s.expanded.start + base..s.expanded.end + base;
            s
        }));
    }

    fn push(&mut self, file: &Path, source: &SourceText, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(&source[range.clone()]);
        self.segments.push(Segment {
            expanded: start..self.text.len(),
            file: file.to_path_buf(),
            source: source.clone(),
            offset: range.start,
        });
    }
}

/// Expands the directives in `source[offset..]`, the text of `path` (shown as `shown`).
/// Included files must stay inside `root`, the book's root.
pub fn expand(root: &Path, path: &Path, shown: &Path, source: Arc<str>, offset: usize) -> Result<Expanded, Vec<Diagnostic>> {
    if !source[offset..].contains("{{#") {
        return Ok(Expanded::plain(shown, source, offset));
    }
    let mut out = Expanded::default();
    let mut expansion =
        Expansion { root, problems: Vec::new(), stack: vec![canonical(path)], files: HashMap::new(), included: 0, directives: 0, stopped: false };
    expansion.expand_into(&mut out, &FileText { path, shown, source: &SourceText::new(source) }, offset);
    if expansion.problems.is_empty() {
        Ok(out)
    } else {
        Err(expansion.problems)
    }
}

/// An expansion in progress: the problems found so far, the files being expanded, one
/// inside the other (to catch cycles), the files read so far (each is read once), and how
/// much has been expanded (to stop at the limits).
struct Expansion<'r> {
    root: &'r Path,
    problems: Vec<Diagnostic>,
    stack: Vec<PathBuf>,
    files: HashMap<PathBuf, SourceText>,
    /// Bytes pulled in by includes so far.
    included: usize,
    /// Directives expanded so far.
    directives: usize,
    /// A limit was reached: nothing more is expanded.
    stopped: bool,
}

/// A file whose directives are expanded: where it is, how messages name it, its text.
struct FileText<'a> {
    path: &'a Path,
    shown: &'a Path,
    source: &'a SourceText,
}

/// One of our directives, found in a file's text.
struct Directive<'t> {
    command: &'t str,
    argument: &'t str,
    /// From `{{#` to `}}`.
    span: Range<usize>,
}

impl Expansion<'_> {
    /// Appends `file`'s text from `offset` to `out`, its directives expanded.
    fn expand_into(&mut self, out: &mut Expanded, file: &FileText<'_>, offset: usize) {
        let text = &file.source[..];
        let mut copied = offset;
        let mut search = offset;
        while let Some(directive) = next_directive(text, &mut search) {
            let Range { start, end } = directive.span;
            if start > 0 && text.as_bytes()[start - 1] == b'\\' {
                // `\{{#include x}}` is the directive written as text: drop the backslash.
                out.push(file.shown, file.source, copied..start - 1);
                out.push(file.shown, file.source, start..end);
                copied = end;
                continue;
            }
            out.push(file.shown, file.source, copied..start);
            copied = end;
            if self.stopped {
                return;
            }
            self.directives += 1;
            if self.directives > MAX_DIRECTIVES {
                let message = format!("this chapter expands more than {MAX_DIRECTIVES} directives (`{{{{#include}}}}` and the others, its included files' counted)");
                self.problem(file, &directive, message, "include fewer files, or the same file fewer times");
                self.stopped = true;
                return;
            }
            match directive.command {
                "demo-reference" => out.push_generated(file.shown, file.source, start, &reference_markdown()),
                "title" if directive.argument.is_empty() => {
                    self.problem(file, &directive, "`{{#title}}` needs the title to use".into(), "write `{{#title The page title}}`")
                }
                "title" => out.title = Some(directive.argument.to_owned()),
                _ => self.include(out, file, &directive),
            }
        }
        out.push(file.shown, file.source, copied..text.len());
    }

    fn problem(&mut self, file: &FileText<'_>, directive: &Directive<'_>, message: String, help: &str) {
        let d = Diagnostic::error(file.shown, message).at_indexed(file.source, file.source.lines(), directive.span.clone());
        self.problems.push(d.with_help(help.to_owned()));
    }

    /// `{{#include file…}}` or `{{#rustdoc_include file…}}`: the selected part of the file,
    /// its own directives expanded when it is Markdown included whole.
    fn include(&mut self, out: &mut Expanded, file: &FileText<'_>, directive: &Directive<'_>) {
        let (name, selection) = split_selection(directive.argument);
        if name.is_empty() {
            let message = format!("`{{{{#{}}}}}` needs a file", directive.command);
            return self.problem(file, directive, message, "write `{{#include path/to/file.rs}}`, relative to this file");
        }
        let target = file.path.parent().unwrap_or(Path::new("")).join(name);
        let resolved = canonical(&target);
        let read = self.refusal(name, &resolved).map_or_else(|| self.read(&target, &resolved, name), Err);
        let included = match read {
            Ok(text) => text,
            Err((message, help)) => return self.problem(file, directive, message, help),
        };
        let included_shown = display_path(&canonical(self.root), &resolved);
        let ranges = match select(&included, selection) {
            Ok(ranges) => ranges,
            Err(message) => return self.problem(file, directive, message, SELECTION_HELP),
        };
        self.included += ranges.iter().map(|r| r.len()).sum::<usize>();
        if self.included > MAX_INCLUDED_BYTES {
            let message = format!("this chapter's includes come to more than {} MiB of text", MAX_INCLUDED_BYTES >> 20);
            self.problem(file, directive, message, "include less, or split the chapter");
            self.stopped = true;
            return;
        }
        let nested = target.extension().is_some_and(|e| e == "md") && selection.is_none();
        if nested && included.contains("{{#") {
            self.stack.push(resolved);
            let mut inner = Expanded::default();
            self.expand_into(&mut inner, &FileText { path: &target, shown: &included_shown, source: &included }, 0);
            self.stack.pop();
            out.append(inner);
        } else {
            for range in ranges {
                out.push(&included_shown, &included, range);
            }
        }
    }

    /// The text of the file `name` (at `target`, really `resolved`), read once per chapter.
    fn read(&mut self, target: &Path, resolved: &Path, name: &str) -> Result<SourceText, (String, &'static str)> {
        if let Some(text) = self.files.get(resolved) {
            return Ok(text.clone());
        }
        let text = SourceText::new(read_included(target, name)?);
        self.files.insert(resolved.to_path_buf(), text.clone());
        Ok(text)
    }

    /// Why the file `name` (at `resolved`) cannot be included here, if it cannot.
    fn refusal(&self, name: &str, resolved: &Path) -> Option<(String, &'static str)> {
        let root = canonical(self.root);
        if !resolved.starts_with(&root) {
            return Some((format!("`{name}` is outside the book's folder"), "included files must be inside the book's root folder"));
        }
        if self.stack.iter().any(|p| p == resolved) {
            let chain: Vec<String> =
                self.stack.iter().map(PathBuf::as_path).chain([resolved]).map(|p| display_path(&root, p).display().to_string()).collect();
            return Some((format!("include cycle: {}", chain.join(" → ")), "remove one of the includes in the cycle"));
        }
        if self.stack.len() > MAX_DEPTH {
            return Some((format!("includes are nested more than {MAX_DEPTH} deep"), "include fewer levels"));
        }
        None
    }
}

const SELECTION_HELP: &str =
    "use `file:N`, `file::N`, `file:N:`, `file:N:M` or `file:anchor` with `ANCHOR: anchor` … `ANCHOR_END: anchor` lines in the file";

/// The next of our directives in `text` from `*search` on (moving `*search` past it);
/// `{{#…}}` that is not ours (a Handlebars-style template in a code sample) is skipped.
fn next_directive<'t>(text: &'t str, search: &mut usize) -> Option<Directive<'t>> {
    loop {
        let start = *search + text[*search..].find("{{#")?;
        let end = start + text[start..].find("}}")? + 2;
        *search = end;
        let inner = &text[start + 3..end - 2];
        let (command, argument) = match inner.split_once(char::is_whitespace) {
            Some((c, a)) => (c, a.trim()),
            None => (inner, ""),
        };
        if !inner.contains('\n') && matches!(command, "include" | "rustdoc_include" | "title" | "demo-reference") {
            return Some(Directive { command, argument, span: start..end });
        }
    }
}

/// The text of an included file, or why it cannot be had: only regular files of UTF-8
/// text, at most [`MAX_TEXT_BYTES`] like every file of a book.
fn read_included(target: &Path, name: &str) -> Result<Arc<str>, (String, &'static str)> {
    match read_text_file(target, MAX_TEXT_BYTES) {
        Ok(s) => Ok(s.into()),
        Err(FileProblem::NotUtf8 { .. }) => Err((format!("`{name}` is not UTF-8 text"), "only text files can be included")),
        Err(FileProblem::Missing) => Err((format!("the included file `{name}` does not exist"), "paths are relative to the file that includes them")),
        Err(problem @ (FileProblem::Folder | FileProblem::LinkToFolder | FileProblem::NotAFile(_) | FileProblem::LinkLoop)) => {
            Err((format!("the included file `{name}` {}", problem.describe()), "only text files can be included"))
        }
        Err(problem @ FileProblem::TooLarge { .. }) => {
            Err((format!("the included file `{name}` {}", problem.describe()), "include a smaller file"))
        }
        Err(problem) => Err((format!("the included file `{name}` {}", problem.describe()), "check that the file can be read")),
    }
}

/// `file.rs:2:10` → (`file.rs`, Some(`2:10`)).
fn split_selection(argument: &str) -> (&str, Option<&str>) {
    match argument.split_once(':') {
        Some((file, rest)) => (file.trim(), Some(rest.trim())),
        None => (argument.trim(), None),
    }
}

/// The byte ranges of `text` that a selection keeps, line by line.
fn select(text: &str, selection: Option<&str>) -> Result<Vec<Range<usize>>, String> {
    let lines = line_ranges(text);
    let Some(selection) = selection.filter(|s| !s.is_empty()) else {
        return Ok(vec![0..text.len()]);
    };
    let number = |s: &str| -> Result<Option<usize>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<usize>().map(Some).map_err(|_| format!("`{s}` is not a line number"))
    };
    let is_range = selection.chars().all(|c| c.is_ascii_digit() || c == ':');
    if is_range {
        let (first, last) = match selection.split_once(':') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(selection)?;
                (n, n)
            }
        };
        let first = first.unwrap_or(1).max(1);
        let last = last.unwrap_or(lines.len()).min(lines.len());
        if first > lines.len() {
            return Err(format!("line {first} is past the end of the file ({} lines)", lines.len()));
        }
        if first > last {
            return Ok(Vec::new());
        }
        return Ok(vec![lines[first - 1].start..lines[last - 1].end]);
    }
    // An anchor: the lines between its markers, without any marker lines inside.
    let mut inside = false;
    let mut found = false;
    let mut kept = Vec::new();
    for line in &lines {
        let content = &text[line.clone()];
        if let Some(name) = anchor_name(content, "ANCHOR_END:") {
            if inside && name == selection {
                return Ok(kept);
            }
            continue;
        }
        if let Some(name) = anchor_name(content, "ANCHOR:") {
            if name == selection {
                inside = true;
                found = true;
            }
            continue;
        }
        if inside {
            kept.push(line.clone());
        }
    }
    if found {
        Ok(kept)
    } else {
        Err(format!("no anchor `{selection}` in the file (expected a line with `ANCHOR: {selection}`)"))
    }
}

fn anchor_name<'t>(line: &'t str, marker: &str) -> Option<&'t str> {
    let at = line.find(marker)?;
    let rest = line[at + marker.len()..].trim_start();
    let name: &str = &rest[..rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len())];
    (!name.is_empty()).then_some(name)
}

/// Each line's byte range, including its line ending.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push(start..start + line.len());
        start += line.len();
    }
    out
}

/// The real path (symbolic links resolved) when the file exists, else the path with `.`
/// and `..` resolved by name, so a missing file outside the book is still seen as outside.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Book(tempfile::TempDir);

    impl Book {
        fn new(files: &[(&str, &str)]) -> Book {
            let dir = tempfile::tempdir().unwrap();
            for (name, text) in files {
                let path = dir.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Book(dir)
        }

        fn expand(&self, name: &str) -> Result<Expanded, Vec<Diagnostic>> {
            let path = self.0.path().join(name);
            let text: Arc<str> = std::fs::read_to_string(&path).unwrap().into();
            expand(self.0.path(), &path, Path::new(name), text, 0)
        }
    }

    const CODE: &str = "line 1\nline 2\n// ANCHOR: part\nline 4\n// ANCHOR: inner\nline 6\n// ANCHOR_END: inner\n// ANCHOR_END: part\nline 9\n";

    #[test]
    fn whole_files_ranges_and_anchors() {
        let book = Book::new(&[("src/a.md", "```\n{{#include ../code.rs:2}}```\n[{{#include ../code.rs::2}}]\n{{#include ../code.rs:8:}}|{{#include ../code.rs:1:1}}|{{#rustdoc_include ../code.rs:part}}"), ("code.rs", CODE)]);
        let e = book.expand("src/a.md").unwrap();
        assert_eq!(
            e.text,
            "```\nline 2\n```\n[line 1\nline 2\n]\n// ANCHOR_END: part\nline 9\n|line 1\n|line 4\nline 6\n"
        );
    }

    #[test]
    fn the_demo_reference_comes_from_the_catalogue() {
        let book = Book::new(&[("a.md", "# Reference\n\n{{#demo-reference}}\nafter\n")]);
        let e = book.expand("a.md").unwrap();
        assert!(e.text.contains("| `n` |"), "{}", e.text);
        assert!(e.text.contains("`primes`"), "{}", e.text);
        assert!(e.text.ends_with("\nafter\n"), "{}", e.text);
        let at = e.text.find("after").unwrap();
        assert_eq!(e.diagnostic(at..at + 5, "p").to_string(), "a.md:4:1: error: p");
    }

    #[test]
    fn titles_and_escapes() {
        let book = Book::new(&[("a.md", "{{#title Custom <b>title</b>}}\nText \\{{#include nothing.md}} {{#other x}}\n")]);
        let e = book.expand("a.md").unwrap();
        assert_eq!(e.title.as_deref(), Some("Custom <b>title</b>"));
        assert_eq!(e.text, "\nText {{#include nothing.md}} {{#other x}}\n");
    }

    #[test]
    fn included_markdown_is_expanded_and_mapped_back() {
        let book = Book::new(&[("a.md", "# A\n\n{{#include parts/b.md}}\nend\n"), ("parts/b.md", "B says\n{{#include c.md}}"), ("parts/c.md", "C1\nC2 here\n")]);
        let e = book.expand("a.md").unwrap();
        assert_eq!(e.text, "# A\n\nB says\nC1\nC2 here\n\nend\n");
        let at = e.text.find("here").unwrap();
        let d = e.diagnostic(at..at + 4, "problem");
        assert_eq!(d.to_string(), "parts/c.md:2:4: error: problem");
        let at = e.text.find("end").unwrap();
        assert_eq!(e.diagnostic(at..at + 3, "p").to_string(), "a.md:4:1: error: p");
    }

    #[test]
    fn missing_files_name_the_directive() {
        let book = Book::new(&[("a.md", "one\n  {{#include nope.rs}}\n")]);
        let d = book.expand("a.md").unwrap_err();
        assert_eq!(d[0].to_string().split(" (help").next().unwrap(), "a.md:2:3: error: the included file `nope.rs` does not exist");
    }

    #[test]
    fn cycles_are_errors() {
        let book = Book::new(&[("a.md", "{{#include b.md}}"), ("b.md", "x\n{{#include a.md}}")]);
        let d = book.expand("a.md").unwrap_err();
        let line = d[0].to_string();
        assert!(line.starts_with("b.md:2:1: error: include cycle: a.md → b.md → a.md"), "{line}");
    }

    #[test]
    fn leaving_the_book_is_an_error() {
        let book = Book::new(&[("book/a.md", "{{#include ../../etc/passwd}}")]);
        let path = book.0.path().join("book/a.md");
        let text: Arc<str> = std::fs::read_to_string(&path).unwrap().into();
        let d = expand(&book.0.path().join("book"), &path, Path::new("a.md"), text, 0).unwrap_err();
        assert!(d[0].to_string().contains("is outside the book's folder"), "{}", d[0]);
    }

    #[test]
    fn bad_selections_are_errors() {
        let book = Book::new(&[("a.md", "{{#include code.rs:nothing}}\n{{#include code.rs:99}}"), ("code.rs", CODE)]);
        let d = book.expand("a.md").unwrap_err();
        assert_eq!(d.len(), 2);
        assert!(d[0].to_string().contains("no anchor `nothing`"), "{}", d[0]);
        assert!(d[1].to_string().starts_with("a.md:2:1: error: line 99 is past the end"), "{}", d[1]);
    }

    #[test]
    fn text_without_directives_is_one_segment() {
        let e = expand(Path::new("/"), Path::new("/x.md"), Path::new("x.md"), Arc::from("+++\n+++\nbody"), 8).unwrap();
        assert_eq!(e.text, "body");
        assert_eq!(e.diagnostic(0..4, "m").to_string(), "x.md:3:1: error: m");
    }
}
