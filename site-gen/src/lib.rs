//! `site-gen`: builds a book of Markdown chapters with live WebAssembly demos into a
//! static site, checks it, and serves it cross-origin isolated.
//!
//! The code runs one way, in stages, each a folder that imports only from the stages
//! before it (the test in `stages_test.rs` fails when one does not):
//!
//! 1. `core`: errors, located diagnostics, HTML escaping and ids, file helpers;
//! 2. `load`: book.toml, SUMMARY.md, every chapter's file and front matter → the `Book`;
//!    the text directives (`{{#include}}` …) expanded;
//! 3. `parse`: a chapter's Markdown → HTML, with demo blocks checked and turned into demo
//!    figures (with their Python twins), code highlighted, headings' ids, links and anchors;
//! 4. `render`: pages from the theme's templates — chapters, the print page, the 404 page,
//!    navigation, and the other files a site needs;
//! 5. `check`: every link and image against what the site holds;
//! 6. [`search`]: the search index;
//! 7. `write`: the staging folder that takes the build folder's place when all succeeded;
//! 8. `build`: the pipeline, one named, timed step after another, and the one chapter step
//!    that `build`, `check` and `serve` share;
//! 9. [`serve`]: build, watch the files, serve over HTTP, reload the open pages;
//!
//! and `init`, which writes a new book. The public API is small: the commands, and the
//! pieces of the pipeline the tests and benchmarks call, under the paths they name.

pub(crate) mod core;
pub(crate) mod load;
pub(crate) mod parse;
pub mod render;
pub(crate) mod check;
pub mod search;
pub(crate) mod write;
pub(crate) mod build;
pub mod serve;
pub(crate) mod init;

#[cfg(test)]
mod stages_test;

pub use crate::build::{build_with, check, check_with, BuildOptions, BuildReport};
pub use crate::core::error::{Error, Result};
pub use crate::init::init;
pub use crate::write::clean::{clean, Cleaned};

// The pieces of the pipeline the tests call, each under the path they name it by.

/// `check`'s report of the mdBook features a book uses that have no effect here.
pub mod compatibility {
    pub use crate::check::compatibility::compatibility_report;
}

/// Located problems in the author's files.
pub mod diagnostic {
    pub use crate::core::diagnostic::{position_of, Diagnostic};
}

/// `book.toml`.
pub mod config {
    pub use crate::load::config::Config;
}

/// The book as read from disk.
pub mod book {
    pub use crate::load::book::Book;
}

/// SUMMARY.md.
pub mod summary {
    pub use crate::load::summary::parse_summary;
}

/// A chapter's front matter.
pub mod front_matter {
    pub use crate::load::front_matter::split_front_matter;
}

/// The text directives, `{{#include}}` and the others.
pub mod include {
    pub use crate::load::include::{expand, Expanded};
}

/// Demo blocks.
pub mod demo_block {
    pub use crate::parse::demo_block::{parse_demo_block, DemoBlock, WORKLOAD};
    pub use crate::parse::workload_block::{STAGES_PARAM, STAGE_KEY};
}

/// Inline claims about the demos (`{{#claim …}}`), for `make claims`.
pub mod claims {
    pub use crate::parse::book_claims::{book_claims, BookClaim};
    pub use crate::parse::claim::{Verdict, FASTER, SLOWER};
}

/// The demos' Python twins.
pub mod python_twin {
    pub use crate::parse::python_twin::{command_line, generated_twin, script_name, GeneratedTwin, TWINS_DIR};
}

/// Highlighting of code blocks.
pub mod highlight {
    pub use crate::parse::highlight::{highlight_code, highlight_code_with, Engine, StyledScopes};
}

/// A chapter's Markdown as HTML.
pub mod markdown {
    pub use crate::parse::markdown::{markdown_to_html as render_markdown, ChapterHtml as RenderedMarkdown};
}

/// The sidebar and the table of contents.
pub mod nav {
    pub use crate::render::nav::{Navigation, CONTENTS_SCRIPT};
}

/// The theme.
pub mod theme {
    pub use crate::render::theme::{AssetSource, Theme};
}

/// The theme's static files as the site serves them: minified, named by their content, and
/// linked from the templates through `asset(path=…)`.
pub mod assets {
    pub use crate::render::assets::{AssetFile, Assets};
}
