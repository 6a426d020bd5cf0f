//! The command line's own pieces: how problems are shown ([`report`]) and opening the site
//! in a browser ([`browser`]).

pub mod browser;
pub mod report;
