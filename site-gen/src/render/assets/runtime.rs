//! The demo runtime a book's demos run on: the two builds `make demos` makes (`threads/`,
//! `single/`), read from the book's `[build] demos-dir` when that folder holds both, and
//! otherwise the copy built into `site-gen` (embedded when it is compiled after `make demos`:
//! see `build.rs`), so that a book anywhere runs its demos with nothing beside it.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::core::fs::is_hidden;

/// The folders of the demo runtime: the threaded build and the single-threaded fallback.
pub const DEMO_BUILDS: [&str; 2] = ["threads", "single"];

/// The file each build must have to be one.
const MODULE: &str = "demos_wasm_bg.wasm";

/// The builds embedded at compile time, each empty when the runtime was not built then.
static BUILT_IN: [(&str, Dir<'static>); 2] = [
    ("threads", include_dir!("$SITE_GEN_RUNTIME/threads")),
    ("single", include_dir!("$SITE_GEN_RUNTIME/single")),
];

/// Where a build's demo runtime comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoRuntime {
    /// The book's `demos-dir`, which holds both builds.
    Folder(PathBuf),
    /// The runtime built into `site-gen`.
    BuiltIn,
    /// Neither: the builds that `demos-dir` has, if any, and the demos will not run.
    Missing(PathBuf),
}

impl DemoRuntime {
    /// The runtime for a book whose `demos-dir` is `demos_dir`.
    pub fn find(demos_dir: &Path) -> DemoRuntime {
        if DEMO_BUILDS.iter().all(|build| demos_dir.join(build).is_dir()) {
            DemoRuntime::Folder(demos_dir.to_path_buf())
        } else if built_in() {
            DemoRuntime::BuiltIn
        } else {
            DemoRuntime::Missing(demos_dir.to_path_buf())
        }
    }
}

/// True when `site-gen` carries the demo runtime.
pub fn built_in() -> bool {
    BUILT_IN.iter().all(|(_, dir)| dir.get_file(MODULE).is_some())
}

/// Every file of the built-in runtime: its path under the runtime (`threads/demos_wasm.js`)
/// and its bytes. Empty when there is none.
pub fn built_in_files() -> Vec<(String, &'static [u8])> {
    let mut files = Vec::new();
    if built_in() {
        for (build, dir) in &BUILT_IN {
            collect(build, dir, &mut files);
        }
    }
    files
}

/// The files under `dir`, hidden ones left out as they are from a `demos-dir`.
fn collect(build: &str, dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if !is_hidden(&path) {
            out.push((format!("{build}/{path}"), file.contents()));
        }
    }
    for sub in dir.dirs() {
        collect(build, sub, out);
    }
}
