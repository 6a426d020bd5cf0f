//! Chooses what `site-gen` carries inside its binary, for `include_dir!` to embed, and rebuilds
//! it when any of that changes:
//!
//! - the default theme (`SITE_GEN_THEME`), from this repository's `theme/`;
//! - the demos' Python twins (`SITE_GEN_PYTHON`), from `demos-wasm/python/`;
//! - the demo runtime (`SITE_GEN_RUNTIME`), the two builds `make demos` leaves in
//!   `demos-wasm/pkg/` (`threads/` and `single/`), when both are built; otherwise an empty
//!   folder, and books then need a runtime of their own (`[build] demos-dir`).
//!   `SITE_GEN_RUNTIME_BUILT_IN` says which (`yes` or `no`), and `SITE_GEN_VERSION`, what
//!   `site-gen --version` prints, says it too.
//!
//! Each is read from the repository (`../theme`, …) when the crate is built in it, and
//! otherwise from `embed/` inside the crate (`embed/theme`, `embed/python`, `embed/runtime`),
//! where a packaged copy of the crate, which has no `../`, carries them (see the README,
//! "Installing").

use std::path::{Path, PathBuf};

/// The two builds of the demo runtime, each complete when its WebAssembly module is there.
const BUILDS: [&str; 2] = ["threads", "single"];
const MODULE: &str = "demos_wasm_bg.wasm";

fn main() {
    let crate_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let repo = crate_dir.join("..");
    let embed = crate_dir.join("embed");

    let theme = first_folder(&[repo.join("theme"), embed.join("theme")])
        .expect("the default theme: ../theme (in the repository) or embed/theme (in a package)");
    let python = first_folder(&[repo.join("demos-wasm/python"), embed.join("python")])
        .expect("the Python twins: ../demos-wasm/python (in the repository) or embed/python (in a package)");
    let runtime = [repo.join("demos-wasm/pkg"), embed.join("runtime")].into_iter().find(|dir| is_built(dir));

    for dir in [&theme, &python] {
        rerun_if_changed(dir);
    }
    // The runtime appears, changes and goes with `make demos` (and `make clean`): watch the
    // folders it is made in, which exist before it does.
    for dir in [repo.join("demos-wasm"), embed] {
        if dir.is_dir() {
            rerun_if_changed(&dir);
        }
    }

    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let runtime = match runtime {
        Some(dir) => {
            println!("cargo:rustc-env=SITE_GEN_RUNTIME_BUILT_IN=yes");
            println!("cargo:rustc-env=SITE_GEN_VERSION={version} (demo runtime built in)");
            dir
        }
        None => {
            println!("cargo:rustc-env=SITE_GEN_RUNTIME_BUILT_IN=no");
            println!("cargo:rustc-env=SITE_GEN_VERSION={version} (no demo runtime built in: books need their own, [build] demos-dir)");
            let empty = out_dir.join("no-runtime");
            for build in BUILDS {
                std::fs::create_dir_all(empty.join(build)).expect("a folder in OUT_DIR");
            }
            empty
        }
    };
    env("SITE_GEN_THEME", &theme);
    env("SITE_GEN_PYTHON", &python);
    env("SITE_GEN_RUNTIME", &runtime);
}

fn first_folder(candidates: &[PathBuf]) -> Option<PathBuf> {
    candidates.iter().find(|dir| dir.is_dir()).cloned()
}

/// True when `dir` holds both builds of the demo runtime.
fn is_built(dir: &Path) -> bool {
    BUILDS.iter().all(|build| dir.join(build).join(MODULE).is_file())
}

fn rerun_if_changed(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}

fn env(name: &str, dir: &Path) {
    let dir = dir.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let dir = dir.to_str().unwrap_or_else(|| panic!("{}: not UTF-8, which include_dir! needs", dir.display()));
    println!("cargo:rustc-env={name}={dir}");
}
