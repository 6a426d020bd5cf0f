//! mdBook's text directives, expanded before Markdown is read: `{{#include file}}` (whole
//! file, `file:2`, `file::10`, `file:2:`, `file:2:10`, or `file:anchor` between
//! `ANCHOR: anchor` and `ANCHOR_END: anchor` lines), `{{#rustdoc_include …}}` (the lines
//! left out kept as hidden `# ` lines), `{{#playground file attrs…}}` (a Rust code block),
//! `{{#title …}}`, mdbook-template's `{{#template file key=value…}}`; and
//! `{{#demo-reference}}`, which becomes the reference of every demo's parameters, made from
//! the demos' own definitions. A backslash before the braces (`\{{#include x}}`) keeps a
//! directive as text. Included text is expanded in turn, as mdBook does.
//!
//! As in mdBook, a directive that cannot be carried out (a missing file, an anchor that is
//! not there, a file outside the book's repository) is left in the page as text, with a
//! warning ([`Expanded::warnings`]): `check` and `--deny-warnings` refuse them. Files may be
//! included from anywhere in the repository that holds the book (the nearest folder with
//! `.git`, else the book's own folder), and from nowhere else.
//!
//! The expanded text remembers where each piece came from, so a problem found later
//! (say, in a demo block pulled in by an include) still names the right file and line.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::core::diagnostic::{Diagnostic, LineIndex};
use crate::core::fs::{read_text_file, repository_root, FileProblem, MAX_TEXT_BYTES};
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
    /// Directives that could not be carried out and were left as text.
    pub warnings: Vec<Diagnostic>,
}

impl Expanded {
    /// Text with no directives, starting at `offset` in `file`.
    pub fn plain(file: &Path, source: Arc<str>, offset: usize) -> Expanded {
        let text = source[offset..].to_owned();
        let segments = vec![Segment { expanded: 0..text.len(), file: file.to_path_buf(), source: SourceText::new(source), offset }];
        Expanded { text, segments, title: None, warnings: Vec::new() }
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
/// `root` is the book's root; included files must stay inside the repository that holds it.
pub fn expand(root: &Path, path: &Path, shown: &Path, source: Arc<str>, offset: usize) -> Result<Expanded, Vec<Diagnostic>> {
    if !source[offset..].contains("{{") {
        return Ok(Expanded::plain(shown, source, offset));
    }
    let mut out = Expanded::default();
    let book = canonical(root);
    let repository = repository_root(&book);
    let mut expansion = Expansion {
        book,
        repository,
        problems: Vec::new(),
        warnings: Vec::new(),
        stack: vec![canonical(path)],
        files: HashMap::new(),
        included: 0,
        directives: 0,
        stopped: false,
    };
    let end = source.len();
    expansion.expand_into(&mut out, &FileText { path, shown, source: &SourceText::new(source) }, offset..end);
    out.warnings = expansion.warnings;
    if expansion.problems.is_empty() {
        Ok(out)
    } else {
        Err(expansion.problems)
    }
}

/// An expansion in progress: the problems and warnings found so far, the files being
/// expanded, one inside the other (to catch cycles), the files read so far (each is read
/// once), and how much has been expanded (to stop at the limits).
struct Expansion {
    book: PathBuf,
    repository: PathBuf,
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
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

/// What a directive that reads a file makes of it.
enum Included {
    /// Ranges of the file, its own directives expanded in turn.
    Ranges(SourceText, PathBuf, Vec<Range<usize>>),
    /// Text made from the file, placed where the directive stood.
    Generated(String),
}

impl Expansion {
    /// Appends `file`'s text in `range` to `out`, its directives expanded.
    fn expand_into(&mut self, out: &mut Expanded, file: &FileText<'_>, range: Range<usize>) {
        let text = &file.source[..range.end];
        let mut copied = range.start;
        let mut search = range.start;
        while let Some(directive) = next_directive(text, &mut search) {
            let Range { start, end } = directive.span;
            if start > range.start && text.as_bytes()[start - 1] == b'\\' {
                // `\{{#include x}}` is the directive written as text: drop the backslash.
                out.push(file.shown, file.source, copied..start - 1);
                out.push(file.shown, file.source, start..end);
                copied = end;
                continue;
            }
            out.push(file.shown, file.source, copied..start);
            copied = end;
            if self.stopped || !self.counted(file, &directive) {
                return;
            }
            if !self.directive(out, file, &directive) {
                // Left as text, as mdBook leaves a directive it cannot carry out.
                out.push(file.shown, file.source, start..end);
            }
        }
        out.push(file.shown, file.source, copied..range.end);
    }

    /// Counts `directive` against [`MAX_DIRECTIVES`]; false (and nothing more expanded)
    /// past the limit.
    fn counted(&mut self, file: &FileText<'_>, directive: &Directive<'_>) -> bool {
        self.directives += 1;
        if self.directives > MAX_DIRECTIVES {
            let message = format!("this chapter expands more than {MAX_DIRECTIVES} directives (`{{{{#include}}}}` and the others, its included files' counted)");
            self.problem(file, directive, message, "include fewer files, or the same file fewer times");
            self.stopped = true;
        }
        !self.stopped
    }

    /// Carries out `directive`; false when it is left as text (with a warning).
    fn directive(&mut self, out: &mut Expanded, file: &FileText<'_>, directive: &Directive<'_>) -> bool {
        match directive.command {
            "demo-reference" => out.push_generated(file.shown, file.source, directive.span.start, &reference_markdown()),
            "title" if directive.argument.is_empty() => {
                self.warn(file, directive, "`{{#title}}` has no title, so it is left as text".into(), "write `{{#title The page title}}`");
                return false;
            }
            "title" => out.title = Some(directive.argument.to_owned()),
            _ => return self.include(out, file, directive),
        }
        true
    }

    fn problem(&mut self, file: &FileText<'_>, directive: &Directive<'_>, message: String, help: &str) {
        let d = Diagnostic::error(file.shown, message).at_indexed(file.source, file.source.lines(), directive.span.clone());
        self.problems.push(d.with_help(help.to_owned()));
    }

    fn warn(&mut self, file: &FileText<'_>, directive: &Directive<'_>, message: String, help: &str) {
        let d = Diagnostic::warning(file.shown, message).at_indexed(file.source, file.source.lines(), directive.span.clone());
        self.warnings.push(d.with_help(help.to_owned()));
    }

    /// The directives that read a file: the selected part of the file (its own directives
    /// expanded in turn), or text made from it. False when left as text.
    fn include(&mut self, out: &mut Expanded, file: &FileText<'_>, directive: &Directive<'_>) -> bool {
        let mut words = directive.argument.split_whitespace();
        let Some(first) = words.next() else {
            let message = format!("`{{{{#{}}}}}` names no file, so it is left as text", directive.command);
            self.warn(file, directive, message, "write `{{#include path/to/file.rs}}`, relative to this file");
            return false;
        };
        let rest: Vec<&str> = words.collect();
        let (name, selection) = split_selection(first);
        let target = file.path.parent().unwrap_or(Path::new("")).join(name);
        let resolved = canonical(&target);
        if let Some((message, help)) = self.cycle(&resolved) {
            self.problem(file, directive, message, help);
            return true;
        }
        let read = self.refusal(name, &resolved).map_or_else(|| self.read(&target, &resolved, name), Err);
        let text = match read {
            Ok(text) => text,
            Err((message, help)) => {
                self.warn(file, directive, format!("{message}, so the directive is left as text"), help);
                return false;
            }
        };
        let made = match directive.command {
            "playground" | "playpen" => Ok(Included::Generated(playground(&text, &rest))),
            "template" => Ok(Included::Generated(template(&text, &rest))),
            "rustdoc_include" => rustdoc_lines(&text, selection).map(Included::Generated),
            _ => select(&text, selection).map(|ranges| Included::Ranges(text.clone(), self.shown(&resolved), ranges)),
        };
        if !self.within_limit(file, directive, &made) {
            return true;
        }
        match made {
            Ok(Included::Generated(generated)) => {
                self.nested(out, file, &target, resolved, SourceText::new(Arc::from(generated)), directive.span.start)
            }
            Ok(Included::Ranges(text, shown, ranges)) => {
                self.stack.push(resolved);
                for range in ranges {
                    self.expand_into(out, &FileText { path: &target, shown: &shown, source: &text }, range);
                }
                self.stack.pop();
            }
            Err(message) => self.warn(file, directive, message, SELECTION_HELP),
        }
        true
    }

    /// Counts what `made` pulls in against [`MAX_INCLUDED_BYTES`]; false (and nothing more
    /// expanded) past the limit.
    fn within_limit(&mut self, file: &FileText<'_>, directive: &Directive<'_>, made: &Result<Included, String>) -> bool {
        self.included += match made {
            Ok(Included::Generated(text)) => text.len(),
            Ok(Included::Ranges(_, _, ranges)) => ranges.iter().map(|r| r.len()).sum(),
            Err(_) => 0,
        };
        if self.included > MAX_INCLUDED_BYTES {
            let message = format!("this chapter's includes come to more than {} MiB of text", MAX_INCLUDED_BYTES >> 20);
            self.problem(file, directive, message, "include less, or split the chapter");
            self.stopped = true;
        }
        !self.stopped
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

    /// Text made from the file at `target` (`resolved`), expanded in turn and placed where
    /// the directive at `at` stood.
    fn nested(&mut self, out: &mut Expanded, file: &FileText<'_>, target: &Path, resolved: PathBuf, text: SourceText, at: usize) {
        let mut inner = Expanded::default();
        self.stack.push(resolved);
        let end = text.len();
        self.expand_into(&mut inner, &FileText { path: target, shown: file.shown, source: &text }, 0..end);
        self.stack.pop();
        let start = out.text.len();
        out.text.push_str(&inner.text);
        out.segments.push(Segment { expanded: start..out.text.len(), file: file.shown.to_path_buf(), source: file.source.clone(), offset: at });
    }

    /// `path` (absolute) as messages name it: from the book's root, with `../` when outside.
    fn shown(&self, path: &Path) -> PathBuf {
        relative_from(&self.book, path)
    }

    /// Why the file `name` (at `resolved`) cannot be read here, if it cannot.
    fn refusal(&self, name: &str, resolved: &Path) -> Option<(String, &'static str)> {
        (!resolved.starts_with(&self.repository)).then(|| {
            (
                format!("`{name}` is outside the repository that holds the book"),
                "included files must be inside the book's repository (the nearest folder with `.git`, else the book's folder)",
            )
        })
    }

    /// The problem when including `resolved` here would go round in a circle, or too deep.
    fn cycle(&self, resolved: &Path) -> Option<(String, &'static str)> {
        if self.stack.iter().any(|p| p == resolved) {
            let chain: Vec<String> =
                self.stack.iter().map(PathBuf::as_path).chain([resolved]).map(|p| self.shown(p).display().to_string()).collect();
            return Some((format!("include cycle: {}", chain.join(" → ")), "remove one of the includes in the cycle"));
        }
        (self.stack.len() > MAX_DEPTH).then(|| (format!("includes are nested more than {MAX_DEPTH} deep"), "include fewer levels"))
    }
}

/// `path` relative to `base` (both absolute), with `..` where it is outside.
fn relative_from(base: &Path, path: &Path) -> PathBuf {
    if let Ok(inside) = path.strip_prefix(base) {
        return inside.to_path_buf();
    }
    let common = base.ancestors().find(|a| path.starts_with(a)).unwrap_or(Path::new("/"));
    let ups = base.strip_prefix(common).map(|p| p.components().count()).unwrap_or(0);
    let mut out: PathBuf = std::iter::repeat_n("..", ups).collect();
    out.push(path.strip_prefix(common).unwrap_or(path));
    out
}

/// `{{#playground file attrs…}}`: the file as a Rust code block, with the attributes.
fn playground(text: &str, attributes: &[&str]) -> String {
    let info = if attributes.is_empty() { "rust".to_owned() } else { format!("rust,{}", attributes.join(",")) };
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("```{info}\n{text}{newline}```\n")
}

/// mdbook-template's `{{#template file key=value…}}`: the file with every `[[#key]]` (or
/// `[[#key default]]`) replaced by its value.
fn template(text: &str, arguments: &[&str]) -> String {
    let values: Vec<(&str, &str)> = arguments.iter().filter_map(|a| a.split_once('=')).collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[#") {
        let Some(len) = rest[start..].find("]]") else { break };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 3..start + len];
        let (key, default) = inner.split_once(char::is_whitespace).map_or((inner, ""), |(k, d)| (k, d.trim()));
        out.push_str(values.iter().find(|(k, _)| *k == key).map_or(default, |(_, v)| v));
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// `{{#rustdoc_include file:sel}}`: the whole file, the lines outside the selection hidden
/// (`# `), as rustdoc and the page's "show hidden lines" toggle read them.
fn rustdoc_lines(text: &str, selection: Option<&str>) -> Result<String, String> {
    let kept = select(text, selection)?;
    let mut out = String::with_capacity(text.len() + 64);
    let anchors = matches!(parse_selection(selection), Selection::Anchor(_));
    for line in line_ranges(text) {
        let content = &text[line.clone()];
        let inside = kept.iter().any(|k| k.start <= line.start && line.end <= k.end);
        if inside {
            out.push_str(content);
        } else if !(anchors && (anchor_name(content, "ANCHOR:").is_some() || anchor_name(content, "ANCHOR_END:").is_some())) {
            out.push_str("# ");
            out.push_str(content);
        }
    }
    Ok(out)
}

const SELECTION_HELP: &str =
    "use `file:N`, `file::N`, `file:N:`, `file:N:M` or `file:anchor` with `ANCHOR: anchor` … `ANCHOR_END: anchor` lines in the file";

/// The directives we expand.
const COMMANDS: [&str; 7] = ["include", "rustdoc_include", "playground", "playpen", "template", "title", "demo-reference"];

/// The next of our directives in `text` from `*search` on (moving `*search` past it);
/// `{{#…}}` that is not ours (a Handlebars-style template in a code sample) is skipped.
/// As in mdBook, spaces may follow `{{` and the argument may span lines.
fn next_directive<'t>(text: &'t str, search: &mut usize) -> Option<Directive<'t>> {
    loop {
        let start = *search + text[*search..].find("{{")?;
        *search = start + 2;
        let after = text[start + 2..].trim_start();
        if !after.starts_with('#') {
            continue;
        }
        let inner_start = text.len() - after.len() + 1;
        let Some(close) = text[inner_start..].find("}}") else { continue };
        let inner = &text[inner_start..inner_start + close];
        let end = inner_start + close + 2;
        let (command, argument) = match inner.split_once(char::is_whitespace) {
            Some((c, a)) => (c, a.trim()),
            None => (inner, ""),
        };
        if COMMANDS.contains(&command) && !inner.contains('}') {
            *search = end;
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

/// What part of a file a directive selects, read as mdBook reads it.
enum Selection<'s> {
    /// Lines `first..=last`, counted from 1 (`None`: from the start, to the end).
    Lines(Option<usize>, Option<usize>),
    Anchor(&'s str),
}

/// `2`, `2:10`, `2:`, `:10`, `anchor` as mdBook reads them: a part that is not a number
/// ends the range at the file's end; a first part that is not a number is an anchor.
fn parse_selection(selection: Option<&str>) -> Selection<'_> {
    let Some(selection) = selection.filter(|s| !s.is_empty()) else { return Selection::Lines(None, None) };
    let mut parts = selection.splitn(3, ':');
    let first = parts.next().unwrap_or_default();
    let start = match first.parse::<usize>() {
        Ok(n) => Some(n.max(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return Selection::Anchor(first),
    };
    match parts.next() {
        None => Selection::Lines(start, start),
        Some(end) => Selection::Lines(start, end.parse::<usize>().ok()),
    }
}

/// The byte ranges of `text` that a selection keeps, line by line; why it keeps nothing,
/// when the lines or the anchor are not there.
fn select(text: &str, selection: Option<&str>) -> Result<Vec<Range<usize>>, String> {
    let lines = line_ranges(text);
    match parse_selection(selection) {
        Selection::Lines(None, None) => Ok(std::iter::once(0..text.len()).collect()),
        Selection::Lines(first, last) => {
            let first = first.unwrap_or(1);
            let last = last.unwrap_or(lines.len()).min(lines.len());
            if first > lines.len() {
                return Err(format!("line {first} is past the end of the file ({} lines), so nothing is included", lines.len()));
            }
            if first > last {
                return Ok(Vec::new());
            }
            Ok(std::iter::once(lines[first - 1].start..lines[last - 1].end).collect())
        }
        Selection::Anchor(anchor) => anchored(text, &lines, anchor),
    }
}

/// The lines between `ANCHOR: anchor` and `ANCHOR_END: anchor`, without any marker lines
/// inside.
fn anchored(text: &str, lines: &[Range<usize>], anchor: &str) -> Result<Vec<Range<usize>>, String> {
    let mut inside = false;
    let mut found = false;
    let mut kept = Vec::new();
    for line in lines {
        let content = &text[line.clone()];
        if let Some(name) = anchor_name(content, "ANCHOR_END:") {
            if inside && name == anchor {
                return Ok(kept);
            }
            continue;
        }
        if let Some(name) = anchor_name(content, "ANCHOR:") {
            if name == anchor {
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
        Err(format!("no anchor `{anchor}` in the file (expected a line with `ANCHOR: {anchor}`), so nothing is included"))
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
            "```\nline 2\n```\n[line 1\nline 2\n]\n// ANCHOR_END: part\nline 9\n|line 1\n|# line 1\n# line 2\nline 4\nline 6\n# line 9\n"
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

    fn warnings(e: &Expanded) -> Vec<String> {
        e.warnings.iter().map(|w| w.to_string().split(" (help").next().unwrap_or_default().to_owned()).collect()
    }

    #[test]
    fn missing_files_are_left_as_text_with_a_warning() {
        let book = Book::new(&[("a.md", "one\n  {{#include nope.rs}}\n{{#include}} and {{ #include  \n nope.rs }}\n")]);
        let e = book.expand("a.md").unwrap();
        assert_eq!(e.text, "one\n  {{#include nope.rs}}\n{{#include}} and {{ #include  \n nope.rs }}\n");
        assert_eq!(
            warnings(&e),
            [
                "a.md:2:3: warning: the included file `nope.rs` does not exist, so the directive is left as text",
                "a.md:3:1: warning: `{{#include}}` names no file, so it is left as text",
                "a.md:3:18: warning: the included file `nope.rs` does not exist, so the directive is left as text",
            ]
        );
    }

    #[test]
    fn cycles_are_errors() {
        let book = Book::new(&[("a.md", "{{#include b.md}}"), ("b.md", "x\n{{#include a.md}}")]);
        let d = book.expand("a.md").unwrap_err();
        let line = d[0].to_string();
        assert!(line.starts_with("b.md:2:1: error: include cycle: a.md → b.md → a.md"), "{line}");
    }

    #[test]
    fn files_outside_the_repository_are_refused_inside_it_read() {
        let book = Book::new(&[("repo/.git/HEAD", ""), ("repo/README.md", "Read me.\n"), ("repo/guide/a.md", "{{#include ../README.md}}{{#include ../../secret.txt}}"), ("secret.txt", "no")]);
        let path = book.0.path().join("repo/guide/a.md");
        let text: Arc<str> = std::fs::read_to_string(&path).unwrap().into();
        let e = expand(&book.0.path().join("repo/guide"), &path, Path::new("a.md"), text, 0).unwrap();
        assert_eq!(e.text, "Read me.\n{{#include ../../secret.txt}}");
        assert_eq!(warnings(&e), ["a.md:1:26: warning: `../../secret.txt` is outside the repository that holds the book, so the directive is left as text"]);
        let at = e.text.find("me.").unwrap();
        assert_eq!(e.diagnostic(at..at + 2, "p").to_string(), "../README.md:1:6: error: p");
    }

    #[test]
    fn selections_read_as_mdbook_reads_them() {
        let book = Book::new(&[("a.md", "{{#include code.rs:nothing}}|{{#include code.rs:99}}|{{#include code.rs:2:x}}|{{#include code.rs:0}}"), ("code.rs", CODE)]);
        let e = book.expand("a.md").unwrap();
        assert_eq!(e.text, "||line 2\n// ANCHOR: part\nline 4\n// ANCHOR: inner\nline 6\n// ANCHOR_END: inner\n// ANCHOR_END: part\nline 9\n|line 1\n");
        let w = warnings(&e);
        assert!(w[0].starts_with("a.md:1:1: warning: no anchor `nothing` in the file"), "{w:?}");
        assert!(w[1].starts_with("a.md:1:30: warning: line 99 is past the end"), "{w:?}");
    }

    #[test]
    fn playground_template_and_rustdoc_include() {
        let book = Book::new(&[
            ("a.md", "{{#playground code.rs editable}}\n{{#template t.md name=Ferris}}\n{{#rustdoc_include code.rs:inner}}"),
            ("code.rs", CODE),
            ("t.md", "Hi [[#name]], [[#other none]]."),
        ]);
        let e = book.expand("a.md").unwrap();
        let (play, rest) = e.text.split_once("```\n").unwrap();
        assert!(play.starts_with("```rust,editable\nline 1\n"), "{play}");
        assert!(rest.starts_with("\nHi Ferris, none.\n# line 1\n# line 2\n# line 4\nline 6\n# line 9\n"), "{rest}");
        assert!(e.warnings.is_empty());
    }

    #[test]
    fn included_files_are_expanded_in_turn() {
        let book = Book::new(&[("a.md", "{{#include parts/b.rs:2}}"), ("parts/b.rs", "skip\n{{#include c.rs}}\n"), ("parts/c.rs", "fn c() {}\n")]);
        assert_eq!(book.expand("a.md").unwrap().text, "fn c() {}\n\n");
    }

    #[test]
    fn text_without_directives_is_one_segment() {
        let e = expand(Path::new("/"), Path::new("/x.md"), Path::new("x.md"), Arc::from("+++\n+++\nbody"), 8).unwrap();
        assert_eq!(e.text, "body");
        assert_eq!(e.diagnostic(0..4, "m").to_string(), "x.md:3:1: error: m");
    }
}
