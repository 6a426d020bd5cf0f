#!/usr/bin/env bash
# Builds the demos' WebAssembly packages the pages load:
#   demos-wasm/pkg/threads  threaded build (rayon on Web Workers sharing memory)
#   demos-wasm/pkg/single   single-threaded fallback (pages that are not cross-origin isolated)
# Each is `cargo build` (incremental) -> `wasm-bindgen --target web` -> `wasm-opt` (when
# installed). The last two steps are skipped when their inputs have not changed.
#
# Needs: rustup's cargo and stable toolchain (for rust-lld), the Debian packages rustc-web and
# rust-web-src (a rustc that targets wasm32 and the std sources for -Z build-std), and binaryen
# for wasm-opt (optional). Installs the wasm-bindgen command-line tool into target/tools.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
crate="$repo/demos-wasm"
tools="$repo/target/tools"
target=wasm32-unknown-unknown
profile=wasm-release

fail() {
  echo "demos-wasm/build.sh: error: $*" >&2
  exit 1
}
step() { echo "demos-wasm/build.sh: $*"; }
seconds_since() { echo "$(( $(date +%s) - $1 ))s"; }

# --- What the build needs --------------------------------------------------------------------
wasm_rustc=/usr/bin/rustc
[[ -x $wasm_rustc ]] ||
  fail "$wasm_rustc not found: install the Debian package rustc-web (apt-get install rustc-web)"
[[ -d /usr/lib/rustlib/src/rust/library ]] ||
  fail "/usr/lib/rustlib/src/rust not found: install the Debian package rust-web-src (apt-get install rust-web-src)"
command -v cargo >/dev/null || fail "cargo not found on PATH (rustup's stable toolchain)"

# Debian's rustc does not ship a linker for wasm32; rustup's stable toolchain has rust-lld.
host_sysroot=$(rustc +stable --print sysroot 2>/dev/null || rustc --print sysroot)
rust_lld="$host_sysroot/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
[[ -x $rust_lld ]] || rust_lld=$(command -v rust-lld || true)
[[ -n $rust_lld && -x $rust_lld ]] ||
  fail "rust-lld not found (looked in $host_sysroot/lib/rustlib/x86_64-unknown-linux-gnu/bin and on PATH)"

# --- Compile ---------------------------------------------------------------------------------
# No reference types: binaryen's wasm-opt up to at least version 108 (Debian 12) rewrites
# wasm-bindgen's externref table into one the browser refuses to store JavaScript values in.
threads_flags=(
  -C target-feature=+atomics,+bulk-memory,+mutable-globals,-reference-types
  # Without these the memory is not shared and wasm-bindgen emits single-threaded glue.
  -C link-arg=--shared-memory -C link-arg=--max-memory=1073741824 -C link-arg=--import-memory
  -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size
  -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base
)
single_flags=(-C target-feature=-reference-types)

# compile VARIANT [CARGO ARGS...]: the crate for wasm32 into target/wasm-VARIANT.
compile() {
  local variant=$1 flags_name="${1}_flags[*]"
  shift
  local started
  started=$(date +%s)
  # RUSTFLAGS would override the target's flags; the target-specific variable keeps them off
  # build scripts and proc-macros, which run on the host.
  env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
    RUSTC="$wasm_rustc" RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$rust_lld" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${!flags_name-}" \
    cargo build --manifest-path "$repo/Cargo.toml" -p demos-wasm \
      --target "$target" --profile "$profile" -Z build-std=panic_abort,std \
      --target-dir "$repo/target/wasm-$variant" "$@" ||
    fail "cargo build of the $variant build failed (see above)"
  step "$variant: compiled in $(seconds_since "$started")"
}

compile threads --features parallel
compile single

# --- wasm-bindgen command-line tool, the exact version of the crate in Cargo.lock ------------
bindgen_version=$(awk '
  $0 == "name = \"wasm-bindgen\"" { found = 1; next }
  found && /^version = / { gsub(/"/, "", $3); print $3; exit }
' "$repo/Cargo.lock")
[[ -n $bindgen_version ]] || fail "no wasm-bindgen entry in $repo/Cargo.lock"
wasm_bindgen="$tools/bin/wasm-bindgen"
if [[ ! -x $wasm_bindgen ]] || [[ "$("$wasm_bindgen" --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]]; then
  step "installing wasm-bindgen-cli $bindgen_version into target/tools (takes a minute or two)"
  env -u RUSTC -u RUSTFLAGS -u CARGO_TARGET_DIR \
    cargo install wasm-bindgen-cli --version "$bindgen_version" --root "$tools" --force ||
    fail "cargo install wasm-bindgen-cli --version $bindgen_version failed"
fi

wasm_opt=$(command -v wasm-opt || true)
[[ -n $wasm_opt ]] || step "wasm-opt not found (Debian package binaryen): packages left unoptimised"
# Features the compiled modules use; binaryen must be told, or it refuses them.
opt_features=(--enable-bulk-memory --enable-mutable-globals --enable-sign-ext
  --enable-nontrapping-float-to-int --enable-multivalue)

# wasm-bindgen-rayon 1.3's bundler-free worker helper starts each pool thread with
# `init(module, memory)`, positional parameters that wasm-bindgen 0.2.130's glue still accepts
# but deprecates, logging a warning in every pool thread of every page. The glue takes the same
# two values as one object; pass them that way. Fails loudly if the helper changes, so an
# upgrade is looked at rather than patched blindly.
modernise_rayon_helper() {
  local helper
  helper=$(find "$1/snippets" -name 'workerHelpers.no-bundler.js' -print -quit)
  [[ -n $helper ]] || fail "wasm-bindgen-rayon's workerHelpers.no-bundler.js is missing from $1/snippets"
  local old='await pkg.default(data.module, data.memory);'
  local new='await pkg.default({ module_or_path: data.module, memory: data.memory });'
  grep -qF "$old" "$helper" ||
    fail "$helper no longer calls \`$old\`: check whether this rewrite is still needed"
  local text
  text=$(<"$helper")
  printf '%s\n' "${text//"$old"/"$new"}" >"$helper"
}

# --- Package ---------------------------------------------------------------------------------
# package VARIANT [WASM-OPT FLAGS...]: wasm-bindgen (+ wasm-opt) into demos-wasm/pkg/VARIANT,
# unless the stamp says this exact .wasm was already packaged by these exact tools and flags.
package() {
  local variant=$1
  shift
  local wasm="$repo/target/wasm-$variant/$target/$profile/demos_wasm.wasm"
  local out="$crate/pkg/$variant"
  local stamp_file="$repo/target/wasm-$variant/pkg.stamp"
  [[ -f $wasm ]] || fail "cargo did not produce $wasm"

  local stamp
  stamp=$({
    sha256sum "$wasm" "${BASH_SOURCE[0]}" | cut -d' ' -f1
    echo "$bindgen_version ${wasm_opt:+$("$wasm_opt" --version)} $*"
  } | sha256sum | cut -d' ' -f1)
  if [[ -f $stamp_file && $(cat "$stamp_file") == "$stamp" && -f $out/demos_wasm_bg.wasm ]]; then
    step "$variant: pkg up to date"
    return
  fi

  local started staging="$crate/pkg/.staging-$variant"
  started=$(date +%s)
  rm -rf "$staging"
  mkdir -p "$staging"
  "$wasm_bindgen" --target web --no-typescript --out-dir "$staging" "$wasm" ||
    fail "wasm-bindgen failed on $wasm"
  [[ $variant != threads ]] || modernise_rayon_helper "$staging"
  if [[ -n $wasm_opt ]]; then
    "$wasm_opt" -O3 "${opt_features[@]}" "$@" \
      -o "$staging/demos_wasm_bg.opt.wasm" "$staging/demos_wasm_bg.wasm" ||
      fail "wasm-opt failed on the $variant build"
    mv "$staging/demos_wasm_bg.opt.wasm" "$staging/demos_wasm_bg.wasm"
  fi
  rm -rf "$out"
  mv "$staging" "$out"
  echo "$stamp" >"$stamp_file"
  step "$variant: packaged into demos-wasm/pkg/$variant in $(seconds_since "$started")" \
    "($(stat -c %s "$out/demos_wasm_bg.wasm") bytes of wasm)"
}

package threads --enable-threads
package single
