//! Problems found in an author's files, each pointing at a file, line and column.
//!
//! A [`Diagnostic`] carries its location as data (not pre-formatted text) so that the
//! same problem can be shown as a one-line `file:line:column: message` (for `check`
//! and editors) or as an annotated source snippet (for people reading a terminal).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How serious a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a text file (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where a problem is: the file (as shown to the author), and optionally a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub position: Option<Position>,
}

/// One problem in an author's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    /// What would be valid instead, in the author's words.
    pub help: Option<String>,
    /// The lines of the file around the problem, for the annotated snippet (boxed: a
    /// problem travels in every `Result` of the parsers, and most have none).
    pub source: Option<Box<Excerpt>>,
}

/// The few lines of a file a problem is shown in: never more than [`EXCERPT_LINES`]
/// lines, and a long line cut to [`EXCERPT_WINDOW`] bytes on either side of the problem,
/// so that a problem holds little however large its file (a book can have thousands of
/// problems in one long file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// The bytes of `text` the problem covers.
    pub span: Range<usize>,
    /// The line of the file `text` starts on (1-based).
    pub first_line: usize,
}

/// The most lines of a file a problem shows.
pub const EXCERPT_LINES: usize = 8;

/// The most bytes of a long line a problem shows on either side of where it is.
pub const EXCERPT_WINDOW: usize = 240;

impl Excerpt {
    /// The lines of `source` around `span` (on character boundaries), whose first line is
    /// line `line` and starts at byte `line_start`. Reads no more of `source` than it keeps.
    fn of(source: &str, span: Range<usize>, line: usize, line_start: usize) -> Excerpt {
        let from = floor_char_boundary(source, line_start.max(span.start.saturating_sub(EXCERPT_WINDOW)));
        let reach = ceil_char_boundary(source, span.end.max(span.start).saturating_add(EXCERPT_WINDOW).min(source.len()));
        // Up to the end of the line where the problem ends, within reach and the line count.
        let mut end = source[span.end..reach].find('\n').map_or(reach, |i| span.end + i);
        if let Some((i, _)) = source[from..end].match_indices('\n').nth(EXCERPT_LINES - 1) {
            end = from + i;
        }
        let cut_front = from > line_start;
        let cut_back = end < source.len() && !source[end..].starts_with(['\n', '\r']);
        let mut text = String::with_capacity(end - from + 8);
        if cut_front {
            text.push('…');
        }
        let shift = text.len();
        text.push_str(&source[from..end]);
        if cut_back {
            text.push('…');
        }
        let start = span.start.clamp(from, end) - from + shift;
        let stop = span.end.clamp(from, end) - from + shift;
        Excerpt { text, span: start..stop.max(start), first_line: line }
    }
}

impl Diagnostic {
    /// An error in `file` at no particular place (a missing file, an unreadable one).
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Location { file: file.into(), position: None },
            message: message.into(),
            help: None,
            source: None,
        }
    }

    /// A warning in `file` at no particular place.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Points the problem at `span` (byte offsets) of `source`, the whole text of the file.
    pub fn at(self, source: &str, span: Range<usize>) -> Self {
        let span = clamp_span(source, span);
        let position = position_of(source, span.start);
        let line_start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
        self.with_excerpt(source, span, position, line_start)
    }

    /// [`Diagnostic::at`] with the lines of `source` already indexed: for the many problems
    /// of one file, each found without reading the file from its start.
    pub fn at_indexed(self, source: &str, lines: &LineIndex, span: Range<usize>) -> Self {
        let span = clamp_span(source, span);
        let (position, line_start) = lines.locate(source, span.start);
        self.with_excerpt(source, span, position, line_start)
    }

    fn with_excerpt(mut self, source: &str, span: Range<usize>, position: Position, line_start: usize) -> Self {
        self.location.position = Some(position);
        self.source = Some(Box::new(Excerpt::of(source, span, position.line, line_start)));
        self
    }

    /// Points the problem at a line and column without a snippet.
    pub fn at_position(mut self, position: Position) -> Self {
        self.location.position = Some(position);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or just `file` when there is no position).
    pub fn place(&self) -> String {
        match self.location.position {
            Some(p) => format!("{}:{}:{}", self.location.file.display(), p.line, p.column),
            None => self.location.file.display().to_string(),
        }
    }

    /// The problem as an annotated snippet of the author's file, for a terminal.
    pub fn annotated(&self) -> String {
        self.annotated_with(Renderer::plain())
    }

    /// [`Diagnostic::annotated`] in colour (ANSI escapes), for a terminal that shows them.
    pub fn annotated_in_colour(&self) -> String {
        self.annotated_with(Renderer::styled())
    }

    fn annotated_with(&self, renderer: Renderer) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = format!("{}: {}", self.place(), self.message);
        let path = self.location.file.display().to_string();
        let mut group = Group::with_title(level.primary_title(title.as_str()));
        if let Some(excerpt) = &self.source {
            group = group.element(
                Snippet::source(excerpt.text.as_str())
                    .line_start(excerpt.first_line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
            );
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: &[Group<'_>] = &[group];
        renderer.render(report).to_string()
    }

    /// [`Diagnostic::annotated`], by the name the tests know it by.
    #[doc(hidden)]
    pub fn render(&self) -> String {
        self.annotated()
    }
}

impl fmt::Display for Diagnostic {
    /// The one-line form: `file:line:column: error: message (help: …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {kind}: {}", self.place(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// The 1-based line and column of byte `offset` in `source`.
pub fn position_of(source: &str, offset: usize) -> Position {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    Position { line, column }
}

/// Where each line of a text starts, and how many characters come before every
/// [`CHARACTER_BLOCK`] bytes: the line and column of any offset found without reading the
/// text from its start (as [`position_of`] does), in a time that does not grow with the
/// text. Built once per file for the many problems one file can have.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars[k]`: the characters in the first `k * CHARACTER_BLOCK` bytes.
    chars: Vec<usize>,
}

/// Bytes between the character counts a [`LineIndex`] keeps.
const CHARACTER_BLOCK: usize = 4096;

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let mut chars = Vec::with_capacity(source.len() / CHARACTER_BLOCK + 1);
        let mut count = 0;
        for block in source.as_bytes().chunks(CHARACTER_BLOCK) {
            chars.push(count);
            count += block.iter().filter(|&&b| !is_continuation(b)).count();
        }
        chars.push(count);
        LineIndex { starts, chars }
    }

    /// The same as [`position_of`] for `source` (the text this index was made from).
    pub fn position(&self, source: &str, offset: usize) -> Position {
        self.locate(source, offset).0
    }

    /// The position of `offset` in `source`, and where its line starts.
    fn locate(&self, source: &str, offset: usize) -> (Position, usize) {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.starts[line - 1];
        let column = self.chars_before(source, offset) - self.chars_before(source, line_start) + 1;
        (Position { line, column }, line_start)
    }

    /// The characters in `source[..offset]`.
    fn chars_before(&self, source: &str, offset: usize) -> usize {
        let block = offset / CHARACTER_BLOCK;
        let counted = self.chars.get(block).copied().unwrap_or(0);
        counted + source.as_bytes()[block * CHARACTER_BLOCK..offset].iter().filter(|&&b| !is_continuation(b)).count()
    }
}

/// A byte that continues a UTF-8 character rather than starting one.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// A text with its [`LineIndex`]: the line and column of many offsets in it.
pub struct LineStarts<'a> {
    source: &'a str,
    index: LineIndex,
}

impl<'a> LineStarts<'a> {
    pub fn new(source: &'a str) -> LineStarts<'a> {
        LineStarts { source, index: LineIndex::new(source) }
    }

    /// The same as [`position_of`] for this text.
    pub fn position(&self, offset: usize) -> Position {
        self.index.position(self.source, offset)
    }
}

/// The byte offset where 1-based `line` starts in `source` (the end of the text if past it).
pub fn line_start_offset(source: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    source
        .match_indices('\n')
        .nth(line - 2)
        .map_or(source.len(), |(i, _)| i + 1)
}

fn clamp_span(source: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(source, span.start.min(source.len()));
    let end = floor_char_boundary(source, span.end.min(source.len())).max(start);
    start..end
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Shows `path` relative to `base` when it is inside it, so messages name files as the
/// author sees them from the book's root.
pub fn display_path(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_from_one() {
        let text = "ab\ncdé\nfg";
        assert_eq!(position_of(text, 0), Position { line: 1, column: 1 });
        assert_eq!(position_of(text, 3), Position { line: 2, column: 1 });
        // 'é' is two bytes; the column after it counts it once.
        assert_eq!(position_of(text, 7), Position { line: 2, column: 4 });
        assert_eq!(position_of(text, 8), Position { line: 3, column: 1 });
        assert_eq!(position_of(text, 999), Position { line: 3, column: 3 });
        let lines = LineStarts::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(lines.position(offset), position_of(text, offset), "at {offset}");
        }
    }

    #[test]
    fn line_start_offsets() {
        let text = "ab\ncd\nef";
        assert_eq!(line_start_offset(text, 1), 0);
        assert_eq!(line_start_offset(text, 2), 3);
        assert_eq!(line_start_offset(text, 3), 6);
        assert_eq!(line_start_offset(text, 9), text.len());
    }

    #[test]
    fn one_line_form_names_file_line_and_column() {
        let d = Diagnostic::error("content/a.md", "unknown demo `x`")
            .at("one\nname = \"x\"\n", 11..14)
            .with_help("valid demos: primes");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:8: error: unknown demo `x` (help: valid demos: primes)"
        );
        let rendered = d.annotated();
        assert!(rendered.contains("content/a.md:2:8"), "{rendered}");
        assert!(rendered.contains("name = \"x\""), "{rendered}");
        assert!(rendered.contains("valid demos: primes"), "{rendered}");
    }

    #[test]
    fn an_index_finds_the_same_positions_in_long_texts() {
        let text = format!("{}\n{}é\n{}", "a".repeat(5000), "ü".repeat(9000), "z".repeat(10));
        let index = LineIndex::new(&text);
        for offset in [0, 1, 4999, 5000, 5001, 5002, 9000, 14000, 23001, 23002, 23003, text.len() - 1, text.len(), text.len() + 9] {
            assert_eq!(index.position(&text, offset), position_of(&text, offset), "at {offset}");
        }
    }

    #[test]
    fn a_problem_keeps_only_the_lines_around_it() {
        let long_line = format!("{}NEEDLE{}", "x".repeat(1 << 20), "y".repeat(1 << 20));
        let source = format!("first\n{long_line}\nlast\n");
        let at = source.find("NEEDLE").unwrap();
        let d = Diagnostic::error("f.md", "here").at(&source, at..at + 6);
        let excerpt = d.source.as_ref().unwrap();
        assert!(excerpt.text.len() < 2 * EXCERPT_WINDOW + 16, "{} bytes kept", excerpt.text.len());
        assert_eq!(&excerpt.text[excerpt.span.clone()], "NEEDLE");
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        assert_eq!((excerpt.first_line, d.location.position), (2, Some(Position { line: 2, column: (1 << 20) + 1 })));
        let shown = d.annotated();
        assert!(shown.contains("f.md:2:1048577") && shown.contains("NEEDLE") && shown.len() < 2000, "{shown}");
        let indexed = Diagnostic::error("f.md", "here").at_indexed(&source, &LineIndex::new(&source), at..at + 6);
        assert_eq!(indexed, d);

        let many_lines: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let d = Diagnostic::error("f.md", "all").at(&many_lines, 7..many_lines.len());
        let excerpt = d.source.unwrap();
        assert_eq!(excerpt.text.lines().count(), EXCERPT_LINES, "{}", excerpt.text);
        assert!(excerpt.span.end <= excerpt.text.len());
    }

    #[test]
    fn spans_off_a_character_boundary_do_not_panic() {
        let d = Diagnostic::error("f", "m").at("é", 1..5);
        assert_eq!(d.location.position, Some(Position { line: 1, column: 1 }));
        let _ = d.annotated();
    }
}
