//! The ways a `site-gen` command can fail, and the exit code each one maps to.

use std::fmt;
use std::path::PathBuf;

use crate::core::diagnostic::Diagnostic;

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// The author's files have problems (exit code 1). Every problem found is listed,
    /// not only the first.
    Content(Vec<Diagnostic>),
    /// Reading or writing a file failed for a reason outside the content (exit code 2).
    Io { path: PathBuf, action: &'static str, source: std::io::Error },
    /// The command was asked for something it cannot do (exit code 2).
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), action, source }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) => 1,
            Error::Io { .. } | Error::Usage(_) => 2,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Content(vec![d])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(problems) => {
                // The same mistake in a shared file (a template) is reported once.
                let mut seen = std::collections::HashSet::new();
                let problems: Vec<&Diagnostic> =
                    problems.iter().filter(|d| seen.insert((d.place(), d.message.clone()))).collect();
                for (i, d) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{}", d.annotated())?;
                }
                let errors = problems.iter().filter(|d| d.is_error()).count();
                write!(f, "\n{errors} error{} found", if errors == 1 { "" } else { "s" })
            }
            Error::Io { path, action, source } => {
                write!(f, "error: could not {action} {}: {source}", path.display())
            }
            Error::Usage(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for Error {}
