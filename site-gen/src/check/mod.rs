//! The fourth stage: every link and image of every page checked against what the site
//! holds ([`links`]: the pages with their anchors, the source folder's files and the files
//! the build writes; gathered by [`targets`]). Imports `core`, `load`, `parse` and `render`.

pub(crate) mod links;
pub(crate) mod targets;
