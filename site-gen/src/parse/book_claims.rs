//! Every inline claim of a book, for `make claims` (`bench/src/claims/`): each chapter read as
//! a build reads it (directives expanded, demo blocks and claims checked), and each claim with
//! the chapter and line it is written at and the parameters of the run it is about.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::core::diagnostic::Diagnostic;
use crate::core::error::{Error, Result};
use crate::load::book::Book;
use crate::load::config::Config;
use crate::load::include::expand;
use crate::parse::claim::Verdict;
use crate::parse::claim_badge::expectation;
use crate::parse::highlight::StyledScopes;
use crate::parse::markdown::{parse_chapter, MarkdownOptions, PagePlace};

/// One claim of the book.
#[derive(Debug, Clone)]
pub struct BookClaim {
    /// The file it is written in, as problems name it, and its line there.
    pub file: PathBuf,
    pub line: usize,
    pub demo: &'static str,
    pub mode: &'static str,
    /// The mode the demo's speed-ups are measured against (the catalogue's).
    pub baseline: &'static str,
    pub expect: Verdict,
    /// What the demo's CPython twin shows, when the claim says.
    pub python: Option<Verdict>,
    /// The parameters the claim names.
    pub params: Map<String, Json>,
    /// Every parameter of the run it is about: the page's demo block's, the claim's over them.
    pub run_params: Map<String, Json>,
    /// What it expects, in the reader's words, as its badge says before a run.
    pub expectation: String,
}

/// The claims of the book in `root`, chapter by chapter, in order. Problems in the book's
/// chapters (a claim of a demo not on its page, …) are returned all together.
pub fn book_claims(root: &Path) -> Result<Vec<BookClaim>> {
    let (config, _) = Config::load(root)?;
    let book = Book::load(config)?;
    let mut claims = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for chapter in &book.chapters {
        let path = book.config.src_dir.join(&chapter.source);
        let expanded = match expand(&book.config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start) {
            Ok(expanded) => expanded,
            Err(found) => {
                problems.extend(found);
                continue;
            }
        };
        let options = MarkdownOptions::of(&book.config.html);
        match parse_chapter(&expanded, &StyledScopes::Everything, &PagePlace::default(), options) {
            Ok(document) => claims.extend(document.claims.into_iter().map(|placed| {
                let location = expanded.diagnostic(placed.span.clone(), "").location;
                let claim = placed.claim;
                BookClaim {
                    file: location.file,
                    line: location.position.map_or(0, |p| p.line),
                    demo: claim.demo.name,
                    mode: claim.mode,
                    baseline: claim.demo.baseline,
                    expect: claim.expect,
                    python: claim.python,
                    expectation: expectation(&claim),
                    params: claim.params,
                    run_params: placed.run_params,
                }
            })),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(claims)
    } else {
        Err(Error::Content(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_claims_of_a_book_name_their_chapter_line_and_run() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("src");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n").unwrap();
        std::fs::write(content.join("one.md"), "# One\n\nNo claim here.\n").unwrap();
        std::fs::write(
            content.join("two.md"),
            "# Two\n\nWaits overlap {{#claim gil threads faster python=faster work=io}}.\n\n```demo\nname = \"gil\"\nworkers = 8\n```\n",
        )
        .unwrap();
        let claims = book_claims(dir.path()).unwrap();
        assert_eq!(claims.len(), 1);
        let claim = &claims[0];
        assert_eq!((claim.file.to_str(), claim.line), (Some("src/two.md"), 3));
        assert_eq!((claim.demo, claim.mode, claim.baseline, claim.expect, claim.python), ("gil", "threads", "sequential", Verdict::Faster, Some(Verdict::Faster)));
        assert_eq!((claim.run_params["work"].as_str(), claim.run_params["workers"].as_i64()), (Some("io"), Some(8)));
        assert_eq!(claim.params.len(), 1);

        std::fs::write(content.join("one.md"), "# One\n\nSo {{#claim primes threads faster}}.\n").unwrap();
        let Err(Error::Content(problems)) = book_claims(dir.path()) else { panic!("a claim without its demo is refused") };
        assert!(problems[0].to_string().starts_with("src/one.md:3:4: error: the `primes` demo is not on this page"), "{}", problems[0]);
    }
}
