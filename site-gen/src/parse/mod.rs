//! The second stage: one chapter's expanded text read as Markdown into a
//! [`markdown::Document`] — demo blocks checked and turned into demo figures
//! ([`demo_block`], a workload's stages by [`workload_block`], with their [`python_twin`],
//! a workload's made by [`workload_twin`]), code highlighted ([`highlight`]),
//! admonitions ([`admonition`]), headings' ids, images' sizes ([`image_size`]), the links
//! and anchors the link checker needs ([`link_refs`]), the sections' text search indexes
//! ([`section_text`]), and inline claims about the demos ([`claim`]) checked against the
//! page's demos ([`page_claims`]) and shown as badges ([`claim_badge`]).
//! Imports `core` and `load`.

pub(crate) mod admonition;
pub(crate) mod book_claims;
pub(crate) mod claim;
pub(crate) mod claim_badge;
pub(crate) mod code_block;
pub(crate) mod demo_block;
pub(crate) mod footnotes;
pub(crate) mod highlight;
#[cfg(test)]
mod highlight_samples_test;
pub(crate) mod image_size;
pub(crate) mod link_refs;
pub(crate) mod math;
pub(crate) mod markdown;
pub(crate) mod page_claims;
pub(crate) mod predict_table;
pub(crate) mod python_twin;
pub(crate) mod section_text;
pub(crate) mod workload_block;
pub(crate) mod workload_twin;
