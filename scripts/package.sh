#!/usr/bin/env bash
# Packages site-gen for crates.io (`cargo package`), the demo runtime and all inside.
#
# site-gen embeds files from beside its crate (../theme, ../demos-wasm/python and the built
# ../demos-wasm/pkg), which a package cannot reach: they are copied into site-gen/embed/
# (ignored by git), where site-gen/build.rs looks when there is no ../theme, and which the
# package's `include` lists. The demos-wasm crate, a dependency, is packaged with it.
# Needs the demos built (`make demos`); extra arguments go to `cargo package`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
embed="$repo/site-gen/embed"
pkg="$repo/demos-wasm/pkg"

for build in threads single; do
  [[ -f $pkg/$build/demos_wasm_bg.wasm ]] ||
    { echo "scripts/package.sh: error: $pkg/$build is not built: run \`make demos\`" >&2; exit 1; }
done

rm -rf "$embed"
mkdir -p "$embed/runtime"
cp -R "$repo/theme" "$embed/theme"
cp -R "$repo/demos-wasm/python" "$embed/python"
rm -rf "$embed/python/__pycache__"
for build in threads single; do
  cp -R "$pkg/$build" "$embed/runtime/$build"
done

# embed/ is generated, so git sees it as uncommitted: --allow-dirty.
cd "$repo"
cargo package --allow-dirty -p demos-wasm -p concurrency-lab "$@"
