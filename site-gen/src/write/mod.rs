//! The sixth stage: the site written to disk through a staging folder that takes the
//! build folder's place only once everything succeeded, and single files replaced in a
//! finished build folder while serving ([`staging`]); one writer at a time per build folder
//! ([`lock`]); and a build folder removed, only when it is one ([`clean`]). Imports `core`
//! and `load`.

pub(crate) mod clean;
pub(crate) mod lock;
pub(crate) mod staging;
