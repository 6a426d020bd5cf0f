//! Names by content: a short hash of a file's bytes (or of a folder's files, paths and
//! bytes) put into its name, so that a changed file gets a new name.
//!
//! The hash is FNV-1a over 64 bits, shown as its first 10 hexadecimal digits: stable from
//! one build, machine and Rust release to the next, and quick enough to run over the demo
//! runtime's WebAssembly on every build. It only needs to tell versions of the same file
//! apart (no one crafts collisions against their own book), and 40 bits do that.

/// How many hexadecimal digits of the hash a name carries.
const DIGITS: usize = 10;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
    }
    hash
}

fn shown(hash: u64) -> String {
    format!("{hash:016x}")[..DIGITS].to_owned()
}

/// The hash of `bytes`, as it goes into a name.
pub fn content_hash(bytes: &[u8]) -> String {
    shown(fnv(OFFSET, bytes))
}

/// The hash of a folder's `files` (path and bytes each; in any order): a file renamed,
/// added, removed or changed changes it.
pub fn folder_hash<'a>(files: impl Iterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut files: Vec<(&str, &[u8])> = files.collect();
    files.sort_unstable_by_key(|(path, _)| *path);
    let mut hash = OFFSET;
    for (path, bytes) in files {
        hash = fnv(hash, path.as_bytes());
        hash = fnv(hash, &[0]);
        hash = fnv(hash, &(bytes.len() as u64).to_le_bytes());
        hash = fnv(hash, bytes);
    }
    shown(hash)
}

/// `name` with `hash` before its extension: `style.css` → `style.<hash>.css`.
pub fn hashed_file_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("{stem}.{hash}.{extension}"),
        _ => format!("{name}.{hash}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_hash_before_the_extension() {
        assert_eq!(hashed_file_name("style.css", "0123456789"), "style.0123456789.css");
        assert_eq!(hashed_file_name("search-engine.js", "ab"), "search-engine.ab.js");
        assert_eq!(hashed_file_name("LICENSE", "ab"), "LICENSE.ab");
        assert_eq!(hashed_file_name(".hidden", "ab"), ".hidden.ab");
    }

    #[test]
    fn the_same_bytes_give_the_same_hash_and_any_change_another() {
        assert_eq!(content_hash(b"body{color:red}"), content_hash(b"body{color:red}"));
        assert_ne!(content_hash(b"body{color:red}"), content_hash(b"body{color:blue}"));
        assert_eq!(content_hash(b"").len(), DIGITS);
        // Fixed: a name must not change from one build (or Rust release) to the next.
        assert_eq!(content_hash(b"a"), "af63dc4c86");
    }

    #[test]
    fn a_folder_s_hash_follows_every_file_and_name_but_not_their_order() {
        let one = folder_hash([("a.js", &b"1"[..]), ("b.js", &b"2"[..])].into_iter());
        assert_eq!(one, folder_hash([("b.js", &b"2"[..]), ("a.js", &b"1"[..])].into_iter()));
        assert_ne!(one, folder_hash([("a.js", &b"1"[..]), ("b.js", &b"3"[..])].into_iter()));
        assert_ne!(one, folder_hash([("a.js", &b"1"[..]), ("c.js", &b"2"[..])].into_iter()));
        assert_ne!(one, folder_hash([("a.js", &b"12"[..]), ("b.js", &b""[..])].into_iter()));
        assert_ne!(one, folder_hash([("a.js", &b"1"[..])].into_iter()));
    }
}
