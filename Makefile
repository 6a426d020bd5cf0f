# The two commands a new user needs:
#   make serve   set up what is missing, build the demos and the book, serve on http://127.0.0.1:3000
#   make test    the same set-up plus three browser engines, then every test
# Both are idempotent: a second run installs nothing and rebuilds only what changed.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 3000

# Debian packages: a rustc that targets wasm32 and its std sources, and wasm-opt.
BUILD_PACKAGES := rustc-web rust-web-src binaryen
# For the tests: three browser engines and their WebDrivers for the end-to-end tests — Chromium,
# Firefox ESR (its geckodriver comes from crates.io, below) and WebKitGTK's MiniBrowser, which
# needs a display (Xvfb) — and CPython for the book's Python examples and the demos' Python twins.
TEST_PACKAGES := chromium chromium-driver firefox-esr webkit2gtk-driver xvfb python3
# For `make bench`: Hugo, built from the same generated pages to compare output and speed.
BENCH_PACKAGES := hugo
# geckodriver, Firefox's WebDriver, is not a Debian package: built from crates.io, pinned.
GECKODRIVER_VERSION := 0.36.0
GECKODRIVER := target/tools/bin/geckodriver

SITE_GEN := target/release/site-gen

.PHONY: help setup setup-test demos site-gen install package build serve test stress check bench claims clean

help:
	@echo "make serve   build the demos and the book, serve on http://$(HOST):$(PORT)"
	@echo "make build   build the demos and the book into book/"
	@echo "make check   check the book (links, SUMMARY.md, demo blocks) without writing"
	@echo "make test    run every test (installs Chromium, Firefox and WebKit for the browser tests)"
	@echo "make stress  every demo at its largest parameters in every browser engine, and hostile input at its largest (minutes)"
	@echo "make demos   build only the WebAssembly demos"
	@echo "make install install site-gen, with the theme, the demo runtime and the Python twins inside,"
	@echo "             into ~/.cargo/bin (or PREFIX/bin: make install PREFIX=~/.local)"
	@echo "make bench   measure clean builds (100, 1,000, 5,000 pages) and builds again with nothing changed,"
	@echo "             live reload, the first search, the demos,"
	@echo "             Lighthouse scores and page weights of every page of the book,"
	@echo "             and the Measuring chapter's sweep of workers in each browser engine"
	@echo "make claims  run every demo in headless Chromium and its Python twin, beside each demo's claims"

setup:
	@bash scripts/install-packages.sh $(BUILD_PACKAGES)

setup-test: setup
	@bash scripts/install-packages.sh $(TEST_PACKAGES)
	@bash scripts/install-geckodriver.sh $(GECKODRIVER_VERSION) $(GECKODRIVER)

demos: setup
	@bash demos-wasm/build.sh

site-gen:
	@cargo build --release --quiet -p concurrency-lab

# One self-contained binary: the demos first, so that site-gen embeds them (see site-gen/build.rs),
# then cargo's own install, with Cargo.lock as it is and the release builds already in target/.
# Into cargo's bin folder (~/.cargo/bin, or $$CARGO_INSTALL_ROOT/bin), or PREFIX/bin.
PREFIX ?=

install: demos
	@cargo install --locked --path site-gen --target-dir target $(if $(PREFIX),--root "$(PREFIX)")

# The crates.io packages (target/package/*.crate) of site-gen, with what it embeds copied in,
# and of demos-wasm, which it depends on: see scripts/package.sh.
package: demos
	@bash scripts/package.sh

build: demos site-gen
	@$(SITE_GEN) build .

check: site-gen
	@$(SITE_GEN) check .

serve: demos site-gen
	@$(SITE_GEN) serve . -n $(HOST) -p $(PORT)

test: setup-test demos
	@cargo test --workspace --no-fail-fast

# What `make test` leaves out for taking minutes: every demo at the largest value of every
# parameter, in every browser engine; then hostile input at its largest (10,000 chapters, two
# million lines, thousands of idle connections, clients that never read), each printing its
# time and peak memory.
stress: setup-test demos
	@cargo test -p concurrency-lab --test browser stress -- --ignored --test-threads 1 --nocapture
	@cargo test -p concurrency-lab --test cli --test serve -- --ignored --test-threads 1 --nocapture

# Every part; or one of them: make bench BENCH=builds (or highlight, serve, search, demos, pages, sweep).
# `pages` installs Lighthouse from npm (pinned) into target/tools and runs it in Chromium;
# `sweep` runs the Measuring chapter's sweep of workers in Chromium, Firefox and WebKit.
BENCH ?= builds highlight serve search demos pages sweep

bench: setup-test
	@bash scripts/install-packages.sh $(BENCH_PACKAGES)
	@cargo build --release --quiet -p concurrency-lab -p bench
	@for part in $(BENCH); do target/release/book-bench $$part $$( [ $$part = search ] || [ $$part = highlight ] || echo --site-gen $(SITE_GEN) ); done

# Every demo at full size in headless Chromium and in CPython (its twin in demos-wasm/python),
# speed-ups side by side with what the book's inline claims (`{{#claim …}}`) say each mode shows.
claims: setup-test demos site-gen
	@cargo build --quiet -p bench --bin demo-claims
	@target/debug/demo-claims --site-gen $(SITE_GEN)

clean:
	cargo clean
	rm -rf book demos-wasm/pkg site-gen/embed
