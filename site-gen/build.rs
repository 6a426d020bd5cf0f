//! Rebuilds `site-gen` when the built-in theme changes (it is embedded in the binary).

fn main() {
    println!("cargo:rerun-if-changed=../theme");
}
