//! The bottom stage: what every other stage uses and that knows nothing of books — the
//! errors a command can end with, located diagnostics, HTML escaping and ids, file
//! helpers and content hashes. It imports nothing of ours.

pub(crate) mod diagnostic;
pub(crate) mod error;
pub(crate) mod fs;
pub(crate) mod hash;
pub(crate) mod html;
