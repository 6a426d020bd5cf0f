//! Rebuilds `site-gen` when what it embeds changes: the built-in theme and the demos' Python
//! twins.

fn main() {
    println!("cargo:rerun-if-changed=../theme");
    println!("cargo:rerun-if-changed=../demos-wasm/python");
}
