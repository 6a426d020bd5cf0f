#!/usr/bin/env bash
# Installs geckodriver VERSION (Firefox's WebDriver) from crates.io at PATH, unless that version
# is there already. Usage: install-geckodriver.sh VERSION PATH (PATH ends in bin/geckodriver).
set -euo pipefail

version=$1
path=$2
if [[ -x $path ]] && [[ "$("$path" --version 2>/dev/null | head -n 1)" == "geckodriver $version"* ]]; then
  exit 0
fi
root=$(dirname "$(dirname "$path")")
echo "Installing geckodriver $version into $root (cargo install; takes a few minutes once)"
env -u RUSTC -u RUSTFLAGS -u CARGO_TARGET_DIR \
  cargo install geckodriver --version "$version" --locked --root "$root" --force --quiet ||
  env -u RUSTC -u RUSTFLAGS -u CARGO_TARGET_DIR \
    cargo install geckodriver --version "$version" --root "$root" --force --quiet
