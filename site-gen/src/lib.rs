//! `site-gen`: builds a book of Markdown chapters with live WebAssembly demos into a
//! static site, checks it, and serves it cross-origin isolated.
//!
//! The pipeline runs one way: [`config`] → [`summary`] → [`book`] (with
//! [`front_matter`]) → [`include`] → [`markdown`] (with [`demo_block`], [`python_twin`], [`highlight`]
//! and [`admonition`]) → [`render`] (with [`nav`], [`toc`] and [`theme`]) and [`print`] → [`output`].
//! [`build`] strings the steps together; [`serve`] puts the result on HTTP and keeps it up
//! to date as the files change.

pub mod admonition;
pub mod book;
pub mod build;
pub mod config;
pub mod demo_block;
pub mod diagnostic;
pub mod error;
pub mod front_matter;
pub mod highlight;
pub mod include;
pub mod init;
pub mod isolation;
pub mod links;
pub mod markdown;
pub mod nav;
pub mod output;
pub mod print;
pub mod python_twin;
pub mod render;
pub mod search;
pub mod serve;
pub mod site_url;
pub mod summary;
pub mod theme;
pub mod toc;
