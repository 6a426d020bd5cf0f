//! How the command line shows problems: `check`'s message formats (the human one-liners,
//! JSON lines for tools, GitHub Actions workflow commands for CI) and, on a terminal, the
//! annotated snippets in colour.

use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};

use clap::ValueEnum;
use site_gen::diagnostic::Diagnostic;
use site_gen::Error;

/// `check --message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum MessageFormat {
    /// `file:line:column: severity: message (help: …)`, one problem a line.
    #[default]
    Human,
    /// One JSON object a line per problem: file, line, column, end, severity, message, help.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::message`): the problems
    /// appear on the pull request's files.
    Github,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// In colour when the error output is a terminal, `NO_COLOR` is unset (or empty) and
    /// `TERM` is not `dumb`.
    #[default]
    Auto,
    /// In colour, wherever the error output goes.
    Always,
    /// Never in colour.
    Never,
}

impl ColorChoice {
    /// Whether the annotated problems on the error output are in colour.
    pub fn for_stderr(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
                !no_color && !dumb && std::io::stderr().is_terminal()
            }
        }
    }
}

/// A problem as an annotated snippet, in colour or not.
pub fn annotated(d: &Diagnostic, colour: bool) -> String {
    if colour {
        d.annotated_in_colour()
    } else {
        d.annotated()
    }
}

/// What a failed command prints on its error output. Without colour exactly the error's own
/// text; with colour, a [`Error::Content`]'s problems are annotated in colour.
pub fn error_text(error: &Error, colour: bool) -> String {
    let Error::Content(problems) = error else { return error.to_string() };
    if !colour {
        return error.to_string();
    }
    // As `Error`'s Display: the same mistake in a shared file is shown once.
    let mut seen = std::collections::HashSet::new();
    let problems: Vec<&Diagnostic> = problems.iter().filter(|d| seen.insert((d.place(), d.message.clone()))).collect();
    let shown: Vec<String> = problems.iter().map(|d| d.annotated_in_colour()).collect();
    format!("{}\n{}", shown.join("\n"), errors_found(problems.iter().copied()))
}

/// `N errors found`, counting the errors among `problems`.
pub fn errors_found<'a>(problems: impl Iterator<Item = &'a Diagnostic>) -> String {
    let errors = problems.filter(|d| d.is_error()).count();
    format!("{errors} error{} found", if errors == 1 { "" } else { "s" })
}

/// `check`'s problems in a machine format; `dir` is the book's folder as given on the command
/// line, so that files are named from the current folder (where CI runs).
pub fn machine_lines(problems: &[Diagnostic], format: MessageFormat, dir: &Path) -> Vec<String> {
    problems
        .iter()
        .map(|d| match format {
            MessageFormat::Json => json_line(d, dir),
            MessageFormat::Github => github_line(d, dir),
            MessageFormat::Human => d.to_string(),
        })
        .collect()
}

/// Where a problem starts and where it ends (just after its last character), both 1-based.
struct Span {
    line: usize,
    column: usize,
    end: Option<(usize, usize)>,
}

fn span_of(d: &Diagnostic) -> Option<Span> {
    let p = d.location.position?;
    let end = d.source.as_ref().and_then(|excerpt| {
        let covered = excerpt.text.get(excerpt.span.clone())?;
        Some(match covered.rfind('\n') {
            None => (p.line, p.column + covered.chars().count()),
            Some(at) => (p.line + covered.matches('\n').count(), covered[at + 1..].chars().count() + 1),
        })
    });
    Some(Span { line: p.line, column: p.column, end })
}

/// The problem's file named from the current folder: `dir` joined to it, without `./`.
fn file_from_here(d: &Diagnostic, dir: &Path) -> String {
    let joined = dir.join(&d.location.file);
    let cleaned: PathBuf = joined.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    cleaned.to_string_lossy().into_owned()
}

fn severity(d: &Diagnostic) -> &'static str {
    if d.is_error() {
        "error"
    } else {
        "warning"
    }
}

/// One problem as `check --message-format json` prints it, its fields in this order.
#[derive(serde::Serialize)]
struct JsonProblem<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    end: Option<JsonPosition>,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

fn json_line(d: &Diagnostic, dir: &Path) -> String {
    let span = span_of(d);
    let problem = JsonProblem {
        file: file_from_here(d, dir),
        line: span.as_ref().map(|s| s.line),
        column: span.as_ref().map(|s| s.column),
        end: span.as_ref().and_then(|s| s.end).map(|(line, column)| JsonPosition { line, column }),
        severity: severity(d),
        message: &d.message,
        help: d.help.as_deref(),
    };
    serde_json::to_string(&problem).expect("a problem serialises")
}

/// A GitHub Actions workflow command: `::error file=…,line=…,col=…,endLine=…,endColumn=…::message`.
fn github_line(d: &Diagnostic, dir: &Path) -> String {
    let mut properties = vec![format!("file={}", escape_property(&file_from_here(d, dir)))];
    if let Some(span) = span_of(d) {
        properties.push(format!("line={}", span.line));
        properties.push(format!("col={}", span.column));
        if let Some((line, column)) = span.end {
            properties.push(format!("endLine={line}"));
            properties.push(format!("endColumn={column}"));
        }
    }
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{} {}::{}", severity(d), properties.join(","), escape_data(&message))
}

/// The escapes of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The escapes of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> Diagnostic {
        Diagnostic::error("content/a.md", "unknown demo `x`: 100%")
            .at("one\nname = \"x\"\n", 11..14)
            .with_help("valid demos: primes, sorting")
    }

    #[test]
    fn json_names_the_place_the_end_and_the_help() {
        let line = json_line(&problem(), Path::new("."));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["file"], "content/a.md");
        assert_eq!((v["line"].as_u64(), v["column"].as_u64()), (Some(2), Some(8)));
        assert_eq!((v["end"]["line"].as_u64(), v["end"]["column"].as_u64()), (Some(2), Some(11)));
        assert_eq!(v["severity"], "error");
        assert_eq!(v["help"], "valid demos: primes, sorting");
        let bare: serde_json::Value =
            serde_json::from_str(&json_line(&Diagnostic::warning("book.toml", "w"), Path::new("docs"))).unwrap();
        assert_eq!(bare["file"], "docs/book.toml");
        assert!(bare["line"].is_null() && bare["end"].is_null() && bare["help"].is_null());
        assert_eq!(bare["severity"], "warning");
    }

    #[test]
    fn spans_over_lines_end_on_the_last_one() {
        let d = Diagnostic::error("f.md", "m").at("ab\ncdé\nfg", 1..7);
        let span = span_of(&d).unwrap();
        assert_eq!((span.line, span.column, span.end), (1, 2, Some((2, 4))));
    }

    #[test]
    fn github_commands_escape_what_they_must() {
        assert_eq!(
            github_line(&problem(), Path::new("./book")),
            "::error file=book/content/a.md,line=2,col=8,endLine=2,endColumn=11::unknown demo `x`: 100%25%0Ahelp: valid demos: primes, sorting"
        );
        assert_eq!(github_line(&Diagnostic::warning("a,b:c.md", "w"), Path::new(".")), "::warning file=a%2Cb%3Ac.md::w");
    }
}
