//! The third stage: HTML into pages. The theme's templates ([`theme`]) filled with a
//! chapter's HTML ([`page`]), the sidebar and previous/next links ([`nav`]), the page's own
//! table of contents ([`toc`]), the print page with every chapter ([`print`]), the theme's
//! static files minified and named by their content ([`assets`]), and the files the build
//! writes besides the pages ([`site_files`], [`isolation`]). Imports
//! `core`, `load` and `parse`.

pub(crate) mod assets;
pub(crate) mod isolation;
pub(crate) mod nav;
pub(crate) mod page;
pub(crate) mod print;
pub(crate) mod site_files;
pub(crate) mod theme;
pub(crate) mod toc;

pub use page::render_page;
