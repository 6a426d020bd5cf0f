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
    /// The source text and the byte range the problem covers, for the annotated snippet.
    pub source: Option<(String, Range<usize>)>,
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
    pub fn at(mut self, source: &str, span: Range<usize>) -> Self {
        let span = clamp_span(source, span);
        self.location.position = Some(position_of(source, span.start));
        self.source = Some((source.to_owned(), span));
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
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = format!("{}: {}", self.place(), self.message);
        let path = self.location.file.display().to_string();
        let mut group = Group::with_title(level.primary_title(title.as_str()));
        if let Some((source, span)) = &self.source {
            group = group.element(
                Snippet::source(source.as_str())
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            );
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: &[Group<'_>] = &[group];
        Renderer::plain().render(report).to_string()
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

/// Where each line of a text starts, to find the line and column of many offsets in it
/// without reading the text from its start for each ([`position_of`] does that).
pub struct LineStarts<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    pub fn new(source: &'a str) -> LineStarts<'a> {
        let starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineStarts { source, starts }
    }

    /// The same as [`position_of`] for this text.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let column = self.source[line_start..offset].chars().count() + 1;
        Position { line, column }
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
    fn spans_off_a_character_boundary_do_not_panic() {
        let d = Diagnostic::error("f", "m").at("é", 1..5);
        assert_eq!(d.location.position, Some(Position { line: 1, column: 1 }));
        let _ = d.annotated();
    }
}
