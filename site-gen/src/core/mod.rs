//! The bottom stage: what every other stage uses and that knows nothing of books — the
//! errors a command can end with, located diagnostics, HTML escaping and ids, and file
//! helpers. It imports nothing of ours.

pub(crate) mod diagnostic;
pub(crate) mod error;
pub(crate) mod fs;
pub(crate) mod html;
