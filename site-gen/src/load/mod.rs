//! The first stage: the book read from disk. `book.toml` ([`config`], with the site's
//! address, [`site_url`]), `SUMMARY.md` ([`summary`]), every chapter's file with its
//! front matter ([`front_matter`]), into one [`book::Book`]; and the text directives
//! expanded before Markdown is read ([`include`], with `{{#demo-reference}}` from
//! [`demo_reference`]); the external [`preprocessors`] `book.toml` names. Imports only `core`.

pub(crate) mod book;
pub(crate) mod config;
pub(crate) mod demo_reference;
pub(crate) mod front_matter;
pub(crate) mod include;
pub(crate) mod mdbook_keys;
pub(crate) mod preprocessors;
pub(crate) mod site_url;
pub(crate) mod summary;
