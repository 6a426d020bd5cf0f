//! The warm build: `build` with nothing changed since the last build rebuilds nothing.
//!
//! A build records in its build folder ([`CACHE_DIR`]) a fingerprint of everything it read
//! and the content hash of every file it wrote. The next build into that folder hashes its
//! inputs again; when the fingerprint is the same and every file written is still there,
//! byte for byte, the folder is left as it is. Anything else — a changed, added or removed
//! input, a changed or missing output, a cache that cannot be read or does not check out —
//! means a build, in which the chapters made from the same text as last time are read back
//! from the chapter cache (`chapter_cache.rs`) instead of being made again. The fingerprint covers: this `site-gen` (its version and the hash
//! of its own executable, which carries the theme and the demo runtime), book.toml, the
//! options that change the output, every file under the source folder, the book's theme
//! folder and the demo runtime's folder, `additional-css` and `additional-js`, and the
//! files outside those that the chapters' `{{#include}}`s read. A book with preprocessors
//! is always built (they may read anything), and so is one whose last build had warnings
//! (they are shown again).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::core::error::Result;
use crate::core::fs::{files_under, relative};
use crate::core::hash::{hash_file, hash_files, Digest, FileHash};
use crate::load::config::{Config, CONFIG_FILE};
use crate::write::lock::{BuildLock, LOCK_WAIT};
use crate::write::staging::{clean_up_after_killed_builds, Staging};

use super::{BuildOptions, BuildReport, Built, Steps};

/// The cache's folder inside the build folder.
pub const CACHE_DIR: &str = ".site-gen-cache";

/// The cache's one file, inside [`CACHE_DIR`].
const MANIFEST: &str = "manifest";

/// The first line of the manifest; a different one is a cache of another format.
const HEADER: &str = "site-gen build cache 1";

/// What a build found before it started: where it writes, and the hashes of the inputs it
/// could list up front (hashed before they are read, so that an edit made during the build
/// shows as a change to the next one).
pub(crate) struct Before {
    target: PathBuf,
    options: BuildOptions,
    inputs: Vec<(String, FileHash)>,
    executable: Executable,
}

/// What the warm check found.
pub(crate) enum Warm {
    /// Nothing changed: the report of a build that wrote nothing.
    UpToDate(BuildReport),
    /// Something changed or could not be told: build, and record the cache when `Some`.
    Build(Option<Before>),
}

/// Checks whether the build of the book at `root` into `dest` (default: its build-dir)
/// would write what is already there.
pub(crate) fn check(root: &Path, dest: Option<&Path>, options: BuildOptions) -> Result<Warm> {
    let mut steps = Steps::default();
    let (config, warnings) = steps.time("read book.toml", || Config::load(root))?;
    if !warnings.is_empty() || (!options.no_preprocessors && !config.preprocessors.is_empty()) {
        return Ok(Warm::Build(None));
    }
    let Ok(target) = std::path::absolute(dest.unwrap_or(&config.build_dir)) else { return Ok(Warm::Build(None)) };
    let manifest_path = target.join(CACHE_DIR).join(MANIFEST);
    // Held while the folder is compared, so that no other build swaps it meanwhile.
    let lock = match manifest_path.is_file() && !options.force {
        true => BuildLock::acquire(&target, LOCK_WAIT).ok(),
        false => None,
    };
    let manifest = lock.as_ref().and_then(|_| std::fs::read_to_string(&manifest_path).ok()).and_then(|t| Manifest::parse(&t));
    let hint = manifest.as_ref().map(|m| m.executable);
    let Some(executable) = steps.time("hash site-gen", || Executable::current(hint)) else { return Ok(Warm::Build(None)) };
    let Some(inputs) = steps.time("hash inputs", || listed_inputs(&config)) else { return Ok(Warm::Build(None)) };
    let before = Before { target, options, inputs, executable };
    let Some(manifest) = manifest else { return Ok(Warm::Build(Some(before))) };
    clean_up_after_killed_builds(&before.target);
    match steps.time("check outputs", || unchanged(&config, &before, &manifest)) {
        true => {
            let (out_dir, pages) = (before.target, manifest.pages);
            Ok(Warm::UpToDate(BuildReport { out_dir, pages, warnings: Vec::new(), steps: steps.0, up_to_date: true, chapters_reused: 0 }))
        }
        false => Ok(Warm::Build(Some(before))),
    }
}

/// True when `manifest`'s fingerprint is `before`'s and every file it lists is as it was
/// written.
fn unchanged(config: &Config, before: &Before, manifest: &Manifest) -> bool {
    let Some(included) = hash_included(&config.root, &manifest.included) else { return false };
    if manifest.fingerprint != fingerprint(config, before, &included) {
        return false;
    }
    let paths: Vec<PathBuf> = manifest.outputs.iter().map(|(path, _)| before.target.join(path)).collect();
    let Some(found) = hash_files(&paths) else { return false };
    manifest.outputs.iter().zip(found).all(|((_, written), now)| *written == now)
}

/// The files the chapters' and the page for missing addresses' directives read, besides
/// their own.
pub(crate) fn included_files(built: &Built) -> Vec<PathBuf> {
    let root = &built.site.book.config.root;
    let chapters = built.chapters.iter().flat_map(|c| c.included.iter().cloned());
    let not_found = built.not_found.iter().flat_map(|n| n.source_map.segments.iter().map(|s| root.join(&s.file)));
    chapters.chain(not_found).collect()
}

/// Writes the cache into `staging` (the finished build, about to be committed): the
/// fingerprint of `before`'s inputs and of the `included` files, and every file written.
pub(crate) fn record(staging: &Staging, config: &Config, before: &Before, included: &[PathBuf], pages: usize) -> Result<()> {
    let included: BTreeSet<String> = included.iter().map(|p| shown(&config.root, p)).collect();
    let included: Vec<String> = included.into_iter().collect();
    let Some(included_hashes) = hash_included(&config.root, &included) else { return Ok(()) };
    let fingerprint = fingerprint(config, before, &included_hashes);
    let mut written: Vec<String> = files_under(staging.dir())?.iter().map(|f| relative(staging.dir(), f)).collect();
    written.retain(|path| !path.starts_with(CACHE_DIR));
    written.sort();
    // What was written whole is hashed already; the rest (the print page, copies) is read.
    let hashes: Option<Vec<FileHash>> =
        written.par_iter().map(|p| staging.written_hash(p).or_else(|| hash_file(&staging.dir().join(p)).ok())).collect();
    let Some(hashes) = hashes else { return Ok(()) };
    let outputs = written.into_iter().zip(hashes).collect();
    let manifest = Manifest { fingerprint, executable: before.executable, pages, included, outputs };
    staging.write(&format!("{CACHE_DIR}/{MANIFEST}"), manifest.to_text().as_bytes())
}

/// The fingerprint of a build: this `site-gen`, where it writes and how, and every input.
fn fingerprint(config: &Config, before: &Before, included: &[(String, FileHash)]) -> String {
    let mut digest = Digest::default();
    digest.add(HEADER.as_bytes()).add(env!("CARGO_PKG_VERSION").as_bytes());
    digest.add(&before.executable.hash.to_le_bytes());
    digest.add(shown(&config.root, &before.target).as_bytes());
    digest.add(&[before.options.deny_warnings as u8, before.options.no_preprocessors as u8]);
    for (name, file) in before.inputs.iter().chain(included) {
        digest.add(name.as_bytes()).add(&file.size.to_le_bytes()).add(&file.hash.to_le_bytes());
    }
    digest.hex()
}

/// The running executable: its size, modification time and inode, and the hash of its
/// content, which changes with the code, the built-in theme and the demo runtime built into it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Executable {
    size: u64,
    modified: u128,
    inode: u64,
    hash: u128,
}

/// The running executable's content hash, once found (the code does not change while it
/// runs).
static EXECUTABLE_HASH: OnceLock<Option<u128>> = OnceLock::new();

/// The content hash of the running `site-gen`, for the keys of the chapter cache.
pub(crate) fn executable_hash() -> Option<u128> {
    match EXECUTABLE_HASH.get() {
        Some(known) => *known,
        None => Executable::current(None).map(|e| e.hash),
    }
}

impl Executable {
    /// The running executable; its hash taken from `hint` (what the last build recorded)
    /// when the file has the same size, time and inode, else computed. `None` when it cannot
    /// be read.
    fn current(hint: Option<Executable>) -> Option<Executable> {
        use std::os::unix::fs::MetadataExt;
        let path = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&path).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
        let mut found = Executable { size: meta.len(), modified, inode: meta.ino(), hash: 0 };
        match hint {
            Some(hint) if Executable { hash: 0, ..hint } == found => found.hash = hint.hash,
            _ => found.hash = hash_file(&path).ok()?.hash,
        }
        let _ = EXECUTABLE_HASH.set(Some(found.hash));
        Some(found)
    }
}

/// book.toml and every file under the source folder, the theme folder and the demo
/// runtime's folder, and the additional CSS and JavaScript, each named (with the folder it
/// was found in) and hashed; `None` when one cannot be listed or read.
fn listed_inputs(config: &Config) -> Option<Vec<(String, FileHash)>> {
    let mut names = vec![CONFIG_FILE.to_owned()];
    let mut paths = vec![config.root.join(CONFIG_FILE)];
    let folders = [("src", Some(&config.src_dir)), ("theme", config.theme_dir.as_ref()), ("demos", Some(&config.demos_dir))];
    for (kind, dir) in folders {
        let Some(dir) = dir else { continue };
        let mut files = files_under(dir).ok()?;
        files.sort();
        names.push(format!("{kind}:{}", shown(&config.root, dir)));
        paths.push(PathBuf::new());
        for file in files {
            names.push(format!("{kind}/{}", relative(dir, &file)));
            paths.push(file);
        }
    }
    for file in config.html.additional_css.iter().chain(&config.html.additional_js) {
        names.push(format!("additional:{}", shown(&config.root, &file.file)));
        paths.push(file.file.clone());
    }
    hash_named(names, paths)
}

/// The files `included` (relative to the book's root `root`), hashed.
fn hash_included(root: &Path, included: &[String]) -> Option<Vec<(String, FileHash)>> {
    let names = included.iter().map(|p| format!("included:{p}")).collect();
    hash_named(names, included.iter().map(|p| root.join(p)).collect())
}

/// Each of `names` with the hash of the file at the same place in `paths` (an empty path:
/// a folder's name, hashed as nothing).
fn hash_named(names: Vec<String>, paths: Vec<PathBuf>) -> Option<Vec<(String, FileHash)>> {
    let files: Vec<&PathBuf> = paths.iter().filter(|p| !p.as_os_str().is_empty()).collect();
    let mut hashes = hash_files(&files)?.into_iter();
    let none = FileHash { size: 0, hash: 0 };
    let hashed = paths.iter().map(|p| if p.as_os_str().is_empty() { Some(none) } else { hashes.next() });
    names.into_iter().zip(hashed).map(|(name, hash)| hash.map(|h| (name, h))).collect()
}

/// `path` relative to the book's root `root` (`..` where it is outside), else absolute.
fn shown(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => path.to_string_lossy().into_owned(),
    }
}

/// The cache's file: the fingerprint, the pages, the included files and every file written,
/// followed by the hash of all that (a manifest cut short or garbled does not check out).
#[derive(Debug, PartialEq)]
struct Manifest {
    fingerprint: String,
    executable: Executable,
    pages: usize,
    included: Vec<String>,
    outputs: Vec<(String, FileHash)>,
}

impl Manifest {
    fn to_text(&self) -> String {
        let mut text = format!("{HEADER}\nfingerprint {}\npages {}\n", self.fingerprint, self.pages);
        let e = &self.executable;
        text.push_str(&format!("site-gen {} {} {} {:032x}\n", e.size, e.modified, e.inode, e.hash));
        for path in &self.included {
            text.push_str(&format!("include {path}\n"));
        }
        for (path, file) in &self.outputs {
            text.push_str(&format!("output {} {:032x} {path}\n", file.size, file.hash));
        }
        let check = Digest::default().add(text.as_bytes()).hex();
        text.push_str(&format!("check {check}\n"));
        text
    }

    /// The manifest in `text`, when it is whole and every line is one of ours.
    fn parse(text: &str) -> Option<Manifest> {
        let body = text.strip_suffix('\n')?;
        let (body, check) = body.rsplit_once('\n')?;
        let body = format!("{body}\n");
        if check.strip_prefix("check ")? != Digest::default().add(body.as_bytes()).hex() {
            return None;
        }
        let mut lines = body.lines();
        (lines.next()? == HEADER).then_some(())?;
        let fingerprint = lines.next()?.strip_prefix("fingerprint ")?.to_owned();
        let pages = lines.next()?.strip_prefix("pages ")?.parse().ok()?;
        let executable = executable_line(lines.next()?.strip_prefix("site-gen ")?)?;
        let mut manifest = Manifest { fingerprint, executable, pages, included: Vec::new(), outputs: Vec::new() };
        for line in lines {
            match line.split_once(' ')? {
                ("include", path) => manifest.included.push(path.to_owned()),
                ("output", rest) => manifest.outputs.push(output_line(rest)?),
                _ => return None,
            }
        }
        Some(manifest)
    }
}

/// `SIZE MODIFIED INODE HASH`.
fn executable_line(rest: &str) -> Option<Executable> {
    let mut parts = rest.split(' ');
    let (size, modified, inode) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
    parts.next().is_none().then_some(Executable { size, modified, inode, hash })
}

/// `SIZE HASH PATH`.
fn output_line(rest: &str) -> Option<(String, FileHash)> {
    let mut parts = rest.splitn(3, ' ');
    let size = parts.next()?.parse().ok()?;
    let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
    Some((parts.next()?.to_owned(), FileHash { size, hash }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            fingerprint: "0123".into(),
            executable: Executable { size: 5, modified: 6, inode: 7, hash: 8 },
            pages: 3,
            included: vec!["../shared/a b.rs".into()],
            outputs: vec![("index.html".into(), FileHash { size: 10, hash: 7 }), ("a b/c.html".into(), FileHash { size: 0, hash: 1 })],
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        assert_eq!(Manifest::parse(&manifest().to_text()), Some(manifest()));
    }

    #[test]
    fn a_manifest_cut_short_or_garbled_is_refused() {
        let text = manifest().to_text();
        for cut in 0..text.len() {
            assert_eq!(Manifest::parse(&text[..cut]), None, "cut at {cut}");
        }
        assert_eq!(Manifest::parse(&text.replace("pages 3", "pages 4")), None);
        assert_eq!(Manifest::parse(&text.replace("output 10", "output 11")), None);
        assert_eq!(Manifest::parse(""), None);
    }
}
