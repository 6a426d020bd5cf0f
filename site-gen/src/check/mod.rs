//! The fourth stage: every link and image of every page checked against what the site
//! holds ([`links`]: the pages with their anchors, the source folder's files and the files
//! the build writes; gathered by [`targets`]); and the report of the mdBook features a book
//! uses that have no effect here ([`compatibility`]). Imports `core`, `load`, `parse` and
//! `render`.

pub(crate) mod compatibility;
pub(crate) mod links;
pub(crate) mod targets;
