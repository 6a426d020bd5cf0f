#!/usr/bin/env bash
# Records the pages mdBook writes for every mdBook book in Debian's rust-web-src, as the
# expected data of site-gen's real-books test (site-gen/tests/cli/real_books.rs), one file per
# book in site-gen/tests/fixtures/real-books/. Run it again when rust-web-src changes version:
#   bash scripts/mdbook-page-lists.sh [path/to/mdbook]
# mdBook 0.5 (`cargo install mdbook --version '^0.5' --root target/tools`) is needed only here.
set -euo pipefail
mdbook=$(realpath "${1:-target/tools/bin/mdbook}")
out=site-gen/tests/fixtures/real-books
source=$(dpkg -L rust-web-src | grep -E '^/usr/src/rustc-[0-9.]+$' | sed -n 1p)
rm -rf "$out" && mkdir -p "$out"
echo "${source#/usr/src/}" > "$out/VERSION"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for toml in $(dpkg -L rust-web-src | grep 'book.toml$' | sort); do
  book=$(dirname "$toml")
  rel=${book#"$source"/}
  name=$(echo "$rel" | tr / _)
  # mdBook must not create missing chapters inside /usr/src.
  if ! (cd "$book" && MDBOOK_BUILD__CREATE_MISSING=false "$mdbook" build -d "$work/$name" >/dev/null 2>&1); then
    echo "skip $rel: mdBook cannot build it"
    continue
  fi
  site="$work/$name"
  # A book with several outputs gets a folder per output: the HTML is in html/.
  [ -d "$site/html" ] && site="$site/html"
  { echo "$rel"; (cd "$site" && find . -name '*.html' | sed 's|^\./||' | LC_ALL=C sort); } > "$out/$name.txt"
  echo "$rel: $(($(wc -l < "$out/$name.txt") - 1)) pages"
done
