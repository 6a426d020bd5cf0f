//! Content hashes of files (XXH3, 128 bits), for telling whether anything changed.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use crate::core::fs::{open_regular, FileProblem};
use xxhash_rust::xxh3::Xxh3;

/// A file's size and the hash of its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileHash {
    pub size: u64,
    pub hash: u128,
}

/// The size and content hash of `bytes`: the same as [`hash_file`] gives for a file
/// holding them.
pub fn hash_bytes(bytes: &[u8]) -> FileHash {
    FileHash { size: bytes.len() as u64, hash: xxhash_rust::xxh3::xxh3_128(bytes) }
}

/// The size and content hash of the file at `path`, read in pieces. Only a regular file
/// is read (a named pipe would block, a device never end): anything else is an error.
pub fn hash_file(path: &Path) -> std::io::Result<FileHash> {
    let (mut file, _) = open_regular(path).map_err(|p| match p {
        FileProblem::Io(e) => e,
        other => std::io::Error::other(other.describe()),
    })?;
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok(FileHash { size, hash: hasher.digest128() })
}

/// [`hash_file`] of every path, in parallel, in the same order; `None` when one cannot be read.
pub fn hash_files<P: AsRef<Path> + Sync>(paths: &[P]) -> Option<Vec<FileHash>> {
    paths.par_iter().map(|p| hash_file(p.as_ref()).ok()).collect()
}

/// A hash built up from many pieces, each delimited so that no two sequences of pieces
/// give the same input.
#[derive(Default)]
pub struct Digest(Xxh3);

impl Digest {
    /// Adds one piece.
    pub fn add(&mut self, piece: &[u8]) -> &mut Self {
        self.0.update(&(piece.len() as u64).to_le_bytes());
        self.0.update(piece);
        self
    }

    /// The hash of the pieces so far, as 32 hexadecimal digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.0.digest128())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_hashes_as_its_bytes_and_pieces_are_delimited() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(hash_file(&path).unwrap(), FileHash { size: bytes.len() as u64, hash: xxhash_rust::xxh3::xxh3_128(&bytes) });
        assert_eq!(hash_file(&path).unwrap(), hash_bytes(&bytes));
        assert!(hash_files(&[path.clone(), dir.path().join("missing")]).is_none());
        let (mut ab, mut a_b) = (Digest::default(), Digest::default());
        ab.add(b"ab");
        a_b.add(b"a").add(b"b");
        assert_ne!(ab.hex(), a_b.hex());
    }
}
