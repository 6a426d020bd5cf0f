//! What the search tests share besides `common`: the generated book of the size
//! benchmark and gzipped sizes.

#![allow(dead_code)]

pub mod generated_book;

use std::io::Write;
use std::path::Path;

/// The size of a file once gzipped, as a web server would send it.
pub fn gzip_size(path: &Path) -> u64 {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).unwrap();
    encoder.finish().unwrap().len() as u64
}
